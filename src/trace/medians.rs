//! What the traces kept say about the chain's speed: the median time per link, and from
//! the read to the message, for the doctor to report.

use super::{Link, Outcome, Trace, span};

/// The medians over the traces given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Medians {
    /// How many traces went into them, and how many of those reached the notification.
    pub traces: usize,
    pub complete: usize,
    /// Per link seen in at least one trace, the median seconds after the link it follows.
    pub per_link: Vec<(Link, i64)>,
    /// The median seconds from the read to the notification, over the complete traces.
    pub to_notification: Option<i64>,
    /// The median seconds from the read to the log record (CloudTrail's delivery).
    pub to_log_group: Option<i64>,
}

fn median(mut values: Vec<i64>) -> Option<i64> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable();
    let mid = values.len() / 2;
    Some(if values.len() % 2 == 1 {
        values[mid]
    } else {
        (values[mid - 1] + values[mid]) / 2
    })
}

/// The medians over the finished traces among `traces`; None when none finished.
pub fn medians<'a>(traces: impl IntoIterator<Item = &'a Trace>) -> Option<Medians> {
    let finished: Vec<&Trace> = traces
        .into_iter()
        .filter(|t| matches!(t.outcome, Outcome::Complete | Outcome::Stopped { .. }))
        .collect();
    if finished.is_empty() {
        return None;
    }
    let since_read = |link: Link, of: &[&Trace]| {
        median(
            of.iter()
                .filter_map(|t| {
                    t.seen(link)
                        .map(|s| (s.at - t.fired_at).num_seconds().max(0))
                })
                .collect(),
        )
    };
    let complete: Vec<&Trace> = finished
        .iter()
        .copied()
        .filter(|t| t.outcome == Outcome::Complete)
        .collect();
    let per_link = Link::ALL[1..]
        .iter()
        .filter_map(|&link| {
            median(
                finished
                    .iter()
                    .filter_map(|t| t.seen(link).map(|s| s.after_secs))
                    .collect(),
            )
            .map(|m| (link, m))
        })
        .collect();
    Some(Medians {
        traces: finished.len(),
        complete: complete.len(),
        per_link,
        to_notification: since_read(Link::Notification, &complete),
        to_log_group: since_read(Link::LogGroup, &finished),
    })
}

impl Medians {
    /// One sentence: "over 5 traces, the alarm's message arrives 4 min 12 s after a read;
    /// CloudTrail's delivery to the log group is 3 min 50 s of it".
    pub fn sentence(&self) -> String {
        let over = format!(
            "over {} trace{} ({} complete)",
            self.traces,
            if self.traces == 1 { "" } else { "s" },
            self.complete
        );
        match (self.to_notification, self.to_log_group) {
            (Some(total), Some(delivery)) => format!(
                "{over}, the alarm's message arrives {} after a read; CloudTrail's delivery to \
                 the log group is {} of it",
                span(total),
                span(delivery)
            ),
            (Some(total), None) => {
                format!(
                    "{over}, the alarm's message arrives {} after a read",
                    span(total)
                )
            }
            (None, Some(delivery)) => format!(
                "{over}, none reached the notification; CloudTrail delivers to the log group {} \
                 after a read",
                span(delivery)
            ),
            (None, None) => format!("{over}, none reached the log group"),
        }
    }

    /// Per link, "log group 3 min 50 s", in the chain's order.
    pub fn per_link_words(&self) -> String {
        self.per_link
            .iter()
            .map(|(link, secs)| format!("{} +{}", link.label(), span(*secs)))
            .collect::<Vec<_>>()
            .join(", ")
    }
}
