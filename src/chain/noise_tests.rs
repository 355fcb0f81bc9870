//! The proposal's text, what it leaves out and keeps, and the replay of reads through it.

use super::*;
use crate::cloud::names::ACCESS_PATTERN;
use chrono::TimeZone;

fn at(min: i64, sec: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 0)
        .single()
        .expect("valid")
        + chrono::TimeDelta::seconds(min * 60 + sec)
}

fn read(id: &str, principal: &str, time: DateTime<Utc>) -> AccessEvent {
    AccessEvent {
        event_id: id.into(),
        time,
        principal: principal.into(),
        ..AccessEvent::sample()
    }
}

fn alarm() -> Alarm {
    Alarm::sample()
}

const APP: &str = "arn:aws:sts::111122223333:assumed-role/app/i-0abc";

#[test]
fn an_assumed_role_is_expected_in_every_session_a_user_by_its_arn() {
    assert_eq!(
        expected_form(APP).as_deref(),
        Some("arn:aws:sts::111122223333:assumed-role/app/*")
    );
    let bob = "arn:aws:iam::111122223333:user/bob";
    assert_eq!(expected_form(bob).as_deref(), Some(bob));
    for none in [
        "secretsmanager.amazonaws.com",
        "",
        "arn:aws:iam::1:user/\"x",
        "arn:x:assumed-role/",
    ] {
        assert_eq!(expected_form(none), None, "{none}");
    }
}

#[test]
fn the_proposal_leaves_out_only_whom_it_names_and_still_counts_a_service() {
    let expected = vec![expected_form(APP).expect("a form")];
    let text = without(ACCESS_PATTERN, &expected).expect("a proposal");
    let proposal = FilterPattern::parse(&text).expect("it parses");
    let record = |principal: Option<&str>| {
        let mut e = read(
            "x",
            principal.unwrap_or("secretsmanager.amazonaws.com"),
            at(0, 0),
        );
        e.raw = None;
        let mut r = record_of(&e);
        if principal.is_none() {
            r["userIdentity"] =
                json!({"type": "AWSService", "invokedBy": "secretsmanager.amazonaws.com"});
        }
        r
    };
    assert!(!proposal.matches(&record(Some(APP))));
    assert!(!proposal.matches(&record(Some(
        "arn:aws:sts::111122223333:assumed-role/app/i-other"
    ))));
    assert!(proposal.matches(&record(Some(
        "arn:aws:sts::111122223333:assumed-role/app2/i-0abc"
    ))));
    assert!(proposal.matches(&record(Some("arn:aws:iam::111122223333:user/bob"))));
    assert!(
        proposal.matches(&record(None)),
        "an AWS service's read is still counted"
    );
    // Proposed again with another list, the old clause is replaced, not nested.
    let bob = "arn:aws:iam::111122223333:user/bob".to_string();
    let again = without(&text, std::slice::from_ref(&bob)).expect("a proposal");
    assert_eq!(again.matches("NOT EXISTS").count(), 1, "{again}");
    assert!(!again.contains("assumed-role/app/*"), "{again}");
    assert_eq!(left_out(&again), [bob]);
    assert!(left_out(ACCESS_PATTERN).is_empty());
    // Nothing marked: the pattern as it was.
    let plain = without(&again, &[]).expect("the base");
    assert_eq!(
        FilterPattern::parse(&plain),
        FilterPattern::parse(ACCESS_PATTERN)
    );
}

#[test]
fn no_proposal_for_a_text_pattern_an_invalid_one_or_one_too_long() {
    let e = vec![bob()];
    assert!(
        without("GetSecretValue", &e)
            .expect_err("no proposal")
            .contains("text pattern")
    );
    assert!(
        without("{ $.a = ", &e)
            .expect_err("no proposal")
            .contains("not valid")
    );
    let many: Vec<String> = (0..40)
        .map(|i| format!("arn:aws:iam::111122223333:user/someone-with-a-long-name-{i}"))
        .collect();
    assert!(
        without(ACCESS_PATTERN, &many)
            .expect_err("no proposal")
            .contains("1024")
    );
}

fn bob() -> String {
    "arn:aws:iam::111122223333:user/bob".to_string()
}

#[test]
fn the_replay_counts_firings_and_whose_reads_made_them() {
    // The app reads every two minutes, bob once; one period in two fires.
    let mut reads: Vec<AccessEvent> = (0..30)
        .map(|i| read(&format!("a{i}"), APP, at(i * 2, 10)))
        .collect();
    reads.push(read("b", &bob(), at(60, 0)));
    let refs: Vec<&AccessEvent> = reads.iter().collect();
    let pattern = FilterPattern::parse(ACCESS_PATTERN).expect("valid");
    let before = project(&refs, &pattern, &alarm(), at(0, 0), at(60, 0));
    assert_eq!(before.episodes, 31, "30 of the app's periods and bob's");
    assert!(
        (before.per_day - 31.0 * 24.0).abs() < 1.0,
        "{}",
        before.per_day
    );
    assert_eq!(before.causes[0], ("role/app/i-0abc".to_string(), 30));
    assert_eq!(before.causes[1], ("user/bob".to_string(), 1));
    let quiet = FilterPattern::parse(
        &without(ACCESS_PATTERN, &[expected_form(APP).expect("form")]).expect("proposal"),
    )
    .expect("valid");
    let after = project(&refs, &quiet, &alarm(), at(0, 0), at(60, 0));
    assert_eq!((after.episodes, after.causes.len()), (1, 1));
    // Two of three periods over the threshold: one long episode, not many.
    let mut m_of_n = alarm();
    m_of_n.evaluation_periods = 3;
    m_of_n.datapoints_to_alarm = 1;
    let joined = project(&refs, &pattern, &m_of_n, at(0, 0), at(60, 0));
    assert_eq!(joined.episodes, 1, "{joined:?}");
}
