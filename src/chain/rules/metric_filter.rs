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

pub fn metric_filter(
    group: &str,
    filter: Option<&MetricFilterInfo>,
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
            "put metric filter {} on {group}: {}, value 1, default 0",
            names.metric_filter,
            crate::cloud::names::ACCESS_PATTERN
        ));
    };
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
        .fix(format!(
            "use the pattern {}",
            crate::cloud::names::ACCESS_PATTERN
        ));
    }
    let t = f
        .transformations
        .iter()
        .find(|t| t.namespace == names.metric_namespace && t.name == names.metric_name);
    let value_ok = t.is_some_and(|t| t.value == "1");
    let default_zero = t.is_some_and(|t| t.default_value == Some(0.0));
    if test.matches_other || !value_ok || !default_zero {
        let mut why = Vec::new();
        if test.matches_other {
            why.push("it also counts events that are not accesses");
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
        .fix("value 1 on a GetSecretValue match, default value 0");
    }
    Finding::new(
        L::MetricFilter,
        S::Ok,
        format!("filter {} counts accesses into {metric}", f.name),
    )
    .evidence(evidence)
}
