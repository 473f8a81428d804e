//! Relay connections over keyset pages: argument validation and page → connection.

use crate::db::page::{Cursor, HasId, Ordering, Page, PageArgs};
use crate::error::{Error, Result};
use async_graphql::connection::{Connection, CursorType, Edge, OpaqueCursor};
use async_graphql::{Enum, InputObject, ObjectType, OutputType};
use sea_orm::EntityTrait;

/// The opaque cursor clients see: base64url of the ordering, sort value and id.
pub type RelayCursor = OpaqueCursor<Cursor>;

/// A connection of `N` whose `totalCount` comes from `X`.
pub type Conn<N, X> = Connection<RelayCursor, N, X>;

/// The Relay arguments of a list field, as given.
#[derive(Debug, Default)]
pub struct ListArgs {
    pub first: Option<i32>,
    pub after: Option<String>,
    pub last: Option<i32>,
    pub before: Option<String>,
}

impl ListArgs {
    /// Validates into [`PageArgs`]: page sizes within bounds, cursors of this API.
    pub fn parse(self) -> Result<PageArgs> {
        let decode = |name: &str, s: Option<String>| -> Result<Option<Cursor>> {
            s.map(|s| {
                RelayCursor::decode_cursor(&s).map(|c| c.0).map_err(|_| {
                    Error::bad_input(name, format!("`{name}` is not a cursor of this list"))
                })
            })
            .transpose()
        };
        PageArgs::new(
            self.first,
            self.last,
            decode("after", self.after)?,
            decode("before", self.before)?,
        )
    }
}

/// Shorthand for building [`ListArgs`] from a resolver's arguments.
pub fn list_args(
    first: Option<i32>,
    after: Option<String>,
    last: Option<i32>,
    before: Option<String>,
) -> ListArgs {
    ListArgs {
        first,
        after,
        last,
        before,
    }
}

/// Sort direction of a list.
#[derive(Enum, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum OrderDirection {
    #[default]
    Asc,
    Desc,
}

/// How to order sponsor groups.
#[derive(Enum, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SponsorGroupOrderField {
    #[default]
    Name,
    FormedOn,
    CreatedAt,
}

/// Ordering of a list of sponsor groups.
#[derive(InputObject, Clone, Copy, Debug, Default)]
pub struct SponsorGroupOrder {
    pub field: SponsorGroupOrderField,
    #[graphql(default)]
    pub direction: OrderDirection,
}

impl SponsorGroupOrder {
    /// The keyset ordering this stands for.
    pub fn ordering(order: Option<Self>) -> Ordering<haven_entities::sponsor_group::Entity> {
        use crate::db::groups::{BY_CREATED, BY_FORMED, BY_NAME};
        let o = order.unwrap_or_default();
        let base = match o.field {
            SponsorGroupOrderField::Name => BY_NAME,
            SponsorGroupOrderField::FormedOn => BY_FORMED,
            SponsorGroupOrderField::CreatedAt => BY_CREATED,
        };
        base.direction(o.direction == OrderDirection::Desc)
    }
}

/// How to order lists sorted by name or by creation (cities, corporate sponsors).
#[derive(Enum, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum NameOrderField {
    #[default]
    Name,
    CreatedAt,
}

/// Ordering of a list sorted by name or by creation.
#[derive(InputObject, Clone, Copy, Debug, Default)]
pub struct NameOrder {
    pub field: NameOrderField,
    #[graphql(default)]
    pub direction: OrderDirection,
}

impl NameOrder {
    /// Picks `by_name` or `by_created`, in the asked direction.
    pub fn pick<E: EntityTrait>(
        order: Option<Self>,
        by_name: Ordering<E>,
        by_created: Ordering<E>,
    ) -> Ordering<E> {
        let o = order.unwrap_or_default();
        let base = if o.field == NameOrderField::Name {
            by_name
        } else {
            by_created
        };
        base.direction(o.direction == OrderDirection::Desc)
    }
}

/// Turns a page of rows into a connection of GraphQL nodes with lazily counted extra fields.
pub fn to_connection<E, N, X>(
    page: Page<E::Model>,
    order: &Ordering<E>,
    node: impl Fn(E::Model) -> N,
    extra: X,
) -> Conn<N, X>
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
