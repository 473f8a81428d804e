//! Disclosure control: worked examples, and properties over random grids checked by an
//! attacker who reasons from the published figures alone.

use super::*;
use proptest::prelude::*;

/// A published figure's value as an integer (counts and hours are whole).
fn whole(p: &Published) -> Option<u64> {
    p.value.map(|v| v as u64)
}

#[test]
fn small_cells_are_suppressed_and_the_rest_rounded_to_five() {
    let (cells, total) = counts(&[12, 13, 40, 0, 3, 7], 75);
    let shown: Vec<Option<u64>> = cells.iter().map(whole).collect();
    // 3 and 7 hold 10 together, as do 0, 3 and 7; neither leaves a suppressed cell within a
    // range narrower than 5 values, so nothing else is suppressed.
    assert_eq!(shown, [Some(10), Some(15), Some(40), None, None, None]);
    assert!(
        cells[3..]
            .iter()
            .all(|c| c.reason == Some(Reason::SmallCell))
    );
    assert_eq!(whole(&total), Some(75));
}

#[test]
fn a_lone_small_cell_takes_the_smallest_published_one_with_it() {
    let (cells, total) = counts(&[30, 12, 4, 50], 96);
    let reasons: Vec<Option<Reason>> = cells.iter().map(|c| c.reason).collect();
    assert_eq!(
        reasons,
        [None, Some(Reason::Secondary), Some(Reason::SmallCell), None]
    );
    assert_eq!(whole(&total), Some(95));
}

#[test]
fn a_total_under_ten_is_suppressed_with_its_cells() {
    let (cells, total) = counts(&[4, 5], 9);
    assert!(cells.iter().all(|c| c.reason == Some(Reason::SmallCell)));
    assert_eq!(total.reason, Some(Reason::SmallCell));
}

#[test]
fn hours_need_ten_volunteers_and_are_rounded_to_ten() {
    let (cells, total) = hours(&[(124, 12), (35, 4), (18, 2), (300, 30)], (477, 48));
    let shown: Vec<Option<u64>> = cells.iter().map(whole).collect();
    assert_eq!(shown, [Some(120), None, None, Some(300)]);
    assert_eq!(whole(&total), Some(480));
}

#[test]
fn rates_need_a_sufficient_denominator() {
    assert_eq!(rate(10, 20).value, Some(0.5));
    assert_eq!(rate(13, 40).value, Some(0.35));
    assert_eq!(rate(9, 40).reason, Some(Reason::Denominator));
    assert_eq!(rate(31, 40).reason, Some(Reason::Denominator));
    assert_eq!(rate(10, 19).reason, Some(Reason::Denominator));
}

/// What an attacker knows of one cell: its least and greatest possible value.
type Range = (i64, Option<i64>);

/// The attacker's knowledge of published counts: a published value `p` was rounded from
/// `p-2..=p+2` and is at least 10; a small cell holds 0 to 9; a secondary one at least 10.
fn count_knowledge(p: &Published) -> Range {
    match (whole(p), p.reason) {
        (Some(v), _) => ((v as i64 - 2).max(10), Some(v as i64 + 2)),
        (None, Some(Reason::SmallCell)) => (0, Some(9)),
        _ => (10, None),
    }
}

/// Published hours `p` were rounded from `p-5..=p+4`; suppressed hours may be anything.
fn hours_knowledge(p: &Published) -> Range {
    match whole(p) {
        Some(v) => ((v as i64 - 5).max(0), Some(v as i64 + 4)),
        None => (0, None),
    }
}

/// How many values cell `j` may hold, given every cell's range and that the cells add up to
/// the total's range: each candidate is tried in turn (up to `enough`).
fn candidates(ranges: &[Range], total: Range, j: usize, enough: i64) -> i64 {
    let (lo, hi) = ranges[j];
    let others_lo: i64 = (0..ranges.len())
        .filter(|&k| k != j)
        .map(|k| ranges[k].0)
        .sum();
    let others_hi: Option<i64> = (0..ranges.len())
        .filter(|&k| k != j)
        .map(|k| ranges[k].1)
        .sum();
    let mut found = 0;
    let mut x = lo;
    while found < enough && hi.is_none_or(|h| x <= h) {
        // Some values of the others bring the sum within the total's range.
        let sum_lo = others_lo + x;
        let fits_below = total.1.is_none_or(|t| sum_lo <= t);
        let fits_above = others_hi.is_none_or(|o| o + x >= total.0);
        if fits_below && fits_above {
            found += 1;
        } else if !fits_below {
            break;
        }
        x += 1;
    }
    found
}

