//! Offline templates (离线填报模板): a form in its paper layout for a unit to fill away from the
//! web app, then import as it imports any form. In Excel the cells to fill are the only ones
//! that can be edited (the sheet is protected, without a password), 一级/二级指标 are chosen
//! from lists, figures must be numbers and rates percentages, and the rates and scores the
//! sheet can work out itself (执行率, its 得分, the 分值 and 得分 totals) are formulas; a second
//! sheet, 填报说明, says how to fill it in. The Word template is the same form on paper, with
//! the instructions after it.
//!
//! A template is written from a form: a blank one (`jixiao_record::kind::blank`) or one
//! prefilled from its declaration, or the form a page shows.

use jixiao_core::form::Form;
use jixiao_core::form::monitoring::{DeviationCause, Likelihood};
use jixiao_core::indicator::{Level1, Level2};
use jixiao_core::money::round;
use rust_decimal::Decimal;

use super::form::form_sheets;
use super::paper::{Block, Page, Paper};
use super::sheet::{Input, Sheet, Style};
use super::xlsx::Workbook;

/// The forms a template can be made of: those whose cells map to one form's fields.
fn supported(form: &Form) -> bool {
    matches!(
        form,
        Form::ProjectTarget(_)
            | Form::DepartmentTarget(_)
            | Form::ProjectSelfEvaluation(_)
            | Form::DepartmentSelfEvaluation(_)
            | Form::Monitoring(_)
    )
}

/// The template of `form` as an Excel workbook: the form's sheet with its inputs, then 填报说明.
/// `None` for a form no template is made of (a report, the bureau's tables).
pub fn template_xlsx(form: &Form) -> Result<Option<Vec<u8>>, std::io::Error> {
    let Some(sheet) = template_sheet(form) else {
        return Ok(None);
    };
    let mut book = Workbook::default();
    book.add(sheet).add(instructions_sheet(form));
    book.to_bytes().map(Some)
}

/// The template of `form` as a Word document: the form on paper, the instructions after it.
pub fn template_docx(form: &Form) -> Result<Option<Vec<u8>>, std::io::Error> {
    let Some(sheet) = form_sheets(std::slice::from_ref(form))
        .into_iter()
        .next()
        .filter(|_| supported(form))
    else {
        return Ok(None);
    };
    let page = Page::form();
    let mut doc = Paper::new(page);
    doc.push(Block::Form(sheet));
    doc.push(Block::PageBreak);
    for line in instructions(form) {
        doc.push(Block::body(line, &page));
    }
    doc.to_bytes().map(Some)
}

/// The form's sheet with what each cell takes, protected.
pub fn template_sheet(form: &Form) -> Option<Sheet> {
    if !supported(form) {
        return None;
    }
    let mut sheet = form_sheets(std::slice::from_ref(form)).into_iter().next()?;
    sheet.name = "填报表".into();
    mark_inputs(&mut sheet);
    sheet.protect = true;
    Some(sheet)
}

/// The text of a cell.
fn text(s: &Sheet, r: usize, c: usize) -> &str {
    s.cells.get(&(r, c)).map_or("", |v| v.0.as_str())
}

/// The first row holding `label` in any column, with that column.
fn find(s: &Sheet, label: &str) -> Option<(usize, usize)> {
    s.cells
        .iter()
        .find(|(_, v)| v.0 == label)
        .map(|(&pos, _)| pos)
}

/// The number a cell shows (`12.80`, `10`, `84.3%` as 0.843), if it shows one.
fn number(s: &Sheet, r: usize, c: usize) -> Option<Decimal> {
    let t = text(s, r, c).trim();
    match t.strip_suffix('%') {
        Some(p) => Decimal::from_str_exact(p)
            .ok()
            .map(|v| v / Decimal::ONE_HUNDRED),
        None => Decimal::from_str_exact(t).ok(),
    }
}

/// A formula's cached result as Excel writes it (`0.9283`, `9.28`).
fn result(v: Option<Decimal>) -> Option<String> {
    v.map(|v| v.normalize().to_string())
}

