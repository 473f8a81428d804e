//! The application: shared state, the HTTP router, and an [`App`] that can be built and run
//! from `main` or from a test (bind to port 0, read [`App::port`], then run).

use crate::cache::{Cache, Redis};
use crate::config::Config;
use crate::db::{self, MigrationStep};
use crate::graphql::limits::QueryLimits;
use crate::graphql::{self, HavenSchema};
use crate::http::router;
use crate::rate::Limiter;
use crate::seed;
use sea_orm::DatabaseConnection;
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
    cache: Cache,
    limiter: Limiter,
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
    /// The cross-request cache.
    pub fn cache(&self) -> &Cache {
        &self.0.cache
    }
    /// The rate limits.
    pub fn limiter(&self) -> &Limiter {
        &self.0.limiter
    }
    /// The configuration the app was built with.
    pub fn config(&self) -> &Config {
        &self.0.config
    }
    /// The token checker.
    pub fn auth(&self) -> &crate::auth::Authenticator {
        &self.0.auth
    }
    /// The executable schema.
    pub fn schema(&self) -> &HavenSchema {
        &self.0.schema
    }
    /// The bounds every document is checked against before execution.
    pub fn limits(&self) -> QueryLimits {
        self.0.config.query_limits
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
        let generations = Arc::new(crate::cache::generations::Local::default());
        let db = db::connect_with(&config, generations.clone())
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
        let cache = Cache::new(config.cache, redis.clone(), generations);
        let limiter = Limiter::new(config.rate_limits.clone(), redis.clone());
        let schema = graphql::build_schema(config.partner_suppression);
        crate::metrics::install();
        Ok(Self {
            listener,
            state: AppState(Arc::new(Inner {
                config,
                auth,
                db,
                redis,
                cache,
                limiter,
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
        // Requests know their peer's address: anonymous rate limits count by it.
        let service =
            router(self.state.clone()).into_make_service_with_connect_info::<SocketAddr>();
        let server = axum::serve(self.listener, service).with_graceful_shutdown(async move {
            shutdown.await;
            let _ = tx.send(());
        });
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
        // Requests still running hold pooled connections, and closing the pool would wait for
        // them: give it a moment, then leave them to the runtime's shutdown.
        let close = self.state.0.db.clone().close();
        if tokio::time::timeout(Duration::from_secs(2), close)
            .await
            .is_err()
        {
            tracing::warn!("database connections still busy at shutdown; leaving them");
        }
        Ok(())
    }
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
