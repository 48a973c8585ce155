//! Ranking texts against a query: BM25 over character bigrams, the usual way of searching
//! Chinese without a word segmenter (every pair of neighbouring characters is a term, so 学生
//! 资助 matches 资助学生人数 on 资助 and 学生). Pure and in memory: built once from the library,
//! queried per keystroke.

// Relevance is a ranking weight, not an amount: BM25 is defined in floating point.
#![allow(clippy::float_arithmetic)]

use std::collections::HashMap;

use crate::numeral::fold_width;

/// BM25's term-frequency saturation.
const K1: f32 = 1.2;
/// BM25's length normalisation.
const B: f32 = 0.75;

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
    /// The mean length.
    average: f32,
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
        index.average = if index.lengths.is_empty() {
            1.0
        } else {
            (total as f32 / index.lengths.len() as f32).max(1.0)
        };
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
    /// `limit`, each with its BM25 score (0 when the query has no terms: then nothing is
    /// returned).
    pub fn rank(
        &self,
        query: &str,
        limit: usize,
        accept: impl Fn(usize) -> bool,
    ) -> Vec<(usize, f32)> {
        let mut terms = grams(query);
        terms.sort_unstable();
        terms.dedup();
        let n = self.lengths.len() as f32;
        let mut scores: HashMap<u32, f32> = HashMap::new();
        for term in &terms {
            let Some(postings) = self.postings.get(term) else {
                continue;
            };
            let df = postings.len() as f32;
            let idf = ((n - df + 0.5) / (df + 0.5) + 1.0).ln();
            for &(doc, tf) in postings {
                let tf = f32::from(tf);
                let len = self.lengths[doc as usize] as f32;
                let part = idf * tf * (K1 + 1.0) / (tf + K1 * (1.0 - B + B * len / self.average));
                *scores.entry(doc).or_default() += part;
            }
        }
        let mut ranked: Vec<(usize, f32)> = scores
            .into_iter()
            .map(|(d, s)| (d as usize, s))
            .filter(|&(d, _)| accept(d))
            .collect();
        // Best first; equal scores in document order, so a ranking is reproducible.
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
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
