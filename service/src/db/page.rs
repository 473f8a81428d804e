//! Keyset pagination: orderings, cursors and pages (per-parent pages: [`super::per_parent`]).
//!
//! Every list is ordered by a sort column and then by `id`, so the order is total and a cursor
//! (the last row's sort value and id) stays valid when rows are inserted between pages. No
//! OFFSET anywhere: a page costs the same wherever it starts.

use crate::error::{Error, Result};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, SelectStatement};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, Order, QueryFilter, QueryOrder,
    QuerySelect, Select, Value,
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

/// A position in a list: which ordering, and the sort value and id of a row.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Cursor {
    #[serde(rename = "o")]
    pub order: String,
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
}

/// One page of rows with what lies beyond it.
#[derive(Debug, Clone)]
pub struct Page<M> {
    pub rows: Vec<M>,
    pub has_next: bool,
    pub has_previous: bool,
    /// The number of rows in the whole list, when it was counted with the page.
    pub total: Option<u64>,
}

impl<M> Default for Page<M> {
    fn default() -> Self {
        Self {
            rows: Vec::new(),
            has_next: false,
            has_previous: false,
            total: None,
        }
    }
}

/// Entities with a UUID id.
pub trait HasId {
    fn id(&self) -> Uuid;
}

/// How an entity's list is ordered: a sort column, then `id`, both in one direction.
pub struct Ordering<E: EntityTrait> {
    /// Names the ordering in cursors, so a cursor of one ordering is refused by another.
    pub name: &'static str,
    pub sort: E::Column,
    pub id: E::Column,
    /// Reads the sort value of a row, for its cursor.
    pub key: fn(&E::Model) -> SortKey,
    pub descending: bool,
}

impl<E: EntityTrait> Clone for Ordering<E> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<E: EntityTrait> Copy for Ordering<E> {}

// Two orderings of one entity are the same when their names and directions are.
impl<E: EntityTrait> PartialEq for Ordering<E> {
    fn eq(&self, other: &Self) -> bool {
        (self.name, self.descending) == (other.name, other.descending)
    }
}
impl<E: EntityTrait> Eq for Ordering<E> {}
impl<E: EntityTrait> std::hash::Hash for Ordering<E> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        (self.name, self.descending).hash(state);
    }
}
impl<E: EntityTrait> std::fmt::Debug for Ordering<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.tag())
    }
}

impl<E: EntityTrait> Ordering<E> {
    /// An ascending ordering by `sort`, then `id`.
    pub const fn asc(
        name: &'static str,
        sort: E::Column,
        id: E::Column,
        key: fn(&E::Model) -> SortKey,
    ) -> Self {
        Self {
            name,
            sort,
            id,
            key,
            descending: false,
        }
    }

    /// The same ordering, reversed when `descending`.
    pub fn direction(self, descending: bool) -> Self {
        Self { descending, ..self }
    }

    fn tag(&self) -> String {
        format!("{}{}", self.name, if self.descending { "-" } else { "+" })
    }

    /// The cursor of a row.
    pub fn cursor(&self, row: &E::Model) -> Cursor
    where
        E::Model: HasId,
    {
        Cursor {
            order: self.tag(),
            key: (self.key)(row),
            id: row.id(),
        }
    }

    /// Refuses cursors made by another ordering.
    pub(crate) fn check(&self, args: &PageArgs) -> Result<()> {
        for (name, c) in [("after", &args.after), ("before", &args.before)] {
            if c.as_ref().is_some_and(|c| c.order != self.tag()) {
                return Err(Error::bad_input(
                    name,
                    format!("`{name}` is a cursor of another ordering"),
                ));
            }
        }
        Ok(())
    }

    /// Rows beyond cursor `c` in list order (`after`) or before it (`!after`).
    fn beyond(&self, c: &Cursor, after: bool) -> Condition {
        let k: Value = c.key.clone().into();
        let (sort_cmp, id_cmp) = if after != self.descending {
            (self.sort.gt(k.clone()), self.id.gt(c.id))
        } else {
            (self.sort.lt(k.clone()), self.id.lt(c.id))
        };
        Condition::any()
            .add(sort_cmp)
            .add(Condition::all().add(self.sort.eq(k)).add(id_cmp))
    }

    /// The cursor bounds of `args` as one condition.
    pub(crate) fn bounds(&self, args: &PageArgs) -> Condition {
        let mut cond = Condition::all();
        if let Some(a) = &args.after {
            cond = cond.add(self.beyond(a, true));
        }
        if let Some(b) = &args.before {
            cond = cond.add(self.beyond(b, false));
        }
        cond
    }

    /// The order rows are fetched in: reversed for backward paging.
    pub(crate) fn fetch_order(&self, args: &PageArgs) -> Order {
        if args.backward != self.descending {
            Order::Desc
        } else {
            Order::Asc
        }
    }
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
    order.check(args)?;
    let dir = order.fetch_order(args);
    let mut rows = select
        .filter(order.bounds(args))
        .order_by(order.sort, dir.clone())
        .order_by(order.id, dir)
        .limit(args.limit + 1)
        .all(db)
        .await?;
    Ok(finish(&mut rows, args))
}

/// Runs a statement selecting `parent_id` and `n` (a count) and collects the counts.
pub async fn counts(
    db: &impl ConnectionTrait,
    stmt: &SelectStatement,
) -> Result<HashMap<Uuid, u64>> {
    let rows = db.query_all(stmt).await?;
    let mut out = HashMap::with_capacity(rows.len());
    for row in rows {
        let parent: Uuid = row.try_get("", "parent_id")?;
        let n: i64 = row.try_get("", "n")?;
        out.insert(parent, u64::try_from(n).unwrap_or(0));
    }
    Ok(out)
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
        total: None,
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

/// `LOWER(column) LIKE '%needle%'`, portable between SQLite and PostgreSQL.
pub fn name_contains<C: ColumnTrait>(col: C, needle: &str) -> Expr {
    use sea_orm::sea_query::{Func, LikeExpr};
    Expr::expr(Func::lower(Expr::col(col)))
        .like(LikeExpr::new(contains_pattern(needle)).escape('\\'))
}
