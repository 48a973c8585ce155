//! Tables rebuilt from a scanned page's ruling lines and recognized words (issue 23): whatever
//! rules and words the image analysis and tesseract give, the rebuilding never panics, stays
//! within its bounds, and the cells read one by one are the cells it fills.
#![no_main]

use jixiao_grid::Block;
use jixiao_ocr::rebuild::{Bounds, PageContent, Rule, Word, rebuild, table_boxes};
use libfuzzer_sys::fuzz_target;

/// Reads little-endian u16s from the input, as long as it lasts.
struct Bytes<'a>(&'a [u8]);

impl Bytes<'_> {
    fn u16(&mut self) -> Option<u16> {
        let (head, rest) = self.0.split_first_chunk::<2>()?;
        self.0 = rest;
        Some(u16::from_le_bytes(*head))
    }
}

fuzz_target!(|data: &[u8]| {
    let mut b = Bytes(data);
    let (Some(w), Some(h), Some(n_rules)) = (b.u16(), b.u16(), b.u16()) else {
        return;
    };
    let mut rules = Vec::new();
    for _ in 0..(n_rules % 200) {
        let (Some(kind), Some(at), Some(from), Some(len)) = (b.u16(), b.u16(), b.u16(), b.u16())
        else {
            break;
        };
        rules.push(Rule {
            horizontal: kind % 2 == 0,
            at: u32::from(at),
            from: u32::from(from),
            to: u32::from(from).saturating_add(u32::from(len)),
        });
    }
    let mut words = Vec::new();
    while let (Some(l), Some(t), Some(ww), Some(wh), Some(c)) =
        (b.u16(), b.u16(), b.u16(), b.u16(), b.u16())
    {
        words.push(Word {
            text: char::from_u32(0x4e00 + u32::from(c % 2000)).unwrap_or('字').to_string(),
            left: u32::from(l),
            top: u32::from(t),
            width: u32::from(ww % 400),
            height: u32::from(wh % 200),
            confidence: f32::from(c % 101),
            line: (0, u32::from(t / 40), 0),
        });
        if words.len() >= 400 {
            break;
        }
    }
    let page = PageContent {
        page: 1,
        width: u32::from(w),
        height: u32::from(h),
        dpi: 150,
        rules,
        words,
    };
    let bounds = Bounds {
        max_rules: 300,
        max_lines: 120,
    };
    // The boxes read cell by cell are the cells the rebuilding fills.
    let (tables, cells) = table_boxes(&page.rules, page.dpi, &bounds);
    for [l, t, r, b] in tables.iter().chain(&cells) {
        assert!(l < r && t < b, "{:?}", [l, t, r, b]);
    }
    let blocks = rebuild(&page, &bounds);
    let rebuilt: usize = blocks
        .iter()
        .map(|b| match b {
            Block::Table(t) => t.cells.len(),
            Block::Paragraph(_) => 0,
        })
        .sum();
    assert_eq!(rebuilt, cells.len());
    for block in &blocks {
        if let Block::Table(t) = block {
            assert!(t.rows <= bounds.max_lines && t.cols <= bounds.max_lines);
            for c in &t.cells {
                assert!(c.row + c.rowspan <= t.rows && c.col + c.colspan <= t.cols, "{c:?}");
                assert!(c.scan.is_some());
            }
        }
    }
});
