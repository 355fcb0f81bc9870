//! The other scopes a command watches beyond its focused one: the focused account's other
//! regions, the accounts of more profiles, and the accounts of the organization through an
//! assumed role; each account in each region watched. What could not be listed or opened
//! is said, never dropped silently.

use super::args::TargetArgs;
use crate::cloud::admin::ChainAdmin;
use crate::cloud::aws::{AwsCloud, Target};
use crate::cloud::names::ChainNames;
use crate::cloud::scope::Scope;
use crate::cloud::sim::{SimCloud, SimConfig};
use crate::cloud::{Cloud, CloudError, Disconnected, ErrorKind};
use crate::config::FileConfig;
use std::sync::Arc;

pub type Others = Vec<(Scope, Arc<dyn Cloud>)>;

/// What can change a scope's account, built when setup asks (not before: most runs never
/// change anything), and never under `--read-only`.
pub type AdminFor = Arc<dyn Fn() -> Arc<dyn ChainAdmin> + Send + Sync>;
pub type Admins = Vec<(Scope, AdminFor)>;

/// The profiles asked for: `--profile` (repeated), else the config's; the first focused.
pub fn profiles(target: &TargetArgs, file: &FileConfig) -> Vec<String> {
    if target.profile.is_empty() {
        file.scopes.profiles.clone()
    } else {
        target.profile.clone()
    }
}

/// Whether the organization's accounts are watched (`--organization` or the config).
pub fn organization_asked(target: &TargetArgs, file: &FileConfig) -> bool {
    organization(target, file).is_some()
}

fn organization(target: &TargetArgs, file: &FileConfig) -> Option<String> {
    (target.organization || file.scopes.organization)
        .then(|| target.role.clone().unwrap_or(file.scopes.role.clone()))
}

/// An ARN's partition (`aws`, `aws-cn`, `aws-us-gov`).
fn partition(arn: &str) -> &str {
    arn.split(':')
        .nth(1)
        .filter(|p| !p.is_empty())
        .unwrap_or("aws")
}

/// On AWS: every scope but the focused one (whose account is `focused`), and notes.
pub async fn on_aws(
    target: &TargetArgs,
    file: &FileConfig,
    names: &ChainNames,
    focused: (&AwsCloud, &Target),
    regions: &[String],
) -> (Others, Admins, Vec<String>) {
    let (cloud, base) = focused;
    let regions: Vec<String> = if regions.is_empty() {
        vec![cloud.region()]
    } else {
        regions.to_vec()
    };
    let mut targets: Vec<(String, Target)> = Vec::new();
    for region in regions.iter().skip(1) {
        targets.push((String::new(), base.clone().in_region(region)));
    }
    for profile in profiles(target, file).iter().skip(1) {
        for region in &regions {
            let t = Target {
                profile: Some(profile.clone()),
                ..base.clone().in_region(region)
            };
            targets.push((String::new(), t));
        }
    }
    let mut notes = Vec::new();
    if let Some(role) = organization(target, file) {
        match members(cloud).await {
            Ok((partition, members)) => {
                for id in members {
                    let role_arn = format!("arn:{partition}:iam::{id}:role/{role}");
                    for region in &regions {
                        let t = Target {
                            role_arn: Some(role_arn.clone()),
                            ..base.clone().in_region(region)
                        };
                        targets.push((id.clone(), t));
                    }
                }
            }
            Err(error) => notes.push(format!(
                "--organization: the organization's accounts could not be listed ({error}); \
                 run from its management account or a delegated administrator"
            )),
        }
    }
    let mut others: Others = Vec::new();
    let mut admins: Admins = Vec::new();
    for (account, t) in targets {
        let scope = Scope::new(account, t.region.clone().unwrap_or_default());
        let cloud: Arc<dyn Cloud> = match AwsCloud::connect(&t).await {
            Ok(cloud) => {
                let cloud = Arc::new(cloud.with_queues(names));
                if !target.read_only {
                    let account = cloud.clone();
                    let admin: AdminFor = Arc::new(move || Arc::new(account.admin()) as _);
                    admins.push((scope.clone(), admin));
                }
                cloud
            }
            Err(error) => Arc::new(Disconnected { error }),
        };
        others.push((scope, cloud));
    }
    (others, admins, notes)
}

/// The organization's active accounts other than the caller's, and the partition.
async fn members(cloud: &AwsCloud) -> Result<(String, Vec<String>), CloudError> {
    let me = cloud.identity().await?;
    let accounts = cloud.organization_accounts().await?;
    let ids = accounts
        .into_iter()
        .filter(|a| a.active && a.id != me.account)
        .map(|a| a.id)
        .collect();
    Ok((partition(&me.principal).to_string(), ids))
}

/// Over the embedded account: its other regions, and with `--organization` the embedded
/// organization's members (`payments`, whose role can be assumed and whose alarm is on
/// Average, a broken chain; `sandbox`, where it cannot be assumed; `logistics`, whose
/// chain is the management account's through the organization trail).
pub fn in_demo(
    target: &TargetArgs,
    file: &FileConfig,
    sim: &SimConfig,
    regions: &[String],
    clock: crate::clock::Clock,
) -> (Others, Admins) {
    let regions: Vec<String> = if regions.is_empty() {
        vec![sim.region.clone()]
    } else {
        regions.to_vec()
    };
    let mut accounts = vec![sim.account.clone()];
    let role = organization(target, file);
    if role.is_some() {
        accounts.extend(
            crate::cloud::sim::organization()
                .into_iter()
                .map(|a| a.id)
                .filter(|id| *id != sim.account),
        );
    }
    let mut others: Others = Vec::new();
    let mut admins: Admins = Vec::new();
    for (a, account) in accounts.iter().enumerate() {
        for (r, region) in regions.iter().enumerate() {
            if a == 0 && r == 0 {
                continue;
            }
            let scope = Scope::new(account.as_str(), region.as_str());
            if account == crate::cloud::sim::SANDBOX {
                let role = role.as_deref().unwrap_or_default();
                let error = CloudError::new(
                    "AssumeRole",
                    ErrorKind::AccessDenied,
                    format!(
                        "User: arn:aws:iam::{}:user/demo-analyst is not authorized to perform: \
                         sts:AssumeRole on resource: arn:aws:iam::{account}:role/{role}",
                        sim.account
                    ),
                );
                others.push((scope, Arc::new(Disconnected { error })));
                continue;
            }
            let mut other = sim.clone();
            // The member `payments` alarms on Average: a scope whose chain is broken.
            if account == crate::cloud::sim::PAYMENTS {
                other.scenario = crate::cloud::sim::Scenario::AverageTrap;
            }
            // The member `logistics` has no chain: the organization trail's is its own.
            if account == crate::cloud::sim::LOGISTICS {
                other.scenario = crate::cloud::sim::Scenario::OrganizationMember;
            }
            other.account = account.clone();
            other.region = region.clone();
            other.seed = sim.seed.wrapping_add((a * regions.len() + r) as u64);
            let account = Arc::new(SimCloud::new(other, clock));
            if !target.read_only {
                let changed = account.clone();
                let admin: AdminFor = Arc::new(move || changed.clone() as _);
                admins.push((scope.clone(), admin));
            }
            others.push((scope, account));
        }
    }
    (others, admins)
}
