//! Pollers per scope. Each scope has its own context (LookupEvents budget, queue states)
//! and its own tasks, so one scope's throttling or outage never delays another's. Another
//! scope's updates reach the app loop wrapped with its index.

use super::sources::{self, Context};
use super::{Source, Update, poll};
use std::time::Duration;
use tokio::sync::mpsc::{self, UnboundedSender};
use tokio::task::JoinHandle;

/// What an unfocused scope polls: its accesses and its alarm's state. Its metric is not
/// read (GetMetricData is billed per metric), nor the embedded inbox.
pub const UNFOCUSED: [Source; 4] = [
    Source::Events,
    Source::Alarms,
    Source::FastPath,
    Source::TrailFiles,
];

/// One poll loop per source in `sources`, sending to `tx`.
pub fn pollers(
    ctx: &Context,
    sources: &[Source],
    tx: &UnboundedSender<Update>,
) -> Vec<JoinHandle<()>> {
    sources
        .iter()
        .enumerate()
        .map(|(i, &source)| {
            let fetcher = sources::fetcher(source, ctx.clone());
            let every = sources::interval(source, &ctx.config);
            let seed = ctx.config.seed.wrapping_add(i as u64);
            tokio::spawn(poll::run(
                source,
                every,
                ctx.clock,
                tx.clone(),
                fetcher,
                seed,
            ))
        })
        .collect()
}

/// Another scope: who it is (asked until it answers), its pollers, and the task that
/// wraps their updates as `Update::InScope { scope }`.
pub fn other_scope(
    ctx: Context,
    scope: usize,
    out: &UnboundedSender<Update>,
) -> Vec<JoinHandle<()>> {
    let (tx, mut rx) = mpsc::unbounded_channel();
    let sources: Vec<Source> = UNFOCUSED
        .into_iter()
        .filter(|s| ctx.config.sources.contains(s))
        .collect();
    let mut tasks = pollers(&ctx, &sources, &tx);
    tasks.push(tokio::spawn(identity(ctx, tx)));
    let out = out.clone();
    tasks.push(tokio::spawn(async move {
        while let Some(update) = rx.recv().await {
            let wrapped = Update::InScope {
                scope,
                update: Box::new(update),
            };
            if out.send(wrapped).is_err() {
                return;
            }
        }
    }));
    tasks
}

/// Who the scope's credentials are, asked until it answers.
pub async fn identity(ctx: Context, tx: UnboundedSender<Update>) {
    let mut wait = Duration::from_secs(1);
    loop {
        match ctx.cloud.identity().await {
            Ok(id) => {
                let _ = tx.send(Update::Identity(id));
                return;
            }
            Err(error) => {
                tracing::warn!(%error, "identity lookup failed");
                if tx.send(Update::IdentityFailed(error)).is_err() {
                    return;
                }
            }
        }
        tokio::time::sleep(wait).await;
        wait = (wait * 2).min(Duration::from_secs(60));
    }
}
