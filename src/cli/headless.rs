//! The dashboard without a terminal: the same engine and store, printing one
//! line per change (JSON with `--json`) for scripts and tests.

use crate::clock::Clock;
use crate::engine::Engine;
use crate::store::{Change, Store};
use crate::text::format::{hms, short_principal, short_secret};
use chrono::TimeDelta;
use std::io::Write;
use std::time::Duration;

pub async fn run(
    mut engine: Engine,
    clock: Clock,
    duration: Option<Duration>,
    json: bool,
    out: &mut impl Write,
) -> color_eyre::Result<()> {
    let mut store = Store::default();
    let deadline = duration.map(|d| {
        clock.instant_at(clock.now() + TimeDelta::from_std(d).unwrap_or(TimeDelta::days(3650)))
    });
    let until = async {
        match deadline {
            Some(at) => tokio::time::sleep_until(at).await,
            None => std::future::pending().await,
        }
    };
    tokio::pin!(until);
    loop {
        tokio::select! {
            update = engine.updates.recv() => {
                let Some(update) = update else { return Ok(()) };
                for change in store.apply(update, clock.now()) {
                    let line = if json {
                        crate::text::sanitize::json_for_terminal(&change, false)?
                    } else {
                        human(&change)
                    };
                    // A reader that went away (`| head`) ends the run; it is not an error.
                    match writeln!(out, "{line}").and_then(|()| out.flush()) {
                        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(()),
                        other => other?,
                    }
                }
            }
            () = &mut until => return Ok(()),
        }
    }
}

fn human(change: &Change) -> String {
    use crate::text::sanitize::sanitize_line;
    let text = match change {
        Change::Access(e) => format!(
            "{} access {} by {} from {} ({}) {}",
            hms(e.time),
            short_secret(&e.secret),
            short_principal(&e.principal),
            e.source_ip,
            e.client.label(),
            e.outcome.error_code().unwrap_or("ok")
        ),
        Change::MetricPoint(p) => format!("{} metric {}", hms(p.time), p.value),
        Change::AlarmTransition(t) => format!(
            "{} alarm {} {} -> {}",
            hms(t.time),
            t.alarm,
            t.from.as_str(),
            t.to.as_str()
        ),
        Change::Notification(n) => {
            format!("{} notified {}: {}", hms(n.time), n.endpoint, n.subject)
        }
        Change::TestAccess(t) => format!(
            "{} test access {}: {:?}",
            hms(t.requested_at),
            t.marker,
            t.stage
        ),
        Change::Acknowledged(a) => format!(
            "{} acknowledged {} (ALARM since {}) by {}{}",
            hms(a.at),
            a.episode.alarm,
            hms(a.episode.since),
            a.by,
            a.note
                .as_deref()
                .map(|n| format!(": {n}"))
                .unwrap_or_default()
        ),
    };
    sanitize_line(&text, 1000)
}
