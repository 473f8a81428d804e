//! The policy table: for every type that holds personal data, the rule of its rows and of each
//! of its fields; for the other types, their fields that lead to personal data; and for every
//! mutation, who may make it. Wording in `what` is what a refusal names.

use super::Rule::{self, *};
use super::{FieldRule, TypePolicy};

const fn field(ty: &'static str, field: &'static str, rule: Rule, what: &'static str) -> FieldRule {
    FieldRule {
        ty,
        field,
        case: "",
        rule,
        what,
    }
}

const fn case(
    ty: &'static str,
    field: &'static str,
    case: &'static str,
    rule: Rule,
    what: &'static str,
) -> FieldRule {
    FieldRule {
        ty,
        field,
        case,
        rule,
        what,
    }
}

const fn row(ty: &'static str, rule: Rule, what: &'static str) -> FieldRule {
    field(ty, "", rule, what)
}

/// A type with no personal data: public rows, no field of its own leads to people.
const fn public(ty: &'static str) -> TypePolicy {
    TypePolicy {
        ty,
        row: row(ty, Public, "public data"),
        with_parent: &[],
        fields: &[],
    }
}

/// A type of the network's figures: aggregates with no personal value, reached only through
/// `Query.analytics`, whose rule is where the figures are guarded.
const fn figures(ty: &'static str) -> TypePolicy {
    TypePolicy {
        ty,
        row: row(ty, Public, "figures, guarded at Query.analytics"),
        with_parent: &[],
        fields: &[],
    }
}

/// A type of partner statistics: suppressed aggregates, reached only through
/// `Query.partnerStats`, whose rule is where they are guarded.
const fn aggregates(ty: &'static str) -> TypePolicy {
    TypePolicy {
        ty,
        row: row(
            ty,
            Public,
            "suppressed aggregates, guarded at Query.partnerStats",
        ),
        with_parent: &[],
        fields: &[],
    }
}

const Q: &str = "Query";
const M: &str = "Mutation";

