//! `secretwatch ack`: acknowledge the alarm's current episode from a script or a shell.
//! It says "saved" only once the journal line is on disk.

use super::args::AckArgs;
use super::exit::Exit;
use super::open::Opened;
use super::output::{complain, report, say, say_json};
use crate::ack::act::Acknowledger;
use crate::ack::{AckBook, Episode, Scope};
use crate::text::format::hms;

pub async fn run(opened: Opened, args: AckArgs) -> Exit {
    if let Some(error) = &opened.connect_error {
        return report(error);
    }
    if let Some(warning) = &opened.journal_warning {
        complain(format_args!("warning: {warning}"));
    }
    let Some(journal) = opened.engine.journal.clone() else {
        complain("no state directory for the acknowledgement journal: set SECRETWATCH_STATE_DIR");
        return Exit::CannotRun;
    };
    let name = args.alarm.unwrap_or(opened.names.alarm.clone());
    let identity = match opened.cloud.identity().await {
        Ok(id) => id,
        Err(error) => return report(&error),
    };
    let alarm = match opened.cloud.describe_alarm(&name).await {
        Ok(Some(alarm)) => alarm,
        Ok(None) => {
            complain(format_args!(
                "no alarm {name} in {} {} (the config's names.alarm, or give its name)",
                identity.account, identity.region
            ));
            return Exit::Failure;
        }
        Err(error) => return report(&error),
    };
    let Some(episode) = Episode::of(&alarm) else {
        complain(format_args!(
            "{name} is {}: nothing to acknowledge",
            alarm.state.as_str()
        ));
        return Exit::Failure;
    };
    let scope = Scope {
        account: identity.account.clone(),
        region: identity.region.clone(),
    };
    let book = AckBook::new(opened.acks);
    if let Some(ack) = book.covering(&scope, &episode)
        && args.note.is_none()
    {
        say!(
            "{name} (in ALARM since {}) was already acknowledged by {} at {}",
            hms(episode.since),
            ack.by,
            ack.at.format("%Y-%m-%d %H:%M:%S UTC")
        );
        return Exit::Ok;
    }
    let acknowledger = Acknowledger {
        cloud: opened.cloud.as_ref(),
        admin: opened.admin.as_deref(),
        journal: &journal,
        set_alarm_ok: opened.engine.ack_sets_alarm_ok,
        // Checked above against the journal; with --note, a further note is meant.
        once_per_episode: false,
    };
    let done = match acknowledger
        .acknowledge(episode, args.note, opened.clock.now())
        .await
    {
        Ok(done) => done,
        Err(why) => {
            complain(format_args!("not acknowledged: {why}"));
            return Exit::Failure;
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
        if say_json(&report) != Exit::Ok {
            return Exit::Failure;
        }
    } else {
        say!(
            "acknowledged {name} (in ALARM since {}) as {}; saved to {}",
            hms(done.ack.episode.since),
            done.ack.by,
            journal.path().display()
        );
        if let Some(reset) = reset {
            say!("{reset}");
        }
    }
    if let Some(Err(why)) = &done.reset {
        tracing::warn!(%why, "alarm reset failed");
    }
    Exit::Ok
}
