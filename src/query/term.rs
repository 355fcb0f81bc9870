//! One condition of a filter expression, read from a word and held against an access.

use super::QueryError;
use super::lex::Word;
use super::memo::Memo;
use crate::access::first_seen::Dim;
use crate::access::{AccessEvent, Actor, ClientKind, Outcome, is_identity_center_role};
use crate::text::when::parse_when;
use chrono::{DateTime, Utc};
use ipnet::IpNet;
use std::net::IpAddr;

/// The fields, as the error for an unknown one lists them.
pub const FIELDS: &str =
    "principal, ip, client, secret, outcome, type, new, kind, since, until, account, region";

#[derive(Debug, Clone, PartialEq)]
pub enum Term {
    /// Anywhere in the principal, secret, source, user agent, client, call, error code,
    /// account or region; lowercase, matched without regard to case.
    Text(String),
    Principal(String),
    Ip(IpNet),
    /// A client kind (`sdk-python`), or a family of them (`sdk`).
    Client(String),
    Secret(String),
    Outcome(OutcomeIs),
    Actor(Actor),
    /// First seen: in this way (None: in any).
    New(Option<Dim>),
    Kind(KindIs),
    Since(DateTime<Utc>),
    Until(DateTime<Utc>),
    Account(String),
    Region(String),
}

/// A read of the value, a change to the secret, or a change flagged as an exfiltration
/// setup (a grant outside the account, a replica in a new region).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KindIs {
    Read,
    Change,
    Flagged,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutcomeIs {
    Ok,
    Denied,
    Error,
}

impl Term {
    pub fn read(word: &Word, now: DateTime<Utc>) -> Result<Term, QueryError> {
        let value = word.value.as_str();
        let Some(field) = word.field.as_deref() else {
            return Ok(Term::Text(value.to_lowercase()));
        };
        let wrong = |why: String| {
            let len = word.len - (word.value_at - word.at);
            QueryError::new(word.value_at, len.max(1), why)
        };
        if value.is_empty() && !field.eq_ignore_ascii_case("arn") {
            return Err(wrong(format!("`{field}:` needs a value after the colon")));
        }
        Ok(match field.to_ascii_lowercase().as_str() {
            // An ARN typed as it is, colons and all: text.
            "arn" => Term::Text(format!("arn:{value}").to_lowercase()),
            "principal" => Term::Principal(value.to_lowercase()),
            "secret" => Term::Secret(value.to_lowercase()),
            "ip" => Term::Ip(network(value).map_err(wrong)?),
            "client" => Term::Client(client(value).map_err(wrong)?),
            "outcome" => Term::Outcome(match value.to_ascii_lowercase().as_str() {
                "ok" | "success" => OutcomeIs::Ok,
                "denied" => OutcomeIs::Denied,
                "error" | "failed" => OutcomeIs::Error,
                _ => {
                    return Err(wrong(format!(
                        "outcome is ok, denied or error, not `{value}`"
                    )));
                }
            }),
            "type" => Term::Actor(match value.to_ascii_lowercase().as_str() {
                "human" => Actor::Human,
                "service" => Actor::Service,
                _ => return Err(wrong(format!("type is human or service, not `{value}`"))),
            }),
            "new" => Term::New(match value.to_ascii_lowercase().as_str() {
                "any" | "yes" => None,
                "principal" => Some(Dim::Principal),
                "ip" => Some(Dim::Ip),
                "client" => Some(Dim::Client),
                _ => {
                    return Err(wrong(format!(
                        "new is any, principal, ip or client, not `{value}`"
                    )));
                }
            }),
            "kind" => Term::Kind(match value.to_ascii_lowercase().as_str() {
                "read" | "reads" => KindIs::Read,
                "change" | "changes" => KindIs::Change,
                "flagged" | "flag" => KindIs::Flagged,
                _ => {
                    return Err(wrong(format!(
                        "kind is read, change or flagged, not `{value}`"
                    )));
                }
            }),
            "since" => Term::Since(parse_when(value).map_err(wrong)?.at(now)),
            "until" => Term::Until(parse_when(value).map_err(wrong)?.at(now)),
            "account" => Term::Account(value.to_string()),
            "region" => Term::Region(value.to_ascii_lowercase()),
            _ => {
                let name_len = field.chars().count() + 1;
                let at = word.value_at - name_len;
                return Err(QueryError::new(
                    at,
                    name_len,
                    format!(
                        "no field `{field}:`; the fields are {FIELDS} (quote text with a colon: \"{field}:…\")"
                    ),
                ));
            }
        })
    }

    pub fn matches(&self, e: &AccessEvent) -> bool {
        self.matches_with(e, &mut Memo::off())
    }

