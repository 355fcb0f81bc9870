//! `secretwatch setup` against ministack is never destructive: on resources that exist
//! it changes only what the doctor found wrong, keeps the rest (actions, settings,
//! selectors, delivery), and its plan says update or keep, not create.

mod common;

use common::ministack::{Ministack, finding, text};
use serde_json::Value;

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
    let findings = server.doctor();
    assert_eq!(finding(&findings, "trail")["state"], "ok", "{findings:#?}");
}

/// The principals marked expected (as the dashboard's principals view writes them to the
/// state directory) are left out of the metric filter by `setup` through the real adapter:
/// the pattern as CloudWatch Logs keeps it, the rest of the filter kept, the doctor still
/// passing it on every kind of caller's read, and a second run with nothing to do.
#[test]
fn setup_leaves_out_the_principals_marked_expected_and_keeps_the_rest_of_the_filter() {
    let server = Ministack::start();
    let built = server.run(&["setup", "--yes", "--email", "sec@example.com"]);
    assert!(built.status.success(), "{}", text(&built));
    let state = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("expected-state");
    let _ = std::fs::remove_dir_all(&state);
    std::fs::create_dir_all(&state).expect("a state directory");
    let role = "arn:aws:sts::000000000000:assumed-role/app/*";
    std::fs::write(
        state.join("expected.jsonl"),
        format!("{{\"principal\":\"{role}\",\"expected\":true,\"at\":\"2026-12-03T09:00:00Z\"}}\n"),
    )
    .expect("the marks");
    let run = |args: &[&str]| {
        server
            .command()
            .env("SECRETWATCH_STATE_DIR", &state)
            .args(args)
            .output()
            .expect("secretwatch runs")
    };
    let plan = text(&run(&["setup", "--dry-run"]));
    assert!(
        plan.contains("update metric filter")
            && plan.contains("leaves out the principals marked expected"),
        "{plan}"
    );
    let applied = run(&["setup", "--yes"]);
    assert!(applied.status.success(), "{}", text(&applied));

    let filters = server.aws(&[
        "logs",
        "describe-metric-filters",
        "--log-group-name",
        "secretwatch/cloudtrail",
    ]);
    let filters: Value = serde_json::from_slice(&filters.stdout).expect("JSON");
    let filter = &filters["metricFilters"][0];
    let pattern = filter["filterPattern"].as_str().expect("a pattern");
    assert!(
        pattern.contains(&format!("$.userIdentity.arn != \"{role}\""))
            && pattern.contains("$.userIdentity.arn NOT EXISTS")
            && pattern.contains("$.eventName = \"GetSecretValue\""),
        "{pattern}"
    );
    let t = &filter["metricTransformations"][0];
    assert_eq!(
        (t["metricValue"].as_str(), t["defaultValue"].as_f64()),
        (Some("1"), Some(0.0)),
        "{t}"
    );

    let findings = server.doctor();
    assert_eq!(
        finding(&findings, "metric_filter")["state"],
        "ok",
        "{findings:#?}"
    );
    let again = text(&run(&["setup", "--yes"]));
    assert!(again.contains("nothing to do"), "{again}");
}
