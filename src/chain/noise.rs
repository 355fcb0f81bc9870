//! The doctor's noise finding: how often the alarm fires, whose reads make it fire, and the
//! metric filter pattern that leaves out the principals the user marked as expected, with
//! the episodes a day it would leave, projected over the reads held by the local pattern
//! evaluator. Nothing is left out that the user did not mark.

use super::{ChainLink, Finding, LinkState};
use crate::access::AccessEvent;
use crate::cloud::types::Alarm;
use crate::filter_pattern::FilterPattern;
use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use std::collections::HashMap;

/// Where a read's principal is in its record.
const ARN: &str = "$.userIdentity.arn";
/// CloudWatch Logs' longest filter pattern.
const MAX_PATTERN: usize = 1024;
/// More firings a day than this is noise: nobody reads that many emails.
pub const NOISY_PER_DAY: f64 = 10.0;

/// How the clause of `without`'s begins, as the pattern's display writes it.
fn is_ours(term: &str) -> bool {
    term.starts_with(&format!("({ARN} NOT EXISTS || "))
}

/// A principal as an expected one is written in a pattern: every session of an assumed
/// role at once (`…:assumed-role/app/*`), anything else by its ARN; None for a principal
/// with no ARN in its record (an AWS service), which a pattern cannot single out.
pub fn expected_form(principal: &str) -> Option<String> {
    if !principal.starts_with("arn:") || principal.contains(['"', '\\', '*']) {
        return None;
    }
    if let Some((head, rest)) = principal.split_once(":assumed-role/") {
        let role = rest.split('/').next().filter(|r| !r.is_empty())?;
        return Some(format!("{head}:assumed-role/{role}/*"));
    }
    Some(principal.to_string())
}

/// `pattern` leaving out the reads of the `expected` principals, still counting a read
/// whose record has no principal ARN (an AWS service's). A clause left by an earlier
/// proposal is replaced, not kept beside the new one. Err says why there is none.
pub fn without(pattern: &str, expected: &[String]) -> Result<String, String> {
    let parsed = FilterPattern::parse(pattern)
        .map_err(|e| format!("the filter's pattern is not valid ({e})"))?;
    let terms = parsed.and_terms().ok_or_else(|| {
        "the filter has a text pattern, which cannot leave out a principal: a JSON pattern \
         ({ $.eventName = \"GetSecretValue\" … }) can"
            .to_string()
    })?;
    let mut kept: Vec<String> = terms.into_iter().filter(|t| !is_ours(t)).collect();
    if !expected.is_empty() {
        let each: Vec<String> = expected
            .iter()
            .map(|e| {
                format!(
                    "{ARN} != \"{}\"",
                    e.replace('\\', "\\\\").replace('"', "\\\"")
                )
            })
            .collect();
        kept.push(format!("({ARN} NOT EXISTS || ({}))", each.join(" && ")));
    }
    let text = format!("{{ {} }}", kept.join(" && "));
    if text.len() > MAX_PATTERN {
        return Err(format!(
            "leaving out {} principals makes a pattern of {} characters, over CloudWatch \
             Logs' {MAX_PATTERN}: mark fewer, or roles rather than their sessions",
            expected.len(),
            text.len()
        ));
    }
    FilterPattern::parse(&text).map_err(|e| format!("the proposal does not parse ({e})"))?;
    Ok(text)
}

/// The principals a pattern leaves out by a clause of `without`'s; none for any other.
pub fn left_out(pattern: &str) -> Vec<String> {
    let Some(terms) = FilterPattern::parse(pattern)
        .ok()
        .and_then(|p| p.and_terms())
    else {
        return Vec::new();
    };
    let Some(clause) = terms.iter().find(|t| is_ours(t)) else {
        return Vec::new();
    };
    let needle = format!("{ARN} != \"");
    clause
        .split(needle.as_str())
        .skip(1)
        .filter_map(|rest| rest.split_once('"').map(|(arn, _)| arn.to_string()))
        .collect()
}

/// The alarm's firings that a pattern would make over some reads, and whose reads were in
/// the periods that fired, most first.
#[derive(Debug, Clone, PartialEq)]
pub struct Projection {
    pub episodes: usize,
    pub per_day: f64,
    pub causes: Vec<(String, usize)>,
}

