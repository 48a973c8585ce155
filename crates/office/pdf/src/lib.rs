//! # jixiao-pdf
//!
//! PDF written directly from the same document model as the Word output ([`Paper`]): the page
//! set-up, paragraphs broken into lines (CJK breaks anywhere, no closing punctuation at a line
//! start, Latin words kept whole), justified body text on the official line grid, form tables
//! with merged cells split across pages by row, and `— 1 —` page numbers outside. Fonts are
//! TrueType or CFF faces embedded as subsets (Type0 over CIDFontType2 or CIDFontType0C,
//! Identity-H) with a ToUnicode map, so the text can be searched and copied; a CFF face keeps
//! its glyphs' charstrings for later subsets (`cff`).
//!
//! All layout is integer arithmetic in millipoints (1/1000 pt); nothing is measured in floats.

mod cff;
mod font;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::io::Write;

pub use font::{Font, FontError, Role, database, font_dirs};

use jixiao_write::{Align, Block, Font as Face, Page, Paper, loose_style, signature_indents, size};
use jixiao_write::{Sheet, Style, may_break_before, widest_piece};

/// A table's last rows (the 总分 row and the two above it) kept on one page.
const KEPT_ROWS: usize = 3;

/// Millipoints per twip (1/20 pt).
const MPT_PER_TWIP: i64 = 50;

/// The faces a document is set in, one per [`Role`]; a role no installed face fills falls
/// back to the 宋体 face (and 宋体 to any face found).
#[derive(Debug, Clone)]
pub struct Fonts {
    faces: Vec<Font>,
    /// Face index per role, in [`Role::ALL`] order.
    roles: [usize; 5],
}

/// Faces loaded for the characters the chosen faces lack, in order.
const FALLBACK_FAMILIES: [&str; 5] = [
    "AR PL UMing CN",
    "WenQuanYi Zen Hei",
    "Noto Sans CJK SC",
    "Noto Serif CJK SC",
    "DejaVu Sans",
];

impl Fonts {
    /// The faces found by family name in the font database (Jixiao's font cache and the
    /// system's fonts, [`database`]): for each role the
    /// first of [`Role::families`] installed — 仿宋_GB2312 … FandolFang for the body,
    /// 方正小标宋简体 … a bold FandolSong for titles, and so on.
    pub fn from_system() -> Result<Fonts, FontError> {
        Fonts::from_database(&database(&[]))
    }

    /// The faces found in `dirs` first, then as [`Fonts::from_system`] finds them.
    pub fn from_dirs(dirs: &[std::path::PathBuf]) -> Result<Fonts, FontError> {
        Fonts::from_database(&database(dirs))
    }

    /// The faces found in `db`.
    pub fn from_database(db: &fontdb::Database) -> Result<Fonts, FontError> {
        let mut faces: Vec<Font> = Vec::new();
        let mut ids: Vec<fontdb::ID> = Vec::new();
        let mut roles: [Option<usize>; 5] = [None; 5];
        for (k, role) in Role::ALL.iter().enumerate() {
            let Some((family, id)) = font::find(db, *role) else {
                continue;
            };
            let at = match ids.iter().position(|i| *i == id) {
                Some(at) => at,
                None => {
                    faces.push(font::load(db, id, family)?);
                    ids.push(id);
                    faces.len() - 1
                }
            };
            roles[k] = Some(at);
        }
        // Faces that cover what the chosen ones may lack (Fandol has no ≦ ≧ ㎡): a glyph
        // no role's face has is taken from the first of these that has it.
        for family in FALLBACK_FAMILIES {
            let query = fontdb::Query {
                families: &[fontdb::Family::Name(family)],
                ..fontdb::Query::default()
            };
            if let Some(id) = db.query(&query).filter(|id| !ids.contains(id)) {
                faces.push(font::load(db, id, family)?);
                ids.push(id);
            }
        }
        // 宋体 falls back to any face found; every other role to 宋体.
        let song = roles[0]
            .or_else(|| roles.iter().flatten().next().copied())
            .ok_or_else(|| FontError {
                file: "（字体库）".into(),
                message: "未找到中文字体：请安装 fonts-arphic-uming（宋体）、fonts-wqy-zenhei（黑体）、fonts-arphic-ukai（楷体），仿宋可由 scripts/test.sh 从 texlive-lang-chinese 取得 Fandol 字体；或用 JIXIAO_FONT_DIR 指定字体目录".into(),
            })?;
        Ok(Fonts {
            faces,
            roles: roles.map(|r| r.unwrap_or(song)),
        })
    }

    /// The face set for `role`.
    pub fn face(&self, role: Role) -> &Font {
        let k = Role::ALL.iter().position(|r| *r == role).unwrap_or(0);
        &self.faces[self.roles[k]]
    }

