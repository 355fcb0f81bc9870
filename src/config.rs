//! The config file: TOML in the platform's config dir (or `--config`). Every field is
//! optional with the defaults of DESIGN.md; unknown keys and bad values are refused
//! with the file, the line and the reason.

use crate::cloud::names::ChainNames;
use crate::cloud::types::MetricId;
use crate::text::sanitize::sanitize_line;
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}:{line}:{column}: {message}")]
    Invalid {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{path}: {key} = {value}: {why}")]
    BadValue {
        path: PathBuf,
        key: &'static str,
        value: String,
        why: &'static str,
    },
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    /// Secrets whose accesses are shown (names or ARNs); empty: every secret.
    #[serde(default)]
    pub secrets: Vec<String>,
    #[serde(default)]
    pub names: Names,
    #[serde(default)]
    pub poll: Poll,
    #[serde(default)]
    pub setup: Setup,
    #[serde(default)]
    pub ack: AckSettings,
}

/// What acknowledging does beyond the journal.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AckSettings {
    /// Also SetAlarmState to OK, with a reason naming who acknowledged. Off by default:
    /// if the metric still breaches, the alarm fires again at its next evaluation.
    pub set_alarm_ok: bool,
}

/// What setup does beyond the names.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Setup {
    /// The address setup subscribes to the topic (from the dashboard too); `--email`
    /// overrides it.
    pub email: Option<String>,
}

/// Names of the chain's resources.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Names {
    pub secret: String,
    pub trail: String,
    pub log_group: String,
    pub metric_filter: String,
    pub metric_namespace: String,
    pub metric_name: String,
    pub alarm: String,
    pub topic: String,
    /// The alarm's period in seconds (300 on AWS, as the classic setup has it).
    pub alarm_period_secs: u64,
}

impl Default for Names {
    fn default() -> Self {
        let d = ChainNames::default();
        Self {
            secret: d.secret,
            trail: d.trail,
            log_group: d.log_group,
            metric_filter: d.metric_filter,
            metric_namespace: d.metric.namespace,
            metric_name: d.metric.name,
            alarm: d.alarm,
            topic: d.topic,
            alarm_period_secs: 300,
        }
    }
}

impl Names {
    pub fn chain(&self) -> ChainNames {
        ChainNames {
            secret: self.secret.clone(),
            trail: self.trail.clone(),
            log_group: self.log_group.clone(),
            metric_filter: self.metric_filter.clone(),
            metric: MetricId {
                namespace: self.metric_namespace.clone(),
                name: self.metric_name.clone(),
            },
            alarm: self.alarm.clone(),
            topic: self.topic.clone(),
            email: ChainNames::default().email,
            alarm_period: Duration::from_secs(self.alarm_period_secs),
        }
    }
}

/// How often each source is read, on AWS.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Poll {
    pub events_secs: u64,
    pub metric_secs: u64,
    pub alarms_secs: u64,
    /// How much already-read history each events poll reads again (late deliveries).
    pub overlap_mins: u64,
    /// How far back the first events poll reads.
    pub backfill_mins: u64,
    /// LookupEvents calls per second (AWS allows 2 per account and region).
    pub lookups_per_second: f64,
}

impl Default for Poll {
    fn default() -> Self {
        Self {
            events_secs: 15,
            metric_secs: 60,
            alarms_secs: 30,
            overlap_mins: 20,
            backfill_mins: 60,
            lookups_per_second: 1.0,
        }
    }
}

impl FileConfig {
    /// The engine's settings on AWS: the file's, with `--secret` flags taking precedence.
    pub fn engine(&self, secrets: &[String], seed: u64) -> crate::engine::EngineConfig {
        let names = self.names.chain();
        let p = &self.poll;
        let mut engine = crate::engine::EngineConfig::demo(&names, seed);
        engine.events_every = Duration::from_secs(p.events_secs);
        engine.metric_every = Duration::from_secs(p.metric_secs);
        engine.alarms_every = Duration::from_secs(p.alarms_secs);
        engine.overlap = Duration::from_secs(p.overlap_mins * 60);
        engine.backfill = Duration::from_secs(p.backfill_mins * 60);
        engine.lookups_per_second = p.lookups_per_second;
        engine.setup_email = self.setup.email.clone();
        engine.ack_sets_alarm_ok = self.ack.set_alarm_ok;
        engine.secrets = if secrets.is_empty() {
            self.secrets.clone()
        } else {
            secrets.to_vec()
        };
        engine
    }
}

/// The default file: `<config dir>/secretwatch/config.toml`.
pub fn default_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "secretwatch")
        .map(|d| d.config_dir().join("config.toml"))
}

/// Loads `explicit` (which must exist) or the default file (which may not).
pub fn load(explicit: Option<&Path>) -> Result<(FileConfig, Option<PathBuf>), ConfigError> {
    let path = match explicit {
        Some(p) => p.to_path_buf(),
        None => match default_path() {
            Some(p) if p.exists() => p,
            _ => return Ok((FileConfig::default(), None)),
        },
    };
    let text = std::fs::read_to_string(&path).map_err(|source| ConfigError::Read {
        path: path.clone(),
        source,
    })?;
    let config = parse(&text, &path)?;
    Ok((config, Some(path)))
}

