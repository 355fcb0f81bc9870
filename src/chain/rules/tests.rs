use super::{log_group_name, notify, trail};
use crate::chain::LinkState as S;
use crate::cloud::links::{Selectors, SubscriptionInfo, TopicInfo, TrailInfo};
use crate::cloud::names::ChainNames;
use crate::cloud::types::{Alarm, MetricId, Statistic};
use std::time::Duration;

fn names() -> ChainNames {
    ChainNames::default()
}

fn alarm() -> Alarm {
    Alarm {
        period: Duration::from_secs(300),
        alarm_actions: vec!["arn:aws:sns:us-east-1:1:SecurityAlarms".into()],
        ..Alarm::sample()
    }
}

#[test]
fn a_sum_alarm_with_an_sns_action_is_ok() {
    assert_eq!(super::alarm(Some(&alarm()), &names()).state, S::Ok);
}

#[test]
fn every_statistic_trap_is_broken_with_its_own_reason() {
    for (statistic, words) in [
        (Statistic::Average, "never fires"),
        (Statistic::Minimum, "never fires"),
        (Statistic::SampleCount, "fires on anything"),
    ] {
        let a = Alarm {
            statistic,
            ..alarm()
        };
        let f = super::alarm(Some(&a), &names());
        assert_eq!(f.state, S::Broken, "{statistic:?}");
        assert!(f.summary.contains(words), "{statistic:?}: {}", f.summary);
        let fix = f.fix.as_deref().unwrap_or_default();
        assert!(fix.starts_with("use the statistic Sum"), "{fix}");
        assert!(
            fix.contains("`s` then `y`") && fix.contains("secretwatch setup"),
            "the fix says how to apply it, in the dashboard and from a shell: {fix}"
        );
        assert!(
            f.evidence
                .starts_with(&format!("DescribeAlarms: {} on ", a.name)),
            "the evidence names the alarm: {}",
            f.evidence
        );
    }
    let max = Alarm {
        statistic: Statistic::Maximum,
        ..alarm()
    };
    assert_eq!(super::alarm(Some(&max), &names()).state, S::Ok);
}

#[test]
fn thresholds_actions_and_metric_are_checked() {
    let high = Alarm {
        threshold: 5.0,
        ..alarm()
    };
    assert_eq!(super::alarm(Some(&high), &names()).state, S::Warning);
    let disabled = Alarm {
        actions_enabled: false,
        ..alarm()
    };
    assert!(
        super::alarm(Some(&disabled), &names())
            .summary
            .contains("disabled")
    );
    let silent = Alarm {
        alarm_actions: vec![],
        ..alarm()
    };
    assert!(
        super::alarm(Some(&silent), &names())
            .summary
            .contains("no SNS action")
    );
    let elsewhere = Alarm {
        metric: MetricId::new("Other", "SecretIsAccessed"),
        ..alarm()
    };
    assert!(
        super::alarm(Some(&elsewhere), &names())
            .summary
            .contains("Other/SecretIsAccessed")
    );
    assert_eq!(super::alarm(None, &names()).state, S::Broken);
}

fn topic(policy: Option<&str>, subs: &[(&str, bool)]) -> TopicInfo {
    TopicInfo {
        arn: "arn:aws:sns:us-east-1:1:SecurityAlarms".into(),
        policy: policy.map(str::to_string),
        subscriptions: subs
            .iter()
            .map(|(e, c)| SubscriptionInfo {
                protocol: "email".into(),
                endpoint: e.to_string(),
                confirmed: *c,
            })
            .collect(),
    }
}

const Q: &str = "secretwatch-alarm-messages";

#[test]
fn the_topic_needs_a_confirmed_subscriber_and_a_policy_that_lets_it_publish() {
    let arn = Some("arn:aws:sns:us-east-1:1:SecurityAlarms");
    assert_eq!(
        notify(arn, Some(&topic(None, &[("a@x", true)])), Q).state,
        S::Ok
    );
    assert_eq!(
        notify(arn, Some(&topic(None, &[("a@x", false)])), Q).state,
        S::Warning
    );
    assert_eq!(notify(arn, Some(&topic(None, &[])), Q).state, S::Broken);
    assert_eq!(notify(arn, None, Q).state, S::Broken);
    let deny = r#"{"Statement":[{"Effect":"Deny","Principal":"*","Action":"SNS:Publish"}]}"#;
    let f = notify(arn, Some(&topic(Some(deny), &[("a@x", true)])), Q);
    assert_eq!(f.state, S::Broken);
    assert!(f.summary.contains("denies"));
    let single = r#"{"Statement":{"Effect":"Deny","Action":["sns:*"]}}"#;
    assert_eq!(
        notify(arn, Some(&topic(Some(single), &[("a@x", true)])), Q).state,
        S::Broken
    );
    assert_eq!(
        notify(arn, Some(&topic(Some("not json"), &[("a@x", true)])), Q).state,
        S::Ok
    );
    // secretwatch's own queue on the topic is nobody to notify.
    let ours = "arn:aws:sqs:us-east-1:1:secretwatch-alarm-messages";
    let only_ours = topic(None, &[(ours, true)]);
    assert_eq!(notify(arn, Some(&only_ours), Q).state, S::Broken);
    let with_a_person = topic(None, &[(ours, true), ("a@x", true)]);
    let f = notify(arn, Some(&with_a_person), Q);
    assert_eq!((f.state, f.summary.as_str()), (S::Ok, "notifies a@x"));
}

