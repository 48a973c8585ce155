//! The finance bureau's dashboard: every unit's stage in the year's workflow and who has not
//! submitted by the deadline, the score and grade distribution, execution rate against score,
//! monitoring lights, audit findings across units (most frequent checks, units with the most
//! errors), a ranking, and each unit's totals year over year.
//!
//! What counts: the progress figures (forms per stage, each unit's stage, who is overdue) count
//! every form that is not voided; every figure of scores, grades, rates, lights and findings —
//! and so the ranking and the trend — counts only forms the unit has handed over (已提交 or
//! later, [`Stage::submitted`]): a draft is never ranked. [`COUNTED`] says so on the page.
//!
//! [`compute`] is pure: it computes the figures from the figures the store keeps of each form
//! (total, grade, rate, light, finding codes are computed by the core on every save), so the
//! page, the JSON API and the Excel export show the same numbers. It reads a [`Source`]: the
//! year's forms with only the columns counted and the other years' handed-over totals, not every
//! list row of the region (a region of 2,000 units holds 40,000 forms; BENCHMARKS.md, issue 21).
//! [`build`] is the same over list rows.

use std::collections::{BTreeMap, HashMap};

use jixiao_store::forms::{FigureRow, FormListRow, TotalRow, VOIDED};
use jixiao_store::orgs::{OrgRow, YearRow};
use rust_decimal::Decimal;
use serde::Serialize;

use jixiao_record::kind::FormKind;
use jixiao_record::workflow::Stage;

/// What the figures of scores, grades, rates, lights and findings count, in words.
pub const COUNTED: &str = "只统计单位已提交的表单（已提交、主管部门已审核、已审定、已公开）；草稿、待确认、已确认、被退回和已作废的表单不计入";

/// What the progress figures count, in words.
pub const PROGRESS_COUNTED: &str = "统计各单位全部表单（已作废的除外），含草稿";

/// The stage of a stored code, if it is one of a form that counts anywhere (not voided).
fn live(code: &str) -> Option<Stage> {
    Stage::from_code(code).filter(|s| *s != Stage::Voided)
}

/// One unit's year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitRow {
    /// The unit.
    pub org_id: i64,
    /// Its name.
    pub name: String,
    /// Its 主管部门.
    pub department: String,
    /// Forms of the year.
    pub forms: usize,
    /// Forms handed over (submitted or further).
    pub submitted: usize,
    /// The least advanced stage among its self-evaluations, or among all its forms.
    pub stage: Option<Stage>,
    /// True when the self-evaluation deadline has passed and some form is not submitted.
    pub overdue: bool,
    /// The unit's total: its department self-evaluation's, else the mean of its project
    /// self-evaluations.
    pub total: Option<Decimal>,
    /// Audit errors over its forms.
    pub errors: i64,
    /// Red monitoring lights.
    pub red_lights: usize,
}

/// A self-evaluation on the execution-rate × score chart.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Point {
    /// The form.
    pub form_id: i64,
    /// Its unit.
    pub unit: String,
    /// Project or department name.
    pub name: String,
    /// Execution rate in percent.
    pub rate: Decimal,
    /// Total.
    pub total: Decimal,
}

/// A unit's totals per year: (unit, [(year, total)]).
pub type Trend = (String, Vec<(i64, Option<Decimal>)>);

/// The dashboard of one year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dashboard {
    /// The year.
    pub year: i64,
    /// Its 绩效自评 deadline, if set.
    pub deadline: Option<String>,
    /// Forms per stage (every stage listed, in workflow order).
    pub stages: Vec<(Stage, usize)>,
    /// Per unit.
    pub units: Vec<UnitRow>,
    /// Self-evaluations per grade (优, 良, 中, 差).
    pub grades: Vec<(String, usize)>,
    /// Self-evaluation totals per band: `[0,60)`, `[60,70)`, `[70,80)`, `[80,90)`, `[90,100]`.
    pub score_bands: Vec<(String, usize)>,
    /// Execution rate against total, one point per self-evaluation with both.
    pub points: Vec<Point>,
    /// Monitoring forms per light (红灯, 黄灯, 蓝灯, 绿灯).
    pub lights: Vec<(String, usize)>,
    /// Audit checks by the number of forms they fire on, most frequent first.
    pub checks: Vec<(String, usize)>,
    /// Units ranked by total, best first (units without a total are left out).
    pub ranking: Vec<(String, Decimal)>,
    /// Per unit, its total per year (every year of the data).
    pub trend: Vec<Trend>,
    /// Self-evaluation forms counted.
    pub self_evaluations: usize,
    /// What the score figures count ([`COUNTED`]).
    pub counted: &'static str,
    /// What the progress figures count ([`PROGRESS_COUNTED`]).
    pub progress_counted: &'static str,
}

