//! A real terminal for end-to-end tests: a private tmux server per test, keys in,
//! screens out, waits bounded by a deadline (not a performance assertion).

use std::path::PathBuf;
use std::process::Command;
use std::thread::sleep;
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_secretwatch");
/// A bound on waiting, not a performance assertion.
pub const DEADLINE: Duration = Duration::from_secs(60);

pub struct Tmux {
    socket: String,
    /// The socket file, removed with the server.
    path: String,
    /// Variables of the environment tmux runs in, beyond the test's own.
    outer: Vec<(String, String)>,
}

impl Tmux {
    /// A detached W×H session running `command` (executed directly, no shell), with the
    /// test's own empty home, config, state and AWS files (`own_home`) and its logs under
    /// the target dir: nothing of the developer's changes what the test sees.
    pub fn start(name: &str, width: u16, height: u16, command: &[&str]) -> Tmux {
        Tmux::start_from(name, (width, height), command, &[])
    }

    /// As `start`, with tmux itself started in an environment that also has `outer`: the
    /// developer's own, as a test plants it.
    pub fn start_from(
        name: &str,
        size: (u16, u16),
        command: &[&str],
        outer: &[(&str, String)],
    ) -> Tmux {
        Tmux::start_in(name, size, None, command, outer)
    }

    /// As `start_from`, the command started in `dir` (where it writes what it exports).
    pub fn start_in(
        name: &str,
        (width, height): (u16, u16),
        dir: Option<&std::path::Path>,
        command: &[&str],
        outer: &[(&str, String)],
    ) -> Tmux {
        let installed = Command::new("tmux").arg("-V").output();
        assert!(
            installed.is_ok_and(|o| o.status.success()),
            "tmux is not installed: install tmux (e.g. `apt-get install tmux`) to run the end-to-end tests"
        );
        let mut tmux = Tmux {
            socket: format!("secretwatch-e2e-{name}-{}", std::process::id()),
            path: String::new(),
            outer: outer
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
        };
        let (w, h) = (width.to_string(), height.to_string());
        let _ = std::fs::remove_dir_all(log_dir(name)); // a fresh log for each run
        let env = own_environment(name, outer);
        let mut args = vec!["-f", "/dev/null", "new-session", "-d", "-s", "e2e"];
        let dir = dir.map(|d| d.display().to_string());
        if let Some(dir) = &dir {
            args.extend(["-c", dir.as_str()]);
        }
        args.extend(["-x", &w, "-y", &h, "env"]);
        args.extend(env.iter().map(String::as_str));
        args.extend(command);
        // remain-on-exit keeps the last screen (a panic, say) to print on failure.
        args.extend([";", "set-option", "-g", "remain-on-exit", "on"]);
        tmux.run(&args);
        tmux.path = tmux.pane_var("#{socket_path}");
        tmux
    }

    /// The dashboard against the AWS-compatible server at `endpoint`, as a person would
    /// run it there: test credentials, the endpoint and region flags, and (as every
    /// session) empty AWS config files of its own. `env` adds variables (`KEY=VALUE`),
    /// `flags` adds arguments.
    pub fn against(
        name: &str,
        size: (u16, u16),
        endpoint: &str,
        env: &[&str],
        flags: &[&str],
    ) -> Tmux {
        let mut command = vec![
            "env",
            "AWS_ACCESS_KEY_ID=test",
            "AWS_SECRET_ACCESS_KEY=test",
            "AWS_EC2_METADATA_DISABLED=true",
        ];
        command.extend_from_slice(env);
        command.extend([BIN, "--endpoint-url", endpoint, "--region", "us-east-1"]);
        command.extend_from_slice(flags);
        Tmux::start(name, size.0, size.1, &command)
    }

    pub fn demo(name: &str, width: u16, height: u16) -> Tmux {
        Tmux::start(name, width, height, &[BIN, "demo", "--seed", "1"])
    }

