//! GraphQL responses over HTTP, as the GraphQL-over-HTTP specification asks: a client that
//! accepts `application/graphql-response+json` learns from the status whether the request was
//! executed at all (4xx when it was not); `application/json` clients get 200 for every GraphQL
//! error, as they have always expected. Failures before GraphQL (a body too large, not JSON)
//! are 4xx for both, with a GraphQL error body all the same.

use crate::error::Code;
use async_graphql::{ServerError, Value};
use axum::http::header::{ACCEPT, CACHE_CONTROL, CONTENT_TYPE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// The media type of the GraphQL-over-HTTP specification.
pub const GRAPHQL_RESPONSE: &str = "application/graphql-response+json";

/// Which response media type the client asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Media {
    /// `application/graphql-response+json`: request errors answer 4xx.
    GraphqlResponse,
    /// `application/json` (or anything else): GraphQL errors answer 200.
    Json,
}

impl Media {
    /// From the `Accept` header; the GraphQL media type wins when the client lists it.
    pub fn from_accept(headers: &HeaderMap) -> Self {
        let accepts = headers
            .get_all(ACCEPT)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .any(|t| {
                t.split(';')
                    .next()
                    .is_some_and(|m| m.trim().eq_ignore_ascii_case(GRAPHQL_RESPONSE))
            });
        if accepts {
            Self::GraphqlResponse
        } else {
            Self::Json
        }
    }

    fn content_type(self) -> &'static str {
        match self {
            Self::GraphqlResponse => GRAPHQL_RESPONSE,
            Self::Json => "application/json",
        }
    }
}

/// A GraphQL error with a code, at no position (request-level).
pub fn error(code: Code, message: impl Into<String>) -> ServerError {
    let mut err = ServerError::new(message, None);
    crate::graphql::codes::mark(std::slice::from_mut(&mut err), code);
    err
}

/// The `extensions.code` of an error, if it has one of ours.
pub fn code_of(err: &ServerError) -> Option<Code> {
    match err.extensions.as_ref()?.get("code")? {
        Value::String(s) => Code::parse(s),
        _ => None,
    }
}

/// A response that only carries errors, with `status` for clients of either media type.
/// `json_status` is what `application/json` clients get (200 for GraphQL-level errors).
pub fn errors(
    media: Media,
    status: StatusCode,
    json_status: StatusCode,
    errors: Vec<ServerError>,
) -> Response {
    let status = match media {
        Media::GraphqlResponse => status,
        Media::Json => json_status,
    };
    send(media, status, &async_graphql::Response::from_errors(errors))
}

/// A complete response (no errors) already serialised, as the cache keeps it: 200.
pub fn send_bytes(media: Media, body: axum::body::Bytes) -> Response {
    let mut out = (StatusCode::OK, body).into_response();
    out.headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(media.content_type()));
    out
}

/// Serialises `resp` with the right media type, cache and extra headers.
pub fn send(media: Media, status: StatusCode, resp: &async_graphql::Response) -> Response {
    let body = match serde_json::to_vec(resp) {
        Ok(b) => b,
        Err(e) => {
            tracing::error!(error = %e, "cannot serialise a response");
            serde_json::json!({ "errors": [{
                "message": "internal error",
                "extensions": { "code": Code::Internal.as_str() },
            }] })
            .to_string()
            .into_bytes()
        }
    };
    let mut out = (status, body).into_response();
    let headers = out.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(media.content_type()));
    if let Some(v) = resp
        .cache_control
        .value()
        .and_then(|v| HeaderValue::from_str(&v).ok())
    {
        headers.insert(CACHE_CONTROL, v);
    }
    for (name, value) in resp.http_headers.iter() {
        headers.append(name, value.clone());
    }
    out
}
