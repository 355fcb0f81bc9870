//! The event sources beside LookupEvents, against ministack.
//!
//! The fast path: ministack has SQS but never sends CloudTrail events to
//! EventBridge, so the test feeds what EventBridge would: an "AWS API Call via CloudTrail"
//! envelope around the very record ministack's LookupEvents recorded for a real
//! GetSecretValue made by the AWS CLI, sent to the queue with the AWS CLI. What it observes:
//! the adapter's long poll (GetQueueUrl, ReceiveMessage), the engine's eventbridge source
//! (the access shown with `seen_by: eventbridge` and the event id LookupEvents gives it),
//! and the message deleted (DeleteMessageBatch). Without the queue there is no fast path,
//! which is no failure.
//!
//! The trail's log files: ministack's trails write no log files, so the test writes what
//! CloudTrail would, a gzipped file in CloudTrail's format holding that same recorded
//! record, put in a bucket with the AWS CLI. What it observes: the bucket's S3 event
//! notification reaching the queue (ministack's S3 → SQS, for real), the adapter's long poll
//! and GetObject, the engine's trail-files source (the access shown once as `trail-file`
//! with LookupEvents' event id), and the message deleted.

mod common;

use common::ministack::{Ministack, adapter};
use secretwatch::access::trail_notification::log_files;
use secretwatch::access::{AccessEvent, SeenBy};
use secretwatch::clock::Clock;
use secretwatch::cloud::names::ChainNames;
use secretwatch::cloud::types::Feed;
use secretwatch::cloud::{Cloud, ErrorKind};
use secretwatch::engine::{Attempt, Engine, EngineConfig, Source, Update};
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Duration;

const QUEUE: &str = "secretwatch-access-events";
const TRAIL_FILES: &str = "secretwatch-trail-files";

fn json_of(out: &std::process::Output) -> Value {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("the AWS CLI's JSON")
}

