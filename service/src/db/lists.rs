//! Nested lists: which rows belong to which parent, for every has-many field of the API.
//!
//! A [`Relation`] says how child rows relate to their parents (a column, or a join). From it
//! come a page per parent ([`pages`], one statement: `LATERAL … LIMIT` on PostgreSQL, a
//! correlated `IN (… LIMIT)` on SQLite, both read through the index) and a count per parent
//! ([`counts`], one grouped statement), however many parents a request asks about.

use crate::db::page::{self, Ordering, Page, PageArgs};
use crate::db::tables::Table;
use crate::db::{keys, per_parent};
use crate::error::Result;
use haven_entities::{
    city, contribution, corporate_sponsor, membership, sponsor_commitment, sponsor_group,
    sponsorship,
};
use sea_orm::sea_query::{Asterisk, Expr, ExprTrait, Func, JoinType, Query, SelectStatement};
use sea_orm::{ConnectionTrait, DbBackend, EntityTrait, QueryTrait};
use std::collections::HashMap;
use std::fmt::Debug;
use std::hash::Hash;
use uuid::Uuid;

/// How the rows of a child entity relate to parent ids.
pub trait Relation: Copy + Eq + Hash + Debug + Send + Sync + 'static {
    /// The entity listed.
    type Child: Table;

    /// Adds to `q` (which selects from the child table) the joins and the filter to `parents`,
    /// and returns the expression of each row's parent id. With `None` the caller filters
    /// on that expression itself (a subquery correlated with one parent): a list of every
    /// parent inside each correlated subquery would be checked for every row.
    fn scope(self, q: &mut SelectStatement, parents: Option<Parents<'_>>) -> Expr;
}

/// A batch of parent ids, and the backend the statement is for.
#[derive(Clone, Copy)]
pub struct Parents<'a> {
    pub ids: &'a [Uuid],
    pub backend: DbBackend,
}

impl Parents<'_> {
    /// `expr` is one of these parents.
    fn filter(self, expr: impl Into<Expr>) -> Expr {
        keys::uuid_in(self.backend, expr, self.ids)
    }
}

/// One page of children for each parent, in one statement; `with_total` counts each parent's
/// children in the same statement.
pub async fn pages<R: Relation>(
    db: &impl ConnectionTrait,
    rel: R,
    parents: &[Uuid],
    order: &Ordering<R::Child>,
    args: &PageArgs,
    with_total: bool,
) -> Result<HashMap<Uuid, Page<<R::Child as EntityTrait>::Model>>> {
    let mut q = R::Child::find().into_query();
    let parent = rel.scope(&mut q, None);
    let total = with_total.then(|| {
        let mut c = Query::select();
        c.from(R::Child::default());
        rel.scope(&mut c, None);
        c.expr_as(Func::count(Expr::col(Asterisk)), per_parent::TOTAL);
        c
    });
    per_parent::fetch(db, q, parent, parents, order, args, total).await
}

/// The number of children of each parent, in one statement.
pub async fn counts<R: Relation>(
    db: &impl ConnectionTrait,
    rel: R,
    parents: &[Uuid],
) -> Result<HashMap<Uuid, u64>> {
    let mut q = Query::select();
    q.from(R::Child::default());
    let batch = Parents {
        ids: parents,
        backend: db.get_database_backend(),
    };
    let parent = rel.scope(&mut q, Some(batch));
    q.expr_as(parent.clone(), "parent_id")
        // Plain COUNT(*): every relation yields one row per (parent, child).
        .expr_as(Func::count(Expr::col(Asterisk)), "n")
        .add_group_by([parent]);
    page::counts(db, &q).await
}

/// Filters `q` to rows whose own column `col` is one of `parents` (when given).
fn by_column<E: EntityTrait>(
    q: &mut SelectStatement,
    col: E::Column,
    parents: Option<Parents<'_>>,
) -> Expr {
    let parent = Expr::col((E::default(), col));
    if let Some(parents) = parents {
        q.and_where(parents.filter(parent.clone()));
    }
    parent
}

/// Sponsor groups of a network (through their city) or of a city.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GroupsOf {
    Network,
    City,
}

