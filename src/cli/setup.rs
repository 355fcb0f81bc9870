//! `secretwatch setup`: the plan, a confirmation, then each step with its outcome.

use super::args::SetupArgs;
use super::exit::Exit;
use super::open::Opened;
use super::output::{complain, print_error, say};
use super::setup_scopes::ScopePlan;
use crate::chain::setup::{Shown, Step, apply, bucket_name, plan};
use crate::cloud::CloudError;
use crate::cloud::names::ChainNames;
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
    let email = args
        .email
        .as_deref()
        .or(opened.engine.setup_email.as_deref());
    let sources = &opened.engine.event_sources;
    let mut p = plan(opened.cloud.as_ref(), &names, sources, &bucket, email, now).await;
    // The principals marked expected in the dashboard's principals view.
    let expected = opened.open_expected().principals();
    crate::chain::setup::leave_out_expected(&mut p, &names, &expected);
    let mut others = super::setup_scopes::plan_others(&opened, &names, email).await;
    let focused = crate::cloud::scope::Scope::new(&identity.account, &identity.region);
    super::setup_scopes::join((&focused, &p), &mut others);
    for note in &p.notes {
        say!("note: {note}");
    }
    let total = p.steps.len() + others.iter().map(ScopePlan::steps).sum::<usize>();
    if !p.steps.is_empty() {
        say!("setup would, in {} {}:", identity.account, identity.region);
    }
    for (i, step) in p.steps.iter().enumerate() {
        say!("  {}. {}", i + 1, Shown(step, &names));
    }
    super::setup_scopes::print(&others, &names, p.steps.len());
    let unexamined = others.iter().filter(|o| o.plan.is_err()).count();
    if total == 0 || args.dry_run {
        if total == 0 {
            say!("nothing to do: every link setup can build is in place");
        }
        if unexamined > 0 {
            complain(format!(
                "{unexamined} scope(s) could not be examined: nothing planned there"
            ));
            return Exit::Failure;
        }
        return Exit::Ok;
    }
    if opened.read_only {
        complain("--read-only: setup changes nothing (use --dry-run to see the plan)");
        return Exit::CannotRun;
    }
    let scopes = usize::from(!p.steps.is_empty()) + others.iter().filter(|o| o.steps() > 0).count();
    if !args.yes && !confirmed(total, scopes) {
        complain("nothing changed");
        return Exit::Failure;
    }
    let mut all = true;
    if !p.steps.is_empty() {
        let Some(admin) = &opened.admin else {
            complain("this account cannot be changed from here; nothing changed");
            return Exit::CannotRun;
        };
        if scopes > 1 {
            say!("in {} {}:", identity.account, identity.region);
        }
        let result = apply(admin.as_ref(), &names, &p.steps, |i, step, outcome| {
            progress(i, total, step, outcome, &names);
        })
        .await;
        all = result.is_ok();
    }
    let first = p.steps.len();
    all &= super::setup_scopes::apply_others(&others, &names, first, total).await;
    // A scope that could not be examined is a plan not made: said, and not a success.
    if unexamined > 0 {
        complain(format!(
            "{unexamined} scope(s) could not be examined: nothing planned or changed there"
        ));
    }
    if all && unexamined == 0 {
        Exit::Ok
    } else {
        Exit::Failure
    }
}

/// One step's outcome, as it happens: `[2/5] done: …`, or FAILED with the error.
pub fn progress(
    i: usize,
    total: usize,
    step: &Step,
    outcome: &Result<(), CloudError>,
    names: &ChainNames,
) {
    let mark = if outcome.is_ok() { "done" } else { "FAILED" };
    say!("  [{}/{total}] {mark}: {}", i + 1, Shown(step, names));
    if let Err(error) = outcome {
        say!("         {error}");
    }
}

/// Asks on the terminal, once for every scope; without one, only --yes applies.
fn confirmed(steps: usize, scopes: usize) -> bool {
    if !std::io::stdin().is_terminal() {
        complain("not a terminal to confirm on: pass --yes to apply, or --dry-run");
        return false;
    }
    match scopes {
        1 => print!("apply these {steps} steps? [y/N] "),
        _ => print!("apply these {steps} steps in {scopes} scopes? [y/N] "),
    }
    let _ = std::io::stdout().flush();
    let mut answer = String::new();
    let _ = std::io::stdin().lock().read_line(&mut answer);
    matches!(answer.trim(), "y" | "Y" | "yes")
}
