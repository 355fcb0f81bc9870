//! The headless one-shot commands: `events`, `test-access`, `status`. They run the
//! same engine and store as the dashboard and print for scripts.

use crate::app::Opened;
use crate::cli::{EventsArgs, JsonArg};
use crate::cloud::{CloudError, ErrorKind};
use crate::engine::{Attempt, Engine, Source, Update};
use crate::store::{Change, Health, Store};
use crate::ui::format::{short_principal, short_secret};
use crate::ui::sanitize::{json_for_terminal, sanitize_line};
use serde_json::json;
use std::collections::BTreeSet;
use std::io::Write;
use std::process::ExitCode;

/// Could not check at all (no credentials, no region, bad configuration).
const CANNOT_RUN: u8 = 2;

/// The error on stderr, with what to do about it.
pub fn print_error(error: &CloudError) {
    eprintln!("secretwatch: {error}");
    if let Some(hint) = error.hint() {
        eprintln!("  → {hint}");
    }
}

pub fn report(error: &CloudError) -> ExitCode {
    print_error(error);
    match error.kind {
        ErrorKind::Credentials | ErrorKind::InvalidInput | ErrorKind::AccessDenied => {
            ExitCode::from(CANNOT_RUN)
        }
        _ => ExitCode::from(1),
    }
}

fn transient(error: &CloudError) -> bool {
    matches!(
        error.kind,
        ErrorKind::Throttled | ErrorKind::Unreachable | ErrorKind::Service
    )
}

/// Feeds updates to the store until every source in `sources` answered once. Transient
/// failures are retried by the engine a few times; anything else ends the wait.
async fn poll_once(
    engine: &mut Engine,
    opened: &Opened,
    store: &mut Store,
    need_identity: bool,
) -> Result<(), CloudError> {
    let mut waiting: BTreeSet<Source> = opened.engine.sources.iter().copied().collect();
    let mut retries = 0;
    let identity_known = |store: &Store| store.identity.is_some() || store.identity_error.is_some();
    while !waiting.is_empty() || need_identity && !identity_known(store) {
        let Some(update) = engine.updates.recv().await else {
            break;
        };
        if let Update::Polled {
            source, attempt, ..
        } = &update
        {
            match attempt {
                Attempt::Ok | Attempt::Unsupported(_) => {
                    waiting.remove(source);
                }
                Attempt::Failed { error, .. } if !transient(error) || retries >= 3 => {
                    return Err(error.clone());
                }
                Attempt::Throttled { .. } | Attempt::Failed { .. } => retries += 1,
            }
        }
        store.apply(update, opened.clock.now());
    }
    Ok(())
}

pub async fn events(mut opened: Opened, args: EventsArgs) -> ExitCode {
    if let Some(error) = &opened.connect_error {
        return report(error);
    }
    opened.engine.sources = vec![Source::Events];
    opened.engine.backfill = args.since;
    let mut engine = Engine::start(opened.cloud.clone(), opened.clock, opened.engine.clone());
    let mut store = Store::default();
    let mut out = std::io::stdout().lock();
    if let Err(error) = poll_once(&mut engine, &opened, &mut store, false).await {
        return report(&error);
    }
    let mut events: Vec<_> = store.timeline.newest_first().collect();
    events.reverse();
    for event in events {
        if print_access(&mut out, event, args.json).is_err() {
            return ExitCode::from(1);
        }
    }
    if !args.follow {
        return ExitCode::SUCCESS;
    }
    while let Some(update) = engine.updates.recv().await {
        if let Update::Polled {
            attempt: Attempt::Failed { error, .. },
            ..
        } = &update
        {
            eprintln!("secretwatch: {error} (retrying)");
        }
        for change in store.apply(update, opened.clock.now()) {
            if let Change::Access(event) = change
                && print_access(&mut out, &event, args.json).is_err()
            {
                return ExitCode::from(1);
            }
        }
    }
    ExitCode::SUCCESS
}

fn print_access(
    out: &mut impl Write,
    e: &crate::event::AccessEvent,
    json: bool,
) -> std::io::Result<()> {
    if json {
        let line = json_for_terminal(e, false).map_err(std::io::Error::other)?;
        writeln!(out, "{line}")?;
    } else {
        let outcome = e.outcome.error_code().unwrap_or("ok");
        let line = format!(
            "{}  {}  {}  {}  {}  {}",
            e.time.format("%Y-%m-%dT%H:%M:%SZ"),
            short_secret(&e.secret),
            short_principal(&e.principal),
            e.source_ip,
            e.client.label(),
            outcome
        );
        writeln!(out, "{}", sanitize_line(&line, 400))?;
    }
    out.flush()
}

pub async fn test_access(opened: Opened, args: JsonArg) -> ExitCode {
    if let Some(error) = &opened.connect_error {
        return report(error);
    }
    let marker = format!("secretwatch-test-cli-{}", std::process::id());
    match opened
        .cloud
        .fire_test_access(&opened.test_secret, &marker)
        .await
    {
        Ok(access) if args.json => match json_for_terminal(&access, false) {
            Ok(line) => {
                crate::say!("{line}");
                ExitCode::SUCCESS
            }
            Err(_) => ExitCode::from(1),
        },
        Ok(access) => {
            crate::say!(
                "read {} (version {}) at {}; its CloudTrail event carries app/{}",
                access.secret_arn,
                access.version_id,
                access.fired_at.format("%Y-%m-%dT%H:%M:%SZ"),
                access.marker
            );
            ExitCode::SUCCESS
        }
        Err(error) => report(&error),
    }
}

pub async fn status(mut opened: Opened, args: JsonArg) -> ExitCode {
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
    let alarm = store.alarm.clone().flatten();
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
        Ok(text) => crate::say!("{text}"),
        Err(_) => return ExitCode::from(1),
    }
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
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

pub async fn doctor(opened: Opened, args: JsonArg) -> ExitCode {
    if let Some(error) = &opened.connect_error {
        return report(error);
    }
    let mut names = opened.names.clone();
    names.secret = opened.test_secret.clone();
    let result =
        crate::chain::doctor::examine(opened.cloud.as_ref(), &names, opened.clock.now()).await;
    if args.json {
        match json_for_terminal(&result, false) {
            Ok(line) => crate::say!("{line}"),
            Err(_) => return ExitCode::from(1),
        }
    } else {
        for f in &result.findings {
            let mark = match f.state {
                crate::chain::LinkState::Ok => "ok     ",
                crate::chain::LinkState::Warning => "WARN   ",
                crate::chain::LinkState::Broken => "BROKEN ",
                crate::chain::LinkState::Unknown => "unknown",
            };
            crate::say!(
                "{mark} {:<14} {}",
                f.link.label(),
                sanitize_line(&f.summary, 300)
            );
            if !f.evidence.is_empty() {
                crate::say!("{:>23}evidence: {}", "", sanitize_line(&f.evidence, 300));
            }
            if let Some(fix) = &f.fix {
                crate::say!("{:>23}fix: {}", "", sanitize_line(fix, 300));
            }
        }
    }
    ExitCode::from(result.exit_code())
}
