//! secretwatch: live monitoring of access to AWS Secrets Manager secrets and
//! of the alert chain around them.

pub mod access;
pub mod ack;
pub mod baseline;
pub mod chain;
pub mod cli;
pub mod clock;
pub mod cloud;
pub mod config;
pub mod engine;
pub mod expected;
pub mod export;
pub mod filter_pattern;
pub mod logging;
pub mod private_files;
pub mod query;
pub mod state_file;
pub mod store;
pub mod text;
pub mod trace;
pub mod ui;
pub mod watched;
