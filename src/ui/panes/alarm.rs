//! The alarm: its state and since when, why, how it is set up, recent
//! transitions, and what reached the inbox.

use crate::ack::AckState;
use crate::cloud::types::{Alarm, AlarmState, Statistic, TreatMissing};
use crate::engine::Source;
use crate::store::{Lookup, Store};
use crate::text::format::{hms, short_principal};
use crate::text::sanitize::sanitize_line;
use crate::ui::now::Now;
use crate::ui::theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

pub fn draw(frame: &mut Frame, area: Rect, store: &Store, alarm_name: &str, now: &Now) {
    let alarm = store.alarm.found();
    let firing = alarm.is_some_and(|a| a.state == AlarmState::Alarm);
    let unacknowledged = matches!(store.ack_state(), Some(AckState::Unacknowledged { .. }));
    // A firing alarm nobody has taken on is the loudest thing on the screen.
    let (border, title) = if unacknowledged {
        (
            theme::bad().add_modifier(Modifier::BOLD | Modifier::REVERSED),
            Span::styled(
                if area.width >= 46 {
                    format!(" Alarm · UNACKNOWLEDGED · {} to acknowledge ", ack_key())
                } else {
                    format!(" Alarm · UNACKNOWLEDGED · {} ", ack_key())
                },
                theme::alarm_state(AlarmState::Alarm).add_modifier(Modifier::BOLD),
            ),
        )
    } else if firing {
        (theme::bad(), Span::styled(" Alarm ", theme::title()))
    } else {
        (Style::new(), Span::styled(" Alarm ", theme::title()))
    };
    let mut block = Block::default()
        .borders(Borders::ALL)
        .border_style(border)
        .title(title);
    if let Some(p) = super::problem(store, Source::Alarms, now, area.width) {
        block = block.title_bottom(p);
    }
    let inner = block.inner(area);
    let width = inner.width as usize;
    // The other scopes' alarms take the bottom rows, while the focused one keeps most.
    let others = super::scope_alarms::rows(store).min(inner.height / 2);
    let [main, below] = ratatui::layout::Layout::vertical([
        ratatui::layout::Constraint::Min(0),
        ratatui::layout::Constraint::Length(others),
    ])
    .areas(inner);
    let lines = match &store.alarm {
        Lookup::Waiting => vec![
            // The pane wraps: the whole reason shows.
            super::not_seen(store, Source::Alarms, now, "the alarm", usize::MAX)
                .unwrap_or_else(|| Line::styled("waiting for the first answer…", theme::dim())),
        ],
        Lookup::Missing => vec![
            Line::styled(sanitize_line(alarm_name, width), theme::title()),
            Line::styled("does not exist in this account and region", theme::bad()),
            Line::styled("nothing will notify anyone of an access", theme::dim()),
        ],
        Lookup::Found(a) => describe(a, store, now, width, main.height as usize),
    };
    frame.render_widget(block, area);
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), main);
    let scoped = super::scope_alarms::lines(store, width, below.height as usize);
    frame.render_widget(Paragraph::new(scoped), below);
}

