//! What secretwatch says about itself: `--version` with the paths it uses, shell
//! completions and the man page, all from the clap definitions.

use super::exit::Exit;
use super::output::{complain, say, write};

/// The version, then where the config, the acknowledgement journal and the log live.
pub fn version(config: Option<&std::path::Path>) -> Exit {
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
    say!("secretwatch {}", env!("CARGO_PKG_VERSION"));
    say!("config:  {}", shown(config));
    say!("journal: {}", shown(journal));
    say!("log:     {}", shown(log));
    Exit::Ok
}

pub fn completions(shell: clap_complete::Shell) -> Exit {
    let mut command = super::args::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut command, "secretwatch", &mut out);
    write(&out);
    Exit::Ok
}

pub fn man() -> Exit {
    let mut out = Vec::new();
    match clap_mangen::Man::new(super::args::command()).render(&mut out) {
        Ok(()) => {
            write(&out);
            Exit::Ok
        }
        Err(error) => {
            complain(format_args!("cannot render the man page: {error}"));
            Exit::Failure
        }
    }
}
