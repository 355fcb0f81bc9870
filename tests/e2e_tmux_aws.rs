//! End to end against a local AWS-compatible server: the built binary in tmux, the AWS
//! CLI as a foreign client making accesses, putting datapoints and raising the alarm.

mod common;

use common::ministack::Ministack;
use common::tmux::*;

#[test]
fn the_dashboard_on_a_local_server_shows_what_the_aws_cli_does() {
    let server = Ministack::start();
    server.aws(&[
        "secretsmanager",
        "create-secret",
        "--name",
        "TopSecretInfo",
        "--secret-string",
        "v",
    ]);
    let config = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("e2e-aws.toml");
    std::fs::write(
        &config,
        "[names]\nalarm_period_secs = 60\n[poll]\nevents_secs = 2\nmetric_secs = 2\nalarms_secs = 2\n",
    )
    .expect("write config");
    let endpoint = server.endpoint();
    let home = format!("HOME={}", env!("CARGO_TARGET_TMPDIR"));
    let tmux = Tmux::start(
        "aws",
        100,
        30,
        &[
            "env",
            "AWS_ACCESS_KEY_ID=test",
            "AWS_SECRET_ACCESS_KEY=test",
            "AWS_EC2_METADATA_DISABLED=true",
            "AWS_CONFIG_FILE=/nonexistent",
            "AWS_SHARED_CREDENTIALS_FILE=/nonexistent",
            &home,
            BIN,
            "--endpoint-url",
            &endpoint,
            "--region",
            "us-east-1",
            "--config",
            config.to_str().expect("utf-8 path"),
        ],
    );
    tmux.wait_for("the dashboard connected", |s| {
        s.contains(" AWS ") && s.contains("000000000000") && s.contains("events ✓")
    });

    server.aws(&[
        "secretsmanager",
        "get-secret-value",
        "--secret-id",
        "TopSecretInfo",
    ]);
    tmux.wait_for("the AWS CLI's access", |s| {
        row_with(s, &["TopSecretInfo", "cli", "ok"])
    });

    server.aws(&[
        "cloudwatch",
        "put-metric-data",
        "--namespace",
        "SecurityMetrics",
        "--metric-name",
        "SecretIsAccessed",
        "--value",
        "3",
    ]);
    tmux.wait_for("the datapoint in the sparkline", |s| s.contains("peak 3"));

    server.put_alarm("Sum", "60", None);
    server.set_alarm_state("ALARM", "raised by the e2e test");
    tmux.wait_for("the alarm panel in ALARM", |s| {
        s.contains("ALARM  since") && s.contains("raised by the e2e test")
    });

    tmux.keys(&["t"]);
    tmux.wait_for("our test access, confirmed", |s| {
        row_with(s, &["TopSecretInfo", "test ✓"])
    });
}

#[test]
fn without_credentials_the_dashboard_opens_and_says_why_it_is_not_connected() {
    let server = Ministack::start();
    let endpoint = server.endpoint();
    let home = format!("HOME={}", env!("CARGO_TARGET_TMPDIR"));
    let tmux = Tmux::start(
        "no-credentials",
        120,
        30,
        &[
            "env",
            "-u",
            "AWS_ACCESS_KEY_ID",
            "-u",
            "AWS_SECRET_ACCESS_KEY",
            "-u",
            "AWS_PROFILE",
            "AWS_EC2_METADATA_DISABLED=true",
            "AWS_CONFIG_FILE=/nonexistent",
            "AWS_SHARED_CREDENTIALS_FILE=/nonexistent",
            &home,
            BIN,
            "--endpoint-url",
            &endpoint,
            "--region",
            "us-east-1",
        ],
    );
    tmux.wait_for("the not-connected state with its reason and fix", |s| {
        s.contains("NOT CONNECTED")
            && s.contains("no valid credentials")
            && s.contains("aws sso login")
    });
    tmux.keys(&["q"]);
}
