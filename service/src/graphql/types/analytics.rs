//! The network's figures (`analytics`). Each field runs one SQL statement of
//! [`crate::db::figures`] when it is selected, over the scope the root field checked.

use crate::cache::Kind;
use crate::db::figures::{self, Scope, breakdown, care, lifecycle, people};
use crate::error::GqlResultExt;
use crate::graphql::db;
use crate::graphql::types::enums::{EndReason, MilestoneKind};
use async_graphql::{Context, Enum, Object, Result, SimpleObject};
use chrono::NaiveDate;
use haven_entities::enums as e;
use sea_orm::ActiveEnum;
use serde::{Deserialize, Serialize, de::DeserializeOwned};
use std::future::Future;

/// What a figure costs in a query's complexity: each is a statement over many rows, so a query
/// may ask for about twenty of them (the limit is `MAX_COMPLEXITY`), enough for a dashboard.
const FIGURE_COST: usize = 5_000;

/// The figures over one scope and period; see each field for what it counts.
pub struct Analytics {
    pub scope: Scope,
    /// The day the figures are computed on: later points of retention are not known yet.
    pub today: NaiveDate,
}

/// One stage of a funnel.
#[derive(SimpleObject, Serialize, Deserialize)]
pub struct FunnelStage {
    /// The status (a group's or a sponsorship's).
    stage: String,
    /// How many reached it within the period.
    reached: i64,
    /// Of those that reached the stage before it within the period, the share that then
    /// reached this one by the period's end; null for the first stage or when none reached the
    /// one before. A sponsorship may skip PRE_ARRIVAL and CLOSING, so ACTIVE is measured from
    /// CONFIRMED and COMPLETED from ACTIVE.
    conversion: Option<f64>,
}

impl From<lifecycle::Stage> for FunnelStage {
    fn from(s: lifecycle::Stage) -> Self {
        Self {
            stage: s.stage.to_owned(),
            reached: s.reached,
            conversion: s.conversion,
        }
    }
}

/// Whose lifecycle a figure follows.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FigureSubject {
    Group,
    Sponsorship,
}

/// How long a step between two stages took: from the first day a group or sponsorship reached
/// `from` to the first day it reached `to`, for those that reached `to` within the period.
#[derive(SimpleObject, Serialize, Deserialize)]
pub struct StageDuration {
    subject: FigureSubject,
    from: String,
    to: String,
    n: i64,
    /// Median days (interpolated between the two middle values, like `percentile_cont`).
    median_days: Option<f64>,
    /// 75th percentile of the days, interpolated the same way.
    p75_days: Option<f64>,
}

impl From<lifecycle::Duration> for StageDuration {
    fn from(d: lifecycle::Duration) -> Self {
        Self {
            subject: match d.subject {
                lifecycle::Subject::Group => FigureSubject::Group,
                lifecycle::Subject::Sponsorship => FigureSubject::Sponsorship,
            },
            from: d.from.to_owned(),
            to: d.to.to_owned(),
            n: d.n,
            median_days: d.median_days,
            p75_days: d.p75_days,
        }
    }
}

/// A milestone among the sponsorships that started within the period.
#[derive(SimpleObject, Serialize, Deserialize)]
pub struct MilestoneStat {
    kind: MilestoneKind,
    /// How many of them reached it by the period's end.
    reached: i64,
    /// `reached` over the sponsorships started within the period; null when none started.
    share: Option<f64>,
    /// Median days from the sponsorship's start to the milestone.
    median_days_from_start: Option<f64>,
}

/// What volunteers gave in one month (companies' hours are in `corporate`).
#[derive(SimpleObject, Serialize, Deserialize)]
pub struct MonthFigure {
    /// `YYYY-MM`.
    month: String,
    hours: f64,
    contributions: i64,
    /// Distinct volunteers who contributed.
    volunteers: i64,
}

/// What a breakdown's rows are.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum BreakdownBy {
    Variant,
    Province,
    /// Towns, keyed by CBS code.
    City,
    Origin,
}

/// The figures of one value of a breakdown.
#[derive(SimpleObject, Serialize, Deserialize)]
pub struct BreakdownRow {
    /// The value: a variant or origin (as its enum name), a province's or a town's CBS code.
    key: String,
    /// Its name.
    label: String,
    /// Groups formed by the period's end and not closed (withdrawn, not approved, alumni)
    /// before it began.
    groups: i64,
    /// Of those, groups ACTIVE at the period's end.
    active_groups: i64,
    /// Their sponsorships proposed by the period's end and not ended before it began.
    sponsorships: i64,
    /// Of those, sponsorships ACTIVE or CLOSING at the period's end.
    active_sponsorships: i64,
    /// Households whose sponsorship started within the period.
    households_welcomed: i64,
    /// Distinct volunteers who were members within the period.
    volunteers: i64,
    /// Hours volunteers gave within the period.
    hours: f64,
}

