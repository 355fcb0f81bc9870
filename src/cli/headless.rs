//! The dashboard without a terminal: the same engine and store, printing one
//! line per change (JSON with `--json`) for scripts and tests.

use crate::clock::Clock;
use crate::engine::Engine;
use crate::store::{Change, Store, TestStage};
use crate::text::format::{hms, short_secret};
use chrono::TimeDelta;
use std::io::Write;
use std::time::Duration;

/// How changes are printed: JSON or text, and the accesses the filter keeps (every other
/// change is printed).
pub struct Shown {
    pub json: bool,
    pub filter: crate::query::Query,
}

/// Runs `engine` into `store` (with its baseline), printing each change.
pub async fn run(
    mut engine: Engine,
    mut store: Store,
    clock: Clock,
    duration: Option<Duration>,
    shown: Shown,
    out: &mut impl Write,
) -> color_eyre::Result<()> {
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
                    if let Change::Access(e) = &change
                        && !shown.filter.matches(e)
                    {
                        continue;
                    }
                    let line = if shown.json {
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

/// Where a test access is, in the words the README's JSON uses for `stage`.
fn stage(stage: &TestStage) -> String {
    match stage {
        TestStage::Requested => "requested".to_string(),
        TestStage::Pending {
            secret_arn,
            version_id,
        } => format!(
            "pending: read {} (version {version_id}), waiting for CloudTrail",
            short_secret(secret_arn)
        ),
        TestStage::Confirmed {
            event_id,
            delivered_after_secs,
        } => format!("confirmed by event {event_id}, delivered after {delivered_after_secs} s"),
        TestStage::Failed { error } => format!("failed: {error}"),
    }
}

fn human(change: &Change) -> String {
    use crate::text::sanitize::sanitize_line;
    let text = match change {
        Change::Access(e) => format!(
            "{} {} {} by {} from {} ({}) {}",
            hms(e.time),
            if e.is_read() { "access" } else { "change" },
            short_secret(&e.secret),
            e.principal_shown(),
            e.source_ip,
            e.client.label(),
            e.result_words()
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
            "{} test access {}: {}",
            hms(t.requested_at),
            t.marker,
            stage(&t.stage)
        ),
        Change::Trace(t) => format!(
            "{} trace {}: {}{}",
            hms(t.fired_at),
            t.marker,
            t.links
                .last()
                .map(|s| format!("{}; ", crate::trace::seen_words(s)))
                .unwrap_or_default(),
            t.outcome_words()
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::TestRun;
    use chrono::{DateTime, Utc};

    fn line(stage: TestStage) -> String {
        human(&Change::TestAccess(TestRun {
            marker: "secretwatch-test-7-1".into(),
            requested_at: DateTime::<Utc>::UNIX_EPOCH,
            stage,
        }))
    }

    #[test]
    fn a_test_access_reads_in_the_stages_words() {
        assert_eq!(
            line(TestStage::Requested),
            "00:00:00 test access secretwatch-test-7-1: requested"
        );
        assert_eq!(
            line(TestStage::Pending {
                secret_arn: "arn:aws:secretsmanager:us-east-1:1:secret:TopSecretInfo-AbCdEf".into(),
                version_id: "v1".into(),
            }),
            "00:00:00 test access secretwatch-test-7-1: pending: read TopSecretInfo (version v1), \
             waiting for CloudTrail"
        );
        assert_eq!(
            line(TestStage::Confirmed {
                event_id: "e-1".into(),
                delivered_after_secs: 42,
            }),
            "00:00:00 test access secretwatch-test-7-1: confirmed by event e-1, delivered after 42 s"
        );
        assert_eq!(
            line(TestStage::Failed {
                error: "GetSecretValue access denied: no".into(),
            }),
            "00:00:00 test access secretwatch-test-7-1: failed: GetSecretValue access denied: no"
        );
    }
}
