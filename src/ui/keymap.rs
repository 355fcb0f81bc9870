//! Every key the dashboard knows, in one table, and the effective map: the table with the
//! config's `[keys]` over it. The help overlay, the hint bar and the panes' hints are
//! generated from the effective map, so they cannot disagree with what keys do.

use super::key_name;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::sync::OnceLock;

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
    Expect,
    Export,
    ExportCsv,
    WhyFired,
    Traces,
}

pub struct Binding {
    pub keys: &'static [KeyCode],
    pub action: Action,
    pub help: &'static str,
    /// Shown in the status bar's hints.
    pub hint: Option<&'static str>,
}

pub const BINDINGS: &[Binding] = &[
    Binding {
        keys: &[KeyCode::Char('t')],
        action: Action::TestAccess,
        help: "fire a test GetSecretValue and follow it through the chain",
        hint: Some("test"),
    },
    Binding {
        keys: &[KeyCode::Char('T')],
        action: Action::Traces,
        help: "the traces: each test access link by link, this run's and the past ones",
        hint: None,
    },
    Binding {
        keys: &[KeyCode::Char('a')],
        action: Action::Acknowledge,
        help: "acknowledge the firing alarm (this ALARM episode), with a note",
        hint: Some("ack"),
    },
    Binding {
        keys: &[KeyCode::Char('A')],
        action: Action::Acks,
        help: "the acknowledgements made on this machine",
        hint: None,
    },
    Binding {
        keys: &[KeyCode::Char('d')],
        action: Action::Doctor,
        help: "check every link of the alert chain: evidence and fix for each",
        hint: Some("doctor"),
    },
    Binding {
        keys: &[KeyCode::Char('s')],
        action: Action::Setup,
        help: "show what setup would create or fix, then apply it when confirmed",
        hint: Some("setup"),
    },
    Binding {
        keys: &[KeyCode::Char('w')],
        action: Action::WhyFired,
        help: "why the alarm fired: the accesses of the periods that breached",
        hint: None,
    },
    Binding {
        keys: &[KeyCode::Char('S')],
        action: Action::Scopes,
        help: "narrow the accesses to one scope (account, region), or all",
        hint: None,
    },
    Binding {
        keys: &[KeyCode::Char('/')],
        action: Action::Filter,
        help: "filter the accesses: text, principal: ip: client: type: since: …",
        hint: Some("filter"),
    },
    Binding {
        keys: &[KeyCode::Char('p')],
        action: Action::Readers,
        help: "who reads what: each principal, its secrets, reads, refusals",
        hint: None,
    },
    Binding {
        keys: &[KeyCode::Char('o')],
        action: Action::Order,
        help: "in the principals: order by last seen or by reads",
        hint: None,
    },
    Binding {
        keys: &[KeyCode::Char('e')],
        action: Action::Expect,
        help: "in the principals: mark the one selected expected (noise), or not",
        hint: None,
    },
    Binding {
        keys: &[KeyCode::Char('x')],
        action: Action::Export,
        help: "export the accesses shown (as filtered) to a JSON lines file",
        hint: None,
    },
    Binding {
        keys: &[KeyCode::Char('X')],
        action: Action::ExportCsv,
        help: "export the accesses shown (as filtered) to a CSV file",
        hint: None,
    },
    Binding {
        keys: &[KeyCode::Char('y')],
        action: Action::Confirm,
        help: "confirm: apply the setup plan shown",
        hint: None,
    },
    Binding {
        keys: &[KeyCode::Up, KeyCode::Char('k')],
        action: Action::Up,
        help: "select the newer access / scroll up",
        hint: None,
    },
    Binding {
        keys: &[KeyCode::Down, KeyCode::Char('j')],
        action: Action::Down,
        help: "select the older access / scroll down",
        hint: None,
    },
    Binding {
        keys: &[KeyCode::PageUp],
        action: Action::PageUp,
        help: "a page newer (or up)",
        hint: None,
    },
    Binding {
        keys: &[KeyCode::PageDown],
        action: Action::PageDown,
        help: "a page older (or down)",
        hint: None,
    },
    Binding {
        keys: &[KeyCode::Home, KeyCode::Char('g')],
        action: Action::Newest,
        help: "back to the newest access / the top of the detail view",
        hint: None,
    },
    Binding {
        keys: &[KeyCode::End, KeyCode::Char('G')],
        action: Action::Oldest,
        help: "the oldest access / the end of the detail view",
        hint: None,
    },
    Binding {
        keys: &[KeyCode::Enter],
        action: Action::Open,
        help: "show the selected event in full (its CloudTrail JSON)",
        hint: Some("detail"),
    },
    Binding {
        keys: &[KeyCode::Esc],
        action: Action::Close,
        help: "close the detail view or this help; clear the filter",
        hint: None,
    },
    Binding {
        keys: &[KeyCode::Char('?')],
        action: Action::Help,
        help: "show or hide this help",
        hint: Some("help"),
    },
    Binding {
        keys: &[KeyCode::Char('q')],
        action: Action::Quit,
        help: "quit (Ctrl-C too)",
        hint: Some("quit"),
    },
];

