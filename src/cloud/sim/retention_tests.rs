//! The embedded account left running for days holds one retention of history, not all
//! it ever recorded.

use super::world::World;
use super::{Scenario, Timings, demo_cast, scenario};
use crate::cloud::names::ChainNames;
use crate::cloud::types::{EventQuery, LookupAttribute};
use chrono::{DateTime, TimeDelta, TimeZone, Utc};

fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, 9, 0, 0)
        .single()
        .expect("valid")
}

fn every_event(from: DateTime<Utc>, to: DateTime<Utc>) -> EventQuery {
    EventQuery {
        lookup: LookupAttribute::EventSource("sts.amazonaws.com".into()),
        start: from,
        end: to,
        next_token: None,
    }
}

#[test]
fn a_demo_left_running_for_days_keeps_one_day() {
    let timings = Timings::demo();
    let mut world = World::new(1, timings.clone(), start());
    scenario::build(&mut world, Scenario::Healthy, &ChainNames::default());
    world.start_actors(demo_cast(), true);
    let mut held = Vec::new();
    for day in 1..=3 {
        world.advance_to(start() + TimeDelta::days(day));
        held.push((
            world.history.len(),
            world.alarm_history.len(),
            world.sns.inbox_since(DateTime::<Utc>::MIN_UTC).len(),
        ));
    }
    let (day2, day3) = (held[1], held[2]);
    // A day of traffic each (about 14 000 events), not one more day's worth every day.
    assert!(day2.0 > 10_000, "a day of events: {day2:?}");
    for (what, a, b) in [
        ("events", day2.0, day3.0),
        ("alarm transitions", day2.1, day3.1),
        ("notifications", day2.2, day3.2),
    ] {
        assert!(
            b as f64 <= a as f64 * 1.1,
            "{what} grew from {a} after two days to {b} after three"
        );
    }
    // Housekeeping runs hourly: at most an hour past the retention is left.
    let now = world.now;
    let retention = TimeDelta::from_std(timings.retention).expect("a day");
    let cut = now - retention - TimeDelta::hours(1);
    assert!(
        world
            .history
            .ids_matching(&every_event(DateTime::<Utc>::MIN_UTC, cut))
            .is_empty(),
        "events older than the retention are kept"
    );
    assert!(
        !world
            .history
            .ids_matching(&every_event(now - retention, now))
            .is_empty()
    );
}