    fn role(&self, face: Face) -> usize {
        let role = match face {
            Face::FangSong => Role::FangSong,
            Face::Song => Role::Song,
            Face::XiaoBiaoSong => Role::XiaoBiaoSong,
            Face::Hei => Role::Hei,
            Face::Kai => Role::Kai,
        };
        self.roles[Role::ALL.iter().position(|r| *r == role).unwrap_or(0)]
    }
}

/// A rendered PDF and what could not be set.
#[derive(Debug, Clone)]
pub struct Pdf {
    /// The file.
    pub bytes: Vec<u8>,
    /// Pages.
    pub pages: usize,
    /// Characters no face has (printed as a blank box).
    pub missing: BTreeSet<char>,
}

/// One positioned glyph.
#[derive(Debug, Clone, Copy)]
struct Glyph {
    /// The character it shows.
    ch: char,
    face: usize,
    gid: u16,
    /// Natural advance in 1/1000 em, as the PDF's width array states it.
    w1000: i64,
}

/// A line of glyphs with the extra advance after each (tracking, justification).
#[derive(Debug, Clone, Default)]
struct Line {
    glyphs: Vec<(Glyph, i64)>,
    width: i64,
}

/// Drawing on one page.
#[derive(Debug, Default)]
struct PageContent {
    ops: String,
}

/// Text settings of a paragraph.
#[derive(Debug, Clone, Copy)]
struct Setting {
    face: Face,
    /// Size in half-points.
    half: u32,
    /// Extra advance per glyph, millipoints.
    tracking: i64,
    /// Line height, millipoints.
    leading: i64,
}

impl Setting {
    /// Untracked text at `half` half-points on lines 1.3 times its size: forms and tables.
    fn plain(face: Face, half: u32) -> Setting {
        Setting {
            face,
            half,
            tracking: 0,
            leading: i64::from(half) * 500 * 13 / 10,
        }
    }

    fn size(&self) -> i64 {
        i64::from(self.half) * 500
    }
}

struct Layout<'a> {
    fonts: &'a Fonts,
    page: Page,
    width: i64,
    height: i64,
    left: i64,
    top: i64,
    bottom: i64,
    pages: Vec<PageContent>,
    y: i64,
    /// Per face, the glyphs drawn, by their id in the embedded subset: the id in the font
    /// and the character shown.
    used: Vec<BTreeMap<u16, (u16, char)>>,
    /// Per face, the glyph ids of the subset.
    remap: Vec<subsetter::GlyphRemapper>,
    missing: BTreeSet<char>,
}

/// Millipoints as a PDF number.
fn num(v: i64) -> String {
    let mut out = String::new();
    push_num(&mut out, v);
    out
}

/// Appends millipoints as a PDF number (`12.5`, `-3`): content streams are written glyph by
/// glyph, so without a string per number.
fn push_num(out: &mut String, v: i64) {
    if v < 0 {
        out.push('-');
    }
    let a = v.unsigned_abs();
    let (int, mut frac) = (a / 1000, a % 1000);
    // Writing to a String cannot fail.
    let _ = write!(out, "{int}");
    if frac != 0 {
        out.push('.');
        let mut digits = 3;
        while frac % 10 == 0 {
            frac /= 10;
            digits -= 1;
        }
        let _ = write!(out, "{frac:0digits$}");
    }
}

/// Appends a glyph id as the four hex digits of a PDF string (`<04A1>`).
fn push_hex_glyph(out: &mut String, id: u16) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    out.push('<');
    for shift in [12, 8, 4, 0] {
        out.push(char::from(HEX[usize::from((id >> shift) & 0xF)]));
    }
    out.push('>');
}