fn is_self_evaluation(kind: &str) -> bool {
    matches!(
        FormKind::from_code(kind),
        Some(FormKind::ProjectSelfEvaluation | FormKind::DepartmentSelfEvaluation)
    )
}

/// The kinds whose totals make a unit's total ([`Source::totals`]).
pub fn scored_kinds() -> [&'static str; 2] {
    [
        FormKind::DepartmentSelfEvaluation.code(),
        FormKind::ProjectSelfEvaluation.code(),
    ]
}

/// The codes of the stages whose figures do not count (every stage but the handed-over ones),
/// for [`Source::totals`].
pub fn uncounted_stages() -> Vec<&'static str> {
    Stage::ALL
        .iter()
        .filter(|s| !s.submitted())
        .map(|s| s.code())
        .collect()
}

fn decimal(text: Option<&str>) -> Option<Decimal> {
    text.and_then(|t| t.parse().ok())
}

/// What the dashboard of a year is computed from: the store reads it in three small queries
/// instead of every list row of the region (`App::dashboard`); [`Source::of`] derives it from
/// list rows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Source {
    /// The year's forms that are not voided, in list order (unit, name, id).
    pub forms: Vec<FigureRow>,
    /// The other years' forms of the [`scored_kinds`] handed over, with their stage and total,
    /// in list order (year descending, unit, name, id): the trend. Rows of `year` or of another
    /// stage may be there too; they are left aside.
    pub totals: Vec<TotalRow>,
    /// Every year with a form that is not voided, ascending.
    pub years: Vec<i64>,
}

impl Source {
    /// The source of `year`'s dashboard over list rows (every form of the region, in list
    /// order), as the store reads it.
    pub fn of(year: i64, forms: &[FormListRow]) -> Source {
        let alive = || forms.iter().filter(|f| f.stage != VOIDED);
        let scored = scored_kinds();
        let mut years: Vec<i64> = alive().map(|f| f.year).collect();
        years.sort_unstable();
        years.dedup();
        Source {
            forms: alive()
                .filter(|f| f.year == year)
                .map(|f| FigureRow {
                    id: f.id,
                    org_id: f.org_id,
                    kind: f.kind.clone(),
                    name: f.name.clone(),
                    stage: f.stage.clone(),
                    total: f.total.clone(),
                    grade: f.grade.clone(),
                    errors: f.errors,
                    light: f.light.clone(),
                    rate: f.rate.clone(),
                    codes: f.codes.clone(),
                })
                .collect(),
            totals: alive()
                .filter(|f| f.year != year && scored.contains(&f.kind.as_str()))
                .map(|f| TotalRow {
                    org_id: f.org_id,
                    year: f.year,
                    kind: f.kind.clone(),
                    stage: f.stage.clone(),
                    total: f.total.clone(),
                })
                .collect(),
            years,
        }
    }
}

/// A unit's total for a year, summed up form by form (in list order): its department
/// self-evaluation's (the first one's), else the mean of its project self-evaluations'
/// (rounded to 2 decimals).
#[derive(Debug, Clone, Copy, Default)]
struct UnitTotal {
    /// A department self-evaluation was seen (its total, if any, is `department`).
    department_seen: bool,
    department: Option<Decimal>,
    projects: Decimal,
    project_count: u32,
}

