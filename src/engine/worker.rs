//! Runs what keys ask for, off the UI loop, so no key press waits on the network.

use super::Update;
use super::doctor_job::Doctor;
use super::sources::Context;
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Job {
    /// Read the test secret once, with `marker` in the user agent.
    TestAccess { marker: String },
    /// Check every link of the focused scope's chain, and of every other scope's too.
    Doctor { every_scope: bool },
    /// Work out what setup would do; the metric filter leaving out the principals marked
    /// expected.
    PlanSetup { expected: Vec<String> },
    /// Apply these steps, then check the chain again.
    ApplySetup(Vec<crate::chain::setup::Step>),
    /// Write these accesses to the new file `path`.
    Export {
        accesses: Vec<crate::access::AccessEvent>,
        path: std::path::PathBuf,
        format: crate::export::Format,
    },
    /// Acknowledge this alarm episode.
    Acknowledge {
        episode: crate::ack::Episode,
        note: Option<String>,
    },
}

pub async fn run(
    ctx: Context,
    mut doctor: Doctor,
    mut jobs: UnboundedReceiver<Job>,
    tx: UnboundedSender<Update>,
) {
    // Who we are can take a while (or fail) on a cold network: keep asking until it answers.
    let identity = tokio::spawn(super::scopes::identity(ctx.clone(), tx.clone()));
    let mut tracers: Vec<tokio::task::JoinHandle<()>> = Vec::new();
    while let Some(job) = jobs.recv().await {
        if let Job::ApplySetup(steps) = job {
            if !apply_setup(&ctx, &steps, &tx).await
                || tx.send(doctor.examine(&ctx, false, &tx).await).is_err()
            {
                break;
            }
            continue;
        }
        let update = match job {
            Job::TestAccess { marker } => {
                let secret = &ctx.config.test_secret;
                match ctx.cloud.fire_test_access(secret, &marker).await {
                    Ok(access) => {
                        let pace = super::tracer::pace(&ctx.config);
                        let follow =
                            super::tracer::follow(ctx.clone(), access.clone(), pace, tx.clone());
                        tracers.retain(|t| !t.is_finished());
                        tracers.push(tokio::spawn(follow));
                        Update::TestFired { access, pace }
                    }
                    Err(error) => Update::TestFailed {
                        marker,
                        error: error.to_string(),
                    },
                }
            }
            Job::Doctor { every_scope } => doctor.examine(&ctx, every_scope, &tx).await,
            Job::Acknowledge { episode, note } => acknowledge(&ctx, episode, note).await,
            Job::PlanSetup { expected } => plan_setup(&ctx, doctor.scopes(), &expected).await,
            Job::Export {
                accesses,
                path,
                format,
            } => export(accesses, path, format).await,
            Job::ApplySetup(_) => continue,
        };
        if tx.send(update).is_err() {
            break;
        }
    }
    identity.abort();
    for tracer in tracers {
        tracer.abort();
    }
}

async fn acknowledge(ctx: &Context, episode: crate::ack::Episode, note: Option<String>) -> Update {
    let Some(journal) = &ctx.config.journal else {
        return Update::AckFailed(
            "no state directory for the acknowledgement journal: set SECRETWATCH_STATE_DIR".into(),
        );
    };
    let acknowledger = crate::ack::act::Acknowledger {
        cloud: ctx.cloud.as_ref(),
        admin: ctx.admin.as_deref(),
        journal,
        set_alarm_ok: ctx.config.ack_sets_alarm_ok,
        once_per_episode: true,
    };
    match acknowledger
        .acknowledge(episode, note, ctx.clock.now())
        .await
    {
        Ok(done) => Update::Acknowledged(done),
        Err(why) => Update::AckFailed(why),
    }
}

/// Written off the runtime's threads: a full timeline is tens of megabytes.
async fn export(
    accesses: Vec<crate::access::AccessEvent>,
    path: std::path::PathBuf,
    format: crate::export::Format,
) -> Update {
    let to = path.clone();
    let written = tokio::task::spawn_blocking(move || {
        crate::export::write(&accesses, &to, format).map_err(|e| e.to_string())
    })
    .await
    .unwrap_or_else(|e| Err(e.to_string()));
    Update::Exported { path, written }
}

fn chain_names(ctx: &Context) -> crate::cloud::names::ChainNames {
    let mut names = ctx.config.names.clone();
    names.secret = ctx.config.test_secret.clone();
    names
}

/// The focused scope's plan; over several scopes, its notes say where the others' is.
async fn plan_setup(ctx: &Context, scopes: usize, expected: &[String]) -> Update {
    use crate::chain::setup::{Shown, bucket_name, leave_out_expected, plan};
    if ctx.admin.is_none() {
        return Update::SetupUnavailable(
            "setup cannot change this account from here: \
             `secretwatch setup --dry-run` shows the plan"
                .into(),
        );
    }
    let identity = match ctx.cloud.identity().await {
        Ok(id) => id,
        Err(error) => return Update::SetupUnavailable(error.to_string()),
    };
    let names = chain_names(ctx);
    let bucket = bucket_name(&identity.account, &identity.region);
    let email = ctx.config.setup_email.as_deref();
    let sources = &ctx.config.event_sources;
    let mut p = plan(
        ctx.cloud.as_ref(),
        &names,
        sources,
        &bucket,
        email,
        ctx.clock.now(),
    )
    .await;
    leave_out_expected(&mut p, &names, expected);
    let shown = p
        .steps
        .iter()
        .map(|s| Shown(s, &names).to_string())
        .collect();
    let mut notes = p.notes;
    if scopes > 1 {
        notes.push(format!(
            "this plan is for {} {} only: `secretwatch setup` with this dashboard's flags \
             plans all {scopes} scopes and asks once",
            identity.account, identity.region
        ));
    }
    Update::SetupPlanned {
        steps: p.steps,
        shown,
        notes,
    }
}

/// Applies the steps, reporting each. False when the app has gone.
async fn apply_setup(
    ctx: &Context,
    steps: &[crate::chain::setup::Step],
    tx: &UnboundedSender<Update>,
) -> bool {
    use crate::chain::setup::{Shown, apply};
    let Some(admin) = &ctx.admin else {
        return tx
            .send(Update::SetupUnavailable("read-only".into()))
            .is_ok();
    };
    let names = chain_names(ctx);
    let result = apply(admin.as_ref(), &names, steps, |_, step, outcome| {
        let _ = tx.send(Update::SetupStep {
            shown: Shown(step, &names).to_string(),
            error: outcome.as_ref().err().map(ToString::to_string),
        });
    })
    .await;
    tx.send(Update::SetupFinished { ok: result.is_ok() })
        .is_ok()
}
