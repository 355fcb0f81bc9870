//! One pane per file; each draws from the store and nothing else.

pub mod acks;
pub mod alarm;
pub mod chain;
pub mod detail;
pub mod doctor;
pub mod filter_line;
pub mod help;
pub mod metric;
pub mod readers;
mod result;
pub mod scope_alarms;
pub mod scopes;
pub mod setup;
pub mod status;
pub mod timeline;
pub mod trace;

use crate::engine::Source;
use crate::store::{Health, Store};
use crate::text::sanitize::sanitize_line;
use crate::ui::now::Now;
use crate::ui::theme;
use ratatui::text::Line;

/// A popup of at most `width`×`height`, centred in `area`.
pub fn centered(area: ratatui::layout::Rect, width: u16, height: u16) -> ratatui::layout::Rect {
    let width = width.min(area.width);
    let height = height.min(area.height);
    ratatui::layout::Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    }
}

/// A line naming what is wrong with a pane's source, for the pane's bottom edge.
pub fn problem(store: &Store, source: Source, now: &Now, width: u16) -> Option<Line<'static>> {
    let width = width.saturating_sub(4) as usize;
    let text = match now.health(&store.health, source) {
        Health::Failing {
            why,
            since,
            retry_at,
            hint,
            stale_since,
        } => format!(
            " {}failing for {}: {why} · retry in {}s{} ",
            stale_since
                .map(|at| format!("stale since {} · ", crate::text::format::hms(at)))
                .unwrap_or_default(),
            now.age(since),
            now.secs_until(retry_at),
            hint.map(|h| format!(" · {h}")).unwrap_or_default(),
        ),
        Health::Throttled { retry_at } => {
            format!(" throttled, next try in {}s ", now.secs_until(retry_at))
        }
        Health::Stale { since } => format!(" stale: last update {} ago ", now.age(since)),
        _ => return None,
    };
    Some(Line::styled(sanitize_line(&text, width), theme::bad()))
}

/// What a pane with nothing to show says while its source has never answered: that it is
/// still looking, or that it cannot see and why. None once the source has answered: then an
/// empty pane means nothing happened. `what` names what the pane shows ("the accesses").
pub fn not_seen(
    store: &Store,
    source: Source,
    now: &Now,
    what: &str,
    width: usize,
) -> Option<Line<'static>> {
    if store.health.last_ok(source).is_some() {
        return None;
    }
    let (text, style) = match now.health(&store.health, source) {
        Health::Starting => (format!("looking for {what}…"), theme::dim()),
        Health::Failing { why, .. } | Health::Unavailable { why } => {
            (format!("cannot see {what}: {why}"), theme::bad())
        }
        Health::Throttled { .. } => (
            format!("cannot see {what} yet: throttled, trying again"),
            theme::warn(),
        ),
        Health::Fresh { .. } | Health::Stale { .. } => return None,
    };
    Some(Line::styled(sanitize_line(&text, width), style))
}

/// Untrusted text made visible and broken into lines of at most `width` columns, so that
/// nothing of it is cut off.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    use unicode_width::UnicodeWidthChar;
    let visible = sanitize_line(text, usize::MAX);
    let width = width.max(1);
    let mut lines = vec![String::new()];
    let mut used = 0;
    for c in visible.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > width && used > 0 {
            lines.push(String::new());
            used = 0;
        }
        if let Some(line) = lines.last_mut() {
            line.push(c);
        }
        used += w;
    }
    lines
}

#[cfg(test)]
mod tests {
    #[test]
    fn wrapping_keeps_every_character_within_the_width() {
        let lines = super::wrap("aws-cli/2 \u{1b}[2J marker-123", 8);
        assert!(
            lines
                .iter()
                .all(|l| unicode_width::UnicodeWidthStr::width(l.as_str()) <= 8)
        );
        assert!(lines.concat().ends_with("marker-123"), "{lines:?}");
        assert!(!lines.concat().contains('\u{1b}'));
    }
}
