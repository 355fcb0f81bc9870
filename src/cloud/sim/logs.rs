//! CloudWatch Logs: log groups and their metric filters. Every delivered
//! event yields, per filter, the filter's value on a match and its default
//! value otherwise, as CloudWatch Logs does.

use crate::cloud::types::{LogRecord, MetricId};
use crate::filter_pattern::FilterPattern;
use chrono::{DateTime, Utc};

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

/// What FilterLogEvents finds of a record: when it came in, its event id, and the text a
/// marker is looked for in (the user agent: the rest of the record is not kept).
#[derive(Debug, Clone)]
struct Record {
    group: String,
    ingested_at: DateTime<Utc>,
    event_id: Option<String>,
    user_agent: String,
}

#[derive(Debug, Default)]
pub struct Logs {
    pub groups: Vec<LogGroup>,
    pub filters: Vec<MetricFilter>,
    /// Oldest first, as they came in.
    records: Vec<Record>,
}

impl Logs {
    /// Datapoints emitted when `event` is delivered into `group`. A group that does not
    /// exist swallows the event (CloudTrail reports a delivery error instead).
    pub fn ingest(
        &mut self,
        group: &str,
        event: &serde_json::Value,
        at: DateTime<Utc>,
    ) -> Vec<(MetricId, f64)> {
        if !self.groups.iter().any(|g| g.name == group) {
            return Vec::new();
        }
        let text = |name: &str| event.get(name).and_then(|v| v.as_str()).map(str::to_string);
        self.records.push(Record {
            group: group.to_string(),
            ingested_at: at,
            event_id: text("eventID"),
            user_agent: text("userAgent").unwrap_or_default(),
        });
        self.filters
            .iter()
            .filter(|f| f.log_group == group)
            .filter_map(|f| f.emit(event).map(|v| (f.metric.clone(), v)))
            .collect()
    }

    /// FilterLogEvents with a quoted term: the records of `group` since `since` whose text
    /// holds `text`.
    pub fn records_holding(&self, group: &str, text: &str, since: DateTime<Utc>) -> Vec<LogRecord> {
        let from = self.records.partition_point(|r| r.ingested_at < since);
        self.records[from..]
            .iter()
            .filter(|r| r.group == group && r.user_agent.contains(text))
            .map(|r| LogRecord {
                ingested_at: r.ingested_at,
                event_id: r.event_id.clone(),
                user_agent: Some(r.user_agent.clone()),
            })
            .collect()
    }

    /// Forgets records that came in before `cut`, as retention does.
    pub fn prune(&mut self, cut: DateTime<Utc>) {
        let old = self.records.partition_point(|r| r.ingested_at < cut);
        self.records.drain(..old);
    }
}
