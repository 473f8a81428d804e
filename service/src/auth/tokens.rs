//! Checking and issuing tokens.
//!
//! One verifier at a time, from the most specific configuration: a JWKS file (an identity
//! provider's keys, chosen by the token's `kid`), else an RSA public key (RS256), else the
//! shared secret (HS256). The algorithm is pinned by the key, never taken from the token's
//! header. Issuer and audience are checked, and required, when configured; when they are not,
//! a token that carries them is still accepted. `haven token` signs only what the server
//! verifies, and says why when it cannot.

use super::{Claims, Viewer};
use crate::error::{Error, Result};
use jsonwebtoken::jwk::{AlgorithmParameters, EllipticCurve, Jwk, JwkSet};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use std::str::FromStr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Where the keys and expectations come from (see `Config`).
#[derive(Default)]
pub struct KeySource<'a> {
    /// HS256 secret: verifies, and lets `haven token` sign.
    pub secret: Option<&'a str>,
    /// PEM of an RSA public key (RS256).
    pub rsa_public_pem: Option<Vec<u8>>,
    /// A JWKS document.
    pub jwks_json: Option<Vec<u8>>,
    /// Required `iss`.
    pub issuer: Option<String>,
    /// Required `aud`.
    pub audience: Option<String>,
}

/// A verification key with its pinned algorithm.
#[derive(Clone)]
struct Key {
    kid: Option<String>,
    key: DecodingKey,
    alg: Algorithm,
}

/// Checks and issues tokens with the configured keys.
#[derive(Clone)]
pub struct Authenticator {
    keys: Vec<Key>,
    /// Present only when the server verifies HS256 with the same secret.
    encoding: Option<EncodingKey>,
    issuer: Option<String>,
    audience: Option<String>,
}

impl Authenticator {
    /// From an HS256 secret and/or an RS256 public key (PEM); with neither, every token is refused.
    pub fn new(secret: Option<&str>, rsa_public_pem: Option<&[u8]>) -> Result<Self> {
        Self::from_keys(KeySource {
            secret,
            rsa_public_pem: rsa_public_pem.map(<[u8]>::to_vec),
            ..KeySource::default()
        })
    }

    /// From every configured source; the most specific one verifies.
    pub fn from_keys(src: KeySource<'_>) -> Result<Self> {
        let invalid =
            |what: &str, e: &dyn std::fmt::Display| Error::Internal(format!("invalid {what}: {e}"));
        let mut encoding = None;
        let keys = if let Some(json) = &src.jwks_json {
            let set: JwkSet = serde_json::from_slice(json).map_err(|e| invalid("JWKS", &e))?;
            let keys = set
                .keys
                .iter()
                .filter_map(|jwk| jwk_key(jwk).transpose())
                .collect::<Result<Vec<_>>>()?;
            if keys.is_empty() {
                return Err(Error::Internal(
                    "the JWKS holds no signing key haven can use".into(),
                ));
            }
            keys
        } else if let Some(pem) = &src.rsa_public_pem {
            let key = DecodingKey::from_rsa_pem(pem).map_err(|e| invalid("RSA public key", &e))?;
            vec![Key {
                kid: None,
                key,
                alg: Algorithm::RS256,
            }]
        } else if let Some(s) = src.secret {
            encoding = Some(EncodingKey::from_secret(s.as_bytes()));
            vec![Key {
                kid: None,
                key: DecodingKey::from_secret(s.as_bytes()),
                alg: Algorithm::HS256,
            }]
        } else {
            Vec::new()
        };
        Ok(Self {
            keys,
            encoding,
            issuer: src.issuer.filter(|s| !s.is_empty()),
            audience: src.audience.filter(|s| !s.is_empty()),
        })
    }

