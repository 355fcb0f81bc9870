//! Which regions a command watches: `--region`, `--regions` (or the config's `[scopes]`),
//! and `all`, the account's own list (ListRegions), naming the opt-in regions that are off.

use super::args::TargetArgs;
use crate::cloud::Cloud;
use crate::config::FileConfig;

/// The regions asked for, as given (`all` included); empty: one region.
pub fn listed(target: &TargetArgs, file: &FileConfig) -> Vec<String> {
    if target.regions.is_empty() {
        file.scopes.regions.clone()
    } else {
        target.regions.clone()
    }
}

/// The region to focus before the account is asked anything: `--region`'s, else the first
/// region named in the list; None: the profile's.
pub fn focus(target: &TargetArgs, listed: &[String]) -> Option<String> {
    target
        .region
        .clone()
        .or_else(|| listed.iter().find(|r| *r != "all").cloned())
}

/// The regions watched, `focused` first, each once; `all` becomes the account's enabled
/// regions. The note says what was left out (opt-in regions that are off) or why the list
/// could not be read (then the named regions alone are watched).
pub async fn resolve(
    cloud: &dyn Cloud,
    focused: &str,
    listed: &[String],
) -> (Vec<String>, Option<String>) {
    if listed.is_empty() {
        return (Vec::new(), None);
    }
    let mut regions = vec![focused.to_string()];
    let mut note = None;
    for region in listed {
        if region != "all" {
            regions.push(region.clone());
            continue;
        }
        match cloud.regions().await {
            Ok(all) => {
                let (on, off): (Vec<_>, Vec<_>) = all.into_iter().partition(|r| r.enabled());
                regions.extend(on.into_iter().map(|r| r.name));
                if !off.is_empty() {
                    let off: Vec<String> = off
                        .iter()
                        .map(|r| format!("{} ({})", r.name, r.opt_status))
                        .collect();
                    note = Some(format!(
                        "--regions all: not watched, opt-in regions that are off: {}",
                        off.join(", ")
                    ));
                }
            }
            Err(error) => {
                note = Some(format!(
                    "--regions all: the account's regions could not be listed ({error}); \
                     watching the regions named alone. Name them: --regions us-east-1,eu-west-1"
                ));
            }
        }
    }
    let mut seen = std::collections::HashSet::new();
    regions.retain(|r| seen.insert(r.clone()));
    (regions, note)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::Clock;
    use crate::cloud::sim::{Scenario, SimCloud, SimConfig};
    use crate::cloud::{CloudError, Disconnected, ErrorKind};

    fn list(regions: &[&str]) -> Vec<String> {
        regions.iter().map(|r| r.to_string()).collect()
    }

    #[tokio::test(start_paused = true)]
    async fn all_is_the_regions_that_are_on_focused_first_and_the_off_ones_are_named() {
        let sim = SimCloud::new(SimConfig::demo(1, Scenario::Bare), Clock::system());
        let (regions, note) = resolve(&sim, "eu-west-1", &list(&["all", "us-east-2"])).await;
        assert_eq!(
            regions,
            list(&["eu-west-1", "us-east-1", "us-east-2", "ap-southeast-2"])
        );
        let note = note.expect("a note");
        assert!(
            note.ends_with("af-south-1 (DISABLED), me-south-1 (DISABLED)"),
            "{note}"
        );
        let (named, none) = resolve(&sim, "eu-west-1", &list(&["eu-west-1", "us-east-1"])).await;
        assert_eq!(named, list(&["eu-west-1", "us-east-1"]));
        assert_eq!(none, None);
        let (one, _) = resolve(&sim, "eu-west-1", &[]).await;
        assert!(one.is_empty(), "no list: the one region, no scopes");
    }

    #[tokio::test]
    async fn a_list_that_cannot_be_read_says_why_and_keeps_the_named_regions() {
        let cloud = Disconnected {
            error: CloudError::new(
                "ListRegions",
                ErrorKind::AccessDenied,
                "not authorized to perform: account:ListRegions",
            ),
        };
        let (regions, note) = resolve(&cloud, "eu-west-1", &list(&["all", "us-east-1"])).await;
        assert_eq!(regions, list(&["eu-west-1", "us-east-1"]));
        let note = note.expect("a note");
        assert!(note.contains("account:ListRegions"), "{note}");
        assert!(note.contains("--regions us-east-1,eu-west-1"), "{note}");
    }
}
