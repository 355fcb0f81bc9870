//! The scope picker's keys: `S` opens it, ↑/↓ move, Enter narrows the accesses to the
//! scope selected (or shows every scope again), Esc or `S` closes it.

use super::app::{App, Mode};
use super::keymap::Action;

impl App {
    /// Handles `action` when it is the picker's; false when the key is not for it.
    pub(super) fn on_scopes_key(&mut self, action: Action) -> bool {
        let Mode::Scopes { selected } = self.mode else {
            if action == Action::Scopes {
                let current = self
                    .store
                    .narrowed
                    .as_ref()
                    .and_then(|n| self.store.scope_list().iter().position(|s| s == n));
                self.mode = Mode::Scopes {
                    selected: current.map_or(0, |i| i + 1),
                };
                return true;
            }
            return false;
        };
        let last = self.store.scope_list().len();
        match action {
            Action::Up => {
                self.mode = Mode::Scopes {
                    selected: selected.saturating_sub(1),
                }
            }
            Action::Down => {
                self.mode = Mode::Scopes {
                    selected: (selected + 1).min(last),
                }
            }
            Action::Newest | Action::PageUp => self.mode = Mode::Scopes { selected: 0 },
            Action::Oldest | Action::PageDown => self.mode = Mode::Scopes { selected: last },
            Action::Open => {
                self.store.narrowed = match selected {
                    0 => None,
                    i => self.store.scope_list().get(i - 1).cloned(),
                };
                self.selected = 0;
                self.mode = Mode::Dashboard;
            }
            Action::Close | Action::Scopes | Action::Help => self.mode = Mode::Dashboard,
            Action::Quit => self.quit = true,
            _ => {}
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::Clock;
    use crate::cloud::scope::Scope;
    use crate::cloud::types::{Backend, Identity};
    use crate::engine::Update;
    use crossterm::event::{KeyCode, KeyEvent};

    fn app() -> App {
        let mut app = App::new(Clock::system(), "m".into());
        app.on_update(Update::Identity(Identity {
            account: "123456789012".into(),
            region: "us-east-1".into(),
            principal: "arn:aws:iam::123456789012:user/a".into(),
            backend: Backend::Demo,
        }));
        app.on_update(Update::InScope {
            scope: 1,
            update: Box::new(Update::Opened(Scope::new("123456789012", "eu-west-1"))),
        });
        app
    }

    fn press(app: &mut App, keys: &[KeyCode]) {
        for k in keys {
            app.on_key(KeyEvent::from(*k));
        }
    }

    #[test]
    fn the_picker_narrows_to_a_scope_and_all_scopes_widens_again() {
        let mut app = app();
        press(
            &mut app,
            &[
                KeyCode::Char('S'),
                KeyCode::Down,
                KeyCode::Down,
                KeyCode::Enter,
            ],
        );
        assert_eq!(app.mode, Mode::Dashboard);
        let narrowed = app.store.narrowed.clone().expect("narrowed");
        assert_eq!(narrowed.region.as_deref(), Some("eu-west-1"));
        press(&mut app, &[KeyCode::Char('S')]);
        assert_eq!(
            app.mode,
            Mode::Scopes { selected: 2 },
            "opens on the one shown"
        );
        press(&mut app, &[KeyCode::Char('g'), KeyCode::Enter]);
        assert_eq!(app.store.narrowed, None);
        press(&mut app, &[KeyCode::Char('S'), KeyCode::Esc]);
        assert_eq!(app.mode, Mode::Dashboard);
    }
}
