//! The trail's log files: announced by the bucket's real S3 events, set up by setup, and
//! backfilled from the bucket.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_log_file_announced_by_the_buckets_s3_event_is_read_once_as_trail_file_and_deleted() {
    let server = Ministack::start();
    let record = a_real_read(&server);

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
    let key = "AWSLogs/000000000000/CloudTrail/us-east-1/2026/12/02/000000000000_CloudTrail_us-east-1_20261202T1000Z_sw.json.gz";
    put_object(
        &server,
        bucket,
        key,
        &log_file_of(&[&other, &record, &other]),
    );

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

/// Backfill: with no queue at all, the trail-file source reads the window's files from the
/// trail's bucket by their date prefix, under the trail's key prefix (ListObjectsV2,
/// GetObject), and shows the read as `trail-file`. ministack's trail writes no file: the test puts the one CloudTrail would.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn backfill_reads_the_windows_log_file_from_the_trails_bucket() {
    let server = Ministack::start();
    let record = a_real_read(&server);
    let bucket = "trail-logs";
    server.aws(&["s3api", "create-bucket", "--bucket", bucket]);
    server.aws(&[
        "cloudtrail",
        "create-trail",
        "--name",
        "secretwatch-trail",
        "--s3-bucket-name",
        bucket,
        "--s3-key-prefix",
        "audit",
    ]);
    let now = chrono::Utc::now();
    let key = format!(
        "audit/AWSLogs/000000000000/CloudTrail/us-east-1/{}/000000000000_CloudTrail_us-east-1_{}_bf.json.gz",
        now.format("%Y/%m/%d"),
        now.format("%Y%m%dT%H%MZ")
    );
    put_object(&server, bucket, &key, &log_file_of(&[&record]));

    // No queue: what shows comes from the bucket.
    let mut engine = engine_on(&server, Source::TrailFiles).await;
    let access = first_access(&mut engine).await;
    assert_eq!(access.seen_by, SeenBy::TrailFile);
    assert_eq!(&*access.event_id, record["eventID"].as_str().unwrap_or("?"));
}
