//! The network's figures (`analytics`): funnels, stage durations, milestones, hours, breakdowns,
//! retention, early ends and corporate totals, each computed by one grouped SQL statement on
//! SQLite and PostgreSQL alike.
//!
//! The statements are written as SQL text rather than built with sea-query: they are common
//! table expressions with window functions and correlated subqueries, and as text they read as
//! what they compute. What differs between the backends (day arithmetic, month and quarter
//! labels) comes from [`Dialect`]; arguments are bound, never spliced, through [`render`].
//! Medians and 75th percentiles are interpolated like `percentile_cont` with window functions
//! and integer arithmetic ([`quantile`]), so that both backends give the same numbers.

pub mod breakdown;
pub mod care;
pub mod lifecycle;
pub mod people;

use crate::error::{Error, Result};
use chrono::NaiveDate;
use haven_entities::enums::SponsorshipVariant;
use sea_orm::{ActiveEnum, ConnectionTrait, DbBackend, FromQueryResult, Statement, Value};
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

    /// The common table expression `g`: the groups in scope, with their town's code, name and
    /// province.
    fn groups(&self) -> String {
        let mut sql = String::from(
            "g AS (SELECT sg.id, sg.variant, sg.origin, sg.formed_on, c.cbs_code, \
             c.name AS city_name, c.province \
             FROM sponsor_group sg JOIN city c ON c.id = sg.city_id WHERE 1 = 1",
        );
        if self.network_id.is_some() {
            sql.push_str(" AND c.network_id = :network");
        }
        if self.city_id.is_some() {
            sql.push_str(" AND c.id = :city");
        }
        if self.variant.is_some() {
            sql.push_str(" AND sg.variant = :variant");
        }
        sql.push(')');
        sql
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

    /// The month of date `d`, as `YYYY-MM`.
    fn month(self, d: &str) -> String {
        match self {
            Self::Sqlite => format!("strftime('%Y-%m', {d})"),
            Self::Postgres => format!("to_char({d}, 'YYYY-MM')"),
        }
    }

    /// The quarter of date `d`, as `YYYY-Qn`.
    fn quarter(self, d: &str) -> String {
        match self {
            Self::Sqlite => format!(
                "(strftime('%Y', {d}) || '-Q' || ((CAST(strftime('%m', {d}) AS INTEGER) + 2) / 3))"
            ),
            Self::Postgres => format!("to_char({d}, 'YYYY-\"Q\"Q')"),
        }
    }
}

/// `sql` with each `:name` outside string literals replaced by a placeholder of the backend
/// (`?` or `$n`) bound to that argument. A name without an argument is a bug, not a client
/// error.
pub fn render(dialect: Dialect, sql: &str, args: &[(&str, Value)]) -> Result<Statement> {
    let mut text = String::with_capacity(sql.len());
    let mut values = Vec::new();
    let mut chars = sql.char_indices().peekable();
    let mut quoted = false;
    while let Some((i, ch)) = chars.next() {
        if ch == '\'' {
            quoted = !quoted;
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

/// A select over `source` that ranks its column `v` within each `part` (0-based `i`) and
/// counts the part (`n`): the input of [`quantile`].
fn ranked(source: &str) -> String {
    format!(
        "SELECT part, v, ROW_NUMBER() OVER (PARTITION BY part ORDER BY v) - 1 AS i, \
         COUNT(*) OVER (PARTITION BY part) AS n FROM {source}"
    )
}

/// The `num/den` quantile of `v` in a group of [`ranked`] rows, interpolated between the two
/// values around rank `num/den · (n − 1)` as `percentile_cont` does. The rank's whole part and
/// remainder are integer arithmetic, so SQLite and PostgreSQL weigh the same rows alike.
fn quantile(num: u32, den: u32) -> String {
    let rank = format!("{num} * (n - 1)");
    format!(
        "CAST(SUM(CASE WHEN i = {rank} / {den} THEN v * ({den} - ({rank}) % {den}) \
         WHEN i = {rank} / {den} + 1 THEN v * (({rank}) % {den}) ELSE 0 END) \
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
}
