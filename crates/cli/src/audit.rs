//! `jixiao audit` output: the batch audit as a readable table per file.

use jixiao_core::audit::{Finding, counts};
use jixiao_office::batch::FileAudit;

use crate::table::Table;

/// The audits as a readable table per file.
pub fn render(audits: &[FileAudit]) -> String {
    let mut out = String::new();
    let all: Vec<&Finding> = audits.iter().flat_map(|a| &a.findings).collect();
    for a in audits {
        if let Some(e) = &a.error {
            out.push_str(&format!("{}：无法导入：{e}\n\n", a.file));
            continue;
        }
        let (e, w, i) = counts(&a.findings);
        out.push_str(&format!(
            "{}：{}份表单，错误{e}项，警告{w}项，提示{i}项\n",
            a.file, a.forms
        ));
        if !a.findings.is_empty() {
            let mut t = Table::new(&["级别", "代码", "问题", "表单", "位置", "说明"], 46);
            for f in &a.findings {
                let location = f.location.to_string().replacen(&a.file, "", 1);
                t.row(vec![
                    f.severity.name().into(),
                    f.code.into(),
                    f.title.into(),
                    f.form.clone(),
                    location.trim().to_string(),
                    f.message.clone(),
                ]);
            }
            out.push_str(&t.render());
        }
        for n in &a.notes {
            out.push_str(&format!("  · {n}\n"));
        }
        out.push('\n');
    }
    let (e, w, i) = counts(&all.iter().map(|f| (*f).clone()).collect::<Vec<_>>());
    out.push_str(&format!(
        "合计：{}个文件，错误{e}项，警告{w}项，提示{i}项\n",
        audits.len()
    ));
    out
}
