//! Where an uploaded form goes: one form per thing, and the unit, year and project in the file
//! checked against where it is filed. Pure: the use cases of `jixiao-app` read the
//! candidates and act on what these functions find.

use jixiao_core::form::{Form, plain_name as plain};
use serde::Serialize;

use crate::kind::{self, FormKind};
use crate::workflow::Stage;

/// What an upload does with a form that is already filed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OnDuplicate {
    /// Refuse, naming the form already filed (the default).
    #[default]
    Ask,
    /// Replace the filed form's content: a new version of it, when its stage allows.
    Replace,
    /// File it as a separate form on purpose.
    Separate,
}

impl OnDuplicate {
    /// The choice of a request's code (`ask`, `replace`, `separate`; empty: ask).
    pub fn from_code(code: &str) -> Option<OnDuplicate> {
        match code.trim() {
            "" | "ask" => Some(OnDuplicate::Ask),
            "replace" => Some(OnDuplicate::Replace),
            "separate" => Some(OnDuplicate::Separate),
            _ => None,
        }
    }
}

/// What the user chose when an upload was questioned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ImportChoice {
    /// What to do with forms already filed.
    pub on_duplicate: OnDuplicate,
    /// True once the user has seen and confirmed the differences between the file and where it
    /// goes (another unit, year or project).
    pub confirmed: bool,
}

/// A form already filed that an upload would file again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Existing {
    /// Its id.
    pub id: i64,
    /// Its kind.
    pub kind: FormKind,
    /// Its project or department name.
    pub name: String,
    /// Its year.
    pub year: i64,
    /// Where it is in the workflow.
    pub stage: Stage,
}

impl Existing {
    /// `“项目支出绩效自评表”日常运转经费（2022年，草稿，编号 12）`.
    pub fn describe(&self) -> String {
        format!(
            "“{}”{}（{}年，{}，编号 {}）",
            self.kind.name(),
            self.name,
            self.year,
            self.stage.name(),
            self.id
        )
    }
}

/// A difference between a file and where it is being filed, for the user to confirm.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Difference {
    /// The field, in Chinese (`单位`, `年度`, `项目名称`).
    pub field: &'static str,
    /// What the file says.
    pub in_file: String,
    /// What it is filed under.
    pub here: String,
}

impl Difference {
    /// `单位：文件中为“甲”，将归入“乙”`.
    pub fn describe(&self) -> String {
        format!(
            "{}：文件中为“{}”，将归入“{}”",
            self.field, self.in_file, self.here
        )
    }
}

/// The unit a form names: 实施单位 of a project form (the 主管部门 or 预算单位 of a declaration),
/// the department itself for a department form, the signing unit of a report, 资金使用单位 (else
/// 地方主管部门) of a transfer-payment form.
pub fn unit_of(form: &Form) -> Option<String> {
    let unit = match form {
        Form::ProjectTarget(f) => Some(f.unit.clone()),
        Form::DepartmentTarget(f) => Some(f.department.clone()),
        Form::ProjectSelfEvaluation(f) => f.implementing_unit.clone(),
        Form::DepartmentSelfEvaluation(f) => Some(f.name.clone()),
        Form::Monitoring(f) => f.implementing_unit.clone(),
        Form::Report(r) => r.unit.clone(),
        Form::TransferPayment(t) => t
            .implementing_unit
            .clone()
            .or_else(|| t.local_department.clone()),
        _ => None,
    };
    unit.map(|u| u.trim().to_string()).filter(|u| !u.is_empty())
}

/// True when the unit a file names is one of `orgs` (the unit filed under and its 主管部门 and
/// bureau above it): equal, or one name containing the other (`衡阳市工伤保险服务中心` and
/// `衡阳市工伤保险服务中心（本级）`).
pub fn names_unit(in_file: &str, orgs: &[String]) -> bool {
    let file = plain(in_file);
    orgs.iter().map(|o| plain(o)).any(|o| {
        !o.is_empty() && (o == file || o.contains(file.as_str()) || file.contains(o.as_str()))
    })
}

/// What in `form` differs from filing it under the unit `org` (with `orgs`, the unit and its
/// organisations above) in `year`.
pub fn differences(form: &Form, org: &str, orgs: &[String], year: u16) -> Vec<Difference> {
    let mut found = Vec::new();
    if let Some(unit) = unit_of(form)
        && !names_unit(&unit, orgs)
    {
        found.push(Difference {
            field: "单位",
            in_file: unit,
            here: org.to_string(),
        });
    }
    if let Some(in_file) = kind::year_of(form)
        && in_file != year
    {
        found.push(Difference {
            field: "年度",
            in_file: in_file.to_string(),
            here: format!("{year}（所选年度；确认后按文件中的{in_file}年归档）"),
        });
    }
    found
}

/// What differs between a file's form and the form it is imported into (`name`, `year`): the
/// project or department name and the year.
pub fn differences_from(form: &Form, name: &str, year: i64) -> Vec<Difference> {
    let mut found = Vec::new();
    let in_file = kind::name_of(form);
    if plain(&in_file) != plain(name) {
        let field = match FormKind::of(form) {
            Some(k) if k.is_project() => "项目名称",
            _ => "名称",
        };
        found.push(Difference {
            field,
            in_file,
            here: name.to_string(),
        });
    }
    if let Some(y) = kind::year_of(form)
        && i64::from(y) != year
    {
        found.push(Difference {
            field: "年度",
            in_file: y.to_string(),
            here: year.to_string(),
        });
    }
    found
}

/// True when `filed` is the same thing as a form of `kind` named `name` for `year`: the same
/// kind and year, and — for project forms — the same project (a unit has one department form
/// of each kind a year, whatever it is called); a voided form is no longer anything.
pub fn same_thing(kind: FormKind, name: &str, year: i64, filed: &Existing) -> bool {
    filed.kind == kind
        && filed.year == year
        && filed.stage != Stage::Voided
        && (!kind.is_project() || plain(&filed.name) == plain(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_unit_is_recognised_with_or_without_its_suffix_and_above_it() {
        let orgs = [
            "衡阳市工伤保险服务中心".to_string(),
            "衡阳市人力资源和社会保障局".to_string(),
        ];
        assert!(names_unit("衡阳市工伤保险服务中心（本级）", &orgs));
        assert!(names_unit(" 衡阳市人力资源和社会保障局 ", &orgs));
        assert!(!names_unit("永德县明朗中学", &orgs));
    }

    #[test]
    fn the_choices_read_from_their_codes() {
        assert_eq!(OnDuplicate::from_code(""), Some(OnDuplicate::Ask));
        assert_eq!(
            OnDuplicate::from_code("replace"),
            Some(OnDuplicate::Replace)
        );
        assert_eq!(OnDuplicate::from_code("overwrite"), None);
    }
}
