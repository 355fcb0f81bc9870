//! Fault injection for tests: throttling, service errors, timeouts, outages
//! and latency, per operation or for all, within a time window.

use crate::cloud::{CloudError, ErrorKind};
use chrono::{DateTime, Utc};
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FaultKind {
    Throttle,
    /// A 5xx answer.
    ServerError,
    /// No answer until the client gives up after this long.
    Timeout(Duration),
    /// Connection refused: the endpoint is gone.
    Outage,
    /// The call succeeds, this much later.
    Latency(Duration),
    /// The caller lacks the permission.
    AccessDenied,
    /// The session's credentials expired (until they are renewed).
    ExpiredCredentials,
}

#[derive(Debug, Clone)]
pub struct FaultRule {
    /// None: every operation.
    pub operation: Option<&'static str>,
    pub kind: FaultKind,
    pub from: DateTime<Utc>,
    pub until: DateTime<Utc>,
    /// Chance that one call in the window is hit, 0.0 to 1.0.
    pub probability: f64,
}

impl FaultRule {
    pub fn always(
        operation: Option<&'static str>,
        kind: FaultKind,
        from: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Self {
        Self {
            operation,
            kind,
            from,
            until,
            probability: 1.0,
        }
    }
}

/// What a call meets: a delay before it is answered, then maybe an error.
#[derive(Debug, Default)]
pub struct Encounter {
    pub delay: Duration,
    pub error: Option<CloudError>,
}

pub struct Faults {
    rules: Vec<FaultRule>,
    rng: SmallRng,
}

impl Faults {
    pub fn new(seed: u64) -> Self {
        Self {
            rules: Vec::new(),
            rng: SmallRng::seed_from_u64(seed ^ 0x5eed_fa17),
        }
    }

    pub fn add(&mut self, rule: FaultRule) {
        self.rules.push(rule);
    }

    pub fn clear(&mut self) {
        self.rules.clear();
    }

    pub fn encounter(&mut self, operation: &'static str, now: DateTime<Utc>) -> Encounter {
        let mut out = Encounter::default();
        for rule in &self.rules {
            let applies = rule.operation.is_none_or(|op| op == operation)
                && rule.from <= now
                && now < rule.until;
            let hit = self.rng.random::<f64>() < rule.probability;
            if !applies || !hit {
                continue;
            }
            let fail = |kind, message: &str| Some(CloudError::new(operation, kind, message));
            match rule.kind {
                FaultKind::Latency(d) => out.delay += d,
                FaultKind::Throttle if out.error.is_none() => {
                    out.error = fail(ErrorKind::Throttled, "ThrottlingException: Rate exceeded");
                }
                FaultKind::ServerError if out.error.is_none() => {
                    out.error = fail(
                        ErrorKind::Service,
                        "InternalFailure (HTTP 500): the service failed to answer",
                    );
                }
                FaultKind::Timeout(d) if out.error.is_none() => {
                    out.delay += d;
                    out.error = fail(ErrorKind::Unreachable, "timed out waiting for a response");
                }
                FaultKind::AccessDenied if out.error.is_none() => {
                    out.error = fail(
                        ErrorKind::AccessDenied,
                        "AccessDeniedException: the caller is not authorized to perform this operation",
                    );
                }
                FaultKind::ExpiredCredentials if out.error.is_none() => {
                    out.error = fail(
                        ErrorKind::Credentials,
                        "ExpiredTokenException: The security token included in the request is expired",
                    );
                }
                FaultKind::Outage if out.error.is_none() => {
                    out.error = fail(ErrorKind::Unreachable, "connection refused");
                }
                _ => {}
            }
        }
        out
    }
}
