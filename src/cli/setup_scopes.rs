//! `setup` over every scope watched: each other scope's plan made (all at once) beside the
//! focused one's, shown grouped by scope and numbered as one plan, asked once, then
//! applied scope after scope. A scope that could not be examined is said with why; one
//! whose step fails stops there, and the others still run.

use super::accounts::AdminFor;
use super::open::Opened;
use super::output::say;
use crate::chain::setup::{Plan, Shown, Step, apply, bucket_name, chain_lives_in, plan};
use crate::cloud::names::ChainNames;
use crate::cloud::scope::Scope;
use crate::text::sanitize::sanitize_line;

pub struct ScopePlan {
    /// The scope, its account as the account says.
    pub scope: Scope,
    /// Err: why it could not be examined (its credentials, an AssumeRole refused).
    pub plan: Result<Plan, String>,
    pub admin: Option<AdminFor>,
}

impl ScopePlan {
    pub fn steps(&self) -> usize {
        self.plan.as_ref().map_or(0, |p| p.steps.len())
    }
}

/// Every other scope's plan, made concurrently, in the order the scopes were opened.
pub async fn plan_others(
    opened: &Opened,
    names: &ChainNames,
    email: Option<&str>,
) -> Vec<ScopePlan> {
    let mut tasks = tokio::task::JoinSet::new();
    for (i, (scope, cloud)) in opened.others.iter().enumerate() {
        let admin = opened
            .other_admins
            .iter()
            .find(|(s, _)| s == scope)
            .map(|(_, a)| a.clone());
        let (scope, cloud, names) = (scope.clone(), cloud.clone(), names.clone());
        let sources = opened.engine.event_sources;
        let email = email.map(str::to_string);
        let now = opened.clock.now();
        tasks.spawn(async move {
            let plan = match cloud.identity().await {
                Ok(id) => {
                    let bucket = bucket_name(&id.account, &id.region);
                    let p = plan(
                        cloud.as_ref(),
                        &names,
                        &sources,
                        &bucket,
                        email.as_deref(),
                        now,
                    );
                    let scope = Scope::new(id.account, id.region);
                    ScopePlan {
                        scope,
                        plan: Ok(p.await),
                        admin,
                    }
                }
                Err(error) => ScopePlan {
                    scope,
                    plan: Err(error.to_string()),
                    admin: None,
                },
            };
            (i, plan)
        });
    }
    let mut done = tasks.join_all().await;
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, p)| p).collect()
}

/// The plans of several scopes as one: a member whose chain is another planned scope's
/// says so, and IAM being global, the logs role an earlier scope of the same account creates
/// or updates is the one a later scope's trail uses, so the later step says so (and
/// applies only what its region's group needs).
pub fn join(focused: (&Scope, &Plan), others: &mut [ScopePlan]) {
    let planned: Vec<Scope> = std::iter::once(focused.0.clone())
        .chain(
            others
                .iter()
                .filter(|o| o.plan.is_ok())
                .map(|o| o.scope.clone()),
        )
        .collect();
    for other in others.iter_mut() {
        let Ok(p) = &mut other.plan else { continue };
        let Some(home) = p.report.chain_in.clone().filter(|h| planned.contains(h)) else {
            continue;
        };
        // The plan's first note is where the chain lives (`plan` puts it first).
        if let Some(note) = p.notes.first_mut() {
            *note = chain_lives_in(&home, "set up with that scope here");
        }
    }
    share_roles(focused, others);
}

fn share_roles(focused: (&Scope, &Plan), others: &mut [ScopePlan]) {
    let role_step = |p: &Plan| {
        p.steps.iter().position(|s| {
            matches!(
                s,
                Step::LogsRole | Step::UpdateLogsRole(_) | Step::CheckLogsRole { .. }
            )
        })
    };
    let mut first: Vec<Scope> = Vec::new();
    if role_step(focused.1).is_some() {
        first.push(focused.0.clone());
    }
    for other in others.iter_mut() {
        let Ok(p) = &mut other.plan else { continue };
        let Some(i) = role_step(p) else { continue };
        match first.iter().find(|s| s.account == other.scope.account) {
            Some(earlier) => {
                p.steps[i] = Step::SharedLogsRole {
                    first: earlier.region.clone(),
                }
            }
            None => first.push(other.scope.clone()),
        }
    }
}

/// Each other scope's part of the plan, numbered on from `first`; the scopes with nothing
/// to do said in one line.
pub fn print(others: &[ScopePlan], names: &ChainNames, first: usize) {
    let mut n = first;
    let mut done: Vec<String> = Vec::new();
    for other in others {
        let scope = in_words(&other.scope);
        let p = match &other.plan {
            Ok(p) => p,
            Err(why) => {
                say!(
                    "scope {scope}: not examined, nothing planned: {}",
                    sanitize_line(why, 300)
                );
                continue;
            }
        };
        if p.steps.is_empty() && p.notes.is_empty() {
            done.push(scope);
            continue;
        }
        match p.steps.len() {
            0 => say!("nothing to do in {scope}:"),
            _ => say!("setup would, in {scope}:"),
        }
        for note in &p.notes {
            say!("  note: {note}");
        }
        for step in &p.steps {
            n += 1;
            say!("  {n}. {}", Shown(step, names));
        }
    }
    if !done.is_empty() {
        say!("nothing to do in {}", done.join(", "));
    }
}

/// Applies each other scope's plan in turn, its steps numbered on from `first` of
/// `total`; false when any step failed or a scope with steps cannot be changed from here.
pub async fn apply_others(
    others: &[ScopePlan],
    names: &ChainNames,
    first: usize,
    total: usize,
) -> bool {
    let mut all = true;
    let mut n = first;
    for other in others {
        let Ok(p) = &other.plan else { continue };
        if p.steps.is_empty() {
            continue;
        }
        let scope = in_words(&other.scope);
        let at = n;
        n += p.steps.len();
        let Some(admin) = &other.admin else {
            say!("in {scope}: cannot be changed from here; nothing changed there");
            all = false;
            continue;
        };
        say!("in {scope}:");
        let result = apply(admin().as_ref(), names, &p.steps, |i, step, outcome| {
            super::setup::progress(at + i, total, step, outcome, names);
        })
        .await;
        all &= result.is_ok();
    }
    all
}

/// A scope as setup names the focused one: `123456789012 eu-west-1`.
fn in_words(scope: &Scope) -> String {
    format!(
        "{} {}",
        sanitize_line(&scope.account, 20),
        sanitize_line(&scope.region, 30)
    )
}
