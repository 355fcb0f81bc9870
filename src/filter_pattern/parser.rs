//! A recursive-descent parser over characters (so that columns count characters),
//! `||` binding looser than `&&`, nesting bounded so hostile input cannot overflow the stack.

use super::error::PatternError;
use super::syntax::{Comparison, Expr, FilterPattern, Literal, OPS, Op, Segment};

/// Deepest parenthesis nesting accepted (guards the recursive parser's stack).
pub(super) const MAX_DEPTH: usize = 64;

impl FilterPattern {
    /// Parses a `{ ... }` JSON filter pattern.
    ///
    /// # Errors
    /// [`PatternError`] naming the problem and its 1-based column for malformed or
    /// unsupported syntax, or parentheses nested deeper than 64 levels.
    pub fn parse(text: &str) -> Result<FilterPattern, PatternError> {
        let chars = text.chars().collect();
        let mut p = Parser {
            chars,
            pos: 0,
            depth: 0,
        };
        p.skip_ws();
        match p.peek() {
            None => return Err(PatternError::Empty { column: p.column() }),
            Some('{') => p.pos += 1,
            Some('[') => {
                let (column, found) = (p.column(), p.snippet(p.pos, ""));
                return Err(PatternError::NotJsonPattern { column, found });
            }
            Some(_) => return p.parse_terms().map(|root| FilterPattern { root }),
        }
        p.skip_ws();
        if p.peek() == Some('}') {
            return Err(PatternError::Empty { column: p.column() });
        }
        let root = p.parse_or()?;
        p.skip_ws();
        if !p.eat('}') {
            return Err(p.expected("'}'"));
        }
        p.skip_ws();
        if p.peek().is_some() {
            let (column, found) = (p.column(), p.snippet(p.pos, ""));
            return Err(PatternError::TrailingInput { column, found });
        }
        Ok(FilterPattern { root })
    }
}

fn unsupported(column: usize, found: impl Into<String>) -> PatternError {
    let found = found.into();
    PatternError::Unsupported { column, found }
}

pub(super) struct Parser {
    pub(super) chars: Vec<char>,
    pub(super) pos: usize,
    depth: usize,
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

fn is_bare(c: char) -> bool {
    is_ident(c) || c == '.' || c == '*'
}

impl Parser {
    pub(super) fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn peek2(&self) -> Option<char> {
        self.chars.get(self.pos + 1).copied()
    }

    pub(super) fn column(&self) -> usize {
        self.pos + 1
    }

    pub(super) fn skip_ws(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.pos += 1;
        }
    }

    fn eat(&mut self, c: char) -> bool {
        let hit = self.peek() == Some(c);
        self.pos += usize::from(hit);
        hit
    }

    /// The input between `from` and `to` (clamped to the end).
    pub(super) fn text(&self, from: usize, to: usize) -> String {
        let rest = self.chars.get(from..).unwrap_or_default();
        rest.iter().take(to.saturating_sub(from)).collect()
    }

    /// For error messages: up to 24 characters from `from`, stopping at a line end
    /// or at any of `stop`.
    pub(super) fn snippet(&self, from: usize, stop: &str) -> String {
        let rest = self.text(from, from + 24);
        let end = rest.find(|c| c == '\n' || stop.contains(c));
        rest.get(..end.unwrap_or(rest.len()))
            .unwrap_or_default()
            .trim_end()
            .to_string()
    }

    /// The word (identifier characters) starting at `from`, possibly empty.
    fn word(&self, from: usize) -> String {
        let rest = self.chars.get(from..).unwrap_or_default();
        rest.iter().take_while(|c| is_ident(**c)).collect()
    }

    pub(super) fn expected(&self, expected: &'static str) -> PatternError {
        let found = match self.peek() {
            None => "end of pattern".to_string(),
            Some(c) if is_ident(c) => format!("{:?}", self.word(self.pos)),
            Some(c) => format!("{c:?}"),
        };
        PatternError::Expected {
            expected,
            column: self.column(),
            found,
        }
    }

