//! `secretwatch test-access --trace`: the test access followed headless, link by link,
//! each printed as it is seen (a JSON line each with `--json`). Exits 0 when the alarm's
//! message arrives, 1 naming the link where the chain stopped, 2 when it could not run.

use super::exit::Exit;
use super::open::Opened;
use super::output::{complain, report, say, say_json};
use crate::engine::{Engine, Job, Source};
use crate::store::{Change, Store, TestStage};
use crate::text::sanitize::sanitize_line;
use crate::trace::{Link, Outcome, Seen, Trace, seen_words};
use serde::Serialize;

/// A JSON line: a link as it is seen, then the whole trace when it ends.
#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum Line<'a> {
    Link(&'a Seen),
    Late { link: Link },
    Trace(&'a Trace),
}

pub async fn run(opened: Opened, json: bool) -> Exit {
    if let Some(error) = &opened.connect_error {
        report(error);
        return Exit::CannotRun;
    }
    let mut store = Store::default();
    store.trace_book = opened.open_traces();
    // What a trace reads: the fast path, the metric, the alarm and its queue. The history
    // and the log group are the tracer's; no backfill of the timeline.
    let mut config = opened.engine.clone();
    config.sources.retain(|s| {
        matches!(
            s,
            Source::FastPath | Source::Metric | Source::Alarms | Source::AlarmQueue
        )
    });
    let mut engine = Engine::start(opened.cloud.clone(), opened.clock, config);
    let marker = format!("secretwatch-trace-cli-{}", std::process::id());
    store.request_test(marker.clone(), opened.clock.now());
    // The doctor's findings name the fix where the chain stops.
    let jobs = [
        Job::Doctor { every_scope: false },
        Job::TestAccess {
            marker: marker.clone(),
        },
    ];
    for job in jobs {
        if engine.jobs.send(job).is_err() {
            complain("the engine stopped before the test access");
            return Exit::CannotRun;
        }
    }
    let mut printed = Vec::new();
    let mut late = 0;
    while let Some(update) = engine.updates.recv().await {
        for change in store.apply(update, opened.clock.now()) {
            match change {
                Change::TestAccess(t) if t.marker == marker => {
                    if let TestStage::Failed { error } = &t.stage {
                        complain(format_args!("the test access failed: {error}"));
                        return Exit::CannotRun;
                    }
                }
                Change::Trace(t) if t.marker == marker => {
                    print_new(&t, json, &mut printed, &mut late);
                    if !t.is_running() {
                        return finish(&t, json);
                    }
                }
                _ => {}
            }
        }
    }
    complain("the engine stopped before the trace ended");
    Exit::CannotRun
}

/// Each link seen since the last call, in the order they happened; each link newly late.
fn print_new(trace: &Trace, json: bool, printed: &mut Vec<Link>, late: &mut usize) {
    let mut new: Vec<&Seen> = trace
        .links
        .iter()
        .filter(|s| !printed.contains(&s.link))
        .collect();
    new.sort_by_key(|s| s.at);
    for s in new {
        printed.push(s.link);
        if json {
            say_json(&Line::Link(s));
        } else {
            say!("✓ {}", sanitize_line(&seen_words(s), 400));
        }
    }
    for link in trace.late.iter().skip(*late) {
        if json {
            say_json(&Line::Late { link: *link });
        } else {
            say!(
                "⧗ {} late: not seen within {}",
                link.label(),
                crate::trace::span(trace.bounds.secs(*link))
            );
        }
    }
    *late = trace.late.len();
}

fn finish(trace: &Trace, json: bool) -> Exit {
    if json {
        say_json(&Line::Trace(trace));
    } else {
        say!("{}", sanitize_line(&trace.outcome_words(), 600));
        if let Outcome::Stopped { finding, fix, .. } = &trace.outcome {
            if let Some(f) = finding {
                say!("  doctor: {}", sanitize_line(f, 400));
            }
            if let Some(f) = fix {
                say!("  → {}", sanitize_line(f, 400));
            }
        }
    }
    match trace.outcome {
        Outcome::Complete => Exit::Ok,
        _ => Exit::Failure,
    }
}
