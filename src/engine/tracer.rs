//! The tracer: follows one test access where the dashboard's sources do not look. It asks
//! CloudTrail's event history for the reads of the seconds around the read (by name) and
//! the trail's log group for the marker (FilterLogEvents), each until seen,
//! refused, or well past CloudTrail's bound. The metric, the alarm and the message come
//! from the sources that poll them anyway; the store puts the trace together.

use super::Update;
use super::sources::Context;
use crate::access::parse_access_event;
use crate::cloud::types::{EventQuery, LookupAttribute, TestAccess};
use crate::cloud::{CloudError, ErrorKind};
use crate::trace::{Link, Pace};
use chrono::{DateTime, TimeDelta, Utc};
use std::time::Duration;
use tokio::sync::mpsc::UnboundedSender;

/// CloudTrail stamps the event when the call reached the service: a little before the answer
/// arrived, give or take the clocks' difference.
const BEFORE: TimeDelta = TimeDelta::seconds(30);
const AFTER: TimeDelta = TimeDelta::seconds(5);
/// Pages of the reads around the read's time looked at per look (newest first: the reads
/// of the few seconds after it come first on a busy account).
const PAGES: usize = 20;

/// How this engine's settings pace a trace.
pub fn pace(config: &super::EngineConfig) -> Pace {
    Pace {
        cloudtrail: config.settle.min(Duration::from_secs(15 * 60)),
        eventbridge: Duration::from_secs(5 * 60),
        tracer_every: config.events_every,
        metric_every: config.metric_every,
        alarm_every: config.alarms_every,
        queue_every: config.fast_path_wait + config.queue_rest,
        period: config.names.alarm_period,
    }
}

/// Whether `user_agent` carries `app/<marker>` as a whole token.
pub fn carries(user_agent: &str, marker: &str) -> bool {
    let own = format!("app/{marker}");
    user_agent.split_whitespace().any(|token| token == own)
}

/// Follows `access` until both links are seen or refused, or CloudTrail's bound has passed
/// twice over.
pub async fn follow(ctx: Context, access: TestAccess, pace: Pace, tx: UnboundedSender<Update>) {
    let group = crate::chain::doctor::delivery_group(ctx.cloud.as_ref(), &ctx.config.names).await;
    let give_up = access.fired_at
        + TimeDelta::from_std(pace.cloudtrail * 2 + pace.tracer_every * 4)
            .unwrap_or(TimeDelta::hours(1));
    let (mut history, mut logs) = (false, false);
    let marker = access.marker.clone();
    // Live Tail beside the looks, where the endpoint has it: the record the moment it comes.
    let tail = tokio::spawn(tail(
        ctx.clone(),
        access.clone(),
        (group.clone(), pace.tracer_every),
        give_up,
        tx.clone(),
    ));
    loop {
        if !history {
            history = settle(&tx, &marker, Link::History, in_history(&ctx, &access).await);
        }
        if !logs {
            logs = settle(
                &tx,
                &marker,
                Link::LogGroup,
                in_logs(&ctx, &access, &group).await,
            );
        }
        if (history && logs) || ctx.clock.now() > give_up || tx.is_closed() {
            tail.abort();
            return;
        }
        tokio::time::sleep(pace.tracer_every).await;
    }
}

/// Live Tail sessions on the log group until the read's record comes in (then it is sent) or
/// `give_up`; where Live Tail is not had (not supported, refused, failing), nothing: the
/// looks with FilterLogEvents go on.
async fn tail(
    ctx: Context,
    access: TestAccess,
    (group, every): (String, Duration),
    give_up: DateTime<Utc>,
    tx: UnboundedSender<Update>,
) {
    let text = format!("app/{}", access.marker);
    while ctx.clock.now() < give_up && !tx.is_closed() {
        let wait = (give_up - ctx.clock.now()).to_std().unwrap_or_default();
        let records = match ctx.cloud.live_tail(&group, &text, wait).await {
            Ok(records) => records,
            Err(e) => {
                tracing::debug!(error = %e, "no Live Tail: the trace looks with FilterLogEvents");
                return;
            }
        };
        let ours = records.iter().find(|r| {
            r.user_agent
                .as_deref()
                .is_none_or(|ua| carries(ua, &access.marker))
        });
        let Some(record) = ours else {
            // None in time, no such group yet, or another marker's: a new session, later.
            tokio::time::sleep(every).await;
            continue;
        };
        {
            let detail = match &record.event_id {
                Some(id) => format!("Live Tail: record of event {id} in {group}"),
                None => format!("Live Tail: a record in {group}"),
            };
            let _ = tx.send(Update::TraceSeen {
                marker: access.marker.clone(),
                link: Link::LogGroup,
                at: record.ingested_at,
                detail,
            });
            return;
        }
    }
}

/// Sends what a look found; true when that link needs no more looks.
fn settle(
    tx: &UnboundedSender<Update>,
    marker: &str,
    link: Link,
    found: Result<Option<(DateTime<Utc>, String)>, CloudError>,
) -> bool {
    let update = match found {
        Ok(None) => return false,
        Ok(Some((at, detail))) => Update::TraceSeen {
            marker: marker.to_string(),
            link,
            at,
            detail,
        },
        // What will not change by asking again: the link cannot be observed here.
        Err(e) if matches!(e.kind, ErrorKind::AccessDenied | ErrorKind::Unsupported) => {
            Update::TraceUnobserved {
                marker: marker.to_string(),
                link,
                why: e.short(),
            }
        }
        // Throttled, unreachable, not there yet (a log group): asked again.
        Err(_) => return false,
    };
    let _ = tx.send(update);
    true
}

async fn in_history(
    ctx: &Context,
    access: &TestAccess,
) -> Result<Option<(DateTime<Utc>, String)>, CloudError> {
    // By name, in a window of seconds around the read: not every endpoint names the secret
    // among an event's resources (ministack does not), and the caller's name in history is
    // not always the one STS gives.
    let mut query = EventQuery {
        lookup: LookupAttribute::EventName("GetSecretValue".into()),
        start: access.fired_at - BEFORE,
        end: access.fired_at + AFTER,
        next_token: None,
    };
    for _ in 0..PAGES {
        ctx.budget.acquire().await;
        let page = ctx.cloud.lookup_events(&query).await?;
        let ours = page
            .records
            .iter()
            .map(parse_access_event)
            .find(|e| carries(&e.user_agent, &access.marker));
        if let Some(event) = ours {
            let detail = format!("LookupEvents: event {}", event.event_id);
            return Ok(Some((ctx.clock.now(), detail)));
        }
        match page.next_token {
            Some(token) => query.next_token = Some(token),
            None => break,
        }
    }
    Ok(None)
}

async fn in_logs(
    ctx: &Context,
    access: &TestAccess,
    group: &str,
) -> Result<Option<(DateTime<Utc>, String)>, CloudError> {
    let records = ctx
        .cloud
        .log_records(
            group,
            &format!("app/{}", access.marker),
            access.fired_at - BEFORE,
        )
        .await?;
    let Some(record) = records.iter().find(|r| {
        r.user_agent
            .as_deref()
            .is_none_or(|ua| carries(ua, &access.marker))
    }) else {
        return Ok(None);
    };
    let detail = match &record.event_id {
        Some(id) => format!("FilterLogEvents: record of event {id} in {group}"),
        None => format!("FilterLogEvents: a record in {group}"),
    };
    Ok(Some((record.ingested_at, detail)))
}
