//! `secretwatch setup` against ministack, through the built binary: the plan names
//! every resource, applying builds a chain the doctor finds whole, a second run
//! changes nothing, and drifted links are brought back by the same code.

mod common;

use common::ministack::{Ministack, finding, secretwatch, text};
use serde_json::Value;

const EMAIL: &str = "sec@example.com";

/// What setup may create or change, as the AWS CLI sees it. Alarm state is left out:
/// the server's evaluation moves it on its own; its configuration timestamp stays in,
/// so a PutMetricAlarm that should not have happened shows.
fn resources(server: &Ministack) -> Value {
    let json = |args: &[&str]| -> Value {
        let out = server.aws(args);
        serde_json::from_slice(&out.stdout).unwrap_or(Value::Null)
    };
    let mut alarms = json(&["cloudwatch", "describe-alarms"]);
    if let Some(list) = alarms["MetricAlarms"].as_array_mut() {
        for alarm in list {
            if let Some(a) = alarm.as_object_mut() {
                a.retain(|k, _| !k.starts_with("State"));
            }
        }
    }
    let mut secrets = json(&["secretsmanager", "list-secrets"]);
    if let Some(list) = secrets["SecretList"].as_array_mut() {
        for secret in list {
            if let Some(s) = secret.as_object_mut() {
                s.remove("LastAccessedDate");
            }
        }
    }
    let role = "secretwatch-cloudtrail-to-logs";
    let bucket = "secretwatch-trail-000000000000-us-east-1";
    serde_json::json!({
        "secrets": secrets,
        "buckets": json(&["s3api", "list-buckets"]),
        "bucket_policy": json(&["s3api", "get-bucket-policy", "--bucket", bucket]),
        "role": json(&["iam", "get-role", "--role-name", role]),
        "role_policy": json(&["iam", "get-role-policy", "--role-name", role, "--policy-name", role]),
        "log_groups": json(&["logs", "describe-log-groups"]),
        "filters": json(&["logs", "describe-metric-filters", "--log-group-name", "secretwatch/cloudtrail"]),
        "trails": json(&["cloudtrail", "describe-trails"]),
        "selectors": json(&["cloudtrail", "get-event-selectors", "--trail-name", "secretwatch-trail"]),
        "topics": json(&["sns", "list-topics"]),
        "subscriptions": json(&["sns", "list-subscriptions"]),
        "alarms": alarms,
        "rule": json(&["events", "describe-rule", "--name", "secretwatch-secret-reads"]),
        "targets": json(&["events", "list-targets-by-rule", "--rule", "secretwatch-secret-reads"]),
        "queue": queue_attributes(server),
    })
}

/// The fast path queue's ARN and policy, as the AWS CLI reads them.
fn queue_attributes(server: &Ministack) -> Value {
    let url = server.aws(&[
        "sqs",
        "get-queue-url",
        "--queue-name",
        "secretwatch-access-events",
    ]);
    let url: Value = serde_json::from_slice(&url.stdout).unwrap_or(Value::Null);
    let Some(url) = url["QueueUrl"].as_str() else {
        return Value::Null;
    };
    let out = server.aws(&[
        "sqs",
        "get-queue-attributes",
        "--queue-url",
        url,
        "--attribute-names",
        "QueueArn",
        "Policy",
    ]);
    serde_json::from_slice(&out.stdout).unwrap_or(Value::Null)
}

