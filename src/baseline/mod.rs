//! First seen: who, from which network and with what kind of client a secret is read, as far
//! back as secretwatch has watched. An access whose principal, network (IPv4 /24, IPv6 /48,
//! else the source as written: an AWS service) or client kind never read that secret before
//! is marked. The baseline learns from the history read when it is first made (nothing in
//! it is marked) and from every access since; each new reader is appended to a file in the
//! state directory and fsynced, so that a restart does not mark everything new again and a
//! crash loses nothing. The access that introduced a reader keeps its mark across restarts.
//! A refused access neither teaches it nor is marked: refusals show as such.

#[cfg(test)]
mod tests;

use crate::access::first_seen as dims;
pub use crate::access::first_seen::{Dim, FirstSeen};

use crate::access::{AccessEvent, EventKey, Outcome};
use crate::state_file::StateFile;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::Arc;

/// The baseline's file in the state directory: the embedded account's apart from AWS's.
pub fn file_name(demo: bool) -> &'static str {
    if demo {
        "first-seen-demo.jsonl"
    } else {
        "first-seen.jsonl"
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum Line {
    /// When the baseline was made: accesses before it are what it learned from.
    Since { at: DateTime<Utc> },
    /// A reader first seen: of `secret`, by `dim`, in the access `event` at `at`.
    Seen {
        secret: String,
        dim: Dim,
        value: String,
        at: DateTime<Utc>,
        event: String,
    },
}

#[derive(Debug, Clone)]
struct Intro {
    event: Arc<str>,
    at: DateTime<Utc>,
}

type Key = (Arc<str>, Dim, Arc<str>);

#[derive(Debug, Default)]
pub struct Baseline {
    /// Accesses from this time on are marked; None: no baseline, nothing marked.
    since: Option<DateTime<Utc>>,
    known: HashMap<Key, Intro>,
    file: Option<StateFile>,
    /// Lines not yet on disk.
    pending: Vec<u8>,
    /// Made at this start: it learns from history back to this time.
    pub learning_from: Option<DateTime<Utc>>,
    /// The oldest access learned from so far, while learning.
    pub learned_back_to: Option<DateTime<Utc>>,
    /// What went wrong with its file (damaged lines, a save that failed), for the user.
    pub trouble: Option<String>,
}

impl Baseline {
    /// The baseline in `file` (None: kept in memory for this run), made at `now` when there
    /// is none, learning from history back to `learn_from`.
    pub fn open(file: Option<StateFile>, now: DateTime<Utc>, learn_from: DateTime<Utc>) -> Self {
        let mut baseline = Baseline {
            file,
            ..Baseline::default()
        };
        let bytes = match baseline.file.as_ref().map(StateFile::read) {
            Some(Ok(bytes)) => bytes,
            Some(Err(e)) => {
                let path = baseline.file.take().map(|f| f.path().display().to_string());
                baseline.trouble = Some(format!(
                    "first-seen baseline {} unreadable ({e}): kept in memory for this run",
                    path.unwrap_or_default()
                ));
                None
            }
            None => None,
        };
        if let Some(bytes) = bytes {
            let (lines, damaged) = crate::state_file::parse::<Line>(&bytes);
            if let Some(first) = damaged.first() {
                baseline.trouble = Some(format!(
                    "first-seen baseline: {} damaged line(s), the first at line {}: skipped",
                    damaged.len(),
                    first.line
                ));
            }
            for line in lines {
                baseline.load(line);
            }
        }
        if baseline.since.is_none() {
            baseline.since = Some(now);
            baseline.learning_from = Some(learn_from);
            baseline.write(&Line::Since { at: now });
            baseline.flush();
        }
        baseline
    }

    fn load(&mut self, line: Line) {
        match line {
            Line::Since { at } => {
                self.since.get_or_insert(at);
            }
            Line::Seen {
                secret,
                dim,
                value,
                at,
                event,
            } => {
                let key = (Arc::from(secret), dim, Arc::from(value));
                let intro = Intro {
                    event: event.into(),
                    at,
                };
                match self.known.get_mut(&key) {
                    Some(known) if known.at <= at => {}
                    Some(known) => *known = intro,
                    None => {
                        self.known.insert(key, intro);
                    }
                }
            }
        }
    }

    /// When the baseline was made, if there is one.
    pub fn since(&self) -> Option<DateTime<Utc>> {
        self.since
    }

    /// How many readers it knows (each secret's principals, networks and clients).
    pub fn len(&self) -> usize {
        self.known.len()
    }

    pub fn is_empty(&self) -> bool {
        self.known.is_empty()
    }

    /// Learns from `e`, and marks what in it was never seen reading its secret before.
    /// Returns the accesses that were first until `e` (an earlier read CloudTrail delivered
    /// later), and in what, for their marks to go.
    pub fn observe(&mut self, e: &mut AccessEvent) -> Vec<(EventKey, Dim)> {
        let mut displaced = Vec::new();
        let Some(since) = self.since else {
            return displaced;
        };
        if e.outcome != Outcome::Success || !e.is_read() {
            return displaced;
        }
        if e.time < since {
            self.learned_back_to = Some(self.learned_back_to.map_or(e.time, |t| t.min(e.time)));
        }
        let secret: Arc<str> = dims::secret_key(e).into();
        for dim in Dim::ALL {
            let value = dim.value(e);
            if value.is_empty() {
                continue;
            }
            let key = (secret.clone(), dim, Arc::from(value.as_str()));
            let first = match self.known.get_mut(&key) {
                None => true,
                // The access that introduced it, read again (a restart's backfill).
                Some(intro) if !e.event_id.is_empty() && *intro.event == *e.event_id => {
                    if e.time >= since {
                        e.first_seen.set(dim);
                    }
                    continue;
                }
                // An earlier access that CloudTrail delivered later: it is the first.
                Some(intro) => e.time < intro.at,
            };
            if !first {
                continue;
            }
            if let Some(was) = self.known.get(&key).filter(|was| was.at >= since) {
                let id = was.event.clone();
                displaced.push((EventKey { time: was.at, id }, dim));
            }
            self.known.insert(
                key,
                Intro {
                    event: Arc::from(&*e.event_id),
                    at: e.time,
                },
            );
            self.write(&Line::Seen {
                secret: secret.to_string(),
                dim,
                value,
                at: e.time,
                event: e.event_id.to_string(),
            });
            if e.time >= since {
                e.first_seen.set(dim);
            }
        }
        displaced
    }

    fn write(&mut self, line: &Line) {
        if self.file.is_none() {
            return;
        }
        if let Ok(mut bytes) = serde_json::to_vec(line) {
            bytes.push(b'\n');
            self.pending.extend(bytes);
        }
    }

    /// Puts what was learned on disk. A failure is said, and tried again at the next flush.
    pub fn flush(&mut self) {
        let Some(file) = &self.file else { return };
        if self.pending.is_empty() {
            return;
        }
        match file.append(&self.pending) {
            Ok(()) => self.pending.clear(),
            Err(e) => {
                tracing::error!(error = %e, path = %file.path().display(), "first-seen baseline not saved");
                self.trouble = Some(format!(
                    "first-seen baseline {} not saved: {e}",
                    file.path().display()
                ));
            }
        }
    }
}
