//! The metric filter: on the trail's log group, it counts accesses (and only those)
//! into the metric the alarm watches, 1 per match and 0 otherwise.

use crate::chain::{ChainLink as L, Finding, LinkState as S};
use crate::cloud::links::MetricFilterInfo;
use crate::cloud::names::ChainNames;

/// How the filter's pattern fared against a synthetic GetSecretValue event of each secret
/// (the test secret and every watched one) and a synthetic unrelated event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternTest {
    /// The secrets whose read the pattern does not match: those reads are never counted.
    pub missed: Vec<String>,
    pub matches_other: bool,
    /// The kinds of reads besides an IAM user's the pattern does not count (`an assumed
    /// role's`, …; the refused one is `doctor::REFUSED`).
    pub missed_kinds: Vec<&'static str>,
    /// "TestMetricFilter", or why the local evaluator was used.
    pub how: String,
}

/// How the finding of a missing filter begins.
const NO_FILTER: &str = "no filter on ";

/// Whether this finding says no filter publishes the metric: then "no datapoints" means
/// nothing could ever be counted, not that nothing was read.
pub fn says_no_filter(f: &Finding) -> bool {
    f.link == L::MetricFilter && f.state == S::Broken && f.summary.starts_with(NO_FILTER)
}

/// The judgement of `filter`, the one that emits the chain's metric (None: none does);
/// `also` are the other filters on the group that emit it too, each counting every
/// access once more.
pub fn metric_filter(
    group: &str,
    filter: Option<&MetricFilterInfo>,
    also: &[&MetricFilterInfo],
    test: Result<PatternTest, String>,
    names: &ChainNames,
) -> Finding {
    let metric = format!("{}/{}", names.metric_namespace, names.metric_name);
    let Some(f) = filter else {
        return Finding::new(
            L::MetricFilter,
            S::Broken,
            format!("{NO_FILTER}{group} emits {metric}"),
        )
        .evidence(format!("DescribeMetricFilters {group}"))
        .fix(format!(
            "create a metric filter on {group} ({} into {metric}, value 1, default 0): \
             `s` then `y` in the dashboard, or `secretwatch setup`",
            crate::cloud::names::ACCESS_PATTERN
        ));
    };
    let one = judge(f, test, names, &metric);
    counted_again(one, group, f, also, &metric)
}

/// Filters `all` (more than one) emit `metric` on `group`, each counting every access.
pub fn counted_by(group: &str, metric: &str, all: &[&str]) -> String {
    let times = match all.len() {
        2 => "twice".to_string(),
        n => format!("{n} times"),
    };
    format!(
        "{} filters on {group} emit {metric} ({}): each access is counted {times}",
        all.len(),
        all.join(", ")
    )
}

/// What to do about filters that count the same accesses as `keep`: setup deletes no
/// filter, so the fix is the command for each.
pub fn keep_one(group: &str, keep: &str, also: &[&str]) -> String {
    let commands: Vec<String> = also
        .iter()
        .map(|name| {
            format!(
                "`aws logs delete-metric-filter --log-group-name {} --filter-name {}`",
                shell_word(group),
                shell_word(name)
            )
        })
        .collect();
    format!(
        "keep {keep} and delete the other{} (setup deletes no filter): {}",
        if also.len() == 1 { "" } else { "s" },
        commands.join(", ")
    )
}

