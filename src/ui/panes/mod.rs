//! One pane per file; each draws from the store and nothing else.

pub mod acks;
pub mod alarm;
pub mod chain;
pub mod detail;
pub mod doctor;
pub mod help;
pub mod metric;
pub mod setup;
pub mod status;
pub mod timeline;

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
