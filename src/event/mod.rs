//! Access events: the parsed, typed view of a CloudTrail record.

mod client;
mod parse;

pub use client::ClientKind;
pub use parse::parse_access_event;

use chrono::{DateTime, Utc};
use serde::Serialize;

/// Whether the call succeeded, and if not, the error code CloudTrail recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Success,
    Error(String),
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

/// One read (or attempted read) of a secret, as shown in the timeline.
/// Every string field came from AWS and is untrusted: sanitise before drawing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessEvent {
    pub event_id: String,
    pub time: DateTime<Utc>,
    pub event_name: String,
    /// `requestParameters.secretId` as the caller passed it (name or ARN).
    pub secret: String,
    pub principal: String,
    pub principal_type: String,
    pub source_ip: String,
    pub user_agent: String,
    pub client: ClientKind,
    pub outcome: Outcome,
    pub region: String,
    /// The full CloudTrail event JSON, kept for the detail view.
    pub raw: String,
}

/// The documented JSON form (README, "JSON output"): every field always present,
/// `error_code` null on success, the raw record left out.
impl Serialize for AccessEvent {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let (outcome, error_code) = match &self.outcome {
            Outcome::Success => ("success", None),
            Outcome::Error(code) => ("error", Some(code)),
        };
        let mut o = s.serialize_struct("AccessEvent", 12)?;
        o.serialize_field("event_id", &self.event_id)?;
        o.serialize_field("time", &self.time)?;
        o.serialize_field("event_name", &self.event_name)?;
        o.serialize_field("secret", &self.secret)?;
        o.serialize_field("principal", &self.principal)?;
        o.serialize_field("principal_type", &self.principal_type)?;
        o.serialize_field("source_ip", &self.source_ip)?;
        o.serialize_field("client", &self.client)?;
        o.serialize_field("user_agent", &self.user_agent)?;
        o.serialize_field("outcome", outcome)?;
        o.serialize_field("error_code", &error_code)?;
        o.serialize_field("region", &self.region)?;
        o.end()
    }
}
