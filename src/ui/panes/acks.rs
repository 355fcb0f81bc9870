//! Acknowledgements: the dialog that takes one (with its note), and the history of
//! those made on this machine (acknowledgements are not shared beyond it yet).

use crate::ack::Episode;
use crate::store::{BreachSummary, Store};
use crate::text::format::{hms, short_principal};
use crate::text::sanitize::sanitize_line;
use crate::ui::keymap::{Action, key};
use crate::ui::now::Now;
use crate::ui::theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

pub fn dialog(
    frame: &mut Frame,
    area: Rect,
    episode: &Episode,
    why: Option<&BreachSummary>,
    note: &str,
    now: &Now,
) {
    let popup = super::centered(area, area.width.saturating_sub(4).min(72), 10);
    let inner = popup.width.saturating_sub(2) as usize;
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme::bad())
        .title(Span::styled(" Acknowledge ", theme::title()))
        .title_bottom(Span::styled(" Enter save · Esc cancel ", theme::dim()));
    let lines = vec![
        Line::styled(sanitize_line(&episode.alarm, inner), theme::title()),
        Line::styled(
            format!(
                "in ALARM since {} ({} ago)",
                hms(episode.since),
                now.age(episode.since)
            ),
            theme::dim(),
        ),
        Line::raw(sanitize_line(&why_line(why), inner)),
        Line::raw(""),
        Line::styled("note (optional):", theme::dim()),
        // The end of a long note stays in sight, with the cursor after it.
        Line::raw(format!(
            "{}▏",
            tail(&sanitize_line(note, usize::MAX), inner.saturating_sub(1))
        )),
    ];
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        popup,
    );
}

/// Why it fired in a line: `why: 3 accesses 09:01:00–09:01:59, 2 by user/alice (w lists them)`.
fn why_line(why: Option<&BreachSummary>) -> String {
    let Some(why) = why else {
        return "why: the firing is not in the history held".into();
    };
    let last = why.breach.until - chrono::TimeDelta::seconds(1);
    let most = match &why.most {
        Some((who, n)) if why.accesses > 1 => {
            format!(", {n} by {}", short_principal(who))
        }
        Some((who, _)) => format!(", by {}", short_principal(who)),
        None => String::new(),
    };
    format!(
        "why: {} access{} {}–{}{most} (w lists them)",
        why.accesses,
        if why.accesses == 1 { "" } else { "es" },
        hms(why.breach.from),
        hms(last),
    )
}

/// The last `width` characters of `text`.
fn tail(text: &str, width: usize) -> String {
    let count = text.chars().count();
    text.chars().skip(count.saturating_sub(width)).collect()
}

pub fn history(frame: &mut Frame, area: Rect, store: &Store) {
    let popup = super::centered(
        area,
        area.width.saturating_sub(4).min(110),
        area.height.saturating_sub(2).min(24),
    );
    let inner = popup.width.saturating_sub(2) as usize;
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(
            " Acknowledgements · newest first ",
            theme::title(),
        ))
        .title_bottom(Span::styled(
            format!(" {}/{} close ", key(Action::Acks), key(Action::Close)),
            theme::dim(),
        ));
    let mut lines = Vec::new();
    match store.scope() {
        None => lines.push(Line::styled("the account is not known yet", theme::dim())),
        Some(scope) => {
            for ack in store.acks.history(&scope) {
                let text = format!(
                    "{}  {}  ALARM since {}  by {}{}",
                    ack.at.format("%Y-%m-%d %H:%M:%S"),
                    ack.episode.alarm,
                    hms(ack.episode.since),
                    short_principal(&ack.by),
                    ack.note
                        .as_deref()
                        .map(|n| format!(" · {n}"))
                        .unwrap_or_default()
                );
                lines.push(Line::raw(sanitize_line(&text, inner)));
            }
            if lines.is_empty() {
                lines.push(Line::styled(
                    format!(
                        "none yet in {} {}: `a` acknowledges a firing alarm",
                        scope.account, scope.region
                    ),
                    theme::dim(),
                ));
            }
        }
    }
    frame.render_widget(Clear, popup);
    frame.render_widget(Paragraph::new(lines).block(block), popup);
}
