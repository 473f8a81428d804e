//! Counting the SQL statements each request causes.
//!
//! sea-orm calls the metric callback inline in the task that ran the statement. The request
//! handler opens a task-local counter scope around the execution, and dataloader batches run
//! inside the request's task (see `graphql::loaders::levels`); so a request's count includes the
//! statements of its dataloaders. Every statement also lands in the process metrics.

use crate::cache::generations::Local;
use sea_orm::DatabaseConnection;
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

tokio::task_local! {
    static REQUEST_COUNTER: Arc<AtomicUsize>;
}

/// Registers the counting callback on a connection (before it is cloned); writes move the
/// generations of `local`.
pub fn install(db: &mut DatabaseConnection, local: Arc<Local>) {
    db.set_metric_callback(move |info| {
        crate::metrics::record_statement(info.elapsed, info.failed);
        if !info.failed {
            local.note(&info.statement.sql);
        }
        tracing::debug!(target: "haven::sql", elapsed = ?info.elapsed, failed = info.failed, "{}", info.statement.sql);
        let _ = REQUEST_COUNTER.try_with(|c| c.fetch_add(1, Ordering::Relaxed));
    });
}

/// Runs `fut` with a fresh per-request counter and returns its result with the count.
pub async fn counted<F: Future>(fut: F) -> (F::Output, usize) {
    let counter = Arc::new(AtomicUsize::new(0));
    let out = REQUEST_COUNTER.scope(counter.clone(), fut).await;
    (out, counter.load(Ordering::Relaxed))
}

/// `fut`, with its statements counted against the request that makes it, wherever it runs (a
/// task of its own, say).
pub fn for_this_request<F: Future>(fut: F) -> impl Future<Output = F::Output> {
    let counter = REQUEST_COUNTER.try_with(Arc::clone).ok();
    async move {
        match counter {
            Some(counter) => REQUEST_COUNTER.scope(counter, fut).await,
            None => fut.await,
        }
    }
}
