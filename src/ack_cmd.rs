//! `secretwatch ack`: acknowledge the alarm's current episode from a script or a shell.
//! It says "saved" only once the journal line is on disk.

use crate::ack::act::Acknowledger;
use crate::ack::{AckBook, Episode, Scope};
use crate::app::Opened;
use crate::cli::AckArgs;
use crate::commands::report;
use crate::ui::format::hms;
use std::process::ExitCode;

pub async fn run(opened: Opened, args: AckArgs) -> ExitCode {
    if let Some(error) = &opened.connect_error {
        return report(error);
    }
    if let Some(warning) = &opened.journal_warning {
        eprintln!("secretwatch: warning: {warning}");
    }
    let Some(journal) = opened.engine.journal.clone() else {
        eprintln!(
            "secretwatch: no state directory for the acknowledgement journal: set SECRETWATCH_STATE_DIR"
        );
        return ExitCode::from(2);
    };
    let name = args.alarm.unwrap_or(opened.names.alarm.clone());
    let identity = match opened.cloud.identity().await {
        Ok(id) => id,
        Err(error) => return report(&error),
    };
    let alarm = match opened.cloud.describe_alarm(&name).await {
        Ok(Some(alarm)) => alarm,
        Ok(None) => {
            eprintln!(
                "secretwatch: no alarm {name} in {} {} (the config's names.alarm, or give its name)",
                identity.account, identity.region
            );
            return ExitCode::from(1);
        }
        Err(error) => return report(&error),
    };
    let Some(episode) = Episode::of(&alarm) else {
        eprintln!(
            "secretwatch: {name} is {}: nothing to acknowledge",
            alarm.state.as_str()
        );
        return ExitCode::from(1);
    };
    let scope = Scope {
        account: identity.account.clone(),
        region: identity.region.clone(),
    };
    let book = AckBook::new(opened.acks);
    if let Some(ack) = book.covering(&scope, &episode)
        && args.note.is_none()
    {
        crate::say!(
            "{name} (in ALARM since {}) was already acknowledged by {} at {}",
            hms(episode.since),
            ack.by,
            ack.at.format("%Y-%m-%d %H:%M:%S UTC")
        );
        return ExitCode::SUCCESS;
    }
    let acknowledger = Acknowledger {
        cloud: opened.cloud.as_ref(),
        admin: opened.admin.as_deref(),
        journal: &journal,
        set_alarm_ok: opened.engine.ack_sets_alarm_ok,
    };
    let done = match acknowledger
        .acknowledge(episode, args.note, opened.clock.now())
        .await
    {
        Ok(done) => done,
        Err(why) => {
            eprintln!("secretwatch: not acknowledged: {why}");
            return ExitCode::from(1);
        }
    };
    let reset = match &done.reset {
        None => None,
        Some(Ok(())) => Some("alarm set to OK".to_string()),
        Some(Err(why)) => Some(format!("alarm not reset: {why}")),
    };
    if args.json {
        let report = serde_json::json!({
            "ack": done.ack,
            "saved_to": journal.path(),
            "reset": reset,
        });
        match crate::ui::sanitize::json_for_terminal(&report, false) {
            Ok(line) => crate::say!("{line}"),
            Err(_) => return ExitCode::from(1),
        }
    } else {
        crate::say!(
            "acknowledged {name} (in ALARM since {}) as {}; saved to {}",
            hms(done.ack.episode.since),
            done.ack.by,
            journal.path().display()
        );
        if let Some(reset) = reset {
            crate::say!("{reset}");
        }
    }
    if let Some(Err(why)) = &done.reset {
        tracing::warn!(%why, "alarm reset failed");
    }
    ExitCode::SUCCESS
}
