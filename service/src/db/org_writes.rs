//! Writing organisations: sponsorship networks, their towns, corporate sponsors and their
//! commitments.

use crate::db::writes::{self, required};
use crate::domain::{CbsCode, CountryCode, KvkNumber, Slug, Website};
use crate::error::Result;
use chrono::NaiveDate;
use haven_entities::enums::{CityKind, CityStatus, CommitmentKind, Province, ScopeKind};
use haven_entities::{city, corporate_sponsor, sponsor_commitment, sponsorship_network};
use sea_orm::{ConnectionTrait, Set};
use uuid::Uuid;

/// A network's own fields, parsed; on update `None` leaves a field as it is.
#[derive(Default)]
pub struct NetworkFields {
    pub slug: Option<Slug>,
    pub name: Option<String>,
    pub description: Option<String>,
    pub country_code: Option<CountryCode>,
    pub website: Option<Option<Website>>,
    pub founded_on: Option<Option<NaiveDate>>,
}

/// A town's own fields, parsed; on update `None` leaves a field as it is.
#[derive(Default)]
pub struct CityFields {
    pub name: Option<String>,
    pub cbs_code: Option<CbsCode>,
    pub province: Option<Province>,
    pub kind: Option<CityKind>,
    pub status: Option<CityStatus>,
    pub joined_on: Option<Option<NaiveDate>>,
}

/// A company's own fields, parsed; on update `None` leaves a field as it is.
#[derive(Default)]
pub struct SponsorFields {
    pub name: Option<String>,
    pub kvk_number: Option<KvkNumber>,
    pub sector: Option<String>,
    pub website: Option<Option<Website>>,
}

/// What a commitment is for: `network` always, `city` for town and group scope, `group` for
/// group scope.
#[derive(Debug, Clone, Copy)]
pub struct Scope {
    pub kind: ScopeKind,
    pub network: Uuid,
    pub city: Option<Uuid>,
    pub group: Option<Uuid>,
}

/// A pledge's figures (not negative) and period, parsed; on update `None` leaves a field as it is.
#[derive(Default)]
pub struct Pledge {
    pub kind: Option<CommitmentKind>,
    pub hours: Option<Option<i32>>,
    pub value_cents: Option<Option<i64>>,
    pub places: Option<Option<i32>>,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<Option<NaiveDate>>,
}

fn network_change(f: NetworkFields) -> sponsorship_network::ActiveModel {
    let mut m = <sponsorship_network::ActiveModel as Default>::default();
    if let Some(s) = f.slug {
        m.slug = Set(s.into_string());
    }
    if let Some(n) = f.name {
        m.name = Set(n);
    }
    if let Some(d) = f.description {
        m.description = Set(d);
    }
    if let Some(c) = f.country_code {
        m.country_code = Set(c.into_string());
    }
    if let Some(w) = f.website {
        m.website = Set(w.map(Website::into_string));
    }
    if let Some(d) = f.founded_on {
        m.founded_on = Set(d);
    }
    m
}

/// Inserts a network (slug, name and country code required).
pub async fn create_network(
    db: &impl ConnectionTrait,
    f: NetworkFields,
) -> Result<sponsorship_network::Model> {
    required(sponsorship_network::Column::Slug, f.slug.as_ref())?;
    required(sponsorship_network::Column::Name, f.name.as_ref())?;
    let m = network_change(NetworkFields {
        country_code: Some(
            f.country_code
                .clone()
                .unwrap_or_else(CountryCode::netherlands),
        ),
        description: Some(f.description.clone().unwrap_or_default()),
        website: Some(f.website.clone().flatten()),
        founded_on: Some(f.founded_on.flatten()),
        ..f
    });
    writes::insert::<sponsorship_network::Entity>(db, m).await
}

/// Changes a network.
pub async fn update_network(
    db: &impl ConnectionTrait,
    id: Uuid,
    expected: i32,
    f: NetworkFields,
) -> Result<sponsorship_network::Model> {
    writes::update_if_current::<sponsorship_network::Entity>(db, id, expected, network_change(f))
        .await
}

fn city_change(f: CityFields) -> city::ActiveModel {
    let mut m = <city::ActiveModel as Default>::default();
    if let Some(n) = f.name {
        m.name = Set(n);
    }
    if let Some(c) = f.cbs_code {
        m.cbs_code = Set(c.as_str().to_owned());
    }
    if let Some(p) = f.province {
        m.province = Set(p);
    }
    if let Some(k) = f.kind {
        m.kind = Set(k);
    }
    if let Some(s) = f.status {
        m.status = Set(s);
    }
    if let Some(j) = f.joined_on {
        m.joined_on = Set(j);
    }
    m
}

