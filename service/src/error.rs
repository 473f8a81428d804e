//! The one error type of haven, and its single mapping onto GraphQL `extensions.code`.
//!
//! Data functions return [`Result`]; resolvers turn an [`Error`] into a GraphQL error with
//! [`Error::into_graphql`] (or [`GqlResultExt::gql`]). Database and internal errors are logged
//! here and leave the API as an opaque message, never with SQL or a stack.

use async_graphql::ErrorExtensions;
use sea_orm::DbErr;

/// The stable codes of `extensions.code`, as Apollo's router and clients spell them: every
/// place that writes or reads a code names it here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Code {
    BadUserInput,
    NotFound,
    Forbidden,
    Unauthenticated,
    Conflict,
    RateLimited,
    Unavailable,
    Internal,
    /// A document that cannot be parsed.
    ParseFailed,
    /// A document that parses but does not validate against the schema or its limits.
    ValidationFailed,
    /// An automatic persisted query whose hash the server does not know.
    PersistedQueryNotFound,
}

impl Code {
    /// Every code.
    pub const ALL: [Code; 11] = [
        Code::BadUserInput,
        Code::NotFound,
        Code::Forbidden,
        Code::Unauthenticated,
        Code::Conflict,
        Code::RateLimited,
        Code::Unavailable,
        Code::Internal,
        Code::ParseFailed,
        Code::ValidationFailed,
        Code::PersistedQueryNotFound,
    ];

