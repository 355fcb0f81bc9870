//! The access timeline: who read which secret, when, from where, with what.

use super::result::result_of;
use crate::access::AccessEvent;
use crate::engine::Source;
use crate::query::Marks;
use crate::store::{Store, TestRun, TestStage};
use crate::text::format::{hms, short_secret};
use crate::text::sanitize::sanitize_line;
use crate::ui::now::Now;
use crate::ui::theme;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table, Wrap};
use unicode_width::UnicodeWidthStr;

/// Column widths: time, principal, source ip, client, secret, result, user agent (0: not
/// shown). Each column takes the width of its longest visible value, within bounds; the
/// principal and the secret share what is left, and the client (its user agent is in the
/// detail view) gives way before either of them is cut.
fn widths(inner: u16, want: &[u16; 7]) -> [u16; 7] {
    let [_, principal, ip, client, secret, result, agent] = *want;
    let ip = ip.clamp(9, 39);
    let client = client.clamp(6, 11);
    let result = result.clamp(6, 18);
    let (principal, secret) = (principal.max(9), secret.max(6));
    let room =
        |client: u16| inner.saturating_sub(8 + ip + client + result + 4 + u16::from(client > 0));
    let client = if room(client) >= principal + secret {
        client
    } else {
        0
    };
    let left = room(client);
    let (principal, secret) = if principal + secret <= left {
        (principal, secret)
    } else {
        let secret = secret.min((left / 2).max(left.saturating_sub(principal)));
        (left - secret, secret)
    };
    let spare = left.saturating_sub(principal + secret);
    // Room to spare goes to the user agent where it fits usefully, else to the principal.
    if spare > 20 && agent > 0 {
        [8, principal, ip, client, secret, result, spare - 1]
    } else {
        [8, principal + spare, ip, client, secret, result, 0]
    }
}

/// With a scope column (several scopes watched) after the time: it takes what its values
/// need, within bounds, and the other columns share the rest as before.
fn scoped_widths(inner: u16, want: &[u16; 8]) -> [u16; 8] {
    let scope = if want[1] == 0 {
        0
    } else {
        want[1].clamp(5, 26)
    };
    let [time, _, rest @ ..] = *want;
    let [time, principal, ip, client, secret, result, agent] = widths(
        inner.saturating_sub(scope + u16::from(scope > 0)),
        &[time, rest[0], rest[1], rest[2], rest[3], rest[4], rest[5]],
    );
    [time, scope, principal, ip, client, secret, result, agent]
}

/// What the scope column shows, decided once a frame: nothing with one scope (no column),
/// the region, or the account and region where the scopes span more than one account.
#[derive(Clone, Copy, PartialEq, Eq)]
enum ScopeColumn {
    Hidden,
    Region,
    AccountRegion,
}

impl ScopeColumn {
    fn of(store: &Store) -> Self {
        if store.others.is_empty() {
            ScopeColumn::Hidden
        } else if store.many_accounts() {
            ScopeColumn::AccountRegion
        } else {
            ScopeColumn::Region
        }
    }

    /// Where an access happened, as the column shows it.
    fn text(self, e: &AccessEvent) -> String {
        match self {
            ScopeColumn::Hidden => String::new(),
            ScopeColumn::Region => e.region.to_string(),
            ScopeColumn::AccountRegion => format!("{}/{}", e.account, e.region),
        }
    }
}

/// The widest visible value of each column among `events`, header included; the scope's
/// 0 with one scope.
fn wanted(events: &[&AccessEvent], store: &Store, column: ScopeColumn) -> [u16; 8] {
    let width = |text: &str| sanitize_line(text, usize::MAX).width() as u16;
    let mut want = HEADER.map(width);
    if column == ScopeColumn::Hidden {
        want[1] = 0;
    }
    for e in events {
        let values = [
            String::new(),
            column.text(e),
            e.principal_shown(),
            e.source_ip.to_string(),
            e.client.label().to_string(),
            short_secret(&e.secret),
            result_of(e, store.test_of(e).is_some()).0,
            e.user_agent.to_string(),
        ];
        for (w, v) in want.iter_mut().zip(values) {
            if *w > 0 {
                *w = (*w).max(width(&v));
            }
        }
    }
    want
}

const HEADER: [&str; 8] = [
    "time",
    "scope",
    "principal",
    "source ip",
    "client",
    "secret",
    "result",
    "user agent",
];

