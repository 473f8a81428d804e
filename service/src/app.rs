//! The application: shared state, the HTTP router, and an [`App`] that can be built and run
//! from `main` or from a test (bind to port 0, read [`App::port`], then run).

use crate::auth::Viewer;
use crate::cache::Redis;
use crate::config::Config;
use crate::db::{self, MigrationStep, partners, stats};
use crate::error::Error;
use crate::graphql::{self, HavenSchema, loaders};
use crate::seed;
use async_graphql::http::GraphiQLSource;
use async_graphql_axum::{GraphQLRequest, GraphQLResponse};
use axum::extract::State;
use axum::http::header::AUTHORIZATION;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use sea_orm::DatabaseConnection;
use serde_json::json;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;

/// State shared by every request; cheap to clone.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

struct Inner {
    config: Config,
    auth: crate::auth::Authenticator,
    db: DatabaseConnection,
    redis: Option<Redis>,
    schema: HavenSchema,
}

impl AppState {
    /// The database pool.
    pub fn db(&self) -> &DatabaseConnection {
        &self.0.db
    }
    /// Redis, when configured.
    pub fn redis(&self) -> Option<&Redis> {
        self.0.redis.as_ref()
    }
}

/// A built application, bound to its port and ready to run.
pub struct App {
    listener: TcpListener,
    state: AppState,
}

impl App {
    /// Connects to the database, applies migrations, seeds the demo set into an empty
    /// database (when enabled), prepares Redis lazily and binds the listener.
    pub async fn build(config: Config) -> anyhow::Result<Self> {
        let auth = config.authenticator()?;
        db::migrate(&config, MigrationStep::Up)
            .await
            .map_err(|e| anyhow::anyhow!("cannot migrate the database: {e}"))?;
        let db = db::connect(&config)
            .await
            .map_err(|e| anyhow::anyhow!("cannot connect to the database: {e}"))?;
        if config.seed_demo && seed::is_empty(&db).await? {
            let counts = seed::demo::seed(&db).await?;
            tracing::info!(?counts, "seeded the demo data set into the empty database");
        }
        let redis = match config.redis_url.as_deref() {
            Some(url) => Some(
                Redis::connect_lazy(url, &config.redis_prefix)
                    .map_err(|e| anyhow::anyhow!("invalid REDIS_URL: {e}"))?,
            ),
            None => None,
        };
        let listener = TcpListener::bind(config.listen)
            .await
            .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", config.listen))?;
        let schema = graphql::build_schema();
        Ok(Self {
            listener,
            state: AppState(Arc::new(Inner {
                config,
                auth,
                db,
                redis,
                schema,
            })),
        })
    }

    /// The address the server listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .unwrap_or(self.state.0.config.listen)
    }

    /// The port the server listens on (useful when binding port 0).
    pub fn port(&self) -> u16 {
        self.local_addr().port()
    }

    /// The shared state (for tests and tools).
    pub fn state(&self) -> AppState {
        self.state.clone()
    }

    /// Serves until `shutdown` resolves, then lets in-flight requests finish (bounded by the
    /// configured shutdown timeout).
    pub async fn run_until_stopped(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let grace = Duration::from_secs(self.state.0.config.shutdown_timeout_s);
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let server = axum::serve(self.listener, router(self.state.clone())).with_graceful_shutdown(
            async move {
                shutdown.await;
                let _ = tx.send(());
            },
        );
        let deadline = async move {
            // Only after shutdown began does the grace period start.
            if rx.await.is_ok() {
                tokio::time::sleep(grace).await;
            } else {
                std::future::pending::<()>().await;
            }
        };
        tokio::select! {
            r = server => r?,
            () = deadline => tracing::warn!("in-flight requests did not finish within {grace:?}; stopping"),
        }
        self.state.0.db.clone().close().await.ok();
        Ok(())
    }
}

