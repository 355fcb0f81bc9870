//! One event in full: the summary, then its CloudTrail JSON pretty-printed.

use crate::access::AccessEvent;
use crate::store::RAW_KEPT;
use crate::text::sanitize::{sanitize_block, sanitize_line};
use crate::ui::theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

pub fn draw(frame: &mut Frame, area: Rect, event: Option<&AccessEvent>, scroll: u16) {
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(" Event ", theme::title()))
        .title_bottom(Span::styled(" ↑↓ scroll · Esc close ", theme::dim()));
    let inner_width = block.inner(area).width as usize;
    frame.render_widget(Clear, area);
    let Some(e) = event else {
        frame.render_widget(
            Paragraph::new("this event is no longer in the timeline").block(block),
            area,
        );
        return;
    };
    let field = |name: &str, value: &str| {
        Line::from(vec![
            Span::styled(format!("{name:>12} "), theme::dim()),
            Span::raw(sanitize_line(value, inner_width.saturating_sub(13))),
        ])
    };
    let outcome = e.outcome.error_code().unwrap_or("success");
    let mut lines = vec![
        field("time", &e.time.to_rfc3339()),
        field("event", &e.event_name),
        field("secret", &e.secret),
        field("principal", &e.principal),
        field("type", &e.principal_type),
        field("source ip", &e.source_ip),
        field("client", &e.client.label()),
        field("user agent", &e.user_agent),
        field("outcome", outcome),
        field("region", &e.region),
        field("event id", &e.event_id),
        Line::raw(""),
    ];
    let Some(raw) = &e.raw else {
        lines.push(Line::styled(
            format!(
                "the CloudTrail record is kept for the newest {RAW_KEPT} accesses only; \
                 look this one up in CloudTrail by its event id"
            ),
            theme::dim(),
        ));
        frame.render_widget(Paragraph::new(lines).block(block).scroll((scroll, 0)), area);
        return;
    };
    let json = match serde_json::from_str::<serde_json::Value>(raw) {
        Ok(v) => serde_json::to_string_pretty(&v).unwrap_or_default(),
        Err(err) => {
            lines.push(Line::styled(
                format!("the CloudTrail record is not valid JSON ({err}); shown as received:"),
                theme::warn(),
            ));
            raw.to_string()
        }
    };
    lines.extend(
        sanitize_block(&json)
            .lines()
            .map(|l| Line::raw(l.to_string())),
    );
    frame.render_widget(Paragraph::new(lines).block(block).scroll((scroll, 0)), area);
}