pub fn parse(text: &str, path: &Path) -> Result<FileConfig, ConfigError> {
    let config: FileConfig = toml::from_str(text).map_err(|e| {
        let (line, column) = e.span().map(|s| line_col(text, s.start)).unwrap_or((1, 1));
        ConfigError::Invalid {
            path: path.to_path_buf(),
            line,
            column,
            message: sanitize_line(e.message(), 400),
        }
    })?;
    validate(&config, path)?;
    Ok(config)
}

fn validate(c: &FileConfig, path: &Path) -> Result<(), ConfigError> {
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
    let period = c.names.alarm_period_secs;
    if !(60..=86_400).contains(&period) || !period.is_multiple_of(60) {
        return bad(
            "names.alarm_period_secs",
            period.to_string(),
            "must be a multiple of 60 from 60 to 86400 (standard-resolution metrics)",
        );
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

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(text: &str) -> Result<FileConfig, ConfigError> {
        parse(text, Path::new("config.toml"))
    }

    #[test]
    fn an_empty_file_gives_the_defaults() {
        let c = parse_str("").expect("valid");
        assert_eq!(c.names.alarm, "SecretIsAccessed-alarm");
        assert_eq!(c.poll.events_secs, 15);
        assert!(c.secrets.is_empty());
    }

    #[test]
    fn fields_override_the_defaults() {
        let c = parse_str("secrets = [\"db\"]\n[names]\nalarm = \"x\"\n[poll]\nevents_secs = 5\n")
            .expect("valid");
        assert_eq!(c.secrets, vec!["db"]);
        assert_eq!(c.names.alarm, "x");
        assert_eq!(c.poll.events_secs, 5);
        assert_eq!(c.names.trail, "secretwatch-trail");
    }

    #[test]
    fn unknown_keys_are_refused_with_file_line_and_name() {
        let err = parse_str("[poll]\nevents_secs = 5\nevent_secs = 3\n").expect_err("unknown key");
        let text = err.to_string();
        assert!(text.starts_with("config.toml:3:"), "{text}");
        assert!(text.contains("event_secs"), "{text}");
    }

    #[test]
    fn bad_values_are_refused_with_the_reason() {
        let err = parse_str("[poll]\nlookups_per_second = 5.0\n").expect_err("too fast");
        assert!(err.to_string().contains("poll.lookups_per_second"), "{err}");
        let err = parse_str("[names]\nalarm_period_secs = 90\n").expect_err("not a minute");
        assert!(err.to_string().contains("multiple of 60"), "{err}");
        let err = parse_str("[poll]\nbackfill_mins = 99999999999\n").expect_err("huge");
        assert!(err.to_string().contains("90 days"), "{err}");
        let err = parse_str("[names]\nalarm_period_secs = 9999999960\n").expect_err("huge");
        assert!(err.to_string().contains("86400"), "{err}");
        let err = parse_str("[poll]\nevents_secs = \"fast\"\n").expect_err("wrong type");
        assert!(err.to_string().starts_with("config.toml:2:"), "{err}");
        let err = parse_str("secrets = [\"\"]\n").expect_err("empty secret");
        assert!(err.to_string().contains("secrets"), "{err}");
        let err = parse_str("[names]\nalarm = \"\"\n").expect_err("empty name");
        assert!(err.to_string().contains("names.alarm"), "{err}");
        let err = parse_str("[names]\ntopic = \"a\\u001b[2J\"\n").expect_err("escape");
        assert!(err.to_string().contains("names.topic"), "{err}");
        assert!(!err.to_string().contains('\u{1b}'), "shown back raw: {err}");
    }

    #[test]
    fn the_readmes_example_is_a_valid_config() {
        let readme = include_str!("../README.md");
        let start = readme.find("```toml\n").expect("a TOML example") + 8;
        let end = start + readme[start..].find("```").expect("its end");
        let c = parse_str(&readme[start..end]).expect("the README's config parses");
        assert_eq!(c.setup.email.as_deref(), Some("security@example.com"));
    }

    #[test]
    fn the_setup_email_must_be_one_address() {
        let c = parse_str("[setup]\nemail = \"sec@example.com\"\n").expect("valid");
        assert_eq!(
            c.engine(&[], 1).setup_email.as_deref(),
            Some("sec@example.com")
        );
        for bad in [
            "nobody",
            "a@b",
            "a@b.com,c@d.com",
            "a b@c.com",
            "@c.com",
            "a@.com",
        ] {
            let err = parse_str(&format!("[setup]\nemail = \"{bad}\"\n")).expect_err(bad);
            assert!(err.to_string().contains("setup.email"), "{err}");
        }
        assert_eq!(
            parse_str("").expect("valid").engine(&[], 1).setup_email,
            None
        );
    }
}