/// A name as one shell word: quoted when it holds anything but a plain name's characters.
fn shell_word(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-/:#".contains(c));
    if plain {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

/// The finding of the judged filter, with the filters that emit the metric besides it.
/// Several filters are a Warning, not Broken: with Sum >= 1 one access still crosses the
/// threshold and the alarm fires and notifies; what is wrong are the numbers, each access
/// counted once per filter, so the metric pane and the datapoints show n per access and
/// a threshold of T is crossed after T/n accesses. A finding already worse keeps its state.
fn counted_again(
    one: Finding,
    group: &str,
    f: &MetricFilterInfo,
    also: &[&MetricFilterInfo],
    metric: &str,
) -> Finding {
    if also.is_empty() {
        return one;
    }
    let all: Vec<&str> = std::iter::once(f.name.as_str())
        .chain(also.iter().map(|o| o.name.as_str()))
        .collect();
    let doubled = counted_by(group, metric, &all);
    let others: Vec<String> = also
        .iter()
        .map(|o| format!("{} pattern {}", o.name, o.pattern))
        .collect();
    let evidence = format!("{}; also emitting it: {}", one.evidence, others.join("; "));
    let fix = keep_one(group, &f.name, &all[1..]);
    let (state, summary, fix) = match one.state {
        S::Ok => (S::Warning, doubled, fix),
        state => (
            state,
            format!("{}; {doubled}", one.summary),
            match &one.fix {
                Some(first) => format!("{first}; then {fix}"),
                None => fix,
            },
        ),
    };
    Finding::new(L::MetricFilter, state, summary)
        .evidence(evidence)
        .fix(fix)
}

fn judge(
    f: &MetricFilterInfo,
    test: Result<PatternTest, String>,
    names: &ChainNames,
    metric: &str,
) -> Finding {
    let evidence = format!("DescribeMetricFilters: {} pattern {}", f.name, f.pattern);
    let test = match test {
        Ok(t) => t,
        Err(why) => {
            return Finding::new(
                L::MetricFilter,
                S::Broken,
                format!("filter {}: {why}", f.name),
            )
            .evidence(evidence);
        }
    };
    let evidence = format!("{evidence}; tested with {}", test.how);
    if !test.missed.is_empty() {
        return Finding::new(
            L::MetricFilter,
            S::Broken,
            format!(
                "filter {} does not count a GetSecretValue of {}",
                f.name,
                test.missed.join(", ")
            ),
        )
        .evidence(evidence)
        .fix(super::by_setup(format!(
            "use the pattern {}",
            crate::cloud::names::ACCESS_PATTERN
        )));
    }
    let refused = crate::chain::pattern_trial::REFUSED;
    let callers: Vec<&str> = test
        .missed_kinds
        .iter()
        .copied()
        .filter(|k| *k != refused)
        .collect();
    if !callers.is_empty() {
        return Finding::new(
            L::MetricFilter,
            S::Broken,
            format!(
                "filter {} counts an IAM user's read but not {} read: those never reach the alarm",
                f.name,
                callers.join(", ")
            ),
        )
        .evidence(evidence)
        .fix(super::by_setup(format!(
            "use the pattern {}, which counts every caller's read",
            crate::cloud::names::ACCESS_PATTERN
        )));
    }
    let t = f
        .transformations
        .iter()
        .find(|t| t.namespace == names.metric_namespace && t.name == names.metric_name);
    let value_ok = t.is_some_and(|t| t.value == "1");
    let default_zero = t.is_some_and(|t| t.default_value == Some(0.0));
    let misses_refused = test.missed_kinds.contains(&refused);
    if test.matches_other || misses_refused || !value_ok || !default_zero {
        let mut why = Vec::new();
        if test.matches_other {
            why.push("it also counts events that are not accesses");
        }
        if misses_refused {
            why.push("it does not count refused reads (AccessDenied): an attempt never alarms");
        }
        if !value_ok {
            why.push("its value is not 1");
        }
        if !default_zero {
            why.push("it has no default value 0");
        }
        return Finding::new(
            L::MetricFilter,
            S::Warning,
            format!("filter {}: {}", f.name, why.join("; ")),
        )
        .evidence(evidence)
        .fix(super::by_setup(if misses_refused {
            format!(
                "use the pattern {}, value 1 on a match, default value 0",
                crate::cloud::names::ACCESS_PATTERN
            )
        } else {
            "value 1 on a GetSecretValue match, default value 0".to_string()
        }));
    }
    let left_out = crate::chain::noise::left_out(&f.pattern);
    let except = if left_out.is_empty() {
        String::new()
    } else {
        format!(
            ", but for the principals marked expected: {}",
            left_out.join(", ")
        )
    };
    Finding::new(
        L::MetricFilter,
        S::Ok,
        format!(
            "filter {} counts accesses into {metric}: every caller's (IAM user, role, Identity Center, AWS service) and refused ones{except}",
            f.name
        ),
    )
    .evidence(evidence)
}
