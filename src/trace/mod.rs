//! The trace: one test access followed through every link of the alert chain, like a
//! distributed-tracing waterfall. Each link is seen (when, and the time since the link it
//! follows) or, past its bound, named as where the chain stopped. What observes each link
//! lives elsewhere (the engine's tracer and sources; the store feeds them in): this is
//! the bookkeeping, free of any account.

pub mod book;
mod bounds;
pub mod medians;
mod words;
pub use words::seen_words;
#[cfg(test)]
mod tests;

pub use bounds::{AlarmShape, Bounds, Pace};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A link of the chain as the trace observes it, in the order a read travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Link {
    /// The GetSecretValue call answered (time, version; never the value).
    Fired,
    /// The read's event on the fast path's queue (EventBridge).
    #[serde(rename = "eventbridge")]
    EventBridge,
    /// The event in CloudTrail's event history (LookupEvents).
    History,
    /// The record in the trail's log group (FilterLogEvents).
    LogGroup,
    /// The period's datapoint rising (GetMetricData).
    Metric,
    /// The alarm's transition to ALARM (DescribeAlarmHistory).
    Alarm,
    /// The alarm's message on the queue of secretwatch's own subscribed to its topic.
    Notification,
}

impl Link {
    pub const ALL: [Link; 7] = [
        Link::Fired,
        Link::EventBridge,
        Link::History,
        Link::LogGroup,
        Link::Metric,
        Link::Alarm,
        Link::Notification,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Link::Fired => "fired",
            Link::EventBridge => "EventBridge",
            Link::History => "CloudTrail history",
            Link::LogGroup => "log group",
            Link::Metric => "metric",
            Link::Alarm => "alarm",
            Link::Notification => "notification",
        }
    }

    /// The link this one is timed from: the read for the three CloudTrail delivers, else
    /// the one before it on the chain.
    pub fn after(self) -> Option<Link> {
        match self {
            Link::Fired => None,
            Link::EventBridge | Link::History | Link::LogGroup => Some(Link::Fired),
            Link::Metric => Some(Link::LogGroup),
            Link::Alarm => Some(Link::Metric),
            Link::Notification => Some(Link::Alarm),
        }
    }

    /// On the way to the notification: a link of these not seen in its bound stops the
    /// chain. EventBridge and the event history are the dashboard's, beside it: late, they
    /// are marked late and the trace goes on.
    pub fn on_the_chain(self) -> bool {
        !matches!(self, Link::EventBridge | Link::History)
    }
}

/// One link seen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Seen {
    pub link: Link,
    /// When it happened, by the service's own clock where it says (the log record's
    /// ingestion, the alarm's transition, the message's timestamp), else when secretwatch
    /// saw it.
    pub at: DateTime<Utc>,
    /// Seconds since the link it is timed from (never below 0: clocks differ).
    pub after_secs: i64,
    pub detail: String,
}

/// A link that cannot be observed here, and why (no fast path set up, no queue on the
/// topic, a call refused): the trace goes on past it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unobserved {
    pub link: Link,
    pub why: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Outcome {
    Running,
    /// The notification arrived: every link worked.
    Complete,
    /// `link` was not seen within its bound: where the chain stopped.
    Stopped {
        link: Link,
        why: String,
        /// The doctor's finding for that link and its fix, when it has one.
        #[serde(default)]
        finding: Option<String>,
        #[serde(default)]
        fix: Option<String>,
    },
}

/// A test access and how far it got.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Trace {
    pub marker: String,
    pub secret_arn: String,
    pub version_id: String,
    pub fired_at: DateTime<Utc>,
    /// Seen so far, in the order of [`Link::ALL`].
    pub links: Vec<Seen>,
    pub unobserved: Vec<Unobserved>,
    /// Links beside the chain not seen in their bound.
    pub late: Vec<Link>,
    pub bounds: Bounds,
    pub outcome: Outcome,
    /// The period's datapoint when the read was made: the metric link is its rise.
    #[serde(default)]
    pub metric_before: Option<f64>,
    /// When the read was made the alarm was already in ALARM, since then: it notifies on a
    /// transition only, so this read cannot make it notify.
    #[serde(default)]
    pub alarm_since: Option<DateTime<Utc>>,
}

/// What a look at the clock changed.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    Late(Link),
    Stopped(Link),
}

impl Trace {
    /// A read that answered at `fired_at`.
    pub fn fired(
        marker: &str,
        secret_arn: &str,
        version_id: &str,
        fired_at: DateTime<Utc>,
        bounds: Bounds,
    ) -> Self {
        let detail = format!(
            "GetSecretValue {}, version {version_id}",
            crate::text::format::short_secret(secret_arn)
        );
        Trace {
            marker: marker.to_string(),
            secret_arn: secret_arn.to_string(),
            version_id: version_id.to_string(),
            fired_at,
            links: vec![Seen {
                link: Link::Fired,
                at: fired_at,
                after_secs: 0,
                detail,
            }],
            unobserved: Vec::new(),
            late: Vec::new(),
            bounds,
            outcome: Outcome::Running,
            metric_before: None,
            alarm_since: None,
        }
    }

