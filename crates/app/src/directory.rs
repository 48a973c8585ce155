//! The Excel import of units and users: the workbook read (`jixiao-files`), its rows checked
//! and planned by `jixiao_record::directory`, and the import's template.

use jixiao_recognize::Limits;
pub use jixiao_record::directory::{Known, Parent, Plan, PlannedOrg, PlannedUser, Row, plan};

use crate::AppError;

/// Reads the data rows of every sheet with a known header row.
pub fn read(file_name: &str, bytes: &[u8], limits: &Limits) -> Result<Vec<Row>, AppError> {
    let base = file_name.rsplit(['/', '\\']).next().unwrap_or(file_name);
    if !base.to_ascii_lowercase().ends_with(".xlsx") {
        return Err(AppError::Invalid(format!(
            "请上传 Excel 文件（.xlsx），“{base}”不是"
        )));
    }
    let sheets = jixiao_files::table::read(base, bytes, limits)?;
    let sheets: Vec<(&str, &[Vec<String>])> = sheets
        .iter()
        .map(|s| (s.name.as_str(), s.rows.as_slice()))
        .collect();
    Ok(jixiao_record::directory::rows(&sheets))
}

/// The import's template: a sheet 单位 and a sheet 用户 with their headers.
pub fn template() -> Result<Vec<u8>, AppError> {
    let mut book = jixiao_write::Workbook::default();
    book.sheet(
        "单位",
        vec![vec!["单位名称".into(), "类型".into(), "上级单位".into()]],
    );
    book.sheet(
        "用户",
        vec![vec![
            "用户名".into(),
            "姓名".into(),
            "角色".into(),
            "所属单位".into(),
        ]],
    );
    book.to_bytes()
        .map_err(|e| AppError::Unwritable(format!("导入模板无法生成：{e}")))
}

/// A workbook of `sheets` (name, rows with the header first), as the import reads it (tests
/// and examples).
pub fn workbook(sheets: &[(&str, Vec<Vec<String>>)]) -> Result<Vec<u8>, AppError> {
    let mut book = jixiao_write::Workbook::default();
    for (name, rows) in sheets {
        book.sheet(name, rows.clone());
    }
    book.to_bytes()
        .map_err(|e| AppError::Unwritable(format!("工作簿无法生成：{e}")))
}
