//! CloudWatch alarm evaluation: statistic per period, comparison, M of N
//! datapoints, and the treat-missing-data rules.

use super::metrics::{Metrics, period_start};
use crate::cloud::types::{Alarm, AlarmState, AlarmTransition, TreatMissing};
use chrono::{DateTime, TimeDelta, Utc};

/// What one evaluation concluded, with the reason CloudWatch would give.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    pub state: AlarmState,
    pub reason: String,
}

/// The alarm's period in seconds: standard resolution, so at least a minute.
fn period_secs(alarm: &Alarm) -> i64 {
    alarm.period.as_secs().max(60) as i64
}

/// The end (epoch seconds) of the newest of `alarm`'s periods that is complete at `as_of`.
pub fn complete_through(alarm: &Alarm, as_of: DateTime<Utc>) -> i64 {
    period_start(as_of, period_secs(alarm))
}

/// Evaluates `alarm` over its `evaluation_periods` complete periods, the newest ending at
/// `end`: a period still filling never counts. Returns None when the state should be left
/// as it is.
pub fn evaluate(alarm: &Alarm, metrics: &Metrics, end: i64) -> Option<Verdict> {
    let period = period_secs(alarm);
    let newest = end - period;
    let n = alarm.evaluation_periods.max(1) as i64;
    let mut values = Vec::new();
    let mut breaching = 0u32;
    let mut missing = 0u32;
    for k in (0..n).rev() {
        let start = newest - k * period;
        match metrics.aggregate(&alarm.metric, start, period) {
            Some(agg) => {
                let v = agg.statistic(alarm.statistic);
                if alarm.comparison.holds(v, alarm.threshold) {
                    breaching += 1;
                }
                values.push((start, v));
            }
            None => {
                missing += 1;
                if alarm.treat_missing == TreatMissing::Breaching {
                    breaching += 1;
                }
            }
        }
    }
    let shown = values
        .iter()
        .map(|(start, v)| format!("{v} ({})", stamp(*start)))
        .collect::<Vec<_>>()
        .join(", ");
    let m = alarm.datapoints_to_alarm.max(1);
    if breaching >= m {
        return Some(Verdict {
            state: AlarmState::Alarm,
            reason: format!(
                "Threshold Crossed: {breaching} out of the last {n} datapoints [{shown}] \
                 {} the threshold ({}) using {}",
                comparison_words(alarm),
                alarm.threshold,
                alarm.statistic.as_str()
            ),
        });
    }
    if missing as i64 == n {
        return match alarm.treat_missing {
            TreatMissing::Ignore => None,
            TreatMissing::Missing => Some(Verdict {
                state: AlarmState::InsufficientData,
                reason: format!("Insufficient Data: {n} datapoints were unknown."),
            }),
            TreatMissing::NotBreaching | TreatMissing::Breaching => Some(Verdict {
                state: AlarmState::Ok,
                reason: format!(
                    "Threshold Crossed: no datapoints were received for {n} periods and {n} \
                     missing datapoints were treated as [NonBreaching]."
                ),
            }),
        };
    }
    Some(Verdict {
        state: AlarmState::Ok,
        reason: format!(
            "Threshold Crossed: {} out of the last {n} datapoints [{shown}] did not cross the \
             threshold ({}) using {}",
            n as u32 - breaching,
            alarm.threshold,
            alarm.statistic.as_str()
        ),
    })
}

/// Applies a verdict; returns the transition when the state changed.
pub fn apply(alarm: &mut Alarm, verdict: Verdict, at: DateTime<Utc>) -> Option<AlarmTransition> {
    if verdict.state == alarm.state {
        return None;
    }
    let transition = AlarmTransition {
        alarm: alarm.name.clone(),
        time: at,
        from: alarm.state,
        to: verdict.state,
        reason: verdict.reason.clone(),
    };
    alarm.state = verdict.state;
    alarm.reason = verdict.reason;
    alarm.state_since = at;
    Some(transition)
}

fn comparison_words(alarm: &Alarm) -> &'static str {
    use crate::cloud::types::Comparison::*;
    match alarm.comparison {
        GreaterThanOrEqualToThreshold => "were greater than or equal to",
        GreaterThanThreshold => "were greater than",
        LessThanThreshold => "were less than",
        LessThanOrEqualToThreshold => "were less than or equal to",
    }
}

