//! The figures of the groups in scope broken down by variant, province, town or origin: one row
//! per value, computed by one statement whose parts are each grouped by that value.

use super::{Scope, rows};
use crate::error::Result;
use sea_orm::{ConnectionTrait, FromQueryResult};

/// What the rows of a breakdown are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum By {
    Variant,
    Province,
    /// Towns, keyed by CBS code.
    City,
    Origin,
}

impl By {
    /// The key column (of groups `sg` in towns `c`), and its label column (empty where the caller labels the key).
    fn columns(self) -> (&'static str, &'static str) {
        match self {
            Self::Variant => ("sg.variant", "''"),
            Self::Province => ("c.province", "''"),
            Self::City => ("c.cbs_code", "c.name"),
            Self::Origin => ("sg.origin", "''"),
        }
    }
}

/// The figures of one value of the breakdown.
#[derive(Debug, Clone, PartialEq, Eq, FromQueryResult)]
pub struct Row {
    /// The stored value: a variant, a province code, a CBS code or an origin.
    pub key: String,
    /// The town's name (empty for the other breakdowns).
    pub label: String,
    /// Groups formed by the end of the period and not closed (withdrawn, not approved, alumni)
    /// before it began.
    pub groups: i64,
    /// Of those, the groups ACTIVE at the end of the period.
    pub active_groups: i64,
    /// Their sponsorships proposed by the end of the period and not ended before it began.
    pub sponsorships: i64,
    /// Of those, the ones ACTIVE or CLOSING at the end of the period.
    pub active_sponsorships: i64,
    /// Households whose sponsorship started within the period.
    pub households_welcomed: i64,
    /// Distinct volunteers who were members at some time within the period.
    pub volunteers: i64,
    /// Minutes volunteers gave within the period.
    pub minutes: i64,
}

/// The status of the history row of `table` for `column` = `id` that was current on the last
/// day `cmp day` (the latest day first, then the latest recorded).
fn status_at(table: &str, column: &str, id: &str, cmp: &str) -> String {
    format!(
        "(SELECT x.status FROM {table} x WHERE x.{column} = {id} AND x.effective_on {cmp} \
         ORDER BY x.effective_on DESC, x.recorded_at DESC LIMIT 1)"
    )
}

/// The breakdown of the figures in scope by `by`, in the order of the keys.
pub async fn breakdown(db: &impl ConnectionTrait, scope: &Scope, by: By) -> Result<Vec<Row>> {
    let (key, label) = by.columns();
    let sql = format!(
        "WITH {g}, \
         gs AS (SELECT sg.id, {key} AS k, {label} AS label, {now} AS now_status, \
                  {before} AS before_status FROM sponsor_group sg JOIN city c ON c.id = sg.city_id \
                WHERE {in_scope} AND sg.formed_on <= :to), \
         gl AS (SELECT * FROM gs WHERE before_status IS NULL \
                  OR before_status NOT IN ('WITHDRAWN', 'NOT_APPROVED', 'ALUMNI')), \
         sp AS (SELECT gl.k, s.household_id, s.started_on, {sp_now} AS now_status \
                FROM sponsorship s JOIN gl ON gl.id = s.group_id \
                WHERE s.proposed_on <= :to AND (s.ended_on IS NULL OR s.ended_on >= :from)), \
         gg AS (SELECT k, MIN(label) AS label, COUNT(*) AS n, \
                  SUM(CASE WHEN now_status = 'ACTIVE' THEN 1 ELSE 0 END) AS active \
                FROM gl GROUP BY k), \
         ss AS (SELECT k, COUNT(*) AS n, \
                  SUM(CASE WHEN now_status IN ('ACTIVE', 'CLOSING') THEN 1 ELSE 0 END) AS active, \
                  COUNT(DISTINCT CASE WHEN started_on >= :from AND started_on <= :to \
                    THEN household_id END) AS welcomed \
                FROM sp GROUP BY k), \
         vv AS (SELECT k, COUNT(*) AS n FROM (SELECT DISTINCT gl.k, m.volunteer_id \
                  FROM membership m JOIN gl ON gl.id = m.group_id \
                  WHERE m.joined_on <= :to AND (m.left_on IS NULL OR m.left_on >= :from)) x \
                GROUP BY k), \
         hh AS (SELECT gl.k, SUM(cg.minutes) AS minutes \
                FROM (SELECT c.group_id, SUM(c.minutes) AS minutes FROM contribution c \
                  WHERE {in_contributions} AND c.volunteer_id IS NOT NULL \
                    AND c.contributed_on >= :from AND c.contributed_on <= :to \
                  GROUP BY c.group_id) cg \
                JOIN gl ON gl.id = cg.group_id GROUP BY gl.k) \
         SELECT gg.k AS \"key\", gg.label, gg.n AS \"groups\", gg.active AS active_groups, \
           COALESCE(ss.n, 0) AS sponsorships, COALESCE(ss.active, 0) AS active_sponsorships, \
           COALESCE(ss.welcomed, 0) AS households_welcomed, COALESCE(vv.n, 0) AS volunteers, \
           CAST(COALESCE(hh.minutes, 0) AS BIGINT) AS minutes \
         FROM gg LEFT JOIN ss ON ss.k = gg.k LEFT JOIN vv ON vv.k = gg.k \
           LEFT JOIN hh ON hh.k = gg.k",
        g = scope.groups(),
        in_scope = scope.in_groups("sg.id"),
        in_contributions = scope.in_groups("c.group_id"),
        now = status_at("group_status_change", "group_id", "sg.id", "<= :to"),
        before = status_at("group_status_change", "group_id", "sg.id", "< :from"),
        sp_now = status_at(
            "sponsorship_status_change",
            "sponsorship_id",
            "s.id",
            "<= :to"
        ),
    );
    let mut found: Vec<Row> = rows(db, scope, &sql, vec![]).await?;
    // Sorted here rather than in SQL: the databases' collations may order text differently.
    found.sort_by(|a, b| a.key.cmp(&b.key));
    Ok(found)
}
