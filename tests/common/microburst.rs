//! microburst, the AWS-protocol-aware fault proxy, in front of a ministack: rules set
//! at runtime, and its log of every request a rule matched.

use super::ministack::{Ministack, aws_at, free_port, stack_bin};
use serde_json::Value;
use std::cell::Cell;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How many entries microburst's fired log keeps (its `fired_capacity`, which its command
/// line cannot change): a log this long may have dropped its oldest entries.
pub const FIRED_CAPACITY: usize = 2000;

pub struct Microburst {
    child: Child,
    pub port: u16,
    /// microburst's own counters (faults fired, requests seen) just before and just after
    /// the fired log was last cleared: what the log holds is counted from there.
    cleared_at: Cell<(Counters, Counters)>,
}

/// Counters that microburst keeps beside the fired log and that nothing evicts.
#[derive(Debug, Clone, Copy, Default)]
struct Counters {
    faulted: u64,
    requests: u64,
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
        let proxy = Microburst {
            child,
            port,
            cleared_at: Cell::default(),
        };
        let start = Instant::now();
        while proxy.request("GET", "/_microburst/health", "").is_none() {
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "microburst did not answer on port {port} within 60 s"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        proxy.warm_up();
        proxy.clear_fired();
        proxy
    }

    /// microburst answers its health check before it is ready for AWS requests: the
    /// first one waits, 20 s and more on a loaded machine, longer than the product's own
    /// timeout. An AWS CLI request, which waits a minute, takes that wait.
    fn warm_up(&self) {
        aws_at(&self.endpoint(), &["sts", "get-caller-identity"]);
    }

    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Replaces every rule; returns them as microburst took them (each with its `id`).
    pub fn rules(&self, rules: Value) -> Vec<Value> {
        let body = rules.to_string();
        let answer = self
            .request("POST", "/_microburst/rules", &body)
            .expect("microburst took the rules");
        serde_json::from_str(&answer).expect("the rules as JSON")
    }

    /// Every request a rule matched since the last `clear_fired` (or the start), oldest
    /// first. Fails if any could be missing: the log is bounded and drops its oldest
    /// entries silently, and `/_microburst/fired` answers only the newest 100 unless asked.
    pub fn fired(&self) -> Vec<Value> {
        let before = self.counters();
        // More than the log can hold, so that the answer is never cut to a limit.
        let path = format!("/_microburst/fired?limit={}", FIRED_CAPACITY * 10);
        let body = self.request("GET", &path, "").expect("microburst answered");
        let after = self.counters();
        let fired: Vec<Value> = serde_json::from_str(&body).expect("fired is JSON");
        assert!(
            fired.len() < FIRED_CAPACITY,
            "microburst's fired log holds {} entries, as many as it keeps: older ones may \
             have been dropped; clear it (clear_fired) between phases of the test",
            fired.len()
        );
        // Each fired fault is counted once, and the count outlives the log's evictions.
        let (cleared_before, cleared_after) = self.cleared_at.get();
        let fewest = before.faulted.saturating_sub(cleared_after.faulted);
        let most = after.faulted.saturating_sub(cleared_before.faulted);
        let n = fired.len() as u64;
        assert!(
            (fewest..=most).contains(&n),
            "microburst fired {fewest}..={most} faults since the log was cleared, \
             but its log holds {n}"
        );
        fired
    }

    /// How many requests reached the proxy since the last `clear_fired` (or the start),
    /// whether or not a rule matched them; exact once no request is in flight.
    pub fn requests_since_cleared(&self) -> u64 {
        let (_, cleared_after) = self.cleared_at.get();
        self.counters()
            .requests
            .saturating_sub(cleared_after.requests)
    }

    pub fn clear_fired(&self) {
        let before = self.counters();
        self.request("DELETE", "/_microburst/fired", "")
            .expect("microburst answered");
        self.cleared_at.set((before, self.counters()));
    }

    fn counters(&self) -> Counters {
        let body = self
            .request("GET", "/_microburst/stats", "")
            .expect("microburst answered");
        let stats: Value = serde_json::from_str(&body).expect("stats is JSON");
        let count = |name: &str| {
            stats["requests"][name]
                .as_u64()
                .unwrap_or_else(|| panic!("no requests.{name} in microburst's stats: {stats}"))
        };
        Counters {
            faulted: count("faulted"),
            requests: count("total"),
        }
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

/// The most `operation` requests that reached the proxy within any one second (a window
/// sliding over their arrival times, not calendar seconds), and how many there were.
pub fn busiest_second(fired: &[Value], operation: &str) -> (usize, usize) {
    let mut at: Vec<f64> = fired
        .iter()
        .filter(|f| f["operation"] == operation)
        .map(|f| f["ts"].as_f64().expect("each fired entry has its time"))
        .collect();
    at.sort_by(f64::total_cmp);
    let mut busiest = 0;
    let mut first = 0;
    for (last, t) in at.iter().enumerate() {
        while t - at[first] >= 1.0 {
            first += 1;
        }
        busiest = busiest.max(last + 1 - first);
    }
    (busiest, at.len())
}
