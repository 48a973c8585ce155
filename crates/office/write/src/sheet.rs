//! The layout of a form as a worksheet of styled cells — merged ranges, column widths, header
//! rows — that every writer renders: Excel as it is, Word and PDF as a table with the
//! borderless rows above and below it as paragraphs, HTML as a table.

/// How a cell looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Style {
    /// No borders.
    #[default]
    Plain,
    /// Bold, for a list's header row.
    Header,
    /// A form title: bold, large, centred.
    Title,
    /// A form cell: thin borders, wrapped, left-aligned, vertically centred.
    Cell,
    /// A form cell, centred.
    CellCenter,
    /// A caption under a form's title (`（2021年度）`): no borders, centred across the row.
    Caption,
}

/// What a cell of an offline template takes (Excel's data validation and sheet protection;
/// the other writers ignore it). A protected sheet's cells without an input are locked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// Free text.
    Text,
    /// One of these values, from a drop-down list (一级/二级指标).
    Choice(Vec<String>),
    /// A number of at least zero (amounts in 万元, 分值, 得分).
    Number,
    /// Computed by Excel and locked: `formula` (`=IFERROR(D7/C7,"")`) shown under the number
    /// format `format` (`0.00%`), with the result it has for the values written (so a reader
    /// that does not compute sees it too).
    Formula {
        /// The formula, with its leading `=`.
        formula: String,
        /// The number format of its result.
        format: &'static str,
        /// The result for the values written (`0.9283`), if they give one.
        result: Option<String>,
    },
}

/// A borderless line of a form (title, year, 填报单位, notes) as the page writers show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loose {
    /// The row's non-empty texts joined by a space.
    pub text: String,
    /// The form's title.
    pub title: bool,
    /// Centred under the title: a year line (`（2021年度）`) above the table. Other lines
    /// (填报单位：…, 备注) stay flush left.
    pub caption: bool,
}

/// Where a form's rows go on a page: loose lines above the table, the bordered rows
/// `first..last` as one table, loose lines below.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Regions {
    /// Rows in the sheet.
    pub rows: usize,
    /// Columns in the sheet.
    pub cols: usize,
    /// First bordered row.
    pub first: usize,
    /// One past the last bordered row.
    pub last: usize,
}

/// A worksheet: text cells with styles, merged ranges, column widths.
#[derive(Debug, Clone, Default)]
pub struct Sheet {
    /// The sheet's name (a worksheet's tab, a table's caption).
    pub name: String,
    /// Cell text and style by (row, column).
    pub cells: std::collections::BTreeMap<(usize, usize), (String, Style)>,
    /// Merged ranges: (first row, first column, last row, last column).
    pub merges: Vec<(usize, usize, usize, usize)>,
    /// Column widths by column, in characters.
    pub widths: Vec<(usize, u32)>,
    /// Header rows (first, last inclusive) that head the rows below them: repeated at the top
    /// of each page a split table continues on.
    pub headers: Vec<(usize, usize)>,
    /// True when the header row stays in view as the sheet scrolls.
    pub freeze_first_row: bool,
    /// True when the header row carries filters.
    pub autofilter: bool,
    /// What the cells of an offline template take, by (row, column).
    pub inputs: std::collections::BTreeMap<(usize, usize), Input>,
    /// True when only the cells with an input may be edited (an offline template).
    pub protect: bool,
}

impl Sheet {
    /// An empty sheet. Names lose the characters Excel forbids and are cut to 31 characters.
    pub fn new(name: &str) -> Sheet {
        Sheet {
            name: name
                .chars()
                .filter(|c| !"[]:*?/\\".contains(*c))
                .take(31)
                .collect(),
            ..Sheet::default()
        }
    }

    /// Sets the text of cell (row, col), 0-based.
    pub fn set(
        &mut self,
        row: usize,
        col: usize,
        text: impl Into<String>,
        style: Style,
    ) -> &mut Sheet {
        self.cells.insert((row, col), (text.into(), style));
        self
    }

    /// Merges a range, 0-based and inclusive; the covered cells get the anchor's style so the
    /// borders are drawn.
    pub fn merge(&mut self, r1: usize, c1: usize, r2: usize, c2: usize) -> &mut Sheet {
        if (r1, c1) != (r2, c2) {
            let style = self.cells.get(&(r1, c1)).map_or(Style::Plain, |c| c.1);
            for r in r1..=r2 {
                for c in c1..=c2 {
                    self.cells
                        .entry((r, c))
                        .or_insert_with(|| (String::new(), style));
                }
            }
            self.merges.push((r1, c1, r2, c2));
        }
        self
    }

    /// A `label | value` row: the label centred in column 0, the value across columns
    /// 1..`cols`.
    pub fn field_row(
        &mut self,
        row: usize,
        label: impl Into<String>,
        value: impl Into<String>,
        cols: usize,
    ) -> &mut Sheet {
        self.set(row, 0, label, Style::CellCenter)
            .set(row, 1, value, Style::Cell)
            .merge(row, 1, row, cols - 1)
    }

