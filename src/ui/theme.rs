//! The few styles the dashboard uses.

use crate::cloud::types::AlarmState;
use ratatui::style::{Color, Modifier, Style};

pub fn title() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}

pub fn dim() -> Style {
    Style::new().fg(Color::DarkGray)
}

pub fn good() -> Style {
    Style::new().fg(Color::Green)
}

pub fn warn() -> Style {
    Style::new().fg(Color::Yellow)
}

pub fn bad() -> Style {
    Style::new().fg(Color::Red)
}

/// A change to a secret (its value, policy, replication): set apart from the reads.
pub fn change() -> Style {
    Style::new().fg(Color::Magenta)
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
            .bg(Color::Red)
            .add_modifier(Modifier::BOLD),
        AlarmState::InsufficientData => dim().add_modifier(Modifier::BOLD),
    }
}
