//! Field guards for personal data, as in DOMAIN.md's table of who may see what.
//!
//! Every personal-data field asks for an [`Access`] level on the group (or town) the data
//! belongs to. The viewer gets it from their role and its scope: a member or group lead for
//! their own groups, a city coordinator for the groups of their town, a network coordinator for
//! those of their network, an administrator everywhere. Anyone else gets `FORBIDDEN`, never an
//! empty answer that would read as "there are none".

use crate::auth::{Role, Viewer};
use crate::error::Error;
use crate::graphql::{load_by_id, load_parent};
use async_graphql::Context;
use haven_entities::enums::MembershipRole;
use haven_entities::{city, membership, sponsor_group, volunteer};
use uuid::Uuid;

/// What kind of personal data a field shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// A group's inner life: memberships (names), sponsorships, milestones, contributions.
    Members,
    /// Members' contact details: the group's leads (and administrators).
    Contacts,
    /// Households, by pseudonym: coordinators of the town or network (and administrators).
    Households,
    /// Running a group: its leads, the coordinators of its town or network, administrators.
    Lead,
    /// Coordinating a town: its coordinators, those of its network, administrators.
    Coordinate,
    /// Administration only (the partner register).
    Admin,
}

/// Where a piece of data lives: its group (if any), town and network.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scope {
    /// The group, for data that belongs to one.
    pub group: Option<Uuid>,
    /// The town of the data (of its group, when it has one).
    pub city: Uuid,
    /// The network of that town.
    pub network: Uuid,
}

/// The viewer of this request (anonymous when the handler attached none).
pub fn viewer<'a>(ctx: &Context<'a>) -> &'a Viewer {
    static ANONYMOUS: Viewer = Viewer::Anonymous;
    ctx.data::<Viewer>().unwrap_or(&ANONYMOUS)
}

/// Whether `viewer` has `access` to data in `scope`.
pub fn allows(viewer: &Viewer, access: Access, scope: &Scope) -> bool {
    let Viewer::User {
        role,
        network,
        city,
        groups,
        ..
    } = viewer
    else {
        return false;
    };
    let in_group = scope.group.is_some_and(|g| groups.contains(&g));
    let in_city = *city == Some(scope.city);
    let in_network = *network == Some(scope.network);
    match (role, access) {
        (Role::Admin, _) => true,
        (_, Access::Admin) => false,
        (
            Role::NetworkCoordinator,
            Access::Members | Access::Households | Access::Lead | Access::Coordinate,
        ) => in_network,
        (
            Role::CityCoordinator,
            Access::Members | Access::Households | Access::Lead | Access::Coordinate,
        ) => in_city,
        (Role::GroupLead, Access::Members | Access::Contacts | Access::Lead) => in_group,
        (Role::Member, Access::Members) => in_group,
        _ => false,
    }
}

fn forbidden(what: &str) -> async_graphql::Error {
    Error::Forbidden(format!("{what} is personal data your role may not see")).into_graphql()
}

/// The scope of a group (its town and network come through the request's loaders).
pub async fn group_scope(ctx: &Context<'_>, group: Uuid) -> async_graphql::Result<Scope> {
    let g = load_parent::<sponsor_group::Entity>(ctx, group).await?;
    let mut scope = city_scope(ctx, g.city_id).await?;
    scope.group = Some(group);
    Ok(scope)
}

/// The scope of a town.
pub async fn city_scope(ctx: &Context<'_>, city_id: Uuid) -> async_graphql::Result<Scope> {
    let c = load_parent::<city::Entity>(ctx, city_id).await?;
    Ok(Scope {
        group: None,
        city: city_id,
        network: c.network_id,
    })
}

/// Requires `access` to the data of `group`, or answers `FORBIDDEN` about `what`.
pub async fn require_group(
    ctx: &Context<'_>,
    access: Access,
    group: Uuid,
    what: &str,
) -> async_graphql::Result<()> {
    signed_in(ctx, what)?;
    let scope = group_scope(ctx, group).await?;
    if allows(viewer(ctx), access, &scope) {
        Ok(())
    } else {
        Err(forbidden(what))
    }
}

/// As [`require_group`], for a change. A member or lead must also still be in the group as
/// stored (and a lead still lead it, where lead rights are asked for): a token outlives
/// leaving a group or losing its lead, and a change should not.
pub async fn require_group_write(
    ctx: &Context<'_>,
    access: Access,
    group: Uuid,
    what: &str,
) -> async_graphql::Result<()> {
    require_group(ctx, access, group, what).await?;
    let Viewer::User {
        role: role @ (Role::Member | Role::GroupLead),
        subject: Some(me),
        ..
    } = viewer(ctx)
    else {
        return Ok(());
    };
    let db = crate::graphql::db(ctx)?;
    let membership = crate::db::people_writes::current_membership(db, group, *me)
        .await
        .map_err(Error::into_graphql)?;
    let leads = |m: &membership::Model| m.role == MembershipRole::Lead;
    match membership {
        Some(m) if *role == Role::Member || access == Access::Members || leads(&m) => Ok(()),
        _ => Err(forbidden(what)),
    }
}

