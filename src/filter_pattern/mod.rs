//! A parser and evaluator for a subset of CloudWatch Logs' JSON filter-pattern
//! syntax, enough to model the metric filters that alert on secret access.
//!
//! Supported: `{ ... }` around the whole pattern, selectors `$.a.b` with optional
//! `[N]` array indices, `=` / `!=` against a quoted string (with `*` wildcards),
//! a bare word or a number, `<` `<=` `>` `>=` against numbers, `&&` (binding tighter
//! than `||`), `||`, and parentheses up to 64 deep. Everything else
//! (`IS NULL`, `NOT EXISTS`, `IS TRUE`, `%regex%`, `!`, text and space-delimited
//! patterns) is rejected with an error naming the 1-based column (counted in
//! characters, not bytes).
//!
//! One file per job: the syntax tree, the parser, evaluation against an event, the
//! errors, and the normalised display.

mod display;
mod error;
mod eval;
mod parser;
mod syntax;

pub use error::PatternError;
pub use syntax::FilterPattern;

#[cfg(test)]
mod tests;
