//! Writing people: volunteers (their own profile, erasure) and their memberships in groups.

use crate::db::writes;
use crate::domain::{Email, Phone};
use crate::error::{Error, Result};
use chrono::{NaiveDate, Utc};
use haven_entities::enums::{MembershipRole, VogStatus};
use haven_entities::{contribution, membership, volunteer};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect, Set,
};
use uuid::Uuid;

/// A volunteer's profile, parsed.
pub struct Profile {
    /// 1 to 100 characters.
    pub display_name: String,
    pub email: Email,
    pub phone: Option<Phone>,
    /// ISO 639-1 codes.
    pub languages: Vec<String>,
    pub skills: Vec<String>,
}

/// Changes to a profile, parsed; `None` leaves a field as it is (`phone: Some(None)` clears it).
#[derive(Default)]
pub struct ProfilePatch {
    pub display_name: Option<String>,
    pub email: Option<Email>,
    pub phone: Option<Option<Phone>>,
    pub languages: Option<Vec<String>>,
    pub skills: Option<Vec<String>>,
}

/// Who joins a group: someone haven knows, or a new volunteer.
pub enum Joiner {
    Existing(Uuid),
    New(Profile),
}

/// A new membership.
pub struct NewMembership {
    pub group_id: Uuid,
    pub joiner: Joiner,
    pub role: MembershipRole,
    pub joined_on: NaiveDate,
}

/// Changes to a membership.
#[derive(Default)]
pub struct MembershipPatch {
    pub role: Option<MembershipRole>,
    pub vog_status: Option<VogStatus>,
    pub training_completed_on: Option<Option<NaiveDate>>,
}

/// Inserts a new volunteer.
pub async fn create_volunteer(db: &impl ConnectionTrait, p: Profile) -> Result<volunteer::Model> {
    let row = volunteer::ActiveModel {
        display_name: Set(p.display_name),
        email: Set(p.email.into_string()),
        phone: Set(p.phone.map(Phone::into_string)),
        languages: Set(p.languages.into()),
        skills: Set(p.skills.into()),
        ..Default::default()
    };
    writes::insert::<volunteer::Entity>(db, row).await
}

/// A volunteer who is there and not erased, or `NOT_FOUND`.
pub async fn reachable(db: &impl ConnectionTrait, id: Uuid) -> Result<volunteer::Model> {
    let v = writes::existing::<volunteer::Entity>(db, id).await?;
    if v.is_erased() {
        return Err(Error::NotFound(format!("volunteer {id}")));
    }
    Ok(v)
}

/// Changes a volunteer's own profile.
pub async fn update_profile(
    db: &impl ConnectionTrait,
    id: Uuid,
    expected: i32,
    patch: ProfilePatch,
) -> Result<volunteer::Model> {
    reachable(db, id).await?;
    let mut change = <volunteer::ActiveModel as Default>::default();
    if let Some(n) = patch.display_name {
        change.display_name = Set(n);
    }
    if let Some(e) = patch.email {
        change.email = Set(e.into_string());
    }
    if let Some(p) = patch.phone {
        change.phone = Set(p.map(Phone::into_string));
    }
    if let Some(l) = patch.languages {
        change.languages = Set(l.into());
    }
    if let Some(s) = patch.skills {
        change.skills = Set(s.into());
    }
    writes::update_if_current::<volunteer::Entity>(db, id, expected, change).await
}

