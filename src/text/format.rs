//! Short forms of AWS names and times for narrow columns.

use chrono::{DateTime, Utc};

/// `arn:aws:iam::123:user/alice` → `user/alice`;
/// `arn:aws:sts::123:assumed-role/app/i-0ab` → `role/app/i-0ab`.
pub fn short_principal(principal: &str) -> String {
    let tail = principal.rsplit(':').next().unwrap_or(principal);
    match tail.strip_prefix("assumed-role/") {
        Some(rest) => format!("role/{rest}"),
        None => tail.to_string(),
    }
}

/// A secret's ARN → its name (the ARN ends in `:secret:NAME-XXXXXX`).
pub fn short_secret(secret: &str) -> String {
    match secret.split_once(":secret:") {
        Some((_, name_and_suffix)) => match name_and_suffix.rsplit_once('-') {
            Some((name, suffix)) if suffix.len() == 6 => name.to_string(),
            _ => name_and_suffix.to_string(),
        },
        None => secret.to_string(),
    }
}

pub fn hms(t: DateTime<Utc>) -> String {
    t.format("%H:%M:%S").to_string()
}

/// `now - then` as `5s`, `3m`, `2h`, `4d`.
pub fn age(then: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let s = (now - then).num_seconds().max(0);
    match s {
        0..60 => format!("{s}s"),
        60..3600 => format!("{}m", s / 60),
        3600..86400 => format!("{}h", s / 3600),
        _ => format!("{}d", s / 86400),
    }
}

/// Seconds until `then`, at least 0.
pub fn secs_until(then: DateTime<Utc>, now: DateTime<Utc>) -> i64 {
    (then - now).num_seconds().max(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortens_arns() {
        assert_eq!(
            short_principal("arn:aws:iam::123456789012:user/alice"),
            "user/alice"
        );
        assert_eq!(
            short_principal("arn:aws:sts::123456789012:assumed-role/app/i-0ab"),
            "role/app/i-0ab"
        );
        assert_eq!(
            short_secret("arn:aws:secretsmanager:us-east-1:1:secret:db/main-AbC123"),
            "db/main"
        );
        assert_eq!(short_secret("TopSecretInfo"), "TopSecretInfo");
        assert_eq!(short_principal(""), "");
    }
}
