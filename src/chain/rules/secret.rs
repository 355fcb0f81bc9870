//! The secret: it exists in the account and region watched.

use crate::chain::{ChainLink as L, Finding, LinkState as S};
use crate::cloud::links::SecretInfo;

pub fn secret(name: &str, found: Option<&SecretInfo>) -> Finding {
    match found {
        Some(s) => Finding::new(L::Secret, S::Ok, format!("secret {} exists", s.name))
            .evidence(format!("DescribeSecret: {}", s.arn)),
        None => Finding::new(L::Secret, S::Broken, format!("no secret named {name} here"))
            .evidence("DescribeSecret: ResourceNotFoundException")
            .fix(format!(
                "check the region and the name (--secret, names.secret), or create {name}"
            )),
    }
}
