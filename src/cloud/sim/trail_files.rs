//! The trail's log files: every five minutes, each trail that records management events
//! writes what it recorded since its last file to its bucket, gzipped JSON as CloudTrail
//! writes it (`{"Records": […]}`, the very records event history holds). Where a queue is
//! notified of the trail's files (CloudTrail's own notification, through SNS), the
//! notification follows seconds later, a share of them minutes late.

use super::queue::Queue;
use super::world::{World, to_delta, uuid};
use crate::cloud::queue_policy::{self, Sender, Sending};
use crate::cloud::types::Feed;
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
    /// Per bucket, the queues its event notifications send each object created to.
    notifications: HashMap<String, Vec<String>>,
    /// Their own randomness, so that the files change nothing of the traffic.
    rng: SmallRng,
}

impl TrailFiles {
    pub fn new(seed: u64) -> Self {
        Self {
            pending: HashMap::new(),
            objects: BTreeMap::new(),
            queue: None,
            notifications: HashMap::new(),
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

    /// PutBucketNotificationConfiguration, adding a queue (the others kept).
    pub fn notify(&mut self, bucket: &str, queue_arn: &str) {
        let queues = self.notifications.entry(bucket.to_string()).or_default();
        if !queues.iter().any(|q| q == queue_arn) {
            queues.push(queue_arn.to_string());
        }
    }

    /// The queues the bucket notifies of objects created.
    pub fn notified_queues(&self, bucket: &str) -> Vec<String> {
        self.notifications.get(bucket).cloned().unwrap_or_default()
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

    /// ListObjectsV2 under `prefix`.
    pub(super) fn keys_under(&self, bucket: &str, prefix: &str) -> Vec<String> {
        let mut keys = self.keys(bucket);
        keys.retain(|k| k.starts_with(prefix));
        keys
    }

    /// ListObjectsV2 with the delimiter `/`: the folders right under `prefix`.
    pub(super) fn folders(&self, bucket: &str, prefix: &str) -> Vec<String> {
        let mut folders: Vec<String> = self
            .keys_under(bucket, prefix)
            .iter()
            .filter_map(|k| {
                let (folder, _) = k[prefix.len()..].split_once('/')?;
                Some(format!("{prefix}{folder}/"))
            })
            .collect();
        folders.sort();
        folders.dedup();
        folders
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
    /// Whether the trail-file queue hears of a new file in `bucket`: as on AWS, through the
    /// bucket's event notifications or the topic of a trail writing there, each only where
    /// the queue's policy lets that sender send.
    fn queue_notified_of(&self, bucket: &str) -> bool {
        let Some(queue) = &self.trail_files.queue else {
            return false;
        };
        let arn = self.sqs_arn(&queue.name);
        let lets = |sender: &Sender| {
            queue_policy::sending(queue.policy.as_deref(), &arn, sender) != Sending::Refused
        };
        let by_bucket = self.trail_files.notified_queues(bucket).contains(&arn)
            && lets(&Sender::bucket("aws", bucket));
        let by_topic =
            self.trails
                .iter()
                .filter(|t| t.bucket == bucket)
                .filter_map(|t| t.sns_topic.as_deref())
                .any(|topic| {
                    self.sns.topics.iter().any(|t| {
                        t.arn == topic && t.subscriptions.iter().any(|s| s.endpoint == arn)
                    }) && lets(&Sender::topic(topic))
                });
        by_bucket || by_topic
    }

    /// SNS Subscribe with the sqs protocol: confirmed at once, as within one account.
    pub(super) fn subscribe_queue(
        &mut self,
        topic: &str,
        queue_arn: &str,
    ) -> Result<(), CloudError> {
        let Some(t) = self.sns.topic_mut(topic) else {
            return Err(CloudError::new(
                "Subscribe",
                ErrorKind::NotFound,
                format!("NotFound: Topic does not exist: {topic}"),
            ));
        };
        if !t.subscriptions.iter().any(|s| s.endpoint == queue_arn) {
            t.subscriptions.push(super::sns::Subscription {
                endpoint: queue_arn.to_string(),
                confirmed: true,
            });
        }
        Ok(())
    }

    /// Every trail's file of the last five minutes, and the notification of each.
    pub(super) fn write_trail_files(&mut self) {
        let now = self.now;
        let mut pending: Vec<(String, Vec<Value>)> = self.trail_files.pending.drain().collect();
        pending.sort_by(|a, b| a.0.cmp(&b.0));
        for (bucket, records) in pending {
            let org = self
                .trails
                .iter()
                .any(|t| t.bucket == bucket && t.organization);
            let root = if org {
                "AWSLogs/o-exampleorg/"
            } else {
                "AWSLogs/"
            };
            let files = &mut self.trail_files;
            let token: String = (0..16)
                .map(|_| char::from(b"0123456789ABCDEF"[files.rng.random_range(0..16)]))
                .collect();
            let (account, region) = (&self.account, &self.region);
            let key = format!(
                "{root}{account}/CloudTrail/{region}/{}/{account}_CloudTrail_{region}_{}_{token}.json.gz",
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
            if !self.queue_notified_of(&bucket) {
                continue;
            }
            let files = &mut self.trail_files;
            let mut lag = TimeDelta::milliseconds(files.rng.random_range(5_000..=60_000));
            if files
                .rng
                .random_bool(self.timings.trail_file_late.clamp(0.0, 1.0))
            {
                let (lo, hi) = (LATE.0.as_millis() as i64, LATE.1.as_millis() as i64);
                lag += TimeDelta::milliseconds(files.rng.random_range(lo..=hi));
            }
            let message_id = uuid(&mut files.rng);
            let topic = self.arn("sns", "secretwatch-trail-files");
            let body = notification(&message_id, &topic, &bucket, &key, now);
            self.enqueue(Feed::TrailFiles, message_id, body, now + lag);
        }
        let next = now + to_delta(EVERY);
        self.schedule(next, super::world::Due::TrailFiles);
    }
}

/// CloudTrail's notification of a new file, as SNS delivers it to a queue (not raw).
fn notification(id: &str, topic: &str, bucket: &str, key: &str, at: DateTime<Utc>) -> String {
    let inner = json!({ "s3Bucket": bucket, "s3ObjectKey": [key] }).to_string();
    json!({
        "Type": "Notification",
        "MessageId": id,
        "TopicArn": topic,
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
            let topic = w.arn("sns", "secretwatch-trail-files");
            let body = notification(&id, &topic, bucket, key, now);
            w.enqueue(Feed::TrailFiles, id, body, now);
        });
    }

    /// Puts a message of any body on the trail-file queue now.
    pub fn send_trail_file_notice(&self, id: &str, body: &str) {
        self.with_world(|w| w.enqueue(Feed::TrailFiles, id.into(), body.into(), w.now));
    }
}
