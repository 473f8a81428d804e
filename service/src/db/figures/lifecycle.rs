//! Figures from the status history: how many groups and sponsorships reached each stage of
//! their lifecycle in the period and how many went on from the stage before (funnels), and how
//! many days the steps between stages took (durations).

use super::{Dialect, Scope, histogram, quantile, raw_rows, rows, share};
use crate::error::Result;
use sea_orm::{ConnectionTrait, FromQueryResult};

/// One history table and the rows in scope whose history it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    Group,
    Sponsorship,
}

impl Subject {
    /// The history table, its column naming the row, and the condition that the row `x` is in
    /// scope.
    fn parts(self, scope: &Scope) -> (&'static str, &'static str, String) {
        match self {
            Self::Group => (
                "group_status_change",
                "group_id",
                scope.in_groups("x.group_id"),
            ),
            Self::Sponsorship => (
                "sponsorship_status_change",
                "sponsorship_id",
                if scope.is_everything() {
                    "1 = 1".to_owned()
                } else {
                    format!(
                        "x.sponsorship_id IN (SELECT sp.id FROM sponsorship sp WHERE {})",
                        scope.in_groups("sp.group_id")
                    )
                },
            ),
        }
    }

    /// The stages of the main line, each with the stage its conversion is measured from. Side
    /// exits are not stages. A sponsorship may skip PRE_ARRIVAL (only resettlement has it) and
    /// CLOSING, so ACTIVE converts from CONFIRMED and COMPLETED from ACTIVE.
    pub fn stages(self) -> &'static [(&'static str, Option<&'static str>)] {
        match self {
            Self::Group => &[
                ("INTERESTED", None),
                ("FORMING", Some("INTERESTED")),
                ("APPLIED", Some("FORMING")),
                ("SCREENING", Some("APPLIED")),
                ("IN_TRAINING", Some("SCREENING")),
                ("READY_TO_MATCH", Some("IN_TRAINING")),
                ("MATCHED", Some("READY_TO_MATCH")),
                ("ACTIVE", Some("MATCHED")),
                ("COMPLETED", Some("ACTIVE")),
                ("ALUMNI", Some("COMPLETED")),
            ],
            Self::Sponsorship => &[
                ("PROPOSED", None),
                ("CONFIRMED", Some("PROPOSED")),
                ("PRE_ARRIVAL", Some("CONFIRMED")),
                ("ACTIVE", Some("CONFIRMED")),
                ("CLOSING", Some("ACTIVE")),
                ("COMPLETED", Some("ACTIVE")),
            ],
        }
    }

    /// The steps whose durations are reported, from one stage to another.
    pub fn steps(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Self::Group => &[
                ("FORMING", "APPLIED"),
                ("APPLIED", "READY_TO_MATCH"),
                ("READY_TO_MATCH", "MATCHED"),
                ("APPLIED", "MATCHED"),
                ("MATCHED", "ACTIVE"),
            ],
            Self::Sponsorship => &[
                ("PROPOSED", "CONFIRMED"),
                ("PROPOSED", "ACTIVE"),
                ("ACTIVE", "COMPLETED"),
            ],
        }
    }
}