/// The record ministack's event history holds for the one GetSecretValue made.
fn recorded_read(server: &Ministack) -> Value {
    let out = json_of(&server.aws(&[
        "cloudtrail",
        "lookup-events",
        "--lookup-attributes",
        "AttributeKey=EventName,AttributeValue=GetSecretValue",
    ]));
    let events = out["Events"].as_array().expect("Events");
    assert_eq!(events.len(), 1, "{out}");
    serde_json::from_str(events[0]["CloudTrailEvent"].as_str().expect("a record"))
        .expect("the record is JSON")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_read_sent_through_the_queue_is_shown_once_as_eventbridge_and_deleted() {
    let server = Ministack::start();
    server.create_secret("TopSecretInfo", "the value");
    let url = json_of(&server.aws(&["sqs", "create-queue", "--queue-name", QUEUE]))["QueueUrl"]
        .as_str()
        .expect("a queue URL")
        .to_string();
    server.aws(&[
        "secretsmanager",
        "get-secret-value",
        "--secret-id",
        "TopSecretInfo",
    ]);
    let record = recorded_read(&server);
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

/// Runs the engine with `source` alone until it shows an access and its fetch that did
/// (and deleted the message) ends well.
async fn one_access_through(server: &Ministack, source: Source) -> AccessEvent {
    let cloud = Arc::new(
        adapter(&server.endpoint())
            .await
            .with_queues(&ChainNames::default()),
    );
    let mut config = EngineConfig::demo(&ChainNames::default(), 1);
    config.sources = vec![source];
    config.fast_path_wait = Duration::from_secs(1);
    let mut engine = Engine::start(cloud, Clock::system(), config);
    // A bound on waiting for the access, not a timing assertion.
    let access = tokio::time::timeout(Duration::from_secs(60), async {
        loop {
            match engine.updates.recv().await {
                Some(Update::Accesses(mut events)) => break events.remove(0),
                Some(Update::Unreadable { why, .. }) => panic!("unreadable: {why}"),
                Some(_) => {}
                None => panic!("the engine stopped"),
            }
        }
    })
    .await
    .expect("the access arrives through the queue");
    // The fetch that sent it deletes the message, then reports its poll.
    tokio::time::timeout(Duration::from_secs(60), async {
        loop {
            match engine.updates.recv().await {
                Some(Update::Polled {
                    source: polled,
                    attempt,
                    ..
                }) if polled == source => break assert_eq!(attempt, Attempt::Ok),
                Some(_) => {}
                None => panic!("the engine stopped"),
            }
        }
    })
    .await
    .expect("the source's poll ends");
    access
}

/// Puts an object in a bucket with the AWS CLI, as a trail (or anyone) could.
fn put_object(server: &Ministack, bucket: &str, key: &str, bytes: &[u8]) {
    let name = key.rsplit('/').next().unwrap_or("object");
    let path = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::write(&path, bytes).expect("write the file");
    let body = path.to_string_lossy();
    let args = [
        "s3api",
        "put-object",
        "--bucket",
        bucket,
        "--key",
        key,
        "--body",
        &body,
    ];
    server.aws(&args);
}

/// Deleted: nothing is left to receive, now or after the visibility timeout would have
/// brought an undeleted message back.
fn nothing_left(server: &Ministack, url: &str) {
    let left = json_of(&server.aws(&[
        "sqs",
        "get-queue-attributes",
        "--queue-url",
        url,
        "--attribute-names",
        "ApproximateNumberOfMessages",
        "ApproximateNumberOfMessagesNotVisible",
    ]));
    assert_eq!(
        left["Attributes"]["ApproximateNumberOfMessages"], "0",
        "{left}"
    );
    assert_eq!(
        left["Attributes"]["ApproximateNumberOfMessagesNotVisible"], "0",
        "{left}"
    );
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_log_file_announced_by_the_buckets_s3_event_is_read_once_as_trail_file_and_deleted() {
    let server = Ministack::start();
    server.create_secret("TopSecretInfo", "the value");
    server.aws(&[
        "secretsmanager",
        "get-secret-value",
        "--secret-id",
        "TopSecretInfo",
    ]);
    let record = recorded_read(&server);

    let queue = json_of(&server.aws(&["sqs", "create-queue", "--queue-name", TRAIL_FILES]));
    let url = queue["QueueUrl"].as_str().expect("a queue URL").to_string();
    let arn = format!("arn:aws:sqs:us-east-1:000000000000:{TRAIL_FILES}");
    let bucket = "org-trail-logs";
    // The policy that lets the bucket send, as S3 needs on AWS.
    let policy = json!({ "Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": { "Service": "s3.amazonaws.com" },
        "Action": "sqs:SendMessage", "Resource": arn,
        "Condition": { "ArnLike": { "aws:SourceArn": format!("arn:aws:s3:::{bucket}") } }
    }]});
    let attributes = json!({ "Policy": policy.to_string() }).to_string();
    let set = server.aws(&[
        "sqs",
        "set-queue-attributes",
        "--queue-url",
        &url,
        "--attributes",
        &attributes,
    ]);
    assert!(
        set.status.success(),
        "{}",
        String::from_utf8_lossy(&set.stderr)
    );
    json_of(&server.aws(&["s3api", "create-bucket", "--bucket", bucket]));
    let notifications = json!({ "QueueConfigurations": [{
        "QueueArn": arn, "Events": ["s3:ObjectCreated:*"],
        "Filter": { "Key": { "FilterRules": [{ "Name": "prefix", "Value": "AWSLogs/" }] } }
    }]});
    let set = server.aws(&[
        "s3api",
        "put-bucket-notification-configuration",
        "--bucket",
        bucket,
        "--notification-configuration",
        &notifications.to_string(),
    ]);
    assert!(
        set.status.success(),
        "{}",
        String::from_utf8_lossy(&set.stderr)
    );

    // The file CloudTrail would write: gzipped {"Records": [...]}, the read among two
    // records that are no read.
    let other = json!({ "eventID": "e-1", "eventName": "DescribeInstances",
        "eventSource": "ec2.amazonaws.com", "eventTime": record["eventTime"] });
    let log = json!({ "Records": [other, record, other] }).to_string();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut gz, log.as_bytes()).expect("gzip");
    let key = "AWSLogs/000000000000/CloudTrail/us-east-1/2026/12/02/000000000000_CloudTrail_us-east-1_20261202T1000Z_sw.json.gz";
    put_object(&server, bucket, key, &gz.finish().expect("gzip"));

    let access = one_access_through(&server, Source::TrailFiles).await;
    assert_eq!(access.seen_by, SeenBy::TrailFile);
    assert_eq!(&*access.event_id, record["eventID"].as_str().unwrap_or("?"));
    assert_eq!(&*access.secret, "TopSecretInfo");
    nothing_left(&server, &url);
}

