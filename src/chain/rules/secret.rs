//! The secrets: the test secret (the one `t` reads and setup may create) and every watched
//! one exist in the account and region watched.

use crate::chain::{ChainLink as L, Finding, LinkState as S};
use crate::cloud::links::SecretInfo;

/// The test secret: missing, setup creates it.
pub fn secret(name: &str, found: Option<&SecretInfo>) -> Finding {
    match found {
        Some(s) => Finding::new(L::Secret, S::Ok, format!("test secret {} exists", s.name))
            .evidence(format!("DescribeSecret: {}", s.arn)),
        None => Finding::new(L::Secret, S::Broken, format!("no test secret {name} here"))
            .evidence(format!("DescribeSecret {name}: ResourceNotFoundException"))
            .fix(format!(
                "`s` then `y` (or `secretwatch setup`) creates {name}; or name another with \
                 --test-secret or names.secret, and check the region"
            )),
    }
}

/// A secret given to watch (`--secret`, the config's `secrets`): missing, it is a typo or
/// another region, never something to create.
pub fn watched_secret(given: &str, found: Option<&SecretInfo>) -> Finding {
    match found {
        Some(s) => Finding::new(
            L::Secret,
            S::Ok,
            format!("watched secret {} exists", s.name),
        )
        .evidence(format!("DescribeSecret: {}", s.arn)),
        None => Finding::new(
            L::Secret,
            S::Broken,
            format!("no secret {given} here: it is watched, but nothing can read it"),
        )
        .evidence(format!("DescribeSecret {given}: ResourceNotFoundException"))
        .fix(
            "check the name given to --secret (or the config's secrets) and the region; \
             setup never creates a watched secret",
        ),
    }
}
