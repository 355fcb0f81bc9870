//! `secretwatch setup`: the plan, a confirmation, then each step with its outcome.

use crate::app::Opened;
use crate::chain::setup::{Shown, apply, bucket_name, plan};
use crate::cli::SetupArgs;
use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;

pub async fn run(opened: Opened, args: SetupArgs) -> ExitCode {
    if let Some(error) = &opened.connect_error {
        eprintln!("secretwatch: {error}");
        return ExitCode::from(2);
    }
    let identity = match opened.cloud.identity().await {
        Ok(id) => id,
        Err(error) => {
            crate::commands::print_error(&error);
            return ExitCode::from(2);
        }
    };
    let mut names = opened.names.clone();
    names.secret = opened.test_secret.clone();
    let bucket = bucket_name(&identity.account, &identity.region);
    let now = opened.clock.now();
    let p = plan(
        opened.cloud.as_ref(),
        &names,
        &bucket,
        args.email
            .as_deref()
            .or(opened.engine.setup_email.as_deref()),
        now,
    )
    .await;
    for note in &p.notes {
        crate::say!("note: {note}");
    }
    if p.steps.is_empty() {
        crate::say!("nothing to do: every link setup can build is in place");
        return ExitCode::SUCCESS;
    }
    crate::say!("setup would, in {} {}:", identity.account, identity.region);
    for (i, step) in p.steps.iter().enumerate() {
        crate::say!("  {}. {}", i + 1, Shown(step, &names));
    }
    if args.dry_run {
        return ExitCode::SUCCESS;
    }
    if opened.read_only {
        eprintln!(
            "secretwatch: --read-only: setup changes nothing (use --dry-run to see the plan)"
        );
        return ExitCode::from(2);
    }
    let Some(admin) = opened.admin else {
        eprintln!("secretwatch: this account cannot be changed from here; nothing changed");
        return ExitCode::from(2);
    };
    if !args.yes && !confirmed(p.steps.len()) {
        eprintln!("secretwatch: nothing changed");
        return ExitCode::from(1);
    }
    let result = apply(admin.as_ref(), &names, &p.steps, |i, step, outcome| {
        let mark = if outcome.is_ok() { "done" } else { "FAILED" };
        crate::say!(
            "  [{}/{}] {mark}: {}",
            i + 1,
            p.steps.len(),
            Shown(step, &names)
        );
        if let Err(error) = outcome {
            crate::say!("         {error}");
        }
    })
    .await;
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(_) => ExitCode::from(1),
    }
}

/// Asks on the terminal; without one, only --yes applies.
fn confirmed(steps: usize) -> bool {
    if !std::io::stdin().is_terminal() {
        eprintln!("secretwatch: not a terminal to confirm on: pass --yes to apply, or --dry-run");
        return false;
    }
    print!("apply these {steps} steps? [y/N] ");
    let _ = std::io::stdout().flush();
    let mut answer = String::new();
    let _ = std::io::stdin().lock().read_line(&mut answer);
    matches!(answer.trim(), "y" | "Y" | "yes")
}
