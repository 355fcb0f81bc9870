//! EventBridge's event patterns, evaluated locally where TestEventPattern is not at hand
//! (the embedded account): nested objects of match lists, with the literal, `prefix`,
//! `suffix`, `equals-ignore-case`, `anything-but`, `exists` and `wildcard` matchers. A
//! pattern using anything else is not guessed at: the answer says so.

use crate::cloud::policy_doc::glob;
use serde_json::{Map, Value};

/// Whether `event` (JSON) matches `pattern` (JSON); Err says why it could not be told.
pub fn matches(pattern: &str, event: &str) -> Result<bool, String> {
    let event: Value =
        serde_json::from_str(event).map_err(|e| format!("the event is not JSON: {e}"))?;
    matches_value(pattern, &event)
}

/// As [`matches`], for an event already parsed.
pub fn matches_value(pattern: &str, event: &Value) -> Result<bool, String> {
    let pattern: Value =
        serde_json::from_str(pattern).map_err(|e| format!("the pattern is not JSON: {e}"))?;
    match &pattern {
        Value::Object(fields) => object(fields, Some(event)),
        _ => Err("the pattern is not a JSON object".into()),
    }
}

/// Every field of the pattern matches (a pattern is an and of its fields).
fn object(pattern: &Map<String, Value>, event: Option<&Value>) -> Result<bool, String> {
    for (key, wanted) in pattern {
        let field = event.and_then(|e| e.get(key));
        let ok = match wanted {
            Value::Object(nested) => object(nested, field.filter(|f| f.is_object()))?,
            Value::Array(list) => match_list(list, field)?,
            _ => return Err(format!("{key}: a match must be a list or an object")),
        };
        if !ok {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Any matcher of the list matches the field (or, for an array field, any of its values).
fn match_list(list: &[Value], field: Option<&Value>) -> Result<bool, String> {
    let values: Vec<&Value> = match field {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(v) => vec![v],
        None => Vec::new(),
    };
    for matcher in list {
        // An operator not read here is said even where there is no value to try it on.
        if matcher.get("exists").is_none() && matcher.is_object() {
            one(matcher, &Value::Null)?;
        }
        if let Value::Object(op) = matcher
            && let Some(exists) = op.get("exists")
        {
            if exists.as_bool() == Some(field.is_some()) {
                return Ok(true);
            }
            continue;
        }
        for value in &values {
            if one(matcher, value)? {
                return Ok(true);
            }
        }
    }
    Ok(false)
}

fn one(matcher: &Value, value: &Value) -> Result<bool, String> {
    let Value::Object(op) = matcher else {
        return Ok(matcher == value);
    };
    let text = value.as_str();
    let (name, arg) = op
        .iter()
        .next()
        .ok_or_else(|| "an empty matcher".to_string())?;
    let arg_text = || {
        arg.as_str()
            .ok_or_else(|| format!("{name}: takes a string here"))
    };
    Ok(match name.as_str() {
        "prefix" => text.is_some_and(|t| arg_text().is_ok_and(|a| t.starts_with(a))),
        "suffix" => text.is_some_and(|t| arg_text().is_ok_and(|a| t.ends_with(a))),
        "equals-ignore-case" => {
            let a = arg_text()?;
            text.is_some_and(|t| t.eq_ignore_ascii_case(a))
        }
        "wildcard" => {
            let a = arg_text()?;
            text.is_some_and(|t| glob(a.as_bytes(), t.as_bytes()))
        }
        "anything-but" => match arg {
            Value::Array(list) => !list.contains(value),
            Value::Object(_) => !one(arg, value)?,
            literal => literal != value,
        },
        other => return Err(format!("the matcher {other:?} is not evaluated locally")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const EVENT: &str = r#"{"source":"aws.secretsmanager","detail":{"eventName":"GetSecretValue","tags":["a","b"]}}"#;

    fn m(pattern: &str) -> Result<bool, String> {
        matches(pattern, EVENT)
    }

    #[test]
    fn literals_nested_objects_and_arrays_match_as_eventbridge_matches_them() {
        assert_eq!(m(r#"{"source":["aws.secretsmanager"]}"#), Ok(true));
        assert_eq!(
            m(r#"{"source":["aws.ec2","aws.secretsmanager"]}"#),
            Ok(true)
        );
        assert_eq!(m(r#"{"source":["aws.ec2"]}"#), Ok(false));
        assert_eq!(
            m(r#"{"detail":{"eventName":["GetSecretValue"]}}"#),
            Ok(true)
        );
        assert_eq!(m(r#"{"detail":{"tags":["b"]}}"#), Ok(true));
        assert_eq!(m(r#"{"detail":{"missing":["x"]}}"#), Ok(false));
    }

    #[test]
    fn operators_are_read_and_an_unknown_one_is_said() {
        assert_eq!(m(r#"{"source":[{"prefix":"aws."}]}"#), Ok(true));
        assert_eq!(
            m(r#"{"detail":{"eventName":[{"suffix":"Value"}]}}"#),
            Ok(true)
        );
        assert_eq!(
            m(r#"{"detail":{"eventName":[{"anything-but":"GetSecretValue"}]}}"#),
            Ok(false)
        );
        assert_eq!(
            m(r#"{"detail":{"eventName":[{"anything-but":{"prefix":"Put"}}]}}"#),
            Ok(true)
        );
        assert_eq!(
            m(r#"{"detail":{"eventName":[{"wildcard":"Get*Value"}]}}"#),
            Ok(true)
        );
        assert_eq!(
            m(r#"{"detail":{"errorCode":[{"exists":false}]}}"#),
            Ok(true)
        );
        assert_eq!(m(r#"{"detail":{"eventName":[{"exists":true}]}}"#), Ok(true));
        assert_eq!(
            m(r#"{"source":[{"equals-ignore-case":"AWS.SecretsManager"}]}"#),
            Ok(true)
        );
        assert!(m(r#"{"detail":{"n":[{"numeric":[">",0]}]}}"#).is_err());
        assert!(m("[1]").is_err());
        assert!(m("not json").is_err());
    }
}