    /// As `matches`, the texts' answers remembered in `memo` for the rest of the pass.
    pub fn matches_with(&self, e: &AccessEvent, memo: &mut Memo) -> bool {
        match self {
            Term::Text(text) => {
                let error_code = match &e.outcome {
                    Outcome::Error(code) => Some(code),
                    Outcome::Success => None,
                };
                [
                    Some(&e.principal),
                    Some(&e.secret),
                    Some(&e.source_ip),
                    Some(&e.user_agent),
                    Some(&e.event_name),
                    error_code,
                    Some(&e.account),
                    Some(&e.principal_account),
                    Some(&e.region),
                ]
                .into_iter()
                .flatten()
                .any(|field| memo.find(field, |f| contains_folded(f, text)))
                    || client_contains(&e.client, text)
            }
            Term::Principal(p) => memo.find(&e.principal, |f| contains_folded(f, p)),
            Term::Secret(s) => memo.find(&e.secret, |f| contains_folded(f, s)),
            Term::Ip(net) => memo.find(&e.source_ip, |ip| {
                ip.trim()
                    .parse::<IpAddr>()
                    .is_ok_and(|ip| net.contains(&ip))
            }),
            Term::Client(kind) => client_is(&e.client, kind),
            Term::Outcome(o) => match (o, &e.outcome) {
                (OutcomeIs::Ok, Outcome::Success) => true,
                (OutcomeIs::Error, Outcome::Error(_)) => true,
                (OutcomeIs::Denied, Outcome::Error(code)) => is_denial(code),
                _ => false,
            },
            Term::Actor(a) => Actor::judged(e, |p| memo.find(p, is_identity_center_role)) == *a,
            Term::New(None) => !e.first_seen.is_empty(),
            Term::New(Some(dim)) => e.first_seen.has(*dim),
            Term::Kind(KindIs::Read) => e.is_read(),
            Term::Kind(KindIs::Change) => !e.is_read(),
            Term::Kind(KindIs::Flagged) => e.change.as_ref().is_some_and(|c| c.flagged()),
            Term::Since(t) => e.time >= *t,
            Term::Until(t) => e.time <= *t,
            Term::Account(a) => *e.account == **a || *e.principal_account == **a,
            Term::Region(r) => e.region.eq_ignore_ascii_case(r),
        }
    }
}

impl Term {
    /// Marks the fields this (matching) term found its value in.
    pub fn mark(&self, e: &AccessEvent, marks: &mut super::Marks) {
        if !self.matches(e) {
            return;
        }
        match self {
            Term::Text(text) => {
                let has = |field: &str| contains_folded(field, text);
                marks.principal |= has(&e.principal);
                marks.source_ip |= has(&e.source_ip);
                marks.client |= client_contains(&e.client, text);
                marks.secret |= has(&e.secret);
                marks.outcome |= has(e.outcome.error_code().unwrap_or(""));
                marks.user_agent |= has(&e.user_agent);
                marks.scope |= has(&e.account) || has(&e.region);
            }
            Term::Principal(_) | Term::Actor(_) => marks.principal = true,
            Term::Ip(_) => marks.source_ip = true,
            Term::Client(_) => marks.client = true,
            Term::Secret(_) => marks.secret = true,
            Term::Outcome(_) | Term::New(_) | Term::Kind(_) => marks.outcome = true,
            Term::Since(_) | Term::Until(_) => marks.time = true,
            Term::Account(_) | Term::Region(_) => marks.scope = true,
        }
    }
}

/// An address (`203.0.113.7`) or a network (`10.0.0.0/8`, `2001:db8::/32`).
fn network(value: &str) -> Result<IpNet, String> {
    if let Ok(net) = value.parse::<IpNet>() {
        return Ok(net.trunc());
    }
    value.parse::<IpAddr>().map(IpNet::from).map_err(|_| {
        format!("`{value}` is not an address or a network like 10.0.0.0/8 or 2001:db8::/32")
    })
}

fn client(value: &str) -> Result<String, String> {
    let kind = value.to_ascii_lowercase();
    let known = matches!(
        kind.as_str(),
        "console" | "cli" | "sdk" | "aws-service" | "other"
    ) || kind
        .strip_prefix("sdk-")
        .is_some_and(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric()));
    if known {
        Ok(kind)
    } else {
        Err(format!(
            "client is console, cli, sdk, sdk-LANGUAGE (sdk-python), aws-service or other, not `{value}`"
        ))
    }
}

/// A refusal, as CloudTrail writes its error code (`AccessDenied`, `AccessDeniedException`,
/// `UnauthorizedOperation`, …).
pub fn is_denial(code: &str) -> bool {
    let code = code.to_ascii_lowercase();
    code.contains("accessdenied") || code.contains("unauthorized") || code.contains("forbidden")
}

/// Whether `haystack` holds `needle` (already lowercase), without regard to case and
/// without allocating: each place the needle's first letter stands (either case, found
/// with `memchr2`), compared there.
fn contains_folded(haystack: &str, needle: &str) -> bool {
    let (h, n) = (haystack.as_bytes(), needle.as_bytes());
    let Some((&first, rest)) = n.split_first() else {
        return true;
    };
    if !needle.is_ascii() {
        return haystack.to_lowercase().contains(needle);
    }
    if h.len() < n.len() {
        return false;
    }
    let last_start = h.len() - n.len();
    let at = |i: usize| {
        h[i + 1..i + n.len()]
            .iter()
            .zip(rest)
            .all(|(a, b)| a.to_ascii_lowercase() == *b)
    };
    // Short texts (regions, accounts, addresses) are quicker to walk than to set up for.
    if h.len() < 32 {
        return (0..=last_start).any(|i| h[i].to_ascii_lowercase() == first && at(i));
    }
    memchr::memchr2_iter(first, first.to_ascii_uppercase(), &h[..=last_start]).any(at)
}

/// Whether the client's label (`sdk-python`) holds `needle`, without building the label.
fn client_contains(client: &ClientKind, needle: &str) -> bool {
    match client {
        ClientKind::Sdk { language } => {
            let mut label = [0u8; 64];
            let len = (4 + language.len()).min(label.len());
            label[..4].copy_from_slice(b"sdk-");
            label[4..len].copy_from_slice(&language.as_bytes()[..len - 4]);
            std::str::from_utf8(&label[..len]).is_ok_and(|l| contains_folded(l, needle))
        }
        other => contains_folded(other.static_label(), needle),
    }
}

/// Whether the client is of `kind`: a label (`sdk-python`), or `sdk` for any language.
fn client_is(client: &ClientKind, kind: &str) -> bool {
    match client {
        ClientKind::Sdk { language } => {
            kind == "sdk" || kind.strip_prefix("sdk-") == Some(language)
        }
        other => other.static_label() == kind,
    }
}
