//! The help overlay, generated from the keymap.

use crate::ui::keymap::{Action, BINDINGS, key};
use crate::ui::theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

/// The keys that move, said in one line. Every key as the effective map has it.
const MOVES: [Action; 6] = [
    Action::Up,
    Action::Down,
    Action::PageUp,
    Action::PageDown,
    Action::Newest,
    Action::Oldest,
];

fn line(keys: &str, help: &str) -> Line<'static> {
    Line::from(vec![
        Span::styled(format!(" {keys:>7}  "), theme::title()),
        Span::raw(help.to_string()),
    ])
}

pub fn draw(frame: &mut Frame, area: Rect) {
    let mut lines: Vec<Line> = BINDINGS
        .iter()
        .filter(|b| !MOVES.contains(&b.action))
        .map(|b| line(&key(b.action), b.help))
        .collect();
    let moves: Vec<String> = BINDINGS
        .iter()
        .filter(|b| MOVES.contains(&b.action))
        .map(|b| key(b.action))
        .collect();
    // Before Enter, Esc, ? and q: the last four.
    let at = lines.len().saturating_sub(4);
    let help = format!("{}: by one, by page, to the ends", moves.join(" "));
    lines.insert(at, line("move", &help));
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
