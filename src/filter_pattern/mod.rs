//! A parser and evaluator for a subset of CloudWatch Logs' JSON filter-pattern
//! syntax, enough to model the metric filters that alert on secret access.
//!
//! Supported: `{ ... }` around the whole pattern, selectors `$.a.b` with optional
//! `[N]` array indices, `=` / `!=` against a quoted string (with `*` wildcards), a
//! `%regex%`, a bare word or a number, `<` `<=` `>` `>=` against numbers, `IS NULL`,
//! `NOT EXISTS`, `IS TRUE`, `IS FALSE`, `&&` (binding tighter than `||`), `||`, and
//! parentheses up to 64 deep; and text patterns: terms separated by spaces (bare, quoted
//! or `%regex%`), `?term` for one of several, `-term` to leave out. Everything else (`!`,
//! space-delimited `[...]` patterns) is rejected with an error naming the 1-based column
//! (counted in characters, not bytes).
//!
//! One file per job: the syntax tree, the parser, evaluation against an event, the
//! errors, and the normalised display.

mod display;
mod error;
mod eval;
mod parser;
mod syntax;
mod text;

pub use error::PatternError;
pub use syntax::FilterPattern;

#[cfg(test)]
mod tests;
