//! Acknowledgements over the embedded account on paused time: an acknowledgement
//! covers the episode it was made in; the next firing is a new, unacknowledged
//! episode that rings the bell again; the journal carries them across restarts.

mod common;

use common::*;
use secretwatch::ack::journal::Journal;
use secretwatch::ack::{AckBook, AckState, Episode};
use secretwatch::cloud::sim::{Scenario, SimCloud, SimConfig};
use secretwatch::cloud::types::AlarmState;
use secretwatch::engine::{Engine, Job, Update};
use secretwatch::ui::app::App;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

fn config() -> SimConfig {
    let mut c = SimConfig::demo(11, Scenario::Healthy);
    c.call_latency = (Duration::ZERO, Duration::ZERO);
    c.actors.clear();
    c
}

fn journal(name: &str) -> Journal {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("acks-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    Journal::at(dir.join("acks.jsonl"))
}

struct Rig {
    sim: Arc<SimCloud>,
    clock: secretwatch::clock::Clock,
    engine: Engine,
    app: App,
    /// Every Acknowledged update's alarm reset outcome, in order.
    resets: Vec<Option<Result<(), String>>>,
}

impl Rig {
    fn start(journal: &Journal, sets_ok: bool, admin: bool) -> Rig {
        let c = config();
        let (sim, clock) = sim(c.clone());
        let mut ec = engine_config(&c);
        ec.journal = Some(journal.clone());
        ec.ack_sets_alarm_ok = sets_ok;
        let admin = admin.then(|| sim.clone() as Arc<dyn secretwatch::cloud::admin::ChainAdmin>);
        let engine = Engine::start_with_admin(sim.clone(), admin, clock, ec);
        let app = App::new(clock, "secretwatch-test".into());
        Rig {
            sim,
            clock,
            engine,
            app,
            resets: Vec::new(),
        }
    }

    /// Runs for `secs` simulated seconds, every update through the app as the TUI does.
    async fn run(&mut self, secs: u64) {
        let until = tokio::time::Instant::now() + Duration::from_secs(secs);
        loop {
            tokio::select! {
                update = self.engine.updates.recv() => match update {
                    Some(u) => {
                        if let Update::Acknowledged(done) = &u {
                            self.resets.push(done.reset.clone());
                        }
                        self.app.on_update(u);
                    }
                    None => break,
                },
                () = tokio::time::sleep_until(until) => break,
            }
        }
    }

    /// Runs until the app's alarm is in `state` (at most `max_secs`).
    async fn until_alarm(&mut self, state: AlarmState, max_secs: u64) {
        for _ in 0..max_secs / 5 {
            let now = self.app.store.alarm.found().map(|a| a.state);
            if now == Some(state) {
                return;
            }
            self.run(5).await;
        }
        panic!(
            "the alarm did not reach {state:?} within {max_secs} s: {:?}",
            self.app.store.alarm
        );
    }

    async fn fire(&mut self, n: u32) {
        self.engine
            .jobs
            .send(Job::TestAccess {
                marker: format!("secretwatch-test-ack-{n}"),
            })
            .expect("worker alive");
    }

    fn state(&self) -> AckState {
        self.app.store.ack_state().expect("alarm and account known")
    }

    fn unacknowledged(&self) -> Episode {
        match self.state() {
            AckState::Unacknowledged { episode } => episode,
            other => panic!("expected an unacknowledged episode, got {other:?}"),
        }
    }

    async fn acknowledge(&mut self, episode: Episode, note: &str) {
        self.engine
            .jobs
            .send(Job::Acknowledge {
                episode,
                note: Some(note.into()),
            })
            .expect("worker alive");
        self.run(5).await;
    }
}

#[tokio::test(start_paused = true)]
async fn an_acknowledgement_covers_its_episode_and_the_next_firing_is_a_new_one() {
    let journal = journal("episodes");
    let mut rig = Rig::start(&journal, false, true);
    rig.run(10).await;
    rig.until_alarm(AlarmState::Ok, 600).await;
    assert_eq!(rig.state(), AckState::Quiet);
    assert!(!rig.app.take_bell(), "no bell while nothing fires");

    rig.fire(1).await;
    rig.until_alarm(AlarmState::Alarm, 300).await;
    let first = rig.unacknowledged();
    assert!(rig.app.take_bell(), "a new unacknowledged ALARM rings");
    rig.run(30).await;
    assert!(!rig.app.take_bell(), "the bell rings once per episode");

    rig.acknowledge(first.clone(), "on it").await;
    match rig.state() {
        AckState::Acknowledged { ack } => {
            assert_eq!(ack.episode, first);
            assert_eq!(ack.by, secretwatch::ack::local_user());
            assert_eq!(ack.note.as_deref(), Some("on it"));
            assert_eq!(ack.at, rig.clock.now() - chrono::TimeDelta::seconds(5));
        }
        other => panic!("not acknowledged: {other:?}"),
    }
    assert_eq!(rig.resets, vec![None], "no reset unless configured");

    // Quiet again, then a new firing: a new episode, not covered, and the bell again.
    rig.until_alarm(AlarmState::Ok, 900).await;
    assert_eq!(rig.state(), AckState::Quiet);
    rig.fire(2).await;
    rig.until_alarm(AlarmState::Alarm, 300).await;
    let second = rig.unacknowledged();
    assert!(second.since > first.since, "{second:?} after {first:?}");
    assert!(rig.app.take_bell());

    // A restart reads the journal: the first episode is still covered, the second not.
    let loaded = journal.load().expect("journal reads back");
    assert!(loaded.damaged.is_empty());
    assert_eq!(loaded.acks.len(), 1);
    let book = AckBook::new(loaded.acks);
    let scope = rig.app.store.scope().expect("scope");
    assert!(book.covering(&scope, &first).is_some());
    assert!(book.covering(&scope, &second).is_none());
}

#[tokio::test(start_paused = true)]
async fn with_set_alarm_ok_the_alarm_is_reset_with_a_reason_naming_who() {
    let journal = journal("reset");
    let mut rig = Rig::start(&journal, true, true);
    rig.run(10).await;
    rig.fire(1).await;
    rig.until_alarm(AlarmState::Alarm, 300).await;
    let episode = rig.unacknowledged();
    rig.acknowledge(episode, "false positive").await;
    assert_eq!(rig.resets, vec![Some(Ok(()))]);
    let reset = rig.sim.with_world(|w| {
        w.alarm_history
            .iter()
            .rev()
            .find(|t| t.to == AlarmState::Ok)
            .cloned()
    });
    let reset = reset.expect("a transition to OK");
    assert!(
        reset.reason.contains("acknowledged by") && reset.reason.contains("false positive"),
        "{}",
        reset.reason
    );
    // As on AWS, the alarm is evaluated again: while the metric still breaches it
    // fires again, and that is a new episode nobody has acknowledged.
    rig.run(120).await;
    match rig.state() {
        AckState::Unacknowledged { episode: next } => assert!(next.since >= reset.time),
        AckState::Quiet => {}
        AckState::Acknowledged { ack } => panic!("the old acknowledgement still covers: {ack:?}"),
    }
}

#[tokio::test(start_paused = true)]
async fn read_only_still_saves_the_acknowledgement_but_leaves_the_alarm() {
    let journal = journal("read-only");
    let mut rig = Rig::start(&journal, true, false);
    rig.run(10).await;
    rig.fire(1).await;
    rig.until_alarm(AlarmState::Alarm, 300).await;
    let episode = rig.unacknowledged();
    rig.acknowledge(episode, "seen").await;
    assert!(matches!(rig.state(), AckState::Acknowledged { .. }));
    assert!(
        matches!(&rig.resets[..], [Some(Err(why))] if why.contains("read-only")),
        "{:?}",
        rig.resets
    );
    assert_eq!(rig.sim.with_world(|w| w.alarms[0].state), AlarmState::Alarm);
    assert_eq!(journal.load().expect("loads").acks.len(), 1);
}

/// An acknowledgement saved by another terminal after this dashboard last read the journal:
/// a second one of the same episode is refused, naming who took it on, and not saved.
#[tokio::test(start_paused = true)]
async fn an_episode_acknowledged_elsewhere_is_not_acknowledged_twice() {
    use secretwatch::ack::act::Acknowledger;
    let journal = journal("elsewhere");
    let (sim, clock) = sim(config());
    let episode = Episode {
        alarm: "SecretIsAccessed-alarm".into(),
        since: clock.now(),
    };
    let acknowledger = Acknowledger {
        cloud: sim.as_ref(),
        admin: None,
        journal: &journal,
        set_alarm_ok: false,
        once_per_episode: true,
    };
    // "Elsewhere": the same journal, written by another acknowledger.
    acknowledger
        .acknowledge(episode.clone(), Some("mine".into()), clock.now())
        .await
        .expect("the first is saved");
    let again = acknowledger
        .acknowledge(episode, Some("theirs".into()), clock.now())
        .await
        .expect_err("the second is refused");
    assert!(again.starts_with("already acknowledged by"), "{again}");
    assert_eq!(journal.load().expect("journal").acks.len(), 1);
}
