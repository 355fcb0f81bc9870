//! `secretwatch doctor`: every link of the alert chain checked, each finding with its
//! evidence and its fix.

use super::args::JsonArg;
use super::exit::Exit;
use super::open::Opened;
use super::output::{report, say, say_json};
use crate::chain::LinkState;
use crate::text::sanitize::sanitize_line;

pub async fn run(opened: Opened, args: JsonArg) -> Exit {
    if let Some(error) = &opened.connect_error {
        return report(error);
    }
    let mut names = opened.names.clone();
    names.secret = opened.test_secret.clone();
    let result =
        crate::chain::doctor::examine(opened.cloud.as_ref(), &names, opened.clock.now()).await;
    if args.json {
        if say_json(&result) != Exit::Ok {
            return Exit::Failure;
        }
    } else {
        for f in &result.findings {
            let mark = match f.state {
                LinkState::Ok => "ok     ",
                LinkState::Warning => "WARN   ",
                LinkState::Broken => "BROKEN ",
                LinkState::Unknown => "unknown",
            };
            say!(
                "{mark} {:<14} {}",
                f.link.label(),
                sanitize_line(&f.summary, 300)
            );
            if !f.evidence.is_empty() {
                say!("{:>23}evidence: {}", "", sanitize_line(&f.evidence, 300));
            }
            if let Some(fix) = &f.fix {
                say!("{:>23}fix: {}", "", sanitize_line(fix, 300));
            }
        }
    }
    match result.exit_code() {
        0 => Exit::Ok,
        2 => Exit::CannotRun,
        _ => Exit::Failure,
    }
}
