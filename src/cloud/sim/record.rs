//! CloudTrail records as the embedded account writes them: the same fields
//! and shapes as real GetSecretValue (and other management) events.

use super::history::HistoryEvent;
use super::world::{Due, World};
use crate::cloud::types::TrailRecord;
use chrono::{DateTime, SecondsFormat, SubsecRound, Utc};
use serde_json::{Value, json};

/// Who called what, from where: everything a CloudTrail record needs.
#[derive(Debug, Clone)]
pub struct CallSpec {
    pub event_name: String,
    pub event_source: String,
    pub read_only: bool,
    pub principal_arn: String,
    pub principal_type: String,
    pub username: String,
    pub source_ip: String,
    pub user_agent: String,
    pub from_console: bool,
    /// `requestParameters.secretId`, as the caller passed it.
    pub secret_id: Option<String>,
    /// The secret's ARN when it resolved.
    pub secret_arn: Option<String>,
    /// More request parameters (an object), beside `secretId`: a change's policy, regions.
    pub params: Value,
    pub error: Option<(String, String)>,
}

pub struct RecordIds<'a> {
    pub event_id: &'a str,
    pub request_id: &'a str,
    pub account: &'a str,
    pub region: &'a str,
}

pub fn cloudtrail_event(spec: &CallSpec, ids: &RecordIds<'_>, time: DateTime<Utc>) -> Value {
    let stamp = time.to_rfc3339_opts(SecondsFormat::Secs, true);
    let mut identity = json!({
        "type": spec.principal_type,
        "principalId": key_like("AIDA", ids.event_id),
        "arn": spec.principal_arn,
        "accountId": ids.account,
        "accessKeyId": key_like("ASIA", ids.request_id),
    });
    if spec.principal_type == "IAMUser" {
        identity["userName"] = json!(spec.username);
    }
    identity["sessionContext"] = json!({
        "attributes": { "creationDate": stamp, "mfaAuthenticated": if spec.from_console { "true" } else { "false" } }
    });
    let mut event = json!({
        "eventVersion": "1.09",
        "userIdentity": identity,
        "eventTime": stamp,
        "eventSource": spec.event_source,
        "eventName": spec.event_name,
        "awsRegion": ids.region,
        "sourceIPAddress": spec.source_ip,
        "userAgent": spec.user_agent,
        "requestParameters": request_parameters(spec),
        "responseElements": Value::Null,
        "requestID": ids.request_id,
        "eventID": ids.event_id,
        "readOnly": spec.read_only,
        "eventType": "AwsApiCall",
        "managementEvent": true,
        "recipientAccountId": ids.account,
        "eventCategory": "Management",
        "tlsDetails": {
            "tlsVersion": "TLSv1.3",
            "cipherSuite": "TLS_AES_128_GCM_SHA256",
            "clientProvidedHostHeader": format!("{}.{}.amazonaws.com", spec.event_source.split('.').next().unwrap_or("aws"), ids.region),
        },
    });
    if let Some(arn) = &spec.secret_arn {
        event["resources"] = json!([{
            "accountId": ids.account,
            "type": "AWS::SecretsManager::Secret",
            "ARN": arn,
        }]);
    }
    if let Some((code, message)) = &spec.error {
        event["errorCode"] = json!(code);
        event["errorMessage"] = json!(message);
    }
    if spec.from_console {
        event["sessionCredentialFromConsole"] = json!("true");
    }
    event
}

/// `secretId` and the call's other parameters; null for a call without either.
fn request_parameters(spec: &CallSpec) -> Value {
    let mut params = match &spec.params {
        Value::Object(map) => map.clone(),
        _ => serde_json::Map::new(),
    };
    if let Some(id) = &spec.secret_id {
        params.insert("secretId".into(), json!(id));
    }
    if params.is_empty() {
        Value::Null
    } else {
        Value::Object(params)
    }
}

/// An IAM-style identifier (`AIDA…`, `ASIA…`) derived from a random id.
fn key_like(prefix: &str, seed: &str) -> String {
    let body: String = seed
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(16)
        .collect();
    format!("{prefix}{}", body.to_uppercase())
}

impl World {
    /// Makes a GetSecretValue call as `caller` now; records it and returns the secret's
    /// ARN and version, or the error code the call got.
    pub fn get_secret_value(
        &mut self,
        secret_id: &str,
        mut caller: CallSpec,
    ) -> Result<(String, String), String> {
        let found = self
            .secret(secret_id)
            .map(|s| (s.arn.clone(), s.version_id.clone()));
        caller.secret_id = Some(secret_id.to_string());
        caller.secret_arn = found.as_ref().map(|(arn, _)| arn.clone());
        if found.is_none() && caller.error.is_none() {
            caller.error = Some((
                "ResourceNotFoundException".into(),
                "Secrets Manager can't find the specified secret.".into(),
            ));
        }
        let error = caller.error.as_ref().map(|(code, _)| code.clone());
        self.record_call(&caller, self.now);
        match (found, error) {
            (Some(meta), None) => Ok(meta),
            (_, Some(code)) => Err(code),
            (None, None) => Err("ResourceNotFoundException".into()),
        }
    }

    /// A scripted change of the secret (its policy, replicas, value) made as `caller` now.
    /// Drawn from the script's own randomness, so that the readers' story is the same with
    /// or without it.
    pub fn change_secret(&mut self, secret_id: &str, mut caller: CallSpec) {
        caller.secret_id = Some(secret_id.to_string());
        caller.secret_arn = self.secret(secret_id).map(|s| s.arn.clone());
        std::mem::swap(&mut self.rng, &mut self.script_rng);
        self.record_call(&caller, self.now);
        std::mem::swap(&mut self.rng, &mut self.script_rng);
    }

    /// Writes the CloudTrail record of a call and schedules its journey: event history
    /// after the delivery lag, then every trail's log group that takes it.
    pub fn record_call(&mut self, call: &CallSpec, at: DateTime<Utc>) {
        let event_id = self.random_uuid();
        let request_id = self.random_uuid();
        let ids = RecordIds {
            event_id: &event_id,
            request_id: &request_id,
            account: &self.account,
            region: &self.region,
        };
        let at = at.trunc_subsecs(0);
        let event = cloudtrail_event(call, &ids, at);
        let visible_at = at + self.draw(self.timings.delivery_lag);
        let deliveries: Vec<(usize, String)> = self
            .trails
            .iter()
            .enumerate()
            .filter_map(|(i, t)| t.delivers_to(call.read_only).map(|g| (i, g.to_string())))
            .collect();
        for (trail, group) in deliveries {
            let when = visible_at + self.draw(self.timings.logs_lag);
            let event = event.clone();
            self.schedule(
                when,
                Due::LogDelivery {
                    trail,
                    group,
                    event,
                },
            );
        }
        self.offer_fast_path(call, &event_id, &event, at);
        let buckets: Vec<String> = self
            .trails
            .iter()
            .filter(|t| t.records(call.read_only))
            .map(|t| t.bucket.clone())
            .collect();
        for bucket in buckets {
            self.trail_files.record(&bucket, &event);
        }
        let mut resources: Vec<String> = call.secret_id.iter().cloned().collect();
        resources.extend(call.secret_arn.iter().cloned());
        self.history.record(HistoryEvent {
            record: TrailRecord {
                event_id,
                event_time: at,
                event_name: call.event_name.clone(),
                event_source: call.event_source.clone(),
                cloudtrail_event: event.to_string(),
            },
            visible_at,
            username: call.username.clone(),
            resources,
        });
    }
}
