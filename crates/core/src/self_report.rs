//! The 部门整体支出绩效自评报告 composed from a unit's data, in the default outline of
//! `rules.md` §7.2: 一、基本情况 → 二、绩效目标 → 三、自评工作开展情况 → 四、绩效目标实现情况 →
//! 五、存在的问题及原因 → 六、改进措施 → 七、结果应用及公开, then the scored forms as 附件.
//!
//! Computed parts — budget sentences, execution rate, indicator counts, each indicator's score,
//! group sums, the total and the grade, the score table — come from the forms through the
//! scoring engine. The narrative the unit wrote (an imported report) is kept as written: each of
//! its sections goes to the outline slot its heading names, subsections keep their text and are
//! renumbered in order; a section that names no slot is kept under 八、其他需要说明的情况.
//! Nothing here does I/O; the office adapter lays the result out on paper.

use rust_decimal::Decimal;

use crate::form::report::{Report, Section, heading_level};
use crate::form::{Form, SelfEvaluation};
use crate::grade::Grade;
use crate::indicator::Level1;
use crate::scoring::{ScoredForm, ScoringPolicy, percent, score};

/// What the report is made from.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportData {
    /// The unit (预算单位) the report is for.
    pub unit: String,
    /// The year evaluated.
    pub year: Option<u16>,
    /// The date line (`2022年3月10日`), if known.
    pub date: Option<String>,
    /// The narrative the unit wrote, if any.
    pub narrative: Option<Report>,
    /// The 部门整体支出绩效自评表.
    pub department: SelfEvaluation,
    /// The 项目支出绩效自评表, attached in order.
    pub projects: Vec<SelfEvaluation>,
}

/// Why a report cannot be composed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReportDataError {
    /// The data holds no department self-evaluation.
    #[error("没有部门整体支出绩效自评表：自评报告的得分、等级和预算执行情况都来自该表")]
    NoDepartmentForm,
    /// More than one department self-evaluation.
    #[error("有{0}张部门整体支出绩效自评表，一份报告只能对应一张")]
    SeveralDepartmentForms(usize),
    /// More than one narrative report.
    #[error("有{0}份自评报告正文，一份报告只能沿用一份正文")]
    SeveralNarratives(usize),
}

impl ReportData {
    /// Collects the data from imported forms: the department self-evaluation (exactly one),
    /// project self-evaluations, and at most one narrative report.
    pub fn from_forms(forms: &[Form]) -> Result<ReportData, ReportDataError> {
        let departments: Vec<&SelfEvaluation> = forms
            .iter()
            .filter_map(|f| match f {
                Form::DepartmentSelfEvaluation(s) => Some(s),
                _ => None,
            })
            .collect();
        let department = match departments.as_slice() {
            [] => return Err(ReportDataError::NoDepartmentForm),
            [one] => (*one).clone(),
            many => return Err(ReportDataError::SeveralDepartmentForms(many.len())),
        };
        let narratives: Vec<&Report> = forms
            .iter()
            .filter_map(|f| match f {
                // A monitoring report is not the year's self-evaluation narrative.
                Form::Report(r) if r.kind.is_self_evaluation() => Some(r),
                _ => None,
            })
            .collect();
        if narratives.len() > 1 {
            return Err(ReportDataError::SeveralNarratives(narratives.len()));
        }
        let narrative = narratives.first().map(|r| (*r).clone());
        Ok(ReportData {
            unit: narrative
                .as_ref()
                .and_then(|r| r.unit.clone())
                .unwrap_or_else(|| department.name.clone()),
            year: department.year,
            date: narrative.as_ref().and_then(|r| r.date.clone()),
            narrative,
            projects: forms
                .iter()
                .filter_map(|f| match f {
                    Form::ProjectSelfEvaluation(s) => Some(s.clone()),
                    _ => None,
                })
                .collect(),
            department,
        })
    }
}

