//! The dashboard's doctor: the focused scope's chain first (where it lives, when another
//! account's organization trail carries its events), then, when asked for every scope, each
//! other scope's chain as it is found, in a task of its own so that a hundred scopes
//! examined never hold up a test access or an acknowledgement.

use super::Update;
use super::sources::Context;
use crate::chain::scopes::{Examination, homes};
use crate::cloud::Cloud;
use crate::cloud::scope::Scope;
use std::sync::Arc;
use tokio::sync::mpsc::UnboundedSender;
use tokio::task::JoinHandle;

pub struct Doctor {
    /// Every scope watched, the focused one first.
    scopes: Vec<(Scope, Arc<dyn Cloud>)>,
    /// The other scopes' examination under way, dropped when a new one starts.
    others: Option<JoinHandle<()>>,
}

impl Doctor {
    pub fn new(focused: &Context, others: &[(Scope, Arc<dyn Cloud>)]) -> Self {
        let first = (Scope::default(), focused.cloud.clone());
        Self {
            scopes: std::iter::once(first)
                .chain(others.iter().cloned())
                .collect(),
            others: None,
        }
    }

    /// How many scopes are watched, the focused one included.
    pub fn scopes(&self) -> usize {
        self.scopes.len()
    }

    /// Examines the focused scope's chain, and with `every_scope` the others' after it
    /// (sent as `InScope` as each is found). The focused scope's report is returned.
    pub async fn examine(
        &mut self,
        ctx: &Context,
        every_scope: bool,
        tx: &UnboundedSender<Update>,
    ) -> Update {
        let mut names = ctx.config.names.clone();
        names.secret = ctx.config.test_secret.clone();
        // One scope: nothing to ask of the others.
        let homes = match self.scopes.len() {
            1 => Arc::from(self.scopes.clone()),
            _ => homes(self.scopes.clone()).await,
        };
        let exam = Examination {
            homes,
            names,
            sources: ctx.config.event_sources,
            watched: ctx.config.secrets.clone(),
            now: ctx.clock.now(),
        };
        if let Some(earlier) = self.others.take() {
            earlier.abort();
        }
        if every_scope && self.scopes.len() > 1 {
            self.others = Some(tokio::spawn(others(exam.clone(), tx.clone())));
        }
        Update::Chain(exam.focused().await)
    }
}

impl Drop for Doctor {
    fn drop(&mut self) {
        if let Some(others) = &self.others {
            others.abort();
        }
    }
}

/// Each other scope's chain, all at once, each sent as soon as it is found.
async fn others(exam: Examination, tx: UnboundedSender<Update>) {
    let mut tasks = exam.others();
    while let Some(Ok((scope, report))) = tasks.join_next().await {
        let update = Update::InScope {
            scope,
            update: Box::new(Update::ScopeChain(report)),
        };
        if tx.send(update).is_err() {
            return;
        }
    }
}
