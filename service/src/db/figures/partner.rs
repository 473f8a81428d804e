//! The true figures behind partner statistics at their finest grain, for linked suppression
//! ([`super::linked`]): the register's atoms, every figure per atom and period (each adds up
//! across atoms), and the distinct volunteers behind each cell's hours.

use super::{Dialect, render};
use crate::domain::disclosure::grid::{Atom, Dim};
use crate::error::Result;
use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, FromQueryResult, Value};
use std::collections::HashMap;

/// The true figures of one cell.
#[derive(Debug, Clone, Default, PartialEq, Eq, FromQueryResult)]
pub struct Raw {
    /// The cell: a province code, a network slug, a variant or a quarter; empty for the total.
    pub key: String,
    /// Sponsorships under way at some time in the period (started by its end, not ended
    /// before it began).
    pub active: i64,
    /// Households whose sponsorship started within the period.
    pub welcomed: i64,
    /// The people in those households.
    pub newcomers: i64,
    /// Distinct volunteers who were members at some time within the period.
    pub volunteers: i64,
    /// Minutes volunteers gave within the period.
    pub minutes: i64,
    /// Distinct volunteers who gave them.
    pub givers: i64,
    /// Of the active sponsorships, those whose household had paid work by the period's end.
    pub paid_work: i64,
    /// Of the active sponsorships, those whose household reached language level B1 by then.
    pub language_b1: i64,
}

