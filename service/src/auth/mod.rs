//! Who is asking: viewers from signed tokens.
//!
//! `Authorization: Bearer <JWT>` carries the subject (a volunteer id), the role and its scope
//! (a network, a city, or groups), signed with HS256 (`HAVEN_JWT_SECRET`), with RS256 (a public
//! key file), or by an identity provider whose keys come from a JWKS file. No header means
//! anonymous; an expired, malformed or wrongly signed token is `UNAUTHENTICATED` for the whole
//! request. Checking tokens lives in [`tokens`].

mod tokens;

pub use tokens::{Authenticator, KeySource};

use serde::{Deserialize, Serialize};
use std::time::Duration;
use uuid::Uuid;

/// The roles of docs/domain.md (partners authenticate with API keys, not tokens).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[value(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Role {
    Member,
    GroupLead,
    CityCoordinator,
    NetworkCoordinator,
    Admin,
}

impl Role {
    /// The role as tokens, the API and the audit log spell it.
    pub fn token(self) -> &'static str {
        match self {
            Role::Member => "MEMBER",
            Role::GroupLead => "GROUP_LEAD",
            Role::CityCoordinator => "CITY_COORDINATOR",
            Role::NetworkCoordinator => "NETWORK_COORDINATOR",
            Role::Admin => "ADMIN",
        }
    }
}

/// The claims haven issues and accepts.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    /// The volunteer the token speaks for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub: Option<Uuid>,
    pub role: Role,
    /// Scope of a network coordinator.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network: Option<Uuid>,
    /// Scope of a city coordinator.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<Uuid>,
    /// Groups of a member or group lead.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<Uuid>,
    /// The issuer, when the server checks one (`HAVEN_JWT_ISSUER`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iss: Option<String>,
    /// The audience, when the server checks one (`HAVEN_JWT_AUDIENCE`); checked, not kept.
    #[serde(default, skip_serializing)]
    pub aud: Option<serde_json::Value>,
    pub iat: u64,
    pub exp: u64,
}

/// The viewer of one request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Viewer {
    /// No credentials.
    #[default]
    Anonymous,
    /// A partner organisation, by API key: aggregates only, never rows about people.
    Partner {
        /// The partner organisation.
        partner: Uuid,
        /// The API key it used (rate limits and the query log count by key).
        key: Uuid,
        scopes: Vec<String>,
        /// The networks the key is limited to; empty: every network.
        networks: Vec<Uuid>,
    },
    /// A signed-in person with a role and its scope.
    User {
        subject: Option<Uuid>,
        role: Role,
        network: Option<Uuid>,
        city: Option<Uuid>,
        groups: Vec<Uuid>,
    },
}

impl Viewer {
    /// The volunteer this viewer is, if any.
    pub fn subject(&self) -> Option<Uuid> {
        match self {
            Self::User { subject, .. } => *subject,
            Self::Anonymous | Self::Partner { .. } => None,
        }
    }

    /// The viewer's role, if signed in.
    pub fn role(&self) -> Option<Role> {
        match self {
            Self::User { role, .. } => Some(*role),
            Self::Anonymous | Self::Partner { .. } => None,
        }
    }

    /// The kind of viewer as tokens spell roles, for logs and metrics (no personal data).
    pub fn role_name(&self) -> &'static str {
        match self {
            Self::Anonymous => "ANONYMOUS",
            Self::Partner { .. } => "PARTNER",
            Self::User { role, .. } => role.as_str(),
        }
    }
}

impl Claims {
    /// Claims of `role` with no scope, no subject and no times (set when issued).
    pub fn new(role: Role) -> Self {
        Self {
            sub: None,
            role,
            network: None,
            city: None,
            groups: Vec::new(),
            iss: None,
            aud: None,
            iat: 0,
            exp: 0,
        }
    }
}

impl Role {
    /// The role as tokens spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Member => "MEMBER",
            Self::GroupLead => "GROUP_LEAD",
            Self::CityCoordinator => "CITY_COORDINATOR",
            Self::NetworkCoordinator => "NETWORK_COORDINATOR",
            Self::Admin => "ADMIN",
        }
    }
}

impl From<Claims> for Viewer {
    fn from(c: Claims) -> Self {
        Self::User {
            subject: c.sub,
            role: c.role,
            network: c.network,
            city: c.city,
            groups: c.groups,
        }
    }
}

/// Parses durations like `90s`, `15m`, `1h`, `7d`.
pub fn parse_ttl(s: &str) -> std::result::Result<Duration, String> {
    let s = s.trim();
    let (num, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len()));
    let n: u64 = num
        .parse()
        .map_err(|_| format!("`{s}` is not a duration like 30m or 1h"))?;
    let secs = match unit {
        "" | "s" => n,
        "m" => n * 60,
        "h" => n * 3_600,
        "d" => n * 86_400,
        _ => return Err(format!("`{s}`: use s, m, h or d")),
    };
    Ok(Duration::from_secs(secs))
}
