//! Why an alarm fired: the periods whose datapoints breached, read from the transition's
//! reason (`Threshold Crossed: 2 out of the last 3 datapoints [4.0 (27/11/26 09:01:00),
//! 2.0 (27/11/26 08:59:00)] …`: CloudWatch lists the breaching datapoints with the start
//! of each period), else the alarm's evaluation window before the transition.

use crate::cloud::types::{Alarm, AlarmState, AlarmTransition};
use chrono::{DateTime, NaiveDateTime, TimeDelta, Utc};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Breach {
    /// The start of the first period that breached.
    pub from: DateTime<Utc>,
    /// The end of the last one.
    pub until: DateTime<Utc>,
    /// Whether the periods are the reason's own (else the evaluation window's).
    pub from_reason: bool,
}

impl Breach {
    /// The periods that made `transition` (to ALARM) fire. The alarm's period and
    /// evaluation periods, when known, size them; a minute and one period otherwise.
    pub fn of(transition: &AlarmTransition, alarm: Option<&Alarm>) -> Self {
        let period = alarm
            .and_then(|a| TimeDelta::from_std(a.period).ok())
            .filter(|p| *p > TimeDelta::zero())
            .unwrap_or(TimeDelta::minutes(1));
        let stamps = datapoint_starts(&transition.reason);
        if let (Some(first), Some(last)) = (stamps.iter().min(), stamps.iter().max()) {
            return Breach {
                from: *first,
                until: *last + period,
                from_reason: true,
            };
        }
        let evaluated = alarm.map_or(1, |a| a.evaluation_periods.max(1));
        let secs = period.num_seconds().max(1);
        let end = transition.time.timestamp().div_euclid(secs) * secs;
        let until = DateTime::from_timestamp(end, 0).unwrap_or(transition.time);
        Breach {
            from: until - period * evaluated as i32,
            until,
            from_reason: false,
        }
    }

    /// The filter that shows the reads of these periods (`until:` takes the period's last
    /// second: CloudTrail's times are whole seconds); the secret's changes are not what the
    /// alarm counts.
    pub fn filter(&self) -> String {
        let last = self.until - TimeDelta::seconds(1);
        format!(
            "kind:read since:{} until:{}",
            self.from.format("%Y-%m-%dT%H:%M:%SZ"),
            last.format("%Y-%m-%dT%H:%M:%SZ")
        )
    }
}

/// A firing in a line: how many accesses its periods hold, and who read most.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BreachSummary {
    pub breach: Breach,
    pub accesses: usize,
    /// The principal with the most accesses in it, and how many.
    pub most: Option<(String, usize)>,
}

impl super::Store {
    /// The reads held of the focused scope (every one before the account is known), newest
    /// first: what its alarm counts.
    pub fn focused_reads(&self) -> impl Iterator<Item = &crate::access::AccessEvent> {
        let focused = self.scope();
        self.timeline.newest_first().filter(move |e| {
            e.is_read()
                && focused
                    .as_ref()
                    .is_none_or(|s| *e.account == *s.account && *e.region == *s.region)
        })
    }

    /// Why the episode that began at `since` fired, from the transition at that time (the
    /// newest firing, when the history has none at that time) and the accesses held.
    pub fn why_fired(&self, since: DateTime<Utc>) -> Option<BreachSummary> {
        let mut fired = firings(&self.alarm_history);
        let transition = fired
            .clone()
            .find(|t| t.time == since)
            .or_else(|| fired.next())?;
        let breach = Breach::of(transition, self.alarm.found());
        let mut by: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        let mut accesses = 0;
        for e in self.focused_reads() {
            if e.time >= breach.from && e.time < breach.until {
                accesses += 1;
                *by.entry(&e.principal).or_default() += 1;
            }
        }
        let most = by
            .into_iter()
            .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))
            .map(|(p, n)| (p.to_string(), n));
        Some(BreachSummary {
            breach,
            accesses,
            most,
        })
    }
}

/// The transitions to ALARM in `history` (newest first), newest first.
pub fn firings(history: &[AlarmTransition]) -> impl Iterator<Item = &AlarmTransition> + Clone {
    history.iter().filter(|t| t.to == AlarmState::Alarm)
}

/// The period starts in the reason's `[value (dd/mm/yy HH:MM:SS), …]`, in UTC as
/// CloudWatch writes them.
fn datapoint_starts(reason: &str) -> Vec<DateTime<Utc>> {
    let Some(open) = reason.find("datapoints [") else {
        return Vec::new();
    };
    let rest = &reason[open + "datapoints [".len()..];
    let Some(close) = rest.find(']') else {
        return Vec::new();
    };
    rest[..close]
        .split('(')
        .skip(1)
        .filter_map(|part| part.split(')').next())
        .filter_map(|stamp| NaiveDateTime::parse_from_str(stamp.trim(), "%d/%m/%y %H:%M:%S").ok())
        .map(|t| t.and_utc())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(h: u32, m: u32, s: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 27, h, m, s)
            .single()
            .expect("a time")
    }

    fn fired(reason: &str, time: DateTime<Utc>) -> AlarmTransition {
        AlarmTransition {
            alarm: "a".into(),
            time,
            from: AlarmState::Ok,
            to: AlarmState::Alarm,
            reason: reason.into(),
        }
    }

    #[test]
    fn the_reasons_datapoints_are_the_periods_that_breached() {
        let t = fired(
            "Threshold Crossed: 2 out of the last 3 datapoints [4.0 (27/11/26 09:03:00), \
             2.0 (27/11/26 09:01:00)] were greater than or equal to the threshold (1.0) \
             (minimum 2 datapoints for OK -> ALARM transition).",
            at(9, 4, 20),
        );
        let breach = Breach::of(&t, None);
        assert_eq!(
            breach,
            Breach {
                from: at(9, 1, 0),
                until: at(9, 4, 0),
                from_reason: true
            }
        );
        assert_eq!(
            breach.filter(),
            "kind:read since:2026-11-27T09:01:00Z until:2026-11-27T09:03:59Z"
        );
    }

    #[test]
    fn a_reason_without_datapoints_falls_back_on_the_evaluation_window() {
        let t = fired("Unchecked: Initial alarm creation", at(9, 4, 20));
        let breach = Breach::of(&t, None);
        assert_eq!((breach.from, breach.until), (at(9, 3, 0), at(9, 4, 0)));
        assert!(!breach.from_reason);
        // A reason cut or made up by anyone: no panic, the window again.
        for reason in [
            "datapoints [",
            "datapoints [1 (99/99/99 99:99:99)]",
            "datapoints ][",
        ] {
            let breach = Breach::of(&fired(reason, at(9, 4, 20)), None);
            assert!(!breach.from_reason, "{reason}");
        }
    }
}