/// An Excel cell reference (`F8`) of a 0-based position.
fn cell_ref(r: usize, c: usize) -> String {
    let mut letters = String::new();
    let mut n = c + 1;
    while n > 0 {
        let k = (n - 1) % 26;
        letters.insert(0, char::from(b'A' + u8::try_from(k).unwrap_or(0)));
        n = (n - 1) / 26;
    }
    format!("{letters}{}", r + 1)
}

/// Says what each cell of a form's sheet takes: every bordered value cell takes text; the
/// indicator table's columns and the funds block take what their headers say.
fn mark_inputs(s: &mut Sheet) {
    let values: Vec<(usize, usize)> = s
        .cells
        .iter()
        .filter(|(_, v)| v.1 == Style::Cell)
        .map(|(&pos, _)| pos)
        .collect();
    for (r, c) in values {
        if s.merge_at(r, c).is_none_or(|m| (m.0, m.1) == (r, c)) {
            s.input(r, c, Input::Text);
        }
    }
    indicator_inputs(s);
    funds_inputs(s);
}

/// The indicator table: 一级/二级 from lists, 分值 and 得分 numbers, the rest text; the 总分 row
/// of a self-evaluation adds up 分值 and 得分.
fn indicator_inputs(s: &mut Sheet) {
    let Some((header, level1)) = find(s, "一级指标") else {
        return;
    };
    // The table's rows: down to the end of the label merged down column 0 from its header.
    let bottom = s.merge_at(header, 0).map_or(header, |m| m.2);
    let columns: Vec<(usize, String)> = (level1..)
        .take_while(|&c| s.cells.contains_key(&(header, c)))
        .map(|c| (c, text(s, header, c).to_string()))
        .collect();
    let names = |names: &mut dyn Iterator<Item = &'static str>| -> Vec<String> {
        names.map(str::to_string).collect()
    };
    let level1s = names(&mut Level1::ALL.iter().map(|l| l.name()));
    let level2s = names(&mut Level2::ALL.iter().map(|l| l.name()));
    let likelihoods = names(&mut Likelihood::ALL.iter().map(|l| l.name()));
    let causes = names(&mut DeviationCause::ALL.iter().map(|c| c.name()));
    for (c, head) in &columns {
        let input = match head.as_str() {
            "一级指标" => Input::Choice(level1s.clone()),
            "二级指标" => Input::Choice(level2s.clone()),
            "完成目标可能性" => Input::Choice(likelihoods.clone()),
            "偏差原因类别" => Input::Choice(causes.clone()),
            "分值" | "得分" => Input::Number,
            _ => Input::Text,
        };
        for r in header + 1..=bottom {
            if s.merge_at(r, *c).is_none_or(|m| (m.0, m.1) == (r, *c)) {
                s.input(r, *c, input.clone());
            }
        }
    }
    // 总分: the sums of the indicators' and the funds' 分值 and 得分.
    let total = bottom + 1;
    if text(s, total, 0) != "总分" {
        return;
    }
    let funds = find(s, "执行率").map(|(r, c)| (r + 1, c));
    for head in ["分值", "得分"] {
        let Some(&(c, _)) = columns.iter().find(|(_, h)| h == head) else {
            continue;
        };
        let mut formula = format!("=SUM({}:{})", cell_ref(header + 1, c), cell_ref(bottom, c));
        let mut addends: Vec<Decimal> = (header + 1..=bottom)
            .filter_map(|r| number(s, r, c))
            .collect();
        if let Some((r, rate)) = funds {
            let funds_col = if head == "分值" { rate - 1 } else { rate + 1 };
            formula.push_str(&format!("+N({})", cell_ref(r, funds_col)));
            let funds_value = if head == "分值" {
                number(s, r, funds_col)
            } else {
                funds_score(s, r)
            };
            addends.extend(funds_value);
        }
        // Nothing to add up shows nothing, as the formula's blank inputs do in Excel's eyes
        // only once computed: a blank template's 总分 is not a stated 0.
        let sum = (!addends.is_empty()).then(|| addends.iter().sum::<Decimal>());
        s.input(
            total,
            c,
            Input::Formula {
                formula,
                format: "0.00",
                result: result(sum),
            },
        );
    }
    if let Some(&(c, _)) = columns.iter().find(|(_, h)| h == "得分") {
        s.input(total, c + 1, Input::Text);
    }
}

