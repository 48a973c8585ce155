//! A self-evaluation's own arithmetic, on the numbers it states, at the precision it prints
//! them (a total is the plain sum of the stated scores; Jixiao's rescaling of weights that do
//! not add up to 100 is a scoring policy, not the form's arithmetic): the execution rate (A01) and its score (A02), the total (A04) and its grade (A05),
//! the weights (S02), each group against its label and the policy (A09, S01), the groups the
//! form must have (S03). Jixiao's rescoring is not the form's arithmetic: where the stated
//! scores add up to the stated total but the rules score the rows otherwise, that is A11 (提示).
//!
//! A form cut off before its 总分 row (no 总分 cell of either kind) may lack rows: a check
//! that needs them says it cannot check ([`Finding::cannot_check`]) unless the figures
//! already contradict each other whatever the missing rows hold.

use rust_decimal::Decimal;

use super::catalog::{A01, A02, A04, A05, A09, A11, S01, S02, S03};
use super::forms::points;
use super::precision::{Span, fraction_as_percent, half_unit, sum_agrees, sum_tolerance};
use super::{Finding, Input};
use crate::form::SelfEvaluation;
use crate::indicator::Level1;
use crate::scoring::{IndicatorScore, Method, ScoredForm, ScoringPolicy, percent};

/// Every check of this module on one self-evaluation.
pub(super) fn check(
    input: &Input<'_>,
    f: &SelfEvaluation,
    scored: &ScoredForm,
    policy: &ScoringPolicy,
    out: &mut Vec<Finding>,
) {
    execution_rate(input, f, scored, out);
    execution_score(input, f, scored, out);
    total(input, f, scored, policy, out);
    weights(input, f, scored, policy, out);
    groups(input, f, scored, policy, out);
    required_groups(input, f, scored, out);
}

/// True when the form shows its 总分 row (a stated total or its 分值): it is not cut off
/// before it, so rows that are not there are not on the form.
fn has_total_row(f: &SelfEvaluation) -> bool {
    f.stated_total.is_some() || f.stated_total_weight.is_some()
}

/// The rows that count (not marked not applicable).
fn applicable(scored: &ScoredForm) -> impl Iterator<Item = &IndicatorScore> {
    scored
        .indicators
        .iter()
        .filter(|s| s.method != Method::NotApplicable)
}

/// The execution rate's weight as the form states it: its 分值 cell, else the policy's
/// when the form states a score for it; `None` when the form has no execution-rate score.
fn execution_weight(f: &SelfEvaluation, scored: &ScoredForm) -> Option<Decimal> {
    f.funds
        .weight
        .or_else(|| f.funds.stated_score.map(|_| scored.execution.weight))
}

/// The stated rate as written (`0.958` stays `0.958`, `95.8` is shown as `95.8%`).
fn written_rate(stated: Decimal) -> String {
    if stated <= Decimal::ONE {
        format!("{stated}")
    } else {
        format!("{stated}%")
    }
}

/// A01: the stated rate against executed ÷ budget, within half a unit of its last digit; a
/// rate written as a fraction (0.958, 1) is read as 95.8%, 100%.
fn execution_rate(
    input: &Input<'_>,
    f: &SelfEvaluation,
    scored: &ScoredForm,
    out: &mut Vec<Finding>,
) {
    let Some(stated) = f.funds.stated_rate else {
        return;
    };
    let e = &scored.execution;
    let at = input.at("funds.stated_rate");
    let Some(rate) = e.rate else {
        out.push(
            Finding::cannot_check(
                &A01,
                input,
                at,
                format!(
                    "执行率：表中缺少全年执行数或{}（或其为0），无法核对填报的执行率{}",
                    e.denominator.label(),
                    written_rate(stated)
                ),
            )
            .values(Some(written_rate(stated)), None)
            .evidence(e.explanation.to_string()),
        );
        return;
    };
    let Some(computed) = rate.checked_mul(Decimal::ONE_HUNDRED) else {
        return;
    };
    let exact = Span::exact(computed);
    if Span::printed(stated).meets(exact)
        || fraction_as_percent(stated).is_some_and(|s| s.meets(exact))
    {
        return;
    }
    let (executed, budget) = (amount(e.executed), amount(e.budget));
    out.push(
        Finding::new(
            &A01,
            input,
            at,
            format!(
                "执行率：填报{}，按 {executed} ÷ {budget} 为{}；差异超过填报数值末位的半个单位（±{}%）",
                written_rate(stated),
                percent(rate),
                half_unit(stated).normalize()
            ),
        )
        .values(Some(written_rate(stated)), Some(percent(rate)))
        .evidence(e.explanation.to_string()),
    );
}

