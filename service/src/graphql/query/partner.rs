//! The root fields of partner statistics: `partnerStats` (partner keys and administrators),
//! and `partnerQueryLog`, the log of those calls (administrators).

use crate::auth::Viewer;
use crate::cache::Kind;
use crate::config::PartnerSuppression;
use crate::db::figures::linked::{self, Release};
use crate::db::partner_log;
use crate::error::{Error, GqlResultExt};
use crate::graphql::connection::{Conn, list_args, to_connection};
use crate::graphql::db;
use crate::graphql::types::partner_stats::{
    PartnerQuery, PartnerQueryTotal, PartnerStats, PartnerStatsBy,
};
use crate::policy::check::{self, At};
use crate::policy::rule;
use async_graphql::{Context, Object, Result};
use chrono::Datelike;
use haven_entities::enums as e;
use sea_orm::{ActiveEnum, Iterable};
use std::collections::HashMap;

/// What a call of `partnerStats` may cost against the complexity budget: the year's release
/// (five statements and the audit) when it is not cached.
const STATS_COST: usize = 10_000;
/// The first year partner statistics cover (the programme began in 2018).
const FIRST_YEAR: i32 = 2018;

#[derive(Default)]
pub struct PartnerQueryRoot;

/// The release of `year`, after those of the years before it back to the first one linked
/// ([`linked::first_linked_year`], at the earliest [`FIRST_YEAR`]), each read from the cache
/// or worked out and cached.
async fn chain(
    conn: &sea_orm::DatabaseConnection,
    view: Option<&crate::cache::View>,
    year: i32,
    mode: PartnerSuppression,
) -> crate::error::Result<Release> {
    let replay_safe = mode == PartnerSuppression::ReplaySafe;
    let provinces: Vec<String> = e::Province::iter().map(|p| p.code()).collect();
    let variants: Vec<String> = e::SponsorshipVariant::iter()
        .map(|v| v.to_value())
        .collect();
    let first = linked::first_linked_year(conn);
    let first = match view {
        Some(view) => {
            let parts: [&[u8]; 1] = [b"partnerFirstYear"];
            view.cached(Kind::Figure, &parts, first, Error::Internal)
                .await?
        }
        None => first.await?,
    };
    let first = first.unwrap_or(year).clamp(FIRST_YEAR, year);
    let mut chain = linked::Chain::new(provinces, variants, replay_safe);
    let mut before: Option<Release> = None;
    for y in first..=year {
        let release = chain.release(conn, y, before.as_ref());
        let released = match view {
            Some(view) => {
                let parts: [&[u8]; 3] = [
                    b"partnerRelease",
                    &y.to_be_bytes(),
                    &[u8::from(replay_safe)],
                ];
                view.cached(Kind::Figure, &parts, release, Error::Internal)
                    .await?
            }
            None => release.await?,
        };
        before = Some(released);
    }
    before.ok_or_else(|| Error::Internal("no year was released".into()))
}

#[Object]
impl PartnerQueryRoot {
    /// Figures for partner organisations: one `year` on a fixed grid (`by`), every cell
    /// suppressed or rounded by the disclosure rules (see docs/api.md, "For partners"), and
    /// the total under the same rules. Partner keys and administrators; a key limited to some
    /// networks sees figures over those only, and partners see closed years only (the current
    /// year is `FORBIDDEN` to them; administrators may read it live). Anonymous viewers are
    /// `UNAUTHENTICATED`, other roles `FORBIDDEN`. Every call is logged (`partnerQueryLog`).
    #[graphql(complexity = "STATS_COST")]
    async fn partner_stats(
        &self,
        ctx: &Context<'_>,
        year: i32,
        by: PartnerStatsBy,
    ) -> Result<PartnerStats> {
        let rule = rule!(Query.partnerStats);
        check::signed_in(ctx, rule)?;
        check::require(ctx, rule, At::Nowhere).await?;
        let this_year = chrono::Utc::now().year();
        if !(FIRST_YEAR..=this_year).contains(&year) {
            return Err(Error::bad_input(
                "year",
                format!("`year` must be from {FIRST_YEAR} to {this_year}"),
            )
            .into_graphql());
        }
        let viewer = check::viewer(ctx);
        // Partners read closed years only: while a year runs, each group that turns ACTIVE
        // (public) changes its figures, and polling them would show each arrival.
        if matches!(viewer, Viewer::Partner { .. }) && year == this_year {
            return Err(Error::Forbidden(format!(
                "partners read closed years only: {year} is not over yet (ask for {} or earlier)",
                this_year - 1
            ))
            .into_graphql());
        }
        let arguments = serde_json::json!({ "year": year, "by": by });
        partner_log::record(db(ctx)?, viewer, "partnerStats", arguments)
            .await
            .gql()?;
        let networks = match viewer {
            Viewer::Partner { networks, .. } => networks.clone(),
            _ => Vec::new(),
        };
        // One release per year for every key: each answer is read from the same pattern,
        // and each year's pattern is decided with the year before's release in view. It is
        // worked out in a task of its own, so that a request stopped by its time limit leaves
        // it to finish and fill the cache for the next call.
        let view = ctx.data_opt::<crate::cache::View>().cloned();
        let conn = db(ctx)?.clone();
        let mode = ctx
            .data_opt::<PartnerSuppression>()
            .copied()
            .unwrap_or(PartnerSuppression::Audited);
        let work = async move { chain(&conn, view.as_ref(), year, mode).await };
        let release = tokio::spawn(crate::db::stats::for_this_request(work))
            .await
            .map_err(|e| Error::Internal(format!("the release's task failed: {e}")))
            .and_then(|r| r)
            .gql()?;
        let answer = release.answer(&networks, by.into()).ok_or_else(|| {
            Error::Internal("the key's networks are not in this year's release".into())
                .into_graphql()
        })?;
        Ok(PartnerStats::from_answer(
            year,
            by,
            answer,
            &labels(by, &release, year),
        ))
    }

    /// Every call for partner statistics, newest first (administrators only).
    #[graphql(complexity = "crate::graphql::list_cost(first, last, child_complexity)")]
    async fn partner_query_log(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<Conn<PartnerQuery, PartnerQueryTotal>> {
        check::require(ctx, rule!(Query.partnerQueryLog), At::Nowhere).await?;
        let args = list_args(first, after, last, before).parse().gql()?;
        let page = partner_log::list(db(ctx)?, &args).await.gql()?;
        Ok(to_connection(
            page,
            &partner_log::NEWEST_FIRST,
            PartnerQuery,
            PartnerQueryTotal,
        ))
    }
}

/// The label of each cell key of `by`'s grid.
fn labels(by: PartnerStatsBy, release: &Release, year: i32) -> HashMap<String, String> {
    match by {
        PartnerStatsBy::Province => e::Province::iter()
            .map(|p| (p.code(), p.display_name().to_owned()))
            .collect(),
        PartnerStatsBy::Network => release
            .networks
            .iter()
            .map(|(_, slug, name)| (slug.clone(), name.clone()))
            .collect(),
        PartnerStatsBy::Variant => e::SponsorshipVariant::iter()
            .map(|v| {
                let key = v.to_value();
                let lower = key.replace('_', " ").to_lowercase();
                let label = lower[..1].to_uppercase() + &lower[1..];
                (key, label)
            })
            .collect(),
        PartnerStatsBy::Quarter => (1..=4)
            .map(|q| (format!("Q{q}"), format!("{year}-Q{q}")))
            .collect(),
    }
}
