//! Enumerations stored as strings. The stored value equals the GraphQL enum name, except for
//! provinces, which store their CBS code (`PV20` …).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// Declares a string-backed active enum; each variant names the value it is stored as.
macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $value:tt),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
        #[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
        pub enum $name {
            $($(#[$vmeta])* #[sea_orm(string_value = $value)] $variant,)+
        }
    };
}

string_enum! {
    /// A Dutch province, stored as its CBS code.
    Province {
        Groningen = "PV20", Fryslan = "PV21", Drenthe = "PV22", Overijssel = "PV23",
        Flevoland = "PV24", Gelderland = "PV25", Utrecht = "PV26", NoordHolland = "PV27",
        ZuidHolland = "PV28", Zeeland = "PV29", NoordBrabant = "PV30", Limburg = "PV31",
    }
}

impl Province {
    /// The province's CBS code, e.g. `PV27`.
    pub fn code(self) -> String {
        self.to_value()
    }

    /// The province's own name.
    pub fn display_name(self) -> &'static str {
        match self {
            Self::Groningen => "Groningen",
            Self::Fryslan => "Fryslân",
            Self::Drenthe => "Drenthe",
            Self::Overijssel => "Overijssel",
            Self::Flevoland => "Flevoland",
            Self::Gelderland => "Gelderland",
            Self::Utrecht => "Utrecht",
            Self::NoordHolland => "Noord-Holland",
            Self::ZuidHolland => "Zuid-Holland",
            Self::Zeeland => "Zeeland",
            Self::NoordBrabant => "Noord-Brabant",
            Self::Limburg => "Limburg",
        }
    }
}

string_enum! {
    /// Whether a taking-part town is a city or a village.
    CityKind { City = "CITY", Village = "VILLAGE" }
}

string_enum! {
    /// How far a town is in joining the network.
    CityStatus {
        Exploring = "EXPLORING", Launching = "LAUNCHING", Active = "ACTIVE",
        Paused = "PAUSED", Closed = "CLOSED",
    }
}

string_enum! {
    /// The variant of community sponsorship a group works in.
    SponsorshipVariant {
        Resettlement = "RESETTLEMENT", StatusHolder = "STATUS_HOLDER",
        StudentTheHague = "STUDENT_THE_HAGUE", Student = "STUDENT", UkraineAdHoc = "UKRAINE_AD_HOC",
    }
}

string_enum! {
    /// Lifecycle state of a sponsor group.
    GroupStatus {
        Interested = "INTERESTED", Forming = "FORMING", Applied = "APPLIED", Screening = "SCREENING",
        InTraining = "IN_TRAINING", ReadyToMatch = "READY_TO_MATCH", Matched = "MATCHED",
        Active = "ACTIVE", Completed = "COMPLETED", Alumni = "ALUMNI", OnHold = "ON_HOLD",
        Withdrawn = "WITHDRAWN", NotApproved = "NOT_APPROVED",
    }
}

string_enum! {
    /// Where a group's members know each other from.
    GroupOrigin {
        Neighbours = "NEIGHBOURS", Friends = "FRIENDS", Colleagues = "COLLEAGUES", Faith = "FAITH",
        Students = "STUDENTS", Other = "OTHER",
    }
}

string_enum! {
    /// A volunteer's role in a group.
    MembershipRole { Lead = "LEAD", Member = "MEMBER", ExtendedNetwork = "EXTENDED_NETWORK" }
}

string_enum! {
    /// State of a volunteer's certificate of conduct (VOG).
    VogStatus {
        NotRequested = "NOT_REQUESTED", Requested = "REQUESTED", Received = "RECEIVED", Refused = "REFUSED",
    }
}

string_enum! {
    /// State of a sponsorship.
    SponsorshipStatus {
        Proposed = "PROPOSED", Confirmed = "CONFIRMED", PreArrival = "PRE_ARRIVAL", Active = "ACTIVE",
        Closing = "CLOSING", Completed = "COMPLETED", Declined = "DECLINED", EndedEarly = "ENDED_EARLY",
    }
}

string_enum! {
    /// Why a sponsorship ended early.
    EndReason {
        Moved = "MOVED", RelationshipBreakdown = "RELATIONSHIP_BREAKDOWN",
        GroupDissolved = "GROUP_DISSOLVED", NewcomerChoice = "NEWCOMER_CHOICE", Other = "OTHER",
    }
}

string_enum! {
    /// A step on a newcomer household's way to settling in.
    MilestoneKind {
        Arrived = "ARRIVED", HousingKeys = "HOUSING_KEYS", HomeFurnished = "HOME_FURNISHED",
        BrpRegistered = "BRP_REGISTERED", BankAccount = "BANK_ACCOUNT",
        HealthInsurance = "HEALTH_INSURANCE", GpRegistered = "GP_REGISTERED",
        SchoolEnrolled = "SCHOOL_ENROLLED", LanguageCourseStarted = "LANGUAGE_COURSE_STARTED",
        LanguageB1 = "LANGUAGE_B1", VolunteerWork = "VOLUNTEER_WORK",
        EducationStarted = "EDUCATION_STARTED", PaidWork = "PAID_WORK",
        FormalSupportEnded = "FORMAL_SUPPORT_ENDED",
    }
}

string_enum! {
    /// What a contribution was.
    ContributionKind {
        Visit = "VISIT", AdminHelp = "ADMIN_HELP", Transport = "TRANSPORT",
        LanguagePractice = "LANGUAGE_PRACTICE", Networking = "NETWORKING", InKind = "IN_KIND",
        Expertise = "EXPERTISE", JobPlacement = "JOB_PLACEMENT",
    }
}

string_enum! {
    /// What a corporate sponsor pledges.
    CommitmentKind {
        StaffTime = "STAFF_TIME", InKind = "IN_KIND", Jobs = "JOBS", Expertise = "EXPERTISE", Venue = "VENUE",
    }
}

string_enum! {
    /// What a commitment is pledged to.
    ScopeKind { Network = "NETWORK", City = "CITY", Group = "GROUP" }
}

string_enum! {
    /// The kind of a partner organisation.
    PartnerKind {
        Municipality = "MUNICIPALITY", ReceptionAgency = "RECEPTION_AGENCY", Ngo = "NGO",
        University = "UNIVERSITY", Funder = "FUNDER", Research = "RESEARCH",
    }
}
