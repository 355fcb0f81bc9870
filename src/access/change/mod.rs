//! The secret's own changes (its value, its rotation, who may read it, where it is
//! replicated) read from the call's request parameters, with the flags an investigator must
//! not miss: a resource policy that lets in another account or anyone, a replica in a new
//! region. Every field is untrusted; a value (`secretString`, a tag's value) is never kept.

use serde::Serialize;
use serde_json::Value;

mod policy;
use policy::policy;

/// Most flags kept from one call: a hostile policy cannot grow the timeline.
const MAX_FLAGS: usize = 8;
/// Longest text kept from one field of a change.
const MAX_TEXT: usize = 256;

/// What a change did, for the timeline (`what`) and the detail view (`detail`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// In a word or two: `new value`, `policy set`, `replicated`.
    pub what: &'static str,
    /// More, from the request: regions, grantees, the names of the fields or tags changed.
    pub detail: String,
    /// Set only when the call succeeded: a refused call changed nothing.
    pub flags: Vec<Flag>,
}

/// A change that can set up exfiltration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "flag", rename_all = "snake_case")]
pub enum Flag {
    /// The policy allows every principal (`"*"`, or `NotPrincipal`); its conditions, if
    /// any, may narrow it.
    Public { conditions: bool },
    /// The policy allows a principal of another account (or of an account it cannot tell
    /// from the secret's, when the record does not say which account that is).
    OutsideAccount { grantee: String },
    /// The secret now has a replica in this region.
    NewRegion { region: String },
}

impl Flag {
    /// In words, for the timeline's detail and `events`.
    pub fn words(&self) -> String {
        match self {
            Flag::Public { conditions: false } => "policy allows anyone".into(),
            Flag::Public { conditions: true } => {
                "policy allows anyone its conditions let in".into()
            }
            Flag::OutsideAccount { grantee } => {
                format!("policy allows {grantee}, outside the account")
            }
            Flag::NewRegion { region } => format!("replica in a new region, {region}"),
        }
    }
}

impl Change {
    pub fn flagged(&self) -> bool {
        !self.flags.is_empty()
    }

    /// In one line: what, its detail, each flag (`policy set: grants outside the account ⚑
    /// policy allows …`).
    pub fn words(&self) -> String {
        let mut words = self.what.to_string();
        if !self.detail.is_empty() {
            words = format!("{words}: {}", self.detail);
        }
        for flag in &self.flags {
            words = format!("{words} ⚑ {}", flag.words());
        }
        words
    }
}

/// The change a call made, None when `event_name` is no change of a secret. `account` is
/// the secret's (`recipientAccountId`), "" when the record does not say.
pub fn change_of(
    event_name: &str,
    record: &Value,
    account: &str,
    succeeded: bool,
) -> Option<Change> {
    let params = record.get("requestParameters").unwrap_or(&Value::Null);
    let param = |key: &str| field(params, key);
    let (what, detail, flags) = match event_name {
        "CreateSecret" => {
            let (detail, flags) = new_replicas("replicas in", param("addReplicaRegions"));
            ("created", detail, flags)
        }
        "PutSecretValue" => (
            "new value",
            list_text("stages", param("versionStages")),
            vec![],
        ),
        "UpdateSecret" => ("updated", fields_text(params), vec![]),
        "UpdateSecretVersionStage" => ("stage moved", scalar_text(param("versionStage")), vec![]),
        "RotateSecret" => ("rotated", fields_text(params), vec![]),
        "CancelRotateSecret" => ("rotation off", String::new(), vec![]),
        "DeleteSecret" => ("deleted", deletion_text(params), vec![]),
        "RestoreSecret" => ("restored", String::new(), vec![]),
        "PutResourcePolicy" => {
            let (detail, flags) = policy(param("resourcePolicy"), account);
            ("policy set", detail, flags)
        }
        "DeleteResourcePolicy" => ("policy removed", String::new(), vec![]),
        "ReplicateSecretToRegions" => {
            let (detail, flags) = new_replicas("to", param("addReplicaRegions"));
            ("replicated", detail, flags)
        }
        "RemoveRegionsFromReplication" => (
            "replica removed",
            list_text("from", param("removeReplicaRegions")),
            vec![],
        ),
        "StopReplicationToReplica" => ("replica promoted", String::new(), vec![]),
        "TagResource" => ("tagged", tag_keys(param("tags")), vec![]),
        "UntagResource" => ("untagged", list_text("keys", param("tagKeys")), vec![]),
        _ => return None,
    };
    let flags = if succeeded {
        flags.into_iter().take(MAX_FLAGS).collect()
    } else {
        Vec::new()
    };
    Some(Change {
        what,
        detail: cut(detail),
        flags,
    })
}

