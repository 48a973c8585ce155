//! Import errors: what went wrong, always with the file it happened in.

/// A file could not be imported.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}：{kind}")]
pub struct ImportError {
    /// The file name as given.
    pub file: String,
    /// What went wrong.
    pub kind: ErrorKind,
}

/// What went wrong while reading a file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ErrorKind {
    /// The file has no content.
    #[error("文件为空")]
    Empty,
    /// The file is bigger than the limit.
    #[error("文件过大（{size} 字节，上限 {limit} 字节）")]
    FileTooLarge {
        /// Its size.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// The package inflates beyond the limit: a zip bomb or a damaged file.
    #[error("解压后内容超过上限（{limit} 字节），疑似压缩炸弹，已停止读取")]
    InflatesTooMuch {
        /// The limit.
        limit: u64,
    },
    /// A table is larger than the limit.
    #[error("{what}超过上限（{limit}）")]
    TooBig {
        /// What is too big, in Chinese (`表格2的行数`).
        what: String,
        /// The limit.
        limit: usize,
    },
    /// The content is damaged or not what it claims to be.
    #[error("不是有效的{format}：{reason}")]
    Corrupt {
        /// The format it was read as.
        format: &'static str,
        /// Why.
        reason: String,
    },
    /// An encrypted (password-protected) Office file.
    #[error("文件已加密（设有打开密码），请在 Excel/WPS/Word 中取消密码后再导入")]
    Encrypted,
    /// A PDF that needs a password to open.
    #[error(
        "PDF 文件已加密（设有打开密码），无法读取文字；请在 PDF 阅读器中取消密码后另存，再导入"
    )]
    PdfEncrypted,
    /// A PDF whose pages hold no text, only images.
    #[error(
        "PDF中没有文字层（可能是扫描件），无法读取表格；请上传原始的 Word/Excel 文件，或先用 OCR 软件识别文字后另存为 Word 再导入"
    )]
    NoTextLayer,
    /// A scan, and tesseract or its Chinese language data is not installed.
    #[error(
        "未安装文字识别组件 tesseract-ocr（及 tesseract-ocr-chi-sim），无法读取扫描件；请安装（Debian：apt-get install tesseract-ocr tesseract-ocr-chi-sim poppler-utils），或上传原始的 Word/Excel 文件"
    )]
    NeedsOcr,
    /// A scan, and character recognition is switched off in the settings.
    #[error(
        "这是扫描件（图片或没有文字层的 PDF），文字识别已在设置中关闭（import.ocr），无法读取；请上传原始的 Word/Excel 文件"
    )]
    OcrOff,
    /// Character recognition of a scan failed.
    #[error("扫描件文字识别失败：{reason}")]
    OcrFailed {
        /// Why, naming the page.
        reason: String,
    },
    /// Reading took longer than the limit.
    #[error("读取超时（超过 {seconds} 秒），文件可能过于复杂或已损坏，已停止读取")]
    TooSlow {
        /// The limit in seconds.
        seconds: u64,
    },
    /// A legacy binary Office file and no LibreOffice to convert it.
    #[error(
        "这是旧版二进制 Word 文件（.doc/.wps），需要 LibreOffice 转换，但本机未找到 soffice/libreoffice；请安装（Debian：apt-get install libreoffice-writer）或在 Word/WPS 中另存为 .docx"
    )]
    NeedsLibreOffice,
    /// LibreOffice failed to convert a legacy file.
    #[error("LibreOffice 转换失败：{reason}")]
    ConversionFailed {
        /// Why.
        reason: String,
    },
    /// Content in no format Jixiao reads.
    #[error(
        "无法识别的文件内容（支持 .docx .xlsx .html .txt .pdf、扫描图片 .png .jpg，以及经 LibreOffice 转换的 .doc .xls .wps .et）"
    )]
    Unsupported,
    /// Form JSON that is malformed or holds something that is not a form.
    #[error("表单 JSON 无效：{reason}")]
    Json {
        /// Why, with the position or the form and field.
        reason: String,
    },
    /// The file could not be read from disk.
    #[error("无法读取文件：{reason}")]
    Io {
        /// Why.
        reason: String,
    },
}

/// Why a file could not be read or written, in Chinese, with what to do.
pub fn io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::NotFound => "文件或文件夹不存在，请检查路径".into(),
        K::PermissionDenied => "没有权限，请检查文件的读写权限".into(),
        K::AlreadyExists => "文件已存在".into(),
        K::IsADirectory => "这是一个文件夹，请给出文件".into(),
        K::NotADirectory => "路径中有一段不是文件夹".into(),
        K::InvalidData => "内容不是 UTF-8 文本".into(),
        K::StorageFull => "磁盘已满".into(),
        K::ReadOnlyFilesystem => "文件系统只读".into(),
        K::BrokenPipe => "输出管道已关闭".into(),
        K::OutOfMemory => "内存不足".into(),
        K::TimedOut => "超时".into(),
        _ => match e.raw_os_error() {
            Some(code) => format!("读写失败（系统错误 {code}）"),
            None => "读写失败".into(),
        },
    }
}
