//! A trace in words: one line per link seen, and where it stands, as the headless outputs
//! and the panel's foot say them.

use super::{Link, Outcome, Seen, Trace, span};

impl Trace {
    /// The link on the chain the trace waits for now, if running.
    pub fn waiting_for(&self) -> Option<Link> {
        Link::ALL
            .into_iter()
            .filter(|l| l.on_the_chain())
            .find(|l| self.awaits(*l).is_some())
    }

    /// Where it stands: running (waiting for what), complete, stopped (where, why).
    pub fn outcome_words(&self) -> String {
        match &self.outcome {
            Outcome::Running => match self.waiting_for() {
                Some(link) => format!(
                    "waiting for the {} (within {})",
                    link.label(),
                    span(self.bounds.secs(link))
                ),
                None => "waiting".into(),
            },
            Outcome::Complete => format!(
                "complete: the alarm's message arrived {} after the read",
                span(self.elapsed_secs())
            ),
            Outcome::Stopped { link, why, .. } => {
                format!("stopped at the {}: {why}", link.label())
            }
        }
    }
}

/// One link seen: `log group +3 min 50 s (12:04:11) FilterLogEvents: …`.
pub fn seen_words(seen: &Seen) -> String {
    format!(
        "{} +{} ({}) {}",
        seen.link.label(),
        span(seen.after_secs),
        seen.at.format("%H:%M:%S"),
        seen.detail
    )
}
