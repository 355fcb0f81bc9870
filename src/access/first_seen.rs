//! What of an access can be first seen (the baseline, `crate::baseline`, judges it): the
//! principal, the network it read from, and the kind of client, each of one secret.

use super::AccessEvent;
use serde::{Deserialize, Serialize};
use std::net::IpAddr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dim {
    Principal,
    Ip,
    Client,
}

impl Dim {
    pub const ALL: [Dim; 3] = [Dim::Principal, Dim::Ip, Dim::Client];

    pub fn label(self) -> &'static str {
        match self {
            Dim::Principal => "principal",
            Dim::Ip => "ip",
            Dim::Client => "client",
        }
    }

    /// What `e` has of it: the principal, its network, its client kind.
    pub fn value(self, e: &AccessEvent) -> String {
        match self {
            Dim::Principal => e.principal.to_string(),
            Dim::Ip => network(&e.source_ip),
            Dim::Client => e.client.static_label().to_string(),
        }
    }
}

/// The secret an access read, the same by name or ARN: account, region and name.
pub fn secret_key(e: &AccessEvent) -> String {
    format!(
        "{}/{}/{}",
        e.account,
        e.region,
        crate::text::format::short_secret(&e.secret)
    )
}

/// An address's network: IPv4 /24, IPv6 /48; anything else (an AWS service's name) as it is.
pub fn network(source: &str) -> String {
    match source.parse::<IpAddr>() {
        Ok(IpAddr::V4(v4)) => {
            let [a, b, c, _] = v4.octets();
            format!("{a}.{b}.{c}.0/24")
        }
        Ok(IpAddr::V6(v6)) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}::/48", s[0], s[1], s[2])
        }
        Err(_) => source.to_string(),
    }
}

/// What of an access was first seen; shown as `["principal", "ip", "client"]`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct FirstSeen(u8);

impl FirstSeen {
    fn bit(dim: Dim) -> u8 {
        1 << dim as u8
    }

    pub fn set(&mut self, dim: Dim) {
        self.0 |= Self::bit(dim);
    }

    pub fn unset(&mut self, dim: Dim) {
        self.0 &= !Self::bit(dim);
    }

    pub fn has(self, dim: Dim) -> bool {
        self.0 & Self::bit(dim) != 0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn dims(self) -> impl Iterator<Item = Dim> {
        Dim::ALL.into_iter().filter(move |d| self.has(*d))
    }
}

impl Serialize for FirstSeen {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.dims().map(Dim::label))
    }
}
