//! The trail's log files as a third source: with the fast path dropping a third of the reads
//! and event history 15 to 20 minutes late, the files (written every five minutes, announced
//! seconds later) find most of what the fast path dropped; every read shows once across all
//! three sources. A file that is no log file is named by its key, counted and passed.

use super::*;
use secretwatch::access::SeenBy;
use secretwatch::access::log_file::{MAX_LOG_FILE_BYTES, shown_in_log_file};
use secretwatch::access::trail_notification::log_files;
use secretwatch::cloud::Cloud;
use secretwatch::cloud::types::Feed;
use secretwatch::engine::Source;
use std::collections::HashMap;

fn three_sources(seed: u64) -> SimConfig {
    let mut config = SimConfig::demo(seed, Scenario::Healthy);
    config.timings.delivery_lag = (Duration::from_secs(15 * 60), Duration::from_secs(20 * 60));
    config.timings.fast_path_drop = 0.3;
    config.actors = vec![busy_reader("ann", (5, 15))];
    config.noise = false;
    config.prehistory = Duration::ZERO;
    config
}

#[tokio::test(start_paused = true)]
async fn every_read_shows_once_across_lookup_eventbridge_and_the_trails_files() {
    let config = three_sources(12);
    let (sim, clock) = sim(config.clone());
    let mut engine = Engine::start(sim.clone(), clock, engine_config(&config));
    let mut store = Store::default();
    let mut changes = run_engine(&mut engine, clock, &mut store, 3600).await;
    sim.with_world(|w| w.stop_actors());
    changes.extend(run_engine(&mut engine, clock, &mut store, 30 * 60).await);

    let truth: HashSet<String> = sim
        .recorded_event_ids("GetSecretValue")
        .into_iter()
        .collect();
    let mut shown: HashMap<String, SeenBy> = HashMap::new();
    for change in &changes {
        if let Change::Access(e) = change {
            let again = shown.insert(e.event_id.to_string(), e.seen_by);
            assert!(again.is_none(), "{} reported twice", e.event_id);
        }
    }
    assert_same(&shown.keys().cloned().collect(), &truth);
    let dropped: HashSet<String> = sim.fast_path_dropped().into_iter().collect();
    let by = |how: SeenBy| shown.values().filter(|s| **s == how).count();
    for id in &dropped {
        assert_ne!(
            shown[id],
            SeenBy::EventBridge,
            "{id} was never on the queue"
        );
    }
    let dropped_by_files = dropped
        .iter()
        .filter(|id| shown[*id] == SeenBy::TrailFile)
        .count();
    assert!(
        dropped_by_files * 10 > dropped.len() * 7,
        "the files found {dropped_by_files} of the {} dropped reads before event history",
        dropped.len()
    );
    // What the fast path delivered (within 90 s) came by it, or by a file written sooner;
    // never by event history, 15 minutes late.
    for (id, how) in &shown {
        if !dropped.contains(id) {
            assert_ne!(*how, SeenBy::Lookup, "{id} was on the queue");
        }
    }
    assert!(by(SeenBy::EventBridge) * 10 > truth.len() * 6);
    assert_eq!(store.unreadable.get(&Source::TrailFiles), None);
}

#[tokio::test(start_paused = true)]
async fn a_file_that_is_no_log_file_and_a_notice_that_is_no_notice_are_counted_and_passed() {
    let mut config = three_sources(13);
    config.actors.clear();
    let (sim, clock) = sim(config.clone());
    let key = "AWSLogs/123456789012/CloudTrail/us-east-1/2026/12/01/not-a-log.json.gz";
    sim.put_trail_file("secretwatch-trail-logs", key, b"not gzip at all".to_vec());
    sim.send_trail_file_notice("junk-1", "this is not JSON");
    let mut engine = Engine::start(sim.clone(), clock, engine_config(&config));
    let mut store = Store::default();
    let changes = run_engine(&mut engine, clock, &mut store, 120).await;

    assert_eq!(store.unreadable.get(&Source::TrailFiles), Some(&2));
    assert!(!changes.iter().any(|c| matches!(c, Change::Access(_))));
    let health = store.health.health(Source::TrailFiles, clock.now());
    assert!(
        matches!(health, secretwatch::store::Health::Fresh { .. }),
        "passed, not failing: {health:?}"
    );
    // Both messages were deleted: nothing comes back after the visibility timeout.
    let received = sim.calls("ReceiveMessage").len();
    assert!(received > 2, "{received}");
}

