//! Relay connections over keyset pages: argument validation and page → connection.

use crate::db::page::{Cursor, HasId, Ordering, Page, PageArgs};
use crate::error::{Error, Result};
use async_graphql::connection::{Connection, CursorType, Edge, OpaqueCursor};
use async_graphql::{ObjectType, OutputType};
use sea_orm::EntityTrait;

/// The opaque cursor clients see: base64url of the sort value and id.
pub type RelayCursor = OpaqueCursor<Cursor>;

/// Validates `first`/`last`/`after`/`before` into [`PageArgs`].
pub fn page_args(
    first: Option<i32>,
    last: Option<i32>,
    after: Option<String>,
    before: Option<String>,
) -> Result<PageArgs> {
    let decode = |name: &str, s: Option<String>| -> Result<Option<Cursor>> {
        s.map(|s| {
            RelayCursor::decode_cursor(&s).map(|c| c.0).map_err(|_| {
                Error::bad_input(name, format!("`{name}` is not a cursor of this list"))
            })
        })
        .transpose()
    };
    PageArgs::new(
        first,
        last,
        decode("after", after)?,
        decode("before", before)?,
    )
}

/// Turns a page of rows into a connection of GraphQL nodes with lazily counted extra fields.
pub fn to_connection<E, N, X>(
    page: Page<E::Model>,
    order: &Ordering<E>,
    node: impl Fn(E::Model) -> N,
    extra: X,
) -> Connection<RelayCursor, N, X>
where
    E: EntityTrait,
    E::Model: HasId,
    N: OutputType,
    X: ObjectType,
{
    let mut conn = Connection::with_additional_fields(page.has_previous, page.has_next, extra);
    conn.edges.extend(
        page.rows
            .into_iter()
            .map(|row| Edge::new(OpaqueCursor(order.cursor(&row)), node(row))),
    );
    conn
}
