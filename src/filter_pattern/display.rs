//! The normalised text of a pattern: one that parses back to the same tree.

use super::syntax::{CHECKS, Comparison, Expr, FilterPattern, Literal, OPS, Segment, TermKind};
use std::fmt;

impl fmt::Display for FilterPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.root {
            Expr::Terms(terms) => {
                for (i, t) in terms.iter().enumerate() {
                    let kind = match t.kind {
                        TermKind::Must => "",
                        TermKind::OneOf => "?",
                        TermKind::MustNot => "-",
                    };
                    write!(
                        f,
                        "{}{kind}{}",
                        if i == 0 { "" } else { " " },
                        Shown(&t.text)
                    )?;
                }
                Ok(())
            }
            root => write!(f, "{{ {root} }}"),
        }
    }
}

/// A literal as a pattern writes it: a number, a quoted string, a `%regex%`.
struct Shown<'a>(&'a Literal);

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Literal::Num(n) => write!(f, "{n:?}"),
            Literal::Str(s) => write!(f, "\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\"")),
            Literal::Regex(r) => write!(f, "%{}%", r.0.as_str().replace('%', "\\%")),
        }
    }
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (items, sep) = match self {
            Expr::Cmp(c) => return write!(f, "{c}"),
            Expr::Check(path, check) => {
                write_path(f, path)?;
                let word = CHECKS
                    .iter()
                    .find(|(_, c)| c == check)
                    .map_or("?", |(w, _)| w);
                return write!(f, " {word}");
            }
            Expr::Terms(_) => return Ok(()),
            Expr::Any(items) => (items, " || "),
            Expr::All(items) => (items, " && "),
        };
        for (i, item) in items.iter().enumerate() {
            f.write_str(if i == 0 { "" } else { sep })?;
            match item {
                Expr::Any(_) => write!(f, "({item})")?,
                _ => write!(f, "{item}")?,
            }
        }
        Ok(())
    }
}

impl fmt::Display for Comparison {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_path(f, &self.path)?;
        let op = OPS
            .iter()
            .find(|(_, o)| *o == self.op)
            .map_or("?", |(s, _)| s);
        write!(f, " {op} {}", Shown(&self.value))
    }
}

fn write_path(f: &mut fmt::Formatter<'_>, path: &[Segment]) -> fmt::Result {
    f.write_str("$")?;
    for seg in path {
        match seg {
            Segment::Key(k) => write!(f, ".{k}")?,
            Segment::Index(i) => write!(f, "[{i}]")?,
        }
    }
    Ok(())
}

impl FilterPattern {
    /// The conditions the top level of a JSON pattern joins with `&&`, each as text (in
    /// parentheses when it is an `||`), to build a pattern that adds one; None for a text
    /// pattern, which has no such level.
    pub fn and_terms(&self) -> Option<Vec<String>> {
        let shown = |e: &Expr| match e {
            Expr::Any(_) => format!("({e})"),
            _ => e.to_string(),
        };
        match &self.root {
            Expr::Terms(_) => None,
            Expr::All(items) => Some(items.iter().map(shown).collect()),
            root => Some(vec![shown(root)]),
        }
    }
}
