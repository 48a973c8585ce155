//! TrueType fonts (.ttf, or a face of a .ttc): the tables a PDF needs read from the file —
//! character map, advance widths, metrics — and a subset for embedding that keeps glyph ids
//! and drops every outline the document does not use.

use std::collections::{BTreeMap, BTreeSet};

/// A font file could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("字体文件 {file}：{message}")]
pub struct FontError {
    /// The file.
    pub file: String,
    /// What is wrong.
    pub message: String,
}

/// One TrueType face, parsed.
#[derive(Debug, Clone)]
pub struct Font {
    /// The file it came from.
    pub file: String,
    /// PostScript-safe base name (`ARPLUMingCN`).
    pub name: String,
    data: std::sync::Arc<Vec<u8>>,
    tables: BTreeMap<[u8; 4], (usize, usize)>,
    /// Design units per em.
    pub units_per_em: u16,
    /// Ascender and descender in design units.
    pub ascent: i16,
    /// Descender (negative).
    pub descent: i16,
    /// Bounding box in design units.
    pub bbox: [i16; 4],
    long_loca: bool,
    glyphs: u16,
    advances: Vec<u16>,
    cmap: BTreeMap<u32, u16>,
}

fn u16_at(d: &[u8], at: usize) -> Option<u16> {
    d.get(at..at + 2).map(|b| u16::from_be_bytes([b[0], b[1]]))
}

fn i16_at(d: &[u8], at: usize) -> Option<i16> {
    u16_at(d, at).map(|v| v as i16)
}

fn u32_at(d: &[u8], at: usize) -> Option<u32> {
    d.get(at..at + 4)
        .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
}

impl Font {
    /// Parses face `index` of a .ttf or .ttc. Only TrueType outlines (`glyf`) are supported.
    pub fn parse(file: &str, data: Vec<u8>, index: u32) -> Result<Font, FontError> {
        let err = |m: &str| FontError {
            file: file.to_string(),
            message: m.to_string(),
        };
        let bad = || err("文件损坏或不是 TrueType 字体");
        let d = &data;
        let face = if d.starts_with(b"ttcf") {
            let count = u32_at(d, 8).ok_or_else(bad)?;
            if index >= count {
                return Err(err(&format!("字体集中没有第{}个字体", index + 1)));
            }
            u32_at(d, 12 + 4 * index as usize).ok_or_else(bad)? as usize
        } else {
            0
        };
        let count = u16_at(d, face + 4).ok_or_else(bad)? as usize;
        let mut tables = BTreeMap::new();
        for k in 0..count {
            let at = face + 12 + 16 * k;
            let tag: [u8; 4] = d
                .get(at..at + 4)
                .and_then(|t| t.try_into().ok())
                .ok_or_else(bad)?;
            let offset = u32_at(d, at + 8).ok_or_else(bad)? as usize;
            let length = u32_at(d, at + 12).ok_or_else(bad)? as usize;
            if offset.checked_add(length).is_none_or(|end| end > d.len()) {
                return Err(bad());
            }
            tables.insert(tag, (offset, length));
        }
        let table = |tag: &[u8; 4]| {
            tables
                .get(tag)
                .copied()
                .ok_or_else(|| err(&format!("缺少 {} 表", String::from_utf8_lossy(tag))))
        };
        if !tables.contains_key(b"glyf") {
            return Err(err("不是 TrueType 轮廓字体（CFF/OpenType 轮廓暂不支持）"));
        }
        let (head, _) = table(b"head")?;
        let (hhea, _) = table(b"hhea")?;
        let (maxp, _) = table(b"maxp")?;
        let (hmtx, hmtx_len) = table(b"hmtx")?;
        let units_per_em = u16_at(d, head + 18).ok_or_else(bad)?;
        let bbox = [
            i16_at(d, head + 36).ok_or_else(bad)?,
            i16_at(d, head + 38).ok_or_else(bad)?,
            i16_at(d, head + 40).ok_or_else(bad)?,
            i16_at(d, head + 42).ok_or_else(bad)?,
        ];
        let long_loca = i16_at(d, head + 50).ok_or_else(bad)? == 1;
        let ascent = i16_at(d, hhea + 4).ok_or_else(bad)?;
        let descent = i16_at(d, hhea + 6).ok_or_else(bad)?;
        let metrics = u16_at(d, hhea + 34).ok_or_else(bad)? as usize;
        let glyphs = u16_at(d, maxp + 4).ok_or_else(bad)?;
        if metrics == 0 || metrics * 4 > hmtx_len || units_per_em == 0 {
            return Err(bad());
        }
        let mut advances = Vec::with_capacity(glyphs as usize);
        for g in 0..glyphs as usize {
            let k = g.min(metrics - 1);
            advances.push(u16_at(d, hmtx + 4 * k).ok_or_else(bad)?);
        }
        let cmap =
            read_cmap(d, table(b"cmap")?.0).ok_or_else(|| err("没有可用的 Unicode 字符映射"))?;
        let name = read_name(d, tables.get(b"name").map(|t| t.0)).unwrap_or_else(|| {
            std::path::Path::new(file)
                .file_stem()
                .map_or("Font".into(), |s| s.to_string_lossy().into_owned())
        });
        Ok(Font {
            file: file.to_string(),
            name: name.chars().filter(|c| c.is_ascii_alphanumeric()).collect(),
            data: std::sync::Arc::new(data),
            tables,
            units_per_em,
            ascent,
            descent,
            bbox,
            long_loca,
            glyphs,
            advances,
            cmap,
        })
    }

