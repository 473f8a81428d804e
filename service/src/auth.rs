//! Who is asking: viewers from signed tokens.
//!
//! `Authorization: Bearer <JWT>` carries the subject (a volunteer id), the role and its scope
//! (a network, a city, or groups), signed with HS256 (`HAVEN_JWT_SECRET`) or RS256 (a public
//! key file). No header means anonymous; an expired, malformed or wrongly signed token is
//! `UNAUTHENTICATED` for the whole request.

use crate::error::{Error, Result};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use uuid::Uuid;

/// The roles of DOMAIN.md (partners authenticate with API keys, not tokens).
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
    Partner { partner: Uuid, scopes: Vec<String> },
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

/// Checks and issues tokens with the configured key.
#[derive(Clone)]
pub struct Authenticator {
    decoding: Option<(DecodingKey, Algorithm)>,
    encoding: Option<EncodingKey>,
}

impl Authenticator {
    /// From an HS256 secret and/or an RS256 public key (PEM); with neither, every token is refused.
    pub fn new(secret: Option<&str>, rsa_public_pem: Option<&[u8]>) -> Result<Self> {
        let encoding = secret.map(|s| EncodingKey::from_secret(s.as_bytes()));
        let decoding = match (rsa_public_pem, secret) {
            (Some(pem), _) => Some((
                DecodingKey::from_rsa_pem(pem)
                    .map_err(|e| Error::Internal(format!("invalid RSA public key: {e}")))?,
                Algorithm::RS256,
            )),
            (None, Some(s)) => Some((DecodingKey::from_secret(s.as_bytes()), Algorithm::HS256)),
            (None, None) => None,
        };
        Ok(Self { decoding, encoding })
    }

    /// The viewer of a request with this `Authorization` header value (or none).
    pub fn viewer(&self, authorization: Option<&str>) -> Result<Viewer> {
        let Some(value) = authorization else {
            return Ok(Viewer::Anonymous);
        };
        let token = value.strip_prefix("Bearer ").ok_or_else(|| {
            Error::Unauthenticated("the Authorization header must be `Bearer <token>`".into())
        })?;
        let (key, alg) = self.decoding.as_ref().ok_or_else(|| {
            Error::Unauthenticated(
                "this server accepts no tokens (HAVEN_JWT_SECRET is not set)".into(),
            )
        })?;
        let mut validation = Validation::new(*alg);
        validation.set_required_spec_claims(&["exp"]);
        validation.leeway = 5;
        let data = jsonwebtoken::decode::<Claims>(token.trim(), key, &validation).map_err(|e| {
            use jsonwebtoken::errors::ErrorKind;
            let why = match e.kind() {
                ErrorKind::ExpiredSignature => "the token has expired",
                ErrorKind::InvalidSignature => "the token's signature is invalid",
                _ => "the token is malformed",
            };
            Error::Unauthenticated(why.into())
        })?;
        Ok(data.claims.into())
    }

    /// Signs a token (HS256) valid for `ttl` from now.
    pub fn issue(&self, mut claims: Claims, ttl: Duration) -> Result<String> {
        let key = self
            .encoding
            .as_ref()
            .ok_or_else(|| Error::Internal("set HAVEN_JWT_SECRET to issue tokens".into()))?;
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default()
            .as_secs();
        claims.iat = now;
        claims.exp = now + ttl.as_secs();
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, key)
            .map_err(|e| Error::Internal(format!("cannot sign the token: {e}")))
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
