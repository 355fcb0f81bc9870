//! A file of JSON lines in secretwatch's state directory, as the acknowledgement journal and
//! the first-seen baseline keep theirs: appended and fsynced before what it holds is reported
//! saved (the directory too when the file is new), read whole at start, private to its owner.
//! A line cut short by a crash is reported when read and cleared before the next append;
//! it never stops the program.

use serde::de::DeserializeOwned;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StateFile {
    path: PathBuf,
    /// The directory is secretwatch's own, so an existing one is made private too.
    own_dir: bool,
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

impl StateFile {
    pub fn at(path: PathBuf) -> Self {
        Self {
            path,
            own_dir: false,
        }
    }

    /// `$SECRETWATCH_STATE_DIR/NAME`, else the platform's state directory
    /// (`~/.local/state/secretwatch` on Linux), else its local data directory. None when
    /// there is no such directory.
    pub fn in_state_dir(name: &str) -> Option<Self> {
        if let Some(dir) = std::env::var_os("SECRETWATCH_STATE_DIR").filter(|d| !d.is_empty()) {
            return Some(Self::at(PathBuf::from(dir).join(name)));
        }
        let dirs = directories::ProjectDirs::from("", "", "secretwatch")?;
        let dir = dirs.state_dir().unwrap_or(dirs.data_local_dir());
        Some(Self {
            path: dir.join(name),
            own_dir: true,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Its bytes; None when it does not exist yet. A file left readable by others (older
    /// versions) is made private first.
    pub fn read(&self) -> std::io::Result<Option<Vec<u8>>> {
        if let Err(error) = crate::private_files::tighten_file(&self.path) {
            // Still readable by its owner: it loads, the log says why.
            tracing::warn!(%error, path = %self.path.display(), "state file left readable by others");
        }
        match std::fs::read(&self.path) {
            Ok(b) => Ok(Some(b)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Appends `lines` (whole lines, each ending in a newline) and waits until they are on
    /// disk. Only then are they saved.
    pub fn append(&self, lines: &[u8]) -> std::io::Result<()> {
        let dir = self.path.parent().unwrap_or(Path::new("."));
        crate::private_files::create_dir(dir, self.own_dir)?;
        let created = !self.path.exists();
        let mut file = crate::private_files::open_append(&self.path)?;
        // Another secretwatch may be appending too.
        file.lock()?;
        clear_torn_tail(&mut file)?;
        file.write_all(lines)?;
        file.sync_data()?;
        if created {
            // The new file's name must survive a crash too.
            File::open(dir).and_then(|d| d.sync_all())?;
        }
        Ok(())
    }
}

/// The values in `bytes` (JSON lines) and the lines that could not be read.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> (Vec<T>, Vec<Damage>) {
    let (mut values, mut damaged) = (Vec::new(), Vec::new());
    let ends_whole = bytes.last().is_none_or(|b| *b == b'\n');
    let lines: Vec<&[u8]> = bytes.split(|b| *b == b'\n').collect();
    let count = lines.len();
    for (i, raw) in lines.into_iter().enumerate() {
        if raw.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let torn = i + 1 == count && !ends_whole;
        match serde_json::from_slice::<T>(raw) {
            Ok(value) if !torn => values.push(value),
            Ok(_) => damaged.push(Damage {
                line: i + 1,
                why: "no newline at its end".into(),
                torn,
            }),
            Err(e) => damaged.push(Damage {
                line: i + 1,
                why: e.to_string(),
                torn,
            }),
        }
    }
    (values, damaged)
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
    tracing::warn!(cut = len - keep, "state file: cleared a line cut short");
    file.set_len(keep)?;
    file.sync_data()
}