fn amount(a: Option<crate::money::Amount>) -> String {
    a.map_or_else(|| "（空）".into(), |a| a.to_string())
}

/// A02: the stated execution score against weight × rate, capped at the weight: the rate as
/// stated (a range at its printed precision, a fraction read as percent) or as executed ÷
/// budget; the score within half a unit of its last digit.
fn execution_score(
    input: &Input<'_>,
    f: &SelfEvaluation,
    scored: &ScoredForm,
    out: &mut Vec<Finding>,
) {
    let Some(stated) = f.funds.stated_score else {
        return;
    };
    let e = &scored.execution;
    let weight = e.weight;
    let at = input.at("funds.stated_score");
    // Rates as fractions of one, each a range.
    let hundredth = Decimal::new(1, 2);
    let mut rates: Vec<Span> = Vec::new();
    if let Some(rate) = e.rate {
        rates.push(Span::exact(rate));
    }
    if let Some(r) = f.funds.stated_rate {
        rates.extend(Span::printed(r).times(hundredth));
        rates.extend(fraction_as_percent(r).and_then(|s| s.times(hundredth)));
    }
    if rates.is_empty() {
        out.push(
            Finding::cannot_check(
                &A02,
                input,
                at,
                format!(
                    "执行率得分：表中没有执行率，也缺少计算执行率所需的全年执行数或{}，无法核对得分{}分",
                    e.denominator.label(),
                    points(stated)
                ),
            )
            .values(Some(points(stated)), None),
        );
        return;
    }
    let score = Span::printed(stated);
    let agrees = rates.iter().any(|r| {
        r.times(weight)
            .is_none_or(|expected| expected.capped(weight).meets(score))
    });
    if agrees {
        return;
    }
    let rate = e
        .rate
        .or_else(|| f.funds.stated_rate.map(|r| r * hundredth))
        .unwrap_or_default();
    let computed = crate::money::round2(weight.saturating_mul(rate).min(weight));
    out.push(
        Finding::new(
            &A02,
            input,
            at,
            format!(
                "执行率得分：填报{}分，按 分值{} × 执行率{} 应为{}分（最高不超过分值）；差异超过填报数值末位的半个单位（±{}）",
                points(stated),
                points(weight),
                percent(rate),
                points(computed),
                half_unit(stated).normalize()
            ),
        )
        .values(Some(points(stated)), Some(points(computed)))
        .evidence(e.explanation.to_string()),
    );
}

/// The stated figures the total is made of: each applicable row's stated score and the
/// stated execution score; with the weight of the rows that state no score.
struct StatedScores {
    /// The stated scores.
    scores: Vec<Decimal>,
    /// Σ stated weights (rows and execution rate).
    weights: Decimal,
    /// Σ weights of the rows (and execution rate) that state no score.
    unscored_weight: Decimal,
    /// Rows (or the execution rate) without a stated score.
    unscored: usize,
    /// True when some row states a score without a weight (section points only).
    unweighted: bool,
}

impl StatedScores {
    fn of(f: &SelfEvaluation, scored: &ScoredForm) -> StatedScores {
        let mut s = StatedScores {
            scores: Vec::new(),
            weights: Decimal::ZERO,
            unscored_weight: Decimal::ZERO,
            unscored: 0,
            unweighted: false,
        };
        let execution = execution_weight(f, scored).map(|w| (Some(w), f.funds.stated_score));
        let rows = applicable(scored).map(|r| (r.weight, r.stated));
        for (weight, score) in rows.chain(execution) {
            s.weights += weight.unwrap_or_default();
            match score {
                Some(v) => {
                    s.scores.push(v);
                    s.unweighted |= weight.is_none();
                }
                None if weight.is_some() => {
                    s.unscored += 1;
                    s.unscored_weight += weight.unwrap_or_default();
                }
                None => {}
            }
        }
        s
    }

