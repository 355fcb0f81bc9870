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

#[path = "../common/mod.rs"]
mod common;
mod fast_path;
mod trail_files;

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

/// A real GetSecretValue of a new secret, made by the AWS CLI, and the record ministack's
/// event history holds for it.
fn a_real_read(server: &Ministack) -> Value {
    server.create_secret("TopSecretInfo", "the value");
    server.aws(&[
        "secretsmanager",
        "get-secret-value",
        "--secret-id",
        "TopSecretInfo",
    ]);
    recorded_read(server)
}

/// `records` as a CloudTrail log file holds them: gzipped `{"Records": [...]}`.
fn log_file_of(records: &[&Value]) -> Vec<u8> {
    let log = json!({ "Records": records }).to_string();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut gz, log.as_bytes()).expect("gzip");
    gz.finish().expect("gzip")
}

/// The engine on the server with `source` alone.
async fn engine_on(server: &Ministack, source: Source) -> Engine {
    let cloud = Arc::new(
        adapter(&server.endpoint())
            .await
            .with_queues(&ChainNames::default()),
    );
    let mut config = EngineConfig::demo(&ChainNames::default(), 1);
    config.sources = vec![source];
    config.fast_path_wait = Duration::from_secs(1);
    Engine::start(cloud, Clock::system(), config)
}

/// The first access the engine shows; an unreadable message or file fails the test.
async fn first_access(engine: &mut Engine) -> AccessEvent {
    // A bound on waiting for the access, not a timing assertion.
    tokio::time::timeout(Duration::from_secs(60), async {
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
    .expect("the access arrives")
}

/// Runs the engine with `source` alone until it shows an access and its fetch that did
/// (and deleted the message) ends well.
async fn one_access_through(server: &Ministack, source: Source) -> AccessEvent {
    let mut engine = engine_on(server, source).await;
    let access = first_access(&mut engine).await;
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
