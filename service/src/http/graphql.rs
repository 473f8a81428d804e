//! `POST /graphql`: one GraphQL request from bytes to response, bounded at every step.
//!
//! 1. The body is read up to `HAVEN_MAX_BODY_BYTES` (413 past it) and must be a JSON object.
//! 2. The viewer comes from the token or API key; bad credentials fail the whole request.
//!    The request counts against its client's rate limit (`limit.rs`).
//! 3. The document is scanned, parsed and measured against [`QueryLimits`] before the engine
//!    sees it; large documents are prepared on the blocking pool, so a worker thread is never
//!    busy with one request's parsing while others wait.
//! 4. Execution gets fresh per-request loaders and runs under `HAVEN_REQUEST_TIMEOUT_MS`;
//!    a public read may be answered from the cross-request cache instead (`execute.rs`).
//!
//! Each request runs in a span with its request id, operation name and viewer role (never
//! personal data), and ends in the request metrics.

use super::REQUEST_ID;
use super::execute::Plan;
use super::reply::{self, Media};
use crate::app::AppState;
use crate::auth::Viewer;
use crate::cache::{Kind, View};
use crate::db::partners::{self, PartnerKey};
use crate::error::Code;
use crate::error::Error;
use crate::graphql::limits::{self, QueryLimits, Refusal};
use crate::rate::Client;
use async_graphql::ServerError;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{ConnectInfo, State};
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use std::net::SocketAddr;
use std::time::Instant;
use tracing::Instrument;

/// The header partners send their API key in.
const API_KEY: &str = "x-api-key";

/// Documents up to this size are prepared inline: it takes microseconds, less than a hop to
/// the blocking pool.
const INLINE_PREPARE_BYTES: usize = 4 * 1024;

/// The GraphQL endpoint.
pub async fn handler(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let request_id = super::request_id(&headers);
    let span = tracing::info_span!(
        "graphql",
        request_id = request_id.to_str().unwrap_or_default(),
        operation = tracing::field::Empty,
        role = tracing::field::Empty,
    );
    let started = Instant::now();
    let media = Media::from_accept(&headers);
    let (mut resp, outcome) = serve(&state, &headers, peer, body, media)
        .instrument(span.clone())
        .await;
    let elapsed = started.elapsed();
    resp.headers_mut().insert(REQUEST_ID, request_id);
    crate::metrics::record_request(&outcome.operation, outcome.result, &outcome.codes, elapsed);
    span.in_scope(|| {
        tracing::debug!(
            status = resp.status().as_u16(),
            outcome = outcome.result,
            ms = elapsed.as_secs_f64() * 1e3,
            "request finished"
        );
    });
    resp
}

/// What a request came to, for metrics.
pub(super) struct Outcome {
    pub(super) operation: std::borrow::Cow<'static, str>,
    /// `ok`, `partial` (data and errors), `error` (no data) or `refused` (never executed).
    pub(super) result: &'static str,
    pub(super) codes: Vec<String>,
}

impl Outcome {
    pub(super) fn refused(errors: &[ServerError]) -> Self {
        Self {
            operation: std::borrow::Cow::Borrowed("-"),
            result: "refused",
            codes: codes(errors),
        }
    }
}

pub(super) fn codes(errors: &[ServerError]) -> Vec<String> {
    errors
        .iter()
        .map(|e| {
            reply::code_of(e)
                .unwrap_or(Code::Internal)
                .as_str()
                .to_owned()
        })
        .collect()
}

/// A request that was not executed: its errors, answered with `status` (4xx) to clients of
/// the GraphQL media type and with `json_status` to `application/json` clients.
fn refuse(
    media: Media,
    status: StatusCode,
    json_status: StatusCode,
    errors: Vec<ServerError>,
) -> (Response, Outcome) {
    let outcome = Outcome::refused(&errors);
    (reply::errors(media, status, json_status, errors), outcome)
}

