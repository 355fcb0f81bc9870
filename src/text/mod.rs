//! Text for people and terminals: untrusted text made safe to show, and the short forms
//! (times, principals, secrets) the dashboard, the commands and the config share.

pub mod format;
pub mod sanitize;
pub mod when;
