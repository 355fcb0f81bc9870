//! The setup dialog: the plan naming each resource, a confirmation, then each
//! step's outcome as it is applied.

use crate::store::{SetupStage, Store};
use crate::text::sanitize::sanitize_line;
use crate::ui::keymap::{Action, key};
use crate::ui::theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

pub fn draw(frame: &mut Frame, area: Rect, store: &Store) {
    let popup = super::centered(
        area,
        area.width.saturating_sub(4).min(110),
        area.height.saturating_sub(2).min(26),
    );
    let inner = popup.width.saturating_sub(2) as usize;
    let mut lines = Vec::new();
    let esc = key(Action::Close);
    let (title, keys) = match store.setup.as_ref().map(|v| &v.stage) {
        None | Some(SetupStage::Planning) => {
            lines.push(Line::styled("checking the chain…", theme::dim()));
            (" Setup · planning ", format!(" {esc} close "))
        }
        Some(SetupStage::Unavailable(why)) => {
            lines.push(Line::styled(sanitize_line(why, inner * 3), theme::warn()));
            (" Setup · not available ", format!(" {esc} close "))
        }
        Some(SetupStage::Confirm) => (
            " Setup · plan ",
            format!(" {} apply · {esc} cancel ", key(Action::Confirm)),
        ),
        Some(SetupStage::Applying) => (" Setup · applying ", format!(" {esc} hide (it goes on) ")),
        Some(SetupStage::Finished { ok: true }) => (" Setup · done ", format!(" {esc} close ")),
        Some(SetupStage::Finished { ok: false }) => {
            (" Setup · stopped at a failure ", format!(" {esc} close "))
        }
    };
    if let Some(view) = &store.setup {
        if matches!(view.stage, SetupStage::Confirm) && view.steps.is_empty() {
            lines.push(Line::styled(
                "nothing to do: every link setup can build is in place",
                theme::good(),
            ));
        }
        if matches!(view.stage, SetupStage::Confirm) {
            for (i, step) in view.shown.iter().enumerate() {
                lines.push(Line::raw(sanitize_line(
                    &format!("{}. {step}", i + 1),
                    inner * 3,
                )));
            }
        }
        for (step, error) in &view.done {
            let (mark, style) = match error {
                None => ("✓", theme::good()),
                Some(_) => ("✗", theme::bad()),
            };
            lines.push(Line::styled(
                sanitize_line(&format!("{mark} {step}"), inner * 3),
                style,
            ));
            if let Some(e) = error {
                lines.push(Line::styled(
                    sanitize_line(&format!("  {e}"), inner * 3),
                    theme::bad(),
                ));
            }
        }
        for note in &view.notes {
            lines.push(Line::styled(
                sanitize_line(&format!("note: {note}"), inner * 3),
                theme::dim(),
            ));
        }
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(title, theme::title()))
        .title_bottom(Span::styled(keys, theme::dim()));
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        popup,
    );
}
