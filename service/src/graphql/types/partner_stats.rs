//! `PartnerStats`: the figures partners read, on a fixed grid, each published or suppressed
//! by [`crate::domain::disclosure`]; and `PartnerQuery`, one call in the query log.

use crate::db::figures::linked;
use crate::domain::disclosure::grid::Dim;
use crate::domain::disclosure::{Published, Reason};
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

impl From<PartnerStatsBy> for Dim {
    fn from(by: PartnerStatsBy) -> Self {
        match by {
            PartnerStatsBy::Province => Dim::Province,
            PartnerStatsBy::Network => Dim::Network,
            PartnerStatsBy::Variant => Dim::Variant,
            PartnerStatsBy::Quarter => Dim::Quarter,
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

impl PartnerStats {
    /// The published `answer` of a year's release, labelled by `labels` (cell key → label).
    pub fn from_answer(
        year: i32,
        by: PartnerStatsBy,
        answer: &linked::Answer,
        labels: &HashMap<String, String>,
    ) -> Self {
        let cell = |c: &linked::Cell, label: String| {
            let [active, welcomed, newcomers, volunteers, hours, paid, b1] = c.figures;
            PartnerCell {
                key: c.key.clone(),
                label,
                active_sponsorships: active.into(),
                households_welcomed: welcomed.into(),
                newcomers: newcomers.into(),
                volunteers: volunteers.into(),
                hours: hours.into(),
                paid_work_rate: paid.into(),
                language_b1_rate: b1.into(),
            }
        };
        Self {
            year,
            by,
            cells: answer
                .cells
                .iter()
                .map(|c| cell(c, labels.get(&c.key).cloned().unwrap_or_default()))
                .collect(),
            total: cell(&answer.total, "Total".into()),
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
