//! The GraphQL API: schema construction, per-request data, loaders, root fields and types.

pub mod codes;
pub mod connection;
pub mod limits;
pub mod loaders;
pub mod mutation;
pub mod prefetch;
pub mod query;
pub mod router_auth;
pub mod types;

use async_graphql::{Context, EmptySubscription, SDLExportOptions, Schema};
use sea_orm::DatabaseConnection;

use crate::db::lists::Relation;
use crate::db::page::{Ordering, Page};
use crate::db::tables::Table;
use crate::error::{Error, GqlResultExt, Result};
use loaders::{ById, CountOf, ListOf, Loaders};
use sea_orm::EntityTrait;
use std::sync::Arc;

/// The executable schema of haven.
pub type HavenSchema = Schema<query::Query, mutation::Mutation, EmptySubscription>;

/// Largest nesting depth of a query.
pub const MAX_DEPTH: usize = 15;
/// Largest complexity of a query. A field costs one; a list costs its page size (`first` or
/// `last`, 20 by default) times what each item selects, so the limit bounds the rows a query
/// can ask for: 50 towns × 10 groups × a handful of fields fits, 100 × 100 × 100 does not.
pub const MAX_COMPLEXITY: usize = 100_000;

/// The complexity of a list field: its page size times the complexity of one item.
pub fn list_cost(first: Option<i32>, last: Option<i32>, child_complexity: usize) -> usize {
    let page = first.or(last).unwrap_or(20).clamp(0, 100);
    1 + usize::try_from(page).unwrap_or(0) * child_complexity
}

/// Builds the schema with the settings its resolvers read (how partner statistics are
/// suppressed). It holds no database: connections and loaders arrive per request.
pub fn build_schema(suppression: crate::config::PartnerSuppression) -> HavenSchema {
    Schema::build(
        query::Query::default(),
        mutation::Mutation::default(),
        EmptySubscription,
    )
    .data(suppression)
    .enable_federation()
    .limit_depth(MAX_DEPTH)
    .limit_complexity(MAX_COMPLEXITY)
    .finish()
}

/// The subgraph SDL as committed in `schema.graphql`: exactly what `{ _service { sdl } }`
/// serves to a router, so the file, the code and the running service cannot disagree.
pub fn export_sdl() -> String {
    build_schema(crate::config::PartnerSuppression::Audited)
        .sdl_with_options(SDLExportOptions::new().federation().compose_directive())
}

/// The `--router-auth` variant: [`export_sdl`] with `@requiresScopes` on personal data.
pub fn export_sdl_router_auth() -> String {
    router_auth::apply(&export_sdl())
}

/// The request's database connection.
pub fn db<'a>(ctx: &Context<'a>) -> async_graphql::Result<&'a DatabaseConnection> {
    ctx.data::<DatabaseConnection>()
        .map_err(|_| Error::Internal("no database in request data".into()).into_graphql())
}

/// The request's dataloaders.
pub fn loaders<'a>(ctx: &Context<'a>) -> async_graphql::Result<&'a Loaders> {
    ctx.data::<Loaders>()
        .map_err(|_| Error::Internal("no loaders in request data".into()).into_graphql())
}

/// Parses a GraphQL `ID` as a UUID.
pub fn parse_id(field: &str, id: &async_graphql::ID) -> Result<uuid::Uuid> {
    uuid::Uuid::parse_str(id.as_str())
        .map_err(|_| Error::bad_input(field, format!("`{}` is not a valid id", id.as_str())))
}

/// A row by id through the request's loader; `None` when there is none.
pub async fn load_by_id<E: Table>(
    ctx: &Context<'_>,
    id: uuid::Uuid,
) -> async_graphql::Result<Option<E::Model>>
where
    E::Model: Clone,
{
    Ok(load_shared::<E>(ctx, id).await?.map(Arc::unwrap_or_clone))
}

/// A row by id through the request's loader, shared with its cache (no copy).
pub async fn load_shared<E: Table>(
    ctx: &Context<'_>,
    id: uuid::Uuid,
) -> async_graphql::Result<Option<Arc<E::Model>>> {
    loaders(ctx)?.load_one(ById::<E>::new(id)).await.gql()
}

/// The row a foreign key points at; its absence is a broken invariant, not a client error.
pub async fn load_parent<E: Table>(
    ctx: &Context<'_>,
    id: uuid::Uuid,
) -> async_graphql::Result<E::Model>
where
    E::Model: Clone,
{
    Ok(Arc::unwrap_or_clone(shared_parent::<E>(ctx, id).await?))
}

/// [`load_parent`], shared with the loader's cache (no copy).
pub async fn shared_parent<E: Table>(
    ctx: &Context<'_>,
    id: uuid::Uuid,
) -> async_graphql::Result<Arc<E::Model>> {
    load_shared::<E>(ctx, id).await?.ok_or_else(|| {
        Error::Internal(format!(
            "dangling reference to {} {id}",
            E::default().table_name()
        ))
        .into_graphql()
    })
}

