//! Several scopes, each its own embedded account in its own region, polled by one engine:
//! one scope's outage or throttling delays no other, and every access of every scope shows
//! exactly once, carrying its scope's account and region.

use super::*;
use chrono::{DateTime, Utc};
use secretwatch::access::AccessEvent;
use secretwatch::clock::Clock;
use secretwatch::cloud::Cloud;
use secretwatch::cloud::scope::Scope;
use secretwatch::cloud::sim::{FaultKind, FaultRule};
use secretwatch::engine::Source;
use secretwatch::store::Health;
use std::collections::BTreeMap;
use std::sync::Arc;

const WEST: (&str, &str) = ("210987654321", "eu-west-1");

fn scope(seed: u64, (account, region): (&str, &str)) -> SimConfig {
    let mut config = SimConfig::demo(seed, Scenario::Healthy);
    config.actors = vec![busy_reader("ann", (5, 15))];
    config.noise = false;
    config.prehistory = Duration::ZERO;
    config.account = account.into();
    config.region = region.into();
    config
}

fn accesses(changes: &[Change]) -> Vec<&AccessEvent> {
    changes
        .iter()
        .filter_map(|c| match c {
            Change::Access(e) => Some(e),
            _ => None,
        })
        .collect()
}

/// The east alone, for the same twenty minutes: when each of its accesses was shown.
async fn alone(config: &SimConfig) -> BTreeMap<String, DateTime<Utc>> {
    let clock = Clock::starting_at(fixed_start());
    let east = Arc::new(SimCloud::new(config.clone(), clock));
    let mut engine = Engine::start(east, clock, engine_config(config));
    let mut store = Store::default();
    let changes = run_engine(&mut engine, clock, &mut store, 20 * 60).await;
    accesses(&changes)
        .into_iter()
        .map(|e| (e.event_id.to_string(), e.received_at.expect("received")))
        .collect()
}

#[tokio::test(start_paused = true)]
async fn an_outage_or_throttling_in_one_scope_delays_no_other_and_each_access_shows_once() {
    let clock = Clock::starting_at(fixed_start());
    let east_config = scope(31, ("123456789012", "us-east-1"));
    let east = Arc::new(SimCloud::new(east_config.clone(), clock));
    let west = Arc::new(SimCloud::new(scope(32, WEST), clock));
    let start = clock.now();
    // Ten minutes of outage in the west, then ten of throttling on its LookupEvents.
    let ten = TimeDelta::minutes(10);
    west.inject(FaultRule::always(
        None,
        FaultKind::Outage,
        start,
        start + ten,
    ));
    west.inject(FaultRule::always(
        Some("LookupEvents"),
        FaultKind::Throttle,
        start + ten,
        start + ten * 2,
    ));
    let config = engine_config(&east_config);
    let others: Vec<(Scope, Arc<dyn Cloud>)> = vec![(Scope::new(WEST.0, WEST.1), west.clone())];
    let mut engine = Engine::start_scopes(east.clone(), None, others, clock, config);
    let mut store = Store::default();

    let troubled = run_engine(&mut engine, clock, &mut store, 20 * 60).await;
    let west_view = store.others.get(&1).expect("the west scope");
    assert!(
        matches!(
            west_view.health.health(Source::Events, clock.now()),
            Health::Throttled { .. } | Health::Failing { .. }
        ),
        "{west_view:?}"
    );
    // The east's accesses came exactly when they come with no other scope at all.
    let east_seen: BTreeMap<String, DateTime<Utc>> = accesses(&troubled)
        .into_iter()
        .filter(|e| &*e.region == "us-east-1")
        .map(|e| (e.event_id.to_string(), e.received_at.expect("received")))
        .collect();
    assert!(east_seen.len() > 40, "{}", east_seen.len());
    assert_eq!(east_seen, alone(&east_config).await);

    // Once the west is back, every access of both scopes shows, once, in its scope.
    let after = run_engine(&mut engine, clock, &mut store, 10 * 60).await;
    let all: Vec<&AccessEvent> = accesses(&troubled)
        .into_iter()
        .chain(accesses(&after))
        .collect();
    for (sim, (account, region)) in [(&east, ("123456789012", "us-east-1")), (&west, WEST)] {
        let mine: Vec<String> = all
            .iter()
            .filter(|e| &*e.region == region)
            .inspect(|e| assert_eq!(&*e.account, account, "{e:?}"))
            .map(|e| e.event_id.to_string())
            .collect();
        let unique: HashSet<String> = mine.iter().cloned().collect();
        assert_eq!(unique.len(), mine.len(), "{region}: an access shown twice");
        // What CloudTrail delivered before the reconciler's last look (the fast path drops
        // some, found once history has settled: a minute and a reconcile interval) is shown.
        let truth: HashSet<String> = sim
            .recorded_event_ids("GetSecretValue")
            .into_iter()
            .filter(|id| {
                sim.delivered_at(id)
                    .is_some_and(|d| d <= clock.now() - TimeDelta::minutes(3))
            })
            .collect();
        let shown: HashSet<String> = unique.into_iter().filter(|id| truth.contains(id)).collect();
        assert_same(&shown, &truth);
    }
    assert!(store.others[&1].accesses > 40, "{:?}", store.others[&1]);
}

