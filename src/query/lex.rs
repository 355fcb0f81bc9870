//! Words of a filter expression: separated by spaces, each maybe negated (`!`), maybe a
//! field (`name:`), its value maybe quoted (`"two words"`, with `\"` and `\\`). Positions
//! are in characters, for the caret under a mistake.

use super::QueryError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub negated: bool,
    /// The field's name as typed (`principal`), None for free text.
    pub field: Option<String>,
    pub value: String,
    /// Where the word starts and how many characters it spans (the `!` included).
    pub at: usize,
    pub len: usize,
    /// Where the value starts.
    pub value_at: usize,
}

pub fn words(text: &str) -> Result<Vec<Word>, QueryError> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_whitespace() {
            i += 1;
            continue;
        }
        let at = i;
        let negated = chars[i] == '!';
        if negated {
            i += 1;
            if i == chars.len() || chars[i].is_whitespace() {
                return Err(QueryError::new(
                    at,
                    1,
                    "`!` needs something after it to leave out",
                ));
            }
        }
        let field = field_name(&chars[i..]);
        if let Some(name) = &field {
            i += name.chars().count() + 1;
        }
        let value_at = i;
        let value = if chars.get(i) == Some(&'"') {
            let (value, end) = quoted(&chars, i)?;
            i = end;
            if i < chars.len() && !chars[i].is_whitespace() {
                return Err(QueryError::new(
                    i,
                    1,
                    "a space must follow the closing quote",
                ));
            }
            value
        } else {
            let start = i;
            while i < chars.len() && !chars[i].is_whitespace() {
                i += 1;
            }
            chars[start..i].iter().collect()
        };
        out.push(Word {
            negated,
            field,
            value,
            at,
            len: i - at,
            value_at,
        });
    }
    Ok(out)
}

/// `name:` at the start of a word: letters (and `_`) before a colon.
fn field_name(chars: &[char]) -> Option<String> {
    let colon = chars.iter().position(|&c| c == ':')?;
    let name = &chars[..colon];
    let letters = !name.is_empty() && name.iter().all(|c| c.is_ascii_alphabetic() || *c == '_');
    letters.then(|| name.iter().collect())
}

/// A quoted value starting at `open`: its text and where the word goes on after it.
fn quoted(chars: &[char], open: usize) -> Result<(String, usize), QueryError> {
    let mut value = String::new();
    let mut i = open + 1;
    while i < chars.len() {
        match chars[i] {
            '"' => return Ok((value, i + 1)),
            '\\' if matches!(chars.get(i + 1), Some('"' | '\\')) => {
                value.push(chars[i + 1]);
                i += 2;
            }
            c => {
                value.push(c);
                i += 1;
            }
        }
    }
    Err(QueryError::new(
        open,
        chars.len() - open,
        "this quote is never closed",
    ))
}
