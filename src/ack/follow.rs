//! Following the journal while a dashboard runs, so an acknowledgement saved elsewhere
//! (`secretwatch ack` in a second terminal) shows here too. Only whole lines are read: a
//! line still being written is read again once its newline is there, never called damage.

use super::Ack;
use super::journal::{Journal, parse};
use std::io::{Read, Seek, SeekFrom};
use std::time::SystemTime;

pub struct Follower {
    journal: Journal,
    /// The end of the last whole line read.
    read_to: u64,
    /// Length and modification time when last looked at: unchanged means nothing to read.
    seen: Option<(u64, Option<SystemTime>)>,
}

impl Follower {
    /// Reads from the start: acknowledgements already known are read again, once.
    pub fn new(journal: Journal) -> Self {
        Self {
            journal,
            read_to: 0,
            seen: None,
        }
    }

    /// The acknowledgements whose lines were completed since the last call; a look at
    /// the file's length and time only, when it has not changed.
    pub fn read_new(&mut self) -> std::io::Result<Vec<Ack>> {
        let path = self.journal.path();
        let meta = match std::fs::metadata(path) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(e),
        };
        let stamp = (meta.len(), meta.modified().ok());
        if self.seen == Some(stamp) {
            return Ok(Vec::new());
        }
        if meta.len() < self.read_to {
            // Replaced by a shorter file: read it all again (known ones are not doubled).
            self.read_to = 0;
        }
        let mut file = std::fs::File::open(path)?;
        file.seek(SeekFrom::Start(self.read_to))?;
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes)?;
        self.seen = Some(stamp);
        let whole = bytes.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
        // Whole lines only, so none is torn: what the journal cannot read is damage.
        let loaded = parse(&bytes[..whole]);
        for damage in &loaded.damaged {
            tracing::warn!(why = %damage.why, path = %path.display(),
                "acknowledgement journal: a damaged line skipped");
        }
        self.read_to += whole as u64;
        Ok(loaded.acks)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ack::{Episode, Scope};
    use chrono::{TimeZone, Utc};
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
            by: format!("person {n}"),
            at,
            note: None,
        }
    }

    fn journal(name: &str) -> Journal {
        let dir =
            std::env::temp_dir().join(format!("secretwatch-follow-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        Journal::at(dir.join("acks.jsonl"))
    }

    #[test]
    fn lines_appended_by_another_writer_are_read_once_each() {
        let j = journal("appended");
        let mut follower = Follower::new(j.clone());
        assert!(follower.read_new().expect("no file yet").is_empty());
        j.append(&ack(1)).expect("saved");
        assert_eq!(follower.read_new().expect("reads"), vec![ack(1)]);
        assert!(follower.read_new().expect("reads").is_empty());
        j.append(&ack(2)).expect("saved");
        j.append(&ack(3)).expect("saved");
        assert_eq!(follower.read_new().expect("reads"), vec![ack(2), ack(3)]);
    }

    #[test]
    fn a_line_still_being_written_is_read_once_complete() {
        let j = journal("half");
        j.append(&ack(1)).expect("saved");
        let mut follower = Follower::new(j.clone());
        assert_eq!(follower.read_new().expect("reads"), vec![ack(1)]);
        let line = serde_json::to_string(&ack(2)).expect("json");
        let (head, rest) = line.split_at(line.len() / 2);
        let mut file = std::fs::OpenOptions::new()
            .append(true)
            .open(j.path())
            .expect("open");
        file.write_all(head.as_bytes()).expect("half a line");
        assert!(follower.read_new().expect("not damage").is_empty());
        file.write_all(rest.as_bytes()).expect("the rest");
        file.write_all(b"\n").expect("newline");
        assert_eq!(follower.read_new().expect("reads"), vec![ack(2)]);
    }
}