impl Relation for GroupsOf {
    type Child = sponsor_group::Entity;
    fn scope(self, q: &mut SelectStatement, parents: Option<Parents<'_>>) -> Expr {
        match self {
            Self::City => {
                by_column::<sponsor_group::Entity>(q, sponsor_group::Column::CityId, parents)
            }
            Self::Network => {
                q.join(
                    JoinType::InnerJoin,
                    city::Entity,
                    Expr::col((city::Entity, city::Column::Id))
                        .equals((sponsor_group::Entity, sponsor_group::Column::CityId)),
                );
                by_column::<city::Entity>(q, city::Column::NetworkId, parents)
            }
        }
    }
}

/// Towns of a network.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CitiesOfNetwork;

impl Relation for CitiesOfNetwork {
    type Child = city::Entity;
    fn scope(self, q: &mut SelectStatement, parents: Option<Parents<'_>>) -> Expr {
        by_column::<city::Entity>(q, city::Column::NetworkId, parents)
    }
}

/// Corporate sponsors with a commitment in a network, a town or a group.
///
/// Commitments carry the network always, the town for town and group scope, and the group for
/// group scope, so each case is one column of `sponsor_commitment`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SponsorsOf {
    Network,
    City,
    Group,
}

impl Relation for SponsorsOf {
    type Child = corporate_sponsor::Entity;
    fn scope(self, q: &mut SelectStatement, parents: Option<Parents<'_>>) -> Expr {
        use sponsor_commitment::{Column, Entity};
        let col = match self {
            Self::Network => Column::NetworkId,
            Self::City => Column::CityId,
            Self::Group => Column::GroupId,
        };
        // One row per (sponsor, parent), however many commitments connect them.
        let mut reach = Query::select();
        reach
            .distinct()
            .expr_as(Expr::col((Entity, Column::SponsorId)), "sponsor_id")
            .expr_as(Expr::col((Entity, col)), "parent")
            .from(Entity);
        if let Some(parents) = parents {
            reach.and_where(parents.filter(Expr::col((Entity, col))));
        }
        q.join_subquery(
            JoinType::InnerJoin,
            reach,
            "reach",
            Expr::col(("reach", "sponsor_id"))
                .equals((corporate_sponsor::Entity, corporate_sponsor::Column::Id)),
        );
        Expr::col(("reach", "parent"))
    }
}

/// Memberships of a group (all, or only current ones) or of a volunteer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MembershipsOf {
    Group,
    /// Members who have not left.
    GroupCurrent,
    Volunteer,
}

impl Relation for MembershipsOf {
    type Child = membership::Entity;
    fn scope(self, q: &mut SelectStatement, parents: Option<Parents<'_>>) -> Expr {
        use membership::{Column, Entity};
        match self {
            Self::Group => by_column::<Entity>(q, Column::GroupId, parents),
            Self::GroupCurrent => {
                q.and_where(Expr::col((Entity, Column::LeftOn)).is_null());
                by_column::<Entity>(q, Column::GroupId, parents)
            }
            Self::Volunteer => by_column::<Entity>(q, Column::VolunteerId, parents),
        }
    }
}

/// Sponsorships of a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SponsorshipsOfGroup;

impl Relation for SponsorshipsOfGroup {
    type Child = sponsorship::Entity;
    fn scope(self, q: &mut SelectStatement, parents: Option<Parents<'_>>) -> Expr {
        by_column::<sponsorship::Entity>(q, sponsorship::Column::GroupId, parents)
    }
}

/// Contributions to a group or a sponsorship, or by a corporate sponsor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ContributionsOf {
    Group,
    Sponsorship,
    Sponsor,
}

impl Relation for ContributionsOf {
    type Child = contribution::Entity;
    fn scope(self, q: &mut SelectStatement, parents: Option<Parents<'_>>) -> Expr {
        use contribution::{Column, Entity};
        let col = match self {
            Self::Group => Column::GroupId,
            Self::Sponsorship => Column::SponsorshipId,
            Self::Sponsor => Column::CorporateSponsorId,
        };
        by_column::<Entity>(q, col, parents)
    }
}

/// Commitments of a corporate sponsor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CommitmentsOfSponsor;

impl Relation for CommitmentsOfSponsor {
    type Child = sponsor_commitment::Entity;
    fn scope(self, q: &mut SelectStatement, parents: Option<Parents<'_>>) -> Expr {
        by_column::<sponsor_commitment::Entity>(q, sponsor_commitment::Column::SponsorId, parents)
    }
}