/// The HTTP routes of haven.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/graphql", get(graphiql).post(graphql_handler))
        .route(
            "/healthz",
            get(|| async { Json(json!({ "status": "ok" })) }),
        )
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
        .with_state(state)
}

/// The viewer of a request: a token's user, an API key's partner, or anonymous.
async fn viewer_of(state: &AppState, headers: &HeaderMap) -> crate::error::Result<Viewer> {
    let header = |name: &str| headers.get(name).map(|v| v.to_str().unwrap_or_default());
    match (header(AUTHORIZATION.as_str()), header(API_KEY)) {
        (Some(_), Some(_)) => Err(Error::Unauthenticated(
            "send a token or an API key, not both".into(),
        )),
        (None, Some(key)) => match partners::find_key(&state.0.db, key.trim()).await? {
            Some(k) => Ok(Viewer::Partner {
                partner: k.partner_id,
                scopes: k.scopes,
            }),
            None => Err(Error::Unauthenticated("unknown or revoked API key".into())),
        },
        (authorization, None) => state.0.auth.viewer(authorization),
    }
}

/// The header partners send their API key in.
const API_KEY: &str = "x-api-key";

/// Executes one GraphQL request with fresh per-request loaders and counts its statements.
async fn graphql_handler(
    State(state): State<AppState>,
    headers: HeaderMap,
    req: GraphQLRequest,
) -> GraphQLResponse {
    let viewer = match viewer_of(&state, &headers).await {
        Ok(v) => v,
        // Bad credentials fail the whole request: never answer as someone else, or as nobody.
        Err(e) => {
            let err = e
                .into_graphql()
                .into_server_error(async_graphql::Pos::default());
            return async_graphql::Response::from_errors(vec![err]).into();
        }
    };
    let db = state.0.db.clone();
    let delay = Duration::from_millis(state.0.config.loader_delay_ms);
    let req = req
        .into_inner()
        .data(viewer)
        .data(db.clone())
        .data(loaders::for_request(db, delay));
    let (mut resp, statements) = stats::counted(state.0.schema.execute(req)).await;
    if state.0.config.debug_stats {
        resp = resp.extension(
            "sqlStatements",
            async_graphql::Value::from(statements as u64),
        );
    }
    resp.into()
}

async fn graphiql(State(state): State<AppState>) -> Response {
    if state.0.config.graphiql {
        Html(GraphiQLSource::build().endpoint("/graphql").finish()).into_response()
    } else {
        (
            StatusCode::METHOD_NOT_ALLOWED,
            "GraphiQL is disabled; POST GraphQL requests here",
        )
            .into_response()
    }
}

/// Ready when the database answers with haven's schema in place, and Redis answers when it is
/// configured.
async fn readyz(State(state): State<AppState>) -> Response {
    let db_ok = matches!(
        tokio::time::timeout(Duration::from_secs(2), db::check_ready(&state.0.db)).await,
        Ok(Ok(()))
    );
    let redis = match state.redis() {
        Some(r) => Some(r.ping().await),
        None => None,
    };
    let ready = db_ok && redis.unwrap_or(true);
    let status = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let body = json!({
        "status": if ready { "ready" } else { "unready" },
        "database": if db_ok { "up" } else { "down" },
        "redis": match redis { None => "not configured", Some(true) => "up", Some(false) => "down" },
    });
    (status, Json(body)).into_response()
}

/// Process metrics in the Prometheus text format.
async fn metrics() -> Response {
    let body = format!(
        "# HELP haven_sql_statements_total SQL statements executed by this process.\n\
         # TYPE haven_sql_statements_total counter\n\
         haven_sql_statements_total {}\n\
         # HELP haven_graphql_requests_total GraphQL requests executed by this process.\n\
         # TYPE haven_graphql_requests_total counter\n\
         haven_graphql_requests_total {}\n",
        stats::total_statements(),
        stats::total_requests(),
    );
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; version=0.0.4",
        )],
        body,
    )
        .into_response()
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down: finishing in-flight requests");
}
