//! Faults on the wire: microburst between the adapter and ministack. Every API the
//! dashboard calls (STS, CloudTrail, CloudWatch, CloudWatch Logs, SNS, Secrets Manager)
//! meets every kind of fault (throttling, a 5xx, a connection reset, a request held past
//! the timeout, expired credentials), one service at a time: each shows with its reason
//! wherever that API's answers are shown, and is gone once the fault clears. Accesses
//! made while CloudTrail fails, in each of those ways, are shown exactly once after it
//! recovers, with LookupEvents kept within its budget; expired credentials on every API
//! at once say what to do.

mod common;

use chrono::{DateTime, Utc};
use common::microburst::{Microburst, busiest_second};
use common::ministack::Ministack;
use secretwatch::chain::{ChainLink, LinkState};
use secretwatch::clock::Clock;
use secretwatch::cloud::aws::AwsCloud;
use secretwatch::cloud::names::ChainNames;
use secretwatch::engine::{Command, Engine, EngineConfig, Source};
use secretwatch::store::{Change, Health, Store, TestStage};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

const SOURCES: [Source; 3] = [Source::Events, Source::Metric, Source::Alarms];

/// A rule that matches every request and does nothing to it: the log counts them.
fn pass_through() -> Value {
    json!({ "service": "*", "latency": 0 })
}

/// One kind of fault: the rule for a service, and the words it is shown with.
struct Fault {
    kind: &'static str,
    rule: fn(&Api) -> Value,
    words: &'static str,
}

const FAULTS: [Fault; 5] = [
    Fault {
        kind: "throttling",
        rule: |api| json!({ "service": api.service, "error": { "code": api.throttled, "status": 400 } }),
        words: "throttled",
    },
    Fault {
        kind: "a 5xx",
        rule: |api| json!({ "service": api.service, "error": { "code": "InternalFailure", "status": 500 } }),
        words: "InternalFailure",
    },
    Fault {
        kind: "a connection reset",
        rule: |api| json!({ "service": api.service, "reset": true }),
        words: "unreachable",
    },
    Fault {
        kind: "a request held past the timeout",
        rule: |api| json!({ "service": api.service, "timeout_ms": 60_000 }),
        words: "timed out",
    },
    Fault {
        kind: "expired credentials",
        rule: |api| json!({ "service": api.service, "error": { "code": api.expired, "status": 400 } }),
        words: "ExpiredToken",
    },
];

/// Where the answers of an API reach the user.
#[derive(Debug, Clone, Copy)]
enum Shown {
    /// Who we are: the account in the status bar.
    Identity,
    /// A polled source's health.
    Source(Source),
    /// The doctor's finding on one link.
    Doctor(ChainLink),
    /// A test access's outcome.
    TestAccess,
}

/// A service as microburst names it, its error codes as AWS spells them, the operations
/// the dashboard calls on it, and where their answers are shown.
struct Api {
    service: &'static str,
    throttled: &'static str,
    expired: &'static str,
    operations: &'static [&'static str],
    shown: &'static [Shown],
}

const APIS: [Api; 6] = [
    Api {
        service: "sts",
        throttled: "Throttling",
        expired: "ExpiredToken",
        operations: &["GetCallerIdentity"],
        shown: &[Shown::Identity],
    },
    Api {
        service: "cloudtrail",
        throttled: "ThrottlingException",
        expired: "ExpiredTokenException",
        operations: &["LookupEvents", "DescribeTrails"],
        shown: &[
            Shown::Source(Source::Events),
            Shown::Doctor(ChainLink::Trail),
        ],
    },
    Api {
        service: "cloudwatch",
        throttled: "Throttling",
        expired: "ExpiredToken",
        operations: &["GetMetricData", "DescribeAlarms"],
        shown: &[
            Shown::Source(Source::Metric),
            Shown::Source(Source::Alarms),
            Shown::Doctor(ChainLink::Alarm),
        ],
    },
    Api {
        service: "logs",
        throttled: "ThrottlingException",
        expired: "ExpiredTokenException",
        operations: &["DescribeLogGroups", "DescribeMetricFilters"],
        shown: &[
            Shown::Doctor(ChainLink::Delivery),
            Shown::Doctor(ChainLink::MetricFilter),
        ],
    },
    Api {
        service: "sns",
        throttled: "Throttled",
        expired: "ExpiredToken",
        operations: &["GetTopicAttributes"],
        shown: &[Shown::Doctor(ChainLink::Notify)],
    },
    Api {
        service: "secretsmanager",
        throttled: "ThrottlingException",
        expired: "ExpiredTokenException",
        operations: &["GetSecretValue", "DescribeSecret"],
        shown: &[Shown::TestAccess, Shown::Doctor(ChainLink::Secret)],
    },
];

