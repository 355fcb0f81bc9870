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
    server.trail_without_logs();

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
