//! The alert chain in one line: each link's state, left to right as an access
//! travels it.

use crate::chain::LinkState;
use crate::store::Store;
use crate::ui::theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn mark(state: LinkState) -> (&'static str, Style) {
    match state {
        LinkState::Ok => ("✓", theme::good()),
        LinkState::Warning => ("!", theme::warn()),
        LinkState::Broken => ("✗", theme::bad()),
        LinkState::Unknown => ("?", theme::dim()),
    }
}

pub fn draw(frame: &mut Frame, area: Rect, store: &Store) {
    let mut spans = vec![Span::styled(" Chain ", theme::title())];
    match &store.chain {
        Some(report) => {
            for f in &report.findings {
                let (m, style) = mark(f.state);
                spans.push(Span::styled(format!("{m} {} ", f.link.label()), style));
            }
            if store.chain_checking {
                spans.push(Span::styled("· checking…", theme::dim()));
            }
        }
        None if store.chain_checking => spans.push(Span::styled("checking…", theme::dim())),
        None => spans.push(Span::styled("not checked yet: press d", theme::dim())),
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
