//! Filtering a statement to a batch of keys, in a form whose text does not depend on how many
//! keys there are.
//!
//! `col IN ($1, …, $9064)` makes PostgreSQL parse and plan a new statement for every batch size
//! (and fills the per-connection cache of prepared statements with one entry per size); with
//! thousands of keys, planning the list costs more than reading the rows. `col = ANY($1)` binds
//! the batch as one array: one prepared statement, planned once. SQLite has no arrays and plans
//! a list cheaply, so it keeps `IN`.

use sea_orm::DbBackend;
use sea_orm::sea_query::extension::postgres::PgFunc;
use sea_orm::sea_query::{Expr, ExprTrait};
use uuid::Uuid;

/// `expr` is one of `ids`.
pub fn uuid_in(backend: DbBackend, expr: impl Into<Expr>, ids: &[Uuid]) -> Expr {
    let expr = expr.into();
    match backend {
        DbBackend::Postgres => expr.eq(PgFunc::any(Expr::val(ids.to_vec()).cast_as("uuid[]"))),
        _ => expr.is_in(ids.iter().copied()),
    }
}

/// `expr` is one of `texts`.
pub fn text_in(backend: DbBackend, expr: impl Into<Expr>, texts: &[String]) -> Expr {
    let expr = expr.into();
    match backend {
        DbBackend::Postgres => expr.eq(PgFunc::any(Expr::val(texts.to_vec()).cast_as("text[]"))),
        _ => expr.is_in(texts.iter().cloned()),
    }
}