/// Every type with a rule of its own, or with fields that lead to personal data.
#[rustfmt::skip]
pub const TYPES: &[TypePolicy] = &[
    TypePolicy {
        ty: Q,
        row: row(Q, Public, "the API"),
        with_parent: &[],
        fields: &[
            field(Q, "sponsorship", Members, "a sponsorship"),
            field(Q, "me", Own, "your own data"),
            field(Q, "exportMyData", Own, "your own data"),
            field(Q, "auditLog", Admin, "the audit log"),
            field(Q, "partnerOrganisations", Admin, "the partner register"),
            field(Q, "analytics", AnyCoordinator, "the network's figures"),
            field(Q, "partnerStats", Aggregates, "partner statistics"),
            field(Q, "partnerQueryLog", Admin, "the partner query log"),
        ],
    },
    TypePolicy {
        ty: M,
        row: row(M, Public, "the API"),
        with_parent: &[],
        fields: &[
            field(M, "createSponsorGroup", Coordinate, "registering a group in this town"),
            field(M, "updateSponsorGroup", Lead, "changing this group"),
            field(M, "transitionSponsorGroup", Lead, "changing this group"),
            case(M, "transitionSponsorGroup", "decision", Coordinate, "deciding on this group's screening or match"),
            field(M, "addMembership", Lead, "adding members to this group"),
            case(M, "addMembership", "known", Coordinate, "adding a known volunteer to this group"),
            field(M, "updateMembership", Lead, "changing this membership"),
            case(M, "updateMembership", "vog", Coordinate, "recording a certificate of conduct"),
            field(M, "leaveGroup", Lead, "ending this membership"),
            case(M, "leaveGroup", "own", Members, "leaving this group"),
            field(M, "updateMyProfile", Own, "your profile"),
            field(M, "eraseVolunteer", Admin, "erasing a volunteer"),
            field(M, "proposeSponsorship", Households, "matching households"),
            field(M, "confirmSponsorship", Lead, "changing this sponsorship"),
            field(M, "startSponsorship", Lead, "changing this sponsorship"),
            field(M, "closeSponsorship", Lead, "changing this sponsorship"),
            field(M, "transitionSponsorship", Lead, "changing this sponsorship"),
            field(M, "updateHousehold", Households, "changing a household"),
            field(M, "recordMilestone", Members, "recording a milestone"),
            field(M, "undoMilestone", Members, "undoing a milestone"),
            field(M, "logContribution", Lead, "logging a contribution here"),
            case(M, "logContribution", "own", Members, "logging a contribution here"),
            field(M, "updateContribution", Lead, "changing this contribution"),
            case(M, "updateContribution", "own", Members, "changing this contribution"),
            field(M, "deleteContribution", Lead, "changing this contribution"),
            case(M, "deleteContribution", "own", Members, "changing this contribution"),
            field(M, "createSponsorshipNetwork", Admin, "creating a network"),
            field(M, "updateSponsorshipNetwork", Network, "changing this network"),
            field(M, "createCity", Network, "adding towns to this network"),
            field(M, "updateCity", Network, "changing this town"),
            field(M, "createCorporateSponsor", AnyCoordinator, "registering a company"),
            field(M, "updateCorporateSponsor", AnyCoordinator, "changing a company"),
            case(M, "updateCorporateSponsor", "kvk", Admin, "changing a company's KvK number"),
            field(M, "addSponsorCommitment", Run, "pledges in this scope"),
            field(M, "updateSponsorCommitment", Run, "this pledge"),
            field(M, "removeSponsorCommitment", Run, "this pledge"),
        ],
    },
    public("SponsorshipNetwork"),
    figures("Analytics"),
    figures("FunnelStage"),
    figures("StageDuration"),
    figures("MilestoneStat"),
    figures("MonthFigure"),
    figures("BreakdownRow"),
    figures("RetentionPoint"),
    figures("ReasonCount"),
    figures("CorporateTotals"),
    aggregates("PartnerStats"),
    aggregates("PartnerCell"),
    aggregates("Figure"),
    public("PartnerQuery"),
    public("City"),
    public("SponsorCommitment"),
    TypePolicy {
        ty: "SponsorGroup",
        row: row("SponsorGroup", Public, "a sponsor group"),
        with_parent: &[],
        fields: &[
            field("SponsorGroup", "memberships", Members, "a group's memberships"),
            field("SponsorGroup", "sponsorships", Members, "a group's sponsorships"),
            field("SponsorGroup", "contributions", Members, "a group's contributions"),
        ],
    },
    TypePolicy {
        ty: "CorporateSponsor",
        row: row("CorporateSponsor", Public, "a company"),
        with_parent: &[],
        // A company's own contributions: no volunteer gave them, so they are public.
        fields: &[field("CorporateSponsor", "contributions", Public, "a company's contributions")],
    },
    TypePolicy {
        ty: "Volunteer",
        row: row("Volunteer", OwnOrAdmin, "a volunteer"),
        // Reached through a membership or a contribution, whose rules apply.
        with_parent: &["id", "version", "displayName", "languages", "skills", "createdAt"],
        fields: &[
            field("Volunteer", "email", Contacts, "a volunteer's email"),
            field("Volunteer", "phone", Contacts, "a volunteer's phone"),
            field("Volunteer", "memberships", OwnOrAdmin, "a volunteer's memberships"),
        ],
    },
    TypePolicy {
        ty: "Membership",
        row: row("Membership", Members, "a membership"),
        with_parent: &["id", "version", "role", "joinedOn", "leftOn", "vogStatus", "trainingCompletedOn", "group"],
        fields: &[field("Membership", "volunteer", Members, "a member")],
    },
    TypePolicy {
        ty: "Sponsorship",
        row: row("Sponsorship", Members, "a sponsorship"),
        with_parent: &["id", "version", "variant", "status", "endReason", "proposedOn", "startedOn", "plannedEndOn", "endedOn", "group", "milestones", "contributions"],
        fields: &[field("Sponsorship", "household", Households, "a household")],
    },
    TypePolicy {
        ty: "NewcomerHousehold",
        row: row("NewcomerHousehold", Households, "a household"),
        with_parent: &["id", "version", "pseudonym", "householdSize", "languages", "arrivalDate", "city"],
        fields: &[],
    },
    TypePolicy {
        ty: "Milestone",
        row: row("Milestone", Members, "a milestone of a sponsorship"),
        with_parent: &["id", "version", "kind", "achievedOn"],
        fields: &[field("Milestone", "sponsorship", Members, "a sponsorship")],
    },
    TypePolicy {
        ty: "Contribution",
        // A volunteer's contribution; a company's is public (see `check::contribution`).
        row: row("Contribution", Members, "a volunteer's contribution"),
        with_parent: &["id", "version", "date", "kind", "hours", "valueCents", "group", "corporateSponsor"],
        fields: &[
            field("Contribution", "note", Members, "a contribution's note"),
            field("Contribution", "sponsorship", Members, "a sponsorship"),
            field("Contribution", "volunteer", Members, "a contributing volunteer"),
        ],
    },
    TypePolicy {
        ty: "PartnerOrganisation",
        row: row("PartnerOrganisation", Admin, "the partner register"),
        with_parent: &["id", "name", "kind", "website", "createdAt"],
        fields: &[],
    },
    TypePolicy {
        ty: "AuditEntry",
        row: row("AuditEntry", Admin, "the audit log"),
        with_parent: &["id", "occurredAt", "actorId", "actorRole", "operation", "entityType", "entityId"],
        fields: &[],
    },
];

/// Every field rule of the table, rows excepted.
pub fn fields() -> impl Iterator<Item = &'static FieldRule> {
    TYPES.iter().flat_map(|t| t.fields.iter())
}

/// The policy of GraphQL type `ty`, if it has one.
pub fn of(ty: &str) -> Option<&'static TypePolicy> {
    TYPES.iter().find(|t| t.ty == ty)
}
