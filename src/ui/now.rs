//! The instant a frame is drawn at, and the next instant its text will change.
//!
//! Every part of the screen that depends on the clock (ages, countdowns, staleness,
//! the metric's newest period, a message's expiry) reads it through [`Now`], which
//! notes when that part will read differently. The terminal loop sleeps until the
//! earliest such instant instead of redrawing every second, so an idle dashboard
//! draws only when something it shows has changed.

use crate::engine::Source;
use crate::store::{Health, HealthBoard};
use chrono::{DateTime, TimeDelta, Utc};
use std::cell::Cell;

#[derive(Debug)]
pub struct Now {
    at: DateTime<Utc>,
    next: Cell<Option<DateTime<Utc>>>,
}

impl Now {
    pub fn new(at: DateTime<Utc>) -> Self {
        Self {
            at,
            next: Cell::new(None),
        }
    }

    /// The frame's instant, for what reads the clock without showing it.
    pub fn at(&self) -> DateTime<Utc> {
        self.at
    }

    /// The earliest instant at which something drawn so far will read differently;
    /// None when nothing drawn depends on the clock.
    pub fn next_change(&self) -> Option<DateTime<Utc>> {
        self.next.get()
    }

    /// Notes that what was just drawn changes at `when`.
    fn changes_at(&self, when: DateTime<Utc>) {
        if when > self.at && self.next.get().is_none_or(|next| when < next) {
            self.next.set(Some(when));
        }
    }

    /// `now - then` as `5s`, `3m`, `2h`, `4d`.
    pub fn age(&self, then: DateTime<Utc>) -> String {
        let secs = (self.at - then).num_seconds().max(0);
        let unit = match secs {
            0..60 => 1,
            60..3600 => 60,
            3600..86400 => 3600,
            _ => 86400,
        };
        // The text moves to the next whole unit one unit after the current one began.
        self.changes_at(then + TimeDelta::seconds((secs / unit + 1) * unit));
        crate::text::format::age(then, self.at)
    }

    /// Whole seconds until `then`, at least 0.
    pub fn secs_until(&self, then: DateTime<Utc>) -> i64 {
        let secs = (then - self.at).num_seconds();
        if secs >= 0 {
            // `secs` holds while at least `secs` whole seconds remain.
            self.changes_at(then - TimeDelta::seconds(secs) + TimeDelta::nanoseconds(1));
        }
        crate::text::format::secs_until(then, self.at)
    }

    /// Whether the frame is before `until` (a message that goes away then).
    pub fn before(&self, until: DateTime<Utc>) -> bool {
        self.changes_at(until);
        self.at < until
    }

    /// The start, in Unix seconds, of the `period`-second period the frame falls in.
    pub fn period_start(&self, period: i64) -> i64 {
        let start = self.at.timestamp().div_euclid(period) * period;
        self.changes_at(DateTime::<Utc>::UNIX_EPOCH + TimeDelta::seconds(start + period));
        start
    }

    /// A source's health at the frame's instant, noting when it would turn stale.
    pub fn health(&self, board: &HealthBoard, source: Source) -> Health {
        if let Some(when) = board.turns_stale_at(source) {
            self.changes_at(when);
        }
        board.health(source, self.at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(secs: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(1_800_000_000 + secs, 0)
            .single()
            .expect("valid")
    }

    #[test]
    fn the_earliest_change_wins_and_past_ones_are_ignored() {
        let now = Now::new(t(100));
        assert_eq!(now.next_change(), None);
        assert!(now.before(t(108)));
        assert!(!now.before(t(50)));
        assert_eq!(now.age(t(0)), "1m");
        assert_eq!(now.next_change(), Some(t(108)));
        assert_eq!(now.age(t(95)), "5s");
        assert_eq!(now.next_change(), Some(t(101)));
    }

    #[test]
    fn ages_change_at_their_unit_boundary() {
        let now = Now::new(t(7200 + 130));
        assert_eq!(now.age(t(7200)), "2m");
        assert_eq!(now.next_change(), Some(t(7200 + 180)));
        let now = Now::new(t(7200 + 130));
        assert_eq!(now.age(t(0)), "2h");
        assert_eq!(now.next_change(), Some(t(3 * 3600)));
    }

    #[test]
    fn a_countdown_changes_when_a_whole_second_goes() {
        let now = Now::new(t(100) + TimeDelta::milliseconds(300));
        assert_eq!(now.secs_until(t(110)), 9);
        assert_eq!(now.next_change(), Some(t(101) + TimeDelta::nanoseconds(1)));
        let now = Now::new(t(120));
        assert_eq!(now.secs_until(t(110)), 0);
        assert_eq!(now.next_change(), None);
    }

    #[test]
    fn the_newest_period_ends_at_the_next_boundary() {
        let now = Now::new(t(0) + TimeDelta::seconds(30));
        let start = now.period_start(300);
        assert_eq!(start % 300, 0);
        assert_eq!(
            now.next_change(),
            Some(DateTime::<Utc>::UNIX_EPOCH + TimeDelta::seconds(start + 300))
        );
    }
}
