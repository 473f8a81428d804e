//! Figures about the care itself: the milestones households reached after their sponsorship
//! started, the reasons sponsorships ended early, and what companies pledged and delivered.

use super::{Dialect, Scope, histogram, hours, quantile, rows, share};
use crate::error::Result;
use haven_entities::enums::{EndReason, MilestoneKind};
use sea_orm::{ActiveEnum, ConnectionTrait, FromQueryResult, Iterable};

/// How many sponsorships started in the period reached a milestone.
#[derive(Debug, Clone, PartialEq)]
pub struct MilestoneStat {
    pub kind: MilestoneKind,
    /// Sponsorships started in the period that reached it by the end of the period.
    pub reached: i64,
    /// `reached` over the sponsorships started in the period; none when none started.
    pub share: Option<f64>,
    /// Median days from the start to the milestone.
    pub median_days_from_start: Option<f64>,
}

#[derive(FromQueryResult)]
struct MilestoneRow {
    started: i64,
    part: Option<String>,
    n: Option<i64>,
    median: Option<f64>,
}

/// Every milestone kind, for the sponsorships in scope that started within the period.
pub async fn milestones(db: &impl ConnectionTrait, scope: &Scope) -> Result<Vec<MilestoneStat>> {
    let d = Dialect::of(db);
    let sql = format!(
        "WITH {g}, \
         st AS (SELECT sp.id, sp.started_on FROM sponsorship sp \
                WHERE {in_scope} AND sp.started_on >= :from AND sp.started_on <= :to), \
         d AS (SELECT m.kind AS part, {days} AS v FROM milestone m \
               JOIN st ON st.id = m.sponsorship_id WHERE m.achieved_on <= :to), \
         {histogram}, \
         k AS (SELECT part, n, {median} AS median FROM q GROUP BY part, n) \
         SELECT t.started, k.part, k.n, k.median \
         FROM (SELECT COUNT(*) AS started FROM st) t LEFT JOIN k ON 1 = 1",
        g = scope.groups(),
        in_scope = scope.in_groups("sp.group_id"),
        days = d.days("st.started_on", "m.achieved_on"),
        histogram = histogram("d"),
        median = quantile(1, 2),
    );
    let found: Vec<MilestoneRow> = rows(db, scope, &sql, vec![]).await?;
    let started = found.first().map_or(0, |r| r.started);
    Ok(MilestoneKind::iter()
        .map(|kind| {
            let value = kind.to_value();
            let row = found.iter().find(|r| r.part.as_deref() == Some(&value));
            let reached = row.and_then(|r| r.n).unwrap_or(0);
            MilestoneStat {
                kind,
                reached,
                share: share(reached, started),
                median_days_from_start: row.and_then(|r| r.median),
            }
        })
        .collect())
}

#[derive(FromQueryResult)]
struct ReasonRow {
    reason: String,
    n: i64,
}

/// Sponsorships in scope that ended early within the period, by reason; every reason listed.
pub async fn early_ends(db: &impl ConnectionTrait, scope: &Scope) -> Result<Vec<(EndReason, i64)>> {
    let sql = format!(
        "WITH {g} \
         SELECT COALESCE(sp.end_reason, 'OTHER') AS reason, COUNT(*) AS n \
         FROM sponsorship sp \
         WHERE {in_scope} AND sp.status = 'ENDED_EARLY' AND sp.ended_on >= :from AND sp.ended_on <= :to \
         GROUP BY COALESCE(sp.end_reason, 'OTHER')",
        g = scope.groups(),
        in_scope = scope.in_groups("sp.group_id"),
    );
    let found: Vec<ReasonRow> = rows(db, scope, &sql, vec![]).await?;
    Ok(EndReason::iter()
        .map(|reason| {
            let value = reason.to_value();
            let n = found.iter().find(|r| r.reason == value).map_or(0, |r| r.n);
            (reason, n)
        })
        .collect())
}

/// What companies pledged to the area in scope and delivered there within the period.
#[derive(Debug, Clone, PartialEq)]
pub struct Corporate {
    /// Companies with a pledge running in the period or a contribution within it.
    pub sponsors: i64,
    /// Hours pledged by the pledges running in the period (whole pledges, not prorated).
    pub pledged_hours: i64,
    /// Hours companies gave to the groups in scope within the period.
    pub delivered_hours: f64,
    /// The value of the goods they gave, in euro cents.
    pub in_kind_cents: i64,
}

#[derive(FromQueryResult)]
struct CorporateRow {
    sponsors: i64,
    pledged_hours: i64,
    minutes: i64,
    cents: i64,
}

/// The corporate totals in scope. A pledge is in scope when it is to the network or town asked
/// for (or to one of its groups), or, with a variant asked for, to a group of that variant.
pub async fn corporate(db: &impl ConnectionTrait, scope: &Scope) -> Result<Corporate> {
    let mut pledges =
        String::from("k.starts_on <= :to AND (k.ends_on IS NULL OR k.ends_on >= :from)");
    if scope.network_id.is_some() {
        pledges.push_str(" AND k.network_id = :network");
    }
    if scope.city_id.is_some() {
        pledges.push_str(" AND k.city_id = :city");
    }
    if scope.variant.is_some() {
        pledges.push_str(" AND k.group_id IN (SELECT id FROM g)");
    }
    let sql = format!(
        "WITH {g}, \
         p AS (SELECT k.sponsor_id, k.pledged_hours FROM sponsor_commitment k WHERE {pledges}), \
         c AS (SELECT c.corporate_sponsor_id AS sponsor_id, c.minutes, c.value_cents \
               FROM contribution c \
               WHERE {in_scope} AND c.corporate_sponsor_id IS NOT NULL AND c.contributed_on >= :from \
                 AND c.contributed_on <= :to) \
         SELECT \
           (SELECT COUNT(*) FROM (SELECT sponsor_id FROM p UNION SELECT sponsor_id FROM c) u) \
             AS sponsors, \
           (SELECT CAST(COALESCE(SUM(pledged_hours), 0) AS BIGINT) FROM p) AS pledged_hours, \
           (SELECT CAST(COALESCE(SUM(minutes), 0) AS BIGINT) FROM c) AS minutes, \
           (SELECT CAST(COALESCE(SUM(value_cents), 0) AS BIGINT) FROM c) AS cents",
        g = scope.groups(),
        in_scope = scope.in_groups("c.group_id"),
    );
    let found: Vec<CorporateRow> = rows(db, scope, &sql, vec![]).await?;
    let row = found.first();
    Ok(Corporate {
        sponsors: row.map_or(0, |r| r.sponsors),
        pledged_hours: row.map_or(0, |r| r.pledged_hours),
        delivered_hours: hours(row.map_or(0, |r| r.minutes)),
        in_kind_cents: row.map_or(0, |r| r.cents),
    })
}