/// The action of a key press in the effective map (Ctrl-C always quits).
pub fn action_for(key: KeyEvent) -> Option<Action> {
    current().action_for(key)
}

/// How the effective map writes the keys of `action`, for help and hints (`↑/k`).
pub fn key(action: Action) -> String {
    current().shown(action)
}

/// The first of the keys of `action`, for the short hints at the foot of a pane (`↑`).
pub fn key1(action: Action) -> String {
    current().first_shown(action)
}

static CURRENT: OnceLock<Keymap> = OnceLock::new();

/// Makes `map` the dashboard's, once, before it draws; false when one was set already.
pub fn install(map: Keymap) -> bool {
    CURRENT.set(map).is_ok()
}

/// The effective map: the config's, else the standard one.
pub fn current() -> &'static Keymap {
    CURRENT.get_or_init(Keymap::standard)
}

/// The keys of every action: the standard table with the config's `[keys]` over it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keymap {
    keys: Vec<(Action, Vec<KeyCode>)>,
}

impl Keymap {
    pub fn standard() -> Self {
        let keys = BINDINGS.iter().map(|b| (b.action, b.keys.to_vec()));
        Keymap {
            keys: keys.collect(),
        }
    }

    /// The standard map with each of `overrides`' actions on its keys instead. Err names
    /// the override at fault (by its index) and why: no key, or a key another action has.
    pub fn with(overrides: &[(Action, Vec<KeyCode>)]) -> Result<Self, (usize, String)> {
        let mut map = Keymap::standard();
        for (i, (action, keys)) in overrides.iter().enumerate() {
            if keys.is_empty() {
                return Err((i, "needs at least one key".into()));
            }
            if let Some(slot) = map.keys.iter_mut().find(|(a, _)| a == action) {
                slot.1.clone_from(keys);
            }
        }
        for (i, (action, keys)) in overrides.iter().enumerate() {
            for k in keys {
                let other = map
                    .keys
                    .iter()
                    .find(|(a, ks)| a != action && ks.contains(k));
                if let Some((other, _)) = other {
                    return Err((
                        i,
                        format!(
                            "{} is {}'s key too: give one of them another",
                            key_name::shown(*k),
                            key_name::action_name(*other)
                        ),
                    ));
                }
            }
        }
        Ok(map)
    }

    pub fn action_for(&self, key: KeyEvent) -> Option<Action> {
        if key.modifiers.contains(KeyModifiers::CONTROL) {
            return (key.code == KeyCode::Char('c')).then_some(Action::Quit);
        }
        self.keys
            .iter()
            .find(|(_, keys)| keys.contains(&key.code))
            .map(|(a, _)| *a)
    }

    pub fn first_shown(&self, action: Action) -> String {
        self.keys_of(action)
            .first()
            .map(|k| key_name::shown(*k))
            .unwrap_or_default()
    }

    fn keys_of(&self, action: Action) -> &[KeyCode] {
        let keys = self.keys.iter().find(|(a, _)| *a == action);
        keys.map_or(&[], |(_, ks)| ks.as_slice())
    }

    pub fn shown(&self, action: Action) -> String {
        let names: Vec<String> = self
            .keys_of(action)
            .iter()
            .map(|k| key_name::shown(*k))
            .collect();
        names.join("/")
    }
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
