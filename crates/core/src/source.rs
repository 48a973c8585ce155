//! Provenance: where in which file a value was read, so that every finding can point at its
//! cell, and which values were read uncertainly (a scan's character recognition) and must be
//! checked against the paper before they count.

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

/// A place in an imported file: a table cell, a sheet cell or a paragraph. Rows and columns
/// are 1-based, as people count them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Location {
    /// The file name as given (shared: every cell of a file holds it).
    pub file: Arc<str>,
    /// 1-based table number in document order (Word, HTML, text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table: Option<usize>,
    /// Sheet name (Excel).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    /// 1-based row.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub row: Option<usize>,
    /// 1-based column.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub col: Option<usize>,
    /// 1-based paragraph number in document order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paragraph: Option<usize>,
    /// For text whose tables were flattened by extraction (a PDF or web page copied as
    /// text): the 1-based line and character column of the value in the source text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<(usize, usize)>,
    /// 1-based page, for a value read from a PDF.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<usize>,
}

/// `seed001.xlsx 工作表“日常运转经费” 第6行第8列`, `seed003.docx 表格2 第9行第4列`,
/// `seed004.docx 第12段`, `seed003.pdf 第5页 表格2 第9行第4列`.
impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        if let Some(page) = self.page {
            write!(f, " 第{page}页")?;
        }
        if let Some(sheet) = &self.sheet {
            write!(f, " 工作表“{sheet}”")?;
        } else if let Some(t) = self.table {
            write!(f, " 表格{t}")?;
        }
        match (self.row, self.col) {
            (Some(r), Some(c)) => write!(f, " 第{r}行第{c}列")?,
            (Some(r), None) => write!(f, " 第{r}行")?,
            _ => {}
        }
        if let Some(p) = self.paragraph {
            write!(f, " 第{p}段")?;
        }
        if let Some((line, col)) = self.source {
            write!(f, "（原文第{line}行第{col}字）")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn says_where_in_chinese() {
        let cell = Location {
            file: "seed001.xlsx".into(),
            sheet: Some("日常运转经费".into()),
            row: Some(6),
            col: Some(8),
            ..Location::default()
        };
        assert_eq!(
            cell.to_string(),
            "seed001.xlsx 工作表“日常运转经费” 第6行第8列"
        );
        let para = Location {
            file: "seed004.docx".into(),
            paragraph: Some(12),
            ..Location::default()
        };
        assert_eq!(para.to_string(), "seed004.docx 第12段");
        let pdf = Location {
            file: "seed003.pdf".into(),
            page: Some(5),
            table: Some(2),
            row: Some(9),
            col: Some(4),
            ..Location::default()
        };
        assert_eq!(pdf.to_string(), "seed003.pdf 第5页 表格2 第9行第4列");
    }
}

/// A value read with too little certainty (a scanned cell the character recognition was
/// unsure of, or a figure it repaired): the user checks it against the paper before the form
/// goes on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Uncertain {
    /// The field it went into (`indicators[3].actual`).
    pub path: String,
    /// The text as read.
    pub text: String,
    /// Where it was read.
    pub location: Location,
    /// The recognition's confidence, 0–100.
    pub confidence: u8,
}
