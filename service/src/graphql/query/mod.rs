//! Root query fields, merged from one object per domain.

mod care;
mod cities;
mod entities;
mod groups;
mod networks;
mod sponsors;

use async_graphql::MergedObject;

/// The root `Query` type.
#[derive(MergedObject, Default)]
pub struct Query(
    networks::NetworkQuery,
    cities::CityQuery,
    groups::GroupQuery,
    sponsors::SponsorQuery,
    care::CareQuery,
    entities::EntityQuery,
);

/// Which of two alternative lookup keys was given.
enum Key<A, B> {
    First(A),
    Second(B),
}

/// Exactly one of two alternative keys, or `BAD_USER_INPUT`.
fn one_key<A, B>(
    a: Option<A>,
    b: Option<B>,
    names: (&str, &str),
) -> crate::error::Result<Key<A, B>> {
    match (a, b) {
        (Some(a), None) => Ok(Key::First(a)),
        (None, Some(b)) => Ok(Key::Second(b)),
        _ => Err(crate::error::Error::bad_input(
            names.0,
            format!("give exactly one of `{}` and `{}`", names.0, names.1),
        )),
    }
}

/// Parses an optional id argument of a filter.
fn opt_id(field: &str, id: Option<&async_graphql::ID>) -> crate::error::Result<Option<uuid::Uuid>> {
    id.map(|id| crate::graphql::parse_id(field, id)).transpose()
}