/// Inserts a town into network `network_id` (name, CBS code, province and kind required; the
/// status starts as EXPLORING unless given).
pub async fn create_city(
    db: &impl ConnectionTrait,
    network_id: Uuid,
    f: CityFields,
) -> Result<city::Model> {
    required(city::Column::Name, f.name.as_ref())?;
    required(city::Column::CbsCode, f.cbs_code.as_ref())?;
    required(city::Column::Province, f.province.as_ref())?;
    required(city::Column::Kind, f.kind.as_ref())?;
    let mut m = city_change(CityFields {
        status: Some(f.status.unwrap_or(CityStatus::Exploring)),
        joined_on: Some(f.joined_on.flatten()),
        ..f
    });
    m.network_id = Set(network_id);
    writes::insert::<city::Entity>(db, m).await
}

/// Changes a town.
pub async fn update_city(
    db: &impl ConnectionTrait,
    id: Uuid,
    expected: i32,
    f: CityFields,
) -> Result<city::Model> {
    writes::update_if_current::<city::Entity>(db, id, expected, city_change(f)).await
}

fn sponsor_change(f: SponsorFields) -> corporate_sponsor::ActiveModel {
    let mut m = <corporate_sponsor::ActiveModel as Default>::default();
    if let Some(n) = f.name {
        m.name = Set(n);
    }
    if let Some(k) = f.kvk_number {
        m.kvk_number = Set(k.as_str().to_owned());
    }
    if let Some(s) = f.sector {
        m.sector = Set(s);
    }
    if let Some(w) = f.website {
        m.website = Set(w.map(Website::into_string));
    }
    m
}

/// Inserts a company (name, KvK number and sector required).
pub async fn create_sponsor(
    db: &impl ConnectionTrait,
    f: SponsorFields,
) -> Result<corporate_sponsor::Model> {
    required(corporate_sponsor::Column::Name, f.name.as_ref())?;
    required(corporate_sponsor::Column::KvkNumber, f.kvk_number.as_ref())?;
    required(corporate_sponsor::Column::Sector, f.sector.as_ref())?;
    let website = Some(f.website.clone().flatten());
    let m = sponsor_change(SponsorFields { website, ..f });
    writes::insert::<corporate_sponsor::Entity>(db, m).await
}

/// Changes a company.
pub async fn update_sponsor(
    db: &impl ConnectionTrait,
    id: Uuid,
    expected: i32,
    f: SponsorFields,
) -> Result<corporate_sponsor::Model> {
    writes::update_if_current::<corporate_sponsor::Entity>(db, id, expected, sponsor_change(f))
        .await
}

fn pledge_change(
    p: Pledge,
    starts_on: NaiveDate,
    ends_on: Option<NaiveDate>,
) -> Result<sponsor_commitment::ActiveModel> {
    if let Some(end) = ends_on {
        writes::in_order(
            sponsor_commitment::Column::EndsOn,
            starts_on,
            end,
            "the start",
        )?;
    }
    let mut m = <sponsor_commitment::ActiveModel as Default>::default();
    if let Some(k) = p.kind {
        m.kind = Set(k);
    }
    if let Some(h) = p.hours {
        m.pledged_hours = Set(h);
    }
    if let Some(v) = p.value_cents {
        m.pledged_value_cents = Set(v);
    }
    if let Some(n) = p.places {
        m.pledged_places = Set(n);
    }
    if p.starts_on.is_some() {
        m.starts_on = Set(starts_on);
    }
    if p.ends_on.is_some() {
        m.ends_on = Set(ends_on);
    }
    Ok(m)
}

/// Inserts a commitment of company `sponsor_id` in `scope` (kind and start required).
pub async fn create_commitment(
    db: &impl ConnectionTrait,
    sponsor_id: Uuid,
    scope: Scope,
    p: Pledge,
) -> Result<sponsor_commitment::Model> {
    required(sponsor_commitment::Column::Kind, p.kind.as_ref())?;
    let starts_on = required(sponsor_commitment::Column::StartsOn, p.starts_on)?;
    let ends_on = p.ends_on.flatten();
    let pledge = Pledge {
        hours: Some(p.hours.flatten()),
        value_cents: Some(p.value_cents.flatten()),
        places: Some(p.places.flatten()),
        ends_on: Some(ends_on),
        ..p
    };
    let mut m = pledge_change(pledge, starts_on, ends_on)?;
    m.sponsor_id = Set(sponsor_id);
    m.scope_kind = Set(scope.kind);
    m.network_id = Set(Some(scope.network));
    m.city_id = Set(scope.city);
    m.group_id = Set(scope.group);
    writes::insert::<sponsor_commitment::Entity>(db, m).await
}

/// Changes a commitment's figures or period.
pub async fn update_commitment(
    db: &impl ConnectionTrait,
    id: Uuid,
    expected: i32,
    p: Pledge,
) -> Result<sponsor_commitment::Model> {
    let current = writes::as_seen::<sponsor_commitment::Entity>(db, id, expected).await?;
    let starts_on = p.starts_on.unwrap_or(current.starts_on);
    let ends_on = p.ends_on.unwrap_or(current.ends_on);
    let change = pledge_change(p, starts_on, ends_on)?;
    writes::update_if_current::<sponsor_commitment::Entity>(db, id, expected, change).await
}
