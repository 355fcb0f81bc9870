//! `secretwatch doctor`: every link of the alert chain checked, each finding with its
//! evidence and its fix.

use super::args::JsonArg;
use super::exit::Exit;
use super::open::Opened;
use super::output::{report, say, say_json};
use crate::chain::{Finding, LinkState};
use crate::text::sanitize::sanitize_line;

pub async fn run(mut opened: Opened, args: JsonArg) -> Exit {
    if let Some(error) = &opened.connect_error {
        return report(error);
    }
    let mut names = opened.names.clone();
    names.secret = opened.test_secret.clone();
    let exam = super::doctor_scopes::examination(&opened, &names).await;
    let mut result = exam.focused().await;
    result.findings.extend(noise(&mut opened, &result).await);
    let traces = opened.open_traces();
    result
        .findings
        .extend(crate::chain::latency::finding(&traces.past));
    let others = super::doctor_scopes::examine_others(&exam).await;
    if args.json {
        let all = serde_json::json!({
            "findings": result.findings,
            "chain_in": result.chain_in,
            "scopes": others,
        });
        if say_json(&all) != Exit::Ok {
            return Exit::Failure;
        }
    } else {
        let shared = shared_causes(&result.findings);
        for (i, f) in result.findings.iter().enumerate() {
            if let Some(cause) = shared.iter().find(|c| c.links.contains(&i)) {
                if cause.links.first() == Some(&i) {
                    print_shared(cause, &result.findings);
                }
                continue;
            }
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
        if let Some(home) = &result.chain_in {
            say!("chain   {}", super::doctor_scopes::lives_in(home));
        }
        if !others.is_empty() {
            super::doctor_scopes::print(&result, &others);
        }
    }
    // As for the focused scope: anything short of ok anywhere is a finding.
    let elsewhere = others
        .iter()
        .any(|s| s.findings.iter().any(|f| f.state != LinkState::Ok));
    match result.exit_code() {
        0 if !elsewhere => Exit::Ok,
        2 => Exit::CannotRun,
        _ => Exit::Failure,
    }
}

/// The noise finding, as the dashboard's doctor makes it: the reads of the events poll's
/// backfill (an hour) and the alarm's history replayed through the filter. None when they
/// cannot be read (the other findings say why) or there is nothing to replay. Last use of
/// `opened`: its sources and scopes are narrowed to this.
async fn noise(opened: &mut Opened, report: &crate::chain::doctor::Report) -> Option<Finding> {
    opened.engine.sources = vec![crate::engine::Source::Events, crate::engine::Source::Alarms];
    // The focused scope's alarm counts the focused scope's reads: the other scopes (their
    // chains examined already) are not polled for it.
    opened.others.clear();
    let mut engine = opened.start_engine(false);
    let mut store = crate::store::Store::default();
    store.expected = opened.open_expected();
    super::poll_once::poll_once(&mut engine, opened, &mut store, false)
        .await
        .ok()?;
    store.chain = Some(report.clone());
    store.noise(opened.clock.now())
}

/// One reason several links could not be checked (an unreachable endpoint fails every
/// call alike; a chain that lives in an account not watched), said once with the calls
/// and links it applies to.
struct SharedCause {
    /// `unreachable: …`: the error without the call's name; else the links' summary.
    why: String,
    fix: Option<String>,
    /// The calls that failed; empty when no call did (`why` is the summary).
    calls: Vec<String>,
    /// Indexes into the findings.
    links: Vec<usize>,
}

fn shared_causes(findings: &[Finding]) -> Vec<SharedCause> {
    let mut causes: Vec<SharedCause> = Vec::new();
    for (i, f) in findings.iter().enumerate() {
        if f.state != LinkState::Unknown {
            continue;
        }
        // The evidence of a link a call failed for is the error: `Call kind: message`.
        let (call, why) = match f.evidence.split_once(' ') {
            Some((call, why)) if f.summary.starts_with("could not check") => (call, why),
            _ => ("", f.summary.as_str()),
        };
        match causes.iter_mut().find(|c| c.why == why && c.fix == f.fix) {
            Some(cause) => {
                cause.links.push(i);
                if !call.is_empty() && !cause.calls.iter().any(|c| c == call) {
                    cause.calls.push(call.to_string());
                }
            }
            None => causes.push(SharedCause {
                why: why.to_string(),
                fix: f.fix.clone(),
                calls: [call]
                    .into_iter()
                    .filter(|c| !c.is_empty())
                    .map(str::to_string)
                    .collect(),
                links: vec![i],
            }),
        }
    }
    causes.retain(|c| c.links.len() > 1);
    causes
}

fn print_shared(cause: &SharedCause, findings: &[Finding]) {
    let links: Vec<&str> = cause
        .links
        .iter()
        .map(|i| findings[*i].link.label())
        .collect();
    if cause.calls.is_empty() {
        let first = &findings[cause.links[0]];
        say!(
            "unknown {}: {}",
            links.join(", "),
            sanitize_line(&cause.why, 300)
        );
        say!(
            "{:>23}evidence: {}",
            "",
            sanitize_line(&first.evidence, 300)
        );
    } else {
        say!("unknown {}: could not check", links.join(", "));
        say!("{:>23}{}", "", sanitize_line(&cause.why, 300));
        say!(
            "{:>23}calls: {}",
            "",
            sanitize_line(&cause.calls.join(", "), 300)
        );
    }
    if let Some(fix) = &cause.fix {
        say!("{:>23}fix: {}", "", sanitize_line(fix, 300));
    }
}
