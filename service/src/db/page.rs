//! Keyset pagination, for root lists and for per-parent lists in one windowed statement.
//!
//! Every list is ordered by a sort column and then by `id`, so the order is total and a cursor
//! (the last row's sort value and id) stays valid when rows are inserted between pages. No
//! OFFSET anywhere: a page costs the same wherever it starts.

use crate::error::{Error, Result};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Asterisk, Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, IdenStatic, Order, QueryFilter,
    QueryOrder, QuerySelect, QueryTrait, Select, Value,
};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use uuid::Uuid;

/// Page size when the client gives none.
pub const DEFAULT_PAGE_SIZE: u64 = 20;
/// Largest page a client may ask for.
pub const MAX_PAGE_SIZE: u64 = 100;

/// The sort value stored in a cursor, typed so that it binds correctly on PostgreSQL.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SortKey {
    Text(String),
    Date(NaiveDate),
    Time(DateTime<Utc>),
}

impl From<SortKey> for Value {
    fn from(k: SortKey) -> Self {
        match k {
            SortKey::Text(s) => s.into(),
            SortKey::Date(d) => d.into(),
            SortKey::Time(t) => t.into(),
        }
    }
}

/// A position in a list: the sort value and id of a row.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Cursor {
    #[serde(rename = "k")]
    pub key: SortKey,
    pub id: Uuid,
}

/// Validated pagination arguments.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PageArgs {
    /// Rows to return.
    pub limit: u64,
    /// Rows strictly after this position.
    pub after: Option<Cursor>,
    /// Rows strictly before this position.
    pub before: Option<Cursor>,
    /// `last`/`before` paging: the rows closest to the end of the window.
    pub backward: bool,
}

impl PageArgs {
    /// Validates Relay arguments: `first` or `last` (not both), each at most [`MAX_PAGE_SIZE`].
    pub fn new(
        first: Option<i32>,
        last: Option<i32>,
        after: Option<Cursor>,
        before: Option<Cursor>,
    ) -> Result<Self> {
        let check = |name: &str, v: i32| -> Result<u64> {
            match u64::try_from(v) {
                Ok(n) if n <= MAX_PAGE_SIZE => Ok(n),
                _ => Err(Error::bad_input(
                    name,
                    format!("`{name}` must be between 0 and {MAX_PAGE_SIZE}, got {v}"),
                )),
            }
        };
        let (limit, backward) = match (first, last) {
            (Some(_), Some(_)) => {
                return Err(Error::bad_input(
                    "last",
                    "give either `first` or `last`, not both",
                ));
            }
            (Some(f), None) => (check("first", f)?, false),
            (None, Some(l)) => (check("last", l)?, true),
            (None, None) => (DEFAULT_PAGE_SIZE, before.is_some() && after.is_none()),
        };
        Ok(Self {
            limit,
            after,
            before,
            backward,
        })
    }

    /// The first `n` rows (for nested lists with only `first`).
    pub fn first(n: u64) -> Self {
        Self {
            limit: n,
            after: None,
            before: None,
            backward: false,
        }
    }
}

/// One page of rows with what lies beyond it.
#[derive(Debug, Clone)]
pub struct Page<M> {
    pub rows: Vec<M>,
    pub has_next: bool,
    pub has_previous: bool,
}

impl<M> Default for Page<M> {
    fn default() -> Self {
        Self {
            rows: Vec::new(),
            has_next: false,
            has_previous: false,
        }
    }
}

/// How an entity's list is ordered: a sort column, then `id`.
pub struct Ordering<E: EntityTrait> {
    pub sort: E::Column,
    pub id: E::Column,
    /// Reads the sort value of a row, for its cursor.
    pub key: fn(&E::Model) -> SortKey,
}

impl<E: EntityTrait> Ordering<E> {
    /// The cursor of a row.
    pub fn cursor(&self, row: &E::Model) -> Cursor
    where
        E::Model: HasId,
    {
        Cursor {
            key: (self.key)(row),
            id: row.id(),
        }
    }

    /// `(sort, id) > (k, id0)` (or `<`), spelled out for SQLite and PostgreSQL alike.
    fn beyond(&self, c: &Cursor, forward: bool) -> Condition {
        let k: Value = c.key.clone().into();
        let (sort_cmp, id_cmp) = if forward {
            (self.sort.gt(k.clone()), self.id.gt(c.id))
        } else {
            (self.sort.lt(k.clone()), self.id.lt(c.id))
        };
        Condition::any()
            .add(sort_cmp)
            .add(Condition::all().add(self.sort.eq(k)).add(id_cmp))
    }

