//! Executing a prepared GraphQL request: fresh per-request loaders, the request timeout, the
//! statement count, and the cross-request cache.
//!
//! A query of a viewer who can see no personal data (anonymous, a partner key) is answered
//! from the cache when the same document (in normal form: whitespace and comments do not
//! count), operation and variables were answered at the same
//! data generations; only complete answers (no errors) are kept. Every request notes the tables
//! its statements wrote and moves their shared generations before it answers, so a read on any
//! replica after the response is keyed anew (see [`crate::cache::Cache::moving`]).

use super::graphql::{Outcome, codes};
use super::reply::{self, Media};
use crate::app::AppState;
use crate::auth::Viewer;
use crate::cache::{Kind, View};
use crate::db::stats;
use crate::error::Code;
use crate::graphql::loaders;
use axum::http::StatusCode;
use axum::response::Response;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// What running a request came to: its response and the statements it ran, or `None` when
/// it timed out.
type Ran = Option<(async_graphql::Response, usize)>;

/// Runs `request` with fresh loaders, under the request timeout, and moves the generations
/// of what it wrote.
async fn run(
    state: &AppState,
    view: &View,
    request: async_graphql::Request,
    viewer: Viewer,
    read_only: bool,
) -> Ran {
    let db = state.db().clone();
    let (loaders, batches) = loaders::for_request(db.clone(), read_only.then(|| view.clone()));
    let request = request
        .data(viewer)
        .data(db)
        .data(loaders)
        .data(view.clone());
    let timeout = Duration::from_millis(state.config().request_timeout_ms);
    // The engine's future is large: boxed once, it is not copied at every layer that awaits it.
    // Each mutation moves the generations of what it wrote as it commits; what the request
    // wrote outside them is moved when it ends, or, when the timeout drops it, by a task of
    // its own (a field before the one that timed out may have committed).
    let run = Box::pin(state.cache().moving(stats::counted(loaders::levels::drive(
        batches,
        state.schema().execute(request),
    ))));
    within(timeout, run).await
}

/// What preparing a request found out about the operation it runs.
#[derive(Debug, Clone, Copy)]
pub(super) struct Plan {
    /// A query: it writes nothing.
    pub(super) read_only: bool,
    /// It selects a field whose every call is logged ([`crate::graphql::LOGGED_FIELDS`]).
    pub(super) logged: bool,
}

/// Who an answer may be shared with: the viewers who can see no personal data, by class.
fn shared_class(viewer: &Viewer) -> Option<String> {
    match viewer {
        Viewer::Anonymous => Some("anonymous".into()),
        // Keyed by key: what a key may see can differ between keys (a key may be limited to
        // some networks).
        Viewer::Partner { key, .. } => Some(format!("partner:{key}")),
        Viewer::User { .. } => None,
    }
}

