//! CFF font programs assembled from charstrings kept per glyph. `subsetter` turns every used
//! glyph's charstring into a program without subroutines (decompiled and compiled again),
//! which was more than half of a report's time; a face keeps each glyph's charstring once it
//! has been through `subsetter`, so a later subset only runs `subsetter` on glyphs not seen
//! before, and the CFF table is put together here from the kept charstrings.
//!
//! The layout is the one `subsetter` writes for a CID-keyed subset (header, Name, Top DICT,
//! String and empty Global Subr INDEX, charset, the private dicts, FDSelect, FDArray,
//! CharStrings). The parts that do not depend on the glyph set are taken from one of its
//! subsets that holds a glyph of every font dict of the face (the "skeleton"), so every font
//! dict keeps its index; the glyph-dependent parts (charset count, FDSelect, CharStrings and
//! the offsets to them) are written here. Anything unexpected makes [`Charstrings::subset`]
//! answer `None`, and the caller uses `subsetter`'s whole subset instead.

use std::ops::Range;

/// A face's charstrings without subroutines, per glyph id, as far as they have been needed.
pub(super) struct Charstrings {
    /// The font dict of each glyph of the face (empty: one font dict).
    fd_of: Vec<u8>,
    /// One glyph of every font dict, in font dict order.
    representatives: Vec<u16>,
    /// The glyph-independent parts of a subset of the face.
    skeleton: Option<Skeleton>,
    /// Per glyph id, its charstring once known.
    glyphs: Vec<Option<Box<[u8]>>>,
}

impl std::fmt::Debug for Charstrings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Charstrings")
            .field("font_dicts", &self.representatives.len())
            .field("known", &self.known())
            .finish()
    }
}

/// A subset's bytes up to its FDSelect, its FDArray INDEX, and where the offsets that change
/// with the glyph set are.
struct Skeleton {
    /// Header to the private dicts (the Top DICT's four offsets and the charset's count to be
    /// patched).
    prefix: Vec<u8>,
    /// The FDArray INDEX, as it is (the private dicts keep their offsets).
    fd_array: Vec<u8>,
    /// Where, in `prefix`, the 4-byte values of the CharStrings, FDArray and FDSelect offsets are.
    charstrings_at: usize,
    fd_array_at: usize,
    fd_select_at: usize,
    /// Where the charset's (format 2) count of glyphs after the first is.
    charset_count_at: usize,
}

/// Reads a big-endian number of `n` bytes at `at`.
fn be(data: &[u8], at: usize, n: usize) -> Option<usize> {
    let bytes = data.get(at..at.checked_add(n)?)?;
    Some(bytes.iter().fold(0, |v, b| (v << 8) | usize::from(*b)))
}

/// The items of the INDEX at `at`, and where it ends.
fn index(data: &[u8], at: usize) -> Option<(Vec<Range<usize>>, usize)> {
    let count = be(data, at, 2)?;
    if count == 0 {
        return Some((Vec::new(), at + 2));
    }
    let size = be(data, at + 2, 1)?;
    if !(1..=4).contains(&size) {
        return None;
    }
    let offsets = at + 3;
    let base = offsets + (count + 1) * size - 1;
    let mut items = Vec::with_capacity(count);
    let mut start = base + be(data, offsets, size)?;
    for k in 1..=count {
        let end = base + be(data, offsets + k * size, size)?;
        if end < start || end > data.len() {
            return None;
        }
        items.push(start..end);
        start = end;
    }
    Some((items, start))
}

/// A DICT entry: the operator (two-byte ones as 1200 + the second byte), where its last
/// operand starts, and that operand's value if it is an integer.
type Entry = (u16, usize, Option<i64>);

/// The entries of a DICT.
fn dict(data: &[u8]) -> Option<Vec<Entry>> {
    let mut out = Vec::new();
    let mut k = 0;
    let mut last: (usize, Option<i64>) = (0, None);
    while k < data.len() {
        let b = data[k];
        let (len, value) = match b {
            0..=21 => {
                let op = if b == 12 {
                    k += 1;
                    1200 + u16::from(*data.get(k)?)
                } else {
                    u16::from(b)
                };
                out.push((op, last.0, last.1));
                k += 1;
                continue;
            }
            28 => (
                3,
                Some(i64::from(i16::from_be_bytes([
                    *data.get(k + 1)?,
                    *data.get(k + 2)?,
                ]))),
            ),
            29 => {
                let v = i32::from_be_bytes(data.get(k + 1..k + 5)?.try_into().ok()?);
                (5, Some(i64::from(v)))
            }
            30 => {
                // A real: nibbles up to the end nibble 0xf.
                let mut n = 1;
                loop {
                    let byte = *data.get(k + n)?;
                    n += 1;
                    if byte >> 4 == 0xf || byte & 0xf == 0xf {
                        break;
                    }
                }
                (n, None)
            }
            32..=246 => (1, Some(i64::from(b) - 139)),
            247..=250 => (
                2,
                Some((i64::from(b) - 247) * 256 + i64::from(*data.get(k + 1)?) + 108),
            ),
            251..=254 => (
                2,
                Some(-(i64::from(b) - 251) * 256 - i64::from(*data.get(k + 1)?) - 108),
            ),
            _ => return None,
        };
        last = (k, value);
        k += len;
    }
    Some(out)
}