/// The composed report, ready to be laid out.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    /// The title (`株洲市工伤保险服务中心2021年度部门整体支出绩效自评报告`).
    pub title: String,
    /// Headings and their content, in order.
    pub parts: Vec<Part>,
    /// The signing unit.
    pub unit: String,
    /// The date line, if known.
    pub date: Option<String>,
    /// The attached forms: `附件1-1`, `附件1-2` …
    pub attachments: Vec<Attachment>,
    /// What the unit should look at before filing: slots left to write, stated figures that
    /// differ from the computed ones.
    pub notes: Vec<String>,
}

/// A heading and what follows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    /// 1 for 一、, 2 for （一）, 3 for 1., 4 for （1）.
    pub level: u8,
    /// The numbered heading.
    pub heading: String,
    /// Paragraphs and tables.
    pub content: Vec<Content>,
}

/// A paragraph or a table.
#[derive(Debug, Clone, PartialEq)]
pub enum Content {
    /// A paragraph; `origin` tells a written one from a computed one.
    Text {
        /// The text.
        text: String,
        /// Where it comes from.
        origin: Origin,
    },
    /// The indicator score table.
    Scores(Vec<ScoreLine>),
}

/// Where a paragraph comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Written by the unit, kept as written.
    Written,
    /// Computed from the forms.
    Computed,
    /// A slot nobody wrote: the text asks for it.
    Missing,
}

/// One row of the score table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScoreLine {
    /// 一级指标.
    pub level1: String,
    /// 二级指标.
    pub level2: String,
    /// 三级指标.
    pub name: String,
    /// 年度指标值.
    pub target: String,
    /// 实际完成值.
    pub actual: String,
    /// 分值.
    pub weight: String,
    /// 得分.
    pub score: String,
}

/// An attached form.
#[derive(Debug, Clone, PartialEq)]
pub struct Attachment {
    /// `附件1-1`, `附件1-2`; `附件` when there is only one.
    pub label: String,
    /// The form.
    pub form: Form,
}

/// The outline slots of §7.2 and the heading words that route a written section to each.
const SLOTS: [(&str, &[&str]); 7] = [
    (
        "基本情况",
        &[
            "基本情况",
            "概况",
            "单位情况",
            "职能",
            "预算收支",
            "收支情况",
        ],
    ),
    (
        "绩效目标",
        &["绩效目标设定", "目标设定", "年度目标", "绩效目标情况"],
    ),
    (
        "自评工作开展情况",
        &["自评工作", "组织实施", "开展情况", "评价工作"],
    ),
    (
        "绩效目标实现情况",
        &["实现情况", "绩效情况", "完成情况", "资金使用", "履职"],
    ),
    ("存在的问题及原因", &["问题"]),
    ("改进措施", &["措施", "改进", "下一步"]),
    ("结果应用及公开", &["结果应用", "应用", "公开"]),
];

const CHINESE: [&str; 10] = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];

fn chinese(n: usize) -> String {
    match n {
        1..=10 => CHINESE[n - 1].to_string(),
        11..=19 => format!("十{}", CHINESE[n - 11]),
        _ => n.to_string(),
    }
}

/// The heading's text without its number (`（二）项目支出绩效情况` → `项目支出绩效情况`).
fn unnumbered(heading: &str) -> &str {
    let t = heading.trim();
    if heading_level(t).is_none() {
        return t;
    }
    let cut = t
        .char_indices()
        .find(|&(_, c)| matches!(c, '、' | '）' | ')' | '.' | '．'))
        .map_or(0, |(i, c)| i + c.len_utf8());
    t[cut..].trim()
}

/// Which slots a heading names.
fn slots_of(heading: &str) -> Vec<usize> {
    let h = unnumbered(heading);
    SLOTS
        .iter()
        .enumerate()
        .filter(|(_, (_, words))| words.iter().any(|w| h.contains(w)))
        .map(|(i, _)| i)
        .collect()
}

/// A written section and its subsections.
#[derive(Debug, Clone)]
struct Written {
    heading: String,
    paragraphs: Vec<String>,
    children: Vec<Written>,
}