/// Removes a volunteer's personal data: name, contact details, languages, skills and the notes
/// of their contributions. The row, their memberships and their hours stay, so that every
/// count and total is what it was; the person can no longer be reached through the API.
pub async fn erase(db: &impl ConnectionTrait, id: Uuid) -> Result<volunteer::Model> {
    let v = reachable(db, id).await?;
    let change = volunteer::ActiveModel {
        display_name: Set("(erased)".into()),
        // Unique and clearly not an address (RFC 2606 reserves `.invalid`).
        email: Set(format!("erased-{id}@erased.invalid")),
        phone: Set(None),
        languages: Set(Vec::new().into()),
        skills: Set(Vec::new().into()),
        erased_at: Set(Some(Utc::now())),
        ..Default::default()
    };
    let erased = writes::update_if_current::<volunteer::Entity>(db, id, v.version, change).await?;
    contribution::Entity::update_many()
        .col_expr(
            contribution::Column::Note,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            contribution::Column::Version,
            Expr::col(contribution::Column::Version).add(1),
        )
        .col_expr(contribution::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(contribution::Column::VolunteerId.eq(id))
        .filter(contribution::Column::Note.is_not_null())
        .exec(db)
        .await?;
    Ok(erased)
}

/// Adds a volunteer (known or new) to a group.
pub async fn add_membership(
    db: &impl ConnectionTrait,
    new: NewMembership,
) -> Result<membership::Model> {
    let joined_on = new.joined_on;
    let volunteer = match new.joiner {
        Joiner::Existing(id) => {
            // Locked, so that two concurrent additions cannot both find them not yet a member.
            volunteer::Entity::find_by_id(id)
                .lock_exclusive()
                .one(db)
                .await?;
            reachable(db, id).await?
        }
        Joiner::New(profile) => create_volunteer(db, profile).await?,
    };
    if current_membership(db, new.group_id, volunteer.id)
        .await?
        .is_some()
    {
        return Err(Error::Conflict(format!(
            "volunteer {} is already a member of this group",
            volunteer.id
        )));
    }
    let row = membership::ActiveModel {
        group_id: Set(new.group_id),
        volunteer_id: Set(volunteer.id),
        role: Set(new.role),
        joined_on: Set(joined_on),
        left_on: Set(None),
        vog_status: Set(VogStatus::NotRequested),
        training_completed_on: Set(None),
        ..Default::default()
    };
    writes::insert::<membership::Entity>(db, row).await
}

fn still_in(m: &membership::Model) -> Result<()> {
    match m.left_on {
        Some(left) => Err(Error::refused(
            membership::Column::Id,
            format!("this membership ended on {left}"),
        )),
        None => Ok(()),
    }
}

/// Changes a membership's role, screening or training.
pub async fn update_membership(
    db: &impl ConnectionTrait,
    id: Uuid,
    expected: i32,
    patch: MembershipPatch,
) -> Result<membership::Model> {
    let current = writes::as_seen::<membership::Entity>(db, id, expected).await?;
    still_in(&current)?;
    let mut change = <membership::ActiveModel as Default>::default();
    if let Some(r) = patch.role {
        change.role = Set(r);
    }
    if let Some(v) = patch.vog_status {
        change.vog_status = Set(v);
    }
    if let Some(t) = patch.training_completed_on {
        if let Some(day) = t {
            let trained = membership::Column::TrainingCompletedOn;
            writes::in_order(trained, current.joined_on, day, "joining the group")?;
        }
        change.training_completed_on = Set(t);
    }
    writes::update_if_current::<membership::Entity>(db, id, expected, change).await
}

/// Ends a membership on `left_on`.
pub async fn leave(
    db: &impl ConnectionTrait,
    id: Uuid,
    expected: i32,
    left_on: NaiveDate,
) -> Result<membership::Model> {
    let current = writes::as_seen::<membership::Entity>(db, id, expected).await?;
    still_in(&current)?;
    let left = membership::Column::LeftOn;
    writes::in_order(left, current.joined_on, left_on, "joining the group")?;
    let change = membership::ActiveModel {
        left_on: Set(Some(left_on)),
        ..Default::default()
    };
    writes::update_if_current::<membership::Entity>(db, id, expected, change).await
}

/// A volunteer's current membership of a group, if they are in it.
pub async fn current_membership(
    db: &impl ConnectionTrait,
    group_id: Uuid,
    volunteer_id: Uuid,
) -> Result<Option<membership::Model>> {
    Ok(membership::Entity::find()
        .filter(membership::Column::GroupId.eq(group_id))
        .filter(membership::Column::VolunteerId.eq(volunteer_id))
        .filter(membership::Column::LeftOn.is_null())
        .one(db)
        .await?)
}

/// Whether a volunteer was a member of a group on `day` (joined by then, not yet left).
pub async fn member_on(
    db: &impl ConnectionTrait,
    group_id: Uuid,
    volunteer_id: Uuid,
    day: NaiveDate,
) -> Result<bool> {
    let n = membership::Entity::find()
        .filter(membership::Column::GroupId.eq(group_id))
        .filter(membership::Column::VolunteerId.eq(volunteer_id))
        .filter(membership::Column::JoinedOn.lte(day))
        .filter(
            sea_orm::Condition::any()
                .add(membership::Column::LeftOn.is_null())
                .add(membership::Column::LeftOn.gte(day)),
        )
        .count(db)
        .await?;
    Ok(n > 0)
}
