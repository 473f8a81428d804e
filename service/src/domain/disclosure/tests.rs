//! Disclosure control's rates: worked examples and a property. (The linked suppression of
//! counts and hours is tested by an attacker in `db::figures::linked`.)

use super::*;
use proptest::prelude::*;

#[test]
fn rates_need_a_sufficient_denominator() {
    assert_eq!(rate(10, 20).value, Some(0.5));
    assert_eq!(rate(13, 40).value, Some(0.35));
    assert_eq!(rate(9, 40).reason, Some(Reason::Denominator));
    assert_eq!(rate(31, 40).reason, Some(Reason::Denominator));
    assert_eq!(rate(10, 19).reason, Some(Reason::Denominator));
}

proptest! {
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
