//! The status history of groups and sponsorships: written in the transaction of the change,
//! with the day it took effect and who made it.

use crate::auth::Viewer;
use crate::error::Result;
use chrono::{NaiveDate, Utc};
use haven_entities::enums::{GroupStatus, SponsorshipStatus};
use haven_entities::{group_status_change, sponsorship_status_change};
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};
use uuid::Uuid;

/// Who makes a change, as the audit log and the status history record it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor {
    /// The volunteer, when a volunteer's token made it.
    pub id: Option<Uuid>,
    /// The role as tokens spell it (`PARTNER`, `ANONYMOUS` for those without one).
    pub role: &'static str,
}

impl Actor {
    /// The actor of `viewer`'s changes.
    pub fn of(viewer: &Viewer) -> Self {
        let role = match viewer {
            Viewer::User { role, .. } => role.token(),
            Viewer::Partner { .. } => "PARTNER",
            Viewer::Anonymous => "ANONYMOUS",
        };
        Self {
            id: viewer.subject(),
            role,
        }
    }

    /// Changes written by haven itself (migrations, seeds).
    pub const SYSTEM: Actor = Actor {
        id: None,
        role: "SYSTEM",
    };
}

/// Defines `$name(db, actor, subject, status, on)`, recording that the row `subject` of the
/// history table `$table` took `status` on day `on`.
macro_rules! recorder {
    ($(#[$doc:meta])* $name:ident, $table:ident, $subject:ident, $status:ty) => {
        $(#[$doc])*
        pub async fn $name(
            db: &impl ConnectionTrait,
            actor: Actor,
            subject: Uuid,
            status: $status,
            on: NaiveDate,
        ) -> Result<()> {
            $table::ActiveModel {
                id: Set(Uuid::new_v4()),
                $subject: Set(subject),
                status: Set(status),
                effective_on: Set(on),
                actor_id: Set(actor.id),
                actor_role: Set(actor.role.to_owned()),
                recorded_at: Set(Utc::now()),
            }
            .insert(db)
            .await?;
            Ok(())
        }
    };
}

recorder!(
    /// Records that a group took `status` on `on`.
    group,
    group_status_change,
    group_id,
    GroupStatus
);
recorder!(
    /// Records that a sponsorship took `status` on `on`.
    sponsorship,
    sponsorship_status_change,
    sponsorship_id,
    SponsorshipStatus
);
