//! 项目支出绩效自评表 and 部门整体支出绩效自评表.
//!
//! Anchor: a name row (项目名称 / 部门名称 / 项目支出名称) followed within a few lines by the
//! funds header (年初预算数 … 全年执行数). Then: header fields, the funds block by column
//! meaning, 年度总体目标, the indicator table (columns by header meaning, 一级/二级 carried
//! down merged or empty cells), the 总分 row with its grade, and 备注 lines.

use jixiao_core::form::cell::{is_blank, parse_number};
use jixiao_core::form::{
    Field, Form, FundSource, Funds, FundsRow, IndicatorRow, OverallTarget, SelfEvaluation,
};
use jixiao_core::grade::Grade;
use jixiao_core::indicator::{Layout, Level1, Level2};
use jixiao_core::money::{Amount, MoneyUnit};
use jixiao_core::source::Location;

use super::{Found, Line, LineCell, Trail, clean, key, label, preceding_titles, year_in};

const NAME_LABELS: &[&str] = &[
    "项目名称",
    "专项资金名称",
    "部门名称",
    "项目支出名称",
    "单位名称",
    "部门（单位）名称",
];
/// A name row's label: one of [`NAME_LABELS`], or a short label ending in 单位名称 / 部门名称
/// (区级预算单位名称, 评价部门名称).
fn is_name_label(key: &str) -> bool {
    NAME_LABELS.iter().any(|l| key.starts_with(l))
        || (key.chars().count() <= 10 && (key.ends_with("单位名称") || key.ends_with("部门名称")))
}

/// Labels that introduce a nested label/value pair rather than a value.
const GROUP_LABELS: &[&str] = &["项目支出名称"];

/// The funds header: a budget column (年初预算数, 全年预算数, 调整后预算数, 预算数(A)) and an
/// execution column (全年执行数, 预算执行数, 执行数(B)).
fn is_funds_header(line: &Line) -> bool {
    let budget = line.has("全年预算数")
        || line.has("年初预算")
        || line.has("调整后预算数")
        || line.has("调整预算数")
        || line.cells.iter().any(|c| c.key.starts_with("预算数"));
    let executed = line.has("全年执行数")
        || line.has("预算执行数")
        || line.cells.iter().any(|c| c.key.starts_with("执行数"));
    budget && executed
}

/// A full-year budget column header: 全年预算数, 调整后预算数 / 调整预算数 (the budget after
/// adjustments), or 预算数(A) when there is no 年初 column.
fn is_full_year_budget(k: &str) -> bool {
    let k = &k.replace("(调整)", "");
    k.starts_with("全年预算")
        || k.starts_with("调整后预算")
        || k.starts_with("调整预算")
        || k.starts_with("预算数")
}

/// An execution column header: 全年执行数, 预算执行数, 执行数(B).
fn is_executed(k: &str) -> bool {
    k.starts_with("全年执行") || k.starts_with("预算执行数") || k.starts_with("执行数")
}

/// The indicator header: 一级指标 (or 分解目标, the department forms' first column), 二级指标,
/// 三级指标.
fn is_indicator_header(line: &Line) -> bool {
    (line.has("一级指标") || line.has("分解目标")) && line.has("二级指标") && line.has("三级指标")
        || is_flat_indicator_header(line)
}

/// A template's placeholder for an indicator name: 指标1, 指标2：, or only dots (……, ...).
fn is_placeholder_name(text: &str) -> bool {
    let t = label(text);
    let t = t.trim_end_matches([':', '：']);
    let numbered = t
        .strip_prefix("指标")
        .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
    let dots = !t.is_empty() && t.chars().all(|c| matches!(c, '…' | '.' | '。' | '·' | '⋯'));
    numbered || dots
}

/// The lower row of a two-row indicator header, holding the children of a split parent
/// column: 指标性质 / 度量单位 / 计量单位, 符号 | 值 | 单位, or 单项指标得分 | 权重占比 | 折算得分.
fn is_split_header(line: &Line) -> bool {
    let exact = |w: &str| line.cells.iter().any(|c| c.anchored && c.key == w);
    line.has("指标性质")
        || line.has("度量单位")
        || line.has("计量单位")
        || (exact("符号") && exact("值"))
        || line.has("单项指标得分")
        || line.has("折算得分")
        || line.has("权重占比")
}

/// A scoring sheet's header without indicator levels (Chongqing: 指标名称 | 计量单位 | 指标性质 |
/// 年初指标值 | … | 得分系数(%) | 指标权重(分) | 指标得分(分)): a 指标名称 column, a target
/// column, a weight column and a score column.
fn is_flat_indicator_header(line: &Line) -> bool {
    let starts = |w: &str| {
        line.cells
            .iter()
            .any(|c| c.anchored && c.key.starts_with(w))
    };
    starts("指标名称")
        && (line.has("指标值") || line.has("目标值"))
        && (line.has("权重") || line.has("分值"))
        && line.has("得分")
}

