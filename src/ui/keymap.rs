//! Every key the dashboard knows, in one table: the help overlay and the hint
//! bar are generated from it, so they cannot disagree with what keys do.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Quit,
    Help,
    TestAccess,
    Up,
    Down,
    PageUp,
    PageDown,
    Newest,
    Oldest,
    Open,
    Close,
    Doctor,
    Setup,
    Confirm,
    Acknowledge,
    Acks,
    Scopes,
    Filter,
    Readers,
    Order,
    Export,
    ExportCsv,
    WhyFired,
}

pub struct Binding {
    pub keys: &'static [KeyCode],
    /// How the key is written in help and hints.
    pub shown: &'static str,
    pub action: Action,
    pub help: &'static str,
    /// Shown in the status bar's hints.
    pub hint: Option<&'static str>,
}

pub const BINDINGS: &[Binding] = &[
    Binding {
        keys: &[KeyCode::Char('t')],
        shown: "t",
        action: Action::TestAccess,
        help: "fire a test GetSecretValue and follow it through the chain",
        hint: Some("test"),
    },
    Binding {
        keys: &[KeyCode::Char('a')],
        shown: "a",
        action: Action::Acknowledge,
        help: "acknowledge the firing alarm (this ALARM episode), with a note",
        hint: Some("ack"),
    },
    Binding {
        keys: &[KeyCode::Char('A')],
        shown: "A",
        action: Action::Acks,
        help: "the acknowledgements made on this machine",
        hint: None,
    },
    Binding {
        keys: &[KeyCode::Char('d')],
        shown: "d",
        action: Action::Doctor,
        help: "check every link of the alert chain: evidence and fix for each",
        hint: Some("doctor"),
    },
    Binding {
        keys: &[KeyCode::Char('s')],
        shown: "s",
        action: Action::Setup,
        help: "show what setup would create or fix, then apply it when confirmed",
        hint: Some("setup"),
    },
    Binding {
        keys: &[KeyCode::Char('w')],
        shown: "w",
        action: Action::WhyFired,
        help: "why the alarm fired: the accesses of the periods that breached",
        hint: None,
    },
    Binding {
        keys: &[KeyCode::Char('S')],
        shown: "S",
        action: Action::Scopes,
        help: "narrow the accesses to one scope (account, region), or all",
        hint: None,
    },
    Binding {
        keys: &[KeyCode::Char('/')],
        shown: "/",
        action: Action::Filter,
        help: "filter the accesses: text, principal: ip: client: type: since: …",
        hint: Some("filter"),
    },
    Binding {
        keys: &[KeyCode::Char('p')],
        shown: "p",
        action: Action::Readers,
        help: "who reads what: each principal, its secrets, reads, refusals",
        hint: None,
    },
    Binding {
        keys: &[KeyCode::Char('o')],
        shown: "o",
        action: Action::Order,
        help: "in the principals: order by last seen or by reads",
        hint: None,
    },
    Binding {
        keys: &[KeyCode::Char('x')],
        shown: "x",
        action: Action::Export,
        help: "export the accesses shown (as filtered) to a JSON lines file",
        hint: None,
    },
    Binding {
        keys: &[KeyCode::Char('X')],
        shown: "X",
        action: Action::ExportCsv,
        help: "export the accesses shown (as filtered) to a CSV file",
        hint: None,
    },
    Binding {
        keys: &[KeyCode::Char('y')],
        shown: "y",
        action: Action::Confirm,
        help: "confirm: apply the setup plan shown",
        hint: None,
    },
    Binding {
        keys: &[KeyCode::Up, KeyCode::Char('k')],
        shown: "↑/k",
        action: Action::Up,
        help: "select the newer access / scroll up",
        hint: None,
    },
    Binding {
        keys: &[KeyCode::Down, KeyCode::Char('j')],
        shown: "↓/j",
        action: Action::Down,
        help: "select the older access / scroll down",
        hint: None,
    },
    Binding {
        keys: &[KeyCode::PageUp],
        shown: "PgUp",
        action: Action::PageUp,
        help: "a page newer (or up)",
        hint: None,
    },
    Binding {
        keys: &[KeyCode::PageDown],
        shown: "PgDn",
        action: Action::PageDown,
        help: "a page older (or down)",
        hint: None,
    },
    Binding {
        keys: &[KeyCode::Home, KeyCode::Char('g')],
        shown: "Home/g",
        action: Action::Newest,
        help: "back to the newest access / the top of the detail view",
        hint: None,
    },
    Binding {
        keys: &[KeyCode::End, KeyCode::Char('G')],
        shown: "End/G",
        action: Action::Oldest,
        help: "the oldest access / the end of the detail view",
        hint: None,
    },
    Binding {
        keys: &[KeyCode::Enter],
        shown: "Enter",
        action: Action::Open,
        help: "show the selected event in full (its CloudTrail JSON)",
        hint: Some("detail"),
    },
    Binding {
        keys: &[KeyCode::Esc],
        shown: "Esc",
        action: Action::Close,
        help: "close the detail view or this help; clear the filter",
        hint: None,
    },
    Binding {
        keys: &[KeyCode::Char('?')],
        shown: "?",
        action: Action::Help,
        help: "show or hide this help",
        hint: Some("help"),
    },
    Binding {
        keys: &[KeyCode::Char('q')],
        shown: "q",
        action: Action::Quit,
        help: "quit (Ctrl-C too)",
        hint: Some("quit"),
    },
];

pub fn action_for(key: KeyEvent) -> Option<Action> {
    if key.modifiers.contains(KeyModifiers::CONTROL) {
        return (key.code == KeyCode::Char('c')).then_some(Action::Quit);
    }
    BINDINGS
        .iter()
        .find(|b| b.keys.contains(&key.code))
        .map(|b| b.action)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_has_exactly_one_binding_and_keys_do_not_collide() {
        let mut keys = Vec::new();
        for b in BINDINGS {
            for k in b.keys {
                assert!(!keys.contains(k), "{k:?} bound twice");
                keys.push(*k);
            }
        }
        let actions: Vec<Action> = BINDINGS.iter().map(|b| b.action).collect();
        for a in &actions {
            assert_eq!(actions.iter().filter(|x| *x == a).count(), 1, "{a:?}");
        }
    }

    #[test]
    fn ctrl_c_quits_and_plain_c_does_nothing() {
        let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(action_for(ctrl_c), Some(Action::Quit));
        assert_eq!(action_for(KeyEvent::from(KeyCode::Char('c'))), None);
    }
}
