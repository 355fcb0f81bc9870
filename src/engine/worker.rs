//! Runs what keys ask for, off the UI loop, so no key press waits on the network.

use super::Update;
use super::sources::Context;
use std::time::Duration;
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Read the test secret once, with `marker` in the user agent.
    TestAccess { marker: String },
    /// Check every link of the chain.
    Doctor,
}

pub async fn run(
    ctx: Context,
    mut commands: UnboundedReceiver<Command>,
    tx: UnboundedSender<Update>,
) {
    let identity_tx = tx.clone();
    let identity_ctx = ctx.clone();
    // Who we are can take a while (or fail) on a cold network: keep asking until it answers.
    let identity = tokio::spawn(async move {
        let mut wait = Duration::from_secs(1);
        loop {
            match identity_ctx.cloud.identity().await {
                Ok(id) => {
                    let _ = identity_tx.send(Update::Identity(id));
                    return;
                }
                Err(error) => {
                    tracing::warn!(%error, "identity lookup failed");
                    let _ = identity_tx.send(Update::IdentityFailed(error));
                }
            }
            tokio::time::sleep(wait).await;
            wait = (wait * 2).min(Duration::from_secs(60));
        }
    });
    while let Some(command) = commands.recv().await {
        let update = match command {
            Command::TestAccess { marker } => {
                let secret = &ctx.config.test_secret;
                match ctx.cloud.fire_test_access(secret, &marker).await {
                    Ok(access) => Update::TestFired(access),
                    Err(error) => Update::TestFailed {
                        marker,
                        error: error.to_string(),
                    },
                }
            }
            Command::Doctor => {
                let mut names = ctx.config.names.clone();
                names.secret = ctx.config.test_secret.clone();
                let now = ctx.clock.now();
                Update::Chain(crate::chain::doctor::examine(ctx.cloud.as_ref(), &names, now).await)
            }
        };
        if tx.send(update).is_err() {
            break;
        }
    }
    identity.abort();
}
