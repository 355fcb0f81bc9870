//! The trail: one exists, it is logging, and its selectors let reads in.

use crate::chain::{ChainLink as L, Finding, LinkState as S};
use crate::cloud::links::{Selectors, TrailInfo};
use crate::cloud::names::ChainNames;

fn records_reads(t: &TrailInfo) -> Result<(), String> {
    match &t.selectors {
        Selectors::Default => Ok(()),
        Selectors::Basic {
            read_write,
            include_management_events,
        } => {
            if !include_management_events {
                Err("its event selector excludes management events".into())
            } else if read_write == "WriteOnly" {
                Err("its event selector records WriteOnly events; GetSecretValue is a read".into())
            } else {
                Ok(())
            }
        }
        Selectors::Advanced { summary } => Err(format!("advanced selectors ({summary})")),
    }
}

/// The trail that carries accesses to the logs: the named one if it exists, else the
/// best candidate (logging, reads in, delivering to a log group).
pub fn pick_trail<'a>(trails: &'a [TrailInfo], preferred: &str) -> Option<&'a TrailInfo> {
    let score = |t: &TrailInfo| {
        (t.name == preferred) as u8 * 8
            + t.is_logging as u8 * 4
            + records_reads(t).is_ok() as u8 * 2
            + t.log_group_arn.is_some() as u8
    };
    trails.iter().max_by_key(|t| score(t))
}

pub fn trail(chosen: Option<&TrailInfo>, names: &ChainNames) -> Finding {
    let Some(t) = chosen else {
        return Finding::new(L::Trail, S::Broken, "no trail in this region")
            .evidence("DescribeTrails: empty list")
            .fix(super::by_setup(format!(
                "create trail {} logging management events (Read and Write)",
                names.trail
            )));
    };
    let evidence = format!(
        "DescribeTrails/GetTrailStatus/GetEventSelectors: {} {}; {}",
        t.name,
        if t.is_logging {
            "logging"
        } else {
            "not logging"
        },
        selectors_in_words(&t.selectors)
    );
    // Every problem of the trail at once: one that is neither logging nor recording reads
    // needs both fixes, and saying one would hide the other.
    let start_logging = format!("aws cloudtrail start-logging --name {}", t.name);
    let put_selectors = format!(
        "aws cloudtrail put-event-selectors --trail-name {} --event-selectors \
         '[{{\"ReadWriteType\":\"All\",\"IncludeManagementEvents\":true}}]'",
        t.name
    );
    let advanced = matches!(t.selectors, Selectors::Advanced { .. });
    let check_advanced = "check that they select management events with readOnly true";
    let mut problems = Vec::new();
    let mut fixes = Vec::new();
    if !t.is_logging {
        problems.push("it is not logging".to_string());
        fixes.push(start_logging);
    }
    let reads = records_reads(t);
    match &reads {
        Ok(()) => {}
        Err(why) if advanced => {
            problems.push(format!("it uses {why}"));
            fixes.push(check_advanced.to_string());
        }
        Err(why) => {
            problems.push(why.clone());
            fixes.push(put_selectors);
        }
    }
    let state = match (t.is_logging, &reads) {
        (true, Ok(())) => S::Ok,
        // Advanced selectors may well record reads: they cannot be judged here.
        (true, Err(_)) if advanced => S::Unknown,
        _ => S::Broken,
    };
    if state == S::Ok {
        return Finding::new(
            L::Trail,
            S::Ok,
            format!("{} logs management events including reads", named(t)),
        )
        .evidence(evidence);
    }
    Finding::new(
        L::Trail,
        state,
        format!("trail {}: {}", t.name, problems.join(", and ")),
    )
    .evidence(evidence)
    .fix(fixes.join("; then "))
}

/// The trail as the doctor names it: an organization trail with its owner and home.
fn named(t: &TrailInfo) -> String {
    match (t.organization, crate::cloud::links::arn_scope(&t.arn)) {
        (true, Some(owner)) => format!(
            "organization trail {} (account {}, home {})",
            t.name, owner.account, t.home_region
        ),
        (true, None) => format!("organization trail {}", t.name),
        _ => format!("trail {}", t.name),
    }
}

/// What the selectors record, in CloudTrail's words (the evidence is read by people).
fn selectors_in_words(selectors: &Selectors) -> String {
    match selectors {
        Selectors::Default => "no selectors: every management event, read and write".into(),
        Selectors::Basic {
            include_management_events: false,
            ..
        } => "management events: not recorded".into(),
        Selectors::Basic { read_write, .. } => {
            let words = match read_write.as_str() {
                "All" => "read and write",
                "ReadOnly" => "read only",
                "WriteOnly" => "write only",
                other => other,
            };
            format!("management events: {words}")
        }
        Selectors::Advanced { summary } => format!("advanced selectors: {summary}"),
    }
}