/// Recognizes a self-evaluation form whose name row is line `i`: locate the header, read the
/// header fields, the funds block, 年度总体目标, the indicator rows, and the 总分 row with its
/// notes, each step on from where the previous one stopped.
pub(super) fn recognize(lines: &[Line], i: usize, used: &[bool]) -> Option<Found> {
    let first = lines[i].filled().next()?;
    if !is_name_label(&first.key) && !is_unnamed_self_evaluation(lines, i, used, &first.key) {
        return None;
    }
    let funds_at = (i + 1..(i + 9).min(lines.len())).find(|&k| is_funds_header(&lines[k]))?;
    let mut r = Reading {
        lines,
        trail: Trail::default(),
        used: (i..funds_at).collect(),
    };
    let (year, department) = r.locate_title(i, funds_at, used, &first.key);
    let mut form = blank_form(year);
    r.read_header_fields(&mut form, i..funds_at, department);
    let k = r.read_funds(&mut form.funds, funds_at);
    let k = r.read_overall_target(&mut form.overall_target, k);
    match r.find_indicator_header(k)? {
        Header::At(k, upper) => {
            let (columns, k) = r.read_indicator_header(k, upper)?;
            let k =
                r.read_indicator_rows(&mut form.indicators, &mut form.other_fields, &columns, k);
            r.take_execution_row(&mut form);
            r.read_total(&mut form, &columns, k);
        }
        // A form cut off before its indicator table: what was read is kept.
        Header::CutOff => r.trail.warnings.push(format!(
            "{}：表格在“绩效指标”之前结束（原文不完整），未读到指标、总分和等级",
            lines[i].location()
        )),
    }

    let location = lines[i].cells[0].location.clone();
    let form = if department {
        Form::DepartmentSelfEvaluation(form)
    } else {
        Form::ProjectSelfEvaluation(form)
    };
    Some(Found {
        form,
        location,
        provenance: r.trail.provenance(),
        used: r.used,
        warnings: r.trail.warnings,
    })
}

/// A self-evaluation form without a name row (the Chongqing department sheet starts with
/// 主管部门 | … | 自评总分): its first row names the 主管部门 and a title above calls it a 自评表.
fn is_unnamed_self_evaluation(lines: &[Line], i: usize, used: &[bool], first_key: &str) -> bool {
    first_key.starts_with("主管部门")
        && preceding_titles(lines, i, used, 4)
            .iter()
            .any(|&k| lines[k].key().contains("自评表"))
}

/// A form with nothing read yet.
fn blank_form(year: Option<u16>) -> SelfEvaluation {
    SelfEvaluation {
        year,
        name: String::new(),
        competent_department: None,
        implementing_unit: None,
        layout: Layout::default(),
        other_fields: Vec::new(),
        funds: Funds {
            rows: Vec::new(),
            weight: None,
            stated_rate: None,
            stated_score: None,
        },
        overall_target: OverallTarget::default(),
        indicators: Vec::new(),
        stated_total_weight: None,
        stated_total: None,
        stated_grade: None,
        notes: Vec::new(),
    }
}

/// The column of the first anchored cell of `line` whose key satisfies `pred`.
fn column(line: &Line, pred: &dyn Fn(&str) -> bool) -> Option<usize> {
    line.cells
        .iter()
        .find(|c| c.anchored && pred(&c.key))
        .map(|c| c.col)
}

/// One form being read: the lines, where values came from, and which lines were used.
struct Reading<'a> {
    lines: &'a [Line],
    trail: Trail,
    used: Vec<usize>,
}