/// Checks a published additive figure against the rules, as an attacker would see it.
fn check_figure(
    values: &[u64],
    total: u64,
    cells: &[Published],
    published_total: &Published,
    knowledge: fn(&Published) -> Range,
    base: i64,
) -> Result<(), TestCaseError> {
    let ranges: Vec<Range> = cells.iter().map(knowledge).collect();
    for (r, &v) in ranges.iter().zip(values) {
        let v = v as i64;
        prop_assert!(r.0 <= v && r.1.is_none_or(|h| v <= h), "{v} outside {r:?}");
    }
    if published_total.value.is_none() {
        return Ok(());
    }
    let t = knowledge(published_total);
    prop_assert!(t.0 <= total as i64 && t.1.is_none_or(|h| total as i64 <= h));
    let hidden: Vec<usize> = (0..cells.len())
        .filter(|&i| cells[i].value.is_none())
        .collect();
    prop_assert!(
        hidden.len() != 1,
        "a lone suppressed cell beside a published total"
    );
    for &j in &hidden {
        let n = candidates(&ranges, t, j, base);
        prop_assert!(n >= base, "cell {j} narrowed to {n} values: {cells:?}");
    }
    Ok(())
}

/// Grids of 1 to 12 cells, many of them small.
fn grid() -> impl Strategy<Value = Vec<u64>> {
    prop::collection::vec(prop_oneof![0u64..10, 0u64..40, 0u64..400], 1..13)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(10_000))]

    #[test]
    fn published_counts_protect_every_suppressed_cell(values in grid()) {
        let total: u64 = values.iter().sum();
        let (cells, published_total) = counts(&values, total);
        for c in cells.iter().chain([&published_total]) {
            if let Some(v) = whole(c) {
                prop_assert!(v % 5 == 0 && v >= 10, "published {v}");
            } else {
                prop_assert!(c.reason.is_some());
            }
        }
        for (c, &v) in cells.iter().zip(&values) {
            if v < 10 {
                prop_assert_eq!(c.reason, Some(Reason::SmallCell));
            }
        }
        let hidden: u64 = values
            .iter()
            .zip(&cells)
            .filter(|(_, c)| c.value.is_none())
            .map(|(v, _)| v)
            .sum();
        if published_total.value.is_some() && hidden > 0 {
            prop_assert!(hidden >= 10, "suppressed cells hold only {hidden}");
        }
        check_figure(&values, total, &cells, &published_total, count_knowledge, 5)?;
    }

    #[test]
    fn published_hours_protect_every_suppressed_cell(
        cells in prop::collection::vec((0u64..600, 0u64..30), 1..13)
    ) {
        let total = (cells.iter().map(|c| c.0).sum(), cells.iter().map(|c| c.1).sum());
        let (published, published_total) = hours(&cells, total);
        for (p, c) in published.iter().zip(&cells) {
            if let Some(v) = whole(p) {
                prop_assert!(v % 10 == 0 && c.1 >= 10);
            }
        }
        let values: Vec<u64> = cells.iter().map(|c| c.0).collect();
        check_figure(&values, total.0, &published, &published_total, hours_knowledge, 10)?;
    }

    #[test]
    fn rates_are_published_only_over_sufficient_bases(n in 0u64..200, extra in 0u64..200) {
        let d = n + extra;
        let p = rate(n, d);
        match p.value {
            Some(v) => {
                prop_assert!(d >= 20 && n >= 10 && d - n >= 10);
                prop_assert!(((v * 20.0).round() - v * 20.0).abs() < 1e-9);
                prop_assert!((v - n as f64 / d as f64).abs() <= 0.025 + 1e-9);
            }
            None => prop_assert_eq!(p.reason, Some(Reason::Denominator)),
        }
    }
}

/// Every grid of up to four cells over values around the thresholds, where the edge cases
/// (published tens, sums just at ten) are dense; random grids rarely hit them.
#[test]
fn every_small_grid_near_the_thresholds_is_protected() {
    const VALUES: [u64; 12] = [0, 1, 3, 5, 8, 9, 10, 11, 12, 13, 17, 30];
    let mut grids: Vec<Vec<u64>> = vec![vec![]];
    for _ in 0..4 {
        grids = grids
            .into_iter()
            .flat_map(|g| {
                VALUES.iter().map(move |&v| {
                    let mut g = g.clone();
                    g.push(v);
                    g
                })
            })
            .collect();
        for values in &grids {
            let total: u64 = values.iter().sum();
            let (cells, published_total) = counts(values, total);
            let checked = check_figure(values, total, &cells, &published_total, count_knowledge, 5);
            assert!(checked.is_ok(), "{values:?}: {checked:?}");
        }
    }
}
