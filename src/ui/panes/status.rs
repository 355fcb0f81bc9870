//! The status bar: where we are looking, how fresh each source is, and the
//! main keys.

use crate::ack::AckState;
use crate::cloud::types::AlarmState;
use crate::engine::Source;
use crate::store::{Health, Store};
use crate::text::format::hms;
use crate::text::sanitize::sanitize_line;
use crate::ui::keymap::BINDINGS;
use crate::ui::now::Now;
use crate::ui::theme;
use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn draw(
    frame: &mut Frame,
    area: Rect,
    store: &Store,
    flash: Option<&(String, DateTime<Utc>)>,
    now: &Now,
) {
    let mut spans = Vec::new();
    match &store.identity {
        Some(id) => {
            let backend = match id.backend {
                crate::cloud::types::Backend::Demo => "DEMO",
                crate::cloud::types::Backend::Aws => "AWS",
            };
            spans.push(Span::styled(format!(" {backend} "), theme::selected()));
            spans.push(Span::raw(sanitize_line(
                &format!("{} {} ", id.account, id.region),
                area.width as usize / 3,
            )));
        }
        None => match &store.identity_error {
            Some(error) => {
                // The panes say what failed in full; the status bar says what to do.
                let text = match error.hint() {
                    Some(hint) => format!(" NOT CONNECTED · {hint} "),
                    None => format!(" NOT CONNECTED · {} ", error.short()),
                };
                spans.push(Span::styled(
                    sanitize_line(&text, area.width as usize),
                    theme::bad(),
                ));
            }
            None => spans.push(Span::styled(" connecting… ", theme::dim())),
        },
    }
    // A firing alarm nobody took on stays here until someone does.
    if let Some(AckState::Unacknowledged { episode }) = store.ack_state() {
        spans.push(Span::styled(
            sanitize_line(
                &format!(
                    " ALARM {} since {} · a to acknowledge ",
                    episode.alarm,
                    hms(episode.since)
                ),
                (area.width as usize) / 2,
            ),
            theme::alarm_state(AlarmState::Alarm).add_modifier(Modifier::BOLD),
        ));
    }
    // A message for the last key press takes the place of the sources for a moment.
    if let Some((text, until)) = flash
        && now.before(*until)
    {
        spans.push(Span::styled(format!("│ {text} "), theme::warn()));
        frame.render_widget(Paragraph::new(Line::from(spans)), area);
        return;
    }
    for source in Source::ALL {
        let health = now.health(&store.health, source);
        if matches!(health, Health::Unavailable { .. }) {
            continue;
        }
        spans.push(Span::styled("│", theme::dim()));
        spans.push(health_span(source, &health, now));
    }
    let hints: Vec<String> = BINDINGS
        .iter()
        .filter_map(|b| b.hint.map(|h| format!("{} {h}", b.shown)))
        .collect();
    // The hints go where there is room; "? help" always fits and leads to all of them.
    let used: usize = spans.iter().map(Span::width).sum();
    let all = format!("│ {}", hints.join(" · "));
    let hint = if used + all.chars().count() <= area.width as usize {
        all
    } else {
        "│? help".to_string()
    };
    spans.push(Span::styled(hint, theme::dim()));
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn health_span(source: Source, health: &Health, now: &Now) -> Span<'static> {
    let name = source.label();
    match health {
        Health::Starting => Span::styled(format!(" {name} … "), theme::dim()),
        // Fresh says no more: an age here would tick every second, and a time would
        // change with every poll, keeping an idle screen busy. Late polls show as stale.
        Health::Fresh { .. } => Span::styled(format!(" {name} ✓ "), theme::good()),
        Health::Stale { since } => {
            Span::styled(format!(" {name} stale {} ", now.age(*since)), theme::warn())
        }
        Health::Throttled { retry_at } => Span::styled(
            format!(
                " {name} throttled, next try in {}s ",
                now.secs_until(*retry_at)
            ),
            theme::warn(),
        ),
        Health::Failing {
            retry_at,
            stale_since,
            ..
        } => Span::styled(
            format!(
                " {name} ✗{} retry {}s ",
                stale_since.map_or(String::new(), |at| format!(" stale {}", now.age(at))),
                now.secs_until(*retry_at)
            ),
            theme::bad(),
        ),
        Health::Unavailable { .. } => Span::raw(""),
    }
}
