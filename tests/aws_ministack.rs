//! The aws-sdk adapter against ministack: every operation of the port, on the wire.

mod common;

use aws_credential_types::Credentials;
use chrono::{TimeDelta, Utc};
use common::ministack::Ministack;
use secretwatch::cloud::Cloud;
use secretwatch::cloud::aws::{AwsCloud, Target, loader};
use secretwatch::cloud::types::{
    AlarmState, EventQuery, LookupAttribute, MetricId, MetricQuery, Statistic,
};
use secretwatch::event::{ClientKind, parse_access_event};
use std::time::Duration;

async fn adapter(server: &Ministack) -> AwsCloud {
    let target = Target {
        profile: None,
        region: Some("us-east-1".into()),
        endpoint_url: Some(server.endpoint()),
    };
    let config = loader(&target)
        .credentials_provider(Credentials::new("test", "test", None, None, "tests"))
        .load()
        .await;
    AwsCloud::from_config(config).expect("a region is set")
}

fn get_secret_value_events(start: chrono::DateTime<Utc>) -> EventQuery {
    EventQuery {
        lookup: LookupAttribute::EventName("GetSecretValue".into()),
        start,
        end: Utc::now() + TimeDelta::minutes(1),
        next_token: None,
    }
}

#[tokio::test]
async fn identity_events_and_test_access_on_the_wire() {
    let server = Ministack::start();
    let cloud = adapter(&server).await;
    let start = Utc::now() - TimeDelta::minutes(1);

    let id = cloud.identity().await.expect("GetCallerIdentity");
    assert_eq!(id.region, "us-east-1");
    assert!(!id.account.is_empty());

    server.aws(&[
        "secretsmanager",
        "create-secret",
        "--name",
        "TopSecretInfo",
        "--secret-string",
        "s3cr3t-value",
    ]);
    server.aws(&[
        "secretsmanager",
        "get-secret-value",
        "--secret-id",
        "TopSecretInfo",
    ]);
    let access = cloud
        .fire_test_access("TopSecretInfo", "secretwatch-test-it-1")
        .await
        .expect("GetSecretValue");
    assert!(
        access.secret_arn.contains(":secret:TopSecretInfo-"),
        "{access:?}"
    );
    assert!(!access.version_id.is_empty());
    assert!(!format!("{access:?}").contains("s3cr3t-value"));

    let page = cloud
        .lookup_events(&get_secret_value_events(start))
        .await
        .expect("LookupEvents");
    let events: Vec<_> = page.records.iter().map(parse_access_event).collect();
    assert_eq!(events.len(), 2, "{events:#?}");
    let cli = events
        .iter()
        .find(|e| e.client == ClientKind::Cli)
        .expect("the CLI's access");
    assert!(cli.user_agent.starts_with("aws-cli/"));
    assert_eq!(cli.secret, "TopSecretInfo");
    let ours = events
        .iter()
        .find(|e| e.user_agent.contains("app/secretwatch-test-it-1"))
        .expect("the test access, recognisable by its marker");
    assert_eq!(ours.client.label(), "sdk-rust");
    for e in &events {
        assert!(
            !e.raw.contains("s3cr3t-value"),
            "the value leaked into CloudTrail"
        );
    }
}

#[tokio::test]
async fn metric_and_alarm_on_the_wire() {
    let server = Ministack::start();
    let cloud = adapter(&server).await;
    let metric = MetricId {
        namespace: "SecurityMetrics".into(),
        name: "SecretIsAccessed".into(),
    };
    // ministack's metric filters emit nothing, so the test puts what one would emit.
    for value in ["1", "0", "1"] {
        server.aws(&[
            "cloudwatch",
            "put-metric-data",
            "--namespace",
            "SecurityMetrics",
            "--metric-name",
            "SecretIsAccessed",
            "--value",
            value,
        ]);
    }
    let now = Utc::now();
    let points = cloud
        .metric_series(&MetricQuery {
            metric: metric.clone(),
            statistic: Statistic::Sum,
            period: Duration::from_secs(60),
            start: now - TimeDelta::minutes(10),
            end: now + TimeDelta::minutes(1),
        })
        .await
        .expect("GetMetricData");
    let total: f64 = points.iter().map(|p| p.value).sum();
    assert_eq!(total, 2.0, "{points:?}");

    assert_eq!(
        cloud
            .describe_alarm("SecretIsAccessed-alarm")
            .await
            .expect("DescribeAlarms"),
        None
    );
    server.aws(&[
        "cloudwatch",
        "put-metric-alarm",
        "--alarm-name",
        "SecretIsAccessed-alarm",
        "--namespace",
        "SecurityMetrics",
        "--metric-name",
        "SecretIsAccessed",
        "--statistic",
        "Sum",
        "--period",
        "300",
        "--threshold",
        "1",
        "--comparison-operator",
        "GreaterThanOrEqualToThreshold",
        "--evaluation-periods",
        "1",
        "--treat-missing-data",
        "notBreaching",
    ]);
    server.aws(&[
        "cloudwatch",
        "set-alarm-state",
        "--alarm-name",
        "SecretIsAccessed-alarm",
        "--state-value",
        "ALARM",
        "--state-reason",
        "set by the test",
    ]);
    let alarm = cloud
        .describe_alarm("SecretIsAccessed-alarm")
        .await
        .expect("DescribeAlarms")
        .expect("the alarm exists");
    assert_eq!(alarm.state, AlarmState::Alarm);
    assert_eq!(alarm.statistic, Statistic::Sum);
    assert_eq!(alarm.period, Duration::from_secs(300));
    assert_eq!(alarm.metric, metric);
    let history = cloud
        .alarm_history("SecretIsAccessed-alarm", now - TimeDelta::hours(1))
        .await
        .expect("DescribeAlarmHistory");
    assert!(
        history.iter().any(|t| t.to == AlarmState::Alarm),
        "{history:?}"
    );
}
