//! 转移支付区域（项目）绩效自评表.
//!
//! Anchor: a 转移支付（项目）名称 row; or a title naming a 转移支付 self-evaluation followed by
//! its funds; or a 资金投入情况 block whose rows are by level of government (中央财政资金,
//! 中央补助). Then, section by section as the words come: header fields, 资金投入情况 (rows by
//! level, each with 全年预算数(A) / 全年到位资金 / 全年执行数(B) / 执行率; sub-blocks of a
//! transfer with several parts keep their part's name), 资金管理情况 (aspect → 情况说明, 存在问题),
//! 总体目标完成情况, 绩效指标 rows and a 总分 row. Rows may be table rows or paragraphs of text
//! whose table was flattened (values then follow their label in reading order, the rates
//! telling which amount is which). What the form does not have — a cut-off text — is simply
//! not filled; lines not understood stay unrecognized.

use jixiao_core::form::cell::parse_number;
use jixiao_core::form::transfer::{FundLevel, ManagementItem, TransferFunds, TransferPayment};
use jixiao_core::form::{Field, Form, IndicatorRow, OverallTarget};
use jixiao_core::money::{Amount, MoneyUnit};
use rust_decimal::Decimal;

use super::self_eval::IndicatorColumns;
use super::{Found, Line, LineCell, Trail, key, label, preceding_titles};

/// Labels of the form's name row, as matching keys (widths folded: 转移支付（项目）名称 too).
const NAME_LABELS: &[&str] = &["转移支付(项目)名称", "转移支付名称", "转移支付项目名称"];

/// True for a key that starts with a name label.
fn is_name_key(k: &str) -> bool {
    NAME_LABELS.iter().any(|l| k.starts_with(l))
}

/// The aspects of 资金管理情况 on the national form.
const ASPECTS: &[&str] = &[
    "分配科学性",
    "下达及时性",
    "拨付合规性",
    "使用规范性",
    "执行准确性",
    "预算绩效管理情况",
    "支出责任履行情况",
];

/// Header words of the 资金管理情况 block (not answers).
const MANAGEMENT_HEADS: &[&str] = &["情况说明", "存在问题", "改进措施", "列次"];

/// A label of the form's stated total (项目总得分, 自评总分(分)).
fn is_total_label(k: &str) -> bool {
    ["项目总得分", "总得分", "自评总分", "自评得分"]
        .iter()
        .any(|w| k.starts_with(w))
}

/// The level of government a funds label names, if it is one.
fn fund_level(k: &str) -> Option<FundLevel> {
    let k = k.trim_start_matches("其中").trim_start_matches([':', '：']);
    // A note in brackets after the label (其他资金(万元,自有资金、社会资本…)) is not a sentence.
    let k = match k.find('(') {
        Some(at) if at > 0 => &k[..at],
        _ => k,
    };
    if k.chars().count() > 40
        || k.contains(['、', ',', '，', '。'])
        || !["资金", "补助", "总额", "合计", "公益金"]
            .iter()
            .any(|w| k.contains(w))
    {
        return None;
    }
    if k.contains("资金总额") || k.contains("合计") || k.starts_with("总额") {
        Some(FundLevel::Total)
    } else if k.starts_with("中央") {
        Some(FundLevel::Central)
    } else if k.starts_with("其他资金")
        || k.starts_with("彩票公益金")
        || k.starts_with("福彩")
        || k.starts_with("体彩")
    {
        // 彩票公益金 is a source of its own beside the budget's levels: a row of its own,
        // kept with its printed label.
        Some(FundLevel::Other)
    } else if [
        "地方",
        "省级",
        "省",
        "市级",
        "县级",
        "区级",
        "本级",
        "自治区",
        "市县",
        "州级",
    ]
    .iter()
    .any(|w| k.starts_with(w))
        && (k.contains("资金") || k.contains("补助"))
    {
        Some(FundLevel::Local)
    } else {
        None
    }
}

/// True for the key of a form title naming a transfer-payment self-evaluation.
fn is_transfer_title(k: &str) -> bool {
    k.contains("转移支付") && (k.contains("自评表") || k.contains("评价表"))
}

