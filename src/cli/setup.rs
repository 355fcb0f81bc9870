//! `secretwatch setup`: the plan, a confirmation, then each step with its outcome.

use super::args::SetupArgs;
use super::exit::Exit;
use super::open::Opened;
use super::output::{complain, print_error, say};
use crate::chain::setup::{Shown, apply, bucket_name, plan};
use std::io::{BufRead, IsTerminal, Write};

pub async fn run(opened: Opened, args: SetupArgs) -> Exit {
    if let Some(error) = &opened.connect_error {
        complain(error);
        return Exit::CannotRun;
    }
    let identity = match opened.cloud.identity().await {
        Ok(id) => id,
        Err(error) => {
            print_error(&error);
            return Exit::CannotRun;
        }
    };
    let mut names = opened.names.clone();
    names.secret = opened.test_secret.clone();
    let bucket = bucket_name(&identity.account, &identity.region);
    let now = opened.clock.now();
    let p = plan(
        opened.cloud.as_ref(),
        &names,
        &opened.engine.event_sources,
        &bucket,
        args.email
            .as_deref()
            .or(opened.engine.setup_email.as_deref()),
        now,
    )
    .await;
    for note in &p.notes {
        say!("note: {note}");
    }
    if p.steps.is_empty() {
        say!("nothing to do: every link setup can build is in place");
        return Exit::Ok;
    }
    say!("setup would, in {} {}:", identity.account, identity.region);
    for (i, step) in p.steps.iter().enumerate() {
        say!("  {}. {}", i + 1, Shown(step, &names));
    }
    if args.dry_run {
        return Exit::Ok;
    }
    if opened.read_only {
        complain("--read-only: setup changes nothing (use --dry-run to see the plan)");
        return Exit::CannotRun;
    }
    let Some(admin) = opened.admin else {
        complain("this account cannot be changed from here; nothing changed");
        return Exit::CannotRun;
    };
    if !args.yes && !confirmed(p.steps.len()) {
        complain("nothing changed");
        return Exit::Failure;
    }
    let result = apply(admin.as_ref(), &names, &p.steps, |i, step, outcome| {
        let mark = if outcome.is_ok() { "done" } else { "FAILED" };
        say!(
            "  [{}/{}] {mark}: {}",
            i + 1,
            p.steps.len(),
            Shown(step, &names)
        );
        if let Err(error) = outcome {
            say!("         {error}");
        }
    })
    .await;
    match result {
        Ok(()) => Exit::Ok,
        Err(_) => Exit::Failure,
    }
}

/// Asks on the terminal; without one, only --yes applies.
fn confirmed(steps: usize) -> bool {
    if !std::io::stdin().is_terminal() {
        complain("not a terminal to confirm on: pass --yes to apply, or --dry-run");
        return false;
    }
    print!("apply these {steps} steps? [y/N] ");
    let _ = std::io::stdout().flush();
    let mut answer = String::new();
    let _ = std::io::stdin().lock().read_line(&mut answer);
    matches!(answer.trim(), "y" | "Y" | "yes")
}
