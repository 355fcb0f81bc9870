//! The trace panel: one test access as a waterfall, a row per link (when it was seen, the
//! time since the link it follows, a bar on the trace's time axis), the link awaited with
//! its bound, and where the chain stopped with the doctor's finding and fix.

use super::centered;
use crate::store::{Store, TestRun, TestStage};
use crate::text::sanitize::sanitize_line;
use crate::trace::{Link, Outcome, Trace, span};
use crate::ui::keymap::{Action, key, key1};
use crate::ui::now::Now;
use crate::ui::theme;
use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

pub fn draw(frame: &mut Frame, area: Rect, store: &Store, selected: usize, now: &Now) {
    let traces: Vec<&Trace> = store.all_traces().collect();
    let width = area.width.saturating_sub(2).min(150);
    // A read asked for and not answered yet (or failed) has no trace: said first.
    let pending = store
        .tests
        .last()
        .filter(|t| !store.traces.iter().any(|tr| tr.marker == t.marker));
    let mut content = Vec::new();
    if selected == 0 && pending.is_some() {
        content.push(waiting_or_none(store));
        content.push(Line::raw(""));
    }
    match traces.get(selected) {
        Some(trace) => {
            if trace.is_running() {
                // Its waits count up: drawn again in a second.
                let _ = now.before(now.at() + chrono::TimeDelta::seconds(1));
            }
            content.extend(lines(trace, width.saturating_sub(2), now.at()));
        }
        None if content.is_empty() => content.push(waiting_or_none(store)),
        None => {}
    }
    // The rows the lines take once wrapped, and the borders.
    let inner_width = usize::from(width.saturating_sub(2)).max(1);
    let rows: usize = content
        .iter()
        .map(|l| l.width().max(1).div_ceil(inner_width))
        .sum();
    let tall = u16::try_from(rows + 2).unwrap_or(u16::MAX);
    let popup = centered(area, width, tall.min(area.height.saturating_sub(2)));
    let title = match traces.get(selected) {
        Some(t) => format!(
            " Trace {} of {} · {} · fired {} ",
            selected + 1,
            traces.len(),
            sanitize_line(&t.marker, 60),
            t.fired_at.format("%Y-%m-%d %H:%M:%S")
        ),
        None => " Trace ".to_string(),
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(title, theme::title()))
        .title_bottom(Span::styled(
            format!(
                " {}/{} older/newer · {} trace again · {} close ",
                key1(Action::Down),
                key1(Action::Up),
                key(Action::TestAccess),
                key(Action::Close)
            ),
            theme::dim(),
        ));
    frame.render_widget(Clear, popup);
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    frame.render_widget(Paragraph::new(content).wrap(Wrap { trim: false }), inner);
}

fn waiting_or_none(store: &Store) -> Line<'static> {
    match store.open_tests().next() {
        Some(TestRun {
            stage: TestStage::Failed { error },
            ..
        }) => Line::styled(
            format!("the test access failed: {}", sanitize_line(error, 300)),
            theme::bad(),
        ),
        Some(t) => Line::styled(
            format!(
                "calling GetSecretValue ({}): the trace starts when it answers",
                sanitize_line(&t.marker, 60)
            ),
            theme::warn(),
        ),
        None => Line::styled(
            format!(
                "no trace yet: {} fires a test access and follows it",
                key(Action::TestAccess)
            ),
            theme::dim(),
        ),
    }
}

/// The waterfall, then where it stands.
pub fn lines(trace: &Trace, width: u16, now: DateTime<Utc>) -> Vec<Line<'static>> {
    let end = match trace.outcome {
        Outcome::Running => (now - trace.fired_at).num_seconds(),
        _ => trace.elapsed_secs(),
    }
    .max(1);
    // `✓ CloudTrail history 17:15:53      +6 s ` then the bar, then what saw it.
    let room = usize::from(width).saturating_sub(LEAD);
    let bar_room = (room / 3).min(40);
    let detail_room = room.saturating_sub(bar_room + 1);
    let mut out = Vec::new();
    for link in Link::ALL {
        out.push(row(trace, link, end, (bar_room, detail_room), now));
    }
    out.push(Line::raw(""));
    out.push(Line::styled(
        sanitize_line(&trace.outcome_words(), 400),
        outcome_style(trace),
    ));
    if let Outcome::Stopped { finding, fix, .. } = &trace.outcome {
        if let Some(f) = finding {
            out.push(Line::raw(format!("doctor: {}", sanitize_line(f, 400))));
        }
        if let Some(f) = fix {
            out.push(Line::styled(
                format!("fix: {}", sanitize_line(f, 400)),
                theme::good(),
            ));
        }
    }
    for u in &trace.unobserved {
        out.push(Line::styled(
            format!(
                "{} not observable here: {}",
                u.link.label(),
                sanitize_line(&u.why, 200)
            ),
            theme::dim(),
        ));
    }
    out
}

fn outcome_style(trace: &Trace) -> Style {
    match trace.outcome {
        Outcome::Running => theme::warn(),
        Outcome::Complete => theme::good(),
        Outcome::Stopped { .. } => theme::bad(),
    }
}

/// The columns before the bar: mark, name, time, +since.
const LEAD: usize = 2 + 19 + 9 + 12;

/// One link: its mark and name, when, +since the link before, a bar, what saw it.
fn row(
    trace: &Trace,
    link: Link,
    end: i64,
    (bar_room, detail_room): (usize, usize),
    now: DateTime<Utc>,
) -> Line<'static> {
    let name = format!("{:<19}", link.label());
    let Some(seen) = trace.seen(link) else {
        let (mark, words, style) = if trace.stopped_at() == Some(link) {
            (
                "✗",
                "not seen: the chain stopped here".to_string(),
                theme::bad(),
            )
        } else if trace.is_unobserved(link) {
            ("–", "not observable here".to_string(), theme::dim())
        } else if trace.late.contains(&link) {
            (
                "⧗",
                format!("late: past {}", span(trace.bounds.secs(link))),
                theme::warn(),
            )
        } else if let (Some(start), true) = (trace.awaits(link), trace.is_running()) {
            let waited = (now - start).num_seconds();
            let bound = span(trace.bounds.secs(link));
            (
                "⧗",
                format!("waiting {} of {bound}", span(waited)),
                theme::warn(),
            )
        } else {
            ("·", String::new(), theme::dim())
        };
        return Line::from(vec![
            Span::styled(format!("{mark} {name}"), style),
            Span::styled(words, style),
        ]);
    };
    let offset = (seen.at - trace.fired_at).num_seconds().max(0);
    let bar = bar(offset, seen.after_secs, end, bar_room);
    Line::from(vec![
        Span::styled(format!("✓ {name}"), theme::good()),
        Span::raw(format!(
            "{} {:>11} ",
            seen.at.format("%H:%M:%S"),
            format!("+{}", span(seen.after_secs))
        )),
        Span::styled(bar, theme::good()),
        Span::styled(
            format!(" {}", sanitize_line(&seen.detail, detail_room.max(1))),
            theme::dim(),
        ),
    ])
}

/// The link's span on the trace's axis: blank up to the link it follows, filled to it.
fn bar(offset: i64, took: i64, end: i64, room: usize) -> String {
    if room == 0 {
        return String::new();
    }
    let at = |secs: i64| (secs.clamp(0, end) as usize * room) / end.max(1) as usize;
    // At least one cell, and never past the bar's room.
    let from = at(offset - took).min(room - 1);
    let to = at(offset).clamp(from + 1, room);
    format!(
        "{}{}{}",
        " ".repeat(from),
        "█".repeat(to - from),
        " ".repeat(room - to)
    )
}
