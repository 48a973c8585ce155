//! Binding a rule set's fields to a base-data table (基础数据表) by themselves.
//!
//! Rules compiled from an evaluation table's own wording name their fields in that wording
//! (`“三公经费”预算安排数`, `实际支出公用经费总额`, `上年度“三公经费”预算数`) but not the cells
//! they come from. When the base-data table is in the same document, each field is matched to
//! one of its cells by meaning:
//! - the row: the table's row label (`三公经费`, `公用经费`, `政府采购金额`) whose words the field
//!   name contains (the longest such label);
//! - the column: the kind of figure — 预算安排数/预算数 ↔ `…预算数`, 实际支出数/决算数 ↔
//!   `…决算数` — and the year: 本年度 (or none) ↔ the table's newest year, 上年度 ↔ the year
//!   before; or, for a field that names no kind of figure, the column whose own words the field
//!   shares (`在职人员数` ↔ `2021年实际在职人数`, `编制数` ↔ `编制数`).
//!
//! A field that matches no cell, or more than one equally well, is left unbound with the
//! reason: nothing is guessed. Every binding says why it was made, for confirmation.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{FieldSource, RuleSet};
use crate::form::BaseData;

/// How one field was bound, or why it was not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldBinding {
    /// The field's name in the rule set.
    pub field: String,
    /// The cell it was bound to (row label, column header); `None` when unbound.
    pub source: Option<FieldSource>,
    /// The value in that cell, as written.
    pub value: Option<String>,
    /// Why, in Chinese.
    pub reason: String,
}

/// The binding of every field of a rule set that had no cell.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Binding {
    /// The year taken as 本年度 (the newest year in the table's columns), if any.
    pub year: Option<u16>,
    /// Per field, in name order.
    pub fields: Vec<FieldBinding>,
}

impl Binding {
    /// The fields that could not be bound.
    pub fn unbound(&self) -> impl Iterator<Item = &FieldBinding> {
        self.fields.iter().filter(|f| f.source.is_none())
    }

    /// The rule set with the bound fields' cells filled in (unbound fields stay as they were).
    pub fn apply(&self, rules: &RuleSet) -> RuleSet {
        let mut out = rules.clone();
        for b in &self.fields {
            if let (Some(src), Some(field)) = (&b.source, out.fields.get_mut(&b.field)) {
                field.label = src.label.clone();
                field.column = src.column.clone();
                if field.note.is_empty() || field.note.starts_with("待对应") {
                    field.note = b.reason.clone();
                }
            }
        }
        out
    }
}

/// The words of a text for matching: quotes, spaces, brackets, numbering and `其中：` removed.
fn words(text: &str) -> String {
    let t: String = text
        .chars()
        .filter(|c| {
            !c.is_whitespace()
                && !matches!(
                    c,
                    '“' | '”' | '"' | '‘' | '’' | '（' | '）' | '(' | ')' | '、' | '：' | ':'
                )
        })
        .collect();
    let t = t.strip_prefix("其中").unwrap_or(&t).to_string();
    t.trim_start_matches(|c: char| c.is_ascii_digit() || "一二三四五六七八九十".contains(c))
        .to_string()
}

/// The year a column names (`2021年预算数` → 2021) and the column without it.
fn split_year(column: &str) -> (Option<u16>, String) {
    let chars: Vec<char> = column.chars().collect();
    for i in 0..chars.len().saturating_sub(4) {
        if chars[i..i + 4].iter().all(char::is_ascii_digit) && chars[i + 4] == '年' {
            let year = chars[i..i + 4].iter().collect::<String>().parse().ok();
            let rest: String = chars[..i].iter().chain(&chars[i + 5..]).collect();
            return (year, words(&rest));
        }
    }
    (None, words(column))
}

/// The kind of figure a field or column names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Figure {
    /// 预算数, 预算安排数.
    Budget,
    /// 决算数, 实际支出数.
    Actual,
}

fn figure(text: &str) -> Option<Figure> {
    if text.contains("预算安排") || text.contains("预算数") {
        Some(Figure::Budget)
    } else if text.contains("决算") || text.contains("实际支出") {
        Some(Figure::Actual)
    } else {
        None
    }
}