/// One point of a cohort's retention curve.
#[derive(SimpleObject, Serialize, Deserialize)]
pub struct RetentionPoint {
    /// The quarter the volunteers first joined a group in scope, `YYYY-Qn`.
    cohort: String,
    /// Months after joining: 3, 6, 12 or 24 (91, 182, 365 or 730 days).
    months: i32,
    /// Volunteers of the cohort who had been with the groups that long by the period's end.
    volunteers: i64,
    /// The share of them still a member then (they had not left every group in scope).
    still_active: f64,
}

/// Sponsorships that ended early within the period, for one reason.
#[derive(SimpleObject, Serialize, Deserialize)]
pub struct ReasonCount {
    reason: EndReason,
    count: i64,
}

/// What companies pledged to the scope and delivered there.
#[derive(SimpleObject, Serialize, Deserialize)]
pub struct CorporateTotals {
    /// Companies with a pledge running in the period or a contribution within it.
    sponsors: i64,
    /// Hours of the pledges running in the period (whole pledges, not prorated).
    pledged_hours: i64,
    /// Hours companies gave to the groups in scope within the period.
    delivered_hours: f64,
    /// The value of the goods they gave within the period, in euro cents.
    in_kind_cents: i64,
}

/// The label of a stored enum value for a breakdown row.
fn label(by: BreakdownBy, row: &breakdown::Row) -> String {
    let words = |s: &str| {
        let lower = s.replace('_', " ").to_lowercase();
        let mut chars = lower.chars();
        chars
            .next()
            .map(|c| c.to_uppercase().chain(chars).collect())
            .unwrap_or_default()
    };
    match by {
        BreakdownBy::City => row.label.clone(),
        BreakdownBy::Province => e::Province::try_from_value(&row.key)
            .map(|p| p.display_name().to_owned())
            .unwrap_or_else(|_| row.key.clone()),
        BreakdownBy::Variant | BreakdownBy::Origin => words(&row.key),
    }
}

impl Analytics {
    /// `compute`d once per scope, field and data generations, through the cross-request cache:
    /// every viewer who may ask about this scope sees the same figures, so they are shared.
    /// (Every key holds the build too: another build may compute a figure otherwise.)
    async fn cached<T, F>(&self, ctx: &Context<'_>, field: &str, compute: F) -> Result<T>
    where
        T: Serialize + DeserializeOwned,
        F: Future<Output = Result<T>>,
    {
        let scope = format!("{:?}|{}", self.scope, self.today);
        crate::graphql::cached(
            ctx,
            Kind::Figure,
            &[field.as_bytes(), scope.as_bytes()],
            compute,
        )
        .await
    }
}

#[Object]
impl Analytics {
    /// The first day of the period.
    async fn from(&self) -> NaiveDate {
        self.scope.from
    }

    /// The last day of the period.
    async fn to(&self) -> NaiveDate {
        self.scope.to
    }

    /// Groups along their lifecycle's main line, INTERESTED to ALUMNI.
    #[graphql(complexity = "FIGURE_COST")]
    async fn group_funnel(&self, ctx: &Context<'_>) -> Result<Vec<FunnelStage>> {
        self.cached(ctx, "groupFunnel", async {
            let s = lifecycle::funnel(db(ctx)?, &self.scope, lifecycle::Subject::Group).await;
            Ok(s.gql()?.into_iter().map(Into::into).collect())
        })
        .await
    }

    /// Sponsorships along their lifecycle's main line, PROPOSED to COMPLETED.
    #[graphql(complexity = "FIGURE_COST")]
    async fn sponsorship_funnel(&self, ctx: &Context<'_>) -> Result<Vec<FunnelStage>> {
        self.cached(ctx, "sponsorshipFunnel", async {
            let s = lifecycle::funnel(db(ctx)?, &self.scope, lifecycle::Subject::Sponsorship).await;
            Ok(s.gql()?.into_iter().map(Into::into).collect())
        })
        .await
    }

    /// Days between stages: a group's FORMING → APPLIED, APPLIED → READY_TO_MATCH,
    /// READY_TO_MATCH → MATCHED, APPLIED → MATCHED and MATCHED → ACTIVE; a sponsorship's
    /// PROPOSED → CONFIRMED, PROPOSED → ACTIVE and ACTIVE → COMPLETED.
    #[graphql(complexity = "FIGURE_COST")]
    async fn stage_durations(&self, ctx: &Context<'_>) -> Result<Vec<StageDuration>> {
        self.cached(ctx, "stageDurations", async {
            let db = db(ctx)?;
            let mut out = lifecycle::durations(db, &self.scope, lifecycle::Subject::Group)
                .await
                .gql()?;
            out.extend(
                lifecycle::durations(db, &self.scope, lifecycle::Subject::Sponsorship)
                    .await
                    .gql()?,
            );
            Ok(out.into_iter().map(Into::into).collect())
        })
        .await
    }

