//! Memberships, sponsorships, milestones and contributions: orderings and the milestone lists.

use crate::db::page::{Ordering, SortKey};
use crate::error::Result;
use haven_entities::{contribution, membership, milestone, sponsorship};
use sea_orm::sea_query::Expr;
use sea_orm::{ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;
use uuid::Uuid;

/// Memberships by the day the volunteer joined.
pub const MEMBERSHIPS_BY_JOINED: Ordering<membership::Entity> = Ordering::asc(
    "joinedOn",
    membership::Column::JoinedOn,
    membership::Column::Id,
    |m: &membership::Model| SortKey::Date(m.joined_on),
);
/// Sponsorships by the day they were proposed.
pub const SPONSORSHIPS_BY_PROPOSED: Ordering<sponsorship::Entity> = Ordering::asc(
    "proposedOn",
    sponsorship::Column::ProposedOn,
    sponsorship::Column::Id,
    |m: &sponsorship::Model| SortKey::Date(m.proposed_on),
);
/// Contributions by their day.
pub const CONTRIBUTIONS_BY_DATE: Ordering<contribution::Entity> = Ordering::asc(
    "date",
    contribution::Column::ContributedOn,
    contribution::Column::Id,
    |m: &contribution::Model| SortKey::Date(m.contributed_on),
);

/// The milestones of each sponsorship, in the order they were reached (at most one of each
/// kind, so these lists stay short and need no paging).
pub async fn milestones_of(
    db: &impl ConnectionTrait,
    sponsorship_ids: &[Uuid],
) -> Result<HashMap<Uuid, Vec<milestone::Model>>> {
    let rows = milestone::Entity::find()
        .filter(super::keys::uuid_in(
            db.get_database_backend(),
            Expr::col((milestone::Entity, milestone::Column::SponsorshipId)),
            sponsorship_ids,
        ))
        .order_by_asc(milestone::Column::AchievedOn)
        .order_by_asc(milestone::Column::Id)
        .all(db)
        .await?;
    let mut out: HashMap<Uuid, Vec<milestone::Model>> = HashMap::new();
    for m in rows {
        out.entry(m.sponsorship_id).or_default().push(m);
    }
    Ok(out)
}