/// Executes a prepared request, from the cache where it may be.
#[allow(clippy::too_many_arguments)]
pub(super) async fn execute(
    state: &AppState,
    view: View,
    request: async_graphql::Request,
    viewer: Viewer,
    media: Media,
    operation: std::borrow::Cow<'static, str>,
    plan: Plan,
) -> (Response, Outcome) {
    // A field whose every call is logged must reach its resolver: such an answer is never
    // served from the cache (its figures are cached one by one instead).
    let class = shared_class(&viewer).filter(|_| plan.read_only && !plan.logged);
    let key = match &class {
        Some(class) => {
            let variables = serde_json::to_vec(&request.variables).unwrap_or_default();
            let op = request.operation_name.clone().unwrap_or_default();
            // The same query written with other whitespace or comments is the same entry.
            let document = crate::graphql::limits::normalise(&request.query);
            let parts: [&[u8]; 4] = [class.as_bytes(), &document, op.as_bytes(), &variables];
            view.key(Kind::Response, &parts).await
        }
        None => None,
    };
    let Some(key) = key else {
        let ran = run(state, &view, request, viewer, plan.read_only).await;
        return respond(state, ran, media, operation);
    };
    let statements = Arc::new(AtomicUsize::new(0));
    let counted = statements.clone();
    let got = state
        .cache()
        .get_or_compute(Kind::Response, key, async move {
            match run(state, &view, request, viewer, plan.read_only).await {
                Some((resp, statements)) => {
                    counted.store(statements, Ordering::Relaxed);
                    let body = serde_json::to_vec(&resp).map_err(|_| None)?;
                    if resp.errors.is_empty() {
                        Ok(body)
                    } else {
                        Err(Some(body))
                    }
                }
                None => Err(None),
            }
        })
        .await;
    // A complete answer goes out as it was kept, unless the statement count is to be added.
    if let Ok(body) = &got
        && !state.config().debug_stats
    {
        let outcome = Outcome {
            operation,
            result: "ok",
            codes: Vec::new(),
        };
        return (reply::send_bytes(media, body.clone()), outcome);
    }
    let body = match &got {
        Ok(body) => Some(&body[..]),
        Err(e) => e.as_ref().as_deref(),
    };
    let ran = match body.map(serde_json::from_slice::<async_graphql::Response>) {
        Some(Ok(resp)) => Some((resp, statements.load(Ordering::Relaxed))),
        _ => None,
    };
    respond(state, ran, media, operation)
}

/// The HTTP response and outcome of a run.
fn respond(
    state: &AppState,
    ran: Ran,
    media: Media,
    operation: std::borrow::Cow<'static, str>,
) -> (Response, Outcome) {
    let Some((mut resp, statements)) = ran else {
        // Dropping the execution rolled back any open transaction; its loaders' statements
        // end by themselves (PostgreSQL's statement timeout bounds them).
        let timeout = state.config().request_timeout_ms;
        let err = reply::error(
            Code::Unavailable,
            format!("the request did not finish within {timeout} ms and was stopped"),
        );
        let outcome = Outcome {
            operation,
            result: "timeout",
            codes: vec![Code::Unavailable.as_str().into()],
        };
        let resp = reply::errors(
            media,
            StatusCode::GATEWAY_TIMEOUT,
            StatusCode::OK,
            vec![err],
        );
        return (resp, outcome);
    };
    if state.config().debug_stats {
        resp = resp.extension(
            "sqlStatements",
            async_graphql::Value::from(statements as u64),
        );
    }
    crate::graphql::codes::attach(&mut resp);
    let executed = resp.data != async_graphql::Value::Null || resp.errors.is_empty();
    let result = match (resp.errors.is_empty(), executed) {
        (true, _) => "ok",
        (false, true) => "partial",
        (false, false) => "error",
    };
    // A document the engine refused to run (it did not validate) is a request error: 400 for
    // clients of the GraphQL media type. Execution errors keep 200.
    let status = if media == Media::GraphqlResponse && !executed && refused_before_execution(&resp)
    {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let outcome = Outcome {
        operation,
        result,
        codes: codes(&resp.errors),
    };
    (reply::send(media, status, &resp), outcome)
}

/// `fut`'s output, or `None` when it takes longer than `limit`. A request that needs no I/O
/// finishes on its first poll; only one that waits gets a timer (registering one costs more
/// than answering `{ __typename }`).
async fn within<F: std::future::Future>(limit: Duration, fut: F) -> Option<F::Output> {
    let mut fut = std::pin::pin!(fut);
    let first = std::future::poll_fn(|cx| std::task::Poll::Ready(fut.as_mut().poll(cx))).await;
    match first {
        std::task::Poll::Ready(out) => Some(out),
        std::task::Poll::Pending => tokio::time::timeout(limit, fut).await.ok(),
    }
}

/// Whether every error of a response without data says the document was refused.
fn refused_before_execution(resp: &async_graphql::Response) -> bool {
    resp.errors.iter().all(|e| {
        matches!(
            reply::code_of(e),
            Some(Code::ParseFailed | Code::ValidationFailed)
        )
    })
}
