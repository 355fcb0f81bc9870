//! Any bytes as what the fast path and the trail's files deliver: an EventBridge envelope
//! (as text), a trail file notification (as text), and a CloudTrail log file (gzipped, and
//! as plain JSON). Reading never panics, decompression stays within its cap, every read kept
//! parses into an access, and every file named is a log file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use secretwatch::access::envelope::record_from_envelope;
use secretwatch::access::log_file::{shown_in_json, shown_in_log_file};
use secretwatch::access::parse_access_event;
use secretwatch::access::trail_notification::{is_log_file, log_files};

fuzz_target!(|data: &[u8]| {
    if let Ok(record) = record_from_envelope(&String::from_utf8_lossy(data)) {
        let _ = parse_access_event(&record);
    }
    if let Ok(files) = log_files(&String::from_utf8_lossy(data)) {
        assert!(files.iter().all(|f| is_log_file(&f.key)));
    }
    for file in [shown_in_log_file(data, 1 << 20), shown_in_json(data)]
        .into_iter()
        .flatten()
    {
        assert!(file.shown.len() <= file.records);
        for record in &file.shown {
            let e = parse_access_event(record);
            assert!(secretwatch::access::READS.contains(&&*e.event_name));
        }
    }
});
