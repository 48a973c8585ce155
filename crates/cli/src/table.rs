//! Plain-text tables that line up with Chinese text (wide characters take two columns).

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// A table of text cells with a header row.
pub struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
    max_width: usize,
}

impl Table {
    /// A table with these column titles; cells wider than `max_width` are cut with `…`.
    pub fn new(header: &[&str], max_width: usize) -> Table {
        Table {
            header: header.iter().map(|s| s.to_string()).collect(),
            rows: Vec::new(),
            max_width,
        }
    }

    /// Adds a row.
    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    /// Renders the table.
    pub fn render(&self) -> String {
        let cut = |s: &str| truncate(&s.split_whitespace().collect::<String>(), self.max_width);
        let cells: Vec<Vec<String>> = std::iter::once(&self.header)
            .chain(&self.rows)
            .map(|r| r.iter().map(|c| cut(c)).collect())
            .collect();
        let columns = self.header.len();
        let widths: Vec<usize> = (0..columns)
            .map(|c| {
                cells
                    .iter()
                    .filter_map(|r| r.get(c))
                    .map(|s| s.width())
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let mut out = String::new();
        for (i, row) in cells.iter().enumerate() {
            let line: Vec<String> = (0..columns)
                .map(|c| {
                    let s = row.get(c).map(String::as_str).unwrap_or("");
                    format!("{s}{}", " ".repeat(widths[c].saturating_sub(s.width())))
                })
                .collect();
            out.push_str(line.join("  ").trim_end());
            out.push('\n');
            if i == 0 {
                let rule: Vec<String> = widths.iter().map(|w| "─".repeat(*w)).collect();
                out.push_str(&rule.join("  "));
                out.push('\n');
            }
        }
        out
    }
}

/// Cuts `s` to at most `max` display columns, ending with `…` when cut.
fn truncate(s: &str, max: usize) -> String {
    if s.width() <= max {
        return s.to_string();
    }
    let mut out = String::new();
    let mut width = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if width + w + 1 > max {
            break;
        }
        out.push(c);
        width += w;
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_line_up_with_wide_characters() {
        let mut t = Table::new(&["指标", "分值"], 10);
        t.row(vec!["参保人数".into(), "9".into()]);
        t.row(vec!["abc".into(), "10".into()]);
        let out = t.render();
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[0], "指标      分值");
        assert_eq!(lines[2], "参保人数  9");
        assert_eq!(lines[3], "abc       10");
        assert_eq!(truncate("一二三四五六", 7), "一二三…");
    }
}
