//! `secretwatch setup` against ministack changes a metric filter and the logs role in
//! place: the filter emitting the metric keeps its name, unit and pattern when only its
//! value and default are wrong (no second filter counts the same accesses), and the
//! role keeps its other trust statements and inline policies; the plan says update,
//! create or keep.

mod common;

use common::ministack::{Ministack, text};
use secretwatch::cloud::names::ACCESS_PATTERN;
use serde_json::{Value, json};

const ROLE: &str = "secretwatch-cloudtrail-to-logs";
const GROUP: &str = "secretwatch/cloudtrail";

fn json_of(server: &Ministack, args: &[&str]) -> Value {
    let out = server.aws(args);
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&out)))
}

/// A policy document as the CLI shows it: decoded JSON, or a string of it.
fn document(v: &Value) -> Value {
    match v {
        Value::String(s) => serde_json::from_str(s).expect("a JSON document"),
        other => other.clone(),
    }
}

fn dry_run(server: &Ministack) -> String {
    let dry = server.run(&["setup", "--dry-run"]);
    let plan = text(&dry);
    assert!(dry.status.success(), "{plan}");
    plan
}

fn apply(server: &Ministack) -> String {
    let out = server.run(&["setup", "--yes"]);
    let log = text(&out);
    assert!(out.status.success(), "{log}");
    log
}

/// The issue's case: a filter of another name emits the metric with value 2 and no
/// default. Setup fixes value and default on that filter and puts no second one.
#[test]
fn a_wrong_filter_under_another_name_is_updated_in_place_not_doubled() {
    let server = Ministack::start();
    server.aws(&["logs", "create-log-group", "--log-group-name", GROUP]);
    server.aws(&[
        "logs",
        "put-metric-filter",
        "--log-group-name",
        GROUP,
        "--filter-name",
        "LegacyAccessCount",
        "--filter-pattern",
        ACCESS_PATTERN,
        "--metric-transformations",
        "metricName=SecretIsAccessed,metricNamespace=SecurityMetrics,metricValue=2,unit=Count",
    ]);
    let filters = || {
        json_of(
            &server,
            &["logs", "describe-metric-filters", "--log-group-name", GROUP],
        )
    };
    let before = filters()["metricFilters"][0].clone();
    assert_eq!(
        before["metricTransformations"][0]["unit"], "Count",
        "{before:#}"
    );

    let plan = dry_run(&server);
    assert!(
        plan.contains(
            "update metric filter LegacyAccessCount on secretwatch/cloudtrail: value 2 -> 1; \
             default none -> 0; its name, pattern and every other setting kept"
        ),
        "{plan}"
    );
    assert!(!plan.contains("metric filter SecretIsAccessed"), "{plan}");

    let log = apply(&server);
    assert!(
        log.contains("done: update metric filter LegacyAccessCount"),
        "{log}"
    );
    let after = filters();
    let list = after["metricFilters"].as_array().expect("filters");
    assert_eq!(
        list.len(),
        1,
        "a second filter counts the metric: {after:#}"
    );
    let f = &list[0];
    assert_eq!(f["filterName"], "LegacyAccessCount", "{f:#}");
    assert_eq!(f["filterPattern"], before["filterPattern"], "{f:#}");
    let t = &f["metricTransformations"][0];
    assert_eq!(t["metricValue"], "1", "{f:#}");
    assert_eq!(t["defaultValue"].as_f64(), Some(0.0), "{f:#}");
    assert_eq!(
        t["unit"], before["metricTransformations"][0]["unit"],
        "{f:#}"
    );
}

/// The log group, and someone's filter on it under the name setup would give its own,
/// counting logins.
fn logins_filter_of_our_name(server: &Ministack) {
    server.aws(&["logs", "create-log-group", "--log-group-name", GROUP]);
    server.aws(&[
        "logs",
        "put-metric-filter",
        "--log-group-name",
        GROUP,
        "--filter-name",
        "SecretIsAccessed",
        "--filter-pattern",
        r#"{ $.eventName = "ConsoleLogin" }"#,
        "--metric-transformations",
        "metricName=LoginFailures,metricNamespace=AppMetrics,metricValue=1",
    ]);
}

