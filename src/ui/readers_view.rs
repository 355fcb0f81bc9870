//! The principals view's keys: `p` opens it, ↑/↓ move, `o` orders by last seen or by
//! reads, `e` marks the one selected expected (or not), Enter filters the timeline to the
//! principal selected, Esc or `p` closes it.

use super::app::{App, Mode};
use super::keymap::Action;
use crate::query::Query;
use crate::store::ReaderOrder;

impl App {
    /// Handles `action` when it is the view's; false when the key is not for it.
    pub(super) fn on_readers_key(&mut self, action: Action) -> bool {
        let Mode::Readers { selected, order } = self.mode else {
            if action == Action::Readers {
                self.mode = Mode::Readers {
                    selected: 0,
                    order: ReaderOrder::default(),
                };
                return true;
            }
            return false;
        };
        let last = self.store.readers(order).len().saturating_sub(1);
        let to = |selected: usize| Mode::Readers { selected, order };
        match action {
            Action::Up => self.mode = to(selected.saturating_sub(1)),
            Action::Down => self.mode = to((selected + 1).min(last)),
            Action::PageUp | Action::Newest => self.mode = to(0),
            Action::PageDown | Action::Oldest => self.mode = to(last),
            Action::Order => {
                self.mode = Mode::Readers {
                    selected: 0,
                    order: order.other(),
                }
            }
            Action::Open => self.filter_to_reader(selected, order),
            Action::Expect => self.toggle_expected(selected, order),
            Action::Close | Action::Readers | Action::Help => self.mode = Mode::Dashboard,
            Action::Quit => self.quit = true,
            _ => {}
        }
        true
    }

    /// Marks the principal selected as an expected reader, or no longer: the doctor's noise
    /// finding then proposes a metric filter pattern without (or with) it.
    fn toggle_expected(&mut self, selected: usize, order: ReaderOrder) {
        let now = self.clock.now();
        let Some(reader) = self.store.readers(order).into_iter().nth(selected) else {
            return;
        };
        let said = match crate::chain::noise::expected_form(&reader.principal) {
            None => "this principal has no ARN in its records: a pattern cannot leave it out"
                .to_string(),
            Some(form) => match self.store.expected.toggle(&form, now) {
                Ok(true) => format!(
                    "expected: {form} ({}: the doctor's proposal)",
                    super::keymap::key(Action::Doctor)
                ),
                Ok(false) => format!("no longer expected: {form}"),
                Err(why) => format!("not marked: {why}"),
            },
        };
        self.store.refresh_noise(now);
        self.flash = Some((said, now + chrono::TimeDelta::seconds(5)));
    }

    /// The timeline narrowed to one principal, beside the filter already in force.
    fn filter_to_reader(&mut self, selected: usize, order: ReaderOrder) {
        let Some(reader) = self.store.readers(order).into_iter().nth(selected) else {
            return;
        };
        let quoted = reader.principal.replace('\\', "\\\\").replace('"', "\\\"");
        let text = format!("{} principal:\"{quoted}\"", self.store.query.text());
        match Query::parse(text.trim(), self.clock.now()) {
            Ok(query) => {
                self.store.query = query;
                self.selected = 0;
                self.mode = Mode::Dashboard;
            }
            Err(_) => {
                let until = self.clock.now() + chrono::TimeDelta::seconds(5);
                self.flash = Some(("this principal has no name to filter on".into(), until));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::AccessEvent;
    use crate::clock::Clock;
    use crate::engine::Update;
    use crossterm::event::{KeyCode, KeyEvent};

    #[test]
    fn enter_filters_the_timeline_to_the_principal_selected() {
        let mut app = App::new(Clock::system(), "m".into());
        let bob = AccessEvent {
            event_id: "b".into(),
            principal: "arn:aws:iam::111122223333:user/bob \"the\" builder".into(),
            ..AccessEvent::sample()
        };
        app.on_update(Update::Accesses(vec![AccessEvent::sample(), bob]));
        for key in [KeyCode::Char('p'), KeyCode::Char('o'), KeyCode::Down] {
            app.on_key(KeyEvent::from(key));
        }
        assert!(matches!(
            app.mode,
            Mode::Readers {
                selected: 1,
                order: ReaderOrder::Reads
            }
        ));
        let expected = app.store.readers(ReaderOrder::Reads)[1]
            .principal
            .to_string();
        app.on_key(KeyEvent::from(KeyCode::Enter));
        assert_eq!(app.mode, Mode::Dashboard);
        let shown: Vec<&str> = app.store.shown().map(|e| &*e.event_id).collect();
        assert_eq!(shown.len(), 1);
        let kept = app.store.shown().next().map(|e| e.principal.to_string());
        assert_eq!(kept, Some(expected), "{}", app.store.query.text());
    }
}