/// Where the operand of operator `op` starts, and its value, in a parsed DICT.
fn operand(entries: &[Entry], op: u16) -> Option<(usize, usize)> {
    entries
        .iter()
        .find(|e| e.0 == op)
        .and_then(|e| Some((e.1, usize::try_from(e.2?).ok()?)))
}

const CHARSET: u16 = 15;
const CHARSTRINGS: u16 = 17;
const FD_ARRAY: u16 = 1236;
const FD_SELECT: u16 = 1237;

/// The font dict of each of `glyphs` glyphs from the FDSelect at `at` (formats 0 and 3).
fn fd_select(cff: &[u8], at: usize, glyphs: usize) -> Option<Vec<u8>> {
    match *cff.get(at)? {
        0 => Some(cff.get(at + 1..at + 1 + glyphs)?.to_vec()),
        3 => {
            let ranges = be(cff, at + 1, 2)?;
            let mut fds = vec![0u8; glyphs];
            for r in 0..ranges {
                let first = be(cff, at + 3 + r * 3, 2)?;
                let fd = *cff.get(at + 5 + r * 3)?;
                let next = be(cff, at + 6 + r * 3, 2)?;
                fds.get_mut(first..next.min(glyphs))?.fill(fd);
            }
            Some(fds)
        }
        _ => None,
    }
}

/// The Top DICT's entries, and where it lies in the table.
fn top_dict(cff: &[u8]) -> Option<(Vec<Entry>, Range<usize>)> {
    if *cff.first()? != 1 {
        return None;
    }
    let header = usize::from(*cff.get(2)?);
    let (_, names_end) = index(cff, header)?;
    let (tops, _) = index(cff, names_end)?;
    let top = tops.first()?.clone();
    let entries = dict(cff.get(top.clone())?)?;
    Some((entries, top))
}

impl Charstrings {
    /// Reads the font dicts of the face's CFF table (`None` when it has none or cannot be
    /// read: then the face is always subset by `subsetter` alone).
    pub(super) fn new(cff: &[u8]) -> Option<Charstrings> {
        let (entries, _) = top_dict(cff)?;
        let (_, charstrings) = operand(&entries, CHARSTRINGS)?;
        let (items, _) = index(cff, charstrings)?;
        let glyphs = items.len();
        let fd_of = match operand(&entries, FD_SELECT) {
            Some((_, at)) => fd_select(cff, at, glyphs)?,
            None => Vec::new(),
        };
        let mut representatives: Vec<u16> = Vec::new();
        if fd_of.is_empty() {
            representatives.push(0);
        } else {
            let fds = usize::from(*fd_of.iter().max()?) + 1;
            for fd in 0..fds {
                // A font dict no glyph uses is dropped by `subsetter`: the indices would shift.
                let g = fd_of.iter().position(|f| usize::from(*f) == fd)?;
                representatives.push(u16::try_from(g).ok()?);
            }
        }
        Some(Charstrings {
            fd_of,
            representatives,
            skeleton: None,
            glyphs: vec![None; glyphs],
        })
    }

    /// How many glyphs' charstrings are kept.
    pub(super) fn known(&self) -> usize {
        self.glyphs.iter().flatten().count()
    }

    fn fd(&self, glyph: u16) -> u8 {
        self.fd_of.get(usize::from(glyph)).copied().unwrap_or(0)
    }

    /// Glyphs of `gids` whose charstrings are not known yet.
    pub(super) fn missing(&self, gids: &[u16]) -> Vec<u16> {
        let mut out: Vec<u16> = gids
            .iter()
            .copied()
            .filter(|g| {
                self.glyphs
                    .get(usize::from(*g))
                    .is_some_and(Option::is_none)
            })
            .collect();
        if self.skeleton.is_none() {
            out.extend(self.representatives.iter().copied());
        }
        out
    }