/// Which year a field means, relative to 本年度.
fn years_back(field: &str) -> u16 {
    if field.contains("上年度") || (field.starts_with("上年") && !field.starts_with("上年结转"))
    {
        1
    } else {
        0
    }
}

/// The length of the longest common run of characters.
fn common_run(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut best = 0;
    for i in 0..a.len() {
        for j in 0..b.len() {
            let mut k = 0;
            while i + k < a.len() && j + k < b.len() && a[i + k] == b[j + k] {
                k += 1;
            }
            best = best.max(k);
        }
    }
    best
}

/// True when the field and a column (without its year) say the same thing: equal, one inside
/// the other, or a shared run of at least 3 characters covering most of the shorter.
fn same_words(field: &str, column: &str) -> bool {
    if field.is_empty() || column.is_empty() {
        return false;
    }
    if field == column || field.contains(column) || column.contains(field) {
        return true;
    }
    let shorter = field.chars().count().min(column.chars().count());
    let run = common_run(field, column);
    run >= 3 && run * 5 >= shorter * 3
}

/// Binds the fields of `rules` that name no cell to cells of `data`.
pub fn bind(rules: &RuleSet, data: &BaseData) -> Binding {
    let year = data
        .items
        .iter()
        .filter_map(|i| split_year(&i.column).0)
        .max();
    let labels: Vec<&str> = {
        let mut l: Vec<&str> = data
            .items
            .iter()
            .map(|i| i.label.as_str())
            .filter(|l| !l.is_empty())
            .collect();
        l.sort_unstable();
        l.dedup();
        l
    };
    let mut fields = Vec::new();
    for (name, source) in &rules.fields {
        if !source.column.is_empty() {
            continue;
        }
        fields.push(bind_field(name, data, &labels, year));
    }
    Binding { year, fields }
}

fn unbound(field: &str, reason: String) -> FieldBinding {
    FieldBinding {
        field: field.to_string(),
        source: None,
        value: None,
        reason,
    }
}

fn bind_field(name: &str, data: &BaseData, labels: &[&str], year: Option<u16>) -> FieldBinding {
    let f = words(name);
    // The row: the longest label whose words the field contains (or that shares a long run).
    let mut rows: Vec<(&str, usize)> = labels
        .iter()
        .filter_map(|l| {
            let lw = words(l);
            let run = common_run(&f, &lw);
            (f.contains(&lw) || (run >= 4 && run * 3 >= lw.chars().count() * 2))
                .then_some((*l, run))
        })
        .collect();
    rows.sort_by_key(|r| std::cmp::Reverse(r.1));
    if rows.len() > 1 && rows[0].1 == rows[1].1 {
        return unbound(
            name,
            format!(
                "名称同时对应基础数据表的“{}”和“{}”行，未自动对应",
                rows[0].0, rows[1].0
            ),
        );
    }
    let row = rows.first().map(|r| r.0);
    let items: Vec<_> = data
        .items
        .iter()
        .filter(|i| match row {
            Some(r) => i.label == r,
            None => i.label.is_empty(),
        })
        .collect();
    let kind = figure(&f);
    let want_year = year.map(|y| y - years_back(&f));
    let candidates: Vec<_> = items
        .iter()
        .filter(|i| {
            let (col_year, col) = split_year(&i.column);
            match kind {
                Some(k) => figure(&col) == Some(k) && (col_year.is_none() || col_year == want_year),
                None => {
                    // The field's own words, without the row label's.
                    let rest = row.map_or(f.clone(), |r| f.replace(&words(r), ""));
                    col_year.is_none_or(|y| Some(y) == year) && same_words(&rest, &col)
                }
            }
        })
        .collect();
    let row_words = row
        .map(|r| format!("“{r}”行"))
        .unwrap_or_else(|| "无行标签的栏目".into());
    match candidates.as_slice() {
        [one] => {
            let mut why = format!("按名称对应{row_words}“{}”列", one.column);
            if let (Some(_), Some(y)) = (kind, want_year) {
                let which = if years_back(&f) == 1 {
                    "上年度"
                } else {
                    "本年度"
                };
                why.push_str(&format!(
                    "（{which}＝{y}年，{}）",
                    match kind {
                        Some(Figure::Budget) => "预算数",
                        _ => "实际支出数＝决算数",
                    }
                ));
            }
            FieldBinding {
                field: name.to_string(),
                source: Some(FieldSource {
                    label: one.label.clone(),
                    column: one.column.clone(),
                    note: String::new(),
                    unit: String::new(),
                }),
                value: Some(one.value.clone()),
                reason: why,
            }
        }
        [] => {
            let wanted = match (kind, want_year) {
                (Some(Figure::Budget), Some(y)) => format!("“{y}年预算数”"),
                (Some(Figure::Actual), Some(y)) => format!("“{y}年决算数”"),
                (Some(Figure::Budget), None) => "“预算数”".into(),
                (Some(Figure::Actual), None) => "“决算数”".into(),
                (None, _) => "与之相符的列".into(),
            };
            match row {
                Some(r) => unbound(name, format!("基础数据表“{r}”行没有{wanted}")),
                None => unbound(name, "基础数据表中没有与之相符的行或列".into()),
            }
        }
        many => unbound(
            name,
            format!(
                "{row_words}有多列可能对应（{}），未自动对应",
                many.iter()
                    .map(|i| i.column.as_str())
                    .collect::<Vec<_>>()
                    .join("、")
            ),
        ),
    }
}

