//! The Excel import of units and users (单位和用户导入), pure: a workbook whose sheets have the
//! columns 单位名称 / 类型 (主管部门 or 预算单位) / 上级单位 and 用户名 / 姓名 / 角色 / 所属单位
//! (one sheet with both groups of columns works too). Every row is checked, and every error
//! names its sheet, row and column; only a sheet without errors becomes a [`Plan`] for the
//! store to create in one transaction. Reading the file is the app's (`jixiao-files`).

use std::collections::{HashMap, HashSet};

use crate::account::{AccountError, OrgKind, checked_org_name, checked_username, parse_role};
use crate::role::Role;

/// Where an organisation or account goes: an organisation that exists, or the one planned at
/// an index of [`Plan::orgs`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Parent {
    /// An existing organisation's id.
    Existing(i64),
    /// The planned organisation at this index.
    New(usize),
}

/// The organisations an administrator reaches, by name: (id, kind, active).
pub type Known = HashMap<String, (i64, OrgKind, bool)>;

/// A column the import knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Column {
    OrgName,
    Kind,
    Parent,
    Username,
    DisplayName,
    Role,
    UserOrg,
}

impl Column {
    /// The column a header names (spaces, `*` and a bracketed note ignored).
    fn of(header: &str) -> Option<Column> {
        let h: String = header
            .split(['（', '('])
            .next()
            .unwrap_or_default()
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '*')
            .collect();
        Some(match h.as_str() {
            "单位名称" | "单位" => Column::OrgName,
            "类型" | "单位类型" => Column::Kind,
            "上级单位" | "上级" | "上级部门" => Column::Parent,
            "用户名" | "账号" | "登录名" => Column::Username,
            "姓名" | "显示名称" => Column::DisplayName,
            "角色" => Column::Role,
            "所属单位" => Column::UserOrg,
            _ => return None,
        })
    }

    /// The header printed in messages.
    fn label(self) -> &'static str {
        match self {
            Column::OrgName => "单位名称",
            Column::Kind => "类型",
            Column::Parent => "上级单位",
            Column::Username => "用户名",
            Column::DisplayName => "姓名",
            Column::Role => "角色",
            Column::UserOrg => "所属单位",
        }
    }
}

/// One data row of a sheet: where it is and its cells by column.
#[derive(Debug, Clone, Default)]
pub struct Row {
    /// The sheet's name (or `表格N`).
    sheet: String,
    /// 1-based row number.
    row: usize,
    cells: HashMap<Column, String>,
}

impl Row {
    fn get(&self, c: Column) -> &str {
        self.cells.get(&c).map(|s| s.trim()).unwrap_or_default()
    }

    fn at(&self, c: Column, message: impl std::fmt::Display) -> String {
        format!(
            "工作表“{}”第{}行“{}”列：{message}",
            self.sheet,
            self.row,
            c.label()
        )
    }
}

/// The data rows of every sheet (name, rows of cell texts at their columns) whose top ten
/// rows hold a header the import knows.
pub fn rows(sheets: &[(&str, &[Vec<String>])]) -> Vec<Row> {
    let mut out = Vec::new();
    for (sheet, grid) in sheets {
        // The header is the first of the top rows that names a column the import knows.
        let Some((h, header)) = grid.iter().enumerate().take(10).find_map(|(i, cells)| {
            let cols: Vec<(usize, Column)> = cells
                .iter()
                .enumerate()
                .filter_map(|(c, text)| Column::of(text).map(|k| (c, k)))
                .collect();
            cols.iter()
                .any(|(_, k)| matches!(k, Column::OrgName | Column::Username))
                .then_some((i, cols))
        }) else {
            continue;
        };
        for (i, cells) in grid.iter().enumerate().skip(h + 1) {
            let mut row = Row {
                sheet: (*sheet).to_string(),
                row: i + 1,
                cells: HashMap::new(),
            };
            for (c, text) in cells.iter().enumerate() {
                if let Some((_, k)) = header.iter().find(|(col, _)| *col == c) {
                    row.cells.insert(*k, text.clone());
                }
            }
            if row.cells.values().any(|v| !v.trim().is_empty()) {
                out.push(row);
            }
        }
    }
    out
}

/// An organisation to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedOrg {
    /// Name.
    pub name: String,
    /// Kind.
    pub kind: OrgKind,
    /// Where it hangs.
    pub parent: Parent,
}

/// An account to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedUser {
    /// Login name.
    pub username: String,
    /// Name shown.
    pub display_name: String,
    /// Role.
    pub role: Role,
    /// Its organisation.
    pub org: Parent,
}

/// What an import will create: organisations in the order of the sheet (each after its
/// parent), then the users.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Plan {
    /// The organisations.
    pub orgs: Vec<PlannedOrg>,
    /// The users.
    pub users: Vec<PlannedUser>,
}

/// The most errors one answer lists.
const MAX_ERRORS: usize = 20;

