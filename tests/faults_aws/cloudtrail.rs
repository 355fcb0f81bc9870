//! CloudTrail failing in each way loses no access and keeps LookupEvents to its budget;
//! expired credentials on every API at once say what to do.

use super::faults::*;
use super::*;
use common::microburst::busiest_second;
use serde_json::json;
use std::collections::HashMap;

/// The reads on the timeline (the secret's CreateSecret is there too, a change).
fn reads(store: &Store) -> usize {
    store
        .timeline
        .newest_first()
        .filter(|e| e.is_read())
        .count()
}

/// The reads on the timeline, each once, after every change so far.
fn assert_each_access_once(dashboard: &Dashboard, accesses: usize) {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for change in &dashboard.changes {
        if let Change::Access(e) = change
            && e.is_read()
        {
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
    dashboard.until("the first access", |s| reads(s) == 1).await;
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
                shows_answer(s, Shown::Source(Source::Events), cleared, "") && reads(s) == accesses
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
