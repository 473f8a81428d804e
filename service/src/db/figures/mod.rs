//! The network's figures (`analytics`): funnels, stage durations, milestones, hours, breakdowns,
//! retention, early ends and corporate totals, each computed by one grouped SQL statement on
//! SQLite and PostgreSQL alike.
//!
//! The statements are written as SQL text rather than built with sea-query: they are common
//! table expressions with window functions and correlated subqueries, and as text they read as
//! what they compute. What differs between the backends (day arithmetic, month and quarter
//! labels) comes from [`Dialect`]; arguments are bound, never spliced, through [`render`].
//! Medians and 75th percentiles are interpolated like `percentile_cont` over a histogram with
//! window functions and integer arithmetic ([`histogram`], [`quantile`]), so that both backends
//! give the same numbers.

pub mod breakdown;
pub mod care;
pub mod lifecycle;
pub mod linked;
pub mod partner;
pub mod people;

use crate::error::{Error, Result};
use chrono::NaiveDate;
use haven_entities::enums::SponsorshipVariant;
use sea_orm::{
    ActiveEnum, ConnectionTrait, DbBackend, FromQueryResult, QueryResult, Statement, Value,
};
use uuid::Uuid;

/// What the figures are about: the groups of a network, a town and a variant (all given
/// conditions hold), over the days `from` to `to`, both included.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Scope {
    pub network_id: Option<Uuid>,
    pub city_id: Option<Uuid>,
    pub variant: Option<SponsorshipVariant>,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Scope {
    /// The named arguments every statement may use: `:from`, `:to`, and the filter's own.
    fn args(&self) -> Vec<(&'static str, Value)> {
        let mut args = vec![("from", self.from.into()), ("to", self.to.into())];
        if let Some(n) = self.network_id {
            args.push(("network", n.into()));
        }
        if let Some(c) = self.city_id {
            args.push(("city", c.into()));
        }
        if let Some(v) = self.variant {
            args.push(("variant", v.to_value().into()));
        }
        args
    }

    /// Whether the scope is every group (no network, town or variant asked for).
    fn is_everything(&self) -> bool {
        self.network_id.is_none() && self.city_id.is_none() && self.variant.is_none()
    }

    /// The common table expression `g`: the ids of the groups in scope.
    fn groups(&self) -> String {
        let mut sql = String::from("g AS (SELECT sg.id FROM sponsor_group sg WHERE 1 = 1");
        if self.network_id.is_some() {
            sql.push_str(" AND sg.city_id IN (SELECT id FROM city WHERE network_id = :network)");
        }
        if self.city_id.is_some() {
            sql.push_str(" AND sg.city_id = :city");
        }
        if self.variant.is_some() {
            sql.push_str(" AND sg.variant = :variant");
        }
        sql.push(')');
        sql
    }

    /// The condition that the group `column` names is in scope: true for every group when
    /// nothing narrows the scope, so that figures over everything join nothing.
    fn in_groups(&self, column: &str) -> String {
        if self.is_everything() {
            "1 = 1".to_owned()
        } else {
            format!("{column} IN (SELECT id FROM g)")
        }
    }
}

/// The SQL that differs between SQLite and PostgreSQL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

impl Dialect {
    /// The dialect of a connection's backend.
    pub fn of(db: &impl ConnectionTrait) -> Self {
        match db.get_database_backend() {
            DbBackend::Postgres => Self::Postgres,
            _ => Self::Sqlite,
        }
    }

    /// Whole days from date `a` to date `b`.
    fn days(self, a: &str, b: &str) -> String {
        match self {
            Self::Sqlite => format!("CAST(julianday({b}) - julianday({a}) AS INTEGER)"),
            Self::Postgres => format!("({b} - {a})"),
        }
    }

    /// Date `d` plus the whole number of days `n`.
    fn plus_days(self, d: &str, n: &str) -> String {
        match self {
            Self::Sqlite => format!("date({d}, '+' || {n} || ' days')"),
            Self::Postgres => format!("({d} + {n})"),
        }
    }