/// Groups the narrative's flat sections under their first-level headings; text before the
/// first heading (cover lines such as 单位名称（盖章）) is dropped from the body.
fn written_tree(sections: &[Section]) -> Vec<Written> {
    let mut out: Vec<Written> = Vec::new();
    for s in sections {
        let w = Written {
            heading: s.heading.clone(),
            paragraphs: s.paragraphs.clone(),
            children: Vec::new(),
        };
        match (s.level, out.last_mut()) {
            (0, _) => {}
            (1, _) | (_, None) => out.push(w),
            (_, Some(parent)) => parent.children.push(w),
        }
    }
    out
}

/// True for the unit's own attachment note (`附件：1-1.部门整体支出绩效自评表`, `附件1：…`).
fn is_attachment_note(p: &str) -> bool {
    p.trim_start().strip_prefix("附件").is_some_and(|rest| {
        rest.trim_start().starts_with(['：', ':']) || rest.starts_with(|c: char| c.is_ascii_digit())
    })
}

/// A further line of such a note: a numbered attachment name (`1-2.项目支出绩效自评表`).
fn is_attachment_item(p: &str) -> bool {
    let p = p.trim();
    p.starts_with(|c: char| c.is_ascii_digit())
        && p.chars().count() <= 60
        && !p.ends_with('。')
        && (p.contains('表') || p.contains("报告") || p.contains("清单"))
}

/// Removes the unit's own attachment note (and the numbered names after it) from the written
/// sections: the report lists its attachments once, after the last section, from the forms it
/// actually attaches. Returns how many notes were removed.
fn drop_attachment_notes(tree: &mut [Written]) -> usize {
    let mut removed = 0;
    for section in tree.iter_mut() {
        if let Some(at) = section
            .paragraphs
            .iter()
            .position(|p| is_attachment_note(p))
        {
            let end = (at + 1..section.paragraphs.len())
                .find(|&k| !is_attachment_item(&section.paragraphs[k]))
                .unwrap_or(section.paragraphs.len());
            section.paragraphs.drain(at..end);
            removed += 1;
        }
        removed += drop_attachment_notes(&mut section.children);
    }
    removed
}

/// Routes each written section to a slot (0..7) or to 其他 (7).
fn route(tree: Vec<Written>) -> Vec<Vec<Written>> {
    let mut slots: Vec<Vec<Written>> = vec![Vec::new(); SLOTS.len() + 1];
    for section in tree {
        let named = slots_of(&section.heading);
        match named.as_slice() {
            [one] => slots[*one].push(section),
            [] => slots[SLOTS.len()].push(section),
            _ => {
                // A combined section (存在的问题及下一步改进措施): each subsection goes to the
                // slot it names; its own paragraphs stay with the first.
                let first = named[0];
                let Written {
                    heading,
                    paragraphs,
                    children,
                } = section;
                if !paragraphs.is_empty() {
                    slots[first].push(Written {
                        heading: heading.clone(),
                        paragraphs,
                        children: Vec::new(),
                    });
                }
                for child in children {
                    let to = slots_of(&child.heading)
                        .into_iter()
                        .find(|s| named.contains(s))
                        .unwrap_or(first);
                    slots[to].push(child);
                }
            }
        }
    }
    slots
}

/// A number as written on the forms: `9`, `8.43`.
fn num(v: Decimal) -> String {
    v.normalize().to_string()
}

struct Composer {
    parts: Vec<Part>,
    notes: Vec<String>,
    level2: usize,
}

impl Composer {
    fn heading(&mut self, level: u8, text: &str) {
        let heading = match level {
            1 => format!(
                "{}、{text}",
                chinese(self.parts.iter().filter(|p| p.level == 1).count() + 1)
            ),
            _ => {
                self.level2 += 1;
                format!("（{}）{text}", chinese(self.level2))
            }
        };
        if level == 1 {
            self.level2 = 0;
        }
        self.parts.push(Part {
            level,
            heading,
            content: Vec::new(),
        });
    }