/// An unfocused scope is read gently: its alarm twenty times less often than the focused
/// one's while it is quiet, at the focused rate while it fires, and its metric never.
#[tokio::test(start_paused = true)]
async fn an_unfocused_scope_is_read_gently_unless_its_alarm_fires() {
    let clock = Clock::starting_at(fixed_start());
    let mut quiet = scope(41, ("123456789012", "us-east-1"));
    quiet.actors.clear();
    let focused = Arc::new(SimCloud::new(quiet.clone(), clock));
    let calm = Arc::new(SimCloud::new(
        SimConfig {
            region: "eu-west-1".into(),
            ..quiet.clone()
        },
        clock,
    ));
    // Read every few seconds: its alarm (Sum >= 1 a minute) fires and stays firing.
    let mut busy = scope(43, ("123456789012", "ap-southeast-2"));
    busy.actors = vec![busy_reader("ann", (5, 10))];
    let firing = Arc::new(SimCloud::new(busy, clock));
    let others: Vec<(Scope, Arc<dyn Cloud>)> = vec![
        (Scope::new("123456789012", "eu-west-1"), calm.clone()),
        (Scope::new("123456789012", "ap-southeast-2"), firing.clone()),
    ];
    let config = engine_config(&quiet);
    let mut engine = Engine::start_scopes(focused.clone(), None, others, clock, config);
    let mut store = Store::default();
    run_engine(&mut engine, clock, &mut store, 3600).await;

    let reads = |sim: &SimCloud, op: &str| sim.calls(op).len();
    let (focused_alarms, calm_alarms) = (
        reads(&focused, "DescribeAlarms"),
        reads(&calm, "DescribeAlarms"),
    );
    assert!(
        calm_alarms * 15 <= focused_alarms && calm_alarms >= 3,
        "focused {focused_alarms}, calm {calm_alarms}"
    );
    assert!(
        reads(&firing, "DescribeAlarms") * 2 >= focused_alarms,
        "firing {}, focused {focused_alarms}",
        reads(&firing, "DescribeAlarms")
    );
    assert_eq!(reads(&calm, "GetMetricData"), 0);
    assert_eq!(reads(&firing, "GetMetricData"), 0);
    assert!(reads(&focused, "GetMetricData") > 100);
    // History is read when the alarm changes, not on every poll.
    assert!(
        reads(&focused, "DescribeAlarmHistory") * 4 < focused_alarms,
        "history {} of {focused_alarms} polls",
        reads(&focused, "DescribeAlarmHistory")
    );
}
