//! The doctor's findings: one line per link with the selected one's evidence and fix
//! in short, or (Enter) that finding in full.

use super::chain::mark;
use crate::chain::Finding;
use crate::chain::LinkState;
use crate::store::{ChainShown, Store};
use crate::text::sanitize::{sanitize_block, sanitize_line};
use crate::ui::keymap::{Action, key, key1};
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
    let shown = store.chain_shown();
    let scope = match &shown.other {
        Some(scope) => format!(" · {}", sanitize_line(scope, 60)),
        None => String::new(),
    };
    let title = match shown.findings {
        Some(findings) => {
            let broken = findings
                .iter()
                .filter(|f| f.state == LinkState::Broken)
                .count();
            // The noise is advice, not a link.
            let links = findings.iter().filter(|f| !f.link.is_advice()).count();
            format!(
                " Doctor{scope} · {links} links · {broken} broken{} ",
                if shown.checking {
                    " · checking…"
                } else {
                    ""
                }
            )
        }
        None => format!(" Doctor{scope} · checking… "),
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(title, theme::title()))
        .title_bottom(Span::styled(
            if open {
                format!(
                    " {}/{} back to the list ",
                    key(Action::Open),
                    key(Action::Close)
                )
            } else {
                format!(
                    " {}{} select · {} in full · {} check again · {} close ",
                    key1(Action::Up),
                    key1(Action::Down),
                    key(Action::Open),
                    key(Action::Doctor),
                    key(Action::Close)
                )
            },
            theme::dim(),
        ));
    let full = shown
        .findings
        .and_then(|f| f.get(selected))
        .filter(|_| open);
    let mut lines = Vec::new();
    if let Some(f) = full {
        lines = in_full(f);
    } else if let Some(findings) = shown.findings {
        for (i, f) in findings.iter().enumerate() {
            let (m, style) = mark(f.state);
            let text = format!("{m} {:<14} {}", f.link.label(), f.summary);
            let style = if i == selected {
                style.patch(theme::selected())
            } else {
                style
            };
            lines.push(Line::styled(sanitize_line(&text, inner), style));
        }
        lines.extend(scopes(store, &shown, inner));
        if let Some(f) = findings.get(selected) {
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

/// Where the chain lives when not in the scope, and, over several scopes, every scope's
/// verdict and how to see one's chain.
fn scopes(store: &Store, shown: &ChainShown<'_>, inner: usize) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    if let Some(home) = shown.chain_in {
        let text = format!(
            "log group, filter, alarm and topic live in {} {}, where the organization trail \
             delivers",
            home.account, home.region
        );
        lines.push(Line::styled(sanitize_line(&text, inner), theme::dim()));
    }
    if !store.others.is_empty() {
        let text = format!(
            "scopes: {} · S and Enter on one shows its chain",
            store.verdicts().words()
        );
        let style = match store.verdicts().broken {
            0 => theme::dim(),
            _ => theme::bad(),
        };
        lines.push(Line::styled(sanitize_line(&text, inner), style));
    }
    lines
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
