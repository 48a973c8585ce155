//! Checks of an ex-ante assessment (事前绩效评估表): no aspect scored above its points (X01),
//! the stated total is the scores added (X02), the stated conclusion is the one the total
//! calls for under the year's bands (X03), the points add up to 100 (X04), points taken off
//! are explained (X05), and all five aspects are assessed (X06).

use rust_decimal::Decimal;

use super::catalog::{X01, X02, X03, X04, X05, X06};
use super::{Finding, Input};
use crate::ex_ante::{ExAntePolicy, assess};
use crate::form::ex_ante::{Aspect, ExAnteAssessment};

/// Checks one assessment.
pub(super) fn check(
    input: &Input<'_>,
    a: &ExAnteAssessment,
    policy: &ExAntePolicy,
    out: &mut Vec<Finding>,
) {
    for (k, row) in a.aspects.iter().enumerate() {
        let at = |field: &str| input.at(&format!("aspects[{k}].{field}"));
        if let (Some(score), Some(points)) = (row.score, row.points) {
            if score > points || score < Decimal::ZERO {
                out.push(
                    Finding::new(
                        &X01,
                        input,
                        at("score"),
                        format!(
                            "“{}”得分{}不在0至分值{}之间",
                            row.name,
                            score.normalize(),
                            points.normalize()
                        ),
                    )
                    .values(
                        Some(score.normalize().to_string()),
                        Some(format!("≤{}", points.normalize())),
                    ),
                );
            } else if score < points && row.reasoning.trim().is_empty() {
                out.push(Finding::new(
                    &X05,
                    input,
                    at("reasoning"),
                    format!(
                        "“{}”扣{}分，未写评估意见",
                        row.name,
                        (points - score).normalize()
                    ),
                ));
            }
        }
    }
    let whole = || input.at("stated_total");
    let r = assess(a, policy);
    if let Some(stated) = a.stated_total
        && r.complete
        && stated != r.total
    {
        out.push(
            Finding::new(
                &X02,
                input,
                whole(),
                format!(
                    "总分填报为{}，各项得分之和为{}",
                    stated.normalize(),
                    r.total.normalize()
                ),
            )
            .values(
                Some(stated.normalize().to_string()),
                Some(r.total.normalize().to_string()),
            )
            .evidence(r.explanation[0].clone()),
        );
    }
    if let (Some(stated), Some(computed)) = (a.conclusion, r.conclusion)
        && stated != computed
    {
        out.push(
            Finding::new(
                &X03,
                input,
                input.at("conclusion"),
                format!(
                    "评估结论为“{}”，按得分应为“{}”",
                    stated.name(),
                    computed.name()
                ),
            )
            .values(Some(stated.name().into()), Some(computed.name().into()))
            .evidence(r.explanation.join("；")),
        );
    }
    if !a.aspects.is_empty()
        && a.aspects.iter().all(|row| row.points.is_some())
        && r.points != Decimal::from(100)
    {
        out.push(Finding::new(
            &X04,
            input,
            whole(),
            format!("各项分值合计{}分，不是100分", r.points.normalize()),
        ));
    }
    let present: Vec<Aspect> = a
        .aspects
        .iter()
        .filter_map(|row| Aspect::parse(&row.name))
        .collect();
    let missing: Vec<&str> = Aspect::ALL
        .iter()
        .filter(|aspect| !present.contains(aspect))
        .map(|aspect| aspect.name())
        .collect();
    if !missing.is_empty() {
        out.push(Finding::new(
            &X06,
            input,
            input.location.clone(),
            format!("未评估：{}", missing.join("、")),
        ));
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::form::Form;
    use crate::form::ex_ante::Conclusion;
    use crate::source::Location;

    fn codes(a: &ExAnteAssessment) -> Vec<&'static str> {
        let form = Form::ExAnteAssessment(a.clone());
        let location = Location::default();
        let provenance = BTreeMap::new();
        let input = Input {
            form: &form,
            location: &location,
            provenance: &provenance,
        };
        let mut out = Vec::new();
        check(&input, a, &ExAntePolicy::default(), &mut out);
        out.iter().map(|f| f.code).collect()
    }

    fn good() -> ExAnteAssessment {
        let mut a = ExAnteAssessment::blank(Some(2025));
        for (row, s) in a.aspects.iter_mut().zip([18, 16, 17, 15, 20]) {
            row.score = Some(Decimal::from(s));
            row.reasoning = "依据充分".into();
        }
        a.stated_total = Some(Decimal::from(86));
        a.conclusion = Some(Conclusion::Support);
        a
    }

    #[test]
    fn each_check_fires_on_its_case_and_stays_quiet_on_its_pair() {
        assert!(codes(&good()).is_empty(), "{:?}", codes(&good()));
        let mut a = good();
        a.aspects[0].score = Some(Decimal::from(22));
        assert!(codes(&a).contains(&"X01"));
        let mut a = good();
        a.stated_total = Some(Decimal::from(88));
        assert_eq!(codes(&a), ["X02"]);
        let mut a = good();
        a.conclusion = Some(Conclusion::NotSupported);
        assert_eq!(codes(&a), ["X03"]);
        let mut a = good();
        a.aspects[4].points = Some(Decimal::from(25));
        assert!(codes(&a).contains(&"X04"));
        let mut a = good();
        a.aspects[1].reasoning.clear();
        assert_eq!(codes(&a), ["X05"]);
        a.aspects[1].score = Some(Decimal::from(20));
        a.stated_total = Some(Decimal::from(90));
        assert!(codes(&a).is_empty(), "full points need no reasoning");
        let mut a = good();
        a.aspects.remove(4);
        a.stated_total = Some(Decimal::from(66));
        a.conclusion = None;
        assert_eq!(codes(&a), ["X04", "X06"]);
    }
}