/// The periods of `year`: the whole year (`Y`) and its quarters (`Q1` … `Q4`), each with
/// its first and last day.
fn periods(year: i32) -> [(&'static str, NaiveDate, NaiveDate); 5] {
    let day = |m, d| NaiveDate::from_ymd_opt(year, m, d).unwrap_or_default();
    [
        ("Y", day(1, 1), day(12, 31)),
        ("Q1", day(1, 1), day(3, 31)),
        ("Q2", day(4, 1), day(6, 30)),
        ("Q3", day(7, 1), day(9, 30)),
        ("Q4", day(10, 1), day(12, 31)),
    ]
}

/// The atoms of `year` that the public register holds: every (network, province, variant)
/// with a group formed by the year's end, by slug, code and variant. Any other is known to
/// be empty.
pub async fn atoms(db: &impl ConnectionTrait, year: i32) -> Result<Vec<Atom>> {
    #[derive(FromQueryResult)]
    struct Row {
        network: String,
        province: String,
        variant: String,
    }
    let sql = "SELECT DISTINCT n.slug AS network, c.province AS province, sg.variant AS variant \
               FROM sponsor_group sg JOIN city c ON c.id = sg.city_id \
               JOIN sponsorship_network n ON n.id = c.network_id \
               WHERE sg.formed_on <= :last ORDER BY 1, 2, 3";
    let last = periods(year)[0].2;
    let stmt = render(Dialect::of(db), sql, &[("last", last.into())])?;
    let mut rows: Vec<Atom> = Row::find_by_statement(stmt)
        .all(db)
        .await?
        .into_iter()
        .map(|r| Atom {
            network: r.network,
            province: r.province,
            variant: r.variant,
        })
        .collect();
    rows.sort();
    Ok(rows)
}

/// The figures of `year` per atom and period, keyed `slug|province|variant|period` (only
/// atoms with data). Every figure adds up across atoms: a volunteer in groups of two atoms
/// counts in each.
pub async fn atom_figures(db: &impl ConnectionTrait, year: i32) -> Result<Vec<Raw>> {
    let key = "n.slug || '|' || c.province || '|' || sg.variant || '|'";
    run(db, key, &periods(year)).await
}

/// The distinct volunteers who gave hours in `year`, per cell of every grid over each of the
/// network `sets` (slugs): `(set, dimension, cell key)`, with no dimension for the total.
pub async fn givers(
    db: &impl ConnectionTrait,
    year: i32,
    sets: &[Vec<String>],
) -> Result<HashMap<(usize, Option<Dim>, String), u64>> {
    #[derive(FromQueryResult)]
    struct Row {
        sid: i64,
        dim: String,
        k: String,
        n: i64,
    }
    let p = periods(year);
    let mut args: Vec<(String, Value)> = vec![
        ("first".into(), p[0].1.into()),
        ("last".into(), p[0].2.into()),
        ("q1".into(), p[1].2.into()),
        ("q2".into(), p[2].2.into()),
        ("q3".into(), p[3].2.into()),
    ];
    let mut pairs = Vec::new();
    for (i, set) in sets.iter().enumerate() {
        for slug in set {
            let (s, n) = (format!("s{}", pairs.len()), format!("n{}", pairs.len()));
            pairs.push(format!("SELECT CAST(:{s} AS BIGINT) AS sid, :{n} AS slug"));
            args.push((s, (i as i64).into()));
            args.push((n, slug.clone().into()));
        }
    }
    if pairs.is_empty() {
        return Ok(HashMap::new());
    }
    // (PostgreSQL refuses a constant in GROUP BY: the total groups by set only.)
    let grouped = |dim: &str, k: &str| {
        let by = if k == "''" {
            String::new()
        } else {
            format!(", {k}")
        };
        format!(
            "SELECT s.sid AS sid, '{dim}' AS dim, {k} AS k, COUNT(DISTINCT g.v) AS n \
             FROM g JOIN sets s ON s.slug = g.slug GROUP BY s.sid{by}"
        )
    };
    let sql = format!(
        "WITH sets AS ({sets}), \
         g AS (SELECT DISTINCT x.volunteer_id AS v, n.slug AS slug, c.province AS p, \
                 sg.variant AS var, CASE WHEN x.contributed_on <= :q1 THEN 'Q1' \
                 WHEN x.contributed_on <= :q2 THEN 'Q2' WHEN x.contributed_on <= :q3 THEN 'Q3' \
                 ELSE 'Q4' END AS q \
               FROM contribution x JOIN sponsor_group sg ON sg.id = x.group_id \
               JOIN city c ON c.id = sg.city_id JOIN sponsorship_network n ON n.id = c.network_id \
               WHERE x.volunteer_id IS NOT NULL AND x.contributed_on >= :first \
                 AND x.contributed_on <= :last) \
         {} UNION ALL {} UNION ALL {} UNION ALL {} UNION ALL {}",
        grouped("P", "g.p"),
        grouped("N", "g.slug"),
        grouped("V", "g.var"),
        grouped("Q", "g.q"),
        grouped("T", "''"),
        sets = pairs.join(" UNION ALL "),
    );
    let args: Vec<(&str, Value)> = args.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
    let stmt = render(Dialect::of(db), &sql, &args)?;
    let mut out = HashMap::new();
    for r in Row::find_by_statement(stmt).all(db).await? {
        let dim = match r.dim.as_str() {
            "P" => Some(Dim::Province),
            "N" => Some(Dim::Network),
            "V" => Some(Dim::Variant),
            "Q" => Some(Dim::Quarter),
            _ => None,
        };
        let (set, n) = (usize::try_from(r.sid), u64::try_from(r.n));
        if let (Ok(set), Ok(n)) = (set, n) {
            out.insert((set, dim, r.k), n);
        }
    }
    Ok(out)
}

/// The names of a period's bound arguments, by its place (at most five periods).
const PERIOD_ARGS: [(&str, &str, &str); 5] = [
    ("k1", "f1", "t1"),
    ("k2", "f2", "t2"),
    ("k3", "f3", "t3"),
    ("k4", "f4", "t4"),
    ("k5", "f5", "t5"),
];

/// The figures by `group_key` (an expression over groups `sg`, towns `c` and networks `n`)
/// and period: a row's key is the two joined.
async fn run(
    db: &impl ConnectionTrait,
    group_key: &str,
    periods: &[(&str, NaiveDate, NaiveDate)],
) -> Result<Vec<Raw>> {
    let mut args: Vec<(&str, Value)> = Vec::new();
    let mut p = Vec::new();
    for ((k, f, t), (pk, from, to)) in PERIOD_ARGS.iter().zip(periods) {
        p.push(format!("SELECT :{k} AS pk, :{f} AS pf, :{t} AS pt"));
        args.extend([(*k, (*pk).into()), (*f, (*from).into()), (*t, (*to).into())]);
    }
    let sql = format!(
        "WITH p AS ({periods}), \
         gk AS (SELECT sg.id, {group_key} AS k FROM sponsor_group sg \
                JOIN city c ON c.id = sg.city_id \
                JOIN sponsorship_network n ON n.id = c.network_id), \
         sp AS (SELECT gk.k || p.pk AS k, s.id, s.household_id, s.started_on, p.pf, p.pt \
                FROM sponsorship s JOIN gk ON gk.id = s.group_id \
                JOIN p ON s.started_on <= p.pt AND (s.ended_on IS NULL OR s.ended_on >= p.pf) \
                WHERE s.started_on IS NOT NULL), \
         ss AS (SELECT k, COUNT(*) AS active, \
                  SUM(CASE WHEN EXISTS (SELECT 1 FROM milestone m WHERE m.sponsorship_id = sp.id \
                    AND m.kind = 'PAID_WORK' AND m.achieved_on <= sp.pt) THEN 1 ELSE 0 END) \
                    AS paid_work, \
                  SUM(CASE WHEN EXISTS (SELECT 1 FROM milestone m WHERE m.sponsorship_id = sp.id \
                    AND m.kind = 'LANGUAGE_B1' AND m.achieved_on <= sp.pt) THEN 1 ELSE 0 END) \
                    AS language_b1 \
                FROM sp GROUP BY k), \
         ww AS (SELECT w.k, COUNT(*) AS welcomed, SUM(h.household_size) AS newcomers \
                FROM (SELECT DISTINCT k, household_id FROM sp WHERE started_on >= pf) w \
                JOIN newcomer_household h ON h.id = w.household_id GROUP BY w.k), \
         vv AS (SELECT k, COUNT(*) AS volunteers FROM (SELECT DISTINCT gk.k || p.pk AS k, \
                  m.volunteer_id FROM membership m JOIN gk ON gk.id = m.group_id \
                  JOIN p ON m.joined_on <= p.pt AND (m.left_on IS NULL OR m.left_on >= p.pf)) x \
                GROUP BY k), \
         hh AS (SELECT gk.k || p.pk AS k, SUM(c.minutes) AS minutes, \
                  COUNT(DISTINCT c.volunteer_id) AS givers \
                FROM contribution c JOIN gk ON gk.id = c.group_id \
                JOIN p ON c.contributed_on >= p.pf AND c.contributed_on <= p.pt \
                WHERE c.volunteer_id IS NOT NULL GROUP BY gk.k || p.pk), \
         keys AS (SELECT k FROM ss UNION SELECT k FROM ww UNION SELECT k FROM vv \
                  UNION SELECT k FROM hh) \
         SELECT keys.k AS \"key\", \
           CAST(COALESCE(ss.active, 0) AS BIGINT) AS active, \
           CAST(COALESCE(ww.welcomed, 0) AS BIGINT) AS welcomed, \
           CAST(COALESCE(ww.newcomers, 0) AS BIGINT) AS newcomers, \
           CAST(COALESCE(vv.volunteers, 0) AS BIGINT) AS volunteers, \
           CAST(COALESCE(hh.minutes, 0) AS BIGINT) AS minutes, \
           CAST(COALESCE(hh.givers, 0) AS BIGINT) AS givers, \
           CAST(COALESCE(ss.paid_work, 0) AS BIGINT) AS paid_work, \
           CAST(COALESCE(ss.language_b1, 0) AS BIGINT) AS language_b1 \
         FROM keys LEFT JOIN ss ON ss.k = keys.k LEFT JOIN ww ON ww.k = keys.k \
           LEFT JOIN vv ON vv.k = keys.k LEFT JOIN hh ON hh.k = keys.k",
        periods = p.join(" UNION ALL "),
    );
    let stmt = render(Dialect::of(db), &sql, &args)?;
    Ok(Raw::find_by_statement(stmt).all(db).await?)
}
