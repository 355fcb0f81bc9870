//! The principals the user marked as expected readers (the principals view's `x`), each in
//! the form a metric filter pattern can leave out (an assumed role's every session, else
//! the ARN). The doctor's noise finding proposes a pattern without them and setup applies
//! it: nothing is left out that is not in here. Kept in `expected.jsonl` in the state
//! directory, appended and fsynced as the acknowledgement journal is; the last line about
//! a principal says whether it is expected.

use crate::state_file::StateFile;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// The file in the state directory: the embedded account's apart from AWS's.
pub fn file_name(demo: bool) -> &'static str {
    if demo {
        "expected-demo.jsonl"
    } else {
        "expected.jsonl"
    }
}

#[derive(Debug, Serialize, Deserialize)]
struct Line {
    principal: String,
    expected: bool,
    at: DateTime<Utc>,
}

#[derive(Debug, Default)]
pub struct Expected {
    marked: BTreeSet<String>,
    file: Option<StateFile>,
    /// Why the file could not be read or written, for the status bar.
    pub trouble: Option<String>,
}

impl Expected {
    /// What `file` says (nothing when it does not exist yet); None: kept in memory only.
    pub fn open(file: Option<StateFile>) -> Self {
        let mut expected = Expected {
            file,
            ..Default::default()
        };
        let Some(file) = &expected.file else {
            return expected;
        };
        match file.read() {
            Ok(None) => {}
            Ok(Some(bytes)) => {
                let (lines, damage) = crate::state_file::parse::<Line>(&bytes);
                for line in lines {
                    if line.expected {
                        expected.marked.insert(line.principal);
                    } else {
                        expected.marked.remove(&line.principal);
                    }
                }
                if !damage.is_empty() {
                    expected.trouble = Some(format!(
                        "{} unreadable line(s) in {}",
                        damage.len(),
                        file.path().display()
                    ));
                }
            }
            Err(e) => {
                expected.trouble = Some(format!("{} not read: {e}", file.path().display()));
            }
        }
        expected
    }

    /// The principals marked, in the form a pattern leaves out, sorted.
    pub fn principals(&self) -> Vec<String> {
        self.marked.iter().cloned().collect()
    }

    pub fn contains(&self, form: &str) -> bool {
        self.marked.contains(form)
    }

    /// Marks `form` expected, or no longer; saved (fsynced) before it counts. Returns
    /// whether it is expected now, or why it could not be saved (nothing changed).
    pub fn toggle(&mut self, form: &str, now: DateTime<Utc>) -> Result<bool, String> {
        let expected = !self.marked.contains(form);
        if let Some(file) = &self.file {
            let line = Line {
                principal: form.to_string(),
                expected,
                at: now,
            };
            let mut bytes = serde_json::to_vec(&line).map_err(|e| e.to_string())?;
            bytes.push(b'\n');
            file.append(&bytes)
                .map_err(|e| format!("not saved in {}: {e}", file.path().display()))?;
        }
        if expected {
            self.marked.insert(form.to_string());
        } else {
            self.marked.remove(form);
        }
        Ok(expected)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_survive_a_restart_and_the_last_word_wins() {
        let dir = std::env::temp_dir().join(format!("secretwatch-expected-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("dir");
        let path = dir.join("expected.jsonl");
        let now = DateTime::UNIX_EPOCH;
        let mut first = Expected::open(Some(StateFile::at(path.clone())));
        assert_eq!(first.toggle("arn:aws:iam::1:user/a", now), Ok(true));
        assert_eq!(first.toggle("arn:aws:iam::1:role/b/*", now), Ok(true));
        assert_eq!(first.toggle("arn:aws:iam::1:user/a", now), Ok(false));
        let mut bytes = std::fs::read(&path).expect("written");
        bytes.extend_from_slice(b"{torn");
        std::fs::write(&path, bytes).expect("torn");
        let again = Expected::open(Some(StateFile::at(path)));
        assert_eq!(again.principals(), ["arn:aws:iam::1:role/b/*"]);
        assert!(
            again
                .trouble
                .as_deref()
                .is_some_and(|t| t.contains("1 unreadable"))
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
