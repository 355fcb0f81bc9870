//! The journal and the log say who read which secret from where, with account ids and
//! notes: on a shared machine only their owner may read them. Directories are made 0700
//! and files 0600 at creation, whatever the umask, and files left readable by older
//! versions are tightened.

use std::fs::{File, OpenOptions};
use std::io;
use std::path::Path;

#[cfg(unix)]
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};

const DIR_MODE: u32 = 0o700;
const FILE_MODE: u32 = 0o600;

/// Creates `dir` (and its missing parents) readable by its owner only. An existing
/// directory is tightened only when `ours` (secretwatch's own state directory): one the
/// user named may be shared on purpose (`/tmp`, a home directory), and the files in it are
/// private anyway, so a listing shows names and nothing else.
pub fn create_dir(dir: &Path, ours: bool) -> io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    builder.mode(DIR_MODE);
    builder.create(dir)?;
    if ours {
        tighten_or_warn(dir, DIR_MODE);
    }
    Ok(())
}

/// Opens `path` for appending (and reading), created 0600; an existing file readable by
/// others (an older version's) is tightened.
pub fn open_append(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.read(true).append(true).create(true);
    #[cfg(unix)]
    options.mode(FILE_MODE);
    let file = options.open(path)?;
    tighten_or_warn(path, FILE_MODE);
    Ok(file)
}

/// Creates `path` for writing, 0600, failing if it exists: nothing is overwritten.
pub fn create_new(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    options.mode(FILE_MODE);
    options.open(path)
}

/// Takes group and other permissions off an existing file (a no-op when it is missing).
pub fn tighten_file(path: &Path) -> io::Result<()> {
    match tighten(path, FILE_MODE) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        other => other,
    }
}

/// A file we may not chmod (another owner's) is still usable: say so, and go on.
fn tighten_or_warn(path: &Path, mode: u32) {
    if let Err(error) = tighten(path, mode) {
        tracing::warn!(path = %path.display(), %error, "could not make it private");
    }
}

#[cfg(unix)]
fn tighten(path: &Path, mode: u32) -> io::Result<()> {
    let current = std::fs::metadata(path)?.permissions().mode() & 0o777;
    if current & 0o077 == 0 {
        return Ok(());
    }
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))?;
    tracing::info!(
        path = %path.display(),
        was = format!("{current:o}"),
        now = format!("{mode:o}"),
        "made private (group and others could read it)"
    );
    Ok(())
}

#[cfg(not(unix))]
fn tighten(_: &Path, _: u32) -> io::Result<()> {
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path)
            .expect("exists")
            .permissions()
            .mode()
            & 0o777
    }

    fn scratch(name: &str) -> std::path::PathBuf {
        let dir =
            std::env::temp_dir().join(format!("secretwatch-private-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn files_and_directories_made_by_older_versions_are_tightened() {
        let dir = scratch("older").join("secretwatch");
        std::fs::create_dir_all(&dir).expect("dir");
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        let file = dir.join("acks.jsonl");
        std::fs::write(&file, b"").expect("file");
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).expect("chmod");

        create_dir(&dir, true).expect("dir");
        drop(open_append(&file).expect("open"));
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(mode(&file), 0o600);
    }

    #[test]
    fn a_directory_the_user_named_keeps_its_mode_and_its_files_are_private() {
        let dir = scratch("named");
        std::fs::create_dir_all(&dir).expect("dir");
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        create_dir(&dir, false).expect("dir");
        assert_eq!(mode(&dir), 0o755);
        let file = dir.join("secretwatch.log");
        drop(open_append(&file).expect("open"));
        assert_eq!(mode(&file), 0o600);
    }
}