    pub fn run(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .envs(self.outer.iter().map(|(k, v)| (k, v)))
            .env_remove("TMUX")
            .output()
            .expect("tmux runs");
        assert!(
            out.status.success(),
            "tmux {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    pub fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "e2e"];
        args.extend_from_slice(keys);
        self.run(&args);
    }

    pub fn screen(&self) -> String {
        self.run(&["capture-pane", "-p", "-t", "e2e"])
    }

    /// A tmux format expanded for the pane, e.g. `#{alternate_on}`.
    pub fn pane_var(&self, format: &str) -> String {
        let out = self.run(&["display-message", "-p", "-t", "e2e", format]);
        out.trim().to_string()
    }

    /// Polls the screen every 100 ms until `ready` holds on a settled screen (the same on
    /// two captures 50 ms apart, so that a capture taken mid-redraw is never judged).
    pub fn wait_for(&self, what: &str, ready: impl Fn(&str) -> bool) -> String {
        self.wait_for_within(DEADLINE, what, ready)
    }

    /// As `wait_for`, bounded by `deadline`: for what the demo may take longer than the
    /// usual bound to do (a bound on waiting, not a timing assertion).
    pub fn wait_for_within(
        &self,
        deadline: Duration,
        what: &str,
        ready: impl Fn(&str) -> bool,
    ) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if ready(&screen) {
                sleep(Duration::from_millis(50));
                if self.screen() == screen {
                    return screen;
                }
            }
            if start.elapsed() > deadline {
                panic!("waited {deadline:?} for {what}; the last screen was:\n{screen}");
            }
            sleep(Duration::from_millis(100));
        }
    }

    /// Waits until a dashboard over a bare account (no alarm) has its first events.
    /// `s`; the plan, which leaves out the principals marked expected from the metric
    /// filter; `y`; that step done.
    pub fn setup_leaves_out_the_expected(&self) {
        self.keys(&["s"]);
        self.wait_for(
            "the plan: the filter's pattern, and whom it leaves out",
            |s| {
                s.contains("Setup · plan ")
                    && s.contains("update metric filter SecretIsAccessed")
                    && s.contains("leaves out the principals marked expected")
            },
        );
        self.keys(&["y"]);
        self.wait_for("applied", |s| {
            s.contains("Setup · done") && s.contains("✓ update metric filter SecretIsAccessed")
        });
    }

    pub fn wait_for_dashboard_bare(&self) -> String {
        self.wait_for("the dashboard to fill", |s| {
            s.contains(" Accesses ") && s.contains("TopSecretInfo") && s.contains("events ✓")
        })
    }

    /// Waits until the dashboard has its first answers from every pane's source.
    pub fn wait_for_dashboard(&self) -> String {
        self.wait_for("the dashboard to fill", |s| {
            s.contains(" Accesses ")
                && s.contains("TopSecretInfo")
                && s.contains("SecretIsAccessed-alarm")
                && s.contains("events ✓")
        })
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .output();
        let _ = std::fs::remove_file(&self.path);
    }
}

/// The test's own home, created empty for each run: HOME, the XDG config and state
/// directories, the journal's directory and the AWS config files all live under it.
pub fn own_home(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("e2e-home")
        .join(name)
}

/// `env` arguments that give the binary `own_home(name)` and nothing of the caller's:
/// every AWS, XDG and secretwatch variable of the test's environment (and `outer`) is
/// unset, then the test's own are set. Variables a test passes after these win.
fn own_environment(name: &str, outer: &[(&str, String)]) -> Vec<String> {
    let root = own_home(name);
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(root.join("home")).expect("the test's own home");
    let ours = |key: &str| {
        ["AWS_", "XDG_", "SECRETWATCH_"]
            .iter()
            .any(|p| key.starts_with(p))
    };
    let mut keys: Vec<String> = std::env::vars_os()
        .filter_map(|(k, _)| k.into_string().ok())
        .chain(outer.iter().map(|(k, _)| k.to_string()))
        .filter(|k| ours(k))
        .collect();
    keys.sort();
    keys.dedup();
    let mut env: Vec<String> = keys.into_iter().flat_map(|k| ["-u".into(), k]).collect();
    let at = |dir: &str| root.join(dir).display().to_string();
    env.extend([
        format!("HOME={}", at("home")),
        format!("XDG_CONFIG_HOME={}", at("config")),
        format!("XDG_STATE_HOME={}", at("state")),
        format!("XDG_DATA_HOME={}", at("data")),
        format!("XDG_CACHE_HOME={}", at("cache")),
        format!("SECRETWATCH_STATE_DIR={}", at("state/secretwatch")),
        format!("SECRETWATCH_LOG_DIR={}", log_dir(name)),
        format!("AWS_CONFIG_FILE={}", at("aws/config")),
        format!("AWS_SHARED_CREDENTIALS_FILE={}", at("aws/credentials")),
    ]);
    env
}

pub fn log_dir(name: &str) -> String {
    format!("{}/e2e-logs/{name}", env!("CARGO_TARGET_TMPDIR"))
}

/// Rows of the access timeline: lines that start `│hh:mm:ss`.
pub fn timeline_rows(screen: &str) -> Vec<String> {
    let rows = screen.lines().filter(|l| {
        let shape = l
            .chars()
            .take(9)
            .map(|c| if c.is_ascii_digit() { '0' } else { c });
        shape.eq("│00:00:00".chars())
    });
    rows.map(String::from).collect()
}

/// Whether one row of the timeline contains all of `texts`.
pub fn row_with(screen: &str, texts: &[&str]) -> bool {
    let rows = timeline_rows(screen);
    rows.iter().any(|r| texts.iter().all(|t| r.contains(t)))
}

#[track_caller]
pub fn check(ok: bool, what: &str, screen: &str) {
    assert!(ok, "expected {what}; the screen:\n{screen}");
}

#[track_caller]
pub fn assert_shows(screen: &str, texts: &[&str]) {
    let missing: Vec<&&str> = texts.iter().filter(|t| !screen.contains(**t)).collect();
    assert!(missing.is_empty(), "{missing:?} not on screen:\n{screen}");
}