/// The funds block of a self-evaluation: the amounts are numbers (万元), its 分值 a number, its
/// 执行率 (全年执行数 / 全年预算数) and 得分 (执行率, at most 100%, times 分值) formulas.
fn funds_inputs(s: &mut Sheet) {
    let Some((header, first)) = find(s, "年初预算数") else {
        return;
    };
    let bottom = s.merge_at(header, 0).map_or(header, |m| m.2);
    let heads: Vec<(usize, String)> = (first..)
        .take_while(|&c| s.cells.contains_key(&(header, c)))
        .map(|c| (c, text(s, header, c).to_string()))
        .collect();
    let col = |name: &str| heads.iter().find(|(_, h)| h == name).map(|(c, _)| *c);
    // A monitoring form: 年初预算数, 调整后预算数, 1-N月执行数, 1-N月执行率, 全年预计执行数.
    if let Some(rate) = heads
        .iter()
        .find(|(_, h)| h.ends_with("月执行率"))
        .map(|(c, _)| *c)
    {
        for r in header + 1..=bottom {
            for (c, h) in &heads {
                if h.ends_with("预算数") || h.ends_with("执行数") {
                    // The block is in 万元 (its label says so): `12.8万元` becomes the number
                    // 12.8, which the rate's formula can divide.
                    if let Some(v) = text(s, r, *c)
                        .strip_suffix("万元")
                        .and_then(|v| Decimal::from_str_exact(v).ok())
                    {
                        let style = s.cells.get(&(r, *c)).map_or(Style::Cell, |v| v.1);
                        s.set(r, *c, v.to_string(), style);
                    }
                    s.input(r, *c, Input::Number);
                }
            }
            let (Some(initial), Some(adjusted)) = (col("年初预算数"), col("调整后预算数"))
            else {
                continue;
            };
            let (i, a, e) = (
                cell_ref(r, initial),
                cell_ref(r, adjusted),
                cell_ref(r, rate - 1),
            );
            let budget = number(s, r, adjusted)
                .filter(|v| !v.is_zero())
                .or_else(|| number(s, r, initial).filter(|v| !v.is_zero()));
            let value = budget.and_then(|b| Some(round(number(s, r, rate - 1)? / b, 4)));
            s.input(
                r,
                rate,
                Input::Formula {
                    formula: format!(
                        "=IF(N({a})<>0,ROUND(N({e})/{a},4),IF(N({i})<>0,ROUND(N({e})/{i},4),\"\"))"
                    ),
                    format: "0.00%",
                    result: result(value),
                },
            );
        }
        return;
    }
    let (Some(budget), Some(executed)) = (col("全年预算数"), col("全年执行数")) else {
        return;
    };
    for r in header + 1..=bottom {
        for name in ["年初预算数", "全年预算数", "全年执行数"] {
            if let Some(c) = col(name) {
                s.input(r, c, Input::Number);
            }
        }
        // The total row carries 分值, 执行率 and 得分; the rows under it show a dash.
        let (Some(weight), Some(rate), Some(score)) = (col("分值"), col("执行率"), col("得分"))
        else {
            continue;
        };
        if r != header + 1 {
            s.inputs.remove(&(r, weight));
            continue;
        }
        s.input(r, weight, Input::Number);
        let (b, e, w) = (
            cell_ref(r, budget),
            cell_ref(r, executed),
            cell_ref(r, weight),
        );
        let (rate_value, score_value) = (funds_rate(s, r), funds_score(s, r));
        s.input(
            r,
            rate,
            Input::Formula {
                formula: format!("=IF(N({b})=0,\"\",ROUND({e}/{b},4))"),
                format: "0.00%",
                result: result(rate_value),
            },
        );
        s.input(
            r,
            score,
            Input::Formula {
                formula: format!("=IF(N({b})=0,\"\",ROUND(MIN(1,{e}/{b})*{w},2))"),
                format: "0.00",
                result: result(score_value),
            },
        );
    }
}