fn describe(
    a: &Alarm,
    store: &Store,
    now: &Now,
    width: usize,
    height: usize,
) -> Vec<Line<'static>> {
    let mut lines = vec![
        Line::from(vec![
            Span::styled(
                format!(" {} ", a.state.as_str()),
                theme::alarm_state(a.state),
            ),
            Span::raw(" "),
            Span::styled(
                format!(
                    "since {} ({} ago)",
                    hms(a.state_since),
                    now.age(a.state_since)
                ),
                theme::dim(),
            ),
        ]),
        Line::styled(sanitize_line(&a.name, width), theme::title()),
    ];
    if let Some(AckState::Acknowledged { ack }) = store.ack_state() {
        let note = ack
            .note
            .as_deref()
            .map(|n| format!(": {n}"))
            .unwrap_or_default();
        lines.push(Line::styled(
            sanitize_line(
                &format!(
                    "✓ acknowledged by {} at {}{note}",
                    short_principal(&ack.by),
                    hms(ack.at)
                ),
                width * 2,
            ),
            theme::good(),
        ));
    }
    let setup = format!(
        "{} {} {} · {} of {} × {}s",
        a.statistic.as_str(),
        a.comparison.symbol(),
        a.threshold,
        a.datapoints_to_alarm,
        a.evaluation_periods,
        a.period.as_secs(),
    );
    let missing = format!("missing data: {}", missing_data(a.treat_missing));
    let together = format!("{setup} · {missing}");
    let setup_at = lines.len();
    lines.push(Line::styled(sanitize_line(&together, width), theme::dim()));
    if a.statistic != Statistic::Sum {
        lines.push(Line::styled(
            sanitize_line(
                &format!(
                    "⚠ statistic {}: a count metric averages below 1, this alarm never fires; use Sum",
                    a.statistic.as_str()
                ),
                width * 2,
            ),
            theme::warn(),
        ));
    }
    if !a.actions_enabled || a.alarm_actions.is_empty() {
        lines.push(Line::styled(
            "⚠ no alarm action: nobody is notified",
            theme::warn(),
        ));
    }
    // The reason comes before the inbox and the transitions: the pane is cut at the
    // bottom when short, and why the alarm is in its state matters more than its past.
    let reason = Line::styled(sanitize_line(&a.reason, width * 3), Style::new());
    // Only the embedded account can see its subscribers' inboxes.
    let inbox_visible = !matches!(
        now.health(&store.health, Source::Inbox),
        crate::store::Health::Unavailable { .. }
    );
    let inbox = inbox_visible.then(|| {
        let text = match store.inbox.last() {
            Some(n) => format!(
                "✉ {} delivered · last {} {}",
                store.delivered,
                hms(n.time),
                n.subject
            ),
            None => "✉ inbox: nothing delivered".to_string(),
        };
        Line::styled(sanitize_line(&text, width), theme::dim())
    });
    let below = rows(std::slice::from_ref(&reason), width) + usize::from(inbox.is_some());
    // Where the setup and the missing data do not fit on one line, they take two if the
    // pane has a row to spare beside the reason, the inbox and the latest transition.
    if together.width() > width && rows(&lines, width) + 1 + below < height {
        let missing = Line::styled(sanitize_line(&missing, width), theme::dim());
        lines.splice(
            setup_at..=setup_at,
            [
                Line::styled(sanitize_line(&setup, width), theme::dim()),
                missing,
            ],
        );
    }
    lines.push(reason);
    lines.extend(inbox);
    // As many transitions as the rows left hold.
    let room = height.saturating_sub(rows(&lines, width));
    for t in store.alarm_history.iter().take(room) {
        lines.push(Line::styled(
            format!("{} {} → {}", hms(t.time), t.from.as_str(), t.to.as_str()),
            theme::dim(),
        ));
    }
    lines
}

/// The rows `lines` take when wrapped at `width` (at least one each; a word wrap can take
/// one more than the characters need, so a wrapped line counts one extra).
fn rows(lines: &[Line], width: usize) -> usize {
    let width = width.max(1);
    lines
        .iter()
        .map(|l| match l.width() {
            w if w <= width => 1,
            w => w.div_ceil(width) + 1,
        })
        .sum()
}

/// What the alarm makes of a period without data (TreatMissingData), in words.
fn missing_data(treat: TreatMissing) -> &'static str {
    match treat {
        TreatMissing::NotBreaching => "not breaching",
        TreatMissing::Breaching => "breaching",
        TreatMissing::Ignore => "keeps the state",
        TreatMissing::Missing => "insufficient data",
    }
}

/// The key that acknowledges, as the effective map has it.
fn ack_key() -> String {
    crate::ui::keymap::key(crate::ui::keymap::Action::Acknowledge)
}