/// Checks every row against the organisations `known` (within `root`'s reach) and the user
/// names `taken`; the errors, each naming its sheet, row and column, or the plan.
pub fn plan(
    rows: &[Row],
    known: &Known,
    taken: &HashSet<String>,
    root: i64,
) -> Result<Plan, AccountError> {
    let mut plan = Plan::default();
    let mut errors = Vec::new();
    let mut new_orgs: HashMap<String, (usize, OrgKind)> = HashMap::new();
    // The organisation a name refers to: made earlier in this sheet, or already there.
    let lookup = |name: &str,
                  new_orgs: &HashMap<String, (usize, OrgKind)>|
     -> Result<(Parent, OrgKind), String> {
        if let Some((i, k)) = new_orgs.get(name) {
            return Ok((Parent::New(*i), *k));
        }
        match known.get(name) {
            Some((_, _, false)) => Err(format!("单位“{name}”已停用")),
            Some((id, k, true)) => Ok((Parent::Existing(*id), *k)),
            None => Err(format!(
                "单位“{name}”不存在（须为已有单位，或在本表上方作为新单位列出）"
            )),
        }
    };
    for r in rows.iter().filter(|r| !r.get(Column::OrgName).is_empty()) {
        let name = match checked_org_name(r.get(Column::OrgName)) {
            Ok(n) => n,
            Err(e) => {
                errors.push(r.at(Column::OrgName, e));
                continue;
            }
        };
        if known.contains_key(&name) || new_orgs.contains_key(&name) {
            errors.push(r.at(Column::OrgName, format!("已有名为“{name}”的单位")));
            continue;
        }
        let kind = match OrgKind::parse(r.get(Column::Kind)) {
            Some(k @ (OrgKind::Department | OrgKind::Unit)) => k,
            _ => {
                errors.push(r.at(
                    Column::Kind,
                    format!("“{}”无效：应为“主管部门”或“预算单位”", r.get(Column::Kind)),
                ));
                continue;
            }
        };
        let parent = match r.get(Column::Parent) {
            "" => Ok((Parent::Existing(root), OrgKind::Finance)),
            p => lookup(p, &new_orgs),
        };
        let parent = match parent {
            Ok((p, pk)) => {
                let fits = match kind {
                    OrgKind::Department => pk == OrgKind::Finance,
                    _ => pk != OrgKind::Unit,
                };
                if !fits {
                    errors.push(r.at(
                        Column::Parent,
                        format!("{}不能设在{}之下", kind.name(), pk.name()),
                    ));
                    continue;
                }
                p
            }
            Err(e) => {
                errors.push(r.at(Column::Parent, e));
                continue;
            }
        };
        new_orgs.insert(name.clone(), (plan.orgs.len(), kind));
        plan.orgs.push(PlannedOrg { name, kind, parent });
    }
    let mut names = HashSet::new();
    for r in rows.iter().filter(|r| !r.get(Column::Username).is_empty()) {
        let username = match checked_username(r.get(Column::Username)) {
            Ok(u) => u,
            Err(e) => {
                errors.push(r.at(Column::Username, e));
                continue;
            }
        };
        if taken.contains(&username) || !names.insert(username.clone()) {
            errors.push(r.at(Column::Username, format!("用户名“{username}”已被使用")));
            continue;
        }
        let role = match parse_role(r.get(Column::Role)) {
            Ok(role) => role,
            Err(e) => {
                errors.push(r.at(Column::Role, e));
                continue;
            }
        };
        let org_name = r.get(Column::UserOrg);
        if org_name.is_empty() {
            errors.push(r.at(Column::UserOrg, "请填写所属单位"));
            continue;
        }
        let (org, kind) = match lookup(org_name, &new_orgs) {
            Ok(found) => found,
            Err(e) => {
                errors.push(r.at(Column::UserOrg, e));
                continue;
            }
        };
        let want = OrgKind::of_role(role);
        if kind != want {
            errors.push(r.at(
                Column::Role,
                format!(
                    "{}须属于{}，“{org_name}”是{}",
                    role.name(),
                    want.name(),
                    kind.name()
                ),
            ));
            continue;
        }
        let display = match r.get(Column::DisplayName) {
            "" => username.clone(),
            d => d.chars().take(50).collect(),
        };
        plan.users.push(PlannedUser {
            username,
            display_name: display,
            role,
            org,
        });
    }
    if !errors.is_empty() {
        let more = errors.len().saturating_sub(MAX_ERRORS);
        errors.truncate(MAX_ERRORS);
        if more > 0 {
            errors.push(format!("另有{more}处错误未列出"));
        }
        return Err(AccountError(format!(
            "导入未进行，请改正后重新上传：{}",
            errors.join("；")
        )));
    }
    if plan.orgs.is_empty() && plan.users.is_empty() {
        return Err(AccountError(
            "文件中没有可导入的内容：需要“单位名称”“类型”“上级单位”列或“用户名”“角色”“所属单位”列"
                .into(),
        ));
    }
    Ok(plan)
}