#[test]
fn setup_dry_run_on_an_empty_server_lists_every_resource_and_changes_nothing() {
    let server = Ministack::start();
    let out = server.run(&["setup", "--dry-run", "--email", EMAIL]);
    let plan = text(&out);
    assert!(out.status.success(), "{plan}");
    for resource in [
        "create secret TopSecretInfo",
        "S3 bucket secretwatch-trail-000000000000-us-east-1",
        "IAM role secretwatch-cloudtrail-to-logs",
        "log group secretwatch/cloudtrail",
        "trail secretwatch-trail",
        "metric filter SecretIsAccessed",
        "SNS topic SecurityAlarms",
        "subscribe sec@example.com",
        "alarm SecretIsAccessed-alarm: Sum",
        "create EventBridge rule secretwatch-secret-reads",
        "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS",
        "create SQS queue secretwatch-access-events",
        "send rule secretwatch-secret-reads's events to queue secretwatch-access-events",
    ] {
        assert!(plan.contains(resource), "{resource} missing:\n{plan}");
    }
    let secrets = server.aws(&["secretsmanager", "list-secrets"]);
    assert!(!String::from_utf8_lossy(&secrets.stdout).contains("TopSecretInfo"));
    let buckets = server.aws(&["s3api", "list-buckets"]);
    assert!(!String::from_utf8_lossy(&buckets.stdout).contains("secretwatch-trail"));
}

#[test]
fn setup_yes_builds_a_chain_the_doctor_finds_whole_and_a_second_run_changes_nothing() {
    let server = Ministack::start();
    let out = server.run(&["setup", "--yes", "--email", EMAIL]);
    let log = text(&out);
    assert!(out.status.success(), "{log}");
    assert_eq!(log.matches("] done: ").count(), 13, "{log}");

    let findings = server.doctor();
    for link in [
        "secret",
        "trail",
        "metric_filter",
        "alarm",
        "notify",
        "fast_path",
        "alarm_queue",
    ] {
        assert_eq!(finding(&findings, link)["state"], "ok", "{findings:#?}");
    }
    // ministack records no CloudWatch Logs delivery: unknown, and the doctor says why.
    let delivery = finding(&findings, "delivery");
    assert_eq!(delivery["state"], "unknown", "{delivery:#}");
    assert!(
        delivery["evidence"]
            .as_str()
            .is_some_and(|e| e.contains("LatestCloudWatchLogsDeliveryTime")),
        "{delivery:#}"
    );
    assert_eq!(findings.len(), 8, "{findings:#?}");

    // The resources are what the plan said, with the policies CloudTrail needs.
    let before = resources(&server);
    let trail = &before["trails"]["trailList"][0];
    assert_eq!(
        trail["CloudWatchLogsLogGroupArn"],
        "arn:aws:logs:us-east-1:000000000000:log-group:secretwatch/cloudtrail:*"
    );
    assert!(
        trail["CloudWatchLogsRoleArn"]
            .as_str()
            .is_some_and(|a| a.ends_with(":role/secretwatch-cloudtrail-to-logs"))
    );
    let policy = before["bucket_policy"]["Policy"].as_str().expect("policy");
    assert!(policy.contains("cloudtrail.amazonaws.com"), "{policy}");
    assert_eq!(before["log_groups"]["logGroups"][0]["retentionInDays"], 90);
    let alarm = &before["alarms"]["MetricAlarms"][0];
    assert_eq!(alarm["Statistic"], "Sum");
    assert_eq!(alarm["ActionsEnabled"], true);
    // The fast path: the one state that receives reads, the queue as the only target, and
    // a queue policy that lets that rule, and only it, send.
    assert_eq!(
        before["rule"]["State"],
        "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"
    );
    let queue_arn = before["queue"]["Attributes"]["QueueArn"]
        .as_str()
        .expect("queue");
    assert_eq!(before["targets"]["Targets"][0]["Arn"], queue_arn);
    let policy: Value = serde_json::from_str(
        before["queue"]["Attributes"]["Policy"]
            .as_str()
            .expect("policy"),
    )
    .expect("JSON");
    let statement = &policy["Statement"][0];
    assert_eq!(statement["Principal"]["Service"], "events.amazonaws.com");
    assert_eq!(
        statement["Condition"]["ArnEquals"]["aws:SourceArn"],
        before["rule"]["Arn"]
    );

    let again = server.run(&["setup", "--yes", "--email", EMAIL]);
    let log = text(&again);
    assert!(again.status.success(), "{log}");
    assert!(log.contains("nothing to do"), "{log}");
    assert_eq!(resources(&server), before);
    whether_messages_arrive_is_read_from_cloudwatch(&server);
}

