//! The README checker's own tests: each way an output can differ from its example fails,
//! and a field may be null only where the README says so.

use super::readme::{mismatches, unsaid_allowances};
use serde_json::{Value, json};

fn differs(documented: Value, live: Value) -> bool {
    !mismatches(&documented, &live, "").is_empty()
}

#[test]
fn the_same_shape_with_other_values_passes() {
    let doc = json!({ "a": "x", "n": 1.5, "o": { "b": true }, "l": [{ "c": 1 }], "z": null });
    let live =
        json!({ "a": "y", "n": 3, "o": { "b": false }, "l": [{ "c": 2 }, { "c": 3 }], "z": null });
    assert_eq!(mismatches(&doc, &live, ""), Vec::<String>::new());
}

#[test]
fn other_keys_or_another_order_fail() {
    assert!(differs(json!({ "a": 1, "b": 2 }), json!({ "a": 1 })));
    assert!(differs(json!({ "a": 1 }), json!({ "a": 1, "b": 2 })));
    assert!(differs(
        json!({ "a": 1, "b": 2 }),
        json!({ "b": 2, "a": 1 })
    ));
    assert!(differs(
        json!({ "o": { "a": 1 } }),
        json!({ "o": { "b": 1 } })
    ));
}

#[test]
fn a_value_of_another_type_fails() {
    assert!(differs(json!({ "a": "1" }), json!({ "a": 1 })));
    assert!(differs(json!({ "a": 1 }), json!({ "a": "1" })));
    assert!(differs(json!({ "a": {} }), json!({ "a": null })));
    assert!(differs(json!({ "a": null }), json!({ "a": {} })));
    assert!(differs(json!({ "a": null }), json!({ "a": "text" })));
    assert!(differs(json!({ "a": [1] }), json!({ "a": { "0": 1 } })));
    assert!(differs(json!({ "a": true }), json!({ "a": "true" })));
    // In every element of an array, not only the first.
    assert!(differs(
        json!([{ "a": 1 }]),
        json!([{ "a": 1 }, { "a": "2" }])
    ));
}

#[test]
fn an_empty_array_on_either_side_fails() {
    assert!(differs(json!({ "l": [1] }), json!({ "l": [] })));
    assert!(differs(json!({ "l": [] }), json!({ "l": [1] })));
    // Only what is usually empty may be: an access with nothing first seen.
    let marked = json!({ "first_seen": ["ip"] });
    assert!(!differs(marked.clone(), json!({ "first_seen": [] })));
    assert!(differs(marked, json!({ "first_seen": [1] })));
}

#[test]
fn null_stands_for_null_or_a_value_only_where_the_readme_says_so() {
    // `error_code` may be null (on success) or a string; `alarm` null or the object shown.
    let access = |code: Value| json!({ "outcome": "error", "error_code": code });
    assert!(!differs(access(Value::Null), access(json!("AccessDenied"))));
    assert!(differs(access(Value::Null), access(json!(403))));
    let status = |alarm: Value| json!({ "alarm": alarm });
    assert!(!differs(
        status(json!({ "state": "OK" })),
        status(Value::Null)
    ));
    assert!(differs(
        status(json!({ "state": "OK" })),
        status(json!({ "state": 1 }))
    ));
    // And a field the README does not call nullable may not be null.
    assert!(differs(
        json!({ "outcome": "success" }),
        json!({ "outcome": null })
    ));
}

#[test]
fn every_allowance_for_null_is_said_in_the_readme() {
    assert_eq!(unsaid_allowances(), Vec::<&str>::new());
}