fn stamp(start: i64) -> String {
    (DateTime::<Utc>::UNIX_EPOCH + TimeDelta::seconds(start))
        .format("%d/%m/%y %H:%M:%S")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cloud::types::{Comparison, MetricId, Statistic};
    use std::time::Duration;

    fn alarm(statistic: Statistic, n: u32, m: u32, missing: TreatMissing) -> Alarm {
        Alarm {
            name: "a".into(),
            state: AlarmState::InsufficientData,
            reason: String::new(),
            state_since: DateTime::<Utc>::UNIX_EPOCH,
            metric: MetricId::new("SecurityMetrics", "SecretIsAccessed"),
            statistic,
            period: Duration::from_secs(60),
            threshold: 1.0,
            comparison: Comparison::GreaterThanOrEqualToThreshold,
            evaluation_periods: n,
            datapoints_to_alarm: m,
            treat_missing: missing,
            actions_enabled: true,
            alarm_actions: vec![],
        }
    }

    fn at(secs: i64) -> DateTime<Utc> {
        DateTime::<Utc>::UNIX_EPOCH + TimeDelta::seconds(secs)
    }

    fn busy_minute(metrics: &mut Metrics, id: &MetricId, start: i64, accesses: usize) {
        for i in 0..6 {
            let v = if i < accesses { 1.0 } else { 0.0 };
            metrics.put(id, at(start + i as i64 * 10), v);
        }
    }

    #[test]
    fn one_access_fires_a_sum_alarm_but_not_an_average_one() {
        let sum = alarm(Statistic::Sum, 1, 1, TreatMissing::NotBreaching);
        let avg = alarm(Statistic::Average, 1, 1, TreatMissing::NotBreaching);
        let mut m = Metrics::default();
        busy_minute(&mut m, &sum.metric, 600, 1);
        let v = evaluate(&sum, &m, 660).expect("verdict");
        assert_eq!(v.state, AlarmState::Alarm);
        assert!(v.reason.contains("using Sum"), "{}", v.reason);
        let v = evaluate(&avg, &m, 660).expect("verdict");
        assert_eq!(v.state, AlarmState::Ok);
    }

    #[test]
    fn m_of_n_needs_m_breaching_periods() {
        let a = alarm(Statistic::Sum, 3, 2, TreatMissing::NotBreaching);
        let mut m = Metrics::default();
        busy_minute(&mut m, &a.metric, 600, 1);
        busy_minute(&mut m, &a.metric, 660, 0);
        busy_minute(&mut m, &a.metric, 720, 0);
        assert_eq!(evaluate(&a, &m, 780).map(|v| v.state), Some(AlarmState::Ok));
        busy_minute(&mut m, &a.metric, 720, 2);
        assert_eq!(
            evaluate(&a, &m, 780).map(|v| v.state),
            Some(AlarmState::Alarm)
        );
    }

    #[test]
    fn the_period_still_filling_never_counts() {
        let a = alarm(Statistic::Sum, 1, 1, TreatMissing::NotBreaching);
        let mut m = Metrics::default();
        busy_minute(&mut m, &a.metric, 660, 1);
        assert_eq!(complete_through(&a, at(719)), 660);
        assert_eq!(
            evaluate(&a, &m, complete_through(&a, at(719))).map(|v| v.state),
            Some(AlarmState::Ok)
        );
        assert_eq!(
            evaluate(&a, &m, complete_through(&a, at(720))).map(|v| v.state),
            Some(AlarmState::Alarm)
        );
    }

    #[test]
    fn treat_missing_data_decides_when_nothing_arrived() {
        let m = Metrics::default();
        let cases = [
            (TreatMissing::NotBreaching, Some(AlarmState::Ok)),
            (TreatMissing::Breaching, Some(AlarmState::Alarm)),
            (TreatMissing::Missing, Some(AlarmState::InsufficientData)),
            (TreatMissing::Ignore, None),
        ];
        for (treat, want) in cases {
            let a = alarm(Statistic::Sum, 1, 1, treat);
            assert_eq!(evaluate(&a, &m, 600).map(|v| v.state), want, "{treat:?}");
        }
    }

    #[test]
    fn apply_records_only_real_changes() {
        let mut a = alarm(Statistic::Sum, 1, 1, TreatMissing::NotBreaching);
        let ok = Verdict {
            state: AlarmState::Ok,
            reason: "r".into(),
        };
        let t = apply(&mut a, ok.clone(), at(60)).expect("changed");
        assert_eq!(
            (t.from, t.to),
            (AlarmState::InsufficientData, AlarmState::Ok)
        );
        assert!(apply(&mut a, ok, at(120)).is_none());
        assert_eq!(a.state_since, at(60));
    }
}