/// The line at which a transfer form starts, if line `i` is one.
fn is_anchor(lines: &[Line], i: usize) -> bool {
    let line = &lines[i];
    let Some(first) = line.filled().next() else {
        return false;
    };
    if is_name_key(&first.key) {
        return true;
    }
    let funds_follow = |words: &[&str], n: usize| {
        lines[i + 1..(i + 1 + n).min(lines.len())]
            .iter()
            .any(|l| words.iter().any(|w| l.key().contains(w)))
    };
    // A project name row with or followed by the regional departments of a transfer
    // (自治区主管部门, 市县财政部门 …; flattened text may keep them in the name's row).
    if first.key.starts_with("项目名称") {
        return lines[i..(i + 5).min(lines.len())].iter().any(|l| {
            [
                "中央主管部门",
                "自治区主管部门",
                "省级主管部门",
                "市县财政部门",
                "市县主管部门",
            ]
            .iter()
            .any(|w| l.has(w))
        });
    }
    if line.is_paragraph() && is_transfer_title(line.key()) {
        return funds_follow(&["资金总额", "资金投入情况"], 12);
    }
    line.cells
        .iter()
        .any(|c| c.anchored && c.key.contains("资金投入情况"))
        && !line.has("项目资金")
        && funds_follow(&["中央财政资金", "中央补助", "中央资金"], 25)
}

/// Recognizes a transfer-payment self-evaluation anchored at line `i`.
pub(super) fn recognize(lines: &[Line], i: usize, used: &[bool]) -> Option<Found> {
    if !is_anchor(lines, i) {
        return None;
    }
    let mut r = Reading {
        lines,
        trail: Trail::default(),
        used: vec![i],
        form: TransferPayment {
            year: None,
            name: String::new(),
            central_department: None,
            local_department: None,
            implementing_unit: None,
            other_fields: Vec::new(),
            funds: Vec::new(),
            management: Vec::new(),
            overall_target: OverallTarget::default(),
            indicators: Vec::new(),
            stated_total: None,
            notes: Vec::new(),
        },
        section: Section::Header,
        funds: FundsState::default(),
        pending_label: None,
        indicator_columns: None,
        level1: String::new(),
        level2: String::new(),
    };
    r.locate_title(i, used);
    // A stated total printed above the name row (项目总得分 | 99分, or the label and the
    // value on lines of their own).
    if let Some(above) = total_above(lines, i, used) {
        for k in above..i {
            r.read_line(k);
        }
    }
    let mut k = i;
    while k < lines.len() {
        if k > i && is_anchor(lines, k) && r.section != Section::Header {
            break;
        }
        if r.read_line(k) == Flow::Over {
            break;
        }
        k += 1;
    }
    r.finish_funds_row();
    r.complete_total_from_sole_source();
    r.say_what_is_missing(i);
    let location = lines[i].cells[0].location.clone();
    Some(Found {
        form: Form::TransferPayment(r.form),
        location,
        provenance: r.trail.provenance(),
        used: r.used,
        warnings: r.trail.warnings,
    })
}

/// The line of a stated total just above the anchor `i`: its label row (项目总得分 | 99分), or
/// the label followed by its value on a line of its own (项目总得分 / 99分).
fn total_above(lines: &[Line], i: usize, used: &[bool]) -> Option<usize> {
    let starts_total = |k: usize| {
        !used[k]
            && lines[k]
                .filled()
                .next()
                .is_some_and(|c| is_total_label(&c.key))
    };
    let lone_value = |k: usize| {
        !used[k]
            && lines[k].filled().count() == 1
            && lines[k]
                .filled()
                .next()
                .is_some_and(|c| matches!(parse_number(&c.key, &['分']), Ok(Some(_))))
    };
    let above = i.checked_sub(1)?;
    if starts_total(above) {
        return Some(above);
    }
    let label = above.checked_sub(1)?;
    (lone_value(above) && starts_total(label)).then_some(label)
}

/// Which block of the form is being read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    Header,
    Funds,
    Management,
    Target,
    Indicators,
}

/// Whether the form goes on after a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flow {
    Next,
    Over,
}

/// The funds block as read so far.
#[derive(Default)]
struct FundsState {
    /// The header has a 行次 column: each row's first small integer is its row number.
    numbered: bool,
    /// The header has a 全年到位资金 column.
    received: bool,
    /// The part (sub-block) the next rows belong to.
    part: Option<String>,
    /// The row being read: its level, label cell and the values after it.
    row: Option<(FundLevel, LineCell, Vec<LineCell>)>,
    /// The header's columns, when it is a table row: rows of that table are read by them.
    columns: Option<FundsColumns>,
}