/// No filter emits the metric, but one named SecretIsAccessed counts logins:
/// PutMetricFilter under that name would replace it. Setup creates ours under a free
/// name and says why, the logins filter is as it was, and the doctor finds ours.
#[test]
fn a_filter_of_our_name_counting_something_else_is_kept() {
    let server = Ministack::start();
    logins_filter_of_our_name(&server);
    let filters = || {
        json_of(
            &server,
            &["logs", "describe-metric-filters", "--log-group-name", GROUP],
        )["metricFilters"]
            .as_array()
            .cloned()
            .expect("filters")
    };
    let theirs = filters()[0].clone();

    let plan = dry_run(&server);
    assert!(
        plan.contains(&format!(
            "create metric filter SecretIsAccessed-secretwatch on secretwatch/cloudtrail: \
             {ACCESS_PATTERN} → SecurityMetrics/SecretIsAccessed value 1, default 0 (a filter \
             named SecretIsAccessed exists and counts something else: kept)"
        )),
        "{plan}"
    );
    let log = apply(&server);
    assert!(
        log.contains("done: create metric filter SecretIsAccessed-secretwatch"),
        "{log}"
    );

    let after = filters();
    let named = |name: &str| {
        after
            .iter()
            .find(|f| f["filterName"] == name)
            .unwrap_or_else(|| panic!("no filter {name}: {after:#?}"))
            .clone()
    };
    assert_eq!(after.len(), 2, "{after:#?}");
    let kept = named("SecretIsAccessed");
    assert_eq!(kept["filterPattern"], theirs["filterPattern"], "{kept:#}");
    assert_eq!(
        kept["metricTransformations"], theirs["metricTransformations"],
        "{kept:#}"
    );
    let ours = named("SecretIsAccessed-secretwatch");
    assert_eq!(ours["filterPattern"], ACCESS_PATTERN, "{ours:#}");
    let t = &ours["metricTransformations"][0];
    assert_eq!(t["metricNamespace"], "SecurityMetrics", "{ours:#}");
    assert_eq!(t["metricName"], "SecretIsAccessed", "{ours:#}");

    let out = server.run(&["doctor", "--json"]);
    let report: Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&out)));
    let finding = report["findings"]
        .as_array()
        .and_then(|all| all.iter().find(|f| f["link"] == "metric_filter"))
        .unwrap_or_else(|| panic!("no metric filter finding: {report:#}"))
        .clone();
    assert_eq!(finding["state"], "ok", "{finding:#}");
    assert!(
        finding["summary"]
            .as_str()
            .is_some_and(|s| s.starts_with("filter SecretIsAccessed-secretwatch counts")),
        "{finding:#}"
    );
}

fn role_documents(server: &Ministack) -> (Value, Vec<(String, Value)>) {
    let role = json_of(server, &["iam", "get-role", "--role-name", ROLE]);
    let trust = document(&role["Role"]["AssumeRolePolicyDocument"]);
    let names = json_of(server, &["iam", "list-role-policies", "--role-name", ROLE]);
    let mut inline = Vec::new();
    for name in names["PolicyNames"].as_array().expect("names") {
        let name = name.as_str().expect("a name");
        let p = json_of(
            server,
            &[
                "iam",
                "get-role-policy",
                "--role-name",
                ROLE,
                "--policy-name",
                name,
            ],
        );
        inline.push((name.to_string(), document(&p["PolicyDocument"])));
    }
    inline.sort_by(|a, b| a.0.cmp(&b.0));
    (trust, inline)
}

fn put_role(server: &Ministack, trust: &Value, inline: &[(&str, Value)]) {
    server.aws(&[
        "iam",
        "create-role",
        "--role-name",
        ROLE,
        "--assume-role-policy-document",
        &trust.to_string(),
    ]);
    for (name, doc) in inline {
        server.aws(&[
            "iam",
            "put-role-policy",
            "--role-name",
            ROLE,
            "--policy-name",
            name,
            "--policy-document",
            &doc.to_string(),
        ]);
    }
}

