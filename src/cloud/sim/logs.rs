//! CloudWatch Logs: log groups and their metric filters. Every delivered
//! event yields, per filter, the filter's value on a match and its default
//! value otherwise, as CloudWatch Logs does.

use crate::cloud::types::MetricId;
use crate::filter_pattern::FilterPattern;

#[derive(Debug, Clone)]
pub struct MetricFilter {
    pub name: String,
    pub log_group: String,
    /// As it was put; `pattern` is its parsed form.
    pub pattern_text: String,
    pub pattern: FilterPattern,
    pub metric: MetricId,
    pub value: f64,
    pub default_value: Option<f64>,
}

impl MetricFilter {
    /// The datapoint this filter emits for one log event, if any.
    pub fn emit(&self, event: &serde_json::Value) -> Option<f64> {
        if self.pattern.matches(event) {
            Some(self.value)
        } else {
            self.default_value
        }
    }
}

#[derive(Debug, Clone)]
pub struct LogGroup {
    pub name: String,
    pub retention_days: Option<i32>,
}

#[derive(Debug, Default)]
pub struct Logs {
    pub groups: Vec<LogGroup>,
    pub filters: Vec<MetricFilter>,
}

impl Logs {
    /// Datapoints emitted when `event` is delivered into `group`. A group that does not
    /// exist swallows the event (CloudTrail reports a delivery error instead).
    pub fn ingest(&self, group: &str, event: &serde_json::Value) -> Vec<(MetricId, f64)> {
        if !self.groups.iter().any(|g| g.name == group) {
            return Vec::new();
        }
        self.filters
            .iter()
            .filter(|f| f.log_group == group)
            .filter_map(|f| f.emit(event).map(|v| (f.metric.clone(), v)))
            .collect()
    }
}
