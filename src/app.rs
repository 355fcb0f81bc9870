//! Wiring: builds the backend, the engine and the front end a command asks for.

use crate::cli::DemoArgs;
use crate::clock::Clock;
use crate::cloud::sim::{SimCloud, SimConfig};
use crate::engine::{Engine, EngineConfig};
use crate::ui::ViewConfig;
use crate::ui::app::App;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

pub fn demo(args: DemoArgs) -> ExitCode {
    let seed = args.seed.unwrap_or_else(rand::random);
    tracing::info!(seed, scenario = ?args.scenario, headless = args.headless, "demo starting");
    // Simulated time can run ahead of the wall clock only on a paused current-thread runtime.
    let runtime = if args.fast {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .start_paused(true)
            .build()
    } else {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
    };
    let runtime = match runtime {
        Ok(rt) => rt,
        Err(error) => {
            eprintln!("secretwatch: cannot start the async runtime: {error}");
            return ExitCode::from(1);
        }
    };
    let result = runtime.block_on(async move {
        let clock = Clock::system();
        let config = SimConfig::demo(seed, args.scenario);
        let engine_config = EngineConfig::demo(&config.names, seed);
        let view = ViewConfig {
            metric_name: config.names.metric.name.clone(),
            period: config.names.alarm_period,
            alarm_name: config.names.alarm.clone(),
        };
        let cloud = Arc::new(SimCloud::new(config, clock));
        let engine = Engine::start(cloud, clock, engine_config);
        if args.headless {
            let duration = args.duration.map(Duration::from_secs);
            let mut out = std::io::stdout().lock();
            crate::headless::run(engine, clock, duration, args.json, &mut out).await
        } else {
            let app = App::new(clock, format!("secretwatch-test-{seed}"));
            let exit = crate::ui::tui::run(app, engine, view).await?;
            tracing::info!(?exit, "dashboard stopped");
            Ok(())
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(%error, "demo failed");
            eprintln!("secretwatch: {error}");
            ExitCode::from(1)
        }
    }
}