/// A failed test access, its reason whole, wrapped to the pane's width: at most `cap` lines.
fn failed_lines(store: &Store, width: u16, cap: usize) -> Vec<String> {
    store
        .open_tests()
        .filter_map(|t| match &t.stage {
            TestStage::Failed { error } => Some(format!(
                "{} ✗ test access failed: {error}",
                hms(t.requested_at)
            )),
            _ => None,
        })
        .flat_map(|text| super::wrap(&text, width as usize))
        .take(cap)
        .collect()
}

/// The test accesses still waiting, shown as rows above the accesses.
fn waiting_tests(store: &Store) -> impl Iterator<Item = &TestRun> {
    store
        .open_tests()
        .filter(|t| !matches!(t.stage, TestStage::Failed { .. }))
}

/// How many accesses fit in the pane (open test accesses take rows above them).
pub fn event_rows(area: Rect, store: &Store) -> usize {
    let inner = area.width.saturating_sub(2);
    // Borders above and below, and the header.
    let body_rows = area.height.saturating_sub(3) as usize;
    let failed = failed_lines(store, inner, body_rows / 2).len();
    let tests = waiting_tests(store).take(body_rows / 2).count();
    body_rows.saturating_sub(tests + failed)
}

pub fn draw(frame: &mut Frame, area: Rect, store: &Store, selected: usize, now: &Now) {
    let total = if store.is_narrowed() {
        let mut total = format!("{} of {}", store.shown_len(), store.timeline.len());
        if let Some(n) = &store.narrowed {
            total += &format!(" · in {}", sanitize_line(&n.label(), 40));
        }
        if !store.query.is_empty() {
            let room = (area.width as usize).saturating_sub(60).max(12);
            total += &format!(" · /{}", sanitize_line(store.query.text(), room));
        }
        total
    } else {
        store.timeline.len().to_string()
    };
    // Narrowed by --secret, the title says to which secrets: others' reads are not here.
    let watched = if store.watching.is_empty() {
        String::new()
    } else {
        let names: Vec<String> = store.watching.iter().map(|s| short_secret(s)).collect();
        format!(
            "to {} ",
            sanitize_line(
                &names.join(", "),
                (area.width as usize).saturating_sub(40) / 2
            )
        )
    };
    let title = Line::from(vec![
        Span::styled(format!(" Accesses {watched}"), theme::title()),
        Span::styled(format!("· {total} · newest first · UTC "), theme::dim()),
    ]);
    let mut block = Block::default().borders(Borders::ALL).title(title);
    if let Some(p) = super::problem(store, Source::Events, now, area.width) {
        block = block.title_bottom(p);
    }
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let body_rows = inner.height.saturating_sub(1) as usize;
    // A failed test's reason shows whole above the table: it is what the user must read.
    let failed = failed_lines(store, inner.width, body_rows / 2);
    let [failed_area, table_area] =
        Layout::vertical([Constraint::Length(failed.len() as u16), Constraint::Min(0)])
            .areas(inner);
    let failed: Vec<Line> = failed
        .into_iter()
        .map(|l| Line::styled(l, theme::bad()))
        .collect();
    frame.render_widget(Paragraph::new(failed), failed_area);
    let tests: Vec<&TestRun> = waiting_tests(store).take(body_rows / 2).collect();
    let event_rows = event_rows(area, store);
    let offset = if selected < event_rows {
        0
    } else {
        selected + 1 - event_rows
    };
    let shown: Vec<(usize, &AccessEvent)> = store
        .shown()
        .enumerate()
        .skip(offset)
        .take(event_rows)
        .collect();
    let events: Vec<&AccessEvent> = shown.iter().map(|(_, e)| *e).collect();
    let column = ScopeColumn::of(store);
    let w = scoped_widths(inner.width, &wanted(&events, store, column));
    let mut rows: Vec<Row> = tests.iter().map(|t| test_row(t, &w)).collect();
    for (i, event) in shown {
        let is_test = store.test_of(event).is_some();
        let marks = store.query.marks(event);
        let row = event_row(event, &column.text(event), &w, is_test, marks);
        rows.push(if i == selected {
            row.style(theme::selected())
        } else {
            row
        });
    }
    // Nothing to list: why, across the pane under the header.
    let why_empty = rows.is_empty().then(|| empty(store, now));
    let header: Vec<&str> = HEADER
        .iter()
        .zip(w)
        .filter(|(_, w)| *w > 0)
        .map(|(h, _)| *h)
        .collect();
    let constraints: Vec<Constraint> = w
        .iter()
        .filter(|c| **c > 0)
        .map(|c| Constraint::Length(*c))
        .collect();
    let table = Table::new(rows, constraints)
        .header(Row::new(header).style(theme::dim()))
        .column_spacing(1);
    frame.render_widget(table, table_area);
    if let Some(lines) = why_empty {
        let [_, below] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(table_area);
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), below);
    }
}

