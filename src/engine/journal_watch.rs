//! Looks at the acknowledgement journal on a poller's cadence and sends what another
//! secretwatch saved there. Idle, it is one look at the file's length and time per
//! interval, and it sends nothing, so the screen is not woken.

use super::Update;
use crate::ack::follow::Follower;
use crate::ack::journal::Journal;
use std::time::Duration;
use tokio::sync::mpsc::UnboundedSender;

pub async fn run(journal: Journal, every: Duration, tx: UnboundedSender<Update>) {
    let mut follower = Follower::new(journal);
    loop {
        let looked = tokio::task::spawn_blocking(move || {
            let read = follower.read_new();
            (follower, read)
        })
        .await;
        let Ok((back, read)) = looked else {
            tracing::error!("following the acknowledgement journal stopped");
            return;
        };
        follower = back;
        match read {
            Ok(acks) if !acks.is_empty() => {
                if tx.send(Update::AcksInJournal(acks)).is_err() {
                    return;
                }
            }
            Ok(_) => {}
            // Tried again next time; the journal's own load reported what it could not read.
            Err(error) => tracing::warn!(%error, "acknowledgement journal unreadable"),
        }
        if tx.is_closed() {
            return;
        }
        tokio::time::sleep(every).await;
    }
}
