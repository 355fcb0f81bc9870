//! Setup's new metric filter and the filters it leaves alone: PutMetricFilter replaces
//! a filter of the same name, so ours goes under a name nobody's filter has; filters
//! that already count the same accesses are said, never deleted.

use super::doctor::FilterSeen;
use super::rules::{counted_by, keep_one};
use super::setup::Step;
use crate::cloud::names::ChainNames;
use crate::cloud::{Cloud, ErrorKind};

/// A new filter under a name no filter on the group has: PutMetricFilter replaces a
/// filter of the same name, and one that counts something else is someone's.
pub(super) async fn new_filter(
    cloud: &dyn Cloud,
    names: &ChainNames,
    log_group: &str,
) -> Result<Step, String> {
    let taken: Vec<String> = match cloud.metric_filters(log_group).await {
        Ok(filters) => filters.into_iter().map(|f| f.name).collect(),
        Err(e) if e.kind == ErrorKind::NotFound => Vec::new(),
        Err(e) => {
            return Err(format!(
                "no metric filter created: the names taken on {log_group} could not be read: {}",
                e.short()
            ));
        }
    };
    let (name, kept) = free_filter_name(&names.metric_filter, &taken);
    Ok(Step::MetricFilter {
        name,
        log_group: log_group.to_string(),
        kept,
    })
}

/// `wanted` when no filter on the group has that name, else the first free of
/// `wanted-secretwatch`, `wanted-secretwatch-2`, …; with the names passed over.
pub fn free_filter_name(wanted: &str, taken: &[String]) -> (String, Vec<String>) {
    let mut passed = Vec::new();
    let mut name = wanted.to_string();
    while taken.contains(&name) {
        passed.push(name);
        name = match passed.len() {
            1 => format!("{wanted}-secretwatch"),
            n => format!("{wanted}-secretwatch-{n}"),
        };
    }
    (name, passed)
}

/// Several filters emit the metric, each counting every access: setup adds none and
/// deletes none, it says which to delete.
pub fn doubled_note(seen: &FilterSeen, names: &ChainNames) -> String {
    let group = &seen.filter.log_group;
    let also: Vec<&str> = seen.also.iter().map(String::as_str).collect();
    let mut all = vec![seen.filter.name.as_str()];
    all.extend(&also);
    let metric = format!("{}/{}", names.metric_namespace, names.metric_name);
    format!(
        "{}: {}",
        counted_by(group, &metric, &all),
        keep_one(group, &seen.filter.name, &also)
    )
}

/// The plan's metric filter leaving out the principals marked `expected` (the doctor's
/// noise proposal): its pattern change, or a note saying why not. Nothing else is left
/// out; with none marked, a pattern left by an earlier proposal goes back to counting all.
pub fn leave_out_expected(plan: &mut super::setup::Plan, names: &ChainNames, expected: &[String]) {
    let Some(seen) = &plan.report.filter else {
        if !expected.is_empty() {
            plan.notes.push(
                "the principals marked expected are counted still: run setup again once the \
                 metric filter exists to leave them out"
                    .into(),
            );
        }
        return;
    };
    if plan.report.chain_in.is_some() {
        return;
    }
    let fix_at = plan
        .steps
        .iter()
        .position(|s| matches!(s, Step::UpdateMetricFilter(_)));
    let base = fix_at
        .and_then(|i| match &plan.steps[i] {
            Step::UpdateMetricFilter(fix) => fix.pattern.as_ref().map(|(_, after)| after.clone()),
            _ => None,
        })
        .unwrap_or_else(|| seen.filter.pattern.clone());
    let proposal = match super::noise::without(&base, expected) {
        Ok(p) => p,
        Err(why) => {
            if !expected.is_empty() {
                plan.notes.push(format!(
                    "the principals marked expected are counted still: {why}"
                ));
            }
            return;
        }
    };
    let same = |a: &str, b: &str| {
        crate::filter_pattern::FilterPattern::parse(a).ok()
            == crate::filter_pattern::FilterPattern::parse(b).ok()
    };
    if same(&proposal, &seen.filter.pattern) {
        return;
    }
    let change = Some((seen.filter.pattern.clone(), proposal));
    match fix_at.map(|i| &mut plan.steps[i]) {
        Some(Step::UpdateMetricFilter(fix)) => fix.pattern = change,
        _ => plan.steps.push(Step::UpdateMetricFilter(
            crate::cloud::admin::MetricFilterFix {
                name: seen.filter.name.clone(),
                log_group: seen.filter.log_group.clone(),
                metric: names.metric(),
                pattern: change,
                value: None,
                default_value: None,
            },
        )),
    }
    plan.notes.push(if expected.is_empty() {
        "the metric filter counts every principal's reads again: none is marked expected".into()
    } else {
        format!(
            "the metric filter's pattern leaves out the principals marked expected in the \
             principals view (e to unmark): {}",
            expected.join(", ")
        )
    });
}
