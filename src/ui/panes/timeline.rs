//! The access timeline: who read which secret, when, from where, with what.

use crate::access::{AccessEvent, Outcome};
use crate::engine::Source;
use crate::store::{Store, TestRun, TestStage};
use crate::text::format::{hms, short_principal, short_secret};
use crate::text::sanitize::sanitize_line;
use crate::ui::now::Now;
use crate::ui::theme;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Row, Table};

/// Column widths: time, principal, source ip, client, secret, result, user agent.
fn widths(inner: u16) -> [u16; 7] {
    let fixed_narrow = [8, 0, 15, 10, 13, 12];
    let spacing = 6;
    let used: u16 = fixed_narrow.iter().sum::<u16>() + spacing;
    let free = inner.saturating_sub(used);
    if inner >= 130 {
        // Room for the user agent: give the principal 34 and the agent the rest.
        let principal = 34.min(free);
        let agent = free.saturating_sub(principal + 1);
        [8, principal, 15, 11, 18, 14, agent]
    } else {
        [8, free.max(8), 15, 10, 13, 12, 0]
    }
}

/// How many accesses fit in the pane (open test accesses take rows above them).
pub fn event_rows(area: Rect, store: &Store) -> usize {
    // Borders above and below, and the header.
    let body_rows = area.height.saturating_sub(3) as usize;
    let tests = store.open_tests().take(body_rows / 2).count();
    body_rows.saturating_sub(tests)
}

pub fn draw(frame: &mut Frame, area: Rect, store: &Store, selected: usize, now: &Now) {
    let total = store.timeline.len();
    let title = Line::from(vec![
        Span::styled(" Accesses ", theme::title()),
        Span::styled(format!("· {total} · newest first · UTC "), theme::dim()),
    ]);
    let mut block = Block::default().borders(Borders::ALL).title(title);
    if let Some(p) = super::problem(store, Source::Events, now, area.width) {
        block = block.title_bottom(p);
    }
    let inner = block.inner(area);
    let w = widths(inner.width);
    let mut header = vec![
        "time",
        "principal",
        "source ip",
        "client",
        "secret",
        "result",
    ];
    if w[6] > 0 {
        header.push("user agent");
    }
    let body_rows = inner.height.saturating_sub(1) as usize;
    let tests: Vec<&TestRun> = store.open_tests().take(body_rows / 2).collect();
    let event_rows = body_rows.saturating_sub(tests.len());
    let offset = if selected < event_rows {
        0
    } else {
        selected + 1 - event_rows
    };
    let mut rows: Vec<Row> = tests.iter().map(|t| test_row(t, &w)).collect();
    for (i, event) in store
        .timeline
        .newest_first()
        .enumerate()
        .skip(offset)
        .take(event_rows)
    {
        let is_test = store.test_of(event).is_some();
        let row = event_row(event, &w, is_test);
        rows.push(if i == selected {
            row.style(theme::selected())
        } else {
            row
        });
    }
    if rows.is_empty() {
        rows.push(Row::new(vec![
            Cell::from(""),
            Cell::from(Span::styled("no secret access seen yet", theme::dim())),
        ]));
    }
    let constraints: Vec<Constraint> = w
        .iter()
        .take(header.len())
        .map(|c| Constraint::Length(*c))
        .collect();
    let table = Table::new(rows, constraints)
        .header(Row::new(header).style(theme::dim()))
        .block(block)
        .column_spacing(1);
    frame.render_widget(table, area);
}

fn cell(text: &str, width: u16) -> Cell<'static> {
    Cell::from(sanitize_line(text, width as usize))
}

fn event_row(e: &AccessEvent, w: &[u16; 7], is_test: bool) -> Row<'static> {
    let (result, style) = match &e.outcome {
        Outcome::Success if is_test => ("ok · test ✓".to_string(), theme::good()),
        Outcome::Success => ("ok".to_string(), theme::good()),
        Outcome::Error(code) => (code.to_string(), theme::bad()),
    };
    let mut cells = vec![
        Cell::from(hms(e.time)),
        cell(&short_principal(&e.principal), w[1]),
        cell(&e.source_ip, w[2]),
        cell(&e.client.label(), w[3]),
        cell(&short_secret(&e.secret), w[4]),
        Cell::from(Span::styled(sanitize_line(&result, w[5] as usize), style)),
    ];
    if w[6] > 0 {
        cells.push(cell(&e.user_agent, w[6]));
    }
    Row::new(cells)
}

fn test_row(t: &TestRun, w: &[u16; 7]) -> Row<'static> {
    let (result, style): (String, Style) = match &t.stage {
        TestStage::Requested => ("⧗ calling".into(), theme::warn()),
        TestStage::Pending { .. } => ("⧗ pending".into(), theme::warn()),
        TestStage::Failed { .. } => ("✗ failed".into(), theme::bad()),
        TestStage::Confirmed { .. } => ("ok · test ✓".into(), theme::good()),
    };
    let note = match &t.stage {
        TestStage::Failed { error } => format!("test access failed: {error}"),
        _ => "test access · waiting for CloudTrail".to_string(),
    };
    let mut cells = vec![
        Cell::from(hms(t.requested_at)),
        Cell::from(Span::styled(sanitize_line(&note, w[1] as usize), style)),
        Cell::from(""),
        Cell::from(""),
        Cell::from(""),
        Cell::from(Span::styled(sanitize_line(&result, w[5] as usize), style)),
    ];
    if w[6] > 0 {
        cells.push(Cell::from(""));
    }
    Row::new(cells)
}
