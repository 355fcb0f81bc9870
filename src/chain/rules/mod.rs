//! One rule per link: pure judgements over what the account described, one file each.

mod alarm;
pub mod arrivals;
mod delivery;
mod fast_path;
mod metric_filter;
mod notify;
mod secret;
mod trail;
mod trail_files;
mod trail_notifications;

pub use crate::cloud::links::log_group_name;

/// How a fix that setup makes is made: said after what the fix is.
pub const BY_SETUP: &str = "`s` then `y` in the dashboard, or `secretwatch setup`";

/// A fix setup makes: what, then how to have setup make it.
fn by_setup(what: impl std::fmt::Display) -> String {
    format!("{what}: {BY_SETUP}")
}
pub use alarm::alarm;
pub use delivery::delivery;
pub use fast_path::{FastPathSeen, fast_path};
pub use metric_filter::{PatternTest, counted_by, keep_one, metric_filter, says_no_filter};
pub use notify::notify;
pub use secret::{secret, watched_secret};
pub use trail::{pick_trail, trail};
pub use trail_files::{Announcer, TrailFilesSeen, trail_files};
pub use trail_notifications::trail_notifications;

#[cfg(test)]
mod tests;
