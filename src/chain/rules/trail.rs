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
            .fix(format!(
                "create trail {} logging management events (Read and Write)",
                names.trail
            ));
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
    if !t.is_logging {
        return Finding::new(
            L::Trail,
            S::Broken,
            format!("trail {} is not logging", t.name),
        )
        .evidence(evidence)
        .fix(format!("aws cloudtrail start-logging --name {}", t.name));
    }
    match records_reads(t) {
        Ok(()) => Finding::new(
            L::Trail,
            S::Ok,
            format!("trail {} logs management events including reads", t.name),
        )
        .evidence(evidence),
        Err(why) if matches!(t.selectors, Selectors::Advanced { .. }) => {
            Finding::new(L::Trail, S::Unknown, format!("trail {} uses {why}", t.name))
                .evidence(evidence)
                .fix("check that they select management events with readOnly true")
        }
        Err(why) => Finding::new(L::Trail, S::Broken, format!("trail {}: {why}", t.name))
            .evidence(evidence)
            .fix(format!(
                "aws cloudtrail put-event-selectors --trail-name {} --event-selectors \
                 '[{{\"ReadWriteType\":\"All\",\"IncludeManagementEvents\":true}}]'",
                t.name
            )),
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
