//! The config file: TOML in the platform's config dir (or `--config`). Every field is
//! optional with a default; unknown keys and bad values are refused
//! with the file, the line and the reason.

mod check;
pub mod keys;
#[cfg(test)]
mod tests;

pub use crate::cloud::scope::plausible_region;
pub use check::{plausible_email, plausible_secret_id};

use crate::cloud::names::ChainNames;
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

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    /// Secrets whose accesses are shown (names or ARNs); empty: every secret.
    #[serde(default)]
    pub secrets: Vec<String>,
    #[serde(default = "ChainNames::on_aws")]
    pub names: ChainNames,
    #[serde(default)]
    pub poll: Poll,
    #[serde(default)]
    pub setup: Setup,
    #[serde(default)]
    pub ack: AckSettings,
    #[serde(default)]
    pub sources: crate::chain::Sources,
    #[serde(default)]
    pub scopes: Scopes,
    #[serde(default)]
    pub first_seen: FirstSeenSettings,
    /// The dashboard's keys, where they differ from the standard ones.
    #[serde(default)]
    pub keys: keys::Keys,
    #[serde(default)]
    pub ui: UiSettings,
}

/// How the dashboard looks.
#[derive(Debug, Clone, Copy, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct UiSettings {
    /// The terminal's background: `dark` (the default) or `light`.
    pub theme: crate::ui::theme::Theme,
}

/// What is marked as first seen, and how.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FirstSeenSettings {
    /// How far back the history is read to learn who reads each secret, when the baseline
    /// is made (the first start).
    pub learn_mins: u64,
    /// Ring the terminal bell when a reader is first seen.
    pub bell: bool,
}

impl Default for FirstSeenSettings {
    fn default() -> Self {
        Self {
            learn_mins: 24 * 60,
            bell: false,
        }
    }
}

/// Where to look beyond one account in one region.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Scopes {
    /// The regions watched, the first focused; empty: the profile's region alone.
    pub regions: Vec<String>,
    /// More accounts, by profile (`--profile` on the command line replaces them).
    pub profiles: Vec<String>,
    /// Every account of the organization, through `role`.
    pub organization: bool,
    /// The role assumed in the organization's accounts.
    pub role: String,
}

impl Default for Scopes {
    fn default() -> Self {
        Self {
            regions: Vec::new(),
            profiles: Vec::new(),
            organization: false,
            role: "secretwatch-read-only".into(),
        }
    }
}

impl Default for FileConfig {
    fn default() -> Self {
        Self {
            secrets: Vec::new(),
            names: ChainNames::on_aws(),
            poll: Poll::default(),
            setup: Setup::default(),
            ack: AckSettings::default(),
            sources: crate::chain::Sources::default(),
            scopes: Scopes::default(),
            first_seen: FirstSeenSettings::default(),
            keys: keys::Keys::new(),
            ui: UiSettings::default(),
        }
    }
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
        let p = &self.poll;
        let mut engine = crate::engine::EngineConfig::demo(&self.names, seed);
        engine.events_every = Duration::from_secs(p.events_secs);
        // While the fast path delivers, LookupEvents only reconciles: CloudTrail's history
        // lags minutes anyway, and its budget is shared with the account's other tools.
        engine.reconcile_every = (engine.events_every * 8).max(Duration::from_secs(120));
        engine.metric_every = Duration::from_secs(p.metric_secs);
        engine.alarms_every = Duration::from_secs(p.alarms_secs);
        engine.alarms_firing_every = engine.alarms_every;
        engine.overlap = Duration::from_secs(p.overlap_mins * 60);
        engine.settle = engine.overlap;
        engine.backfill = Duration::from_secs(p.backfill_mins * 60);
        engine.lookups_per_second = p.lookups_per_second;
        engine.setup_email = self.setup.email.clone();
        engine.ack_sets_alarm_ok = self.ack.set_alarm_ok;
        engine.event_sources = self.sources;
        if !self.sources.eventbridge {
            engine
                .sources
                .retain(|s| *s != crate::engine::Source::FastPath);
        }
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
    check::validate(&config, path)?;
    keys::keymap(&config.keys).map_err(|(span, message)| {
        let (line, column) = line_col(text, span.start);
        ConfigError::Invalid {
            path: path.to_path_buf(),
            line,
            column,
            message: sanitize_line(&message, 400),
        }
    })?;
    Ok(config)
}

impl FileConfig {
    /// The dashboard's effective keys (checked when the file was read).
    pub fn keymap(&self) -> crate::ui::keymap::Keymap {
        keys::keymap(&self.keys).unwrap_or_else(|_| crate::ui::keymap::Keymap::standard())
    }
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}
