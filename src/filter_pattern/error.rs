//! Why a pattern was rejected, in words that name the column and what is supported.

use super::parser::MAX_DEPTH;

pub(super) const SUPPORTED: &str = "secretwatch supports only: selectors `$.a.b` (and `$.a[0].b` array \
     index), `=` / `!=` with a quoted string (with `*` wildcards), a `%regex%` or a number, `<` \
     `<=` `>` `>=` with numbers, `IS NULL`, `NOT EXISTS`, `IS TRUE`, `IS FALSE`, `&&`, `||`, \
     parentheses; and text patterns of terms (`ERROR ?WARN -DEBUG`)";

/// Why a filter pattern was rejected. Columns are 1-based and count characters.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PatternError {
    #[error(
        "empty filter pattern at column {column}: expected a comparison such as {{ $.eventName = \"GetSecretValue\" }}"
    )]
    Empty { column: usize },
    #[error("unsupported syntax at column {column}: {found:?} is not a JSON filter pattern; space-delimited patterns ([...]) are not supported, wrap it in {{ ... }} ({supported})", supported = SUPPORTED)]
    NotJsonPattern { column: usize, found: String },
    #[error("unsupported syntax at column {column}: {found:?} ({supported})", supported = SUPPORTED)]
    Unsupported { column: usize, found: String },
    #[error("unterminated string starting at column {column}")]
    UnterminatedString { column: usize },
    #[error(
        "invalid escape '\\{found}' in string at column {column}: only \\\" and \\\\ are supported"
    )]
    InvalidEscape { column: usize, found: char },
    #[error("invalid regular expression %{text}% at column {column}: {why}")]
    InvalidRegex {
        column: usize,
        text: String,
        why: String,
    },
    #[error("invalid number {text:?} at column {column}")]
    InvalidNumber { column: usize, text: String },
    #[error("invalid array index {text:?} at column {column}")]
    InvalidIndex { column: usize, text: String },
    #[error("expected {expected} at column {column}, found {found}")]
    Expected {
        expected: &'static str,
        column: usize,
        found: String,
    },
    #[error("unexpected text after the closing '}}' at column {column}: {found:?}")]
    TrailingInput { column: usize, found: String },
    #[error("parentheses nested deeper than {max} levels at column {column}", max = MAX_DEPTH)]
    TooDeep { column: usize },
}
