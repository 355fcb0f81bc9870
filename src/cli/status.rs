//! `secretwatch status`: the account, the alarm and the health of every source, after
//! one poll of each.

use super::args::JsonArg;
use super::exit::Exit;
use super::open::Opened;
use super::output::{report, say};
use super::poll_once::poll_once;
use crate::engine::{Engine, Source};
use crate::store::{Health, Store};
use crate::text::sanitize::json_for_terminal;
use serde_json::json;

pub async fn run(mut opened: Opened, args: JsonArg) -> Exit {
    if let Some(error) = &opened.connect_error {
        return report(error);
    }
    opened.engine.sources = vec![Source::Events, Source::Metric, Source::Alarms];
    let mut engine = Engine::start(opened.cloud.clone(), opened.clock, opened.engine.clone());
    let mut store = Store::default();
    store.acks = crate::ack::AckBook::new(std::mem::take(&mut opened.acks));
    let outcome = poll_once(&mut engine, &opened, &mut store, true).await;
    let now = opened.clock.now();
    let sources: serde_json::Map<String, serde_json::Value> = opened
        .engine
        .sources
        .iter()
        .map(|s| {
            (
                s.label().to_string(),
                health_json(&store.health.health(*s, now)),
            )
        })
        .collect();
    let alarm = store.alarm.found();
    let report_json = json!({
        "backend": store.identity.as_ref().map(|i| i.backend),
        "account": store.identity.as_ref().map(|i| i.account.clone()),
        "region": store.identity.as_ref().map(|i| i.region.clone()),
        "principal": store.identity.as_ref().map(|i| i.principal.clone()),
        "alarm": alarm,
        "acknowledgement": store.ack_state(),
        "accesses": store.timeline.len(),
        "sources": sources,
        "error": outcome.as_ref().err().map(ToString::to_string),
    });
    match json_for_terminal(&report_json, !args.json) {
        Ok(text) => say!("{text}"),
        Err(_) => return Exit::Failure,
    }
    match outcome {
        Ok(()) => Exit::Ok,
        Err(error) => report(&error),
    }
}

fn health_json(health: &Health) -> serde_json::Value {
    match health {
        Health::Starting => json!({ "health": "starting" }),
        Health::Fresh { at } => json!({ "health": "fresh", "at": at }),
        Health::Stale { since } => json!({ "health": "stale", "since": since }),
        Health::Throttled { retry_at } => json!({ "health": "throttled", "retry_at": retry_at }),
        Health::Failing {
            why, since, hint, ..
        } => {
            json!({ "health": "failing", "since": since, "why": why, "hint": hint })
        }
        Health::Unavailable { why } => json!({ "health": "unavailable", "why": why }),
    }
}
