use super::*;
use crate::filter_pattern::error::SUPPORTED;

#[test]
fn unsupported_syntax_is_named() {
    for (text, column, found) in [
        ("{ !($.eventName = \"x\") }", 3, "!"),
        ("{ $.eventName == \"x\" }", 15, "=="),
        ("{ $.readOnly IS MAYBE }", 14, "IS MAYBE"),
    ] {
        let expected = format!("unsupported syntax at column {column}: {found:?} ({SUPPORTED})");
        assert_eq!(msg(text), expected, "{text}");
    }
    assert_eq!(
        msg("{ $.a IS NOTNULL }"),
        "unsupported syntax at column 7: \"IS NOTNULL\" (secretwatch supports only: selectors \
         `$.a.b` (and `$.a[0].b` array index), `=` / `!=` with a quoted string (with `*` \
         wildcards), a `%regex%` or a number, `<` `<=` `>` `>=` with numbers, `IS NULL`, \
         `NOT EXISTS`, `IS TRUE`, `IS FALSE`, `&&`, `||`, parentheses; and text patterns of \
         terms (`ERROR ?WARN -DEBUG`))"
    );
    assert_eq!(
        msg("{ $.a = %Get(% }"),
        "invalid regular expression %Get(% at column 9: ".to_string()
            + &regex_lite::Regex::new("Get(")
                .expect_err("unclosed")
                .to_string()
    );
    assert_eq!(
        msg("{ $.a = %Get.* }"),
        "expected '%' closing the regular expression at column 9, found %Get.* }"
    );
}

#[test]
fn space_delimited_patterns_are_rejected() {
    let expected = format!(
        "unsupported syntax at column 1: \"[ip, user, ...]\" is not a JSON filter pattern; \
         space-delimited patterns ([...]) are not supported, wrap it in {{ ... }} ({SUPPORTED})"
    );
    assert_eq!(msg("[ip, user, ...]"), expected);
    assert!(matches!(
        err("  [x"),
        PatternError::NotJsonPattern { column: 3, .. }
    ));
}

#[test]
fn malformed_patterns_name_problem_and_column() {
    // One case per line: `<pattern> => <error message>`.
    let cases = r#"
        { $.a = 1 } x   => unexpected text after the closing '}' at column 13: "x"
        { $.a = 1 }}    => unexpected text after the closing '}' at column 12: "}"
        { $.a = "abc }  => unterminated string starting at column 9
        { $.a = "abc\   => unterminated string starting at column 9
        { $.a = 1       => expected '}' at column 10, found end of pattern
        { $.a = 1 AND $.b = 2 } => expected '}' at column 11, found "AND"
        { ($.a = 1 }    => expected ')' at column 12, found '}'
        { $.a }         => expected a comparison operator (=, !=, <, <=, >, >=) at column 7, found '}'
        { $.a = }       => expected a value (a quoted string or a number) at column 9, found '}'
        { $.a < "5" }   => expected a number (<, <=, >, >= compare numbers only) at column 9, found "\"5\""
        { $.a >= abc }  => expected a number (<, <=, >, >= compare numbers only) at column 10, found "abc"
        { = 1 }         => expected a selector such as $.eventName at column 3, found '='
        { eventName = 1 } => expected a selector such as $.eventName at column 3, found "eventName"
        { $eventName = 1 } => expected '.' after '$' at column 4, found "eventName"
        { $[0] = 1 }    => expected '.' after '$' at column 4, found '['
        { $.a. = 1 }    => expected a field name after '.' at column 7, found ' '
        { $.a[x] = 1 }  => expected an array index (digits) at column 7, found "x"
        { $.a[1 = 1 }   => expected ']' at column 8, found ' '
        { $.a[99999999999999999999999] = 1 } => invalid array index "99999999999999999999999" at column 7
        { $.a = 1 & $.b = 2 } => expected '&&' at column 11, found '&'
        { $.a = 1 | $.b = 2 } => expected '||' at column 11, found '|'
        { $.a = 1 && }  => expected a selector such as $.eventName at column 14, found '}'
        { $.a = 1e999 } => invalid number "1e999" at column 9
        { $.a = 1e+ }   => invalid number "1e+" at column 9
        {               => expected a selector such as $.eventName at column 2, found end of pattern
        {}              => empty filter pattern at column 2: expected a comparison such as { $.eventName = "GetSecretValue" }
    "#;
    for line in cases.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let (text, expected) = line.split_once(" => ").unwrap_or((line, "?"));
        assert_eq!(msg(text.trim_end()), expected, "{text}");
    }
    let empty = r#"expected a comparison such as { $.eventName = "GetSecretValue" }"#;
    assert_eq!(
        msg("  {  }"),
        format!("empty filter pattern at column 6: {empty}")
    );
    assert_eq!(
        msg(" \n "),
        format!("empty filter pattern at column 4: {empty}")
    );
    assert_eq!(
        msg(""),
        format!("empty filter pattern at column 1: {empty}")
    );
}

#[test]
fn non_ascii_input() {
    let cases = r#"
        + $.a = "é✓*"
        - $.a = "e✓*"
        + $.a = "*雪"
        + $.a = "é*雪"
        - $.a = "é✓*é"
        + $.a = "é✓ 雪"
    "#;
    table(&json!({"a": "é✓ 雪"}), cases);
    table(&json!({"a": "é"}), r#"- $.a = "é*é""#);
    // Columns count characters, not bytes.
    let cases = r#"
        { $.é = 1 }     => expected a field name after '.' at column 5, found 'é'
        { $.a = "é✓" é } => expected '}' at column 14, found 'é'
        { $.a = é }     => expected a value (a quoted string or a number) at column 9, found 'é'
        { $.a = "✓      => unterminated string starting at column 9
        { $.a = 1 } 🦀  => unexpected text after the closing '}' at column 13: "🦀"
    "#;
    for line in cases.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let (text, expected) = line.split_once(" => ").unwrap_or((line, "?"));
        assert_eq!(msg(text.trim_end()), expected, "{text}");
    }
    assert!(matches!(
        err("[✓✓✓"),
        PatternError::NotJsonPattern { column: 1, .. }
    ));
    assert!(matches!(
        err("{ $.a IS ✓ }"),
        PatternError::Unsupported { column: 7, .. }
    ));
}