impl Reading<'_> {
    /// The title lines above the name row: the year they print, and whether the form is a
    /// department's (部门整体, or a 部门名称 row without any project name).
    fn locate_title(
        &mut self,
        i: usize,
        funds_at: usize,
        used: &[bool],
        first_key: &str,
    ) -> (Option<u16>, bool) {
        let lines = self.lines;
        let titles = preceding_titles(lines, i, used, 4);
        let title_text: String = titles
            .iter()
            .rev()
            .map(|&k| lines[k].key())
            .collect::<Vec<_>>()
            .join("|");
        let department = title_text.contains("部门整体")
            || title_text.contains("整体支出")
            || (first_key.ends_with("部门名称") && !title_text.contains("项目"));
        let department = department
            && !lines[i..funds_at]
                .iter()
                .any(|l| l.has("项目支出名称") || l.has("项目名称"));
        self.used.extend(&titles);
        (year_in(&title_text), department)
    }

    /// Header fields: label/value pairs on the lines before the funds header.
    fn read_header_fields(
        &mut self,
        form: &mut SelfEvaluation,
        range: std::ops::Range<usize>,
        department: bool,
    ) {
        let trail = &mut self.trail;
        for line in &self.lines[range] {
            let cells: Vec<&LineCell> = line.cells.iter().filter(|c| c.anchored).collect();
            let mut k = 0;
            while k < cells.len() {
                let label_cell = cells[k];
                if label_cell.key.is_empty() {
                    k += 1;
                    continue;
                }
                if GROUP_LABELS.iter().any(|g| label_cell.key.starts_with(g)) {
                    k += 1;
                    continue;
                }
                let value_cell = cells.get(k + 1).copied();
                let value = value_cell.map(|c| c.text.clone()).unwrap_or_default();
                let name = label(&label_cell.text);
                let key = &label_cell.key;
                if key.starts_with("项目名称")
                    || key.starts_with("专项名称")
                    || key.starts_with("专项资金名称")
                    || (department && key.starts_with("部门名称"))
                    || (department && form.name.is_empty() && is_name_label(key))
                {
                    form.name = label(&value);
                    if let Some(c) = value_cell {
                        trail.at("name", c);
                    }
                } else if ["自评得分", "自评总分", "项目总得分"]
                    .iter()
                    .any(|w| key.starts_with(w))
                    && let Some(c) = value_cell
                    && let Ok(Some(total)) = parse_number(&c.text, &['分'])
                {
                    // A total stated in the header (自评得分 | 98), for forms without a 总分 row.
                    form.stated_total = Some(total);
                    trail.at("stated_total", c);
                } else if key.starts_with("主管部门") {
                    form.competent_department = Some(value);
                    if let Some(c) = value_cell {
                        trail.at("competent_department", c);
                    }
                } else if key.starts_with("实施单位") {
                    form.implementing_unit = Some(value);
                    if let Some(c) = value_cell {
                        trail.at("implementing_unit", c);
                    }
                } else {
                    if let Some(c) = value_cell {
                        trail.at(
                            format!("other_fields[{}].value", form.other_fields.len()),
                            c,
                        );
                    }
                    form.other_fields.push(Field { label: name, value });
                }
                k += 2;
            }
        }
    }

    /// The funds block: header columns by meaning, rows by label, until 年度总体目标 or the
    /// indicator header. Returns the line after the block.
    fn read_funds(&mut self, funds: &mut Funds, funds_at: usize) -> usize {
        let lines = self.lines;
        let header = &lines[funds_at];
        self.used.push(funds_at);
        let columns = FundsColumns::of(header);
        let mut k = funds_at + 1;
        while k < lines.len()
            && !lines[k].has("总体目标")
            && !lines[k].has("绩效目标")
            && !is_indicator_header(&lines[k])
        {
            let line = &lines[k];
            let labelled = line.cells.iter().filter(|c| c.anchored).find_map(|c| {
                let s = fund_source(&c.key)?;
                Some((s, c))
            });
            // A first row without a label under the header's columns (the Chongqing sheet
            // prints only 执行率 | 权重 | 得分 under 部门预算执行情况) is the block's total.
            let row = labelled.map(|(s, c)| (s, Some(c))).or_else(|| {
                (funds.rows.is_empty() && columns.holds_figures(line))
                    .then_some((FundSource::Total, None))
            });
            let Some((source, label_cell)) = row else {
                if line.is_empty() || !line.is_paragraph() {
                    self.used.push(k);
                    k += 1;
                    continue;
                }
                break;
            };
            self.used.push(k);
            self.read_funds_row(funds, &columns, line, source, label_cell);
            k += 1;
        }
        // An execution weight printed in the block label (预算执行情况（20分）) when no 分值
        // column holds one.
        if funds.weight.is_none()
            && let Some(c) = header
                .filled()
                .find_map(|c| points_in(&c.key).map(|p| (c, p)))
        {
            funds.weight = Some(c.1);
            self.trail.at("funds.weight", c.0);
        }
        k
    }

    /// One row of the funds block; the total row also carries 分值, 执行率 and 得分.
    fn read_funds_row(
        &mut self,
        funds: &mut Funds,
        columns: &FundsColumns,
        line: &Line,
        source: FundSource,
        label_cell: Option<&LineCell>,
    ) {
        let trail = &mut self.trail;
        let index = funds.rows.len();
        let unit = columns.unit;
        let amount = |trail: &mut Trail, c: Option<usize>, field: &str| -> Option<Amount> {
            let cell = line.own(c?)?;
            if cell.key.is_empty() || jixiao_core::form::cell::is_blank(&cell.text) {
                return None;
            }
            match Amount::parse(&cell.text, Some(unit)) {
                Ok(a) => {
                    trail.at(format!("funds.rows[{index}].{field}"), cell);
                    Some(a)
                }
                Err(e) => {
                    trail.warn(cell, "金额", e);
                    None
                }
            }
        };
        let row = FundsRow {
            source,
            label: label_cell.and_then(|c| {
                let l = label(&c.text);
                (key(&l) != key(source.label())).then_some(l)
            }),
            initial_budget: amount(trail, columns.initial, "initial_budget"),
            full_year_budget: amount(trail, columns.full, "full_year_budget"),
            executed: amount(trail, columns.executed, "executed"),
        };
        // The total row carries 分值, 执行率 and 得分; a block without a total row (资金来源:
        // (1)财政拨款 …) carries them on its first row.
        let first_of_untotalled = index == 0 && source != FundSource::Total;
        if source == FundSource::Total || first_of_untotalled {
            let number = |trail: &mut Trail, c: Option<usize>, field: &str, suffix: char| {
                let cell = line.own(c?)?;
                match parse_number(&cell.text, &[suffix]) {
                    Ok(v) => {
                        if v.is_some() {
                            trail.at(format!("funds.{field}"), cell);
                        }
                        v
                    }
                    Err(e) => {
                        trail.warn(cell, "数值", e);
                        None
                    }
                }
            };
            funds.weight = number(trail, columns.weight, "weight", '分');
            funds.stated_rate = number(trail, columns.rate, "stated_rate", '%');
            // A rate written as a fraction (0.958, 1) under the 执行率 column is in percent
            // 95.8, 100: a rate column never holds a percentage of one per cent or less.
            if let Some(cell) = columns.rate.and_then(|c| line.own(c))
                && !cell.text.contains('%')
                && let Some(v) = funds.stated_rate
                && v > rust_decimal::Decimal::ZERO
                && v <= rust_decimal::Decimal::ONE
            {
                funds.stated_rate = Some(v * rust_decimal::Decimal::ONE_HUNDRED);
            }
            funds.stated_score = number(trail, columns.score, "stated_score", '分');
        }
        funds.rows.push(row);
    }

    /// 年度总体目标: a header with 预期目标 / 实际完成情况, then their texts. Returns the line
    /// after it (or `k` when there is none).
    fn read_overall_target(&mut self, target: &mut OverallTarget, mut k: usize) -> usize {
        let lines = self.lines;
        if k >= lines.len()
            || !(lines[k].has("总体目标") || lines[k].has("绩效目标"))
            || is_indicator_header(&lines[k])
        {
            return k;
        }
        let head = &lines[k];
        self.used.push(k);
        // 预期目标 | 实际完成情况, or 年初设定目标 | 全年实际完成情况 / 年度总体目标完成情况综述,
        // or 年初绩效目标 | 全年(调整)绩效目标 | 全年目标实际完成情况 (the adjusted target when
        // it is filled in).
        let body_has = |c: usize| {
            lines
                .get(k + 1)
                .and_then(|l| l.own(c))
                .is_some_and(|c| !c.key.is_empty())
        };
        let c_expected = column(head, &|k| k.starts_with("全年(调整)绩效目标"))
            .filter(|&c| body_has(c))
            .or_else(|| {
                column(head, &|k| {
                    k.starts_with("预期目标")
                        || k.starts_with("年初设定目标")
                        || k.starts_with("年初绩效目标")
                })
            });
        let c_actual = column(head, &|k| {
            k.starts_with("实际完成")
                || k.starts_with("全年实际完成")
                || k.starts_with("全年完成情况")
                || (k.contains("目标") && k.contains("实际完成情况"))
                || (k.contains("总体目标") && k.contains("完成情况"))
        });
        let (Some(ce), Some(ca)) = (c_expected, c_actual) else {
            // 年度总体目标 | its text, without column words: the text is the target.
            if c_expected.is_none()
                && c_actual.is_none()
                && let Some(c) = head.filled().nth(1)
                && !(c.key.ends_with("目标") && c.key.chars().count() <= 8)
            {
                target.expected = c.text.clone();
                self.trail.at("overall_target.expected", c);
            }
            return k + 1;
        };
        if k + 1 >= lines.len() || is_indicator_header(&lines[k + 1]) {
            return k + 1;
        }
        let body = &lines[k + 1];
        self.used.push(k + 1);
        if let Some(c) = body.own(ce) {
            target.expected = c.text.clone();
            self.trail.at("overall_target.expected", c);
        }
        if let Some(c) = body.own(ca) {
            target.actual = c.text.clone();
            self.trail.at("overall_target.actual", c);
        }
        k += 2;
        // Text exports may put the second text on a row of its own.
        if target.actual.is_empty()
            && let Some(next) = lines.get(k)
            && !is_indicator_header(next)
            && next.filled().count() == 1
            && let Some(c) = next.filled().next()
        {
            target.actual = c.text.clone();
            self.trail.at("overall_target.actual", c);
            self.used.push(k);
            k += 1;
        }
        k
    }

    /// The indicator header at or after `k`, past empty lines; `None` when something else
    /// comes first.
    fn find_indicator_header(&self, mut k: usize) -> Option<Header> {
        let mut upper = None;
        while k < self.lines.len() && !is_indicator_header(&self.lines[k]) {
            let line = &self.lines[k];
            // The upper row of a two-row header above the 一级指标 row (绩效指标 | 年度指标值 |
            // 实际完成值 | 分值 | 得分 …).
            let upper_row = upper.is_none()
                && !line.is_paragraph()
                && line.has("绩效指标")
                && (line.has("指标值") || line.has("分值") || line.has("得分"))
                && self.lines.get(k + 1).is_some_and(is_indicator_header);
            if upper_row {
                upper = Some(k);
            } else if !line.is_empty() {
                return None;
            }
            k += 1;
        }
        Some(if k < self.lines.len() {
            Header::At(k, upper)
        } else {
            Header::CutOff
        })
    }

    /// The indicator header's columns (with a second header row splitting 年度指标值 into
    /// 指标性质 | 指标值 | 度量单位, or an upper row above it naming the columns its merged
    /// cells carry down), and the first row after the header.
    fn read_indicator_header(
        &mut self,
        mut k: usize,
        upper: Option<usize>,
    ) -> Option<(IndicatorColumns, usize)> {
        let head = self.lines.get(k)?;
        self.used.push(k);
        let mut columns = IndicatorColumns::of(head);
        if let Some(u) = upper {
            self.used.push(u);
            let above = IndicatorColumns::of(&self.lines[u]);
            columns.target = columns.target.or(above.target);
            columns.actual = columns.actual.or(above.actual);
            columns.weight = columns.weight.or(above.weight);
            columns.score = columns.score.or(above.score);
            columns.reason = columns.reason.or(above.reason);
        }
        k += 1;
        // The lower row of a two-row header: a parent column split into its children
        // (年度指标值 into 指标性质 | 指标值 | 度量单位 or 符号 | 值 | 单位; 自评得分 into
        // 单项指标得分 | 权重占比 | 折算得分). The children replace their parent.
        if let Some(sub) = self.lines.get(k)
            && is_split_header(sub)
        {
            let more = IndicatorColumns::of(sub);
            columns.operator = more.operator.or(columns.operator);
            columns.unit = more.unit.or(columns.unit);
            columns.target = more.target.or(columns.target);
            columns.weight = more.weight.or(columns.weight);
            columns.score = more.score.or(columns.score);
            columns.item_score = more.item_score.or(columns.item_score);
            if more.weight.is_some() {
                columns.weight_is_share = more.weight_is_share;
            }
            self.used.push(k);
            k += 1;
        }
        Some((columns, k))
    }

    /// Indicator rows until the 总分/合计 row or a paragraph; 一级/二级 labels carried down.
    /// Returns the line that stopped them.
    fn read_indicator_rows(
        &mut self,
        indicators: &mut Vec<IndicatorRow>,
        other_fields: &mut Vec<Field>,
        columns: &IndicatorColumns,
        mut k: usize,
    ) -> usize {
        let lines = self.lines;
        let mut groups = Groups::default();
        while k < lines.len() {
            let line = &lines[k];
            if line
                .cells
                .iter()
                .any(|c| c.anchored && (c.key.starts_with("总分") || c.key == "合计"))
            {
                break;
            }
            if line.is_paragraph() {
                break;
            }
            self.used.push(k);
            if let Some(first) = line.filled().next()
                && first.key.starts_with("其他需要说明")
            {
                // 其他需要说明事项 | text: a field of the form, not an indicator.
                let value = line.filled().nth(1);
                if let Some(v) = value {
                    self.trail
                        .at(format!("other_fields[{}].value", other_fields.len()), v);
                }
                other_fields.push(Field {
                    label: label(&first.text),
                    value: value.map(|v| v.text.clone()).unwrap_or_default(),
                });
                k += 1;
                continue;
            }
            if let Some(row) = self.read_indicator_row(line, columns, indicators.len(), &mut groups)
            {
                indicators.push(row);
            }
            k += 1;
        }
        k
    }

    /// One indicator row, realigned under the header when a PDF extract lost leading cells;
    /// `None` for a spacing row.
    fn read_indicator_row(
        &mut self,
        line: &Line,
        columns: &IndicatorColumns,
        index: usize,
        groups: &mut Groups,
    ) -> Option<IndicatorRow> {
        let trail = &mut self.trail;
        // A 权重占比 column holds per cents (40%).
        let suffixes: &[char] = if columns.weight_is_share {
            &['分', '%']
        } else {
            &['分']
        };
        let numeric = |l: &Line, c: Option<usize>| {
            c.and_then(|c| l.own(c))
                .is_some_and(|c| matches!(parse_number(&c.text, suffixes), Ok(Some(_))))
        };
        let fits = |l: &Line| {
            let named = columns
                .name
                .and_then(|c| l.own(c))
                .is_some_and(|c| !c.key.is_empty() && !is_quantity(&c.text));
            named && numeric(l, columns.weight)
        };
        let scored = |l: &Line| fits(l) && numeric(l, columns.score);
        let line = &match super::aligned(line, scored) {
            l if scored(&l) => l,
            _ => super::aligned(line, fits),
        };
        let blank = [
            columns.name,
            columns.target,
            columns.weight,
            columns.actual,
            columns.score,
        ]
        .iter()
        .all(|c| c.and_then(|c| line.own(c)).is_none_or(|c| c.key.is_empty()));
        if !blank && !fits(line) && line.filled().count() > 2 {
            trail.warnings.push(format!(
                "{}：指标行的列与表头对不齐（分值不是数字或缺少指标名称），请核对",
                line.location()
            ));
        }
        let text = |c: Option<usize>| c.and_then(|c| line.own(c)).filter(|c| !c.key.is_empty());
        let carried = |c: Option<usize>| c.and_then(|c| line.at(c)).filter(|c| !c.key.is_empty());
        let level2_cell = carried(columns.level2);
        if let Some(c) = carried(columns.level1) {
            let text = label(&c.text);
            // A 二级 label in the 一级 column (a PDF extract lost a merged cell) is the 二级.
            if Level1::parse(&text).is_none() && Level2::parse(&text).is_some() {
                groups.level2 = (text, Some(c.location.clone()));
            } else {
                groups.level1 = (text, Some(c.location.clone()));
                if let Some(c) = level2_cell {
                    groups.level2 = (label(&c.text), Some(c.location.clone()));
                }
            }
        } else if let Some(c) = level2_cell {
            groups.level2 = (label(&c.text), Some(c.location.clone()));
        }
        let name = text(columns.name);
        let target = text(columns.target);
        let weight_cell = text(columns.weight);
        // A row with nothing but its group labels is a blank slot of a blank or partly
        // filled form: kept, so the form stays usable as one. A row without even those is
        // spacing.
        let grouped = carried(columns.level1).is_some() || level2_cell.is_some();
        // A template's placeholder row (指标1, 指标2：, ……) with nothing else filled in is no
        // indicator and no slot: the template prints it to show where rows go.
        let empty = |c: Option<usize>| text(c).is_none_or(|c| is_blank(&c.text));
        if name.is_some_and(|c| is_placeholder_name(&c.text))
            && [
                columns.target,
                columns.actual,
                columns.weight,
                columns.score,
            ]
            .into_iter()
            .all(empty)
        {
            return None;
        }
        if name.is_none() && target.is_none() && weight_cell.is_none() && !(blank && grouped) {
            return None;
        }
        // `share`: a 权重占比 cell, in per cent of the total (20%, or 0.2 as a fraction), read
        // as the points it weighs (20).
        let mut number = |c: Option<&LineCell>, field: &str, share: bool| {
            let c = c?;
            let suffixes: &[char] = if share { &['分', '%'] } else { &['分'] };
            match parse_number(&c.text, suffixes) {
                Ok(v) => {
                    trail.at(format!("indicators[{index}].{field}"), c);
                    match v {
                        Some(v)
                            if share
                                && !c.text.contains('%')
                                && v <= rust_decimal::Decimal::ONE =>
                        {
                            Some(v * rust_decimal::Decimal::ONE_HUNDRED)
                        }
                        v => v,
                    }
                }
                Err(e) => {
                    trail.warn(c, "分数", e);
                    None
                }
            }
        };
        let share = columns.weight_is_share || weight_cell.is_some_and(|c| c.text.contains('%'));
        let weight = number(weight_cell, "weight", share);
        let score = number(text(columns.score), "score", false);
        let item_score = number(text(columns.item_score), "item_score", false);
        let mut target_text = target.map(|c| c.text.clone()).unwrap_or_default();
        let (op, unit) = (text(columns.operator), text(columns.unit));
        if (op.is_some() || unit.is_some()) && !target_text.is_empty() {
            // The children of a split 年度指标值 joined back as written (≥ | 90 | % → ≥90%).
            // 指标性质 as 定量指标 / 定性指标 (the Chongqing sheet) is a kind, not a sign; a
            // target that already prints its sign or unit (100% under 计量单位 %) keeps it once.
            let sign = match op {
                Some(op) if !op.key.ends_with("指标") && !target_text.starts_with(&op.text) => {
                    op.text.as_str()
                }
                _ => "",
            };
            let unit = match unit {
                Some(u) if !target_text.ends_with(u.text.as_str()) => u.text.as_str(),
                _ => "",
            };
            target_text = format!("{sign}{target_text}{unit}");
        }
        // The group labels at the cells they were read from, also when an earlier row holds
        // them (a merged cell, or a flattened text's label printed once for its rows).
        for (field, at) in [("level1", &groups.level1.1), ("level2", &groups.level2.1)] {
            if let Some(at) = at {
                trail.note(format!("indicators[{index}].{field}"), at.clone());
            }
        }
        // A value the row leaves empty is still about its own cell: a finding that it is
        // missing points there, not at the form.
        for (field, column) in [
            ("target", columns.target),
            ("actual", columns.actual),
            ("weight", columns.weight),
            ("score", columns.score),
        ] {
            let Some(c) = column else { continue };
            match line.own(c) {
                Some(cell) if cell.key.is_empty() => {
                    trail.at(format!("indicators[{index}].{field}"), cell);
                }
                None if line.at(c).is_none() => {
                    // No cell at all (a flattened row cut short): the row at that column,
                    // in the text just after the value before it (where the missing one
                    // would be), not at the row's start.
                    let before = line
                        .cells
                        .iter()
                        .filter(|x| x.col < c)
                        .max_by_key(|x| x.col);
                    if let Some(near) = before.or(line.cells.first()) {
                        let mut at = near.location.clone();
                        at.col = Some(c + 1);
                        trail.note(format!("indicators[{index}].{field}"), at);
                    }
                }
                _ => {}
            }
        }
        for (field, cell) in [
            ("name", name),
            ("target", target),
            ("actual", text(columns.actual)),
            ("deviation_reason", text(columns.reason)),
        ] {
            if let Some(c) = cell {
                trail.at(format!("indicators[{index}].{field}"), c);
            }
        }
        Some(IndicatorRow {
            level1: groups.level1.0.clone(),
            level2: groups.level2.0.clone(),
            name: name.map(|c| label(&c.text)).unwrap_or_default(),
            target: target_text,
            actual: text(columns.actual)
                .map(|c| c.text.clone())
                .unwrap_or_default(),
            weight,
            score,
            item_score,
            deviation_reason: text(columns.reason).map(|c| c.text.clone()),
            not_applicable: None,
            manual_override: None,
        })
    }

    /// A form whose funds block has no 分值/得分 but scores 预算执行率 as an indicator row (项目管理
    /// | 投入管理 | 预算执行率 | 10 | 100% | | 9): that row is the execution item. It leaves the
    /// indicators and gives the funds block its weight and score (and its rate when the block
    /// prints none), with the row's cells as their provenance.
    fn take_execution_row(&mut self, form: &mut SelfEvaluation) {
        let funds = &mut form.funds;
        if funds.weight.is_some() || funds.stated_score.is_some() {
            return;
        }
        let Some(j) = form.indicators.iter().position(|r| {
            let k = key(&r.name);
            k.ends_with("执行率")
                && (k.contains("预算") || k.contains("资金"))
                && r.weight.is_some()
        }) else {
            return;
        };
        let row = form.indicators.remove(j);
        funds.weight = row.weight;
        funds.stated_score = row.score;
        let rate_from_row =
            funds.stated_rate.is_none() && matches!(parse_number(&row.actual, &['%']), Ok(Some(_)));
        if rate_from_row {
            funds.stated_rate = parse_number(&row.actual, &['%']).ok().flatten();
        }
        let provenance = self.trail.provenance();
        let prefix = format!("indicators[{j}].");
        for (path, at) in provenance {
            let moved = match path.strip_prefix(&prefix) {
                Some("weight") => Some("funds.weight".to_string()),
                Some("score") => Some("funds.stated_score".to_string()),
                Some("actual") if rate_from_row => Some("funds.stated_rate".to_string()),
                Some(_) => None,
                None => Some(shift_index(&path, j)),
            };
            if let Some(path) = moved {
                self.trail.note(path, at);
            }
        }
    }

    /// The 总分 row at `k` (weight and score under their columns, and the grade), then the
    /// 备注 lines. Nothing when the form is cut off before it.
    fn read_total(&mut self, form: &mut SelfEvaluation, columns: &IndicatorColumns, k: usize) {
        let Some(line) = self.lines.get(k) else {
            return;
        };
        if !line
            .cells
            .iter()
            .any(|c| c.key.starts_with("总分") || c.key == "合计")
        {
            return;
        }
        self.used.push(k);
        let after_label: Vec<&LineCell> = line
            .filled()
            .skip_while(|c| !(c.key.starts_with("总分") || c.key == "合计"))
            .skip(1)
            .collect();
        let is_number = |c: &&LineCell| matches!(parse_number(&c.text, &['分']), Ok(Some(_)));
        let numbers: Vec<&LineCell> = after_label
            .iter()
            .copied()
            .filter(|c| is_number(c))
            .collect();
        let pick = |c: Option<usize>, nth: usize| {
            c.and_then(|c| line.own(c))
                .filter(is_number)
                .or_else(|| numbers.get(nth).copied())
        };
        if let Some(c) = pick(columns.weight, 0)
            && let Ok(v) = parse_number(&c.text, &['分'])
        {
            form.stated_total_weight = v;
            self.trail.at("stated_total_weight", c);
        }
        if let Some(c) = pick(columns.score, 1)
            && let Ok(v) = parse_number(&c.text, &['分'])
        {
            form.stated_total = v;
            self.trail.at("stated_total", c);
        }
        if let Some(c) = line.find(|k| k.contains("等级")) {
            form.stated_grade = Grade::parse(&c.text);
            self.trail.at("stated_grade", c);
        } else if let Some((c, g)) = after_label
            .iter()
            .find_map(|c| Grade::parse(&c.text).map(|g| (c, g)))
        {
            // A grade printed alone after the score (总分 | 100 | 96 | 优).
            form.stated_grade = Some(g);
            self.trail.at("stated_grade", c);
        }
        self.read_notes(&mut form.notes, k + 1);
    }

    /// 备注 lines from `k`: a 备注 line and the numbered one-cell lines after it.
    fn read_notes(&mut self, notes: &mut Vec<String>, mut k: usize) {
        let mut in_notes = false;
        while let Some(line) = self.lines.get(k) {
            let t = line.key();
            if line.is_empty() {
                k += 1;
                continue;
            }
            let numbered = t.chars().next().is_some_and(|c| c.is_ascii_digit());
            if t.starts_with("备注") || (in_notes && numbered && line.filled().count() == 1) {
                in_notes = true;
                self.used.push(k);
                let text = line
                    .filled()
                    .next()
                    .map(|c| clean(&c.text))
                    .unwrap_or_default();
                let text = text
                    .strip_prefix("备注：")
                    .or_else(|| text.strip_prefix("备注:"))
                    .unwrap_or(&text)
                    .trim()
                    .to_string();
                notes.push(text);
                k += 1;
            } else {
                break;
            }
        }
    }
}

