//! Any text as a filter expression: it is read or refused, never a panic; a refusal points
//! inside the text, and what is read can be held against an access.
#![no_main]

use chrono::{DateTime, Utc};
use libfuzzer_sys::fuzz_target;
use secretwatch::access::{AccessEvent, ClientKind, Outcome};
use secretwatch::query::Query;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let now = DateTime::<Utc>::from_timestamp(1_796_000_000, 0).unwrap_or_default();
    match Query::parse(&text, now) {
        Ok(query) => {
            let access = AccessEvent {
                event_id: "e".into(),
                time: now,
                event_name: "GetSecretValue".into(),
                secret: "prod/db".into(),
                principal: text.as_ref().into(),
                principal_type: "AssumedRole".into(),
                source_ip: "10.0.0.1".into(),
                user_agent: text.as_ref().into(),
                client: ClientKind::Cli,
                outcome: Outcome::Error("AccessDenied".into()),
                region: "us-east-1".into(),
                account: "111122223333".into(),
                principal_account: "111122223333".into(),
                seen_by: Default::default(),
                received_at: None,
                raw: None,
                first_seen: Default::default(),
                change: None,
            };
            let _ = query.matches(&access);
        }
        Err(error) => {
            let chars = text.chars().count();
            assert!(error.at + error.len <= chars + 1, "{text:?}: {error:?}");
            let _ = error.pointed(&text);
        }
    }
});