impl UnitTotal {
    fn add(&mut self, kind: &str, total: Option<&str>) {
        if kind == FormKind::DepartmentSelfEvaluation.code() {
            if !self.department_seen {
                self.department_seen = true;
                self.department = decimal(total);
            }
        } else if kind == FormKind::ProjectSelfEvaluation.code()
            && let Some(t) = decimal(total)
        {
            self.projects += t;
            self.project_count += 1;
        }
    }

    fn total(&self) -> Option<Decimal> {
        self.department.or_else(|| {
            (self.project_count > 0).then(|| {
                jixiao_core::money::round2(self.projects / Decimal::from(self.project_count))
            })
        })
    }
}

/// The dashboard of `year` over list rows: `forms` every year's forms of the region, in list
/// order (for the trend), the region's organisations and the fiscal years; `today` as
/// `2026-11-29`. The same as [`compute`] over [`Source::of`].
pub fn build(
    year: i64,
    forms: &[FormListRow],
    orgs: &[OrgRow],
    years: &[YearRow],
    today: &str,
) -> Dashboard {
    compute(year, &Source::of(year, forms), orgs, years, today)
}

/// The dashboard of `year` from `source`, the region's organisations and the fiscal years;
/// `today` as `2026-11-29`.
pub fn compute(
    year: i64,
    source: &Source,
    orgs: &[OrgRow],
    years: &[YearRow],
    today: &str,
) -> Dashboard {
    let names: HashMap<i64, &str> = orgs.iter().map(|o| (o.id, o.name.as_str())).collect();
    let name_of = |id: i64| names.get(&id).map(|n| (*n).to_string()).unwrap_or_default();
    // The year's forms that count anywhere, each with its stage read once.
    let of_year_all: Vec<(Stage, &FigureRow)> = source
        .forms
        .iter()
        .filter_map(|f| Some((live(&f.stage)?, f)))
        .collect();
    let mut all_by_unit: HashMap<i64, Vec<(Stage, &FigureRow)>> = HashMap::new();
    for (st, f) in &of_year_all {
        all_by_unit.entry(f.org_id).or_default().push((*st, f));
    }
    let deadline = years
        .iter()
        .find(|y| y.year == year)
        .and_then(|y| y.self_evaluation_deadline.clone());
    let past_deadline = deadline.as_deref().is_some_and(|d| d < today);
    let units: Vec<UnitRow> = orgs
        .iter()
        .filter(|o| o.kind == "unit")
        .map(|o| {
            let all = all_by_unit.get(&o.id).map_or(&[][..], Vec::as_slice);
            unit_row(o, all, &names, past_deadline)
        })
        .collect();
    // Handed over: what the figures of scores, grades, rates, lights and findings count.
    let of_year: Vec<&FigureRow> = of_year_all
        .iter()
        .filter(|(st, _)| st.submitted())
        .map(|(_, f)| *f)
        .collect();
    let self_evals: Vec<&FigureRow> = of_year
        .iter()
        .copied()
        .filter(|f| is_self_evaluation(&f.kind))
        .collect();
    let mut ranking: Vec<(String, Decimal)> = units
        .iter()
        .filter_map(|u| Some((u.name.clone(), u.total?)))
        .collect();
    ranking.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    // Every other year's unit totals from the handed-over self-evaluations; `year`'s are the
    // units' own (computed from the same rows as the rest of the year's figures).
    let mut totals: HashMap<(i64, i64), UnitTotal> = HashMap::new();
    for t in source
        .totals
        .iter()
        .filter(|t| t.year != year && Stage::from_code(&t.stage).is_some_and(Stage::submitted))
    {
        totals
            .entry((t.org_id, t.year))
            .or_default()
            .add(&t.kind, t.total.as_deref());
    }
    let trend = units
        .iter()
        .map(|u| {
            let per_year = source
                .years
                .iter()
                .map(|y| {
                    let total = if *y == year {
                        u.total
                    } else {
                        totals.get(&(u.org_id, *y)).and_then(UnitTotal::total)
                    };
                    (*y, total)
                })
                .collect();
            (u.name.clone(), per_year)
        })
        .collect();
    let mut stages = [0usize; Stage::LIVE.len()];
    for (st, _) in &of_year_all {
        if let Some(k) = Stage::LIVE.iter().position(|s| s == st) {
            stages[k] += 1;
        }
    }
    Dashboard {
        year,
        deadline,
        stages: Stage::LIVE.iter().copied().zip(stages).collect(),
        grades: grades(&self_evals),
        score_bands: score_bands(&self_evals),
        points: self_evals
            .iter()
            .filter_map(|f| {
                Some(Point {
                    form_id: f.id,
                    unit: name_of(f.org_id),
                    name: f.name.clone(),
                    rate: decimal(f.rate.as_deref())? * Decimal::ONE_HUNDRED,
                    total: decimal(f.total.as_deref())?,
                })
            })
            .collect(),
        lights: lights(&of_year),
        checks: checks(&of_year),
        units,
        ranking,
        trend,
        self_evaluations: self_evals.len(),
        counted: COUNTED,
        progress_counted: PROGRESS_COUNTED,
    }
}

