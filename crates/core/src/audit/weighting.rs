//! P09: a score scaled by its weight twice. Forms whose 自评得分 splits into 单项指标得分 |
//! 权重占比 | 折算得分 score each indicator on a scale of 100 and weigh it:
//! 折算得分 = 单项指标得分 × 权重占比. When the 单项指标得分 are already on the 分值 scale
//! (none above its weight in points, most of them exactly the weight: full marks), multiplying
//! by 权重占比 again shrinks every score, and the total with it.

use rust_decimal::Decimal;

use super::catalog::P09;
use super::forms::points;
use super::{Finding, Input};
use crate::form::SelfEvaluation;

/// Checks the rows of `f` that print all of 单项指标得分, 权重占比 and 折算得分.
pub(super) fn check(input: &Input<'_>, f: &SelfEvaluation, out: &mut Vec<Finding>) {
    let hundred = Decimal::ONE_HUNDRED;
    let rows: Vec<(usize, Decimal, Decimal, Decimal)> = f
        .indicators
        .iter()
        .enumerate()
        .filter(|(_, r)| r.not_applicable.is_none())
        .filter_map(|(k, r)| Some((k, r.item_score?, r.weight?, r.score?)))
        .filter(|&(_, _, weight, _)| weight > Decimal::ZERO && weight < hundred)
        .collect();
    if rows.len() < 2 {
        return;
    }
    // Every 折算得分 is its 单项指标得分 × 权重占比, to the precision it is printed with.
    let weighted = |item: Decimal, weight: Decimal, score: Decimal| {
        let tolerance = Decimal::new(5, score.scale() + 1).max(Decimal::new(1, 2));
        (item * weight / hundred - score).abs() <= tolerance
    };
    let all_weighted = rows.iter().all(|&(_, i, w, s)| weighted(i, w, s));
    let on_points_scale = rows.iter().all(|&(_, i, w, _)| i <= w);
    let full_marks = rows.iter().filter(|&&(_, i, w, _)| i == w).count();
    if !(all_weighted && on_points_scale && 2 * full_marks >= rows.len()) {
        return;
    }
    let stated: Decimal = rows.iter().map(|r| r.3).sum();
    let earned: Decimal = rows.iter().map(|r| r.1).sum();
    let evidence = rows
        .iter()
        .map(|&(k, i, w, s)| {
            let name = &f.indicators[k].name;
            let name = if name.is_empty() {
                format!("第{}项指标", k + 1)
            } else {
                format!("“{name}”")
            };
            format!(
                "{name}：单项指标得分{}（分值{}）× 权重占比{}% = {}",
                points(i),
                points(w),
                points(w),
                points(s)
            )
        })
        .collect::<Vec<_>>()
        .join("；");
    out.push(
        Finding::new(
            &P09,
            input,
            input.at(&format!("indicators[{}].score", rows[0].0)),
            format!(
                "折算得分按权重占比折算了两次：{}项指标的单项指标得分已按分值计（均不超过其权重，{}项为满分），又乘以权重占比，折算得分合计{}分，按单项指标得分应为{}分",
                rows.len(),
                full_marks,
                points(stated),
                points(earned)
            ),
        )
        .values(Some(points(stated)), Some(points(earned)))
        .evidence(evidence),
    );
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::form::Form;
    use crate::source::Location;

    fn findings(rows: &[(&str, &str, &str)]) -> Vec<Finding> {
        let indicators = rows
            .iter()
            .enumerate()
            .map(|(k, (item, weight, score))| {
                format!(
                    r#"{{"level1": "产出指标", "level2": "数量指标", "name": "指标{k}名称", "target": "≥90%", "actual": "95%", "item_score": "{item}", "weight": "{weight}", "score": "{score}"}}"#
                )
            })
            .collect::<Vec<_>>()
            .join(",");
        let json = format!(
            r#"{{"form": "project_self_evaluation", "name": "测试项目", "funds": {{"rows": []}}, "indicators": [{indicators}]}}"#
        );
        let form = Form::from_json(&json).expect("form");
        let location = Location::default();
        let provenance = BTreeMap::new();
        let input = Input {
            form: &form,
            location: &location,
            provenance: &provenance,
        };
        let (Form::ProjectSelfEvaluation(f) | Form::DepartmentSelfEvaluation(f)) = &form else {
            panic!("not a self-evaluation")
        };
        let mut out = Vec::new();
        check(&input, f, &mut out);
        out
    }

    #[test]
    fn item_scores_on_the_points_scale_weighted_again_are_flagged() {
        // 20 points earned of 20, × 20% = 4: the weight applied twice.
        let found = findings(&[("20", "20", "4"), ("30", "30", "9"), ("45", "50", "22.5")]);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].code, "P09");
        assert_eq!(found[0].stated.as_deref(), Some("35.5"));
        assert_eq!(found[0].computed.as_deref(), Some("95"));
        assert!(
            found[0]
                .evidence
                .contains("单项指标得分20（分值20）× 权重占比20% = 4")
        );
    }

    #[test]
    fn item_scores_out_of_100_weighted_once_are_quiet() {
        // The usual reading: 100 × 20% = 20, 90 × 30% = 27.
        let found = findings(&[("100", "20", "20"), ("90", "30", "27"), ("100", "50", "50")]);
        assert!(found.is_empty(), "{found:?}");
        // On the points scale but not weighted again (折算得分 = 单项指标得分): quiet too.
        let found = findings(&[("20", "20", "20"), ("30", "30", "30")]);
        assert!(found.is_empty(), "{found:?}");
    }
}
