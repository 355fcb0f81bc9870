//! CloudWatch's alarm evaluator: each alarm once per period, the evaluation delay after
//! the period ended (so that late datapoints count), over its last N complete periods.
//! Evaluating the period still filling would flap the alarm within it.

use super::alarms;
use super::sns::Delivery;
use super::world::World;
use crate::cloud::types::AlarmState;

impl World {
    /// Evaluates every alarm that has a complete period it was not yet evaluated through;
    /// returns what its transitions publish to SNS.
    pub(super) fn evaluate_alarms(&mut self) -> Vec<Delivery> {
        let now = self.now;
        let delay = chrono::TimeDelta::from_std(self.timings.evaluation_delay).unwrap_or_default();
        let mut published = Vec::new();
        for alarm in &mut self.alarms {
            let end = alarms::complete_through(alarm, now - delay);
            let through = self
                .evaluated_through
                .entry(alarm.name.clone())
                .or_insert(i64::MIN);
            if *through >= end {
                continue;
            }
            *through = end;
            let Some(verdict) = alarms::evaluate(alarm, &self.metrics, end) else {
                continue;
            };
            if let Some(t) = alarms::apply(alarm, verdict, now) {
                if alarm.actions_enabled && t.to == AlarmState::Alarm {
                    let subject = format!("ALARM: \"{}\" in {}", alarm.name, self.region);
                    let message = super::alarm_queue::alarm_message(alarm, &t, &self.region);
                    for topic in &alarm.alarm_actions {
                        let sent = self.sns.publish(topic, &subject, &message, &self.account);
                        published.extend(sent);
                    }
                }
                self.alarm_history.push(t);
            }
        }
        published
    }
}

#[cfg(test)]
mod tests {
    use super::super::actors::demo_cast;
    use super::super::scenario::{self, Scenario};
    use super::super::world::{Timings, World};
    use crate::cloud::names::ChainNames;
    use crate::cloud::types::{Alarm, AlarmState};
    use chrono::{DateTime, TimeDelta, TimeZone, Utc};
    use std::time::Duration;

    type Change = (DateTime<Utc>, AlarmState, AlarmState);

    fn start() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 27, 9, 0, 0)
            .single()
            .expect("valid date")
    }

    fn at(secs: i64) -> DateTime<Utc> {
        DateTime::<Utc>::UNIX_EPOCH + TimeDelta::seconds(secs)
    }

    /// The demo's traffic for `hours`, with the alarm as `configure` leaves it.
    fn run(hours: i64, configure: impl FnOnce(&mut Alarm)) -> World {
        let mut world = World::new(7, Timings::demo(), start());
        scenario::build(&mut world, Scenario::Healthy, &ChainNames::default());
        configure(&mut world.alarms[0]);
        world.start_actors(demo_cast(), true);
        world.advance_to(start() + TimeDelta::hours(hours));
        world
    }

    /// CloudWatch's history for this traffic: each period evaluated once, the evaluation
    /// delay after it ended, over the last N complete periods (M of N, missing data not
    /// breaching). Every datapoint here arrives within the delay, so the final metrics are
    /// what the evaluator saw.
    fn expected(world: &World) -> Vec<Change> {
        let alarm = &world.alarms[0];
        let period = alarm.period.as_secs() as i64;
        let delay = TimeDelta::from_std(world.timings.evaluation_delay).expect("delay");
        let n = i64::from(alarm.evaluation_periods);
        let mut state = AlarmState::InsufficientData;
        let mut changes = Vec::new();
        let mut end = start().timestamp();
        while at(end) + delay <= world.now {
            let breaching = (1..=n)
                .filter(|k| {
                    world
                        .metrics
                        .aggregate(&alarm.metric, end - k * period, period)
                        .is_some_and(|a| a.sum >= alarm.threshold)
                })
                .count();
            let to = if breaching >= alarm.datapoints_to_alarm as usize {
                AlarmState::Alarm
            } else {
                AlarmState::Ok
            };
            if to != state {
                changes.push((at(end) + delay, state, to));
                state = to;
            }
            end += period;
        }
        changes
    }

    fn assert_once_per_period(world: &World, at_least: usize) {
        let alarm = &world.alarms[0];
        let period = TimeDelta::from_std(alarm.period).expect("period");
        let delay = TimeDelta::from_std(world.timings.evaluation_delay).expect("delay");
        let history: Vec<Change> = world
            .alarm_history
            .iter()
            .map(|t| (t.time, t.from, t.to))
            .collect();
        for pair in history.windows(2) {
            assert!(
                pair[1].0 - pair[0].0 >= period,
                "two transitions within one {}s period: {:?} then {:?}",
                period.num_seconds(),
                pair[0],
                pair[1]
            );
        }
        for change in &history {
            let evaluated = change.0 - delay;
            assert_eq!(
                evaluated.timestamp() % period.num_seconds(),
                0,
                "{change:?} is not {}s after a period ended",
                delay.num_seconds()
            );
        }
        assert_eq!(history, expected(world));
        assert!(
            history.len() >= at_least,
            "only {} transitions: the traffic does not exercise the alarm",
            history.len()
        );
    }

    #[test]
    fn a_sixty_second_alarm_is_evaluated_once_per_period_and_never_flaps_within_one() {
        let world = run(3, |_| {});
        assert_eq!(world.alarms[0].period, Duration::from_secs(60));
        assert_once_per_period(&world, 20);
    }

    #[test]
    fn a_five_minute_two_of_three_alarm_is_evaluated_once_per_five_minutes() {
        let world = run(8, |alarm| {
            alarm.period = Duration::from_secs(300);
            alarm.threshold = 3.0;
            alarm.evaluation_periods = 3;
            alarm.datapoints_to_alarm = 2;
        });
        assert_once_per_period(&world, 4);
    }
}
