//! The JSON examples in the README, so that tests can hold them to the real output.

use serde_json::Value;

fn readme() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).expect("README.md")
}

/// The JSON block after `<!-- json-example: NAME -->` in README.md.
pub fn json_example(name: &str) -> Value {
    let readme = readme();
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

/// A field that the README says may be null: where (keys from the example's root, `[]`
/// for any element of an array), the README's own words saying so, and what the field
/// is when it is not null (for a null in the example, which cannot show it).
pub struct MayBeNull {
    pub path: &'static str,
    pub readme_says: &'static str,
    pub otherwise: &'static str,
}

/// Every field that may be null, each with the README's words for it (a test checks that
/// the README says them). Anywhere else, null in an example is null in the output, and
/// a value is of the example's type.
/// Arrays the program prints empty in the usual case (an access with nothing first seen).
pub const MAY_BE_EMPTY: &[&str] = &["first_seen"];

pub const MAY_BE_NULL: &[MayBeNull] = &[
    MayBeNull {
        path: "change",
        readme_says: "`change` (null for a read)",
        otherwise: "object",
    },
    MayBeNull {
        path: "error_code",
        readme_says: "`error_code` (null on success)",
        otherwise: "string",
    },
    MayBeNull {
        path: "alarm",
        readme_says: "the alarm as DescribeAlarms has it (null when it does not exist)",
        otherwise: "object",
    },
    MayBeNull {
        path: "error",
        readme_says: "`error` is null unless the check could not be made",
        otherwise: "string",
    },
    MayBeNull {
        path: "findings[].fix",
        readme_says: "the `fix` (null when there is nothing to fix)",
        otherwise: "string",
    },
    MayBeNull {
        path: "scopes[].findings[].fix",
        readme_says: "the `fix` (null when there is nothing to fix)",
        otherwise: "string",
    },
    MayBeNull {
        path: "alarm_since",
        readme_says: "`alarm_since` (null unless the alarm was already in ALARM then)",
        otherwise: "string",
    },
    MayBeNull {
        path: "chain_in",
        readme_says: "a scope; null when the chain is the scope's own",
        otherwise: "object",
    },
    MayBeNull {
        path: "scopes[].chain_in",
        readme_says: "a scope; null when the chain is the scope's own",
        otherwise: "object",
    },
    MayBeNull {
        path: "reset",
        readme_says: "(`reset` is null unless `ack.set_alarm_ok` is on; then `alarm set to OK` or why not)",
        otherwise: "string",
    },
];

/// The README's words for each field that may be null, missing from it (lines wrapped
/// anywhere).
pub fn unsaid_allowances() -> Vec<&'static str> {
    let words = |text: &str| text.split_whitespace().collect::<Vec<_>>().join(" ");
    let readme = words(&readme());
    MAY_BE_NULL
        .iter()
        .filter(|m| !readme.contains(&words(m.readme_says)))
        .map(|m| m.readme_says)
        .collect()
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Where `live` differs from `documented`: other object keys (or keys in another order),
/// a value of another JSON type, an array with nothing to compare (either side empty).
/// Each element of a live array is held to the example's first. `path` is where both are.
pub fn mismatches(documented: &Value, live: &Value, path: &str) -> Vec<String> {
    let may_be_null = MAY_BE_NULL.iter().find(|m| m.path == path);
    let at = if path.is_empty() { "the root" } else { path };
    match (documented, live, may_be_null) {
        (_, Value::Null, Some(_)) => Vec::new(),
        (Value::Null, live, Some(m)) if kind(live) == m.otherwise => Vec::new(),
        (Value::Object(doc), Value::Object(real), _) => {
            let doc_keys: Vec<&String> = doc.keys().collect();
            let real_keys: Vec<&String> = real.keys().collect();
            if doc_keys != real_keys {
                return vec![format!(
                    "{at}: the README documents {doc_keys:?}, the program prints {real_keys:?}"
                )];
            }
            let child = |key: &str| {
                if path.is_empty() {
                    key.to_string()
                } else {
                    format!("{path}.{key}")
                }
            };
            doc.iter()
                .flat_map(|(key, value)| mismatches(value, &real[key], &child(key)))
                .collect()
        }
        (Value::Array(doc), Value::Array(real), _) => match doc.first() {
            None => vec![format!(
                "{at}: the README's array is empty, so it documents nothing"
            )],
            Some(_) if real.is_empty() && MAY_BE_EMPTY.contains(&path) => Vec::new(),
            Some(_) if real.is_empty() => {
                vec![format!(
                    "{at}: the program printed an empty array, nothing to compare"
                )]
            }
            Some(d) => real
                .iter()
                .flat_map(|r| mismatches(d, r, &format!("{path}[]")))
                .collect(),
        },
        (doc, live, _) if kind(doc) == kind(live) => Vec::new(),
        (doc, live, _) => vec![format!(
            "{at}: the README shows {} ({doc}), the program prints {} ({live})",
            kind(doc),
            kind(live)
        )],
    }
}

/// Fails unless `live` is as `documented`, field for field and type for type (see
/// `mismatches`); `what` names the output in the message.
#[track_caller]
pub fn assert_same_shape(documented: &Value, live: &Value, what: &str) {
    let found = mismatches(documented, live, "");
    assert!(
        found.is_empty(),
        "{what} is not as the README documents it:\n{}",
        found.join("\n")
    );
}