    /// What to group date `d` by month by (see [`Self::month_label`]). On PostgreSQL a
    /// truncated timestamp without zone: cheaper to sort than text, and a date would be cast to
    /// one with a zone, looked up for every row.
    fn month(self, d: &str) -> String {
        match self {
            Self::Sqlite => format!("strftime('%Y-%m', {d})"),
            Self::Postgres => format!("date_trunc('month', CAST({d} AS timestamp))"),
        }
    }

    /// The month in `key` (grouped by [`Self::month`]) as `YYYY-MM`: on SQLite the key is that
    /// already; PostgreSQL formats only the groups.
    fn month_label(self, key: &str) -> String {
        match self {
            Self::Sqlite => key.to_owned(),
            Self::Postgres => format!("to_char({key}, 'YYYY-MM')"),
        }
    }

    /// What to group date `d` by quarter by (see [`Self::quarter_label`], and [`Self::month`]
    /// on the PostgreSQL form).
    fn quarter(self, d: &str) -> String {
        match self {
            Self::Sqlite => format!(
                "(strftime('%Y', {d}) || '-Q' || ((CAST(strftime('%m', {d}) AS INTEGER) + 2) / 3))"
            ),
            Self::Postgres => format!("date_trunc('quarter', CAST({d} AS timestamp))"),
        }
    }

    /// The quarter in column `key` (grouped by [`Self::quarter`]) as `YYYY-Qn`: on SQLite the
    /// key is that already; PostgreSQL formats only the groups.
    fn quarter_label(self, key: &str) -> String {
        match self {
            Self::Sqlite => key.to_owned(),
            Self::Postgres => format!("to_char({key}, 'YYYY-\"Q\"Q')"),
        }
    }
}

/// `sql` with each `:name` outside string literals replaced by a placeholder of the backend
/// (`?` or `$n`) bound to that argument; PostgreSQL's `::type` casts are left as written. A
/// name without an argument is a bug, not a client error.
pub fn render(dialect: Dialect, sql: &str, args: &[(&str, Value)]) -> Result<Statement> {
    let mut text = String::with_capacity(sql.len());
    let mut values = Vec::new();
    let mut chars = sql.char_indices().peekable();
    let mut quoted = false;
    while let Some((i, ch)) = chars.next() {
        if ch == '\'' {
            quoted = !quoted;
        }
        // A cast (`x::date`): both colons are SQL, neither starts a name.
        if ch == ':' && !quoted && chars.peek().is_some_and(|(_, c)| *c == ':') {
            text.push_str("::");
            chars.next();
            continue;
        }
        let starts_name = chars
            .peek()
            .is_some_and(|(_, c)| c.is_ascii_alphabetic() || *c == '_');
        if ch != ':' || quoted || !starts_name {
            text.push(ch);
            continue;
        }
        let mut end = i + 1;
        while let Some((j, c)) = chars.peek().copied() {
            if !(c.is_ascii_alphanumeric() || c == '_') {
                break;
            }
            end = j + c.len_utf8();
            chars.next();
        }
        let name = &sql[i + 1..end];
        let value = args
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.clone())
            .ok_or_else(|| Error::Internal(format!("figure statement lacks argument :{name}")))?;
        values.push(value);
        match dialect {
            Dialect::Sqlite => text.push('?'),
            Dialect::Postgres => text.push_str(&format!("${}", values.len())),
        }
    }
    let backend = match dialect {
        Dialect::Sqlite => DbBackend::Sqlite,
        Dialect::Postgres => DbBackend::Postgres,
    };
    Ok(Statement::from_sql_and_values(backend, text, values))
}

