//! What every write shares: inserting a fresh row (one path), and changing or deleting a row only while
//! its `version` is the one the client read (optimistic concurrency). A stale
//! `expectedVersion` changes nothing and is a `CONFLICT` that names the current version.

use crate::db::tables::Table;
use crate::error::{Error, Result};
use chrono::Utc;
use haven_entities::*;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelBehavior, ActiveModelTrait, ColumnTrait, ConnectionTrait, IntoActiveModel,
    QueryFilter,
};
use uuid::Uuid;

/// A table whose rows carry `version` and `updated_at`.
pub trait Versioned: Table<Model: Send> {
    /// What a row is called in messages ("sponsor group").
    const NOUN: &'static str;
    /// The `version` column.
    fn version_column() -> Self::Column;
    /// The `created_at` column.
    fn created_at_column() -> Self::Column;
    /// The `updated_at` column.
    fn updated_at_column() -> Self::Column;
    /// The version of a row.
    fn version_of(model: &Self::Model) -> i32;
}

macro_rules! versioned {
    ($($module:ident => $noun:literal),+ $(,)?) => {$(
        impl Versioned for $module::Entity {
            const NOUN: &'static str = $noun;
            fn version_column() -> Self::Column {
                $module::Column::Version
            }
            fn created_at_column() -> Self::Column {
                $module::Column::CreatedAt
            }
            fn updated_at_column() -> Self::Column {
                $module::Column::UpdatedAt
            }
            fn version_of(model: &Self::Model) -> i32 {
                model.version
            }
        }
    )+};
}

versioned!(
    sponsorship_network => "sponsorship network",
    city => "city",
    sponsor_group => "sponsor group",
    volunteer => "volunteer",
    membership => "membership",
    newcomer_household => "household",
    sponsorship => "sponsorship",
    milestone => "milestone",
    contribution => "contribution",
    corporate_sponsor => "corporate sponsor",
    sponsor_commitment => "sponsor commitment",
);

/// Inserts a new row: the one way rows of versioned tables are made. The caller sets the
/// row's own fields; its id, `created_at`, `updated_at` and `version` (1) are set here.
pub async fn insert<E: Versioned>(
    db: &impl ConnectionTrait,
    row: impl IntoActiveModel<E::ActiveModel>,
) -> Result<E::Model>
where
    E::ActiveModel: ActiveModelBehavior + Send,
    E::Model: IntoActiveModel<E::ActiveModel>,
{
    let mut m = row.into_active_model().reset_all();
    let now = Utc::now();
    m.set(E::id_column(), Uuid::new_v4().into());
    m.set(E::created_at_column(), now.into());
    m.set(E::updated_at_column(), now.into());
    m.set(E::version_column(), 1.into());
    Ok(m.insert(db).await?)
}

/// The row `id`, or `NOT_FOUND`.
pub async fn existing<E: Versioned>(db: &impl ConnectionTrait, id: Uuid) -> Result<E::Model> {
    E::find()
        .filter(E::id_column().eq(id))
        .one(db)
        .await?
        .ok_or_else(|| Error::NotFound(format!("{} {id}", E::NOUN)))
}

fn stale<E: Versioned>(id: Uuid, current: i32, expected: i32) -> Error {
    Error::Conflict(format!(
        "{} {id} is at version {current}, not {expected}: reload and try again",
        E::NOUN
    ))
}

/// Row `id` as the client last saw it: `CONFLICT` unless its version is still `expected`.
/// Checks made on what it returns (lifecycle steps, dates in order) hold at the write, whose
/// version condition fails if anyone changed the row in between.
pub async fn as_seen<E: Versioned>(
    db: &impl ConnectionTrait,
    id: Uuid,
    expected: i32,
) -> Result<E::Model> {
    let current = existing::<E>(db, id).await?;
    let version = E::version_of(&current);
    if version != expected {
        return Err(stale::<E>(id, version, expected));
    }
    Ok(current)
}

/// Applies `change` to row `id` if its version is still `expected`, bumping the version and
/// `updated_at`; returns the row as stored afterwards.
pub async fn update_if_current<E: Versioned>(
    db: &impl ConnectionTrait,
    id: Uuid,
    expected: i32,
    mut change: E::ActiveModel,
) -> Result<E::Model>
where
    E::ActiveModel: Send,
{
    change.set(E::updated_at_column(), Utc::now().into());
    // The version condition makes the check and the write one statement: of two writers that
    // read the same version, exactly one changes a row.
    let result = E::update_many()
        .set(change)
        .col_expr(E::version_column(), Expr::col(E::version_column()).add(1))
        .filter(E::id_column().eq(id))
        .filter(E::version_column().eq(expected))
        .exec(db)
        .await?;
    let current = existing::<E>(db, id).await?;
    if result.rows_affected == 0 {
        return Err(stale::<E>(id, E::version_of(&current), expected));
    }
    Ok(current)
}

/// Deletes row `id` if its version is still `expected` (any version when `None`); returns the
/// row as it was.
pub async fn delete_if_current<E: Versioned>(
    db: &impl ConnectionTrait,
    id: Uuid,
    expected: Option<i32>,
) -> Result<E::Model> {
    let current = existing::<E>(db, id).await?;
    let mut delete = E::delete_many().filter(E::id_column().eq(id));
    if let Some(v) = expected {
        delete = delete.filter(E::version_column().eq(v));
    }
    if delete.exec(db).await?.rows_affected == 0 {
        let now = existing::<E>(db, id).await?;
        return Err(stale::<E>(id, E::version_of(&now), expected.unwrap_or(0)));
    }
    Ok(current)
}

/// `later` (the value of `column`) is not before `earlier`, or a refusal about `column`.
pub fn in_order(
    column: impl sea_orm::IdenStatic,
    earlier: chrono::NaiveDate,
    later: chrono::NaiveDate,
    what: &str,
) -> Result<()> {
    if later < earlier {
        return Err(Error::refused(
            column,
            format!("`{{argument}}` ({later}) is before {what} ({earlier})"),
        ));
    }
    Ok(())
}

/// The value of `column`, which a new row needs, or a refusal about it.
pub fn required<T>(column: impl sea_orm::IdenStatic, v: Option<T>) -> Result<T> {
    v.ok_or_else(|| Error::refused(column, "`{argument}` is required"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use haven_entities::membership::Column;

    #[test]
    fn the_same_day_is_in_order_and_an_earlier_one_is_refused_about_its_column() {
        let day = |d| chrono::NaiveDate::from_ymd_opt(2026, 11, d).unwrap_or_default();
        assert!(in_order(Column::LeftOn, day(3), day(3), "joining").is_ok());
        assert!(in_order(Column::LeftOn, day(3), day(4), "joining").is_ok());
        match in_order(Column::LeftOn, day(3), day(2), "joining") {
            Err(Error::Refused { column, message }) => {
                assert_eq!(column, "left_on");
                assert!(message.contains("{argument}"), "{message}");
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            required(Column::Role, None::<u8>),
            Err(Error::Refused { column: "role", .. })
        ));
        assert_eq!(required(Column::Role, Some(1)).ok(), Some(1));
    }
}
