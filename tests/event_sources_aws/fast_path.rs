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
