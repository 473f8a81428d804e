//! How people and organisations are reached: e-mail addresses, phone numbers, websites.

use super::text::optional_text;
use crate::error::{Error, Result};

/// An e-mail address, trimmed and in lower case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    /// Parses `value`, reporting problems against the argument `field`.
    pub fn parse(field: &str, value: &str) -> Result<Self> {
        let e = value.trim().to_lowercase();
        let valid = e.len() <= 254
            && e.split_once('@').is_some_and(|(local, domain)| {
                !local.is_empty() && domain.contains('.') && !domain.starts_with('.')
            })
            && !e.contains(char::is_whitespace);
        if !valid {
            return Err(Error::bad_input(field, "not a valid e-mail address"));
        }
        Ok(Self(e))
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

/// A phone number: at least six digits, with spaces and `+ - ( )` only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phone(String);

impl Phone {
    /// Parses `value` (blank is no number), reporting problems against `field`.
    pub fn parse_optional(field: &str, value: Option<String>) -> Result<Option<Self>> {
        let Some(p) = optional_text(field, value, 32)? else {
            return Ok(None);
        };
        let digits = p.chars().filter(char::is_ascii_digit).count();
        if digits < 6 || !p.chars().all(|c| c.is_ascii_digit() || " +-()".contains(c)) {
            return Err(Error::bad_input(
                field,
                "a phone number has digits, spaces and + - ( ) only",
            ));
        }
        Ok(Some(Self(p)))
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

/// A website: an `http(s)://` URL of at most 300 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Website(String);

impl Website {
    /// Parses `value` (blank is no website), reporting problems against `field`.
    pub fn parse_optional(field: &str, value: Option<String>) -> Result<Option<Self>> {
        let Some(url) = optional_text(field, value, 300)? else {
            return Ok(None);
        };
        if !(url.starts_with("https://") || url.starts_with("http://")) {
            return Err(Error::bad_input(
                field,
                "a website starts with https:// or http://",
            ));
        }
        Ok(Some(Self(url)))
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_numbers_and_websites() {
        assert_eq!(
            Email::parse("email", " Anna@Example.ORG ")
                .map(Email::into_string)
                .ok(),
            Some("anna@example.org".to_owned())
        );
        for bad in [
            "anna",
            "@example.org",
            "anna@example",
            "anna@.org",
            "an na@example.org",
        ] {
            assert!(Email::parse("email", bad).is_err(), "{bad}");
        }
        assert!(Phone::parse_optional("phone", Some("+31 (0)20-123 4567".into())).is_ok());
        assert_eq!(
            Phone::parse_optional("phone", Some("  ".into())).ok(),
            Some(None)
        );
        for bad in ["12345", "call me", "+31 20 123 4567 ext"] {
            assert!(
                Phone::parse_optional("phone", Some(bad.into())).is_err(),
                "{bad}"
            );
        }
        assert!(Website::parse_optional("website", Some("https://samenhier.nl".into())).is_ok());
        assert!(Website::parse_optional("website", Some("samenhier.nl".into())).is_err());
    }
}
