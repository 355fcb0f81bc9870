//! The syntax tree a pattern parses into: `||` over `&&` over comparisons of a
//! selector with a literal.

/// A parsed JSON filter pattern, e.g. `{ ($.eventSource = "secretsmanager.amazonaws.com") && ($.eventName = "GetSecretValue") }`.
#[derive(Debug, Clone, PartialEq)]
pub struct FilterPattern {
    pub(super) root: Expr,
}

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Expr {
    /// `||` of two or more terms; never directly contains another `Any`.
    Any(Vec<Expr>),
    /// `&&` of two or more terms; never directly contains another `All`.
    All(Vec<Expr>),
    Cmp(Comparison),
    /// `$.a IS NULL`, `$.a NOT EXISTS`, `$.a IS TRUE`, `$.a IS FALSE`.
    Check(Vec<Segment>, Check),
    /// A text pattern (the whole pattern, never inside braces): terms the event's text
    /// must hold.
    Terms(Vec<Term>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Check {
    IsNull,
    NotExists,
    IsTrue,
    IsFalse,
}

/// The spellings of each check, as the pattern writes them after a selector.
pub(super) const CHECKS: [(&str, Check); 4] = [
    ("IS NULL", Check::IsNull),
    ("NOT EXISTS", Check::NotExists),
    ("IS TRUE", Check::IsTrue),
    ("IS FALSE", Check::IsFalse),
];

/// One term of a text pattern: `ERROR` (must be there), `?ERROR` (one of the `?` terms
/// must be), `-DEBUG` (must not be), a quoted `"two words"`, or a `%regex%`.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Term {
    pub(super) kind: TermKind,
    pub(super) text: Literal,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum TermKind {
    Must,
    OneOf,
    MustNot,
}

#[derive(Debug, Clone, PartialEq)]
pub(super) struct Comparison {
    pub(super) path: Vec<Segment>,
    pub(super) op: Op,
    pub(super) value: Literal,
}

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Segment {
    Key(String),
    Index(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

/// Operator spellings, two-character ones first so that `<=` is not read as `<`.
pub(super) const OPS: [(&str, Op); 6] = [
    ("!=", Op::Ne),
    ("<=", Op::Le),
    (">=", Op::Ge),
    ("=", Op::Eq),
    ("<", Op::Lt),
    (">", Op::Gt),
];

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Literal {
    Str(String),
    /// Always finite.
    Num(f64),
    /// `%regex%`: found anywhere in the value.
    Regex(Regex),
}

/// A compiled `%regex%`, equal to another of the same text.
#[derive(Debug, Clone)]
pub(super) struct Regex(pub(super) regex_lite::Regex);

impl PartialEq for Regex {
    fn eq(&self, other: &Regex) -> bool {
        self.0.as_str() == other.0.as_str()
    }
}
