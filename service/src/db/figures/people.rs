//! Figures about volunteers: the hours they gave month by month, and how many of those who
//! joined in a quarter were still members months later (retention).

use super::{Dialect, Scope, hours, raw_rows, rows, share};
use crate::error::Result;
use chrono::{Datelike, Months, NaiveDate};
use sea_orm::{ConnectionTrait, FromQueryResult};

/// What volunteers gave in one month.
#[derive(Debug, Clone, PartialEq)]
pub struct Month {
    /// `YYYY-MM`.
    pub month: String,
    pub hours: f64,
    pub contributions: i64,
    /// Distinct volunteers who contributed.
    pub volunteers: i64,
}

#[derive(FromQueryResult)]
struct MonthRow {
    month: String,
    minutes: i64,
    contributions: i64,
    volunteers: i64,
}

/// Volunteers' contributions to the groups in scope, by month, every month of the period
/// listed (a month without any shows zeros). Companies' hours are in the corporate totals.
pub async fn hours_by_month(db: &impl ConnectionTrait, scope: &Scope) -> Result<Vec<Month>> {
    let d = Dialect::of(db);
    let month = d.month("c.contributed_on");
    let label = d.month_label(&month);
    let sql = format!(
        "WITH {g} \
         SELECT {label} AS month, CAST(SUM(c.minutes) AS BIGINT) AS minutes, \
           COUNT(*) AS contributions, COUNT(DISTINCT c.volunteer_id) AS volunteers \
         FROM contribution c \
         WHERE {in_scope} AND c.volunteer_id IS NOT NULL AND c.contributed_on >= :from \
           AND c.contributed_on <= :to \
         GROUP BY {month}",
        g = scope.groups(),
        in_scope = scope.in_groups("c.group_id"),
    );
    let found: Vec<MonthRow> = rows(db, scope, &sql, vec![]).await?;
    Ok(months(scope.from, scope.to)
        .into_iter()
        .map(|month| {
            let row = found.iter().find(|r| r.month == month);
            Month {
                hours: row.map_or(0.0, |r| hours(r.minutes)),
                contributions: row.map_or(0, |r| r.contributions),
                volunteers: row.map_or(0, |r| r.volunteers),
                month,
            }
        })
        .collect())
}

/// The months from `from` to `to`, as `YYYY-MM`.
fn months(from: NaiveDate, to: NaiveDate) -> Vec<String> {
    let mut out = Vec::new();
    let mut m = from.with_day(1).unwrap_or(from);
    while m <= to {
        out.push(m.format("%Y-%m").to_string());
        match m.checked_add_months(Months::new(1)) {
            Some(next) => m = next,
            None => break,
        }
    }
    out
}

/// The points of a retention curve: months after joining, and the days they stand for.
pub const RETENTION_POINTS: [(i32, i32); 4] = [(3, 91), (6, 182), (12, 365), (24, 730)];

/// One point of a cohort's retention curve.
#[derive(Debug, Clone, PartialEq)]
pub struct Retention {
    /// The quarter the volunteers first joined a group in scope, `YYYY-Qn`.
    pub cohort: String,
    pub months: i32,
    /// Volunteers of the cohort who had been with the groups that long by the end of the
    /// period (the others are too recent to tell).
    pub volunteers: i64,
    /// The share of those who were still a member then.
    pub still_active: f64,
}

/// Retention of the volunteers who first joined a group in scope within the period, by quarter
/// cohort, 3, 6, 12 and 24 months (91, 182, 365, 730 days) after they joined. A volunteer is
/// still a member at a point unless by then they had left every group in scope they joined.
/// Points after the end of the period (or after `today`) are not known yet: a cohort's point
/// counts the volunteers who had reached it, and is not listed when none had.
pub async fn retention(
    db: &impl ConnectionTrait,
    scope: &Scope,
    today: NaiveDate,
) -> Result<Vec<Retention>> {
    let d = Dialect::of(db);
    let quarter = d.quarter("first_on");
    let label = d.quarter_label("quarter");
    // One row per cohort, two columns per point (reached, still a member): one pass over the
    // volunteers rather than one row per volunteer and point.
    let points: String = RETENTION_POINTS
        .iter()
        .map(|(m, days)| {
            let at = d.plus_days("first_on", &days.to_string());
            format!(
                ", SUM(CASE WHEN {at} <= :known THEN 1 ELSE 0 END) AS n{m}, \
                 SUM(CASE WHEN {at} <= :known AND (gone_on IS NULL OR gone_on > {at}) \
                   THEN 1 ELSE 0 END) AS s{m}"
            )
        })
        .collect();
    let sql = format!(
        "WITH {g}, \
         v AS (SELECT m.volunteer_id, MIN(m.joined_on) AS first_on, \
                 CASE WHEN COUNT(*) = COUNT(m.left_on) THEN MAX(m.left_on) END AS gone_on \
               FROM membership m WHERE {in_scope} GROUP BY m.volunteer_id), \
         c AS (SELECT {quarter} AS quarter, first_on, gone_on FROM v \
               WHERE first_on >= :from AND first_on <= :to) \
         SELECT {label} AS cohort{points} FROM c GROUP BY quarter",
        g = scope.groups(),
        in_scope = scope.in_groups("m.group_id"),
    );
    let known = scope.to.min(today);
    let found = raw_rows(db, scope, &sql, vec![("known", known.into())]).await?;
    let mut out = Vec::new();
    for row in found {
        let cohort: String = row.try_get("", "cohort")?;
        for (months, _) in RETENTION_POINTS {
            let n: i64 = row.try_get("", &format!("n{months}"))?;
            let still: i64 = row.try_get("", &format!("s{months}"))?;
            if n > 0 {
                out.push(Retention {
                    cohort: cohort.clone(),
                    months,
                    volunteers: n,
                    still_active: share(still, n).unwrap_or(0.0),
                });
            }
        }
    }
    out.sort_by(|a, b| (&a.cohort, a.months).cmp(&(&b.cohort, b.months)));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_month_of_the_period_is_listed() {
        let day = |s: &str| s.parse::<NaiveDate>().unwrap_or_default();
        assert_eq!(
            months(day("2024-11-30"), day("2025-02-01")),
            ["2024-11", "2024-12", "2025-01", "2025-02"]
        );
        assert_eq!(months(day("2025-01-15"), day("2025-01-20")), ["2025-01"]);
    }
}