    fn sum(&self) -> Decimal {
        self.scores.iter().copied().sum()
    }
}

/// A04, A05, A11: the stated total against the stated scores, the grade against the stated
/// total, and Jixiao's rescoring against both.
fn total(
    input: &Input<'_>,
    f: &SelfEvaluation,
    scored: &ScoredForm,
    policy: &ScoringPolicy,
    out: &mut Vec<Finding>,
) {
    let stated = StatedScores::of(f, scored);
    let full = f.stated_total_weight.unwrap_or(policy.full_score);
    let at = input.at("stated_total");
    let Some(total) = f.stated_total else {
        if !stated.scores.is_empty() {
            let why = if has_total_row(f) {
                "总分行未填写得分"
            } else {
                "表中没有总分行（表格可能在总分行之前截断）"
            };
            out.push(
                Finding::cannot_check(&A04, input, at, format!("{why}，无法核对总分"))
                    .values(None, Some(points(stated.sum()))),
            );
        }
        grade_without_total(input, f, &stated, full, policy, out);
        return;
    };
    let sum = stated.sum();
    // Every row is there when the 总分 row states its 分值 (a total printed in a header has
    // none) or when the weights already reach the full score; then the sum is exact.
    let complete = stated.unscored == 0
        && (f.stated_total_weight.is_some() || !stated.unweighted && stated.weights >= full);
    let agrees = sum_agrees(total, &stated.scores) == Some(true);
    let arithmetic = format!(
        "{} = {}",
        stated
            .scores
            .iter()
            .map(|v| points(*v))
            .collect::<Vec<_>>()
            .join(" + "),
        points(sum)
    );
    if agrees {
        rescoring(input, total, scored, &arithmetic, out);
    } else if complete {
        out.push(
            Finding::new(
                &A04,
                input,
                at.clone(),
                format!(
                    "总分：填报{}分，表中各项得分之和为{}分；差异超过印刷精度（±{}）",
                    points(total),
                    points(sum),
                    sum_tolerance(total, &stated.scores).normalize()
                ),
            )
            .values(Some(points(total)), Some(points(sum)))
            .evidence(arithmetic),
        );
    } else {
        // Rows may be missing or unscored: the total can only be bounded.
        let room = stated.unscored_weight + (full - stated.weights).max(Decimal::ZERO);
        let tolerance = sum_tolerance(total, &stated.scores);
        let (low, high) = (sum, sum + room);
        if total + tolerance < low || total > high + tolerance {
            out.push(
                Finding::new(
                    &A04,
                    input,
                    at.clone(),
                    format!(
                        "总分：填报{}分，不在表中已列得分之和{}分与可得最高分{}分之间（表中指标可能不全，但缺少的指标不能使总分超出此范围）",
                        points(total),
                        points(low),
                        points(high)
                    ),
                )
                .values(Some(points(total)), Some(format!("{}–{}", points(low), points(high))))
                .evidence(format!(
                    "{arithmetic}；未列得分的分值{} + 满分{}与已列分值{}之差",
                    points(stated.unscored_weight),
                    points(full),
                    points(stated.weights)
                )),
            );
        } else {
            out.push(
                Finding::cannot_check(
                    &A04,
                    input,
                    at.clone(),
                    format!(
                        "总分：填报{}分，表中已列得分之和{}分；表中指标不全或未逐项列出分值、得分，无法核对",
                        points(total),
                        points(sum)
                    ),
                )
                .values(Some(points(total)), Some(points(sum)))
                .evidence(arithmetic),
            );
        }
    }
    grade(input, f, total, policy, out);
}

