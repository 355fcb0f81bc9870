//! Acknowledging from the dashboard: `a` opens the note dialog for the firing alarm's
//! episode (or says why there is none), the note is typed, Enter saves, Esc cancels.

use super::app::{App, Mode, NOTE_MAX};
use crate::ack::AckState;
use crate::engine::{Job, Source};
use crate::store::Lookup;
use crossterm::event::KeyEvent;

impl App {
    /// Typing a note: every printable key is text, Enter saves, Esc cancels.
    pub(super) fn on_note_key(&mut self, key: KeyEvent) -> Option<Job> {
        use crossterm::event::{KeyCode, KeyModifiers};
        let Mode::Acknowledge { episode, note } = &mut self.mode else {
            return None;
        };
        match key.code {
            KeyCode::Char('c') if key.modifiers.contains(KeyModifiers::CONTROL) => self.quit = true,
            KeyCode::Esc => self.mode = Mode::Dashboard,
            KeyCode::Enter => {
                let episode = episode.clone();
                let note = Some(note.trim().to_string()).filter(|n| !n.is_empty());
                self.mode = Mode::Dashboard;
                self.flash_for(format!("acknowledging {}…", episode.alarm), 10);
                return Some(Job::Acknowledge { episode, note });
            }
            KeyCode::Backspace => {
                note.pop();
            }
            KeyCode::Char(c)
                if !c.is_control()
                    && !key.modifiers.contains(KeyModifiers::CONTROL)
                    && note.chars().count() < NOTE_MAX =>
            {
                note.push(c);
            }
            _ => {}
        }
        None
    }

    /// `a`: the note dialog for the current episode, or why there is none.
    pub(super) fn start_acknowledging(&mut self) {
        match self.store.ack_state() {
            Some(AckState::Unacknowledged { episode }) => {
                self.mode = Mode::Acknowledge {
                    episode,
                    note: String::new(),
                }
            }
            Some(AckState::Acknowledged { ack }) => self.flash_for(
                format!(
                    "already acknowledged by {} at {}",
                    ack.by,
                    crate::text::format::hms(ack.at)
                ),
                5,
            ),
            Some(AckState::Quiet) => self.flash_for("the alarm is not firing".into(), 5),
            None => {
                let why = match (&self.store.alarm, &self.store.identity) {
                    (Lookup::Missing, _) => "no alarm to acknowledge here (s: setup)",
                    (Lookup::Waiting, _) if self.store.health.last_ok(Source::Alarms).is_none() => {
                        "alarm not readable yet: see its pane"
                    }
                    (_, None) => "account not known yet: see the status bar",
                    _ => "the alarm is not known yet",
                };
                self.flash_for(why.into(), 5);
            }
        }
    }
}