    fn text(&mut self, text: String, origin: Origin) {
        if let Some(p) = self.parts.last_mut() {
            p.content.push(Content::Text { text, origin });
        }
    }

    fn scores(&mut self, lines: Vec<ScoreLine>) {
        if let Some(p) = self.parts.last_mut() {
            p.content.push(Content::Scores(lines));
        }
    }

    /// Writes the routed sections of a slot: a lone section's paragraphs directly under the
    /// slot heading, subsections as （n） headings with their text kept.
    fn written(&mut self, sections: Vec<Written>) {
        for section in sections {
            for p in section.paragraphs {
                self.text(p, Origin::Written);
            }
            for child in section.children {
                self.heading(2, unnumbered(&child.heading));
                for p in child.paragraphs {
                    self.text(p, Origin::Written);
                }
            }
        }
    }

    fn missing(&mut self, slot: &str) {
        self.text(format!("（请填写：{slot}）"), Origin::Missing);
        self.notes
            .push(format!("“{slot}”没有撰写内容，报告中已留出待填写的位置"));
    }
}

/// The budget sentence of a self-evaluation: budget, execution, rate.
fn budget_sentence(year: Option<u16>, form: &SelfEvaluation, scored: &ScoredForm) -> String {
    let total = form.funds.total();
    let mut s = year.map(|y| format!("{y}年度")).unwrap_or_default();
    let amount = |a: Option<crate::money::Amount>| a.map(|a| a.as_written());
    match total.and_then(|t| amount(t.full_year_budget)) {
        Some(b) => s.push_str(&format!("全年预算数{b}")),
        None => s.push_str("全年预算数未填报"),
    }
    if let Some(i) = total.and_then(|t| amount(t.initial_budget)) {
        s.push_str(&format!("（年初预算数{i}）"));
    }
    match total.and_then(|t| amount(t.executed)) {
        Some(e) => s.push_str(&format!("，全年执行数{e}")),
        None => s.push_str("，全年执行数未填报"),
    }
    let e = &scored.execution;
    match (e.rate, e.score) {
        (Some(rate), Some(points)) => s.push_str(&format!(
            "，预算执行率{}，预算执行得分{}分（分值{}分）。",
            percent(rate),
            num(points),
            num(e.weight)
        )),
        _ => s.push_str("，预算执行率无法计算。"),
    }
    s
}

/// `产出指标6项、效益指标4项、满意度指标2项`.
fn indicator_counts(form: &SelfEvaluation) -> String {
    let mut counts: Vec<(String, usize)> = Vec::new();
    for row in &form.indicators {
        let name =
            Level1::parse(&row.level1).map_or_else(|| row.level1.clone(), |l| l.name().to_string());
        match counts.iter_mut().find(|(n, _)| *n == name) {
            Some((_, c)) => *c += 1,
            None => counts.push((name, 1)),
        }
    }
    counts
        .iter()
        .map(|(n, c)| format!("{n}{c}项"))
        .collect::<Vec<_>>()
        .join("、")
}

fn score_lines(form: &SelfEvaluation, scored: &ScoredForm) -> Vec<ScoreLine> {
    form.indicators
        .iter()
        .zip(&scored.indicators)
        .map(|(row, s)| ScoreLine {
            level1: row.level1.clone(),
            level2: row.level2.clone(),
            name: row.name.clone(),
            target: row.target.clone(),
            actual: row.actual.clone(),
            weight: s.weight.map(num).unwrap_or_default(),
            score: s.score.map(num).unwrap_or_default(),
        })
        .collect()
}

/// `全市工伤保险参保人数：年度指标值55.5万人，实际完成56.88万人，得9分（分值9分）。`
fn indicator_sentence(
    k: usize,
    row: &crate::form::IndicatorRow,
    s: &crate::scoring::IndicatorScore,
) -> String {
    let points = match (s.score, s.weight) {
        (Some(v), Some(w)) => format!("得{}分（分值{}分）", num(v), num(w)),
        (None, Some(w)) => format!("未能按规则计分（分值{}分）", num(w)),
        (Some(v), None) => format!("得{}分", num(v)),
        (None, None) => "未设分值".to_string(),
    };
    let mut out = format!(
        "{k}. {}：年度指标值{}，实际完成{}，{points}。",
        row.name, row.target, row.actual
    );
    if let Some(reason) = &row.deviation_reason {
        out.push_str(&format!("偏差原因及改进措施：{reason}"));
    }
    out
}