    /// Keeps the charstrings of a `subsetter` subset (a bare CFF table) of the glyphs
    /// `gids`, in its order, and its skeleton if none is kept yet. `None` when it is not laid
    /// out as expected or the font dicts do not match (nothing is kept then).
    pub(super) fn learn(&mut self, cff: &[u8], gids: &[u16]) -> Option<()> {
        let (entries, top) = top_dict(cff)?;
        let (charstrings_at, charstrings) = operand(&entries, CHARSTRINGS)?;
        let (fd_array_at, fd_array) = operand(&entries, FD_ARRAY)?;
        let (fd_select_at, fd_select_off) = operand(&entries, FD_SELECT)?;
        let (_, charset) = operand(&entries, CHARSET)?;
        let (items, end) = index(cff, charstrings)?;
        let (_, fd_array_end) = index(cff, fd_array)?;
        let layout_ok = items.len() == gids.len()
            && end == cff.len()
            && charset < fd_select_off
            && fd_select_off < fd_array
            && fd_array_end == charstrings
            && cff.get(charset) == Some(&2)
            && [charstrings_at, fd_array_at, fd_select_at]
                .iter()
                .all(|&at| cff.get(top.start + at) == Some(&29));
        if !layout_ok {
            return None;
        }
        // Every glyph's font dict keeps its index in the subset.
        let fds = fd_select(cff, fd_select_off, gids.len())?;
        if gids.iter().zip(&fds).any(|(g, fd)| self.fd(*g) != *fd) {
            return None;
        }
        if self.skeleton.is_none() {
            let all = self.representatives.len();
            if index(cff, fd_array)?.0.len() != all {
                return None;
            }
            self.skeleton = Some(Skeleton {
                prefix: cff.get(..fd_select_off)?.to_vec(),
                fd_array: cff.get(fd_array..fd_array_end)?.to_vec(),
                charstrings_at: top.start + charstrings_at + 1,
                fd_array_at: top.start + fd_array_at + 1,
                fd_select_at: top.start + fd_select_at + 1,
                charset_count_at: charset + 3,
            });
        }
        for (g, range) in gids.iter().zip(items) {
            if let Some(slot) = self.glyphs.get_mut(usize::from(*g)) {
                *slot = Some(cff.get(range)?.into());
            }
        }
        Some(())
    }

    /// The CFF table of a subset holding `gids` (glyph 0 first; the new id of each is its
    /// position), or `None` when a charstring or the skeleton is not known.
    pub(super) fn subset(&self, gids: &[u16]) -> Option<Vec<u8>> {
        let skeleton = self.skeleton.as_ref()?;
        if gids.len() < 2 || gids.first() != Some(&0) {
            return None;
        }
        let programs: Vec<&[u8]> = gids
            .iter()
            .map(|g| self.glyphs.get(usize::from(*g))?.as_deref())
            .collect::<Option<_>>()?;
        // FDSelect, format 3: one range per run of glyphs sharing a font dict.
        let mut ranges: Vec<(u16, u8)> = Vec::new();
        for (new, g) in gids.iter().enumerate() {
            let fd = self.fd(*g);
            if ranges.last().is_none_or(|r| r.1 != fd) {
                ranges.push((u16::try_from(new).ok()?, fd));
            }
        }
        let mut fd_sel = vec![3];
        fd_sel.extend_from_slice(&u16::try_from(ranges.len()).ok()?.to_be_bytes());
        for (first, fd) in &ranges {
            fd_sel.extend_from_slice(&first.to_be_bytes());
            fd_sel.push(*fd);
        }
        fd_sel.extend_from_slice(&u16::try_from(gids.len()).ok()?.to_be_bytes());

        let total: usize = programs.iter().map(|p| p.len()).sum();
        let mut out = Vec::with_capacity(
            skeleton.prefix.len()
                + fd_sel.len()
                + skeleton.fd_array.len()
                + total
                + 4 * gids.len()
                + 8,
        );
        out.extend_from_slice(&skeleton.prefix);
        let fd_select_off = out.len();
        out.extend_from_slice(&fd_sel);
        let fd_array_off = out.len();
        out.extend_from_slice(&skeleton.fd_array);
        let charstrings_off = out.len();
        // CharStrings INDEX with 4-byte offsets.
        out.extend_from_slice(&u16::try_from(gids.len()).ok()?.to_be_bytes());
        out.push(4);
        let mut offset: u32 = 1;
        out.extend_from_slice(&offset.to_be_bytes());
        for p in &programs {
            offset = offset.checked_add(u32::try_from(p.len()).ok()?)?;
            out.extend_from_slice(&offset.to_be_bytes());
        }
        for p in &programs {
            out.extend_from_slice(p);
        }
        let patch = |out: &mut Vec<u8>, at: usize, v: usize| -> Option<()> {
            let v = i32::try_from(v).ok()?;
            out.get_mut(at..at + 4)?.copy_from_slice(&v.to_be_bytes());
            Some(())
        };
        patch(&mut out, skeleton.fd_select_at, fd_select_off)?;
        patch(&mut out, skeleton.fd_array_at, fd_array_off)?;
        patch(&mut out, skeleton.charstrings_at, charstrings_off)?;
        let count = u16::try_from(gids.len() - 2).ok()?.to_be_bytes();
        out.get_mut(skeleton.charset_count_at..skeleton.charset_count_at + 2)?
            .copy_from_slice(&count);
        Some(out)
    }
}