/// `indicators[n].field` with `n` one less when `n` is after the removed row `j`.
fn shift_index(path: &str, j: usize) -> String {
    let Some(rest) = path.strip_prefix("indicators[") else {
        return path.to_string();
    };
    let Some((n, tail)) = rest.split_once(']') else {
        return path.to_string();
    };
    match n.parse::<usize>() {
        Ok(n) if n > j => format!("indicators[{}]{tail}", n - 1),
        _ => path.to_string(),
    }
}

/// Where the funds block's columns are, by header meaning, and the unit its header names.
struct FundsColumns {
    unit: MoneyUnit,
    initial: Option<usize>,
    full: Option<usize>,
    executed: Option<usize>,
    weight: Option<usize>,
    rate: Option<usize>,
    score: Option<usize>,
}

impl FundsColumns {
    fn of(header: &Line) -> FundsColumns {
        FundsColumns {
            unit: header
                .cells
                .iter()
                .find_map(|c| MoneyUnit::from_header(&c.text))
                .unwrap_or(MoneyUnit::Wan),
            initial: column(header, &|k| k.starts_with("年初预算")),
            full: column(header, &is_full_year_budget),
            executed: column(header, &is_executed),
            // 分值 / 权重, or the Chongqing 执行率权重 / 执行率得分(分).
            weight: column(header, &|k| {
                k == "分值" || k == "权重" || k.starts_with("执行率权重")
            }),
            // 执行率, or 预算执行进度 (a budget block headed 预算数 | 到位数 | 执行数 | 预算执行进度).
            rate: column(header, &|k| {
                (k.starts_with("执行率")
                    || k.starts_with("预算执行率")
                    || k.starts_with("预算执行进度"))
                    && !k.contains("权重")
                    && !k.contains("得分")
            }),
            score: column(header, &|k| {
                k.starts_with("得分") || k.starts_with("执行率得分")
            }),
        }
    }

