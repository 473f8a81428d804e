//! The inputs of the organisation mutations, parsed at the boundary into the data layer's
//! fields (errors name the argument the client sent).

use super::maybe;
use crate::db::org_writes::{CityFields, NetworkFields, Pledge, SponsorFields};
use crate::domain::{self, CbsCode, CountryCode, KvkNumber, Slug, Website};
use crate::error::Result;
use crate::graphql::types::enums::{CityKind, CityStatus, CommitmentKind, Province};
use async_graphql::{InputObject, MaybeUndefined};
use chrono::NaiveDate;

/// An organisation's name: 1 to 200 characters.
fn name(field: &str, n: Option<String>) -> Result<Option<String>> {
    n.map(|n| domain::text(field, &n, 200)).transpose()
}

fn website(w: MaybeUndefined<String>) -> Result<Option<Option<Website>>> {
    maybe(w)
        .map(|w| Website::parse_optional("website", w))
        .transpose()
}

fn not_future(field: &str, d: MaybeUndefined<NaiveDate>) -> Result<Option<Option<NaiveDate>>> {
    maybe(d)
        .map(|d| d.map(|d| domain::not_future(field, d)).transpose())
        .transpose()
}

/// A sponsorship network's fields. On create `slug` and `name` are required (`countryCode`
/// defaults to NL); on update omitted fields stay as they are and `null` clears.
#[derive(InputObject, Default)]
pub struct NetworkInput {
    pub slug: Option<String>,
    pub name: Option<String>,
    pub description: Option<String>,
    /// ISO 3166-1 alpha-2.
    pub country_code: Option<String>,
    pub website: MaybeUndefined<String>,
    pub founded_on: MaybeUndefined<NaiveDate>,
}

impl NetworkInput {
    /// The fields, parsed.
    pub fn parse(self) -> Result<NetworkFields> {
        Ok(NetworkFields {
            slug: self.slug.map(|s| Slug::parse("slug", &s)).transpose()?,
            name: name("name", self.name)?,
            description: (self.description)
                .map(|d| domain::optional_text("description", Some(d), 4000))
                .transpose()?
                .map(Option::unwrap_or_default),
            country_code: (self.country_code)
                .map(|c| CountryCode::parse("countryCode", &c))
                .transpose()?,
            website: website(self.website)?,
            founded_on: not_future("foundedOn", self.founded_on)?,
        })
    }
}

/// A town's fields. On create `name`, `cbsCode`, `province` and `kind` are required; on
/// update omitted fields stay as they are.
#[derive(InputObject, Default)]
pub struct CityInput {
    pub name: Option<String>,
    /// `GM` and four digits.
    pub cbs_code: Option<String>,
    pub province: Option<Province>,
    pub kind: Option<CityKind>,
    pub status: Option<CityStatus>,
    pub joined_on: MaybeUndefined<NaiveDate>,
}

impl CityInput {
    /// The fields, parsed.
    pub fn parse(self) -> Result<CityFields> {
        Ok(CityFields {
            name: name("name", self.name)?,
            cbs_code: (self.cbs_code)
                .map(|c| CbsCode::parse("cbsCode", &c))
                .transpose()?,
            province: self.province.map(Into::into),
            kind: self.kind.map(Into::into),
            status: self.status.map(Into::into),
            joined_on: not_future("joinedOn", self.joined_on)?,
        })
    }
}

/// A company's fields. On create `name`, `kvkNumber` and `sector` are required; on update
/// omitted fields stay as they are.
#[derive(InputObject, Default)]
pub struct CorporateSponsorInput {
    pub name: Option<String>,
    /// Eight digits.
    pub kvk_number: Option<String>,
    pub sector: Option<String>,
    pub website: MaybeUndefined<String>,
}

impl CorporateSponsorInput {
    /// The fields, parsed.
    pub fn parse(self) -> Result<SponsorFields> {
        Ok(SponsorFields {
            name: name("name", self.name)?,
            kvk_number: (self.kvk_number)
                .map(|k| KvkNumber::parse("kvkNumber", &k))
                .transpose()?,
            sector: self
                .sector
                .map(|s| domain::text("sector", &s, 100))
                .transpose()?,
            website: website(self.website)?,
        })
    }
}

/// A pledge's figures and period. On create `kind` and `startsOn` are required; on update
/// omitted fields stay as they are and `null` clears.
#[derive(InputObject, Default)]
pub struct PledgeInput {
    pub kind: Option<CommitmentKind>,
    pub pledged_hours: MaybeUndefined<i32>,
    pub pledged_value_cents: MaybeUndefined<i64>,
    pub pledged_places: MaybeUndefined<i32>,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: MaybeUndefined<NaiveDate>,
}

impl PledgeInput {
    /// The figures and period, parsed (the end is checked against the start where both are
    /// known, in the data layer).
    pub fn parse(self) -> Result<Pledge> {
        let amount = |field: &str, v: Option<Option<i64>>| {
            v.map(|v| domain::non_negative(field, v)).transpose()
        };
        let count = |field: &str, v: Option<Option<i32>>| {
            v.map(|v| domain::non_negative(field, v)).transpose()
        };
        Ok(Pledge {
            kind: self.kind.map(Into::into),
            hours: count("pledgedHours", maybe(self.pledged_hours))?,
            value_cents: amount("pledgedValueCents", maybe(self.pledged_value_cents))?,
            places: count("pledgedPlaces", maybe(self.pledged_places))?,
            starts_on: self.starts_on,
            ends_on: maybe(self.ends_on),
        })
    }
}
