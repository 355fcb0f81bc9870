//! The alarm: on the filter's metric, with a statistic and threshold one access
//! crosses, and an SNS action that is enabled.

use crate::chain::{ChainLink as L, Finding, LinkState as S};
use crate::cloud::names::ChainNames;
use crate::cloud::types::{Alarm, Comparison, Statistic};

/// Setup makes this change, so the fix says how to run it from either place.
const USE_SUM: &str =
    "use the statistic Sum: `s` then `y` in the dashboard, or `secretwatch setup`";

pub fn alarm(found: Option<&Alarm>, names: &ChainNames) -> Finding {
    let Some(a) = found else {
        return Finding::new(L::Alarm, S::Broken, format!("no alarm named {}", names.alarm))
            .evidence("DescribeAlarms: none")
            .fix(super::by_setup(format!(
                "alarm {} on {}/{}: Sum >= 1 per period, 1 of 1, missing data notBreaching, action the SNS topic",
                names.alarm, names.metric_namespace, names.metric_name
            )));
    };
    // Named by the alarm, with its metric: the evidence is about the alarm.
    let evidence = format!(
        "DescribeAlarms: {} on {}/{}: {} {} {} over {}s, actions {}",
        a.name,
        a.metric.namespace,
        a.metric.name,
        a.statistic.as_str(),
        a.comparison.symbol(),
        a.threshold,
        a.period.as_secs(),
        if a.actions_enabled {
            "enabled"
        } else {
            "disabled"
        }
    );
    let broken = |summary: String, fix: &str| {
        Finding::new(L::Alarm, S::Broken, summary)
            .evidence(evidence.clone())
            .fix(fix.to_string())
    };
    if a.metric != names.metric() {
        return broken(
            format!(
                "alarm watches {}/{}, not {}/{}",
                a.metric.namespace, a.metric.name, names.metric_namespace, names.metric_name
            ),
            "point the alarm at the metric the filter emits",
        );
    }
    match a.statistic {
        Statistic::Average => return broken(
            "statistic Average: every other CloudTrail event adds a 0, so one access averages far below 1 and the alarm never fires".into(),
            USE_SUM,
        ),
        Statistic::Minimum => return broken(
            "statistic Minimum: any other event in the period makes it 0, so it never fires".into(),
            USE_SUM,
        ),
        Statistic::SampleCount => return broken(
            "statistic SampleCount counts every CloudTrail event, accesses or not: it fires on anything".into(),
            USE_SUM,
        ),
        Statistic::Sum | Statistic::Maximum => {}
    }
    let one_access_crosses = a.comparison.holds(1.0, a.threshold)
        && matches!(
            a.comparison,
            Comparison::GreaterThanOrEqualToThreshold | Comparison::GreaterThanThreshold
        );
    if !one_access_crosses {
        return Finding::new(
            L::Alarm,
            S::Warning,
            format!(
                "one access does not cross {} {}",
                a.comparison.symbol(),
                a.threshold
            ),
        )
        .evidence(evidence)
        .fix(super::by_setup(
            "threshold 1 with GreaterThanOrEqualToThreshold",
        ));
    }
    if !a.actions_enabled {
        return broken(
            "the alarm's actions are disabled".into(),
            &format!(
                "aws cloudwatch enable-alarm-actions --alarm-names {}",
                a.name
            ),
        );
    }
    if !a
        .alarm_actions
        .iter()
        .any(|x| x.starts_with("arn:aws:sns:"))
    {
        return broken(
            "the alarm has no SNS action: nobody is told".into(),
            "add the SNS topic as the alarm action",
        );
    }
    Finding::new(
        L::Alarm,
        S::Ok,
        format!("alarm {} fires on one access", a.name),
    )
    .evidence(evidence)
}
