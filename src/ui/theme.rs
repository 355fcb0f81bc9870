//! The few styles the dashboard uses, in the palette of the terminal's background: `dark`
//! (the default) or `light` (`[ui] theme`), where yellow and light green do not read. Colour
//! is never the only signal: every state also has its word or sign, and with `NO_COLOR` set
//! the terminal library writes no colour at all (bold, reversed and underlined stay).

use crate::cloud::types::AlarmState;
use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;
use std::sync::OnceLock;

/// The terminal's background, as `[ui] theme` says it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Theme {
    #[default]
    Dark,
    Light,
}

struct Palette {
    dim: Color,
    good: Color,
    warn: Color,
    bad: Color,
    change: Color,
}

const DARK: Palette = Palette {
    dim: Color::DarkGray,
    good: Color::Green,
    warn: Color::Yellow,
    bad: Color::Red,
    change: Color::Magenta,
};

/// Darker greens and an amber for white and pale backgrounds (256-colour indexes, which
/// every terminal of the last decades has).
const LIGHT: Palette = Palette {
    dim: Color::Indexed(242),
    good: Color::Indexed(28),
    warn: Color::Indexed(130),
    bad: Color::Indexed(160),
    change: Color::Indexed(90),
};

static THEME: OnceLock<Theme> = OnceLock::new();

/// Sets the palette, once, before the dashboard draws; false when one was set already.
pub fn install(theme: Theme) -> bool {
    THEME.set(theme).is_ok()
}

fn palette() -> &'static Palette {
    match THEME.get_or_init(Theme::default) {
        Theme::Dark => &DARK,
        Theme::Light => &LIGHT,
    }
}

pub fn title() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}

pub fn dim() -> Style {
    Style::new().fg(palette().dim)
}

pub fn good() -> Style {
    Style::new().fg(palette().good)
}

pub fn warn() -> Style {
    Style::new().fg(palette().warn)
}

pub fn bad() -> Style {
    Style::new().fg(palette().bad)
}

/// A change to a secret (its value, policy, replication): set apart from the reads.
pub fn change() -> Style {
    Style::new().fg(palette().change)
}

/// A change flagged as an exfiltration setup: never to be missed.
pub fn flagged() -> Style {
    bad().add_modifier(Modifier::BOLD)
}

/// What a filter found in a row: underlined, so that it reads without colour too.
pub fn found() -> Style {
    Style::new().add_modifier(Modifier::UNDERLINED)
}

pub fn selected() -> Style {
    Style::new().add_modifier(Modifier::REVERSED)
}

pub fn alarm_state(state: AlarmState) -> Style {
    match state {
        AlarmState::Ok => good().add_modifier(Modifier::BOLD),
        AlarmState::Alarm => Style::new()
            .fg(Color::White)
            .bg(palette().bad)
            .add_modifier(Modifier::BOLD),
        AlarmState::InsufficientData => dim().add_modifier(Modifier::BOLD),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_light_palette_has_none_of_the_colours_that_vanish_on_white() {
        let faint = [
            Color::Yellow,
            Color::LightYellow,
            Color::LightGreen,
            Color::LightCyan,
            Color::White,
            Color::Gray,
        ];
        for c in [LIGHT.dim, LIGHT.good, LIGHT.warn, LIGHT.bad, LIGHT.change] {
            assert!(!faint.contains(&c), "{c:?}");
        }
        let states = [DARK.good, DARK.warn, DARK.bad, DARK.change];
        let light = [LIGHT.good, LIGHT.warn, LIGHT.bad, LIGHT.change];
        for set in [states, light] {
            for (i, a) in set.iter().enumerate() {
                assert!(!set[i + 1..].contains(a), "two states share {a:?}");
            }
        }
    }
}
