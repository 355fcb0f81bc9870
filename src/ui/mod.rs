//! The terminal UI: pure rendering from the store, one pane per file.

mod ack_dialog;
pub mod app;
mod filter_line;
pub mod key_name;
pub mod keymap;
pub mod now;
pub mod panes;
mod readers_view;
mod scope_picker;
pub mod theme;
mod trace_view;
pub mod tui;
mod why_fired;

use crate::store;
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

/// Where each pane goes on a screen of this size.
struct Areas {
    timeline: Rect,
    metric: Rect,
    alarm: Rect,
    chain: Rect,
    status: Rect,
}

fn areas(screen: Rect) -> Areas {
    // The lower panes take a third of the height, at least 9 rows and at most 16.
    let lower = (screen.height / 3).clamp(9, 16);
    let [timeline, bottom, chain, status] = Layout::vertical([
        Constraint::Min(5),
        Constraint::Length(lower),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(screen);
    let [metric, alarm] =
        Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(bottom);
    Areas {
        timeline,
        metric,
        alarm,
        chain,
        status,
    }
}

/// How many accesses the timeline shows on a screen of this size (a page, for paging).
pub fn timeline_page(screen: Rect, store: &store::Store) -> usize {
    panes::timeline::event_rows(areas(screen).timeline, store)
}

/// Draws the whole screen, reading the app only; returns when it will next read
/// differently if nothing else happens (None: not until something does).
pub fn draw(frame: &mut Frame, app: &App, view: &ViewConfig) -> Option<DateTime<Utc>> {
    let area = frame.area();
    let now = Now::new(app.clock.now());
    let now = &now;
    let store = &app.store;
    let Areas {
        timeline,
        metric: metric_area,
        alarm: alarm_area,
        chain,
        status,
    } = areas(area);
    let threshold = store.alarm.found().map(|a| a.threshold);
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
    panes::timeline::draw(frame, timeline, store, app.selected, now);
    match &app.mode {
        Mode::Dashboard => {}
        Mode::Help => panes::help::draw(frame, area),
        Mode::Doctor { selected, open } => {
            panes::doctor::draw(frame, area, &app.store, *selected, *open)
        }
        Mode::Setup => panes::setup::draw(frame, area, &app.store),
        Mode::Acknowledge { episode, note } => {
            let why = store.why_fired(episode.since);
            panes::acks::dialog(frame, area, episode, why.as_ref(), note, now)
        }
        Mode::Acks => panes::acks::history(frame, area, &app.store),
        Mode::Readers { selected, order } => {
            panes::readers::draw(frame, area, &app.store, *selected, *order)
        }
        Mode::Filter { text, error } => {
            panes::filter_line::draw(frame, status, store, text, error.as_ref())
        }
        Mode::Scopes { selected } => {
            panes::scopes::draw(frame, area, &app.store, *selected, app.clock.now())
        }
        Mode::Trace { selected } => {
            panes::trace::draw(frame, area, &app.store, *selected, now);
        }
        Mode::Detail { event, scroll } => {
            let event = app.store.timeline.get(event);
            panes::detail::draw(frame, inset(area), event, *scroll);
        }
    }
    now.next_change()
}

/// How far the detail view of `event` scrolls on a screen of this size, and its page.
pub fn detail_extent(screen: Rect, event: &crate::access::AccessEvent) -> (u16, u16) {
    let area = inset(screen);
    let page = panes::detail::height(area);
    let inner_width = area.width.saturating_sub(2);
    let lines = panes::detail::lines(event, inner_width).len();
    let lines = u16::try_from(lines).unwrap_or(u16::MAX);
    (lines.saturating_sub(page), page.max(1))
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

#[cfg(test)]
mod tests {
    use super::app::App;
    use crate::access::{AccessEvent, ClientKind, Outcome};
    use crate::clock::Clock;
    use chrono::{DateTime, TimeDelta, Utc};
    use crossterm::event::{KeyCode, KeyEvent};
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    fn event(n: i64) -> AccessEvent {
        AccessEvent {
            event_id: format!("e{n}").into(),
            time: DateTime::<Utc>::UNIX_EPOCH + TimeDelta::seconds(n),
            event_name: "GetSecretValue".into(),
            secret: "TopSecretInfo".into(),
            principal: "arn:aws:iam::123456789012:user/alice".into(),
            principal_type: "IAMUser".into(),
            source_ip: "198.51.100.23".into(),
            user_agent: "aws-cli/2".into(),
            client: ClientKind::Cli,
            outcome: Outcome::Success,
            region: "us-east-1".into(),
            account: "123456789012".into(),
            principal_account: "123456789012".into(),
            seen_by: crate::access::SeenBy::Lookup,
            received_at: None,
            raw: None,
            first_seen: Default::default(),
            change: None,
        }
    }

    /// The rows of the timeline that show an access (the time column starts them).
    fn rows_shown(app: &App, width: u16, height: u16) -> usize {
        let view = super::ViewConfig {
            metric_name: "m".into(),
            period: std::time::Duration::from_secs(60),
            alarm_name: "a".into(),
        };
        let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("terminal");
        terminal
            .draw(|f| {
                super::draw(f, app, &view);
            })
            .expect("draw");
        let text = terminal.backend().to_string();
        text.lines().filter(|l| l.contains("│00:0")).count()
    }

    #[test]
    fn a_page_is_what_the_timeline_shows_at_the_terminals_size() {
        let mut app = App::new(Clock::system(), "t".into());
        for n in 0..500 {
            app.store.timeline.insert(event(n));
        }
        for (width, height) in [(100, 30), (140, 60)] {
            app.resize(width, height);
            app.selected = 0;
            let shown = rows_shown(&app, width, height);
            assert!(shown > 5, "{shown} rows at {width}x{height}");
            assert_eq!(super::timeline_page(app.screen, &app.store), shown);
            app.on_key(KeyEvent::from(KeyCode::PageDown));
            assert_eq!(app.selected, shown, "at {width}x{height}");
        }
    }
}