/// What every step of the composition reads: the data, the scored forms and the year.
struct Scored<'a> {
    data: &'a ReportData,
    dept: &'a SelfEvaluation,
    scored: ScoredForm,
    projects: Vec<(&'a SelfEvaluation, ScoredForm)>,
    /// `2021年度`, or empty.
    year: String,
}

/// Composes the report: the written sections routed to their slots, then each part of the
/// outline in turn, the notes, and the attachments.
pub fn compose(data: &ReportData, policy: &ScoringPolicy) -> Draft {
    let s = Scored {
        data,
        dept: &data.department,
        scored: score(&data.department, policy),
        projects: data
            .projects
            .iter()
            .map(|p| (p, score(p, policy)))
            .collect(),
        year: data.year.map(|y| format!("{y}年度")).unwrap_or_default(),
    };
    let (mut slots, own_notes) = written_slots(data);
    let mut take = |i: usize| std::mem::take(&mut slots[i]);
    let mut c = Composer {
        parts: Vec::new(),
        notes: Vec::new(),
        level2: 0,
    };
    basic_information(&mut c, &s, take(0));
    performance_targets(&mut c, &s, take(1));
    self_evaluation_work(&mut c, take(2));
    achievement(&mut c, &s, take(3));
    for slot in 4..SLOTS.len() {
        written_part(&mut c, &s, slot, take(slot));
    }
    other_matters(&mut c, take(SLOTS.len()));
    notes(&mut c, &s, own_notes);
    Draft {
        title: format!("{}{}部门整体支出绩效自评报告", data.unit, s.year),
        parts: c.parts,
        unit: data.unit.clone(),
        date: data.date.clone(),
        attachments: attachments(data),
        notes: c.notes,
    }
}

/// The unit's narrative routed to the outline's slots (the last holds what names none), and
/// how many attachment notes of its own were taken out.
fn written_slots(data: &ReportData) -> (Vec<Vec<Written>>, usize) {
    let Some(report) = &data.narrative else {
        return (vec![Vec::new(); SLOTS.len() + 1], 0);
    };
    let mut tree = written_tree(&report.sections);
    let own_notes = drop_attachment_notes(&mut tree);
    (route(tree), own_notes)
}

/// 一、基本情况: what the unit wrote about itself, then the budget from the form.
fn basic_information(c: &mut Composer, s: &Scored<'_>, written: Vec<Written>) {
    c.heading(1, SLOTS[0].0);
    let (budget_written, about): (Vec<Written>, Vec<Written>) =
        written.into_iter().partition(|w| {
            ["预算收支", "收支情况"]
                .iter()
                .any(|k| w.heading.contains(k))
        });
    if about.is_empty() {
        c.missing("单位职能职责、机构设置和人员情况");
    } else {
        c.heading(2, "单位概况");
        c.written(about);
    }
    c.heading(2, "预算收支及执行情况");
    c.text(
        budget_sentence(s.data.year, s.dept, &s.scored),
        Origin::Computed,
    );
    c.written(budget_written);
}

/// 二、绩效目标: the year's overall target and the indicators per group.
fn performance_targets(c: &mut Composer, s: &Scored<'_>, written: Vec<Written>) {
    c.heading(1, SLOTS[1].0);
    let dept = s.dept;
    if !dept.overall_target.expected.trim().is_empty() {
        c.text(
            format!(
                "{}部门整体支出年度总体目标：{}",
                s.year,
                dept.overall_target.expected.trim()
            ),
            Origin::Written,
        );
    }
    c.text(
        format!(
            "部门整体支出绩效自评表设置绩效指标{}项，其中{}。",
            dept.indicators.len(),
            indicator_counts(dept)
        ),
        Origin::Computed,
    );
    c.written(written);
}

