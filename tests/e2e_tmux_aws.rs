//! End to end against a local AWS-compatible server: the built binary in tmux, the AWS
//! CLI as a foreign client making accesses, putting datapoints and raising the alarm.

mod common;

use common::ministack::Ministack;
use common::tmux::*;

/// The dashboard in tmux against `server`, with the test credentials and a home, config,
/// state and AWS files of its own; `extra` goes after the endpoint flags.
fn dashboard(server: &Ministack, session: &str, size: (u16, u16), extra: &[&str]) -> Tmux {
    Tmux::against(session, size, &server.endpoint(), &[], extra)
}

#[test]
fn the_dashboard_on_a_local_server_shows_what_the_aws_cli_does() {
    let server = Ministack::start();
    server.create_secret("TopSecretInfo", "v");
    let config = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("e2e-aws.toml");
    std::fs::write(
        &config,
        "[names]\nalarm_period_secs = 60\n[poll]\nevents_secs = 2\nmetric_secs = 2\nalarms_secs = 2\n",
    )
    .expect("write config");
    let tmux = dashboard(
        &server,
        "aws",
        (100, 30),
        &["--config", config.to_str().expect("utf-8 path")],
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

    server.put_access_datapoint("3");
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

#[test]
fn setup_from_the_dashboard_builds_the_chain_on_the_server() {
    let server = Ministack::start();
    let config = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("e2e-aws-setup.toml");
    std::fs::write(&config, "[setup]\nemail = \"sec@example.com\"\n").expect("write config");
    let tmux = dashboard(
        &server,
        "aws-setup",
        (120, 32),
        &["--config", config.to_str().expect("utf-8 path")],
    );

    tmux.wait_for("the empty account's chain", |s| {
        s.contains("✗ secret") && s.contains("✗ trail") && s.contains("✗ alarm")
    });
    tmux.keys(&["s"]);
    tmux.wait_for("the plan naming the bucket", |s| {
        s.contains("Setup · plan")
            && s.contains("secretwatch-trail-000000000000-us-east-1")
            && s.contains("subscribe sec@example.com")
    });
    tmux.keys(&["y"]);
    tmux.wait_for("every step applied", |s| {
        s.contains("Setup · done") && s.contains("✓ create alarm SecretIsAccessed-alarm")
    });
    tmux.keys(&["Escape"]);
    tmux.wait_for("the chain built, delivery not knowable here", |s| {
        s.contains("✓ secret")
            && s.contains("✓ trail")
            && s.contains("✓ metric filter")
            && s.contains("✓ alarm")
            && s.contains("✓ notify")
    });
    // What the screen says is what the server has.
    let trails = server.aws(&["cloudtrail", "describe-trails"]);
    assert!(String::from_utf8_lossy(&trails.stdout).contains("secretwatch/cloudtrail"));
}

#[test]
fn a_firing_alarm_is_acknowledged_with_a_note_and_marked_on_screen() {
    let server = Ministack::start();
    let config = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("e2e-aws-ack.toml");
    std::fs::write(&config, "[poll]\nalarms_secs = 2\n").expect("write config");
    server.put_alarm("Sum", "300", None);
    server.set_alarm_state("ALARM", "raised for the acknowledgement test");
    let tmux = dashboard(
        &server,
        "aws-ack",
        (120, 32),
        &["--config", config.to_str().expect("utf-8 path")],
    );
    tmux.wait_for(
        "the unacknowledged alarm, in its pane and the status bar",
        |s| {
            s.contains("UNACKNOWLEDGED · a to acknowledge")
                && s.contains("ALARM SecretIsAccessed-alarm since")
        },
    );
    tmux.keys(&["a"]);
    tmux.wait_for("the note dialog", |s| {
        s.contains(" Acknowledge ") && s.contains("note (optional)")
    });
    tmux.keys(&["-l", "looking into it"]);
    tmux.keys(&["Enter"]);
    tmux.wait_for("the acknowledgement on screen", |s| {
        s.contains("✓ acknowledged by")
            && s.contains("looking into it")
            && !s.contains("UNACKNOWLEDGED")
    });
    tmux.keys(&["A"]);
    tmux.wait_for("the history of acknowledgements", |s| {
        s.contains("Acknowledgements · newest first") && s.contains("looking into it")
    });
}

#[test]
fn an_acknowledgement_from_a_second_terminal_shows_on_the_running_dashboard() {
    let server = Ministack::start();
    let config =
        std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("e2e-aws-ack-elsewhere.toml");
    std::fs::write(&config, "[poll]\nalarms_secs = 2\n").expect("write config");
    server.put_alarm("Sum", "300", None);
    server.set_alarm_state("ALARM", "raised for the second-terminal test");
    // Both terminals share one journal (state dir), as two shells of one user would.
    let state =
        std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("state-aws-ack-elsewhere");
    let _ = std::fs::remove_dir_all(&state);
    let state_env = format!("SECRETWATCH_STATE_DIR={}", state.display());
    let tmux = Tmux::against(
        "aws-ack-elsewhere",
        (120, 32),
        &server.endpoint(),
        &[&state_env],
        &["--config", config.to_str().expect("utf-8 path")],
    );
    tmux.wait_for("the unacknowledged alarm", |s| {
        s.contains("UNACKNOWLEDGED · a to acknowledge")
    });

    // The second terminal: its own process.
    let out = server
        .command()
        .env("SECRETWATCH_STATE_DIR", &state)
        .args(["ack", "--note", "from terminal 2"])
        .output()
        .expect("run secretwatch ack");
    assert!(
        out.status.success(),
        "secretwatch ack: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );

    tmux.wait_for(
        "the other terminal's acknowledgement in the alarm pane",
        |s| {
            s.contains("✓ acknowledged by")
                && s.contains("from terminal 2")
                && !s.contains("UNACKNOWLEDGED")
        },
    );
    tmux.keys(&["A"]);
    tmux.wait_for("it in the history", |s| {
        s.contains("Acknowledgements · newest first") && s.contains("from terminal 2")
    });
    tmux.keys(&["Escape"]);
    tmux.wait_for("the history closed", |s| !s.contains("Acknowledgements · "));
    tmux.keys(&["a"]);
    let screen = tmux.wait_for("a second `a` saying who took it", |s| {
        s.contains("already acknowledged by")
    });
    check(
        !screen.contains(" Acknowledge "),
        "no note dialog for a second acknowledgement",
        &screen,
    );
    let journal = std::fs::read_to_string(state.join("acks.jsonl")).expect("journal");
    assert_eq!(
        journal.lines().count(),
        1,
        "one acknowledgement saved:\n{journal}"
    );
}

/// Less noise against the local server: the AWS CLI's user reads the secret, is marked
/// expected in the principals view, and the dashboard's setup changes the metric filter's
/// pattern on the server to leave that user out, and nothing else.
#[test]
fn a_reader_marked_expected_is_left_out_of_the_filter_on_the_server() {
    let server = Ministack::start();
    let built = server.run(&["setup", "--yes", "--email", "sec@example.com"]);
    assert!(
        built.status.success(),
        "{}",
        common::ministack::text(&built)
    );
    let config = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("e2e-aws-noise.toml");
    std::fs::write(&config, "[poll]\nevents_secs = 2\n").expect("write config");
    let tmux = dashboard(
        &server,
        "aws-noise",
        (140, 36),
        &["--config", config.to_str().expect("utf-8 path")],
    );
    tmux.wait_for("the dashboard connected", |s| s.contains("events ✓"));
    server.aws(&[
        "secretsmanager",
        "get-secret-value",
        "--secret-id",
        "TopSecretInfo",
    ]);
    tmux.wait_for("the AWS CLI's read", |s| {
        row_with(s, &["user/test", "cli", "ok"])
    });
    tmux.keys(&["p"]);
    tmux.wait_for("the principals", |s| s.contains(" Principals "));
    tmux.keys(&["e"]);
    tmux.wait_for("the reader marked", |s| s.contains("✓ user/test"));
    // Apart: Escape and a key at once would read as Alt and the key.
    tmux.keys(&["Escape"]);
    tmux.wait_for("the principals closed", |s| !s.contains(" Principals "));
    tmux.setup_leaves_out_the_expected();
    let filters = server.aws(&[
        "logs",
        "describe-metric-filters",
        "--log-group-name",
        "secretwatch/cloudtrail",
    ]);
    let text = String::from_utf8_lossy(&filters.stdout);
    assert!(
        text.contains(r#"$.userIdentity.arn != \"arn:aws:iam::000000000000:user/test\""#),
        "{text}"
    );
}

/// `t` against ministack: the panel follows the read through the chain setup built, to the
/// alarm's message on secretwatch's queue. Ministack's trail delivers nothing to CloudWatch
/// Logs and its filters emit nothing: the test puts the record and the datapoint AWS would,
/// the marker read off the panel; the history, the alarm's evaluation and SNS are real.
#[test]
fn t_on_a_local_server_traces_the_read_to_the_alarms_message() {
    let server = Ministack::start();
    server.create_secret("TopSecretInfo", "v");
    let config = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("e2e-trace.toml");
    std::fs::write(
        &config,
        "[names]\nalarm_period_secs = 60\n[poll]\nevents_secs = 2\nmetric_secs = 2\n\
         alarms_secs = 2\noverlap_mins = 5\n",
    )
    .expect("write config");
    let config = config.to_str().expect("utf-8 path");
    let setup = server.run(&[
        "--config",
        config,
        "setup",
        "--yes",
        "--email",
        "s@example.com",
    ]);
    assert!(
        setup.status.success(),
        "{}",
        common::ministack::text(&setup)
    );
    let tmux = dashboard(&server, "aws-trace", (120, 36), &["--config", config]);
    tmux.wait_for("the dashboard connected", |s| {
        s.contains(" AWS ") && s.contains("events ✓")
    });
    tmux.keys(&["t"]);
    let fired = tmux.wait_for("the read in the trace panel", |s| {
        s.contains(" Trace 1 of 1 · ") && s.contains("✓ fired")
    });
    let marker = fired
        .split(" Trace 1 of 1 · ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .expect("the marker in the panel's title")
        .to_string();
    server.deliver_trail_record(&marker);
    tmux.wait_for("the record in the log group", |s| s.contains("✓ log group"));
    server.put_access_datapoint("1");
    let done = tmux.wait_for("the alarm's message", |s| {
        s.contains("complete: the alarm's message arrived")
    });
    assert_shows(
        &done,
        &[
            "✓ CloudTrail history",
            "✓ metric",
            "✓ alarm",
            "✓ notification",
        ],
    );
}
