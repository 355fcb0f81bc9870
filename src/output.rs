//! Standard output for the one-shot commands. A reader that went away (`| head`) ends
//! the program quietly with the status a shell gives SIGPIPE, as other Unix tools do,
//! rather than a panic.

use std::io::Write;

/// Exit status for a closed pipe: 128 + SIGPIPE.
const CLOSED_PIPE: i32 = 141;

/// One line, formatted.
pub fn say(args: std::fmt::Arguments) {
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
