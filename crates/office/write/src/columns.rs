//! Table column widths sized from their content, for every paper renderer (Word here, PDF in
//! `jixiao-pdf`): each column at least as wide as its widest unbreakable piece — a number with
//! its sign and unit (`98.02%`, `100`), a word, a short label (分值, 得分, 执行率, 权重) — and no
//! wider than its widest text needs; the room left goes to the text columns in proportion to
//! the sheet's designed widths. Renderers differ only in how they measure text: the PDF by its
//! glyphs, Word by [`em_width`].

use super::breaks::{SIGNS, widest_piece};
use super::sheet::Sheet;

/// A line no wider than this many characters is a label or a figure, never broken.
const SHORT: usize = 4;

/// The width of `chars` in the simple model Word's output is sized by: a CJK or full-width
/// character one em, `%` nine tenths of an em, another ASCII character three fifths — 宋体's
/// digits are half an em, but where 宋体 is missing LibreOffice sets them in DejaVu Sans,
/// whose digits are 0.64 em and `%` 0.95 em; `em` is the font size in the caller's unit.
/// Returns the whole width and the widest unbreakable piece.
pub fn em_width(chars: &[char], em: i64) -> (i64, i64) {
    let widths: Vec<i64> = chars
        .iter()
        .map(|&c| match c {
            '%' | '‰' => em * 9 / 10,
            c if c.is_ascii() => em * 3 / 5,
            _ => em,
        })
        .collect();
    (widths.iter().sum(), widest_piece(chars, &widths))
}

/// The widths of columns `0..cols` of `sheet`'s rows `first..last` (in the unit of `width`
/// and of what `measure` returns), summing to `width`. `measure` gives a line's whole width
/// and its widest unbreakable piece; `pad` is a cell's inner margin on each side, `em` the
/// font size (the narrowest a column with text gets).
pub fn fit_columns(
    sheet: &Sheet,
    (first, last, cols): (usize, usize, usize),
    width: i64,
    (pad, em): (i64, i64),
    mut measure: impl FnMut(&[char]) -> (i64, i64),
) -> Vec<i64> {
    let design: Vec<i64> = (0..cols)
        .map(|c| i64::from(sheet.column_width(c)))
        .collect();
    let total: i64 = design.iter().sum::<i64>().max(1);
    let mut min = vec![0i64; cols];
    let mut max: Vec<Option<i64>> = vec![None; cols];
    for (&(r, c), (text, _)) in sheet.cells.range((first, 0)..(last, 0)) {
        if c >= cols || sheet.merge_at(r, c).is_some_and(|m| m.1 != m.3) {
            continue; // cells spanning columns have the room of several
        }
        let chars: Vec<char> = text.chars().filter(|c| *c != '\r').collect();
        // A header cell (偏差原因分析及改进措施) may wrap: it does not widen its column
        // beyond what the column's content needs.
        let header = sheet.headers.iter().any(|h| (h.0..=h.1).contains(&r));
        let mut widest_line = 0;
        let mut piece = 0;
        for line in chars.split(|c| *c == '\n') {
            let (whole, p) = measure(line);
            let short =
                line.len() <= SHORT || line.iter().all(|c| c.is_ascii() || SIGNS.contains(*c));
            piece = piece.max(if short { whole } else { p });
            widest_line = widest_line.max(whole);
        }
        min[c] = min[c].max(piece + 2 * pad);
        if !header {
            max[c] = Some(max[c].unwrap_or(0).max(widest_line + 2 * pad));
        }
    }
    for c in 0..cols {
        if let Some(m) = &mut max[c] {
            *m = (*m).max(min[c]).max(em + 2 * pad);
        }
    }
    let mut w: Vec<i64> = design.iter().map(|d| d * width / total).collect();
    // Columns whose text needs less give their room away; columns below their minimum take
    // what they need; what is left goes to the columns that can use it.
    for c in 0..cols {
        if let Some(m) = max[c] {
            w[c] = w[c].min(m);
        }
        w[c] = w[c].max(min[c]);
    }
    for _ in 0..4 {
        let spare = width - w.iter().sum::<i64>();
        if spare == 0 {
            break;
        }
        if spare > 0 {
            let open: Vec<usize> = (0..cols)
                .filter(|&c| max[c].is_none_or(|m| w[c] < m))
                .collect();
            let weight: i64 = open.iter().map(|&c| design[c]).sum();
            if weight == 0 {
                break;
            }
            for &c in &open {
                let add = spare * design[c] / weight;
                w[c] += match max[c] {
                    Some(m) => add.min(m - w[c]),
                    None => add,
                };
            }
        } else {
            let slack: Vec<i64> = (0..cols).map(|c| w[c] - min[c]).collect();
            let all: i64 = slack.iter().sum();
            if all <= 0 {
                // Even the minimums do not fit: scale them down.
                let sum: i64 = w.iter().sum::<i64>().max(1);
                for x in w.iter_mut() {
                    *x = *x * width / sum;
                }
                break;
            }
            let need = -spare;
            for c in 0..cols {
                w[c] -= (need * slack[c] / all).min(slack[c]);
            }
        }
    }
    // Rounding: the last column takes the remainder.
    let rest = width - w.iter().sum::<i64>();
    if let Some(last) = w.last_mut() {
        *last += rest;
    }
    w
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sheet::Style;

    #[test]
    fn figures_and_short_labels_get_their_width_and_text_the_rest() {
        let mut s = Sheet::new("t");
        for (c, w) in [(0, 300), (1, 40), (2, 40)] {
            s.width(c, w);
        }
        s.set(
            0,
            0,
            "一段会折行的较长说明文字，一段会折行的较长说明文字",
            Style::Cell,
        )
        .set(0, 1, "执行率", Style::CellCenter)
        .set(0, 2, "得分", Style::CellCenter)
        .set(1, 1, "98.02%", Style::CellCenter)
        .set(1, 2, "100", Style::CellCenter);
        let em = 210;
        let w = fit_columns(&s, (0, 2, 3), 9000, (57, em), |t| em_width(t, em));
        assert_eq!(w.iter().sum::<i64>(), 9000);
        assert!(w[1] >= 3 * em + 114, "{w:?}");
        assert!(w[2] >= 2 * em + 114, "{w:?}");
        assert!(w[0] > w[1] + w[2], "{w:?}");
    }
}