/// The adapter through the proxy, with the test credentials. A request held by the
/// proxy times out after 5 s rather than the product's 20, so that each of the cases
/// that hold one costs seconds, not minutes; how a timeout is shown does not change.
async fn adapter(proxy: &Microburst) -> Arc<AwsCloud> {
    use aws_config::timeout::TimeoutConfig;
    use secretwatch::cloud::aws::{Target, loader};
    let target = Target {
        profile: None,
        region: Some("us-east-1".into()),
        endpoint_url: Some(proxy.endpoint()),
    };
    let timeouts = TimeoutConfig::builder()
        .connect_timeout(Duration::from_secs(5))
        .operation_attempt_timeout(Duration::from_secs(5))
        .build();
    let config = loader(&target)
        .timeout_config(timeouts)
        .credentials_provider(aws_credential_types::Credentials::new(
            "test", "test", None, None, "tests",
        ))
        .load()
        .await;
    Arc::new(AwsCloud::from_config(config).expect("a region is set"))
}

/// The account: the secret, an alarm that notifies a topic with a subscriber.
fn server() -> Ministack {
    let server = Ministack::start();
    server.create_secret("TopSecretInfo", "v");
    let topic = server.topic_with_subscriber("SecurityAlarms", "sec@example.com");
    server.put_alarm("Sum", "60", Some(&topic));
    server
}

/// A running engine over `cloud` on 1-second polls, and the store it feeds.
struct Dashboard {
    engine: Engine,
    store: Store,
    changes: Vec<Change>,
}

impl Dashboard {
    fn start(cloud: Arc<AwsCloud>) -> Dashboard {
        let mut config = EngineConfig::demo(&ChainNames::default(), 1);
        config.sources = SOURCES.to_vec();
        config.events_every = Duration::from_secs(1);
        config.metric_every = Duration::from_secs(1);
        config.alarms_every = Duration::from_secs(1);
        config.lookups_per_second = 1.0;
        Dashboard {
            engine: Engine::start(cloud, Clock::system(), config),
            store: Store::default(),
            changes: Vec::new(),
        }
    }

    /// Asks for the doctor and a test access marked `marker`, as the keys `d` and `t` do.
    fn check_chain_and_access(&mut self, marker: &str) {
        self.store.request_test(marker.to_string(), Utc::now());
        for command in [
            Command::Doctor,
            Command::TestAccess {
                marker: marker.to_string(),
            },
        ] {
            self.engine.commands.send(command).expect("the engine runs");
        }
    }

    /// Feeds the store until `done` holds; a bound on waiting, not a timing assertion.
    async fn until(&mut self, what: &str, done: impl Fn(&Store) -> bool) {
        let (engine, store, changes) = (&mut self.engine, &mut self.store, &mut self.changes);
        let wait = async {
            while !done(store) {
                match engine.updates.recv().await {
                    Some(update) => changes.extend(store.apply(update, Utc::now())),
                    None => panic!("the engine stopped"),
                }
            }
        };
        if tokio::time::timeout(Duration::from_secs(180), wait)
            .await
            .is_err()
        {
            let health: Vec<_> = SOURCES
                .iter()
                .map(|s| self.store.health.health(*s, Utc::now()))
                .collect();
            let chain = self.store.chain.as_ref().map(|r| &r.findings);
            panic!(
                "waited 180 s for {what}; health: {health:#?}\nidentity: {:?}\nchain: {chain:#?}\ntests: {:#?}",
                self.store.identity_error, self.store.tests
            );
        }
    }
}