    /// True when `line` holds a number under one of the amount, rate, weight or score
    /// columns.
    fn holds_figures(&self, line: &Line) -> bool {
        [
            self.initial,
            self.full,
            self.executed,
            self.weight,
            self.rate,
            self.score,
        ]
        .iter()
        .flatten()
        .filter_map(|&c| line.own(c))
        .any(|c| matches!(parse_number(&c.text, &['%', '分']), Ok(Some(_))))
    }
}

/// Where the indicator table starts.
enum Header {
    /// The 一级指标 header row, and the upper header row above it, if any.
    At(usize, Option<usize>),
    /// The lines end first: the form is cut off before its indicators.
    CutOff,
}

/// The points a label prints in parentheses: `预算执行情况(20分)` → 20.
fn points_in(key: &str) -> Option<rust_decimal::Decimal> {
    key.split('(').skip(1).find_map(|inner| {
        let close = inner.find("分)")?;
        parse_number(&inner[..close], &[]).ok().flatten()
    })
}

/// True for a cell that is a bare amount, number or percentage, never an indicator name.
fn is_quantity(text: &str) -> bool {
    parse_number(text, &['%', '分']).is_ok_and(|v| v.is_some())
        || Amount::parse(text, Some(MoneyUnit::Wan)).is_ok()
}

