use secretwatch::cli::Cli;

fn main() -> std::process::ExitCode {
    let cli = Cli::from_env();
    let _log = secretwatch::logging::init();
    tracing::info!(version = env!("CARGO_PKG_VERSION"), command = ?cli.command, "secretwatch started");
    let exit = secretwatch::cli::main(cli);
    // Why it ended is logged where it happened; this says that it did, and how.
    tracing::info!(?exit, code = exit.code(), "secretwatch ended");
    exit.into()
}
