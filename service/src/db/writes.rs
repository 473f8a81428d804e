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

/// A trimmed text of 1 to `max` characters without control characters other than line
/// breaks and tabs (PostgreSQL cannot store NUL at all), or `BAD_USER_INPUT` about `field`.
pub fn text(field: &str, value: &str, max: usize) -> Result<String> {
    let value = value.trim();
    if value.is_empty() || value.chars().count() > max {
        return Err(Error::bad_input(
            field,
            format!("`{field}` needs 1 to {max} characters"),
        ));
    }
    if value
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(Error::bad_input(
            field,
            format!("`{field}` contains control characters"),
        ));
    }
    Ok(value.to_owned())
}

/// Optional text: blank becomes `None`, otherwise as [`text`].
pub fn optional_text(field: &str, value: Option<String>, max: usize) -> Result<Option<String>> {
    match value.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => text(field, v, max).map(Some),
    }
}

/// A day that is not in the future. "Today" is the client's: the server knows only the UTC
/// date, and east of UTC (the Netherlands: UTC+1/+2) the local day starts earlier, so a day
/// counts as future only once it is after tomorrow in UTC.
pub fn not_future(field: &str, day: chrono::NaiveDate) -> Result<chrono::NaiveDate> {
    not_after(field, day, Utc::now().date_naive())
}

fn not_after(
    field: &str,
    day: chrono::NaiveDate,
    today_utc: chrono::NaiveDate,
) -> Result<chrono::NaiveDate> {
    if Some(day) > today_utc.succ_opt() {
        return Err(Error::bad_input(
            field,
            format!("`{field}` cannot be in the future"),
        ));
    }
    Ok(day)
}

/// `later` is not before `earlier`.
pub fn in_order(
    field: &str,
    earlier: chrono::NaiveDate,
    later: chrono::NaiveDate,
    what: &str,
) -> Result<()> {
    if later < earlier {
        return Err(Error::bad_input(
            field,
            format!("`{field}` ({later}) is before {what} ({earlier})"),
        ));
    }
    Ok(())
}

/// ISO 639-1 language codes: two lowercase letters each, at most 20, no duplicates.
pub fn languages(field: &str, codes: Vec<String>) -> Result<Vec<String>> {
    let mut out: Vec<String> = Vec::with_capacity(codes.len());
    for c in codes {
        let c = c.trim().to_ascii_lowercase();
        if c.len() != 2 || !c.bytes().all(|b| b.is_ascii_lowercase()) {
            return Err(Error::bad_input(
                field,
                format!("`{c}` is not a two-letter ISO 639-1 language code"),
            ));
        }
        if !out.contains(&c) {
            out.push(c);
        }
    }
    if out.len() > 20 {
        return Err(Error::bad_input(field, "at most 20 languages"));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_trimmed_bounded_and_free_of_control_characters() {
        let code = |r: Result<String>| r.map_err(|e| e.code());
        assert_eq!(code(text("name", "  Café  ", 5)), Ok("Café".to_owned()));
        assert_eq!(
            code(text("name", "Cafés", 5)),
            Ok("Cafés".to_owned()),
            "max is allowed"
        );
        assert_eq!(
            code(text("name", "Caféss", 5)),
            Err("BAD_USER_INPUT"),
            "max + 1 is not"
        );
        assert_eq!(code(text("name", "   ", 5)), Err("BAD_USER_INPUT"), "blank");
        assert_eq!(code(text("note", "a\nb\tc", 9)), Ok("a\nb\tc".to_owned()));
        assert_eq!(
            code(text("note", "a\u{7}b", 9)),
            Err("BAD_USER_INPUT"),
            "a bell"
        );
    }

    #[test]
    fn the_same_day_is_in_order() {
        let day = |d| chrono::NaiveDate::from_ymd_opt(2026, 11, d).unwrap_or_default();
        assert!(in_order("endedOn", day(3), day(3), "the start").is_ok());
        assert!(in_order("endedOn", day(3), day(4), "the start").is_ok());
        let refused = in_order("endedOn", day(3), day(2), "the start").map_err(|e| e.code());
        assert_eq!(refused, Err("BAD_USER_INPUT"));
    }

    #[test]
    fn the_local_day_of_clients_east_of_utc_is_not_the_future() {
        let day = |d| chrono::NaiveDate::from_ymd_opt(2026, 11, d).unwrap_or_default();
        let today = day(28);
        // 00:30 in Amsterdam is still the 28th in UTC, but the 29th for the volunteer.
        assert!(not_after("date", day(29), today).is_ok());
        assert!(not_after("date", day(28), today).is_ok());
        let refused = not_after("date", day(30), today).map_err(|e| e.code());
        assert_eq!(refused, Err("BAD_USER_INPUT"));
    }
}
