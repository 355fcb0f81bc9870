use clap::Parser;
use secretwatch::cli::{Cli, Command};

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let _log = secretwatch::logging::init();
    match cli.command {
        Some(Command::Demo(args)) => secretwatch::app::demo(args),
        None => {
            eprintln!(
                "secretwatch: watching a real AWS account is not built yet; \
                 run `secretwatch demo` for the dashboard over the embedded account"
            );
            std::process::ExitCode::from(2)
        }
    }
}