/// Whether messages actually arrive: ministack counts nothing for SQS or EventBridge, so
/// the doctor first says delivery is not proven; the test then puts the counts AWS would
/// keep (PutMetricData with the AWS CLI) and the doctor reads them back.
fn whether_messages_arrive_is_read_from_cloudwatch(server: &Ministack) {
    let summary = |f: &Value| f["summary"].as_str().unwrap_or_default().to_string();
    let unproven = server.doctor();
    let fast_path = finding(&unproven, "fast_path");
    assert_eq!(fast_path["state"], "ok", "{fast_path:#}");
    assert!(
        summary(fast_path).contains("not proven yet"),
        "{fast_path:#}"
    );
    let put = |namespace: &str, metric: &str, dimension: &str, value: &str| {
        let out = server.aws(&[
            "cloudwatch",
            "put-metric-data",
            "--namespace",
            namespace,
            "--metric-name",
            metric,
            "--dimensions",
            dimension,
            "--value",
            value,
        ]);
        assert!(out.status.success(), "{}", text(&out));
    };
    put(
        "AWS/SQS",
        "NumberOfMessagesSent",
        "QueueName=secretwatch-access-events",
        "3",
    );
    let arrived = server.doctor();
    let fast_path = finding(&arrived, "fast_path");
    assert_eq!(fast_path["state"], "ok", "{fast_path:#}");
    assert!(
        summary(fast_path).ends_with("3 message(s) arrived in the last 24 h"),
        "{fast_path:#}"
    );
    // Deliveries failing though the policy lets the rule in (a queue encrypted with a key
    // EventBridge may not use): the rule's FailedInvocations break the fast path.
    put(
        "AWS/Events",
        "FailedInvocations",
        "RuleName=secretwatch-secret-reads",
        "2",
    );
    let failing = server.doctor();
    let fast_path = finding(&failing, "fast_path");
    assert_eq!(fast_path["state"], "broken", "{fast_path:#}");
    assert!(
        summary(fast_path).starts_with("2 deliveries to queue secretwatch-access-events failed"),
        "{fast_path:#}"
    );
    assert!(
        fast_path["fix"]
            .as_str()
            .is_some_and(|f| f.contains("aws/sqs")),
        "{fast_path:#}"
    );
}

#[test]
fn setup_brings_drifted_links_back_the_average_trap_and_a_trail_without_logs() {
    let server = Ministack::start();
    let topic = server.topic_with_subscriber("SecurityAlarms", EMAIL);
    server.put_alarm("Average", "300", Some(&topic));
    server.trail_without_logs();

    let findings = server.doctor();
    assert_eq!(finding(&findings, "alarm")["state"], "broken");
    assert!(
        finding(&findings, "alarm")["summary"]
            .as_str()
            .is_some_and(|s| s.contains("Average")),
        "{findings:#?}"
    );
    assert_eq!(finding(&findings, "delivery")["state"], "broken");

    let out = server.run(&["setup", "--yes"]);
    assert!(out.status.success(), "{}", text(&out));
    let findings = server.doctor();
    for link in [
        "secret",
        "trail",
        "metric_filter",
        "alarm",
        "notify",
        "fast_path",
    ] {
        assert_eq!(finding(&findings, link)["state"], "ok", "{findings:#?}");
    }
    assert_eq!(finding(&findings, "delivery")["state"], "unknown");
    // The trail was ours by name: it keeps its bucket, and no other bucket is made.
    let trails = server.aws(&["cloudtrail", "describe-trails"]);
    let trails: Value = serde_json::from_slice(&trails.stdout).expect("JSON");
    assert_eq!(
        trails["trailList"][0]["S3BucketName"],
        "existing-trail-bucket"
    );
    let buckets = server.aws(&["s3api", "list-buckets"]);
    assert!(!String::from_utf8_lossy(&buckets.stdout).contains("secretwatch-trail-"));
    let alarms = server.aws(&["cloudwatch", "describe-alarms"]);
    let alarms: Value = serde_json::from_slice(&alarms.stdout).expect("JSON");
    assert_eq!(alarms["MetricAlarms"][0]["Statistic"], "Sum");
    assert_eq!(alarms["MetricAlarms"][0]["AlarmActions"][0], topic);
}

