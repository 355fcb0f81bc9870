//! Matching a parsed pattern against a log event (already parsed JSON).

use super::syntax::{Check, Comparison, Expr, FilterPattern, Literal, Op, Segment};
use super::text::terms_match;
use serde_json::Value as Json;

impl FilterPattern {
    /// True when the log event (already parsed JSON) matches.
    #[must_use]
    pub fn matches(&self, event: &Json) -> bool {
        match &self.root {
            Expr::Terms(terms) => terms_match(terms, &event.to_string()),
            root => root.matches(event),
        }
    }

    /// True when the log event, as its text, matches: a text pattern is held against the
    /// text itself, a JSON pattern against the JSON it holds (none: no match).
    #[must_use]
    pub fn matches_text(&self, event: &str) -> bool {
        match &self.root {
            Expr::Terms(terms) => terms_match(terms, event),
            root => serde_json::from_str::<Json>(event).is_ok_and(|v| root.matches(&v)),
        }
    }
}

impl Expr {
    fn matches(&self, event: &Json) -> bool {
        match self {
            Expr::Any(items) => items.iter().any(|e| e.matches(event)),
            Expr::All(items) => items.iter().all(|e| e.matches(event)),
            Expr::Cmp(c) => c.matches(event),
            Expr::Check(path, check) => match (field(event, path), check) {
                (None, Check::NotExists) => true,
                (Some(Json::Null), Check::IsNull) => true,
                (Some(Json::Bool(b)), Check::IsTrue) => *b,
                (Some(Json::Bool(b)), Check::IsFalse) => !*b,
                _ => false,
            },
            Expr::Terms(terms) => terms_match(terms, &event.to_string()),
        }
    }
}

/// The value at `path`, if the event has one there.
fn field<'a>(event: &'a Json, path: &[Segment]) -> Option<&'a Json> {
    path.iter().try_fold(event, |v, seg| match seg {
        Segment::Key(k) => v.as_object().and_then(|o| o.get(k)),
        Segment::Index(i) => v.as_array().and_then(|a| a.get(*i)),
    })
}

impl Comparison {
    fn matches(&self, event: &Json) -> bool {
        let Some(field) = field(event, &self.path) else {
            return false;
        };
        match (&self.value, self.op) {
            (Literal::Regex(r), Op::Eq) => field.as_str().is_some_and(|s| r.0.is_match(s)),
            (Literal::Regex(r), Op::Ne) => field.as_str().is_some_and(|s| !r.0.is_match(s)),
            (Literal::Regex(_), _) => false,
            (Literal::Str(p), Op::Eq) => field.as_str().is_some_and(|s| wildcard_match(p, s)),
            (Literal::Str(p), Op::Ne) => field.as_str().is_some_and(|s| !wildcard_match(p, s)),
            (Literal::Str(_), _) => false,
            (Literal::Num(n), op) => field.as_f64().is_some_and(|x| compare(x, op, *n)),
        }
    }
}

fn compare(x: f64, op: Op, n: f64) -> bool {
    match op {
        Op::Eq => x == n,
        Op::Ne => x != n,
        Op::Lt => x < n,
        Op::Le => x <= n,
        Op::Gt => x > n,
        Op::Ge => x >= n,
    }
}

/// `*` in `pattern` matches any run of characters (including none); all else is literal.
fn wildcard_match(pattern: &str, text: &str) -> bool {
    let mut parts = pattern.split('*');
    let first = parts.next().unwrap_or_default();
    let Some(mut rest) = text.strip_prefix(first) else {
        return false;
    };
    let tail: Vec<&str> = parts.collect();
    let Some((last, middle)) = tail.split_last() else {
        return rest.is_empty();
    };
    let Some(trimmed) = rest.strip_suffix(last) else {
        return false;
    };
    rest = trimmed;
    for part in middle {
        match rest.split_once(part) {
            Some((_, after)) => rest = after,
            None => return false,
        }
    }
    true
}
