//! `w`: why the alarm fired. The timeline is filtered to the accesses of the periods that
//! breached for the newest firing; `w` again steps to the firing before, and so back
//! through the alarm's history. Esc clears it as any filter.

use super::app::App;
use crate::query::Query;
use crate::store::{Breach, firings};

impl App {
    pub(super) fn why_fired(&mut self) {
        let now = self.clock.now();
        let shown = self.store.query.text().to_string();
        let alarm = self.store.alarm.found();
        let breaches: Vec<Breach> = firings(&self.store.alarm_history)
            .map(|t| Breach::of(t, alarm))
            .collect();
        // Pressed again on a firing's filter: the firing before it.
        let next = breaches
            .iter()
            .position(|b| self.why_filter(b) == shown)
            .map_or(0, |i| i + 1);
        let Some(breach) = breaches.get(next) else {
            let words = match (breaches.is_empty(), next) {
                (true, _) => "the alarm has not fired in the history held".to_string(),
                (false, n) => format!("no firing before these {n} in the history held"),
            };
            self.flash_for(words, 10);
            return;
        };
        let Ok(query) = Query::parse(&self.why_filter(breach), now) else {
            return;
        };
        self.store.query = query;
        self.selected = 0;
        let n = self.store.shown_len();
        let source = if breach.from_reason {
            "the periods its reason names"
        } else {
            "its evaluation window"
        };
        let words = format!(
            "fired at {}: {n} access{} in {source}, {}–{} ({}: the firing before · {} clears)",
            breach.until.format("%H:%M"),
            if n == 1 { "" } else { "es" },
            breach.from.format("%H:%M:%S"),
            (breach.until - chrono::TimeDelta::seconds(1)).format("%H:%M:%S"),
            super::keymap::key(super::keymap::Action::WhyFired),
            super::keymap::key(super::keymap::Action::Close),
        );
        self.flash_for(words, 10);
    }

    /// The filter for a firing: its periods, and the focused scope when several are
    /// watched (the alarm counts the focused scope's reads only).
    fn why_filter(&self, breach: &Breach) -> String {
        match (&self.store.identity, self.store.others.is_empty()) {
            (Some(id), false) => format!(
                "{} account:{} region:{}",
                breach.filter(),
                id.account,
                id.region
            ),
            _ => breach.filter(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::AccessEvent;
    use crate::clock::Clock;
    use crate::cloud::types::{AlarmState, AlarmTransition};
    use crate::engine::Update;
    use chrono::{DateTime, TimeZone, Utc};
    use crossterm::event::{KeyCode, KeyEvent};

    fn at(m: u32, s: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 27, 9, m, s)
            .single()
            .expect("a time")
    }

    fn fired(time: DateTime<Utc>, period: &str) -> AlarmTransition {
        AlarmTransition {
            alarm: "SecretIsAccessed-alarm".into(),
            time,
            from: AlarmState::Ok,
            to: AlarmState::Alarm,
            reason: format!(
                "Threshold Crossed: 1 out of the last 1 datapoints [2.0 (27/11/26 {period})] \
                 was greater than or equal to the threshold (1.0)"
            ),
        }
    }

    fn read(id: &str, time: DateTime<Utc>, who: &str) -> AccessEvent {
        let mut e = AccessEvent::sample();
        e.event_id = id.into();
        e.time = time;
        e.principal = format!("arn:aws:iam::111122223333:user/{who}").into();
        e
    }

    fn press_w(app: &mut App) -> String {
        app.on_key(KeyEvent::from(KeyCode::Char('w')));
        app.flash.clone().map(|(text, _)| text).unwrap_or_default()
    }

    #[test]
    fn w_shows_the_accesses_of_each_firing_newest_first() {
        let mut app = App::new(Clock::starting_at(at(10, 0)), "m".into());
        let history = vec![
            fired(at(5, 20), "09:04:00"),
            AlarmTransition {
                to: AlarmState::Ok,
                from: AlarmState::Alarm,
                ..fired(at(3, 20), "09:02:00")
            },
            fired(at(2, 20), "09:01:00"),
        ];
        app.on_update(Update::Alarm {
            alarm: None,
            history,
        });
        app.on_update(Update::Accesses(vec![
            read("a", at(1, 10), "alice"),
            read("b", at(1, 59), "bob"),
            read("c", at(2, 0), "carol"),
            read("d", at(4, 30), "dave"),
        ]));

        let said = press_w(&mut app);
        assert_eq!(
            app.store.query.text(),
            "kind:read since:2026-11-27T09:04:00Z until:2026-11-27T09:04:59Z"
        );
        let shown: Vec<String> = app.store.shown().map(|e| e.event_id.to_string()).collect();
        assert_eq!(shown, ["d"]);
        assert!(
            said.starts_with("fired at 09:05: 1 access in the periods its reason names"),
            "{said}"
        );

        press_w(&mut app);
        let shown: Vec<String> = app.store.shown().map(|e| e.event_id.to_string()).collect();
        assert_eq!(shown, ["b", "a"], "the firing before: 09:01:00 to 09:01:59");

        let said = press_w(&mut app);
        assert_eq!(said, "no firing before these 2 in the history held");
        assert_eq!(shown.len(), app.store.shown_len(), "the filter stays");

        // The acknowledgement dialog's line: the newest firing, and who read most.
        let why = app.store.why_fired(at(2, 20)).expect("a firing");
        assert_eq!((why.accesses, why.most.map(|m| m.1)), (2, Some(1)));
    }

    #[test]
    fn w_without_a_firing_says_so_and_filters_nothing() {
        let mut app = App::new(Clock::starting_at(at(10, 0)), "m".into());
        let said = press_w(&mut app);
        assert_eq!(said, "the alarm has not fired in the history held");
        assert!(app.store.query.is_empty());
    }
}