/// A11: the stated total agrees with the stated scores, but the rules score the rows
/// otherwise. Both figures and the rule, as a note.
fn rescoring(
    input: &Input<'_>,
    total: Decimal,
    scored: &ScoredForm,
    arithmetic: &str,
    out: &mut Vec<Finding>,
) {
    if !scored.complete || Span::printed(total).meets(Span::exact(scored.total)) {
        return;
    }
    out.push(
        Finding::new(
            &A11,
            input,
            input.at("stated_total"),
            format!(
                "总分：填报{}分与表中各项得分之和一致（{arithmetic}）；按计分规则重新计分为{}分，差异来自各项得分（见各指标的计算过程）",
                points(total),
                points(scored.total)
            ),
        )
        .values(Some(points(total)), Some(points(scored.total)))
        .evidence(scored.total_explanation.to_string()),
    );
}

/// A05: the stated grade against the grade of the stated total.
fn grade(
    input: &Input<'_>,
    f: &SelfEvaluation,
    total: Decimal,
    policy: &ScoringPolicy,
    out: &mut Vec<Finding>,
) {
    let Some(stated) = f.stated_grade else { return };
    let expected = policy.grade_bands.grade(total);
    if stated != expected {
        out.push(
            Finding::new(
                &A05,
                input,
                input.at("stated_grade"),
                format!(
                    "等级：填报“{stated}”，按填报总分{}分应为“{expected}”",
                    points(total)
                ),
            )
            .values(Some(stated.to_string()), Some(expected.to_string()))
            .evidence(policy.grade_bands.describe()),
        );
    }
}

/// A05 when the form states a grade but no total: against the sum of the stated scores when
/// every row is scored, else it cannot check.
fn grade_without_total(
    input: &Input<'_>,
    f: &SelfEvaluation,
    stated: &StatedScores,
    full: Decimal,
    policy: &ScoringPolicy,
    out: &mut Vec<Finding>,
) {
    let Some(grade_stated) = f.stated_grade else {
        return;
    };
    if stated.unscored == 0 && !stated.unweighted && stated.weights == full {
        grade(input, f, stated.sum(), policy, out);
    } else {
        out.push(
            Finding::cannot_check(
                &A05,
                input,
                input.at("stated_grade"),
                format!("等级：填报“{grade_stated}”，表中没有总分且得分不全，无法核对"),
            )
            .values(Some(grade_stated.to_string()), None),
        );
    }
}

/// S02: the stated weights (rows and execution rate) against the full score (the 总分 row's
/// 分值, else the policy's). Weights short of it on a form without its 总分 row cannot be
/// checked (rows may be cut off); weights above it are wrong whatever follows.
fn weights(
    input: &Input<'_>,
    f: &SelfEvaluation,
    scored: &ScoredForm,
    policy: &ScoringPolicy,
    out: &mut Vec<Finding>,
) {
    if f.indicators.is_empty() {
        return;
    }
    let at = input.at("stated_total_weight");
    let full = f.stated_total_weight.unwrap_or(policy.full_score);
    let rows: Vec<Decimal> = f.indicators.iter().filter_map(|r| r.weight).collect();
    let execution = execution_weight(f, scored);
    let parts: Vec<Decimal> = rows.iter().copied().chain(execution).collect();
    let sum: Decimal = parts.iter().copied().sum();
    let arithmetic = format!(
        "指标分值合计{} + 执行率分值{} = {}",
        points(rows.iter().copied().sum()),
        points(execution.unwrap_or_default()),
        points(sum)
    );
    if rows.is_empty()
        || f.indicators
            .iter()
            .any(|r| r.weight.is_none() && r.score.is_some())
    {
        out.push(Finding::cannot_check(
            &S02,
            input,
            at,
            "分值设置：指标未逐项列出分值（如只在一级指标标注分值），无法核对分值合计",
        ));
        return;
    }
    if sum_agrees(full, &parts) == Some(true) {
        return;
    }
    if sum < full && f.stated_total_weight.is_none() && f.stated_total.is_none() {
        out.push(
            Finding::cannot_check(
                &S02,
                input,
                at,
                format!(
                    "分值设置：{arithmetic}，少于满分{}；表中没有总分行（表格可能截断），无法核对",
                    points(full)
                ),
            )
            .values(Some(points(sum)), Some(points(full))),
        );
        return;
    }
    out.push(
        Finding::new(
            &S02,
            input,
            at,
            format!("分值设置：{arithmetic}，与满分{}不符", points(full)),
        )
        .values(Some(points(sum)), Some(points(full)))
        .evidence(arithmetic),
    );
}

