//! `secretwatch test-access` against ministack when the secret it reads is missing: the
//! secret is named, and so are the ways out.

mod common;

use common::ministack::Ministack;

#[test]
fn a_missing_test_secret_is_named_with_setup_and_secret_as_the_ways_out() {
    let server = Ministack::start();
    for (flags, name) in [
        (&[][..], "TopSecretInfo"),
        (&["--secret", "prod/db-password"][..], "prod/db-password"),
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
        assert!(stderr.contains("--secret NAME"), "{stderr}");
    }
}
