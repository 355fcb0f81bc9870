//! The dashboard's state machine: keys in, commands out, updates eaten into
//! the store. Nothing here awaits anything.

use super::keymap::{Action, action_for};
use crate::ack::AckState;
use crate::clock::Clock;
use crate::engine::{Job, Update};
use crate::export::Format;
use crate::store::{Change, Store};
use crossterm::event::{KeyEvent, KeyEventKind};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    Dashboard,
    Help,
    /// The detail view of one event, scrolled this many lines.
    Detail {
        event: crate::access::EventKey,
        scroll: u16,
    },
    /// The doctor's findings, one selected; `open`: that one in full.
    Doctor {
        selected: usize,
        open: bool,
    },
    /// The setup plan, then its progress.
    Setup,
    /// Acknowledging `episode`: the note being typed.
    Acknowledge {
        episode: crate::ack::Episode,
        note: String,
    },
    /// The acknowledgements made so far, newest first.
    Acks,
    /// The scope picker: 0 is every scope, then each scope, the focused one first.
    Scopes {
        selected: usize,
    },
    /// Who reads what: the principals of the accesses shown, one selected.
    Readers {
        selected: usize,
        order: crate::store::ReaderOrder,
    },
    /// The filter line, as typed, and where it is wrong (the last expression that was
    /// right stays applied meanwhile).
    Filter {
        text: String,
        error: Option<crate::query::QueryError>,
    },
    /// The trace panel: the traces newest first (this run's, then the past ones), one shown.
    Trace {
        selected: usize,
    },
}

/// The longest note an acknowledgement takes.
pub const NOTE_MAX: usize = 200;

pub struct App {
    pub store: Store,
    pub clock: Clock,
    pub mode: Mode,
    /// Index into the timeline, newest first.
    pub selected: usize,
    /// The terminal's size, for paging; set on start and on every resize.
    pub screen: ratatui::layout::Rect,
    pub quit: bool,
    /// No key may change the account (`--read-only`).
    pub read_only: bool,
    /// A short message for the status bar, and until when it shows.
    pub flash: Option<(String, chrono::DateTime<chrono::Utc>)>,
    tests_fired: u32,
    marker_prefix: String,
    /// Where `x` and `X` write their files: where secretwatch was started.
    pub export_dir: std::path::PathBuf,
    /// Ring the terminal bell at the next draw.
    pub bell: bool,
    /// Jobs an update asked for (the doctor, when a trace stopped), for the loop to send.
    pub jobs: Vec<Job>,
    /// Ring it too when a reader is first seen.
    pub first_seen_bell: bool,
    /// The episode the bell last rang for: it rings once for each, and an alarm's episodes
    /// only come after one another (a set of all of them grew for as long as it ran).
    rung: Option<crate::ack::Episode>,
}

impl App {
    pub fn new(clock: Clock, marker_prefix: String) -> Self {
        Self {
            store: Store::default(),
            clock,
            mode: Mode::Dashboard,
            selected: 0,
            // A classic terminal until the first resize says otherwise.
            screen: ratatui::layout::Rect::new(0, 0, 80, 24),
            quit: false,
            read_only: false,
            flash: None,
            tests_fired: 0,
            marker_prefix,
            export_dir: std::path::PathBuf::from("."),
            bell: false,
            jobs: Vec::new(),
            first_seen_bell: false,
            rung: None,
        }
    }

    /// Applies an engine update; false when the screen certainly shows the same as before
    /// (a poll that found nothing new), so no frame is needed.
    pub fn on_update(&mut self, update: Update) -> bool {
        let shown = self.store.changes_screen(&update, self.clock.now());
        self.say_how_acknowledging_went(&update);
        // Counting what is shown walks a narrowed timeline: only when a selection must hold.
        let before = (self.selected > 0).then(|| self.store.shown_len());
        let verdict = matches!(update, Update::Chain(_));
        let changes = self.store.apply(update, self.clock.now());
        // A reader first seen rings, when the config asks for it (`first_seen.bell`).
        let first_seen = |c: &Change| matches!(c, Change::Access(e) if !e.first_seen.is_empty());
        if self.first_seen_bell && changes.iter().any(first_seen) {
            self.bell = true;
        }
        // A trace that stopped names the doctor's finding for that link: a fresh one.
        let stopped = |c: &Change| matches!(c, Change::Trace(t) if t.stopped_at().is_some());
        if changes.iter().any(stopped) && !self.store.chain_checking {
            self.store.chain_checking = true;
            self.jobs.push(Job::Doctor { every_scope: false });
        }
        let traced = changes.iter().any(|c| matches!(c, Change::Trace(_)));
        // The doctor opens on the first link that is not ok, once its verdict is in.
        if verdict && let Mode::Doctor { open: false, .. } = self.mode {
            self.mode = Mode::Doctor {
                selected: self.first_problem(),
                open: false,
            };
        }
        // Keep the selected event in place while newer ones arrive above it.
        if let Some(before) = before {
            let added = self.store.shown_len().saturating_sub(before);
            self.selected = (self.selected + added).min(self.last_index());
        }
        // A new unacknowledged episode rings once.
        if let Some(AckState::Unacknowledged { episode }) = self.store.ack_state()
            && self.rung.as_ref() != Some(&episode)
        {
            self.rung = Some(episode);
            self.bell = true;
        }
        shown || traced
    }