/// Why there is nothing to show: the source cannot see (or is still looking), a watched
/// secret does not exist, or nothing was read.
fn empty(store: &Store, now: &Now) -> Vec<Line<'static>> {
    // Wrapped by the paragraph: nothing is cut.
    let width = usize::MAX;
    if let Some(line) = super::not_seen(store, Source::Events, now, "the accesses", width) {
        return vec![line];
    }
    // Hidden is not unread: say what hides them and how to see them again.
    if store.is_narrowed() && !store.timeline.is_empty() {
        let mut hiding = Vec::new();
        if let Some(n) = &store.narrowed {
            hiding.push(format!("is in {} (S: all scopes)", n.label()));
        }
        if !store.query.is_empty() {
            let clear = crate::ui::keymap::key(crate::ui::keymap::Action::Close);
            hiding.push(format!("matches /{} ({clear} clears)", store.query.text()));
        }
        let text = format!(
            "no access of the {} held {}",
            store.timeline.len(),
            hiding.join(" and ")
        );
        return vec![Line::styled(sanitize_line(&text, width), theme::warn())];
    }
    let mut lines: Vec<Line> = store
        .unresolved_secrets
        .iter()
        .filter_map(crate::watched::WatchedSecret::warning)
        .map(|w| Line::styled(sanitize_line(&w, width), theme::warn()))
        .collect();
    let which = if store.watching.is_empty() {
        "any secret"
    } else {
        "the watched secrets"
    };
    lines.push(Line::styled(
        sanitize_line(
            &format!("nothing read: CloudTrail's history has no access to {which}"),
            width,
        ),
        theme::dim(),
    ));
    lines
}

fn cell(text: &str, width: u16) -> Cell<'static> {
    Cell::from(sanitize_line(text, width as usize))
}

/// The principal; a reader from another account is marked, in the warning colour.
fn principal_cell(e: &AccessEvent, width: u16) -> Cell<'static> {
    let text = sanitize_line(&e.principal_shown(), width as usize);
    match e.other_account() {
        Some(_) => Cell::from(Span::styled(text, theme::warn())),
        None => Cell::from(text),
    }
}

fn event_row(
    e: &AccessEvent,
    scope: &str,
    w: &[u16; 8],
    is_test: bool,
    marks: Marks,
) -> Row<'static> {
    let (result, style) = result_of(e, is_test);
    let cells = [
        Cell::from(hms(e.time)),
        cell(scope, w[1]),
        principal_cell(e, w[2]),
        cell(&e.source_ip, w[3]),
        cell(&e.client.label(), w[4]),
        cell(&short_secret(&e.secret), w[5]),
        Cell::from(Span::styled(sanitize_line(&result, w[6] as usize), style)),
        cell(&e.user_agent, w[7]),
    ];
    // What the filter found, marked without colour: it reads on any terminal.
    let marked = [
        marks.time,
        marks.scope,
        marks.principal,
        marks.source_ip,
        marks.client,
        marks.secret,
        marks.outcome,
        marks.user_agent,
    ];
    let cells = cells.into_iter().zip(marked).map(|(cell, marked)| {
        if marked {
            cell.style(theme::found())
        } else {
            cell
        }
    });
    shown_cells(cells, w)
}

/// The cells of the columns that show.
fn shown_cells(cells: impl IntoIterator<Item = Cell<'static>>, w: &[u16; 8]) -> Row<'static> {
    Row::new(
        cells
            .into_iter()
            .zip(w)
            .filter(|(_, w)| **w > 0)
            .map(|(c, _)| c),
    )
}

fn test_row(t: &TestRun, w: &[u16; 8]) -> Row<'static> {
    let (result, style): (String, Style) = match &t.stage {
        TestStage::Requested => ("⧗ calling".into(), theme::warn()),
        TestStage::Pending { .. } => ("⧗ pending".into(), theme::warn()),
        TestStage::Failed { .. } => ("✗ failed".into(), theme::bad()),
        TestStage::Confirmed { .. } => ("ok · test ✓".into(), theme::good()),
    };
    let note = "test access · waiting for CloudTrail";
    let cells = [
        Cell::from(hms(t.requested_at)),
        Cell::from(""),
        Cell::from(Span::styled(sanitize_line(note, w[2] as usize), style)),
        Cell::from(""),
        Cell::from(""),
        Cell::from(""),
        Cell::from(Span::styled(sanitize_line(&result, w[6] as usize), style)),
        Cell::from(""),
    ];
    shown_cells(cells, w)
}
