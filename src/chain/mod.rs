//! The alert chain as a whole: the doctor that checks every link by its meaning, and
//! the setup that builds or fixes what it finds missing.

mod alarm_queue;
mod apply;
pub mod doctor;
mod doctor_home;
mod doctor_sources;
mod fast_path_plan;
mod filter_plan;
mod fixes;
pub mod latency;
pub mod noise;
mod pattern_trial;
mod plan_text;
mod rules;

/// How a fix that setup makes is said to be made (in the focused scope).
pub use rules::BY_SETUP;
pub mod scopes;
pub mod setup;
mod trail_files_plan;

pub use doctor_home::{Homes, elsewhere};
pub use rules::{log_group_name, pick_trail, says_no_filter};

use serde::{Deserialize, Serialize};

/// Which event sources the dashboard reads beside LookupEvents, which needs no setup:
/// `[sources]` in the config. The doctor checks, and setup sets up, those on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Sources {
    /// The fast path: an EventBridge rule sending each read to a queue of secretwatch's.
    pub eventbridge: bool,
    /// The trail's log files, through a queue of secretwatch's told of each (by the trail's
    /// topic, or its bucket's events). Off by default: it pays off at volume, or with an
    /// organization trail.
    pub trail_files: bool,
}

impl Default for Sources {
    fn default() -> Self {
        Self {
            eventbridge: true,
            trail_files: false,
        }
    }
}

/// The links of the chain, in the order an access travels them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChainLink {
    Secret,
    Trail,
    Delivery,
    MetricFilter,
    Alarm,
    Notify,
    /// The dashboard's fast path (EventBridge rule → queue): not part of the chain.
    FastPath,
    /// The dashboard's trail-file source (topic or bucket events → queue): not either.
    TrailFiles,
    /// The trail's own SNS notification, which is not part of the chain but often set.
    TrailNotifications,
    /// How often the alarm fires, and for whom: not a link, the doctor's advice on it.
    Noise,
    /// The queue of secretwatch's own on the alarm's topic, where a trace sees the message
    /// arrive: not a link either.
    AlarmQueue,
    /// How fast the chain is, from the traces kept: advice too.
    Trace,
}

impl ChainLink {
    /// The doctor's advice beside the chain: not in the strip, the link count or the exit
    /// code.
    pub fn is_advice(self) -> bool {
        matches!(
            self,
            ChainLink::Noise | ChainLink::AlarmQueue | ChainLink::Trace
        )
    }

    pub fn label(self) -> &'static str {
        match self {
            ChainLink::Secret => "secret",
            ChainLink::Trail => "trail",
            ChainLink::Delivery => "trail → logs",
            ChainLink::MetricFilter => "metric filter",
            ChainLink::Alarm => "alarm",
            ChainLink::Notify => "notify",
            ChainLink::FastPath => "eventbridge",
            ChainLink::TrailFiles => "trail files",
            ChainLink::TrailNotifications => "trail SNS",
            ChainLink::Noise => "noise",
            ChainLink::AlarmQueue => "alarm queue",
            ChainLink::Trace => "trace",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkState {
    Ok,
    Warning,
    Broken,
    /// Could not be checked; the evidence says why.
    Unknown,
}

/// What the doctor found about one link: the verdict, what it rests on, and the fix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub link: ChainLink,
    pub state: LinkState,
    pub summary: String,
    /// Which API answer the verdict rests on.
    pub evidence: String,
    pub fix: Option<String>,
}

impl Finding {
    fn new(link: ChainLink, state: LinkState, summary: impl Into<String>) -> Self {
        Self {
            link,
            state,
            summary: summary.into(),
            evidence: String::new(),
            fix: None,
        }
    }

    fn evidence(mut self, evidence: impl Into<String>) -> Self {
        self.evidence = evidence.into();
        self
    }

    fn fix(mut self, fix: impl Into<String>) -> Self {
        self.fix = Some(fix.into());
        self
    }
}
