//! How long each link may take before the trace calls it missing: AWS's own delivery
//! times, the alarm's shape, and how often secretwatch looks.

use super::Link;
use chrono::TimeDelta;
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// How fast this account delivers and how often the dashboard looks, from the engine's
/// settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pace {
    /// How late CloudTrail may deliver an event to its history and to the log group (on
    /// AWS up to 15 minutes; the engine's settle).
    pub cloudtrail: Duration,
    /// How late EventBridge may deliver (best effort).
    pub eventbridge: Duration,
    /// How often the tracer looks at the history and the log group.
    pub tracer_every: Duration,
    pub metric_every: Duration,
    pub alarm_every: Duration,
    /// How long the alarm's queue is waited on per receive, plus its rest.
    pub queue_every: Duration,
    /// The chain's alarm period (the metric's), for an alarm not known yet.
    pub period: Duration,
}

/// The alarm as the trace needs it: its period, how many periods it evaluates, and how
/// late its evaluation runs after a period ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AlarmShape {
    pub period: Duration,
    pub evaluation_periods: u32,
}

/// Per link, the seconds it may take after the link it is timed from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bounds {
    /// The alarm's period in seconds: the metric link is the datapoint of the read's.
    pub period: i64,
    pub eventbridge: i64,
    pub history: i64,
    pub log_group: i64,
    pub metric: i64,
    pub alarm: i64,
    pub notification: i64,
}

/// CloudWatch evaluates a period a little after it ends, so that late datapoints count.
const EVALUATION_SLACK: Duration = Duration::from_secs(60);
/// SNS delivers an alarm's message within a minute.
const NOTIFICATION: Duration = Duration::from_secs(60);

impl Bounds {
    pub fn new(pace: Pace, alarm: AlarmShape) -> Self {
        let secs = |d: Duration| i64::try_from(d.as_secs()).unwrap_or(i64::MAX / 4);
        let looked = |every: Duration| secs(every) * 2;
        Bounds {
            period: secs(alarm.period).max(1),
            eventbridge: secs(pace.eventbridge) + looked(pace.tracer_every),
            history: secs(pace.cloudtrail) + looked(pace.tracer_every),
            log_group: secs(pace.cloudtrail) + looked(pace.tracer_every),
            // The datapoint is there within a period of the record.
            metric: secs(alarm.period) + looked(pace.metric_every),
            alarm: secs(alarm.period.saturating_mul(alarm.evaluation_periods.max(1)))
                + secs(EVALUATION_SLACK)
                + looked(pace.alarm_every),
            notification: secs(NOTIFICATION) + looked(pace.queue_every),
        }
    }

    pub fn of(&self, link: Link) -> TimeDelta {
        TimeDelta::seconds(self.secs(link))
    }

    pub fn secs(&self, link: Link) -> i64 {
        match link {
            Link::Fired => 0,
            Link::EventBridge => self.eventbridge,
            Link::History => self.history,
            Link::LogGroup => self.log_group,
            Link::Metric => self.metric,
            Link::Alarm => self.alarm,
            Link::Notification => self.notification,
        }
    }
}
