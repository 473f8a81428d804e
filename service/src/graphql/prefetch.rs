//! Rows that the nodes of a list point at, loaded for the whole page before its nodes resolve.
//!
//! Without this, every membership of a page waits on its own for its volunteer: the loader
//! still batches them into one statement per level, but each waiting field holds a suspended
//! future, and each is woken on its own. With 9,000 memberships in a response that was most of
//! a request's memory and a tenth of its CPU. Here the list resolver looks ahead: when the
//! query selects `nodes { volunteer }` (or `edges { node { volunteer } }`), it loads the
//! volunteers of its whole page with one wait, batched with every other page of the level, and
//! the nodes then find them in the request's cache. Access rules stay with the fields: a
//! prefetched row reaches the response only through its field, which asks the policy first.

use crate::db::tables::Table;
use crate::error::GqlResultExt;
use crate::graphql::loaders::ById;
use async_graphql::Context;
use haven_entities::{
    city, contribution, corporate_sponsor, membership, sponsor_commitment, sponsor_group,
    sponsorship, volunteer,
};
use std::future::Future;
use uuid::Uuid;

/// An entity listed in connections, and what its nodes point at.
pub trait Prefetch: Table {
    /// Whether other rows point at rows of this entity (a group at its town): listed rows then
    /// go into the request's by-id cache, so that those references cost nothing. Rows nothing
    /// points at (memberships, contributions, commitments) are not copied there.
    const POINTED_AT: bool = true;

    /// Loads what the selection of the list in `ctx` will ask of `rows`.
    fn prefetch(
        _ctx: &Context<'_>,
        _rows: &[Self::Model],
    ) -> impl Future<Output = async_graphql::Result<()>> + Send {
        async { Ok(()) }
    }
}

/// When the list field in `ctx` selects `field` of its nodes, loads the rows of `E` that field
/// points at (`ids`) into the request's cache, in one wait.
async fn load_selected<E: Table>(
    ctx: &Context<'_>,
    field: &str,
    ids: impl Iterator<Item = Uuid>,
) -> async_graphql::Result<()> {
    let list = ctx.look_ahead();
    let selected = list.field("nodes").field(field).exists()
        || list.field("edges").field("node").field(field).exists();
    if selected {
        super::loaders(ctx)?
            .load_many(ids.map(ById::<E>::new))
            .await
            .gql()?;
    }
    Ok(())
}

impl Prefetch for membership::Entity {
    const POINTED_AT: bool = false;
    async fn prefetch(ctx: &Context<'_>, rows: &[membership::Model]) -> async_graphql::Result<()> {
        let volunteers = rows.iter().map(|m| m.volunteer_id);
        load_selected::<volunteer::Entity>(ctx, "volunteer", volunteers).await
    }
}

impl Prefetch for contribution::Entity {
    const POINTED_AT: bool = false;
    async fn prefetch(
        ctx: &Context<'_>,
        rows: &[contribution::Model],
    ) -> async_graphql::Result<()> {
        let volunteers = rows.iter().filter_map(|c| c.volunteer_id);
        load_selected::<volunteer::Entity>(ctx, "volunteer", volunteers).await
    }
}

impl Prefetch for sponsor_group::Entity {
    async fn prefetch(
        ctx: &Context<'_>,
        rows: &[sponsor_group::Model],
    ) -> async_graphql::Result<()> {
        let towns = rows.iter().map(|g| g.city_id);
        load_selected::<city::Entity>(ctx, "city", towns).await
    }
}

impl Prefetch for city::Entity {}
impl Prefetch for corporate_sponsor::Entity {}
impl Prefetch for sponsorship::Entity {}
impl Prefetch for sponsor_commitment::Entity {
    const POINTED_AT: bool = false;
}
