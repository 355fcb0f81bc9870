//! The JSON examples in the README, so that tests can hold them to the real output.

use serde_json::Value;

/// The JSON block after `<!-- json-example: NAME -->` in README.md.
pub fn json_example(name: &str) -> Value {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    let marker = format!("<!-- json-example: {name} -->");
    let after = readme
        .split_once(&marker)
        .unwrap_or_else(|| panic!("README.md has no {marker}"))
        .1;
    let block = after
        .split_once("```json\n")
        .and_then(|(_, rest)| rest.split_once("\n```"))
        .unwrap_or_else(|| panic!("no ```json block after {marker}"))
        .0;
    serde_json::from_str(block).unwrap_or_else(|e| panic!("README's {name} example: {e}"))
}

/// Fails unless `live` has the documented object keys, at every level the example shows
/// (the first element standing for each array).
pub fn assert_same_shape(documented: &Value, live: &Value, path: &str) {
    match (documented, live) {
        (Value::Object(doc), Value::Object(real)) => {
            let doc_keys: Vec<&String> = doc.keys().collect();
            let real_keys: Vec<&String> = real.keys().collect();
            assert_eq!(
                doc_keys, real_keys,
                "{path}: the README documents {doc_keys:?}, the program prints {real_keys:?}"
            );
            for (key, value) in doc {
                assert_same_shape(value, &real[key], &format!("{path}.{key}"));
            }
        }
        (Value::Array(doc), Value::Array(real)) => {
            if let (Some(d), Some(r)) = (doc.first(), real.first()) {
                assert_same_shape(d, r, &format!("{path}[0]"));
            }
        }
        _ => {}
    }
}
