use super::*;
use serde_json::json;

const SECRET_READS: &str =
    r#"{ ($.eventSource = "secretsmanager.amazonaws.com") && ($.eventName = "GetSecretValue") }"#;

fn p(text: &str) -> FilterPattern {
    FilterPattern::parse(text).unwrap_or_else(|e| panic!("{text:?} should parse: {e}"))
}

fn m(text: &str, event: &Json) -> bool {
    p(text).matches(event)
}

fn err(text: &str) -> PatternError {
    match FilterPattern::parse(text) {
        Ok(pattern) => panic!("{text:?} should be rejected, parsed as {pattern:?}"),
        Err(e) => e,
    }
}

fn msg(text: &str) -> String {
    err(text).to_string()
}

/// One case per line: `+ <comparison>` must match `event`, `- <comparison>` must not.
/// Each comparison is wrapped in `{ }` before parsing.
fn table(event: &Json, cases: &str) {
    for line in cases.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let (sign, cmp) = line.split_at(1);
        let text = format!("{{ {cmp} }}");
        assert_eq!(m(&text, event), sign == "+", "{text}");
    }
}

fn cloudtrail(event_name: &str) -> Json {
    json!({
        "eventVersion": "1.08",
        "userIdentity": {
            "type": "AssumedRole",
            "sessionContext": { "sessionIssuer": { "userName": "app" } }
        },
        "eventSource": "secretsmanager.amazonaws.com",
        "eventName": event_name,
        "awsRegion": "eu-west-1",
        "requestParameters": { "secretId": "prod/db/password" },
        "responseElements": null,
        "resources": [{ "ARN": "arn:aws:secretsmanager:eu-west-1:1:secret:prod/db" }],
        "readOnly": true,
        "latencyMs": 42,
        "score": -1.5
    })
}

#[test]
fn secret_read_pattern_matches_get_secret_value_only() {
    let pattern = p(SECRET_READS);
    assert!(pattern.matches(&cloudtrail("GetSecretValue")));
    assert!(!pattern.matches(&cloudtrail("DescribeSecret")));
    let mut other_service = cloudtrail("GetSecretValue");
    other_service["eventSource"] = json!("ssm.amazonaws.com");
    assert!(!pattern.matches(&other_service));
    assert!(!pattern.matches(&json!({})));
    assert!(!pattern.matches(&json!("GetSecretValue")));
}

