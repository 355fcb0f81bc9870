//! What the commands print: results on standard output, errors on standard error.
//! A reader that went away (`| head`) ends the program quietly with the status a shell
//! gives SIGPIPE, as other Unix tools do, rather than a panic.

use super::exit::Exit;
use crate::cloud::{CloudError, ErrorKind};
use crate::text::sanitize::json_for_terminal;
use std::io::Write;

/// `println!` for the one-shot commands: see [`print_line`].
macro_rules! say {
    ($($arg:tt)*) => {
        $crate::cli::output::print_line(format_args!($($arg)*))
    };
}
pub(crate) use say;

/// One line, formatted.
pub fn print_line(args: std::fmt::Arguments) {
    let mut line = args.to_string();
    line.push('\n');
    write(line.as_bytes());
}

/// Bytes as they are (a completion script, a man page).
pub fn write(bytes: &[u8]) {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
            tracing::info!("the reader of standard output went away");
            std::process::exit(Exit::ClosedPipe.code().into());
        }
        Err(e) => {
            tracing::error!(error = %e, "cannot write to standard output");
            eprintln!("secretwatch: cannot write to standard output: {e}");
            std::process::exit(Exit::Failure.code().into());
        }
    }
}

/// One JSON object on one line, made safe for the terminal.
pub fn say_json(value: &impl serde::Serialize) -> Exit {
    match json_for_terminal(value, false) {
        Ok(line) => {
            say!("{line}");
            Exit::Ok
        }
        Err(error) => {
            eprintln!("secretwatch: cannot print JSON: {error}");
            Exit::Failure
        }
    }
}

/// A problem on standard error, as `secretwatch: ...`.
pub fn complain(what: impl std::fmt::Display) {
    eprintln!("secretwatch: {what}");
}

/// The error on stderr, with what to do about it.
pub fn print_error(error: &CloudError) {
    complain(error);
    if let Some(hint) = error.hint() {
        eprintln!("  → {hint}");
    }
}

/// The error, and the status it ends with: could not run, or failed.
pub fn report(error: &CloudError) -> Exit {
    print_error(error);
    match error.kind {
        ErrorKind::Credentials | ErrorKind::InvalidInput | ErrorKind::AccessDenied => {
            Exit::CannotRun
        }
        _ => Exit::Failure,
    }
}
