//! What is wrong with how the binary was called says so: credentials, region, profiles,
//! config files, flags; and what it says about itself (version, completions, man page).

use super::*;

#[test]
fn without_credentials_headless_commands_exit_2_and_say_what_to_do() {
    let server = Ministack::start();
    for command in [&["events"][..], &["status", "--json"], &["test-access"]] {
        let out = secretwatch(false)
            .args([
                "--endpoint-url",
                &server.endpoint(),
                "--region",
                "us-east-1",
            ])
            .args(command)
            .output()
            .expect("run secretwatch");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{command:?}: {stderr}");
        assert!(stderr.contains("no valid credentials"), "{stderr}");
        assert!(stderr.contains("aws sso login"), "{stderr}");
    }
}

#[test]
fn without_a_region_the_error_names_the_flag() {
    let out = secretwatch(true)
        .args(["events"])
        .output()
        .expect("run secretwatch");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--region"));
}

#[test]
fn a_bad_config_file_is_refused_with_file_line_and_key() {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let path = dir.join("bad-config.toml");
    std::fs::write(&path, "[poll]\nevents_secs = 5\nevent_secs = 9\n").expect("write config");
    let out = secretwatch(true)
        .args([
            "--config",
            path.to_str().expect("utf-8 path"),
            "--demo",
            "status",
        ])
        .output()
        .expect("run secretwatch");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("bad-config.toml:3:"), "{stderr}");
    assert!(stderr.contains("event_secs"), "{stderr}");
}

#[test]
fn profile_picks_credentials_and_region_as_the_aws_cli_does() {
    let server = with_secret();
    server.aws(&[
        "secretsmanager",
        "get-secret-value",
        "--secret-id",
        "TopSecretInfo",
    ]);
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("profiles");
    std::fs::create_dir_all(&dir).expect("dir");
    std::fs::write(
        dir.join("config"),
        "[profile watcher]\nregion = us-east-1\n",
    )
    .expect("config");
    std::fs::write(
        dir.join("credentials"),
        "[watcher]\naws_access_key_id = test\naws_secret_access_key = test\n",
    )
    .expect("credentials");
    let with_profile = |profile: &str| {
        secretwatch(false)
            .env("AWS_CONFIG_FILE", dir.join("config"))
            .env("AWS_SHARED_CREDENTIALS_FILE", dir.join("credentials"))
            .args([
                "--endpoint-url",
                &server.endpoint(),
                "--profile",
                profile,
                "events",
                "--json",
                "--filter",
                "kind:read",
            ])
            .output()
            .expect("run secretwatch")
    };
    assert_eq!(json_lines(&with_profile("watcher")).len(), 1);
    let missing = with_profile("nobody");
    assert_eq!(missing.status.code(), Some(2));
}

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

/// With a region or without, a profile that is not defined is named, never left to the SDK's
/// fall-through to instance metadata; and "no region" reads as words, not as a call's error.
#[test]
fn a_profile_that_is_not_defined_is_named_in_the_error() {
    for args in [
        &["--profile", "nosuch", "status"][..],
        &["--profile", "nosuch", "--region", "eu-west-1", "status"],
        &["--profile", "nosuch", "--region", "eu-west-1", "doctor"],
    ] {
        let out = secretwatch(true).args(args).output().expect("run");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains("profile nosuch gave none") && stderr.contains("~/.aws/config"),
            "{args:?}: {stderr}"
        );
        assert!(
            !stderr.to_lowercase().contains("imds"),
            "{args:?}: {stderr}"
        );
    }
    let out = secretwatch(true)
        .env_remove("AWS_REGION")
        .env_remove("AWS_DEFAULT_REGION")
        .arg("status")
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("no AWS region: pass --region"), "{stderr}");
    assert!(!stderr.contains("invalid input"), "{stderr}");
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

#[test]
fn an_unreachable_endpoint_makes_the_doctor_say_why_once_with_where_it_applies() {
    // Nothing listens on a port just freed: every call is refused alike.
    let endpoint = format!("http://127.0.0.1:{}", common::ministack::free_port());
    let out = secretwatch(true)
        .args([
            "--endpoint-url",
            &endpoint,
            "--region",
            "us-east-1",
            "doctor",
        ])
        .output()
        .expect("run");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(2), "{stdout}");
    assert_eq!(
        stdout.matches("Connection refused").count(),
        1,
        "the connect error once:\n{stdout}"
    );
    for place in [
        "secret",
        "trail → logs",
        "notify",
        "DescribeSecret",
        "DescribeAlarms",
    ] {
        assert!(stdout.contains(place), "{place} named:\n{stdout}");
    }
    assert_eq!(
        stdout.matches("fix: check the network").count(),
        1,
        "{stdout}"
    );
}
