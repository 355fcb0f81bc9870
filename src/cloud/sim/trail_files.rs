//! The trail's log files: every five minutes, each trail that records management events
//! writes what it recorded since its last file to its bucket, gzipped JSON as CloudTrail
//! writes it (`{"Records": […]}`, the very records event history holds). Where a queue is
//! notified of the trail's files (CloudTrail's own notification, through SNS), the
//! notification follows seconds later, a share of them minutes late.

use super::queue::Queue;
use super::world::{ACCOUNT, REGION, World, to_delta, uuid};
use crate::cloud::{CloudError, ErrorKind};
use chrono::{DateTime, SecondsFormat, TimeDelta, Utc};
use flate2::Compression;
use flate2::write::GzEncoder;
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::time::Duration;

/// How often a trail writes a file, and how late a late notification is, on top of the lag.
pub const EVERY: Duration = Duration::from_secs(300);
const LATE: (Duration, Duration) = (Duration::from_secs(300), Duration::from_secs(900));

pub struct TrailFiles {
    /// Per bucket, what its trails recorded since the last file.
    pending: HashMap<String, Vec<Value>>,
    /// (bucket, key) → when written, and the gzipped file.
    objects: BTreeMap<(String, String), (DateTime<Utc>, Vec<u8>)>,
    /// The queue notified of each file, when set up.
    pub queue: Option<Queue>,
    /// Their own randomness, so that the files change nothing of the traffic.
    rng: SmallRng,
}

impl TrailFiles {
    pub fn new(seed: u64) -> Self {
        Self {
            pending: HashMap::new(),
            objects: BTreeMap::new(),
            queue: None,
            rng: SmallRng::seed_from_u64(seed.rotate_left(16) ^ 0x7f11e),
        }
    }

    /// A record for the next file of the trail writing to `bucket`.
    pub(super) fn record(&mut self, bucket: &str, event: &Value) {
        self.pending
            .entry(bucket.to_string())
            .or_default()
            .push(event.clone());
    }

    /// GetObject: the file's bytes, refused unread when larger than `max`.
    pub(super) fn object(&self, bucket: &str, key: &str, max: u64) -> Result<Vec<u8>, CloudError> {
        let Some((_, bytes)) = self.objects.get(&(bucket.to_string(), key.to_string())) else {
            return Err(CloudError::new(
                "GetObject",
                ErrorKind::NotFound,
                format!("NoSuchKey: s3://{bucket}/{key}"),
            ));
        };
        if bytes.len() as u64 > max {
            return Err(CloudError::new(
                "GetObject",
                ErrorKind::InvalidInput,
                format!(
                    "s3://{bucket}/{key} is {} bytes, more than {max}: not read",
                    bytes.len()
                ),
            ));
        }
        Ok(bytes.clone())
    }

    /// Puts any object in a bucket, as another writer could.
    pub fn put_object(&mut self, bucket: &str, key: &str, bytes: Vec<u8>, at: DateTime<Utc>) {
        self.objects
            .insert((bucket.to_string(), key.to_string()), (at, bytes));
    }

    /// The keys of the files in `bucket`, oldest first.
    pub fn keys(&self, bucket: &str) -> Vec<String> {
        let mut keys: Vec<(&DateTime<Utc>, &String)> = self
            .objects
            .iter()
            .filter(|((b, _), _)| b == bucket)
            .map(|((_, k), (at, _))| (at, k))
            .collect();
        keys.sort();
        keys.into_iter().map(|(_, k)| k.clone()).collect()
    }

    pub(super) fn prune(&mut self, cut: DateTime<Utc>) {
        self.objects.retain(|_, (at, _)| *at >= cut);
        if let Some(queue) = &mut self.queue {
            queue.prune(cut);
        }
    }
}

impl World {
    /// Every trail's file of the last five minutes, and the notification of each.
    pub(super) fn write_trail_files(&mut self) {
        let now = self.now;
        let mut pending: Vec<(String, Vec<Value>)> = self.trail_files.pending.drain().collect();
        pending.sort_by(|a, b| a.0.cmp(&b.0));
        for (bucket, records) in pending {
            let files = &mut self.trail_files;
            let token: String = (0..16)
                .map(|_| char::from(b"0123456789ABCDEF"[files.rng.random_range(0..16)]))
                .collect();
            let key = format!(
                "AWSLogs/{ACCOUNT}/CloudTrail/{REGION}/{}/{ACCOUNT}_CloudTrail_{REGION}_{}_{token}.json.gz",
                now.format("%Y/%m/%d"),
                now.format("%Y%m%dT%H%MZ")
            );
            let mut gz = GzEncoder::new(Vec::new(), Compression::fast());
            let json = json!({ "Records": records }).to_string();
            // Writing to memory cannot fail.
            if gz.write_all(json.as_bytes()).is_err() {
                continue;
            }
            let Ok(bytes) = gz.finish() else { continue };
            files.put_object(&bucket, &key, bytes, now);
            if files.queue.is_none() {
                continue;
            }
            let mut lag = TimeDelta::milliseconds(files.rng.random_range(5_000..=60_000));
            if files
                .rng
                .random_bool(self.timings.trail_file_late.clamp(0.0, 1.0))
            {
                let (lo, hi) = (LATE.0.as_millis() as i64, LATE.1.as_millis() as i64);
                lag += TimeDelta::milliseconds(files.rng.random_range(lo..=hi));
            }
            let message_id = uuid(&mut files.rng);
            let body = notification(&message_id, &bucket, &key, now);
            if let Some(queue) = &mut files.queue {
                queue.send(message_id, body, now, now + lag);
            }
        }
        let next = now + to_delta(EVERY);
        self.schedule(next, super::world::Due::TrailFiles);
    }
}

/// CloudTrail's notification of a new file, as SNS delivers it to a queue (not raw).
fn notification(id: &str, bucket: &str, key: &str, at: DateTime<Utc>) -> String {
    let inner = json!({ "s3Bucket": bucket, "s3ObjectKey": [key] }).to_string();
    json!({
        "Type": "Notification",
        "MessageId": id,
        "TopicArn": format!("arn:aws:sns:{REGION}:{ACCOUNT}:secretwatch-trail-files"),
        "Message": inner,
        "Timestamp": at.to_rfc3339_opts(SecondsFormat::Millis, true),
    })
    .to_string()
}

impl super::SimCloud {
    /// Puts an object in a bucket now, and a notification of it on the trail-file queue
    /// (CloudTrail's, through SNS), as a trail, or anyone who may write there, could.
    pub fn put_trail_file(&self, bucket: &str, key: &str, bytes: Vec<u8>) {
        self.with_world(|w| {
            let now = w.now;
            let files = &mut w.trail_files;
            files.put_object(bucket, key, bytes, now);
            let id = uuid(&mut files.rng);
            let body = notification(&id, bucket, key, now);
            if let Some(queue) = &mut files.queue {
                queue.send(id, body, now, now);
            }
        });
    }

    /// Puts a message of any body on the trail-file queue now.
    pub fn send_trail_file_notice(&self, id: &str, body: &str) {
        self.with_world(|w| {
            let now = w.now;
            if let Some(queue) = &mut w.trail_files.queue {
                queue.send(id.into(), body.into(), now, now);
            }
        });
    }

    /// The keys of the log files in `bucket`, oldest first.
    pub fn trail_file_keys(&self, bucket: &str) -> Vec<String> {
        self.with_world(|w| w.trail_files.keys(bucket))
    }
}
