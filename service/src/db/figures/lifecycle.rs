//! Figures from the status history: how many groups and sponsorships reached each stage of
//! their lifecycle in the period and how many went on from the stage before (funnels), and how
//! many days the steps between stages took (durations).

use super::{Dialect, Scope, quantile, ranked, rows, share};
use crate::error::Result;
use sea_orm::{ConnectionTrait, FromQueryResult};

/// One history table and the rows in scope whose history it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    Group,
    Sponsorship,
}

impl Subject {
    /// The history table, its column naming the row, and the CTE `r` of rows in scope.
    fn parts(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Self::Group => ("group_status_change", "group_id", "r AS (SELECT id FROM g)"),
            Self::Sponsorship => (
                "sponsorship_status_change",
                "sponsorship_id",
                "r AS (SELECT sp.id FROM sponsorship sp JOIN g ON g.id = sp.group_id)",
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

#[derive(FromQueryResult)]
struct StageRow {
    ord: i32,
    reached: i64,
    base_n: i64,
    converted: i64,
}

/// The funnel of `subject` in scope.
pub async fn funnel(
    db: &impl ConnectionTrait,
    scope: &Scope,
    subject: Subject,
) -> Result<Vec<Stage>> {
    let (table, column, r) = subject.parts();
    let stages = subject.stages();
    let sql = format!(
        "WITH {g}, {r}, \
         h AS (SELECT x.{column} AS subject, x.status, x.effective_on FROM {table} x \
               JOIN r ON r.id = x.{column} WHERE x.effective_on <= :to), \
         inp AS (SELECT subject, status, MIN(effective_on) AS first_on FROM h \
                 WHERE effective_on >= :from GROUP BY subject, status), \
         stages(ord, stage, base) AS (VALUES {values}) \
         SELECT s.ord, \
           (SELECT COUNT(*) FROM inp WHERE inp.status = s.stage) AS reached, \
           (SELECT COUNT(*) FROM inp b WHERE b.status = s.base) AS base_n, \
           (SELECT COUNT(*) FROM inp b WHERE b.status = s.base AND EXISTS \
              (SELECT 1 FROM h WHERE h.subject = b.subject AND h.status = s.stage \
               AND h.effective_on >= b.first_on)) AS converted \
         FROM stages s",
        g = scope.groups(),
        values = values(stages.iter().map(|(s, b)| (*s, b.unwrap_or("")))),
    );
    let found: Vec<StageRow> = rows(db, scope, &sql, vec![]).await?;
    let mut out: Vec<Stage> = stages
        .iter()
        .map(|(stage, _)| Stage {
            stage,
            reached: 0,
            conversion: None,
        })
        .collect();
    for row in found {
        if let Some(stage) = usize::try_from(row.ord).ok().and_then(|i| out.get_mut(i)) {
            stage.reached = row.reached;
            stage.conversion = share(row.converted, row.base_n);
        }
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
    let (table, column, r) = subject.parts();
    let steps = subject.steps();
    let d = Dialect::of(db);
    let sql = format!(
        "WITH {g}, {r}, \
         f AS (SELECT x.{column} AS subject, x.status, MIN(x.effective_on) AS first_on \
               FROM {table} x JOIN r ON r.id = x.{column} WHERE x.effective_on <= :to \
               GROUP BY x.{column}, x.status), \
         steps(ord, a, b) AS (VALUES {values}), \
         d AS (SELECT s.ord AS part, {days} AS v FROM steps s \
               JOIN f fa ON fa.status = s.a \
               JOIN f fb ON fb.subject = fa.subject AND fb.status = s.b \
               WHERE fb.first_on >= :from AND fb.first_on >= fa.first_on), \
         q AS ({ranked}) \
         SELECT part, n, {median} AS median, {p75} AS p75 FROM q GROUP BY part, n",
        g = scope.groups(),
        values = values(steps.iter().copied()),
        days = d.days("fa.first_on", "fb.first_on"),
        ranked = ranked("d"),
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
