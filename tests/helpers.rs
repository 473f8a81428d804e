//! Test harness: `spawn_app()` and typed helpers to talk to the running app.

use haven::app::AppState;
use haven::{App, Config};
use sea_orm::{ConnectionTrait, Database};
use serde_json::{Value, json};
use std::net::SocketAddr;

/// A running application with its own database, stopped when dropped.
pub struct TestApp {
    pub addr: SocketAddr,
    pub config: Config,
    pub state: AppState,
    client: reqwest::Client,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    _sqlite_dir: Option<tempfile::TempDir>,
    pg_schema: Option<(String, String)>,
}

/// Whether this run targets PostgreSQL (`TEST_DATABASE_URL`).
pub fn on_postgres() -> bool {
    std::env::var("TEST_DATABASE_URL").is_ok()
}

/// A fresh database for one test: its configuration, plus what to clean up afterwards.
pub async fn fresh_database() -> (Config, Option<tempfile::TempDir>, Option<(String, String)>) {
    let mut config = Config::defaults();
    config.listen = "127.0.0.1:0".parse().expect("loopback address");
    config.db_max_connections = 4;
    config.log = "warn".into();
    // Tests send many requests from one address; `rate_limits.rs` turns the limits on.
    config.rate_limits.anonymous = 0;
    config.rate_limits.signed_in = 0;
    config.rate_limits.partner = 0;
    if let Ok(url) = std::env::var("TEST_REDIS_URL") {
        config.redis_url = Some(url);
        config.redis_prefix = format!("haven-test:{}:", uuid::Uuid::new_v4().simple());
    }
    match std::env::var("TEST_DATABASE_URL") {
        Ok(base) => {
            let schema = format!("t_{}", uuid::Uuid::new_v4().simple());
            let admin = Database::connect(&base)
                .await
                .expect("connect to TEST_DATABASE_URL");
            admin
                .execute_unprepared(&format!("CREATE SCHEMA \"{schema}\""))
                .await
                .expect("create test schema");
            admin.close().await.ok();
            config.database_url = base.clone();
            config.database_schema = Some(schema.clone());
            (config, None, Some((base, schema)))
        }
        Err(_) => {
            let dir = tempfile::tempdir().expect("temp dir");
            config.database_url = format!(
                "sqlite://{}?mode=rwc",
                dir.path().join("haven.db").display()
            );
            (config, Some(dir), None)
        }
    }
}

/// How many towns the demo set has (18 towns and 3 villages).
pub const DEMO_TOWNS: u32 = 21;

/// The token secret of the apps that tests sign tokens for.
pub const SECRET: &str = "test-secret-for-signed-requests";

/// A token signed with [`SECRET`] for ten minutes.
pub fn token(
    role: haven::auth::Role,
    sub: Option<uuid::Uuid>,
    network: Option<uuid::Uuid>,
    city: Option<uuid::Uuid>,
    groups: Vec<uuid::Uuid>,
) -> String {
    use haven::auth::{Authenticator, Claims};
    let claims = Claims {
        sub,
        role,
        network,
        city,
        groups,
        iss: None,
        aud: None,
        iat: 0,
        exp: 0,
    };
    Authenticator::new(Some(SECRET), None)
        .expect("authenticator")
        .issue(claims, std::time::Duration::from_secs(600))
        .expect("token")
}

/// Starts the app on a fresh demo database, accepting tokens signed with [`SECRET`].
pub async fn spawn_signing_app() -> TestApp {
    spawn_app_with(|c| c.jwt_secret = Some(haven::config::Secret(SECRET.into()))).await
}