/// `VALUES` rows of (ordinal, a, b) for a CTE.
fn values<'a>(pairs: impl Iterator<Item = (&'a str, &'a str)>) -> String {
    pairs
        .enumerate()
        .map(|(i, (a, b))| format!("({i}, '{a}', '{b}')"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// One stage of a funnel.
#[derive(Debug, Clone, PartialEq)]
pub struct Stage {
    pub stage: &'static str,
    /// Rows that reached the stage within the period.
    pub reached: i64,
    /// Of the rows that reached the stage before it within the period, the share that then
    /// reached this one by the end of the period; none for the first stage or without any.
    pub conversion: Option<f64>,
}

/// The funnel of `subject` in scope, from one pass over the history: a row per subject with,
/// for each stage, the first day it reached the stage within the period (`f<i>`) and the last
/// day it had reached it by the period's end (`l<i>`); then one row of counts. A subject
/// converted to stage `i` from its base `b` when it reached `i` on or after reaching `b`
/// within the period (`l<i> >= f<b>`).
pub async fn funnel(
    db: &impl ConnectionTrait,
    scope: &Scope,
    subject: Subject,
) -> Result<Vec<Stage>> {
    let (table, column, in_scope) = subject.parts(scope);
    let stages = subject.stages();
    let index = |name: &str| stages.iter().position(|(s, _)| *s == name);
    let mut days = String::new();
    let mut counts = Vec::new();
    for (i, (stage, base)) in stages.iter().enumerate() {
        days.push_str(&format!(
            ", MIN(CASE WHEN x.status = '{stage}' AND x.effective_on >= :from \
               THEN x.effective_on END) AS f{i}, \
             MAX(CASE WHEN x.status = '{stage}' THEN x.effective_on END) AS l{i}"
        ));
        counts.push(format!("COUNT(f{i}) AS r{i}"));
        if let Some(b) = base.and_then(index) {
            counts.push(format!(
                "COUNT(f{b}) AS n{i}, \
                 SUM(CASE WHEN f{b} IS NOT NULL AND l{i} >= f{b} THEN 1 ELSE 0 END) AS c{i}"
            ));
        }
    }
    let sql = format!(
        "WITH {g}, \
         p AS (SELECT x.{column} AS subject{days} FROM {table} x \
               WHERE {in_scope} AND x.effective_on <= :to GROUP BY x.{column}) \
         SELECT {counts} FROM p",
        g = scope.groups(),
        counts = counts.join(", "),
    );
    let found = raw_rows(db, scope, &sql, vec![]).await?;
    let row = found
        .first()
        .ok_or_else(|| crate::error::Error::Internal("a funnel without its row".into()))?;
    let mut out = Vec::with_capacity(stages.len());
    for (i, (stage, base)) in stages.iter().enumerate() {
        // Sums over no rows are NULL.
        let get = |name: String| -> Result<i64> {
            Ok(row.try_get::<Option<i64>>("", &name)?.unwrap_or(0))
        };
        let conversion = match base.and_then(index) {
            Some(_) => share(get(format!("c{i}"))?, get(format!("n{i}"))?),
            None => None,
        };
        out.push(Stage {
            stage,
            reached: get(format!("r{i}"))?,
            conversion,
        });
    }
    Ok(out)
}

/// How long one step between stages took.
#[derive(Debug, Clone, PartialEq)]
pub struct Duration {
    pub subject: Subject,
    pub from: &'static str,
    pub to: &'static str,
    /// Rows that reached `to` within the period, having reached `from` before.
    pub n: i64,
    pub median_days: Option<f64>,
    pub p75_days: Option<f64>,
}

#[derive(FromQueryResult)]
struct DurationRow {
    part: i32,
    n: i64,
    median: f64,
    p75: f64,
}

/// The durations of `subject`'s steps: from the first day a row reached one stage to the
/// first day it reached the next, for rows that reached the next within the period.
pub async fn durations(
    db: &impl ConnectionTrait,
    scope: &Scope,
    subject: Subject,
) -> Result<Vec<Duration>> {
    let (table, column, in_scope) = subject.parts(scope);
    let steps = subject.steps();
    let d = Dialect::of(db);
    let sql = format!(
        "WITH {g}, \
         f AS (SELECT x.{column} AS subject, x.status, MIN(x.effective_on) AS first_on \
               FROM {table} x WHERE {in_scope} AND x.effective_on <= :to \
               GROUP BY x.{column}, x.status), \
         steps(ord, a, b) AS (VALUES {values}), \
         d AS (SELECT s.ord AS part, {days} AS v FROM steps s \
               JOIN f fa ON fa.status = s.a \
               JOIN f fb ON fb.subject = fa.subject AND fb.status = s.b \
               WHERE fb.first_on >= :from AND fb.first_on >= fa.first_on), \
         {histogram} \
         SELECT part, n, {median} AS median, {p75} AS p75 FROM q GROUP BY part, n",
        g = scope.groups(),
        values = values(steps.iter().copied()),
        days = d.days("fa.first_on", "fb.first_on"),
        histogram = histogram("d"),
        median = quantile(1, 2),
        p75 = quantile(3, 4),
    );
    let found: Vec<DurationRow> = rows(db, scope, &sql, vec![]).await?;
    let mut out: Vec<Duration> = steps
        .iter()
        .map(|(from, to)| Duration {
            subject,
            from,
            to,
            n: 0,
            median_days: None,
            p75_days: None,
        })
        .collect();
    for row in found {
        if let Some(step) = usize::try_from(row.part).ok().and_then(|i| out.get_mut(i)) {
            step.n = row.n;
            step.median_days = Some(row.median);
            step.p75_days = Some(row.p75);
        }
    }
    Ok(out)
}
