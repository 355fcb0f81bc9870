//! The scope picker: every scope watched with its accesses, its alarm and its health, the
//! selected one narrowing the timeline on Enter.

use super::centered;
use crate::chain::scopes::Verdict;
use crate::cloud::types::AlarmState;
use crate::store::{Health, ScopeFilter, Store};
use crate::text::sanitize::sanitize_line;
use crate::ui::keymap::{Action, key, key1};
use crate::ui::theme;
use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

pub fn draw(frame: &mut Frame, area: Rect, store: &Store, selected: usize, now: DateTime<Utc>) {
    let scopes = store.scope_list();
    let popup = centered(
        area,
        area.width.saturating_sub(4).min(96),
        (scopes.len() as u16 + 3).min(area.height.saturating_sub(2)),
    );
    let inner = popup.width.saturating_sub(2) as usize;
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(" Scopes · Enter narrows ", theme::title()))
        .title_bottom(Span::styled(
            format!(
                " {}/{} · {} · {}/{} close ",
                key1(Action::Up),
                key1(Action::Down),
                key(Action::Open),
                key(Action::Scopes),
                key(Action::Close)
            ),
            theme::dim(),
        ));
    let mut rows: Vec<(String, Style)> = vec![(
        format!("all scopes · {}", accesses(store.timeline.len())),
        theme::dim(),
    )];
    for (i, scope) in scopes.iter().enumerate() {
        let (mark, style) = state(store, i, now);
        let count = store
            .timeline
            .newest_first()
            .filter(|e| scope.matches(e))
            .count();
        let focused = if i == 0 { " · focused" } else { "" };
        let (chain, broken) = chain(store, i);
        rows.push((
            format!(
                "{} · {} · {mark}{chain}{focused}",
                scope.label(),
                accesses(count)
            ),
            if broken { theme::bad() } else { style },
        ));
    }
    let picked = |f: &ScopeFilter| store.narrowed.as_ref() == Some(f);
    let lines: Vec<Line> = rows
        .into_iter()
        .enumerate()
        .map(|(i, (text, style))| {
            let now_shown = match i {
                0 => store.narrowed.is_none(),
                i => scopes.get(i - 1).is_some_and(picked),
            };
            let text = format!("{} {text}", if now_shown { "●" } else { " " });
            let style = if i == selected {
                theme::selected()
            } else {
                style
            };
            Line::from(Span::styled(sanitize_line(&text, inner), style))
        })
        .collect();
    frame.render_widget(Clear, popup);
    frame.render_widget(Paragraph::new(lines).block(block), popup);
}

fn accesses(n: usize) -> String {
    match n {
        1 => "1 access".into(),
        n => format!("{n} accesses"),
    }
}

/// A scope's chain in words (` · chain BROKEN`), once the doctor has looked; and whether
/// it is broken.
fn chain(store: &Store, i: usize) -> (String, bool) {
    match store.chain_states().nth(i).unwrap_or((None, false)) {
        (_, true) => (" · chain checking…".into(), false),
        (Some(v), false) => (format!(" · chain {}", v.words()), v == Verdict::Broken),
        (None, false) => (String::new(), false),
    }
}

/// A scope's word: ALARM when its alarm fires, ✗ when it cannot be read, else ✓.
fn state(store: &Store, i: usize, now: DateTime<Utc>) -> (&'static str, Style) {
    let (alarm, health) = match i {
        0 => (store.alarm.found(), &store.health),
        i => match store.others.values().nth(i - 1) {
            Some(view) if view.identity.is_none() && view.identity_error.is_some() => {
                return ("✗ not connected", theme::bad());
            }
            Some(view) => (view.alarm.found(), &view.health),
            None => return ("…", theme::dim()),
        },
    };
    if alarm.is_some_and(|a| a.state == AlarmState::Alarm) {
        return ("ALARM", theme::alarm_state(AlarmState::Alarm));
    }
    match health.health(crate::engine::Source::Events, now) {
        Health::Failing { .. } => ("✗ events failing", theme::bad()),
        Health::Throttled { .. } => ("events throttled", theme::warn()),
        Health::Starting => ("…", theme::dim()),
        _ => ("✓", theme::good()),
    }
}