/// The bound values as a map field → value text (for showing the binding).
pub fn values(binding: &Binding) -> BTreeMap<String, String> {
    binding
        .fields
        .iter()
        .filter_map(|b| Some((b.field.clone(), b.value.clone()?)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::form::BaseDataItem;

    fn item(section: &str, label: &str, column: &str, value: &str) -> BaseDataItem {
        BaseDataItem {
            section: section.into(),
            label: label.into(),
            column: column.into(),
            value: value.into(),
        }
    }

    fn seed004_like() -> BaseData {
        BaseData {
            title: "部门整体支出绩效评价基础数据表".into(),
            unit: None,
            sections: Vec::new(),
            items: vec![
                item("财政供养人员情况", "", "编制数", "11"),
                item("财政供养人员情况", "", "2021年实际在职人数", "11"),
                item("经费控制情况", "三公经费", "2020年决算数", "0.9"),
                item("经费控制情况", "三公经费", "2021年预算数", "1.4"),
                item("经费控制情况", "三公经费", "2021年决算数", "1.28"),
                item("经费控制情况", "公用经费", "2021年预算数", "29.24"),
                item("经费控制情况", "公用经费", "2021年决算数", "20.5"),
                item("经费控制情况", "政府采购金额", "2020年决算数", "——"),
            ],
            notes: Vec::new(),
        }
    }

    fn one(name: &str) -> FieldBinding {
        bind_field(
            name,
            &seed004_like(),
            &["三公经费", "公用经费", "政府采购金额"],
            Some(2021),
        )
    }

    #[test]
    fn rows_columns_and_years_by_meaning() {
        let b = one("“三公经费”预算安排数");
        assert_eq!(
            b.source.map(|s| (s.label, s.column)),
            Some(("三公经费".into(), "2021年预算数".into()))
        );
        let b = one("本年度“三公经费”预算数");
        assert_eq!(b.value.as_deref(), Some("1.4"));
        let b = one("“三公经费”实际支出数");
        assert_eq!(b.value.as_deref(), Some("1.28"), "实际支出数 ↔ 决算数");
        let b = one("实际支出公用经费总额");
        assert_eq!(b.value.as_deref(), Some("20.5"));
        let b = one("预算安排公用经费总额");
        assert_eq!(b.value.as_deref(), Some("29.24"));
        let b = one("在职人员数");
        assert_eq!(
            b.source.map(|s| s.column),
            Some("2021年实际在职人数".into())
        );
        assert_eq!(one("编制数").value.as_deref(), Some("11"));
    }

    #[test]
    fn nothing_is_guessed() {
        // Only a 2020 决算数 exists: 上年度 预算数 is not there.
        let b = one("上年度“三公经费”预算数");
        assert!(b.source.is_none());
        assert!(b.reason.contains("2020年预算数"), "{}", b.reason);
        assert!(one("政府采购预算数").source.is_none());
        assert!(one("社会公众或服务对象满意度").source.is_none());
        assert!(one("上年结转").source.is_none());
    }
}
