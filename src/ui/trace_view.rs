//! The trace panel's keys: `t` fires a test access and opens it on the new trace, `T`
//! opens it on the newest, ↑/↓ move between newer and older traces, Esc closes it.

use super::app::{App, Mode};
use super::keymap::Action;
use crate::engine::Job;

impl App {
    /// Handles `action` when it is the panel's (or opens it): the job to hand to the engine,
    /// if any; None when the key is not the panel's, for the keys every mode has.
    pub(super) fn on_trace_key(&mut self, action: Action) -> Option<Option<Job>> {
        let Mode::Trace { selected } = self.mode else {
            return match action {
                Action::Traces => {
                    self.mode = Mode::Trace { selected: 0 };
                    Some(None)
                }
                _ => None,
            };
        };
        let last = self.store.all_traces().count().saturating_sub(1);
        match action {
            Action::Up | Action::Newest => {
                self.mode = Mode::Trace {
                    selected: if action == Action::Up {
                        selected.saturating_sub(1)
                    } else {
                        0
                    },
                }
            }
            Action::Down => {
                self.mode = Mode::Trace {
                    selected: (selected + 1).min(last),
                }
            }
            Action::Oldest => self.mode = Mode::Trace { selected: last },
            Action::TestAccess => return Some(self.test_access()),
            Action::Close | Action::Traces | Action::Help => self.mode = Mode::Dashboard,
            // The rest as anywhere: `a` acknowledges, `d` opens the doctor, `q` quits.
            _ => return None,
        }
        Some(None)
    }
}
