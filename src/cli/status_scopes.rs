//! `status` over several scopes: the other scopes beside the focused one, each with its
//! account and region, its alarm, its accesses and the health of what it polls.

use super::status::{health_json, health_text, when};
use crate::engine::{Source, UNFOCUSED};
use crate::store::{Lookup, ScopeView, Store};
use chrono::{DateTime, Utc};
use serde_json::{Value, json};

/// What another scope polls, of what the command asked.
fn polled(sources: &[Source]) -> impl Iterator<Item = Source> + '_ {
    UNFOCUSED.into_iter().filter(|s| sources.contains(s))
}

fn place(i: usize, view: &ScopeView) -> String {
    match (view.account(), view.region()) {
        (Some(account), Some(region)) => format!("{account} in {region}"),
        (None, Some(region)) => region.to_string(),
        _ => format!("scope {}", i + 1),
    }
}

pub fn lines(store: &Store, sources: &[Source], now: DateTime<Utc>) -> Vec<String> {
    let mut out = Vec::new();
    for (i, view) in &store.others {
        out.push(format!("scope     {}", place(*i, view)));
        if let (None, Some(error)) = (&view.identity, &view.identity_error) {
            out.push(format!("  not connected: {error}"));
            continue;
        }
        out.push(match &view.alarm {
            Lookup::Found(a) => format!(
                "  alarm   {} is {} since {}",
                a.name,
                a.state.as_str(),
                when(a.state_since)
            ),
            Lookup::Missing => "  alarm   none in this scope".to_string(),
            Lookup::Waiting => "  alarm   no answer".to_string(),
        });
        out.push(format!("  accesses {} seen", view.accesses));
        for source in polled(sources) {
            let health = health_text(view.health.health(source, now));
            out.push(format!("  {:<8}{health}", source.label()));
        }
    }
    out
}

pub fn json(store: &Store, sources: &[Source], now: DateTime<Utc>) -> Value {
    let scopes: Vec<Value> = store
        .others
        .values()
        .map(|view| {
            let health: serde_json::Map<String, Value> = polled(sources)
                .map(|s| {
                    let health = health_json(&view.health.health(s, now));
                    (s.label().to_string(), health)
                })
                .collect();
            json!({
                "account": view.account(),
                "region": view.region(),
                "alarm": view.alarm.found(),
                "accesses": view.accesses,
                "sources": health,
                "error": view.identity_error.as_ref().filter(|_| view.identity.is_none())
                    .map(ToString::to_string),
            })
        })
        .collect();
    Value::Array(scopes)
}
