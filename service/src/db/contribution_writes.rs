//! Writing contributions: time and goods given to a group, by a volunteer or a company.

use crate::db::{people_writes, writes};
use crate::domain::Minutes;
use crate::error::{Error, Result};
use chrono::NaiveDate;
use haven_entities::contribution::{self, ActiveModel, Column, Entity, Model};
use haven_entities::enums::ContributionKind;
use haven_entities::{corporate_sponsor, sponsorship, volunteer};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set};
use uuid::Uuid;

/// Who gave it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Giver {
    Volunteer(Uuid),
    Sponsor(Uuid),
}

/// A contribution, parsed: a day not in the future, a non-negative value, a note of at most
/// 2,000 characters.
pub struct NewContribution {
    pub group_id: Uuid,
    pub sponsorship_id: Option<Uuid>,
    pub giver: Giver,
    pub contributed_on: NaiveDate,
    pub kind: ContributionKind,
    pub minutes: Minutes,
    pub value_cents: Option<i64>,
    pub note: Option<String>,
}

/// Changes to a contribution, parsed as [`NewContribution`]; `None` leaves a field as it is.
#[derive(Default)]
pub struct ContributionPatch {
    pub sponsorship_id: Option<Option<Uuid>>,
    pub contributed_on: Option<NaiveDate>,
    pub kind: Option<ContributionKind>,
    pub minutes: Option<Minutes>,
    pub value_cents: Option<Option<i64>>,
    pub note: Option<Option<String>>,
}

async fn check_sponsorship(db: &impl ConnectionTrait, group: Uuid, id: Uuid) -> Result<()> {
    let s = writes::existing::<sponsorship::Entity>(db, id).await?;
    if s.group_id != group {
        return Err(Error::refused(
            Column::SponsorshipId,
            "the sponsorship is another group's",
        ));
    }
    Ok(())
}

/// Locks a volunteer's row for the rest of the transaction (PostgreSQL; SQLite has one writer
/// anyway), before anything else touches it: of two concurrent writers of their hours the
/// second sums only after the first has committed, so together they cannot pass 24 hours a
/// day. Taken first because the insert's foreign key check shares the row: two writers that
/// both inserted and then asked for the lock would wait for each other.
async fn lock_volunteer(
    db: &impl ConnectionTrait,
    volunteer: Uuid,
) -> Result<Option<volunteer::Model>> {
    Ok(volunteer::Entity::find_by_id(volunteer)
        .lock_exclusive()
        .one(db)
        .await?)
}

/// The volunteer was a member of the group on `day`: hours are logged for members only.
async fn member_on(
    db: &impl ConnectionTrait,
    group: Uuid,
    volunteer: Uuid,
    day: NaiveDate,
) -> Result<()> {
    if people_writes::member_on(db, group, volunteer, day).await? {
        Ok(())
    } else {
        Err(Error::refused(
            Column::VolunteerId,
            format!("the volunteer was not a member of this group on {day}"),
        ))
    }
}

/// A volunteer gives at most 24 hours a day, across all their contributions. Checked after the
/// write, inside the transaction, so that the sum includes the row just written.
async fn check_day(db: &impl ConnectionTrait, volunteer: Uuid, day: NaiveDate) -> Result<()> {
    let total: Option<i64> = Entity::find()
        .select_only()
        .column_as(Column::Minutes.sum(), "total")
        .filter(Column::VolunteerId.eq(volunteer))
        .filter(Column::ContributedOn.eq(day))
        .into_tuple::<Option<i64>>()
        .one(db)
        .await?
        .flatten();
    if total.unwrap_or(0) > Minutes::DAY {
        return Err(Error::refused(
            Column::Minutes,
            format!("this would make more than 24 hours on {day} for one volunteer"),
        ));
    }
    Ok(())
}

/// Groups give time and goods, never money: the programme gives them no financial
/// responsibility, so only goods given in kind carry a value (checked on the row as written,
/// whichever of kind and value a change set).
fn no_money(row: &Model) -> Result<()> {
    if row.value_cents.is_some() && row.kind != ContributionKind::InKind {
        return Err(Error::refused(
            Column::ValueCents,
            "only goods given in kind have a value: groups give no money",
        ));
    }
    Ok(())
}

/// Logs a contribution.
pub async fn log(db: &impl ConnectionTrait, new: NewContribution) -> Result<Model> {
    let contributed_on = new.contributed_on;
    if let Some(s) = new.sponsorship_id {
        check_sponsorship(db, new.group_id, s).await?;
    }
    let (volunteer_id, corporate_sponsor_id) = match new.giver {
        Giver::Volunteer(v) => {
            // New hours only for people who are still there (not erased).
            let person = lock_volunteer(db, v).await?;
            if person.is_none_or(|p| p.is_erased()) {
                return Err(Error::NotFound(format!("volunteer {v}")));
            }
            member_on(db, new.group_id, v, contributed_on).await?;
            (Some(v), None)
        }
        Giver::Sponsor(c) => {
            writes::existing::<corporate_sponsor::Entity>(db, c).await?;
            (None, Some(c))
        }
    };
    let row = ActiveModel {
        group_id: Set(new.group_id),
        sponsorship_id: Set(new.sponsorship_id),
        volunteer_id: Set(volunteer_id),
        corporate_sponsor_id: Set(corporate_sponsor_id),
        contributed_on: Set(contributed_on),
        kind: Set(new.kind),
        minutes: Set(new.minutes.get()),
        value_cents: Set(new.value_cents),
        note: Set(new.note),
        ..Default::default()
    };
    let row = writes::insert::<Entity>(db, row).await?;
    no_money(&row)?;
    if let Some(v) = row.volunteer_id {
        check_day(db, v, row.contributed_on).await?;
    }
    Ok(row)
}

/// Changes a contribution.
pub async fn edit(
    db: &impl ConnectionTrait,
    current: &Model,
    expected: i32,
    patch: ContributionPatch,
) -> Result<Model> {
    if let Some(v) = current.volunteer_id {
        let person = lock_volunteer(db, v).await?;
        // An erased person's hours stay as they were (totals must not change), and no note
        // about them comes back.
        if person.is_none_or(|p| p.is_erased()) {
            return Err(Error::refused(
                Column::Id,
                "the volunteer who gave this was erased: it can no longer be changed",
            ));
        }
        if let Some(day) = patch.contributed_on {
            member_on(db, current.group_id, v, day).await?;
        }
    }
    let mut change = <contribution::ActiveModel as Default>::default();
    if let Some(s) = patch.sponsorship_id {
        if let Some(id) = s {
            check_sponsorship(db, current.group_id, id).await?;
        }
        change.sponsorship_id = Set(s);
    }
    if let Some(d) = patch.contributed_on {
        change.contributed_on = Set(d);
    }
    if let Some(k) = patch.kind {
        change.kind = Set(k);
    }
    if let Some(m) = patch.minutes {
        change.minutes = Set(m.get());
    }
    if let Some(v) = patch.value_cents {
        change.value_cents = Set(v);
    }
    if let Some(n) = patch.note {
        change.note = Set(n);
    }
    let row = writes::update_if_current::<Entity>(db, current.id, expected, change).await?;
    no_money(&row)?;
    if let Some(v) = row.volunteer_id {
        check_day(db, v, row.contributed_on).await?;
    }
    Ok(row)
}