/// The code of a response's first error, or "ok" when there is none.
pub fn code(resp: &Value) -> &str {
    resp["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or("ok")
}

/// Starts the app on a fresh database seeded with the demo set.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// Starts the app on a fresh database, after `adjust` has changed the configuration.
pub async fn spawn_app_with(adjust: impl FnOnce(&mut Config)) -> TestApp {
    let (mut config, dir, pg) = fresh_database().await;
    adjust(&mut config);
    let app = App::build(config.clone()).await.expect("build app");
    let addr = app.local_addr();
    let state = app.state();
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(app.run_until_stopped(async move {
        let _ = rx.await;
    }));
    TestApp {
        addr,
        config,
        state,
        client: reqwest::Client::new(),
        shutdown: Some(tx),
        _sqlite_dir: dir,
        pg_schema: pg,
    }
}

impl TestApp {
    /// The URL of `path` on this app.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// POSTs a GraphQL request and returns the whole JSON response.
    pub async fn graphql(&self, query: &str, variables: Value) -> Value {
        self.graphql_as(None, query, variables).await
    }

    /// POSTs a GraphQL request with `Authorization: Bearer <token>` when a token is given.
    pub async fn graphql_as(&self, token: Option<&str>, query: &str, variables: Value) -> Value {
        match token {
            Some(t) => {
                self.graphql_with(
                    &[("authorization", &format!("Bearer {t}"))],
                    query,
                    variables,
                )
                .await
            }
            None => self.graphql_with(&[], query, variables).await,
        }
    }

    /// POSTs a GraphQL request with extra headers.
    pub async fn graphql_with(
        &self,
        headers: &[(&str, &str)],
        query: &str,
        variables: Value,
    ) -> Value {
        let mut req = self
            .client
            .post(self.url("/graphql"))
            .json(&json!({ "query": query, "variables": variables }));
        for (name, value) in headers {
            req = req.header(*name, *value);
        }
        let resp = req.send().await.expect("POST /graphql");
        assert_eq!(resp.status(), 200, "GraphQL responses are 200");
        resp.json().await.expect("JSON response")
    }

    /// Like [`Self::graphql`], but fails the test on GraphQL errors and returns `data`.
    pub async fn data(&self, query: &str, variables: Value) -> Value {
        let resp = self.graphql(query, variables).await;
        assert!(resp.get("errors").is_none(), "unexpected errors: {resp:#}");
        resp["data"].clone()
    }

    /// The `extensions.code` of the first error of a response that must fail.
    pub async fn error_code(&self, query: &str, variables: Value) -> String {
        let resp = self.graphql(query, variables).await;
        resp["errors"][0]["extensions"]["code"]
            .as_str()
            .unwrap_or_else(|| panic!("expected an error with a code, got {resp:#}"))
            .to_owned()
    }

    /// POSTs `body` as it is to `/graphql` with `headers`; the status, the response's headers
    /// and its body as JSON (`Null` when it is not JSON).
    pub async fn post_raw(
        &self,
        body: impl Into<reqwest::Body>,
        headers: &[(&str, &str)],
    ) -> (u16, reqwest::header::HeaderMap, Value) {
        let mut req = self.client.post(self.url("/graphql")).body(body);
        for (name, value) in headers {
            req = req.header(*name, *value);
        }
        let resp = req.send().await.expect("POST /graphql");
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let body = resp.json().await.unwrap_or(Value::Null);
        (status, headers, body)
    }

    /// GETs `path` and returns the status and JSON body.
    pub async fn get_json(&self, path: &str) -> (u16, Value) {
        let resp = self.client.get(self.url(path)).send().await.expect("GET");
        let status = resp.status().as_u16();
        (status, resp.json().await.unwrap_or(Value::Null))
    }

    /// The PostgreSQL schema of this app, if it runs on PostgreSQL.
    pub fn pg_schema(&self) -> Option<&str> {
        self.pg_schema.as_ref().map(|(_, s)| s.as_str())
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some((base, schema)) = self.pg_schema.take() {
            drop_pg_schema(base, schema);
        }
    }
}

impl TestApp {
    /// Makes this app drop `pg` (a schema another process used) instead of its own, which is
    /// dropped now.
    pub fn adopt_pg_schema(&mut self, pg: Option<(String, String)>) {
        if let Some((base, schema)) = std::mem::replace(&mut self.pg_schema, pg) {
            drop_pg_schema(base, schema);
        }
    }
}

/// Drops a test's PostgreSQL schema, from a separate thread: Drop cannot await.
pub fn drop_pg_schema(base: String, schema: String) {
    let _ = std::thread::spawn(move || {
        let Ok(rt) = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
        else {
            return;
        };
        rt.block_on(async {
            if let Ok(db) = Database::connect(&base).await {
                // A test that failed may still hold a lock in its schema: give up after a
                // while (the schema stays behind) rather than hang the suite.
                // (One string: both statements run on the same connection.)
                let _ = db
                    .execute_unprepared(&format!(
                        "SET lock_timeout = '5s'; DROP SCHEMA IF EXISTS \"{schema}\" CASCADE"
                    ))
                    .await;
                let _ = db.close().await;
            }
        });
    })
    .join();
}

/// Whether this run has what a test needs (`postgres`: `TEST_DATABASE_URL`; `redis`:
/// `TEST_REDIS_URL`). Without, the test is skipped with a notice, unless the run says these
/// are required (`HAVEN_REQUIRE_SERVICES`, set by CI's PostgreSQL + Redis pass): then the test
/// fails, so that a pass that lost its variables cannot pass by running nothing.
pub fn has(postgres: bool, redis: bool) -> bool {
    let missing: Vec<&str> = [
        (postgres && !on_postgres(), "TEST_DATABASE_URL"),
        (
            redis && std::env::var("TEST_REDIS_URL").is_err(),
            "TEST_REDIS_URL",
        ),
    ]
    .into_iter()
    .filter_map(|(absent, name)| absent.then_some(name))
    .collect();
    if missing.is_empty() {
        return true;
    }
    assert!(
        std::env::var_os("HAVEN_REQUIRE_SERVICES").is_none(),
        "HAVEN_REQUIRE_SERVICES is set but {} is not",
        missing.join(" and ")
    );
    eprintln!("skipped: needs {}", missing.join(" and "));
    false
}
