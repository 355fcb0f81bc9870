//! Logs go to a file, never to the terminal the dashboard draws on.

use std::path::PathBuf;
use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::EnvFilter;

const FILE: &str = "secretwatch.log";

/// Where the log file lives: `$SECRETWATCH_LOG_DIR`, else the platform's state dir.
pub fn log_dir() -> Option<PathBuf> {
    location().map(|(dir, _)| dir)
}

/// The log's directory, and whether it is secretwatch's own (not one the user named).
fn location() -> Option<(PathBuf, bool)> {
    if let Some(dir) = std::env::var_os("SECRETWATCH_LOG_DIR") {
        return Some((PathBuf::from(dir), false));
    }
    let dirs = directories::ProjectDirs::from("", "", "secretwatch")?;
    let dir = dirs.state_dir().unwrap_or_else(|| dirs.data_local_dir());
    Some((dir.to_path_buf(), true))
}

/// Starts file logging; the guard flushes on drop. Without a writable directory the
/// program runs without a log rather than failing.
pub fn init() -> Option<WorkerGuard> {
    let (dir, ours) = location()?;
    crate::private_files::create_dir(&dir, ours).ok()?;
    // Opened here rather than by tracing-appender's rolling writer, which creates the
    // file 0644; this one never rotates, so the file is never created again behind us.
    let file = crate::private_files::open_append(&dir.join(FILE)).ok()?;
    let (writer, guard) = tracing_appender::non_blocking(file);
    let filter =
        EnvFilter::try_from_env("SECRETWATCH_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_writer(writer)
        .with_ansi(false)
        .with_env_filter(filter)
        .try_init()
        .ok()?;
    log_panics();
    Some(guard)
}

/// A panic is written to the log before anything else happens to it (the dashboard's
/// own hook, installed later, restores the terminal first and then calls this one).
fn log_panics() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        tracing::error!(panic = %info, "the program panicked");
        previous(info);
    }));
}
