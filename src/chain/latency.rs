//! The chain's speed, from the traces kept: the median time from a read to the alarm's
//! message, how much of it is CloudTrail's delivery, and the median per link. Advice
//! beside the chain, as the noise is: the newest trace that stopped makes it a warning.

use super::{ChainLink, Finding, LinkState};
use crate::trace::medians::medians;
use crate::trace::{Outcome, Trace};

/// None when no trace has finished.
pub fn finding(traces: &[Trace]) -> Option<Finding> {
    let m = medians(traces)?;
    let newest = traces.iter().rev().find(|t| !t.is_running())?;
    let base = Finding::new(ChainLink::Trace, LinkState::Ok, m.sentence())
        .evidence(format!("median per link: {}", m.per_link_words()));
    Some(match &newest.outcome {
        Outcome::Stopped { link, why, fix, .. } => {
            let f = Finding::new(
                ChainLink::Trace,
                LinkState::Warning,
                format!(
                    "the newest trace ({}) stopped at the {}: {why}; {}",
                    newest.fired_at.format("%Y-%m-%d %H:%M"),
                    link.label(),
                    m.sentence()
                ),
            )
            .evidence(base.evidence);
            match fix {
                Some(fix) => f.fix(fix.clone()),
                None => f.fix(
                    "trace again (`t`, or `secretwatch test-access --trace`) once it is fixed",
                ),
            }
        }
        _ => base,
    })
}
