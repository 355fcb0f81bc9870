//! What setup changes on a resource that exists: only what the doctor found wrong, as
//! before and after, everything else it has kept. Pure, over what was read.

use super::doctor::FilterSeen;
use crate::cloud::admin::{AlarmFix, MetricFilterFix, TrailFix};
use crate::cloud::links::{Selectors, TrailInfo};
use crate::cloud::names::{ACCESS_PATTERN, ChainNames};
use crate::cloud::types::{Alarm, Comparison, Statistic};

/// What the doctor's alarm rule finds wrong, and nothing else, as before and after;
/// the actions it has are kept and the chain's topic is added when missing.
pub fn alarm_fix(existing: &Alarm, names: &ChainNames, topic_arn: Option<&str>) -> AlarmFix {
    let metric =
        (existing.metric != names.metric()).then(|| (existing.metric.clone(), names.metric()));
    let statistic = matches!(
        existing.statistic,
        Statistic::Average | Statistic::Minimum | Statistic::SampleCount
    )
    .then_some((existing.statistic, Statistic::Sum));
    let upward = matches!(
        existing.comparison,
        Comparison::GreaterThanOrEqualToThreshold | Comparison::GreaterThanThreshold
    );
    let crosses = upward && existing.comparison.holds(1.0, existing.threshold);
    let threshold = (!crosses).then_some((
        (existing.comparison, existing.threshold),
        (Comparison::GreaterThanOrEqualToThreshold, 1.0),
    ));
    let add_topic = match topic_arn {
        Some(arn) => !existing.alarm_actions.iter().any(|a| a == arn),
        None => !existing
            .alarm_actions
            .iter()
            .any(|a| a.starts_with("arn:aws:sns:")),
    };
    AlarmFix {
        metric,
        statistic,
        threshold,
        enable_actions: !existing.actions_enabled,
        kept_actions: existing.alarm_actions.clone(),
        add_topic,
    }
}

/// The filter the doctor judged, under its own name: the pattern only when it misses
/// a read, counts other events or is not valid; the value and default only when
/// they are not 1 and 0.
pub fn filter_fix(seen: &FilterSeen, names: &ChainNames) -> MetricFilterFix {
    let f = &seen.filter;
    let ours = f
        .transformations
        .iter()
        .find(|t| t.namespace == names.metric_namespace && t.name == names.metric_name);
    let pattern_wrong = match &seen.test {
        Ok(t) => !t.missed.is_empty() || t.matches_other,
        Err(_) => true,
    };
    MetricFilterFix {
        name: f.name.clone(),
        log_group: f.log_group.clone(),
        metric: names.metric(),
        pattern: pattern_wrong.then(|| (f.pattern.clone(), ACCESS_PATTERN.to_string())),
        value: ours
            .filter(|t| t.value != "1")
            .map(|t| (t.value.clone(), "1".to_string())),
        default_value: ours
            .filter(|t| t.default_value != Some(0.0))
            .map(|t| (t.default_value, 0.0)),
    }
}

/// Logging off, or selectors that miss management reads, on a trail that exists.
pub fn trail_fix(t: &TrailInfo) -> TrailFix {
    let record_reads = match &t.selectors {
        Selectors::Basic {
            include_management_events: false,
            ..
        } => Some("no management events".to_string()),
        Selectors::Basic { read_write, .. } if read_write == "WriteOnly" => {
            Some("management events write only".to_string())
        }
        _ => None,
    };
    TrailFix {
        start_logging: !t.is_logging,
        record_reads,
    }
}