/// Whether `shown` shows `fault`, with its words; the test access is `marker`'s.
fn shows_fault(store: &Store, shown: Shown, fault: &Fault, marker: &str) -> bool {
    let now = Utc::now();
    match shown {
        Shown::Identity => store
            .identity_error
            .as_ref()
            .is_some_and(|e| e.to_string().contains(fault.words)),
        Shown::Source(source) => match store.health.health(source, now) {
            Health::Throttled { .. } => fault.words == "throttled",
            Health::Failing { why, hint, .. } => {
                why.contains(fault.words)
                    && (fault.words != "ExpiredToken"
                        || hint.is_some_and(|h| h.contains("aws sso login")))
            }
            _ => false,
        },
        Shown::Doctor(link) => finding(store, link)
            .is_some_and(|(state, text)| state == LinkState::Unknown && text.contains(fault.words)),
        Shown::TestAccess => store.tests.iter().any(|t| {
            t.marker == marker
                && matches!(&t.stage, TestStage::Failed { error } if error.contains(fault.words))
        }),
    }
}

/// Whether `shown` shows an answer again, one given after `cleared`.
fn shows_answer(store: &Store, shown: Shown, cleared: DateTime<Utc>, marker: &str) -> bool {
    match shown {
        Shown::Identity => store.identity.is_some() && store.identity_error.is_none(),
        Shown::Source(source) => {
            matches!(
                store.health.health(source, Utc::now()),
                Health::Fresh { .. }
            ) && store.health.last_ok(source).is_some_and(|t| t > cleared)
        }
        Shown::Doctor(link) => {
            !store.chain_checking
                && finding(store, link).is_some_and(|(state, _)| state != LinkState::Unknown)
        }
        Shown::TestAccess => store.tests.iter().any(|t| {
            t.marker == marker
                && matches!(
                    t.stage,
                    TestStage::Pending { .. } | TestStage::Confirmed { .. }
                )
        }),
    }
}

