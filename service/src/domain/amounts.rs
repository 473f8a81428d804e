//! Numbers with a meaning: time given, household sizes, amounts that cannot be negative.

use crate::error::{Error, Result};

/// Time given, in whole minutes: more than 0 hours and at most 24 (no one gives more in a day).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Minutes(i32);

impl Minutes {
    /// Minutes in a day.
    pub const DAY: i64 = 24 * 60;

    /// Parses a number of hours, reporting problems against `field`.
    pub fn from_hours(field: &str, hours: f64) -> Result<Self> {
        if !hours.is_finite() || hours <= 0.0 || hours > 24.0 {
            return Err(Error::bad_input(
                field,
                "hours are more than 0 and at most 24",
            ));
        }
        Ok(Self(((hours * 60.0).round() as i32).max(1)))
    }

    pub fn get(self) -> i32 {
        self.0
    }
}

/// The number of people in a household: 1 to 20.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HouseholdSize(i32);

impl HouseholdSize {
    /// Parses `n`, reporting problems against `field`.
    pub fn parse(field: &str, n: i32) -> Result<Self> {
        if !(1..=20).contains(&n) {
            return Err(Error::bad_input(field, "a household has 1 to 20 people"));
        }
        Ok(Self(n))
    }

    pub fn get(self) -> i32 {
        self.0
    }
}

/// `v` unless it is negative (an amount, a number of hours or places pledged).
pub fn non_negative<T: PartialOrd + Default + Copy>(
    field: &str,
    v: Option<T>,
) -> Result<Option<T>> {
    match v {
        Some(x) if x < T::default() => Err(Error::bad_input(
            field,
            format!("`{field}` is not negative"),
        )),
        other => Ok(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hours_sizes_and_amounts() {
        let minutes = |h| Minutes::from_hours("hours", h).map(Minutes::get).ok();
        assert_eq!(minutes(1.5), Some(90));
        assert_eq!(minutes(24.0), Some(1440), "a whole day is allowed");
        assert_eq!(minutes(0.001), Some(1), "some time is at least a minute");
        for bad in [0.0, -1.0, 24.01, f64::NAN, f64::INFINITY] {
            assert_eq!(minutes(bad), None, "{bad}");
        }
        assert!(HouseholdSize::parse("s", 1).is_ok() && HouseholdSize::parse("s", 20).is_ok());
        assert!(HouseholdSize::parse("s", 0).is_err() && HouseholdSize::parse("s", 21).is_err());
        assert_eq!(non_negative("v", Some(0)).ok(), Some(Some(0)));
        assert!(non_negative("v", Some(-1)).is_err());
    }
}
