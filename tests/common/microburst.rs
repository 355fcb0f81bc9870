//! microburst, the AWS-protocol-aware fault proxy, in front of a ministack: rules set
//! at runtime, and its log of every request a rule matched.

use super::ministack::{Ministack, free_port, stack_bin};
use serde_json::Value;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Microburst {
    child: Child,
    pub port: u16,
}

impl Microburst {
    pub fn start(upstream: &Ministack) -> Microburst {
        let port = free_port();
        let log = std::fs::File::create(
            PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("microburst-{port}.log")),
        )
        .expect("microburst log file");
        let child = Command::new(stack_bin("microburst"))
            .args(["--upstream", &upstream.endpoint()])
            .args(["--port", &port.to_string(), "--host", "127.0.0.1"])
            .stdout(log.try_clone().expect("log"))
            .stderr(log)
            .stdin(Stdio::null())
            .spawn()
            .expect("start microburst");
        let proxy = Microburst { child, port };
        let start = Instant::now();
        while proxy.request("GET", "/_microburst/health", "").is_none() {
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "microburst did not answer on port {port} within 60 s"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        proxy
    }

    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Replaces every rule.
    pub fn rules(&self, rules: Value) {
        let body = rules.to_string();
        self.request("POST", "/_microburst/rules", &body)
            .expect("microburst took the rules");
    }

    /// Every request a rule matched (and what it did), oldest first.
    pub fn fired(&self) -> Vec<Value> {
        let body = self
            .request("GET", "/_microburst/fired", "")
            .expect("microburst answered");
        serde_json::from_str(&body).expect("fired is JSON")
    }

    pub fn clear_fired(&self) {
        self.request("DELETE", "/_microburst/fired", "")
            .expect("microburst answered");
    }

    /// A plain HTTP/1.0 request to the control API; the body of a 2xx answer.
    fn request(&self, method: &str, path: &str, body: &str) -> Option<String> {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).ok()?;
        let request = format!(
            "{method} {path} HTTP/1.0\r\nHost: localhost\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\n\r\n{body}",
            body.len()
        );
        s.write_all(request.as_bytes()).ok()?;
        let mut answer = String::new();
        s.read_to_string(&mut answer).ok()?;
        let (head, body) = answer.split_once("\r\n\r\n")?;
        let status = head.split_whitespace().nth(1)?;
        status.starts_with('2').then(|| body.to_string())
    }
}

impl Drop for Microburst {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
