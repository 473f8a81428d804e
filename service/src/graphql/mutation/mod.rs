//! Root mutation fields, merged from one object per domain. Each mutation checks who is
//! asking, then runs as one transaction that also writes its audit entry, and returns the
//! changed object: on any error nothing is written.

mod care;
mod groups;
mod orgs;
mod people;

use crate::db::audit;
use crate::db::page::HasId;
use crate::error::{Error, GqlResultExt};
use crate::graphql::{db, guard};
use async_graphql::{Context, MergedObject};
use sea_orm::{DatabaseTransaction, TransactionError, TransactionTrait};
use std::future::Future;
use std::pin::Pin;

/// The root `Mutation` type.
#[derive(MergedObject, Default)]
pub struct Mutation(
    groups::GroupMutation,
    people::PeopleMutation,
    care::CareMutation,
    orgs::OrgMutation,
);

/// The work of one mutation inside its transaction.
type Work<'c, T> = Pin<Box<dyn Future<Output = crate::error::Result<T>> + Send + 'c>>;

/// Runs `work` in one transaction and records `operation` on the `entity_type` row it
/// returns in the audit log, in the same transaction.
pub(crate) async fn write<T, F>(
    ctx: &Context<'_>,
    operation: &'static str,
    entity_type: &'static str,
    work: F,
) -> async_graphql::Result<T>
where
    T: HasId + Send + 'static,
    F: for<'c> FnOnce(&'c DatabaseTransaction) -> Work<'c, T> + Send + 'static,
{
    let viewer = guard::viewer(ctx).clone();
    db(ctx)?
        .transaction::<_, T, Error>(move |txn| {
            Box::pin(async move {
                let row = work(txn).await?;
                audit::record(txn, &viewer, operation, entity_type, row.id()).await?;
                Ok(row)
            })
        })
        .await
        .map_err(|e| match e {
            TransactionError::Connection(e) => Error::from(e),
            TransactionError::Transaction(e) => e,
        })
        .gql()
}

/// A row by id for a mutation, or `NOT_FOUND` (read through the request's loader, so the
/// permission checks that follow need no statement of their own).
pub(crate) async fn target<E: crate::db::tables::Table>(
    ctx: &Context<'_>,
    field: &str,
    id: &async_graphql::ID,
) -> async_graphql::Result<E::Model> {
    let id = crate::graphql::parse_id(field, id).gql()?;
    crate::graphql::load_by_id::<E>(ctx, id)
        .await?
        .ok_or_else(|| {
            Error::NotFound(format!(
                "{} {id}",
                E::default().table_name().replace('_', " ")
            ))
            .into_graphql()
        })
}
