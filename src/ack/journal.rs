//! The acknowledgement journal: JSON lines, appended and fsynced before an
//! acknowledgement is reported as saved, read whole at start. A line cut short by a
//! crash (never reported as saved) is reported when read and cleared before the next
//! append; it never stops the program.

use super::Ack;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
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

/// A line that could not be read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Damage {
    /// 1-based.
    pub line: usize,
    pub why: String,
    /// The last line, without its newline: a write cut short.
    pub torn: bool,
}

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
    path: PathBuf,
    /// The directory is secretwatch's own, so an existing one is made private too.
    own_dir: bool,
}

impl Journal {
    pub fn at(path: PathBuf) -> Self {
        Self {
            path,
            own_dir: false,
        }
    }

    /// `$SECRETWATCH_STATE_DIR/acks.jsonl`, else the platform's state directory
    /// (`~/.local/state/secretwatch` on Linux), else its local data directory.
    pub fn default_location() -> Result<Self, JournalError> {
        if let Some(dir) = std::env::var_os("SECRETWATCH_STATE_DIR").filter(|d| !d.is_empty()) {
            return Ok(Self::at(PathBuf::from(dir).join(FILE)));
        }
        let dirs = directories::ProjectDirs::from("", "", "secretwatch")
            .ok_or(JournalError::NoStateDir)?;
        let dir = dirs.state_dir().unwrap_or(dirs.data_local_dir());
        Ok(Self {
            path: dir.join(FILE),
            own_dir: true,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn io(&self, source: std::io::Error) -> JournalError {
        JournalError::Io {
            path: self.path.clone(),
            source,
        }
    }

    /// Every acknowledgement in the file (none when it does not exist yet). A file left
    /// readable by others (older versions) is made private first.
    pub fn load(&self) -> Result<Loaded, JournalError> {
        if let Err(error) = crate::private_files::tighten_file(&self.path) {
            // Still readable by its owner: the acknowledgements load, the log says why.
            tracing::warn!(%error, path = %self.path.display(), "journal left readable by others");
        }
        let bytes = match std::fs::read(&self.path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Loaded::default()),
            Err(e) => return Err(self.io(e)),
        };
        Ok(parse(&bytes))
    }

    /// Appends `ack` and waits until it is on disk. Only then is it saved.
    pub fn append(&self, ack: &Ack) -> Result<(), JournalError> {
        let mut line = serde_json::to_vec(ack).map_err(|e| self.io(e.into()))?;
        line.push(b'\n');
        let dir = self.path.parent().unwrap_or(Path::new("."));
        crate::private_files::create_dir(dir, self.own_dir).map_err(|e| self.io(e))?;
        let created = !self.path.exists();
        let mut file = crate::private_files::open_append(&self.path).map_err(|e| self.io(e))?;
        // Another secretwatch may be appending too.
        file.lock().map_err(|e| self.io(e))?;
        clear_torn_tail(&mut file).map_err(|e| self.io(e))?;
        file.write_all(&line).map_err(|e| self.io(e))?;
        file.sync_data().map_err(|e| self.io(e))?;
        if created {
            // The new file's name must survive a crash too.
            File::open(dir)
                .and_then(|d| d.sync_all())
                .map_err(|e| self.io(e))?;
        }
        Ok(())
    }
}

/// The acknowledgements in `bytes` (JSON lines) and the lines that could not be read.
pub(super) fn parse(bytes: &[u8]) -> Loaded {
    let mut loaded = Loaded::default();
    let ends_whole = bytes.last().is_none_or(|b| *b == b'\n');
    let lines: Vec<&[u8]> = bytes.split(|b| *b == b'\n').collect();
    let count = lines.len();
    for (i, raw) in lines.into_iter().enumerate() {
        if raw.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let torn = i + 1 == count && !ends_whole;
        match serde_json::from_slice::<Ack>(raw) {
            Ok(ack) if !torn => loaded.acks.push(ack),
            Ok(_) => loaded.damaged.push(Damage {
                line: i + 1,
                why: "no newline at its end".into(),
                torn,
            }),
            Err(e) => loaded.damaged.push(Damage {
                line: i + 1,
                why: e.to_string(),
                torn,
            }),
        }
    }
    loaded
}

/// Cuts a last line that has no newline (a write cut short) so the next line starts
/// clean. Whole lines are never touched.
fn clear_torn_tail(file: &mut File) -> std::io::Result<()> {
    let len = file.metadata()?.len();
    if len == 0 {
        return Ok(());
    }
    let mut last = [0u8; 1];
    file.seek(SeekFrom::Start(len - 1))?;
    file.read_exact(&mut last)?;
    if last[0] == b'\n' {
        return Ok(());
    }
    // Find the end of the last whole line.
    let mut keep = 0;
    let mut pos = 0;
    let mut buf = vec![0u8; 64 * 1024];
    file.seek(SeekFrom::Start(0))?;
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        if let Some(i) = buf[..n].iter().rposition(|b| *b == b'\n') {
            keep = pos + i as u64 + 1;
        }
        pos += n as u64;
    }
    tracing::warn!(
        cut = len - keep,
        "acknowledgement journal: cleared a line cut short"
    );
    file.set_len(keep)?;
    file.sync_data()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ack::{Episode, Scope};
    use chrono::{TimeZone, Utc};
    use std::fs::OpenOptions;

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
