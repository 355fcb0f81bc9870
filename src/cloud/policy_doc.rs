//! Reading IAM-style policy documents (role, topic and queue policies alike): their
//! statements, string-or-list fields, wildcards, and adding a statement with the others
//! kept. Pure, so the plan, the doctor and both adapters read a document alike.

use serde_json::{Value, json};

/// `arn:PARTITION:...` → PARTITION (aws, aws-cn, aws-us-gov); `aws` when unsure.
pub fn partition(arn: &str) -> &str {
    match arn.split(':').nth(1) {
        Some(p) if !p.is_empty() => p,
        _ => "aws",
    }
}

/// A document's statements: IAM takes one object or a list.
pub fn statements(doc: &Value) -> Vec<&Value> {
    match &doc["Statement"] {
        Value::Array(list) => list.iter().collect(),
        Value::Object(_) => vec![&doc["Statement"]],
        _ => Vec::new(),
    }
}

/// A string or a list of strings.
pub fn strings(v: &Value) -> Vec<&str> {
    match v {
        Value::String(s) => vec![s.as_str()],
        Value::Array(list) => list.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// IAM's wildcards: `*` any run of characters, `?` one (linear backtracking, so a
/// hostile pattern costs no more than its length times the text's).
pub fn glob(pattern: &[u8], text: &[u8]) -> bool {
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match pattern.get(p) {
            Some(b'*') => {
                star = Some((p, t));
                p += 1;
            }
            Some(&c) if c == b'?' || c == text[t] => {
                p += 1;
                t += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    p = sp + 1;
                    t = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    pattern[p..].iter().all(|&c| c == b'*')
}

/// Whether `statement` has `effect` ("Allow", "Deny") for `action` (case-insensitive,
/// wildcards as IAM reads them).
pub fn has_action(statement: &Value, effect: &str, action: &str) -> bool {
    statement["Effect"] == effect
        && strings(&statement["Action"]).iter().any(|a| {
            glob(
                a.to_ascii_lowercase().as_bytes(),
                action.to_ascii_lowercase().as_bytes(),
            )
        })
}

/// Whether `statement` names `resource` (wildcards as IAM reads them).
pub fn names_resource(statement: &Value, resource: &str) -> bool {
    strings(&statement["Resource"])
        .iter()
        .any(|r| glob(r.as_bytes(), resource.as_bytes()))
}

/// The principals a statement names, in their own words (`*` for anyone).
pub fn principals(statement: &Value) -> Vec<&str> {
    match &statement["Principal"] {
        Value::String(p) => vec![p.as_str()],
        Value::Object(kinds) => kinds.values().flat_map(strings).collect(),
        _ => Vec::new(),
    }
}

/// `doc` with `statement` added to its statements, all the others kept.
pub fn with_statement(doc: Option<&Value>, statement: Value) -> Value {
    let mut doc = doc
        .filter(|d| d.is_object())
        .cloned()
        .unwrap_or_else(|| json!({ "Version": "2012-10-17" }));
    let mut list: Vec<Value> = statements(&doc).into_iter().cloned().collect();
    list.push(statement);
    doc["Statement"] = Value::Array(list);
    doc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_match_as_iam_reads_them_and_a_hostile_pattern_stays_cheap() {
        assert!(glob(b"logs:*", b"logs:PutLogEvents"));
        assert!(glob(b"lo?s:*Events", b"logs:PutLogEvents"));
        assert!(!glob(b"logs:Put", b"logs:PutLogEvents"));
        assert!(glob(b"*", b""));
        let text = [b'a'; 4000];
        assert!(!glob(b"*a*a*a*a*a*a*a*a*a*a*a*a*b", &text));
    }

    #[test]
    fn one_statement_or_a_list_and_every_other_statement_kept() {
        let one = json!({ "Statement": { "Effect": "Allow", "Action": "s3:*", "Resource": "*" } });
        assert_eq!(statements(&one).len(), 1);
        assert!(has_action(statements(&one)[0], "Allow", "S3:GetObject"));
        assert!(!has_action(statements(&one)[0], "Deny", "s3:GetObject"));
        let added = with_statement(Some(&one), json!({ "Sid": "new" }));
        assert_eq!(statements(&added).len(), 2);
        assert_eq!(added["Statement"][1]["Sid"], "new");
        assert_eq!(with_statement(None, json!({}))["Version"], "2012-10-17");
    }
}
