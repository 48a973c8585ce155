//! Monitoring fed by payments (支付数据): the rows of a payment system's monthly export (国库集中
//! 支付 and the like) read by their header words, matched to the year's projects, and summed by
//! month into each project's executed amount and execution rate.
//!
//! What this module owns: which column is which (项目编码, 项目名称, 预算单位, 月份, 金额 and
//! the amount's unit), what a month cell says (`2024-03`, `2024年3月`, `3月`, an Excel date), the
//! matching rules (code first, then the project's name, narrowed by the unit), and the monthly
//! lines. Reading the file and keeping the rows are adapters' work.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::form::plain_name as norm;
use crate::money::{self, Amount, MoneyUnit};

/// The columns of a payment export, found by their header words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Columns {
    /// 项目编码 / 项目代码 / 项目编号.
    pub code: Option<usize>,
    /// 项目名称.
    pub project: Option<usize>,
    /// 预算单位 / 单位名称.
    pub unit: Option<usize>,
    /// 月份 / 支付月份 / 支付日期.
    pub month: usize,
    /// 金额 / 支付金额.
    pub amount: usize,
    /// The amount's unit, when the header declares it (`支付金额（元）`).
    pub amount_unit: Option<MoneyUnit>,
}

/// Why a payment file cannot be read at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PaymentError {
    /// No row of the first ones names the columns needed.
    #[error(
        "{sheet}：前10行中没有找到表头（需要“项目编码”或“项目名称”、“月份”或“支付日期”、“金额”或“支付金额”列）"
    )]
    NoHeader {
        /// The sheet (or file) read.
        sheet: String,
    },
    /// The amount's unit is neither in the header nor chosen.
    #[error("{sheet}：金额列“{header}”未注明单位（元或万元），请在表头注明或上传时选择金额单位")]
    NoUnit {
        /// The sheet.
        sheet: String,
        /// The amount column's header.
        header: String,
    },
}

/// The kind of a header cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Code,
    Project,
    Unit,
    Month,
    Amount,
}

impl Column {
    /// The column a header cell names, by its words (spaces and punctuation ignored).
    fn of(header: &str) -> Option<Column> {
        let h: String = header.chars().filter(|c| !c.is_whitespace()).collect();
        let has = |words: &[&str]| words.iter().any(|w| h.contains(w));
        if has(&["项目编码", "项目代码", "项目编号"]) {
            Some(Column::Code)
        } else if has(&["项目名称"]) || h == "项目" {
            Some(Column::Project)
        } else if has(&["预算单位", "单位名称", "用款单位"]) {
            Some(Column::Unit)
        } else if has(&["月份", "支付日期", "支付月", "日期", "期间"]) {
            Some(Column::Month)
        } else if has(&["金额", "支付数", "支出数", "实付"]) {
            Some(Column::Amount)
        } else {
            None
        }
    }
}

/// Finds the header among the first ten rows of `table` (its columns and the row's index);
/// `chosen` is the amount unit the uploader chose, used when the header declares none.
pub fn columns(
    sheet: &str,
    table: &[Vec<String>],
    chosen: Option<MoneyUnit>,
) -> Result<(usize, Columns), PaymentError> {
    for (i, row) in table.iter().enumerate().take(10) {
        let mut found: BTreeMap<usize, Column> = BTreeMap::new();
        for (c, cell) in row.iter().enumerate() {
            if let Some(k) = Column::of(cell)
                && !found.values().any(|v| *v == k)
            {
                found.insert(c, k);
            }
        }
        let at = |k: Column| found.iter().find(|(_, v)| **v == k).map(|(c, _)| *c);
        let (Some(month), Some(amount)) = (at(Column::Month), at(Column::Amount)) else {
            continue;
        };
        let (code, project) = (at(Column::Code), at(Column::Project));
        if code.is_none() && project.is_none() {
            continue;
        }
        let header = &row[amount];
        let amount_unit = MoneyUnit::from_header(header).or(chosen);
        if amount_unit.is_none() {
            return Err(PaymentError::NoUnit {
                sheet: sheet.to_string(),
                header: header.trim().to_string(),
            });
        }
        return Ok((
            i,
            Columns {
                code,
                project,
                unit: at(Column::Unit),
                month,
                amount,
                amount_unit,
            },
        ));
    }
    Err(PaymentError::NoHeader {
        sheet: sheet.to_string(),
    })
}