    /// The glyph of a character, if the font has one.
    pub fn glyph(&self, c: char) -> Option<u16> {
        self.cmap.get(&(c as u32)).copied().filter(|&g| g != 0)
    }

    /// A glyph's advance width in design units.
    pub fn advance(&self, glyph: u16) -> u16 {
        self.advances.get(glyph as usize).copied().unwrap_or(0)
    }

    fn glyph_range(&self, glyph: u16) -> Option<(usize, usize)> {
        let (loca, _) = *self.tables.get(b"loca")?;
        let (glyf, glyf_len) = *self.tables.get(b"glyf")?;
        let g = glyph as usize;
        let (a, b) = if self.long_loca {
            (
                u32_at(&self.data, loca + 4 * g)? as usize,
                u32_at(&self.data, loca + 4 * g + 4)? as usize,
            )
        } else {
            (
                u16_at(&self.data, loca + 2 * g)? as usize * 2,
                u16_at(&self.data, loca + 2 * g + 2)? as usize * 2,
            )
        };
        (a <= b && b <= glyf_len).then_some((glyf + a, b - a))
    }

    /// A TrueType file holding the outlines of `used` (and of the glyphs their composites
    /// reference) at their original ids; every other glyph is empty.
    pub fn subset(&self, used: &BTreeSet<u16>) -> Vec<u8> {
        let d = &self.data;
        let mut keep: BTreeSet<u16> = used.clone();
        keep.insert(0);
        let mut pending: Vec<u16> = keep.iter().copied().collect();
        while let Some(g) = pending.pop() {
            for component in self.components(g) {
                if component < self.glyphs && keep.insert(component) {
                    pending.push(component);
                }
            }
        }
        let mut glyf = Vec::new();
        let mut loca = Vec::with_capacity((self.glyphs as usize + 1) * 4);
        for g in 0..self.glyphs {
            loca.extend_from_slice(&(glyf.len() as u32).to_be_bytes());
            if keep.contains(&g)
                && let Some((at, len)) = self.glyph_range(g)
            {
                glyf.extend_from_slice(&d[at..at + len]);
                while glyf.len() % 4 != 0 {
                    glyf.push(0);
                }
            }
        }
        loca.extend_from_slice(&(glyf.len() as u32).to_be_bytes());
        let copy = |tag: &[u8; 4]| {
            self.tables
                .get(tag)
                .map(|&(at, len)| d[at..at + len].to_vec())
        };
        let mut out_tables: Vec<([u8; 4], Vec<u8>)> = Vec::new();
        for tag in [b"cvt ", b"fpgm", b"prep", b"hhea", b"hmtx", b"maxp"] {
            if let Some(t) = copy(tag) {
                out_tables.push((*tag, t));
            }
        }
        if let Some(mut head) = copy(b"head") {
            if head.len() >= 54 {
                head[8..12].copy_from_slice(&[0; 4]); // checkSumAdjustment
                head[50..52].copy_from_slice(&1i16.to_be_bytes()); // long loca
            }
            out_tables.push((*b"head", head));
        }
        out_tables.push((*b"loca", loca));
        out_tables.push((*b"glyf", glyf));
        out_tables.sort_by_key(|a| a.0);
        font_file(&out_tables)
    }

    /// The glyphs a composite glyph is built from.
    fn components(&self, glyph: u16) -> Vec<u16> {
        let mut out = Vec::new();
        let Some((at, len)) = self.glyph_range(glyph) else {
            return out;
        };
        let d = &self.data[at..at + len];
        if len < 10 || i16_at(d, 0).is_none_or(|n| n >= 0) {
            return out;
        }
        let mut p = 10;
        while let (Some(flags), Some(g)) = (u16_at(d, p), u16_at(d, p + 2)) {
            out.push(g);
            p += 4;
            p += if flags & 0x0001 != 0 { 4 } else { 2 };
            p += if flags & 0x0008 != 0 {
                2
            } else if flags & 0x0040 != 0 {
                4
            } else if flags & 0x0080 != 0 {
                8
            } else {
                0
            };
            if flags & 0x0020 == 0 {
                break;
            }
        }
        out
    }
}

