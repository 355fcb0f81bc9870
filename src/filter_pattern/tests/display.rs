use super::*;

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
        "{ $.errorCode NOT EXISTS && ($.b IS NULL || $.c is true || $.d IS FALSE) }",
        r"{ $.eventName = %Get\w+% && $.x != %100\%% }",
        r#"GetSecretValue "two words" ?a ?b -DEBUG %E[0-9]+%"#,
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
