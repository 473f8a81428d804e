//! Free text and days: bounded, printable, not in the future, in order.

use crate::error::{Error, Result};
use chrono::{NaiveDate, Utc};

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

/// A list of at most `max_items` texts of 1 to `max_chars` characters each (skills).
pub fn text_list(
    field: &str,
    values: Vec<String>,
    max_items: usize,
    max_chars: usize,
) -> Result<Vec<String>> {
    if values.len() > max_items {
        return Err(Error::bad_input(
            field,
            format!("at most {max_items} {field}"),
        ));
    }
    values.iter().map(|s| text(field, s, max_chars)).collect()
}

/// A day that is not in the future. "Today" is the client's: the server knows only the UTC
/// date, and east of UTC (the Netherlands: UTC+1/+2) the local day starts earlier, so a day
/// counts as future only once it is after tomorrow in UTC.
pub fn not_future(field: &str, day: NaiveDate) -> Result<NaiveDate> {
    not_after(field, day, Utc::now().date_naive())
}

fn not_after(field: &str, day: NaiveDate, today_utc: NaiveDate) -> Result<NaiveDate> {
    if Some(day) > today_utc.succ_opt() {
        return Err(Error::bad_input(
            field,
            format!("`{field}` cannot be in the future"),
        ));
    }
    Ok(day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_trimmed_bounded_and_free_of_control_characters() {
        let code = |r: Result<String>| r.map_err(|e| e.code().as_str());
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
    fn the_local_day_of_clients_east_of_utc_is_not_the_future() {
        let day = |d| NaiveDate::from_ymd_opt(2026, 11, d).unwrap_or_default();
        let today = day(28);
        // 00:30 in Amsterdam is still the 28th in UTC, but the 29th for the volunteer.
        assert!(not_after("date", day(29), today).is_ok());
        assert!(not_after("date", day(28), today).is_ok());
        let refused = not_after("date", day(30), today).map_err(|e| e.code().as_str());
        assert_eq!(refused, Err("BAD_USER_INPUT"));
    }
}