    fn parse_or(&mut self) -> Result<Expr, PatternError> {
        let mut items = vec![self.parse_and()?];
        while self.eat_pair('|')? {
            items.push(self.parse_and()?);
        }
        Ok(combine(items, true))
    }

    fn parse_and(&mut self) -> Result<Expr, PatternError> {
        let mut items = vec![self.parse_primary()?];
        while self.eat_pair('&')? {
            items.push(self.parse_primary()?);
        }
        Ok(combine(items, false))
    }

    /// Consumes `&&` / `||` if next; a lone `&` / `|` is an error.
    fn eat_pair(&mut self, c: char) -> Result<bool, PatternError> {
        self.skip_ws();
        match (self.peek() == Some(c), self.peek2() == Some(c)) {
            (true, true) => {
                self.pos += 2;
                Ok(true)
            }
            (true, false) => Err(self.expected(if c == '&' { "'&&'" } else { "'||'" })),
            _ => Ok(false),
        }
    }

    fn parse_primary(&mut self) -> Result<Expr, PatternError> {
        self.skip_ws();
        let column = self.column();
        match self.peek() {
            Some('(') => {
                self.depth += 1;
                if self.depth > MAX_DEPTH {
                    return Err(PatternError::TooDeep { column });
                }
                self.pos += 1;
                let inner = self.parse_or()?;
                self.skip_ws();
                if !self.eat(')') {
                    return Err(self.expected("')'"));
                }
                self.depth -= 1;
                Ok(inner)
            }
            Some('$') => self.parse_comparison(),
            Some('!') => Err(unsupported(column, "!")),
            _ => Err(self.expected("a selector such as $.eventName")),
        }
    }

    fn parse_comparison(&mut self) -> Result<Expr, PatternError> {
        let path = self.parse_selector()?;
        self.skip_ws();
        let column = self.column();
        let rest = self.text(self.pos, self.pos + 2);
        let Some(&(symbol, op)) = OPS.iter().find(|(s, _)| rest.starts_with(s)) else {
            return match self.peek() {
                // `IS NULL`, `NOT EXISTS`, `IS TRUE`, `IS FALSE`
                Some(c) if c.is_ascii_alphabetic() => match self.parse_check() {
                    Some(check) => Ok(Expr::Check(path, check)),
                    None => Err(unsupported(column, self.snippet(self.pos, ")}&|"))),
                },
                _ => Err(self.expected("a comparison operator (=, !=, <, <=, >, >=)")),
            };
        };
        if rest == "==" {
            return Err(unsupported(column, rest));
        }
        self.pos += symbol.len();
        self.skip_ws();
        let start = self.pos;
        let value = self.parse_value()?;
        if !matches!(value, Literal::Num(_)) && !matches!(op, Op::Eq | Op::Ne) {
            let found = format!("{:?}", self.text(start, self.pos));
            let expected = "a number (<, <=, >, >= compare numbers only)";
            return Err(PatternError::Expected {
                expected,
                column: start + 1,
                found,
            });
        }
        Ok(Expr::Cmp(Comparison { path, op, value }))
    }

    fn parse_selector(&mut self) -> Result<Vec<Segment>, PatternError> {
        self.pos += 1; // '$'
        let mut path = Vec::new();
        loop {
            match self.peek() {
                Some('.') => {
                    self.pos += 1;
                    let name = self.word(self.pos);
                    if name.is_empty() {
                        return Err(self.expected("a field name after '.'"));
                    }
                    self.pos += name.chars().count();
                    path.push(Segment::Key(name));
                }
                Some('[') if !path.is_empty() => {
                    self.pos += 1;
                    let start = self.pos;
                    while self.peek().is_some_and(|c| c.is_ascii_digit()) {
                        self.pos += 1;
                    }
                    if start == self.pos {
                        return Err(self.expected("an array index (digits)"));
                    }
                    let text = self.text(start, self.pos);
                    let index = text.parse().map_err(|_| PatternError::InvalidIndex {
                        column: start + 1,
                        text,
                    })?;
                    if !self.eat(']') {
                        return Err(self.expected("']'"));
                    }
                    path.push(Segment::Index(index));
                }
                _ if path.is_empty() => return Err(self.expected("'.' after '$'")),
                _ => return Ok(path),
            }
        }
    }

