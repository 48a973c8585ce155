//! The narrative self-evaluation report (自评报告): sections as written, and the figures its
//! sentences state (`2021 年支出 331.61 万元，其中基本支出 293.87 万元`), so they can be
//! checked against each other and against the attached forms.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::money::{Amount, MoneyUnit};
use crate::numeral::{arabic_at, fold_width};

/// Which report a narrative is: a self-evaluation report (composed from and checked against
/// the year's self-evaluation forms), or a mid-year monitoring report (绩效监控分析/总结报告),
/// which is never taken for one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportKind {
    /// 绩效自评报告 (and the 绩效评价报告 of a year).
    #[default]
    SelfEvaluation,
    /// 绩效监控报告: written while the year runs (绩效运行监控分析报告, 绩效监控总结报告).
    Monitoring,
}

impl ReportKind {
    /// True for the default kind (not written in JSON).
    pub fn is_self_evaluation(&self) -> bool {
        *self == ReportKind::SelfEvaluation
    }

    /// The kind's name as a title (绩效自评报告, 绩效监控报告).
    pub fn title(self) -> &'static str {
        match self {
            ReportKind::SelfEvaluation => "绩效自评报告",
            ReportKind::Monitoring => "绩效监控报告",
        }
    }
}

/// A narrative report: a self-evaluation report, or a monitoring report ([`ReportKind`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Report {
    /// Which report this is.
    #[serde(default, skip_serializing_if = "ReportKind::is_self_evaluation")]
    pub kind: ReportKind,
    /// The title.
    pub title: String,
    /// The signing unit, if the report ends with one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// The date line, if any (`2022年3月10日`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// The year the report is about, as the document states it (its title, else its cover:
    /// `项目起止时间 2020年度`, `项目名称 2020年…`); never a signing date, never today's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<u16>,
    /// The funds grid of the report's cover (计划安排 / 实际到位 / 实际支出 / 结余 by source),
    /// when it prints one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub funds: Option<ReportFunds>,
    /// Sections in order.
    pub sections: Vec<Section>,
}

/// What a column of a report's funds grid holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FundsColumnKind {
    /// 计划安排资金 (预算安排).
    Planned,
    /// 实际到位资金.
    Received,
    /// 实际支出.
    Spent,
    /// 结余 (结转结余).
    Balance,
}

impl FundsColumnKind {
    /// The kind a column label names (`计划安排资金(万元)`, `实际到位`, `实际支出(万元)`,
    /// `结余`), if it names one.
    pub fn of_label(key: &str) -> Option<FundsColumnKind> {
        let k: String = key.chars().filter(|c| !c.is_whitespace()).collect();
        if k.chars().count() > 16 {
            return None;
        }
        if k.starts_with("计划安排") || k.starts_with("预算安排") {
            Some(FundsColumnKind::Planned)
        } else if k.starts_with("实际到位") || k.starts_with("到位资金") {
            Some(FundsColumnKind::Received)
        } else if k.starts_with("实际支出") {
            Some(FundsColumnKind::Spent)
        } else if k.starts_with("结余") || k.starts_with("结转结余") {
            Some(FundsColumnKind::Balance)
        } else {
            None
        }
    }

    /// The column's name in messages (计划安排, 实际到位, 实际支出, 结余).
    pub fn name(self) -> &'static str {
        match self {
            FundsColumnKind::Planned => "计划安排",
            FundsColumnKind::Received => "实际到位",
            FundsColumnKind::Spent => "实际支出",
            FundsColumnKind::Balance => "结余",
        }
    }
}

/// A report's funds grid: columns (计划安排, 实际到位, 实际支出, 结余), each with its total and
/// its amounts by source (中央, 省, 市, 区/县, 其它).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportFunds {
    /// The columns, in the order printed.
    pub columns: Vec<FundsColumn>,
}

impl ReportFunds {
    /// The first column of `kind`, with its index.
    pub fn column(&self, kind: FundsColumnKind) -> Option<(usize, &FundsColumn)> {
        self.columns
            .iter()
            .enumerate()
            .find(|(_, c)| c.kind == kind)
    }
}

/// One column of a report's funds grid.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FundsColumn {
    /// What the column holds.
    pub kind: FundsColumnKind,
    /// Its label as printed (`计划安排资金(万元)`).
    pub label: String,
    /// Its total, when printed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<Amount>,
    /// Its amounts by source, in the order printed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<SourceAmount>,
}

/// A source's amount in a funds column (`市财政 49.34`); an empty cell has no amount.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceAmount {
    /// The source as printed, without `其中：` (`中央财政`, `省`, `其它`).
    pub source: String,
    /// The amount, `None` for an empty cell.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<Amount>,
}

