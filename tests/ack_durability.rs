//! The acknowledgement journal under kill -9: the real binary acknowledges against a
//! local server and is killed at a random moment, over and over; every
//! acknowledgement it reported as saved must be there when the next one starts.

mod common;

use common::ministack::Ministack;
use rand::{Rng, SeedableRng};
use secretwatch::ack::journal::Journal;
use std::io::Read;
use std::path::PathBuf;
use std::process::Stdio;
use std::time::Instant;

const ROUNDS: usize = 60;

#[test]
fn kill_9_at_any_moment_loses_no_acknowledgement_reported_saved() {
    let server = Ministack::start();
    server.put_alarm("Sum", "300", None);
    server.set_alarm_state("ALARM", "durability test");
    let state = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("ack-kill-9");
    let _ = std::fs::remove_dir_all(&state);
    let journal = Journal::at(state.join("acks.jsonl"));

    let ack = |note: &str| {
        let mut c = server.command();
        c.env("SECRETWATCH_STATE_DIR", &state)
            .args(["ack", "--note", note])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        c
    };
    // Whole runs tell how long a run takes (the quickest of three), so kills land
    // before, during and after the save.
    let mut span = std::time::Duration::MAX;
    let mut saved = Vec::new();
    for i in 0..3 {
        let note = format!("calibration-{i}");
        let started = Instant::now();
        let whole = ack(&note).output().expect("run");
        span = span.min(started.elapsed());
        assert!(
            whole.status.success() && String::from_utf8_lossy(&whole.stdout).contains("saved to"),
            "{}",
            String::from_utf8_lossy(&whole.stderr)
        );
        saved.push(note);
    }
    let mut killed_before_saving = 0;
    let mut boundary = span;
    let mut rng = rand::rngs::SmallRng::seed_from_u64(0x5ec7e7);
    for round in 0..ROUNDS {
        let note = format!("round-{round}");
        let mut child = ack(&note).spawn().expect("spawn");
        // A staircase around the moment of the save, so both sides of it are hit on
        // a fast machine or a slow one, and most kills land close to it.
        std::thread::sleep(boundary.mul_f64(rng.random_range(0.5..1.5)));
        let _ = child.kill(); // SIGKILL
        let status = child.wait().expect("reaped");
        let mut out = String::new();
        if let Some(mut stdout) = child.stdout.take() {
            let _ = stdout.read_to_string(&mut out);
        }
        if out.contains("saved to") {
            saved.push(note);
            boundary = boundary.mul_f64(0.85);
        } else {
            boundary = boundary.mul_f64(1.15);
            assert!(
                !status.success(),
                "round {round} ended well without saying saved"
            );
            killed_before_saving += 1;
        }
        // The restart: whatever the kill left, the journal reads, and holds every
        // acknowledgement that was reported saved.
        let loaded = journal.load().expect("a damaged journal is never fatal");
        let notes: Vec<&str> = loaded
            .acks
            .iter()
            .filter_map(|a| a.note.as_deref())
            .collect();
        for n in &saved {
            assert!(
                notes.contains(&n.as_str()),
                "{n} was reported saved and is lost"
            );
        }
        assert!(
            loaded.damaged.iter().all(|d| d.torn),
            "only a last line cut short may be damaged: {:?}",
            loaded.damaged
        );
    }
    eprintln!(
        "{} rounds saved, {killed_before_saving} killed before saving (run: {span:?})",
        saved.len() - 3
    );
    // Both sides of the save were hit, so the test says something.
    assert!(saved.len() > 5, "only {} rounds saved", saved.len());
    assert!(
        killed_before_saving > 5,
        "only {killed_before_saving} rounds killed early"
    );

    // And a run after all of that works, and the status reports the acknowledgement.
    let status = server
        .command()
        .env("SECRETWATCH_STATE_DIR", &state)
        .args(["status", "--json"])
        .output()
        .expect("status");
    let report: serde_json::Value = serde_json::from_slice(&status.stdout).expect("JSON");
    assert_eq!(report["acknowledgement"]["state"], "acknowledged");
    assert_eq!(report["acknowledgement"]["ack"]["note"], "calibration-0");
}
