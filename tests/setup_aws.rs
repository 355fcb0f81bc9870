//! `secretwatch setup` against ministack, through the built binary: the plan names
//! every resource, applying builds a chain the doctor finds whole, a second run
//! changes nothing, and drifted links are brought back by the same code.

mod common;

use common::ministack::{Ministack, secretwatch};
use serde_json::Value;
use std::process::Output;

const EMAIL: &str = "sec@example.com";

fn text(out: &Output) -> String {
    format!(
        "exit {:?}\n{}{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn doctor(server: &Ministack) -> Vec<Value> {
    let out = server.run(&["doctor", "--json"]);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}", text(&out));
    });
    report["findings"].as_array().cloned().expect("findings")
}

fn finding<'a>(findings: &'a [Value], link: &str) -> &'a Value {
    findings
        .iter()
        .find(|f| f["link"] == link)
        .unwrap_or_else(|| panic!("no {link} finding in {findings:?}"))
}

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
    })
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
    assert_eq!(log.matches("] done: ").count(), 9, "{log}");

    let findings = doctor(&server);
    for link in ["secret", "trail", "metric_filter", "alarm", "notify"] {
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
    assert_eq!(findings.len(), 6, "{findings:#?}");

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

    let again = server.run(&["setup", "--yes", "--email", EMAIL]);
    let log = text(&again);
    assert!(again.status.success(), "{log}");
    assert!(log.contains("nothing to do"), "{log}");
    assert_eq!(resources(&server), before);
}