/// 三、自评工作开展情况: only the unit can write it.
fn self_evaluation_work(c: &mut Composer, written: Vec<Written>) {
    c.heading(1, SLOTS[2].0);
    if written.is_empty() {
        c.missing(SLOTS[2].0);
    }
    c.written(written);
}

/// 四、绩效目标实现情况: the total and grade, the score table, each group's indicators, the
/// budget's execution and each project's.
fn achievement(c: &mut Composer, s: &Scored<'_>, written: Vec<Written>) {
    let (dept, scored) = (s.dept, &s.scored);
    c.heading(1, SLOTS[3].0);
    c.heading(2, "总体完成情况");
    if !dept.overall_target.actual.trim().is_empty() {
        c.text(
            dept.overall_target.actual.trim().to_string(),
            Origin::Written,
        );
    }
    let grade: Grade = scored.grade;
    c.text(
        format!(
            "经自评，{}{}部门整体支出绩效自评得分{}分，等级为“{grade}”。其中预算执行{}分，{}。",
            s.data.unit,
            s.year,
            num(scored.total),
            scored
                .execution
                .score
                .map_or_else(|| "未计".to_string(), num),
            scored
                .groups
                .iter()
                .map(|g| format!(
                    "{}{}分（分值{}分）",
                    g.level1.name(),
                    num(g.score),
                    num(g.weight)
                ))
                .collect::<Vec<_>>()
                .join("，")
        ),
        Origin::Computed,
    );
    if !scored.complete {
        c.notes
            .push("部分指标无法按规则计分，总分只含已计分的指标，请核对自评表".into());
    }
    c.scores(score_lines(dept, scored));
    for group in &scored.groups {
        c.heading(2, &format!("{}完成情况", group.level1.name()));
        let mut k = 0;
        for (row, ind) in dept.indicators.iter().zip(&scored.indicators) {
            if ind.level1 == Some(group.level1) {
                k += 1;
                c.text(indicator_sentence(k, row, ind), Origin::Computed);
            }
        }
    }
    c.heading(2, "预算执行情况");
    c.text(budget_sentence(s.data.year, dept, scored), Origin::Computed);
    if !s.projects.is_empty() {
        c.heading(2, "项目支出绩效情况");
        for (k, (p, ps)) in s.projects.iter().enumerate() {
            let rate = ps
                .execution
                .rate
                .map_or_else(|| "无法计算".to_string(), percent);
            c.text(
                format!(
                    "{}. {}：预算执行率{rate}，自评得分{}分，等级为“{}”。",
                    k + 1,
                    p.name,
                    num(ps.total),
                    ps.grade
                ),
                Origin::Computed,
            );
        }
    }
    c.written(written);
}

/// 五、六、七: written by the unit; 五 falls back on the deviation reasons the forms give (the
/// unit's own words), any other empty slot gets a line to fill in.
fn written_part(c: &mut Composer, s: &Scored<'_>, slot: usize, written: Vec<Written>) {
    let name = SLOTS[slot].0;
    c.heading(1, name);
    if written.is_empty() {
        if slot == 4 {
            let reasons: Vec<String> = std::iter::once(s.dept)
                .chain(s.projects.iter().map(|(p, _)| *p))
                .flat_map(|f| {
                    f.indicators.iter().filter_map(move |r| {
                        r.deviation_reason
                            .as_ref()
                            .map(|d| format!("{}：{d}", r.name))
                    })
                })
                .collect();
            if !reasons.is_empty() {
                for r in reasons {
                    c.text(r, Origin::Written);
                }
                return;
            }
        }
        c.missing(name);
    }
    c.written(written);
}

/// 八、其他需要说明的情况: every written section that names no slot, so nothing is dropped.
fn other_matters(c: &mut Composer, other: Vec<Written>) {
    if other.is_empty() {
        return;
    }
    c.heading(1, "其他需要说明的情况");
    for w in other {
        c.heading(2, unnumbered(&w.heading));
        for p in w.paragraphs {
            c.text(p, Origin::Written);
        }
        for child in w.children {
            c.text(child.heading, Origin::Written);
            for p in child.paragraphs {
                c.text(p, Origin::Written);
            }
        }
    }
}