    /// Applies the cursor bounds of `args` to `select`.
    fn bounded(&self, mut select: Select<E>, args: &PageArgs) -> Select<E> {
        if let Some(a) = &args.after {
            select = select.filter(self.beyond(a, true));
        }
        if let Some(b) = &args.before {
            select = select.filter(self.beyond(b, false));
        }
        select
    }

    fn direction(args: &PageArgs) -> Order {
        if args.backward {
            Order::Desc
        } else {
            Order::Asc
        }
    }
}

/// Entities with a UUID id.
pub trait HasId {
    fn id(&self) -> Uuid;
}

/// Fetches one page of `select` in the given order.
pub async fn fetch<E, C>(
    db: &C,
    select: Select<E>,
    order: &Ordering<E>,
    args: &PageArgs,
) -> Result<Page<E::Model>>
where
    E: EntityTrait,
    C: ConnectionTrait,
{
    let dir = Ordering::<E>::direction(args);
    let mut rows = order
        .bounded(select, args)
        .order_by(order.sort, dir.clone())
        .order_by(order.id, dir)
        .limit(args.limit + 1)
        .all(db)
        .await?;
    Ok(finish(&mut rows, args))
}

/// Fetches one page per parent in a single statement, numbering rows per parent with
/// `ROW_NUMBER() OVER (PARTITION BY parent …)` and keeping the first `limit + 1` of each.
pub async fn fetch_per_parent<E, C>(
    db: &C,
    select: Select<E>,
    parent: E::Column,
    order: &Ordering<E>,
    args: &PageArgs,
) -> Result<Vec<E::Model>>
where
    E: EntityTrait,
    C: ConnectionTrait,
{
    let dir = if args.backward { "DESC" } else { "ASC" };
    let window = format!(
        "ROW_NUMBER() OVER (PARTITION BY \"{}\" ORDER BY \"{}\" {dir}, \"{}\" {dir})",
        parent.as_str(),
        order.sort.as_str(),
        order.id.as_str()
    );
    let mut inner: SelectStatement = order.bounded(select, args).into_query();
    inner.expr_as(Expr::cust(window), "rn");
    let mut outer = Query::select();
    outer
        .column(Asterisk)
        .from_subquery(inner, "numbered")
        .and_where(Expr::col("rn").lte(args.limit as i64 + 1))
        .order_by(parent.as_str(), Order::Asc)
        .order_by("rn", Order::Asc);
    let stmt = db.get_database_backend().build(&outer);
    Ok(E::find().from_raw_sql(stmt).all(db).await?)
}

/// Turns `limit + 1` fetched rows (in fetch order) into a page in list order.
pub fn finish<M>(rows: &mut Vec<M>, args: &PageArgs) -> Page<M> {
    let more = rows.len() as u64 > args.limit;
    rows.truncate(args.limit as usize);
    if args.backward {
        rows.reverse();
    }
    let (has_next, has_previous) = if args.backward {
        (args.before.is_some(), more)
    } else {
        (more, args.after.is_some())
    };
    Page {
        rows: std::mem::take(rows),
        has_next,
        has_previous,
    }
}

/// Lower-cased `LIKE` pattern matching `needle` anywhere, with wildcards in it escaped.
///
/// `LIKE` is case-insensitive on SQLite and case-sensitive on PostgreSQL, so callers compare
/// `LOWER(column)` against this pattern to get the same answer on both.
pub fn contains_pattern(needle: &str) -> String {
    let mut p = String::with_capacity(needle.len() + 2);
    p.push('%');
    for ch in needle.to_lowercase().chars() {
        if matches!(ch, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(ch);
    }
    p.push('%');
    p
}

/// Splits rows of several parents into one page per parent (rows keep their fetch order).
pub fn group_pages<M>(
    rows: Vec<M>,
    parent: impl Fn(&M) -> Uuid,
    args: &PageArgs,
) -> HashMap<Uuid, Page<M>> {
    let mut by_parent: HashMap<Uuid, Vec<M>> = HashMap::new();
    for r in rows {
        by_parent.entry(parent(&r)).or_default().push(r);
    }
    by_parent
        .into_iter()
        .map(|(k, mut v)| (k, finish(&mut v, args)))
        .collect()
}

/// `SELECT parent, COUNT(*) … GROUP BY parent`: one count per parent in one statement.
pub async fn count_by<E: EntityTrait>(
    db: &impl ConnectionTrait,
    select: Select<E>,
    parent: E::Column,
) -> Result<HashMap<Uuid, u64>> {
    let rows: Vec<(Uuid, i64)> = select
        .select_only()
        .column(parent)
        .column_as(Expr::cust("COUNT(*)"), "n")
        .group_by(parent)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, n)| (id, u64::try_from(n).unwrap_or(0)))
        .collect())
}