    fn say_how_acknowledging_went(&mut self, update: &Update) {
        let text = match update {
            Update::AckFailed(why) => format!("not acknowledged: {why}"),
            Update::Exported { path, written } => match written {
                Ok(n) => format!("exported {n} accesses to {}", path.display()),
                Err(why) => format!("not exported to {}: {why}", path.display()),
            },
            Update::SecretUnresolved(secret) => {
                self.flash_for(secret.warning().unwrap_or_default(), 30);
                return;
            }
            Update::Acknowledged(done) => match &done.reset {
                None => format!("acknowledged {}: saved", done.ack.episode.alarm),
                Some(Ok(())) => format!(
                    "acknowledged {}: saved, alarm set to OK",
                    done.ack.episode.alarm
                ),
                Some(Err(why)) => format!(
                    "acknowledged {}: saved; alarm not reset: {why}",
                    done.ack.episode.alarm
                ),
            },
            _ => return,
        };
        self.flash_for(text, 8);
    }

    pub(super) fn flash_for(&mut self, text: String, secs: i64) {
        let until = self.clock.now() + chrono::TimeDelta::seconds(secs);
        self.flash = Some((text, until));
    }

    /// Whether the bell is due; it rings once.
    pub fn take_bell(&mut self) -> bool {
        std::mem::take(&mut self.bell)
    }

    /// The doctor's first finding that is not ok (the first one when all are).
    fn first_problem(&self) -> usize {
        self.store
            .chain_shown()
            .findings
            .and_then(|f| {
                f.iter()
                    .position(|f| f.state != crate::chain::LinkState::Ok)
            })
            .unwrap_or(0)
    }

    /// Handles a key; returns the command to hand to the engine, if any.
    fn doctor_selected(&self) -> usize {
        match self.mode {
            Mode::Doctor { selected, .. } => selected,
            _ => 0,
        }
    }

