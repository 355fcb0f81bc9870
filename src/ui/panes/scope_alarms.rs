//! The alarms of the other scopes, under the focused scope's alarm: firing first, then the
//! ones that could not be read, then the quiet ones; as many as the rows allow, and how many
//! more there are.

use crate::cloud::types::AlarmState;
use crate::store::{ScopeView, Store};
use crate::text::format::hms;
use crate::text::sanitize::sanitize_line;
use crate::ui::theme;
use ratatui::style::Style;
use ratatui::text::Line;

/// How many rows the list wants at most (a title row and up to three scopes).
pub fn rows(store: &Store) -> u16 {
    match store.others.len() {
        0 => 0,
        n => 1 + n.min(3) as u16,
    }
}

pub fn lines(store: &Store, width: usize, rows: usize) -> Vec<Line<'static>> {
    if store.others.is_empty() || rows == 0 {
        return Vec::new();
    }
    let many = store.many_accounts();
    let mut scopes: Vec<(u8, String, Style)> = store
        .others
        .iter()
        .map(|(i, view)| {
            let place = place(*i, view, many);
            match (view.alarm.found(), &view.identity_error, &view.identity) {
                (_, Some(error), None) => {
                    (1, format!("✗ {place}: {}", error.short()), theme::bad())
                }
                (Some(a), _, _) if a.state == AlarmState::Alarm => (
                    0,
                    format!("ALARM {place} since {}", hms(a.state_since)),
                    theme::alarm_state(AlarmState::Alarm),
                ),
                (Some(a), _, _) => (2, format!("{} {place}", a.state.as_str()), theme::dim()),
                (None, _, _) if view.alarm == crate::store::Lookup::Missing => {
                    (1, format!("no alarm in {place}"), theme::warn())
                }
                (None, _, _) => (3, format!("… {place}"), theme::dim()),
            }
        })
        .collect();
    scopes.sort_by_key(|(rank, _, _)| *rank);
    let room = rows.saturating_sub(1);
    let mut out = vec![Line::styled("other scopes (S picks one)", theme::dim())];
    let hidden = scopes.len().saturating_sub(room);
    let shown = if hidden > 0 {
        room.saturating_sub(1)
    } else {
        room
    };
    for (_, text, style) in scopes.iter().take(shown) {
        out.push(Line::styled(sanitize_line(text, width), *style));
    }
    if hidden > 0 {
        let more = scopes.len() - shown;
        out.push(Line::styled(format!("+{more} more"), theme::dim()));
    }
    out
}

fn place(i: usize, view: &ScopeView, many_accounts: bool) -> String {
    match (view.account().filter(|_| many_accounts), view.region()) {
        (Some(account), Some(region)) => format!("{account}/{region}"),
        (_, Some(region)) => region.to_string(),
        _ => format!("scope {}", i + 1),
    }
}