/// Runs one figure statement in scope (with `extra` arguments beside the scope's own).
async fn rows<T: FromQueryResult>(
    db: &impl ConnectionTrait,
    scope: &Scope,
    sql: &str,
    extra: Vec<(&'static str, Value)>,
) -> Result<Vec<T>> {
    let mut args = scope.args();
    args.extend(extra);
    let stmt = render(Dialect::of(db), sql, &args)?;
    Ok(T::find_by_statement(stmt).all(db).await?)
}

/// As [`rows`], for a statement whose columns are named at run time.
async fn raw_rows(
    db: &impl ConnectionTrait,
    scope: &Scope,
    sql: &str,
    extra: Vec<(&'static str, Value)>,
) -> Result<Vec<QueryResult>> {
    let mut args = scope.args();
    args.extend(extra);
    let stmt = render(Dialect::of(db), sql, &args)?;
    Ok(db.query_all_raw(stmt).await?)
}

/// The CTEs `hist` and `q` over `source` (whole-number values `v` within parts `part`): each
/// distinct value of a part with how often it occurs (`c`), how many values of the part are at
/// most it (`upto`) and how many the part has (`n`): the input of [`quantile`]. The values are
/// days, so a part has a few hundred distinct ones however many rows it has, and the window
/// functions sort those rather than every row.
fn histogram(source: &str) -> String {
    format!(
        "hist AS (SELECT part, v, COUNT(*) AS c FROM {source} GROUP BY part, v), \
         q AS (SELECT part, v, c, \
           CAST(SUM(c) OVER (PARTITION BY part ORDER BY v \
             ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS BIGINT) AS upto, \
           CAST(SUM(c) OVER (PARTITION BY part) AS BIGINT) AS n FROM hist)"
    )
}

/// The `num/den` quantile of a part's values, from the [`histogram`] rows of the part: the
/// values at 0-based ranks `lo` and `lo + 1` around `num/den · (n − 1)`, weighed as
/// `percentile_cont` does. The value at a rank is the one whose run of equal values covers it
/// (`upto - c <= rank < upto`). The rank's whole part and remainder are integer arithmetic,
/// so SQLite and PostgreSQL weigh the same values alike.
fn quantile(num: u32, den: u32) -> String {
    let lo = format!("({num} * (n - 1) / {den})");
    let rem = format!("(({num} * (n - 1)) % {den})");
    format!(
        "CAST(SUM(CASE WHEN upto - c <= {lo} AND {lo} < upto THEN v * ({den} - {rem}) ELSE 0 END) \
         + SUM(CASE WHEN upto - c <= {lo} + 1 AND {lo} + 1 < upto THEN v * {rem} ELSE 0 END) \
         AS DOUBLE PRECISION) / {den}"
    )
}

/// `part / whole`, or none when there is no whole.
pub fn share(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// Minutes as hours.
pub fn hours(minutes: i64) -> f64 {
    minutes as f64 / 60.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_become_placeholders_outside_literals() {
        let args = [("to", Value::from(1)), ("from", Value::from(2))];
        let s = render(
            Dialect::Postgres,
            "SELECT ':to' WHERE a <= :to AND b >= :from AND c = :to",
            &args,
        );
        let s = s.map(|s| (s.sql, s.values.map(|v| v.0.len())));
        assert_eq!(
            s.ok(),
            Some((
                "SELECT ':to' WHERE a <= $1 AND b >= $2 AND c = $3".to_owned(),
                Some(3)
            ))
        );
        let s = render(Dialect::Sqlite, "x = :from", &args).map(|s| s.sql);
        assert_eq!(s.ok().as_deref(), Some("x = ?"));
        assert!(render(Dialect::Sqlite, "x = :nope", &args).is_err());
    }

    #[test]
    fn casts_are_left_as_written() {
        let args = [("to", Value::from(1)), ("date", Value::from(2))];
        let s = render(
            Dialect::Postgres,
            "WHERE a::date <= :to AND b::date = :date",
            &args,
        );
        let s = s.map(|s| (s.sql, s.values.map(|v| v.0.len())));
        assert_eq!(
            s.ok(),
            Some(("WHERE a::date <= $1 AND b::date = $2".to_owned(), Some(2)))
        );
    }
}