/// One page of a parent's children along `rel`, batched with every other parent's.
pub async fn load_page<R: Relation<Child: prefetch::Prefetch>>(
    ctx: &Context<'_>,
    rel: R,
    parent: uuid::Uuid,
    order: Ordering<R::Child>,
    args: connection::ListArgs,
) -> async_graphql::Result<Page<<R::Child as EntityTrait>::Model>>
where
    <R::Child as EntityTrait>::Model: Sync,
{
    let args = args.parse().gql()?;
    // With `totalCount` selected too, the page statement counts (see `db::per_parent`).
    let with_total = ctx.look_ahead().field("totalCount").exists();
    let key = ListOf {
        rel,
        parent,
        order,
        args,
        with_total,
    };
    let loaders = loaders(ctx)?;
    // Pages are not cached (a request rarely asks for one page twice): the loader's copy is
    // then the only one, and is moved out rather than copied row by row.
    // (`clear` makes the loader's entry for this key type, which `enable_cache` requires.)
    loaders.clear::<ListOf<R>>();
    loaders.enable_cache::<ListOf<R>>(false);
    let page = match loaders.load_one(key).await.gql()? {
        Some(page) => Arc::try_unwrap(page).unwrap_or_else(|shared| (*shared).clone()),
        None => Page::default(),
    };
    if let Some(n) = page.total {
        // `totalCount` resolves through the count loader: give it the count now.
        loaders.feed_one(CountOf { rel, parent }, n).await;
    }
    if <R::Child as prefetch::Prefetch>::POINTED_AT {
        prime::<R::Child>(ctx, &page.rows).await?;
    }
    <R::Child as prefetch::Prefetch>::prefetch(ctx, &page.rows).await?;
    Ok(page)
}

/// Puts rows fetched as part of a list into the request's by-id cache, so that references
/// back to them (a group's `city` inside a city's groups) need no statement.
pub async fn prime<E: Table>(ctx: &Context<'_>, rows: &[E::Model]) -> async_graphql::Result<()> {
    use crate::db::page::HasId;
    let entries = rows
        .iter()
        .map(|m| (ById::<E>::new(m.id()), Arc::new(m.clone())));
    loaders(ctx)?.feed_many(entries).await;
    Ok(())
}

/// A nested list field: one page of a parent's children along `rel` as a connection of `node`s,
/// with `total` answering `totalCount`.
pub async fn nested<R, N, X>(
    ctx: &Context<'_>,
    rel: R,
    parent: uuid::Uuid,
    order: Ordering<R::Child>,
    args: connection::ListArgs,
    node: impl Fn(<R::Child as EntityTrait>::Model) -> N,
    total: X,
) -> async_graphql::Result<connection::Conn<N, X>>
where
    R: Relation<Child: prefetch::Prefetch>,
    <R::Child as EntityTrait>::Model: Sync,
    N: async_graphql::OutputType,
    X: async_graphql::ObjectType,
{
    let page = load_page(ctx, rel, parent, order, args).await?;
    Ok(connection::to_connection(page, &order, node, total))
}

/// The number of a parent's children along `rel`, batched with every other parent's.
pub async fn load_count<R: Relation>(
    ctx: &Context<'_>,
    rel: R,
    parent: uuid::Uuid,
) -> async_graphql::Result<i32> {
    let n = loaders(ctx)?
        .load_one(CountOf { rel, parent })
        .await
        .gql()?
        .unwrap_or(0);
    Ok(types::count_to_int(n))
}

/// Which of two alternatives was given (lookup keys, an existing row or a new one).
pub(crate) enum Key<A, B> {
    First(A),
    Second(B),
}

/// Exactly one of two alternatives, or `BAD_USER_INPUT` about the first.
pub(crate) fn one_key<A, B>(
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

/// Parses an optional id argument.
pub(crate) fn opt_id(
    field: &str,
    id: Option<&async_graphql::ID>,
) -> crate::error::Result<Option<uuid::Uuid>> {
    id.map(|id| crate::graphql::parse_id(field, id)).transpose()
}

/// Root fields whose every call is logged by their resolver (`partnerStats`): an answer that
/// selects one is never served from the response cache, so that each call reaches the log.
pub const LOGGED_FIELDS: [&str; 1] = ["partnerStats"];

/// A value `compute`d once per `parts` and data generations through the cross-request cache
/// (the request's [`crate::cache::View`], see [`crate::cache::View::cached`]).
pub async fn cached<T, F>(
    ctx: &Context<'_>,
    kind: crate::cache::Kind,
    parts: &[&[u8]],
    compute: F,
) -> async_graphql::Result<T>
where
    T: serde::Serialize + serde::de::DeserializeOwned,
    F: std::future::Future<Output = async_graphql::Result<T>>,
{
    let Some(view) = ctx.data_opt::<crate::cache::View>() else {
        return compute.await;
    };
    let internal = |e: String| Error::Internal(e).into_graphql();
    view.cached(kind, parts, compute, internal).await
}
