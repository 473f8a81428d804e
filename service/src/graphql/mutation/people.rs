//! Mutations of people: memberships (add, change, leave), a volunteer's own profile, and
//! erasure of a volunteer's personal data.

use super::{Created, created, day, maybe, target, write, write_creating};
use crate::db::people_writes::{self as people, Joiner, MembershipPatch, Profile, ProfilePatch};
use crate::domain::{self, Email, LanguageCode, Phone};
use crate::error::GqlResultExt;
use crate::graphql::types::enums::{MembershipRole, VogStatus};
use crate::graphql::types::{Membership, Volunteer};
use crate::graphql::{Key, one_key, parse_id};
use crate::policy::check::{self, At};
use crate::policy::rule;
use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, Result};
use chrono::NaiveDate;
use haven_entities::{membership, sponsor_group, volunteer};

/// A new volunteer's profile.
#[derive(InputObject)]
pub struct VolunteerInput {
    pub display_name: String,
    pub email: String,
    pub phone: Option<String>,
    /// ISO 639-1 codes.
    #[graphql(default)]
    pub languages: Vec<String>,
    #[graphql(default)]
    pub skills: Vec<String>,
}

impl VolunteerInput {
    /// The profile, parsed; errors name the fields under `newVolunteer`.
    fn parse(self) -> crate::error::Result<Profile> {
        Ok(Profile {
            display_name: domain::text("displayName", &self.display_name, 100)?,
            email: Email::parse("email", &self.email)?,
            phone: Phone::parse_optional("phone", self.phone)?,
            languages: LanguageCode::parse_list("languages", self.languages)?,
            skills: skills(self.skills)?,
        })
    }
}

/// At most 30 skills of up to 60 characters.
fn skills(values: Vec<String>) -> crate::error::Result<Vec<String>> {
    domain::text_list("skills", values, 30, 60)
}

impl UpdateProfileInput {
    /// The changes, parsed.
    fn parse(self) -> crate::error::Result<ProfilePatch> {
        let text = |v: Option<String>| v.map(|n| domain::text("displayName", &n, 100)).transpose();
        Ok(ProfilePatch {
            display_name: text(self.display_name)?,
            email: self.email.map(|e| Email::parse("email", &e)).transpose()?,
            phone: maybe(self.phone)
                .map(|p| Phone::parse_optional("phone", p))
                .transpose()?,
            languages: self
                .languages
                .map(|l| LanguageCode::parse_list("languages", l))
                .transpose()?,
            skills: self.skills.map(skills).transpose()?,
        })
    }
}

/// Someone joining a group: give `volunteerId` of a known volunteer, or `newVolunteer`.
#[derive(InputObject)]
pub struct AddMembershipInput {
    pub group_id: ID,
    pub volunteer_id: Option<ID>,
    pub new_volunteer: Option<VolunteerInput>,
    #[graphql(default_with = "MembershipRole::Member")]
    pub role: MembershipRole,
    /// Defaults to today.
    pub joined_on: Option<NaiveDate>,
}

/// Changes to a membership; omitted fields stay as they are.
#[derive(InputObject, Default)]
pub struct UpdateMembershipInput {
    pub role: Option<MembershipRole>,
    pub vog_status: Option<VogStatus>,
    /// `null` clears it.
    pub training_completed_on: MaybeUndefined<NaiveDate>,
}

/// Changes to the signed-in volunteer's profile; omitted fields stay as they are.
#[derive(InputObject, Default)]
pub struct UpdateProfileInput {
    pub display_name: Option<String>,
    pub email: Option<String>,
    /// `null` clears it.
    pub phone: MaybeUndefined<String>,
    pub languages: Option<Vec<String>>,
    pub skills: Option<Vec<String>>,
}

/// Mutations of people and memberships.
#[derive(Default)]
pub struct PeopleMutation;

