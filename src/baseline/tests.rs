use super::*;
use crate::access::{ClientKind, Outcome};
use chrono::{TimeDelta, TimeZone};

fn at(m: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, 9, 0, 0)
        .single()
        .expect("a time")
        + TimeDelta::minutes(m)
}

fn read(id: &str, m: i64, who: &str, ip: &str) -> AccessEvent {
    let mut e = AccessEvent::sample();
    e.event_id = id.into();
    e.time = at(m);
    e.principal = format!("arn:aws:iam::111122223333:user/{who}").into();
    e.source_ip = ip.into();
    e
}

fn marks(b: &mut Baseline, mut e: AccessEvent) -> Vec<&'static str> {
    b.observe(&mut e);
    e.first_seen.dims().map(Dim::label).collect()
}

fn dir(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!(
        "secretwatch-baseline-{name}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&d);
    d
}

#[test]
fn history_teaches_and_only_what_is_new_since_is_marked() {
    let mut b = Baseline::open(None, at(60), at(0));
    assert!(
        marks(&mut b, read("h1", 10, "alice", "203.0.113.7")).is_empty(),
        "history"
    );
    assert_eq!(b.learned_back_to, Some(at(10)));
    // The same reader from the same /24 with the same client: nothing new.
    assert!(marks(&mut b, read("n1", 61, "alice", "203.0.113.99")).is_empty());
    assert_eq!(
        marks(&mut b, read("n2", 62, "bob", "203.0.113.7")),
        ["principal"]
    );
    assert_eq!(
        marks(&mut b, read("n3", 63, "alice", "198.51.100.1")),
        ["ip"]
    );
    let mut sdk = read("n4", 64, "alice", "203.0.113.7");
    sdk.client = ClientKind::Sdk { language: "python" };
    assert_eq!(marks(&mut b, sdk), ["client"]);
    // Another secret: everything about it is new.
    let mut other = read("n5", 65, "alice", "203.0.113.7");
    other.secret = "prod/other".into();
    assert_eq!(marks(&mut b, other), ["principal", "ip", "client"]);
    // The same secret by name or by ARN is one secret.
    let mut by_name = read("n6", 66, "bob", "203.0.113.7");
    by_name.secret = "prod/db".into();
    assert!(marks(&mut b, by_name).is_empty());
}

#[test]
fn a_refusal_neither_teaches_nor_is_marked() {
    let mut b = Baseline::open(None, at(0), at(0));
    let mut denied = read("d", 1, "mallory", "192.0.2.1");
    denied.outcome = Outcome::Error("AccessDenied".into());
    assert!(marks(&mut b, denied).is_empty());
    assert_eq!(
        marks(&mut b, read("ok", 2, "mallory", "192.0.2.1")).len(),
        3
    );
}

#[test]
fn an_earlier_access_delivered_later_is_the_first() {
    let mut b = Baseline::open(None, at(0), at(0));
    assert_eq!(marks(&mut b, read("late", 5, "bob", "192.0.2.1")).len(), 3);
    let mut early = read("early", 3, "bob", "192.0.2.1");
    let displaced = b.observe(&mut early);
    assert_eq!(early.first_seen.dims().count(), 3);
    let ids: Vec<(&str, Dim)> = displaced.iter().map(|(k, d)| (&*k.id, *d)).collect();
    assert_eq!(
        ids,
        [
            ("late", Dim::Principal),
            ("late", Dim::Ip),
            ("late", Dim::Client)
        ],
        "the late one's marks go"
    );
    assert!(marks(&mut b, read("after", 7, "bob", "192.0.2.1")).is_empty());
}

#[test]
fn a_restart_keeps_what_was_learned_and_the_introducers_mark() {
    let d = dir("restart");
    let file = || Some(StateFile::at(d.join(file_name(false))));
    let mut b = Baseline::open(file(), at(60), at(0));
    marks(&mut b, read("h", 10, "alice", "203.0.113.7"));
    marks(&mut b, read("new", 70, "bob", "203.0.113.7"));
    b.flush();
    assert!(b.trouble.is_none(), "{:?}", b.trouble);
    drop(b);

    let mut again = Baseline::open(file(), at(120), at(60));
    assert_eq!(again.since(), Some(at(60)), "made once");
    assert_eq!(again.learning_from, None, "nothing to learn again");
    assert!(marks(&mut again, read("h2", 100, "alice", "203.0.113.7")).is_empty());
    assert_eq!(
        marks(&mut again, read("new", 70, "bob", "203.0.113.7")),
        ["principal"],
        "the access that introduced bob keeps its mark"
    );
    assert!(marks(&mut again, read("b2", 110, "bob", "203.0.113.7")).is_empty());
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn a_line_cut_short_by_a_crash_is_said_and_the_rest_kept() {
    let d = dir("torn");
    let path = d.join(file_name(true));
    let mut b = Baseline::open(Some(StateFile::at(path.clone())), at(0), at(0));
    marks(&mut b, read("a", 1, "alice", "203.0.113.7"));
    b.flush();
    let mut bytes = std::fs::read(&path).expect("saved");
    bytes.extend_from_slice(br#"{"kind":"seen","secret":"x"#);
    std::fs::write(&path, bytes).expect("torn");
    let mut again = Baseline::open(Some(StateFile::at(path)), at(5), at(0));
    assert!(
        again
            .trouble
            .as_deref()
            .is_some_and(|t| t.contains("damaged"))
    );
    assert!(marks(&mut again, read("b", 6, "alice", "203.0.113.8")).is_empty());
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn networks_are_slash_24_and_slash_48_and_services_as_written() {
    assert_eq!(dims::network("203.0.113.77"), "203.0.113.0/24");
    assert_eq!(dims::network("2001:db8:aa:1::5"), "2001:db8:aa::/48");
    assert_eq!(
        dims::network("secretsmanager.amazonaws.com"),
        "secretsmanager.amazonaws.com"
    );
}

#[test]
fn first_seen_is_json_as_a_list() {
    let mut f = FirstSeen::default();
    f.set(Dim::Client);
    f.set(Dim::Principal);
    assert_eq!(
        serde_json::to_string(&f).expect("json"),
        r#"["principal","client"]"#
    );
}
