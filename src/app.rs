//! Wiring: reads the config, opens the backend a command asks for, and hands it to
//! the dashboard, the headless stream or a one-shot command.

use crate::cli::{Cli, Command, DemoArgs, TargetArgs};
use crate::clock::Clock;
use crate::cloud::admin::ChainAdmin;
use crate::cloud::aws::{AwsCloud, Target};
use crate::cloud::sim::{Scenario, SimCloud, SimConfig};
use crate::cloud::{Cloud, CloudError, Disconnected};
use crate::config::{self, FileConfig};
use crate::engine::{Engine, EngineConfig};
use crate::ui::ViewConfig;
use crate::ui::app::App;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

/// Everything a front end needs: the account, its clock, and what to poll.
pub struct Opened {
    pub cloud: Arc<dyn Cloud>,
    pub clock: Clock,
    pub engine: EngineConfig,
    pub view: ViewConfig,
    /// Why the backend could not be set up; the dashboard opens anyway and says so.
    pub connect_error: Option<CloudError>,
    pub test_secret: String,
    /// The chain's resource names.
    pub names: crate::cloud::sim::ChainNames,
    /// What can change the account: None when read-only or not built.
    pub admin: Option<Arc<dyn ChainAdmin>>,
    pub read_only: bool,
    /// The acknowledgements in the journal at start.
    pub acks: Vec<crate::ack::Ack>,
    /// What was wrong with the journal (damaged lines, or no place for it).
    pub journal_warning: Option<String>,
}

pub fn main(cli: Cli) -> ExitCode {
    // What secretwatch says about itself needs no config, runtime or account.
    if cli.version {
        return crate::self_doc::version(cli.target.config.as_deref());
    }
    match &cli.command {
        Some(Command::Completions { shell }) => return crate::self_doc::completions(*shell),
        Some(Command::Man) => return crate::self_doc::man(),
        _ => {}
    }
    let file = match config::load(cli.target.config.as_deref()) {
        Ok((file, path)) => {
            tracing::info!(config = ?path, "configuration loaded");
            file
        }
        Err(error) => {
            eprintln!("secretwatch: {error}");
            return ExitCode::from(2);
        }
    };
    let command = cli.command.unwrap_or(Command::Watch);
    // Simulated time can run ahead of the wall clock only on a paused current-thread runtime.
    let fast = matches!(&command, Command::Demo(a) if a.fast);
    // One thread: the dashboard waits on the network and the terminal, and threads that
    // wake one another cost an idle screen more than the work itself.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .start_paused(fast)
        .build();
    match runtime {
        Ok(rt) => rt.block_on(run(command, cli.target, file)),
        Err(error) => {
            eprintln!("secretwatch: cannot start the async runtime: {error}");
            ExitCode::from(1)
        }
    }
}

async fn run(command: Command, target: TargetArgs, file: FileConfig) -> ExitCode {
    match command {
        Command::Demo(args) => demo(args, &target).await,
        Command::Watch => {
            let opened = open(&target, &file, None).await;
            dashboard(opened).await
        }
        Command::Events(args) => {
            crate::commands::events(open(&target, &file, None).await, args).await
        }
        Command::TestAccess(args) => {
            crate::commands::test_access(open(&target, &file, None).await, args).await
        }
        Command::Status(args) => {
            crate::commands::status(open(&target, &file, None).await, args).await
        }
        Command::Doctor(args) => {
            crate::commands::doctor(open(&target, &file, None).await, args).await
        }
        Command::Setup(args) => crate::setup_cmd::run(open(&target, &file, None).await, args).await,
        Command::Ack(args) => crate::ack_cmd::run(open(&target, &file, None).await, args).await,
        Command::Completions { .. } | Command::Man => ExitCode::SUCCESS,
    }
}

async fn demo(args: DemoArgs, target: &TargetArgs) -> ExitCode {
    let seed = args.seed.unwrap_or_else(rand::random);
    tracing::info!(seed, scenario = ?target.scenario, headless = args.headless, "demo starting");
    let opened = open(
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
        return dashboard(opened).await;
    }
    let engine = Engine::start(opened.cloud, opened.clock, opened.engine);
    let duration = args.duration.map(Duration::from_secs);
    let mut out = std::io::stdout().lock();
    let result = crate::headless::run(engine, opened.clock, duration, args.json, &mut out).await;
    finish(result)
}

