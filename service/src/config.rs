//! Typed configuration: one struct, read from the command line with environment fallbacks.
//!
//! Every option has an environment variable, so the same binary is configured by flags in
//! development and by the environment in containers. With no configuration at all haven runs
//! embedded: SQLite in `./haven.db`, an in-process cache, demo data when the database is empty.

use clap::builder::BoolishValueParser;
use clap::{ArgAction, Args, Parser, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;

/// The `haven` command line.
#[derive(Debug, Parser)]
#[command(
    name = "haven",
    version,
    about = "GraphQL subgraph for community sponsorship of refugees"
)]
pub struct Cli {
    #[command(flatten)]
    pub config: Config,
    /// What to do; `serve` when omitted.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The subcommands of `haven`.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the GraphQL API (the default).
    Serve,
    /// Apply or revert schema migrations.
    Migrate {
        #[command(subcommand)]
        action: MigrateAction,
    },
    /// Load a data set into the database.
    Seed(SeedArgs),
    /// Print a signed token for development and tests (needs HAVEN_JWT_SECRET).
    Token(TokenArgs),
    /// Manage partner organisations' API keys.
    Apikey {
        #[command(subcommand)]
        action: ApikeyAction,
    },
    /// Write the subgraph SDL (the contents of `schema.graphql`).
    ExportSchema {
        /// File to write; standard output when omitted.
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// The variant for routers that enforce `@requiresScopes` (an enterprise feature).
        #[arg(long)]
        router_auth: bool,
    },
}

/// `haven migrate …`
#[derive(Debug, Clone, Copy, Subcommand)]
pub enum MigrateAction {
    /// Apply every pending migration.
    Up,
    /// Revert every applied migration (drops all of haven's tables).
    Down,
    /// List migrations and whether each is applied.
    Status,
}

/// `haven apikey …`
#[derive(Debug, Clone, Subcommand)]
pub enum ApikeyAction {
    /// Create a key for a partner and print it (once: only its hash is stored).
    Create {
        /// The partner organisation's id.
        #[arg(long)]
        partner: uuid::Uuid,
        /// What the key may read (repeat for several).
        #[arg(long = "scope", default_value = "aggregates")]
        scopes: Vec<String>,
        /// Limit the key to this network's figures (repeat for several; every network when
        /// none is given).
        #[arg(long = "network")]
        networks: Vec<uuid::Uuid>,
    },
    /// List every key (never its value): id, prefix, partner, networks, created, revoked.
    List,
    /// Revoke a key by its id or its prefix (as `list` shows them); refused at once on every
    /// replica.
    Revoke {
        /// The key's id or prefix.
        key: String,
    },
}

/// `haven token …`
#[derive(Debug, Clone, Args)]
pub struct TokenArgs {
    /// The viewer's role.
    #[arg(long, value_enum)]
    pub role: crate::auth::Role,
    /// Network of a network coordinator.
    #[arg(long)]
    pub network: Option<uuid::Uuid>,
    /// Town of a city coordinator.
    #[arg(long)]
    pub city: Option<uuid::Uuid>,
    /// Groups of a member or group lead (repeat for several).
    #[arg(long = "group")]
    pub groups: Vec<uuid::Uuid>,
    /// The volunteer the token speaks for.
    #[arg(long)]
    pub volunteer: Option<uuid::Uuid>,
    /// How long the token is valid: 90s, 15m, 1h, 7d.
    #[arg(long, default_value = "1h", value_parser = crate::auth::parse_ttl)]
    pub ttl: std::time::Duration,
}

/// A secret setting: never printed, not even in debug output.
#[derive(Clone)]
pub struct Secret(pub String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl std::str::FromStr for Secret {
    type Err = std::convert::Infallible;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Self(s.to_owned()))
    }
}

/// `haven seed …`
#[derive(Debug, Clone, Args)]
pub struct SeedArgs {
    /// The fictional demo set: one network, 21 towns (three of them villages), about 60 groups
    /// and 400 volunteers.
    #[arg(long, conflicts_with = "bench", required_unless_present = "bench")]
    pub demo: bool,
    /// A generated set for benchmarks that grows linearly with `--scale`.
    #[arg(long)]
    pub bench: bool,
    /// Size of the benchmark set; 1 gives about 1.7 million rows.
    #[arg(long, default_value_t = 1.0, requires = "bench")]
    pub scale: f64,
}

