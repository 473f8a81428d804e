//! `PartnerStats`: the figures partners read, on a fixed grid, each published or suppressed
//! by [`crate::domain::disclosure`]; and `PartnerQuery`, one call in the query log.

use crate::db::figures::partner::{Grid, Raw};
use crate::domain::disclosure::{self, Published, Reason};
use crate::graphql::types::id;
use async_graphql::{Enum, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};
use haven_entities::partner_query_log;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The dimension of the grid of partner statistics.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PartnerStatsBy {
    /// The twelve provinces, by CBS code.
    Province,
    /// The networks the key may see, by slug.
    Network,
    /// The sponsorship variants.
    Variant,
    /// The year's quarters, `Q1` to `Q4`.
    Quarter,
}

impl From<PartnerStatsBy> for Grid {
    fn from(by: PartnerStatsBy) -> Self {
        match by {
            PartnerStatsBy::Province => Grid::Province,
            PartnerStatsBy::Network => Grid::Network,
            PartnerStatsBy::Variant => Grid::Variant,
            PartnerStatsBy::Quarter => Grid::Quarter,
        }
    }
}

/// Why a figure is not published.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SuppressionReason {
    /// Fewer than 10 (sponsorships, households, people, or volunteers behind the hours).
    SmallCell,
    /// Withheld so that another suppressed cell cannot be worked out from the total.
    Secondary,
    /// A rate over fewer than 20, or with fewer than 10 on either side.
    Denominator,
}

/// One published figure: its value, or why it is withheld.
#[derive(SimpleObject, Clone, Copy, Debug, Serialize, Deserialize)]
pub struct Figure {
    /// Counts are multiples of 5 (at least 10), hours multiples of 10, rates multiples of
    /// 0.05; null when suppressed.
    pub value: Option<f64>,
    pub suppressed: bool,
    pub reason: Option<SuppressionReason>,
}

impl From<Published> for Figure {
    fn from(p: Published) -> Self {
        Self {
            value: p.value,
            suppressed: p.value.is_none(),
            reason: p.reason.map(|r| match r {
                Reason::SmallCell => SuppressionReason::SmallCell,
                Reason::Secondary => SuppressionReason::Secondary,
                Reason::Denominator => SuppressionReason::Denominator,
            }),
        }
    }
}

/// The figures of one cell of the grid (or of the total) for the year.
#[derive(SimpleObject, Clone, Debug, Serialize, Deserialize)]
pub struct PartnerCell {
    /// A province's CBS code, a network's slug, a variant, `Q1`…`Q4`, or `TOTAL`.
    pub key: String,
    pub label: String,
    /// Sponsorships under way at some time in the cell's period.
    pub active_sponsorships: Figure,
    /// Households whose sponsorship started in the period.
    pub households_welcomed: Figure,
    /// The people in those households.
    pub newcomers: Figure,
    /// Distinct volunteers who were members at some time in the period.
    pub volunteers: Figure,
    /// Hours volunteers gave in the period.
    pub hours: Figure,
    /// Share of the active sponsorships whose household had paid work by the period's end.
    pub paid_work_rate: Figure,
    /// Share of the active sponsorships whose household reached language level B1 by then.
    pub language_b1_rate: Figure,
}

/// Partner statistics for one year on one grid: every cell of the grid, in a fixed order,
/// and the total. Suppressed cells are listed like the others.
#[derive(SimpleObject, Clone, Debug, Serialize, Deserialize)]
pub struct PartnerStats {
    pub year: i32,
    pub by: PartnerStatsBy,
    pub cells: Vec<PartnerCell>,
    pub total: PartnerCell,
}

/// Whole hours of `minutes`, rounded half up.
fn whole_hours(minutes: i64) -> u64 {
    (u64::try_from(minutes).unwrap_or(0) + 30) / 60
}

