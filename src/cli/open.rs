//! Opens the account a command asks for (the embedded one, or AWS through the config
//! and the flags), with everything a front end needs around it.

use super::args::TargetArgs;
use crate::clock::Clock;
use crate::cloud::admin::ChainAdmin;
use crate::cloud::aws::{AwsCloud, Target};
use crate::cloud::names::ChainNames;
use crate::cloud::sim::{Scenario, SimCloud, SimConfig};
use crate::cloud::{Cloud, CloudError, Disconnected};
use crate::config::FileConfig;
use crate::engine::EngineConfig;
use crate::ui::ViewConfig;
use std::sync::Arc;

/// Everything a front end needs: the account, its clock, and what to poll.
pub struct Opened {
    /// The focused scope.
    pub cloud: Arc<dyn Cloud>,
    /// The other scopes watched (`--regions`), each its own account view; empty: one scope.
    pub others: Vec<(crate::cloud::scope::Scope, Arc<dyn Cloud>)>,
    /// What can change each other scope, for setup (none under --read-only).
    pub other_admins: super::accounts::Admins,
    /// What `--regions all` left out, or why it could not list the regions.
    pub scope_note: Option<String>,
    /// The scope the accesses are narrowed to (`--scope`).
    pub narrowed: Option<crate::store::ScopeFilter>,
    pub clock: Clock,
    pub engine: EngineConfig,
    pub view: ViewConfig,
    /// Why the backend could not be set up; the dashboard opens anyway and says so.
    pub connect_error: Option<CloudError>,
    pub test_secret: String,
    /// The chain's resource names.
    pub names: ChainNames,
    /// What can change the account: None when read-only or not built.
    pub admin: Option<Arc<dyn ChainAdmin>>,
    pub read_only: bool,
    /// The acknowledgements in the journal at start.
    pub acks: Vec<crate::ack::Ack>,
    /// What was wrong with the journal (damaged lines, or no place for it).
    pub journal_warning: Option<String>,
    pub first_seen: crate::config::FirstSeenSettings,
    /// Over the embedded account (its baseline is kept apart).
    pub demo: bool,
}

impl Opened {
    /// The first-seen baseline, from the state directory (`persist`) or for this run only.
    /// When it is made now, the first events poll reads the history it learns from.
    pub fn open_baseline(&mut self, persist: bool) -> crate::baseline::Baseline {
        use crate::state_file::StateFile;
        let now = self.clock.now();
        let learn = std::time::Duration::from_secs(self.first_seen.learn_mins * 60);
        let from = now - chrono::TimeDelta::from_std(learn).unwrap_or(chrono::TimeDelta::zero());
        let name = crate::baseline::file_name(self.demo);
        let file = persist.then(|| StateFile::in_state_dir(name)).flatten();
        let baseline = crate::baseline::Baseline::open(file, now, from);
        if baseline.learning_from.is_some() {
            self.engine.backfill = self.engine.backfill.max(learn);
        }
        baseline
    }

    /// The principals marked expected, from the state directory (the embedded account's
    /// apart from AWS's).
    pub fn open_expected(&self) -> crate::expected::Expected {
        let name = crate::expected::file_name(self.demo);
        crate::expected::Expected::open(crate::state_file::StateFile::in_state_dir(name))
    }

    /// The traces kept in the state directory (the embedded account's apart from AWS's).
    pub fn open_traces(&self) -> crate::trace::book::TraceBook {
        let name = crate::trace::book::file_name(self.demo);
        crate::trace::book::TraceBook::open(crate::state_file::StateFile::in_state_dir(name))
    }

    /// The engine over every scope opened; with `admin`, the worker can apply setup.
    pub fn start_engine(&self, admin: bool) -> crate::engine::Engine {
        crate::engine::Engine::start_scopes(
            self.cloud.clone(),
            admin.then(|| self.admin.clone()).flatten(),
            self.others.clone(),
            self.clock,
            self.engine.clone(),
        )
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
        // The embedded organization's management account keeps its organization trail.
        sim.organization_trail = super::accounts::organization_asked(target, file);
        let sim_names = sim.names.clone();
        let mut engine = EngineConfig::for_account(&sim);
        engine.secrets = target.secrets.clone();
        let (acks, journal_warning) = journal(&mut engine);
        let view = view(&sim.names);
        let test_secret = target
            .test_secret
            .clone()
            .unwrap_or_else(|| sim.names.secret.clone());
        engine.test_secret = test_secret.clone();
        let listed = super::scopes::listed(target, file);
        if let Some(focus) = super::scopes::focus(target, &listed) {
            sim.region = focus;
        }
        let account = SimCloud::new(sim.clone(), clock);
        let (regions, scope_note) = super::scopes::resolve(&account, &sim.region, &listed).await;
        let (others, other_admins) = super::accounts::in_demo(target, file, &sim, &regions, clock);
        let admin: Option<Arc<dyn ChainAdmin>> =
            (!target.read_only).then(|| Arc::new(account.clone()) as _);
        return Opened {
            others,
            other_admins,
            scope_note,
            narrowed: target.scope.clone(),
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
            first_seen: file.first_seen,
            demo: true,
        };
    }
    let names = file.names.clone();
    let mut engine = file.engine(&target.secrets, rand::random());
    // Watching (--secret) and the test secret are apart: a typo in a watch filter is never
    // read, nor created by setup.
    let test_secret = target
        .test_secret
        .clone()
        .unwrap_or_else(|| names.secret.clone());
    engine.test_secret = test_secret.clone();
    let (acks, journal_warning) = journal(&mut engine);
    let listed = super::scopes::listed(target, file);
    let aws_target = Target {
        profile: super::accounts::profiles(target, file).first().cloned(),
        region: super::scopes::focus(target, &listed),
        endpoint_url: target.endpoint_url.clone(),
        role_arn: None,
        http_client: None,
    };
    let focused = AwsCloud::connect(&aws_target).await;
    let (others, other_admins, scope_note) = match &focused {
        Ok(cloud) => {
            let (regions, note) = super::scopes::resolve(cloud, &cloud.region(), &listed).await;
            let shared = Target {
                http_client: cloud.http_client(),
                ..aws_target.clone()
            };
            let focused = (cloud, &shared);
            let (others, admins, notes) =
                super::accounts::on_aws(target, file, &names, focused, &regions).await;
            let notes: Vec<String> = note.into_iter().chain(notes).collect();
            (
                others,
                admins,
                (!notes.is_empty()).then(|| notes.join(" · ")),
            )
        }
        Err(_) => (Vec::new(), Vec::new(), None),
    };
    let (cloud, admin, connect_error): (Arc<dyn Cloud>, Option<Arc<dyn ChainAdmin>>, _) =
        match focused {
            Ok(cloud) => {
                let cloud = cloud.with_queues(&names);
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
        others,
        other_admins,
        scope_note,
        narrowed: target.scope.clone(),
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
        first_seen: file.first_seen,
        demo: false,
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

fn view(names: &ChainNames) -> ViewConfig {
    ViewConfig {
        metric_name: names.metric_name.clone(),
        period: names.alarm_period,
        alarm_name: names.alarm.clone(),
    }
}