/// One unit's row from its forms of the year that are not voided (progress); the figures count
/// those of them handed over.
fn unit_row(
    o: &OrgRow,
    mine: &[(Stage, &FigureRow)],
    names: &HashMap<i64, &str>,
    past_deadline: bool,
) -> UnitRow {
    let self_evals = || mine.iter().filter(|(_, f)| is_self_evaluation(&f.kind));
    // The unit's stage and lateness go by its self-evaluations, or by all its forms.
    let by_self_evals = self_evals().next().is_some();
    let basis = || {
        mine.iter()
            .filter(move |(_, f)| !by_self_evals || is_self_evaluation(&f.kind))
    };
    let mut total = UnitTotal::default();
    let mut errors = 0;
    let mut red_lights = 0;
    let mut submitted = 0;
    for (_, f) in mine.iter().filter(|(st, _)| st.submitted()) {
        submitted += 1;
        total.add(&f.kind, f.total.as_deref());
        errors += f.errors;
        if f.light.as_deref() == Some("red") {
            red_lights += 1;
        }
    }
    UnitRow {
        org_id: o.id,
        name: o.name.clone(),
        department: o
            .parent_id
            .and_then(|p| names.get(&p))
            .map(|n| (*n).to_string())
            .unwrap_or_default(),
        forms: mine.len(),
        submitted,
        stage: basis().map(|(st, _)| *st).min(),
        overdue: past_deadline && (mine.is_empty() || basis().any(|(st, _)| !st.submitted())),
        total: total.total(),
        errors,
        red_lights,
    }
}

/// Self-evaluations per grade (优, 良, 中, 差).
fn grades(self_evals: &[&FigureRow]) -> Vec<(String, usize)> {
    ["优", "良", "中", "差"]
        .iter()
        .map(|g| {
            let n = self_evals
                .iter()
                .filter(|f| f.grade.as_deref() == Some(*g))
                .count();
            ((*g).to_string(), n)
        })
        .collect()
}

/// Self-evaluation totals per band.
fn score_bands(self_evals: &[&FigureRow]) -> Vec<(String, usize)> {
    const BANDS: [(&str, i64, i64); 5] = [
        ("60分以下", 0, 60),
        ("60—70分", 60, 70),
        ("70—80分", 70, 80),
        ("80—90分", 80, 90),
        ("90分及以上", 90, 1000),
    ];
    let totals: Vec<Decimal> = self_evals
        .iter()
        .filter_map(|f| decimal(f.total.as_deref()))
        .collect();
    BANDS
        .iter()
        .map(|(label, lo, hi)| {
            let n = totals
                .iter()
                .filter(|t| **t >= Decimal::from(*lo) && **t < Decimal::from(*hi))
                .count();
            ((*label).to_string(), n)
        })
        .collect()
}

/// Monitoring forms per light.
fn lights(of_year: &[&FigureRow]) -> Vec<(String, usize)> {
    [
        ("red", "红灯"),
        ("yellow", "黄灯"),
        ("blue", "蓝灯"),
        ("green", "绿灯"),
    ]
    .iter()
    .map(|(code, word)| {
        let n = of_year
            .iter()
            .filter(|f| f.light.as_deref() == Some(*code))
            .count();
        ((*word).to_string(), n)
    })
    .collect()
}

