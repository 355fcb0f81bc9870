//! The faults, the APIs the dashboard calls, and where each API's answers are shown.

use super::*;
use chrono::{DateTime, Utc};
use secretwatch::chain::{ChainLink, LinkState};
use secretwatch::store::{Health, TestStage};
use serde_json::{Value, json};

/// A rule that matches every request and does nothing to it: the log counts them.
pub fn pass_through() -> Value {
    json!({ "service": "*", "latency": 0 })
}

/// One kind of fault: the rule for a service, and the words it is shown with.
pub struct Fault {
    pub kind: &'static str,
    pub rule: fn(&Api) -> Value,
    pub words: &'static str,
}

pub const FAULTS: [Fault; 5] = [
    Fault {
        kind: "throttling",
        rule: |api| json!({ "service": api.service, "error": { "code": api.throttled, "status": 400 } }),
        words: "throttled",
    },
    Fault {
        kind: "a 5xx",
        rule: |api| json!({ "service": api.service, "error": { "code": "InternalFailure", "status": 500 } }),
        words: "InternalFailure",
    },
    Fault {
        kind: "a connection reset",
        rule: |api| json!({ "service": api.service, "reset": true }),
        words: "unreachable",
    },
    Fault {
        kind: "a request held past the timeout",
        rule: |api| json!({ "service": api.service, "timeout_ms": 60_000 }),
        words: "timed out",
    },
    Fault {
        kind: "expired credentials",
        rule: |api| json!({ "service": api.service, "error": { "code": api.expired, "status": 400 } }),
        words: "ExpiredToken",
    },
];

/// Where the answers of an API reach the user.
#[derive(Debug, Clone, Copy)]
pub enum Shown {
    /// Who we are: the account in the status bar.
    Identity,
    /// A polled source's health.
    Source(Source),
    /// The doctor's finding on one link.
    Doctor(ChainLink),
    /// A test access's outcome.
    TestAccess,
}

/// A service as microburst names it, its error codes as AWS spells them, the operations
/// the dashboard calls on it, and where their answers are shown.
pub struct Api {
    pub service: &'static str,
    pub throttled: &'static str,
    pub expired: &'static str,
    pub operations: &'static [&'static str],
    pub shown: &'static [Shown],
}

pub const APIS: [Api; 6] = [
    Api {
        service: "sts",
        throttled: "Throttling",
        expired: "ExpiredToken",
        operations: &["GetCallerIdentity"],
        shown: &[Shown::Identity],
    },
    Api {
        service: "cloudtrail",
        throttled: "ThrottlingException",
        expired: "ExpiredTokenException",
        operations: &["LookupEvents", "DescribeTrails"],
        shown: &[
            Shown::Source(Source::Events),
            Shown::Doctor(ChainLink::Trail),
        ],
    },
    Api {
        service: "cloudwatch",
        throttled: "Throttling",
        expired: "ExpiredToken",
        operations: &["GetMetricData", "DescribeAlarms"],
        shown: &[
            Shown::Source(Source::Metric),
            Shown::Source(Source::Alarms),
            Shown::Doctor(ChainLink::Alarm),
        ],
    },
    Api {
        service: "logs",
        throttled: "ThrottlingException",
        expired: "ExpiredTokenException",
        operations: &["DescribeLogGroups", "DescribeMetricFilters"],
        shown: &[
            Shown::Doctor(ChainLink::Delivery),
            Shown::Doctor(ChainLink::MetricFilter),
        ],
    },
    Api {
        service: "sns",
        throttled: "Throttled",
        expired: "ExpiredToken",
        operations: &["GetTopicAttributes"],
        shown: &[Shown::Doctor(ChainLink::Notify)],
    },
    Api {
        service: "secretsmanager",
        throttled: "ThrottlingException",
        expired: "ExpiredTokenException",
        operations: &["GetSecretValue", "DescribeSecret"],
        shown: &[Shown::TestAccess, Shown::Doctor(ChainLink::Secret)],
    },
];

/// Whether `shown` shows `fault`, with its words; the test access is `marker`'s.
pub fn shows_fault(store: &Store, shown: Shown, fault: &Fault, marker: &str) -> bool {
    let now = Utc::now();
    match shown {
        Shown::Identity => store
            .identity_error
            .as_ref()
            .is_some_and(|e| e.to_string().contains(fault.words)),
        Shown::Source(source) => match store.health.health(source, now) {
            Health::Throttled { .. } => fault.words == "throttled",
            Health::Failing { why, hint, .. } => {
                why.contains(fault.words)
                    && (fault.words != "ExpiredToken"
                        || hint.is_some_and(|h| h.contains("aws sso login")))
            }
            _ => false,
        },
        Shown::Doctor(link) => finding(store, link)
            .is_some_and(|(state, text)| state == LinkState::Unknown && text.contains(fault.words)),
        Shown::TestAccess => store.tests.iter().any(|t| {
            t.marker == marker
                && matches!(&t.stage, TestStage::Failed { error } if error.contains(fault.words))
        }),
    }
}

/// Whether `shown` shows an answer again, one given after `cleared`.
pub fn shows_answer(store: &Store, shown: Shown, cleared: DateTime<Utc>, marker: &str) -> bool {
    match shown {
        Shown::Identity => store.identity.is_some() && store.identity_error.is_none(),
        Shown::Source(source) => {
            matches!(
                store.health.health(source, Utc::now()),
                Health::Fresh { .. }
            ) && store.health.last_ok(source).is_some_and(|t| t > cleared)
        }
        Shown::Doctor(link) => {
            !store.chain_checking
                && finding(store, link).is_some_and(|(state, _)| state != LinkState::Unknown)
        }
        Shown::TestAccess => store.tests.iter().any(|t| {
            t.marker == marker
                && matches!(
                    t.stage,
                    TestStage::Pending { .. } | TestStage::Confirmed { .. }
                )
        }),
    }
}

/// The doctor's verdict on `link`: its state, and its summary, evidence and fix.
pub fn finding(store: &Store, link: ChainLink) -> Option<(LinkState, String)> {
    let report = store.chain.as_ref()?;
    let f = report.findings.iter().find(|f| f.link == link)?;
    let text = format!(
        "{} {} {}",
        f.summary,
        f.evidence,
        f.fix.as_deref().unwrap_or("")
    );
    Some((f.state, text))
}
