//! The accesses shown, written to a file for another tool: JSON lines (each as `events
//! --json` prints it) or CSV (the same fields, a header first). The file is new (never
//! overwritten), private to its owner, and named with the time and the filter, so that two
//! exports never collide and each says what it holds.

use crate::access::AccessEvent;
use chrono::{DateTime, Utc};
use std::io::{self, BufWriter, Write};
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    JsonLines,
    Csv,
}

impl Format {
    fn extension(self) -> &'static str {
        match self {
            Format::JsonLines => "jsonl",
            Format::Csv => "csv",
        }
    }
}

/// `secretwatch-20261203T071800Z-type_human_ip_10.0.0.0_8.jsonl`: the time, then the filter
/// with every character a file name should not hold made `_` (at most 60), or `all`.
pub fn file_name(now: DateTime<Utc>, filter: &str, format: Format) -> String {
    let mut words: String = filter
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-') {
                c
            } else {
                '_'
            }
        })
        .take(60)
        .collect();
    words = words.trim_matches('_').to_string();
    if words.is_empty() {
        words = "all".into();
    }
    format!(
        "secretwatch-{}-{words}.{}",
        now.format("%Y%m%dT%H%M%SZ"),
        format.extension()
    )
}

/// Writes `accesses` to the new file `path`; how many were written.
pub fn write(accesses: &[AccessEvent], path: &Path, format: Format) -> io::Result<usize> {
    let file = crate::private_files::create_new(path)?;
    let mut out = BufWriter::new(file);
    match format {
        Format::JsonLines => {
            for access in accesses {
                serde_json::to_writer(&mut out, access)?;
                out.write_all(b"\n")?;
            }
        }
        Format::Csv => write_csv(accesses, &mut out)?,
    }
    out.into_inner()
        .map_err(io::IntoInnerError::into_error)?
        .sync_all()?;
    Ok(accesses.len())
}

fn write_csv(accesses: &[AccessEvent], out: &mut impl Write) -> io::Result<()> {
    let mut csv = csv::Writer::from_writer(out);
    for (i, access) in accesses.iter().enumerate() {
        let serde_json::Value::Object(mut fields) = serde_json::to_value(access)? else {
            continue;
        };
        // A change in words, not an object in a cell.
        if let Some(change) = &access.change {
            fields.insert("change".into(), serde_json::Value::String(change.words()));
        }
        if i == 0 {
            csv.write_record(fields.keys())?;
        }
        csv.write_record(fields.values().map(cell))?;
    }
    csv.flush()
}

/// A value as a CSV cell: text as it is, null as nothing; a cell a spreadsheet would run as
/// a formula (`=`, `+`, `-`, `@`, tab, carriage return first) is quoted with `'`, since every
/// text came from a CloudTrail record anyone could shape.
fn cell(value: &serde_json::Value) -> String {
    let text = match value {
        serde_json::Value::Null => String::new(),
        serde_json::Value::String(s) => s.clone(),
        // `first_seen`: its words, spaced.
        serde_json::Value::Array(items) => items
            .iter()
            .map(|i| i.as_str().map_or_else(|| i.to_string(), str::to_string))
            .collect::<Vec<_>>()
            .join(" "),
        other => other.to_string(),
    };
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_say_when_and_what() {
        let at = DateTime::UNIX_EPOCH;
        assert_eq!(
            file_name(at, "type:human ip:10.0.0.0/8", Format::JsonLines),
            "secretwatch-19700101T000000Z-type_human_ip_10.0.0.0_8.jsonl"
        );
        assert_eq!(
            file_name(at, "", Format::Csv),
            "secretwatch-19700101T000000Z-all.csv"
        );
        assert_eq!(
            file_name(at, "../../etc/passwd", Format::Csv),
            "secretwatch-19700101T000000Z-.._.._etc_passwd.csv"
        );
    }

    #[test]
    fn csv_has_the_json_fields_and_never_a_formula() {
        let json = r#"{"eventName":"PutResourcePolicy","recipientAccountId":"111122223333","requestParameters":{"secretId":"prod","resourcePolicy":"{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\"}}"}}"#;
        let change = crate::access::change::change_of(
            "PutResourcePolicy",
            &serde_json::from_str(json).expect("JSON"),
            "111122223333",
            true,
        );
        let hostile = AccessEvent {
            user_agent: "=HYPERLINK(\"http://x\")".into(),
            change: change.map(std::sync::Arc::new),
            ..AccessEvent::sample()
        };
        let dir = std::env::temp_dir().join(format!("sw-export-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let path = dir.join("a.csv");
        let _ = std::fs::remove_file(&path);
        assert_eq!(
            write(&[AccessEvent::sample(), hostile], &path, Format::Csv).ok(),
            Some(2)
        );
        let text = std::fs::read_to_string(&path).expect("written");
        let lines: Vec<&str> = text.lines().collect();
        assert!(
            lines[0].starts_with("event_id,time,event_name,secret,principal,"),
            "{text}"
        );
        assert_eq!(lines.len(), 3);
        assert!(
            lines[2].contains(r#""'=HYPERLINK(""http://x"")""#),
            "{text}"
        );
        assert!(
            lines[2].ends_with(",policy set: grants anyone ⚑ policy allows anyone"),
            "{text}"
        );
        assert!(
            write(&[], &path, Format::Csv).is_err(),
            "an existing file is never overwritten"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
