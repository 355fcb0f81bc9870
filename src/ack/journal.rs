//! The acknowledgement journal: JSON lines, appended and fsynced before an
//! acknowledgement is reported as saved, read whole at start. A line cut short by a
//! crash (never reported as saved) is reported when read and cleared before the next
//! append; it never stops the program.

use super::Ack;
use std::path::{Path, PathBuf};

const FILE: &str = "acks.jsonl";

#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    #[error("no state directory for the acknowledgement journal: set SECRETWATCH_STATE_DIR")]
    NoStateDir,
    #[error("acknowledgement journal {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

pub use crate::state_file::Damage;
use crate::state_file::StateFile;

#[derive(Debug, Default)]
pub struct Loaded {
    pub acks: Vec<Ack>,
    pub damaged: Vec<Damage>,
}

impl Loaded {
    /// What to tell the user about damaged lines, if any.
    pub fn warning(&self, path: &Path) -> Option<String> {
        let first = self.damaged.first()?;
        let what = if first.torn && self.damaged.len() == 1 {
            "its last line was cut short (a crash while saving; that acknowledgement was never reported saved)".to_string()
        } else {
            format!(
                "{} damaged line(s), the first at line {}: {}",
                self.damaged.len(),
                first.line,
                first.why
            )
        };
        Some(format!("{}: {what}; skipped", path.display()))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Journal {
    file: StateFile,
}

impl Journal {
    pub fn at(path: PathBuf) -> Self {
        Self {
            file: StateFile::at(path),
        }
    }

    /// `acks.jsonl` in the state directory (`$SECRETWATCH_STATE_DIR`, else the platform's).
    pub fn default_location() -> Result<Self, JournalError> {
        let file = StateFile::in_state_dir(FILE).ok_or(JournalError::NoStateDir)?;
        Ok(Self { file })
    }

    pub fn path(&self) -> &Path {
        self.file.path()
    }

    fn io(&self, source: std::io::Error) -> JournalError {
        JournalError::Io {
            path: self.path().to_path_buf(),
            source,
        }
    }

    /// Every acknowledgement in the file (none when it does not exist yet).
    pub fn load(&self) -> Result<Loaded, JournalError> {
        match self.file.read().map_err(|e| self.io(e))? {
            Some(bytes) => Ok(parse(&bytes)),
            None => Ok(Loaded::default()),
        }
    }

    /// Appends `ack` and waits until it is on disk. Only then is it saved.
    pub fn append(&self, ack: &Ack) -> Result<(), JournalError> {
        let mut line = serde_json::to_vec(ack).map_err(|e| self.io(e.into()))?;
        line.push(b'\n');
        self.file.append(&line).map_err(|e| self.io(e))
    }
}

/// The acknowledgements in `bytes` (JSON lines) and the lines that could not be read.
pub(super) fn parse(bytes: &[u8]) -> Loaded {
    let (acks, damaged) = crate::state_file::parse(bytes);
    Loaded { acks, damaged }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ack::{Episode, Scope};
    use chrono::{TimeZone, Utc};
    use std::fs::OpenOptions;
    use std::io::Write;

    fn ack(n: u32) -> Ack {
        let at = Utc
            .with_ymd_and_hms(2026, 11, 27, 9, n % 60, 0)
            .single()
            .expect("valid");
        Ack {
            scope: Scope {
                account: "1".into(),
                region: "r".into(),
            },
            episode: Episode {
                alarm: "a".into(),
                since: at,
            },
            by: "me".into(),
            at,
            note: Some(format!("note {n}")),
        }
    }

    fn journal(name: &str) -> Journal {
        let dir =
            std::env::temp_dir().join(format!("secretwatch-journal-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        Journal::at(dir.join(FILE))
    }

    #[test]
    fn appended_acknowledgements_load_back_in_order() {
        let j = journal("order");
        assert!(j.load().expect("no file yet").acks.is_empty());
        for n in 0..3 {
            j.append(&ack(n)).expect("saved");
        }
        let loaded = j.load().expect("loads");
        assert_eq!(loaded.acks, vec![ack(0), ack(1), ack(2)]);
        assert!(loaded.damaged.is_empty());
    }

    #[test]
    fn a_torn_last_line_is_reported_not_fatal_and_cleared_by_the_next_append() {
        let j = journal("torn");
        j.append(&ack(1)).expect("saved");
        let whole = serde_json::to_string(&ack(2)).expect("json");
        let mut f = OpenOptions::new()
            .append(true)
            .open(j.path())
            .expect("open");
        f.write_all(&whole.as_bytes()[..whole.len() / 2])
            .expect("write half");
        drop(f);
        let loaded = j.load().expect("a torn line is not fatal");
        assert_eq!(loaded.acks, vec![ack(1)]);
        assert_eq!(loaded.damaged.len(), 1);
        assert!(loaded.damaged[0].torn);
        assert!(
            loaded
                .warning(j.path())
                .is_some_and(|w| w.contains("cut short"))
        );

        j.append(&ack(3)).expect("saved");
        let loaded = j.load().expect("loads");
        assert_eq!(loaded.acks, vec![ack(1), ack(3)]);
        assert!(loaded.damaged.is_empty(), "{:?}", loaded.damaged);
    }

    #[test]
    fn a_whole_line_without_its_newline_counts_as_torn() {
        let bytes = serde_json::to_vec(&ack(1)).expect("json");
        let loaded = parse(&bytes);
        assert!(loaded.acks.is_empty());
        assert!(loaded.damaged[0].torn);
    }

    #[test]
    fn a_damaged_line_in_the_middle_is_skipped_and_named() {
        let mut bytes = serde_json::to_vec(&ack(1)).expect("json");
        bytes.extend_from_slice(b"\n{\"garbage\n\xff\xfe\n");
        bytes.extend(serde_json::to_vec(&ack(2)).expect("json"));
        bytes.push(b'\n');
        let loaded = parse(&bytes);
        assert_eq!(loaded.acks, vec![ack(1), ack(2)]);
        assert_eq!(
            loaded.damaged.iter().map(|d| d.line).collect::<Vec<_>>(),
            [2, 3]
        );
        assert!(loaded.damaged.iter().all(|d| !d.torn));
    }
}
