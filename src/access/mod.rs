//! Access events: the parsed, typed view of a CloudTrail record.

mod actor;
pub mod change;
mod client;
pub mod envelope;
pub mod first_seen;
pub mod log_file;
mod parse;
pub mod trail_notification;

pub use actor::{Actor, is_identity_center_role};
pub use change::{Change, Flag};
pub use client::ClientKind;
pub use parse::parse_access_event;

pub use crate::cloud::types::READS;

/// How an access reached the dashboard: CloudTrail's event history (LookupEvents), the
/// EventBridge fast path, or the trail's log files.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize)]
pub enum SeenBy {
    #[default]
    #[serde(rename = "lookup")]
    Lookup,
    #[serde(rename = "eventbridge")]
    EventBridge,
    #[serde(rename = "trail-file")]
    TrailFile,
}

impl SeenBy {
    pub fn label(self) -> &'static str {
        match self {
            SeenBy::Lookup => "lookup",
            SeenBy::EventBridge => "eventbridge",
            SeenBy::TrailFile => "trail-file",
        }
    }
}

use chrono::{DateTime, Utc};
use serde::Serialize;
use std::sync::Arc;

/// Text from a CloudTrail record. Shared, so that the timeline can keep one copy of the
/// values that repeat across events (principals, user agents, secrets, regions).
pub type Text = Arc<str>;

/// Whether the call succeeded, and if not, the error code CloudTrail recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Success,
    Error(Text),
}

impl Outcome {
    /// The error code, None on success.
    pub fn error_code(&self) -> Option<&str> {
        match self {
            Outcome::Success => None,
            Outcome::Error(code) => Some(code),
        }
    }
}

/// One read (or attempted read) of a secret, or a change to it, as shown in the timeline.
/// Every string field came from AWS and is untrusted: sanitise before drawing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessEvent {
    pub event_id: Text,
    pub time: DateTime<Utc>,
    pub event_name: Text,
    /// `requestParameters.secretId` as the caller passed it (name or ARN).
    pub secret: Text,
    pub principal: Text,
    pub principal_type: Text,
    pub source_ip: Text,
    pub user_agent: Text,
    pub client: ClientKind,
    pub outcome: Outcome,
    pub region: Text,
    /// The account the call landed in (`recipientAccountId`): the secret's.
    pub account: Text,
    /// The caller's account (`userIdentity.accountId`, else its ARN's); "" for AWS services.
    pub principal_account: Text,
    /// How it reached the dashboard, and when (set as the dashboard takes it in).
    pub seen_by: SeenBy,
    pub received_at: Option<DateTime<Utc>>,
    /// The full CloudTrail event JSON for the detail view; the timeline keeps it for
    /// the newest events only, and None means it has been let go.
    pub raw: Option<Text>,
    /// What of it was never seen reading its secret before (the baseline's mark).
    pub first_seen: first_seen::FirstSeen,
    /// None for a read; what the call changed otherwise.
    pub change: Option<Arc<Change>>,
}

/// What orders the timeline and names one event in it: its time, then its id.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EventKey {
    pub time: DateTime<Utc>,
    pub id: Text,
}

impl EventKey {
    pub fn as_ref(&self) -> (DateTime<Utc>, &str) {
        (self.time, &self.id)
    }
}

impl AccessEvent {
    /// The caller's account when it is not the secret's: a cross-account read, which an
    /// investigator must never mistake for a local one.
    pub fn other_account(&self) -> Option<&str> {
        let (theirs, ours) = (&*self.principal_account, &*self.account);
        (!theirs.is_empty() && !ours.is_empty() && theirs != ours).then_some(theirs)
    }

    /// The principal as the timeline and `events` show it: short, with the caller's account
    /// in front (`@111122223333 role/app`) when it is another account's.
    pub fn principal_shown(&self) -> String {
        let short = crate::text::format::short_principal(&self.principal);
        match self.other_account() {
            Some(account) => format!("@{account} {short}"),
            None => short,
        }
    }

    pub fn key(&self) -> EventKey {
        EventKey {
            time: self.time,
            id: Text::clone(&self.event_id),
        }
    }

    /// A read of the secret's value (or an attempt): what the alarm counts, the baseline
    /// learns and the principals view sums; a change is none.
    pub fn is_read(&self) -> bool {
        self.change.is_none()
    }

    /// The outcome in words for the text outputs: `ok` or the error code for a read; for a
    /// change what it did, `refused (CODE)` when it did not, and each flag.
    pub fn result_words(&self) -> String {
        let code = self.outcome.error_code();
        let Some(change) = &self.change else {
            return code.unwrap_or("ok").to_string();
        };
        let mut words = format!("changed: {}", change.what);
        if let Some(code) = code {
            words = format!("refused ({code}): {}", change.what);
        }
        for flag in &change.flags {
            words.push_str(" ⚑ ");
            words.push_str(&flag.words());
        }
        words
    }

    /// The key's parts, borrowed, for comparisons that should not touch the reference count.
    pub fn key_ref(&self) -> (DateTime<Utc>, &str) {
        (self.time, &self.event_id)
    }
}

#[cfg(test)]
impl AccessEvent {
    /// A successful read of `prod/db` by an IAM user with the CLI, for tests to change.
    pub fn sample() -> AccessEvent {
        AccessEvent {
            event_id: "e".into(),
            time: DateTime::UNIX_EPOCH,
            event_name: "GetSecretValue".into(),
            secret: "arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/db-AbCdEf".into(),
            principal: "arn:aws:iam::111122223333:user/alice".into(),
            principal_type: "IAMUser".into(),
            source_ip: "203.0.113.7".into(),
            user_agent: "aws-cli/2.15.0 Python/3.11".into(),
            client: ClientKind::Cli,
            outcome: Outcome::Success,
            region: "us-east-1".into(),
            account: "111122223333".into(),
            principal_account: "111122223333".into(),
            seen_by: SeenBy::Lookup,
            received_at: None,
            raw: None,
            first_seen: Default::default(),
            change: None,
        }
    }
}

/// The documented JSON form (README, "JSON output"): every field always present,
/// `error_code` null on success, the raw record left out.
impl Serialize for AccessEvent {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let (outcome, error_code) = match &self.outcome {
            Outcome::Success => ("success", None),
            Outcome::Error(code) => ("error", Some(&**code)),
        };
        let mut o = s.serialize_struct("AccessEvent", 19)?;
        o.serialize_field("event_id", &*self.event_id)?;
        o.serialize_field("time", &self.time)?;
        o.serialize_field("event_name", &*self.event_name)?;
        o.serialize_field("secret", &*self.secret)?;
        o.serialize_field("principal", &*self.principal)?;
        o.serialize_field("principal_type", &*self.principal_type)?;
        o.serialize_field("source_ip", &*self.source_ip)?;
        o.serialize_field("client", &self.client)?;
        o.serialize_field("user_agent", &*self.user_agent)?;
        o.serialize_field("outcome", outcome)?;
        o.serialize_field("error_code", &error_code)?;
        o.serialize_field("region", &*self.region)?;
        o.serialize_field("account", &*self.account)?;
        o.serialize_field("principal_account", &*self.principal_account)?;
        o.serialize_field("cross_account", &self.other_account().is_some())?;
        o.serialize_field("seen_by", &self.seen_by)?;
        o.serialize_field("received_at", &self.received_at)?;
        o.serialize_field("first_seen", &self.first_seen)?;
        o.serialize_field("change", &self.change.as_deref())?;
        o.end()
    }
}
