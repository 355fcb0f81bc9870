//! Faults on the wire: microburst between the adapter and ministack throttles every
//! API, answers 5xx, holds requests past the timeout, resets connections and says the
//! credentials expired. Each shows in the source's health with its reason; nothing
//! crashes; LookupEvents stays within its budget; and once the fault clears, every
//! access is shown exactly once.

mod common;

use chrono::{DateTime, Utc};
use common::microburst::Microburst;
use common::ministack::{Ministack, adapter};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use secretwatch::clock::Clock;
use secretwatch::cloud::names::ChainNames;
use secretwatch::engine::{Engine, EngineConfig, Source};
use secretwatch::store::{Change, Health, Store};
use serde_json::json;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

const SOURCES: [Source; 3] = [Source::Events, Source::Metric, Source::Alarms];

struct Rig {
    server: Ministack,
    proxy: Microburst,
    engine: Engine,
    store: Store,
    changes: Vec<Change>,
    accesses: usize,
}

impl Rig {
    async fn start() -> Rig {
        let server = Ministack::start();
        server.create_secret("TopSecretInfo", "v");
        server.put_alarm("Sum", "60", None);
        let proxy = Microburst::start(&server);
        // Every request is logged, so LookupEvents can be counted.
        proxy.rules(json!([{ "service": "*", "latency": 0 }]));
        let cloud = Arc::new(adapter(&proxy.endpoint()).await);
        let mut config = EngineConfig::demo(&ChainNames::default(), 1);
        config.sources = SOURCES.to_vec();
        config.events_every = Duration::from_secs(1);
        config.metric_every = Duration::from_secs(1);
        config.alarms_every = Duration::from_secs(1);
        config.lookups_per_second = 1.0;
        let engine = Engine::start(cloud, Clock::system(), config);
        let mut rig = Rig {
            server,
            proxy,
            engine,
            store: Store::default(),
            changes: Vec::new(),
            accesses: 0,
        };
        rig.access(3);
        rig.until("every source fresh with the first accesses", |s| {
            all_fresh_since(s, DateTime::<Utc>::MIN_UTC) && s.timeline.len() == 3
        })
        .await;
        rig
    }

    /// Reads the secret `n` times with the AWS CLI, straight to ministack.
    fn access(&mut self, n: usize) {
        for _ in 0..n {
            self.server.aws(&[
                "secretsmanager",
                "get-secret-value",
                "--secret-id",
                "TopSecretInfo",
            ]);
        }
        self.accesses += n;
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
            panic!("waited 180 s for {what}; health: {health:#?}");
        }
    }

    /// Clears the fault, then waits until every source answered again and every access
    /// made so far is on the timeline.
    async fn recover(&mut self) {
        self.proxy.rules(json!([{ "service": "*", "latency": 0 }]));
        let cleared = Utc::now();
        let accesses = self.accesses;
        self.until("recovery with every access", |s| {
            all_fresh_since(s, cleared) && s.timeline.len() == accesses
        })
        .await;
        // Nothing shown twice: each access was announced once.
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for change in &self.changes {
            if let Change::Access(e) = change {
                *seen.entry(&*e.event_id).or_default() += 1;
            }
        }
        assert_eq!(seen.len(), accesses, "accesses shown: {seen:?}");
        assert!(seen.values().all(|n| *n == 1), "shown twice: {seen:?}");
    }

    /// The most LookupEvents calls the server saw in any one second.
    fn lookups_in_busiest_second(&self) -> usize {
        let mut per_second: HashMap<i64, usize> = HashMap::new();
        for f in self.proxy.fired() {
            if f["operation"] == "LookupEvents" {
                let ts = f["ts"].as_f64().unwrap_or_default();
                *per_second.entry(ts.floor() as i64).or_default() += 1;
            }
        }
        per_second.values().copied().max().unwrap_or_default()
    }
}

fn all_fresh_since(s: &Store, since: DateTime<Utc>) -> bool {
    SOURCES.iter().all(|src| {
        matches!(s.health.health(*src, Utc::now()), Health::Fresh { .. })
            && s.health.last_ok(*src).is_some_and(|t| t > since)
    })
}

fn failing_with(s: &Store, source: Source, words: &str) -> bool {
    matches!(
        s.health.health(source, Utc::now()),
        Health::Failing { why, .. } if why.contains(words)
    )
}

/// The status bar as it would be drawn now.
fn status_bar(store: &Store) -> String {
    let mut t = Terminal::new(TestBackend::new(200, 1)).expect("terminal");
    t.draw(|f| {
        secretwatch::ui::panes::status::draw(
            f,
            f.area(),
            store,
            None,
            &secretwatch::ui::now::Now::new(Utc::now()),
        );
    })
    .expect("draw");
    format!("{}", t.backend())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn throttling_on_every_api_is_shown_kept_to_budget_and_loses_nothing() {
    let mut rig = Rig::start().await;
    rig.proxy.rules(json!([
        { "service": "cloudtrail", "error": { "code": "ThrottlingException", "status": 400 } },
        { "service": "cloudwatch", "error": { "code": "Throttling", "status": 400 } },
    ]));
    rig.until("every source throttled", |s| {
        SOURCES
            .iter()
            .all(|src| matches!(s.health.health(*src, Utc::now()), Health::Throttled { .. }))
    })
    .await;
    let bar = status_bar(&rig.store);
    assert!(bar.contains("events throttled, next try in"), "{bar}");
    // Accesses made while throttled are not lost.
    rig.access(4);
    tokio::time::sleep(Duration::from_secs(5)).await;
    rig.recover().await;
    assert!(
        rig.lookups_in_busiest_second() <= 2,
        "LookupEvents beyond its budget: {} in one second",
        rig.lookups_in_busiest_second()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn errors_resets_and_timeouts_fail_with_their_reason_and_recover() {
    let mut rig = Rig::start().await;
    for (rule, words) in [
        (
            json!({ "service": "cloudtrail", "error": { "code": "InternalFailure", "status": 500 } }),
            "InternalFailure",
        ),
        (
            json!({ "service": "cloudtrail", "reset": true }),
            "unreachable",
        ),
        (
            json!({ "service": "cloudtrail", "timeout_ms": 30000 }),
            "timed out",
        ),
    ] {
        rig.proxy.rules(json!([rule]));
        rig.until(&format!("events failing with {words}"), |s| {
            failing_with(s, Source::Events, words)
        })
        .await;
        rig.access(1);
        rig.recover().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn credentials_expiring_mid_run_say_what_to_do_and_recover() {
    let mut rig = Rig::start().await;
    rig.proxy.rules(json!([
        { "service": "*", "error": { "code": "ExpiredTokenException", "status": 400 } },
    ]));
    rig.until("every source failing on expired credentials", |s| {
        SOURCES
            .iter()
            .all(|src| failing_with(s, *src, "ExpiredToken"))
    })
    .await;
    match rig.store.health.health(Source::Events, Utc::now()) {
        Health::Failing { hint, .. } => assert!(
            hint.as_deref().is_some_and(|h| h.contains("aws sso login")),
            "{hint:?}"
        ),
        other => panic!("{other:?}"),
    }
    rig.access(2);
    rig.recover().await;
}
