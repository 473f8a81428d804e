//! Apollo's automatic persisted queries: a client sends `extensions.persistedQuery.sha256Hash`
//! instead of the document; an unknown hash is `PERSISTED_QUERY_NOT_FOUND` (with Apollo's
//! message, which its clients match), and the client sends the document with the hash once,
//! which registers it. Documents are kept in Redis (so a hash registered through one replica
//! runs on every other) and in process, whether or not `HAVEN_CACHE` is on: this is protocol,
//! not caching.

use crate::app::AppState;
use crate::error::Code;
use async_graphql::{ServerError, Value};
use sha2::{Digest, Sha256};

/// The hash a request names, if it uses the protocol (version 1).
fn hash_of(request: &async_graphql::Request) -> Result<Option<String>, ServerError> {
    let Some(Value::Object(pq)) = request.extensions.get("persistedQuery") else {
        return Ok(None);
    };
    let bad = |m: &str| Err(super::reply::error(Code::BadUserInput, m));
    if pq.get("version") != Some(&Value::from(1)) {
        return bad("unsupported persisted query version: send version 1");
    }
    match pq.get("sha256Hash") {
        Some(Value::String(h))
            if h.len() == 64
                && h.bytes()
                    .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()) =>
        {
            Ok(Some(h.clone()))
        }
        _ => bad("persistedQuery.sha256Hash must be 64 lower-case hex digits"),
    }
}

/// The request with its document: as sent, or recalled by its hash; and the hash to keep the
/// document under once it has passed the document limits ([`keep`]), when it was sent with it
/// and matches it.
pub async fn resolve(
    state: &AppState,
    mut request: async_graphql::Request,
) -> Result<(async_graphql::Request, Option<String>), ServerError> {
    let Some(hash) = hash_of(&request)? else {
        return Ok((request, None));
    };
    let cache = state.cache();
    if request.query.is_empty() {
        return match cache.recall_query(&hash).await {
            Some(query) => {
                request.query = query;
                Ok((request, None))
            }
            None => Err(super::reply::error(
                Code::PersistedQueryNotFound,
                "PersistedQueryNotFound",
            )),
        };
    }
    let digest: String = Sha256::digest(request.query.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    if digest != hash {
        return Err(super::reply::error(
            Code::BadUserInput,
            "provided sha does not match query",
        ));
    }
    Ok((request, Some(hash)))
}

/// Keeps the document of `request` under `hash`, for every replica.
pub async fn keep(state: &AppState, hash: &str, request: &async_graphql::Request) {
    state.cache().keep_query(hash, &request.query).await;
}
