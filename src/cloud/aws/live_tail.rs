//! CloudWatch Logs Live Tail: a session on the log group, filtered to a marker, that hands
//! over each record as it comes in. A trace looks with it beside FilterLogEvents and sees
//! its read reach the log group the moment it does. StartLiveTail's endpoint carries the
//! host prefix `stream-`: against a local endpoint (`--endpoint-url`) the prefix is left
//! off, as `stream-127.0.0.1` is no host.

use super::errors::from_sdk;
use crate::cloud::types::LogRecord;
use crate::cloud::{CloudError, ErrorKind};
use aws_sdk_cloudwatchlogs::Client;
use aws_sdk_cloudwatchlogs::types::StartLiveTailResponseStream;
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::endpoint::EndpointPrefix;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::BeforeSerializationInterceptorContextMut;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use chrono::DateTime;
use std::time::Duration;

/// Leaves the operation's host prefix off, for a local endpoint.
#[derive(Debug)]
struct NoHostPrefix;

impl Intercept for NoHostPrefix {
    fn name(&self) -> &'static str {
        "NoHostPrefix"
    }

    fn modify_before_serialization(
        &self,
        _context: &mut BeforeSerializationInterceptorContextMut<'_>,
        _components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        cfg.interceptor_state().unset::<EndpointPrefix>();
        Ok(())
    }
}

/// The client for Live Tail over `config`: without the host prefix where the endpoint is
/// local.
pub fn client(config: &aws_types::SdkConfig) -> Client {
    let mut builder = aws_sdk_cloudwatchlogs::config::Builder::from(config);
    if config.endpoint_url().is_some() {
        builder = builder.interceptor(NoHostPrefix);
    }
    Client::from_conf(builder.build())
}

/// The records holding `text` (a quoted term) that the first session update with any
/// brings, within `wait`; empty when none came.
pub async fn records(
    client: &Client,
    group_arn: &str,
    text: &str,
    wait: Duration,
) -> Result<Vec<LogRecord>, CloudError> {
    if text.contains('"') {
        return Err(CloudError::new(
            "StartLiveTail",
            ErrorKind::InvalidInput,
            "a marker with a quote cannot be a quoted term",
        ));
    }
    let out = client
        .start_live_tail()
        .log_group_identifiers(group_arn.trim_end_matches(":*"))
        .log_event_filter_pattern(format!("\"{text}\""))
        .send()
        .await
        .map_err(|e| from_sdk("StartLiveTail", e))?;
    let mut stream = out.response_stream;
    let until = tokio::time::Instant::now() + wait;
    loop {
        let update = match tokio::time::timeout_at(until, stream.recv()).await {
            Err(_) | Ok(Ok(None)) => return Ok(Vec::new()),
            Ok(Err(e)) => {
                let why = aws_smithy_types::error::display::DisplayErrorContext(&e).to_string();
                return Err(CloudError::new("StartLiveTail", ErrorKind::Service, why));
            }
            Ok(Ok(Some(StartLiveTailResponseStream::SessionUpdate(update)))) => update,
            Ok(Ok(Some(_))) => continue,
        };
        let found: Vec<LogRecord> = update
            .session_results()
            .iter()
            .filter_map(|e| {
                let record: Option<serde_json::Value> =
                    e.message().and_then(|m| serde_json::from_str(m).ok());
                let field = |name: &str| record.as_ref()?.get(name)?.as_str().map(str::to_string);
                Some(LogRecord {
                    ingested_at: DateTime::from_timestamp_millis(
                        e.ingestion_time().or(e.timestamp())?,
                    )?,
                    event_id: field("eventID"),
                    user_agent: field("userAgent"),
                })
            })
            .collect();
        if !found.is_empty() {
            return Ok(found);
        }
    }
}