impl<'a> Layout<'a> {
    fn new(fonts: &'a Fonts, page: Page) -> Layout<'a> {
        let (w, h) = page.size();
        let (top, bottom, left, right) = page.margins;
        let twips = |v: u32| i64::from(v) * MPT_PER_TWIP;
        let mut l = Layout {
            fonts,
            page,
            width: twips(w) - twips(left) - twips(right),
            height: twips(h),
            left: twips(left),
            top: twips(top),
            bottom: twips(h) - twips(bottom),
            pages: Vec::new(),
            y: 0,
            used: vec![BTreeMap::new(); fonts.faces.len()],
            remap: vec![subsetter::GlyphRemapper::new(); fonts.faces.len()],
            missing: BTreeSet::new(),
        };
        l.new_page();
        l
    }

    fn new_page(&mut self) {
        self.pages.push(PageContent::default());
        self.y = self.top;
    }

    fn glyph(&mut self, face: Face, c: char) -> Glyph {
        let first = self.fonts.role(face);
        let order = std::iter::once(first).chain(0..self.fonts.faces.len());
        for f in order {
            let font = &self.fonts.faces[f];
            if let Some(gid) = font.glyph(c) {
                let w1000 = i64::from(font.advance(gid)) * 1000 / i64::from(font.units_per_em);
                return Glyph {
                    ch: c,
                    face: f,
                    gid,
                    w1000,
                };
            }
        }
        self.missing.insert(c);
        Glyph {
            ch: c,
            face: first,
            gid: 0,
            w1000: 1000,
        }
    }

    /// Breaks `text` into lines of at most `width` (the first line `first_width`).
    fn lines(&mut self, text: &str, s: Setting, width: i64, first_width: i64) -> Vec<Line> {
        let mut out = Vec::new();
        for para in text.split('\n') {
            let chars: Vec<char> = para.chars().filter(|c| *c != '\r').collect();
            let glyphs: Vec<Glyph> = chars.iter().map(|&c| self.glyph(s.face, c)).collect();
            let advance = |g: &Glyph| g.w1000 * s.size() / 1000 + s.tracking;
            let mut line = Line::default();
            let mut start = 0;
            let mut k = 0;
            while k < chars.len() {
                let limit = if out.is_empty() { first_width } else { width };
                let a = advance(&glyphs[k]);
                if line.width + a > limit && k > start {
                    // Break at the last opportunity in the line: never before a closing mark,
                    // after an opening mark, inside a number or word, between a sign and its
                    // number or a number and its unit.
                    let at = (start + 1..=k)
                        .rev()
                        .find(|&at| may_break_before(&chars, at))
                        .unwrap_or(k); // no opportunity in the line: break where it overflows
                    let keep = at - start;
                    let mut done = Line::default();
                    for g in line.glyphs.drain(..keep) {
                        done.width += advance(&g.0);
                        done.glyphs.push(g);
                    }
                    out.push(done);
                    line.width = line.glyphs.iter().map(|g| advance(&g.0)).sum();
                    start = at;
                    // Spaces at a line start are dropped.
                    while start < k && chars[start] == ' ' && !line.glyphs.is_empty() {
                        let g = line.glyphs.remove(0);
                        line.width -= advance(&g.0);
                        start += 1;
                    }
                    continue;
                }
                line.glyphs.push((glyphs[k], s.tracking));
                line.width += a;
                k += 1;
            }
            out.push(line);
        }
        out
    }

    /// Writes one line on `page` with its leading's top at `y_top`: baseline centred in the
    /// leading.
    fn draw_line(&mut self, page: usize, line: &Line, s: Setting, x: i64, y_top: i64) {
        let size = s.size();
        let ascent_share = size * 88 / 100;
        let baseline = y_top + (s.leading - size) / 2 + ascent_share;
        let y = self.height - baseline;
        let mut runs: Vec<(usize, Vec<(Glyph, i64)>)> = Vec::new();
        for &(g, extra) in &line.glyphs {
            match runs.last_mut() {
                Some((f, glyphs)) if *f == g.face => glyphs.push((g, extra)),
                _ => runs.push((g.face, vec![(g, extra)])),
            }
        }
        let mut cx = x;
        let ops = &mut self.pages[page].ops;
        for (face, glyphs) in runs {
            // Writing to a String cannot fail.
            let _ = write!(ops, "BT /F{face} ");
            push_num(ops, size);
            ops.push_str(" Tf 1 0 0 1 ");
            push_num(ops, cx);
            ops.push(' ');
            push_num(ops, y);
            ops.push_str(" Tm [");
            for (g, extra) in &glyphs {
                // What is drawn is embedded (at its id in the subset) and maps back to its
                // character.
                let id = self.remap[g.face].remap(g.gid);
                if g.gid != 0 {
                    self.used[g.face].insert(id, (g.gid, g.ch));
                }
                push_hex_glyph(ops, id);
                if *extra != 0 {
                    // TJ adjustments are thousandths of the size, positive to the left.
                    push_num(ops, -extra * 1_000_000 / size);
                    ops.push(' ');
                }
                cx += g.w1000 * size / 1000 + extra;
            }
            ops.push_str("] TJ ET\n");
        }
    }

    /// Sets `lines` across the text block from the current position, aligned, the first line
    /// indented by `indent`; pages break between lines.
    fn place(&mut self, lines: &mut [Line], s: Setting, align: Align, indent: i64) {
        let n = lines.len();
        for (k, line) in lines.iter_mut().enumerate() {
            if self.y + s.leading > self.bottom && self.y > self.top {
                self.new_page();
            }
            let first = if k == 0 { indent } else { 0 };
            let room = self.width - first;
            let dx = match align {
                Align::Left => first,
                Align::Center => (room - line.width) / 2 + first,
                Align::Right => room - line.width,
                Align::Indented => {
                    // Justified, except the paragraph's last line.
                    let gaps = line.glyphs.len() as i64 - 1;
                    if k + 1 < n && gaps > 0 && line.width < room {
                        let extra = room - line.width;
                        let (each, rest) = (extra / gaps, extra % gaps);
                        let last = line.glyphs.len() - 1;
                        for (i, g) in line.glyphs.iter_mut().enumerate().take(last) {
                            g.1 += each + i64::from((i as i64) < rest);
                        }
                    }
                    first
                }
            };
            let (page, y) = (self.pages.len() - 1, self.y);
            self.draw_line(page, line, s, self.left + dx.max(0), y);
            self.y += s.leading;
        }
    }

    fn body_setting(&self, face: Face, half: u32) -> Setting {
        let (Some(pitch), Some(grid)) = (self.page.line_pitch(), self.page.grid) else {
            return Setting::plain(face, half);
        };
        // The grid's character pitch less the body size, on every glyph (as Word's grid does).
        let tracking = self.width / i64::from(grid.chars) - i64::from(self.page.body.1) * 500;
        Setting {
            face,
            half,
            tracking,
            leading: i64::from(pitch) * MPT_PER_TWIP,
        }
    }

    fn paragraph(&mut self, text: &str, face: Face, half: u32, align: Align) {
        let s = self.body_setting(face, half);
        let indent = if align == Align::Indented {
            2 * s.size()
        } else {
            0
        };
        let mut lines = self.lines(text, s, self.width, self.width - indent);
        self.place(&mut lines, s, align, indent);
    }

    /// A form: borderless rows as paragraphs, the bordered rows as a table.
    fn form(&mut self, sheet: &Sheet) {
        let g = sheet.regions();
        for r in (0..g.first).chain(g.last..g.rows) {
            if r == g.last && g.first < g.last {
                self.table(sheet, g.first, g.last, g.cols);
            }
            let line = sheet.loose(r, g.cols, r < g.first);
            let (face, half, align) = loose_style(&line, self.page.table_size);
            self.paragraph(&line.text, face, half, align);
        }
        if g.last == g.rows && g.first < g.last {
            self.table(sheet, g.first, g.last, g.cols);
        }
    }

    /// The width of `text`'s characters at setting `s`, untracked.
    fn text_width(&mut self, chars: &[char], s: Setting) -> (i64, i64) {
        let widths: Vec<i64> = chars
            .iter()
            .map(|&c| self.glyph(s.face, c).w1000 * s.size() / 1000)
            .collect();
        (widths.iter().sum(), widest_piece(chars, &widths))
    }

    /// Column widths (millipoints, summing to the text block) sized from the content by the
    /// glyphs' own advances ([`jixiao_write::fit_columns`], as the Word writer sizes them).
    fn column_widths(
        &mut self,
        sheet: &Sheet,
        first: usize,
        last: usize,
        cols: usize,
        s: Setting,
        pad: i64,
    ) -> Vec<i64> {
        let width = self.width;
        jixiao_write::fit_columns(sheet, (first, last, cols), width, (pad, s.size()), |t| {
            self.text_width(t, s)
        })
    }

    fn table(&mut self, sheet: &Sheet, first: usize, last: usize, cols: usize) {
        const PAD_X: i64 = 2_850;
        const PAD_Y: i64 = 2_000;
        let half = self.page.table_size;
        let s = Setting::plain(Face::Song, half);
        let grid = self.column_widths(sheet, first, last, cols, s, PAD_X);
        let xs: Vec<i64> = std::iter::once(0)
            .chain(grid.iter().scan(0, |acc, g| {
                *acc += g;
                Some(*acc)
            }))
            .map(|x| x + self.left)
            .collect();
        // Cells: anchor, span, laid-out lines.
        struct Cell {
            r: usize,
            c: usize,
            rows: usize,
            cols: usize,
            lines: Vec<Line>,
            align: Align,
        }
        let mut cells: Vec<Cell> = Vec::new();
        for r in first..last {
            let mut c = 0;
            while c < cols {
                let (rows, span) = match sheet.merge_at(r, c) {
                    Some(m) if (m.0, m.1) != (r, c) => {
                        c = m.3 + 1;
                        continue;
                    }
                    Some(m) => ((m.2.min(last - 1)) - r + 1, m.3 - m.1 + 1),
                    None => (1, 1),
                };
                let (text, style) = sheet
                    .cells
                    .get(&(r, c))
                    .map_or(("", Style::Cell), |v| (v.0.as_str(), v.1));
                let w = xs[c + span] - xs[c] - 2 * PAD_X;
                let lines = self.lines(text, s, w, w);
                cells.push(Cell {
                    r,
                    c,
                    rows,
                    cols: span,
                    lines,
                    align: if style == Style::Cell {
                        Align::Left
                    } else {
                        Align::Center
                    },
                });
                c += span;
            }
        }
        let need = |cell: &Cell| cell.lines.len() as i64 * s.leading + 2 * PAD_Y;
        let mut heights = vec![s.leading + 2 * PAD_Y; last - first];
        for cell in cells.iter().filter(|c| c.rows == 1) {
            let h = &mut heights[cell.r - first];
            *h = (*h).max(need(cell));
        }
        for cell in cells.iter().filter(|c| c.rows > 1) {
            let span: i64 = heights[cell.r - first..cell.r - first + cell.rows]
                .iter()
                .sum();
            if span < need(cell) {
                heights[cell.r - first + cell.rows - 1] += need(cell) - span;
            }
        }
        // The header heading each row: the last header range above it, if any.
        let header_of = |r: usize| {
            sheet
                .headers
                .iter()
                .filter(|h| h.0 >= first && h.1 < r && h.1 < last)
                .max_by_key(|h| h.0)
                .copied()
        };
        // Rows onto pages; a row that starts a new page under a header gets the header again.
        let mut placed: Vec<(usize, i64)> = Vec::with_capacity(heights.len());
        let mut repeats: Vec<(usize, i64, (usize, usize))> = Vec::new();
        // The last rows (合计, 总分) never go to a page alone: when they do not all fit below
        // the rows above them, they start the next page together (under the header again).
        let n = heights.len();
        let tail = n.saturating_sub(KEPT_ROWS);
        let tail_height: i64 = heights[tail..].iter().sum();
        for (i, &h) in heights.iter().enumerate() {
            let keep_together = i == tail
                && i > 0
                && self.y + tail_height > self.bottom
                && tail_height < self.bottom - self.top;
            if (keep_together || self.y + h > self.bottom) && self.y > self.top {
                self.new_page();
                if let Some(head) = header_of(first + i) {
                    repeats.push((self.pages.len() - 1, self.y, head));
                    self.y += heights[head.0 - first..=head.1 - first].iter().sum::<i64>();
                }
            }
            placed.push((self.pages.len() - 1, self.y));
            self.y += h;
        }
        let draw = |l: &mut Self, cell: &Cell, segments: &[(usize, i64, i64)]| {
            let (x0, x1) = (xs[cell.c], xs[cell.c + cell.cols]);
            for &(page, top, bottom) in segments {
                l.pages[page].ops.push_str(&format!(
                    "{} {} {} {} re S\n",
                    num(x0),
                    num(l.height - bottom),
                    num(x1 - x0),
                    num(bottom - top)
                ));
                // A cell running over several pages (a group label) is labelled on each.
                let text_h = cell.lines.len() as i64 * s.leading;
                let mut y = top + ((bottom - top - text_h) / 2).max(PAD_Y);
                for line in &cell.lines {
                    let room = x1 - x0 - 2 * PAD_X;
                    let dx = match cell.align {
                        Align::Center => (room - line.width) / 2,
                        _ => 0,
                    };
                    l.draw_line(page, line, s, x0 + PAD_X + dx.max(0), y);
                    y += s.leading;
                }
            }
        };
        for cell in &cells {
            let rows = cell.r - first..cell.r - first + cell.rows;
            // Segments of the cell, one per page it lies on.
            let mut segments: Vec<(usize, i64, i64)> = Vec::new();
            for i in rows {
                let (page, y) = placed[i];
                match segments.last_mut() {
                    Some((p, _, bottom)) if *p == page => *bottom = y + heights[i],
                    _ => segments.push((page, y, y + heights[i])),
                }
            }
            draw(self, cell, &segments);
        }
        for &(page, top, (h0, h1)) in &repeats {
            for cell in cells.iter().filter(|c| (h0..=h1).contains(&c.r)) {
                let above: i64 = heights[h0 - first..cell.r - first].iter().sum();
                let rows = cell.rows.min(h1 + 1 - cell.r);
                let h: i64 = heights[cell.r - first..cell.r - first + rows].iter().sum();
                draw(self, cell, &[(page, top + above, top + above + h)]);
            }
        }
    }

    /// The attachment note: two characters in, `附件：`, each name on its own line aligned
    /// under the first name; flush left.
    fn attachments(&mut self, names: &[String]) {
        let (face, half) = self.page.body;
        let s = self.body_setting(face, half);
        let pitch = s.size() + s.tracking;
        let indent = 2 * pitch;
        let lead = "附件：";
        let mut lead_line = self.lines(lead, s, self.width, self.width).remove(0);
        let x = self.left + indent + lead_line.width;
        let room = self.width - indent - lead_line.width;
        for (k, name) in names.iter().enumerate() {
            let lines = self.lines(name, s, room, room);
            for (j, line) in lines.iter().enumerate() {
                if self.y + s.leading > self.bottom && self.y > self.top {
                    self.new_page();
                }
                let (page, y) = (self.pages.len() - 1, self.y);
                if k == 0 && j == 0 {
                    self.draw_line(page, &lead_line, s, self.left + indent, y);
                    lead_line.glyphs.clear();
                }
                self.draw_line(page, line, s, x, y);
                self.y += s.leading;
            }
        }
    }

    /// The signature without a seal: the unit two characters from the right, the date under
    /// it starting two characters further right (or two characters from the right when it is
    /// the longer, the unit moving left).
    fn signature(&mut self, unit: &str, date: Option<&str>) {
        let (face, half) = self.page.body;
        let s = self.body_setting(face, half);
        let half_char = (s.size() + s.tracking) / 2;
        let one = |l: &mut Self, text: &str| l.lines(text, s, i64::MAX / 4, i64::MAX / 4).remove(0);
        let unit_line = one(self, unit);
        let date_line = date.map(|d| one(self, d));
        // Widths in half characters, rounded up, for the standard's rule.
        let halves = |w: i64| u32::try_from((w + half_char - 1) / half_char).unwrap_or(0);
        let (u, d) = (
            halves(unit_line.width),
            date_line.as_ref().map_or(0, |l| halves(l.width)),
        );
        let (unit_right, date_right) = signature_indents(u, d);
        let right = self.left + self.width;
        let rows = 1 + usize::from(date_line.is_some()) as i64;
        if self.y + rows * s.leading > self.bottom && self.y > self.top {
            self.new_page();
        }
        let page = self.pages.len() - 1;
        let unit_x = right - i64::from(unit_right) * half_char - i64::from(u) * half_char;
        let y = self.y;
        self.draw_line(page, &unit_line, s, unit_x, y);
        self.y += s.leading;
        if let Some(line) = date_line {
            let date_x = right - i64::from(date_right) * half_char - i64::from(d) * half_char;
            let y = self.y;
            self.draw_line(page, &line, s, date_x, y);
            self.y += s.leading;
        }
    }

    /// `— n —` below the text block: odd pages one character in from the right, even pages
    /// one character in from the left (GB/T 9704 §7.5), 4号宋体.
    fn page_numbers(&mut self) {
        let s = Setting {
            face: Face::Song,
            half: size::SI,
            tracking: 0,
            leading: i64::from(size::SI) * 500,
        };
        let one_char = s.size();
        // 7 mm below the text block.
        let top = self.bottom + 7 * 720_000 / 254;
        for n in 0..self.pages.len() {
            let text = format!("— {} —", n + 1);
            let line = self.lines(&text, s, self.width, self.width).remove(0);
            let x = if n % 2 == 0 {
                self.left + self.width - one_char - line.width
            } else {
                self.left + one_char
            };
            self.draw_line(n, &line, s, x, top);
        }
    }
}

fn deflate(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    // Writing to a Vec cannot fail.
    e.write_all(data).ok();
    e.finish().unwrap_or_default()
}

/// The embedded font programs (subsets, stored without deflate; with their length) of the
/// faces drawn with, in face order, and every page's content stream deflated. One thread does it
/// all: subsetting each face on a thread of its own was tried and cost more CPU time (new
/// threads, new allocator arenas) than it saved in wall time on a loaded machine.
#[allow(clippy::type_complexity)]
fn compressed_streams(l: &Layout<'_>) -> Result<(Vec<(usize, Vec<u8>)>, Vec<Vec<u8>>), FontError> {
    let programs = l
        .used
        .iter()
        .enumerate()
        .filter(|(_, u)| !u.is_empty())
        .map(|(face, _)| {
            let program = l.fonts.faces[face].subset(&l.remap[face])?;
            Ok((program.len(), program))
        })
        .collect::<Result<_, FontError>>()?;
    let mut ops = String::new();
    let contents = l
        .pages
        .iter()
        .map(|page| {
            ops.clear();
            ops.push_str("0.5 w 0 G\n");
            ops.push_str(&page.ops);
            deflate(ops.as_bytes())
        })
        .collect();
    Ok((programs, contents))
}

/// The document as PDF; fails only when a font cannot be subset.
pub fn render(doc: &Paper, fonts: &Fonts) -> Result<Pdf, FontError> {
    let mut l = Layout::new(fonts, doc.page);
    for block in &doc.blocks {
        match block {
            Block::Paragraph {
                text,
                font,
                size,
                align,
                ..
            } => l.paragraph(text, *font, *size, *align),
            Block::Form(sheet) => l.form(sheet),
            Block::Attachments(names) => l.attachments(names),
            Block::Signature { unit, date } => l.signature(unit, date.as_deref()),
            Block::PageBreak => l.new_page(),
        }
    }
    if doc.page.page_numbers {
        l.page_numbers();
    }
    write_pdf(&l)
}

/// Millipoints as the `f32` points pdf-writer takes (exact for every figure written here:
/// page sizes, font metrics and widths).
#[allow(clippy::float_arithmetic)]
fn pt(mpt: i64) -> f32 {
    mpt as f32 / 1000.0
}

fn write_pdf(l: &Layout<'_>) -> Result<Pdf, FontError> {
    use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap};
    use pdf_writer::{Filter, Finish, Name, Rect, Ref, Str};

