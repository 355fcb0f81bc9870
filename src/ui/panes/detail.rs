//! One event in full: the summary, then its CloudTrail JSON pretty-printed. Long values
//! wrap, so nothing of them (a test marker at the end of a user agent) is out of sight.

use crate::access::AccessEvent;
use crate::store::RAW_KEPT;
use crate::text::sanitize::sanitize_block;
use crate::ui::keymap::{Action, key, key1};
use crate::ui::theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

fn block() -> Block<'static> {
    Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(" Event ", theme::title()))
        .title_bottom(Span::styled(
            format!(
                " {}{} {} {} {} {} scroll · {} close ",
                key1(Action::Up),
                key1(Action::Down),
                key1(Action::PageUp),
                key1(Action::PageDown),
                key1(Action::Newest),
                key1(Action::Oldest),
                key(Action::Close)
            ),
            theme::dim(),
        ))
}

/// The rows of text the view shows of `event`: how far it scrolls.
pub fn height(area: Rect) -> u16 {
    block().inner(area).height
}

pub fn draw(frame: &mut Frame, area: Rect, event: Option<&AccessEvent>, scroll: u16) {
    let block = block();
    frame.render_widget(Clear, area);
    let Some(e) = event else {
        frame.render_widget(
            Paragraph::new("this event is no longer in the timeline").block(block),
            area,
        );
        return;
    };
    let lines = lines(e, block.inner(area).width);
    frame.render_widget(Paragraph::new(lines).block(block).scroll((scroll, 0)), area);
}

/// Every line of the view at this inner width, wrapped.
pub fn lines(e: &AccessEvent, width: u16) -> Vec<Line<'static>> {
    let width = width as usize;
    let mut lines = Vec::new();
    let mut field = |name: &str, value: &str| {
        for (i, part) in super::wrap(value, width.saturating_sub(13))
            .into_iter()
            .enumerate()
        {
            let label = if i == 0 { name } else { "" };
            lines.push(Line::from(vec![
                Span::styled(format!("{label:>12} "), theme::dim()),
                Span::raw(part),
            ]));
        }
    };
    let outcome = e.outcome.error_code().unwrap_or("success");
    field("time", &e.time.to_rfc3339());
    field("event", &e.event_name);
    field("secret", &e.secret);
    field("principal", &e.principal);
    field("type", &e.principal_type);
    if let Some(theirs) = e.other_account() {
        field(
            "account",
            &format!(
                "{theirs}: ANOTHER ACCOUNT than the secret's ({})",
                e.account
            ),
        );
    }
    field("source ip", &e.source_ip);
    field("client", &e.client.label());
    field("user agent", &e.user_agent);
    field("outcome", outcome);
    if let Some(change) = &e.change {
        let mut what = change.what.to_string();
        if !change.detail.is_empty() {
            what = format!("{what}: {}", change.detail);
        }
        if e.outcome.error_code().is_some() {
            what = format!("{what} (refused: nothing changed)");
        }
        field("change", &what);
        for flag in &change.flags {
            field(
                "⚑ flagged",
                &format!("{}: can set up exfiltration", flag.words()),
            );
        }
    }
    if !e.first_seen.is_empty() {
        let what: Vec<&str> = e.first_seen.dims().map(|d| d.label()).collect();
        field(
            "first seen",
            &format!("{}: never seen reading this secret before", what.join(", ")),
        );
    }
    field("region", &e.region);
    field("event id", &e.event_id);
    let received = e
        .received_at
        .map(|at| format!(" at {}", at.format("%H:%M:%S")))
        .unwrap_or_default();
    field("seen by", &format!("{}{received}", e.seen_by.label()));
    lines.push(Line::raw(""));
    let wrapped = |text: &str| {
        super::wrap(text, width)
            .into_iter()
            .map(Line::raw)
            .collect::<Vec<_>>()
    };
    let Some(raw) = &e.raw else {
        let note = format!(
            "the CloudTrail record is kept for the newest {RAW_KEPT} accesses only; \
             look this one up in CloudTrail by its event id"
        );
        lines.extend(wrapped(&note).into_iter().map(|l| l.style(theme::dim())));
        return lines;
    };
    let json = match serde_json::from_str::<serde_json::Value>(raw) {
        Ok(v) => serde_json::to_string_pretty(&v).unwrap_or_default(),
        Err(err) => {
            let note =
                format!("the CloudTrail record is not valid JSON ({err}); shown as received:");
            lines.extend(wrapped(&note).into_iter().map(|l| l.style(theme::warn())));
            raw.to_string()
        }
    };
    for line in sanitize_block(&json).lines() {
        lines.extend(wrapped(line));
    }
    lines
}
