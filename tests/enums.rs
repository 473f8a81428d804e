//! Stored enum values equal their GraphQL names (provinces store their CBS code), so data in
//! the database reads the same as the API.

use async_graphql::{InputType, Value};
use haven::graphql::types::enums as g;
use haven_entities::enums as e;
use sea_orm::{ActiveEnum, Iterable};

fn gql_name<T: InputType>(v: T) -> String {
    match v.to_value() {
        Value::Enum(name) => name.to_string(),
        other => panic!("not an enum value: {other:?}"),
    }
}

fn check<E, G>()
where
    E: ActiveEnum<Value = String> + Iterable + Copy + Into<G>,
    G: InputType,
{
    for v in E::iter() {
        assert_eq!(v.to_value(), gql_name::<G>(v.into()));
    }
}

#[test]
fn stored_values_are_graphql_names() {
    check::<e::CityKind, g::CityKind>();
    check::<e::CityStatus, g::CityStatus>();
    check::<e::SponsorshipVariant, g::SponsorshipVariant>();
    check::<e::GroupStatus, g::GroupStatus>();
    check::<e::GroupOrigin, g::GroupOrigin>();
    check::<e::MembershipRole, g::MembershipRole>();
    check::<e::VogStatus, g::VogStatus>();
    check::<e::SponsorshipStatus, g::SponsorshipStatus>();
    check::<e::EndReason, g::EndReason>();
    check::<e::MilestoneKind, g::MilestoneKind>();
    check::<e::ContributionKind, g::ContributionKind>();
    check::<e::CommitmentKind, g::CommitmentKind>();
    check::<e::ScopeKind, g::ScopeKind>();
    check::<e::PartnerKind, g::PartnerKind>();
}

/// Every GraphQL enum of the schema is checked above (`Province` stores its CBS code, see
/// below), or is one of the API's own: an enum added without a check fails here.
#[test]
fn every_schema_enum_is_checked() {
    let checked = [
        "CityKind",
        "CityStatus",
        "SponsorshipVariant",
        "GroupStatus",
        "GroupOrigin",
        "MembershipRole",
        "VogStatus",
        "SponsorshipStatus",
        "EndReason",
        "MilestoneKind",
        "ContributionKind",
        "CommitmentKind",
        "ScopeKind",
        "PartnerKind",
        "Province",
    ];
    let sdl = haven::graphql::export_sdl();
    let unchecked: Vec<&str> = sdl
        .lines()
        .filter_map(|l| l.strip_prefix("enum "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|name| !checked.contains(name))
        .collect();
    // The others are the API's own (orderings, directions, how figures are cut), stored
    // nowhere.
    assert_eq!(
        unchecked,
        [
            "BreakdownBy",
            "FigureSubject",
            "NameOrderField",
            "OrderDirection",
            "PartnerStatsBy",
            "SponsorGroupOrderField",
            "SuppressionReason"
        ],
        "a new enum: if it is stored, check it in stored_values_are_graphql_names"
    );
}

#[test]
fn provinces_store_their_cbs_code() {
    let codes: Vec<String> = e::Province::iter().map(|p| p.code()).collect();
    assert_eq!(
        codes,
        (20..=31).map(|n| format!("PV{n}")).collect::<Vec<_>>()
    );
    assert_eq!(
        gql_name::<g::Province>(e::Province::NoordHolland.into()),
        "NOORD_HOLLAND"
    );
}