/// The grid columns of a funds header printed as a table row (全年预算数 | 全年到位资金 |
/// 全年执行数 | 执行率), so that the rows under it are read by column, whatever cells are
/// empty or merged.
#[derive(Debug, Clone, Copy)]
struct FundsColumns {
    table: usize,
    budget: Option<usize>,
    received: Option<usize>,
    executed: Option<usize>,
    rate: Option<usize>,
}

impl FundsColumns {
    /// The columns of `line` when it is a funds header row (two or more of its cells name
    /// a funds column).
    fn of(line: &Line) -> Option<FundsColumns> {
        let table = line.table?;
        let mut columns = FundsColumns {
            table,
            budget: None,
            received: None,
            executed: None,
            rate: None,
        };
        let mut named = 0;
        for c in line.filled().filter(|c| c.anchored) {
            let k = c.key.as_str();
            // A rate column (执行率, 预算执行(E/C×100%)); a rate of anything else (预算到位
            // (D/C×100%)) is no column of the row.
            let is_rate = k.contains('%') || k.contains('率') || k.contains("进度");
            let slot = if is_rate {
                if !k.contains("执行") {
                    continue;
                }
                &mut columns.rate
            } else if k.contains("到位") {
                &mut columns.received
            } else if k.contains("执行数") || k.contains("执行资金") {
                &mut columns.executed
            } else if k.contains("预算数") || k.contains("预算资金") {
                &mut columns.budget
            } else {
                continue;
            };
            if slot.is_none() {
                *slot = Some(c.col);
                named += 1;
            }
        }
        (named >= 2).then_some(columns)
    }
}

/// One form being read.
struct Reading<'a> {
    lines: &'a [Line],
    trail: Trail,
    used: Vec<usize>,
    form: TransferPayment,
    section: Section,
    funds: FundsState,
    /// A header label waiting for its value on the next cell.
    pending_label: Option<LineCell>,
    indicator_columns: Option<IndicatorColumns>,
    level1: String,
    level2: String,
}

/// A line's words: a table cell is one (cells carried down from above are skipped); a
/// paragraph is cut at spaces and where a number runs into text (`58.33%其中:中央财政资金`).
fn pieces(line: &Line) -> Vec<LineCell> {
    let mut out = Vec::new();
    // Cells carried down from a row span above were read on their own row.
    for c in line.filled().filter(|c| c.anchored) {
        if !line.is_paragraph() {
            out.push(c.clone());
            continue;
        }
        for word in c.text.split_whitespace() {
            let numeric: String = word
                .chars()
                .take_while(|ch| ch.is_ascii_digit() || matches!(ch, '.' | '%' | ','))
                .collect();
            let parts: Vec<&str> = if !numeric.is_empty()
                && numeric.len() < word.len()
                && (numeric.contains('.') || numeric.ends_with('%'))
            {
                vec![&word[..numeric.len()], &word[numeric.len()..]]
            } else {
                vec![word]
            };
            for p in parts {
                out.push(LineCell {
                    text: p.to_string(),
                    key: key(p),
                    ..c.clone()
                });
            }
        }
    }
    out
}

/// A rate cell (`86%`, `58.33%`), in percent.
fn rate(c: &LineCell) -> Option<Decimal> {
    if !c.key.ends_with('%') {
        return None;
    }
    parse_number(&c.key, &['%']).ok().flatten()
}

/// An amount cell (`808.1`, `300万元`, `52.800000`), 万元 unless it says otherwise.
fn amount(c: &LineCell) -> Option<Amount> {
    if c.key.ends_with('%') || c.key.is_empty() {
        return None;
    }
    Amount::parse(&c.text, Some(MoneyUnit::Wan)).ok()
}

