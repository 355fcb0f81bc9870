//! The filter line's keys: `/` opens it with the filter in force, every printable key edits
//! it and the timeline follows as soon as the expression reads, Enter keeps it, Esc clears
//! it (in the line, or on the dashboard when it is closed).

use super::app::{App, Mode};
use crate::query::Query;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// The longest expression the line takes.
pub const FILTER_MAX: usize = 300;

impl App {
    pub(super) fn open_filter(&mut self) {
        self.mode = Mode::Filter {
            text: self.store.query.text().to_string(),
            error: None,
        };
    }

    /// Esc on the dashboard: every access again.
    pub(super) fn clear_filter(&mut self) {
        if !self.store.query.is_empty() {
            self.store.query = Query::default();
            self.selected = 0;
        }
    }

    pub(super) fn on_filter_key(&mut self, key: KeyEvent) {
        let Mode::Filter { text, error } = &mut self.mode else {
            return;
        };
        let control = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Char('c') if control => self.quit = true,
            KeyCode::Char('u') if control => text.clear(),
            KeyCode::Esc => {
                self.mode = Mode::Dashboard;
                self.clear_filter();
                return;
            }
            // A wrong expression stays open: Enter keeps only what reads.
            KeyCode::Enter if error.is_none() => {
                self.mode = Mode::Dashboard;
                return;
            }
            KeyCode::Backspace => {
                text.pop();
            }
            KeyCode::Char(c)
                if !c.is_control() && !control && text.chars().count() < FILTER_MAX =>
            {
                text.push(c);
            }
            _ => return,
        }
        // Relative times (`since:15m`) count from when the expression is typed.
        let now = self.clock.now();
        let query = match Query::parse(text, now) {
            Ok(query) => {
                *error = None;
                query
            }
            // While a word is wrong (or half typed), the words before it apply.
            Err(wrong) => {
                let before = before_word(text, wrong.at);
                *error = Some(wrong);
                match Query::parse(&before, now) {
                    Ok(query) => query,
                    Err(_) => return,
                }
            }
        };
        if query != self.store.query {
            self.store.query = query;
            self.selected = 0;
        }
    }
}

/// The text before the word that holds character `at`.
fn before_word(text: &str, at: usize) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut start = at.min(chars.len());
    while start > 0 && !chars[start - 1].is_whitespace() {
        start -= 1;
    }
    chars[..start].iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::Clock;

    fn typed(app: &mut App, keys: &str) {
        for c in keys.chars() {
            app.on_key(KeyEvent::from(KeyCode::Char(c)));
        }
    }

    #[test]
    fn typing_filters_a_mistake_keeps_the_last_good_filter_and_esc_clears() {
        let mut app = App::new(Clock::system(), "m".into());
        typed(&mut app, "/principal:alice");
        assert_eq!(app.store.query.text(), "principal:alice");
        typed(&mut app, " ip:10.0");
        let Mode::Filter {
            error: Some(error), ..
        } = &app.mode
        else {
            panic!("{:?}", app.mode);
        };
        assert_eq!((error.at, error.len), (19, 4));
        // The words before the wrong one apply meanwhile.
        assert_eq!(app.store.query.text(), "principal:alice");
        app.on_key(KeyEvent::from(KeyCode::Enter));
        assert!(
            matches!(app.mode, Mode::Filter { .. }),
            "a wrong line stays open"
        );
        typed(&mut app, ".0.0/8");
        app.on_key(KeyEvent::from(KeyCode::Enter));
        assert_eq!(app.mode, Mode::Dashboard);
        assert_eq!(app.store.query.text(), "principal:alice ip:10.0.0.0/8");
        typed(&mut app, "/");
        assert!(
            matches!(&app.mode, Mode::Filter { text, .. } if text == "principal:alice ip:10.0.0.0/8"),
            "opens on the filter in force"
        );
        app.on_key(KeyEvent::from(KeyCode::Enter));
        app.on_key(KeyEvent::from(KeyCode::Esc));
        assert!(app.store.query.is_empty());
    }
}