/// Every five minutes a file of the trail's records, announced on the queue; together
/// the files hold every read event history holds, each once.
#[tokio::test(start_paused = true)]
async fn the_files_hold_every_read_once_and_each_is_announced() {
    let mut config = SimConfig::demo(8, Scenario::Healthy);
    config.prehistory = Duration::ZERO;
    config.actors = vec![busy_reader("ann", (5, 20))];
    config.timings.trail_file_late = 0.0;
    let (sim, _) = sim(config);
    tokio::time::advance(Duration::from_secs(31 * 60)).await;
    sim.with_world(|w| w.stop_actors());
    tokio::time::advance(Duration::from_secs(6 * 60)).await;

    let mut reads = Vec::new();
    let mut announced = 0;
    loop {
        let got = sim
            .receive(Feed::TrailFiles, 10, Duration::ZERO)
            .await
            .expect("queue");
        if got.is_empty() {
            break;
        }
        for message in &got {
            for file in log_files(&message.body).expect("a notification") {
                announced += 1;
                let bytes = sim
                    .log_file(&file.bucket, &file.key, MAX_LOG_FILE_BYTES)
                    .await
                    .expect("the file");
                let log = shown_in_log_file(&bytes, MAX_LOG_FILE_BYTES).expect("a log file");
                reads.extend(log.shown.into_iter().map(|r| r.event_id));
            }
        }
        let receipts: Vec<String> = got.into_iter().map(|m| m.receipt).collect();
        sim.delete_received(Feed::TrailFiles, &receipts)
            .await
            .expect("delete");
    }
    assert!(
        (7..=8).contains(&announced),
        "{announced} files in 37 minutes"
    );
    let unique: HashSet<&String> = reads.iter().collect();
    assert_eq!(unique.len(), reads.len(), "each read in one file");
    let truth: HashSet<String> = sim
        .recorded_event_ids("GetSecretValue")
        .into_iter()
        .collect();
    assert_eq!(unique.len(), truth.len());
    assert!(reads.iter().all(|id| truth.contains(id)));
}

/// With two hours of the account's past written to the trail's bucket, the trail-file
/// source alone (no LookupEvents) shows every read of the last hour from the files, and
/// says how far it is as it goes; for an organization trail too, whose files sit under the
/// organization's folder, found by listing.
#[tokio::test(start_paused = true)]
async fn backfill_reads_the_windows_files_from_the_bucket_with_its_progress() {
    for organization in [false, true] {
        backfill_of_an_hour(organization).await;
    }
}

async fn backfill_of_an_hour(organization: bool) {
    let mut config = three_sources(14);
    config.prehistory = Duration::from_secs(2 * 3600);
    config.organization_trail = organization;
    let (sim, clock) = sim(config.clone());
    sim.with_world(|w| w.stop_actors());
    let mut engine_config = engine_config(&config);
    engine_config.sources = vec![Source::TrailFiles];
    engine_config.backfill = Duration::from_secs(3600);
    let start = clock.now();
    let mut engine = Engine::start(sim.clone(), clock, engine_config);
    let mut store = Store::default();
    let changes = run_engine(&mut engine, clock, &mut store, 60).await;

    let hour = secretwatch::cloud::types::EventQuery {
        lookup: secretwatch::cloud::types::LookupAttribute::EventName("GetSecretValue".into()),
        start: start - chrono::TimeDelta::hours(1),
        end: start,
        next_token: None,
    };
    let window: HashSet<String> = sim
        .with_world(|w| w.history.ids_matching(&hour))
        .into_iter()
        .collect();
    assert!(
        window.len() > 100,
        "only {} reads in the hour",
        window.len()
    );
    let shown: HashSet<String> = access_ids(&changes).into_iter().collect();
    assert!(
        window.is_subset(&shown),
        "{} of {} shown",
        shown.len(),
        window.len()
    );
    assert!(shown.iter().all(|id| sim.delivered_at(id).is_some()));
    let (done, total) = store.backfill[&Source::TrailFiles];
    assert_eq!(done, total);
    // A file every five minutes over the hour and the 20 minutes before it (a file holds
    // the minutes before its name's time): 16 or 17.
    assert!(
        (16..=17).contains(&total),
        "{total} files for the hour and its margin"
    );
}
