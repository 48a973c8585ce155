//! What an untrusted file may cost: bytes read, bytes inflated, tables, rows, cells, nesting.

/// Bounds on reading one file. The defaults are far above any real form and far below what
/// would hurt the machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Size of the file itself.
    pub max_file_bytes: u64,
    /// Inflated size of one part of a .docx/.xlsx package.
    pub max_part_bytes: u64,
    /// Inflated size of all parts read from one package.
    pub max_total_bytes: u64,
    /// Rows in one table or sheet.
    pub max_rows: usize,
    /// Columns in one table or sheet.
    pub max_cols: usize,
    /// Grid positions (rows × columns) of one table.
    pub max_grid: usize,
    /// Cells in one document.
    pub max_cells: usize,
    /// Characters in one cell or paragraph.
    pub max_text_chars: usize,
    /// Row or column span of one cell.
    pub max_span: usize,
    /// Nesting depth of tables inside tables.
    pub max_nesting: usize,
    /// Pages of one PDF.
    pub max_pdf_pages: usize,
    /// Objects of one PDF.
    pub max_pdf_objects: usize,
    /// Glyphs (characters drawn) in one PDF.
    pub max_pdf_glyphs: usize,
    /// How long reading one PDF may take (checked while its pages are interpreted).
    pub pdf_timeout: std::time::Duration,
    /// Whether legacy binary files may be handed to LibreOffice (a separate process).
    pub convert_legacy: bool,
    /// How long a LibreOffice conversion may take before it is killed.
    pub convert_timeout: std::time::Duration,
    /// Whether scans (images, PDFs without a text layer) may be handed to tesseract (a
    /// separate process) for character recognition.
    pub ocr: bool,
    /// Pages of one scan read by character recognition.
    pub max_ocr_pages: usize,
    /// Pixels of one page image (width × height) handed to character recognition.
    pub max_ocr_pixels: u64,
    /// How long rasterising or recognising one page may take before the process is killed.
    pub ocr_page_timeout: std::time::Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_file_bytes: 64 << 20,
            max_part_bytes: 128 << 20,
            max_total_bytes: 256 << 20,
            max_rows: 20_000,
            max_cols: 1_000,
            max_grid: 2_000_000,
            max_cells: 400_000,
            max_text_chars: 100_000,
            max_span: 1_000,
            max_nesting: 8,
            max_pdf_pages: 2_000,
            max_pdf_objects: 1_000_000,
            max_pdf_glyphs: 2_000_000,
            pdf_timeout: std::time::Duration::from_secs(60),
            convert_legacy: true,
            convert_timeout: std::time::Duration::from_secs(120),
            ocr: true,
            max_ocr_pages: 50,
            // A4 at 300 dpi is 8.7 million pixels.
            max_ocr_pixels: 40_000_000,
            ocr_page_timeout: std::time::Duration::from_secs(60),
        }
    }
}

/// `Ok` while `count` stays within `limit`; otherwise the `TooBig` error naming `what`.
pub fn within(count: usize, limit: usize, what: impl Into<String>) -> Result<(), crate::ErrorKind> {
    if count > limit {
        Err(crate::ErrorKind::TooBig {
            what: what.into(),
            limit,
        })
    } else {
        Ok(())
    }
}