/// The 一级 group of the form's last indicator row: on a cut-off form, the group that may
/// be incomplete.
fn last_group(scored: &ScoredForm) -> Option<Level1> {
    applicable(scored).filter_map(|s| s.level1).last()
}

/// A09 and S01: each group's weights against the points its label states and against the
/// policy. A group whose rows state no weight, or the last group of a form without its 总分
/// row when it falls short, cannot be checked.
fn groups(
    input: &Input<'_>,
    f: &SelfEvaluation,
    scored: &ScoredForm,
    policy: &ScoringPolicy,
    out: &mut Vec<Finding>,
) {
    let last = last_group(scored);
    for g in &scored.groups {
        let rows: Vec<&IndicatorScore> = applicable(scored)
            .filter(|s| s.level1 == Some(g.level1))
            .collect();
        let Some(first) = rows.first() else { continue };
        let at = input.at(&format!("indicators[{}].level1", first.row));
        let unweighted = rows.iter().all(|s| s.weight.is_none());
        let maybe_cut = !has_total_row(f) && last == Some(g.level1);
        if let Some(label) = g.stated_weight {
            if unweighted || maybe_cut && g.weight < label {
                let why = if unweighted {
                    "所含指标未逐项列出分值"
                } else {
                    "表格在此组之后截断，指标可能不全"
                };
                out.push(
                    Finding::cannot_check(
                        &A09,
                        input,
                        at,
                        format!("{}：标注{}分，{why}，无法核对", g.level1, points(label)),
                    )
                    .values(Some(points(label)), Some(points(g.weight))),
                );
                continue;
            }
            let weights: Vec<Decimal> = rows.iter().filter_map(|s| s.weight).collect();
            if sum_agrees(label, &weights) == Some(false) {
                out.push(
                    Finding::new(
                        &A09,
                        input,
                        at.clone(),
                        format!(
                            "{}：标注{}分，所含指标分值合计{}分",
                            g.level1,
                            points(label),
                            points(g.weight)
                        ),
                    )
                    .values(Some(points(label)), Some(points(g.weight))),
                );
            }
        }
        if unweighted || maybe_cut {
            continue;
        }
        if let Some(expected) = policy.level1_weights.get(&g.level1)
            && *expected != g.weight
        {
            out.push(
                Finding::new(
                    &S01,
                    input,
                    at,
                    format!(
                        "{}：分值合计{}分，计分政策规定为{}分（财预〔2020〕10号：原则上产出50、效益30、满意度10、预算执行率10）",
                        g.level1,
                        points(g.weight),
                        points(*expected)
                    ),
                )
                .values(Some(points(g.weight)), Some(points(*expected))),
            );
        }
    }
}

/// S03: the 一级 groups every self-evaluation must have. On a form without its 总分 row the
/// missing groups may be cut off: it says it cannot check.
fn required_groups(
    input: &Input<'_>,
    f: &SelfEvaluation,
    scored: &ScoredForm,
    out: &mut Vec<Finding>,
) {
    if f.indicators.is_empty() {
        return;
    }
    let present: Vec<Level1> = scored.indicators.iter().filter_map(|s| s.level1).collect();
    let missing: Vec<Level1> = [Level1::Output, Level1::Benefit, Level1::Satisfaction]
        .into_iter()
        .filter(|g| !present.contains(g))
        .collect();
    if missing.is_empty() {
        return;
    }
    if !has_total_row(f) {
        let names: Vec<String> = missing.iter().map(|g| format!("“{g}”")).collect();
        out.push(Finding::cannot_check(
            &S03,
            input,
            input.location.clone(),
            format!(
                "表中没有{}，但表格在总分行之前结束（可能截断），无法核对是否缺少",
                names.join("")
            ),
        ));
        return;
    }
    for required in missing {
        out.push(Finding::new(
            &S03,
            input,
            input.location.clone(),
            format!("没有“{required}”"),
        ));
    }
}