    pub fn on_key(&mut self, key: KeyEvent) -> Option<Job> {
        if key.kind == KeyEventKind::Release {
            return None;
        }
        if matches!(self.mode, Mode::Acknowledge { .. }) {
            return self.on_note_key(key);
        }
        if matches!(self.mode, Mode::Filter { .. }) {
            self.on_filter_key(key);
            return None;
        }
        let Some(action) = action_for(key) else {
            self.say_unknown(key);
            return None;
        };
        if self.on_scopes_key(action) || self.on_readers_key(action) {
            return None;
        }
        if let Some(job) = self.on_trace_key(action) {
            return job;
        }
        match (&mut self.mode, action) {
            (_, Action::Quit) => self.quit = true,
            (_, Action::Acknowledge) => self.start_acknowledging(),
            (Mode::Acks, Action::Acks | Action::Close) => self.mode = Mode::Dashboard,
            (_, Action::Acks) => self.mode = Mode::Acks,
            // The picker's and the filter line's own keys never reach here.
            (
                Mode::Acks
                | Mode::Acknowledge { .. }
                | Mode::Scopes { .. }
                | Mode::Filter { .. }
                | Mode::Readers { .. },
                _,
            ) => {}
            (_, Action::Scopes | Action::Readers | Action::Traces) => {}
            (Mode::Dashboard, Action::Filter) => self.open_filter(),
            (Mode::Dashboard, Action::WhyFired) => self.why_fired(),
            (Mode::Dashboard, Action::Export) => return self.export(Format::JsonLines),
            (Mode::Dashboard, Action::ExportCsv) => return self.export(Format::Csv),
            (
                _,
                Action::Filter
                | Action::Order
                | Action::Expect
                | Action::Export
                | Action::ExportCsv
                | Action::WhyFired,
            ) => {}
            (_, Action::Doctor) => {
                self.mode = Mode::Doctor {
                    selected: self.first_problem(),
                    open: false,
                };
                self.store.checking_chains();
                return Some(Job::Doctor { every_scope: true });
            }
            (_, Action::Setup) if self.read_only => {
                let until = self.clock.now() + chrono::TimeDelta::seconds(5);
                self.flash = Some(("read-only (--read-only): setup is disabled".into(), until));
            }
            (_, Action::Setup) => {
                self.mode = Mode::Setup;
                self.store.setup = Some(crate::store::SetupView::planning());
                return Some(Job::PlanSetup {
                    expected: self.store.expected.principals(),
                });
            }
            (Mode::Setup, Action::Confirm) => {
                let view = self.store.setup.as_mut()?;
                if view.stage == crate::store::SetupStage::Confirm && !view.steps.is_empty() {
                    view.stage = crate::store::SetupStage::Applying;
                    return Some(Job::ApplySetup(view.steps.clone()));
                }
            }
            (Mode::Setup, Action::Close) => {
                // Applying goes on in the background; the dialog can close.
                self.mode = Mode::Dashboard;
            }
            (Mode::Setup, _) => {}
            (_, Action::Confirm) => {}
            (Mode::Doctor { open: true, .. }, Action::Close | Action::Open) => {
                self.mode = Mode::Doctor {
                    selected: self.doctor_selected(),
                    open: false,
                }
            }
            (Mode::Doctor { open, .. }, Action::Open) => *open = true,
            (Mode::Doctor { .. }, Action::Close | Action::Help) => self.mode = Mode::Dashboard,
            (Mode::Doctor { selected, .. }, Action::Up) => *selected = selected.saturating_sub(1),
            (Mode::Doctor { selected, .. }, Action::Down) => {
                let shown = self.store.chain_shown().findings;
                let last = shown.map_or(0, |f| f.len().saturating_sub(1));
                *selected = (*selected + 1).min(last);
            }
            (Mode::Doctor { .. }, Action::TestAccess) => return self.test_access(),
            (Mode::Doctor { .. }, _) => {}
            (Mode::Help, Action::Help | Action::Close) => self.mode = Mode::Dashboard,
            (Mode::Help | Mode::Trace { .. }, _) => {}
            (Mode::Detail { .. }, Action::Close | Action::Open) => self.mode = Mode::Dashboard,
            (Mode::Detail { event, scroll }, Action::Up | Action::Down | Action::PageUp)
            | (
                Mode::Detail { event, scroll },
                Action::PageDown | Action::Newest | Action::Oldest,
            ) => {
                // Stops at the end: no scrolling into emptiness; a page is the view's height.
                let (last, page) = self
                    .store
                    .timeline
                    .get(event)
                    .map_or((0, 1), |e| super::detail_extent(self.screen, e));
                let to = match action {
                    Action::Up => scroll.saturating_sub(1),
                    Action::Down => scroll.saturating_add(1),
                    Action::PageUp => scroll.saturating_sub(page),
                    Action::PageDown => scroll.saturating_add(page),
                    Action::Oldest => last,
                    _ => 0,
                };
                *scroll = to.min(last);
            }
            (Mode::Detail { .. }, Action::Help) => self.mode = Mode::Help,
            (Mode::Detail { .. }, Action::TestAccess) => return self.test_access(),
            (Mode::Dashboard, Action::Help) => self.mode = Mode::Help,
            (Mode::Dashboard, Action::TestAccess) => return self.test_access(),
            (Mode::Dashboard, Action::Up) => self.selected = self.selected.saturating_sub(1),
            (Mode::Dashboard, Action::Down) => {
                self.selected = (self.selected + 1).min(self.last_index());
            }
            (Mode::Dashboard, Action::PageUp) => {
                self.selected = self.selected.saturating_sub(self.page());
            }
            (Mode::Dashboard, Action::PageDown) => {
                self.selected = (self.selected + self.page()).min(self.last_index());
            }
            (Mode::Dashboard, Action::Newest) => self.selected = 0,
            (Mode::Dashboard, Action::Oldest) => self.selected = self.last_index(),
            (Mode::Dashboard, Action::Open) => {
                if let Some(e) = self.store.shown().nth(self.selected) {
                    self.mode = Mode::Detail {
                        event: e.key(),
                        scroll: 0,
                    };
                }
            }
            (Mode::Dashboard, Action::Close) => self.clear_filter(),
        }
        None
    }

    /// The accesses shown, oldest first as `events` prints them, handed to the worker.
    fn export(&mut self, format: Format) -> Option<Job> {
        let mut accesses: Vec<_> = self.store.shown().cloned().collect();
        accesses.reverse();
        let name = crate::export::file_name(self.clock.now(), self.store.query.text(), format);
        self.flash_for(format!("exporting {} accesses…", accesses.len()), 10);
        Some(Job::Export {
            accesses,
            path: self.export_dir.join(name),
            format,
        })
    }

    /// A key bound to nothing says so, and where the keys are listed.
    fn say_unknown(&mut self, key: KeyEvent) {
        use crossterm::event::KeyCode;
        let name = match key.code {
            KeyCode::Char(c) if !c.is_control() => c.to_string(),
            KeyCode::Char(_) | KeyCode::Modifier(_) | KeyCode::Null => return,
            other => other.to_string(),
        };
        self.flash_for(format!("unknown key {name}: ? lists the keys"), 5);
    }

    /// The pending row appears now, and the trace panel on it; the engine's worker makes
    /// the call.
    pub(super) fn test_access(&mut self) -> Option<Job> {
        self.tests_fired += 1;
        let marker = format!("{}-{}", self.marker_prefix, self.tests_fired);
        self.store.request_test(marker.clone(), self.clock.now());
        self.mode = Mode::Trace { selected: 0 };
        Some(Job::TestAccess { marker })
    }

    /// The terminal is now this size.
    pub fn resize(&mut self, width: u16, height: u16) {
        self.screen = ratatui::layout::Rect::new(0, 0, width, height);
    }

    /// How far PageUp and PageDown move: the accesses the timeline shows now.
    fn page(&self) -> usize {
        super::timeline_page(self.screen, &self.store).max(1)
    }

    pub(super) fn last_index(&self) -> usize {
        self.store.shown_len().saturating_sub(1)
    }
}