    /// The code as it travels.
    pub const fn as_str(self) -> &'static str {
        match self {
            Code::BadUserInput => "BAD_USER_INPUT",
            Code::NotFound => "NOT_FOUND",
            Code::Forbidden => "FORBIDDEN",
            Code::Unauthenticated => "UNAUTHENTICATED",
            Code::Conflict => "CONFLICT",
            Code::RateLimited => "RATE_LIMITED",
            Code::Unavailable => "UNAVAILABLE",
            Code::Internal => "INTERNAL",
            Code::ParseFailed => "GRAPHQL_PARSE_FAILED",
            Code::ValidationFailed => "GRAPHQL_VALIDATION_FAILED",
            Code::PersistedQueryNotFound => "PERSISTED_QUERY_NOT_FOUND",
        }
    }

    /// The code a travelling string names, if it is one of ours.
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == code)
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `Result` with haven's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in a request, by what the client should do about it.
#[derive(Debug, Clone, thiserror::Error)]
pub enum Error {
    /// The input is invalid; `field` names the offending argument when there is one.
    #[error("{message}")]
    BadUserInput {
        message: String,
        field: Option<String>,
    },
    /// A change that the stored rows do not allow, about a column (raised by the data layer,
    /// which knows columns; the mutation that asked turns it into [`Error::BadUserInput`]
    /// about its own argument).
    #[error("{message}")]
    Refused {
        message: String,
        column: &'static str,
    },
    /// The thing asked for does not exist.
    #[error("{0} not found")]
    NotFound(String),
    /// The viewer may not see or do this.
    #[error("{0}")]
    Forbidden(String),
    /// The credentials are missing, expired or invalid.
    #[error("{0}")]
    Unauthenticated(String),
    /// The change conflicts with the stored state (stale version, duplicate key).
    #[error("{0}")]
    Conflict(String),
    /// Too many requests; try again after this many seconds.
    #[error("too many requests: try again in {retry_after_seconds} s")]
    RateLimited { retry_after_seconds: u64 },
    /// A backing service (database, Redis) cannot be reached right now.
    #[error("{0} is unavailable, try again later")]
    Unavailable(&'static str),
    /// A database error that is not the client's fault.
    #[error("database error: {0}")]
    Db(#[from] DbErr),
    /// Any other bug or unexpected state.
    #[error("internal error: {0}")]
    Internal(String),
}

impl Error {
    /// A `BAD_USER_INPUT` error about one argument.
    pub fn bad_input(field: &str, message: impl Into<String>) -> Self {
        Self::BadUserInput {
            message: message.into(),
            field: Some(field.to_owned()),
        }
    }

    /// A change the stored rows do not allow, about `column` (see [`Error::Refused`]); the
    /// message may say `{argument}` where the argument's name belongs.
    pub fn refused(column: impl sea_orm::IdenStatic, message: impl Into<String>) -> Self {
        Self::Refused {
            message: message.into(),
            column: column.as_str(),
        }
    }

    /// This error with a refusal about a column turned into bad input about the argument
    /// `argument(column)` names (also where its message says `{argument}`).
    pub fn naming(self, argument: impl Fn(&'static str) -> String) -> Self {
        match self {
            Self::Refused { message, column } => {
                let field = argument(column);
                Self::BadUserInput {
                    message: message.replace("{argument}", &field),
                    field: Some(field),
                }
            }
            other => other,
        }
    }

    /// The stable machine-readable code of this error.
    pub fn code(&self) -> Code {
        match self {
            Self::BadUserInput { .. } | Self::Refused { .. } => Code::BadUserInput,
            Self::NotFound(_) => Code::NotFound,
            Self::Forbidden(_) => Code::Forbidden,
            Self::Unauthenticated(_) => Code::Unauthenticated,
            Self::Conflict(_) => Code::Conflict,
            Self::RateLimited { .. } => Code::RateLimited,
            Self::Unavailable(_) => Code::Unavailable,
            Self::Db(DbErr::ConnectionAcquire(_) | DbErr::Conn(_)) => Code::Unavailable,
            Self::Db(e) if is_busy(e) || is_connection_lost(e) => Code::Unavailable,
            Self::Db(e) if is_pattern_too_complex(e) => Code::BadUserInput,
            Self::Db(e) if is_unique_violation(e) || is_write_race(e) => Code::Conflict,
            Self::Db(_) | Self::Internal(_) => Code::Internal,
        }
    }

    /// The message a client sees: internal details stay in the log.
    fn public_message(&self) -> String {
        match self {
            Self::Db(DbErr::ConnectionAcquire(_) | DbErr::Conn(_)) => {
                "the database is unavailable, try again later".into()
            }
            Self::Db(e) if is_busy(e) => "the database is busy, try again shortly".into(),
            Self::Db(e) if is_connection_lost(e) => {
                "the database did not answer in time or dropped the connection, try again".into()
            }
            Self::Db(e) if is_pattern_too_complex(e) => "the search text is too complex".into(),
            Self::Db(e) if is_unique_violation(e) => {
                "a record with this value already exists".into()
            }
            Self::Db(e) if is_write_race(e) => {
                "a concurrent change got in the way: reload and try again".into()
            }
            Self::Db(_) | Self::Internal(_) => "internal error".into(),
            other => other.to_string(),
        }
    }

    /// Whether the fault is ours (logged), not the client's.
    fn is_internal(&self) -> bool {
        matches!(self.code(), Code::Internal | Code::Unavailable)
    }

    /// Converts into a GraphQL error carrying `extensions.code` (and `field` for bad input).
    pub fn into_graphql(self) -> async_graphql::Error {
        if matches!(self, Self::Db(DbErr::ConnectionAcquire(_))) {
            crate::metrics::record_pool_timeout();
        }
        if self.is_internal() {
            tracing::error!(error = %self, "request failed");
        }
        self.extend()
    }
}

impl ErrorExtensions for Error {
    fn extend(&self) -> async_graphql::Error {
        async_graphql::Error::new(self.public_message()).extend_with(|_, ext| {
            ext.set("code", self.code().as_str());
            match self {
                Self::BadUserInput { field: Some(f), .. } => ext.set("field", f.as_str()),
                Self::RateLimited {
                    retry_after_seconds,
                } => ext.set("retryAfterSeconds", *retry_after_seconds),
                _ => {}
            }
        })
    }
}

/// Turns a `Result<T, Error>` into a GraphQL result with the error's code.
pub trait GqlResultExt<T> {
    /// Maps the error with [`Error::into_graphql`].
    fn gql(self) -> async_graphql::Result<T>;
}

impl<T> GqlResultExt<T> for Result<T> {
    fn gql(self) -> async_graphql::Result<T> {
        self.map_err(Error::into_graphql)
    }
}

/// A unique constraint refused the write (a duplicate CBS code, KvK number, e-mail …): the
/// client's data conflicts with what is stored, on SQLite and PostgreSQL alike.
fn is_unique_violation(e: &DbErr) -> bool {
    matches!(
        e.sql_err(),
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
    )
}

/// The driver's error under a sea-orm error, if the driver raised it.
fn sqlx_error(e: &DbErr) -> Option<&sea_orm::sqlx::Error> {
    match e {
        DbErr::Exec(sea_orm::RuntimeErr::SqlxError(sqlx))
        | DbErr::Query(sea_orm::RuntimeErr::SqlxError(sqlx))
        | DbErr::Conn(sea_orm::RuntimeErr::SqlxError(sqlx)) => Some(sqlx),
        _ => None,
    }
}

/// The database's error code, when the database itself refused.
fn db_code(e: &DbErr) -> Option<String> {
    sqlx_error(e)?
        .as_database_error()
        .and_then(|d| d.code())
        .map(|c| c.into_owned())
}

/// The connection broke or the server gave up the statement: PostgreSQL restarted or a
/// backend was terminated (class 57: `57P01` admin shutdown, `57014` statement timeout),
/// connection failures (class 08), resource exhaustion (class 53), or the socket closed.
/// Nothing was changed, and the pool replaces the connection: trying again is right.
fn is_connection_lost(e: &DbErr) -> bool {
    use sea_orm::sqlx::Error as X;
    if let Some(code) = db_code(e) {
        return ["08", "57", "53"]
            .iter()
            .any(|class| code.starts_with(class));
    }
    matches!(
        sqlx_error(e),
        Some(
            X::Io(_)
                | X::Tls(_)
                | X::PoolTimedOut
                | X::PoolClosed
                | X::WorkerCrashed
                | X::Protocol(_)
        )
    )
}

/// SQLite refuses LIKE patterns beyond its limits ("LIKE or GLOB pattern too complex"); the
/// search text is bounded before it gets there, this is the last line.
fn is_pattern_too_complex(e: &DbErr) -> bool {
    sqlx_error(e)
        .and_then(|x| x.as_database_error())
        .is_some_and(|d| d.message().contains("pattern too complex"))
}

/// PostgreSQL gave up one of two writers that waited for each other (deadlock, `40P01`) or
/// could not serialise them (`40001`): the change did not happen, and trying again will do.
fn is_write_race(e: &DbErr) -> bool {
    matches!(db_code(e).as_deref(), Some("40P01" | "40001"))
}

/// SQLite stayed busy (locked by another writer) for longer than the busy timeout: the
/// change did not happen; the database is overloaded, not the request wrong.
fn is_busy(e: &DbErr) -> bool {
    // SQLITE_BUSY, SQLITE_LOCKED and the extended BUSY codes (recovery, snapshot, timeout).
    matches!(
        db_code(e).as_deref(),
        Some("5" | "6" | "261" | "517" | "773")
    )
}

#[cfg(test)]
mod code_tests {
    use super::Code;

    /// Every code reads back from how it travels, and no two travel alike.
    #[test]
    fn codes_read_back_from_their_spelling() {
        for code in Code::ALL {
            assert_eq!(Code::parse(code.as_str()), Some(code));
        }
        let spelled: std::collections::HashSet<&str> =
            Code::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(spelled.len(), Code::ALL.len());
        assert_eq!(Code::parse("SOMETHING_ELSE"), None);
    }
}
