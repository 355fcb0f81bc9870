//! The command line: clap's definitions, the wiring that reads the config and opens an
//! account, and one file per command. Only `main.rs` uses this module; it uses the
//! library's modules and none of them uses it.

mod accounts;
mod ack;
pub mod args;
mod dashboard;
mod doctor;
mod doctor_scopes;
mod events;
mod exit;
mod headless;
mod open;
mod output;
mod poll_once;
mod scopes;
mod self_doc;
mod setup;
mod setup_scopes;
mod status;
mod status_scopes;
mod test_access;
mod trace;

pub use args::Cli;
pub use exit::Exit;

use crate::config::{self, FileConfig};
use args::{Command, TargetArgs};
use open::open;
use output::complain;

pub fn main(cli: Cli) -> Exit {
    // What secretwatch says about itself needs no config, runtime or account.
    if cli.version {
        return self_doc::version(cli.target.config.as_deref());
    }
    match &cli.command {
        Some(Command::Completions { shell }) => return self_doc::completions(*shell),
        Some(Command::Man) => return self_doc::man(),
        _ => {}
    }
    let file = match config::load(cli.target.config.as_deref()) {
        Ok((file, path)) => {
            tracing::info!(config = ?path, "configuration loaded");
            file
        }
        Err(error) => {
            complain(error);
            return Exit::CannotRun;
        }
    };
    crate::ui::keymap::install(file.keymap());
    crate::ui::theme::install(file.ui.theme);
    let command = cli.command.unwrap_or(Command::Watch);
    // Simulated time can run ahead of the wall clock only on a paused current-thread runtime.
    let fast = matches!(&command, Command::Demo(a) if a.fast);
    // One thread: the dashboard waits on the network and the terminal, and threads that
    // wake one another cost an idle screen more than the work itself.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .start_paused(fast)
        .build();
    match runtime {
        Ok(rt) => rt.block_on(run(command, cli.target, file)),
        Err(error) => {
            complain(format_args!("cannot start the async runtime: {error}"));
            Exit::Failure
        }
    }
}

async fn run(command: Command, target: TargetArgs, file: FileConfig) -> Exit {
    match command {
        Command::Demo(args) => dashboard::demo(args, &target).await,
        Command::Watch => dashboard::watch(open(&target, &file, None).await).await,
        Command::Events(args) => events::run(open(&target, &file, None).await, args).await,
        Command::TestAccess(args) if args.trace => {
            trace::run(open(&target, &file, None).await, args.json).await
        }
        Command::TestAccess(args) => test_access::run(open(&target, &file, None).await, args).await,
        Command::Status(args) => status::run(open(&target, &file, None).await, args).await,
        Command::Doctor(args) => doctor::run(open(&target, &file, None).await, args).await,
        Command::Setup(args) => setup::run(open(&target, &file, None).await, args).await,
        Command::Ack(args) => ack::run(open(&target, &file, None).await, args).await,
        Command::Completions { .. } | Command::Man => Exit::Ok,
    }
}
