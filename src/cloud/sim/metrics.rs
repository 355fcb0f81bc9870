//! CloudWatch metrics at standard (60 s) resolution: each minute keeps the
//! aggregate of its datapoints, from which any statistic over any period that
//! is a multiple of a minute follows exactly.

use crate::cloud::types::{MetricId, MetricPoint, Statistic};
use chrono::{DateTime, TimeDelta, Utc};
use std::collections::{BTreeMap, HashMap};

pub const RESOLUTION_SECS: i64 = 60;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Aggregate {
    pub sum: f64,
    pub count: f64,
    pub min: f64,
    pub max: f64,
}

impl Aggregate {
    fn of(value: f64) -> Self {
        Self {
            sum: value,
            count: 1.0,
            min: value,
            max: value,
        }
    }

    fn merge(&mut self, other: &Aggregate) {
        self.sum += other.sum;
        self.count += other.count;
        self.min = self.min.min(other.min);
        self.max = self.max.max(other.max);
    }

    pub fn statistic(&self, statistic: Statistic) -> f64 {
        match statistic {
            Statistic::Sum => self.sum,
            Statistic::Average => self.sum / self.count,
            Statistic::SampleCount => self.count,
            Statistic::Minimum => self.min,
            Statistic::Maximum => self.max,
        }
    }
}

#[derive(Debug, Default)]
pub struct Metrics {
    series: HashMap<MetricId, BTreeMap<i64, Aggregate>>,
}

/// Start of the period (aligned to the epoch) that holds `t`.
pub fn period_start(t: DateTime<Utc>, period_secs: i64) -> i64 {
    t.timestamp().div_euclid(period_secs) * period_secs
}

impl Metrics {
    pub fn put(&mut self, metric: &MetricId, time: DateTime<Utc>, value: f64) {
        let minute = period_start(time, RESOLUTION_SECS);
        self.series
            .entry(metric.clone())
            .or_default()
            .entry(minute)
            .and_modify(|a| a.merge(&Aggregate::of(value)))
            .or_insert_with(|| Aggregate::of(value));
    }

    /// The aggregate of the period `[start, start + period)`, None when it has no data.
    pub fn aggregate(&self, metric: &MetricId, start: i64, period_secs: i64) -> Option<Aggregate> {
        let minutes = self.series.get(metric)?;
        let mut total: Option<Aggregate> = None;
        for (_, a) in minutes.range(start..start + period_secs) {
            match total.as_mut() {
                Some(t) => t.merge(a),
                None => total = Some(*a),
            }
        }
        total
    }

    /// Every period in `[from, to)` that has data, oldest first.
    pub fn series(
        &self,
        metric: &MetricId,
        statistic: Statistic,
        period_secs: i64,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Vec<MetricPoint> {
        let mut points = Vec::new();
        let mut start = period_start(from, period_secs);
        while start < to.timestamp() {
            if let Some(a) = self.aggregate(metric, start, period_secs) {
                let time = DateTime::<Utc>::UNIX_EPOCH + TimeDelta::seconds(start);
                points.push(MetricPoint {
                    time,
                    value: a.statistic(statistic),
                });
            }
            start += period_secs;
        }
        points
    }

    /// Forget minutes older than `before`, as CloudWatch's retention does.
    pub fn prune(&mut self, before: DateTime<Utc>) {
        let cut = before.timestamp();
        for minutes in self.series.values_mut() {
            *minutes = minutes.split_off(&cut);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id() -> MetricId {
        MetricId::new("SecurityMetrics", "SecretIsAccessed")
    }

    fn at(secs: i64) -> DateTime<Utc> {
        DateTime::<Utc>::UNIX_EPOCH + TimeDelta::seconds(secs)
    }

    #[test]
    fn statistics_of_a_count_metric_show_the_average_trap() {
        let mut m = Metrics::default();
        // One access among four other events in the same 60 s period.
        for (t, v) in [(600, 0.0), (610, 1.0), (620, 0.0), (630, 0.0), (640, 0.0)] {
            m.put(&id(), at(t), v);
        }
        let a = m.aggregate(&id(), 600, 60).expect("data");
        assert_eq!(a.statistic(Statistic::Sum), 1.0);
        assert_eq!(a.statistic(Statistic::SampleCount), 5.0);
        assert!((a.statistic(Statistic::Average) - 0.2).abs() < 1e-9);
        assert_eq!(a.statistic(Statistic::Minimum), 0.0);
        assert_eq!(a.statistic(Statistic::Maximum), 1.0);
    }

    #[test]
    fn longer_periods_merge_minutes_and_empty_periods_are_absent() {
        let mut m = Metrics::default();
        m.put(&id(), at(0), 1.0);
        m.put(&id(), at(250), 1.0);
        m.put(&id(), at(900), 1.0);
        let s = m.series(&id(), Statistic::Sum, 300, at(0), at(1200));
        assert_eq!(
            s.iter()
                .map(|p| (p.time.timestamp(), p.value))
                .collect::<Vec<_>>(),
            vec![(0, 2.0), (900, 1.0)]
        );
        m.prune(at(600));
        assert!(m.aggregate(&id(), 0, 300).is_none());
    }
}