/// Settings of the service, shared by every subcommand.
#[derive(Debug, Clone, Args)]
pub struct Config {
    /// Address the HTTP server listens on.
    #[arg(
        long = "listen",
        env = "HAVEN_LISTEN",
        default_value = "127.0.0.1:8080",
        global = true
    )]
    pub listen: SocketAddr,

    /// Database URL: `sqlite://path?mode=rwc` or `postgres://user@host/db`.
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "sqlite://haven.db?mode=rwc",
        global = true
    )]
    pub database_url: String,

    /// PostgreSQL schema to use (search_path); the server default when empty.
    #[arg(long, env = "HAVEN_DATABASE_SCHEMA", global = true)]
    pub database_schema: Option<String>,

    /// Largest number of pooled database connections.
    #[arg(
        long,
        env = "HAVEN_DB_MAX_CONNECTIONS",
        default_value_t = 10,
        global = true
    )]
    pub db_max_connections: u32,

    /// How long a request waits for a pooled connection before it fails with UNAVAILABLE (ms).
    #[arg(
        long,
        env = "HAVEN_DB_ACQUIRE_TIMEOUT_MS",
        default_value_t = 5000,
        global = true
    )]
    pub db_acquire_timeout_ms: u64,

    /// Redis URL (`redis://host:6379/0`); without it the cache is in-process.
    #[arg(long, env = "REDIS_URL", global = true)]
    pub redis_url: Option<String>,

    /// Prefix of every Redis key, so that several deployments can share one Redis.
    #[arg(
        long,
        env = "HAVEN_REDIS_PREFIX",
        default_value = "haven:",
        global = true
    )]
    pub redis_prefix: String,

    /// Seed the demo data set when the database has no network yet (`serve` only).
    #[arg(long, env = "HAVEN_SEED_DEMO", default_value_t = true, value_parser = BoolishValueParser::new(), action = ArgAction::Set, num_args = 0..=1, default_missing_value = "true", global = true)]
    pub seed_demo: bool,

    /// The cross-request cache (`on` or `off`): responses to public reads, in process and in
    /// Redis when `REDIS_URL` is set.
    #[arg(long, env = "HAVEN_CACHE", default_value_t = true, value_parser = BoolishValueParser::new(), action = ArgAction::Set, num_args = 0..=1, default_missing_value = "true", global = true)]
    pub cache: bool,

    /// How partner statistics choose what else to withhold beside small cells: `audited` (a
    /// pattern is accepted when an audit of everything partners can combine finds no cell
    /// narrowed) or `replay-safe` (decided on stand-in worlds built from the small cells
    /// alone, so that an attacker who replays the algorithm learns nothing more; fewer than
    /// half as many figures published). docs/api.md, "For partners".
    #[arg(
        long,
        env = "HAVEN_PARTNER_SUPPRESSION",
        value_enum,
        default_value = "audited",
        global = true
    )]
    pub partner_suppression: PartnerSuppression,

    /// Report the SQL statements each request caused in the response's `extensions`.
    #[arg(long, env = "HAVEN_DEBUG_STATS", default_value_t = false, value_parser = BoolishValueParser::new(), action = ArgAction::Set, num_args = 0..=1, default_missing_value = "true", global = true)]
    pub debug_stats: bool,

    /// Serve the GraphiQL IDE at `GET /graphql`.
    #[arg(long, env = "HAVEN_GRAPHIQL", default_value_t = true, value_parser = BoolishValueParser::new(), action = ArgAction::Set, num_args = 0..=1, default_missing_value = "true", global = true)]
    pub graphiql: bool,

    /// Secret that signs and checks viewer tokens (HS256); without it only anonymous requests work.
    #[arg(long, env = "HAVEN_JWT_SECRET", hide_env_values = true, global = true)]
    pub jwt_secret: Option<Secret>,

    /// PEM file with an RSA public key: accept RS256 tokens signed by an identity provider instead.
    #[arg(long, env = "HAVEN_JWT_PUBLIC_KEY_FILE", global = true)]
    pub jwt_public_key_file: Option<PathBuf>,

    /// Log filter in `tracing` syntax, e.g. `info,haven=debug`.
    #[arg(long, env = "HAVEN_LOG", default_value = "info", global = true)]
    pub log: String,

    /// Log format: `text` for people, `json` for log collectors.
    #[arg(
        long,
        env = "HAVEN_LOG_FORMAT",
        value_enum,
        default_value = "text",
        global = true
    )]
    pub log_format: crate::telemetry::LogFormat,

    /// How long shutdown waits for in-flight requests (seconds); then the process exits anyway.
    #[arg(
        long,
        env = "HAVEN_SHUTDOWN_TIMEOUT_S",
        default_value_t = 20,
        global = true
    )]
    pub shutdown_timeout_s: u64,

    /// Largest request body (bytes); a larger one is answered 413.
    #[arg(long, env = "HAVEN_MAX_BODY_BYTES", default_value_t = 1024 * 1024, global = true)]
    pub max_body_bytes: usize,

    /// How long one GraphQL request may run before it is stopped with UNAVAILABLE (ms).
    #[arg(
        long,
        env = "HAVEN_REQUEST_TIMEOUT_MS",
        default_value_t = 30_000,
        global = true
    )]
    pub request_timeout_ms: u64,

    /// PostgreSQL `statement_timeout` of every pooled connection (ms; 0 turns it off).
    #[arg(
        long,
        env = "HAVEN_DB_STATEMENT_TIMEOUT_MS",
        default_value_t = 10_000,
        global = true
    )]
    pub db_statement_timeout_ms: u64,

    /// `application_name` of haven's PostgreSQL connections (seen in `pg_stat_activity`).
    #[arg(
        long,
        env = "HAVEN_DB_APPLICATION_NAME",
        default_value = "haven",
        global = true
    )]
    pub db_application_name: String,

    /// Rate limits per client.
    #[command(flatten)]
    pub rate_limits: crate::rate::RateLimits,

    /// Bounds on the documents the service accepts.
    #[command(flatten)]
    pub query_limits: crate::graphql::limits::QueryLimits,

    /// Issuer (`iss`) that tokens must name; not checked when unset.
    #[arg(long, env = "HAVEN_JWT_ISSUER", global = true)]
    pub jwt_issuer: Option<String>,

    /// Audience (`aud`) that tokens must name; not checked when unset.
    #[arg(long, env = "HAVEN_JWT_AUDIENCE", global = true)]
    pub jwt_audience: Option<String>,

    /// JWKS file (an identity provider's `jwks.json`): verify tokens with the key their `kid`
    /// names (RSA, EC or Ed25519), instead of the secret or a single public key.
    #[arg(long, env = "HAVEN_JWT_JWKS_FILE", global = true)]
    pub jwt_jwks_file: Option<PathBuf>,
}

