//! Writing sponsor groups: create, update and move along the lifecycle, each with optimistic
//! concurrency on `version` (a stale `expectedVersion` changes nothing and is a `CONFLICT`).

use crate::db::history::{self, Actor};
use crate::db::writes;
use crate::error::{Error, Result};
use chrono::{NaiveDate, Utc};
use haven_entities::enums::{GroupOrigin, GroupStatus, SponsorshipVariant};
use haven_entities::sponsor_group::{ActiveModel, Entity, Model};
use sea_orm::{ActiveEnum, ConnectionTrait, Set};
use uuid::Uuid;

/// The lifecycle: the main line, and the side exits from where they may be taken.
pub fn may_transition(from: GroupStatus, to: GroupStatus) -> bool {
    use GroupStatus::*;
    let next = |s| match s {
        Interested => Some(Forming),
        Forming => Some(Applied),
        Applied => Some(Screening),
        Screening => Some(InTraining),
        InTraining => Some(ReadyToMatch),
        ReadyToMatch => Some(Matched),
        Matched => Some(Active),
        Active => Some(Completed),
        Completed => Some(Alumni),
        _ => None,
    };
    match to {
        _ if next(from) == Some(to) => true,
        // A pause is possible while the group is on its way or at work; it resumes by forming anew.
        OnHold => matches!(
            from,
            Forming | Applied | Screening | InTraining | ReadyToMatch | Matched | Active
        ),
        Forming => from == OnHold,
        // Withdrawing is possible until the group has completed.
        Withdrawn => !matches!(from, Completed | Alumni | Withdrawn | NotApproved),
        // Screening decides approval.
        NotApproved => matches!(from, Applied | Screening | InTraining),
        _ => false,
    }
}

/// Whether reaching `to` is a decision of the programme (screening, training, matching)
/// rather than a step the group takes itself.
pub fn is_decision(to: GroupStatus) -> bool {
    use GroupStatus::*;
    matches!(
        to,
        Screening | InTraining | ReadyToMatch | Matched | NotApproved
    )
}

/// A new group, parsed: a name of 1 to 200 characters, formed on a day not in the future.
pub struct NewGroup {
    pub city_id: Uuid,
    pub name: String,
    pub variant: SponsorshipVariant,
    pub origin: GroupOrigin,
    pub formed_on: NaiveDate,
}

/// Changes to a group's own fields, parsed as [`NewGroup`]; `None` leaves a field as it is.
#[derive(Default)]
pub struct GroupPatch {
    pub name: Option<String>,
    pub origin: Option<GroupOrigin>,
    pub formed_on: Option<NaiveDate>,
}

/// Inserts a new group (status INTERESTED from today, in its history).
pub async fn create(db: &impl ConnectionTrait, actor: Actor, new: NewGroup) -> Result<Model> {
    let row = ActiveModel {
        city_id: Set(new.city_id),
        name: Set(new.name),
        variant: Set(new.variant),
        status: Set(GroupStatus::Interested),
        origin: Set(new.origin),
        formed_on: Set(new.formed_on),
        ..Default::default()
    };
    let group = writes::insert::<Entity>(db, row).await?;
    let today = Utc::now().date_naive();
    history::group(db, actor, group.id, group.status, today).await?;
    Ok(group)
}

/// Updates a group's own fields.
pub async fn update(
    db: &impl ConnectionTrait,
    id: Uuid,
    expected: i32,
    patch: GroupPatch,
) -> Result<Model> {
    let mut change = <ActiveModel as Default>::default();
    if let Some(n) = patch.name {
        change.name = sea_orm::Set(n);
    }
    if let Some(o) = patch.origin {
        change.origin = sea_orm::Set(o);
    }
    if let Some(d) = patch.formed_on {
        change.formed_on = sea_orm::Set(d);
    }
    writes::update_if_current::<Entity>(db, id, expected, change).await
}

/// Moves a group to `to` from today, if the lifecycle allows it from where the group is.
pub async fn transition(
    db: &impl ConnectionTrait,
    actor: Actor,
    id: Uuid,
    expected: i32,
    to: GroupStatus,
) -> Result<Model> {
    let current = writes::as_seen::<Entity>(db, id, expected).await?;
    if !may_transition(current.status, to) {
        return Err(Error::refused(
            haven_entities::sponsor_group::Column::Status,
            format!(
                "a group cannot go from {} to {}",
                current.status.to_value(),
                to.to_value()
            ),
        ));
    }
    let change = ActiveModel {
        status: sea_orm::Set(to),
        ..<ActiveModel as Default>::default()
    };
    let group = writes::update_if_current::<Entity>(db, id, expected, change).await?;
    history::group(db, actor, id, to, Utc::now().date_naive()).await?;
    Ok(group)
}