impl Reading<'_> {
    /// A warning naming the parts of the form that were not read (a text cut off, a form
    /// without them), so a partly read form says exactly what it lacks.
    fn say_what_is_missing(&mut self, i: usize) {
        let f = &self.form;
        let missing: Vec<&str> = [
            (f.total().is_none(), "资金投入情况（年度资金总额）"),
            (f.management.is_empty(), "资金管理情况"),
            (
                f.overall_target.expected.is_empty() && f.overall_target.actual.is_empty(),
                "总体目标完成情况",
            ),
            (f.indicators.is_empty(), "绩效指标"),
        ]
        .into_iter()
        .filter_map(|(absent, what)| absent.then_some(what))
        .collect();
        if !missing.is_empty() {
            self.trail.warnings.push(format!(
                "{}：转移支付绩效自评表未读到{}（原文可能不完整）",
                self.lines[i].location(),
                missing.join("、")
            ));
        }
    }

    /// The title above (or in) the anchor: the year, and the transfer's name when the form
    /// has no name row (`…2024年度林业草原改革发展资金绩效评价表` → 林业草原改革发展资金).
    fn locate_title(&mut self, i: usize, used: &[bool]) {
        let titles = preceding_titles(self.lines, i, used, 4);
        self.used.extend(&titles);
        let mut candidates: Vec<usize> = titles.clone();
        candidates.push(i);
        candidates.extend((i.saturating_sub(8)..i).rev().filter(|k| !used[*k]));
        for k in candidates {
            let text = self.lines[k].key();
            let Some(end) = ["绩效自评表", "绩效评价表", "绩效目标自评表", "自评表"]
                .iter()
                .find_map(|w| text.find(w))
            else {
                continue;
            };
            let head = &text[..end];
            if self.form.year.is_none() {
                self.form.year = year_before_niandu(text);
            }
            if self.form.name.is_empty() {
                let name = head.rsplit("年度").next().unwrap_or(head);
                let name = name.rsplit('*').next().unwrap_or(name);
                if !name.is_empty() {
                    self.form.name = name.to_string();
                    if let Some(c) = self.lines[k].cells.first() {
                        self.trail.at("name", c);
                    }
                }
            }
        }
        // A year line under a title that is itself the anchor (（2024年度）).
        let after = (i + 1..(i + 3).min(self.lines.len()))
            .take_while(|&k| self.lines[k].filled().count() == 1 && !used[k]);
        for k in titles.iter().copied().chain(after) {
            if self.form.year.is_none()
                && let Some(y) = year_before_niandu(self.lines[k].key())
            {
                self.form.year = Some(y);
                if k > i {
                    self.used.push(k);
                }
            }
        }
    }

    /// Reads line `k` by the section it is in; section words switch sections.
    fn read_line(&mut self, k: usize) -> Flow {
        let line = &self.lines[k];
        if line.is_empty() {
            return Flow::Next;
        }
        let lk = line.key();
        if self.section == Section::Indicators && self.indicator_columns.is_some() {
            if line.filled().count() == 1
                && (lk.starts_with("备注") || lk.starts_with("说明"))
                && let Some(cell) = line.filled().next()
            {
                let text = super::clean(&cell.text);
                let text = ["备注：", "备注:", "说明：", "说明:"]
                    .iter()
                    .find_map(|p| text.strip_prefix(p))
                    .unwrap_or(&text)
                    .trim()
                    .to_string();
                self.trail
                    .at(format!("notes[{}]", self.form.notes.len()), cell);
                self.form.notes.push(text);
                self.used.push(k);
                return Flow::Next;
            }
            if line.is_paragraph() && !lk.starts_with("总分") && !lk.contains("总得分") {
                return Flow::Over;
            }
            self.used.push(k);
            self.read_indicator_row(line);
            return Flow::Next;
        }
        // The indicator table's header; a checklist header before the funds (一级指标 | 自评内容
        // | 记录) is not one.
        if line.has("一级指标") && !line.is_paragraph() && self.section != Section::Header {
            self.finish_funds_row();
            self.section = Section::Indicators;
            self.indicator_columns = Some(IndicatorColumns::of(line));
            self.used.push(k);
            return Flow::Next;
        }
        if !line.is_paragraph()
            && matches!(self.section, Section::Header | Section::Funds)
            && let Some(columns) = FundsColumns::of(line)
        {
            self.funds.columns = Some(columns);
        } else if self.read_funds_row_by_columns(line) {
            self.used.push(k);
            return Flow::Next;
        }
        let mut understood = false;
        for cell in pieces(line) {
            understood |= self.read_piece(cell);
        }
        if understood {
            self.used.push(k);
        }
        Flow::Next
    }

    /// One cell or word. Returns whether it was understood.
    fn read_piece(&mut self, c: LineCell) -> bool {
        let k = c.key.as_str();
        if k.contains("资金投入情况") {
            self.finish_funds_row();
            self.section = Section::Funds;
            return true;
        }
        if k.starts_with("资金管理情况") {
            self.finish_funds_row();
            self.section = Section::Management;
            return true;
        }
        // 年度总体目标 | its prose (a regional form without 预期目标 / 实际完成情况 columns).
        if k.starts_with("总体目标完成情况")
            || ((k == "总体目标" || k == "年度总体目标") && self.section != Section::Target)
        {
            self.finish_funds_row();
            self.section = Section::Target;
            return true;
        }
        if k.starts_with("绩效指标") || k.starts_with("一级指标") {
            self.finish_funds_row();
            self.section = Section::Indicators;
            return true;
        }
        if (k.starts_with("项目总得分") || k.starts_with("总得分") || k.starts_with("总分"))
            && let Ok(Some(v)) = parse_number(
                k.trim_start_matches(|ch: char| !ch.is_ascii_digit()),
                &['分'],
            )
        {
            self.form.stated_total = Some(v);
            self.trail.at("stated_total", &c);
            return true;
        }
        // A header label's value, whatever it reads like (中央农业防灾减灾(动物防疫补助)…).
        if self.section == Section::Header && self.pending_label.is_some() {
            return self.read_header_piece(c);
        }
        let outside_blocks = self.section == Section::Header
            || (self.section == Section::Indicators && self.indicator_columns.is_none());
        if outside_blocks
            && let Some(level) = fund_level(k)
            && level != FundLevel::Local
        {
            // A funds block without its 资金投入情况 label (a flattened text).
            self.section = Section::Funds;
            self.start_funds_row(level, c);
            return true;
        }
        match self.section {
            Section::Header => self.read_header_piece(c),
            Section::Funds => self.read_funds_piece(c),
            Section::Management => self.read_management_piece(c),
            Section::Target => self.read_target_piece(c),
            Section::Indicators => false,
        }
    }

    /// Header fields: a label, then its value.
    fn read_header_piece(&mut self, c: LineCell) -> bool {
        let k = c.key.as_str();
        let is_label = is_name_key(k)
            || k.starts_with("项目名称")
            || is_total_label(k)
            || k.contains("财政部门")
            || k.contains("主管部门")
            || k.starts_with("资金使用单位")
            || k.starts_with("实施单位")
            || k.starts_with("项目实施单位");
        if is_label {
            if let Some(prev) = self.pending_label.take() {
                self.set_field(&prev, None);
            }
            self.pending_label = Some(c);
            return true;
        }
        if let Some(prev) = self.pending_label.take() {
            self.set_field(&prev, Some(&c));
            return true;
        }
        false
    }

    fn set_field(&mut self, label_cell: &LineCell, value: Option<&LineCell>) {
        let k = label_cell.key.as_str();
        let text = value.map(|v| v.text.clone()).unwrap_or_default();
        if is_total_label(k) {
            if let Some(v) = value
                && let Ok(Some(total)) = parse_number(&v.text, &['分'])
            {
                self.form.stated_total = Some(total);
                self.trail.at("stated_total", v);
            }
            return;
        }
        let path = if is_name_key(k) || k.starts_with("项目名称") {
            self.form.name = label(&text);
            "name".to_string()
        } else if k.starts_with("中央主管部门") {
            self.form.central_department = Some(text);
            "central_department".to_string()
        } else if k.contains("主管部门") && self.form.local_department.is_none() {
            self.form.local_department = Some(text);
            "local_department".to_string()
        } else if (k.contains("实施单位") || k.starts_with("资金使用单位"))
            && self.form.implementing_unit.is_none()
        {
            self.form.implementing_unit = Some(text);
            "implementing_unit".to_string()
        } else {
            let path = format!("other_fields[{}].value", self.form.other_fields.len());
            self.form.other_fields.push(Field {
                label: label(&label_cell.text),
                value: text,
            });
            path
        };
        if let Some(v) = value {
            self.trail.at(path, v);
        }
    }

    /// A word of the funds block: a header word, a row label, a value, or a part's name.
    fn read_funds_piece(&mut self, c: LineCell) -> bool {
        let k = c.key.as_str();
        if let Some(level) = fund_level(k) {
            // A second label of the same row (计划生育转移支付资金合计 年度预算资金总额:).
            if let Some((current, first, values)) = &mut self.funds.row
                && *current == level
                && values.is_empty()
            {
                first.text = format!("{} {}", first.text, c.text);
                return true;
            }
            self.start_funds_row(level, c);
            return true;
        }
        if let Some((_, _, values)) = &mut self.funds.row {
            if rate(&c).is_some() || amount(&c).is_some() {
                values.push(c);
                return true;
            }
        } else if k.starts_with("行次") {
            self.funds.numbered = true;
            return true;
        }
        if k.contains("到位资金") {
            self.funds.received = true;
        }
        let header_word = k.contains("预算数")
            || k.contains("执行数")
            || k.contains("执行率")
            || k.contains("执行资金")
            || k.contains("到位")
            || k.starts_with('(')
            || k.starts_with("列次")
            || k.contains("材料")
            || k.contains("凭证")
            || k.contains("上传")
            || k.contains("统筹整合")
            || k.chars().all(|ch| ch.is_ascii_digit());
        if header_word {
            return self.funds.row.is_none() || !k.chars().all(|ch| ch.is_ascii_digit());
        }
        if k == "其中" || k == "其中:" || k == "其中：" {
            return true;
        }
        // Another part of the transfer (its own 资金总额 rows follow).
        if c.key.chars().count() <= 40
            && (k.ends_with("资金") || k.ends_with("(万元)"))
            && !k.contains(['、', ',', '，', '。'])
        {
            self.finish_funds_row();
            self.funds.part = Some(label(&c.text));
            return true;
        }
        false
    }

    /// A funds row of the table whose header gave the columns, read by those columns: its
    /// label (the row's first cell before the figures) names the level, and each figure is
    /// the one under its header, so an empty or merged cell shifts nothing. Returns whether
    /// the line was such a row.
    fn read_funds_row_by_columns(&mut self, line: &Line) -> bool {
        let Some(columns) = self.funds.columns else {
            return false;
        };
        if line.table != Some(columns.table) {
            return false;
        }
        let first_figure = [
            columns.budget,
            columns.received,
            columns.executed,
            columns.rate,
        ]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(0);
        let Some((level, label_cell)) = line
            .filled()
            .filter(|c| c.anchored && c.col < first_figure)
            .find_map(|c| fund_level(&c.key).map(|l| (l, c)))
        else {
            return false;
        };
        self.finish_funds_row();
        self.section = Section::Funds;
        let index = self.form.funds.len();
        // The cell that starts under a header column (a cell merged across two columns
        // counts for the first).
        let under = |col: Option<usize>| {
            col.and_then(|c| line.own(c))
                .filter(|c| !c.key.is_empty())
                .cloned()
        };
        let mut take_amount = |col: Option<usize>, field: &str| {
            let c = under(col)?;
            let a = amount(&c)?;
            self.trail.at(format!("funds[{index}].{field}"), &c);
            Some(a)
        };
        let budget = take_amount(columns.budget, "budget");
        let received = take_amount(columns.received, "received");
        let executed = take_amount(columns.executed, "executed");
        let stated_rate = under(columns.rate).and_then(|c| {
            let r = rate(&c)?;
            self.trail.at(format!("funds[{index}].stated_rate"), &c);
            Some(r)
        });
        let printed = label(&label_cell.text);
        self.trail.at(format!("funds[{index}].level"), label_cell);
        self.form.funds.push(TransferFunds {
            level,
            label: (key(&printed) != key(level.label())).then_some(printed),
            part: self.funds.part.clone(),
            budget,
            received,
            executed,
            stated_rate,
        });
        true
    }

    fn start_funds_row(&mut self, level: FundLevel, c: LineCell) {
        self.finish_funds_row();
        self.funds.row = Some((level, c, Vec::new()));
    }

    /// Files the row being read: the rates tell the amounts apart (the amount before the last
    /// rate is the executed one; before an earlier rate, the received one; the first amount
    /// is the budget).
    fn finish_funds_row(&mut self) {
        let Some((level, label_cell, mut values)) = self.funds.row.take() else {
            return;
        };
        if self.funds.numbered
            && values
                .first()
                .is_some_and(|v| v.key.chars().all(|ch| ch.is_ascii_digit()) && v.key.len() <= 2)
        {
            values.remove(0);
        }
        let index = self.form.funds.len();
        let rates: Vec<usize> = (0..values.len())
            .filter(|&n| rate(&values[n]).is_some())
            .collect();
        let amount_before = |end: usize| (0..end).rev().find(|&n| amount(&values[n]).is_some());
        let first_amount = (0..values.len()).find(|&n| amount(&values[n]).is_some());
        let (budget_at, received_at, executed_at, rate_at) = match rates.as_slice() {
            [] => (
                first_amount,
                None,
                first_amount.and_then(|f| {
                    (f + 1..values.len())
                        .rev()
                        .find(|&n| amount(&values[n]).is_some())
                }),
                None,
            ),
            [only] => (
                first_amount,
                None,
                amount_before(*only).filter(|n| Some(*n) != first_amount),
                Some(*only),
            ),
            [.., before, last] => (
                first_amount,
                amount_before(*before).filter(|n| Some(*n) != first_amount || self.funds.received),
                amount_before(*last).filter(|n| Some(*n) != amount_before(*before)),
                Some(*last),
            ),
        };
        let mut take = |at: Option<usize>, field: &str| -> Option<Amount> {
            let c = &values[at?];
            self.trail.at(format!("funds[{index}].{field}"), c);
            amount(c)
        };
        let budget = take(budget_at, "budget");
        let received = take(received_at, "received");
        let executed = take(executed_at, "executed");
        let stated_rate = rate_at.and_then(|n| {
            self.trail
                .at(format!("funds[{index}].stated_rate"), &values[n]);
            rate(&values[n])
        });
        let printed = label(&label_cell.text);
        self.trail.at(format!("funds[{index}].level"), &label_cell);
        self.form.funds.push(TransferFunds {
            level,
            label: (key(&printed) != key(level.label())).then_some(printed),
            part: self.funds.part.clone(),
            budget,
            received,
            executed,
            stated_rate,
        });
    }

    /// A total row read with its budget only, when exactly one source row has figures and
    /// its budget is the total's: the total's executed amount and rate are that source's
    /// (a flattened text keeps the figures of a merged total once, in the source's row).
    fn complete_total_from_sole_source(&mut self) {
        let whole = |f: &TransferFunds| f.part.is_none();
        let Some(t) = self
            .form
            .funds
            .iter()
            .position(|f| whole(f) && f.level == FundLevel::Total)
        else {
            return;
        };
        let total = &self.form.funds[t];
        if total.executed.is_some() || total.stated_rate.is_some() {
            return;
        }
        let Some(budget) = total.budget else {
            return;
        };
        let with_figures: Vec<usize> = (0..self.form.funds.len())
            .filter(|&n| n != t && whole(&self.form.funds[n]))
            .filter(|&n| {
                let f = &self.form.funds[n];
                f.budget.is_some() || f.executed.is_some() || f.stated_rate.is_some()
            })
            .collect();
        let [sole] = with_figures[..] else {
            return;
        };
        let source = self.form.funds[sole].clone();
        if source.budget != Some(budget) || source.executed.is_none() {
            return;
        }
        let total = &mut self.form.funds[t];
        total.executed = source.executed;
        total.stated_rate = source.stated_rate;
        for field in ["executed", "stated_rate"] {
            let from = format!("funds[{sole}].{field}");
            let at = self.trail.entries.iter().rev().find(|(p, _)| *p == from);
            if let Some((_, location)) = at.cloned() {
                self.trail.note(format!("funds[{t}].{field}"), location);
            }
        }
    }

    /// 资金管理情况: an aspect, then its 情况说明 and 存在问题和改进措施.
    fn read_management_piece(&mut self, c: LineCell) -> bool {
        let k = c.key.as_str();
        if MANAGEMENT_HEADS.iter().any(|h| k.starts_with(h)) && k.chars().count() <= 12 {
            return true;
        }
        if ASPECTS.iter().any(|a| k.starts_with(a)) {
            let index = self.form.management.len();
            self.trail.at(format!("management[{index}].aspect"), &c);
            self.form.management.push(ManagementItem {
                aspect: label(&c.text),
                explanation: String::new(),
                problems: None,
            });
            return true;
        }
        let Some(index) = self.form.management.len().checked_sub(1) else {
            return false;
        };
        let item = &mut self.form.management[index];
        if item.explanation.is_empty() {
            item.explanation = c.text.clone();
            self.trail
                .at(format!("management[{index}].explanation"), &c);
        } else if item.problems.is_none() {
            item.problems = Some(c.text.clone());
            self.trail.at(format!("management[{index}].problems"), &c);
        } else {
            return false;
        }
        true
    }

    /// 总体目标完成情况: its header words, then the target and what was done.
    fn read_target_piece(&mut self, c: LineCell) -> bool {
        let k = c.key.as_str();
        if k == "总体目标"
            || k == "年度总体目标"
            || k.starts_with("全年实际完成情况")
            || k.starts_with("实际完成情况")
        {
            return true;
        }
        let target = &mut self.form.overall_target;
        if target.expected.is_empty() {
            target.expected = c.text.clone();
            self.trail.at("overall_target.expected", &c);
        } else if target.actual.is_empty() {
            target.actual = c.text.clone();
            self.trail.at("overall_target.actual", &c);
        } else {
            return false;
        }
        true
    }

    /// One indicator row under the header's columns; 一级/二级 carried down.
    fn read_indicator_row(&mut self, line: &Line) {
        let Some(columns) = &self.indicator_columns else {
            return;
        };
        if let Some(c) = line.find(|k| k.starts_with("总分") || k.contains("总得分")) {
            let v = line
                .filled()
                .filter(|x| x.col > c.col)
                .find_map(|x| parse_number(&x.text, &['分']).ok().flatten());
            if let Some(v) = v {
                self.form.stated_total = Some(v);
                self.trail.at("stated_total", c);
            }
            return;
        }
        let text = |c: Option<usize>| c.and_then(|c| line.own(c)).filter(|c| !c.key.is_empty());
        let carried = |c: Option<usize>| c.and_then(|c| line.at(c)).filter(|c| !c.key.is_empty());
        if let Some(c) = carried(columns.level1) {
            self.level1 = label(&c.text);
        }
        if let Some(c) = carried(columns.level2) {
            self.level2 = label(&c.text);
        }
        let Some(name) = text(columns.name) else {
            return;
        };
        let index = self.form.indicators.len();
        let mut number = |c: Option<&LineCell>, field: &str| {
            let c = c?;
            match parse_number(&c.text, &['分']) {
                Ok(v) => {
                    self.trail.at(format!("indicators[{index}].{field}"), c);
                    v
                }
                Err(e) => {
                    self.trail.warn(c, "分数", e);
                    None
                }
            }
        };
        let weight = number(text(columns.weight), "weight");
        let score = number(text(columns.score), "score");
        for (field, cell) in [
            ("name", Some(name)),
            ("target", text(columns.target)),
            ("actual", text(columns.actual)),
            ("deviation_reason", text(columns.reason)),
        ] {
            if let Some(c) = cell {
                self.trail.at(format!("indicators[{index}].{field}"), c);
            }
        }
        self.form.indicators.push(IndicatorRow {
            level1: self.level1.clone(),
            level2: self.level2.clone(),
            name: label(&name.text),
            target: text(columns.target)
                .map(|c| c.text.clone())
                .unwrap_or_default(),
            actual: text(columns.actual)
                .map(|c| c.text.clone())
                .unwrap_or_default(),
            weight,
            score,
            item_score: None,
            deviation_reason: text(columns.reason).map(|c| c.text.clone()),
            not_applicable: None,
            manual_override: None,
        });
    }
}

/// The year of `…2024年度…` (four digits not preceded by a digit), if any.
fn year_before_niandu(text: &str) -> Option<u16> {
    let chars: Vec<char> = text.chars().collect();
    (0..chars.len().saturating_sub(5))
        .find_map(|i| {
            let digits: String = chars[i..i + 4].iter().collect();
            let before_ok = i == 0 || !chars[i - 1].is_ascii_digit();
            (before_ok
                && digits.chars().all(|c| c.is_ascii_digit())
                && chars[i + 4] == '年'
                && chars.get(i + 5) == Some(&'度'))
            .then(|| digits.parse().ok())
            .flatten()
        })
        .or_else(|| super::year_in(text))
}
