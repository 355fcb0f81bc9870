use super::*;
use crate::filter_pattern::parser::MAX_DEPTH;

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
