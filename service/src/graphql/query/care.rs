//! Root fields about people and care: a sponsorship, the signed-in volunteer, partners.

use crate::error::{Error, GqlResultExt};
use crate::graphql::connection::{Conn, list_args, to_connection};
use crate::graphql::types::audit::{AuditEntry, AuditTotal};
use crate::graphql::types::{PartnerOrganisation, Sponsorship, Volunteer};
use crate::graphql::{db, load_by_id, parse_id};
use crate::policy::check::{self, At};
use crate::policy::rule;
use async_graphql::{Context, ID, Object, Result};
use haven_entities::{sponsorship, volunteer};

#[derive(Default)]
pub struct CareQuery;

#[Object]
impl CareQuery {
    /// One sponsorship by id, for those who may see it.
    async fn sponsorship(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Sponsorship>> {
        let id = parse_id("id", &id).gql()?;
        let rule = rule!(Query.sponsorship);
        check::refuse_anonymous(ctx, rule)?;
        let found = load_by_id::<sponsorship::Entity>(ctx, id).await?;
        if let Some(s) = &found {
            check::require(ctx, rule, At::Group(s.group_id)).await?;
        }
        Ok(found.map(Sponsorship))
    }

    /// The signed-in volunteer, with their memberships and groups.
    async fn me(&self, ctx: &Context<'_>) -> Result<Volunteer> {
        let me = check::own(ctx, rule!(Query.me))?;
        let found = load_by_id::<volunteer::Entity>(ctx, me).await?;
        found
            .and_then(|v| Volunteer::reachable(v, None))
            .ok_or_else(|| Error::NotFound(format!("volunteer {me}")).into_graphql())
    }

    /// Everything haven stores about the signed-in volunteer, as one JSON document (the right
    /// of access): profile, memberships, contributions and the changes they made.
    async fn export_my_data(
        &self,
        ctx: &Context<'_>,
    ) -> Result<async_graphql::Json<serde_json::Value>> {
        let me = check::own(ctx, rule!(Query.exportMyData))?;
        Ok(async_graphql::Json(
            crate::db::export::volunteer_data(db(ctx)?, me)
                .await
                .gql()?,
        ))
    }

    /// The audit log, newest first (administrators only).
    #[graphql(complexity = "crate::graphql::list_cost(first, last, child_complexity)")]
    async fn audit_log(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<Conn<AuditEntry, AuditTotal>> {
        check::require(ctx, rule!(Query.auditLog), At::Nowhere).await?;
        let args = list_args(first, after, last, before).parse().gql()?;
        let page = crate::db::audit::list(db(ctx)?, &args).await.gql()?;
        Ok(to_connection(
            page,
            &crate::db::audit::NEWEST_FIRST,
            AuditEntry,
            AuditTotal,
        ))
    }

    /// Partner organisations (administrators only).
    async fn partner_organisations(&self, ctx: &Context<'_>) -> Result<Vec<PartnerOrganisation>> {
        check::require(ctx, rule!(Query.partnerOrganisations), At::Nowhere).await?;
        let rows = crate::db::partners::organisations(db(ctx)?).await.gql()?;
        Ok(rows.into_iter().map(PartnerOrganisation).collect())
    }
}