/// One payment row as read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PaymentRow {
    /// The sheet (or file) it is on.
    pub sheet: String,
    /// Its row number as the user sees it (1-based).
    pub line: usize,
    /// 项目编码, when given.
    pub code: Option<String>,
    /// 项目名称, when given.
    pub project: Option<String>,
    /// 预算单位, when given.
    pub unit: Option<String>,
    /// The month (1–12).
    pub month: u8,
    /// The amount in 万元, exact.
    pub amount: Decimal,
}

/// A row that could not be read, with what and where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowProblem {
    /// The sheet.
    pub sheet: String,
    /// The row number (1-based).
    pub line: usize,
    /// The row's cells, joined, so the user recognises it.
    pub text: String,
    /// What is wrong.
    pub reason: String,
}

/// Reads the rows below the header of `table` for `year`: each becomes a payment, or a problem
/// saying what and where (a blank row is skipped; a 合计 row is a total, not a payment).
pub fn rows(
    sheet: &str,
    table: &[Vec<String>],
    header: usize,
    cols: &Columns,
    year: u16,
) -> (Vec<PaymentRow>, Vec<RowProblem>) {
    let mut payments = Vec::new();
    let mut problems = Vec::new();
    for (i, row) in table.iter().enumerate().skip(header + 1) {
        let cell = |c: Option<usize>| {
            c.and_then(|c| row.get(c))
                .map(|t| t.trim().to_string())
                .filter(|t| !t.is_empty())
        };
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let line = i + 1;
        let problem = |reason: String| RowProblem {
            sheet: sheet.to_string(),
            line,
            text: row
                .iter()
                .map(|c| c.trim())
                .filter(|c| !c.is_empty())
                .collect::<Vec<_>>()
                .join(" | "),
            reason,
        };
        let (code, project, unit) = (cell(cols.code), cell(cols.project), cell(cols.unit));
        // A 合计 / 小计 row sums the rows above it: it is not a payment.
        let total = |c: &String| {
            let c: String = c.chars().filter(|c| !c.is_whitespace()).collect();
            matches!(c.as_str(), "合计" | "总计" | "小计")
        };
        if row.iter().any(total) {
            continue;
        }
        if code.is_none() && project.is_none() {
            problems.push(problem("缺少项目编码和项目名称".into()));
            continue;
        }
        let month_text = cell(Some(cols.month)).unwrap_or_default();
        let month = match month_of(&month_text, year) {
            Ok(m) => m,
            Err(reason) => {
                problems.push(problem(reason));
                continue;
            }
        };
        let amount_text = cell(Some(cols.amount)).unwrap_or_default();
        let amount = match Amount::parse(&amount_text, cols.amount_unit)
            .ok()
            .and_then(|a| a.to_unit(MoneyUnit::Wan))
        {
            Some(a) => a.value(),
            None => {
                problems.push(problem(format!(
                    "第{}列金额“{amount_text}”不是金额",
                    cols.amount + 1
                )));
                continue;
            }
        };
        payments.push(PaymentRow {
            sheet: sheet.to_string(),
            line,
            code,
            project,
            unit,
            month,
            amount,
        });
    }
    (payments, problems)
}

/// The month a cell names for `year`: `2024-03`, `2024/3/15`, `2024年3月`, `202403`, `3月`, `3`,
/// or an Excel date serial; a month of another year is refused.
pub fn month_of(text: &str, year: u16) -> Result<u8, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("缺少月份".into());
    }
    let numbers: Vec<u32> = t
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .filter_map(|p| p.parse().ok())
        .collect();
    let (y, m) = match numbers.as_slice() {
        // An Excel date serial (days since 1899-12-30).
        [n] if (20_000..80_000).contains(n) && !t.contains(['年', '月', '-', '/', '.']) => {
            excel_month(*n)
        }
        [n] if *n >= 100_000 && *n < 1_000_000 => (Some(n / 100), n % 100),
        [n] if *n >= 10_000_000 && *n < 100_000_000 => (Some(n / 10_000), (n / 100) % 100),
        [m] => (None, *m),
        [y, m, ..] if *y >= 1900 => (Some(*y), *m),
        _ => return Err(format!("月份“{t}”无法识别")),
    };
    if !(1..=12).contains(&m) {
        return Err(format!("月份“{t}”无法识别"));
    }
    if let Some(y) = y
        && y != u32::from(year)
    {
        return Err(format!("月份“{t}”不在{year}年度"));
    }
    u8::try_from(m).map_err(|_| format!("月份“{t}”无法识别"))
}