    let mut pdf = pdf_writer::Pdf::new();
    let mut next = 0;
    let mut alloc = || {
        next += 1;
        Ref::new(next)
    };
    let (catalog, tree) = (alloc(), alloc());
    pdf.catalog(catalog).pages(tree);
    let identity = SystemInfo {
        registry: Str(b"Adobe"),
        ordering: Str(b"Identity"),
        supplement: 0,
    };
    let (programs, contents) = compressed_streams(l)?;
    let mut programs = programs.into_iter();
    let mut fonts: Vec<(String, Ref)> = Vec::new();
    for (face, used) in l.used.iter().enumerate().filter(|(_, u)| !u.is_empty()) {
        let font = &l.fonts.faces[face];
        let (type0, cid, descriptor, file, cmap) = (alloc(), alloc(), alloc(), alloc(), alloc());
        // A subset's name: six capital letters, then the face's PostScript name.
        let seed = font.name.bytes().fold(face + used.len(), |h, b| {
            h.wrapping_mul(31).wrapping_add(usize::from(b))
        });
        let tag: String = (0..6)
            .map(|k| char::from(b'A' + ((seed >> (5 * k)) % 26) as u8))
            .collect();
        let name = format!("{tag}+{}", font.name);
        let upem = i64::from(font.units_per_em);
        let units = |v: i16| pt(i64::from(v) * 1_000_000 / upem);
        pdf.type0_font(type0)
            .base_font(Name(name.as_bytes()))
            .encoding_predefined(Name(b"Identity-H"))
            .descendant_font(cid)
            .to_unicode(cmap);
        let mut cid_font = pdf.cid_font(cid);
        cid_font
            .subtype(if font.cff {
                CidFontType::Type0
            } else {
                CidFontType::Type2
            })
            .base_font(Name(name.as_bytes()))
            .system_info(identity)
            .font_descriptor(descriptor)
            .default_width(1000.0);
        if !font.cff {
            cid_font.cid_to_gid_map_predefined(Name(b"Identity"));
        }
        let mut widths = cid_font.widths();
        for (&id, &(gid, _)) in used {
            let w = i64::from(font.advance(gid)) * 1000 / upem;
            widths.consecutive(id, [pt(w * 1000)]);
        }
        widths.finish();
        cid_font.finish();
        let mut d = pdf.font_descriptor(descriptor);
        d.name(Name(name.as_bytes()))
            .flags(FontFlags::SYMBOLIC)
            .bbox(Rect::new(
                units(font.bbox[0]),
                units(font.bbox[1]),
                units(font.bbox[2]),
                units(font.bbox[3]),
            ))
            .italic_angle(0.0)
            .ascent(units(font.ascent))
            .descent(units(font.descent))
            .cap_height(units(font.cap_height))
            .stem_v(80.0);
        if font.cff {
            d.font_file3(file);
        } else {
            d.font_file2(file);
        }
        d.finish();
        let (program_len, packed) = programs.next().unwrap_or_default();
        let mut stream = pdf.stream(file, &packed);
        // Font programs are stored as they are: deflate took a fifth of a report's time to
        // save a sixth of the program's size (CFF charstrings are dense already).
        if font.cff {
            stream.pair(Name(b"Subtype"), Name(b"CIDFontType0C"));
        } else {
            stream.pair(
                Name(b"Length1"),
                i32::try_from(program_len).unwrap_or(i32::MAX),
            );
        }
        stream.finish();
        let mut unicode = UnicodeCmap::new(Name(b"Jixiao-UCS"), identity);
        for (&id, &(_, ch)) in used {
            unicode.pair(id, ch);
        }
        pdf.stream(cmap, &deflate(unicode.finish().as_slice()))
            .filter(Filter::FlateDecode);
        fonts.push((format!("F{face}"), type0));
    }
    let pages: Vec<(Ref, Ref)> = l.pages.iter().map(|_| (alloc(), alloc())).collect();
    pdf.pages(tree)
        .kids(pages.iter().map(|p| p.0))
        .count(i32::try_from(pages.len()).unwrap_or(i32::MAX));
    let (w, h) = l.page.size();
    for ((page, contents), packed) in pages.iter().zip(&contents) {
        let mut p = pdf.page(*page);
        p.parent(tree)
            .media_box(Rect::new(
                0.0,
                0.0,
                pt(i64::from(w) * MPT_PER_TWIP),
                pt(i64::from(h) * MPT_PER_TWIP),
            ))
            .contents(*contents);
        let mut resources = p.resources();
        let mut dict = resources.fonts();
        for (name, r) in &fonts {
            dict.pair(Name(name.as_bytes()), *r);
        }
        dict.finish();
        resources.finish();
        p.finish();
        pdf.stream(*contents, packed).filter(Filter::FlateDecode);
    }
    Ok(Pdf {
        bytes: pdf.finish(),
        pages: l.pages.len(),
        missing: l.missing.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn numbers_and_glyphs_are_written_as_pdf_operands() {
        for (v, text) in [
            (0, "0"),
            (1000, "1"),
            (1050, "1.05"),
            (-500, "-0.5"),
            (12_345, "12.345"),
            (-7, "-0.007"),
            (100, "0.1"),
            (-842_000, "-842"),
        ] {
            assert_eq!(num(v), text);
        }
        let mut out = String::new();
        push_hex_glyph(&mut out, 0x4A1);
        push_hex_glyph(&mut out, 0xFFFF);
        assert_eq!(out, "<04A1><FFFF>");
    }

    fn fonts() -> Option<&'static Fonts> {
        static FONTS: std::sync::OnceLock<Option<Fonts>> = std::sync::OnceLock::new();
        FONTS
            .get_or_init(|| match Fonts::from_system() {
                Ok(f) => Some(f),
                Err(e) => {
                    assert!(
                        std::env::var_os("CI").is_none(),
                        "CI must have the fonts: {e}"
                    );
                    None
                }
            })
            .as_ref()
    }

    fn text() -> impl Strategy<Value = String> {
        let pieces = prop::sample::select(vec![
            "工",
            "伤",
            "保",
            "险",
            "，",
            "。",
            "、",
            "）",
            "（",
            "“",
            "”",
            "%",
            "55.5",
            "万人",
            "abc",
            "Excellent",
            " ",
            "\n",
            "≥",
            "90",
            "—",
            "\u{1F600}",
        ]);
        prop::collection::vec(pieces, 0..200).prop_map(|v| v.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        /// Lines never lose a character but the spaces dropped at a line start, never run
        /// past the width unless they hold one glyph, and never start with closing
        /// punctuation when the line before could give it a character.
        #[test]
        fn lines_fit_and_lose_nothing(text in text(), width in 20_000i64..450_000) {
            let Some(fonts) = fonts() else { return Ok(()) };
            let mut l = Layout::new(fonts, Page::official());
            let s = l.body_setting(Face::FangSong, 32);
            let lines = l.lines(&text, s, width, width);
            let kept: String = lines.iter().flat_map(|l| l.glyphs.iter().map(|g| g.0.ch)).collect();
            let want: String = text.chars().filter(|c| *c != '\n' && *c != ' ').collect();
            let got: String = kept.chars().filter(|c| *c != ' ').collect();
            prop_assert_eq!(got, want);
            // Within one paragraph (a hard line break may start a line with anything).
            let part = text.split('\n').next().unwrap_or_default();
            let lines = l.lines(part, s, width, width);
            for (k, line) in lines.iter().enumerate() {
                prop_assert!(line.width <= width || line.glyphs.len() == 1, "line {k} too wide");
                if k == 0 {
                    continue;
                }
                // Each break is a legal one (no closing mark at the start, no opening mark at
                // the end, no number split from its sign or unit), unless the line before
                // had no legal break at all.
                let before: Vec<char> = lines[..k - 1].iter().flat_map(|l| l.glyphs.iter().map(|g| g.0.ch)).collect();
                let prev: Vec<char> = lines[k - 1].glyphs.iter().map(|g| g.0.ch).collect();
                let joined: Vec<char> = before
                    .iter()
                    .chain(&prev)
                    .copied()
                    .chain(line.glyphs.iter().map(|g| g.0.ch))
                    .collect();
                let at = before.len() + prev.len();
                let forced = !(before.len() + 1..at).any(|j| may_break_before(&joined, j));
                prop_assert!(
                    forced || may_break_before(&joined, at),
                    "line {k} breaks illegally: {:?} | {:?}",
                    prev.iter().collect::<String>(),
                    line.glyphs.iter().map(|g| g.0.ch).collect::<String>()
                );
            }
        }
    }
}
