//! Which secrets are watched, and whether an access names one of them. A caller may name
//! a secret three ways (its name, its ARN, or its ARN without the six-character random
//! suffix, the "partial ARN") and CloudTrail records whichever it passed, so each watched
//! secret is resolved once (DescribeSecret) and then recognised by all three
//! (`cloud::secret_ref`). One function decides: the timeline, `events`, a filter and a
//! first-seen baseline ask it.

use crate::cloud::secret_ref::SecretRef;
use crate::cloud::{Cloud, CloudError, ErrorKind};

/// One secret the user asked to watch, as given (name, ARN or partial ARN).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WatchedSecret {
    Resolved(SecretRef),
    /// DescribeSecret could not say which secret this is: only reads that name it exactly
    /// as given are recognised, and the user is told why.
    Unresolved {
        given: String,
        why: String,
        /// DescribeSecret said it does not exist (rather than that it may not be described).
        missing: bool,
    },
}

impl WatchedSecret {
    pub fn is_named_by(&self, secret_id: &str) -> bool {
        match self {
            WatchedSecret::Resolved(secret) => secret.is_named_by(secret_id),
            WatchedSecret::Unresolved { given, .. } => secret_id == given,
        }
    }

    /// What to tell the user about a secret that could not be resolved.
    pub fn warning(&self) -> Option<String> {
        match self {
            WatchedSecret::Resolved(_) => None,
            WatchedSecret::Unresolved {
                given,
                missing: true,
                ..
            } => Some(format!(
                "no secret {given} in this account and region (DescribeSecret): check the \
                 name and the region; only reads that name it exactly so are shown"
            )),
            WatchedSecret::Unresolved { given, why, .. } => Some(format!(
                "secret {given}: {why}; only reads that name it exactly so are shown"
            )),
        }
    }
}

/// The secrets whose accesses are shown; none listed means every secret.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Watch {
    pub secrets: Vec<WatchedSecret>,
}

impl Watch {
    /// Whether an access with this `secretId` is shown.
    pub fn shows(&self, secret_id: &str) -> bool {
        self.secrets.is_empty() || self.secrets.iter().any(|s| s.is_named_by(secret_id))
    }

    /// Resolves each secret once. A secret that does not exist, or that the caller may not
    /// describe, stays unresolved (and says why); a transient failure is returned, so the
    /// caller retries rather than settling for less.
    pub async fn resolve(cloud: &dyn Cloud, given: &[String]) -> Result<Self, CloudError> {
        let mut secrets = Vec::with_capacity(given.len());
        for id in given {
            let (why, missing) = match cloud.describe_secret(id).await {
                Ok(Some(info)) if !info.arn.is_empty() => {
                    secrets.push(WatchedSecret::Resolved(SecretRef::new(info.name, info.arn)));
                    continue;
                }
                Ok(Some(_)) => ("DescribeSecret gave no ARN".to_string(), false),
                Ok(None) => ("no such secret (DescribeSecret)".to_string(), true),
                Err(e) if transient(&e) => return Err(e),
                Err(e) => (e.short(), false),
            };
            tracing::warn!(secret = %id, %why, "watched secret not resolved");
            secrets.push(WatchedSecret::Unresolved {
                given: id.clone(),
                why,
                missing,
            });
        }
        Ok(Self { secrets })
    }

    /// The watched secrets that could not be resolved.
    pub fn unresolved(&self) -> impl Iterator<Item = &WatchedSecret> {
        self.secrets
            .iter()
            .filter(|s| matches!(s, WatchedSecret::Unresolved { .. }))
    }
}

fn transient(error: &CloudError) -> bool {
    matches!(
        error.kind,
        ErrorKind::Throttled | ErrorKind::Unreachable | ErrorKind::Service
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const ARN: &str = "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod-db-AbC123";
    const PARTIAL: &str = "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod-db";
    const OTHER_ARN: &str =
        "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod-db-password-XyZ789";
    const OTHER_PARTIAL: &str =
        "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod-db-password";

    fn prod_db() -> SecretRef {
        SecretRef::new("prod-db", ARN)
    }

    /// The embedded account answers DescribeSecret by name, ARN and partial ARN, as AWS does.
    #[tokio::test(start_paused = true)]
    async fn watched_by_any_form_it_resolves_to_one_secret_that_every_form_names() {
        use crate::cloud::sim::{Scenario, SimCloud, SimConfig};
        let clock = crate::clock::Clock::system();
        let sim = SimCloud::new(SimConfig::demo(7, Scenario::Bare), clock);
        let by_name = Watch::resolve(&sim, &["TopSecretInfo".into()])
            .await
            .expect("resolves");
        let [WatchedSecret::Resolved(secret)] = by_name.secrets.as_slice() else {
            panic!("not resolved: {by_name:?}");
        };
        let partial = secret.partial_arn().expect("a partial ARN").to_string();
        assert!(secret.arn.starts_with(&format!("{partial}-")));
        for given in [secret.name.clone(), secret.arn.clone(), partial.clone()] {
            let watch = Watch::resolve(&sim, std::slice::from_ref(&given))
                .await
                .expect("resolves");
            assert_eq!(watch, by_name, "watched as {given}");
            for read in [&secret.name, &secret.arn, &partial] {
                assert!(watch.shows(read), "watched as {given}, read as {read}");
            }
        }
        let missing = Watch::resolve(&sim, &["NoSuchSecret".into()])
            .await
            .expect("a missing secret is not an error");
        assert!(matches!(
            missing.secrets.as_slice(),
            [WatchedSecret::Unresolved { missing: true, .. }]
        ));
        assert_eq!(missing.unresolved().count(), 1);
        let warning = missing.secrets[0].warning().expect("a warning");
        assert!(warning.starts_with("no secret NoSuchSecret in this account and region"));
    }

    #[test]
    fn a_longer_hyphenated_name_is_another_secret() {
        // `:secret:prod-db-` is a prefix of prod-db-password's ARN: it must not match.
        let watch = Watch {
            secrets: vec![WatchedSecret::Resolved(prod_db())],
        };
        for read in [
            "prod-db-password",
            OTHER_ARN,
            OTHER_PARTIAL,
            "prod-d",
            "Prod-db",
        ] {
            assert!(!watch.shows(read), "{read}");
        }
        // And the other way round: watching prod-db-password never shows prod-db.
        let other = Watch {
            secrets: vec![WatchedSecret::Resolved(SecretRef::new(
                "prod-db-password",
                OTHER_ARN,
            ))],
        };
        for read in ["prod-db", ARN, PARTIAL] {
            assert!(!other.shows(read), "{read}");
        }
    }

    #[test]
    fn an_unresolved_secret_matches_only_as_given_and_says_so() {
        let watched = WatchedSecret::Unresolved {
            given: "prod-db".into(),
            why: "AccessDeniedException: not authorized".into(),
            missing: false,
        };
        assert!(watched.is_named_by("prod-db"));
        assert!(!watched.is_named_by(ARN));
        let warning = watched.warning().expect("a warning");
        assert!(warning.contains("prod-db") && warning.contains("not authorized"));
    }

    #[test]
    fn watching_nothing_shows_everything() {
        assert!(Watch::default().shows("anything"));
    }
}
