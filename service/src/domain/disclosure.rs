//! Disclosure control for the figures partners read (docs/domain.md, "Figures"; after CBS and
//! Eurostat practice): cells in, published figures out, no database and no GraphQL.
//!
//! - A count under 10 is suppressed (`SMALL_CELL`); published counts are rounded to the
//!   nearest 5.
//! - Hours are suppressed when fewer than 10 distinct volunteers gave them, and rounded to the
//!   nearest 10.
//! - A rate is published only over a denominator of at least 20 whose numerator and rest are
//!   both at least 10 (else `DENOMINATOR`), rounded to 0.05, and only beside its published
//!   base.
//! - Secondary suppression protects every answer a partner (or several together) can get about
//!   a year at once: [`linked`] chooses one pattern for all of them, [`audit`] checks it by
//!   linear programming, [`grid`] lays out the cells.

pub mod audit;
mod beside;
pub mod grid;
pub mod linked;
pub mod worlds;
pub mod years;

/// Why a figure is not published.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Reason {
    /// The cell itself is too small.
    SmallCell,
    /// Suppressed to protect another cell.
    Secondary,
    /// A rate over too small a base.
    Denominator,
}

/// A figure as published: a value, or the reason there is none.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Published {
    pub value: Option<f64>,
    pub reason: Option<Reason>,
}

impl Published {
    pub fn value(v: f64) -> Self {
        Self {
            value: Some(v),
            reason: None,
        }
    }

    pub fn suppressed(reason: Reason) -> Self {
        Self {
            value: None,
            reason: Some(reason),
        }
    }
}

/// Counts under this are small cells; so are suppressed sums under it.
pub const MIN_COUNT: u64 = 10;
/// Hours are published when at least this many volunteers gave them.
pub const MIN_VOLUNTEERS: u64 = 10;
/// A rate needs a denominator of at least this much.
pub const MIN_DENOMINATOR: u64 = 20;

/// Publishes the share `numerator / denominator`, rounded to 0.05.
pub fn rate(numerator: u64, denominator: u64) -> Published {
    let rest = denominator.saturating_sub(numerator);
    if denominator < MIN_DENOMINATOR || numerator < MIN_COUNT || rest < MIN_COUNT {
        return Published::suppressed(Reason::Denominator);
    }
    // Twentieths, rounded half up, in integers: round(20 n / d) = (40 n + d) / 2d.
    let twentieths = (40 * numerator + denominator) / (2 * denominator);
    Published::value(twentieths as f64 / 20.0)
}

/// `v` rounded half up to a multiple of `base`.
pub fn round_to(v: u64, base: u64) -> u64 {
    (v + base / 2) / base * base
}

#[cfg(test)]
mod tests;
