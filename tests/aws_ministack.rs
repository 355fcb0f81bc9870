//! The aws-sdk adapter against ministack: every operation of the port, on the wire.

mod common;

use chrono::{TimeDelta, Utc};
use common::ministack::Ministack;
use secretwatch::access::{ClientKind, parse_access_event};
use secretwatch::cloud::Cloud;
use secretwatch::cloud::aws::AwsCloud;
use secretwatch::cloud::types::{
    AlarmState, EventQuery, LookupAttribute, MetricId, MetricQuery, Statistic,
};
use std::time::Duration;

async fn adapter(server: &Ministack) -> AwsCloud {
    common::ministack::adapter(&server.endpoint()).await
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

    server.create_secret("TopSecretInfo", "s3cr3t-value");
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
    assert_eq!(&*cli.secret, "TopSecretInfo");
    let ours = events
        .iter()
        .find(|e| e.user_agent.contains("app/secretwatch-test-it-1"))
        .expect("the test access, recognisable by its marker");
    assert_eq!(ours.client.label(), "sdk-rust");
    for e in &events {
        assert!(
            !e.raw
                .as_deref()
                .unwrap_or_default()
                .contains("s3cr3t-value"),
            "the value leaked into CloudTrail"
        );
    }
}

#[tokio::test]
async fn metric_and_alarm_on_the_wire() {
    let server = Ministack::start();
    let cloud = adapter(&server).await;
    let metric = MetricId::new("SecurityMetrics", "SecretIsAccessed");
    // ministack's metric filters emit nothing, so the test puts what one would emit.
    for value in ["1", "0", "1"] {
        server.put_access_datapoint(value);
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
    server.put_alarm("Sum", "300", None);
    server.set_alarm_state("ALARM", "set by the test");
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

mod recovery {
    use super::*;
    use secretwatch::clock::Clock;
    use secretwatch::cloud::names::ChainNames;
    use secretwatch::engine::{Engine, EngineConfig, Source};
    use secretwatch::store::{Health, Store};
    use std::sync::Arc;

    /// Feeds the store until `done` holds; a bound on waiting, not a timing assertion.
    async fn until(
        engine: &mut Engine,
        store: &mut Store,
        what: &str,
        done: impl Fn(&Store) -> bool,
    ) {
        let wait = async {
            while !done(store) {
                match engine.updates.recv().await {
                    Some(update) => {
                        store.apply(update, Utc::now());
                    }
                    None => panic!("the engine stopped"),
                }
            }
        };
        if tokio::time::timeout(Duration::from_secs(120), wait)
            .await
            .is_err()
        {
            let health = store.health.health(Source::Events, Utc::now());
            panic!("waited 120 s for {what}; events health: {health:?}");
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_vanished_server_makes_sources_stale_and_they_recover_by_themselves() {
        let server = Ministack::start();
        let port = server.port;
        let cloud = Arc::new(adapter(&server).await);
        let mut config = EngineConfig::demo(&ChainNames::default(), 1);
        config.sources = vec![Source::Events, Source::Metric, Source::Alarms];
        config.events_every = Duration::from_secs(1);
        config.metric_every = Duration::from_secs(1);
        config.alarms_every = Duration::from_secs(1);
        let mut engine = Engine::start(cloud, Clock::system(), config);
        let mut store = Store::default();
        let fresh = |s: &Store| {
            [Source::Events, Source::Metric, Source::Alarms]
                .iter()
                .all(|src| matches!(s.health.health(*src, Utc::now()), Health::Fresh { .. }))
        };
        until(&mut engine, &mut store, "every source fresh", fresh).await;

        server.stop();
        until(
            &mut engine,
            &mut store,
            "the events source to go stale",
            |s| {
                matches!(
                    s.health.health(Source::Events, Utc::now()),
                    Health::Failing {
                        stale_since: Some(_),
                        ..
                    }
                )
            },
        )
        .await;
        let back = Utc::now();
        let _server = Ministack::start_on(port);
        until(&mut engine, &mut store, "recovery", |s| {
            fresh(s) && s.health.last_ok(Source::Events).is_some_and(|t| t > back)
        })
        .await;
    }
}

/// The doctor through the adapter: every chain-inspection call on the wire. ministack's
/// CreateTrail drops the log group (UpdateTrail keeps it), its trails never deliver and
/// it lacks TestMetricFilter: the doctor says so rather than guessing.
#[tokio::test]
async fn the_doctor_reads_every_link_on_the_wire() {
    use secretwatch::chain::doctor::examine;
    use secretwatch::chain::{ChainLink, LinkState};
    use secretwatch::cloud::names::ChainNames;

    let server = Ministack::start();
    let cloud = adapter(&server).await;
    let group_arn = "arn:aws:logs:us-east-1:000000000000:log-group:secretwatch/cloudtrail:*";
    server.create_secret("TopSecretInfo", "x");
    server.aws(&["s3", "mb", "s3://trail-bucket"]);
    server.aws(&[
        "logs",
        "create-log-group",
        "--log-group-name",
        "secretwatch/cloudtrail",
    ]);
    server.aws(&[
        "cloudtrail",
        "create-trail",
        "--name",
        "secretwatch-trail",
        "--s3-bucket-name",
        "trail-bucket",
    ]);
    server.aws(&[
        "cloudtrail",
        "update-trail",
        "--name",
        "secretwatch-trail",
        "--cloud-watch-logs-log-group-arn",
        group_arn,
        "--cloud-watch-logs-role-arn",
        "arn:aws:iam::000000000000:role/secretwatch-cloudtrail-to-logs",
    ]);
    server.aws(&["cloudtrail", "start-logging", "--name", "secretwatch-trail"]);
    server.aws(&[
        "logs",
        "put-metric-filter",
        "--log-group-name",
        "secretwatch/cloudtrail",
        "--filter-name",
        "SecretIsAccessed",
        "--filter-pattern",
        secretwatch::cloud::names::ACCESS_PATTERN,
        "--metric-transformations",
        "metricName=SecretIsAccessed,metricNamespace=SecurityMetrics,metricValue=1,defaultValue=0",
    ]);
    let topic = server.topic_with_subscriber("SecurityAlarms", "sec@example.com");
    server.put_alarm("Average", "300", Some(&topic));

    let report = examine(
        &cloud,
        &ChainNames::default(),
        &Default::default(),
        &[],
        Utc::now(),
    )
    .await;
    let finding = |link| {
        report
            .findings
            .iter()
            .find(|f| f.link == link)
            .expect("a finding")
    };
    assert_eq!(
        finding(ChainLink::Secret).state,
        LinkState::Ok,
        "{report:#?}"
    );
    assert_eq!(
        finding(ChainLink::Trail).state,
        LinkState::Ok,
        "{report:#?}"
    );
    let delivery = finding(ChainLink::Delivery);
    assert_eq!(delivery.state, LinkState::Unknown, "{report:#?}");
    assert!(delivery.summary.contains("no delivery"), "{delivery:?}");
    let filter = finding(ChainLink::MetricFilter);
    assert_eq!(filter.state, LinkState::Ok, "{report:#?}");
    assert!(filter.evidence.contains("local evaluator"), "{filter:?}");
    let alarm = finding(ChainLink::Alarm);
    assert_eq!(alarm.state, LinkState::Broken);
    assert!(alarm.summary.contains("Average"));
    assert_eq!(
        finding(ChainLink::Notify).state,
        LinkState::Ok,
        "{report:#?}"
    );
    assert_eq!(report.exit_code(), 1);
}

/// Live Tail on the wire: a session on the chain's log group, filtered to a marker, hands
/// over the record holding it as it comes in (the local endpoint without the `stream-`
/// host prefix), and FilterLogEvents finds it too.
#[tokio::test]
async fn live_tail_and_filter_log_events_find_a_marker_in_the_log_group() {
    let server = Ministack::start();
    let cloud = adapter(&server).await;
    server.aws(&[
        "logs",
        "create-log-group",
        "--log-group-name",
        "secretwatch/cloudtrail",
    ]);
    let marker = "secretwatch-trace-wire-1";
    let text = format!("app/{marker}");
    let tail = cloud.live_tail("secretwatch/cloudtrail", &text, Duration::from_secs(60));
    let put = async {
        // The session first, then the record.
        tokio::time::sleep(Duration::from_secs(2)).await;
        let at = Utc::now();
        server.deliver_trail_record(marker);
        at
    };
    let (tailed, at) = tokio::join!(tail, put);
    let tailed = tailed.expect("Live Tail");
    let record = tailed.first().expect("the record, as it came in");
    assert!(
        record
            .user_agent
            .as_deref()
            .is_some_and(|ua| ua.ends_with(&format!("app/{marker}")))
    );
    assert!(record.ingested_at >= at - TimeDelta::seconds(5));
    let found = cloud
        .log_records("secretwatch/cloudtrail", &text, at - TimeDelta::minutes(1))
        .await
        .expect("FilterLogEvents");
    assert_eq!(found.len(), 1, "{found:?}");
}
