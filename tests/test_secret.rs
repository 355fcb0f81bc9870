//! Watching and the test secret are apart, against ministack: `--secret` only narrows what
//! is shown (never read, never created), `--test-secret` (or names.secret) is what
//! `test-access` reads and the only secret setup may create, and the doctor checks every
//! watched secret.

mod common;

use common::ministack::Ministack;

#[test]
fn a_missing_test_secret_is_named_with_setup_and_test_secret_as_the_ways_out() {
    let server = Ministack::start();
    for (flags, name) in [
        (&[][..], "TopSecretInfo"),
        (
            &["--test-secret", "prod/db-password"][..],
            "prod/db-password",
        ),
    ] {
        let out = server.run(&[flags, &["test-access"]].concat());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{flags:?}: {stderr}");
        assert!(out.stdout.is_empty(), "{flags:?}: printed a result");
        assert!(
            stderr.contains(&format!("there is no secret {name} to read here")),
            "{flags:?}: {stderr}"
        );
        assert!(stderr.contains("`secretwatch setup`"), "{stderr}");
        assert!(stderr.contains("--test-secret NAME"), "{stderr}");
    }
}

#[test]
fn watching_a_secret_never_reads_it_nor_creates_a_typo_and_the_doctor_checks_each() {
    let server = Ministack::start();
    server.create_secret("prod-db-password", "the production value");

    // Watching the production secret: the test access reads the test secret, which is
    // missing here, and never the production one.
    let out = server.run(&["test-access", "--secret", "prod-db-password"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("there is no secret TopSecretInfo to read here"),
        "{stderr}"
    );

    // A typo in a watch filter is never planned as a secret to create; the test secret is.
    let out = server.run(&["setup", "--dry-run", "--secret", "prod-db-pasword"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(!stdout.contains("prod-db-pasword"), "{stdout}");
    assert!(stdout.contains("create secret TopSecretInfo"), "{stdout}");

    // Two watched secrets, one a typo: the doctor says each, and which is missing.
    let out = server.run(&[
        "doctor",
        "--json",
        "--secret",
        "prod-db-password",
        "--secret",
        "prod-db-pasword",
    ]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("doctor's JSON");
    let secrets: Vec<(&str, &str)> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["link"] == "secret")
        .map(|f| {
            (
                f["state"].as_str().unwrap_or_default(),
                f["summary"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(secrets.len(), 3, "{secrets:?}");
    assert_eq!(secrets[0], ("broken", "no test secret TopSecretInfo here"));
    assert_eq!(secrets[1], ("ok", "watched secret prod-db-password exists"));
    assert_eq!(secrets[2].0, "broken", "{secrets:?}");
    assert!(
        secrets[2].1.starts_with("no secret prod-db-pasword here"),
        "{secrets:?}"
    );
    assert_eq!(out.status.code(), Some(1));
}
