//! Access events: the parsed, typed view of a CloudTrail record.

mod client;
mod parse;

pub use client::ClientKind;
pub use parse::parse_access_event;

use chrono::{DateTime, Utc};
use serde::Serialize;

/// Whether the call succeeded, and if not, the error code CloudTrail recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", content = "error_code", rename_all = "lowercase")]
pub enum Outcome {
    Success,
    Error(String),
}

/// One read (or attempted read) of a secret, as shown in the timeline.
/// Every string field came from AWS and is untrusted: sanitise before drawing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
    #[serde(flatten)]
    pub outcome: Outcome,
    pub region: String,
    /// The full CloudTrail event JSON, kept for the detail view.
    #[serde(skip)]
    pub raw: String,
}
