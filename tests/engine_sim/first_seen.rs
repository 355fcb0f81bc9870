//! First seen through the engine on paused time: the history read at the first start
//! teaches the baseline and nothing in it is marked; a newcomer's first read is marked once;
//! after the process dies (nothing shut down: the baseline is on disk as each batch is
//! taken in), the restart marks that same read again and nothing else.

use super::*;
use secretwatch::access::AccessEvent;
use secretwatch::baseline::{Baseline, file_name};
use secretwatch::cloud::sim::secret_reader;
use secretwatch::state_file::StateFile;

/// The accesses the timeline shows marked, oldest first.
fn marked(store: &Store) -> Vec<(String, String, Vec<&'static str>)> {
    let mut marked: Vec<_> = store
        .timeline
        .newest_first()
        .filter(|e| !e.first_seen.is_empty())
        .map(|e: &AccessEvent| {
            let dims = e.first_seen.dims().map(|d| d.label()).collect();
            (e.event_id.to_string(), e.principal.to_string(), dims)
        })
        .collect();
    marked.reverse();
    marked
}

#[tokio::test(start_paused = true)]
async fn a_newcomers_first_read_is_marked_once_and_again_after_a_crash() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("first-seen-engine");
    let _ = std::fs::remove_dir_all(&dir);
    let file = || Some(StateFile::at(dir.join(file_name(true))));
    let mut config = SimConfig::demo(41, Scenario::Healthy);
    config.actors = vec![busy_reader("ann", (20, 40))];
    config.noise = false;
    config.prehistory = Duration::from_secs(30 * 60);
    let (sim, clock) = sim(config.clone());
    let hour = TimeDelta::hours(1);

    let mut store = Store::default();
    store.baseline = Baseline::open(file(), clock.now(), clock.now() - hour);
    let mut engine = Engine::start(sim.clone(), clock, engine_config(&config));
    let before = run_engine(&mut engine, clock, &mut store, 10 * 60).await;
    assert!(
        before.iter().any(|c| matches!(c, Change::Access(_))),
        "ann's history and reads"
    );
    assert_eq!(marked(&store), [], "ann is known from the history");

    sim.with_world(|w| {
        w.add_reader(secret_reader(
            "mallory",
            "IAMUser",
            "198.51.100.9",
            "Boto3/1.35.60 Python/3.12.6",
            (60, 90),
        ))
    });
    let after = run_engine(&mut engine, clock, &mut store, 30 * 60).await;
    // CloudTrail delivers out of order: a read that arrives after a later one of the same
    // newcomer takes the mark from it.
    let newcomer = marked(&store);
    assert_eq!(newcomer.len(), 1, "{newcomer:?}");
    let first_read = after
        .iter()
        .filter_map(|c| match c {
            Change::Access(e) if e.principal.ends_with("mallory") => Some(e),
            _ => None,
        })
        .min_by_key(|e| e.time)
        .expect("mallory read");
    assert_eq!(newcomer[0].0, *first_read.event_id);
    assert!(newcomer[0].1.ends_with("user/mallory"), "{newcomer:?}");
    assert_eq!(newcomer[0].2, ["principal", "ip", "client"]);
    let mallory_reads = after
        .iter()
        .filter(|c| matches!(c, Change::Access(e) if e.principal.ends_with("mallory")))
        .count();
    assert!(mallory_reads > 3, "mallory read {mallory_reads} times");

    // Killed: nothing is closed or flushed on the way out.
    std::mem::forget(store);
    drop(engine);

    let mut store = Store::default();
    store.baseline = Baseline::open(file(), clock.now(), clock.now() - hour);
    assert_eq!(
        store.baseline.learning_from, None,
        "made once, at the first start"
    );
    let mut engine = Engine::start(sim.clone(), clock, engine_config(&config));
    run_engine(&mut engine, clock, &mut store, 5 * 60).await;
    assert_eq!(
        marked(&store),
        newcomer,
        "the same read is the first, and nothing else is new"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