/// What to check before filing: the moved attachment note, and every stated figure that
/// differs from the computed one.
fn notes(c: &mut Composer, s: &Scored<'_>, own_notes: usize) {
    if own_notes > 0 {
        c.notes
            .push("正文中原有的附件说明已移到正文之后，按实际附上的表重新编号".into());
    }
    for d in &s.scored.discrepancies {
        c.notes.push(format!("部门整体支出绩效自评表 {d}"));
    }
    for (p, ps) in &s.projects {
        for d in &ps.discrepancies {
            c.notes
                .push(format!("项目支出绩效自评表《{}》 {d}", p.name));
        }
    }
}

/// The attached forms, numbered as the seed reports number them: 附件1-1 the department
/// form, 1-2 … the projects (附件 alone when there are no projects).
fn attachments(data: &ReportData) -> Vec<Attachment> {
    let mut out = vec![Attachment {
        label: if data.projects.is_empty() {
            "附件".into()
        } else {
            "附件1-1".into()
        },
        form: Form::DepartmentSelfEvaluation(data.department.clone()),
    }];
    for (k, p) in data.projects.iter().enumerate() {
        out.push(Attachment {
            label: format!("附件1-{}", k + 2),
            form: Form::ProjectSelfEvaluation(p.clone()),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_lose_their_numbers() {
        assert_eq!(unnumbered("（二）项目支出绩效情况"), "项目支出绩效情况");
        assert_eq!(
            unnumbered("四、存在的问题及下一步改进措施"),
            "存在的问题及下一步改进措施"
        );
        assert_eq!(unnumbered("1. 年初无预算项目"), "年初无预算项目");
        assert_eq!(unnumbered("单位概况"), "单位概况");
    }

    #[test]
    fn a_combined_section_is_split_by_its_subsections() {
        let sections = vec![
            Section {
                heading: "四、存在的问题及下一步改进措施".into(),
                level: 1,
                paragraphs: vec![],
            },
            Section {
                heading: "（一）存在的问题".into(),
                level: 2,
                paragraphs: vec!["预算执行存在偏差。".into()],
            },
            Section {
                heading: "（二）下一步改进措施".into(),
                level: 2,
                paragraphs: vec!["加强学习。".into()],
            },
            Section {
                heading: "五、资产管理".into(),
                level: 1,
                paragraphs: vec!["固定资产账实相符。".into()],
            },
        ];
        let slots = route(written_tree(&sections));
        assert_eq!(slots[4][0].paragraphs, ["预算执行存在偏差。"]);
        assert_eq!(slots[5][0].paragraphs, ["加强学习。"]);
        assert_eq!(slots[7][0].heading, "五、资产管理");
    }

    #[test]
    fn the_units_own_attachment_note_leaves_the_body() {
        let sections = vec![Section {
            heading: "六、改进措施".into(),
            level: 1,
            paragraphs: vec![
                "加强学习。".into(),
                "附件：1-1. 2021年度部门整体支出绩效自评表".into(),
                "1-2. 2021年度项目支出绩效自评表".into(),
                "2. 按附件格式填报。".into(),
            ],
        }];
        let mut tree = written_tree(&sections);
        assert_eq!(drop_attachment_notes(&mut tree), 1);
        assert_eq!(tree[0].paragraphs, ["加强学习。", "2. 按附件格式填报。"]);
        // Text that only mentions an attachment stays.
        assert!(!is_attachment_note("详见附件1。"));
        assert!(is_attachment_note("附件1：项目支出绩效自评表"));
    }

    #[test]
    fn chinese_numerals_count_past_ten() {
        assert_eq!(chinese(1), "一");
        assert_eq!(chinese(10), "十");
        assert_eq!(chinese(12), "十二");
    }
}