    /// Says what cell (row, col) of a template takes.
    pub fn input(&mut self, row: usize, col: usize, input: Input) -> &mut Sheet {
        self.inputs.insert((row, col), input);
        self
    }

    /// Marks rows `first..=last` as the header of the rows below them (to the next header).
    pub fn header(&mut self, first: usize, last: usize) -> &mut Sheet {
        self.headers.push((first, last));
        self
    }

    /// How the rows split into loose lines and the table.
    pub fn regions(&self) -> Regions {
        let rows = self.cells.keys().map(|k| k.0).max().map_or(0, |r| r + 1);
        let cols = self.cells.keys().map(|k| k.1).max().map_or(0, |c| c + 1);
        let first = (0..rows).find(|&r| self.bordered(r, cols)).unwrap_or(rows);
        let last = (0..rows)
            .rev()
            .find(|&r| self.bordered(r, cols))
            .map_or(first, |r| r + 1);
        Regions {
            rows,
            cols,
            first,
            last,
        }
    }

    /// True for a row holding a bordered form cell.
    pub fn bordered(&self, row: usize, cols: usize) -> bool {
        (0..cols).any(|c| {
            matches!(
                self.cells.get(&(row, c)).map(|v| v.1),
                Some(Style::Cell | Style::CellCenter)
            )
        })
    }

    /// A borderless row as a line of text; `above` when it is above the table.
    pub fn loose(&self, row: usize, cols: usize, above: bool) -> Loose {
        let texts: Vec<&str> = (0..cols)
            .filter_map(|c| self.cells.get(&(row, c)))
            .map(|v| v.0.as_str())
            .filter(|t| !t.is_empty())
            .collect();
        let title = (0..cols)
            .find_map(|c| self.cells.get(&(row, c)))
            .is_some_and(|v| v.1 == Style::Title);
        let caption = above
            && (0..cols)
                .find_map(|c| self.cells.get(&(row, c)))
                .is_some_and(|v| v.1 == Style::Caption);
        Loose {
            text: texts.join(" "),
            title,
            caption,
        }
    }

    /// The merged range covering a cell, if any.
    pub fn merge_at(&self, row: usize, col: usize) -> Option<(usize, usize, usize, usize)> {
        self.merges
            .iter()
            .find(|m| (m.0..=m.2).contains(&row) && (m.1..=m.3).contains(&col))
            .copied()
    }

    /// The width of a column in tenths of a character (9 characters when not set).
    pub fn column_width(&self, col: usize) -> u32 {
        self.widths
            .iter()
            .find(|(k, _)| *k == col)
            .map_or(90, |(_, w)| *w)
    }

    /// Sets a column's width in tenths of a character.
    pub fn width(&mut self, col: usize, tenths: u32) -> &mut Sheet {
        self.widths.push((col, tenths));
        self
    }
}

/// Writes the 一级 and 二级 labels of indicator rows starting at `first_row` into columns
/// `col` and `col + 1`, each merged over its run of equal labels (a 二级 run never crosses a
/// 一级 boundary).
pub fn level_cells(s: &mut Sheet, first_row: usize, col: usize, levels: &[(&str, &str)]) {
    let mut k = 0;
    while k < levels.len() {
        let l1 = levels[k].0;
        let end1 = (k..levels.len())
            .take_while(|&j| levels[j].0 == l1)
            .last()
            .unwrap_or(k);
        s.set(first_row + k, col, l1, Style::CellCenter).merge(
            first_row + k,
            col,
            first_row + end1,
            col,
        );
        let mut j = k;
        while j <= end1 {
            let l2 = levels[j].1;
            let end2 = (j..=end1)
                .take_while(|&i| levels[i].1 == l2)
                .last()
                .unwrap_or(j);
            s.set(first_row + j, col + 1, l2, Style::CellCenter).merge(
                first_row + j,
                col + 1,
                first_row + end2,
                col + 1,
            );
            j = end2 + 1;
        }
        k = end1 + 1;
    }
}

/// Money as a form's 万元 cell reads it (`808.1`), or with its own unit when it is not in 万元;
/// empty when absent.
pub fn wan_amount(a: Option<jixiao_core::money::Amount>) -> String {
    match a {
        Some(a) if a.unit() == jixiao_core::money::MoneyUnit::Wan => a.value().to_string(),
        Some(a) => a.as_written(),
        None => String::new(),
    }
}

/// A stated number as written; empty when absent.
pub fn number(v: Option<rust_decimal::Decimal>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

/// An amount as written (`12.8万元`); empty when absent.
pub fn amount(a: Option<jixiao_core::money::Amount>) -> String {
    a.map(|a| a.as_written()).unwrap_or_default()
}
