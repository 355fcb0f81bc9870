//! The trail's own SNS topic: not part of the chain, but often mistaken for an alert.

use crate::chain::{ChainLink as L, Finding, LinkState as S};
use crate::cloud::links::TrailInfo;

pub fn trail_notifications(trails: &[TrailInfo]) -> Option<Finding> {
    let t = trails.iter().find(|t| t.sns_topic.is_some())?;
    Some(
        Finding::new(
            L::TrailNotifications,
            S::Warning,
            format!("trail {} sends an SNS message for every log file it delivers: it works, but it is noise, not an access alert", t.name),
        )
        .evidence(format!("DescribeTrails: SnsTopicARN {}", t.sns_topic.as_deref().unwrap_or_default()))
        .fix("rely on the alarm for alerts; the topic is how `[sources] trail_files` reads the trail's files (remove it if nothing reads those messages)"),
    )
}
