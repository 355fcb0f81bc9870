//! Owns the terminal: raw mode and the alternate screen on the way in, and
//! restored on every way out (quit, error, signal, panic).

use super::app::App;
use super::{ViewConfig, draw};
use crate::engine::Engine;
use crossterm::event::{Event, EventStream};
use futures::StreamExt;

/// Why the dashboard stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Quit,
    Signal(&'static str),
    EngineStopped,
}

pub async fn run(mut app: App, mut engine: Engine, view: ViewConfig) -> color_eyre::Result<Exit> {
    use std::io::IsTerminal;
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        color_eyre::eyre::bail!(
            "the dashboard needs a terminal; for scripts and pipes use `--headless` (with `--json`)"
        );
    }
    // try_init installs a panic hook that restores the terminal before the report.
    let mut terminal = match ratatui::try_init() {
        Ok(t) => t,
        Err(error) => {
            ratatui::restore();
            return Err(color_eyre::eyre::eyre!(
                "cannot set up the terminal: {error}"
            ));
        }
    };
    let result = event_loop(&mut terminal, &mut app, &mut engine, &view).await;
    ratatui::restore();
    result
}

async fn event_loop(
    terminal: &mut ratatui::DefaultTerminal,
    app: &mut App,
    engine: &mut Engine,
    view: &ViewConfig,
) -> color_eyre::Result<Exit> {
    let size = terminal.size()?;
    app.resize(size.width, size.height);
    let mut keys = EventStream::new();
    let mut signals = Signals::new()?;
    let mut dirty = true;
    // When the screen would next read differently with nothing else happening (an age
    // or countdown moving on, a source turning stale); None: not until something happens.
    let mut next_change = None;
    loop {
        if dirty {
            terminal.draw(|frame| next_change = draw(frame, app, view))?;
            dirty = false;
            test_panic();
        }
        let wake_at = next_change.map(|at| app.clock.instant_at(at));
        let clock_moves = async move {
            match wake_at {
                Some(at) => tokio::time::sleep_until(at).await,
                None => std::future::pending().await,
            }
        };
        if app.take_bell() {
            use std::io::Write;
            let out = terminal.backend_mut();
            out.write_all(b"\x07")?;
            out.flush()?;
        }
        tokio::select! {
            event = keys.next() => match event {
                Some(Ok(Event::Key(key))) => {
                    if let Some(job) = app.on_key(key) {
                        // The worker may be gone only if the engine stopped; the key still shows.
                        let _ = engine.jobs.send(job);
                    }
                    dirty = true;
                }
                Some(Ok(Event::Resize(width, height))) => {
                    app.resize(width, height);
                    dirty = true;
                }
                Some(Ok(_)) => {}
                Some(Err(error)) => return Err(error.into()),
                None => return Ok(Exit::Quit),
            },
            update = engine.updates.recv() => match update {
                Some(update) => {
                    // Updates come in bursts (a poll's data, then its health): one frame
                    // for all of them, and none when none of them changed the screen.
                    dirty |= app.on_update(update);
                    while let Ok(more) = engine.updates.try_recv() {
                        dirty |= app.on_update(more);
                    }
                    for job in app.jobs.drain(..) {
                        let _ = engine.jobs.send(job);
                    }
                }
                None => return Ok(Exit::EngineStopped),
            },
            () = clock_moves => dirty = true,
            name = signals.next() => return Ok(Exit::Signal(name)),
        }
        if app.quit {
            return Ok(Exit::Quit);
        }
    }
}

/// Debug builds only: `SECRETWATCH_TEST_PANIC=1` panics after the first draw, so the
/// end-to-end tests can show that a panic restores the terminal and is logged.
fn test_panic() {
    #[cfg(debug_assertions)]
    if std::env::var_os("SECRETWATCH_TEST_PANIC").is_some() {
        panic!("SECRETWATCH_TEST_PANIC is set: panicking on purpose");
    }
}

/// SIGTERM, SIGHUP and SIGINT (from `kill`, not the keyboard: in raw mode Ctrl-C is a
/// key) end the dashboard like `q` does, so the terminal is restored.
struct Signals {
    term: tokio::signal::unix::Signal,
    hup: tokio::signal::unix::Signal,
    int: tokio::signal::unix::Signal,
}

impl Signals {
    fn new() -> std::io::Result<Self> {
        use tokio::signal::unix::{SignalKind, signal};
        Ok(Self {
            term: signal(SignalKind::terminate())?,
            hup: signal(SignalKind::hangup())?,
            int: signal(SignalKind::interrupt())?,
        })
    }

    async fn next(&mut self) -> &'static str {
        tokio::select! {
            _ = self.term.recv() => "SIGTERM",
            _ = self.hup.recv() => "SIGHUP",
            _ = self.int.recv() => "SIGINT",
        }
    }
}
