use super::*;

fn parse_str(text: &str) -> Result<FileConfig, ConfigError> {
    parse(text, Path::new("config.toml"))
}

#[test]
fn an_empty_file_gives_the_defaults() {
    let c = parse_str("").expect("valid");
    assert_eq!(c.names.alarm, "SecretIsAccessed-alarm");
    assert_eq!(c.poll.events_secs, 15);
    assert!(c.secrets.is_empty());
}

#[test]
fn fields_override_the_defaults() {
    let c = parse_str("secrets = [\"db\"]\n[names]\nalarm = \"x\"\n[poll]\nevents_secs = 5\n")
        .expect("valid");
    assert_eq!(c.secrets, vec!["db"]);
    assert_eq!(c.names.alarm, "x");
    assert_eq!(c.poll.events_secs, 5);
    assert_eq!(c.names.trail, "secretwatch-trail");
}

#[test]
fn unknown_keys_are_refused_with_file_line_and_name() {
    let err = parse_str("[poll]\nevents_secs = 5\nevent_secs = 3\n").expect_err("unknown key");
    let text = err.to_string();
    assert!(text.starts_with("config.toml:3:"), "{text}");
    assert!(text.contains("event_secs"), "{text}");
}

#[test]
fn bad_values_are_refused_with_the_reason() {
    let err = parse_str("[poll]\nlookups_per_second = 5.0\n").expect_err("too fast");
    assert!(err.to_string().contains("poll.lookups_per_second"), "{err}");
    let err = parse_str("[names]\nalarm_period_secs = 90\n").expect_err("not a minute");
    assert!(err.to_string().contains("multiple of 60"), "{err}");
    let err = parse_str("[poll]\nbackfill_mins = 99999999999\n").expect_err("huge");
    assert!(err.to_string().contains("90 days"), "{err}");
    let err = parse_str("[names]\nalarm_period_secs = 9999999960\n").expect_err("huge");
    assert!(err.to_string().contains("86400"), "{err}");
    let err = parse_str("[poll]\nevents_secs = \"fast\"\n").expect_err("wrong type");
    assert!(err.to_string().starts_with("config.toml:2:"), "{err}");
    let err = parse_str("secrets = [\"\"]\n").expect_err("empty secret");
    assert!(err.to_string().contains("secrets"), "{err}");
    let err = parse_str("[names]\nalarm = \"\"\n").expect_err("empty name");
    assert!(err.to_string().contains("names.alarm"), "{err}");
    let err = parse_str("[names]\ntopic = \"a\\u001b[2J\"\n").expect_err("escape");
    assert!(err.to_string().contains("names.topic"), "{err}");
    assert!(!err.to_string().contains('\u{1b}'), "shown back raw: {err}");
}

#[test]
fn the_readmes_examples_are_valid_configs() {
    let readme = include_str!("../../README.md");
    let blocks: Vec<&str> = readme
        .split("```toml\n")
        .skip(1)
        .map(|rest| rest.split("```").next().unwrap_or_default())
        .collect();
    assert!(blocks.len() >= 2, "the config example and [keys]'s");
    let configs: Vec<FileConfig> = blocks
        .iter()
        .map(|b| parse_str(b).unwrap_or_else(|e| panic!("{e}:\n{b}")))
        .collect();
    let full = configs
        .iter()
        .find(|c| c.setup.email.is_some())
        .expect("the full example");
    assert_eq!(full.setup.email.as_deref(), Some("security@example.com"));
    let keys = configs
        .iter()
        .find(|c| !c.keys.is_empty())
        .expect("[keys]'s example");
    let z = crossterm::event::KeyEvent::from(crossterm::event::KeyCode::Char('Z'));
    assert_eq!(
        keys.keymap().action_for(z),
        Some(crate::ui::keymap::Action::TestAccess)
    );
}

#[test]
fn the_setup_email_must_be_one_address() {
    let c = parse_str("[setup]\nemail = \"sec@example.com\"\n").expect("valid");
    assert_eq!(
        c.engine(&[], 1).setup_email.as_deref(),
        Some("sec@example.com")
    );
    for bad in [
        "nobody",
        "a@b",
        "a@b.com,c@d.com",
        "a b@c.com",
        "@c.com",
        "a@.com",
    ] {
        let err = parse_str(&format!("[setup]\nemail = \"{bad}\"\n")).expect_err(bad);
        assert!(err.to_string().contains("setup.email"), "{err}");
    }
    assert_eq!(
        parse_str("").expect("valid").engine(&[], 1).setup_email,
        None
    );
}