    /// The viewer of a request with this `Authorization` header value (or none).
    pub fn viewer(&self, authorization: Option<&str>) -> Result<Viewer> {
        let Some(value) = authorization else {
            return Ok(Viewer::Anonymous);
        };
        let token = value.strip_prefix("Bearer ").ok_or_else(|| {
            Error::Unauthenticated("the Authorization header must be `Bearer <token>`".into())
        })?;
        let token = token.trim();
        if self.keys.is_empty() {
            return Err(Error::Unauthenticated(
                "this server accepts no tokens (no HAVEN_JWT_SECRET, public key or JWKS is set)"
                    .into(),
            ));
        }
        let unauthenticated = |why: &str| Error::Unauthenticated(why.into());
        let header = jsonwebtoken::decode_header(token)
            .map_err(|_| unauthenticated("the token is malformed"))?;
        let key = match &header.kid {
            Some(kid) => self
                .keys
                .iter()
                .find(|k| k.kid.as_deref() == Some(kid.as_str())),
            None => None,
        }
        .or_else(|| (self.keys.len() == 1).then(|| &self.keys[0]))
        .ok_or_else(|| unauthenticated("the token names no key this server knows (`kid`)"))?;
        let data = jsonwebtoken::decode::<Claims>(token, &key.key, &self.validation(key.alg))
            .map_err(|e| {
                use jsonwebtoken::errors::ErrorKind;
                let why = match e.kind() {
                    ErrorKind::ExpiredSignature => "the token has expired",
                    ErrorKind::InvalidSignature => "the token's signature is invalid",
                    ErrorKind::InvalidAlgorithm => {
                        "the token is signed with another algorithm than its key's"
                    }
                    ErrorKind::InvalidIssuer => {
                        "the token's issuer (`iss`) is not the one this server trusts"
                    }
                    ErrorKind::InvalidAudience => "the token is meant for another audience (`aud`)",
                    ErrorKind::MissingRequiredClaim(c) if c == "iss" => {
                        "the token names no issuer (`iss`)"
                    }
                    ErrorKind::MissingRequiredClaim(c) if c == "aud" => {
                        "the token names no audience (`aud`)"
                    }
                    _ => "the token is malformed",
                };
                unauthenticated(why)
            })?;
        Ok(data.claims.into())
    }

    fn validation(&self, alg: Algorithm) -> Validation {
        let mut v = Validation::new(alg);
        v.leeway = 5;
        let mut required = vec!["exp"];
        match &self.audience {
            Some(aud) => {
                v.set_audience(&[aud]);
                required.push("aud");
            }
            // Identity providers put `aud` in every token; without a configured audience
            // there is nothing to compare it with, and refusing it would refuse them all.
            None => v.validate_aud = false,
        }
        if let Some(iss) = &self.issuer {
            v.set_issuer(&[iss]);
            required.push("iss");
        }
        v.set_required_spec_claims(&required);
        v
    }

    /// Signs a token (HS256) valid for `ttl` from now, with the issuer and audience the server
    /// checks. Refused when the server verifies with an identity provider's keys: a token signed
    /// with the secret would not be accepted.
    pub fn issue(&self, mut claims: Claims, ttl: Duration) -> Result<String> {
        let key = self.encoding.as_ref().ok_or_else(|| {
            let why = if self.keys.is_empty() {
                "set HAVEN_JWT_SECRET to issue tokens"
            } else {
                "this server verifies tokens from an identity provider (a public key or JWKS is \
                 set), so a token signed with HAVEN_JWT_SECRET would be refused; get tokens from \
                 the provider, or unset the public key and JWKS to use the secret"
            };
            Error::Internal(why.into())
        })?;
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default()
            .as_secs();
        claims.iat = now;
        claims.exp = now + ttl.as_secs();
        claims.iss = self.issuer.clone();
        let mut body = serde_json::to_value(&claims).map_err(|e| Error::Internal(e.to_string()))?;
        if let (Some(aud), Some(map)) = (&self.audience, body.as_object_mut()) {
            map.insert("aud".into(), aud.clone().into());
        }
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &body, key)
            .map_err(|e| Error::Internal(format!("cannot sign the token: {e}")))
    }
}

