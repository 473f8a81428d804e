//! The HTTP surface of haven: routes, request ids, health, readiness and metrics. The GraphQL
//! endpoint itself lives in [`graphql`].

mod apq;
mod execute;
pub mod graphql;
mod limit;
mod reply;

use crate::app::AppState;
use crate::db;
use axum::extract::State;
use axum::http::StatusCode;
use axum::http::{HeaderMap, HeaderValue};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// The header that carries a request's id, taken from the client or made, and returned.
pub const REQUEST_ID: &str = "x-request-id";

/// The HTTP routes of haven.
pub fn router(state: AppState) -> Router {
    let body_limit = state.config().max_body_bytes;
    Router::new()
        .route(
            "/graphql",
            get(graphiql).post(graphql::handler).layer(
                // The handler reads the body as `Bytes`, which honours this limit whether or
                // not the client announced a length; `GraphQLRequest` would read any size.
                axum::extract::DefaultBodyLimit::max(body_limit),
            ),
        )
        .route(
            "/healthz",
            get(|| async { Json(json!({ "status": "ok" })) }),
        )
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
        .with_state(state)
}

/// The id of a request: the client's `x-request-id` when it is a short printable value (a
/// router's or a load balancer's), else a new one, unique across replicas without a system call
/// per request: a random prefix per process and a counter. 40 bytes at most.
pub fn request_id(headers: &HeaderMap) -> HeaderValue {
    if let Some(v) = headers.get(REQUEST_ID)
        && (1..=128).contains(&v.len())
        && v.to_str().is_ok()
    {
        return v.clone();
    }
    static PREFIX: OnceLock<[u8; 16]> = OnceLock::new();
    static NEXT: AtomicU64 = AtomicU64::new(1);
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let prefix = PREFIX.get_or_init(|| {
        let mut p = [0u8; 16];
        p.copy_from_slice(&uuid::Uuid::new_v4().simple().to_string().as_bytes()[..16]);
        p
    });
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let mut id = [0u8; 33];
    id[..16].copy_from_slice(prefix);
    id[16] = b'-';
    for (i, b) in id[17..].iter_mut().enumerate() {
        *b = HEX[((n >> (60 - 4 * i)) & 0xf) as usize];
    }
    // Hex digits and a dash are always a valid header value.
    HeaderValue::from_bytes(&id).unwrap_or(HeaderValue::from_static("-"))
}

async fn graphiql(State(state): State<AppState>) -> Response {
    if state.config().graphiql {
        Html(
            async_graphql::http::GraphiQLSource::build()
                .endpoint("/graphql")
                .finish(),
        )
        .into_response()
    } else {
        (
            StatusCode::METHOD_NOT_ALLOWED,
            "GraphiQL is disabled; POST GraphQL requests here",
        )
            .into_response()
    }
}

/// Ready when the database answers with haven's schema in place: that is all a request needs.
/// Redis is reported in the body but does not make the service unready, because haven serves
/// without it (an orchestrator would otherwise take every replica out during a Redis outage).
async fn readyz(State(state): State<AppState>) -> Response {
    let db_ok = matches!(
        tokio::time::timeout(Duration::from_secs(2), db::check_ready(state.db())).await,
        Ok(Ok(()))
    );
    let redis = match state.redis() {
        Some(r) => Some(r.ping().await),
        None => None,
    };
    let status = if db_ok {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let body = json!({
        "status": if db_ok { "ready" } else { "unready" },
        "database": if db_ok { "up" } else { "down" },
        "redis": match redis { None => "not configured", Some(true) => "up", Some(false) => "down" },
    });
    (status, Json(body)).into_response()
}

/// Metrics in the Prometheus text format.
async fn metrics(State(state): State<AppState>) -> Response {
    crate::metrics::observe_pool(state.db(), state.config().db_max_connections);
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; version=0.0.4",
        )],
        crate::metrics::render(),
    )
        .into_response()
}
