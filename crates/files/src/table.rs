//! A spreadsheet's tables as rows of text, for imports that read columns by their headers (the
//! payment system's export): .csv (UTF-8, with or without its byte-order mark, or GB18030 as
//! Chinese Excel saves it) and every spreadsheet the workspace's reader takes (.xlsx; .xls and
//! .ods through it), under the instance's limits.

use jixiao_recognize::Limits;

use crate::FileError;

/// One table: its sheet's name (or the file's) and its rows, each cell's text at its column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sheet {
    /// The sheet's name, or `表格N`, or the file's name for a .csv.
    pub name: String,
    /// The rows, top to bottom; a row's cells at their 0-based columns (blank where empty).
    pub rows: Vec<Vec<String>>,
}

/// The tables of `file_name` (its extension decides how it is read).
pub fn read(file_name: &str, bytes: &[u8], limits: &Limits) -> Result<Vec<Sheet>, FileError> {
    let base = file_name.rsplit(['/', '\\']).next().unwrap_or(file_name);
    let lower = base.to_ascii_lowercase();
    if lower.ends_with(".csv") || lower.ends_with(".txt") {
        return csv(base, bytes, limits).map(|s| vec![s]);
    }
    if !(lower.ends_with(".xlsx") || lower.ends_with(".xls") || lower.ends_with(".ods")) {
        return Err(FileError::Invalid(format!(
            "请上传 CSV 或 Excel 文件（.csv、.xlsx、.xls），“{base}”不是"
        )));
    }
    let doc = jixiao_read::read(base, bytes, limits)
        .map_err(|e| FileError::Invalid(format!("无法读取“{base}”：{e}")))?;
    Ok(doc
        .tables()
        .map(|t| {
            let rows = t
                .row_cells()
                .into_iter()
                .map(|cells| {
                    let width = cells.iter().map(|c| c.col + 1).max().unwrap_or(0);
                    let mut row = vec![String::new(); width];
                    for c in cells {
                        row[c.col] = c.text.trim().to_string();
                    }
                    row
                })
                .collect();
            Sheet {
                name: t
                    .sheet
                    .clone()
                    .unwrap_or_else(|| format!("表格{}", t.index + 1)),
                rows,
            }
        })
        .collect())
}

/// A .csv file's one table: UTF-8 (a byte-order mark is dropped) or else GB18030.
fn csv(base: &str, bytes: &[u8], limits: &Limits) -> Result<Sheet, FileError> {
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t.trim_start_matches('\u{feff}').to_string(),
        Err(_) => {
            let (t, _, bad) = encoding_rs::GB18030.decode(bytes);
            if bad {
                return Err(FileError::Invalid(format!(
                    "“{base}”既不是 UTF-8 也不是 GBK 编码的文本，请另存为 CSV（UTF-8）后上传"
                )));
            }
            t.into_owned()
        }
    };
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        if i >= limits.max_rows {
            return Err(FileError::Invalid(format!(
                "“{base}”超过{}行，请分批上传",
                limits.max_rows
            )));
        }
        let record = record
            .map_err(|e| FileError::Invalid(format!("“{base}”第{}行无法读取：{e}", i + 1)))?;
        if record.len() > limits.max_cols {
            return Err(FileError::Invalid(format!(
                "“{base}”第{}行超过{}列",
                i + 1,
                limits.max_cols
            )));
        }
        rows.push(record.iter().map(|c| c.trim().to_string()).collect());
    }
    Ok(Sheet {
        name: base.to_string(),
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_csv_is_read_in_utf8_or_gbk_and_bounded() {
        let limits = Limits::default();
        let utf8 = "\u{feff}项目名称,月份,支付金额（元）\n老工伤工作经费,2021-01,\"12,345.67\"\n";
        let s = &read("支付.csv", utf8.as_bytes(), &limits).expect("utf-8")[0];
        assert_eq!(s.rows[0][0], "项目名称");
        assert_eq!(s.rows[1][2], "12,345.67");
        let (gbk, _, _) = encoding_rs::GBK.encode("项目名称,月份\n工伤康复,3月\n");
        let s = &read("支付.CSV", &gbk, &limits).expect("gbk")[0];
        assert_eq!(s.rows[1], vec!["工伤康复", "3月"]);
        let few = Limits {
            max_rows: 1,
            ..Limits::default()
        };
        let e = read("支付.csv", utf8.as_bytes(), &few).expect_err("too long");
        assert!(e.to_string().contains("超过1行"), "{e}");
        let e = read("支付.pdf", b"%PDF", &limits).expect_err("not a table");
        assert!(e.to_string().contains("请上传 CSV 或 Excel"), "{e}");
    }
}
