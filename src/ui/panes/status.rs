//! The status bar: where we are looking, how fresh each source is, and the
//! main keys.

use crate::ack::AckState;
use crate::cloud::types::AlarmState;
use crate::engine::Source;
use crate::store::{Health, Store};
use crate::text::format::hms;
use crate::text::sanitize::sanitize_line;
use crate::ui::keymap::BINDINGS;
use crate::ui::now::Now;
use crate::ui::theme;
use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

pub fn draw(
    frame: &mut Frame,
    area: Rect,
    store: &Store,
    flash: Option<&(String, DateTime<Utc>)>,
    now: &Now,
) {
    let width = area.width as usize;
    let mut parts = Vec::new();
    // Where "polls:" is, and how many source parts follow it.
    let mut polls_at: Option<(usize, usize)> = None;
    match &store.identity {
        Some(id) => {
            let backend = match id.backend {
                crate::cloud::types::Backend::Demo => "DEMO",
                crate::cloud::types::Backend::Aws => "AWS",
            };
            parts.push(Part::new(Span::styled(
                format!(" {backend} "),
                theme::selected(),
            )));
            parts.push(Part::new(Span::raw(sanitize_line(
                &format!("{} {} ", id.account, id.region),
                width / 3,
            ))));
        }
        None => match &store.identity_error {
            Some(error) => {
                // The panes say what failed in full; the status bar says what to do.
                let text = match error.hint() {
                    Some(hint) => format!(" NOT CONNECTED · {hint} "),
                    None => format!(" NOT CONNECTED · {} ", error.short()),
                };
                parts.push(Part::new(Span::styled(
                    sanitize_line(&text, width),
                    theme::bad(),
                )));
            }
            None => parts.push(Part::new(Span::styled(" connecting… ", theme::dim()))),
        },
    }
    // A firing alarm nobody took on stays here until someone does.
    if let Some(AckState::Unacknowledged { episode }) = store.ack_state() {
        let style = theme::alarm_state(AlarmState::Alarm).add_modifier(Modifier::BOLD);
        let since = hms(episode.since);
        let ack = crate::ui::keymap::key(crate::ui::keymap::Action::Acknowledge);
        let full = format!(
            " ALARM {} since {since} · {ack} to acknowledge ",
            episode.alarm
        );
        parts.push(
            Part::new(Span::styled(sanitize_line(&full, width), style))
                .or(
                    ALARM_SHORTER,
                    Span::styled(
                        format!(" ALARM since {since} · {ack} to acknowledge "),
                        style,
                    ),
                )
                .or(
                    ALARM_SHORTEST,
                    Span::styled(format!(" ALARM since {since} · a "), style),
                )
                .or(ALARM_BARE, Span::styled(" ALARM · a ", style)),
        );
    }
    // A message for the last key press takes the place of the sources for a moment.
    let flashing = flash.filter(|(_, until)| now.before(*until));
    if let Some((text, _)) = flashing {
        parts.push(Part::new(Span::styled(format!("│ {text} "), theme::warn())));
    } else {
        let shown: Vec<(Source, Health)> = Source::ALL
            .into_iter()
            .map(|source| (source, now.health(&store.health, source)))
            .filter(|(_, health)| !matches!(health, Health::Unavailable { .. }))
            .collect();
        // "polls:" says these marks are how reading each source went, not the chain's links
        // (the chain strip above can say `✗ alarm` while the alarm is read fine). It goes
        // when the last source that would still show after it goes.
        let trouble = shown.iter().any(|(_, h)| troubled(h));
        if !shown.is_empty() {
            polls_at = Some((parts.len(), shown.len()));
            let polls = Part::new(Span::styled("│ polls: ", theme::dim()));
            parts.push(if trouble {
                polls
                    .or(POLLS_BARE, Span::styled("│ ", theme::dim()))
                    .or_drop(TROUBLE_DROPPED)
            } else {
                polls.or_drop(FRESH_DROPPED)
            });
        }
        for (source, health) in &shown {
            let skipped = store.unreadable.get(source).copied().unwrap_or(0);
            parts.push(health_part(*source, health, now, skipped));
        }
        // A backfill under way says how far it is, until it is done.
        for (source, (done, total)) in &store.backfill {
            if done < total {
                let text = format!("{} backfill {done}/{total} files ", source.label());
                parts.push(Part::new(Span::styled(text, theme::warn())).or_drop(FRESH_DROPPED));
            }
        }
        // The first-seen baseline learning from history, until the first sweep is done.
        if let Some(from) = store.baseline.learning_from
            && matches!(now.health(&store.health, Source::Events), Health::Starting)
        {
            let back = store.baseline.learned_back_to.map_or_else(
                || "starting".to_string(),
                |t| format!("back to {}", t.format("%H:%M")),
            );
            let text = format!(
                "│ learning who reads since {}: {back} ",
                from.format("%m-%d %H:%M")
            );
            parts.push(Part::new(Span::styled(text, theme::warn())).or_drop(FRESH_DROPPED));
        }
        // Every other scope in a word or two: its trouble stays, its health gives way.
        // Past a handful, the healthy ones are counted in one word and the rest named.
        let many = store.many_accounts();
        let scoped: Vec<(Part, bool)> = store
            .others
            .iter()
            .map(|(i, view)| scope_part(*i, view, many, now, width))
            .collect();
        let healthy = scoped.iter().filter(|(_, ok)| *ok).count();
        if store.others.len() > 4 && healthy > 0 {
            let text = format!("│ {healthy} other scopes ✓ ");
            let part = Part::new(Span::styled(text, theme::good()));
            parts.push(part.or_drop(SCOPES_FRESH_DROPPED));
            parts.extend(scoped.into_iter().filter(|(_, ok)| !ok).map(|(p, _)| p));
        } else {
            parts.extend(scoped.into_iter().map(|(p, _)| p));
        }
    }
    // The other hints go where there is room; "? help" always shows and leads to them all.
    let help = Span::styled(
        format!(
            "│{} help",
            crate::ui::keymap::key(crate::ui::keymap::Action::Help)
        ),
        theme::dim(),
    );
    let mut hints = if flashing.is_some() {
        Part::new(help)
    } else {
        let all: Vec<String> = BINDINGS
            .iter()
            .filter_map(|b| {
                b.hint
                    .map(|h| format!("{} {h}", crate::ui::keymap::key(b.action)))
            })
            .collect();
        Part::new(Span::styled(format!("│ {}", all.join(" · ")), theme::dim())).or(HINTS, help)
    };
    hints.whole = true;
    parts.push(hints);
    fit(&mut parts, width);
    // "polls:" with none of its sources left after it says nothing: it goes too.
    if let Some((at, count)) = polls_at
        && parts[at + 1..=at + count].iter().all(|p| p.width() == 0)
        && let Some(label) = parts.get_mut(at)
    {
        label.shown = label.forms.len() - 1;
    }
    let spans: Vec<Span> = parts.into_iter().flat_map(Part::into_spans).collect();
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

// The order in which parts of the bar give way when it is too narrow; "? help" never does.
const HINTS: u8 = 1;
const FRESH_DROPPED: u8 = 2;
/// Other scopes that are well: after the focused scope's fresh sources.
const SCOPES_FRESH_DROPPED: u8 = 3;
const ALARM_SHORTER: u8 = 4;
const TROUBLE_SHORTER: u8 = 5;
const ALARM_SHORTEST: u8 = 6;
const ALARM_BARE: u8 = 7;
const POLLS_BARE: u8 = 8;
const TROUBLE_DROPPED: u8 = 9;

/// One piece of the bar in the forms it can take, widest first. Each narrower form comes
/// with its rank (lower ranks give way first); an empty form drops the piece.
struct Part {
    forms: Vec<(u8, Vec<Span<'static>>)>,
    shown: usize,
    /// Never cut (but may take a narrower form).
    whole: bool,
}

impl Part {
    fn new(span: Span<'static>) -> Self {
        Self {
            forms: vec![(0, vec![span])],
            shown: 0,
            whole: false,
        }
    }

    fn or(mut self, rank: u8, span: Span<'static>) -> Self {
        self.forms.push((rank, vec![span]));
        self
    }

    fn or_drop(mut self, rank: u8) -> Self {
        self.forms.push((rank, Vec::new()));
        self
    }

    fn spans(&self) -> &[Span<'static>] {
        self.forms
            .get(self.shown)
            .map_or(&[], |(_, s)| s.as_slice())
    }

    fn width(&self) -> usize {
        self.spans().iter().map(Span::width).sum()
    }

    fn into_spans(self) -> Vec<Span<'static>> {
        let shown = self.shown;
        self.forms
            .into_iter()
            .nth(shown)
            .map(|(_, s)| s)
            .unwrap_or_default()
    }
}

/// Narrows the parts, lowest rank first and the rightmost of equals first, until they fit
/// in `width`; then, as a last resort, cuts the text of the rightmost part that still shows.
fn fit(parts: &mut [Part], width: usize) {
    loop {
        let used: usize = parts.iter().map(Part::width).sum();
        if used <= width {
            return;
        }
        let next = parts
            .iter()
            .enumerate()
            .rev()
            .filter_map(|(i, p)| p.forms.get(p.shown + 1).map(|(rank, _)| (*rank, i)))
            .min_by_key(|(rank, _)| *rank);
        if let Some((_, i)) = next
            && let Some(part) = parts.get_mut(i)
        {
            part.shown += 1;
            continue;
        }
        let Some(part) = parts.iter_mut().rev().find(|p| !p.whole && p.width() > 0) else {
            return;
        };
        let keep = part.width().saturating_sub(used - width);
        let cut: Vec<Span<'static>> = part
            .spans()
            .iter()
            .scan(keep, |room, span| {
                let text = sanitize_line(&span.content, *room);
                *room = room.saturating_sub(text.width());
                Some(Span::styled(text, span.style))
            })
            .collect();
        part.forms = vec![(0, cut)];
        part.shown = 0;
    }
}

/// Another scope: its region, then its firing alarm, its troubled sources, or ✓; and
/// whether it is healthy.
fn scope_part(
    i: usize,
    view: &crate::store::ScopeView,
    many_accounts: bool,
    now: &Now,
    width: usize,
) -> (Part, bool) {
    let label = match (view.account().filter(|_| many_accounts), view.region()) {
        (Some(account), Some(region)) => sanitize_line(&format!("{account}/{region}"), 40),
        (None, Some(region)) => sanitize_line(region, 20),
        _ => format!("scope {}", i + 1),
    };
    if view.identity.is_none()
        && let Some(error) = &view.identity_error
    {
        let text = format!("│ {label} ✗ {} ", error.short());
        let part = Part::new(Span::styled(sanitize_line(&text, width / 3), theme::bad()))
            .or(
                TROUBLE_SHORTER,
                Span::styled(format!("│ {label} ✗ "), theme::bad()),
            )
            .or_drop(TROUBLE_DROPPED);
        return (part, false);
    }
    if view
        .alarm
        .found()
        .is_some_and(|a| a.state == AlarmState::Alarm)
    {
        let style = theme::alarm_state(AlarmState::Alarm).add_modifier(Modifier::BOLD);
        let part = Part::new(Span::styled(format!("│ {label} ALARM "), style));
        return (part.or_drop(TROUBLE_DROPPED), false);
    }
    let troubles: Vec<(Source, Health)> = Source::ALL
        .into_iter()
        .map(|source| (source, now.health(&view.health, source)))
        .filter(|(_, health)| troubled(health))
        .collect();
    if troubles.is_empty() {
        let text = format!("│ {label} ✓ ");
        return (
            Part::new(Span::styled(text, theme::good())).or_drop(SCOPES_FRESH_DROPPED),
            true,
        );
    }
    let failing = troubles
        .iter()
        .any(|(_, h)| matches!(h, Health::Failing { .. }));
    let style = if failing { theme::bad() } else { theme::warn() };
    let said: Vec<String> = troubles
        .iter()
        .map(|(source, health)| match health {
            Health::Failing { .. } => format!("{} ✗", source.label()),
            Health::Throttled { .. } => format!("{} throttled", source.label()),
            _ => format!("{} stale", source.label()),
        })
        .collect();
    let text = format!("│ {label} {} ", said.join(" "));
    let part = Part::new(Span::styled(text, style))
        .or(
            TROUBLE_SHORTER,
            Span::styled(format!("│ {label} ✗ "), style),
        )
        .or_drop(TROUBLE_DROPPED);
    (part, false)
}

fn troubled(health: &Health) -> bool {
    matches!(
        health,
        Health::Stale { .. } | Health::Throttled { .. } | Health::Failing { .. }
    )
}

/// `skipped`: messages or files of that source that could not be read (counted, logged by id
/// or key, and passed), said beside a fresh source while there is room.
fn health_part(source: Source, health: &Health, now: &Now, skipped: usize) -> Part {
    let name = source.label();
    let part = Part::new(health_span(source, health, now));
    if skipped > 0 && matches!(health, Health::Fresh { .. }) {
        let long = Span::styled(format!("{name} ✓ {skipped} unreadable "), theme::warn());
        return Part::new(long)
            .or(TROUBLE_SHORTER, health_span(source, health, now))
            .or_drop(FRESH_DROPPED);
    }
    // Trouble keeps its name and kind where the countdowns no longer fit.
    let compact = match health {
        Health::Stale { .. } => Span::styled(format!("{name} stale "), theme::warn()),
        Health::Throttled { .. } => Span::styled(format!("{name} throttled "), theme::warn()),
        Health::Failing { .. } => Span::styled(format!("{name} ✗ "), theme::bad()),
        Health::Starting | Health::Fresh { .. } | Health::Unavailable { .. } => {
            return part.or_drop(FRESH_DROPPED);
        }
    };
    part.or(TROUBLE_SHORTER, compact).or_drop(TROUBLE_DROPPED)
}

fn health_span(source: Source, health: &Health, now: &Now) -> Span<'static> {
    let name = source.label();
    match health {
        Health::Starting => Span::styled(format!("{name} … "), theme::dim()),
        // Fresh says no more: an age here would tick every second, and a time would
        // change with every poll, keeping an idle screen busy. Late polls show as stale.
        Health::Fresh { .. } => Span::styled(format!("{name} ✓ "), theme::good()),
        Health::Stale { since } => {
            Span::styled(format!("{name} stale {} ", now.age(*since)), theme::warn())
        }
        Health::Throttled { retry_at } => Span::styled(
            format!(
                "{name} throttled, next try in {}s ",
                now.secs_until(*retry_at)
            ),
            theme::warn(),
        ),
        Health::Failing {
            retry_at,
            stale_since,
            ..
        } => Span::styled(
            format!(
                "{name} ✗{} retry {}s ",
                stale_since.map_or(String::new(), |at| format!(" stale {}", now.age(at))),
                now.secs_until(*retry_at)
            ),
            theme::bad(),
        ),
        Health::Unavailable { .. } => Span::raw(""),
    }
}
