//! Values that parse once at the GraphQL boundary and cannot travel invalid: CBS municipality
//! codes and KvK numbers here, and in the submodules e-mail addresses, phone numbers,
//! websites, slugs, country and language codes, hours, household sizes, text and days. Each
//! parser takes the name of the argument the client sent, so that errors name it; the data
//! layer takes the parsed values.

pub mod amounts;
pub mod codes;
pub mod contact;
pub mod disclosure;
pub mod text;

pub use amounts::{HouseholdSize, Minutes, non_negative};
pub use codes::{CountryCode, LanguageCode, Slug};
pub use contact::{Email, Phone, Website};
pub use text::{not_future, optional_text, text, text_list};

use crate::error::{Error, Result};
use std::fmt;

/// A CBS municipality code: `GM` and four digits (`GM0363`). Lower case input is accepted.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CbsCode(String);

impl CbsCode {
    /// Parses `s`, reporting problems against the argument `field`.
    pub fn parse(field: &str, s: &str) -> Result<Self> {
        let code = s.trim().to_uppercase();
        let digits = code.strip_prefix("GM").unwrap_or("");
        if digits.len() == 4 && digits.bytes().all(|b| b.is_ascii_digit()) {
            Ok(Self(code))
        } else {
            Err(Error::bad_input(
                field,
                format!("`{s}` is not a CBS municipality code (GM and four digits)"),
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A Chamber of Commerce (KvK) number: eight digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct KvkNumber(String);

impl KvkNumber {
    /// Parses `s`, reporting problems against the argument `field`.
    pub fn parse(field: &str, s: &str) -> Result<Self> {
        let n = s.trim();
        if n.len() == 8 && n.bytes().all(|b| b.is_ascii_digit()) {
            Ok(Self(n.to_owned()))
        } else {
            Err(Error::bad_input(
                field,
                format!("`{s}` is not a KvK number (eight digits)"),
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CbsCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Display for KvkNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Longest search text (`nameContains`): longer than any name haven stores.
pub const MAX_SEARCH_CHARS: usize = 100;

/// A search text for `nameContains` filters: at most [`MAX_SEARCH_CHARS`] characters, so that
/// the pattern built from it stays cheap on every backend, and without control characters
/// (PostgreSQL refuses NUL in text). Empty means no filter.
pub fn search_text(field: &str, s: Option<String>) -> Result<Option<String>> {
    match s {
        Some(s) if s.chars().count() > MAX_SEARCH_CHARS => Err(Error::bad_input(
            field,
            format!("`{field}` is longer than {MAX_SEARCH_CHARS} characters"),
        )),
        Some(s) if s.chars().any(char::is_control) => Err(Error::bad_input(
            field,
            format!("`{field}` contains control characters"),
        )),
        Some(s) if s.is_empty() => Ok(None),
        other => Ok(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cbs_codes() {
        assert_eq!(
            CbsCode::parse("c", "gm0363")
                .map(|c| c.to_string())
                .ok()
                .as_deref(),
            Some("GM0363")
        );
        for bad in ["GM363", "GM03630", "PV27", "GMabcd", ""] {
            assert!(CbsCode::parse("c", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn kvk_numbers() {
        assert!(KvkNumber::parse("k", "90000000").is_ok());
        for bad in ["9000000", "900000000", "9000000a", ""] {
            assert!(KvkNumber::parse("k", bad).is_err(), "{bad}");
        }
    }
}