impl SourceAmount {
    /// The source as compared across columns: without 财政, 资金, 补助 and a unit
    /// (`省财政` and `省级资金(万元)` are both 省; `其他` is `其它`).
    pub fn key(&self) -> String {
        let mut k: String = self
            .source
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| match c {
                '（' => '(',
                '）' => ')',
                '他' => '它',
                c => c,
            })
            .collect();
        if let Some(at) = k.find('(') {
            k.truncate(at);
        }
        for w in ["财政", "资金", "补助", "级"] {
            k = k.replace(w, "");
        }
        k
    }
}

/// A section: its heading and its paragraphs as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    /// The heading (`二、预算收支情况`); empty for text before the first heading.
    pub heading: String,
    /// 1 for 一、, 2 for （一）, 3 for 1., 4 for （1）.
    pub level: u8,
    /// Paragraphs as written.
    pub paragraphs: Vec<String>,
}

impl Report {
    /// Every figure stated in the report, with the section it is in.
    pub fn figures(&self) -> Vec<(usize, Figure)> {
        self.sections
            .iter()
            .enumerate()
            .flat_map(|(i, s)| {
                std::iter::once(s.heading.as_str())
                    .chain(s.paragraphs.iter().map(String::as_str))
                    .flat_map(figures)
                    .map(move |f| (i, f))
            })
            .collect()
    }
}

/// The heading level of a line numbered in the official style: `一、` → 1, `（一）` → 2,
/// `1.`/`1、` → 3, `（1）` → 4; `None` for a line that is not numbered.
pub fn heading_level(line: &str) -> Option<u8> {
    let t: String = fold_width(line.trim());
    let chinese = |c: char| "一二三四五六七八九十".contains(c);
    let mut chars = t.chars();
    let first = chars.next()?;
    if chinese(first) {
        let rest: String = t.chars().skip_while(|c| chinese(*c)).take(1).collect();
        return (rest == "、").then_some(1);
    }
    if first == '(' {
        let inner: String = t[1..].chars().take_while(|c| *c != ')').collect();
        if !inner.is_empty() && inner.chars().all(chinese) {
            return Some(2);
        }
        if !inner.is_empty() && inner.chars().all(|c| c.is_ascii_digit()) {
            return Some(4);
        }
        return None;
    }
    if first.is_ascii_digit() {
        let digits: String = t.chars().take_while(char::is_ascii_digit).collect();
        let next = t[digits.len()..].chars().next()?;
        let after = t[digits.len()..].chars().nth(1);
        if (next == '、' || next == '.') && after.is_some_and(|c| !c.is_ascii_digit()) {
            return Some(3);
        }
    }
    None
}

/// A figure stated in a sentence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figure {
    /// What the figure is of, as the sentence names it (`2021年支出`, `基本支出`).
    pub label: String,
    /// The value.
    pub value: FigureValue,
    /// The clause it was read from.
    pub clause: String,
}

/// A stated value: an amount of money or a percentage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "value")]
pub enum FigureValue {
    /// An amount (`331.61 万元`).
    Money(Amount),
    /// A percentage, as written (`113.24%` → 113.24).
    Percent(Decimal),
}

const CLAUSE_BREAKS: &[char] = &[
    '，', '。', '；', '：', ',', ';', ':', '（', '）', '(', ')', '\n',
];
const LABEL_PREFIXES: &[&str] = &["其中", "共计", "合计", "分别是", "全部为", "为", "达"];

/// The money amounts and percentages stated in `text`, each with the words naming it.
pub fn figures(text: &str) -> Vec<Figure> {
    // Most headings and many sentences hold no number at all.
    if !text
        .chars()
        .any(|c| c.is_ascii_digit() || ('０'..='９').contains(&c))
    {
        return Vec::new();
    }
    let folded = fold_width(text);
    let mut out = Vec::new();
    for clause in clauses(&folded) {
        // A clause without a digit states no figure.
        if !clause.bytes().any(|b| b.is_ascii_digit()) {
            continue;
        }
        let chars: Vec<char> = clause.chars().collect();
        let mut i = 0;
        let mut label_start = 0;
        while i < chars.len() {
            if !chars[i].is_ascii_digit()
                || (i > 0 && (chars[i - 1].is_ascii_digit() || chars[i - 1] == '.'))
            {
                if CLAUSE_BREAKS.contains(&chars[i]) {
                    label_start = i + 1;
                }
                i += 1;
                continue;
            }
            let Some(n) = arabic_at(&chars, i) else {
                i += 1;
                continue;
            };
            let mut j = n.end;
            while j < chars.len() && chars[j] == ' ' {
                j += 1;
            }
            let next = chars.get(j).copied();
            let yuan_after = chars.get(j + 1) == Some(&'元');
            let value = if next == Some('万') && yuan_after {
                Some((
                    FigureValue::Money(Amount::new(n.value, MoneyUnit::Wan)),
                    j + 2,
                ))
            } else if next == Some('亿') && yuan_after {
                Some((
                    FigureValue::Money(Amount::new(n.value, MoneyUnit::Yi)),
                    j + 2,
                ))
            } else if next == Some('元') {
                Some((
                    FigureValue::Money(Amount::new(n.value, MoneyUnit::Yuan)),
                    j + 1,
                ))
            } else if next == Some('%') {
                Some((FigureValue::Percent(n.value), j + 1))
            } else {
                None
            };
            match value {
                Some((value, end)) => {
                    let raw: String = chars[label_start..i].iter().collect();
                    out.push(Figure {
                        label: clean_label(&raw),
                        value,
                        clause: clause.trim().to_string(),
                    });
                    i = end;
                    label_start = end;
                }
                None => i = n.end,
            }
        }
    }
    out
}

