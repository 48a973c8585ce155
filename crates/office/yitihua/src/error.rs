//! What can go wrong writing or reading the 规范表, in Chinese, naming the file, table, row
//! (the CSV line, the header being line 1, as a spreadsheet shows it) and column.

/// A 一体化 zip could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}：{kind}")]
pub struct ReadError {
    /// The file name as given.
    pub file: String,
    /// What went wrong.
    pub kind: ReadErrorKind,
}

/// What went wrong reading a 一体化 zip.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadErrorKind {
    /// The file is bigger than the limit.
    #[error("文件过大（{size} 字节，上限 {limit} 字节）")]
    FileTooLarge {
        /// Its size.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// Not a zip, or a damaged one.
    #[error("不是有效的一体化规范表压缩包（.zip）：{reason}")]
    NotZip {
        /// Why.
        reason: String,
    },
    /// More entries than any exchange has: refused before reading them.
    #[error("压缩包中有{count}个文件，超过上限（{limit}）；一体化规范表压缩包只含各规范表的 CSV")]
    TooManyEntries {
        /// Entries in the zip.
        count: usize,
        /// The limit.
        limit: usize,
    },
    /// One entry, or all of them together, inflate beyond the limit.
    #[error("“{entry}”解压后超过上限（{limit} 字节），疑似压缩炸弹，已停止读取")]
    InflatesTooMuch {
        /// The entry being read.
        entry: String,
        /// The limit that was reached.
        limit: u64,
    },
    /// A password-protected entry.
    #[error("“{entry}”已加密，请解压后去掉密码再打包")]
    Encrypted {
        /// The entry.
        entry: String,
    },
    /// An entry could not be inflated.
    #[error("“{entry}”已损坏：{reason}")]
    DamagedEntry {
        /// The entry.
        entry: String,
        /// Why.
        reason: String,
    },
    /// The same table twice.
    #[error("表 {table} 在压缩包中出现了两次")]
    DuplicateTable {
        /// The table.
        table: String,
    },
    /// No entry is a 规范表.
    #[error(
        "压缩包中没有一体化规范表（应含 PM_PERF_GOAL_INFO.csv、BGT_PERF_GOAL_INFO.csv、PAY_PERF_MONITOR_TASK.csv 或 PM_PERF_SELF_EVAL.csv 等）；多份 Word/Excel 表单的压缩包请解压后逐个导入"
    )]
    NoTables,
    /// A CSV in neither UTF-8 nor GB18030.
    #[error(
        "表 {table} 不是 UTF-8 或 GB18030 编码的文本，请在 Excel 中另存为“CSV UTF-8（逗号分隔）”"
    )]
    NotText {
        /// The table.
        table: String,
    },
    /// A CSV that is not valid (unbalanced quotes, a row with the wrong number of cells).
    #[error("表 {table} 第{line}行：CSV 格式错误：{reason}")]
    Csv {
        /// The table.
        table: String,
        /// The CSV line.
        line: u64,
        /// Why.
        reason: String,
    },
    /// A table beyond the row or column limit.
    #[error("表 {table} 的{what}超过上限（{limit}）")]
    TooBig {
        /// The table.
        table: String,
        /// 行数 or 列数 or 单元格字数.
        what: &'static str,
        /// The limit.
        limit: usize,
    },
    /// A cell that cannot be read.
    #[error("表 {table} 第{line}行“{column}”列：{reason}")]
    Cell {
        /// The table.
        table: String,
        /// The CSV line.
        line: u64,
        /// The column.
        column: String,
        /// Why, quoting the cell.
        reason: String,
    },
    /// A detail row whose form is in no header table.
    #[error("表 {table} 第{line}行：找不到“{column}”为“{id}”的表单（表头表中没有这一行）")]
    Orphan {
        /// The table.
        table: String,
        /// The CSV line.
        line: u64,
        /// The linking column.
        column: String,
        /// Its value.
        id: String,
    },
    /// Two header rows with the same id, or two rows where a form has one.
    #[error("表 {table} 第{line}行：“{column}”为“{id}”的行重复")]
    Duplicate {
        /// The table.
        table: String,
        /// The CSV line.
        line: u64,
        /// The key column.
        column: String,
        /// Its value.
        id: String,
    },
}

/// Forms could not be written as a 一体化 zip.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WriteError {
    /// None of the forms has a 规范表.
    #[error(
        "没有可按一体化规范表导出的表单：{refused}没有对应的一体化规范表（可交换：{}）",
        crate::EXCHANGEABLE
    )]
    NothingToExchange {
        /// The refused forms, named (`第1张“绩效自评报告”`).
        refused: String,
    },
    /// The zip could not be written (the machine's fault, never the forms').
    #[error("写出一体化规范表压缩包失败：{reason}")]
    Io {
        /// Why.
        reason: String,
    },
}
