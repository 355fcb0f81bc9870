//! Traces put together: the tracer's sightings (history, log group), the fast path's, and
//! what the metric, alarm and alarm-queue sources hold, each link in its turn; at every
//! update, a link past its bound is where the chain stopped, with the doctor's finding.

use super::{Change, Store};
use crate::access::{AccessEvent, SeenBy};
use crate::chain::{ChainLink, LinkState};
use crate::cloud::types::{AlarmState, TestAccess};
use crate::engine::carries;
use crate::engine::{Source, Update};
use crate::store::Health;
use crate::trace::{AlarmShape, Bounds, Link, Outcome, Pace, Step, Trace, span};
use chrono::{DateTime, TimeDelta, Utc};

/// Alarm messages held for the traces (the newest).
const MESSAGES_KEPT: usize = 200;

impl Store {
    pub(super) fn apply_trace(&mut self, update: Update) -> Vec<Change> {
        match update {
            Update::TraceSeen {
                marker,
                link,
                at,
                detail,
            } => self.in_trace(&marker, |t| t.see(link, at, detail)),
            Update::TraceUnobserved { marker, link, why } => {
                self.in_trace(&marker, |t| t.cannot_observe(link, why))
            }
            Update::AlarmMessages(messages) => {
                self.alarm_messages.extend(messages);
                if self.alarm_messages.len() > 2 * MESSAGES_KEPT {
                    let old = self.alarm_messages.len() - MESSAGES_KEPT;
                    self.alarm_messages.drain(..old);
                }
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    /// The read answered: its trace starts, timed against the alarm as now known.
    pub(super) fn start_trace(&mut self, access: &TestAccess, pace: Pace) -> Vec<Change> {
        let shape = match self.alarm.found() {
            Some(a) => AlarmShape {
                period: a.period,
                evaluation_periods: a.evaluation_periods,
            },
            None => AlarmShape {
                period: pace.period,
                evaluation_periods: 1,
            },
        };
        let bounds = Bounds::new(pace, shape);
        let mut trace = Trace::fired(
            &access.marker,
            &access.secret_arn,
            &access.version_id,
            access.fired_at,
            bounds,
        );
        trace.metric_before = Some(self.period_value(&trace).unwrap_or(0.0));
        trace.alarm_since = self
            .alarm
            .found()
            .filter(|a| a.state == AlarmState::Alarm)
            .map(|a| a.state_since);
        self.traces.push(trace.clone());
        vec![Change::Trace(trace)]
    }

    fn in_trace(&mut self, marker: &str, change: impl FnOnce(&mut Trace) -> bool) -> Vec<Change> {
        let Some(t) = self.traces.iter_mut().find(|t| t.marker == marker) else {
            return Vec::new();
        };
        if change(t) {
            vec![Change::Trace(t.clone())]
        } else {
            Vec::new()
        }
    }

    /// The fast path delivered a test access's event: its EventBridge link.
    pub(super) fn trace_sighting(
        &mut self,
        event: &AccessEvent,
        now: DateTime<Utc>,
    ) -> Vec<Change> {
        if event.seen_by != SeenBy::EventBridge {
            return Vec::new();
        }
        let Some(marker) = self
            .traces
            .iter()
            .find(|t| t.is_running() && carries(&event.user_agent, &t.marker))
            .map(|t| t.marker.clone())
        else {
            return Vec::new();
        };
        let detail = format!("event {} on the fast path's queue", event.event_id);
        self.in_trace(&marker, |t| t.see(Link::EventBridge, now, detail))
    }

    /// The value of the trace's period (the one the read falls in) as the metric shows it.
    fn period_value(&self, trace: &Trace) -> Option<f64> {
        let period = TimeDelta::seconds(trace.bounds.period);
        self.metric
            .iter()
            .find(|p| p.time <= trace.fired_at && trace.fired_at < p.time + period)
            .map(|p| p.value)
    }

    /// Every running trace moved on as far as the store's state says; then past their
    /// bounds. Finished ones are kept in the book.
    pub(super) fn advance_traces(&mut self, now: DateTime<Utc>) -> Vec<Change> {
        if !self.traces.iter().any(Trace::is_running) {
            return Vec::new();
        }
        let mut changes = Vec::new();
        for i in 0..self.traces.len() {
            if !self.traces[i].is_running() {
                continue;
            }
            let mut trace = self.traces[i].clone();
            let mut moved = self.observe(&mut trace);
            let snapshot = trace.clone();
            for step in trace.check(now, |link| self.why_not(&snapshot, link)) {
                moved = true;
                if let Step::Stopped(link) = step {
                    self.attach_finding(&mut trace, link);
                }
            }
            if moved {
                if !trace.is_running() {
                    if let Err(why) = self.trace_book.keep(&trace) {
                        tracing::warn!(%why, "trace not kept");
                    }
                    self.refresh_latency();
                }
                self.traces[i] = trace.clone();
                changes.push(Change::Trace(trace));
            }
        }
        changes
    }

    /// Sees what the store holds for each link the trace awaits; true when it moved.
    fn observe(&self, trace: &mut Trace) -> bool {
        let mut moved = false;
        for (source, link) in [
            (Source::FastPath, Link::EventBridge),
            (Source::AlarmQueue, Link::Notification),
        ] {
            if let Health::Unavailable { why } = self.health.health(source, trace.fired_at) {
                moved |= trace.cannot_observe(link, why);
            }
        }
        if let Some(start) = trace.awaits(Link::Metric) {
            let before = trace.metric_before.unwrap_or(0.0);
            if let Some(value) = self.period_value(trace).filter(|v| *v > before) {
                let detail = format!("the read's period rose from {before} to {value}");
                moved |= trace.see(Link::Metric, self.seen_at(start), detail);
            }
        }
        if trace.awaits(Link::Alarm).is_some()
            && let Some(t) = self
                .alarm_history
                .iter()
                .rev()
                .find(|t| t.to == AlarmState::Alarm && t.time >= trace.fired_at)
        {
            let detail = format!("{}: {} → ALARM", t.alarm, t.from.as_str());
            moved |= trace.see(Link::Alarm, t.time, detail);
        }
        if let Some(start) = trace.awaits(Link::Notification) {
            let alarm = self.alarm.found().map(|a| a.name.as_str());
            let message = self.alarm_messages.iter().find(|m| {
                m.notification.time >= start - TimeDelta::seconds(5)
                    && m.new_state.as_deref().is_none_or(|s| s == "ALARM")
                    && m.alarm.as_deref().is_none_or(|a| Some(a) == alarm)
            });
            if let Some(m) = message {
                let n = &m.notification;
                let detail = format!("\"{}\" on queue {}", n.subject, n.endpoint);
                moved |= trace.see(Link::Notification, n.time, detail);
            }
        }
        moved
    }

    /// When a link polled rather than stamped was seen: now, as the store knows it (its
    /// newest poll), never before the link it follows.
    fn seen_at(&self, start: DateTime<Utc>) -> DateTime<Utc> {
        self.health
            .last_ok(Source::Metric)
            .map_or(start, |at| at.max(start))
    }

    /// Why `link` was not seen, from what the store knows.
    fn why_not(&self, trace: &Trace, link: Link) -> String {
        let bound = span(trace.bounds.secs(link));
        match link {
            Link::LogGroup if trace.seen(Link::History).is_some() => format!(
                "CloudTrail recorded the read (event history has it) but no record reached the \
                 log group within {bound}"
            ),
            Link::LogGroup => format!("no record of the read in the log group within {bound}"),
            Link::Metric => format!(
                "the log record is there but the read's period did not rise within {bound} \
                 (it was {} before)",
                trace.metric_before.unwrap_or(0.0)
            ),
            Link::Alarm => self.why_no_alarm(trace, &bound),
            Link::Notification => format!(
                "the alarm went to ALARM but no message reached the queue on its topic within \
                 {bound}"
            ),
            _ => format!("not seen within {bound}"),
        }
    }

    fn why_no_alarm(&self, trace: &Trace, bound: &str) -> String {
        let Some(alarm) = self.alarm.found() else {
            return format!("no alarm to go to ALARM within {bound}");
        };
        if let Some(since) = trace.alarm_since {
            return format!(
                "the alarm was already in ALARM when the read was made (since {}): it notifies \
                 on a transition only; trace again once it is back to OK",
                since.format("%H:%M:%S")
            );
        }
        let value = self.period_value(trace).unwrap_or(0.0);
        format!(
            "no transition to ALARM within {bound}: the alarm reads the {:?} of {}, the read's \
             period summed {value}, the threshold is {}",
            alarm.statistic, alarm.metric.name, alarm.threshold
        )
    }

    /// The doctor's finding for the link where the chain stopped, when it has one that is
    /// not ok.
    fn attach_finding(&self, trace: &mut Trace, link: Link) {
        let links: &[ChainLink] = match link {
            Link::LogGroup => &[ChainLink::Trail, ChainLink::Delivery],
            Link::Metric => &[ChainLink::MetricFilter],
            Link::Alarm => &[ChainLink::Alarm],
            Link::Notification => &[ChainLink::Notify, ChainLink::AlarmQueue],
            _ => &[],
        };
        let Some(report) = &self.chain else {
            return;
        };
        let found = report
            .findings
            .iter()
            .find(|f| links.contains(&f.link) && f.state != LinkState::Ok);
        if let (Some(f), Outcome::Stopped { finding, fix, .. }) = (found, &mut trace.outcome) {
            *finding = Some(format!("{}: {}", f.link.label(), f.summary));
            fix.clone_from(&f.fix);
        }
    }

    /// The doctor answered after traces stopped: those that stopped without its finding get
    /// it now (shown; the copy on disk keeps what was known when it stopped).
    pub(super) fn refresh_trace_findings(&mut self) {
        let mut traces = std::mem::take(&mut self.traces);
        for trace in &mut traces {
            if let Outcome::Stopped {
                link,
                finding: None,
                ..
            } = trace.outcome
            {
                self.attach_finding(trace, link);
            }
        }
        self.traces = traces;
    }

    /// The report's trace finding (the medians over the traces kept), made again.
    pub(super) fn refresh_latency(&mut self) {
        let finding = crate::chain::latency::finding(&self.trace_book.past);
        if let Some(report) = &mut self.chain {
            report.findings.retain(|f| f.link != ChainLink::Trace);
            report.findings.extend(finding);
        }
    }

    /// This run's traces, then the past ones, newest first.
    pub fn all_traces(&self) -> impl Iterator<Item = &Trace> {
        let here: Vec<&str> = self.traces.iter().map(|t| t.marker.as_str()).collect();
        self.traces.iter().rev().chain(
            self.trace_book
                .past
                .iter()
                .rev()
                .filter(move |t| !here.contains(&t.marker.as_str())),
        )
    }
}
