//! `watch` and `demo`: the dashboard over an account, or over the embedded one (also
//! headless).

use super::args::{DemoArgs, TargetArgs};
use super::exit::Exit;
use super::open::{Demo, Opened, open};
use super::output::complain;
use crate::config::FileConfig;
use crate::engine::Job;
use crate::ui::app::App;
use std::time::Duration;

pub async fn demo(args: DemoArgs, target: &TargetArgs) -> Exit {
    let seed = args.seed.unwrap_or_else(rand::random);
    tracing::info!(seed, scenario = ?target.scenario, headless = args.headless, "demo starting");
    let mut opened = open(
        target,
        &FileConfig::default(),
        Some(Demo {
            scenario: target.scenario,
            seed,
            quiet: args.quiet,
        }),
    )
    .await;
    if !args.headless {
        return watch(opened).await;
    }
    let Some(filter) = super::events::read_filter(args.filter.as_deref(), opened.clock.now())
    else {
        return Exit::CannotRun;
    };
    // Headless runs tell the same story for the same seed: their baseline is the run's own.
    let mut store = crate::store::Store::default();
    store.baseline = opened.open_baseline(false);
    let engine = opened.start_engine(false);
    let duration = args.duration.map(Duration::from_secs);
    let mut out = std::io::stdout().lock();
    let result = super::headless::run(
        engine,
        store,
        opened.clock,
        duration,
        super::headless::Shown {
            json: args.json,
            filter,
        },
        &mut out,
    )
    .await;
    finish(result)
}

pub async fn watch(mut opened: Opened) -> Exit {
    let marker = format!("secretwatch-test-{}", std::process::id());
    let mut app = App::new(opened.clock, marker);
    app.read_only = opened.read_only;
    if let Ok(dir) = std::env::current_dir() {
        app.export_dir = dir;
    }
    app.store.narrowed = opened.narrowed.take();
    app.store.acks = crate::ack::AckBook::new(std::mem::take(&mut opened.acks));
    app.store.baseline = opened.open_baseline(true);
    app.store.expected = opened.open_expected();
    app.store.trace_book = opened.open_traces();
    app.first_seen_bell = opened.first_seen.bell;
    let baseline_trouble = app.store.baseline.trouble.clone();
    let notes = [
        opened.journal_warning.take(),
        opened.scope_note.take(),
        baseline_trouble,
        app.store.expected.trouble.clone(),
        app.store.trace_book.trouble.clone(),
    ];
    let notes: Vec<String> = notes.into_iter().flatten().collect();
    if !notes.is_empty() {
        let warning = notes.join(" · ");
        let until = opened.clock.now() + chrono::TimeDelta::seconds(30);
        app.flash = Some((warning, until));
    }
    let engine = opened.start_engine(true);
    // The chain strip fills as soon as the doctor has looked.
    if engine.jobs.send(Job::Doctor { every_scope: false }).is_ok() {
        app.store.chain_checking = true;
    }
    let result = crate::ui::tui::run(app, engine, opened.view).await;
    match result {
        Ok(stopped) => {
            let exit = Exit::of_dashboard(stopped);
            tracing::info!(?stopped, code = exit.code(), "dashboard stopped");
            exit
        }
        Err(error) => {
            tracing::error!(%error, "dashboard failed");
            finish(Err(error))
        }
    }
}

fn finish(result: color_eyre::Result<()>) -> Exit {
    match result {
        Ok(()) => Exit::Ok,
        Err(error) => {
            complain(error);
            Exit::Failure
        }
    }
}
