//! A CloudTrail log file, as the trail writes it to its bucket: gzipped JSON,
//! `{"Records":[…]}`, every call of a few minutes of an account and region. Untrusted: the
//! decompressed size is capped (a gzip bomb must not take the process down), and a file that
//! cannot be read is an error that says why, never a panic. Only the Secrets Manager reads
//! and changes are kept, one record in memory at a time.

use crate::cloud::types::TrailRecord;
use chrono::{DateTime, Utc};
use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use std::fmt;
use std::io::Read;

/// The most a log file may hold once decompressed. CloudTrail's files are a few MB, tens on
/// the busiest accounts.
pub const MAX_LOG_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// Why a log file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum LogFileError {
    #[error("more than {0} bytes once decompressed: not read")]
    TooLarge(u64),
    #[error("not a gzip file, or a damaged one: {0}")]
    NotGzip(std::io::Error),
    #[error("not a CloudTrail log file (JSON with \"Records\"): {0}")]
    NotALogFile(serde_json::Error),
}

/// What one file held: its Secrets Manager reads and changes, and how many records it had
/// in all.
#[derive(Debug, Default)]
pub struct LogFile {
    pub shown: Vec<TrailRecord>,
    pub records: usize,
}

/// The reads and changes in a gzipped log file, decompressing at most `max` bytes.
pub fn shown_in_log_file(gzipped: &[u8], max: u64) -> Result<LogFile, LogFileError> {
    let mut json = Vec::new();
    flate2::read::MultiGzDecoder::new(gzipped)
        .take(max.saturating_add(1))
        .read_to_end(&mut json)
        .map_err(LogFileError::NotGzip)?;
    if json.len() as u64 > max {
        return Err(LogFileError::TooLarge(max));
    }
    shown_in_json(&json)
}

/// The reads and changes in a log file's JSON (already decompressed).
pub fn shown_in_json(json: &[u8]) -> Result<LogFile, LogFileError> {
    let mut file = LogFile::default();
    let mut de = serde_json::Deserializer::from_slice(json);
    Whole(&mut file)
        .deserialize(&mut de)
        .and_then(|()| de.end())
        .map_err(LogFileError::NotALogFile)?;
    Ok(file)
}

/// The record as LookupEvents would give it, if it is a Secrets Manager read or change.
fn shown_record(record: &Value) -> Option<TrailRecord> {
    let text = |key: &str| record.get(key).and_then(Value::as_str).unwrap_or_default();
    if !crate::cloud::types::is_shown(text("eventSource"), text("eventName")) {
        return None;
    }
    let event_time = DateTime::parse_from_rfc3339(text("eventTime"))
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or(DateTime::UNIX_EPOCH);
    Some(TrailRecord {
        event_id: text("eventID").to_string(),
        event_time,
        event_name: text("eventName").to_string(),
        event_source: text("eventSource").to_string(),
        cloudtrail_event: record.to_string(),
    })
}

/// The file's object: `Records` read one by one, every other key skipped.
struct Whole<'a>(&'a mut LogFile);

impl<'de> DeserializeSeed<'de> for Whole<'_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Whole<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object with \"Records\"")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut found = false;
        while let Some(key) = map.next_key::<String>()? {
            if key == "Records" {
                map.next_value_seed(Records(&mut *self.0))?;
                found = true;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        if found {
            Ok(())
        } else {
            Err(serde::de::Error::missing_field("Records"))
        }
    }
}

struct Records<'a>(&'a mut LogFile);

impl<'de> DeserializeSeed<'de> for Records<'_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Records<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of CloudTrail records")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(record) = seq.next_element::<Value>()? {
            self.0.records += 1;
            self.0.shown.extend(shown_record(&record));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::Compression;
    use flate2::write::GzEncoder;
    use std::io::Write;

    fn gzip(bytes: &[u8]) -> Vec<u8> {
        let mut e = GzEncoder::new(Vec::new(), Compression::default());
        e.write_all(bytes).expect("gzip");
        e.finish().expect("gzip")
    }

    const FILE: &str = r#"{"Records":[
        {"eventVersion":"1.09","eventTime":"2026-12-01T09:00:05Z","eventSource":"secretsmanager.amazonaws.com","eventName":"GetSecretValue","eventID":"r1","requestParameters":{"secretId":"prod-db"},"userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/alice"}},
        {"eventVersion":"1.09","eventTime":"2026-12-01T09:00:06Z","eventSource":"ec2.amazonaws.com","eventName":"DescribeInstances","eventID":"o1"},
        {"eventVersion":"1.09","eventTime":"2026-12-01T09:00:07Z","eventSource":"secretsmanager.amazonaws.com","eventName":"PutSecretValue","eventID":"w1"},
        {"eventVersion":"1.09","eventTime":"2026-12-01T09:00:08Z","eventSource":"secretsmanager.amazonaws.com","eventName":"BatchGetSecretValue","eventID":"r2"}
    ],"Other":{"nested":[1,2]}}"#;

    #[test]
    fn only_the_reads_and_changes_are_kept_each_as_lookup_would_give_it() {
        let file = shown_in_log_file(&gzip(FILE.as_bytes()), MAX_LOG_FILE_BYTES).expect("read");
        assert_eq!(file.records, 4);
        let ids: Vec<&str> = file.shown.iter().map(|r| r.event_id.as_str()).collect();
        assert_eq!(ids, ["r1", "w1", "r2"]);
        let e = crate::access::parse_access_event(&file.shown[0]);
        assert_eq!(&*e.secret, "prod-db");
        assert_eq!(e.principal_shown(), "user/alice");
        assert_eq!(e.time.to_rfc3339(), "2026-12-01T09:00:05+00:00");
    }

    #[test]
    fn a_gzip_bomb_is_refused_within_its_cap() {
        // 64 MiB of zeros compress to about 64 KiB.
        let bomb = gzip(&vec![b'0'; 64 * 1024 * 1024]);
        assert!(bomb.len() < 1024 * 1024);
        assert!(matches!(
            shown_in_log_file(&bomb, 1024 * 1024),
            Err(LogFileError::TooLarge(_))
        ));
    }

    #[test]
    fn damaged_files_say_what_is_wrong() {
        assert!(matches!(
            shown_in_log_file(b"plain text", MAX_LOG_FILE_BYTES),
            Err(LogFileError::NotGzip(_))
        ));
        for json in [&b"{}"[..], b"[]", b"{\"Records\":{}}", b"{\"Records\":[1,"] {
            assert!(
                matches!(shown_in_json(json), Err(LogFileError::NotALogFile(_))),
                "{}",
                String::from_utf8_lossy(json)
            );
        }
        // A record that is not an object is counted and skipped, not an error.
        let file = shown_in_json(br#"{"Records":[1,"x",null]}"#).expect("read");
        assert_eq!((file.records, file.shown.len()), (3, 0));
    }
}
