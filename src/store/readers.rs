//! Who reads what: the accesses shown, gathered by principal, each with the secrets it read,
//! how often and how recently, from where and with what, and how often it was refused.

use super::Store;
use crate::access::{AccessEvent, Actor, Outcome, Text};
use crate::query::is_denial;
use chrono::{DateTime, Utc};
use std::collections::{BTreeSet, HashMap};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reader {
    /// As the timeline shows it (`user/alice`, `@444455556666 role/billing/…`).
    pub shown: String,
    pub principal: Text,
    pub actor: Actor,
    pub reads: usize,
    pub denied: usize,
    pub first: DateTime<Utc>,
    pub last: DateTime<Utc>,
    pub secrets: BTreeSet<Text>,
    pub addresses: BTreeSet<Text>,
    pub clients: BTreeSet<String>,
    /// Marked as an expected reader (the noise finding's proposal leaves it out).
    pub expected: bool,
}

/// How the principals view orders its rows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ReaderOrder {
    /// The most recent reader first.
    #[default]
    LastSeen,
    /// The most frequent reader first.
    Reads,
}

impl ReaderOrder {
    pub fn other(self) -> ReaderOrder {
        match self {
            ReaderOrder::LastSeen => ReaderOrder::Reads,
            ReaderOrder::Reads => ReaderOrder::LastSeen,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ReaderOrder::LastSeen => "last seen",
            ReaderOrder::Reads => "reads",
        }
    }
}

impl Store {
    /// The principals of the accesses shown (narrowed and filtered as the timeline is).
    pub fn readers(&self, order: ReaderOrder) -> Vec<Reader> {
        let mut by_principal: HashMap<(Text, Text), Reader> = HashMap::new();
        // Reads only: a change is in the timeline, not in who reads what.
        for e in self.shown().filter(|e| e.is_read()) {
            // The caller's account with the principal: a role of that name elsewhere is
            // someone else.
            let key = (Text::clone(&e.principal), Text::clone(&e.principal_account));
            let reader = by_principal.entry(key).or_insert_with(|| first_read(e));
            add(reader, e);
        }
        let mut readers: Vec<Reader> = by_principal.into_values().collect();
        for r in &mut readers {
            r.expected = crate::chain::noise::expected_form(&r.principal)
                .is_some_and(|form| self.expected.contains(&form));
        }
        readers.sort_by(|a, b| {
            match order {
                ReaderOrder::LastSeen => b.last.cmp(&a.last).then(b.reads.cmp(&a.reads)),
                ReaderOrder::Reads => b.reads.cmp(&a.reads).then(b.last.cmp(&a.last)),
            }
            .then_with(|| a.shown.cmp(&b.shown))
            .then_with(|| a.principal.cmp(&b.principal))
        });
        readers
    }
}

fn first_read(e: &AccessEvent) -> Reader {
    Reader {
        shown: e.principal_shown(),
        principal: Text::clone(&e.principal),
        actor: Actor::of(e),
        reads: 0,
        denied: 0,
        first: e.time,
        last: e.time,
        secrets: BTreeSet::new(),
        addresses: BTreeSet::new(),
        clients: BTreeSet::new(),
        expected: false,
    }
}

fn add(reader: &mut Reader, e: &AccessEvent) {
    reader.reads += 1;
    if let Outcome::Error(code) = &e.outcome
        && is_denial(code)
    {
        reader.denied += 1;
    }
    reader.first = reader.first.min(e.time);
    reader.last = reader.last.max(e.time);
    reader.secrets.insert(Text::clone(&e.secret));
    reader.addresses.insert(Text::clone(&e.source_ip));
    reader.clients.insert(e.client.label());
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::ClientKind;
    use crate::engine::Update;
    use chrono::TimeDelta;

    fn at(minute: i64, principal: &str, secret: &str, ip: &str) -> AccessEvent {
        AccessEvent {
            event_id: format!("e{minute}").into(),
            time: DateTime::UNIX_EPOCH + TimeDelta::minutes(minute),
            principal: principal.into(),
            principal_type: if principal.contains(":assumed-role/") {
                "AssumedRole".into()
            } else {
                "IAMUser".into()
            },
            secret: secret.into(),
            source_ip: ip.into(),
            ..AccessEvent::sample()
        }
    }

    #[test]
    fn each_principal_with_what_it_read_from_where_and_how_often() {
        let alice = "arn:aws:iam::111122223333:user/alice";
        let app = "arn:aws:sts::111122223333:assumed-role/app/i-1";
        let mut refused = at(5, alice, "prod/db", "198.51.100.1");
        refused.outcome = Outcome::Error("AccessDenied".into());
        refused.client = ClientKind::Console;
        let mut store = Store::default();
        let accesses = vec![
            at(1, app, "prod/db", "10.0.0.1"),
            at(2, app, "prod/db", "10.0.0.1"),
            at(3, app, "prod/db", "10.0.0.2"),
            at(4, alice, "prod/api", "203.0.113.7"),
            refused,
        ];
        store.apply(Update::Accesses(accesses), DateTime::UNIX_EPOCH);
        let by_last = store.readers(ReaderOrder::LastSeen);
        let names: Vec<&str> = by_last.iter().map(|r| r.shown.as_str()).collect();
        assert_eq!(names, ["user/alice", "role/app/i-1"]);
        let alice = &by_last[0];
        assert_eq!((alice.reads, alice.denied), (2, 1));
        assert_eq!(alice.secrets.len(), 2);
        assert_eq!(
            alice.clients,
            BTreeSet::from(["cli".into(), "console".into()])
        );
        assert_eq!(alice.actor, Actor::Human);
        let by_reads = store.readers(ReaderOrder::Reads);
        let app = &by_reads[0];
        assert_eq!(
            (app.shown.as_str(), app.reads, app.denied),
            ("role/app/i-1", 3, 0)
        );
        assert_eq!(app.addresses.len(), 2);
        assert_eq!(app.actor, Actor::Service);
        assert_eq!(app.last - app.first, TimeDelta::minutes(2));
        // Filtered, only the matches' readers.
        store.query =
            crate::query::Query::parse("secret:api", DateTime::UNIX_EPOCH).expect("reads");
        let filtered = store.readers(ReaderOrder::Reads);
        assert_eq!((filtered.len(), filtered[0].reads), (1, 1));
    }
}