/// The funds row a label names.
fn fund_source(key: &str) -> Option<FundSource> {
    if key.contains("年度资金总额") || key == "合计" || key.contains("资金总额") || key == "总额"
    {
        Some(FundSource::Total)
    } else if key.contains("财政拨款") || key.contains("财政资金") {
        Some(FundSource::CurrentFiscal)
    } else if key.contains("上年结转") {
        Some(FundSource::CarryOver)
    } else if key.contains("其他资金") {
        Some(FundSource::Other)
    } else {
        None
    }
}

/// Where each indicator column is, by header meaning.
#[derive(Debug, Default)]
pub(super) struct IndicatorColumns {
    pub level1: Option<usize>,
    pub level2: Option<usize>,
    pub name: Option<usize>,
    pub target: Option<usize>,
    pub operator: Option<usize>,
    pub unit: Option<usize>,
    pub actual: Option<usize>,
    pub weight: Option<usize>,
    pub score: Option<usize>,
    /// 单项指标得分: the unweighted score of a form that also prints 折算得分.
    pub item_score: Option<usize>,
    pub reason: Option<usize>,
    /// The weight column is a 权重占比 (a share of the total in per cent).
    pub weight_is_share: bool,
}

impl IndicatorColumns {
    pub(super) fn of(head: &Line) -> IndicatorColumns {
        let mut c = IndicatorColumns::default();
        for cell in head.cells.iter().filter(|c| c.anchored) {
            let k = cell.key.as_str();
            let slot = if k.starts_with("一级指标") || k.starts_with("分解目标") {
                &mut c.level1
            } else if k.starts_with("二级指标") {
                &mut c.level2
            } else if k.starts_with("三级指标") || k.starts_with("指标名称") {
                &mut c.name
            } else if k.contains("实际完成")
                || k.ends_with("完成值")
                || k.starts_with("实际值")
                || k.starts_with("全年实际值")
            {
                &mut c.actual
            } else if k.starts_with("指标性质") || k.starts_with("计算符号") || k == "符号"
            {
                &mut c.operator
            } else if k.starts_with("度量单位") || k.starts_with("计量单位") || k == "单位"
            {
                &mut c.unit
            } else if k.contains("指标值") || k.contains("目标值") || k == "值" {
                &mut c.target
            } else if k.starts_with("单项指标得分") || k.starts_with("单项得分") {
                &mut c.item_score
            } else if k == "分值"
                || k == "权重"
                || k.starts_with("分值(")
                || k.starts_with("权重(")
                || k.starts_with("指标权重")
                || k.starts_with("权重占比")
                || k.starts_with("参考分值")
                || k.starts_with("指标分值")
            {
                &mut c.weight
            } else if (k.starts_with("得分") && !k.starts_with("得分系数"))
                || k.starts_with("指标得分")
                || k.starts_with("折算得分")
                || k.starts_with("自评得分")
            {
                // Scoring sheets: 折算得分 (weighted) is the row's score; 单项指标得分 and
                // 得分系数 are its factors.
                &mut c.score
            } else if k.contains("原因") {
                &mut c.reason
            } else {
                continue;
            };
            slot.get_or_insert(cell.col);
        }
        c.weight_is_share = c
            .weight
            .and_then(|col| head.own(col))
            .is_some_and(|cell| cell.key.starts_with("权重占比"));
        c
    }
}

