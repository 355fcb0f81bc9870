//! The alert chain in one line: each link's state, left to right as an access
//! travels it.

use crate::chain::{ChainLink, Finding, LinkState};
use crate::store::Store;
use crate::text::sanitize::sanitize_line;
use crate::ui::keymap::{Action, key};
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

/// One state per link, in the order the doctor found them: the worst of its findings (a
/// link can have several, one per watched secret). The noise is advice, not a link: the
/// doctor's panel has it.
fn by_link(findings: &[Finding]) -> Vec<(ChainLink, LinkState)> {
    let rank = |s: LinkState| match s {
        LinkState::Ok => 0,
        LinkState::Unknown => 1,
        LinkState::Warning => 2,
        LinkState::Broken => 3,
    };
    let mut links: Vec<(ChainLink, LinkState)> = Vec::new();
    for f in findings.iter().filter(|f| !f.link.is_advice()) {
        match links.iter_mut().find(|(link, _)| *link == f.link) {
            Some((_, state)) if rank(f.state) > rank(*state) => *state = f.state,
            Some(_) => {}
            None => links.push((f.link, f.state)),
        }
    }
    links
}

pub fn draw(frame: &mut Frame, area: Rect, store: &Store) {
    let shown = store.chain_shown();
    let title = match &shown.other {
        Some(scope) => format!(" Chain in {} ", sanitize_line(scope, 60)),
        None => " Chain ".to_string(),
    };
    let mut spans = vec![Span::styled(title, theme::title())];
    match shown.findings {
        Some(findings) => {
            // Whole links only, in the chain's order: where the line is too narrow, the
            // last ones (the fast path, the trail's topic) give way to `…`.
            let mut used = spans[0].width();
            let links = by_link(findings);
            for (i, (link, state)) in links.iter().enumerate() {
                let (m, style) = mark(*state);
                let span = Span::styled(format!("{m} {} ", link.label()), style);
                let room_after = if i + 1 < links.len() { 1 } else { 0 };
                if used + span.width() + room_after > usize::from(area.width) {
                    spans.push(Span::styled("…", theme::dim()));
                    break;
                }
                used += span.width();
                spans.push(span);
            }
            if shown.checking {
                spans.push(Span::styled("· checking…", theme::dim()));
            }
        }
        None if shown.checking => spans.push(Span::styled("checking…", theme::dim())),
        None => spans.push(Span::styled(
            format!("not checked yet: press {}", key(Action::Doctor)),
            theme::dim(),
        )),
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
