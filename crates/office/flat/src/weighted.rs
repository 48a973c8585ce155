//! An evaluation-indicator table printed one row a line with its cells run together (河北:
//! `评价指标评价内容指标名称指标说明目标值分值备注`, then `产出数量指标享受资助人数达到预计值210010`
//! …, then `总分` and its weight). Such a table has no name row or field labels to start from:
//! it starts at its header. Each row is cut into its group labels, its name, its target (the
//! value at its end) and its weight (the trailing figure); the weights are read only when their
//! sum is the 总分 printed below them and exactly one reading gives it.

use jixiao_core::form::cell::parse_number;
use rust_decimal::Decimal;

use super::{Kind, Rebuilt, Row, Token, is_level1, is_level2, key, sub_token};

/// The header words of such a table, as printed (without spaces).
const HEADS: &[&str] = &[
    "评价指标",
    "评价内容",
    "一级指标",
    "二级指标",
    "三级指标",
    "指标名称",
    "指标说明",
    "指标解释",
    "目标值",
    "指标值",
    "分值",
    "权重",
    "备注",
];

/// The columns of the header, by meaning.
struct Columns {
    level1: Option<usize>,
    level2: Option<usize>,
    name: usize,
    target: usize,
    weight: usize,
    /// The header's words, one a column.
    words: Vec<String>,
}

/// The header words `k` is made of, when it is nothing but header words.
fn head_words(k: &str) -> Option<Vec<String>> {
    let mut rest = k;
    let mut words = Vec::new();
    while !rest.is_empty() {
        let w = HEADS.iter().find(|w| rest.starts_with(**w))?;
        words.push((*w).to_string());
        rest = &rest[w.len()..];
    }
    Some(words)
}

impl Columns {
    /// The columns of a header line: a name, a target and a weight column, nothing actual
    /// or scored.
    fn of(k: &str) -> Option<Columns> {
        let words = head_words(k)?;
        let col = |pred: &dyn Fn(&str) -> bool| words.iter().position(|w| pred(w));
        Some(Columns {
            level1: col(&|w| w == "评价指标" || w == "一级指标"),
            level2: col(&|w| w == "评价内容" || w == "二级指标"),
            name: col(&|w| w == "指标名称" || w == "三级指标")?,
            target: col(&|w| w == "目标值" || w == "指标值")?,
            weight: col(&|w| w == "分值" || w == "权重")?,
            words,
        })
    }
}

/// The tokens of each source line, in order.
fn by_line(tokens: &[Token]) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    for (i, t) in tokens.iter().enumerate() {
        match out.last_mut() {
            Some((from, to)) if tokens[*from].line == t.line => *to = i + 1,
            _ => out.push((i, i + 1)),
        }
    }
    out
}

/// The readings of a row's trailing weight: the character counts of the weights it may end
/// with (a figure in (0, 100] without a leading zero).
fn weight_readings(chars: &[char]) -> Vec<(usize, Decimal)> {
    let digits = chars
        .iter()
        .rev()
        .take_while(|c| c.is_ascii_digit())
        .count();
    (1..=digits.min(3))
        .filter_map(|n| {
            let s: String = chars[chars.len() - n..].iter().collect();
            let v: Decimal = s.parse().ok()?;
            (!s.starts_with('0') && v > Decimal::ZERO && v <= Decimal::from(100)).then_some((n, v))
        })
        .collect()
}

/// The one choice of a weight reading per row whose sum is `total`, if exactly one is.
fn unique_sum(options: &[Vec<(usize, Decimal)>], total: Decimal) -> Option<Vec<usize>> {
    let mut found: Option<Vec<usize>> = None;
    let mut count = 0;
    let mut picks = Vec::with_capacity(options.len());
    fn go(
        options: &[Vec<(usize, Decimal)>],
        left: Decimal,
        picks: &mut Vec<usize>,
        found: &mut Option<Vec<usize>>,
        count: &mut usize,
    ) {
        if *count > 1 || left < Decimal::ZERO {
            return;
        }
        let Some((first, rest)) = options.split_first() else {
            if left.is_zero() {
                *count += 1;
                *found = Some(picks.clone());
            }
            return;
        };
        for (n, v) in first {
            picks.push(*n);
            go(rest, left - v, picks, found, count);
            picks.pop();
        }
    }
    go(options, total, &mut picks, &mut found, &mut count);
    (count == 1).then_some(found).flatten()
}

/// Where the target at the end of `chars` starts: the first figure (or comparison sign) after
/// which only a short unit or qualifier follows (`2100`, `95%以上`).
fn target_start(chars: &[char]) -> Option<usize> {
    let starts = |c: char| c.is_ascii_digit() || "≥≤><=".contains(c);
    (0..chars.len()).find(|&p| {
        starts(chars[p])
            && (p == 0 || !chars[p - 1].is_ascii_digit())
            && chars[p..]
                .iter()
                .filter(|c| !c.is_ascii() && !"≥≤％".contains(**c))
                .count()
                <= 3
    })
}

/// The length of the group label at the start of `chars`, if any: a first- or second-level
/// group (`产出数量指标`, `质量指标`), or an evaluation area in brackets
/// (`项目年度绩效目标(定量指标)`).
fn group_label(chars: &[char]) -> Option<usize> {
    let known = (2..=chars.len().min(12)).rev().find(|&n| {
        let k: String = chars[..n].iter().collect();
        k.ends_with("指标") && (is_level1(&k) || is_level2(&k))
    });
    known.or_else(|| {
        let close = chars
            .iter()
            .take(20)
            .position(|c| *c == ')' || *c == '）')?;
        let k: String = chars[..=close].iter().collect();
        (k.contains('(') || k.contains('（')).then_some(close + 1)
    })
}

