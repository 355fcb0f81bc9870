//! The doctor's noise finding over what the store holds: the focused scope's reads, its
//! alarm and history, the metric filter the doctor read, and the principals marked
//! expected. Added to the doctor's report as it arrives, and again when a mark changes.

use crate::access::AccessEvent;
use crate::chain::noise::{Noise, project, without};
use crate::chain::{ChainLink, Finding};
use crate::filter_pattern::FilterPattern;
use chrono::{DateTime, Utc};

impl super::Store {
    /// None without a metric filter of the chain, an alarm on Sum, or a read held.
    pub fn noise(&self, now: DateTime<Utc>) -> Option<Finding> {
        let seen = self.chain.as_ref()?.filter.as_ref()?;
        // On any other statistic the alarm finding says what is wrong; a count of firings
        // would replay a chain that does not fire.
        let alarm = self
            .alarm
            .found()
            .filter(|a| a.statistic == crate::cloud::types::Statistic::Sum)?;
        let pattern = FilterPattern::parse(&seen.filter.pattern).ok()?;
        let reads: Vec<&AccessEvent> = self.focused_reads().collect();
        let from = reads.last()?.time;
        let before = project(&reads, &pattern, alarm, from, now);
        let expected = self.expected.principals();
        let after = (!expected.is_empty()).then(|| {
            let text = without(&seen.filter.pattern, &expected)?;
            let proposal = FilterPattern::parse(&text).map_err(|e| e.to_string())?;
            let projected = project(&reads, &proposal, alarm, from, now);
            Ok((text, projected))
        });
        let fired = super::breach::firings(&self.alarm_history)
            .filter(|t| t.time >= from)
            .count();
        let noise = Noise {
            reads: reads.len(),
            from,
            to: now,
            before,
            after,
            expected,
            fired,
        };
        Some(noise.finding())
    }

    /// The report's noise finding, made again from what is held now.
    pub fn refresh_noise(&mut self, now: DateTime<Utc>) {
        let finding = self.noise(now);
        if let Some(report) = &mut self.chain {
            report.findings.retain(|f| f.link != ChainLink::Noise);
            report.findings.extend(finding);
        }
    }
}
