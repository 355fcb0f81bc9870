//! The doctor's findings: one line per link with the selected one's evidence and fix
//! in short, or (Enter) that finding in full.

use super::chain::mark;
use crate::chain::Finding;
use crate::chain::LinkState;
use crate::store::Store;
use crate::text::sanitize::{sanitize_block, sanitize_line};
use crate::ui::theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

pub fn draw(frame: &mut Frame, area: Rect, store: &Store, selected: usize, open: bool) {
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
            if open {
                " Enter/Esc back to the list "
            } else {
                " ↑↓ select · Enter in full · d check again · Esc close "
            },
            theme::dim(),
        ));
    let full = store
        .chain
        .as_ref()
        .and_then(|r| r.findings.get(selected))
        .filter(|_| open);
    let mut lines = Vec::new();
    if let Some(f) = full {
        lines = in_full(f);
    } else if let Some(report) = &store.chain {
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

/// One finding with nothing cut: its evidence can be a whole policy document.
fn in_full(f: &Finding) -> Vec<Line<'static>> {
    let (m, style) = mark(f.state);
    let mut lines = vec![
        Line::styled(
            sanitize_line(
                &format!("{m} {}: {}", f.link.label(), f.summary),
                usize::MAX,
            ),
            style.patch(theme::title()),
        ),
        Line::raw(""),
        Line::styled("evidence", theme::dim()),
    ];
    lines.extend(
        sanitize_block(&f.evidence)
            .lines()
            .map(|l| Line::raw(l.to_string())),
    );
    if let Some(fix) = &f.fix {
        lines.push(Line::raw(""));
        lines.push(Line::styled("fix", theme::good()));
        lines.extend(
            sanitize_block(fix)
                .lines()
                .map(|l| Line::raw(l.to_string())),
        );
    }
    lines
}