/// An sfnt file from its tables (sorted by tag).
fn font_file(tables: &[([u8; 4], Vec<u8>)]) -> Vec<u8> {
    let n = tables.len() as u16;
    let mut entry = 1u16;
    let mut log = 0u16;
    while entry * 2 <= n {
        entry *= 2;
        log += 1;
    }
    let mut out = Vec::new();
    out.extend_from_slice(&0x0001_0000u32.to_be_bytes());
    out.extend_from_slice(&n.to_be_bytes());
    out.extend_from_slice(&(entry * 16).to_be_bytes());
    out.extend_from_slice(&log.to_be_bytes());
    out.extend_from_slice(&(n * 16 - entry * 16).to_be_bytes());
    let mut offset = 12 + 16 * tables.len();
    for (tag, body) in tables {
        let mut sum = 0u32;
        for chunk in body.chunks(4) {
            let mut b = [0u8; 4];
            b[..chunk.len()].copy_from_slice(chunk);
            sum = sum.wrapping_add(u32::from_be_bytes(b));
        }
        out.extend_from_slice(tag);
        out.extend_from_slice(&sum.to_be_bytes());
        out.extend_from_slice(&(offset as u32).to_be_bytes());
        out.extend_from_slice(&(body.len() as u32).to_be_bytes());
        offset += body.len().div_ceil(4) * 4;
    }
    for (_, body) in tables {
        out.extend_from_slice(body);
        while out.len() % 4 != 0 {
            out.push(0);
        }
    }
    out
}

/// The best Unicode subtable: format 12 (full range), else format 4 (BMP).
fn read_cmap(d: &[u8], cmap: usize) -> Option<BTreeMap<u32, u16>> {
    let count = u16_at(d, cmap + 2)? as usize;
    let mut best: Option<(u16, usize)> = None;
    for k in 0..count {
        let at = cmap + 4 + 8 * k;
        let (platform, encoding) = (u16_at(d, at)?, u16_at(d, at + 2)?);
        let offset = cmap + u32_at(d, at + 4)? as usize;
        let format = u16_at(d, offset)?;
        let unicode = platform == 0 || (platform == 3 && (encoding == 1 || encoding == 10));
        if unicode && (format == 12 || format == 4) && best.is_none_or(|(f, _)| format > f) {
            best = Some((format, offset));
        }
    }
    let (format, at) = best?;
    let mut map = BTreeMap::new();
    if format == 12 {
        let groups = u32_at(d, at + 12)? as usize;
        for k in 0..groups {
            let g = at + 16 + 12 * k;
            let (start, end, glyph) = (u32_at(d, g)?, u32_at(d, g + 4)?, u32_at(d, g + 8)?);
            if end < start || end - start > 0x10_FFFF {
                return None;
            }
            for c in start..=end {
                map.insert(c, (glyph + (c - start)) as u16);
            }
        }
    } else {
        let segs = u16_at(d, at + 6)? as usize / 2;
        let ends = at + 14;
        let starts = ends + 2 * segs + 2;
        let deltas = starts + 2 * segs;
        let ranges = deltas + 2 * segs;
        for s in 0..segs {
            let (end, start) = (u16_at(d, ends + 2 * s)?, u16_at(d, starts + 2 * s)?);
            let delta = u16_at(d, deltas + 2 * s)?;
            let range = u16_at(d, ranges + 2 * s)? as usize;
            if start == 0xFFFF || end < start {
                continue;
            }
            for c in start..=end {
                let glyph = if range == 0 {
                    c.wrapping_add(delta)
                } else {
                    let at = ranges + 2 * s + range + 2 * (c - start) as usize;
                    match u16_at(d, at)? {
                        0 => 0,
                        g => g.wrapping_add(delta),
                    }
                };
                map.insert(u32::from(c), glyph);
            }
        }
    }
    Some(map)
}

/// The PostScript name (name id 6), from a Windows or Mac record.
fn read_name(d: &[u8], name: Option<usize>) -> Option<String> {
    let name = name?;
    let count = u16_at(d, name + 2)? as usize;
    let strings = name + u16_at(d, name + 4)? as usize;
    for k in 0..count {
        let at = name + 6 + 12 * k;
        let (platform, id) = (u16_at(d, at)?, u16_at(d, at + 6)?);
        let (len, offset) = (u16_at(d, at + 8)? as usize, u16_at(d, at + 10)? as usize);
        if id != 6 {
            continue;
        }
        let bytes = d.get(strings + offset..strings + offset + len)?;
        let text = if platform == 3 {
            let units: Vec<u16> = bytes
                .chunks(2)
                .map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]))
                .collect();
            String::from_utf16_lossy(&units)
        } else {
            String::from_utf8_lossy(bytes).into_owned()
        };
        if !text.is_empty() {
            return Some(text);
        }
    }
    None
}