#[test]
fn wildcards() {
    let cases = r#"
        + $.eventName = "Get*"
        + $.eventName = "*Value"
        + $.eventName = "*Secret*"
        + $.eventName = "Get*Value"
        + $.eventName = "G*t*V*e"
        + $.eventName = "*"
        + $.eventName = "**"
        + $.eventName = "GetSecretValue*"
        + $.eventName = "*GetSecretValue"
        - $.eventName = "Describe*"
        - $.eventName = "*Secret"
        - $.eventName = "GetSecretValue?"
        - $.eventName = "GetS*tS*Value"
        - $.eventName = "getsecretvalue"
        - $.eventName = "GetSecretValueX*"
        - $.latencyMs = "*"
        - $.responseElements = "*"
    "#;
    table(&cloudtrail("GetSecretValue"), cases);
    // Prefix and suffix must not overlap: "ab*ba" needs at least 4 characters.
    table(&json!({"a": "aba"}), r#"- $.a = "ab*ba""#);
    table(&json!({"a": "abba"}), r#"+ $.a = "ab*ba""#);
    table(&json!({"a": ""}), "+ $.a = \"*\" \n + $.a = \"\"");
    table(&json!({"a": "x"}), r#"- $.a = """#);
}

#[test]
fn not_equal() {
    let cases = r#"
        + $.eventName != "GetSecretValue"
        - $.eventName != "Describe*"
        - $.nope != "GetSecretValue"
        - $.latencyMs != "x"
        - $.responseElements != "x"
        + $.latencyMs != 41
        - $.latencyMs != 42
        - $.nope != 42
        - $.eventVersion != 42
    "#;
    // A missing field, or one of the wrong type, never matches, even for `!=`.
    table(&cloudtrail("DescribeSecret"), cases);
}

#[test]
fn numbers() {
    let cases = r#"
        + $.latencyMs = 42
        + $.latencyMs = 42.0
        + $.latencyMs = 42.
        + $.latencyMs = 4.2e1
        + $.latencyMs = 4200E-2
        + $.latencyMs = 0.42e+2
        - $.latencyMs = 43
        + $.latencyMs < 43
        - $.latencyMs < 42
        + $.latencyMs <= 42
        + $.latencyMs > 41.5
        - $.latencyMs > 42
        + $.latencyMs >= 42
        - $.latencyMs >= 1e3
        + $.score = -1.5
        + $.score < -1
        - $.score > -.5
        + $.score<=-1.5
        - $.eventVersion = 1.08
        - $.eventVersion < 2
        + $.eventVersion = "1.08"
        - $.latencyMs = "42"
        - $.readOnly = 1
        - $.nope > 0
    "#;
    // A string field never matches a number, nor a number field a string.
    table(&cloudtrail("GetSecretValue"), cases);
    table(&json!({"big": u64::MAX}), "+ $.big = 18446744073709551615");
}

#[test]
fn bare_words() {
    let cases = r#"
        + $.eventName = GetSecretValue
        + $.eventName = Get* && $.awsRegion = eu-west-1
        + $.eventSource = secretsmanager.amazonaws.com
        + $.eventVersion = 1.08.x || $.eventName=*Value
        + ($.eventName=*Value)
        - $.eventName = DescribeSecret
    "#;
    table(&cloudtrail("GetSecretValue"), cases);
    assert_eq!(p("{ $.a = Get* }"), p(r#"{ $.a = "Get*" }"#));
}

#[test]
fn precedence_and_parentheses() {
    let cases = r#"
        + $.a = 1 || $.b = 0 && $.c = 0
        - ($.a = 1 || $.b = 0) && $.c = 0
        - $.a = 0 || $.b = 2 && $.c = 0
        + $.a = 0 || $.b = 2 && $.c = 3
        + $.b = 2 && $.c = 0 || $.a = 1
        - $.b = 2 && ($.c = 0 || $.a = 1) && $.a = 0
        + ((($.a = 1)))
        + ($.a = 0 || ($.b = 2 && ($.c = 3 || $.c = 4))) && $.a > 0
        +($.a=1)&&($.b>=2)
    "#;
    // `a || b && c` is `a || (b && c)`.
    table(&json!({"a": 1, "b": 2, "c": 3}), cases);
    assert!(m("{\n\t(\t$.a=1\n)\r\n}\n", &json!({"a": 1})));
    let explicit = p("{ ($.a = 1) || (($.b = 0) && ($.c = 0)) }");
    assert_eq!(p("{ $.a = 1 || $.b = 0 && $.c = 0 }"), explicit);
}

#[test]
fn nested_selectors_and_array_index() {
    let cases = r#"
        + $.requestParameters.secretId = "prod/*"
        + $.userIdentity.sessionContext.sessionIssuer.userName = "app"
        + $.resources[0].ARN = "*:secret:prod/db"
        - $.resources[1].ARN = "*"
        - $.resources.ARN = "*"
        - $.eventName[0] = "*"
    "#;
    table(&cloudtrail("GetSecretValue"), cases);
    let grid = json!({"m": [[1, 2], [3, 4]], "under_score-dash": {"x9": "y"}});
    table(
        &grid,
        "+ $.m[1][0] = 3 \n + $.under_score-dash.x9 = y \n - $.m[0][2] = 3",
    );
}

#[test]
fn missing_fields_never_match() {
    let cases = r#"
        - $.missing = "*"
        - $.missing != "x"
        - $.missing = 1
        - $.missing != 1
        - $.missing < 1
        - $.eventName.deeper = "*"
        - $.userIdentity = "*"
        - $.responseElements = "*"
        - $.responseElements.x != "y"
    "#;
    table(&cloudtrail("GetSecretValue"), cases);
}

#[test]
fn display_round_trips() {
    for text in [
        SECRET_READS,
        "{ $.a = 1 || $.b = 0 && $.c = 0 }",
        "{ ($.a = 1 || $.b = 0) && ($.c = 0 || $.d = \"x\") && $.e > -1.5e-7 }",
        "{ (($.a = 1 || ($.b = 2 || $.c = 3))) }",
        r#"{ $.r[0].ARN != "a\"b\\c*" && $.n <= 1e300 && $.m >= 0.1 && $.k < -0 }"#,
        "{ $.eventName = GetSecretValue }",
        r#"{ $.a = "é✓ 雪" }"#,
    ] {
        let shown = p(text).to_string();
        assert_eq!(p(&shown), p(text), "{text} -> {shown}");
        assert_eq!(p(&shown).to_string(), shown);
    }
    let normalised =
        r#"{ $.eventSource = "secretsmanager.amazonaws.com" && $.eventName = "GetSecretValue" }"#;
    assert_eq!(p(SECRET_READS).to_string(), normalised);
    let shown = p("{(($.a=1||$.b=2)&&$.c=3)||$.d=x}").to_string();
    assert_eq!(
        shown,
        r#"{ ($.a = 1.0 || $.b = 2.0) && $.c = 3.0 || $.d = "x" }"#
    );
}

#[test]
fn escapes_in_strings() {
    table(
        &json!({"a": "say \"hi\" \\o/"}),
        r#"+ $.a = "say \"hi\" \\o/""#,
    );
    table(&json!({"a": "\\anything"}), r#"+ $.a = "\\*""#);
    let expected = r#"invalid escape '\t' in string at column 13: only \" and \\ are supported"#;
    assert_eq!(msg(r#"{ $.a = "tab\t" }"#), expected);
}

#[test]
fn unsupported_syntax_is_named() {
    for (text, column, found) in [
        ("{ $.errorCode IS NULL }", 15, "IS NULL"),
        (
            "{ ($.eventName = \"x\") && ($.errorCode NOT EXISTS) }",
            39,
            "NOT EXISTS",
        ),
        ("{ $.readOnly IS TRUE || $.a = 1 }", 14, "IS TRUE"),
        ("{ $.readOnly IS FALSE }", 14, "IS FALSE"),
        ("{ $.eventName = %Get.*% }", 17, "%Get.*%"),
        ("{ $.eventName = %Get.* }", 17, "%Get.* }"),
        ("{ !($.eventName = \"x\") }", 3, "!"),
        ("{ $.eventName == \"x\" }", 15, "=="),
    ] {
        let expected = format!("unsupported syntax at column {column}: {found:?} ({SUPPORTED})");
        assert_eq!(msg(text), expected, "{text}");
    }
    assert_eq!(
        msg("{ $.a IS NULL }"),
        "unsupported syntax at column 7: \"IS NULL\" (secretwatch supports only: selectors \
         `$.a.b` (and `$.a[0].b` array index), `=` / `!=` with a quoted string (with `*` \
         wildcards) or a number, `<` `<=` `>` `>=` with numbers, `&&`, `||`, parentheses)"
    );
}

#[test]
fn text_and_space_delimited_patterns_are_rejected() {
    for (text, found) in [
        ("GetSecretValue", "GetSecretValue"),
        ("[ip, user, ...]", "[ip, user, ...]"),
        ("\"ERROR\" -\"DEBUG\"", "\"ERROR\" -\"DEBUG\""),
        ("$.a = 1", "$.a = 1"),
        ("?ERROR ?WARN", "?ERROR ?WARN"),
        (
            "some very long plain text log pattern",
            "some very long plain tex",
        ),
    ] {
        let expected = format!(
            "unsupported syntax at column 1: {found:?} is not a JSON filter pattern; text and \
             space-delimited patterns are not supported, wrap it in {{ ... }} ({SUPPORTED})"
        );
        assert_eq!(msg(text), expected, "{text}");
    }
    assert!(matches!(
        err("  x"),
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
fn nesting_limit() {
    let nested = |n: usize| format!("{{ {}$.a = 1{} }}", "(".repeat(n), ")".repeat(n));
    assert!(m(&nested(MAX_DEPTH), &json!({"a": 1})));
    let column = MAX_DEPTH + 3;
    let expected = format!("parentheses nested deeper than 64 levels at column {column}");
    assert_eq!(msg(&nested(MAX_DEPTH + 1)), expected);
    assert_eq!(err(&nested(100_000)), PatternError::TooDeep { column });
    let unclosed = format!("{{ {} }}", "(".repeat(100_000));
    assert_eq!(err(&unclosed), PatternError::TooDeep { column });
    // Long flat chains are not nesting and stay fine.
    let chain = vec!["$.a = 1"; 5_000].join(" && ");
    assert!(m(&format!("{{ {chain} }}"), &json!({"a": 1})));
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
        err("✓✓✓"),
        PatternError::NotJsonPattern { column: 1, .. }
    ));
    assert!(matches!(
        err("{ $.a IS ✓ }"),
        PatternError::Unsupported { column: 7, .. }
    ));
}

#[test]
fn prefixes_and_mutations_never_panic() {
    let valid = r#" { ($.eventSource = "secrets*manager.é✓") && ($.r[0].n >= -1.5e+3 || $.x != "a\"b\\") } "#;
    let event = json!({"eventSource": "secrets-manager.é✓", "r": [{"n": -1500}]});
    assert!(m(valid, &event));
    let chars: Vec<char> = valid.chars().collect();
    for at in 0..=chars.len() {
        let prefix: String = chars.iter().take(at).collect();
        let _ = FilterPattern::parse(&prefix);
        // Also drop one character, and splice in awkward ones, at every position.
        let mut variants = vec![chars.clone()];
        if at < chars.len() {
            variants[0].remove(at);
        }
        for odd in [
            '"', '\\', '(', ')', '[', '$', '%', '!', '✓', '+', 'e', '&', '}', ' ',
        ] {
            let mut spliced = chars.clone();
            spliced.insert(at, odd);
            variants.push(spliced);
        }
        for variant in variants {
            let text: String = variant.into_iter().collect();
            if let Ok(pattern) = FilterPattern::parse(&text) {
                assert_eq!(p(&pattern.to_string()), pattern, "{text}");
                let _ = pattern.matches(&event);
            }
        }
    }
}
