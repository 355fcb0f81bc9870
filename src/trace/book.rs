//! The traces kept: each finished trace appended to `traces.jsonl` in the state directory
//! (fsynced, as the acknowledgement journal is), read back at start, so that the doctor's
//! medians span every session, and `T` shows the past ones.

use super::Trace;
use crate::state_file::StateFile;

/// How many traces are held in memory; the file keeps them all.
pub const HELD: usize = 500;

/// The file in the state directory: the embedded account's apart from AWS's.
pub fn file_name(demo: bool) -> &'static str {
    if demo {
        "traces-demo.jsonl"
    } else {
        "traces.jsonl"
    }
}

#[derive(Debug, Default)]
pub struct TraceBook {
    /// Finished traces, oldest first: the file's, then this run's.
    pub past: Vec<Trace>,
    file: Option<StateFile>,
    /// Why the file could not be read or written, for the status bar.
    pub trouble: Option<String>,
}

impl TraceBook {
    /// What `file` holds (nothing when it does not exist yet); None: kept in memory only.
    pub fn open(file: Option<StateFile>) -> Self {
        let mut book = TraceBook {
            file,
            ..Default::default()
        };
        let Some(file) = book.file.clone() else {
            return book;
        };
        match file.read() {
            Ok(None) => {}
            Ok(Some(bytes)) => {
                let (traces, damage) = crate::state_file::parse::<Trace>(&bytes);
                book.past = traces;
                book.trim();
                if !damage.is_empty() {
                    book.trouble = Some(format!(
                        "{} unreadable line(s) in {}",
                        damage.len(),
                        file.path().display()
                    ));
                }
            }
            Err(e) => book.trouble = Some(format!("{} not read: {e}", file.path().display())),
        }
        book
    }

    /// Keeps a finished trace: on disk (fsynced) before it counts among the past ones.
    /// Returns why it could not be written (it is still held for this run).
    pub fn keep(&mut self, trace: &Trace) -> Result<(), String> {
        let written = match &self.file {
            None => Ok(()),
            Some(file) => serde_json::to_vec(trace)
                .map_err(|e| e.to_string())
                .and_then(|mut line| {
                    line.push(b'\n');
                    file.append(&line)
                        .map_err(|e| format!("trace not saved in {}: {e}", file.path().display()))
                }),
        };
        self.past.push(trace.clone());
        self.trim();
        if let Err(why) = &written {
            self.trouble = Some(why.clone());
        }
        written
    }

    fn trim(&mut self) {
        if self.past.len() > HELD {
            self.past.drain(..self.past.len() - HELD);
        }
    }
}
