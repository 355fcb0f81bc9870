//! Backfill from the trail's bucket: the log files of the window the dashboard opens on,
//! listed by their date prefixes (`[KEYPREFIX/]AWSLogs/[o-ORGID/]ACCOUNT/CloudTrail/REGION/
//! YYYY/MM/DD/`, the organization's folder found by listing), read
//! oldest first, each file's reads sent as they come, with the progress (files read of
//! files found) for the status bar. On a busy account this is how hours of history show in
//! seconds, with no LookupEvents budget spent. A file already read is not read again when
//! a failed backfill resumes.

use super::sources::Context;
use super::trail_files::read_log_file;
use super::{Source, Update};
use crate::cloud::CloudError;
use crate::watched::Watch;
use chrono::{DateTime, NaiveDateTime, TimeDelta, Utc};
use std::collections::HashSet;
use tokio::sync::mpsc::UnboundedSender;

/// A file holds about five minutes of calls up to the time in its name; CloudTrail writes
/// it within about fifteen. Files named this much either side of the window are read.
const MARGIN: TimeDelta = TimeDelta::minutes(20);

#[derive(Default)]
pub struct Backfill {
    done: bool,
    read: HashSet<String>,
}

impl Backfill {
    /// Reads the window's files once; Ok(()) when done (or when there is no trail, or no
    /// window, to read).
    pub async fn run(
        &mut self,
        ctx: &Context,
        watch: &Watch,
        out: &UnboundedSender<Update>,
    ) -> Result<(), CloudError> {
        if self.done || ctx.config.backfill.is_zero() {
            return Ok(());
        }
        let cloud = ctx.cloud.as_ref();
        let now = ctx.clock.now();
        let from = now - TimeDelta::from_std(ctx.config.backfill).unwrap_or(TimeDelta::hours(1));
        let trails = cloud.trails().await?;
        let Some(trail) = crate::chain::pick_trail(&trails, &ctx.config.names.trail) else {
            self.done = true;
            return Ok(());
        };
        let id = cloud.identity().await?;
        // `[KEYPREFIX/]AWSLogs/`, then `o-ORGID/` for an organization trail, found by listing.
        let mut base = logs_root(trail.key_prefix.as_deref());
        if trail.organization {
            let folders = cloud.list_folders(&trail.bucket, &base).await?;
            if let Some(org) = folders
                .into_iter()
                .find(|f| f[base.len()..].starts_with("o-"))
            {
                base = org;
            }
        }
        let mut keys = Vec::new();
        let last = (now + MARGIN).date_naive();
        let mut day = (from - MARGIN).date_naive();
        while day <= last {
            let prefix = format!(
                "{base}{}/CloudTrail/{}/{}/",
                id.account,
                id.region,
                day.format("%Y/%m/%d")
            );
            keys.extend(cloud.list_log_files(&trail.bucket, &prefix).await?);
            match day.succ_opt() {
                Some(next) => day = next,
                None => break,
            }
        }
        let mut keys: Vec<(DateTime<Utc>, String)> = keys
            .into_iter()
            .filter_map(|k| stamp(&k).map(|t| (t, k)))
            .filter(|(t, _)| *t >= from - MARGIN && *t <= now + MARGIN)
            .collect();
        keys.sort();
        let total = keys.len();
        for (i, (_, key)) in keys.iter().enumerate() {
            if self.read.contains(key) {
                continue;
            }
            read_log_file(cloud, &trail.bucket, key, watch, Some(from), out).await?;
            self.read.insert(key.clone());
            let _ = out.send(Update::Backfill {
                source: Source::TrailFiles,
                done: i + 1,
                total,
            });
        }
        self.done = true;
        Ok(())
    }
}

/// Where a trail's `AWSLogs/` folder is: under its key prefix, when it has one.
fn logs_root(key_prefix: Option<&str>) -> String {
    match key_prefix
        .map(|p| p.trim_matches('/'))
        .filter(|p| !p.is_empty())
    {
        Some(prefix) => format!("{prefix}/AWSLogs/"),
        None => "AWSLogs/".into(),
    }
}

/// The time in a log file's name: `…_CloudTrail_REGION_20261202T1005Z_…`.
pub fn stamp(key: &str) -> Option<DateTime<Utc>> {
    let name = key.rsplit('/').next()?;
    name.split('_')
        .find(|part| {
            part.len() == 14 && part.ends_with('Z') && part.as_bytes().get(8) == Some(&b'T')
        })
        .and_then(|t| NaiveDateTime::parse_from_str(t, "%Y%m%dT%H%MZ").ok())
        .map(|t| t.and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_logs_folder_is_under_the_trails_key_prefix() {
        assert_eq!(logs_root(None), "AWSLogs/");
        assert_eq!(logs_root(Some("")), "AWSLogs/");
        assert_eq!(logs_root(Some("audit/trail/")), "audit/trail/AWSLogs/");
    }

    #[test]
    fn the_time_is_read_from_the_files_name_and_anything_else_has_none() {
        let key = "AWSLogs/1/CloudTrail/eu-west-1/2026/12/02/1_CloudTrail_eu-west-1_20261202T1005Z_aBc.json.gz";
        assert_eq!(
            stamp(key).map(|t| t.to_rfc3339()),
            Some("2026-12-02T10:05:00+00:00".into())
        );
        assert_eq!(stamp("AWSLogs/1/CloudTrail/x/notes.txt"), None);
        assert_eq!(stamp("a_20261302T1005Z_b.json.gz"), None, "no 13th month");
    }
}
