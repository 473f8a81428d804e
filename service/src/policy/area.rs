//! Which rows a viewer may list. Group names are public, but a coordinator's lists of groups
//! stay within the town or network they coordinate: a filter that asks for another town or
//! network is `FORBIDDEN`, not an empty list that would read as "there are none". The data
//! layer applies the filter this returns as its query condition.

use super::check::viewer;
use crate::auth::{Role, Viewer};
use crate::db::groups::GroupFilter;
use crate::error::Error;
use crate::graphql::load_by_id;
use async_graphql::Context;
use haven_entities::city;
use uuid::Uuid;

/// Where a viewer works.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Area {
    Everywhere,
    Network(Uuid),
    City(Uuid),
}

/// The area of `viewer`: a coordinator's town or network, everywhere for everyone else.
pub fn of(viewer: &Viewer) -> Area {
    match viewer {
        Viewer::User {
            role: Role::CityCoordinator,
            city: Some(c),
            ..
        } => Area::City(*c),
        Viewer::User {
            role: Role::NetworkCoordinator,
            network: Some(n),
            ..
        } => Area::Network(*n),
        _ => Area::Everywhere,
    }
}

/// `filter` limited to the viewer's area, or `FORBIDDEN` when it asks for groups outside.
pub async fn groups(
    ctx: &Context<'_>,
    mut filter: GroupFilter,
) -> async_graphql::Result<GroupFilter> {
    let outside = || {
        Error::Forbidden("these groups are outside the area you coordinate".into()).into_graphql()
    };
    let network_of = |c: Uuid| async move {
        Ok::<_, async_graphql::Error>(
            load_by_id::<city::Entity>(ctx, c)
                .await?
                .map(|c| c.network_id),
        )
    };
    match of(viewer(ctx)) {
        Area::Everywhere => {}
        Area::City(c) => {
            if filter.city_id.is_some_and(|x| x != c) {
                return Err(outside());
            }
            if let Some(n) = filter.network_id
                && network_of(c).await? != Some(n)
            {
                return Err(outside());
            }
            filter.city_id = Some(c);
        }
        Area::Network(n) => {
            if filter.network_id.is_some_and(|x| x != n) {
                return Err(outside());
            }
            if let Some(c) = filter.city_id
                && network_of(c).await?.is_some_and(|x| x != n)
            {
                return Err(outside());
            }
            filter.network_id = Some(n);
        }
    }
    Ok(filter)
}
