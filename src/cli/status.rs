//! `secretwatch status`: the account, the alarm and the health of every source, after
//! one poll of each.

use super::args::JsonArg;
use super::exit::Exit;
use super::open::Opened;
use super::output::{report, say, say_json};
use super::poll_once::poll_once;
use crate::ack::AckState;
use crate::cloud::scope::Scope;
use crate::engine::Source;
use crate::store::{Health, Lookup, Store};
use crate::text::sanitize::sanitize_line;
use chrono::{DateTime, Utc};
use serde_json::json;
use std::collections::HashMap;

pub async fn run(mut opened: Opened, args: JsonArg) -> Exit {
    if let Some(error) = &opened.connect_error {
        return report(error);
    }
    opened.engine.sources = vec![Source::Events, Source::Metric, Source::Alarms];
    if let Some(note) = &opened.scope_note {
        super::output::complain(sanitize_line(note, 600));
    }
    let mut engine = opened.start_engine(false);
    let mut store = Store::default();
    store.acks = crate::ack::AckBook::new(std::mem::take(&mut opened.acks));
    let outcome = poll_once(&mut engine, &opened, &mut store, true).await;
    let now = opened.clock.now();
    let homes = super::status_scopes::homes(&opened, &store).await;
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
    if !args.json {
        let budget = opened.engine.lookups_per_second;
        let alarm = &opened.names.alarm;
        for line in lines(&store, &homes, alarm, &opened.engine.sources, now) {
            say!("{}", sanitize_line(&line, 600));
        }
        say!(
            "budget    LookupEvents at most {budget} call/s in each scope (AWS allows 2 per \
             account and region, shared with its other tools; poll.lookups_per_second)"
        );
        return match outcome {
            Ok(()) => Exit::Ok,
            Err(error) => report(&error),
        };
    }
    let alarm = store.alarm.found();
    let report_json = json!({
        "backend": store.identity.as_ref().map(|i| i.backend),
        "account": store.identity.as_ref().map(|i| i.account.clone()),
        "region": store.identity.as_ref().map(|i| i.region.clone()),
        "principal": store.identity.as_ref().map(|i| i.principal.clone()),
        "alarm": alarm,
        "chain_in": homes.get(&0),
        "acknowledgement": store.ack_state(),
        "accesses": store.timeline.reads(),
        "sources": sources,
        "scopes": super::status_scopes::json(&store, &homes, &opened.engine.sources, now),
        "error": outcome.as_ref().err().map(ToString::to_string),
    });
    if say_json(&report_json) != Exit::Ok {
        return Exit::Failure;
    }
    match outcome {
        Ok(()) => Exit::Ok,
        Err(error) => report(&error),
    }
}

pub(super) fn health_json(health: &Health) -> serde_json::Value {
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

pub(super) fn when(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M:%S UTC").to_string()
}

/// The same report as lines a person reads.
fn lines(
    store: &Store,
    homes: &HashMap<usize, Scope>,
    alarm_name: &str,
    sources: &[Source],
    now: DateTime<Utc>,
) -> Vec<String> {
    let mut out = Vec::new();
    out.push(match &store.identity {
        Some(i) => {
            let backend = match i.backend {
                crate::cloud::types::Backend::Demo => " (the embedded demo account)",
                crate::cloud::types::Backend::Aws => "",
            };
            format!(
                "account   {} in {}{backend}, as {}",
                i.account, i.region, i.principal
            )
        }
        None => "account   unknown: no answer from STS".to_string(),
    });
    out.push(match &store.alarm {
        Lookup::Found(a) => format!(
            "alarm     {} is {} since {}",
            a.name,
            a.state.as_str(),
            when(a.state_since)
        ),
        Lookup::Missing => match homes.get(&0) {
            Some(home) => format!(
                "alarm     {alarm_name} is {}",
                super::status_scopes::alarm_elsewhere(home)
            ),
            None => format!("alarm     {alarm_name} does not exist in this account and region"),
        },
        Lookup::Waiting => format!("alarm     {alarm_name}: no answer"),
    });
    if let Some(state) = store.ack_state() {
        out.push(match state {
            AckState::Quiet => "ack       nothing to acknowledge: not in ALARM".to_string(),
            AckState::Unacknowledged { episode } => format!(
                "ack       NOT acknowledged: in ALARM since {} (`secretwatch ack` to take it on)",
                when(episode.since)
            ),
            AckState::Acknowledged { ack } => format!(
                "ack       acknowledged by {} at {}{}",
                ack.by,
                when(ack.at),
                ack.note.map(|n| format!(": {n}")).unwrap_or_default()
            ),
        });
    }
    out.push(match store.others.len() {
        0 => format!("accesses  {} seen", store.timeline.reads()),
        n => format!(
            "accesses  {} seen in {} scopes (each scope's below)",
            store.timeline.reads(),
            n + 1
        ),
    });
    out.push("sources".to_string());
    for source in sources {
        let health = health_text(store.health.health(*source, now));
        out.push(format!("  {:<8}{health}", source.label()));
    }
    out.extend(super::status_scopes::lines(store, homes, sources, now));
    out
}

pub(super) fn health_text(health: Health) -> String {
    match health {
        Health::Starting => "not read yet".to_string(),
        Health::Fresh { at } => format!("fresh, read at {}", when(at)),
        Health::Stale { since } => format!("stale since {}", when(since)),
        Health::Throttled { retry_at } => {
            format!("throttled, retrying at {}", when(retry_at))
        }
        Health::Failing {
            why, since, hint, ..
        } => format!(
            "failing since {}: {why}{}",
            when(since),
            hint.map(|h| format!(" (→ {h})")).unwrap_or_default()
        ),
        Health::Unavailable { why } => format!("unavailable: {why}"),
    }
}
