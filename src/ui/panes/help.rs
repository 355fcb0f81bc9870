//! The help overlay, generated from the keymap.

use crate::ui::keymap::BINDINGS;
use crate::ui::theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

pub fn draw(frame: &mut Frame, area: Rect) {
    let mut lines: Vec<Line> = BINDINGS
        .iter()
        .map(|b| {
            Line::from(vec![
                Span::styled(format!(" {:>7}  ", b.shown), theme::title()),
                Span::raw(b.help),
            ])
        })
        .collect();
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        " Times are UTC. Accesses: CloudTrail event history, EventBridge if set up.",
        theme::dim(),
    ));
    // A short terminal loses the footer first, then keys, never the frame round them.
    let room = area.height.saturating_sub(2) as usize;
    if lines.len() > room {
        lines.truncate(lines.len() - 2);
    }
    if lines.len() > room {
        lines.truncate(room.saturating_sub(1));
        lines.push(Line::styled(
            " … and more: a taller terminal shows every key",
            theme::dim(),
        ));
    }
    let popup = super::centered(area, 78, lines.len() as u16 + 2);
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines).block(
            Block::default()
                .borders(Borders::ALL)
                .title(Span::styled(" Keys ", theme::title())),
        ),
        popup,
    );
}
