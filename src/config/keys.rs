//! `[keys]`: the dashboard's keys, each action on the keys given instead of its own
//! (`test_access = "T"`, `up = ["Up", "k"]`). Read into the effective map at load; an
//! unknown action, a key that is not one, or a key two actions would share is refused with
//! the file and line.

use crate::ui::key_name::{action_named, action_names, parse};
use crate::ui::keymap::Keymap;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::ops::Range;
use toml::Spanned;

/// One key or several.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum KeyList {
    One(String),
    Many(Vec<String>),
}

/// `[keys]` as written: action name → keys, with where the keys are in the file.
pub type Keys = BTreeMap<String, Spanned<KeyList>>;

/// The effective map, or the first mistake and where it is in the file (a byte range).
pub fn keymap(keys: &Keys) -> Result<Keymap, (Range<usize>, String)> {
    let mut overrides = Vec::new();
    let mut at = Vec::new();
    for (name, value) in keys {
        let span = value.span();
        let action = action_named(name).ok_or_else(|| {
            let why = format!(
                "[keys] {name}: no such action; the actions are {}",
                action_names()
            );
            (span.clone(), why)
        })?;
        let written = match value.get_ref() {
            KeyList::One(k) => vec![k.clone()],
            KeyList::Many(ks) => ks.clone(),
        };
        let mut codes = Vec::new();
        for k in &written {
            let code =
                parse(k).map_err(|why| (span.clone(), format!("[keys] {name} = {k:?}: {why}")))?;
            codes.push(code);
        }
        overrides.push((action, codes));
        at.push((name, span));
    }
    Keymap::with(&overrides).map_err(|(i, why)| {
        let (name, span) = at[i].clone();
        (span, format!("[keys] {name}: {why}"))
    })
}