/// With `[sources] trail_files = true`, setup has the trail's bucket tell a queue of
/// secretwatch's of each log file, keeping the bucket's other notifications; the doctor
/// finds it in order; and a file put where the trail writes is announced on the queue by
/// ministack's own S3 → SQS notification.
#[test]
fn setup_has_the_trail_bucket_announce_each_file_on_the_queue_keeping_its_other_notifications() {
    let server = Ministack::start();
    let bucket = "secretwatch-trail-000000000000-us-east-1";
    // The bucket exists with someone's notification, for another prefix.
    server.aws(&["s3api", "create-bucket", "--bucket", bucket]);
    let theirs = json_of(&server.aws(&["sqs", "create-queue", "--queue-name", "exports"]));
    let theirs_arn = "arn:aws:sqs:us-east-1:000000000000:exports";
    assert!(theirs["QueueUrl"].is_string());
    let notifications = json!({ "QueueConfigurations": [{
        "Id": "exports", "QueueArn": theirs_arn, "Events": ["s3:ObjectCreated:*"],
        "Filter": { "Key": { "FilterRules": [{ "Name": "prefix", "Value": "exports/" }] } }
    }]});
    server.aws(&[
        "s3api",
        "put-bucket-notification-configuration",
        "--bucket",
        bucket,
        "--notification-configuration",
        &notifications.to_string(),
    ]);
    let config = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("trail-files.toml");
    std::fs::write(&config, "[sources]\ntrail_files = true\n").expect("config");
    let config = config.to_string_lossy().to_string();

    let out = server.run(&[
        "--config",
        &config,
        "setup",
        "--yes",
        "--email",
        "sec@example.com",
    ]);
    let log = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "{log}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        log.contains("tell queue secretwatch-trail-files of each log file"),
        "{log}"
    );
    let report: Value = serde_json::from_slice(
        &server
            .run(&["--config", &config, "doctor", "--json"])
            .stdout,
    )
    .expect("the doctor's JSON");
    let files = report["findings"]
        .as_array()
        .and_then(|f| f.iter().find(|f| f["link"] == "trail_files"))
        .cloned()
        .expect("a trail files finding");
    assert_eq!(files["state"], "ok", "{files:#}");
    let now = json_of(&server.aws(&[
        "s3api",
        "get-bucket-notification-configuration",
        "--bucket",
        bucket,
    ]));
    let queues: Vec<&str> = now["QueueConfigurations"]
        .as_array()
        .map(|q| q.iter().filter_map(|c| c["QueueArn"].as_str()).collect())
        .unwrap_or_default();
    assert!(queues.contains(&theirs_arn), "theirs kept: {now}");
    assert!(queues.iter().any(|q| q.ends_with(TRAIL_FILES)), "{now}");

    let key = "AWSLogs/000000000000/CloudTrail/us-east-1/2026/12/02/000000000000_CloudTrail_us-east-1_20261202T1005Z_x.json.gz";
    put_object(&server, bucket, key, b"");
    let url = json_of(&server.aws(&["sqs", "get-queue-url", "--queue-name", TRAIL_FILES]));
    let url = url["QueueUrl"].as_str().expect("url").to_string();
    // S3's test event (sent when the notification was set) names no file; the file's does.
    let mut named = Vec::new();
    for _ in 0..3 {
        let got = json_of(&server.aws(&[
            "sqs",
            "receive-message",
            "--queue-url",
            &url,
            "--max-number-of-messages",
            "10",
            "--wait-time-seconds",
            "2",
        ]));
        for message in got["Messages"].as_array().into_iter().flatten() {
            let body = message["Body"].as_str().unwrap_or_default();
            let files = log_files(body).unwrap_or_else(|e| panic!("{e}: {body}"));
            named.extend(files.into_iter().map(|f| f.key));
        }
        if !named.is_empty() {
            break;
        }
    }
    assert_eq!(named, vec![key.to_string()]);
}
