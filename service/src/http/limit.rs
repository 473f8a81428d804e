//! The rate limit of a request ([`crate::rate`]): whom it counts against, and the answer when
//! it is over the limit: `RATE_LIMITED` with `extensions.retryAfterSeconds` and a
//! `Retry-After` header; HTTP 429 for clients of `application/graphql-response+json`, 200 for
//! `application/json` clients (as for every GraphQL error).

use super::graphql::Outcome;
use super::reply::{self, Media};
use crate::app::AppState;
use crate::error::Error;
use crate::rate::{Client, Limited};
use axum::http::header::RETRY_AFTER;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use std::net::{IpAddr, SocketAddr};

/// The client's address: the last entry of the configured forwarding header (what the
/// nearest proxy saw), else the peer's.
pub(super) fn client_address(state: &AppState, headers: &HeaderMap, peer: SocketAddr) -> IpAddr {
    let forwarded = state
        .config()
        .rate_limits
        .client_address_header
        .as_deref()
        .and_then(|name| headers.get_all(name).iter().next_back())
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.rsplit(',').next())
        .and_then(|last| last.trim().parse::<IpAddr>().ok());
    forwarded.unwrap_or(peer.ip())
}

/// Counts a request of `client`: the refusal to send when it is over its limit.
pub(super) async fn check(
    state: &AppState,
    client: &Client,
    media: Media,
) -> Result<(), (Response, Outcome)> {
    let Err(limited) = state.limiter().check(client).await else {
        return Ok(());
    };
    Err(refusal(media, limited))
}

fn refusal(media: Media, limited: Limited) -> (Response, Outcome) {
    let seconds = limited.seconds();
    let err = Error::RateLimited {
        retry_after_seconds: seconds,
    }
    .into_graphql()
    .into_server_error(async_graphql::Pos::default());
    let outcome = Outcome::refused(std::slice::from_ref(&err));
    let mut resp = reply::errors(
        media,
        StatusCode::TOO_MANY_REQUESTS,
        StatusCode::OK,
        vec![err],
    );
    resp.headers_mut()
        .insert(RETRY_AFTER, HeaderValue::from(seconds));
    (resp, outcome)
}