async fn serve(
    state: &AppState,
    headers: &HeaderMap,
    peer: SocketAddr,
    body: Result<Bytes, BytesRejection>,
    media: Media,
) -> (Response, Outcome) {
    let bad = |status: StatusCode, message: String| {
        refuse(
            media,
            status,
            status,
            vec![reply::error(Code::BadUserInput, message)],
        )
    };
    if !is_json(headers) {
        return bad(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "send the GraphQL request as JSON (Content-Type: application/json)".into(),
        );
    }
    let body = match body {
        Ok(b) => b,
        Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            let limit = state.config().max_body_bytes;
            return bad(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("the request body is larger than {limit} bytes"),
            );
        }
        Err(rejection) => {
            return bad(
                StatusCode::BAD_REQUEST,
                format!("cannot read the request body: {rejection}"),
            );
        }
    };
    let view = state.cache().view();
    let address = super::limit::client_address(state, headers, peer);
    let viewer = match viewer_of(state, &view, headers).await {
        Ok(v) => v,
        // Bad credentials fail the whole request: never answer as someone else, or as nobody.
        // They count against the client's address, so guessing keys is bounded too.
        Err(e) => {
            if let Err(refused) = super::limit::check(state, &Client::Address(address), media).await
            {
                return refused;
            }
            let status = match e.code() {
                Code::Unauthenticated => StatusCode::UNAUTHORIZED,
                _ => StatusCode::SERVICE_UNAVAILABLE,
            };
            let err = e
                .into_graphql()
                .into_server_error(async_graphql::Pos::default());
            return refuse(media, status, StatusCode::OK, vec![err]);
        }
    };
    if let Err(refused) = super::limit::check(state, &Client::of(&viewer, address), media).await {
        return refused;
    }
    let request = match parse_body(&body) {
        Ok(r) => r,
        Err(message) => return bad(StatusCode::BAD_REQUEST, message),
    };
    let (request, keep) = match super::apq::resolve(state, request).await {
        Ok(r) => r,
        Err(err) => return refuse(media, StatusCode::OK, StatusCode::OK, vec![err]),
    };
    let span = tracing::Span::current();
    span.record("role", viewer.role_name());
    let limits = state.limits();
    let (request, plan) = match prepare(request, limits).await {
        Ok(r) => r,
        Err(err) => return refuse(media, StatusCode::BAD_REQUEST, StatusCode::OK, vec![err]),
    };
    if let Some(hash) = keep {
        super::apq::keep(state, &hash, &request).await;
    }
    let operation = crate::metrics::operation_label(request.operation_name.as_deref());
    span.record("operation", &*operation);
    super::execute::execute(state, view, request, viewer, media, operation, plan).await
}

/// JSON, or no content type at all (curl without `-H`); anything else is refused with 415.
fn is_json(headers: &HeaderMap) -> bool {
    let Some(value) = headers.get(CONTENT_TYPE) else {
        return true;
    };
    let Ok(value) = value.to_str() else {
        return false;
    };
    let media = value.split(';').next().unwrap_or_default().trim();
    media.eq_ignore_ascii_case("application/json")
        || media.eq_ignore_ascii_case(reply::GRAPHQL_RESPONSE)
}

/// The body as one GraphQL request (`query`, `operationName`, `variables`, `extensions`).
fn parse_body(body: &[u8]) -> Result<async_graphql::Request, String> {
    let first = body.iter().find(|b| !b.is_ascii_whitespace());
    match first {
        None => Err("the request body is empty; send {\"query\": \"…\"}".into()),
        Some(b'[') => Err(
            "batched requests (a JSON array) are not supported; send one operation per request"
                .into(),
        ),
        Some(_) => serde_json::from_slice::<async_graphql::Request>(body)
            .map_err(|e| format!("the body is not a GraphQL request: {e}")),
    }
}

