//! The command line's own words, no account needed: bad flags refused naming the flag and
//! what it takes, an undefined profile named, and the version, completions and man page.

mod common;

use common::ministack::secretwatch;

#[test]
fn bad_flags_are_refused_with_exit_2_naming_the_flag_and_what_it_takes() {
    for (args, flag, fix) in [
        (&["--region", "", "status"][..], "--region", "eu-west-1"),
        (&["--region", "us east", "status"], "--region", "eu-west-1"),
        (
            &["--endpoint-url", "localhost:4566", "status"],
            "--endpoint-url",
            "http://localhost:4566",
        ),
        (&["--secret", "", "events"], "--secret", "secret name"),
        (
            &["--secret", "a\u{1b}[2Jb", "events"],
            "--secret",
            "secret name",
        ),
        (&["--profile", "", "status"], "--profile", "profile name"),
        (
            &["events", "--since", "5 minutes"],
            "--since",
            "s, m, h or d",
        ),
        (
            &["setup", "--email", "root"],
            "--email",
            "one email address",
        ),
        (&["ack", "--note", "a\nb"], "--note", "one line"),
        (
            &["--scenario", "nope", "demo"],
            "--scenario",
            "possible values",
        ),
    ] {
        let out = secretwatch(true).args(args).output().expect("run");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains(flag) && stderr.contains(fix),
            "{args:?}: {stderr}"
        );
    }
}

#[test]
fn a_profile_that_is_not_defined_is_named_in_the_error() {
    let out = secretwatch(true)
        .args(["--profile", "nosuch", "status"])
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("profile nosuch") && stderr.contains("~/.aws/config"),
        "{stderr}"
    );
}

#[test]
fn version_completions_and_man_page_come_from_the_clap_definitions() {
    let version = secretwatch(false).arg("--version").output().expect("run");
    let text = String::from_utf8_lossy(&version.stdout);
    assert!(version.status.success(), "{text}");
    assert!(
        text.starts_with(&format!("secretwatch {}", env!("CARGO_PKG_VERSION"))),
        "{text}"
    );
    for line in ["config:  ", "journal: ", "log:     "] {
        assert!(text.contains(line), "{line} missing:\n{text}");
    }
    assert!(
        text.contains("acks.jsonl") && text.contains("secretwatch.log"),
        "{text}"
    );
    for shell in ["bash", "zsh", "fish"] {
        let out = secretwatch(false)
            .args(["completions", shell])
            .output()
            .expect("run");
        let script = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success() && script.contains("test-access") && script.contains("read-only"),
            "{shell}"
        );
    }
    let man = secretwatch(false).arg("man").output().expect("run");
    let page = String::from_utf8_lossy(&man.stdout);
    assert!(man.status.success() && page.contains(".TH"), "{page}");
    assert!(
        page.contains("secretwatch") && page.contains("read\\-only"),
        "{page}"
    );
}
