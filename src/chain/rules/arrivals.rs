//! Whether messages actually arrive at a source's queue whose configuration looks right:
//! what CloudWatch counted over the doctor's window. A count of failed deliveries breaks
//! the source whatever its configuration says; no message at all leaves it unproven, said
//! as such; a count that could not be read is said as unknown.

use crate::chain::{Finding, LinkState as S};
use crate::cloud::delivery::WINDOW_HOURS;

/// What CloudWatch counted over the window (None: no datapoint).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Arrivals {
    /// NumberOfMessagesSent of the queue.
    pub sent: Option<f64>,
    /// FailedInvocations of the rule sending to it (the fast path's only).
    pub failed: Option<f64>,
}

/// `finding` with what CloudWatch counted added to its evidence, where it could be read.
pub fn counted(finding: Finding, arrivals: &Result<Arrivals, String>) -> Finding {
    let Ok(arrivals) = arrivals else {
        return finding;
    };
    let evidence = format!(
        "{}; GetMetricData over {WINDOW_HOURS} h: NumberOfMessagesSent {}{}",
        finding.evidence,
        count(arrivals.sent),
        arrivals
            .failed
            .map(|n| format!(", FailedInvocations {}", count(Some(n))))
            .unwrap_or_default()
    );
    Finding {
        evidence,
        ..finding
    }
}

fn count(n: Option<f64>) -> u64 {
    n.map_or(0, |n| n.max(0.0).round() as u64)
}

/// `finding`, a source configured right, judged again by what arrived at `queue`
/// (Err: why the counts could not be read).
pub fn judged(finding: Finding, queue: &str, arrivals: &Result<Arrivals, String>) -> Finding {
    let finding = counted(finding, arrivals);
    let arrivals = match arrivals {
        Ok(a) => a,
        Err(why) => {
            return Finding {
                summary: format!(
                    "{}; whether messages arrive is unknown ({why})",
                    finding.summary
                ),
                ..finding
            };
        }
    };
    let (sent, failed) = (count(arrivals.sent), count(arrivals.failed));
    if failed > 0 {
        return Finding {
            state: S::Broken,
            summary: format!(
                "{failed} deliveries to queue {queue} failed in the last {WINDOW_HOURS} h though \
                 its policy lets the sender in: reads are lost"
            ),
            fix: Some(
                "a queue encrypted with the AWS managed key aws/sqs refuses EventBridge: use \
                 SSE-SQS, or a customer managed key whose policy lets events.amazonaws.com use it"
                    .into(),
            ),
            ..finding
        };
    }
    let summary = if sent > 0 {
        format!(
            "{}; {sent} message(s) arrived in the last {WINDOW_HOURS} h",
            finding.summary
        )
    } else {
        format!(
            "{}; no message arrived in the last {WINDOW_HOURS} h, so delivery is not proven yet \
             (a test read, `t`, sends one)",
            finding.summary
        )
    };
    Finding { summary, ..finding }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chain::ChainLink;

    fn ok() -> Finding {
        Finding::new(ChainLink::FastPath, S::Ok, "configured").evidence("DescribeRule")
    }

    #[test]
    fn failed_deliveries_break_a_source_that_looks_right() {
        let f = judged(
            ok(),
            "q",
            &Ok(Arrivals {
                sent: Some(3.0),
                failed: Some(2.0),
            }),
        );
        assert_eq!(f.state, S::Broken);
        assert!(
            f.summary.starts_with("2 deliveries to queue q failed"),
            "{f:?}"
        );
        assert!(f.evidence.contains("FailedInvocations 2"), "{f:?}");
        assert!(f.fix.is_some_and(|x| x.contains("aws/sqs")));
    }

    #[test]
    fn arrivals_are_counted_and_none_is_not_called_proof() {
        let f = judged(
            ok(),
            "q",
            &Ok(Arrivals {
                sent: Some(12.0),
                failed: Some(0.0),
            }),
        );
        assert_eq!(f.state, S::Ok);
        assert!(
            f.summary
                .ends_with("12 message(s) arrived in the last 24 h"),
            "{f:?}"
        );
        let none = judged(ok(), "q", &Ok(Arrivals::default()));
        assert_eq!(none.state, S::Ok);
        assert!(none.summary.contains("not proven yet"), "{none:?}");
        assert!(!none.evidence.contains("FailedInvocations"), "{none:?}");
        let unknown = judged(ok(), "q", &Err("GetMetricData: AccessDenied".into()));
        assert_eq!(unknown.state, S::Ok);
        assert!(
            unknown
                .summary
                .ends_with("whether messages arrive is unknown (GetMetricData: AccessDenied)"),
            "{unknown:?}"
        );
    }
}
