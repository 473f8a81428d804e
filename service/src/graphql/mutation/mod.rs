//! Root mutation fields, merged from one object per domain. Each mutation checks who is
//! asking, then runs as one transaction that also writes its audit entry, and returns the
//! changed object: on any error nothing is written.

mod care;
mod contributions;
mod groups;
mod org_inputs;
mod orgs;
mod people;

use crate::db::audit;
use crate::db::page::HasId;
use crate::db::writes::Versioned;
use crate::error::{Error, GqlResultExt};
use crate::graphql::db;
use crate::policy::check;
use async_graphql::{Context, MergedObject};
use sea_orm::{
    DatabaseTransaction, EntityName, EntityTrait, ModelTrait, SqliteTransactionMode,
    TransactionOptions, TransactionTrait,
};
use std::future::Future;
use std::pin::Pin;

/// The root `Mutation` type.
#[derive(MergedObject, Default)]
pub struct Mutation(
    groups::GroupMutation,
    people::PeopleMutation,
    care::CareMutation,
    contributions::ContributionMutation,
    orgs::OrgMutation,
);

/// The work of one mutation inside its transaction.
type Work<'c, T> = Pin<Box<dyn Future<Output = crate::error::Result<T>> + Send + 'c>>;

/// Runs `work` in one transaction and records `operation` on the row it returns in the audit
/// log, in the same transaction, under the row's table name. On SQLite the transaction takes
/// the write lock at its start (`BEGIN IMMEDIATE`): a deferred one that read first could not
/// upgrade to writing once another writer committed, and would fail instead of waiting.
pub(crate) async fn write<T, F>(
    ctx: &Context<'_>,
    operation: &'static str,
    work: F,
) -> async_graphql::Result<T>
where
    T: ModelTrait + HasId + Send,
    F: for<'c> FnOnce(&'c DatabaseTransaction) -> Work<'c, T> + Send,
{
    write_creating(ctx, operation, None, work).await
}

/// A row that a mutation created on the way (a new volunteer joining a group, a new household
/// proposed for a sponsorship): its table name, and its id as found from the mutation's result.
pub(crate) type Created<T> = Option<(&'static str, fn(&T) -> uuid::Uuid)>;

/// The row of entity `E` that a mutation returning `T` created on the way, found by `id_of`.
pub(crate) fn created<E: EntityTrait, T>(id_of: fn(&T) -> uuid::Uuid) -> Created<T> {
    Some((E::default().table_name(), id_of))
}

/// As [`write`], also recording the row the mutation `created` on the way, if any.
pub(crate) async fn write_creating<T, F>(
    ctx: &Context<'_>,
    operation: &'static str,
    created: Created<T>,
    work: F,
) -> async_graphql::Result<T>
where
    T: ModelTrait + HasId + Send,
    F: for<'c> FnOnce(&'c DatabaseTransaction) -> Work<'c, T> + Send,
{
    let entity_type = T::Entity::default().table_name();
    let options = TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..Default::default()
    };
    let db = db(ctx)?;
    let view = ctx
        .data::<crate::cache::View>()
        .map_err(|_| Error::Internal("the request carries no cache view".into()).into_graphql())?;
    // The generations of what this transaction wrote move as it commits, whatever happens to
    // the request afterwards (a later field's error or the request's timeout).
    view.cache()
        .moving(async {
            let txn = db
                .begin_with_options(options)
                .await
                .map_err(Error::from)
                .gql()?;
            let done = async {
                let row = work(&txn).await?;
                let actor = crate::db::history::Actor::of(check::viewer(ctx));
                if let Some((created_type, id_of)) = created {
                    audit::record(&txn, actor, operation, created_type, id_of(&row)).await?;
                }
                audit::record(&txn, actor, operation, entity_type, row.id()).await?;
                Ok::<_, Error>(row)
            }
            .await;
            match done {
                Ok(row) => {
                    txn.commit().await.map_err(Error::from).gql()?;
                    Ok(row)
                }
                Err(e) => {
                    // Dropping would roll back too; saying so returns the connection sooner.
                    txn.rollback().await.ok();
                    Err(e
                        .naming(|column| argument(operation, column))
                        .into_graphql())
                }
            }
        })
        .await
}

/// The day an argument gives (today when it gives none), not in the future.
pub(crate) fn day(
    field: &str,
    given: Option<chrono::NaiveDate>,
) -> async_graphql::Result<chrono::NaiveDate> {
    let day = given.unwrap_or_else(|| chrono::Utc::now().date_naive());
    crate::domain::not_future(field, day).gql()
}

/// The argument of mutation `operation` that sets (or names the row of) `column`, for the data
/// layer's refusals: the column's name in camel case, where the argument is not named after it
/// otherwise.
fn argument(operation: &str, column: &str) -> String {
    let named = match (operation, column) {
        ("confirmSponsorship" | "startSponsorship" | "closeSponsorship", "status") => "id",
        ("transitionSponsorship" | "transitionSponsorGroup", "status") => "to",
        ("transitionSponsorship", "started_on" | "ended_on") => "on",
        ("leaveGroup", "id") => "membershipId",
        ("logContribution" | "updateContribution", "minutes") => "hours",
        _ => return camel_case(column),
    };
    named.to_owned()
}

fn camel_case(snake: &str) -> String {
    let mut out = String::with_capacity(snake.len());
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.push(c.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// A row by id for a mutation, or `NOT_FOUND`. Read through the request's loader, so the
/// permission checks that follow need no statement of their own; only what never changes
/// (which group or town a row belongs to) is taken from it, and the data functions re-read
/// whatever else they check inside the transaction.
pub(crate) async fn target<E: Versioned>(
    ctx: &Context<'_>,
    field: &str,
    id: &async_graphql::ID,
) -> async_graphql::Result<E::Model> {
    let id = crate::graphql::parse_id(field, id).gql()?;
    crate::graphql::load_by_id::<E>(ctx, id)
        .await?
        .ok_or_else(|| Error::NotFound(format!("{} {id}", E::NOUN)).into_graphql())
}

/// An optional input field as a patch: omitted leaves the field alone (`None`), `null` clears
/// it (`Some(None)`), a value sets it.
pub(crate) fn maybe<T>(v: async_graphql::MaybeUndefined<T>) -> Option<Option<T>> {
    v.into()
}
