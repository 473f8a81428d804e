//! Asking the policy while resolving a request: where the data lives is found through the
//! request's loaders (so checks over a list cost no statement per row), and a refusal is
//! `FORBIDDEN` (`UNAUTHENTICATED` where only a signed-in volunteer could pass), with the
//! table's wording.

use super::{FieldRule, Rule, Scope, allows};
use crate::auth::{Role, Viewer};
use crate::error::Error;
use crate::graphql::{load_by_id, load_parent};
use async_graphql::Context;
use haven_entities::enums::MembershipRole;
use haven_entities::{city, contribution, membership, sponsor_group, sponsorship, volunteer};
use uuid::Uuid;

/// Where the data a rule is asked about lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum At {
    /// Nowhere in particular (a company, the audit log, the partner register).
    Nowhere,
    Group(Uuid),
    City(Uuid),
    Network(Uuid),
    /// The group of a sponsorship.
    Sponsorship(Uuid),
    /// A volunteer, reached through group `via` when it was.
    Volunteer {
        id: Uuid,
        via: Option<Uuid>,
    },
}

/// The viewer of this request (anonymous when the handler attached none).
pub fn viewer<'a>(ctx: &Context<'a>) -> &'a Viewer {
    static ANONYMOUS: Viewer = Viewer::Anonymous;
    ctx.data::<Viewer>().unwrap_or(&ANONYMOUS)
}

fn refusal(rule: &FieldRule) -> async_graphql::Error {
    let message = if rule.ty == "Mutation" {
        format!("your role may not do this: {}", rule.what)
    } else {
        format!("{} is personal data your role may not see", rule.what)
    };
    Error::Forbidden(message).into_graphql()
}

/// The scope of the place `at`, its town and network loaded through the request's loaders.
async fn scope(ctx: &Context<'_>, at: At) -> async_graphql::Result<Scope> {
    let in_city = |city: &city::Model| Scope {
        city: Some(city.id),
        network: Some(city.network_id),
        ..Scope::default()
    };
    let of_group = |group: Uuid| async move {
        let g = load_parent::<sponsor_group::Entity>(ctx, group).await?;
        let c = load_parent::<city::Entity>(ctx, g.city_id).await?;
        Ok::<_, async_graphql::Error>(Scope {
            group: Some(group),
            ..in_city(&c)
        })
    };
    Ok(match at {
        At::Nowhere => Scope::default(),
        At::Group(g) => of_group(g).await?,
        At::City(c) => in_city(&load_parent::<city::Entity>(ctx, c).await?),
        At::Network(n) => Scope {
            network: Some(n),
            ..Scope::default()
        },
        At::Sponsorship(s) => {
            let s = load_parent::<sponsorship::Entity>(ctx, s).await?;
            of_group(s.group_id).await?
        }
        At::Volunteer { id, via } => {
            let around = match via {
                Some(g) => of_group(g).await?,
                None => Scope::default(),
            };
            Scope {
                volunteer: Some(id),
                ..around
            }
        }
    })
}

/// Requires `rule` for the data `at`. Anonymous viewers and partners are refused before
/// anything is looked up, so that nothing about personal data, not even whether it exists,
/// reaches them.
pub async fn require(ctx: &Context<'_>, rule: &FieldRule, at: At) -> async_graphql::Result<()> {
    if rule.rule == Rule::Public {
        return Ok(());
    }
    if rule.rule == Rule::Own {
        own(ctx, rule)?;
    }
    refuse_anonymous(ctx, rule)?;
    if allows(viewer(ctx), rule.rule, &scope(ctx, at).await?) {
        Ok(())
    } else {
        Err(refusal(rule))
    }
}

/// Refuses anonymous viewers and partners the data of `rule` before it is looked up.
pub fn refuse_anonymous(ctx: &Context<'_>, rule: &FieldRule) -> async_graphql::Result<()> {
    match viewer(ctx) {
        Viewer::User { .. } => Ok(()),
        _ if rule.rule == Rule::Public => Ok(()),
        Viewer::Partner { .. } if rule.rule == Rule::Aggregates => Ok(()),
        _ => Err(refusal(rule)),
    }
}

/// Requires a viewer who signed in (a partner key counts) to see the data of `rule`:
/// `UNAUTHENTICATED` for anonymous viewers, who could pass no rule but [`Rule::Public`].
pub fn signed_in(ctx: &Context<'_>, rule: &FieldRule) -> async_graphql::Result<()> {
    match viewer(ctx) {
        Viewer::Anonymous if rule.rule != Rule::Public => {
            Err(Error::Unauthenticated(format!("sign in to see {}", rule.what)).into_graphql())
        }
        _ => Ok(()),
    }
}

/// The signed-in volunteer, for data that is only ever their own (`UNAUTHENTICATED` without).
pub fn own(ctx: &Context<'_>, rule: &FieldRule) -> async_graphql::Result<Uuid> {
    viewer(ctx).subject().ok_or_else(|| {
        let verb = if rule.ty == "Mutation" {
            "change"
        } else {
            "see"
        };
        Error::Unauthenticated(format!("sign in as a volunteer to {verb} {}", rule.what))
            .into_graphql()
    })
}

/// As [`require`], for a change. A member or lead must also still be in the group as stored
/// (and a lead still lead it, where lead rights are asked for): a token outlives leaving a
/// group or losing its lead, and a change should not.
pub async fn require_write(
    ctx: &Context<'_>,
    rule: &FieldRule,
    at: At,
) -> async_graphql::Result<()> {
    require(ctx, rule, at).await?;
    let group = match at {
        At::Group(g) => g,
        At::Sponsorship(s) => load_parent::<sponsorship::Entity>(ctx, s).await?.group_id,
        _ => return Ok(()),
    };
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
        Some(m) if *role == Role::Member || rule.rule == Rule::Members || leads(&m) => Ok(()),
        _ => Err(refusal(rule)),
    }
}

/// Requires a signed-in person to change anything. Anonymous viewers are `UNAUTHENTICATED`;
/// partners are known but never write (`FORBIDDEN`); a token whose volunteer no longer
/// exists or was erased is `UNAUTHENTICATED`, so that an erased person cannot put personal
/// data back.
///
/// Reads differ on purpose ([`refuse_anonymous`]): there docs/domain.md wants a field the viewer
/// may not see to be `FORBIDDEN`, whoever the viewer is.
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

/// Requires the rule of a contribution's row: a volunteer's is their group's; a company's is
/// public.
pub async fn contribution(ctx: &Context<'_>, c: &contribution::Model) -> async_graphql::Result<()> {
    if c.volunteer_id.is_some() {
        require(ctx, super::rule!(Contribution), At::Group(c.group_id)).await
    } else {
        Ok(())
    }
}
