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
}
