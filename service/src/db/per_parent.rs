//! One page of children for each of many parents, in one statement that reads only the rows it
//! returns, and optionally each parent's total count in the same statement.

use crate::db::page::{Ordering, Page, PageArgs, finish, qualified};
use crate::error::Result;
use sea_orm::sea_query::{
    Alias, Asterisk, Expr, ExprTrait, Func, JoinType, Query, SelectStatement, SqliteQueryBuilder,
};
use sea_orm::{
    ConnectionTrait, DbBackend, EntityTrait, FromQueryResult, IdenStatic, Order, QueryResult,
    Statement, Value,
};
use std::collections::HashMap;
use uuid::Uuid;

/// Column names of the outer statement (chosen not to clash with any table's columns).
const OWNER: &str = "page_owner";
pub const TOTAL: &str = "page_total";
const RANK: &str = "page_rank";

/// Fetches one page per parent, and with `total` (a statement counting children, as column
/// [`TOTAL`]; it is filtered here to the parent `"p"."p"`) each parent's count as
/// [`Page::total`].
///
/// `inner` selects the entity's columns (with whatever joins relate rows to their parents, not
/// filtered to `parents`); `parent_sql` is the SQL expression of a row's parent id. Each parent's
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
    parent_sql: &str,
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
    let fetch = order.fetch_order(args);
    let dir = if fetch == Order::Desc { "DESC" } else { "ASC" };
    let this_parent = || Expr::cust(parent_sql.to_owned()).eq(Expr::cust("\"p\".\"p\""));
    inner
        .cond_where(order.bounds(args))
        .and_where(this_parent())
        .order_by_expr(Expr::cust(qualified::<E>(order.sort)), fetch.clone())
        .order_by_expr(Expr::cust(qualified::<E>(order.id)), fetch)
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
    let backend = db.get_database_backend();
    let rows = if backend == DbBackend::Postgres {
        let (sort, id) = (qualified::<E>(order.sort), qualified::<E>(order.id));
        inner.expr_as(
            Expr::cust(format!(
                "ROW_NUMBER() OVER (ORDER BY {sort} {dir}, {id} {dir})"
            )),
            RANK,
        );
        let mut outer = Query::select();
        outer
            .column(("t", Asterisk))
            .expr_as(Expr::col(("p", "p")), OWNER)
            .from_function(
                Func::cust("unnest").arg(Expr::val(parents.to_vec()).cast_as("uuid[]")),
                "p",
            );
        if let Some(total) = total {
            outer
                .join_lateral(JoinType::InnerJoin, total, "c", Expr::cust("TRUE"))
                .expr_as(Expr::col(("c", Alias::new(TOTAL))), TOTAL);
        }
        // No ORDER BY over the whole result: sorting every row cost more than reading them.
        // Rows are put in order per parent by their rank below.
        outer.join_lateral(join, inner, "t", Expr::cust("TRUE"));
        db.query_all(&outer).await?
    } else {
        let table = E::default().table_name();
        let (sort, id) = (order.sort.as_str(), order.id.as_str());
        inner.clear_selects().column((E::default(), order.id));
        // haven runs on PostgreSQL and SQLite only.
        let (page_sql, page_values) = inner.build(SqliteQueryBuilder);
        let mut values: Vec<Value> = parents.iter().map(|p| Value::from(*p)).collect();
        let mut count_sql = String::new();
        if let Some(total) = total {
            let (sql, count_values) = total.build(SqliteQueryBuilder);
            count_sql = format!(", ({sql}) AS \"{TOTAL}\"");
            values.extend(count_values);
        }
        values.extend(page_values);
        let join = if join == JoinType::LeftJoin {
            "LEFT JOIN"
        } else {
            "JOIN"
        };
        let sql = format!(
            "WITH \"p\"(\"p\") AS (VALUES {}) \
             SELECT \"c\".*, \"p\".\"p\" AS \"{OWNER}\"{count_sql} \
             FROM \"p\" {join} \"{table}\" AS \"c\" ON \"c\".\"{id}\" IN ({page_sql}) \
             ORDER BY \"p\".\"p\", \"c\".\"{sort}\" {dir}, \"c\".\"{id}\" {dir}",
            vec!["(?)"; parents.len()].join(", ")
        );
        db.query_all_raw(Statement::from_sql_and_values(backend, sql, values))
            .await?
    };
    let ranked = backend == DbBackend::Postgres;
    let counted = join == JoinType::LeftJoin;
    collect::<E>(rows, order.id.as_str(), ranked, counted, args)
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
