//! The local AWS server for the integration tests: ministack on a free loopback port,
//! started per test and stopped when dropped. Missing server: the test fails, loudly.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

pub fn stack_bin(tool: &str) -> PathBuf {
    let bin = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/aws-stack/venv/bin");
    let path = bin.join(tool);
    assert!(
        path.exists(),
        "{} is missing: the local AWS stack is not installed. Run `scripts/aws-stack` \
         (scripts/test and .ci/run do) to install ministack, microburst and the AWS CLI.",
        path.display()
    );
    path
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

pub struct Ministack {
    child: Child,
    pub port: u16,
}

impl Ministack {
    pub fn start() -> Self {
        Self::start_on(free_port())
    }

    /// On a given port: to bring a stopped server back where clients expect it.
    pub fn start_on(port: u16) -> Self {
        let log = std::fs::File::create(
            PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("ministack-{port}.log")),
        )
        .expect("ministack log file");
        let child = Command::new(stack_bin("ministack"))
            .env("GATEWAY_PORT", port.to_string())
            .env("BIND_HOST", "127.0.0.1")
            .env("CLOUDTRAIL_RECORDING", "1")
            .stdout(log.try_clone().expect("log"))
            .stderr(log)
            .stdin(Stdio::null())
            .spawn()
            .expect("start ministack");
        let server = Self { child, port };
        server.wait_ready();
        server
    }

    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn wait_ready(&self) {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(60) {
            if let Ok(mut s) = TcpStream::connect(("127.0.0.1", self.port)) {
                let request = "GET /_ministack/health HTTP/1.0\r\nHost: localhost\r\n\r\n";
                let mut answer = String::new();
                if s.write_all(request.as_bytes()).is_ok()
                    && s.read_to_string(&mut answer).is_ok()
                    && answer.starts_with("HTTP/1.1 200")
                {
                    return;
                }
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("ministack did not answer on port {} within 60 s", self.port);
    }

    /// Stops the server now (the drop does the same).
    pub fn stop(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// PutMetricAlarm on SecurityMetrics/SecretIsAccessed, `>= 1` over 1 period, as the
    /// classic setup has it; `statistic` and `period` vary, `action` is an SNS topic.
    pub fn put_alarm(&self, statistic: &str, period: &str, action: Option<&str>) {
        let mut args = vec![
            "cloudwatch",
            "put-metric-alarm",
            "--alarm-name",
            "SecretIsAccessed-alarm",
            "--namespace",
            "SecurityMetrics",
            "--metric-name",
            "SecretIsAccessed",
            "--statistic",
            statistic,
            "--period",
            period,
            "--threshold",
            "1",
            "--comparison-operator",
            "GreaterThanOrEqualToThreshold",
            "--evaluation-periods",
            "1",
        ];
        if let Some(topic) = action {
            args.extend(["--alarm-actions", topic]);
        }
        self.aws(&args);
    }

    /// SetAlarmState on the alarm put by `put_alarm`.
    pub fn set_alarm_state(&self, state: &str, reason: &str) {
        self.aws(&[
            "cloudwatch",
            "set-alarm-state",
            "--alarm-name",
            "SecretIsAccessed-alarm",
            "--state-value",
            state,
            "--state-reason",
            reason,
        ]);
    }

    /// A trail of ours, logging to an existing bucket, that does not deliver to the logs.
    pub fn trail_without_logs(&self) {
        self.aws(&[
            "s3api",
            "create-bucket",
            "--bucket",
            "existing-trail-bucket",
        ]);
        self.aws(&[
            "cloudtrail",
            "create-trail",
            "--name",
            "secretwatch-trail",
            "--s3-bucket-name",
            "existing-trail-bucket",
        ]);
        self.aws(&["cloudtrail", "start-logging", "--name", "secretwatch-trail"]);
    }

    /// CreateSecret with the AWS CLI, as a foreign client would make it.
    pub fn create_secret(&self, name: &str, value: &str) {
        self.aws(&[
            "secretsmanager",
            "create-secret",
            "--name",
            name,
            "--secret-string",
            value,
        ]);
    }

    /// An SNS topic with one email subscriber; returns the topic's ARN.
    pub fn topic_with_subscriber(&self, name: &str, email: &str) -> String {
        let out = self.aws(&[
            "sns",
            "create-topic",
            "--name",
            name,
            "--query",
            "TopicArn",
            "--output",
            "text",
        ]);
        let topic = String::from_utf8(out.stdout)
            .expect("utf-8")
            .trim()
            .to_string();
        self.aws(&[
            "sns",
            "subscribe",
            "--topic-arn",
            &topic,
            "--protocol",
            "email",
            "--notification-endpoint",
            email,
        ]);
        topic
    }

    /// The built binary against this server, with the test credentials, to run.
    pub fn command(&self) -> Command {
        let mut c = secretwatch(true);
        c.args(["--endpoint-url", &self.endpoint(), "--region", "us-east-1"]);
        c
    }

    /// The built binary against this server, run to its end.
    pub fn run(&self, args: &[&str]) -> Output {
        self.command().args(args).output().expect("run secretwatch")
    }

    /// The AWS CLI against this server, as a foreign client.
    pub fn aws(&self, args: &[&str]) -> Output {
        aws_at(&self.endpoint(), args)
    }

    /// The AWS CLI in another account: ministack takes a 12-digit access key id as the
    /// account it is.
    pub fn aws_in(&self, account: &str, args: &[&str]) -> Output {
        aws_as(&self.endpoint(), account, args)
    }
}

/// The AWS CLI against `endpoint` (ministack, or microburst in front of it).
pub fn aws_at(endpoint: &str, args: &[&str]) -> Output {
    aws_as(endpoint, "test", args)
}

fn aws_as(endpoint: &str, access_key: &str, args: &[&str]) -> Output {
    let out = Command::new(stack_bin("aws"))
        .args(["--endpoint-url", endpoint, "--region", "us-east-1"])
        .args(args)
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_ACCESS_KEY_ID", access_key)
        .env("AWS_SECRET_ACCESS_KEY", "test")
        .env_remove("AWS_PROFILE")
        .output()
        .expect("run the AWS CLI");
    assert!(
        out.status.success(),
        "aws {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

impl Drop for Ministack {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The built binary with nothing of the caller's AWS setup: no profile, no instance
/// metadata, logs under the target dir. `credentials` adds the test keys.
pub fn secretwatch(credentials: bool) -> Command {
    let home = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("home");
    let mut c = Command::new(env!("CARGO_BIN_EXE_secretwatch"));
    c.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", &home)
        .env("SECRETWATCH_LOG_DIR", home.join("logs"))
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_CONFIG_FILE", home.join("no-aws-config"))
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            home.join("no-aws-credentials"),
        );
    if credentials {
        c.env("AWS_ACCESS_KEY_ID", "test")
            .env("AWS_SECRET_ACCESS_KEY", "test");
    }
    c
}

/// The adapter on `endpoint` (ministack, or microburst in front of it), with the test
/// credentials.
pub async fn adapter(endpoint: &str) -> secretwatch::cloud::aws::AwsCloud {
    use secretwatch::cloud::aws::{AwsCloud, Target, loader};
    let target = Target {
        profile: None,
        region: Some("us-east-1".into()),
        endpoint_url: Some(endpoint.to_string()),
        role_arn: None,
        http_client: None,
    };
    let config = loader(&target)
        .credentials_provider(aws_credential_types::Credentials::new(
            "test", "test", None, None, "tests",
        ))
        .load()
        .await;
    AwsCloud::from_config(config).expect("a region is set")
}

/// A command's exit code and output, for assertion messages.
pub fn text(out: &Output) -> String {
    format!(
        "exit {:?}\n{}{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

impl Ministack {
    /// `secretwatch doctor --json`'s findings against this server.
    pub fn doctor(&self) -> Vec<serde_json::Value> {
        let out = self.run(&["doctor", "--json"]);
        let report: serde_json::Value =
            serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&out)));
        report["findings"].as_array().cloned().expect("findings")
    }
}

/// The finding on `link` (its JSON name).
pub fn finding<'a>(findings: &'a [serde_json::Value], link: &str) -> &'a serde_json::Value {
    findings
        .iter()
        .find(|f| f["link"] == link)
        .unwrap_or_else(|| panic!("no {link} finding in {findings:?}"))
}

/// What ministack does not do and AWS does, for a trace: the trail's delivery of a record
/// to its log group, and the metric filter's datapoint.
impl Ministack {
    /// The read's CloudTrail record (its user agent carrying `app/MARKER`) as the trail
    /// would deliver it to the chain's log group.
    pub fn deliver_trail_record(&self, marker: &str) {
        let (group, stream) = (
            "secretwatch/cloudtrail",
            "000000000000_CloudTrail_us-east-1",
        );
        let exists = self.aws(&["logs", "describe-log-streams", "--log-group-name", group]);
        if !String::from_utf8_lossy(&exists.stdout).contains(stream) {
            self.aws(&[
                "logs",
                "create-log-stream",
                "--log-group-name",
                group,
                "--log-stream-name",
                stream,
            ]);
        }
        let now = chrono::Utc::now();
        let record = serde_json::json!({
            "eventVersion": "1.08",
            "eventID": "0d6f1c1e-7f7e-4c8e-9d6e-5b8b4c2a1f00",
            "eventTime": now.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
            "eventSource": "secretsmanager.amazonaws.com",
            "eventName": "GetSecretValue",
            "userAgent": format!("aws-sdk-rust/1.8.0 os/linux lang/rust app/{marker}"),
        });
        let events = serde_json::json!([{
            "timestamp": now.timestamp_millis(),
            "message": record.to_string(),
        }]);
        self.aws(&[
            "logs",
            "put-log-events",
            "--log-group-name",
            group,
            "--log-stream-name",
            stream,
            "--log-events",
            &events.to_string(),
        ]);
    }

    /// A datapoint of the chain's metric, as its metric filter would emit it (ministack's
    /// filters emit nothing): `value` reads.
    pub fn put_access_datapoint(&self, value: &str) {
        self.aws(&[
            "cloudwatch",
            "put-metric-data",
            "--namespace",
            "SecurityMetrics",
            "--metric-name",
            "SecretIsAccessed",
            "--value",
            value,
        ]);
    }
}
