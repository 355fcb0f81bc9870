//! How secretwatch ends, as a shell sees it: every exit status in one place.

use std::process::ExitCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Done: for `doctor`, every link is healthy.
    Ok,
    /// Something failed, or there were findings: a broken link, nothing to acknowledge,
    /// an answer of no.
    Failure,
    /// Could not run at all: no credentials, no region, a bad config, nowhere to save.
    CannotRun,
    /// The reader of standard output went away (`| head`): 128 + SIGPIPE.
    ClosedPipe,
    /// Stopped by a signal: 128 + its number, as shells report it.
    Signal(Signal),
}

/// The signals the dashboard ends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    Hangup,
    Interrupt,
    Terminate,
}

impl Exit {
    pub fn code(self) -> u8 {
        match self {
            Exit::Ok => 0,
            Exit::Failure => 1,
            Exit::CannotRun => 2,
            Exit::ClosedPipe => 128 + 13,
            Exit::Signal(Signal::Hangup) => 128 + 1,
            Exit::Signal(Signal::Interrupt) => 128 + 2,
            Exit::Signal(Signal::Terminate) => 128 + 15,
        }
    }

    /// Why the dashboard stopped, as a status.
    pub fn of_dashboard(stopped: crate::ui::tui::Exit) -> Self {
        use crate::ui::tui::Exit as Stopped;
        match stopped {
            Stopped::Quit => Exit::Ok,
            Stopped::Signal("SIGHUP") => Exit::Signal(Signal::Hangup),
            Stopped::Signal("SIGINT") => Exit::Signal(Signal::Interrupt),
            Stopped::Signal(_) => Exit::Signal(Signal::Terminate),
            Stopped::EngineStopped => Exit::Failure,
        }
    }
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> Self {
        ExitCode::from(exit.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::tui::Exit as Stopped;

    #[test]
    fn statuses_are_what_shells_expect() {
        assert_eq!(Exit::Ok.code(), 0);
        assert_eq!(Exit::Failure.code(), 1);
        assert_eq!(Exit::CannotRun.code(), 2);
        assert_eq!(Exit::ClosedPipe.code(), 141);
        assert_eq!(Exit::of_dashboard(Stopped::Quit).code(), 0);
        assert_eq!(Exit::of_dashboard(Stopped::Signal("SIGHUP")).code(), 129);
        assert_eq!(Exit::of_dashboard(Stopped::Signal("SIGINT")).code(), 130);
        assert_eq!(Exit::of_dashboard(Stopped::Signal("SIGTERM")).code(), 143);
        assert_eq!(Exit::of_dashboard(Stopped::EngineStopped).code(), 1);
    }
}
