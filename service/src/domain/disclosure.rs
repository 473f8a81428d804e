//! Disclosure control for the figures partners read (DOMAIN.md, "Figures"; after CBS and
//! Eurostat practice): cells in, published figures out, no database and no GraphQL.
//!
//! - A count under 10 is suppressed (`SMALL_CELL`); published counts are rounded to the
//!   nearest 5.
//! - Hours are suppressed when fewer than 10 distinct volunteers gave them, and rounded to the
//!   nearest 10.
//! - Secondary suppression, per figure across the cells: while a suppressed value could be
//!   narrowed down from the total and the published cells, the smallest published cell is
//!   suppressed too (`SECONDARY`); when every cell is suppressed and that is still not enough,
//!   the total is.
//! - A rate is published only over a denominator of at least 20 whose numerator and rest are
//!   both at least 10 (else `DENOMINATOR`), rounded to 0.05.
//!
//! **What "narrowed down" means.** An attacker knows the published values (each true value
//! lies within its rounding interval), the reasons (a `SMALL_CELL` count is 0 to 9, a
//! `SECONDARY` count is at least 10) and that the cells add up to the total. From these they
//! can bound each suppressed cell. A figure is protected when every suppressed cell's bounds
//! still span at least as many values as a published cell's rounding does (5 counts, 10
//! hours), when no suppressed cell stands alone beside a published total, and when suppressed
//! counts together hold at least 10. Figures whose cells overlap (a volunteer in two
//! provinces) add up to more than the total, which tells an attacker less: the check assumes
//! the worst case, that they add up exactly.

pub mod audit;
pub mod grid;
pub mod linked;

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

/// An additive figure's rules: its rounding base, what an attacker knows of a cell from its
/// state, and the least a set of suppressed cells must hold together.
#[derive(Debug, Clone, Copy)]
struct Kind {
    base: u64,
    /// Range of a cell suppressed for itself.
    small: (u64, Option<u64>),
    /// Least value of a cell suppressed to protect others.
    secondary_floor: u64,
    /// Least value of a published cell.
    published_floor: u64,
    /// Least sum of the suppressed cells.
    min_sum: u64,
}

const COUNTS: Kind = Kind {
    base: 5,
    small: (0, Some(MIN_COUNT - 1)),
    secondary_floor: MIN_COUNT,
    published_floor: MIN_COUNT,
    min_sum: MIN_COUNT,
};

const HOURS: Kind = Kind {
    base: 10,
    small: (0, None),
    secondary_floor: 0,
    published_floor: 0,
    min_sum: 0,
};

/// Publishes one count figure: `cells` across the grid and the `total`.
pub fn counts(cells: &[u64], total: u64) -> (Vec<Published>, Published) {
    let small: Vec<bool> = cells.iter().map(|&v| v < MIN_COUNT).collect();
    protect(COUNTS, cells, &small, total, total < MIN_COUNT)
}

/// Publishes hours: each cell's `(hours, volunteers who gave them)`, and the total's.
pub fn hours(cells: &[(u64, u64)], total: (u64, u64)) -> (Vec<Published>, Published) {
    let values: Vec<u64> = cells.iter().map(|c| c.0).collect();
    let small: Vec<bool> = cells.iter().map(|c| c.1 < MIN_VOLUNTEERS).collect();
    protect(HOURS, &values, &small, total.0, total.1 < MIN_VOLUNTEERS)
}

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

/// The state of a cell while suppressing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Shown,
    Small,
    Secondary,
}

/// Primary suppression, then secondary suppression until the figure is protected.
fn protect(
    kind: Kind,
    values: &[u64],
    small: &[bool],
    total: u64,
    total_small: bool,
) -> (Vec<Published>, Published) {
    let mut states: Vec<State> = small
        .iter()
        .map(|&s| if s { State::Small } else { State::Shown })
        .collect();
    let mut total_state = if total_small {
        State::Small
    } else {
        State::Shown
    };
    while total_state == State::Shown && !protected(kind, values, &states, total) {
        let smallest = (0..values.len())
            .filter(|&i| states[i] == State::Shown)
            .min_by_key(|&i| (values[i], i));
        match smallest {
            Some(i) => states[i] = State::Secondary,
            None => total_state = State::Secondary,
        }
    }
    let publish = |state: State, v: u64| match state {
        State::Shown => Published::value(round_to(v, kind.base) as f64),
        State::Small => Published::suppressed(Reason::SmallCell),
        State::Secondary => Published::suppressed(Reason::Secondary),
    };
    let cells = states
        .iter()
        .zip(values)
        .map(|(&s, &v)| publish(s, v))
        .collect();
    (cells, publish(total_state, total))
}

/// What an attacker knows of a cell in `state` (published as `round_to(v)`): its least and
/// greatest possible value (`None`: unbounded).
fn known(kind: Kind, state: State, v: u64) -> (i128, Option<i128>) {
    match state {
        State::Shown => {
            let p = i128::from(round_to(v, kind.base));
            let below = i128::from(kind.base / 2);
            let above = i128::from((kind.base - 1) / 2);
            (
                (p - below).max(i128::from(kind.published_floor)),
                Some(p + above),
            )
        }
        State::Small => (i128::from(kind.small.0), kind.small.1.map(i128::from)),
        State::Secondary => (i128::from(kind.secondary_floor), None),
    }
}

/// Whether no suppressed cell can be narrowed down from a published total `total` and the
/// published cells (see the module's documentation).
fn protected(kind: Kind, values: &[u64], states: &[State], total: u64) -> bool {
    let hidden: Vec<usize> = (0..values.len())
        .filter(|&i| states[i] != State::Shown)
        .collect();
    match hidden.len() {
        0 => return true,
        1 => return false,
        _ => {}
    }
    if hidden.iter().map(|&i| values[i]).sum::<u64>() < kind.min_sum {
        return false;
    }
    let (t_lo, t_hi) = known(kind, State::Shown, total);
    let t_hi = t_hi.unwrap_or(i128::MAX / 4);
    // The suppressed cells add up to the total less the published ones.
    let (mut s_lo, mut s_hi) = (t_lo, t_hi);
    for i in (0..values.len()).filter(|&i| states[i] == State::Shown) {
        let (lo, hi) = known(kind, State::Shown, values[i]);
        s_lo -= hi.unwrap_or(0);
        s_hi -= lo;
    }
    let bounds: Vec<(i128, Option<i128>)> = hidden
        .iter()
        .map(|&i| known(kind, states[i], values[i]))
        .collect();
    let floor_sum: i128 = bounds.iter().map(|b| b.0).sum();
    let unbounded = bounds.iter().filter(|b| b.1.is_none()).count();
    let ceiling_sum: i128 = bounds.iter().filter_map(|b| b.1).sum();
    bounds.iter().all(|&(lo, hi)| {
        // The others' least and greatest sum, without this cell.
        let others_lo = floor_sum - lo;
        let others_hi = match hi {
            Some(h) if unbounded == 0 => Some(ceiling_sum - h),
            None if unbounded == 1 => Some(ceiling_sum),
            _ => None,
        };
        let least = match others_hi {
            Some(o) => lo.max(s_lo - o),
            None => lo,
        };
        let most = match hi {
            Some(h) => h.min(s_hi - others_lo),
            None => s_hi - others_lo,
        };
        most - least + 1 >= i128::from(kind.base)
    })
}

#[cfg(test)]
mod tests;