/// Requires `access` to the data of town `city_id`.
pub async fn require_city(
    ctx: &Context<'_>,
    access: Access,
    city_id: Uuid,
    what: &str,
) -> async_graphql::Result<()> {
    signed_in(ctx, what)?;
    let scope = city_scope(ctx, city_id).await?;
    if allows(viewer(ctx), access, &scope) {
        Ok(())
    } else {
        Err(forbidden(what))
    }
}

/// Requires that the viewer is the volunteer `volunteer`, or an administrator.
pub fn require_self(ctx: &Context<'_>, volunteer: Uuid, what: &str) -> async_graphql::Result<()> {
    if is_self_or_admin(ctx, volunteer) {
        Ok(())
    } else {
        Err(forbidden(what))
    }
}

/// Whether the viewer is the volunteer `volunteer`, or an administrator.
pub fn is_self_or_admin(ctx: &Context<'_>, volunteer: Uuid) -> bool {
    let v = viewer(ctx);
    v.subject() == Some(volunteer) || v.role() == Some(Role::Admin)
}

/// Requires an administrator.
pub fn require_admin(ctx: &Context<'_>, what: &str) -> async_graphql::Result<()> {
    if viewer(ctx).role() == Some(Role::Admin) {
        Ok(())
    } else {
        Err(forbidden(what))
    }
}

/// Refuses anonymous viewers before anything is looked up (so that nothing about personal
/// data, not even whether it exists, reaches them).
pub fn signed_in(ctx: &Context<'_>, what: &str) -> async_graphql::Result<()> {
    if !matches!(viewer(ctx), Viewer::User { .. }) {
        Err(forbidden(what))
    } else {
        Ok(())
    }
}

/// Requires a signed-in person (mutations). Anonymous viewers are `UNAUTHENTICATED`; partners
/// are known but never write (`FORBIDDEN`); a token whose volunteer no longer exists or was
/// erased is `UNAUTHENTICATED`, so that an erased person cannot put personal data back.
///
/// Reads differ on purpose ([`signed_in`]): there DOMAIN.md wants a field the viewer may not
/// see to be `FORBIDDEN`, whoever the viewer is.
pub async fn authenticated(ctx: &Context<'_>) -> async_graphql::Result<()> {
    match viewer(ctx) {
        Viewer::User {
            subject: Some(id), ..
        } => {
            let me = load_by_id::<volunteer::Entity>(ctx, *id).await?;
            if me.is_some_and(|v| !v.is_erased()) {
                Ok(())
            } else {
                Err(Error::Unauthenticated("this account no longer exists".into()).into_graphql())
            }
        }
        Viewer::User { .. } => Ok(()),
        Viewer::Partner { .. } => Err(Error::Forbidden(
            "partner organisations read aggregates and change nothing".into(),
        )
        .into_graphql()),
        Viewer::Anonymous => {
            Err(Error::Unauthenticated("sign in to change data".into()).into_graphql())
        }
    }
}

/// Requires the right to run network `network`: its network coordinators, administrators.
pub fn require_network(ctx: &Context<'_>, network: Uuid, what: &str) -> async_graphql::Result<()> {
    match viewer(ctx) {
        Viewer::User {
            role: Role::Admin, ..
        } => Ok(()),
        Viewer::User {
            role: Role::NetworkCoordinator,
            network: Some(n),
            ..
        } if *n == network => Ok(()),
        _ => Err(not_allowed(what)),
    }
}

/// Requires a coordinator (of a town or a network) or an administrator.
pub fn require_coordinator(ctx: &Context<'_>, what: &str) -> async_graphql::Result<()> {
    match viewer(ctx).role() {
        Some(Role::Admin | Role::NetworkCoordinator | Role::CityCoordinator) => Ok(()),
        _ => Err(not_allowed(what)),
    }
}

fn not_allowed(what: &str) -> async_graphql::Error {
    Error::Forbidden(format!("your role may not do this: {what}")).into_graphql()
}

/// Where the viewer works: coordinators' lists are limited to their town or network.
pub fn area(ctx: &Context<'_>) -> crate::db::groups::Area {
    use crate::db::groups::Area;
    match viewer(ctx) {
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
