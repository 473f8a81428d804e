//! Short codes: network slugs, country and language codes.

use crate::error::{Error, Result};

/// A network's slug: 2 to 64 lowercase letters, digits and inner hyphens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slug(String);

impl Slug {
    /// Parses `value`, reporting problems against `field`.
    pub fn parse(field: &str, value: &str) -> Result<Self> {
        let s = value.trim();
        let ok = (2..=64).contains(&s.len())
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !s.starts_with('-')
            && !s.ends_with('-');
        if !ok {
            return Err(Error::bad_input(
                field,
                "a slug has 2 to 64 lowercase letters, digits and inner hyphens",
            ));
        }
        Ok(Self(s.to_owned()))
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

/// An ISO 3166-1 alpha-2 country code, in upper case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountryCode(String);

impl CountryCode {
    /// Parses `value`, reporting problems against `field`.
    pub fn parse(field: &str, value: &str) -> Result<Self> {
        let c = value.trim().to_ascii_uppercase();
        if c.len() != 2 || !c.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(Error::bad_input(
                field,
                "a country code is two letters (ISO 3166-1 alpha-2)",
            ));
        }
        Ok(Self(c))
    }

    /// The Netherlands, where networks are unless they say otherwise.
    pub fn netherlands() -> Self {
        Self("NL".to_owned())
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

/// Most languages one person or household is recorded with.
pub const MAX_LANGUAGES: usize = 20;

/// An ISO 639-1 language code, in lower case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LanguageCode(String);

impl LanguageCode {
    /// Parses `value`, reporting problems against `field`.
    pub fn parse(field: &str, value: &str) -> Result<Self> {
        let c = value.trim().to_ascii_lowercase();
        if c.len() != 2 || !c.bytes().all(|b| b.is_ascii_lowercase()) {
            return Err(Error::bad_input(
                field,
                format!("`{c}` is not a two-letter ISO 639-1 language code"),
            ));
        }
        Ok(Self(c))
    }

    /// Parses a list: each code once, at most [`MAX_LANGUAGES`].
    pub fn parse_list(field: &str, codes: Vec<String>) -> Result<Vec<String>> {
        let mut out: Vec<String> = Vec::with_capacity(codes.len());
        for c in codes {
            let LanguageCode(c) = Self::parse(field, &c)?;
            if !out.contains(&c) {
                out.push(c);
            }
        }
        if out.len() > MAX_LANGUAGES {
            return Err(Error::bad_input(
                field,
                format!("at most {MAX_LANGUAGES} languages"),
            ));
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_countries_and_languages() {
        assert!(Slug::parse("slug", "samen-hier").is_ok());
        for bad in ["s", "-samen", "samen-", "Samen", "samen hier"] {
            assert!(Slug::parse("slug", bad).is_err(), "{bad}");
        }
        assert_eq!(
            CountryCode::parse("c", "nl")
                .map(CountryCode::into_string)
                .ok(),
            Some("NL".into())
        );
        assert!(CountryCode::parse("c", "NLD").is_err());
        let list = |n: usize| {
            (0..n)
                .map(|i| {
                    format!(
                        "{}{}",
                        (b'a' + (i / 26) as u8) as char,
                        (b'a' + (i % 26) as u8) as char
                    )
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(
            LanguageCode::parse_list("l", list(20))
                .map(|l| l.len())
                .ok(),
            Some(20),
            "20 is allowed"
        );
        assert!(
            LanguageCode::parse_list("l", list(21)).is_err(),
            "21 is not"
        );
        assert_eq!(
            LanguageCode::parse_list("l", vec!["NL".into(), "nl".into()]).ok(),
            Some(vec!["nl".to_owned()]),
            "each once"
        );
        assert!(LanguageCode::parse_list("l", vec!["dut".into()]).is_err());
    }
}
