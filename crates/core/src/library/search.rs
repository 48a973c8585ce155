//! Ranking texts against a query: BM25 over character bigrams, the usual way of searching
//! Chinese without a word segmenter (every pair of neighbouring characters is a term, so 学生
//! 资助 matches 资助学生人数 on 资助 and 学生). Pure and in memory: built once from the library,
//! queried per keystroke.
//!
//! The core holds no floating point: scores are integers in millionths, the logarithm of BM25's
//! inverse document frequency is computed bit by bit in fixed point ([`ln_micro`]), so a
//! ranking is the same on every machine.

use std::collections::HashMap;

use crate::numeral::fold_width;

/// BM25's term-frequency saturation k1 = 1.2, in thousandths.
const K1: u64 = 1_200;
/// BM25's length normalisation b = 0.75, in thousandths.
const B: u64 = 750;
/// One, in the thousandths above.
const ONE: u64 = 1_000;
/// One, in millionths (scores and logarithms).
const MICRO: u64 = 1_000_000;

/// The natural logarithm of `num / den` (≥ 1) in millionths: log2 by repeated squaring in
/// 32.32 fixed point, times ln 2.
pub fn ln_micro(num: u64, den: u64) -> u64 {
    if den == 0 || num <= den {
        return 0;
    }
    // x = num / den in 32.32 fixed point, brought into [1, 2) counting the halvings.
    let mut x: u128 = (u128::from(num) << 32) / u128::from(den);
    let one: u128 = 1 << 32;
    let mut int = 0u64;
    while x >= 2 * one {
        x >>= 1;
        int += 1;
    }
    // The fraction's bits: square, and a result of 2 or more is a 1 bit.
    let mut frac: u64 = 0;
    for bit in (0..20).rev() {
        x = (x * x) >> 32;
        if x >= 2 * one {
            x >>= 1;
            frac |= 1 << bit;
        }
    }
    // log2 = int + frac / 2^20; ln = log2 × ln 2 (693147 millionths).
    let log2_micro = int * MICRO + (frac * MICRO) / (1 << 20);
    log2_micro * 693_147 / MICRO
}

/// A term: two neighbouring characters (a lone character is paired with `'\0'`).
type Gram = (char, char);

/// The terms of `text`: widths folded, case folded; runs of Chinese characters, letters and
/// digits each give their bigrams, a run of one character itself.
pub fn grams(text: &str) -> Vec<Gram> {
    let folded = fold_width(text).to_lowercase();
    let mut out = Vec::new();
    let mut run: Vec<char> = Vec::new();
    let flush = |run: &mut Vec<char>, out: &mut Vec<Gram>| {
        match run.len() {
            0 => {}
            1 => out.push((run[0], '\0')),
            _ => out.extend(run.windows(2).map(|w| (w[0], w[1]))),
        }
        run.clear();
    };
    for c in folded.chars() {
        if c.is_alphanumeric() {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
        }
    }
    flush(&mut run, &mut out);
    out
}

/// An inverted index of documents by their bigrams.
#[derive(Debug, Clone, Default)]
pub struct Index {
    /// Term → (document, term frequency).
    postings: HashMap<Gram, Vec<(u32, u16)>>,
    /// Each document's length in terms.
    lengths: Vec<u32>,
    /// The mean length, in thousandths.
    average: u64,
}