    /// Every milestone kind, among the sponsorships that started within the period.
    #[graphql(complexity = "FIGURE_COST")]
    async fn milestones(&self, ctx: &Context<'_>) -> Result<Vec<MilestoneStat>> {
        self.cached(ctx, "milestones", async {
            let found = care::milestones(db(ctx)?, &self.scope).await.gql()?;
            Ok(found
                .into_iter()
                .map(|m| MilestoneStat {
                    kind: m.kind.into(),
                    reached: m.reached,
                    share: m.share,
                    median_days_from_start: m.median_days_from_start,
                })
                .collect())
        })
        .await
    }

    /// Volunteers' hours month by month, every month of the period listed.
    #[graphql(complexity = "FIGURE_COST")]
    async fn hours_by_month(&self, ctx: &Context<'_>) -> Result<Vec<MonthFigure>> {
        self.cached(ctx, "hoursByMonth", async {
            let found = people::hours_by_month(db(ctx)?, &self.scope).await.gql()?;
            Ok(found
                .into_iter()
                .map(|m| MonthFigure {
                    month: m.month,
                    hours: m.hours,
                    contributions: m.contributions,
                    volunteers: m.volunteers,
                })
                .collect())
        })
        .await
    }

    /// The figures by variant, province, town or group origin, a row per value that has groups.
    #[graphql(complexity = "FIGURE_COST")]
    async fn breakdown(&self, ctx: &Context<'_>, by: BreakdownBy) -> Result<Vec<BreakdownRow>> {
        let rows_by = match by {
            BreakdownBy::Variant => breakdown::By::Variant,
            BreakdownBy::Province => breakdown::By::Province,
            BreakdownBy::City => breakdown::By::City,
            BreakdownBy::Origin => breakdown::By::Origin,
        };
        let field = format!("breakdown:{rows_by:?}");
        self.cached(ctx, &field, async {
            let found = breakdown::breakdown(db(ctx)?, &self.scope, rows_by)
                .await
                .gql()?;
            Ok(found
                .into_iter()
                .map(|r| BreakdownRow {
                    label: label(by, &r),
                    key: r.key,
                    groups: r.groups,
                    active_groups: r.active_groups,
                    sponsorships: r.sponsorships,
                    active_sponsorships: r.active_sponsorships,
                    households_welcomed: r.households_welcomed,
                    volunteers: r.volunteers,
                    hours: figures::hours(r.minutes),
                })
                .collect())
        })
        .await
    }

    /// Volunteer retention by the quarter they first joined (within the period), at 3, 6, 12
    /// and 24 months; points not yet reached by the period's end are left out.
    #[graphql(complexity = "FIGURE_COST")]
    async fn retention(&self, ctx: &Context<'_>) -> Result<Vec<RetentionPoint>> {
        self.cached(ctx, "retention", async {
            let found = people::retention(db(ctx)?, &self.scope, self.today)
                .await
                .gql()?;
            Ok(found
                .into_iter()
                .map(|r| RetentionPoint {
                    cohort: r.cohort,
                    months: r.months,
                    volunteers: r.volunteers,
                    still_active: r.still_active,
                })
                .collect())
        })
        .await
    }

    /// Sponsorships that ended early within the period, by reason (every reason listed).
    #[graphql(complexity = "FIGURE_COST")]
    async fn early_ends(&self, ctx: &Context<'_>) -> Result<Vec<ReasonCount>> {
        self.cached(ctx, "earlyEnds", async {
            let found = care::early_ends(db(ctx)?, &self.scope).await.gql()?;
            Ok(found
                .into_iter()
                .map(|(reason, count)| ReasonCount {
                    reason: reason.into(),
                    count,
                })
                .collect())
        })
        .await
    }

    /// What companies pledged to the scope and delivered within the period.
    #[graphql(complexity = "FIGURE_COST")]
    async fn corporate(&self, ctx: &Context<'_>) -> Result<CorporateTotals> {
        self.cached(ctx, "corporate", async {
            let c = care::corporate(db(ctx)?, &self.scope).await.gql()?;
            Ok(CorporateTotals {
                sponsors: c.sponsors,
                pledged_hours: c.pledged_hours,
                delivered_hours: c.delivered_hours,
                in_kind_cents: c.in_kind_cents,
            })
        })
        .await
    }
}
