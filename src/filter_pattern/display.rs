//! The normalised text of a pattern: one that parses back to the same tree.

use super::syntax::{Comparison, Expr, FilterPattern, Literal, OPS, Segment};
use std::fmt;

impl fmt::Display for FilterPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{{ {} }}", self.root)
    }
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (items, sep) = match self {
            Expr::Cmp(c) => return write!(f, "{c}"),
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
        f.write_str("$")?;
        for seg in &self.path {
            match seg {
                Segment::Key(k) => write!(f, ".{k}")?,
                Segment::Index(i) => write!(f, "[{i}]")?,
            }
        }
        let op = OPS
            .iter()
            .find(|(_, o)| *o == self.op)
            .map_or("?", |(s, _)| s);
        match &self.value {
            Literal::Num(n) => write!(f, " {op} {n:?}"),
            Literal::Str(s) => write!(
                f,
                " {op} \"{}\"",
                s.replace('\\', "\\\\").replace('"', "\\\"")
            ),
        }
    }
}
