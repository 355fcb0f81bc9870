//! Standard output for the one-shot commands. A reader that went away (`| head`) ends
//! the program quietly with the status a shell gives SIGPIPE, as other Unix tools do,
//! rather than a panic.

use std::io::Write;

/// Exit status for a closed pipe: 128 + SIGPIPE.
const CLOSED_PIPE: i32 = 141;

pub fn say(args: std::fmt::Arguments) {
    let mut out = std::io::stdout().lock();
    let written = out
        .write_fmt(args)
        .and_then(|()| out.write_all(b"\n"))
        .and_then(|()| out.flush());
    match written {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
            tracing::info!("the reader of standard output went away");
            std::process::exit(CLOSED_PIPE);
        }
        Err(e) => {
            tracing::error!(error = %e, "cannot write to standard output");
            eprintln!("secretwatch: cannot write to standard output: {e}");
            std::process::exit(1);
        }
    }
}

/// `println!` for the one-shot commands: see [`say`].
#[macro_export]
macro_rules! say {
    ($($arg:tt)*) => {
        $crate::output::say(format_args!($($arg)*))
    };
}
