//! The journal and the log name who read which secret from where: the built binary,
//! run under the usual umask 022 against ministack, acknowledges an alarm, and then the
//! state directory is 0700 and the journal and the log 0600. Files left readable by an
//! older version are made private.
#![cfg(unix)]

mod common;

use common::ministack::Ministack;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// In octal, as `ls -l` and chmod speak of it.
fn mode(path: &Path) -> String {
    let mode = std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .permissions()
        .mode();
    format!("{:o}", mode & 0o777)
}

fn chmod(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

/// `secretwatch ack` with `home` as HOME and nothing else saying where files go, under
/// umask 022 whatever the test runner's own umask is.
fn ack_under_umask_022(server: &Ministack, home: &Path, named_dirs: bool) -> Output {
    let mut inner = server.command();
    inner.env("HOME", home).env_remove("SECRETWATCH_LOG_DIR");
    if named_dirs {
        inner
            .env("SECRETWATCH_STATE_DIR", home.join("named/state"))
            .env("SECRETWATCH_LOG_DIR", home.join("named/logs"));
    }
    let mut outer = Command::new("sh");
    outer
        .args(["-c", "umask 022 && exec \"$@\"", "sh"])
        .arg(inner.get_program())
        .args(inner.get_args())
        .env_clear();
    for (key, value) in inner.get_envs() {
        if let Some(value) = value {
            outer.env(key, value);
        }
    }
    let out = outer
        .args(["ack", "--note", "private"])
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "ack failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn fresh_home(name: &str) -> PathBuf {
    let home = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("private-{name}"));
    let _ = std::fs::remove_dir_all(&home);
    std::fs::create_dir_all(&home).expect("home");
    home
}

fn server_in_alarm() -> Ministack {
    let server = Ministack::start();
    server.put_alarm("Sum", "300", None);
    server.set_alarm_state("ALARM", "fired for the test");
    server
}

#[test]
fn state_directory_journal_and_log_are_private_under_umask_022() {
    let server = server_in_alarm();
    let home = fresh_home("fresh");
    ack_under_umask_022(&server, &home, false);
    let state = home.join(".local/state/secretwatch");
    assert_eq!(mode(&state), "700", "{}", state.display());
    assert_eq!(mode(&state.join("acks.jsonl")), "600");
    assert_eq!(mode(&state.join("secretwatch.log")), "600");
    // The missing parents were made with it, private too.
    assert_eq!(mode(&home.join(".local/state")), "700");

    let named = home.join("named");
    ack_under_umask_022(&server, &home, true);
    assert_eq!(mode(&named.join("state")), "700");
    assert_eq!(mode(&named.join("state/acks.jsonl")), "600");
    assert_eq!(mode(&named.join("logs")), "700");
    assert_eq!(mode(&named.join("logs/secretwatch.log")), "600");
}

#[test]
fn files_an_older_version_left_readable_are_made_private() {
    let server = server_in_alarm();
    let home = fresh_home("older");
    let state = home.join(".local/state/secretwatch");
    std::fs::create_dir_all(&state).expect("state dir");
    let journal = state.join("acks.jsonl");
    let log = state.join("secretwatch.log");
    std::fs::write(&journal, b"").expect("journal");
    std::fs::write(&log, b"an older version's line\n").expect("log");
    chmod(&state, 0o755);
    chmod(&journal, 0o644);
    chmod(&log, 0o644);

    ack_under_umask_022(&server, &home, false);
    assert_eq!(mode(&state), "700");
    assert_eq!(mode(&journal), "600");
    assert_eq!(mode(&log), "600");
    let text = std::fs::read_to_string(&log).expect("log");
    assert!(
        text.starts_with("an older version's line\n") && text.lines().count() > 1,
        "the log is appended to, not replaced: {text}"
    );
}
