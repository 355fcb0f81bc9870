//! A secret as every caller may name it: its name, its ARN, or its ARN without the
//! six-character random suffix (the "partial ARN"). CloudTrail records whichever the
//! caller passed; the embedded account and the watched secrets both ask this.

/// A secret as every caller may name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretRef {
    pub name: String,
    /// The full ARN, with its `-XXXXXX` suffix.
    pub arn: String,
}

impl SecretRef {
    pub fn new(name: impl Into<String>, arn: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            arn: arn.into(),
        }
    }

    /// The ARN without its random suffix, which AWS also accepts.
    pub fn partial_arn(&self) -> Option<&str> {
        partial_arn(&self.arn)
    }

    /// Whether `secret_id` (as a caller passed it) is this secret. Exact forms only: the
    /// ARN of `prod-db-password` starts with `…:secret:prod-db-` and is not `prod-db`.
    pub fn is_named_by(&self, secret_id: &str) -> bool {
        names(&self.name, &self.arn, secret_id)
    }
}

/// Whether `secret_id` names the secret called `name` whose full ARN is `arn`.
pub fn names(name: &str, arn: &str, secret_id: &str) -> bool {
    secret_id == name || secret_id == arn || partial_arn(arn) == Some(secret_id)
}

fn partial_arn(arn: &str) -> Option<&str> {
    let (partial, suffix) = arn.rsplit_once('-')?;
    (suffix.chars().count() == 6 && partial.contains(":secret:")).then_some(partial)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ARN: &str = "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod-db-AbC123";
    const PARTIAL: &str = "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod-db";

    fn prod_db() -> SecretRef {
        SecretRef::new("prod-db", ARN)
    }

    #[test]
    fn the_partial_arn_is_the_arn_without_its_suffix() {
        assert_eq!(prod_db().partial_arn(), Some(PARTIAL));
        assert_eq!(SecretRef::new("x", "not-an-arn").partial_arn(), None);
    }

    #[test]
    fn a_secret_is_named_by_its_name_its_arn_and_its_partial_arn() {
        for id in ["prod-db", ARN, PARTIAL] {
            assert!(prod_db().is_named_by(id), "{id}");
        }
    }
}
