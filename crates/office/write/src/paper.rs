//! The document model every paper is laid out in before it is written: the page set-up
//! (A4, margins, the GB/T 9704 line and character grid, page numbers) and blocks in reading
//! order — paragraphs, form layouts ([`Sheet`]), the attachment note, the signature, page
//! breaks. `docx.rs` writes it as Word, `pdf/` as PDF.

use super::sheet::{Loose, Sheet};

/// Twips (1/20 pt) per millimetre, times 100.
const TWIPS_PER_MM_X100: u32 = 5669;

/// `v` millimetres in twips (1/20 pt).
pub fn mm(v: u32) -> u32 {
    (v * TWIPS_PER_MM_X100).div_ceil(100)
}

/// A4 in twips.
const A4: (u32, u32) = (11906, 16838);

/// The fonts a document names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Font {
    /// 仿宋_GB2312: official body text.
    FangSong,
    /// 宋体: forms and page numbers.
    Song,
    /// 黑体: first-level headings, attachment marks.
    Hei,
    /// 楷体_GB2312: second-level headings.
    Kai,
    /// 方正小标宋简体: official titles.
    XiaoBiaoSong,
}

/// Chinese type sizes in half-points: 2号 22 pt, 3号 16 pt, 4号 14 pt, 小四 12 pt, 五号 10.5 pt.
pub mod size {
    /// 2号 (22 pt).
    pub const ER: u32 = 44;
    /// 3号 (16 pt).
    pub const SAN: u32 = 32;
    /// 4号 (14 pt).
    pub const SI: u32 = 28;
    /// 小四 (12 pt).
    pub const XIAO_SI: u32 = 24;
    /// 五号 (10.5 pt).
    pub const WU: u32 = 21;
}

/// The page: size, margins and what every page carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    /// Landscape A4 instead of portrait.
    pub landscape: bool,
    /// Margins in twips: top, bottom, left, right.
    pub margins: (u32, u32, u32, u32),
    /// Fixed line pitch in twips and a character grid, for official documents.
    pub grid: Option<Grid>,
    /// Body font and size (half-points).
    pub body: (Font, u32),
    /// Table text size (half-points).
    pub table_size: u32,
    /// `— 1 —` page numbers, outside on odd and even pages (GB/T 9704 §7.5).
    pub page_numbers: bool,
}

/// A document grid: lines per page and characters per line over the text block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Grid {
    /// Lines per page.
    pub lines: u32,
    /// Characters per line.
    pub chars: u32,
}

impl Page {
    /// A form page: A4 portrait, 20 mm margins (25 mm at the bottom, which holds the page
    /// number), 宋体 五号, numbered `— 1 —`.
    pub fn form() -> Page {
        Page {
            landscape: false,
            margins: (mm(20), mm(25), mm(20), mm(20)),
            grid: None,
            body: (Font::Song, size::WU),
            table_size: size::WU,
            page_numbers: true,
        }
    }

    /// GB/T 9704-2012: A4; top 37 mm, binding (left) 28 mm, text block 156 × 225 mm — so bottom
    /// 35 mm and right 26 mm —; 3号仿宋 on 22 lines × 28 characters; page numbers.
    pub fn official() -> Page {
        Page {
            landscape: false,
            margins: (mm(37), mm(35), mm(28), mm(26)),
            grid: Some(Grid {
                lines: 22,
                chars: 28,
            }),
            body: (Font::FangSong, size::SAN),
            table_size: size::WU,
            page_numbers: true,
        }
    }

    /// The page's (width, height) in twips, turned for landscape.
    pub fn size(&self) -> (u32, u32) {
        if self.landscape { (A4.1, A4.0) } else { A4 }
    }

    /// The text block's width in twips.
    pub fn text_width(&self) -> u32 {
        self.size().0 - self.margins.2 - self.margins.3
    }

    /// Line pitch in twips when on a grid.
    pub fn line_pitch(&self) -> Option<u32> {
        let g = self.grid?;
        Some((self.size().1 - self.margins.0 - self.margins.1) / g.lines)
    }
}

/// The right indents of the unit and the date in a signature without a seal, in the same unit
/// as the widths `unit` and `date` given (half characters): the unit two characters from the
/// right, the date starting two characters right of the unit's start — or, when the date is
/// the longer, the date two characters from the right and the unit starting two characters
/// left of it.
pub fn signature_indents(unit: u32, date: u32) -> (u32, u32) {
    let two = 4;
    if date + two <= unit {
        (two, unit - date)
    } else {
        (date + 2 * two - unit, two)
    }
}

/// Horizontal alignment of a paragraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// Flush left, no indent.
    Left,
    /// Centred.
    Center,
    /// Flush right.
    Right,
    /// Justified with a two-character first-line indent: body text.
    Indented,
}

/// One block of a document, in reading order.
#[derive(Debug, Clone)]
pub enum Block {
    /// A paragraph in one font.
    Paragraph {
        /// The text; `\n` breaks the line.
        text: String,
        /// The font.
        font: Font,
        /// Size in half-points.
        size: u32,
        /// Bold.
        bold: bool,
        /// Alignment.
        align: Align,
        /// Outline level: 0 for the document's title, 1–4 for headings 一、（一）1.（1）
        /// (navigation pane, table of contents).
        outline: Option<u8>,
    },
    /// A form's layout as a table; leading and trailing borderless rows become paragraphs.
    Form(Sheet),
    /// The attachment note below the body (GB/T 9704 §7.3.4): two characters in, `附件：`
    /// and the numbered names (`1-1.部门整体支出绩效自评表`), each on its own line; a name that
    /// wraps, and every later name, aligns under the first name's first character. Body font,
    /// flush left, never spread across the line.
    Attachments(Vec<String>),
    /// The signature of a document without a seal (GB/T 9704 §7.3.5.2): the unit two characters
    /// from the right; the date on the next line, its first character two characters right of
    /// the unit's first. When that would put the date nearer than two characters to the right
    /// edge, the date sits two characters from the right and the unit moves left.
    Signature {
        /// The signing unit.
        unit: String,
        /// The date line (`2022年3月10日`), if known.
        date: Option<String>,
    },
    /// Starts a new page.
    PageBreak,
}

impl Block {
    /// A paragraph of body text in the page's body font, indented two characters.
    pub fn body(text: impl Into<String>, page: &Page) -> Block {
        Block::Paragraph {
            text: text.into(),
            font: page.body.0,
            size: page.body.1,
            bold: false,
            align: Align::Indented,
            outline: None,
        }
    }
}

/// A document on paper: a page set-up and blocks in reading order. The Word writer
/// (`docx.rs`) and the PDF writer (`pdf/`) both render it.
#[derive(Debug, Clone)]
pub struct Paper {
    /// The page.
    pub page: Page,
    /// The content.
    pub blocks: Vec<Block>,
}

impl Paper {
    /// An empty document on `page`.
    pub fn new(page: Page) -> Paper {
        Paper {
            page,
            blocks: Vec::new(),
        }
    }

    /// Appends a block.
    pub fn push(&mut self, block: Block) -> &mut Paper {
        self.blocks.push(block);
        self
    }
}

/// A form's loose line: the title in 2号小标宋, a year caption in 小四 centred, other lines in
/// the table size, flush left.
pub fn loose_style(line: &Loose, table_size: u32) -> (Font, u32, Align) {
    if line.title {
        (Font::XiaoBiaoSong, size::ER, Align::Center)
    } else if line.caption {
        (Font::Song, size::XIAO_SI, Align::Center)
    } else {
        (Font::Song, table_size, Align::Left)
    }
}
