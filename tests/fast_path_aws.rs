//! The fast path against ministack. ministack has SQS but never sends CloudTrail events to
//! EventBridge, so the test feeds what EventBridge would: an "AWS API Call via CloudTrail"
//! envelope around the very record ministack's LookupEvents recorded for a real
//! GetSecretValue made by the AWS CLI, sent to the queue with the AWS CLI. What it observes:
//! the adapter's long poll (GetQueueUrl, ReceiveMessage), the engine's eventbridge source
//! (the access shown with `seen_by: eventbridge` and the event id LookupEvents gives it),
//! and the message deleted (DeleteMessageBatch). Without the queue there is no fast path,
//! which is no failure.

mod common;

use common::ministack::{Ministack, adapter};
use secretwatch::access::SeenBy;
use secretwatch::clock::Clock;
use secretwatch::cloud::names::ChainNames;
use secretwatch::cloud::{Cloud, ErrorKind};
use secretwatch::engine::{Attempt, Engine, EngineConfig, Source, Update};
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Duration;

const QUEUE: &str = "secretwatch-access-events";

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

    let cloud = Arc::new(
        adapter(&server.endpoint())
            .await
            .with_fast_path_queue(QUEUE),
    );
    let mut config = EngineConfig::demo(&ChainNames::default(), 1);
    config.sources = vec![Source::FastPath];
    config.fast_path_wait = Duration::from_secs(1);
    let mut engine = Engine::start(cloud.clone(), Clock::system(), config);
    // A bound on waiting for the access, not a timing assertion.
    let access = tokio::time::timeout(Duration::from_secs(60), async {
        loop {
            match engine.updates.recv().await {
                Some(Update::Accesses(mut events)) => break events.remove(0),
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
                    source: Source::FastPath,
                    attempt,
                    ..
                }) => break assert_eq!(attempt, Attempt::Ok),
                Some(_) => {}
                None => panic!("the engine stopped"),
            }
        }
    })
    .await
    .expect("the fast path's poll ends");
    assert_eq!(access.seen_by, SeenBy::EventBridge);
    assert_eq!(&*access.event_id, record["eventID"].as_str().unwrap_or("?"));
    assert_eq!(&*access.secret, "TopSecretInfo");
    drop(engine);

    // Deleted: nothing is left to receive, now or after the visibility timeout would have
    // brought an undeleted message back.
    let left = json_of(&server.aws(&[
        "sqs",
        "get-queue-attributes",
        "--queue-url",
        &url,
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
        .with_fast_path_queue(QUEUE);
    let error = cloud
        .receive_fast_path(10, Duration::from_secs(1))
        .await
        .expect_err("no queue");
    assert_eq!(error.kind, ErrorKind::Unsupported, "{error}");
    assert!(error.to_string().contains(QUEUE), "{error}");
}
