//! The filter line, over the status bar while it is open: `/` and the expression, the part
//! that is wrong marked, then why; or how many accesses match.

use crate::query::QueryError;
use crate::store::Store;
use crate::text::sanitize::sanitize_line;
use crate::ui::theme;
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

pub fn draw(frame: &mut Frame, area: Rect, store: &Store, text: &str, error: Option<&QueryError>) {
    let width = area.width as usize;
    let chars: Vec<char> = text.chars().collect();
    let part = |from: usize, to: usize| -> String {
        let piece: String = chars[from.min(chars.len())..to.min(chars.len())]
            .iter()
            .collect();
        sanitize_line(&piece, width)
    };
    let mut spans = vec![Span::styled("/", theme::title())];
    let after = match error {
        Some(e) => {
            let wrong = part(e.at, e.at + e.len);
            spans.push(Span::raw(part(0, e.at)));
            spans.push(Span::styled(
                if wrong.is_empty() {
                    " ".to_string()
                } else {
                    wrong
                },
                theme::bad().add_modifier(Modifier::UNDERLINED | Modifier::BOLD),
            ));
            spans.push(Span::raw(part(e.at + e.len, chars.len())));
            Span::styled(format!("  ✗ {}", e.why), theme::bad())
        }
        None => {
            spans.push(Span::raw(part(0, chars.len())));
            Span::styled(
                format!(
                    "  {} of {} · Enter keeps · Esc clears",
                    store.shown_len(),
                    store.timeline.len()
                ),
                theme::dim(),
            )
        }
    };
    let typed: usize = spans.iter().map(|s| s.content.width()).sum();
    spans.push(after);
    frame.render_widget(ratatui::widgets::Clear, area);
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
    if typed < width {
        frame.set_cursor_position(Position::new(area.x + typed as u16, area.y));
    }
}
