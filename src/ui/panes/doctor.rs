//! The doctor's findings: one line per link, and the selected one's evidence and fix.

use super::chain::mark;
use crate::chain::LinkState;
use crate::store::Store;
use crate::ui::sanitize::sanitize_line;
use crate::ui::theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

pub fn draw(frame: &mut Frame, area: Rect, store: &Store, selected: usize) {
    let popup = super::centered(
        area,
        area.width.saturating_sub(4).min(110),
        area.height.saturating_sub(2).min(24),
    );
    let inner = popup.width.saturating_sub(2) as usize;
    let title = match &store.chain {
        Some(r) => {
            let broken = r
                .findings
                .iter()
                .filter(|f| f.state == LinkState::Broken)
                .count();
            format!(
                " Doctor · {} links · {broken} broken{} ",
                r.findings.len(),
                if store.chain_checking {
                    " · checking…"
                } else {
                    ""
                }
            )
        }
        None => " Doctor · checking… ".to_string(),
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(title, theme::title()))
        .title_bottom(Span::styled(
            " ↑↓ select · d check again · Esc close ",
            theme::dim(),
        ));
    let mut lines = Vec::new();
    if let Some(report) = &store.chain {
        for (i, f) in report.findings.iter().enumerate() {
            let (m, style) = mark(f.state);
            let text = format!("{m} {:<14} {}", f.link.label(), f.summary);
            let style = if i == selected {
                style.patch(theme::selected())
            } else {
                style
            };
            lines.push(Line::styled(sanitize_line(&text, inner), style));
        }
        if let Some(f) = report.findings.get(selected) {
            lines.push(Line::raw(""));
            lines.push(Line::styled(
                sanitize_line(&format!("{}: {}", f.link.label(), f.summary), inner * 4),
                theme::title(),
            ));
            lines.push(Line::from(vec![
                Span::styled("evidence: ", theme::dim()),
                Span::raw(sanitize_line(&f.evidence, inner * 4)),
            ]));
            if let Some(fix) = &f.fix {
                lines.push(Line::from(vec![
                    Span::styled("fix: ", theme::good()),
                    Span::raw(sanitize_line(fix, inner * 4)),
                ]));
            }
        }
    }
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        popup,
    );
}
