//! What an embedded account is made of: its scenario, names, timings, actors and past.

use super::actors::{Actor, demo_cast};
use super::scenario::Scenario;
use super::world::Timings;
use crate::cloud::names::ChainNames;
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct SimConfig {
    pub seed: u64,
    pub scenario: Scenario,
    pub names: ChainNames,
    pub timings: Timings,
    pub actors: Vec<Actor>,
    /// Background management events (what a metric filter turns into zeros).
    pub noise: bool,
    /// Simulated past before the start, so the dashboard opens with history.
    pub prehistory: Duration,
    /// Every API call takes this long, drawn uniformly.
    pub call_latency: (Duration, Duration),
    /// The scenario's trail is an organization trail (its files under `AWSLogs/o-ORGID/`).
    pub organization_trail: bool,
    /// The scope this account is: its account id and region.
    pub account: String,
    pub region: String,
}

impl SimConfig {
    pub fn demo(seed: u64, scenario: Scenario) -> Self {
        Self {
            seed,
            scenario,
            names: ChainNames::default(),
            timings: Timings::demo(),
            actors: demo_cast(),
            noise: true,
            prehistory: Duration::from_secs(50 * 60),
            call_latency: (Duration::from_millis(20), Duration::from_millis(120)),
            organization_trail: false,
            // A member of the organization is another account than its management one.
            account: match scenario {
                Scenario::OrganizationMember => super::regions::LOGISTICS.into(),
                _ => super::world::ACCOUNT.into(),
            },
            region: super::world::REGION.into(),
        }
    }
}
