//! `secretwatch events`: the accesses of the watched secrets, once or followed. The same
//! engine and store as the dashboard.

use super::args::EventsArgs;
use super::exit::Exit;
use super::open::Opened;
use super::output::{complain, report};
use super::poll_once::{failed_scopes, poll_once};
use crate::access::AccessEvent;
use crate::engine::{Attempt, Source, Update};
use crate::query::Query;
use crate::store::{Change, Store};
use crate::text::format::short_secret;
use crate::text::sanitize::{json_for_terminal, sanitize_line};
use crate::watched::WatchedSecret;
use chrono::TimeDelta;
use std::io::Write;
use unicode_width::UnicodeWidthStr;

pub async fn run(mut opened: Opened, args: EventsArgs) -> Exit {
    if let Some(error) = &opened.connect_error {
        return report(error);
    }
    let now = opened.clock.now();
    let from = args.since.at(now);
    let until = args.until.map(|u| u.at(now));
    let oldest = now - TimeDelta::days(90);
    if from < oldest || from >= now || until.is_some_and(|u| u <= from) {
        complain(format_args!(
            "the window {} to {} is empty or reaches past CloudTrail's 90 days: --since must \
             be in the last 90 days and before --until",
            from.format("%Y-%m-%dT%H:%M:%SZ"),
            until.unwrap_or(now).format("%Y-%m-%dT%H:%M:%SZ"),
        ));
        return Exit::CannotRun;
    }
    // Followed, the queue sources the config runs deliver too (seconds, not minutes, late);
    // a window of the past is CloudTrail's history alone.
    opened.engine.sources.retain(|s| match s {
        Source::Events => true,
        Source::FastPath | Source::TrailFiles => args.follow,
        _ => false,
    });
    let Some(query) = read_filter(args.filter.as_deref(), now) else {
        return Exit::CannotRun;
    };
    // Made now, the baseline learns from this window only: it is what is printed.
    let baseline = opened.open_baseline(true);
    if let Some(trouble) = &baseline.trouble {
        complain(sanitize_line(trouble, 600));
    }
    opened.engine.backfill = (now - from).to_std().unwrap_or_default();
    if let Some(note) = &opened.scope_note {
        complain(sanitize_line(note, 600));
    }
    let mut engine = opened.start_engine(false);
    let mut store = Store::default();
    store.baseline = baseline;
    store.narrowed = opened.narrowed.clone();
    let mut out = std::io::stdout().lock();
    if let Err(error) = poll_once(&mut engine, &opened, &mut store, false).await {
        return report(&error);
    }
    for warning in store.unresolved_secrets.iter().filter_map(|s| s.warning()) {
        complain(sanitize_line(&warning, 400));
    }
    // A scope that could not be read is said, and fails the listing: its accesses are not
    // in it, which must not read as "nobody read anything there".
    let failed = failed_scopes(&store, Source::Events);
    for (region, why) in &failed {
        complain(sanitize_line(
            &format!("{region}: its accesses could not be read: {why}"),
            400,
        ));
    }
    // Oldest first, as a log reads: --follow goes on at the bottom.
    let mut events: Vec<_> = store
        .shown()
        .filter(|e| e.time >= from && until.is_none_or(|u| e.time <= u))
        .collect();
    events.reverse();
    let shown: Vec<_> = events
        .iter()
        .copied()
        .filter(|e| query.matches(e))
        .collect();
    let mut columns = Columns::fit(&shown);
    if !args.json
        && (!shown.is_empty() || args.follow)
        && writeln!(out, "{}", columns.line(HEADER.map(String::from))).is_err()
    {
        return Exit::Failure;
    }
    for event in &shown {
        if print_access(&mut out, event, args.json, &mut columns).is_err() {
            return Exit::Failure;
        }
    }
    // A watched secret that does not exist, and of which no read was found, is a typo (or
    // the wrong region), not "nobody read it": say so with a failing status.
    let typo = store.unresolved_secrets.iter().any(|s| match s {
        WatchedSecret::Unresolved {
            given,
            missing: true,
            ..
        } => !events.iter().any(|e| e.secret.as_ref() == given.as_str()),
        _ => false,
    });
    if typo && !args.follow {
        return Exit::Failure;
    }
    if !args.follow {
        return if failed.is_empty() {
            Exit::Ok
        } else {
            Exit::Failure
        };
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
                && store.narrowed.as_ref().is_none_or(|n| n.matches(&event))
                && query.matches(&event)
                && print_access(&mut out, &event, args.json, &mut columns).is_err()
            {
                return Exit::Failure;
            }
        }
    }
    Exit::Ok
}

/// `--filter EXPR`, read; or None, the expression shown on stderr with where and why it
/// is wrong (the caller exits 2). No flag: the query that keeps everything.
pub fn read_filter(text: Option<&str>, now: chrono::DateTime<chrono::Utc>) -> Option<Query> {
    let text = text.unwrap_or("");
    match Query::parse(text, now) {
        Ok(query) => Some(query),
        Err(error) => {
            complain("--filter: not an expression secretwatch can read:");
            for line in error.pointed(text).lines() {
                eprintln!("  {line}");
            }
            None
        }
    }
}

/// The text output's columns; the time's says the order.
const HEADER: [&str; 6] = [
    "time (UTC, oldest first)",
    "secret",
    "principal",
    "source ip",
    "client",
    "result",
];

/// One access as the text output's cells, each made safe to print.
fn cells(e: &AccessEvent) -> [String; 6] {
    [
        e.time.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        short_secret(&e.secret),
        e.principal_shown(),
        e.source_ip.to_string(),
        e.client.label(),
        e.result_words(),
    ]
    .map(|cell| sanitize_line(&cell, 120))
}

/// Column widths: each the widest of the header and the listing's values, so that the rows
/// line up; a followed access wider than its column widens it from then on.
struct Columns([usize; 6]);

impl Columns {
    fn fit(events: &[&AccessEvent]) -> Self {
        let mut columns = Columns(HEADER.map(UnicodeWidthStr::width));
        for e in events {
            columns.widen(&cells(e));
        }
        columns
    }

    fn widen(&mut self, cells: &[String; 6]) {
        for (w, cell) in self.0.iter_mut().zip(cells) {
            *w = (*w).max(cell.width());
        }
    }

    fn line(&mut self, cells: [String; 6]) -> String {
        self.widen(&cells);
        let mut line = String::new();
        for (i, (cell, w)) in cells.iter().zip(self.0).enumerate() {
            line.push_str(cell);
            if i + 1 < cells.len() {
                line.push_str(&" ".repeat(w - cell.width() + 2));
            }
        }
        line
    }
}

fn print_access(
    out: &mut impl Write,
    e: &AccessEvent,
    json: bool,
    columns: &mut Columns,
) -> std::io::Result<()> {
    if json {
        let line = json_for_terminal(e, false).map_err(std::io::Error::other)?;
        writeln!(out, "{line}")?;
    } else {
        writeln!(out, "{}", columns.line(cells(e)))?;
    }
    out.flush()
}