#[test]
fn names_deserialize_into_the_chains_names_with_the_aws_defaults() {
    let c =
        parse_str("[names]\nmetric_name = \"Reads\"\nalarm_period_secs = 120\n").expect("valid");
    assert_eq!(c.names.metric().name, "Reads");
    assert_eq!(c.names.metric().namespace, "SecurityMetrics");
    assert_eq!(c.names.alarm_period, std::time::Duration::from_secs(120));
    let defaults = parse_str("").expect("valid").names;
    assert_eq!(defaults.alarm_period, std::time::Duration::from_secs(300));
    assert_eq!(defaults.email, ChainNames::default().email);
    assert_eq!(
        FileConfig::default().names.alarm_period,
        defaults.alarm_period
    );
    // The topic's address is setup.email's; names has none.
    let err = parse_str("[names]\nemail = \"a@b.com\"\n").expect_err("not a name");
    assert!(err.to_string().starts_with("config.toml:2:"), "{err}");
    assert!(err.to_string().contains("email"), "{err}");
}

/// On AWS the fast path's reconciler reads CloudTrail's history much less often than the
/// events source would alone: every 2 minutes at the default 15 s sweep.
#[test]
fn on_aws_lookup_events_reconciles_at_a_much_lower_rate() {
    let c = parse_str("").expect("valid");
    let engine = c.engine(&[], 1);
    assert_eq!(engine.events_every, std::time::Duration::from_secs(15));
    assert_eq!(engine.reconcile_every, std::time::Duration::from_secs(120));
    let c = parse_str("[poll]\nevents_secs = 60\n").expect("valid");
    assert_eq!(
        c.engine(&[], 1).reconcile_every,
        std::time::Duration::from_secs(480)
    );
}

#[test]
fn the_fast_path_is_on_by_default_and_sources_turns_it_off_for_the_engine_too() {
    use crate::engine::Source;
    let on = parse_str("").expect("valid");
    assert!(on.sources.eventbridge);
    assert!(on.engine(&[], 1).sources.contains(&Source::FastPath));
    let off = parse_str("[sources]\neventbridge = false\n").expect("valid");
    let engine = off.engine(&[], 1);
    assert!(!engine.event_sources.eventbridge);
    assert!(!engine.sources.contains(&Source::FastPath));
    assert!(
        engine.sources.contains(&Source::Events),
        "LookupEvents stays"
    );
    let err = parse_str("[sources]\neventbridge = true\ntrail_file = true\n").expect_err("unknown");
    assert!(err.to_string().starts_with("config.toml:3:"), "{err}");
}

#[test]
fn keys_are_the_effective_map_and_mistakes_say_file_and_line() {
    use crate::ui::keymap::Action;
    use crossterm::event::{KeyCode, KeyEvent};
    let config = parse_str("[keys]\ntest_access = \"Z\"\nup = [\"Up\", \"i\"]\n").expect("valid");
    let map = config.keymap();
    assert_eq!(
        map.action_for(KeyEvent::from(KeyCode::Char('Z'))),
        Some(Action::TestAccess)
    );
    assert_eq!(map.action_for(KeyEvent::from(KeyCode::Char('t'))), None);
    assert_eq!(
        map.action_for(KeyEvent::from(KeyCode::Char('i'))),
        Some(Action::Up)
    );
    assert_eq!(map.shown(Action::Up), "↑/i");
    for (text, line, says) in [
        (
            "[keys]\n\nteleport = \"t\"\n",
            3,
            "no such action; the actions are test_access",
        ),
        ("[keys]\ndoctor = \"Ctrl-d\"\n", 2, "not a key"),
        ("[keys]\ndoctor = []\n", 2, "needs at least one key"),
        (
            "[keys]\n# quit on d\nquit = \"d\"\n",
            3,
            "d is doctor's key too",
        ),
        ("[keys]\ndoctor = 5\n", 2, ""),
    ] {
        let err = parse_str(text).expect_err(text).to_string();
        assert!(
            err.starts_with(&format!("config.toml:{line}:")),
            "{text}: {err}"
        );
        assert!(err.contains(says), "{text}: {err}");
    }
}

#[test]
fn the_theme_is_dark_or_light() {
    use crate::ui::theme::Theme;
    assert_eq!(parse_str("").expect("valid").ui.theme, Theme::Dark);
    let light = parse_str("[ui]\ntheme = \"light\"\n").expect("valid");
    assert_eq!(light.ui.theme, Theme::Light);
    let err = parse_str("[ui]\ntheme = \"blue\"\n").expect_err("no such theme");
    assert!(err.to_string().starts_with("config.toml:2:"), "{err}");
}
