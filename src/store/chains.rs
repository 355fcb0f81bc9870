//! The chain the dashboard shows: the focused scope's, or, when the timeline is narrowed to
//! exactly one other scope, that scope's; and every scope's verdict at a glance.

use super::Store;
use crate::chain::Finding;
use crate::chain::scopes::Verdict;
use crate::cloud::scope::Scope;

/// One scope's chain as the doctor last found it.
pub struct ChainShown<'a> {
    /// None until the doctor has looked.
    pub findings: Option<&'a [Finding]>,
    pub checking: bool,
    /// Where its log group, filter, alarm and topic live, when not in the scope itself.
    pub chain_in: Option<&'a Scope>,
    /// The scope, when it is not the focused one.
    pub other: Option<String>,
}

/// How many scopes' chains are in each state (every scope, the focused one included).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Verdicts {
    pub working: usize,
    pub broken: usize,
    pub not_set_up: usize,
    pub unknown: usize,
    pub checking: usize,
    /// Not looked at since the dashboard opened (`d` looks at every scope).
    pub unchecked: usize,
}

impl Store {
    /// The doctor is looking again, at every scope.
    pub fn checking_chains(&mut self) {
        self.chain_checking = true;
        for view in self.others.values_mut() {
            view.chain_checking = true;
        }
    }

    pub fn chain_shown(&self) -> ChainShown<'_> {
        let narrowed = self.narrowed.as_ref().filter(|n| n.account.is_some());
        let other = narrowed.and_then(|n| {
            self.others
                .values()
                .find(|v| v.account() == n.account.as_deref() && v.region() == n.region.as_deref())
        });
        match other {
            Some(view) => ChainShown {
                findings: view.chain.as_ref().map(|r| r.findings.as_slice()),
                checking: view.chain_checking,
                chain_in: view.chain.as_ref().and_then(|r| r.chain_in.as_ref()),
                other: Some(format!(
                    "{} {}",
                    view.account().unwrap_or("?"),
                    view.region().unwrap_or("?")
                )),
            },
            None => ChainShown {
                findings: self.chain.as_ref().map(|r| r.findings.as_slice()),
                checking: self.chain_checking,
                chain_in: self.chain.as_ref().and_then(|r| r.chain_in.as_ref()),
                other: None,
            },
        }
    }

    /// Each scope's verdict once the doctor has looked (the focused scope first, then the
    /// others in order), and whether it is looking again.
    pub fn chain_states(&self) -> impl Iterator<Item = (Option<Verdict>, bool)> + '_ {
        let focused = self.chain.as_ref().map(|r| Verdict::of(&r.findings));
        let others = self
            .others
            .values()
            .map(|v| (v.chain.as_ref().map(|r| r.verdict), v.chain_checking));
        std::iter::once((focused, self.chain_checking)).chain(others)
    }

    /// Every scope's verdict, counted.
    pub fn verdicts(&self) -> Verdicts {
        let mut counts = Verdicts::default();
        for (verdict, checking) in self.chain_states() {
            match verdict {
                // A scope looked at again counts as it was until its new verdict is in.
                None if checking => counts.checking += 1,
                Some(Verdict::Working) => counts.working += 1,
                Some(Verdict::Broken) => counts.broken += 1,
                Some(Verdict::NotSetUp) => counts.not_set_up += 1,
                Some(Verdict::Unknown) => counts.unknown += 1,
                None => counts.unchecked += 1,
            }
        }
        counts
    }
}

impl Verdicts {
    /// `2 working · 1 BROKEN · 1 checking…`: the states some scope is in.
    pub fn words(&self) -> String {
        let parts = [
            (self.working, "working"),
            (self.broken, "BROKEN"),
            (self.not_set_up, "not set up"),
            (self.unknown, "not fully checked"),
            (self.checking, "checking…"),
            (self.unchecked, "not checked (d)"),
        ];
        let said: Vec<String> = parts
            .iter()
            .filter(|(n, _)| *n > 0)
            .map(|(n, w)| format!("{n} {w}"))
            .collect();
        said.join(" · ")
    }
}