impl Index {
    /// Indexes `documents` in order: document `i` is the `i`-th text.
    pub fn build<'a>(documents: impl IntoIterator<Item = &'a str>) -> Index {
        let mut index = Index::default();
        for (i, text) in documents.into_iter().enumerate() {
            let grams = grams(text);
            let mut counts: HashMap<Gram, u16> = HashMap::new();
            for g in &grams {
                let n = counts.entry(*g).or_default();
                *n = n.saturating_add(1);
            }
            for (g, n) in counts {
                index.postings.entry(g).or_default().push((i as u32, n));
            }
            index.lengths.push(grams.len() as u32);
        }
        let total: u64 = index.lengths.iter().map(|&l| u64::from(l)).sum();
        index.average = (total * ONE)
            .checked_div(index.lengths.len() as u64)
            .unwrap_or(ONE)
            .max(ONE);
        index
    }

    /// How many documents are indexed.
    pub fn len(&self) -> usize {
        self.lengths.len()
    }

    /// True when nothing is indexed.
    pub fn is_empty(&self) -> bool {
        self.lengths.is_empty()
    }

    /// The documents matching `query` that `accept` lets through, best first, at most
    /// `limit`, each with its BM25 score in millionths (a query without terms finds nothing).
    pub fn rank(
        &self,
        query: &str,
        limit: usize,
        accept: impl Fn(usize) -> bool,
    ) -> Vec<(usize, u64)> {
        let mut terms = grams(query);
        terms.sort_unstable();
        terms.dedup();
        let n = self.lengths.len() as u64;
        let mut scores: HashMap<u32, u64> = HashMap::new();
        for term in &terms {
            let Some(postings) = self.postings.get(term) else {
                continue;
            };
            let df = postings.len() as u64;
            // idf = ln((N − df + ½) / (df + ½) + 1) = ln((N + 1) / (df + ½)), in halves.
            let idf = ln_micro(2 * n + 2, 2 * df + 1);
            for &(doc, tf) in postings {
                let tf = u64::from(tf);
                let len = u64::from(self.lengths[doc as usize]);
                // tf (k1 + 1) / (tf + k1 (1 − b + b · len / avg)), all in thousandths.
                let norm = ONE - B + B * len * ONE / self.average;
                let denominator = tf * ONE * ONE + K1 * norm;
                let part = u128::from(idf) * u128::from(tf) * u128::from((K1 + ONE) * ONE)
                    / u128::from(denominator.max(1));
                let part = u64::try_from(part).unwrap_or(u64::MAX);
                let score = scores.entry(doc).or_default();
                *score = score.saturating_add(part);
            }
        }
        let mut ranked: Vec<(usize, u64)> = scores
            .into_iter()
            .map(|(d, s)| (d as usize, s))
            .filter(|&(d, _)| accept(d))
            .collect();
        // Best first; equal scores in document order, so a ranking is reproducible.
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        ranked.truncate(limit);
        ranked
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bigrams_of_chinese_letters_and_digits() {
        assert_eq!(
            grams("学生资助"),
            vec![('学', '生'), ('生', '资'), ('资', '助')]
        );
        assert_eq!(grams("A 级"), vec![('a', '\0'), ('级', '\0')]);
        assert!(grams("，。").is_empty());
    }

    #[test]
    fn logarithms_in_fixed_point() {
        assert_eq!(ln_micro(1, 1), 0);
        // ln 2 = 0.693147, ln 10 = 2.302585, ln 1.5 = 0.405465: within a few millionths.
        for (num, den, want) in [
            (2, 1, 693_147u64),
            (10, 1, 2_302_585),
            (3, 2, 405_465),
            (100_001, 1, 11_512_935),
        ] {
            let got = ln_micro(num, den);
            assert!(
                got.abs_diff(want) <= 20,
                "ln({num}/{den}) = {got}, want {want}"
            );
        }
    }

    #[test]
    fn the_closest_documents_rank_first() {
        let docs = [
            "资助学生人数",
            "资金拨付及时率",
            "服务对象满意度",
            "学生营养改善计划覆盖率",
        ];
        let index = Index::build(docs);
        let ranked = index.rank("学生资助", 10, |_| true);
        assert_eq!(ranked[0].0, 0, "{ranked:?}");
        assert!(ranked.iter().any(|&(d, _)| d == 3));
        assert!(ranked.iter().all(|&(d, _)| d != 2));
        // A filter keeps only what it accepts; a query without terms finds nothing.
        assert!(
            index
                .rank("学生资助", 10, |d| d != 0)
                .iter()
                .all(|&(d, _)| d != 0)
        );
        assert!(index.rank("，", 10, |_| true).is_empty());
    }
}
