//! `secretwatch events`: the accesses of the watched secrets, once or followed. The same
//! engine and store as the dashboard.

use super::args::EventsArgs;
use super::exit::Exit;
use super::open::Opened;
use super::output::{complain, report};
use super::poll_once::poll_once;
use crate::engine::{Attempt, Engine, Source, Update};
use crate::store::{Change, Store};
use crate::text::format::{short_principal, short_secret};
use crate::text::sanitize::{json_for_terminal, sanitize_line};
use std::io::Write;

pub async fn run(mut opened: Opened, args: EventsArgs) -> Exit {
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
    for warning in &store.unresolved_secrets {
        complain(sanitize_line(warning, 400));
    }
    let mut events: Vec<_> = store.timeline.newest_first().collect();
    events.reverse();
    for event in events {
        if print_access(&mut out, event, args.json).is_err() {
            return Exit::Failure;
        }
    }
    if !args.follow {
        return Exit::Ok;
    }
    while let Some(update) = engine.updates.recv().await {
        if let Update::Polled {
            attempt: Attempt::Failed { error, .. },
            ..
        } = &update
        {
            complain(format_args!("{error} (retrying)"));
        }
        for change in store.apply(update, opened.clock.now()) {
            if let Change::Access(event) = change
                && print_access(&mut out, &event, args.json).is_err()
            {
                return Exit::Failure;
            }
        }
    }
    Exit::Ok
}

fn print_access(
    out: &mut impl Write,
    e: &crate::access::AccessEvent,
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
