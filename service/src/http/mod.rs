//! The HTTP surface of haven: routes, request ids, health, readiness and metrics. The GraphQL
//! endpoint itself lives in [`graphql`].

pub mod graphql;
mod reply;

use crate::app::AppState;
use crate::db;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;
use std::time::Duration;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};

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
        // Outermost first: make an id when the client sent none, then copy it to the response.
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
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