/// Audit checks by the number of forms they fire on, most frequent first.
fn checks(of_year: &[&FigureRow]) -> Vec<(String, usize)> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for f in of_year {
        for code in f
            .codes
            .as_deref()
            .unwrap_or_default()
            .split(',')
            .filter(|c| !c.is_empty())
        {
            *counts.entry(code).or_default() += 1;
        }
    }
    let mut checks: Vec<(String, usize)> = counts
        .into_iter()
        .map(|(code, n)| (code.to_string(), n))
        .collect();
    checks.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    checks
}

/// The audit checks with their names (`S01 一级指标分值与规定不符`), never a bare code.
fn checks_sheet(checks: &[(String, usize)]) -> Vec<Vec<String>> {
    let mut rows = vec![vec![
        "检查项".to_string(),
        "名称".to_string(),
        "涉及表单".to_string(),
    ]];
    rows.extend(checks.iter().map(|(code, n)| {
        let title = jixiao_core::audit::CHECKS
            .iter()
            .find(|c| c.code == code)
            .map_or("", |c| c.title);
        vec![code.clone(), title.to_string(), n.to_string()]
    }));
    rows
}

/// The dashboard as an Excel workbook: one sheet per table of [`sheets`].
pub fn xlsx(d: &Dashboard) -> Result<Vec<u8>, std::io::Error> {
    let mut book = jixiao_write::Workbook::default();
    for (name, rows) in sheets(d) {
        book.sheet(&name, rows);
    }
    book.to_bytes()
}

/// The dashboard's tables as rows of text, one sheet each, for the Excel export.
pub fn sheets(d: &Dashboard) -> Vec<(String, Vec<Vec<String>>)> {
    let text = |d: Option<Decimal>| d.map(|d| d.normalize().to_string()).unwrap_or_default();
    let mut units = vec![vec![
        "单位".to_string(),
        "主管部门".into(),
        "表单数".into(),
        "已提交".into(),
        "状态".into(),
        "逾期未提交".into(),
        "总分".into(),
        "审核错误".into(),
        "红灯".into(),
    ]];
    for u in &d.units {
        units.push(vec![
            u.name.clone(),
            u.department.clone(),
            u.forms.to_string(),
            u.submitted.to_string(),
            u.stage
                .map(|s| s.name().to_string())
                .unwrap_or_else(|| "未填报".into()),
            if u.overdue { "是" } else { "否" }.into(),
            text(u.total),
            u.errors.to_string(),
            u.red_lights.to_string(),
        ]);
    }
    let pairs = |title: &str, rows: &[(String, usize)]| {
        let mut out = vec![vec![title.to_string(), "数量".to_string()]];
        out.extend(rows.iter().map(|(k, n)| vec![k.clone(), n.to_string()]));
        out
    };
    let mut ranking = vec![vec!["名次".to_string(), "单位".into(), "总分".into()]];
    ranking.extend(
        d.ranking
            .iter()
            .enumerate()
            .map(|(k, (u, t))| vec![(k + 1).to_string(), u.clone(), t.normalize().to_string()]),
    );
    let mut points = vec![vec![
        "单位".to_string(),
        "名称".into(),
        "执行率（%）".into(),
        "总分".into(),
    ]];
    points.extend(d.points.iter().map(|p| {
        vec![
            p.unit.clone(),
            p.name.clone(),
            jixiao_core::money::round2(p.rate).normalize().to_string(),
            p.total.normalize().to_string(),
        ]
    }));
    vec![
        (format!("{}年度各单位", d.year), units),
        ("等级分布".into(), pairs("等级", &d.grades)),
        ("得分分布".into(), pairs("分数段", &d.score_bands)),
        ("审核问题".into(), checks_sheet(&d.checks)),
        ("排名".into(), ranking),
        ("执行率与得分".into(), points),
    ]
}
