//! A resource policy's grants, as PutResourcePolicy records it: who outside the secret's
//! account, or anyone, it lets in.

use super::{Flag, cut, strings};
use serde_json::Value;

/// What a resource policy lets in: its grantees outside `account`, or anyone.
pub(super) fn policy(v: &Value, account: &str) -> (String, Vec<Flag>) {
    let parsed: Option<Value> = match v {
        Value::String(s) => serde_json::from_str(s).ok(),
        Value::Object(_) => Some(v.clone()),
        _ => None,
    };
    let Some(doc) = parsed else {
        return match v {
            Value::Null => (String::new(), Vec::new()),
            _ => (
                "the policy could not be read: check it by hand".into(),
                Vec::new(),
            ),
        };
    };
    let statements: Vec<&Value> = match doc.get("Statement") {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(one @ Value::Object(_)) => vec![one],
        _ => Vec::new(),
    };
    let mut flags = Vec::new();
    for s in statements {
        let allows = s
            .get("Effect")
            .and_then(Value::as_str)
            .is_some_and(|e| e.eq_ignore_ascii_case("allow"));
        if !allows {
            continue;
        }
        let conditions = s.get("Condition").is_some_and(|c| !is_empty(c));
        if s.get("NotPrincipal").is_some() {
            flags.push(Flag::Public { conditions });
            continue;
        }
        for grantee in principals(s.get("Principal").unwrap_or(&Value::Null)) {
            if grantee == "*" {
                flags.push(Flag::Public { conditions });
            } else if let Some(theirs) = grantee_account(&grantee)
                && (account.is_empty() || theirs != account)
            {
                flags.push(Flag::OutsideAccount {
                    grantee: cut(grantee),
                });
            }
        }
    }
    flags.dedup();
    let detail = if flags.iter().any(|f| matches!(f, Flag::Public { .. })) {
        "grants anyone"
    } else if flags.is_empty() {
        "grants within the account"
    } else {
        "grants outside the account"
    };
    (detail.to_string(), flags)
}

fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Object(m) => m.is_empty(),
        Value::Array(a) => a.is_empty(),
        _ => false,
    }
}

/// The AWS principals of a statement (`"*"`, `{"AWS": "…"}`, `{"AWS": ["…"]}`); service
/// and federated principals are not accounts and are left out.
fn principals(v: &Value) -> Vec<String> {
    match v {
        Value::String(s) => vec![s.clone()],
        Value::Object(m) => m.get("AWS").map(strings).unwrap_or_default(),
        _ => Vec::new(),
    }
}

/// The account of a grantee: a bare account id, or an ARN's account field.
fn grantee_account(grantee: &str) -> Option<&str> {
    let is_account = |s: &str| s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit());
    if is_account(grantee) {
        return Some(grantee);
    }
    let account = grantee.strip_prefix("arn:")?.split(':').nth(3)?;
    is_account(account).then_some(account)
}
