//! Who reads what: each principal of the accesses shown, with whether a person or a
//! service, its reads and refusals, when it was last (and first) seen, the secrets it read,
//! and, where the screen is wide, from where and with what.

use super::centered;
use crate::access::Actor;
use crate::store::{Reader, ReaderOrder, Store};
use crate::text::format::{hms, short_secret};
use crate::text::sanitize::sanitize_line;
use crate::ui::keymap::{Action, key, key1};
use crate::ui::theme;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Clear, Paragraph, Row, Table};

pub fn draw(frame: &mut Frame, area: Rect, store: &Store, selected: usize, order: ReaderOrder) {
    let readers = store.readers(order);
    let popup = centered(
        area,
        area.width.saturating_sub(2),
        area.height.saturating_sub(2),
    );
    let title = format!(
        " Principals · {} · by {} · o: by {} ",
        readers.len(),
        order.label(),
        order.other().label()
    );
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(title, theme::title()))
        .title_bottom(Span::styled(
            format!(
                " {}/{} · {}: its accesses · {} order · {} ✓ expected · {}/{} close ",
                key1(Action::Up),
                key1(Action::Down),
                key(Action::Open),
                key(Action::Order),
                key(Action::Expect),
                key(Action::Readers),
                key(Action::Close)
            ),
            theme::dim(),
        ));
    frame.render_widget(Clear, popup);
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    if readers.is_empty() {
        let why = if store.is_narrowed() {
            "no access shown (the filter or the scope hides them all): nobody to list"
        } else {
            "no access seen yet: nobody to list"
        };
        frame.render_widget(Paragraph::new(Line::styled(why, theme::dim())), inner);
        return;
    }
    let wide = inner.width >= 120;
    let rows_room = inner.height.saturating_sub(1) as usize;
    let offset = (selected + 1).saturating_sub(rows_room);
    let mut widths = vec![
        Constraint::Fill(2),
        Constraint::Length(7),
        Constraint::Length(6),
        Constraint::Length(6),
        Constraint::Length(8),
    ];
    let mut header = vec!["principal", "type", "reads", "denied", "last"];
    if wide {
        widths.push(Constraint::Length(8));
        header.push("first");
    }
    widths.push(Constraint::Fill(2));
    header.push("secrets");
    if wide {
        widths.extend([Constraint::Fill(2), Constraint::Fill(1)]);
        header.extend(["from", "with"]);
    }
    let rows: Vec<Row> = readers
        .iter()
        .enumerate()
        .skip(offset)
        .take(rows_room)
        .map(|(i, r)| {
            let row = row(r, wide);
            if i == selected {
                row.style(theme::selected())
            } else {
                row
            }
        })
        .collect();
    let table = Table::new(rows, widths)
        .header(Row::new(header).style(theme::dim()))
        .column_spacing(1);
    frame.render_widget(table, inner);
}

fn row(r: &Reader, wide: bool) -> Row<'static> {
    let text = |s: &str| Cell::from(sanitize_line(s, 200));
    let (kind, kind_style) = match r.actor {
        Actor::Human => ("human", theme::warn()),
        Actor::Service => ("service", theme::dim()),
    };
    let denied = if r.denied > 0 {
        Cell::from(Span::styled(r.denied.to_string(), theme::bad()))
    } else {
        Cell::from("0")
    };
    let secrets: Vec<String> = r.secrets.iter().map(|s| short_secret(s)).collect();
    // First, where a narrow column cannot cut it off.
    let principal = if r.expected {
        Cell::from(Line::from(vec![
            Span::styled("✓ ", theme::good()),
            Span::raw(sanitize_line(&r.shown, 200)),
        ]))
    } else {
        text(&r.shown)
    };
    let mut cells = vec![
        principal,
        Cell::from(Span::styled(kind, kind_style)),
        Cell::from(r.reads.to_string()),
        denied,
        Cell::from(hms(r.last)),
    ];
    if wide {
        cells.push(Cell::from(hms(r.first)));
    }
    cells.push(text(&secrets.join(", ")));
    if wide {
        let from: Vec<&str> = r.addresses.iter().map(|a| &**a).collect();
        let with: Vec<&str> = r.clients.iter().map(String::as_str).collect();
        cells.push(text(&from.join(", ")));
        cells.push(text(&with.join(", ")));
    }
    Row::new(cells)
}
