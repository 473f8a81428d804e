//! Process metrics through the `metrics` facade, rendered by the Prometheus exporter at
//! `/metrics`: request durations by operation and outcome, errors by code, SQL statement
//! durations, the connection pool, and build information.
//!
//! The recorder is process-wide (several apps in one test process share it). Label values
//! that clients choose, such as operation names, are bounded so that no client can grow the
//! number of series without limit.

use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use sea_orm::{DatabaseConnection, DbBackend};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::{Mutex, OnceLock, RwLock};
use std::time::Duration;

static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();

/// Seconds: from a cached `{ __typename }` to a slow report.
const REQUEST_BUCKETS: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];
/// Seconds: an index lookup to a statement that hits the statement timeout.
const SQL_BUCKETS: &[f64] = &[
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0, 5.0, 10.0,
];

/// Installs the recorder once per process and starts its upkeep (histograms are drained every
/// few seconds, so memory stays flat even when nobody scrapes).
pub fn install() {
    HANDLE.get_or_init(|| {
        let built = PrometheusBuilder::new()
            .set_buckets_for_metric(
                Matcher::Full("haven_graphql_request_duration_seconds".into()),
                REQUEST_BUCKETS,
            )
            .and_then(|b| {
                b.set_buckets_for_metric(
                    Matcher::Full("haven_sql_statement_duration_seconds".into()),
                    SQL_BUCKETS,
                )
            })
            .and_then(|b| b.install_recorder());
        match built {
            Ok(handle) => {
                let upkeep = handle.clone();
                let _ = std::thread::Builder::new()
                    .name("metrics-upkeep".into())
                    .spawn(move || {
                        loop {
                            std::thread::sleep(Duration::from_secs(5));
                            upkeep.run_upkeep();
                        }
                    });
                metrics::gauge!("haven_build_info", "version" => env!("CARGO_PKG_VERSION"))
                    .set(1.0);
                Some(handle)
            }
            Err(e) => {
                tracing::warn!(error = %e, "metrics recorder not installed");
                None
            }
        }
    });
}

/// The text exposition of every metric.
pub fn render() -> String {
    match HANDLE.get() {
        Some(Some(h)) => h.render(),
        _ => String::new(),
    }
}

/// The outcomes a request is recorded under.
pub const OUTCOMES: [&str; 5] = ["ok", "partial", "error", "refused", "timeout"];

/// Registered histograms of one operation by outcome, made when first needed: recording
/// through a handle needs no key to be built, hashed and looked up per request.
type Durations = [Option<metrics::Histogram>; OUTCOMES.len()];

/// Records one GraphQL request: its duration by operation and outcome, and its errors by code.
/// `operation` is a label from [`operation_label`].
pub fn record_request(operation: &str, outcome: &'static str, codes: &[String], elapsed: Duration) {
    static REQUESTS: OnceLock<metrics::Counter> = OnceLock::new();
    static BY_OPERATION: RwLock<Option<HashMap<String, Durations>>> = RwLock::new(None);
    REQUESTS
        .get_or_init(|| metrics::counter!("haven_graphql_requests_total"))
        .increment(1);
    let index = OUTCOMES.iter().position(|o| *o == outcome).unwrap_or(2);
    let secs = elapsed.as_secs_f64();
    let recorded = BY_OPERATION.read().ok().is_some_and(|map| {
        map.as_ref()
            .and_then(|m| m.get(operation)?[index].as_ref())
            .map(|h| h.record(secs))
            .is_some()
    });
    if !recorded && let Ok(mut map) = BY_OPERATION.write() {
        // Bounded by `operation_label`: at most MAX_OPERATIONS names and a few fixed labels.
        let slot = &mut map
            .get_or_insert_with(HashMap::new)
            .entry(operation.to_owned())
            .or_default()[index];
        slot.get_or_insert_with(|| {
            metrics::histogram!(
                "haven_graphql_request_duration_seconds",
                "operation" => operation.to_owned(),
                "outcome" => outcome,
            )
        })
        .record(secs);
    }
    for code in codes {
        metrics::counter!("haven_graphql_errors_total", "code" => code.clone()).increment(1);
    }
}

/// Records one SQL statement.
pub fn record_statement(elapsed: Duration, failed: bool) {
    metrics::counter!("haven_sql_statements_total").increment(1);
    metrics::histogram!(
        "haven_sql_statement_duration_seconds",
        "outcome" => if failed { "error" } else { "ok" },
    )
    .record(elapsed.as_secs_f64());
}

/// Counts a cache lookup's outcome (`hit`, `miss`, `error`, `eviction`) by kind of entry.
pub fn record_cache(kind: &'static str, outcome: &'static str) {
    metrics::counter!("haven_cache_total", "kind" => kind, "outcome" => outcome).increment(1);
}

/// Counts a request refused for its client's rate limit, by class of client.
pub fn record_rate_limited(class: &'static str) {
    metrics::counter!("haven_rate_limited_total", "class" => class).increment(1);
}

/// Counts a request that waited for a pooled connection longer than the acquire timeout.
pub fn record_pool_timeout() {
    metrics::counter!("haven_db_pool_acquire_timeouts_total").increment(1);
}

/// Samples the pool: connections in use and idle, and its size limit.
pub fn observe_pool(db: &DatabaseConnection, max: u32) {
    let (size, idle) = match db.get_database_backend() {
        DbBackend::Postgres => {
            let p = db.get_postgres_connection_pool();
            (p.size(), p.num_idle())
        }
        DbBackend::Sqlite => {
            let p = db.get_sqlite_connection_pool();
            (p.size(), p.num_idle())
        }
        _ => return,
    };
    let idle = u32::try_from(idle).unwrap_or(u32::MAX);
    metrics::gauge!("haven_db_pool_connections", "state" => "in_use")
        .set(f64::from(size.saturating_sub(idle)));
    metrics::gauge!("haven_db_pool_connections", "state" => "idle").set(f64::from(idle));
    metrics::gauge!("haven_db_pool_max_connections").set(f64::from(max));
}

/// Most distinct operation names kept as labels; later ones are counted as `other`.
const MAX_OPERATIONS: usize = 200;

/// The operation name as a metric label: `-` for none, `invalid` for names that are not
/// GraphQL names of at most 64 characters, `other` once [`MAX_OPERATIONS`] names were seen.
pub fn operation_label(name: Option<&str>) -> Cow<'static, str> {
    static SEEN: Mutex<Option<HashSet<String>>> = Mutex::new(None);
    let Some(name) = name.filter(|n| !n.is_empty()) else {
        return Cow::Borrowed("-");
    };
    let valid = name.len() <= 64
        && name.bytes().all(|b| b == b'_' || b.is_ascii_alphanumeric())
        && !name.as_bytes()[0].is_ascii_digit();
    if !valid {
        return Cow::Borrowed("invalid");
    }
    let Ok(mut seen) = SEEN.lock() else {
        return Cow::Borrowed("other");
    };
    let seen = seen.get_or_insert_with(HashSet::new);
    if seen.contains(name) || seen.len() < MAX_OPERATIONS {
        seen.insert(name.to_owned());
        Cow::Owned(name.to_owned())
    } else {
        Cow::Borrowed("other")
    }
}
