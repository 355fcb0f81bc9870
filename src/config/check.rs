//! The values the config's types cannot refuse by themselves: ranges, name shapes,
//! addresses. Each refusal names the key, shows the value made safe, and says why.

use super::{ConfigError, FileConfig};
use crate::text::sanitize::sanitize_line;
use std::path::Path;

pub(super) fn validate(c: &FileConfig, path: &Path) -> Result<(), ConfigError> {
    // The value is shown back, so it is made safe for the terminal first.
    let bad = |key, value: String, why| {
        Err(ConfigError::BadValue {
            path: path.to_path_buf(),
            key,
            value: sanitize_line(&value, 120),
            why,
        })
    };
    let p = &c.poll;
    for (key, value) in [
        ("poll.events_secs", p.events_secs),
        ("poll.metric_secs", p.metric_secs),
        ("poll.alarms_secs", p.alarms_secs),
        ("poll.backfill_mins", p.backfill_mins),
        ("first_seen.learn_mins", c.first_seen.learn_mins),
    ] {
        if value == 0 {
            return bad(key, value.to_string(), "must be at least 1");
        }
    }
    // CloudTrail keeps 90 days; nothing older can be read.
    const NINETY_DAYS_MINS: u64 = 90 * 24 * 60;
    for (key, value) in [
        ("poll.overlap_mins", p.overlap_mins),
        ("poll.backfill_mins", p.backfill_mins),
        ("first_seen.learn_mins", c.first_seen.learn_mins),
    ] {
        if value > NINETY_DAYS_MINS {
            return bad(
                key,
                value.to_string(),
                "must be at most 129600 (90 days, CloudTrail's history)",
            );
        }
    }
    for (key, value) in [
        ("poll.events_secs", p.events_secs),
        ("poll.metric_secs", p.metric_secs),
        ("poll.alarms_secs", p.alarms_secs),
    ] {
        if value > 86_400 {
            return bad(key, value.to_string(), "must be at most 86400 (a day)");
        }
    }
    if p.overlap_mins < 5 {
        return bad(
            "poll.overlap_mins",
            p.overlap_mins.to_string(),
            "must be at least 5: CloudTrail delivers events minutes late",
        );
    }
    if !(p.lookups_per_second > 0.0 && p.lookups_per_second <= 2.0) {
        return bad(
            "poll.lookups_per_second",
            p.lookups_per_second.to_string(),
            "must be above 0 and at most 2, LookupEvents' limit per account and region",
        );
    }
    let period = c.names.alarm_period.as_secs();
    if !(60..=86_400).contains(&period) || !period.is_multiple_of(60) {
        return bad(
            "names.alarm_period_secs",
            period.to_string(),
            "must be a multiple of 60 from 60 to 86400 (standard-resolution metrics)",
        );
    }
    for region in &c.scopes.regions {
        if !crate::cloud::scope::plausible_region(region) {
            return bad(
                "scopes.regions",
                region.clone(),
                "must be a region name like eu-west-1",
            );
        }
    }
    // An IAM role name: letters, digits and +=,.@_- (at most 64).
    let role = &c.scopes.role;
    let role_char = |ch: char| ch.is_ascii_alphanumeric() || "+=,.@_-".contains(ch);
    if role.is_empty() || role.len() > 64 || !role.chars().all(role_char) {
        return bad(
            "scopes.role",
            role.clone(),
            "must be an IAM role name (letters, digits and +=,.@_-, at most 64)",
        );
    }
    for profile in &c.scopes.profiles {
        if profile.trim().is_empty() || profile.chars().any(char::is_control) {
            return bad(
                "scopes.profiles",
                profile.clone(),
                "must be a profile name from ~/.aws/config",
            );
        }
    }
    for secret in &c.secrets {
        if !plausible_secret_id(secret) {
            return bad(
                "secrets",
                secret.clone(),
                "each must be a secret name (letters, digits, /_+=.@-) or its ARN",
            );
        }
    }
    let n = &c.names;
    for (key, value) in [
        ("names.secret", &n.secret),
        ("names.trail", &n.trail),
        ("names.log_group", &n.log_group),
        ("names.metric_filter", &n.metric_filter),
        ("names.metric_namespace", &n.metric_namespace),
        ("names.metric_name", &n.metric_name),
        ("names.alarm", &n.alarm),
        ("names.topic", &n.topic),
    ] {
        if value.trim().is_empty() || value.chars().any(char::is_control) || value.len() > 512 {
            return bad(
                key,
                value.clone(),
                "must be a resource name: not empty, one line, at most 512 characters",
            );
        }
    }
    if let Some(email) = &c.setup.email
        && !plausible_email(email)
    {
        return bad(
            "setup.email",
            email.clone(),
            "must be one email address, like security@example.com",
        );
    }
    Ok(())
}

/// A secret's name (letters, digits and /_+=.@-) or its ARN (which adds ':').
pub fn plausible_secret_id(text: &str) -> bool {
    let allowed = |c: char| c.is_ascii_alphanumeric() || "/_+=.@-:".contains(c);
    !text.is_empty() && text.len() <= 2048 && text.chars().all(allowed)
}

/// One address: something@domain, no spaces or separators (SNS checks the rest).
pub fn plausible_email(text: &str) -> bool {
    match text.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains('@')
                && text
                    .chars()
                    .all(|c| c.is_ascii_graphic() && c != ',' && c != ';')
        }
        None => false,
    }
}
