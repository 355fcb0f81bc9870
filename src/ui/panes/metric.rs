//! The SecretIsAccessed metric as bars, one per period, against the alarm's
//! threshold drawn as a line across the pane.

use crate::cloud::types::{Alarm, MetricPoint, Statistic};
use crate::engine::Source;
use crate::store::Store;
use crate::text::format::hms;
use crate::text::sanitize::sanitize_line;
use crate::ui::now::Now;
use crate::ui::theme;
use chrono::{DateTime, TimeDelta, Utc};
use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget};
use std::time::Duration;
use unicode_width::UnicodeWidthStr;

const EIGHTHS: [&str; 9] = [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"];

pub struct MetricView<'a> {
    pub name: &'a str,
    pub period: Duration,
    pub threshold: Option<f64>,
    pub points: &'a [MetricPoint],
    pub now: &'a Now,
}

pub fn draw(frame: &mut Frame, area: Rect, store: &Store, view: MetricView<'_>) {
    let alarm: Option<&Alarm> = store.alarm.found();
    let about = format!(
        "· Sum/{}s{} ",
        view.period.as_secs(),
        match (view.threshold, alarm.map(|a| a.statistic)) {
            // The bars are the Sum; an alarm on another statistic fires on that one.
            (Some(t), Some(statistic)) if statistic != Statistic::Sum =>
                format!(" · alarm {} ≥ {t}", statistic.as_str()),
            (Some(t), _) => format!(" · alarm ≥ {t}"),
            (None, _) => String::new(),
        }
    );
    // The statistics matter more than the metric's name, which gives way first.
    let room = (area.width as usize)
        .saturating_sub(4 + about.width())
        .max(area.width as usize / 4);
    let title = Line::from(vec![
        Span::styled(
            format!(" {} ", sanitize_line(view.name, room)),
            theme::title(),
        ),
        Span::styled(about, theme::dim()),
    ]);
    let mut block = Block::default().borders(Borders::ALL).title(title);
    if let Some(p) = super::problem(store, Source::Metric, view.now, area.width) {
        block = block.title_bottom(p);
    }
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.height < 2 || inner.width < 4 {
        return;
    }
    let chart = Rect {
        height: inner.height - 1,
        ..inner
    };
    let footer = Rect {
        y: inner.y + inner.height - 1,
        height: 1,
        ..inner
    };
    let values = per_column(&view, chart.width as usize);
    Bars {
        values: &values,
        threshold: view.threshold,
    }
    .render(chart, frame.buffer_mut());
    let last = values.last().copied().flatten().unwrap_or(0.0);
    let peak = values.iter().flatten().fold(0.0_f64, |a, b| a.max(*b));
    let mut spans = vec![Span::styled(
        format!("now {last} · peak {peak}"),
        theme::dim(),
    )];
    if let Some(t) = view.threshold {
        let breach = view.points.iter().rev().find(|p| p.value >= t);
        if let Some(p) = breach {
            spans.push(Span::styled(
                format!(" · last ≥ {t} at {}", hms(p.time)),
                theme::warn(),
            ));
        }
    }
    if store.metric.is_empty() {
        let width = footer.width as usize;
        let line = if let Some(line) =
            super::not_seen(store, Source::Metric, view.now, "the metric", width)
        {
            Some(line)
        } else if no_filter(store) {
            let long =
                "no metric filter counts reads into this metric: d for the doctor, s to set it up";
            let short = "no metric filter: reads not counted";
            let text = if long.width() <= width { long } else { short };
            Some(Line::styled(sanitize_line(text, width), theme::bad()))
        } else if alarm.is_none() {
            Some(Line::styled(
                "no datapoints: nothing counted yet",
                theme::dim(),
            ))
        } else {
            None
        };
        if let Some(line) = line {
            frame.render_widget(Paragraph::new(line), footer);
            return;
        }
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), footer);
}

/// Whether the doctor found no filter publishing the metric: then "no datapoints" means
/// nothing could ever be counted, not that nothing was read.
fn no_filter(store: &Store) -> bool {
    store
        .chain
        .as_ref()
        .is_some_and(|report| report.findings.iter().any(crate::chain::says_no_filter))
}

/// One value per column, the newest period in the rightmost column; None where the
/// period had no data.
fn per_column(view: &MetricView<'_>, columns: usize) -> Vec<Option<f64>> {
    let period = view.period.as_secs().max(1) as i64;
    let newest = view.now.period_start(period);
    (0..columns)
        .rev()
        .map(|k| {
            let start =
                DateTime::<Utc>::UNIX_EPOCH + TimeDelta::seconds(newest - k as i64 * period);
            view.points
                .iter()
                .find(|p| p.time == start)
                .map(|p| p.value)
        })
        .collect()
}

struct Bars<'a> {
    values: &'a [Option<f64>],
    threshold: Option<f64>,
}

impl Widget for Bars<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let peak = self.values.iter().flatten().fold(0.0_f64, |a, b| a.max(*b));
        let rows = area.height.max(1);
        // Scale so that the threshold falls exactly on a row boundary: a bar that reaches
        // the threshold fills its row and covers the line; taller bars are clipped.
        let (eighths_per_unit, threshold_row) = match self.threshold {
            Some(t) if t > 0.0 => {
                let top = peak.max(t * 1.5);
                let row = ((f64::from(rows) * t / top).floor() as u16).clamp(1, rows);
                (f64::from(row) * 8.0 / t, Some(row))
            }
            _ => (f64::from(rows) * 8.0 / peak.max(1e-9), None),
        };
        for (x, value) in self.values.iter().enumerate() {
            let eighths = value.map_or(0.0, |v| (v.max(0.0) * eighths_per_unit).round());
            let eighths = eighths.min(f64::from(rows) * 8.0) as u16;
            let breaching = matches!((value, self.threshold), (Some(v), Some(t)) if *v >= t);
            for level in 0..rows {
                let cell_pos = (area.x + x as u16, area.y + rows - 1 - level);
                let filled = eighths.saturating_sub(level * 8).min(8) as usize;
                let Some(cell) = buf.cell_mut(cell_pos) else {
                    continue;
                };
                if filled > 0 {
                    let style = if breaching {
                        theme::bad()
                    } else {
                        theme::good()
                    };
                    cell.set_symbol(EIGHTHS[filled]).set_style(style);
                } else if threshold_row == Some(level + 1) {
                    cell.set_symbol("┄").set_style(theme::warn());
                } else if level == 0 && value.is_none() {
                    cell.set_symbol("·").set_style(theme::dim());
                }
            }
        }
    }
}
