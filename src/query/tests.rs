use super::*;
use crate::access::{ClientKind, Outcome};
use chrono::TimeZone;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 3, 12, 0, 0).unwrap()
}

fn read(principal: &str, ip: &str, client: ClientKind, error: Option<&str>) -> AccessEvent {
    AccessEvent {
        time: now() - chrono::TimeDelta::minutes(30),
        principal: principal.into(),
        principal_type: if principal.contains(":user/") {
            "IAMUser"
        } else {
            "AssumedRole"
        }
        .into(),
        source_ip: ip.into(),
        client,
        outcome: error.map_or(Outcome::Success, |c| Outcome::Error(c.into())),
        ..AccessEvent::sample()
    }
}

fn alice() -> AccessEvent {
    read(
        "arn:aws:iam::111122223333:user/alice",
        "203.0.113.7",
        ClientKind::Cli,
        None,
    )
}

/// A service first seen reading from its network.
fn app() -> AccessEvent {
    let sdk = ClientKind::Sdk { language: "python" };
    let mut e = read(
        "arn:aws:sts::111122223333:assumed-role/app/i-0abc",
        "10.1.2.3",
        sdk,
        None,
    );
    e.first_seen.set(crate::access::first_seen::Dim::Ip);
    e
}

fn denied() -> AccessEvent {
    let arn = "arn:aws:sts::444455556666:assumed-role/billing/x";
    let mut e = read(
        arn,
        "2001:db8::5",
        ClientKind::Console,
        Some("AccessDenied"),
    );
    e.principal_account = "444455556666".into();
    e
}

/// Which of alice, app and denied the expression keeps.
fn kept(expr: &str) -> [bool; 3] {
    let q = Query::parse(expr, now()).unwrap_or_else(|e| panic!("{}", e.pointed(expr)));
    [alice(), app(), denied()].map(|e| q.matches(&e))
}

#[test]
fn every_field_keeps_what_it_names() {
    assert_eq!(kept(""), [true, true, true]);
    assert_eq!(kept("ALICE"), [true, false, false]);
    assert_eq!(kept("principal:role/app"), [false, true, false]);
    assert_eq!(kept("ip:10.0.0.0/8"), [false, true, false]);
    assert_eq!(kept("ip:203.0.113.7"), [true, false, false]);
    assert_eq!(kept("ip:2001:db8::/32"), [false, false, true]);
    assert_eq!(kept("client:sdk"), [false, true, false]);
    assert_eq!(kept("client:sdk-python"), [false, true, false]);
    assert_eq!(kept("client:console"), [false, false, true]);
    assert_eq!(kept("secret:PROD/DB"), [true, true, true]);
    assert_eq!(kept("outcome:denied"), [false, false, true]);
    assert_eq!(kept("outcome:ok"), [true, true, false]);
    assert_eq!(kept("type:human"), [true, false, true]);
    assert_eq!(kept("type:service"), [false, true, false]);
    assert_eq!(kept("since:1h"), [true, true, true]);
    assert_eq!(kept("since:15m"), [false, false, false]);
    assert_eq!(kept("until:2026-12-03T11:00:00Z"), [false, false, false]);
    assert_eq!(kept("account:444455556666"), [false, false, true]);
    assert_eq!(kept("region:US-EAST-1"), [true, true, true]);
    assert_eq!(kept("region:eu-west-1"), [false, false, false]);
    assert_eq!(kept("new:any"), [false, true, false]);
    assert_eq!(kept("new:ip"), [false, true, false]);
    assert_eq!(kept("new:principal"), [false, false, false]);
    assert_eq!(kept("!new:any"), [true, false, true]);
}

#[test]
fn words_combine_with_and_and_not() {
    assert_eq!(kept("type:human !outcome:denied"), [true, false, false]);
    assert_eq!(kept("!ip:10.0.0.0/8 !alice"), [false, false, true]);
    assert_eq!(kept(r#"principal:"user/alice" cli"#), [true, false, false]);
    // An ARN is text, colons and all.
    assert_eq!(
        kept("arn:aws:iam::111122223333:user/alice"),
        [true, false, false]
    );
    assert_eq!(kept(r#""aws-cli/2.15""#), [true, true, true]);
}

/// Where each mistake is, in characters, and what is said.
#[test]
fn a_mistake_says_where_it_is() {
    let cases = [
        ("ip:10.0.0/8", 3, 8, "not an address or a network"),
        ("alice colour:red", 6, 7, "no field `colour:`"),
        ("outcome:maybe", 8, 5, "outcome is ok, denied or error"),
        ("type:robot", 5, 5, "type is human or service"),
        ("client:browser", 7, 7, "client is console"),
        ("since:yesterday", 6, 9, "whole number"),
        ("principal:", 10, 1, "needs a value"),
        ("alice !", 6, 1, "needs something after it"),
        (r#"principal:"alice"#, 10, 6, "never closed"),
        (r#""alice"bob"#, 7, 1, "a space must follow"),
    ];
    for (expr, at, len, why) in cases {
        let error = Query::parse(expr, now()).expect_err(expr);
        assert_eq!((error.at, error.len), (at, len), "{expr}: {error}");
        assert!(error.why.contains(why), "{expr}: {error}");
    }
    let error = Query::parse("ip:10.0.0/8", now()).expect_err("a bad network");
    assert_eq!(
        error.pointed("ip:10.0.0/8").lines().nth(1),
        Some(
            "   ^^^^^^^^ `10.0.0/8` is not an address or a network like 10.0.0.0/8 or 2001:db8::/32"
        )
    );
}

#[test]
fn wide_characters_keep_the_caret_under_the_mistake() {
    let expr = "秘密 type:x";
    let error = Query::parse(expr, now()).expect_err("no type x");
    let pointed = error.pointed(expr);
    assert!(
        pointed
            .lines()
            .nth(1)
            .is_some_and(|l| l.starts_with("          ^ ")),
        "{pointed}"
    );
}

/// A matching row marks the fields each word found, never what `!` left out.
#[test]
fn marks_name_the_fields_found() {
    let q = Query::parse("principal:alice cli !outcome:denied since:1h", now()).expect("reads");
    let marks = q.marks(&alice());
    assert_eq!(
        marks,
        Marks {
            time: true,
            principal: true,
            client: true,
            user_agent: true,
            ..Marks::default()
        }
    );
    let q = Query::parse("10.1", now()).expect("reads");
    assert_eq!(
        q.marks(&app()),
        Marks {
            source_ip: true,
            ..Marks::default()
        }
    );
}

/// A pass over many accesses that share their texts (as the timeline's do) answers as
/// each access alone does.
#[test]
fn a_pass_remembers_texts_and_answers_the_same() {
    let shared = [alice(), app(), denied()];
    let mut accesses: Vec<AccessEvent> = (0..300).map(|i| shared[i % 3].clone()).collect();
    accesses.push(read(
        "arn:aws:iam::1:user/alicia",
        "10.9.9.9",
        ClientKind::Cli,
        None,
    ));
    for expr in [
        "ali",
        "principal:alice ip:203.0.113.0/24",
        "!10.1 secret:prod",
        "denied",
    ] {
        let q = Query::parse(expr, now()).expect("reads");
        let mut pass = q.matcher();
        for a in &accesses {
            assert_eq!(pass(a), q.matches(a), "{expr}: {}", a.principal);
        }
    }
}
