//! A secret is one secret whatever the caller called it. Against ministack, the AWS CLI
//! reads `prod-db` by its name, its ARN and its partial ARN (the ARN without its random
//! suffix), and `prod-db-password` the same three ways; `secretwatch events --secret`
//! given any of the three forms shows exactly the three reads of that secret.

mod common;

use common::ministack::Ministack;
use serde_json::Value;
use std::collections::BTreeSet;
use std::process::Output;

/// Name, full ARN and partial ARN of a secret created on `server`.
fn create(server: &Ministack, name: &str) -> [String; 3] {
    server.create_secret(name, "never-printed");
    let out = server.aws(&[
        "secretsmanager",
        "describe-secret",
        "--secret-id",
        name,
        "--query",
        "ARN",
        "--output",
        "text",
    ]);
    let arn = String::from_utf8(out.stdout)
        .expect("utf-8")
        .trim()
        .to_string();
    let (partial, suffix) = arn.rsplit_once('-').expect("an ARN with a suffix");
    assert_eq!(suffix.len(), 6, "{arn}");
    [name.to_string(), arn.clone(), partial.to_string()]
}

fn read(server: &Ministack, id: &str) {
    server.aws(&["secretsmanager", "get-secret-value", "--secret-id", id]);
}

/// The `secret` field of every access `events` prints when watching `given`.
fn shown(server: &Ministack, given: &str) -> (Vec<String>, String) {
    // The reads: each secret's CreateSecret (by its name) is a change, shown too.
    let out: Output = server.run(&[
        "--secret",
        given,
        "events",
        "--json",
        "--since",
        "15m",
        "--filter",
        "kind:read",
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "exit {:?}: {stderr}", out.status);
    let secrets = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}"));
            v["secret"].as_str().expect("a secret").to_string()
        })
        .collect();
    (secrets, stderr)
}

fn sorted(forms: &[String]) -> Vec<String> {
    forms
        .iter()
        .cloned()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect()
}

#[test]
fn name_arn_and_partial_arn_each_way_and_never_the_longer_name() {
    let server = Ministack::start();
    let db = create(&server, "prod-db");
    let password = create(&server, "prod-db-password");
    for id in db.iter().chain(&password) {
        read(&server, id);
    }

    for (forms, other) in [(&db, &password), (&password, &db)] {
        for given in forms.iter() {
            let (mut seen, stderr) = shown(&server, given);
            seen.sort();
            assert_eq!(
                seen,
                sorted(forms),
                "watching {given}: every read of it by any form, and none of {}\n{stderr}",
                other[0]
            );
            assert!(stderr.is_empty(), "watching {given}: {stderr}");
        }
    }
}

#[test]
fn a_secret_that_cannot_be_resolved_is_said_so() {
    let server = Ministack::start();
    let db = create(&server, "prod-db");
    read(&server, &db[0]);
    // A name that does not exist and was never read is a typo, not silence: exit 1.
    let out = server.run(&[
        "--secret",
        "no-such-secret-ever",
        "events",
        "--json",
        "--since",
        "15m",
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("no secret no-such-secret-ever in this account and region"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());
}
