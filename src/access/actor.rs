//! Human or service: who is behind a read, as far as its CloudTrail record tells.
//!
//! A person signs in (the console, an IAM user, an Identity Center role, a federated or SAML
//! user, the root user); a service runs on a role of its own or is an AWS service acting for
//! someone. An IAM user counts as a person even though some are used by programs: its keys
//! are long-lived credentials that a person could hold, which is what an investigator asks.

use super::{AccessEvent, ClientKind, Text};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Actor {
    Human,
    Service,
}

impl Actor {
    pub fn label(self) -> &'static str {
        match self {
            Actor::Human => "human",
            Actor::Service => "service",
        }
    }

    pub fn of(event: &AccessEvent) -> Actor {
        Actor::judged(event, |principal| is_identity_center_role(principal))
    }

    /// As `of`, with the Identity Center test of a role's principal given (a filter
    /// remembers its answer for each principal).
    pub fn judged(event: &AccessEvent, sso_role: impl FnOnce(&Text) -> bool) -> Actor {
        if event.client == ClientKind::Console {
            return Actor::Human;
        }
        match &*event.principal_type {
            "IAMUser" | "Root" | "FederatedUser" | "SAMLUser" | "IdentityCenterUser" => {
                Actor::Human
            }
            "AssumedRole" if sso_role(&event.principal) => Actor::Human,
            _ => Actor::Service,
        }
    }
}

/// An IAM Identity Center (SSO) permission set's role: `…:assumed-role/AWSReservedSSO_…/user`.
pub fn is_identity_center_role(principal: &str) -> bool {
    principal
        .split_once(":assumed-role/")
        .is_some_and(|(_, rest)| rest.starts_with("AWSReservedSSO_"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(principal_type: &str, principal: &str, client: ClientKind) -> AccessEvent {
        AccessEvent {
            principal: principal.into(),
            principal_type: principal_type.into(),
            client,
            ..AccessEvent::sample()
        }
    }

    #[test]
    fn people_and_services_apart() {
        let sdk = || ClientKind::Sdk { language: "python" };
        let cases = [
            (
                "IAMUser",
                "arn:aws:iam::1:user/alice",
                ClientKind::Cli,
                Actor::Human,
            ),
            ("Root", "arn:aws:iam::1:root", ClientKind::Cli, Actor::Human),
            (
                "FederatedUser",
                "arn:aws:sts::1:federated-user/bob",
                sdk(),
                Actor::Human,
            ),
            (
                "AssumedRole",
                "arn:aws:sts::1:assumed-role/AWSReservedSSO_Admin_0a1b/carol",
                ClientKind::Cli,
                Actor::Human,
            ),
            (
                "AssumedRole",
                "arn:aws:sts::1:assumed-role/ops/dave",
                ClientKind::Console,
                Actor::Human,
            ),
            (
                "AssumedRole",
                "arn:aws:sts::1:assumed-role/app/i-0abc",
                sdk(),
                Actor::Service,
            ),
            (
                "AssumedRole",
                "arn:aws:sts::1:assumed-role/MyAWSReservedSSO_x/y",
                sdk(),
                Actor::Service,
            ),
            (
                "AWSService",
                "lambda.amazonaws.com",
                ClientKind::AwsService,
                Actor::Service,
            ),
            ("AWSAccount", "AIDAEXAMPLE", sdk(), Actor::Service),
            ("", "", ClientKind::Other, Actor::Service),
        ];
        for (kind, principal, client, actor) in cases {
            assert_eq!(
                Actor::of(&read(kind, principal, client)),
                actor,
                "{kind} {principal}"
            );
        }
    }
}
