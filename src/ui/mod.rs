//! The terminal UI: pure rendering from the store, one pane per file.

pub mod app;
pub mod keymap;
pub mod now;
pub mod panes;
mod theme;
pub mod tui;

use app::{App, Mode};
use chrono::{DateTime, Utc};
use now::Now;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use std::time::Duration;

/// What the panes need to know about the chain they show.
#[derive(Debug, Clone)]
pub struct ViewConfig {
    pub metric_name: String,
    pub period: Duration,
    pub alarm_name: String,
}

/// Draws the whole screen; returns when it will next read differently if nothing
/// else happens (None: not until something does).
pub fn draw(frame: &mut Frame, app: &mut App, view: &ViewConfig) -> Option<DateTime<Utc>> {
    let area = frame.area();
    let now = Now::new(app.clock.now());
    let now = &now;
    let store = &app.store;
    // The lower panes take a third of the height, at least 9 rows and at most 16.
    let lower = (area.height / 3).clamp(9, 16);
    let [top, bottom, chain, status] = Layout::vertical([
        Constraint::Min(5),
        Constraint::Length(lower),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    let [metric_area, alarm_area] =
        Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(bottom);
    let threshold = store
        .alarm
        .as_ref()
        .and_then(Option::as_ref)
        .map(|a| a.threshold);
    panes::metric::draw(
        frame,
        metric_area,
        store,
        panes::metric::MetricView {
            name: &view.metric_name,
            period: view.period,
            threshold,
            points: &store.metric,
            now,
        },
    );
    panes::alarm::draw(frame, alarm_area, store, &view.alarm_name, now);
    panes::chain::draw(frame, chain, store);
    panes::status::draw(frame, status, store, app.flash.as_ref(), now);
    app.page = panes::timeline::draw(frame, top, store, app.selected, now);
    match &app.mode {
        Mode::Dashboard => {}
        Mode::Help => panes::help::draw(frame, area),
        Mode::Doctor { selected, open } => {
            panes::doctor::draw(frame, area, &app.store, *selected, *open)
        }
        Mode::Setup => panes::setup::draw(frame, area, &app.store),
        Mode::Acknowledge { episode, note } => panes::acks::dialog(frame, area, episode, note, now),
        Mode::Acks => panes::acks::history(frame, area, &app.store),
        Mode::Detail { event, scroll } => {
            let event = app.store.timeline.get(event);
            panes::detail::draw(frame, inset(area), event, *scroll);
        }
    }
    now.next_change()
}

fn inset(area: Rect) -> Rect {
    let dx = (area.width / 20).min(4);
    let dy = (area.height / 12).min(2);
    Rect {
        x: area.x + dx,
        y: area.y + dy,
        width: area.width.saturating_sub(2 * dx),
        height: area.height.saturating_sub(2 * dy + 1),
    }
}
