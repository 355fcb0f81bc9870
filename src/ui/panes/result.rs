//! The timeline's result column: what came of a read, or what a change did, in words and
//! a sign that read apart without colour.

use crate::access::{AccessEvent, Outcome};
use crate::ui::theme;
use ratatui::style::Style;

/// The outcome; a change says what it changed (`✎ new value`, `⚑ policy set` when it can
/// set up exfiltration, `✗ …` when refused); a read by a principal, from a network or with a client never seen reading
/// that secret before says so in words (`ok · new ip`; `ok · new ×2`, the detail view
/// says which), in the warning colour.
pub fn result_of(e: &AccessEvent, is_test: bool) -> (String, Style) {
    if let Some(change) = &e.change {
        // A glyph for each, so that they read apart without colour too.
        return match (&e.outcome, change.flagged()) {
            (Outcome::Error(_), _) => (format!("✗ {}", change.what), theme::bad()),
            (Outcome::Success, true) => (format!("⚑ {}", change.what), theme::flagged()),
            (Outcome::Success, false) => (format!("✎ {}", change.what), theme::change()),
        };
    }
    match &e.outcome {
        Outcome::Success if is_test => ("ok · test ✓".to_string(), theme::good()),
        Outcome::Success if !e.first_seen.is_empty() => {
            let mut new = e.first_seen.dims();
            let text = match (new.next(), new.count()) {
                (Some(only), 0) => format!("ok · new {}", only.label()),
                (_, more) => format!("ok · new ×{}", more + 1),
            };
            (text, theme::warn())
        }
        Outcome::Success => ("ok".to_string(), theme::good()),
        Outcome::Error(code) => (code.to_string(), theme::bad()),
    }
}
