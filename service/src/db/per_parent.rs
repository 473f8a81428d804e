//! One page of children for each of many parents, in one statement that reads only the rows it
//! returns, and optionally each parent's total count in the same statement.

use crate::db::page::{Ordering, Page, PageArgs, finish};
use crate::error::Result;
use sea_orm::sea_query::{
    Asterisk, Expr, ExprTrait, Func, JoinType, Query, SelectStatement, WindowStatement,
};
use sea_orm::{
    ConnectionTrait, DbBackend, EntityTrait, FromQueryResult, IdenStatic, Order, QueryResult, Value,
};
use std::collections::HashMap;
use uuid::Uuid;

/// Column names of the outer statement (chosen not to clash with any table's columns).
const OWNER: &str = "page_owner";
pub const TOTAL: &str = "page_total";
const RANK: &str = "page_rank";

/// Fetches one page per parent, and with `total` (a statement counting children, as column
/// [`TOTAL`]; it is filtered here to the parent of the outer row) each parent's count as
/// [`Page::total`].
///
/// `inner` selects the entity's columns (with whatever joins relate rows to their parents, not
/// filtered to `parents`); `parent` is the expression of a row's parent id. Each parent's
/// page is a subquery correlated with that one parent, ordered and limited by itself, so an
/// index on (parent, sort, id) serves it as a top-N read:
/// - PostgreSQL: a `LATERAL` subquery per element of `unnest(parents)`;
/// - SQLite (no `LATERAL`): the parents as a `VALUES` list, each joined to the child rows whose
///   id is `IN` its correlated page of ids, which SQLite evaluates once per parent.
///
/// Counting in the same statement saves a round trip and a statement per level when a query
/// selects `totalCount` and the nodes of a nested list; parents without children then come
/// back as a row without a child.
pub async fn fetch<E, C>(
    db: &C,
    mut inner: SelectStatement,
    parent: Expr,
    parents: &[Uuid],
    order: &Ordering<E>,
    args: &PageArgs,
    total: Option<SelectStatement>,
) -> Result<HashMap<Uuid, Page<E::Model>>>
where
    E: EntityTrait,
    C: ConnectionTrait,
{
    order.check(args)?;
    if parents.is_empty() {
        return Ok(HashMap::new());
    }
    let backend = db.get_database_backend();
    let pg = backend == DbBackend::Postgres;
    // The parents' column: `unnest` names it after its alias; SQLite names a VALUES column.
    let this = ("p", if pg { "p" } else { "column1" });
    let fetch = order.fetch_order(args);
    let this_parent = || parent.clone().eq(Expr::col(this));
    let table = E::default();
    inner
        .cond_where(order.bounds(args))
        .and_where(this_parent())
        .order_by((table, order.sort), fetch.clone())
        .order_by((table, order.id), fetch.clone())
        .limit(args.limit + 1);
    let total = total.map(|mut q| {
        q.and_where(this_parent());
        q
    });
    let join = if total.is_some() {
        JoinType::LeftJoin
    } else {
        JoinType::InnerJoin
    };
    let counted = total.is_some();
    let mut outer = Query::select();
    outer.expr_as(Expr::col(this), OWNER);
    if pg {
        let mut rank = WindowStatement::new();
        rank.order_by((table, order.sort), fetch.clone())
            .order_by((table, order.id), fetch);
        inner.expr_window_as(Func::cust("ROW_NUMBER"), rank, RANK);
        outer.column(("t", Asterisk)).from_function(
            Func::cust("unnest").arg(Expr::val(parents.to_vec()).cast_as("uuid[]")),
            "p",
        );
        if let Some(total) = total {
            outer
                .join_lateral(JoinType::InnerJoin, total, "c", Expr::val(true))
                .expr_as(Expr::col(("c", TOTAL)), TOTAL);
        }
        // No ORDER BY over the whole result: sorting every row cost more than reading them.
        // Rows are put in order per parent by their rank below.
        outer.join_lateral(join, inner, "t", Expr::val(true));
    } else {
        // SQLite has no LATERAL: each parent is joined to the child rows whose id is in its
        // correlated page of ids.
        inner.clear_selects().column((table, order.id));
        outer
            .column(("c", Asterisk))
            .from_values(parents.iter().map(|p| Value::from(*p)), "p")
            .join_as(
                join,
                table,
                "c",
                Expr::col(("c", order.id)).in_subquery(inner),
            )
            .order_by(this, Order::Asc)
            .order_by(("c", order.sort), fetch.clone())
            .order_by(("c", order.id), fetch);
        if let Some(total) = total {
            outer.expr_as(Expr::SubQuery(None, Box::new(total.into())), TOTAL);
        }
    }
    let rows = db.query_all(&outer).await?;
    collect::<E>(rows, order.id.as_str(), pg, counted, args)
}

/// Groups the rows by parent, in page order, with the counts when the statement had them.
fn collect<E: EntityTrait>(
    rows: Vec<QueryResult>,
    id_column: &str,
    ranked: bool,
    counted: bool,
    args: &PageArgs,
) -> Result<HashMap<Uuid, Page<E::Model>>> {
    type Ranked<M> = (Option<u64>, Vec<(i64, M)>);
    let mut by_parent: HashMap<Uuid, Ranked<E::Model>> = HashMap::new();
    for (i, row) in rows.iter().enumerate() {
        let parent: Uuid = row.try_get("", OWNER)?;
        let entry = by_parent.entry(parent).or_default();
        if counted {
            let n: i64 = row.try_get("", TOTAL)?;
            entry.0 = Some(u64::try_from(n).unwrap_or(0));
            // A parent without children: its one row carries the count only.
            if row.try_get::<Option<Uuid>>("", id_column)?.is_none() {
                continue;
            }
        }
        let rank = if ranked {
            row.try_get("", RANK)?
        } else {
            i as i64
        };
        entry.1.push((rank, E::Model::from_query_result(row, "")?));
    }
    Ok(by_parent
        .into_iter()
        .map(|(parent, (total, mut rows))| {
            rows.sort_unstable_by_key(|(rank, _)| *rank);
            let mut models = rows.into_iter().map(|(_, m)| m).collect();
            let page = Page {
                total,
                ..finish(&mut models, args)
            };
            (parent, page)
        })
        .collect())
}