/// The (year, month) of an Excel date serial.
fn excel_month(serial: u32) -> (Option<u32>, u32) {
    // Civil-from-days (Howard Hinnant), from 1899-12-30 = day -25569 of the Unix epoch.
    let z = i64::from(serial) - 25_569 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (u32::try_from(y).ok(), u32::try_from(m).unwrap_or(0))
}

/// A project payments may be matched to: a monitoring form of the year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// The form's id.
    pub form_id: i64,
    /// The project's name.
    pub project: String,
    /// The unit's name.
    pub unit: String,
    /// The project's code, when the form states one.
    pub code: Option<String>,
}

/// The form a payment row belongs to: by code, then by the project's name (narrowed by the
/// unit when several units have a project of that name); or why none.
pub fn match_row(row: &PaymentRow, candidates: &[Candidate]) -> Result<i64, String> {
    if let Some(code) = &row.code {
        let code = norm(code);
        if let Some(c) = candidates
            .iter()
            .find(|c| c.code.as_deref().map(norm).as_deref() == Some(code.as_str()))
        {
            return Ok(c.form_id);
        }
    }
    let Some(project) = &row.project else {
        return Err(format!(
            "没有项目编码为“{}”的项目运行监控表",
            row.code.as_deref().unwrap_or_default()
        ));
    };
    let name = norm(project);
    let named: Vec<&Candidate> = candidates
        .iter()
        .filter(|c| norm(&c.project) == name)
        .collect();
    let within: Vec<&Candidate> = match &row.unit {
        Some(unit) => named
            .iter()
            .copied()
            .filter(|c| norm(&c.unit) == norm(unit))
            .collect(),
        None => named.clone(),
    };
    match (within.as_slice(), named.len()) {
        ([one], _) => Ok(one.form_id),
        ([], 0) => Err(format!("本年度没有名为“{project}”的项目运行监控表")),
        ([], _) => Err(format!(
            "“{}”没有名为“{project}”的项目运行监控表",
            row.unit.as_deref().unwrap_or_default()
        )),
        (_, n) => Err(format!(
            "{n}个单位有名为“{project}”的项目，请在文件中给出预算单位或项目编码"
        )),
    }
}

/// One month of a project's payments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MonthLine {
    /// The month (1–12).
    pub month: u8,
    /// Paid in the month, 万元 (exact).
    pub paid: Decimal,
    /// Paid from January to the month, 万元 (exact).
    pub cumulative: Decimal,
    /// The cumulative amount's share of the budget, in % (2 decimals), when there is a budget.
    pub rate: Option<Decimal>,
}