    fn parse_value(&mut self) -> Result<Literal, PatternError> {
        self.skip_ws();
        let value = match self.peek() {
            Some('"') => Literal::Str(self.parse_string()?),
            Some('%') => self.parse_regex()?,
            Some(c) if is_bare(c) => self.parse_bare()?,
            _ => return Err(self.expected("a value (a quoted string or a number)")),
        };
        Ok(value)
    }

    pub(super) fn parse_string(&mut self) -> Result<String, PatternError> {
        let column = self.column();
        self.pos += 1; // opening quote
        let mut out = String::new();
        loop {
            match (self.peek(), self.peek2()) {
                (None, _) | (Some('\\'), None) => {
                    return Err(PatternError::UnterminatedString { column });
                }
                (Some('"'), _) => {
                    self.pos += 1;
                    return Ok(out);
                }
                (Some('\\'), Some(c @ ('"' | '\\'))) => {
                    out.push(c);
                    self.pos += 2;
                }
                (Some('\\'), Some(found)) => {
                    return Err(PatternError::InvalidEscape {
                        column: self.column(),
                        found,
                    });
                }
                (Some(c), _) => {
                    out.push(c);
                    self.pos += 1;
                }
            }
        }
    }

    /// A bare word: a number if it has number syntax, otherwise a string.
    fn parse_bare(&mut self) -> Result<Literal, PatternError> {
        let start = self.pos;
        while let Some(c) = self.peek() {
            let prev = self.pos.checked_sub(1).and_then(|i| self.chars.get(i));
            let exponent_sign = c == '+' && matches!(prev, Some('e' | 'E'));
            if !is_bare(c) && !exponent_sign {
                break;
            }
            self.pos += 1;
        }
        let text = self.text(start, self.pos);
        let invalid = || PatternError::InvalidNumber {
            column: start + 1,
            text: text.clone(),
        };
        if is_number(&text) {
            let n = text.parse::<f64>().ok().filter(|n| n.is_finite());
            n.map(Literal::Num).ok_or_else(invalid)
        } else if text.contains('+') {
            Err(invalid())
        } else {
            Ok(Literal::Str(text))
        }
    }
}

/// `-?(digits[.digits?] | .digits)([eE][+-]?digits)?`
fn is_number(s: &str) -> bool {
    let b = s.as_bytes();
    let digits_from = |mut i: usize| {
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        i
    };
    let sign = usize::from(b.first() == Some(&b'-'));
    let mut i = digits_from(sign);
    let mut mantissa_digits = i - sign;
    if b.get(i) == Some(&b'.') {
        let frac = digits_from(i + 1);
        mantissa_digits += frac - (i + 1);
        i = frac;
    }
    if mantissa_digits == 0 {
        return false;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1 + usize::from(matches!(b.get(i + 1), Some(b'+' | b'-')));
        let end = digits_from(i);
        if end == i {
            return false;
        }
        i = end;
    }
    i == b.len()
}

/// Builds an n-ary node, flattening nested nodes of the same kind so that the
/// normalised `Display` form parses back to an identical tree.
fn combine(items: Vec<Expr>, any: bool) -> Expr {
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        match item {
            Expr::Any(inner) if any => out.extend(inner),
            Expr::All(inner) if !any => out.extend(inner),
            other => out.push(other),
        }
    }
    match <[Expr; 1]>::try_from(out) {
        Ok([only]) => only,
        Err(out) if any => Expr::Any(out),
        Err(out) => Expr::All(out),
    }
}