async fn dashboard(opened: Opened) -> ExitCode {
    let marker = format!("secretwatch-test-{}", std::process::id());
    let mut app = App::new(opened.clock, marker);
    app.read_only = opened.read_only;
    app.store.acks = crate::ack::AckBook::new(opened.acks);
    if let Some(warning) = opened.journal_warning {
        let until = opened.clock.now() + chrono::TimeDelta::seconds(30);
        app.flash = Some((warning, until));
    }
    let engine = Engine::start_with_admin(opened.cloud, opened.admin, opened.clock, opened.engine);
    // The chain strip fills as soon as the doctor has looked.
    if engine.commands.send(crate::engine::Command::Doctor).is_ok() {
        app.store.chain_checking = true;
    }
    let result = crate::ui::tui::run(app, engine, opened.view).await;
    match result {
        Ok(exit) => {
            tracing::info!(?exit, code = exit.code(), "dashboard stopped");
            ExitCode::from(exit.code())
        }
        Err(error) => {
            tracing::error!(%error, "dashboard failed");
            finish(Err(error))
        }
    }
}

fn finish(result: color_eyre::Result<()>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("secretwatch: {error}");
            ExitCode::from(1)
        }
    }
}

/// The embedded account a demo runs over.
#[derive(Debug, Clone, Copy)]
pub struct Demo {
    pub scenario: Scenario,
    pub seed: u64,
    /// No actors: the account is quiet unless the user acts.
    pub quiet: bool,
}

/// The embedded account when `demo` is given (or `--demo`), else the AWS account.
pub async fn open(target: &TargetArgs, file: &FileConfig, demo: Option<Demo>) -> Opened {
    let clock = Clock::system();
    let demo = demo.or(target.demo.then(|| Demo {
        scenario: target.scenario,
        seed: rand::random(),
        quiet: false,
    }));
    if let Some(Demo {
        scenario,
        seed,
        quiet,
    }) = demo
    {
        let mut sim = SimConfig::demo(seed, scenario);
        if quiet {
            sim.actors.clear();
            sim.noise = false;
        }
        let sim_names = sim.names.clone();
        let mut engine = EngineConfig::demo(&sim.names, seed);
        engine.secrets = target.secrets.clone();
        let (acks, journal_warning) = journal(&mut engine);
        let view = view(&sim.names);
        let test_secret = sim.names.secret.clone();
        let account = SimCloud::new(sim, clock);
        let admin: Option<Arc<dyn ChainAdmin>> =
            (!target.read_only).then(|| Arc::new(account.clone()) as _);
        return Opened {
            admin,
            read_only: target.read_only,
            cloud: Arc::new(account),
            clock,
            engine,
            view,
            connect_error: None,
            test_secret,
            names: sim_names,
            acks,
            journal_warning,
        };
    }
    let names = file.names.chain();
    let mut engine = file.engine(&target.secrets, rand::random());
    let test_secret = target
        .secrets
        .first()
        .cloned()
        .unwrap_or(names.secret.clone());
    engine.test_secret = test_secret.clone();
    let (acks, journal_warning) = journal(&mut engine);
    let aws_target = Target {
        profile: target.profile.clone(),
        region: target.region.clone(),
        endpoint_url: target.endpoint_url.clone(),
    };
    let (cloud, admin, connect_error): (Arc<dyn Cloud>, Option<Arc<dyn ChainAdmin>>, _) =
        match AwsCloud::connect(&aws_target).await {
            Ok(cloud) => {
                // Under --read-only nothing that can change the account is built.
                let admin = (!target.read_only).then(|| Arc::new(cloud.admin()) as _);
                (Arc::new(cloud), admin, None)
            }
            Err(error) => (
                Arc::new(Disconnected {
                    error: error.clone(),
                }),
                None,
                Some(error),
            ),
        };
    Opened {
        cloud,
        clock,
        engine,
        view: view(&names),
        connect_error,
        test_secret,
        names,
        admin,
        read_only: target.read_only,
        acks,
        journal_warning,
    }
}

/// Finds and reads the acknowledgement journal, and tells the engine where it is.
fn journal(engine: &mut EngineConfig) -> (Vec<crate::ack::Ack>, Option<String>) {
    use crate::ack::journal::Journal;
    let journal = match Journal::default_location() {
        Ok(j) => j,
        Err(error) => {
            tracing::warn!(%error, "no acknowledgement journal");
            return (Vec::new(), Some(error.to_string()));
        }
    };
    let result = journal.load();
    let path = journal.path().to_path_buf();
    engine.journal = Some(journal);
    match result {
        Ok(loaded) => {
            let warning = loaded.warning(&path);
            if let Some(w) = &warning {
                tracing::warn!(warning = %w, "acknowledgement journal damaged");
            }
            tracing::info!(path = %path.display(), acks = loaded.acks.len(), "journal loaded");
            (loaded.acks, warning)
        }
        Err(error) => {
            tracing::error!(%error, "acknowledgement journal unreadable");
            (Vec::new(), Some(error.to_string()))
        }
    }
}

fn view(names: &crate::cloud::sim::ChainNames) -> ViewConfig {
    ViewConfig {
        metric_name: names.metric.name.clone(),
        period: names.alarm_period,
        alarm_name: names.alarm.clone(),
    }
}
