//! The root field of the network's figures: who may ask, and over what.

use crate::db::figures::Scope;
use crate::db::groups::GroupFilter;
use crate::error::{Error, GqlResultExt};
use crate::graphql::load_by_id;
use crate::graphql::opt_id;
use crate::graphql::types::analytics::Analytics;
use crate::graphql::types::enums::SponsorshipVariant;
use crate::policy::check::{self, At};
use crate::policy::{area, rule};
use async_graphql::{Context, ID, InputObject, Object, Result};
use chrono::{Months, NaiveDate};
use haven_entities::{city, sponsorship_network};

/// The longest period figures may cover: ten years.
const MAX_MONTHS: u32 = 120;

/// Which figures to compute: the groups of a network, a town and a variant (all given
/// conditions hold), over the days `from` to `to`, both included.
#[derive(InputObject, Default)]
pub struct AnalyticsFilterInput {
    pub network_id: Option<ID>,
    pub city_id: Option<ID>,
    pub variant: Option<SponsorshipVariant>,
    /// The first day; one year before `to` when not given.
    pub from: Option<NaiveDate>,
    /// The last day; today when not given. At most ten years after `from`.
    pub to: Option<NaiveDate>,
}

impl AnalyticsFilterInput {
    fn parse(self, today: NaiveDate) -> crate::error::Result<Scope> {
        let to = self.to.unwrap_or(today);
        let from = match self.from {
            Some(from) => from,
            None => to
                .checked_sub_months(Months::new(12))
                .ok_or_else(|| Error::bad_input("filter.to", "`to` is out of range"))?,
        };
        if from > to {
            return Err(Error::bad_input(
                "filter.from",
                "`from` must not be after `to`",
            ));
        }
        if from
            .checked_add_months(Months::new(MAX_MONTHS))
            .is_none_or(|last| to > last)
        {
            return Err(Error::bad_input(
                "filter.to",
                "`from` and `to` may be at most ten years apart",
            ));
        }
        Ok(Scope {
            network_id: opt_id("filter.networkId", self.network_id.as_ref())?,
            city_id: opt_id("filter.cityId", self.city_id.as_ref())?,
            variant: self.variant.map(Into::into),
            from,
            to,
        })
    }
}

#[derive(Default)]
pub struct AnalyticsQuery;

#[Object]
impl AnalyticsQuery {
    /// The network's figures: funnels, durations, milestones, hours, breakdowns, retention,
    /// early ends and corporate totals. Coordinators see their own town or network (asking for
    /// another is `FORBIDDEN`), administrators everything; other roles are `FORBIDDEN`, and
    /// anonymous viewers `UNAUTHENTICATED`. Each selected field is one SQL statement.
    async fn analytics(
        &self,
        ctx: &Context<'_>,
        filter: Option<AnalyticsFilterInput>,
    ) -> Result<Analytics> {
        let rule = rule!(Query.analytics);
        check::signed_in(ctx, rule)?;
        check::require(ctx, rule, At::Nowhere).await?;
        let today = chrono::Utc::now().date_naive();
        let mut scope = filter.unwrap_or_default().parse(today).gql()?;
        if let Some(n) = scope.network_id
            && load_by_id::<sponsorship_network::Entity>(ctx, n)
                .await?
                .is_none()
        {
            return Err(Error::NotFound(format!("network {n}")).into_graphql());
        }
        if let Some(c) = scope.city_id
            && load_by_id::<city::Entity>(ctx, c).await?.is_none()
        {
            return Err(Error::NotFound(format!("city {c}")).into_graphql());
        }
        let area = area::groups(
            ctx,
            GroupFilter {
                network_id: scope.network_id,
                city_id: scope.city_id,
                ..GroupFilter::default()
            },
        )
        .await?;
        scope.network_id = area.network_id;
        scope.city_id = area.city_id;
        Ok(Analytics { scope, today })
    }
}
