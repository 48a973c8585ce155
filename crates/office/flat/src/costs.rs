//! A declaration's cost build-up (湖北: 项目预算成本构成 | 金额 | 测算(公式)依据 | 2020年实际执行数 |
//! 2021年实际执行数) whose rows run together in one token
//! (`保安服务费191依据招标文件191191…合计814662.98794.55绩效目标…`).
//!
//! An item row is its name, its amount (the figure right after the name), its basis (the text
//! after the amount) and a run of figures holding the other amount columns; that run is split
//! only when one reading fits (see [`split_run`]), else it stays one cell. The 合计 row's run
//! holds every amount column: its first figure is the sum of the items' amounts, the rest is
//! split as an item's run. What follows the 合计 row is not the table.

use rust_decimal::Decimal;

/// The cells of one row: (column, start, end) in characters.
pub(super) type CostRow = Vec<(usize, usize, usize)>;

/// True for a figure character.
fn figure(c: char) -> bool {
    c.is_ascii_digit() || c == '.'
}

/// A well-formed amount: no leading zero (but `0.5`), at most one point with two decimals.
fn amount(s: &[char]) -> Option<Decimal> {
    let text: String = s.iter().collect();
    let (int, dec) = text.split_once('.').unwrap_or((&text, ""));
    let ok = !int.is_empty()
        && (int == "0" || !int.starts_with('0'))
        && (dec.is_empty() && !text.ends_with('.') || dec.len() == 2)
        && !dec.contains('.');
    ok.then(|| text.parse().ok()).flatten()
}

/// The readings of `run` as `n` amounts of one precision (all whole, or all with two
/// decimals), as their lengths.
fn readings(run: &[char], n: usize) -> Vec<Vec<usize>> {
    fn go(run: &[char], n: usize, lens: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
        if out.len() > 8 {
            return;
        }
        if n == 0 {
            if run.is_empty() {
                out.push(lens.clone());
            }
            return;
        }
        for len in 1..=run.len() {
            if amount(&run[..len]).is_some() {
                lens.push(len);
                go(&run[len..], n - 1, lens, out);
                lens.pop();
            }
        }
    }
    let mut out = Vec::new();
    go(run, n, &mut Vec::new(), &mut out);
    out.retain(|lens| {
        let mut at = 0;
        let decimals: Vec<bool> = lens
            .iter()
            .map(|l| {
                let d = run[at..at + l].contains(&'.');
                at += l;
                d
            })
            .collect();
        decimals.iter().all(|d| *d == decimals[0])
    });
    out
}

/// The split of a run into `n` amounts: the one reading of one precision, or, among whole
/// amounts, the one that repeats a figure (`191191` → 191 | 191: the same amount each year).
fn split_run(run: &[char], n: usize) -> Option<Vec<usize>> {
    if n == 0 {
        return None;
    }
    let all = readings(run, n);
    if let [one] = &all[..] {
        return Some(one.clone());
    }
    let len = run.len() / n;
    let same =
        run.len().is_multiple_of(n) && (1..n).all(|k| run[k * len..(k + 1) * len] == run[..len]);
    (same && amount(&run[..len]).is_some()).then(|| vec![len; n])
}

/// Reads the rows of a cost build-up run together in `s`, for a header of `columns` columns
/// (name, 金额, basis, then the other amount columns). Returns the rows read and where the rest
/// (after the 合计 row) begins; `None` unless a 合计 row whose first figure is the items' sum
/// ends the table.
pub(super) fn split_rows(s: &[char], columns: usize) -> Option<(Vec<CostRow>, usize)> {
    if columns < 3 {
        return None;
    }
    let others = columns - 3;
    let mut rows = Vec::new();
    let mut sum = Decimal::ZERO;
    let mut at = 0;
    while at < s.len() && rows.len() < 100 {
        let name_end = at + s[at..].iter().take_while(|c| !figure(**c)).count();
        let name: String = s[at..name_end].iter().collect();
        let run_end = name_end + s[name_end..].iter().take_while(|c| figure(**c)).count();
        if name_end == at || run_end == name_end {
            return None;
        }
        let run = &s[name_end..run_end];
        if name == "合计" || name == "总计" {
            // The sum as printed: whole (`814`) or with two decimals (`814.00`).
            let total = [sum.normalize().to_string(), format!("{sum:.2}")]
                .into_iter()
                .map(|t| t.chars().collect::<Vec<_>>())
                .find(|t| run.starts_with(t) && amount(t).is_some())?;
            let mut row = vec![(0, at, name_end), (1, name_end, name_end + total.len())];
            let rest = &run[total.len()..];
            if let Some(lens) = split_run(rest, others) {
                let mut p = name_end + total.len();
                for (k, l) in lens.into_iter().enumerate() {
                    row.push((3 + k, p, p + l));
                    p += l;
                }
            } else if !rest.is_empty() {
                row.push((3, name_end + total.len(), run_end));
            }
            rows.push(row);
            return Some((rows, run_end));
        }
        // An item: its amount, then its basis, then a run of the other amounts.
        let value = amount(run)?;
        sum += value;
        let basis_end = run_end + s[run_end..].iter().take_while(|c| !figure(**c)).count();
        let tail_end = basis_end + s[basis_end..].iter().take_while(|c| figure(**c)).count();
        let mut row = vec![(0, at, name_end), (1, name_end, run_end)];
        if basis_end > run_end {
            row.push((2, run_end, basis_end));
        }
        let tail = &s[basis_end..tail_end];
        if let Some(lens) = split_run(tail, others) {
            let mut p = basis_end;
            for (k, l) in lens.into_iter().enumerate() {
                row.push((3 + k, p, p + l));
                p += l;
            }
        } else if !tail.is_empty() {
            row.push((3, basis_end, tail_end));
        }
        rows.push(row);
        at = tail_end;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cut(s: &str, columns: usize) -> Option<(Vec<Vec<String>>, String)> {
        let c: Vec<char> = s.chars().collect();
        let (rows, at) = split_rows(&c, columns)?;
        let rows = rows
            .iter()
            .map(|r| {
                r.iter()
                    .map(|(col, a, b)| format!("{col}:{}", c[*a..*b].iter().collect::<String>()))
                    .collect()
            })
            .collect();
        Some((rows, c[at..].iter().collect()))
    }

    #[test]
    fn cost_rows_are_cut_and_the_total_checked() {
        let (rows, rest) = cut(
            "保安服务费191依据招标文件191191保洁服务费99依据招标文件9999水电费524据实结算\
             372.88504.55合计814662.98794.55绩效目标以满意为目标",
            5,
        )
        .expect("read");
        assert_eq!(
            rows[0],
            ["0:保安服务费", "1:191", "2:依据招标文件", "3:191", "4:191"]
        );
        assert_eq!(
            rows[2],
            ["0:水电费", "1:524", "2:据实结算", "3:372.88", "4:504.55"]
        );
        assert_eq!(rows[3], ["0:合计", "1:814", "3:662.98", "4:794.55"]);
        assert_eq!(rest, "绩效目标以满意为目标");
    }

    #[test]
    fn a_total_that_is_not_the_sum_leaves_the_text_alone() {
        assert!(cut("保安服务费191依据191191合计815191191", 5).is_none());
    }
}