    pub fn is_running(&self) -> bool {
        self.outcome == Outcome::Running
    }

    pub fn seen(&self, link: Link) -> Option<&Seen> {
        self.links.iter().find(|s| s.link == link)
    }

    pub fn is_unobserved(&self, link: Link) -> bool {
        self.unobserved.iter().any(|u| u.link == link)
    }

    /// When the link `link` is timed from was seen; for a link whose predecessor cannot be
    /// observed, the one before that. None: still waiting for it.
    pub fn start_of(&self, link: Link) -> Option<DateTime<Utc>> {
        let mut before = link.after()?;
        loop {
            if let Some(seen) = self.seen(before) {
                return Some(seen.at);
            }
            if !self.is_unobserved(before) {
                return None;
            }
            before = before.after()?;
        }
    }

    /// Whether `link` may be seen now: not yet seen, and what it follows is (or cannot be
    /// observed). Returns when it started to be awaited.
    pub fn awaits(&self, link: Link) -> Option<DateTime<Utc>> {
        if !self.is_running() || self.seen(link).is_some() || self.is_unobserved(link) {
            return None;
        }
        self.start_of(link)
    }

    /// Records `link` seen at `at`; false when it was not awaited (seen already, or what
    /// it follows is not yet). The notification completes the trace.
    pub fn see(&mut self, link: Link, at: DateTime<Utc>, detail: String) -> bool {
        let Some(start) = self.awaits(link) else {
            return false;
        };
        self.late.retain(|l| *l != link);
        let seen = Seen {
            link,
            at,
            after_secs: (at - start).num_seconds().max(0),
            detail,
        };
        let index = self.links.partition_point(|s| s.link < link);
        self.links.insert(index, seen);
        if link == Link::Notification {
            self.outcome = Outcome::Complete;
        }
        self.end_if_blind();
        true
    }

    /// `link` cannot be observed here: the trace goes on past it. False when known.
    pub fn cannot_observe(&mut self, link: Link, why: String) -> bool {
        if !self.is_running() || self.is_unobserved(link) || self.seen(link).is_some() {
            return false;
        }
        self.unobserved.push(Unobserved { link, why });
        self.end_if_blind();
        true
    }

    /// With no way to see the notification, the trace ends once the alarm fired: it has
    /// followed the chain as far as it can, and says why it cannot go on.
    fn end_if_blind(&mut self) {
        if !self.is_running() || self.start_of(Link::Notification).is_none() {
            return;
        }
        if let Some(blind) = self
            .unobserved
            .iter()
            .find(|u| u.link == Link::Notification)
        {
            self.outcome = Outcome::Stopped {
                link: Link::Notification,
                why: blind.why.clone(),
                finding: None,
                fix: None,
            };
        }
    }

    /// At `now`: a link beside the chain past its bound is late; the first link on the
    /// chain past its bound is where it stopped (`why` says what was seen instead).
    pub fn check(&mut self, now: DateTime<Utc>, why: impl Fn(Link) -> String) -> Vec<Step> {
        let mut steps = Vec::new();
        for link in Link::ALL {
            let Some(start) = self.awaits(link) else {
                continue;
            };
            if now <= start + self.bounds.of(link) {
                continue;
            }
            if link.on_the_chain() {
                self.outcome = Outcome::Stopped {
                    link,
                    why: why(link),
                    finding: None,
                    fix: None,
                };
                steps.push(Step::Stopped(link));
                break;
            }
            if !self.late.contains(&link) {
                self.late.push(link);
                steps.push(Step::Late(link));
            }
        }
        steps
    }

    /// Where the chain stopped, when it did.
    pub fn stopped_at(&self) -> Option<Link> {
        match &self.outcome {
            Outcome::Stopped { link, .. } => Some(*link),
            _ => None,
        }
    }

    /// Seconds from the read to the newest link seen.
    pub fn elapsed_secs(&self) -> i64 {
        self.links
            .iter()
            .map(|s| (s.at - self.fired_at).num_seconds())
            .max()
            .unwrap_or(0)
            .max(0)
    }
}

/// A span of seconds in words: `42 s`, `3 min 05 s`, `1 h 02 min`.
pub fn span(secs: i64) -> String {
    let secs = secs.max(0);
    match secs {
        0..60 => format!("{secs} s"),
        60..3600 => format!("{} min {:02} s", secs / 60, secs % 60),
        _ => format!("{} h {:02} min", secs / 3600, secs % 3600 / 60),
    }
}
