//! `status` over several scopes: the other scopes beside the focused one, each with its
//! account and region, its alarm, its accesses and the health of what it polls.

use super::open::Opened;
use super::status::{health_json, health_text, when};
use crate::cloud::Cloud;
use crate::cloud::scope::Scope;
use crate::engine::{Source, UNFOCUSED};
use crate::store::{Lookup, ScopeView, Store};
use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::Arc;

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

/// Where each scope without an alarm of its own has its chain, when another account's
/// organization trail carries its events (0 the focused scope, then the others'
/// indexes): asked only of those scopes, one DescribeTrails each.
pub async fn homes(opened: &Opened, store: &Store) -> HashMap<usize, Scope> {
    let trail = &opened.names.trail;
    let mut asked: Vec<(usize, Arc<dyn Cloud>)> = Vec::new();
    if matches!(store.alarm, Lookup::Missing) {
        asked.push((0, opened.cloud.clone()));
    }
    for (i, view) in &store.others {
        if let (Lookup::Missing, Some((_, cloud))) = (&view.alarm, opened.others.get(i - 1)) {
            asked.push((*i, cloud.clone()));
        }
    }
    let mut tasks = tokio::task::JoinSet::new();
    for (i, cloud) in asked {
        let trail = trail.clone();
        tasks.spawn(async move { (i, crate::chain::elsewhere(cloud.as_ref(), &trail).await) });
    }
    let found = tasks.join_all().await;
    found
        .into_iter()
        .filter_map(|(i, home)| Some((i, home?)))
        .collect()
}

/// An alarm that is not in the scope, where the organization trail's chain lives.
pub fn alarm_elsewhere(home: &Scope) -> String {
    format!(
        "not in this account: the organization trail delivers its events to account {} \
         ({}), where its chain lives (`secretwatch doctor` examines it there when that \
         scope is watched)",
        home.account, home.region
    )
}

pub fn lines(
    store: &Store,
    homes: &HashMap<usize, Scope>,
    sources: &[Source],
    now: DateTime<Utc>,
) -> Vec<String> {
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
            Lookup::Missing => match homes.get(i) {
                Some(home) => format!("  alarm   {}", alarm_elsewhere(home)),
                None => "  alarm   none in this scope".to_string(),
            },
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

pub fn json(
    store: &Store,
    homes: &HashMap<usize, Scope>,
    sources: &[Source],
    now: DateTime<Utc>,
) -> Value {
    let scopes: Vec<Value> = store
        .others
        .iter()
        .map(|(i, view)| {
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
                "chain_in": homes.get(i),
                "accesses": view.accesses,
                "sources": health,
                "error": view.identity_error.as_ref().filter(|_| view.identity.is_none())
                    .map(ToString::to_string),
            })
        })
        .collect();
    Value::Array(scopes)
}
