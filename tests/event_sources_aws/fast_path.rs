//! The fast path's queue, fed as EventBridge would feed it.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_read_sent_through_the_queue_is_shown_once_as_eventbridge_and_deleted() {
    let server = Ministack::start();
    let record = a_real_read(&server);
    let url = json_of(&server.aws(&["sqs", "create-queue", "--queue-name", QUEUE]))["QueueUrl"]
        .as_str()
        .expect("a queue URL")
        .to_string();
    let envelope = json!({
        "version": "0",
        "id": "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
        "detail-type": "AWS API Call via CloudTrail",
        "source": "aws.secretsmanager",
        "account": record["recipientAccountId"],
        "time": record["eventTime"],
        "region": "us-east-1",
        "resources": [],
        "detail": record,
    });
    server.aws(&[
        "sqs",
        "send-message",
        "--queue-url",
        &url,
        "--message-body",
        &envelope.to_string(),
    ]);

    let access = one_access_through(&server, Source::FastPath).await;
    assert_eq!(access.seen_by, SeenBy::EventBridge);
    assert_eq!(&*access.event_id, record["eventID"].as_str().unwrap_or("?"));
    assert_eq!(&*access.secret, "TopSecretInfo");
    nothing_left(&server, &url);
}

#[tokio::test]
async fn without_the_queue_there_is_no_fast_path_and_no_failure() {
    let server = Ministack::start();
    let cloud = adapter(&server.endpoint())
        .await
        .with_queues(&ChainNames::default());
    let error = cloud
        .receive(Feed::FastPath, 10, Duration::from_secs(1))
        .await
        .expect_err("no queue");
    assert_eq!(error.kind, ErrorKind::Unsupported, "{error}");
    assert!(error.to_string().contains(QUEUE), "{error}");
}

/// `events --follow` runs the fast path beside LookupEvents: the recorded read is listed
/// from history, then a second read, which the test sends as EventBridge would before
/// history has it (the recorded record under a new event id), is printed as `eventbridge`.
#[test]
fn events_follow_prints_what_the_fast_path_delivers() {
    use std::io::{BufRead, BufReader};
    let server = Ministack::start();
    let record = a_real_read(&server);
    let url = json_of(&server.aws(&["sqs", "create-queue", "--queue-name", QUEUE]))["QueueUrl"]
        .as_str()
        .expect("a queue URL")
        .to_string();
    let mut child = server
        .command()
        .args(["events", "--follow", "--json", "--since", "10m"])
        .args(["--filter", "kind:read"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("secretwatch runs");
    let stdout = child.stdout.take().expect("stdout");
    // A bound on a hung run, not a timing assertion: the child is killed, the read ends.
    let pid = child.id();
    let (done, finished) = std::sync::mpsc::channel::<()>();
    std::thread::spawn(move || {
        if finished.recv_timeout(Duration::from_secs(120))
            == Err(std::sync::mpsc::RecvTimeoutError::Timeout)
        {
            let _ = std::process::Command::new("kill")
                .arg(pid.to_string())
                .status();
        }
    });
    let mut lines = BufReader::new(stdout).lines();
    let first: Value =
        serde_json::from_str(&lines.next().expect("a line").expect("text")).expect("JSON");
    assert_eq!(first["event_id"], record["eventID"], "{first}");
    assert_eq!(first["seen_by"], "lookup", "{first}");

    let mut second = record.clone();
    second["eventID"] = json!("0b9a2f8e-5e1d-4c0f-9a51-3f0c7d1e2a4b");
    let envelope = json!({
        "version": "0", "id": "c1f0c7e2-9b0d-4a77-8f3e-2d5b1a9e6c11",
        "detail-type": "AWS API Call via CloudTrail", "source": "aws.secretsmanager",
        "account": record["recipientAccountId"], "time": record["eventTime"],
        "region": "us-east-1", "resources": [], "detail": second,
    });
    server.aws(&[
        "sqs",
        "send-message",
        "--queue-url",
        &url,
        "--message-body",
        &envelope.to_string(),
    ]);
    let next: Value =
        serde_json::from_str(&lines.next().expect("a line").expect("text")).expect("JSON");
    let _ = child.kill();
    let _ = child.wait();
    drop(done);
    assert_eq!(next["event_id"], second["eventID"], "{next}");
    assert_eq!(next["seen_by"], "eventbridge", "{next}");
}
