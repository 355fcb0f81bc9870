//! secretwatch: live monitoring of access to AWS Secrets Manager secrets and
//! of the alert chain around them.

pub mod ack;
pub mod ack_cmd;
pub mod app;
pub mod chain;
pub mod cli;
pub mod clock;
pub mod cloud;
pub mod commands;
pub mod config;
pub mod engine;
pub mod event;
pub mod filter_pattern;
pub mod headless;
pub mod logging;
pub mod output;
pub mod self_doc;
pub mod setup_cmd;
pub mod store;
pub mod ui;
