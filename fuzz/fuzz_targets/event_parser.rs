//! Any bytes as a CloudTrail event: parsing never panics, every field is capped, and
//! the event always serialises to JSON that reads back and steers no terminal.
#![no_main]

use libfuzzer_sys::fuzz_target;
use secretwatch::access::parse_access_event;
use secretwatch::cloud::types::TrailRecord;
use secretwatch::text::sanitize::json_for_terminal;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    // The first line is the record's own id, the rest its CloudTrailEvent.
    let (id, event) = text.split_once('\n').unwrap_or(("", &text));
    let record = TrailRecord {
        event_id: id.to_string(),
        event_time: chrono::DateTime::UNIX_EPOCH,
        event_name: "GetSecretValue".into(),
        event_source: "secretsmanager.amazonaws.com".into(),
        cloudtrail_event: event.to_string(),
    };
    let e = parse_access_event(&record);
    for field in [
        &e.event_id,
        &e.secret,
        &e.principal,
        &e.user_agent,
        &e.source_ip,
        &e.region,
    ] {
        assert!(field.len() <= 4096);
    }
    assert!(e.raw.as_ref().is_some_and(|raw| raw.len() <= 256 * 1024));
    let line = json_for_terminal(&e, false).expect("serialises");
    let back: serde_json::Value = serde_json::from_str(&line).expect("valid JSON");
    assert_eq!(
        back["event_id"],
        serde_json::Value::String(e.event_id.to_string())
    );
    assert!(
        !line
            .chars()
            .any(|c| c.is_control() || ('\u{202A}'..='\u{202E}').contains(&c))
    );
});