#[Object]
impl PeopleMutation {
    /// Adds a volunteer to a group. The group's leads add new volunteers; adding someone haven
    /// already knows (`volunteerId`) is for coordinators, since it would show that person's
    /// contact details to the group's leads.
    async fn add_membership(
        &self,
        ctx: &Context<'_>,
        input: AddMembershipInput,
    ) -> Result<Membership> {
        check::authenticated(ctx).await?;
        let group = target::<sponsor_group::Entity>(ctx, "groupId", &input.group_id).await?;
        let names = ("volunteerId", "newVolunteer");
        let joiner = match one_key(input.volunteer_id, input.new_volunteer, names).gql()? {
            Key::First(id) => Joiner::Existing(parse_id("volunteerId", &id).gql()?),
            Key::Second(v) => Joiner::New(v.parse().gql()?),
        };
        let rule = match joiner {
            Joiner::Existing(_) => rule!(Mutation.addMembership[known]),
            Joiner::New(_) => rule!(Mutation.addMembership),
        };
        check::require_write(ctx, rule, At::Group(group.id)).await?;
        let created: Created<membership::Model> = match joiner {
            Joiner::New(_) => created::<volunteer::Entity, _>(|m| m.volunteer_id),
            Joiner::Existing(_) => None,
        };
        let new = people::NewMembership {
            group_id: group.id,
            joiner,
            role: input.role.into(),
            joined_on: day("joinedOn", input.joined_on)?,
        };
        let row = write_creating(ctx, "addMembership", created, move |txn| {
            Box::pin(people::add_membership(txn, new))
        })
        .await?;
        Ok(Membership(row))
    }

    /// Changes a member's role or training (the group's leads, coordinators, administrators) or
    /// the state of their certificate of conduct (VOG: coordinators, administrators).
    async fn update_membership(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
        input: UpdateMembershipInput,
    ) -> Result<Membership> {
        check::authenticated(ctx).await?;
        let m = target::<membership::Entity>(ctx, "id", &id).await?;
        // The certificate of conduct is part of the screening: coordinators record it.
        let rule = if input.vog_status.is_some() {
            rule!(Mutation.updateMembership[vog])
        } else {
            rule!(Mutation.updateMembership)
        };
        check::require_write(ctx, rule, At::Group(m.group_id)).await?;
        let patch = MembershipPatch {
            role: input.role.map(Into::into),
            vog_status: input.vog_status.map(Into::into),
            training_completed_on: maybe(input.training_completed_on)
                .map(|t| {
                    t.map(|d| domain::not_future("trainingCompletedOn", d))
                        .transpose()
                })
                .transpose()
                .gql()?,
        };
        let row = write(ctx, "updateMembership", move |txn| {
            Box::pin(people::update_membership(
                txn,
                m.id,
                expected_version,
                patch,
            ))
        })
        .await?;
        Ok(Membership(row))
    }

    /// Ends a membership on `leftOn` (default today): the member themself, or the group's leads
    /// and coordinators.
    async fn leave_group(
        &self,
        ctx: &Context<'_>,
        membership_id: ID,
        expected_version: i32,
        left_on: Option<NaiveDate>,
    ) -> Result<Membership> {
        check::authenticated(ctx).await?;
        let m = target::<membership::Entity>(ctx, "membershipId", &membership_id).await?;
        let rule = if check::viewer(ctx).subject() == Some(m.volunteer_id) {
            rule!(Mutation.leaveGroup[own])
        } else {
            rule!(Mutation.leaveGroup)
        };
        check::require_write(ctx, rule, At::Group(m.group_id)).await?;
        let left_on = day("leftOn", left_on)?;
        let row = write(ctx, "leaveGroup", move |txn| {
            Box::pin(people::leave(txn, m.id, expected_version, left_on))
        })
        .await?;
        Ok(Membership(row))
    }

    /// Changes the signed-in volunteer's own profile.
    async fn update_my_profile(
        &self,
        ctx: &Context<'_>,
        expected_version: i32,
        input: UpdateProfileInput,
    ) -> Result<Volunteer> {
        check::authenticated(ctx).await?;
        let me = check::own(ctx, rule!(Mutation.updateMyProfile))?;
        let patch = input.parse().gql()?;
        let row = write(ctx, "updateMyProfile", move |txn| {
            Box::pin(people::update_profile(txn, me, expected_version, patch))
        })
        .await?;
        Ok(Volunteer(row.into(), None))
    }

    /// Removes a volunteer's personal data (administrators): name, contact details, languages,
    /// skills and contribution notes. Memberships and hours stay, so totals do not change;
    /// the volunteer is unreachable afterwards. Returns the erased volunteer's id.
    async fn erase_volunteer(&self, ctx: &Context<'_>, id: ID) -> Result<ID> {
        check::authenticated(ctx).await?;
        check::require(ctx, rule!(Mutation.eraseVolunteer), At::Nowhere).await?;
        let v = target::<volunteer::Entity>(ctx, "id", &id).await?;
        let row = write(ctx, "eraseVolunteer", move |txn| {
            Box::pin(people::erase(txn, v.id))
        })
        .await?;
        Ok(ID(row.id.to_string()))
    }
}