/// Splits width-folded text into clauses at commas, full stops and semicolons; a comma
/// between two digits is a thousands separator and does not split.
fn clauses(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut prev: Option<char> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let thousands = c == ','
            && prev.is_some_and(|p| p.is_ascii_digit())
            && chars.peek().is_some_and(|(_, n)| n.is_ascii_digit());
        if matches!(c, ',' | '。' | ';' | '\n') && !thousands {
            out.push(&text[start..i]);
            start = i + c.len_utf8();
        }
        prev = Some(c);
    }
    out.push(&text[start..]);
    out
}

fn clean_label(raw: &str) -> String {
    let mut label: String = raw.split_whitespace().collect();
    loop {
        let before = label.len();
        for p in LABEL_PREFIXES {
            if let Some(rest) = label.strip_prefix(p) {
                label = rest.to_string();
            }
        }
        for s in ["为", "达", "是", "约", "计", "共"] {
            if let Some(rest) = label.strip_suffix(s) {
                label = rest.to_string();
            }
        }
        if label.len() == before {
            break;
        }
    }
    label
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(text: &str) -> Vec<String> {
        figures(text)
            .into_iter()
            .map(|f| match f.value {
                FigureValue::Money(a) => format!("{}={}", f.label, a.value()),
                FigureValue::Percent(p) => format!("{}={p}%", f.label),
            })
            .collect()
    }

    #[test]
    fn reads_the_figures_of_real_reports() {
        assert_eq!(
            summary(
                "2021 年支出 331.61 万元，其中基本支出 293.87 万元，项目支出 37.74 万元，结余结转 0 万元。"
            ),
            [
                "2021年支出=331.61",
                "基本支出=293.87",
                "项目支出=37.74",
                "结余结转=0"
            ]
        );
        assert_eq!(
            summary(
                "2021年预算总收入157.6万元，其中年初预算安排140.8万元，上年结转收入16.80 万元。"
            ),
            [
                "2021年预算总收入=157.6",
                "年初预算安排=140.8",
                "上年结转收入=16.80"
            ]
        );
        assert_eq!(
            summary(
                "实际执行数为 331.61 万元（均为一般公共预算财政拨款支出），完成年初预算的 113.24%"
            ),
            ["实际执行数=331.61", "完成年初预算的=113.24%"]
        );
        assert!(summary("一是 2021 年 6 月起").is_empty());
        assert_eq!(
            summary("共计9,400元"),
            ["9400"].map(|v| format!("={v}")).map(|s| s.to_string())
        );
        let f = figures("2021 年支出 331.61 万元，其中基本支出 293.87 万元");
        assert_eq!(
            f[1].clause, "其中基本支出 293.87 万元",
            "clauses split at full-width commas"
        );
    }

    #[test]
    fn a_paragraphs_figures_are_its_sentences_figures() {
        // The audit finds a report's figures sentence by sentence once and uses them for the
        // paragraph too: both readings must agree, thousands separators and all.
        let text = "2021年收入1,234.5万元，其中财政拨款1,000万元；其他234.5万元。支出900万元;\
                    结余334.5万元，执行率为72.9%。";
        let whole = figures(text);
        let parts: Vec<Figure> = text.split(['。', '；', ';']).flat_map(figures).collect();
        assert_eq!(whole.len(), 6);
        assert_eq!(whole, parts);
        assert_eq!(whole[0].label, "2021年收入");
        assert_eq!(
            whole[0].value,
            FigureValue::Money(Amount::new("1234.5".parse().unwrap(), MoneyUnit::Wan))
        );
        assert_eq!(
            whole[5].value,
            FigureValue::Percent("72.9".parse().unwrap())
        );
    }

    #[test]
    fn heading_levels() {
        assert_eq!(heading_level("一、预算单位基本情况"), Some(1));
        assert_eq!(heading_level("（一）整体支出绩效情况"), Some(2));
        assert_eq!(heading_level("1. 省级统筹落实到位。"), Some(3));
        assert_eq!(heading_level("1、为社会提供工伤保险服务"), Some(3));
        assert_eq!(heading_level("（1）为进一步帮助企业"), Some(4));
        assert_eq!(heading_level("2021 年预算收入"), None);
        assert_eq!(heading_level("1.5万元"), None);
    }
}