/// Scans, parses and measures the document, then hands the parsed document to the request so
/// the engine does not parse it again; also says what the operation is ([`Plan`]: a query,
/// a logged field). Large documents are prepared on the blocking pool.
async fn prepare(
    mut request: async_graphql::Request,
    limits: QueryLimits,
) -> Result<(async_graphql::Request, Plan), ServerError> {
    if request.query.len() <= INLINE_PREPARE_BYTES {
        let plan = prepare_now(&mut request, &limits)?;
        return Ok((request, plan));
    }
    let done = tokio::task::spawn_blocking(move || {
        let r = prepare_now(&mut request, &limits);
        r.map(|plan| (request, plan))
    })
    .await;
    match done {
        Ok(r) => r,
        Err(e) => Err(Error::Internal(format!("preparing a document failed: {e}"))
            .into_graphql()
            .into_server_error(async_graphql::Pos::default())),
    }
}

fn prepare_now(
    request: &mut async_graphql::Request,
    limits: &QueryLimits,
) -> Result<Plan, ServerError> {
    let refused = |r: Refusal| reply::error(r.code(), r.to_string());
    limits::scan(&request.query, limits).map_err(refused)?;
    let doc = async_graphql::parser::parse_query(&request.query).map_err(|e| {
        let mut err = ServerError::from(e);
        crate::graphql::codes::mark(std::slice::from_mut(&mut err), Code::ParseFailed);
        err
    })?;
    limits::check_document(&doc, limits).map_err(refused)?;
    // Operation selection is checked here, so that the engine refuses nothing but invalid
    // documents before execution (see `codes::attach`).
    let selected = match &request.operation_name {
        Some(name) => doc
            .operations
            .iter()
            .find(|(n, _)| n.is_some_and(|n| n.as_str() == name)),
        None => doc
            .operations
            .iter()
            .next()
            .filter(|_| doc.operations.iter().count() == 1),
    };
    let Some((_, operation)) = selected else {
        let message = match &request.operation_name {
            Some(name) => format!("unknown operation named \"{name}\""),
            None => "the document has several operations: name one in `operationName`".into(),
        };
        return Err(reply::error(Code::BadUserInput, message));
    };
    let plan = Plan {
        read_only: operation.node.ty == async_graphql::parser::types::OperationType::Query,
        logged: limits::selects_any(&doc, &crate::graphql::LOGGED_FIELDS),
    };
    if request.operation_name.is_none() {
        // Name the operation for logs and metrics when the document has exactly one.
        let mut names = doc.operations.iter().map(|(name, _)| name);
        if let (Some(Some(name)), None) = (names.next(), names.next()) {
            request.operation_name = Some(name.to_string());
        }
    }
    request.set_parsed_query(doc);
    Ok(plan)
}

/// The viewer of a request: a token's user, an API key's partner, or anonymous.
async fn viewer_of(
    state: &AppState,
    view: &View,
    headers: &HeaderMap,
) -> crate::error::Result<Viewer> {
    let header = |name: &str| headers.get(name).map(|v| v.to_str().unwrap_or_default());
    match (header(AUTHORIZATION.as_str()), header(API_KEY)) {
        (Some(_), Some(_)) => Err(Error::Unauthenticated(
            "send a token or an API key, not both".into(),
        )),
        (None, Some(key)) => match partner_key(state, view, key.trim()).await? {
            Some(k) => Ok(Viewer::Partner {
                partner: k.partner_id,
                key: k.id,
                scopes: k.scopes,
                networks: k.networks,
            }),
            None => Err(Error::Unauthenticated("unknown or revoked API key".into())),
        },
        (authorization, None) => state.auth().viewer(authorization),
    }
}

/// The live key with this value, from the cache when it has it: keyed by the key's hash and
/// the data generations, so a key revoked through any replica (or `haven apikey revoke`,
/// which moves the shared generation too) is refused at once everywhere.
async fn partner_key(
    state: &AppState,
    view: &View,
    key: &str,
) -> crate::error::Result<Option<PartnerKey>> {
    // Without Redis a key revoked by `haven apikey revoke` (another process) would move no
    // generation this process sees: then every lookup reads the database.
    if state.redis().is_none() {
        return partners::find_key(state.db(), key).await;
    }
    let hash = partners::hash_key(key);
    let lookup = partners::find_key(state.db(), key);
    view.cached(Kind::ApiKey, &[hash.as_bytes()], lookup, Error::Internal)
        .await
}