/// The months from January to the last one paid, each with its amount, the running total and
/// the execution rate against `budget` (万元).
pub fn monthly(paid: &BTreeMap<u8, Decimal>, budget: Option<Decimal>) -> Vec<MonthLine> {
    let last = paid.keys().next_back().copied().unwrap_or(0);
    let mut cumulative = Decimal::ZERO;
    (1..=last)
        .map(|month| {
            let p = paid.get(&month).copied().unwrap_or_default();
            cumulative += p;
            MonthLine {
                month,
                paid: p,
                cumulative,
                rate: budget
                    .filter(|b| !b.is_zero())
                    .map(|b| money::round2(cumulative / b * Decimal::ONE_HUNDRED)),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(rows: &[&[&str]]) -> Vec<Vec<String>> {
        rows.iter()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect()
    }

    #[test]
    fn columns_are_found_by_header_words_with_the_unit() {
        let t = table(&[
            &["某市国库集中支付明细", "", "", ""],
            &["预算单位", "项目名称", "支付日期", "支付金额（元）"],
        ]);
        let (h, c) = columns("Sheet1", &t, None).expect("header");
        assert_eq!(h, 1);
        assert_eq!(
            (c.unit, c.project, c.month, c.amount),
            (Some(0), Some(1), 2, 3)
        );
        assert_eq!(c.amount_unit, Some(MoneyUnit::Yuan));
        // No unit in the header and none chosen: refused, naming the column.
        let t = table(&[&["项目名称", "月份", "金额"]]);
        let e = columns("支付.csv", &t, None).expect_err("no unit");
        assert!(e.to_string().contains("“金额”未注明单位"), "{e}");
        assert!(columns("支付.csv", &t, Some(MoneyUnit::Wan)).is_ok());
        let t = table(&[&["序号", "摘要"]]);
        assert!(matches!(
            columns("x", &t, None),
            Err(PaymentError::NoHeader { .. })
        ));
    }

    #[test]
    fn months_are_read_in_their_usual_spellings_and_of_the_year() {
        for (text, want) in [
            ("2024-03", 3),
            ("2024/3/15", 3),
            ("2024年11月", 11),
            ("202406", 6),
            ("20240715", 7),
            ("3月", 3),
            ("12", 12),
            // 2024-02-29 as an Excel serial.
            ("45351", 2),
        ] {
            assert_eq!(month_of(text, 2024), Ok(want), "{text}");
        }
        assert!(
            month_of("2023-12", 2024)
                .unwrap_err()
                .contains("不在2024年度")
        );
        assert!(month_of("13月", 2024).is_err());
        assert!(month_of("", 2024).unwrap_err().contains("缺少月份"));
    }

    #[test]
    fn rows_are_read_in_wan_exactly_and_bad_ones_say_where() {
        let t = table(&[
            &["项目名称", "月份", "支付金额（元）"],
            &["老工伤工作经费", "2021-01", "12,345.67"],
            &["", "", ""],
            &["合计", "", "12345.67"],
            &["", "小计", "12345.67"],
            &["老工伤工作经费", "2021-13", "1"],
            &["老工伤工作经费", "2021-02", "若干"],
            &["", "2021-02", "5"],
        ]);
        let (h, c) = columns("支付.xlsx", &t, None).expect("header");
        let (ok, bad) = rows("支付.xlsx", &t, h, &c, 2021);
        assert_eq!(ok.len(), 1);
        assert_eq!(ok[0].amount, Decimal::new(1_234_567, 6));
        assert_eq!((ok[0].line, ok[0].month), (2, 1));
        let lines: Vec<usize> = bad.iter().map(|p| p.line).collect();
        assert_eq!(lines, vec![6, 7, 8]);
        assert!(bad[1].reason.contains("第3列金额“若干”"), "{:?}", bad[1]);
        assert!(bad[2].reason.contains("缺少项目编码和项目名称"));
    }

    #[test]
    fn rows_match_by_code_then_name_narrowed_by_unit() {
        let c = |id, project: &str, unit: &str, code: Option<&str>| Candidate {
            form_id: id,
            project: project.into(),
            unit: unit.into(),
            code: code.map(str::to_string),
        };
        let candidates = [
            c(
                1,
                "老工伤工作经费",
                "衡阳市工伤保险服务中心",
                Some("430400-21-001"),
            ),
            c(2, "老工伤工作经费", "株洲市工伤保险服务中心", None),
            c(3, "工伤康复（试点）", "株洲市工伤保险服务中心", None),
        ];
        let row = |code: Option<&str>, project: Option<&str>, unit: Option<&str>| PaymentRow {
            sheet: "s".into(),
            line: 2,
            code: code.map(str::to_string),
            project: project.map(str::to_string),
            unit: unit.map(str::to_string),
            month: 1,
            amount: Decimal::ONE,
        };
        assert_eq!(
            match_row(&row(Some("430400-21-001"), None, None), &candidates),
            Ok(1)
        );
        assert_eq!(
            match_row(
                &row(None, Some("老工伤工作经费"), Some("株洲市工伤保险服务中心")),
                &candidates
            ),
            Ok(2)
        );
        assert_eq!(
            match_row(&row(None, Some("工伤康复(试点)"), None), &candidates),
            Ok(3)
        );
        let two = match_row(&row(None, Some("老工伤工作经费"), None), &candidates).unwrap_err();
        assert!(two.contains("2个单位"), "{two}");
        let none =
            match_row(&row(Some("999"), Some("不存在的项目"), None), &candidates).unwrap_err();
        assert!(none.contains("没有名为“不存在的项目”"), "{none}");
    }

    #[test]
    fn months_add_up_with_the_rate_against_the_budget() {
        let paid: BTreeMap<u8, Decimal> = [(1, Decimal::new(150, 2)), (3, Decimal::new(250, 2))]
            .into_iter()
            .collect();
        let lines = monthly(&paid, Some(Decimal::new(128, 1)));
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[1].paid, Decimal::ZERO);
        assert_eq!(lines[2].cumulative, Decimal::new(4, 0));
        // 4 / 12.8 = 31.25 %.
        assert_eq!(lines[2].rate, Some(Decimal::new(3125, 2)));
        assert!(monthly(&paid, None)[0].rate.is_none());
    }
}
