//! The one total of a form that everyone sees — the form page, its PDF, lists, the dashboard,
//! 结果应用 and the public results page.
//!
//! Until the finance bureau's review it is the unit's own stated total (总分 as the unit signed
//! it), or Jixiao's computed score when the form states none. At approval (审定) the bureau keeps
//! the stated total or adopts the computed score, with a reason; from then on that reviewed
//! total is the form's. The computed score is always shown beside it, with how it was obtained
//! (and rescaled, when the weights do not add up to the full score).

use jixiao_core::form::Form;
use jixiao_core::grade::Grade;
use jixiao_core::scoring::{ScoredForm, ScoringPolicy, TotalBasis as Rescaling};
use rust_decimal::Decimal;
use serde::Serialize;

/// Where a form's total comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TotalBasis {
    /// The unit's stated total (自评总分).
    Stated,
    /// Jixiao's computed score: the form states no total.
    Computed,
    /// Jixiao's computed score, adopted by the finance bureau at approval.
    Adopted,
}

impl TotalBasis {
    /// The code stored with the form.
    pub fn code(self) -> &'static str {
        match self {
            TotalBasis::Stated => "stated",
            TotalBasis::Computed => "computed",
            TotalBasis::Adopted => "adopted",
        }
    }

    /// The basis of a stored code.
    pub fn from_code(code: &str) -> Option<TotalBasis> {
        [
            TotalBasis::Stated,
            TotalBasis::Computed,
            TotalBasis::Adopted,
        ]
        .into_iter()
        .find(|b| b.code() == code)
    }

    /// What the total is, in words.
    pub fn name(self) -> &'static str {
        match self {
            TotalBasis::Stated => "单位自评总分",
            TotalBasis::Computed => "系统计算得分（表内未填总分）",
            TotalBasis::Adopted => "财政审定采用的系统计算得分",
        }
    }
}

/// A form's total as everyone sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Official {
    /// The total.
    #[serde(with = "rust_decimal::serde::str")]
    pub total: Decimal,
    /// Its grade under the year's bands.
    #[serde(serialize_with = "grade_name")]
    pub grade: Grade,
    /// Where it comes from.
    pub basis: TotalBasis,
}

fn grade_name<S: serde::Serializer>(grade: &Grade, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(grade.name())
}

/// The total of a self-evaluation before review: its stated total (rounded as the policy
/// rounds scores), else the computed score.
pub fn before_review(form: &Form, scored: &ScoredForm, policy: &ScoringPolicy) -> Official {
    match form.self_evaluation().and_then(|s| s.stated_total) {
        Some(stated) => {
            let mut total = policy.round(stated);
            total.rescale(policy.decimals);
            Official {
                total,
                grade: policy.grade_bands.grade(total),
                basis: TotalBasis::Stated,
            }
        }
        None => Official {
            total: scored.total,
            grade: scored.grade,
            basis: TotalBasis::Computed,
        },
    }
}

/// The total the finance bureau settles at approval: the computed score when it adopts it,
/// else the total as it stood.
pub fn reviewed(
    form: &Form,
    scored: &ScoredForm,
    policy: &ScoringPolicy,
    adopt_computed: bool,
) -> Official {
    if adopt_computed {
        Official {
            total: scored.total,
            grade: scored.grade,
            basis: TotalBasis::Adopted,
        }
    } else {
        before_review(form, scored, policy)
    }
}

/// How the shown total relates to the computed score, in sentences for the form page and the
/// public page: what the total is, the computed score beside it, and how that was rescaled
/// when the weights do not add up to the full score.
pub fn explain(official: &Official, scored: &ScoredForm, policy: &ScoringPolicy) -> Vec<String> {
    let mut lines = vec![format!(
        "本表总分{}分（{}），等级“{}”。",
        official.total,
        official.basis.name(),
        official.grade
    )];
    if official.basis == TotalBasis::Stated {
        if official.total == scored.total {
            lines.push(format!(
                "系统按评分规则计算得分{}分，与之一致。",
                scored.total
            ));
        } else {
            lines.push(format!(
                "系统按评分规则计算得分{}分，与单位自评总分相差{}分；财政审定时可采用系统计算得分（须写明理由）。",
                scored.total,
                (official.total - scored.total).abs()
            ));
        }
    }
    if policy.total_basis == Rescaling::RescaleToFullScore
        && scored.weight_total != policy.full_score
        && scored.weight_total > Decimal::ZERO
    {
        lines.push(format!(
            "各项分值合计{}分（不等于满分{}分），系统得分按 得分之和{} × {} ÷ {} = {}分 折算。",
            scored.weight_total.normalize(),
            policy.full_score.normalize(),
            scored.raw_total,
            policy.full_score.normalize(),
            scored.weight_total.normalize(),
            scored.total
        ));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use jixiao_core::scoring::score;

    fn seed() -> Form {
        Form::from_json(include_str!(
            "../../../testdata/forms/seed001-daily-operations.json"
        ))
        .expect("seed form")
    }

    #[test]
    fn the_stated_total_stands_until_the_bureau_adopts_the_computed_one() {
        let form = seed();
        let policy = ScoringPolicy::default();
        let scored = score(form.self_evaluation().expect("self-evaluation"), &policy);
        let stated = form
            .self_evaluation()
            .and_then(|s| s.stated_total)
            .expect("seed 001 states its total");
        let official = before_review(&form, &scored, &policy);
        assert_eq!(official.basis, TotalBasis::Stated);
        assert_eq!(official.total, policy.round(stated));
        let adopted = reviewed(&form, &scored, &policy, true);
        assert_eq!(
            (adopted.total, adopted.basis),
            (scored.total, TotalBasis::Adopted)
        );
        assert_eq!(reviewed(&form, &scored, &policy, false), official);
        let words = explain(&official, &scored, &policy).join("");
        assert!(words.contains(&official.total.to_string()), "{words}");
        assert!(words.contains(&scored.total.to_string()), "{words}");
    }

    #[test]
    fn a_form_without_a_stated_total_shows_the_computed_one() {
        let mut form = seed();
        if let Form::ProjectSelfEvaluation(s) | Form::DepartmentSelfEvaluation(s) = &mut form {
            s.stated_total = None;
        }
        let policy = ScoringPolicy::default();
        let scored = score(form.self_evaluation().expect("self-evaluation"), &policy);
        let official = before_review(&form, &scored, &policy);
        assert_eq!(official.basis, TotalBasis::Computed);
        assert_eq!(official.total, scored.total);
    }
}