impl Config {
    /// The defaults, ignoring the process's arguments and environment (for tests and tools):
    /// a developer's shell with `HAVEN_*` set changes nothing the tests run.
    pub fn defaults() -> Self {
        use clap::{CommandFactory, FromArgMatches};
        // The command line without its environment variables: parsing it empty only fills in
        // defaults, so neither step can fail.
        let command = Cli::command().mut_args(|a| a.env(None));
        let matches = command.get_matches_from(["haven"]);
        match Cli::from_arg_matches(&matches) {
            Ok(cli) => cli.config,
            Err(e) => e.exit(),
        }
    }

    /// The token checker this configuration describes.
    pub fn authenticator(&self) -> anyhow::Result<crate::auth::Authenticator> {
        let read = |path: &PathBuf| {
            std::fs::read(path).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))
        };
        let keys = crate::auth::KeySource {
            secret: self.jwt_secret.as_ref().map(|s| s.0.as_str()),
            rsa_public_pem: self.jwt_public_key_file.as_ref().map(read).transpose()?,
            jwks_json: self.jwt_jwks_file.as_ref().map(read).transpose()?,
            issuer: self.jwt_issuer.clone(),
            audience: self.jwt_audience.clone(),
        };
        Ok(crate::auth::Authenticator::from_keys(keys)?)
    }

    /// Whether the database URL points at PostgreSQL.
    pub fn is_postgres(&self) -> bool {
        self.database_url.starts_with("postgres:") || self.database_url.starts_with("postgresql:")
    }
}

/// How partner statistics choose their secondary suppressions (see
/// [`Config::partner_suppression`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PartnerSuppression {
    /// Decided on the true values and accepted by the audit.
    Audited,
    /// Decided on stand-in worlds built from the small cells alone.
    ReplaySafe,
}