/// A request parameter by CloudTrail's name (`secretId`) or the wire's (`SecretId`), as
/// some AWS-compatible servers record it.
fn field<'a>(params: &'a Value, key: &str) -> &'a Value {
    let mut upper = key.to_string();
    if let Some(first) = upper.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    params
        .get(key)
        .or_else(|| params.get(upper.as_str()))
        .unwrap_or(&Value::Null)
}

pub(super) fn cut(mut s: String) -> String {
    if s.len() > MAX_TEXT {
        let mut end = MAX_TEXT;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        s.truncate(end);
        s.push('…');
    }
    s
}

fn scalar_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        _ => String::new(),
    }
}

pub(super) fn strings(v: &Value) -> Vec<String> {
    match v {
        Value::Array(items) => items
            .iter()
            .map(scalar_text)
            .filter(|s| !s.is_empty())
            .collect(),
        Value::String(s) => vec![s.clone()],
        _ => Vec::new(),
    }
}

/// `label a, b`; nothing when there is nothing to list.
fn labelled<S: AsRef<str>>(label: &str, items: &[S]) -> String {
    if items.is_empty() {
        return String::new();
    }
    let items: Vec<&str> = items.iter().map(AsRef::as_ref).collect();
    format!("{label} {}", items.join(", "))
}

fn list_text(label: &str, v: &Value) -> String {
    labelled(label, &strings(v))
}

/// `[{ key: … }, …]`: each object's `key` (or `Key`), the empty ones left out.
fn each_field(v: &Value, key: &str) -> Vec<String> {
    let Value::Array(items) = v else {
        return Vec::new();
    };
    items
        .iter()
        .map(|item| scalar_text(field(item, key)))
        .filter(|s| !s.is_empty())
        .collect()
}

/// `addReplicaRegions: [{ region, kmsKeyId }]`: the regions, in words and each flagged.
fn new_replicas(label: &str, v: &Value) -> (String, Vec<Flag>) {
    let mut regions = each_field(v, "region");
    regions.dedup();
    let detail = labelled(label, &regions);
    let flags = regions.into_iter().map(|region| Flag::NewRegion { region });
    (detail, flags.collect())
}

/// The names of the fields a call set (never their values).
fn fields_text(params: &Value) -> String {
    let Value::Object(map) = params else {
        return String::new();
    };
    let names: Vec<&str> = map
        .keys()
        .map(String::as_str)
        .filter(|k| {
            !matches!(
                *k,
                "secretId" | "SecretId" | "clientRequestToken" | "ClientRequestToken"
            )
        })
        .collect();
    labelled("sets", &names)
}

/// `tags: [{ key, value }]`: the keys only.
fn tag_keys(v: &Value) -> String {
    labelled("keys", &each_field(v, "key"))
}

fn deletion_text(params: &Value) -> String {
    if field(params, "forceDeleteWithoutRecovery").as_bool() == Some(true)
        || scalar_text(field(params, "forceDeleteWithoutRecovery")) == "true"
    {
        return "at once, no recovery window".into();
    }
    match scalar_text(field(params, "recoveryWindowInDays")).as_str() {
        "" => String::new(),
        days => format!("recoverable for {days} days"),
    }
}

#[cfg(test)]
mod tests;