/// The 一级/二级 labels in force while reading indicator rows, each with the cell it was read
/// from: a label printed once (a merged cell) holds for the rows below it.
#[derive(Debug, Default)]
struct Groups {
    level1: (String, Option<Location>),
    level2: (String, Option<Location>),
}

#[cfg(test)]
mod tests {
    use super::*;
    use jixiao_core::source::Location;

    fn header(words: &[&str]) -> Line {
        Line::new(
            words
                .iter()
                .enumerate()
                .map(|(col, w)| LineCell {
                    text: (*w).to_string(),
                    key: key(w),
                    col,
                    colspan: 1,
                    anchored: true,
                    location: Location::default(),
                })
                .collect(),
            Some(0),
            None,
        )
    }

    #[test]
    fn scoring_sheet_columns_by_meaning() {
        // 单项指标得分 / 权重占比 / 折算得分: the weighted score is the row's score.
        let c = IndicatorColumns::of(&header(&[
            "一级指标",
            "二级指标",
            "三级指标",
            "年度指标值",
            "全年实际值",
            "单项指标得分",
            "权重占比",
            "折算得分",
        ]));
        assert_eq!((c.target, c.actual), (Some(3), Some(4)));
        assert_eq!((c.weight, c.score), (Some(6), Some(7)));
        // 得分系数(%) / 指标权重(分) / 指标得分(分) (Chongqing).
        let c = IndicatorColumns::of(&header(&[
            "一级指标",
            "二级指标",
            "三级指标",
            "年初指标值",
            "全年完成值",
            "得分系数(%)",
            "指标权重(分)",
            "指标得分(分)",
        ]));
        assert_eq!((c.target, c.actual), (Some(3), Some(4)));
        assert_eq!((c.weight, c.score), (Some(6), Some(7)));
    }
}