/// Replays `reads` from `from` to `to` through `pattern` (value 1 a match) and the alarm's
/// threshold, on Sum per period, M of N: how many times it would go into ALARM.
pub fn project(
    reads: &[&AccessEvent],
    pattern: &FilterPattern,
    alarm: &Alarm,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Projection {
    let period = alarm.period.as_secs().max(1) as i64;
    let periods = ((to - from).num_seconds().max(0) / period + 1) as usize;
    let mut sums = vec![0.0; periods];
    let mut who: Vec<Vec<&AccessEvent>> = vec![Vec::new(); periods];
    for e in reads.iter().filter(|e| e.time >= from && e.time <= to) {
        if pattern.matches(&record_of(e)) {
            let i = ((e.time - from).num_seconds() / period) as usize;
            if let (Some(sum), Some(w)) = (sums.get_mut(i), who.get_mut(i)) {
                *sum += 1.0;
                w.push(e);
            }
        }
    }
    let n = alarm.evaluation_periods.max(1) as usize;
    let m = alarm.datapoints_to_alarm.clamp(1, n as u32) as usize;
    let breaching: Vec<bool> = sums
        .iter()
        .map(|s| alarm.comparison.holds(*s, alarm.threshold))
        .collect();
    let (mut episodes, mut firing) = (0, false);
    let mut causes: HashMap<String, usize> = HashMap::new();
    for i in 0..periods {
        let window = i.saturating_sub(n - 1)..=i;
        let alarming = breaching[window.clone()].iter().filter(|b| **b).count() >= m;
        if alarming && !firing {
            episodes += 1;
            let mut by: Vec<String> = window
                .flat_map(|j| who[j].iter().map(|e| e.principal_shown()))
                .collect();
            by.sort();
            by.dedup();
            for p in by {
                *causes.entry(p).or_default() += 1;
            }
        }
        firing = alarming;
    }
    let mut causes: Vec<(String, usize)> = causes.into_iter().collect();
    causes.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let days = (to - from).num_seconds().max(period) as f64 / 86_400.0;
    Projection {
        episodes,
        per_day: episodes as f64 / days,
        causes,
    }
}

/// The record as CloudTrail wrote it when the timeline still keeps it, else rebuilt from
/// the fields it kept (what metric filters test: the call, who, from where, the outcome).
fn record_of(e: &AccessEvent) -> Value {
    if let Some(v) = e.raw.as_deref().and_then(|r| serde_json::from_str(r).ok()) {
        return v;
    }
    let mut record = json!({
        "eventSource": "secretsmanager.amazonaws.com",
        "eventName": &*e.event_name,
        "userIdentity": { "type": &*e.principal_type },
        "sourceIPAddress": &*e.source_ip,
        "userAgent": &*e.user_agent,
        "awsRegion": &*e.region,
        "recipientAccountId": &*e.account,
        "requestParameters": { "secretId": &*e.secret },
    });
    if e.principal.starts_with("arn:") {
        record["userIdentity"]["arn"] = json!(&*e.principal);
    }
    if let Some(code) = e.outcome.error_code() {
        record["errorCode"] = json!(code);
    }
    record
}

/// What the doctor says of the noise: the projection with the filter as it is, and with
/// the proposal when principals are marked expected.
pub struct Noise {
    pub reads: usize,
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub before: Projection,
    /// The proposal and its projection, or why there is none; None: nothing marked.
    pub after: Option<Result<(String, Projection), String>>,
    pub expected: Vec<String>,
    /// Firings in the alarm's own history over the same time.
    pub fired: usize,
}

impl Noise {
    pub fn finding(&self) -> Finding {
        let mut summary = format!(
            "the alarm fires about {:.0} times a day on these reads ({} in the {} held)",
            self.before.per_day,
            self.before.episodes,
            crate::text::format::age(self.from, self.to)
        );
        if !self.before.causes.is_empty() {
            let most: Vec<String> = self
                .before
                .causes
                .iter()
                .take(3)
                .map(|(p, n)| format!("{p} ({n})"))
                .collect();
            summary.push_str(&format!("; set off by {}", most.join(", ")));
        }
        let evidence = format!(
            "{} reads from {} to {} UTC replayed by the local pattern evaluator through the \
             filter's pattern and the alarm's threshold (Sum per period); its history: {} \
             firings",
            self.reads,
            self.from.format("%m-%d %H:%M"),
            self.to.format("%m-%d %H:%M"),
            self.fired
        );
        let fix = match &self.after {
            None if self.before.per_day > NOISY_PER_DAY => Some(
                "mark the principals whose reads you expect in the principals view (p, then e): \
                 the doctor then proposes a pattern that leaves them out"
                    .to_string(),
            ),
            None => None,
            Some(Err(why)) => Some(format!("no pattern proposed: {why}")),
            Some(Ok((pattern, after))) => Some(format!(
                "leave out {}: about {:.0} → {:.0} firings a day; pattern {pattern}; \
                 `secretwatch setup` (or s) applies it",
                self.expected.join(", "),
                self.before.per_day,
                after.per_day
            )),
        };
        let noisy = self.before.per_day > NOISY_PER_DAY;
        let proposed = matches!(self.after, Some(Ok(_)));
        Finding {
            link: ChainLink::Noise,
            state: if noisy || proposed {
                LinkState::Warning
            } else {
                LinkState::Ok
            },
            summary,
            evidence,
            fix,
        }
    }
}

#[cfg(test)]
#[path = "noise_tests.rs"]
mod tests;