/// The verification key of a JWK with its algorithm: the JWK's `alg` when given, else the usual
/// one for its key type. Keys meant for encryption (`use: enc`) are skipped.
fn jwk_key(jwk: &Jwk) -> Result<Option<Key>> {
    use jsonwebtoken::jwk::PublicKeyUse;
    if matches!(jwk.common.public_key_use, Some(PublicKeyUse::Encryption)) {
        return Ok(None);
    }
    let alg = match (jwk.common.key_algorithm, &jwk.algorithm) {
        (Some(a), _) => match Algorithm::from_str(&a.to_string()) {
            Ok(a) => a,
            Err(_) => return Ok(None),
        },
        (None, AlgorithmParameters::RSA(_)) => Algorithm::RS256,
        (None, AlgorithmParameters::EllipticCurve(ec)) => match ec.curve {
            EllipticCurve::P256 => Algorithm::ES256,
            EllipticCurve::P384 => Algorithm::ES384,
            _ => return Ok(None),
        },
        (None, AlgorithmParameters::OctetKeyPair(_)) => Algorithm::EdDSA,
        (None, AlgorithmParameters::OctetKey(_)) => Algorithm::HS256,
    };
    let key =
        DecodingKey::from_jwk(jwk).map_err(|e| Error::Internal(format!("invalid JWK: {e}")))?;
    Ok(Some(Key {
        kid: jwk.common.key_id.clone(),
        key,
        alg,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::Role;
    use base64::Engine;
    use serde_json::json;

    fn sign(secret: &str, kid: Option<&str>, claims: serde_json::Value) -> String {
        let mut header = Header::new(Algorithm::HS256);
        header.kid = kid.map(str::to_owned);
        jsonwebtoken::encode(
            &header,
            &claims,
            &EncodingKey::from_secret(secret.as_bytes()),
        )
        .unwrap_or_default()
    }

    fn claims(extra: serde_json::Value) -> serde_json::Value {
        let mut c = json!({ "role": "ADMIN", "iat": 0, "exp": u64::MAX / 2 });
        if let (Some(c), Some(extra)) = (c.as_object_mut(), extra.as_object()) {
            c.extend(extra.clone());
        }
        c
    }

    fn code(r: Result<Viewer>) -> &'static str {
        match r {
            Ok(_) => "ok",
            Err(e) => e.code().as_str(),
        }
    }

    #[test]
    fn audience_and_issuer_are_checked_only_when_configured() {
        let plain = Authenticator::new(Some("s"), None).unwrap_or_else(|e| panic!("{e}"));
        let with_aud = sign(
            "s",
            None,
            claims(json!({ "aud": "haven", "iss": "https://idp" })),
        );
        assert_eq!(
            code(plain.viewer(Some(&format!("Bearer {with_aud}")))),
            "ok"
        );

        let strict = Authenticator::from_keys(KeySource {
            secret: Some("s"),
            issuer: Some("https://idp".into()),
            audience: Some("haven".into()),
            ..KeySource::default()
        })
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            code(strict.viewer(Some(&format!("Bearer {with_aud}")))),
            "ok"
        );
        for bad in [
            claims(json!({ "aud": "other", "iss": "https://idp" })),
            claims(json!({ "aud": "haven", "iss": "https://evil" })),
            claims(json!({ "iss": "https://idp" })),
            claims(json!({ "aud": "haven" })),
        ] {
            let t = sign("s", None, bad.clone());
            assert_eq!(
                code(strict.viewer(Some(&format!("Bearer {t}")))),
                "UNAUTHENTICATED",
                "{bad}"
            );
        }
        // What `haven token` signs, the same server accepts.
        let issued = strict
            .issue(Claims::new(Role::Admin), Duration::from_secs(60))
            .unwrap_or_default();
        assert_eq!(code(strict.viewer(Some(&format!("Bearer {issued}")))), "ok");
    }

    #[test]
    fn jwks_keys_are_chosen_by_kid_and_never_sign() {
        let b64 = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
        let jwks = json!({ "keys": [
            { "kty": "oct", "kid": "one", "alg": "HS256", "k": b64("first secret") },
            { "kty": "oct", "kid": "two", "alg": "HS256", "k": b64("second secret") },
        ]});
        let auth = Authenticator::from_keys(KeySource {
            jwks_json: Some(jwks.to_string().into_bytes()),
            ..KeySource::default()
        })
        .unwrap_or_else(|e| panic!("{e}"));
        let ok = sign("second secret", Some("two"), claims(json!({})));
        assert_eq!(code(auth.viewer(Some(&format!("Bearer {ok}")))), "ok");
        let wrong_kid = sign("second secret", Some("one"), claims(json!({})));
        assert_eq!(
            code(auth.viewer(Some(&format!("Bearer {wrong_kid}")))),
            "UNAUTHENTICATED"
        );
        let unknown = sign("second secret", Some("three"), claims(json!({})));
        assert_eq!(
            code(auth.viewer(Some(&format!("Bearer {unknown}")))),
            "UNAUTHENTICATED"
        );
        let claims = Claims::new(Role::Admin);
        let refused = auth
            .issue(claims, Duration::from_secs(60))
            .map_err(|e| e.to_string());
        assert!(
            matches!(refused, Err(ref m) if m.contains("identity provider")),
            "{refused:?}"
        );
    }
}
