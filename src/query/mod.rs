//! The filter language over accesses, one parser for the dashboard's `/` line and for
//! `events --filter`: words separated by spaces, all of which must hold; free text, or a
//! field (`principal:`, `ip:` with an address or a network, `client:`, `secret:`,
//! `outcome:ok|denied|error`, `type:human|service`, `new:`, `kind:read|change|flagged`,
//! `since:`/`until:`, `account:`,
//! `region:`); `!` in front leaves out what matches. A mistake names where it is.

mod lex;
mod memo;
mod term;
#[cfg(test)]
mod tests;

pub use term::{FIELDS, is_denial};

use crate::access::AccessEvent;
use chrono::{DateTime, Utc};
use term::Term;

/// A parsed filter expression; the empty one matches everything.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Query {
    text: String,
    terms: Vec<(bool, Term)>,
}

impl Query {
    /// Reads `text`; relative times (`since:15m`) are taken from `now`.
    pub fn parse(text: &str, now: DateTime<Utc>) -> Result<Query, QueryError> {
        let terms = lex::words(text)?
            .iter()
            .map(|word| Ok((word.negated, Term::read(word, now)?)))
            .collect::<Result<_, QueryError>>()?;
        Ok(Query {
            text: text.trim().to_string(),
            terms,
        })
    }

    pub fn matches(&self, event: &AccessEvent) -> bool {
        self.terms
            .iter()
            .all(|(negated, term)| term.matches(event) != *negated)
    }

    /// For one pass over many accesses (a timeline, newest first): as `matches`, each
    /// repeated text searched once.
    pub fn matcher(&self) -> impl FnMut(&AccessEvent) -> bool + '_ {
        let mut memos: Vec<memo::Memo> = self.terms.iter().map(|_| memo::Memo::new()).collect();
        move |event| {
            self.terms
                .iter()
                .zip(&mut memos)
                .all(|((negated, term), memo)| term.matches_with(event, memo) != *negated)
        }
    }

    /// Which of the access's fields the expression's words found (not the left-out ones):
    /// what the timeline marks in a matching row.
    pub fn marks(&self, event: &AccessEvent) -> Marks {
        let mut marks = Marks::default();
        for (_, term) in self.terms.iter().filter(|(negated, _)| !negated) {
            term.mark(event, &mut marks);
        }
        marks
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// The expression as it was typed, trimmed.
    pub fn text(&self) -> &str {
        &self.text
    }
}

/// The fields of an access a filter found something in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Marks {
    pub time: bool,
    pub scope: bool,
    pub principal: bool,
    pub source_ip: bool,
    pub client: bool,
    pub secret: bool,
    pub outcome: bool,
    pub user_agent: bool,
}

/// Where an expression is wrong and why; `at` and `len` count characters.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("at character {}: {why}", .at + 1)]
pub struct QueryError {
    pub at: usize,
    pub len: usize,
    pub why: String,
}

impl QueryError {
    fn new(at: usize, len: usize, why: impl Into<String>) -> QueryError {
        QueryError {
            at,
            len,
            why: why.into(),
        }
    }

    /// The expression with the mistake underlined, then why, for a terminal:
    /// ```text
    /// principal:alice ip:10.0.0/8
    ///                    ^^^^^^^^ `10.0.0/8` is not an address or a network …
    /// ```
    pub fn pointed(&self, text: &str) -> String {
        let line: String = text
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        use unicode_width::UnicodeWidthChar;
        let width = |skip: usize, take: usize| -> usize {
            line.chars()
                .skip(skip)
                .take(take)
                .map(|c| c.width().unwrap_or(0))
                .sum()
        };
        format!(
            "{line}\n{}{} {}",
            " ".repeat(width(0, self.at)),
            "^".repeat(width(self.at, self.len).max(1)),
            self.why
        )
    }
}
