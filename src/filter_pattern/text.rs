//! The parts of the syntax beyond comparisons: the checks after a selector (`IS NULL`,
//! `NOT EXISTS`, `IS TRUE`, `IS FALSE`), `%regex%` values, and text patterns (terms the
//! event's text must hold, `?` for one of several, `-` to leave out, quoted or bare).

use super::error::PatternError;
use super::parser::Parser;
use super::syntax::{CHECKS, Check, Expr, Literal, Regex, Term, TermKind};

impl Parser {
    /// A check's words at the cursor (any case, any spaces between), consumed; None when
    /// the words are not a check.
    pub(super) fn parse_check(&mut self) -> Option<Check> {
        for (spelling, check) in CHECKS {
            let mut at = self.pos;
            let mut fits = true;
            for (i, word) in spelling.split(' ').enumerate() {
                if i > 0 {
                    let gap = at;
                    while self.chars.get(at).is_some_and(|c| c.is_whitespace()) {
                        at += 1;
                    }
                    fits &= at > gap;
                }
                let found = self.text(at, at + word.len());
                fits &= found.eq_ignore_ascii_case(word);
                at += word.len();
            }
            let ends = !self
                .chars
                .get(at)
                .is_some_and(|c| c.is_ascii_alphanumeric());
            if fits && ends {
                self.pos = at;
                return Some(check);
            }
        }
        None
    }

    /// `%regex%` at the cursor: the text up to the next `%` (a `\%` is a percent sign).
    pub(super) fn parse_regex(&mut self) -> Result<Literal, PatternError> {
        let column = self.column();
        self.pos += 1;
        let mut source = String::new();
        loop {
            match (self.peek(), self.chars.get(self.pos + 1).copied()) {
                (None, _) => {
                    let found = format!("%{source}");
                    return Err(PatternError::Expected {
                        expected: "'%' closing the regular expression",
                        column,
                        found,
                    });
                }
                (Some('%'), _) => {
                    self.pos += 1;
                    break;
                }
                (Some('\\'), Some('%')) => {
                    source.push('%');
                    self.pos += 2;
                }
                (Some(c), _) => {
                    source.push(c);
                    self.pos += 1;
                }
            }
        }
        regex_lite::Regex::new(&source)
            .map(|r| Literal::Regex(Regex(r)))
            .map_err(|e| PatternError::InvalidRegex {
                column,
                text: source,
                why: e.to_string(),
            })
    }

    /// A text pattern: the whole input is terms separated by spaces.
    pub(super) fn parse_terms(&mut self) -> Result<Expr, PatternError> {
        let mut terms = Vec::new();
        loop {
            self.skip_ws();
            let Some(first) = self.peek() else { break };
            let kind = match first {
                '?' => TermKind::OneOf,
                '-' => TermKind::MustNot,
                _ => TermKind::Must,
            };
            if kind != TermKind::Must {
                self.pos += 1;
            }
            let text = match self.peek() {
                Some('"') => Literal::Str(self.parse_string()?),
                Some('%') => self.parse_regex()?,
                Some(c) if !c.is_whitespace() => {
                    let start = self.pos;
                    while self.peek().is_some_and(|c| !c.is_whitespace()) {
                        self.pos += 1;
                    }
                    Literal::Str(self.text(start, self.pos))
                }
                _ => return Err(self.expected("a term after '?' or '-'")),
            };
            terms.push(Term { kind, text });
        }
        Ok(Expr::Terms(terms))
    }
}

impl Term {
    /// Whether the event's text holds this term (case counts, as in CloudWatch Logs).
    pub(super) fn found_in(&self, text: &str) -> bool {
        match &self.text {
            Literal::Str(s) => text.contains(s.as_str()),
            Literal::Regex(r) => r.0.is_match(text),
            Literal::Num(n) => text.contains(&n.to_string()),
        }
    }
}

/// Whether `text` holds the terms: every plain one, one of the `?` ones (if any), none of
/// the `-` ones.
pub(super) fn terms_match(terms: &[Term], text: &str) -> bool {
    let of = |kind: TermKind| terms.iter().filter(move |t| t.kind == kind);
    of(TermKind::Must).all(|t| t.found_in(text))
        && (of(TermKind::OneOf).next().is_none() || of(TermKind::OneOf).any(|t| t.found_in(text)))
        && !of(TermKind::MustNot).any(|t| t.found_in(text))
}