/// The columns of the funds block's header row `header`: (budget, executed, weight).
fn funds_columns(s: &Sheet) -> Option<(usize, usize, usize)> {
    let (header, first) = find(s, "年初预算数")?;
    let col = |name: &str| {
        (first..)
            .take_while(|&c| s.cells.contains_key(&(header, c)))
            .find(|&c| text(s, header, c) == name)
    };
    Some((col("全年预算数")?, col("全年执行数")?, col("分值")?))
}

/// 执行率 of funds row `r` as the template's formula works it out: 全年执行数 ÷ 全年预算数,
/// rounded to four places (a fraction).
fn funds_rate(s: &Sheet, r: usize) -> Option<Decimal> {
    let (budget, executed, _) = funds_columns(s)?;
    let b = number(s, r, budget).filter(|b| !b.is_zero())?;
    Some(round(number(s, r, executed)? / b, 4))
}

/// 得分 of funds row `r` as the template's formula works it out: the rate (at most 100%)
/// times 分值, rounded to two places.
fn funds_score(s: &Sheet, r: usize) -> Option<Decimal> {
    let (budget, executed, weight) = funds_columns(s)?;
    let b = number(s, r, budget).filter(|b| !b.is_zero())?;
    let rate = (number(s, r, executed)? / b).min(Decimal::ONE);
    Some(round(rate * number(s, r, weight)?, 2))
}

/// 填报说明 as lines.
fn instructions(form: &Form) -> Vec<String> {
    let mut lines = vec![
        "填报说明".to_string(),
        "1. 本模板由 Jixiao 预算绩效管理系统生成，版式与正式表单一致；填好后在系统中“导入”或由财务人员上传，即可原样读入。".to_string(),
        "2. 只有需要填写的单元格可以编辑；标题、表头和自动计算的单元格已锁定（未设密码）。".to_string(),
        "3. 一级指标、二级指标请从下拉列表中选择；三级指标填写具体指标名称，指标值写明数字、单位及比较方式（如“≥95%”“≤12万元”“2023年12月底前”）。".to_string(),
        "4. 金额单位为万元，保留两位小数；分值、得分填写数字；百分比请连同“%”一起填写（如 95%）。".to_string(),
        "5. 不用的指标行保持空白即可（导入后仍是空白的指标行，可在系统中删除）；需要更多指标行时，可在同组的行之间插入行。".to_string(),
    ];
    if matches!(
        form,
        Form::ProjectSelfEvaluation(_) | Form::DepartmentSelfEvaluation(_)
    ) {
        lines.push("6. 执行率（全年执行数÷全年预算数）、执行率得分（执行率最高按100%计，乘以分值）以及总分行的分值、得分合计由公式自动计算；导入后系统会按评分规则重新核算每一项得分并列出差异。".to_string());
        lines.push(
            "7. 实际完成值未达到年度指标值的，请在“偏差原因分析及改进措施”栏说明原因。".to_string(),
        );
    }
    lines
}

/// The instructions as the workbook's second sheet.
fn instructions_sheet(form: &Form) -> Sheet {
    let mut s = Sheet::new(jixiao_core::form::TEMPLATE_INSTRUCTIONS);
    s.width(0, 1000);
    for (r, line) in instructions(form).into_iter().enumerate() {
        s.set(
            r,
            0,
            line,
            if r == 0 { Style::Header } else { Style::Plain },
        );
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_references_count_from_a1() {
        assert_eq!(cell_ref(0, 0), "A1");
        assert_eq!(cell_ref(7, 5), "F8");
        assert_eq!(cell_ref(0, 26), "AA1");
    }
}
