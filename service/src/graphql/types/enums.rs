//! GraphQL enums mirroring the stored enums of `haven_entities::enums` one to one.

use async_graphql::Enum;
use haven_entities::enums as e;

/// Declares a GraphQL enum that mirrors an entity enum variant for variant.
macro_rules! mirror {
    ($(#[$meta:meta])* $name:ident => $remote:literal { $($variant:ident),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Enum, Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
        // Categories that partner aggregates are broken down by.
        #[graphql(remote = $remote, tag = "partner")]
        pub enum $name { $($variant),+ }
    };
}

mirror! {
    /// A Dutch province.
    Province => "e::Province" {
        Groningen, Fryslan, Drenthe, Overijssel, Flevoland, Gelderland, Utrecht, NoordHolland,
        ZuidHolland, Zeeland, NoordBrabant, Limburg,
    }
}
mirror! {
    /// Whether a town is a city or a village.
    CityKind => "e::CityKind" { City, Village }
}
mirror! {
    /// How far a town is in joining the network.
    CityStatus => "e::CityStatus" { Exploring, Launching, Active, Paused, Closed }
}
mirror! {
    /// The variant of community sponsorship.
    SponsorshipVariant => "e::SponsorshipVariant" {
        Resettlement, StatusHolder, StudentTheHague, Student, UkraineAdHoc,
    }
}
mirror! {
    /// Lifecycle state of a sponsor group.
    GroupStatus => "e::GroupStatus" {
        Interested, Forming, Applied, Screening, InTraining, ReadyToMatch, Matched, Active,
        Completed, Alumni, OnHold, Withdrawn, NotApproved,
    }
}
mirror! {
    /// Where a group's members know each other from.
    GroupOrigin => "e::GroupOrigin" { Neighbours, Friends, Colleagues, Faith, Students, Other }
}
mirror! {
    /// A volunteer's role in a group.
    MembershipRole => "e::MembershipRole" { Lead, Member, ExtendedNetwork }
}
mirror! {
    /// State of a volunteer's certificate of conduct (VOG).
    VogStatus => "e::VogStatus" { NotRequested, Requested, Received, Refused }
}
mirror! {
    /// State of a sponsorship.
    SponsorshipStatus => "e::SponsorshipStatus" {
        Proposed, Confirmed, PreArrival, Active, Closing, Completed, Declined, EndedEarly,
    }
}
mirror! {
    /// Why a sponsorship ended early.
    EndReason => "e::EndReason" { Moved, RelationshipBreakdown, GroupDissolved, NewcomerChoice, Other }
}
mirror! {
    /// A step on a household's way to settling in.
    MilestoneKind => "e::MilestoneKind" {
        Arrived, HousingKeys, HomeFurnished, BrpRegistered, BankAccount, HealthInsurance, GpRegistered,
        SchoolEnrolled, LanguageCourseStarted, LanguageB1, VolunteerWork, EducationStarted, PaidWork,
        FormalSupportEnded,
    }
}
mirror! {
    /// What a contribution was.
    ContributionKind => "e::ContributionKind" {
        Visit, AdminHelp, Transport, LanguagePractice, Networking, InKind, Expertise, JobPlacement,
    }
}
mirror! {
    /// What a corporate sponsor pledges.
    CommitmentKind => "e::CommitmentKind" { StaffTime, InKind, Jobs, Expertise, Venue }
}
mirror! {
    /// What a commitment is pledged to.
    ScopeKind => "e::ScopeKind" { Network, City, Group }
}
mirror! {
    /// The kind of a partner organisation.
    PartnerKind => "e::PartnerKind" { Municipality, ReceptionAgency, Ngo, University, Funder, Research }
}