#[test]
fn setup_brings_drifted_links_back_the_average_trap_and_a_trail_without_logs() {
    let server = Ministack::start();
    let topic = server.topic_with_subscriber("SecurityAlarms", EMAIL);
    server.put_alarm("Average", "300", Some(&topic));
    server.aws(&[
        "s3api",
        "create-bucket",
        "--bucket",
        "existing-trail-bucket",
    ]);
    server.aws(&[
        "cloudtrail",
        "create-trail",
        "--name",
        "secretwatch-trail",
        "--s3-bucket-name",
        "existing-trail-bucket",
    ]);
    server.aws(&["cloudtrail", "start-logging", "--name", "secretwatch-trail"]);

    let findings = doctor(&server);
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
    let findings = doctor(&server);
    for link in ["secret", "trail", "metric_filter", "alarm", "notify"] {
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

/// The case: an alarm on Average that pages on-call. Setup fixes the
/// statistic and nothing else: the pager stays an action (alarm, OK and
/// insufficient-data), and so do the description, periods, datapoints, missing-data
/// treatment, tags and the pager's subscription; the plan says exactly that.
#[test]
fn fixing_the_average_trap_keeps_the_pager_and_every_other_setting() {
    let server = Ministack::start();
    let pager = server.topic_with_subscriber("oncall-pager", "pager@example.com");
    server.aws(&[
        "cloudwatch",
        "put-metric-alarm",
        "--alarm-name",
        "SecretIsAccessed-alarm",
        "--alarm-description",
        "pages on-call",
        "--namespace",
        "SecurityMetrics",
        "--metric-name",
        "SecretIsAccessed",
        "--statistic",
        "Average",
        "--period",
        "120",
        "--threshold",
        "1",
        "--comparison-operator",
        "GreaterThanOrEqualToThreshold",
        "--evaluation-periods",
        "3",
        "--datapoints-to-alarm",
        "2",
        "--treat-missing-data",
        "breaching",
        "--alarm-actions",
        &pager,
        "--ok-actions",
        &pager,
        "--insufficient-data-actions",
        &pager,
        "--tags",
        "Key=team,Value=security",
    ]);
    let describe = || -> Value {
        let out = server.aws(&["cloudwatch", "describe-alarms"]);
        let all: Value = serde_json::from_slice(&out.stdout).expect("JSON");
        all["MetricAlarms"][0].clone()
    };
    let before = describe();

    let dry = server.run(&["setup", "--dry-run"]);
    let plan = text(&dry);
    assert!(dry.status.success(), "{plan}");
    assert!(
        plan.contains(
            "update alarm SecretIsAccessed-alarm: statistic Average -> Sum; \
             actions kept: oncall-pager, + SecurityAlarms; every other setting kept"
        ),
        "{plan}"
    );
    assert!(plan.contains("create SNS topic SecurityAlarms"), "{plan}");

    let out = server.run(&["setup", "--yes"]);
    let log = text(&out);
    assert!(out.status.success(), "{log}");
    assert!(
        log.contains("done: update alarm SecretIsAccessed-alarm"),
        "{log}"
    );

    let after = describe();
    assert_eq!(after["Statistic"], "Sum", "{after:#}");
    let security = pager.replace("oncall-pager", "SecurityAlarms");
    assert_eq!(after["AlarmActions"], serde_json::json!([pager, security]));
    for kept in [
        "AlarmDescription",
        "OKActions",
        "InsufficientDataActions",
        "Period",
        "EvaluationPeriods",
        "DatapointsToAlarm",
        "TreatMissingData",
        "Threshold",
        "ComparisonOperator",
        "ActionsEnabled",
    ] {
        assert_eq!(after[kept], before[kept], "{kept} changed: {after:#}");
    }
    let tags = server.aws(&[
        "cloudwatch",
        "list-tags-for-resource",
        "--resource-arn",
        after["AlarmArn"].as_str().expect("alarm ARN"),
    ]);
    let tags: Value = serde_json::from_slice(&tags.stdout).expect("JSON");
    assert_eq!(
        tags["Tags"],
        serde_json::json!([{"Key": "team", "Value": "security"}])
    );
    let subs = server.aws(&["sns", "list-subscriptions-by-topic", "--topic-arn", &pager]);
    assert!(
        String::from_utf8_lossy(&subs.stdout).contains("pager@example.com"),
        "the pager lost its subscriber"
    );
}

/// A trail of ours that delivers to its log group but stopped logging and records
/// only writes, beside a data-event selector: setup turns logging on and adds reads,
/// says "update" (no role, no log group created), and keeps the data selector and
/// the delivery as they were.
#[test]
fn a_stopped_write_only_trail_is_updated_in_place_keeping_its_other_selectors() {
    let server = Ministack::start();
    server.aws(&[
        "s3api",
        "create-bucket",
        "--bucket",
        "existing-trail-bucket",
    ]);
    server.aws(&[
        "logs",
        "create-log-group",
        "--log-group-name",
        "secretwatch/cloudtrail",
    ]);
    let group = "arn:aws:logs:us-east-1:000000000000:log-group:secretwatch/cloudtrail:*";
    let role = "arn:aws:iam::000000000000:role/their-own-delivery-role";
    server.aws(&[
        "cloudtrail",
        "create-trail",
        "--name",
        "secretwatch-trail",
        "--s3-bucket-name",
        "existing-trail-bucket",
        "--cloud-watch-logs-log-group-arn",
        group,
        "--cloud-watch-logs-role-arn",
        role,
    ]);
    // ministack drops the log group on CreateTrail; UpdateTrail keeps it.
    server.aws(&[
        "cloudtrail",
        "update-trail",
        "--name",
        "secretwatch-trail",
        "--cloud-watch-logs-log-group-arn",
        group,
        "--cloud-watch-logs-role-arn",
        role,
    ]);
    let data = serde_json::json!({
        "ReadWriteType": "All",
        "IncludeManagementEvents": false,
        "DataResources": [{"Type": "AWS::S3::Object", "Values": ["arn:aws:s3:::audit-bucket/"]}],
    });
    let selectors = serde_json::json!([
        {"ReadWriteType": "WriteOnly", "IncludeManagementEvents": true},
        data,
    ])
    .to_string();
    server.aws(&[
        "cloudtrail",
        "put-event-selectors",
        "--trail-name",
        "secretwatch-trail",
        "--event-selectors",
        &selectors,
    ]);
    server.aws(&["cloudtrail", "stop-logging", "--name", "secretwatch-trail"]);

    let dry = server.run(&["setup", "--dry-run"]);
    let plan = text(&dry);
    assert!(dry.status.success(), "{plan}");
    assert!(
        plan.contains(
            "update trail secretwatch-trail: logging off -> on; management events write only \
             -> management events read and write (its other selectors kept)"
        ),
        "{plan}"
    );
    assert!(
        plan.contains("keep log group secretwatch/cloudtrail"),
        "{plan}"
    );
    assert!(!plan.contains("IAM role"), "{plan}");
    assert!(!plan.contains("create log group"), "{plan}");

    let out = server.run(&["setup", "--yes"]);
    let log = text(&out);
    assert!(out.status.success(), "{log}");
    assert!(
        log.contains("done: update trail secretwatch-trail"),
        "{log}"
    );

    let trails = server.aws(&["cloudtrail", "describe-trails"]);
    let trails: Value = serde_json::from_slice(&trails.stdout).expect("JSON");
    let trail = &trails["trailList"][0];
    assert_eq!(trail["CloudWatchLogsLogGroupArn"], group, "{trail:#}");
    assert_eq!(trail["CloudWatchLogsRoleArn"], role, "{trail:#}");
    assert_eq!(trail["S3BucketName"], "existing-trail-bucket", "{trail:#}");
    let status = server.aws(&[
        "cloudtrail",
        "get-trail-status",
        "--name",
        "secretwatch-trail",
    ]);
    let status: Value = serde_json::from_slice(&status.stdout).expect("JSON");
    assert_eq!(status["IsLogging"], true);
    let after = server.aws(&[
        "cloudtrail",
        "get-event-selectors",
        "--trail-name",
        "secretwatch-trail",
    ]);
    let after: Value = serde_json::from_slice(&after.stdout).expect("JSON");
    let list = after["EventSelectors"].as_array().expect("selectors");
    assert!(
        list.iter()
            .any(|s| s["DataResources"] == data["DataResources"]
                && s["IncludeManagementEvents"] == false),
        "the data-event selector was lost: {after:#}"
    );
    assert!(
        list.iter()
            .any(|s| s["ReadWriteType"] == "All" && s["IncludeManagementEvents"] == true),
        "{after:#}"
    );
    let findings = doctor(&server);
    assert_eq!(finding(&findings, "trail")["state"], "ok", "{findings:#?}");
}
