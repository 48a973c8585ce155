//! Printed precision: a figure a form prints stands for every value that rounds to it.
//!
//! `86%` is any rate in [85.5%, 86.5%], `2.16` any score in [2.155, 2.165], `9` any score in
//! [8.5, 9.5]. Arithmetic checks compare within half a unit of the last printed digit, taken
//! from each figure's own decimal scale (never a fixed epsilon):
//!
//! - a single stated figure against one computed from exact inputs (执行率 = 执行数 ÷ 预算数):
//!   within half a unit of the stated figure's last digit;
//! - a stated figure against one computed from other stated figures (得分 = 分值 × 执行率):
//!   the two ranges overlap, each stated input taken as its range;
//! - a stated total against the sum of its stated parts: the column is printed at its finest
//!   digit (191 stands for 191.00 beside 372.88), and the total and the parts may each be
//!   rounded by half a unit there, so they agree within one unit of that digit: 1020.03
//!   against 1020.02 agrees, 662.88 against 662.98 does not.
//!
//! Nothing here rounds: the ranges are exact decimals.

use rust_decimal::Decimal;

/// Half a unit of the last digit at `scale` decimals: 0.5 at 0, 0.005 at 2.
pub(crate) fn half_unit_at(scale: u32) -> Decimal {
    Decimal::try_new(5, scale.min(27) + 1).unwrap_or(Decimal::ZERO)
}

/// Half a unit of the last digit `value` is printed with: 0.5 for `96`, 0.005 for `2.16`.
pub(crate) fn half_unit(value: Decimal) -> Decimal {
    half_unit_at(value.scale())
}

/// A closed range of values: what a printed figure stands for, or what follows from such.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Span {
    /// Lower end.
    pub lo: Decimal,
    /// Upper end.
    pub hi: Decimal,
}

impl Span {
    /// Exactly `value`.
    pub fn exact(value: Decimal) -> Span {
        Span {
            lo: value,
            hi: value,
        }
    }

    /// What a printed `value` stands for: ± half a unit of its last digit.
    pub fn printed(value: Decimal) -> Span {
        Span::around(value, half_unit(value))
    }

    /// `value` ± `tolerance`.
    pub fn around(value: Decimal, tolerance: Decimal) -> Span {
        Span {
            lo: value - tolerance,
            hi: value + tolerance,
        }
    }

    /// The range times a factor that is not negative; `None` on overflow.
    pub fn times(self, factor: Decimal) -> Option<Span> {
        Some(Span {
            lo: self.lo.checked_mul(factor)?,
            hi: self.hi.checked_mul(factor)?,
        })
    }

    /// The range with both ends capped at `cap`.
    pub fn capped(self, cap: Decimal) -> Span {
        Span {
            lo: self.lo.min(cap),
            hi: self.hi.min(cap),
        }
    }

    /// True when the two ranges share a value (ends included).
    pub fn meets(self, other: Span) -> bool {
        self.lo <= other.hi && other.lo <= self.hi
    }
}

/// True when `computed` (exact) rounds to `stated` at the precision `stated` is printed
/// with, ends included: 59.58 agrees with a stated 60, 5.96 with 6, 8.62 with 9.
pub(crate) fn agrees(stated: Decimal, computed: Decimal) -> bool {
    (stated - computed).abs() <= half_unit(stated)
}

/// True when a stated `total` agrees with the sum of its stated `parts`: within one unit of
/// the finest digit printed among them. `None` when the sum overflows.
pub(crate) fn sum_agrees(total: Decimal, parts: &[Decimal]) -> Option<bool> {
    let sum = parts
        .iter()
        .try_fold(Decimal::ZERO, |acc, p| acc.checked_add(*p))?;
    Some((total - sum).abs() <= sum_tolerance(total, parts))
}

/// The tolerance of [`sum_agrees`]: the column is printed at its finest digit (191 stands
/// for 191.00 beside 372.88), and total and parts may each be rounded by half a unit there.
pub(crate) fn sum_tolerance(total: Decimal, parts: &[Decimal]) -> Decimal {
    let finest = parts
        .iter()
        .map(Decimal::scale)
        .fold(total.scale(), u32::max);
    half_unit_at(finest) + half_unit_at(finest)
}

/// A rate printed as a fraction (`0.958`, `1`) read as percent where the column is a rate:
/// 0.958 → 95.8% at one decimal, a whole 1 (or 0) → 100% (0%) at whole percent. `None` for
/// a value that cannot be a fraction (above 1 or negative).
pub(crate) fn fraction_as_percent(stated: Decimal) -> Option<Span> {
    if stated > Decimal::ONE || stated.is_sign_negative() {
        return None;
    }
    let percent = stated.checked_mul(Decimal::ONE_HUNDRED)?;
    Some(Span::around(
        percent,
        half_unit_at(stated.scale().saturating_sub(2)),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::from_str_exact(s).unwrap()
    }

    #[test]
    fn rounding_to_the_printed_digit_agrees() {
        assert!(agrees(d("60"), d("59.58")));
        assert!(agrees(d("6"), d("5.96")));
        assert!(agrees(d("9"), d("8.62")));
        assert!(agrees(d("86"), d("86.2")));
        assert!(agrees(d("84.3"), d("84.3049")));
        assert!(!agrees(d("31.00"), d("31.08")));
        assert!(!agrees(d("2.16"), d("2.154")));
        assert!(!agrees(d("8.5"), d("8.43")));
    }

    #[test]
    fn a_score_from_a_printed_rate_is_a_range() {
        // 20 × 10.77% printed as 2.16: 10.77% stands for [10.765%, 10.775%] → [2.153, 2.155].
        let rate = Span::printed(d("10.77")).times(d("0.2")).unwrap();
        assert!(rate.meets(Span::printed(d("2.16"))));
        assert!(!rate.meets(Span::printed(d("2.17"))));
    }

    #[test]
    fn sums_agree_within_the_rounding_of_total_and_parts() {
        assert_eq!(
            sum_agrees(d("331.61"), &[d("292.83"), d("38.78")]),
            Some(true)
        );
        let items = [d("1000.00"), d("20.03")];
        assert_eq!(sum_agrees(d("1020.02"), &items), Some(true));
        // 191 is 191.00 in a column printed to cents.
        let parts = [d("191"), d("99"), d("372.88")];
        assert_eq!(sum_agrees(d("662.98"), &parts), Some(false));
        assert_eq!(sum_agrees(d("100"), &[d("90"), d("20")]), Some(false));
        assert_eq!(sum_agrees(d("96"), &[d("86"), d("10")]), Some(true));
        assert_eq!(sum_agrees(d("96"), &[d("86"), d("12")]), Some(false));
    }

    #[test]
    fn fraction_rates_read_as_percent() {
        let exact = |s: &str| Span::exact(d(s));
        assert!(
            fraction_as_percent(d("0.958"))
                .unwrap()
                .meets(exact("95.83"))
        );
        assert!(
            !fraction_as_percent(d("0.958"))
                .unwrap()
                .meets(exact("95.9"))
        );
        assert!(fraction_as_percent(d("1")).unwrap().meets(exact("100")));
        // A whole 1 is 100% at whole percent, not anything from 50% to 150%.
        assert!(!fraction_as_percent(d("1")).unwrap().meets(exact("97")));
        assert_eq!(fraction_as_percent(d("86")), None);
    }
}