/// The role trusts only EC2, and setup's own inline policy holds an S3 statement of
/// someone else's: setup adds CloudTrail's trust and the delivery statement, says so,
/// and keeps the EC2 trust, the S3 statement and the other inline policy.
#[test]
fn a_role_without_cloudtrail_gets_only_what_it_lacks() {
    let server = Ministack::start();
    // A trail that does not deliver to the logs, so the role step runs.
    server.trail_without_logs();
    let ec2 = json!({ "Effect": "Allow", "Principal": { "Service": "ec2.amazonaws.com" }, "Action": "sts:AssumeRole" });
    let s3 =
        json!({ "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::audit/*" });
    let audit = json!({ "Version": "2012-10-17", "Statement": [s3.clone()] });
    put_role(
        &server,
        &json!({ "Version": "2012-10-17", "Statement": [ec2.clone()] }),
        &[("audit", audit.clone()), (ROLE, audit.clone())],
    );

    let plan = dry_run(&server);
    assert!(
        plan.contains(
            "update IAM role secretwatch-cloudtrail-to-logs: trust ec2.amazonaws.com -> \
             ec2.amazonaws.com, cloudtrail.amazonaws.com; on secretwatch/cloudtrail none -> \
             logs:CreateLogStream, logs:PutLogEvents (in inline policy \
             secretwatch-cloudtrail-to-logs); its other statements and policies kept"
        ),
        "{plan}"
    );
    let log = apply(&server);
    assert!(log.contains("done: update IAM role"), "{log}");

    let (trust, inline) = role_documents(&server);
    let statements = trust["Statement"].as_array().expect("statements");
    assert_eq!(statements.len(), 2, "{trust:#}");
    assert_eq!(statements[0], ec2, "{trust:#}");
    assert_eq!(
        statements[1]["Principal"]["Service"], "cloudtrail.amazonaws.com",
        "{trust:#}"
    );
    assert_eq!(inline.len(), 2, "{inline:#?}");
    assert_eq!(inline[0], ("audit".to_string(), audit), "{inline:#?}");
    let ours = inline[1].1["Statement"].as_array().expect("statements");
    assert_eq!(ours[0], s3, "{inline:#?}");
    assert_eq!(
        ours[1]["Action"],
        json!(["logs:CreateLogStream", "logs:PutLogEvents"]),
        "{inline:#?}"
    );
}

/// A role with what CloudTrail needs (by wildcard, in a policy of another name) is
/// kept: the plan says so and its documents are as they were.
#[test]
fn a_sound_role_is_kept_and_not_written_to() {
    let server = Ministack::start();
    // A trail that does not deliver to the logs, so the role step runs.
    server.trail_without_logs();
    let trust = json!({ "Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": { "Service": "cloudtrail.amazonaws.com" }, "Action": "sts:AssumeRole"
    }]});
    let logs = json!({ "Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Action": "logs:*", "Resource": "arn:aws:logs:*:*:log-group:secretwatch/*"
    }]});
    put_role(&server, &trust, &[("their-logs-policy", logs)]);
    let before = role_documents(&server);

    let plan = dry_run(&server);
    assert!(
        plan.contains(
            "keep IAM role secretwatch-cloudtrail-to-logs (exists with the trust and \
             permissions CloudTrail needs)"
        ),
        "{plan}"
    );
    apply(&server);
    assert_eq!(role_documents(&server), before);
}

/// The adapter itself, as setup's `y` runs it after the plan: a put over a filter of
/// that name that counts something else (made after the plan, say) is refused and the
/// filter kept; over a free name, or a filter that emits the metric, it puts.
#[tokio::test]
async fn the_adapter_never_puts_over_a_filter_that_counts_something_else() {
    use secretwatch::cloud::admin::{ChainAdmin, MetricFilterSpec};
    use secretwatch::cloud::names::ChainNames;
    let server = Ministack::start();
    logins_filter_of_our_name(&server);
    let filters = || {
        json_of(
            &server,
            &["logs", "describe-metric-filters", "--log-group-name", GROUP],
        )["metricFilters"]
            .clone()
    };
    let before = filters();
    let admin = common::ministack::adapter(&server.endpoint()).await.admin();
    let spec = |name: &str| MetricFilterSpec {
        name: name.into(),
        log_group: GROUP.into(),
        pattern: ACCESS_PATTERN.into(),
        metric: ChainNames::default().metric(),
        value: 1.0,
        default_value: 0.0,
    };
    let err = admin
        .put_metric_filter(&spec("SecretIsAccessed"))
        .await
        .expect_err("a put over someone's filter");
    assert!(err.to_string().contains("counts something else"), "{err}");
    assert_eq!(filters(), before);

    admin
        .put_metric_filter(&spec("SecretIsAccessed-secretwatch"))
        .await
        .expect("a free name");
    admin
        .put_metric_filter(&spec("SecretIsAccessed-secretwatch"))
        .await
        .expect("again, over a filter that emits the metric");
    let after = filters();
    let list = after.as_array().expect("filters");
    assert_eq!(list.len(), 2, "{after:#}");
    assert!(list.contains(&before[0]), "{after:#}");
}
