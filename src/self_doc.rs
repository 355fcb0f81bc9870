//! What secretwatch says about itself: `--version` with the paths it uses, shell
//! completions and the man page, all from the clap definitions.

use crate::cli::Cli;
use clap::CommandFactory;
use std::process::ExitCode;

/// The version, then where the config, the acknowledgement journal and the log live.
pub fn version(config: Option<&std::path::Path>) -> ExitCode {
    let shown = |p: Option<std::path::PathBuf>| {
        p.map_or("(none: no home directory)".to_string(), |p| {
            p.display().to_string()
        })
    };
    let config = config
        .map(std::path::Path::to_path_buf)
        .or_else(crate::config::default_path);
    let journal = crate::ack::journal::Journal::default_location()
        .ok()
        .map(|j| j.path().to_path_buf());
    let log = crate::logging::log_dir().map(|d| d.join("secretwatch.log"));
    crate::say!("secretwatch {}", env!("CARGO_PKG_VERSION"));
    crate::say!("config:  {}", shown(config));
    crate::say!("journal: {}", shown(journal));
    crate::say!("log:     {}", shown(log));
    ExitCode::SUCCESS
}

pub fn completions(shell: clap_complete::Shell) -> ExitCode {
    let mut command = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut command, "secretwatch", &mut out);
    crate::output::write(&out);
    ExitCode::SUCCESS
}

pub fn man() -> ExitCode {
    let mut out = Vec::new();
    match clap_mangen::Man::new(Cli::command()).render(&mut out) {
        Ok(()) => {
            crate::output::write(&out);
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("secretwatch: cannot render the man page: {error}");
            ExitCode::from(1)
        }
    }
}