/// The doctor's verdict on `link`: its state, and its summary, evidence and fix.
fn finding(store: &Store, link: ChainLink) -> Option<(LinkState, String)> {
    let report = store.chain.as_ref()?;
    let f = report.findings.iter().find(|f| f.link == link)?;
    let text = format!(
        "{} {} {}",
        f.summary,
        f.evidence,
        f.fix.as_deref().unwrap_or("")
    );
    Some((f.state, text))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_kind_of_fault_on_every_api_is_shown_where_that_api_is_and_clears() {
    let server = server();
    let proxy = Microburst::start(&server);
    let cloud = adapter(&proxy).await;
    for (n, (fault, api)) in FAULTS
        .iter()
        .flat_map(|f| APIS.iter().map(move |a| (f, a)))
        .enumerate()
    {
        let case = format!("{} on {}", fault.kind, api.service);
        eprintln!("case {n}: {case}");
        let rules = proxy.rules(json!([(fault.rule)(api), pass_through()]));
        proxy.clear_fired();
        let mut dashboard = Dashboard::start(cloud.clone());
        let marker = format!("fault-{n}");
        dashboard.check_chain_and_access(&marker);
        dashboard
            .until(&case, |s| {
                api.shown.iter().all(|w| shows_fault(s, *w, fault, &marker))
            })
            .await;

        // What microburst did: the fault hit each of the service's operations that the
        // dashboard calls, and nothing of another service.
        let fired = proxy.fired();
        let faulted: Vec<&Value> = fired
            .iter()
            .filter(|f| f["rule_id"] == rules[0]["id"])
            .collect();
        for operation in api.operations {
            assert!(
                faulted.iter().any(|f| f["operation"] == *operation),
                "{case}: {operation} never met the fault: {faulted:?}"
            );
        }
        assert!(
            faulted.iter().all(|f| f["service"] == api.service),
            "{case}: {faulted:?}"
        );

        proxy.rules(json!([pass_through()]));
        let cleared = Utc::now();
        let marker = format!("fault-{n}-cleared");
        dashboard.check_chain_and_access(&marker);
        dashboard
            .until(&format!("{case}, cleared"), |s| {
                api.shown
                    .iter()
                    .all(|w| shows_answer(s, *w, cleared, &marker))
            })
            .await;
    }
}

/// The accesses on the timeline, each once, after every change so far.
fn assert_each_access_once(dashboard: &Dashboard, accesses: usize) {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for change in &dashboard.changes {
        if let Change::Access(e) = change {
            *seen.entry(&*e.event_id).or_default() += 1;
        }
    }
    assert_eq!(seen.len(), accesses, "accesses shown: {seen:?}");
    assert!(seen.values().all(|n| *n == 1), "shown twice: {seen:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn accesses_made_while_cloudtrail_fails_are_shown_once_and_lookups_keep_their_budget() {
    let server = server();
    let proxy = Microburst::start(&server);
    proxy.rules(json!([pass_through()]));
    let mut dashboard = Dashboard::start(adapter(&proxy).await);
    let read = || {
        server.aws(&[
            "secretsmanager",
            "get-secret-value",
            "--secret-id",
            "TopSecretInfo",
        ]);
    };
    read();
    let mut accesses = 1;
    dashboard
        .until("the first access", |s| s.timeline.len() == 1)
        .await;
    let cloudtrail = &APIS[1];
    for fault in &FAULTS {
        proxy.rules(json!([(fault.rule)(cloudtrail), pass_through()]));
        dashboard
            .until(&format!("events failing on {}", fault.kind), |s| {
                shows_fault(s, Shown::Source(Source::Events), fault, "")
            })
            .await;
        read();
        read();
        accesses += 2;
        proxy.rules(json!([pass_through()]));
        let cleared = Utc::now();
        dashboard
            .until(&format!("every access after {}", fault.kind), |s| {
                shows_answer(s, Shown::Source(Source::Events), cleared, "")
                    && s.timeline.len() == accesses
            })
            .await;
        assert_each_access_once(&dashboard, accesses);
    }
    // LookupEvents at 1 a second, AWS's limit being 2, over every fault and recovery.
    let (busiest, lookups) = busiest_second(&proxy.fired(), "LookupEvents");
    assert!(lookups > 2, "only {lookups} LookupEvents counted");
    assert!(busiest <= 2, "{busiest} LookupEvents within one second");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn credentials_expiring_on_every_api_at_once_say_what_to_do_and_recover() {
    let server = server();
    let proxy = Microburst::start(&server);
    proxy.rules(json!([pass_through()]));
    let mut dashboard = Dashboard::start(adapter(&proxy).await);
    let start = Utc::now();
    dashboard
        .until("every source fresh", |s| {
            SOURCES
                .iter()
                .all(|src| shows_answer(s, Shown::Source(*src), start, ""))
        })
        .await;
    proxy.rules(json!([
        { "service": "*", "error": { "code": "ExpiredTokenException", "status": 400 } },
    ]));
    let expired = &FAULTS[4];
    dashboard
        .until("every source failing on expired credentials", |s| {
            SOURCES
                .iter()
                .all(|src| shows_fault(s, Shown::Source(*src), expired, ""))
        })
        .await;
    proxy.rules(json!([pass_through()]));
    let cleared = Utc::now();
    dashboard
        .until("every source fresh again", |s| {
            SOURCES
                .iter()
                .all(|src| shows_answer(s, Shown::Source(*src), cleared, ""))
        })
        .await;
}

#[test]
fn the_busiest_second_slides_over_arrival_times() {
    // Three calls within 0.8 s across a calendar second's edge: counted together.
    let at = |ts: f64| json!({ "operation": "LookupEvents", "ts": ts });
    let fired = [
        at(10.6),
        at(11.2),
        at(11.4),
        at(12.5),
        json!({ "operation": "GetMetricData", "ts": 11.3 }),
    ];
    assert_eq!(busiest_second(&fired, "LookupEvents"), (3, 4));
    assert_eq!(busiest_second(&fired[3..], "LookupEvents"), (1, 1));
    assert_eq!(busiest_second(&[], "LookupEvents"), (0, 0));
}