/// The classic mistake, made with the AWS CLI: the rule ENABLED (it never receives
/// GetSecretValue), and a queue whose policy has someone's statement but none for the rule.
/// The doctor names both; setup changes the state and adds its statement, keeping theirs.
#[test]
fn the_fast_path_rule_left_enabled_is_named_and_fixed_keeping_the_queues_other_statements() {
    let server = Ministack::start();
    let pattern =
        r#"{"source":["aws.secretsmanager"],"detail-type":["AWS API Call via CloudTrail"]}"#;
    let rule = server.aws(&[
        "events",
        "put-rule",
        "--name",
        "secretwatch-secret-reads",
        "--event-pattern",
        pattern,
        "--state",
        "ENABLED",
    ]);
    assert!(rule.status.success(), "{}", text(&rule));
    let queue = server.aws(&[
        "sqs",
        "create-queue",
        "--queue-name",
        "secretwatch-access-events",
    ]);
    assert!(queue.status.success(), "{}", text(&queue));
    let arn = "arn:aws:sqs:us-east-1:000000000000:secretwatch-access-events";
    let theirs = serde_json::json!({
        "Sid": "Audit", "Effect": "Allow",
        "Principal": { "AWS": "arn:aws:iam::000000000000:root" },
        "Action": "sqs:GetQueueAttributes", "Resource": arn
    });
    let policy = serde_json::json!({ "Version": "2012-10-17", "Statement": [theirs.clone()] });
    let attributes = serde_json::json!({ "Policy": policy.to_string() }).to_string();
    let url: Value = serde_json::from_slice(&queue.stdout).expect("JSON");
    let url = url["QueueUrl"].as_str().expect("url");
    let set = server.aws(&[
        "sqs",
        "set-queue-attributes",
        "--queue-url",
        url,
        "--attributes",
        &attributes,
    ]);
    assert!(set.status.success(), "{}", text(&set));

    let findings = server.doctor();
    let fast_path = finding(&findings, "fast_path");
    assert_eq!(fast_path["state"], "broken", "{fast_path:#}");
    assert!(
        fast_path["summary"]
            .as_str()
            .is_some_and(|s| s.contains("is ENABLED")),
        "{fast_path:#}"
    );

    let plan = server.run(&["setup", "--dry-run"]);
    let plan = text(&plan);
    assert!(
        plan.contains("state ENABLED -> ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"),
        "{plan}"
    );
    assert!(
        plan.contains("update SQS queue secretwatch-access-events"),
        "{plan}"
    );
    assert!(plan.contains("its other statements kept"), "{plan}");

    let out = server.run(&["setup", "--yes"]);
    assert!(out.status.success(), "{}", text(&out));
    let findings = server.doctor();
    assert_eq!(
        finding(&findings, "fast_path")["state"],
        "ok",
        "{findings:#?}"
    );
    let after = queue_attributes(&server);
    let policy: Value =
        serde_json::from_str(after["Attributes"]["Policy"].as_str().expect("policy"))
            .expect("JSON");
    assert_eq!(policy["Statement"][0], theirs, "theirs kept first");
    assert_eq!(policy["Statement"][1]["Sid"], "SecretwatchFastPathRule");
}

#[test]
fn read_only_setup_shows_the_plan_and_changes_nothing() {
    let server = Ministack::start();
    let out = server.run(&["--read-only", "setup", "--yes"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("--read-only"), "{}", text(&out));
    let buckets = server.aws(&["s3api", "list-buckets"]);
    assert!(!String::from_utf8_lossy(&buckets.stdout).contains("secretwatch-trail"));
}

#[test]
fn a_bad_email_is_refused_naming_the_flag() {
    let out = secretwatch(false)
        .args([
            "--demo",
            "setup",
            "--dry-run",
            "--email",
            "sec@example.com,all@example.com",
        ])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("--email") && stderr.contains("one email address"),
        "{stderr}"
    );
}
