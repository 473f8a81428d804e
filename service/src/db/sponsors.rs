//! Corporate sponsors and their commitments: filters, orderings, lookup by KvK number, and
//! what each commitment delivered.

use crate::db::page::{self, Ordering, Page, PageArgs, SortKey};
use crate::error::Result;
use haven_entities::corporate_sponsor::{Column, Entity, Model};
use haven_entities::enums::ScopeKind;
use haven_entities::sponsor_commitment;
use sea_orm::sea_query::{Condition, Expr, ExprTrait, Func, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, Select};
use std::collections::HashMap;
use uuid::Uuid;

/// Sponsors by name.
pub const BY_NAME: Ordering<Entity> =
    Ordering::asc("name", Column::Name, Column::Id, |m: &Model| {
        SortKey::Text(m.name.clone())
    });
/// Sponsors by when they were recorded.
pub const BY_CREATED: Ordering<Entity> =
    Ordering::asc("createdAt", Column::CreatedAt, Column::Id, |m: &Model| {
        SortKey::Time(m.created_at)
    });
/// Commitments by the day they start.
pub const COMMITMENTS_BY_START: Ordering<sponsor_commitment::Entity> = Ordering::asc(
    "startsOn",
    sponsor_commitment::Column::StartsOn,
    sponsor_commitment::Column::Id,
    |m: &sponsor_commitment::Model| SortKey::Date(m.starts_on),
);

/// Which sponsors a list shows; all given conditions hold.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct SponsorFilter {
    /// Sponsors with a commitment in this network.
    pub network_id: Option<Uuid>,
    /// Sponsors with a commitment in this town (or one of its groups).
    pub city_id: Option<Uuid>,
    pub sector: Option<String>,
    pub name_contains: Option<String>,
}

impl SponsorFilter {
    fn apply(&self, mut q: Select<Entity>) -> Select<Entity> {
        use sponsor_commitment::Column as C;
        for (col, id) in [(C::NetworkId, self.network_id), (C::CityId, self.city_id)] {
            if let Some(id) = id {
                let committed = Query::select()
                    .column(C::SponsorId)
                    .from(sponsor_commitment::Entity)
                    .and_where(col.eq(id))
                    .to_owned();
                q = q.filter(Column::Id.in_subquery(committed));
            }
        }
        if let Some(s) = &self.sector {
            q = q.filter(Column::Sector.eq(s.as_str()));
        }
        if let Some(needle) = self.name_contains.as_deref().filter(|s| !s.is_empty()) {
            q = q.filter(page::name_contains(Column::Name, needle));
        }
        q
    }
}

/// One page of the sponsors matching `filter`.
pub async fn list(
    db: &impl ConnectionTrait,
    filter: &SponsorFilter,
    order: &Ordering<Entity>,
    args: &PageArgs,
) -> Result<Page<Model>> {
    page::fetch(db, filter.apply(Entity::find()), order, args).await
}

/// How many sponsors match `filter`.
pub async fn count(db: &impl ConnectionTrait, filter: &SponsorFilter) -> Result<u64> {
    Ok(filter.apply(Entity::find()).count(db).await?)
}

/// The sponsors with these KvK numbers.
pub async fn by_kvk_numbers(db: &impl ConnectionTrait, numbers: &[String]) -> Result<Vec<Model>> {
    Ok(Entity::find()
        .filter(super::keys::text_in(
            db.get_database_backend(),
            Expr::col((Entity, Column::KvkNumber)),
            numbers,
        ))
        .all(db)
        .await?)
}

/// Minutes delivered on each commitment: the sponsor's contributions inside the commitment's
/// scope (its group, a group of its town, or a group of its network) and period. One
/// statement for all the commitments asked about.
pub async fn delivered_minutes(
    db: &impl ConnectionTrait,
    commitment_ids: &[Uuid],
) -> Result<HashMap<Uuid, u64>> {
    use haven_entities::{city, contribution as gift, sponsor_group as group};
    use sponsor_commitment::Column as Pledge;
    let minutes = Func::coalesce([
        Func::sum(gift::Column::Minutes.into_expr()).into(),
        Expr::val(0),
    ]);
    let in_period = Condition::all()
        .add(
            gift::Column::CorporateSponsorId
                .into_expr()
                .eq(Pledge::SponsorId.into_expr()),
        )
        .add(
            gift::Column::ContributedOn
                .into_expr()
                .gte(Pledge::StartsOn.into_expr()),
        )
        .add(
            Condition::any().add(Pledge::EndsOn.is_null()).add(
                gift::Column::ContributedOn
                    .into_expr()
                    .lte(Pledge::EndsOn.into_expr()),
            ),
        );
    let in_scope = Condition::any()
        .add(
            Pledge::ScopeKind.eq(ScopeKind::Group).and(
                gift::Column::GroupId
                    .into_expr()
                    .eq(Pledge::GroupId.into_expr()),
            ),
        )
        .add(
            Pledge::ScopeKind.eq(ScopeKind::City).and(
                group::Column::CityId
                    .into_expr()
                    .eq(Pledge::CityId.into_expr()),
            ),
        )
        .add(
            Pledge::ScopeKind.eq(ScopeKind::Network).and(
                city::Column::NetworkId
                    .into_expr()
                    .eq(Pledge::NetworkId.into_expr()),
            ),
        );
    let mut q = Query::select();
    q.expr_as(Pledge::Id.into_expr(), "parent_id")
        .expr_as(minutes.cast_as("BIGINT"), "n")
        .from(sponsor_commitment::Entity)
        .inner_join(gift::Entity, in_period)
        .inner_join(
            group::Entity,
            Expr::col((group::Entity, group::Column::Id))
                .equals((gift::Entity, gift::Column::GroupId)),
        )
        .inner_join(
            city::Entity,
            Expr::col((city::Entity, city::Column::Id))
                .equals((group::Entity, group::Column::CityId)),
        )
        .and_where(super::keys::uuid_in(
            db.get_database_backend(),
            Pledge::Id.into_expr(),
            commitment_ids,
        ))
        .cond_where(in_scope)
        .add_group_by([Pledge::Id.into_expr()]);
    page::counts(db, &q).await
}
