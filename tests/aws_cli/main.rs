//! The headless commands against ministack, run as a script would: the built binary,
//! the AWS CLI as the foreign client, JSON on stdout, exit codes. One test binary in
//! modules (each binary links the aws-sdk, which costs build time).

#[path = "../common/mod.rs"]
mod common;

mod commands;
mod events;
mod first_seen;
mod invocation;
mod trace;

use common::ministack::{Ministack, secretwatch};
use serde_json::Value;
use std::process::Output;

const VALUE: &str = "correct-horse-battery-staple";

fn json_lines(out: &Output) -> Vec<Value> {
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

fn with_secret() -> Ministack {
    let server = Ministack::start();
    server.create_secret("TopSecretInfo", VALUE);
    server
}
