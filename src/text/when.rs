//! Points in time as people type them: a time ago (`15m`) or an RFC 3339 time. Shared by
//! the command line's `--since` and the filter language's `since:`.

use chrono::{DateTime, TimeDelta, Utc};
use std::time::Duration;

/// A point in time as the user gives it: a time ago, or an RFC 3339 time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    Ago(Duration),
    At(DateTime<Utc>),
}

impl When {
    pub fn at(self, now: DateTime<Utc>) -> DateTime<Utc> {
        match self {
            When::Ago(ago) => now - TimeDelta::from_std(ago).unwrap_or(TimeDelta::MAX),
            When::At(at) => at,
        }
    }
}

/// `90s`, `15m`, `1h`, `2d`, or `2026-12-01T09:00:00Z` (RFC 3339, any offset).
pub fn parse_when(text: &str) -> Result<When, String> {
    let text = text.trim();
    if text.contains('T') || text.contains(':') {
        return DateTime::parse_from_rfc3339(text)
            .map(|t| When::At(t.with_timezone(&Utc)))
            .map_err(|e| {
                format!("`{text}` is not an RFC 3339 time like 2026-12-01T09:00:00Z ({e})")
            });
    }
    parse_since(text).map(When::Ago)
}

/// `90s`, `15m`, `1h`, `2d`: a number and a unit.
pub fn parse_since(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .ok_or_else(|| format!("`{text}` needs a unit: s, m, h or d (e.g. 1h)"))?;
    let (number, unit) = text.split_at(split);
    let n: u64 = number
        .parse()
        .map_err(|_| format!("`{text}` must start with a whole number (e.g. 15m)"))?;
    let secs = match unit {
        "s" => n,
        "m" => n.saturating_mul(60),
        "h" => n.saturating_mul(3600),
        "d" => n.saturating_mul(86_400),
        _ => {
            return Err(format!(
                "unknown unit `{unit}` in `{text}`: use s, m, h or d"
            ));
        }
    };
    if secs == 0 || secs > 90 * 86_400 {
        return Err(format!(
            "`{text}` must be above 0 and at most 90d (CloudTrail's history)"
        ));
    }
    Ok(Duration::from_secs(secs))
}