/// One row's cells: (column, start, end) in characters of its token.
fn row_cells(
    chars: &[char],
    weight_len: usize,
    cols: &Columns,
) -> Option<Vec<(usize, usize, usize)>> {
    let end = chars.len() - weight_len;
    let mut cells = Vec::new();
    let mut at = 0;
    let mut groups = Vec::new();
    while groups.len() < 2
        && let Some(n) = group_label(&chars[at..end])
    {
        groups.push((at, at + n));
        at += n;
    }
    // One group label: the second level's when it is one (数量指标), else the first's.
    let level_cols: Vec<Option<usize>> = match groups.len() {
        2 => vec![cols.level1, cols.level2],
        1 => {
            let k: String = chars[groups[0].0..groups[0].1].iter().collect();
            let second = is_level2(&k) && !is_level1(&k);
            vec![if second { cols.level2 } else { cols.level1 }]
        }
        _ => Vec::new(),
    };
    for ((a, b), col) in groups.iter().zip(level_cols) {
        cells.push((col?, *a, *b));
    }
    let target = target_start(&chars[at..end]).map(|p| at + p);
    let name_end = target.unwrap_or(end);
    if name_end <= at {
        return None;
    }
    cells.push((cols.name, at, name_end));
    if let Some(t) = target {
        cells.push((cols.target, t, end));
    }
    cells.push((cols.weight, end, chars.len()));
    Some(cells)
}

/// The table in `tokens` when it is such an evaluation-indicator table.
pub(super) fn rebuild(tokens: &[Token]) -> Option<Rebuilt> {
    let lines = by_line(tokens);
    let joined = |(from, to): (usize, usize)| -> String {
        tokens[from..to].iter().map(|t| key(&t.text)).collect()
    };
    let (head_at, cols) = lines
        .iter()
        .enumerate()
        .find_map(|(n, l)| Columns::of(&joined(*l)).map(|c| (n, c)))?;
    // The rows: one token a line, up to the 总分 line and its figure.
    let mut rows: Vec<&Token> = Vec::new();
    let mut n = head_at + 1;
    let total_at = loop {
        let &(from, to) = lines.get(n)?;
        let k = joined((from, to));
        if k.starts_with("总分") || k == "合计" {
            break n;
        }
        if to - from != 1 || tokens[from].kind != Kind::Text || rows.len() >= 100 {
            return None;
        }
        rows.push(&tokens[from]);
        n += 1;
    };
    let (total_from, total_to) = lines[total_at];
    let total_token = tokens[total_from..]
        .iter()
        .take(3)
        .position(|t| t.kind == Kind::Number)
        .map(|p| total_from + p)?;
    let total = parse_number(&tokens[total_token].text, &['分'])
        .ok()
        .flatten()?;
    let chars: Vec<Vec<char>> = rows.iter().map(|t| t.text.chars().collect()).collect();
    let options: Vec<Vec<(usize, Decimal)>> = chars.iter().map(|c| weight_readings(c)).collect();
    let picks = unique_sum(&options, total)?;
    let mut out_rows = vec![Row {
        cells: cols
            .words
            .iter()
            .enumerate()
            .map(|(c, w)| {
                let (from, to) = lines[head_at];
                let t = &tokens[from..to];
                let at = t.first().map_or((0, 0), |t| (t.line, t.column));
                (
                    c,
                    Token {
                        text: w.clone(),
                        line: at.0,
                        column: at.1,
                        kind: Kind::Text,
                    },
                )
            })
            .collect(),
    }];
    for ((t, c), w) in rows.iter().zip(&chars).zip(picks) {
        let cells = row_cells(c, w, &cols)?;
        out_rows.push(Row {
            cells: cells
                .into_iter()
                .map(|(col, a, b)| (col, sub_token(t, a, b)))
                .collect(),
        });
    }
    out_rows.push(Row {
        cells: vec![
            (0, tokens[total_from].clone()),
            (cols.weight, tokens[total_token].clone()),
        ],
    });
    let (head_from, _) = lines[head_at];
    let after_from = total_to.max(total_token + 1);
    Some(Rebuilt {
        before: tokens[..head_from]
            .iter()
            .filter(|t| t.kind != Kind::Empty)
            .cloned()
            .collect(),
        rows: out_rows,
        after: tokens[after_from..]
            .iter()
            .filter(|t| t.kind != Kind::Empty)
            .cloned()
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::super::tokens;
    use super::*;

    fn rows(text: &str) -> Vec<Vec<String>> {
        rebuild(&tokens(text))
            .map(|r| r.rows)
            .unwrap_or_default()
            .iter()
            .map(|r| {
                r.cells
                    .iter()
                    .map(|(c, t)| format!("{c}:{}", t.text))
                    .collect()
            })
            .collect()
    }

    #[test]
    fn rows_run_together_are_cut_by_their_weights_sum() {
        let rows = rows(
            "某项目绩效评价指标表\n评价指标评价内容指标名称指标说明目标值分值备注\n\
             产出数量指标享受资助人数达到预计值210010\n资金支出率95%以上90\n总分\n100\n",
        );
        assert_eq!(
            rows[1],
            [
                "1:产出数量指标",
                "2:享受资助人数达到预计值",
                "4:2100",
                "5:10"
            ]
        );
        assert_eq!(rows[2], ["2:资金支出率", "4:95%以上", "5:90"]);
        assert_eq!(rows[3], ["0:总分", "5:100"]);
    }

    #[test]
    fn weights_that_do_not_add_up_leave_the_text_alone() {
        let text = "评价指标评价内容指标名称指标说明目标值分值备注\n\
                    产出数量指标享受资助人数210010\n总分\n100\n";
        assert!(rebuild(&tokens(text)).is_none());
    }
}