#[test]
fn log_group_names_come_out_of_their_arns() {
    assert_eq!(
        log_group_name("arn:aws:logs:us-east-1:1:log-group:secretwatch/cloudtrail:*"),
        Some("secretwatch/cloudtrail")
    );
    assert_eq!(
        log_group_name("arn:aws:logs:us-east-1:1:log-group:g"),
        Some("g")
    );
    assert_eq!(log_group_name("nonsense"), None);
}

fn trail_with(selectors: Selectors, is_logging: bool) -> TrailInfo {
    TrailInfo {
        key_prefix: None,
        organization: false,
        name: "secretwatch-trail".into(),
        arn: "arn:aws:cloudtrail:us-east-1:1:trail/secretwatch-trail".into(),
        home_region: "us-east-1".into(),
        multi_region: false,
        bucket: "b".into(),
        is_logging,
        selectors,
        log_group_arn: None,
        logs_role_arn: None,
        latest_logs_delivery: None,
        latest_logs_delivery_error: None,
        sns_topic: None,
    }
}

/// The evidence is read by people: the selectors in CloudTrail's words, not Rust's `Debug`.
#[test]
fn the_trail_evidence_says_what_its_selectors_record() {
    let basic = |read_write: &str, include_management_events| Selectors::Basic {
        read_write: read_write.into(),
        include_management_events,
    };
    let api = "DescribeTrails/GetTrailStatus/GetEventSelectors";
    for (selectors, logging, words) in [
        (
            basic("All", true),
            true,
            "logging; management events: read and write",
        ),
        (
            basic("ReadOnly", true),
            true,
            "logging; management events: read only",
        ),
        (
            basic("WriteOnly", true),
            false,
            "not logging; management events: write only",
        ),
        (
            basic("All", false),
            true,
            "logging; management events: not recorded",
        ),
        (
            basic("Other", true),
            true,
            "logging; management events: Other",
        ),
        (
            Selectors::Advanced {
                summary: "reads, writes".into(),
            },
            true,
            "logging; advanced selectors: reads, writes",
        ),
        (
            Selectors::Default,
            true,
            "logging; no selectors: every management event, read and write",
        ),
    ] {
        let t = trail_with(selectors, logging);
        let f = trail(Some(&t), &names());
        assert_eq!(f.evidence, format!("{api}: secretwatch-trail {words}"));
    }
}

/// A trail neither logging nor recording reads says both, with both fixes, in one finding.
#[test]
fn a_trail_with_two_problems_says_both() {
    let basic = |read_write: &str| Selectors::Basic {
        read_write: read_write.into(),
        include_management_events: true,
    };
    let t = trail_with(basic("WriteOnly"), false);
    let f = trail(Some(&t), &names());
    assert_eq!(f.state, S::Broken);
    assert!(f.summary.contains("it is not logging"), "{}", f.summary);
    assert!(f.summary.contains("WriteOnly"), "{}", f.summary);
    let fix = f.fix.unwrap_or_default();
    assert!(
        fix.contains("start-logging") && fix.contains("put-event-selectors"),
        "{fix}"
    );
    // One problem, one fix.
    let f = trail(Some(&trail_with(basic("All"), false)), &names());
    assert_eq!(f.summary, "trail secretwatch-trail: it is not logging");
    assert!(!f.fix.unwrap_or_default().contains("put-event-selectors"));
}

/// The fixes of links setup builds say how to have setup build them (issue 14, point 9).
#[test]
fn fixes_setup_makes_say_s_then_y() {
    let names = names();
    let fixes = [
        trail(None, &names).fix,
        notify(None, None, Q).fix,
        super::alarm(None, &names).fix,
    ];
    for fix in fixes {
        let fix = fix.unwrap_or_default();
        assert!(fix.contains("`s` then `y`"), "{fix}");
    }
}
