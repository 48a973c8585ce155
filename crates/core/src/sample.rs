//! Drawing a sample for 抽评 (the bureau's spot checks of self-evaluations): a given share of
//! the candidates, at random but reproducibly from a recorded seed, optionally stratified by
//! department (the share drawn within each). Integer arithmetic only: the same seed and
//! candidates give the same sample on every machine.

use rust_decimal::Decimal;

/// A candidate: an id and the stratum it belongs to (its 主管部门).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate<'a> {
    /// The form.
    pub id: i64,
    /// Its stratum.
    pub stratum: &'a str,
}

/// How many of `n` a share of `percent` is: rounded up, at least one of a non-empty set, at
/// most all.
pub fn share(n: usize, percent: Decimal) -> usize {
    if n == 0 || percent <= Decimal::ZERO {
        return 0;
    }
    let wanted = (Decimal::from(n) * percent / Decimal::from(100)).ceil();
    usize::try_from(wanted.mantissa() / 10i128.pow(wanted.scale()))
        .unwrap_or(n)
        .clamp(1, n)
}

/// The sample: `percent` of `candidates` (of each stratum's, when `stratified`), drawn with
/// `seed`; ids in ascending order. Candidates are put in id order first, so the order they
/// come in does not change the draw.
pub fn draw(
    candidates: &[Candidate<'_>],
    percent: Decimal,
    seed: u64,
    stratified: bool,
) -> Vec<i64> {
    let mut all: Vec<&Candidate<'_>> = candidates.iter().collect();
    all.sort_by_key(|c| c.id);
    all.dedup_by_key(|c| c.id);
    let mut rng = SplitMix64(seed);
    let mut out = Vec::new();
    if stratified {
        let mut strata: Vec<&str> = all.iter().map(|c| c.stratum).collect();
        strata.sort_unstable();
        strata.dedup();
        for stratum in strata {
            let ids: Vec<i64> = all
                .iter()
                .filter(|c| c.stratum == stratum)
                .map(|c| c.id)
                .collect();
            out.extend(pick(&ids, share(ids.len(), percent), &mut rng));
        }
    } else {
        let ids: Vec<i64> = all.iter().map(|c| c.id).collect();
        out.extend(pick(&ids, share(ids.len(), percent), &mut rng));
    }
    out.sort_unstable();
    out
}

/// `k` of `ids` by a partial Fisher–Yates shuffle.
fn pick(ids: &[i64], k: usize, rng: &mut SplitMix64) -> Vec<i64> {
    let mut ids = ids.to_vec();
    for i in 0..k.min(ids.len()) {
        let span = (ids.len() - i) as u64;
        let j = i + usize::try_from(rng.below(span)).unwrap_or(0);
        ids.swap(i, j);
    }
    ids.truncate(k);
    ids
}

/// SplitMix64: small, fast and fully specified, so a recorded seed draws the same sample
/// wherever it is replayed.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number below `n` (n > 0), without modulo bias.
    fn below(&mut self, n: u64) -> u64 {
        let zone = u64::MAX - u64::MAX % n;
        loop {
            let x = self.next();
            if x < zone {
                return x % n;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn candidates() -> Vec<Candidate<'static>> {
        (1..=40)
            .map(|id| Candidate {
                id,
                stratum: if id <= 30 { "人社局" } else { "教育局" },
            })
            .collect()
    }

    #[test]
    fn a_seed_draws_the_same_sample_every_time() {
        let c = candidates();
        let a = draw(&c, Decimal::from(20), 42, false);
        assert_eq!(a.len(), 8);
        assert_eq!(a, draw(&c, Decimal::from(20), 42, false));
        let mut reversed = c.clone();
        reversed.reverse();
        assert_eq!(
            a,
            draw(&reversed, Decimal::from(20), 42, false),
            "order does not matter"
        );
        assert_ne!(
            a,
            draw(&c, Decimal::from(20), 43, false),
            "another seed, another sample"
        );
        assert!(a.windows(2).all(|w| w[0] < w[1]), "distinct, sorted: {a:?}");
    }

    #[test]
    fn shares_round_up_and_strata_each_get_theirs() {
        assert_eq!(share(40, Decimal::from(20)), 8);
        assert_eq!(share(7, Decimal::from(10)), 1);
        assert_eq!(share(3, Decimal::new(5, 1)), 1);
        assert_eq!(share(5, Decimal::from(150)), 5);
        assert_eq!(share(0, Decimal::from(20)), 0);
        let s = draw(&candidates(), Decimal::from(10), 7, true);
        let education = s.iter().filter(|&&id| id > 30).count();
        assert_eq!((s.len(), education), (4, 1), "3 of 30 and 1 of 10: {s:?}");
    }
}
