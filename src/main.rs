use clap::Parser;
use secretwatch::cli::Cli;

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let _log = secretwatch::logging::init();
    secretwatch::app::main(cli)
}
