//! Keys and actions by name, as the config's `[keys]` writes them (`test_access = "T"`,
//! `up = ["Up", "k"]`) and as help and hints show them (`↑/k`).

use super::keymap::Action;
use crossterm::event::KeyCode;

/// Every action by its name in `[keys]`.
pub const ACTIONS: [(&str, Action); 25] = [
    ("test_access", Action::TestAccess),
    ("traces", Action::Traces),
    ("acknowledge", Action::Acknowledge),
    ("acknowledgements", Action::Acks),
    ("doctor", Action::Doctor),
    ("setup", Action::Setup),
    ("why_fired", Action::WhyFired),
    ("scopes", Action::Scopes),
    ("filter", Action::Filter),
    ("principals", Action::Readers),
    ("order", Action::Order),
    ("expected", Action::Expect),
    ("export", Action::Export),
    ("export_csv", Action::ExportCsv),
    ("confirm", Action::Confirm),
    ("up", Action::Up),
    ("down", Action::Down),
    ("page_up", Action::PageUp),
    ("page_down", Action::PageDown),
    ("newest", Action::Newest),
    ("oldest", Action::Oldest),
    ("open", Action::Open),
    ("close", Action::Close),
    ("help", Action::Help),
    ("quit", Action::Quit),
];

/// The names of keys that are not one character, as written and as shown.
const NAMED: [(&str, KeyCode, &str); 16] = [
    ("Up", KeyCode::Up, "↑"),
    ("Down", KeyCode::Down, "↓"),
    ("Left", KeyCode::Left, "←"),
    ("Right", KeyCode::Right, "→"),
    ("PageUp", KeyCode::PageUp, "PgUp"),
    ("PageDown", KeyCode::PageDown, "PgDn"),
    ("Home", KeyCode::Home, "Home"),
    ("End", KeyCode::End, "End"),
    ("Enter", KeyCode::Enter, "Enter"),
    ("Esc", KeyCode::Esc, "Esc"),
    ("Tab", KeyCode::Tab, "Tab"),
    ("Backspace", KeyCode::Backspace, "Backspace"),
    ("Delete", KeyCode::Delete, "Del"),
    ("Insert", KeyCode::Insert, "Ins"),
    ("Space", KeyCode::Char(' '), "Space"),
    ("BackTab", KeyCode::BackTab, "BackTab"),
];

pub fn action_named(name: &str) -> Option<Action> {
    ACTIONS.iter().find(|(n, _)| *n == name).map(|(_, a)| *a)
}

pub fn action_name(action: Action) -> &'static str {
    ACTIONS
        .iter()
        .find(|(_, a)| *a == action)
        .map_or("?", |(n, _)| n)
}

/// The names `[keys]` takes, for an error about one it does not.
pub fn action_names() -> String {
    let names: Vec<&str> = ACTIONS.iter().map(|(n, _)| *n).collect();
    names.join(", ")
}

/// A key as written in `[keys]`: one character (`t`, `T`, `?`), a name (`Enter`, `PageUp`,
/// `Space`) or `F1` to `F12`. Modifiers are not taken: Ctrl-C is always quit.
pub fn parse(text: &str) -> Result<KeyCode, String> {
    let mut chars = text.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        if c.is_control() || c == ' ' {
            return Err("a key is a visible character or a name such as Space".into());
        }
        return Ok(KeyCode::Char(c));
    }
    if let Some((_, code, _)) = NAMED.iter().find(|(n, _, _)| n.eq_ignore_ascii_case(text)) {
        return Ok(*code);
    }
    if let Some(n) = text
        .strip_prefix(['F', 'f'])
        .and_then(|n| n.parse::<u8>().ok())
        .filter(|n| (1..=12).contains(n))
    {
        return Ok(KeyCode::F(n));
    }
    let names: Vec<&str> = NAMED.iter().map(|(n, _, _)| *n).collect();
    Err(format!(
        "not a key: one character, F1 to F12, or one of {} (modifiers are not taken)",
        names.join(", ")
    ))
}

/// A key as help and hints show it.
pub fn shown(key: KeyCode) -> String {
    if let Some((_, _, shown)) = NAMED.iter().find(|(_, code, _)| *code == key) {
        return (*shown).to_string();
    }
    match key {
        KeyCode::Char(c) => c.to_string(),
        KeyCode::F(n) => format!("F{n}"),
        other => format!("{other:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_has_a_name_and_keys_read_back_as_written() {
        for b in super::super::keymap::BINDINGS {
            let name = action_name(b.action);
            assert_eq!(action_named(name), Some(b.action), "{name}");
        }
        for text in ["t", "T", "?", "/", "Enter", "pageup", "Space", "F5", "é"] {
            assert!(parse(text).is_ok(), "{text}");
        }
        for text in ["", "F13", "Ctrl-c", "tt", "\u{1b}", " "] {
            assert!(parse(text).is_err(), "{text:?}");
        }
        assert_eq!(shown(parse("PageDown").expect("a key")), "PgDn");
    }
}