fn count(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

impl PartnerStats {
    /// Publishes the true figures `found` (by cell key) and `total` on the grid `cells`
    /// (key, label), each figure protected across the cells.
    pub fn publish(
        year: i32,
        by: PartnerStatsBy,
        cells: Vec<(String, String)>,
        found: Vec<Raw>,
        total: Raw,
    ) -> Self {
        let mut found: HashMap<String, Raw> =
            found.into_iter().map(|r| (r.key.clone(), r)).collect();
        let raws: Vec<Raw> = cells
            .iter()
            .map(|(key, _)| found.remove(key).unwrap_or_default())
            .collect();
        let counts = |f: fn(&Raw) -> i64| {
            let values: Vec<u64> = raws.iter().map(|r| count(f(r))).collect();
            disclosure::counts(&values, count(f(&total)))
        };
        let (active, active_total) = counts(|r| r.active);
        let (welcomed, welcomed_total) = counts(|r| r.welcomed);
        let (newcomers, newcomers_total) = counts(|r| r.newcomers);
        let (volunteers, volunteers_total) = counts(|r| r.volunteers);
        let hour_cells: Vec<(u64, u64)> = raws
            .iter()
            .map(|r| (whole_hours(r.minutes), count(r.givers)))
            .collect();
        let (hours, hours_total) = disclosure::hours(
            &hour_cells,
            (whole_hours(total.minutes), count(total.givers)),
        );
        let cell = |key: String, label: String, i: Option<usize>, raw: &Raw| {
            let pick = |all: &[Published], t: Published| i.map_or(t, |i| all[i]).into();
            PartnerCell {
                key,
                label,
                active_sponsorships: pick(&active, active_total),
                households_welcomed: pick(&welcomed, welcomed_total),
                newcomers: pick(&newcomers, newcomers_total),
                volunteers: pick(&volunteers, volunteers_total),
                hours: pick(&hours, hours_total),
                paid_work_rate: disclosure::rate(count(raw.paid_work), count(raw.active)).into(),
                language_b1_rate: disclosure::rate(count(raw.language_b1), count(raw.active))
                    .into(),
            }
        };
        let published = cells
            .into_iter()
            .zip(&raws)
            .enumerate()
            .map(|(i, ((key, label), raw))| cell(key, label, Some(i), raw))
            .collect();
        let total = cell("TOTAL".into(), "Total".into(), None, &total);
        Self {
            year,
            by,
            cells: published,
            total,
        }
    }
}

/// One call for partner statistics, as the query log keeps it.
pub struct PartnerQuery(pub partner_query_log::Model);

#[Object]
impl PartnerQuery {
    async fn id(&self) -> ID {
        id(self.0.id)
    }
    async fn asked_at(&self) -> DateTime<Utc> {
        self.0.asked_at
    }
    /// The API key used (its id, never its value); null for an administrator.
    async fn key_id(&self) -> Option<ID> {
        self.0.key_id.map(id)
    }
    /// The key's partner organisation.
    async fn partner_id(&self) -> Option<ID> {
        self.0.partner_id.map(id)
    }
    /// `PARTNER`, or the role of the signed-in viewer.
    async fn viewer_role(&self) -> &str {
        &self.0.viewer_role
    }
    /// The root field called, e.g. `partnerStats`.
    async fn field(&self) -> &str {
        &self.0.field
    }
    /// The arguments, as a JSON object.
    async fn arguments(&self) -> &str {
        &self.0.arguments
    }
}

/// Counts the query log.
pub struct PartnerQueryTotal;

#[Object]
impl PartnerQueryTotal {
    /// The number of calls in the whole log.
    async fn total_count(&self, ctx: &async_graphql::Context<'_>) -> async_graphql::Result<i32> {
        use crate::error::GqlResultExt;
        let n = crate::db::partner_log::count(crate::graphql::db(ctx)?)
            .await
            .gql()?;
        Ok(crate::graphql::types::count_to_int(n))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A cell whose every figure differs from the others and is large enough to be published
    /// as it is, so that a figure published from the wrong raw value shows.
    fn raw(key: &str, n: i64) -> Raw {
        Raw {
            key: key.into(),
            active: 100 * n,
            welcomed: 40 * n,
            newcomers: 130 * n,
            volunteers: 500 * n,
            minutes: 60 * 1_000 * n + 29,
            givers: 20 * n,
            paid_work: 30 * n,
            language_b1: 60 * n,
        }
    }

    #[test]
    fn each_figure_is_published_from_its_own_raw_value() {
        let grid = vec![
            ("Q1".to_owned(), "Q1".to_owned()),
            ("Q2".to_owned(), "Q2".to_owned()),
        ];
        let stats = PartnerStats::publish(
            2025,
            PartnerStatsBy::Quarter,
            grid,
            vec![raw("Q2", 2), raw("Q1", 1)],
            raw("", 3),
        );
        let value = |f: &Figure| f.value.unwrap_or(f64::NAN);
        for (cell, n) in stats
            .cells
            .iter()
            .chain([&stats.total])
            .zip([1.0, 2.0, 3.0])
        {
            let got = [
                value(&cell.active_sponsorships),
                value(&cell.households_welcomed),
                value(&cell.newcomers),
                value(&cell.volunteers),
                value(&cell.hours),
                value(&cell.paid_work_rate),
                value(&cell.language_b1_rate),
            ];
            // Hours are whole hours of the minutes (29 minutes round down), rates shares of
            // the active sponsorships.
            let want = [
                100.0 * n,
                40.0 * n,
                130.0 * n,
                500.0 * n,
                1_000.0 * n,
                0.3,
                0.6,
            ];
            assert_eq!(got, want, "{}", cell.key);
        }
        let keys: Vec<&str> = stats.cells.iter().map(|c| c.key.as_str()).collect();
        assert_eq!(
            keys,
            ["Q1", "Q2"],
            "the grid's order, whatever the order found"
        );
        assert_eq!(stats.total.key, "TOTAL");
    }
}
