//! CFF font programs assembled from charstrings kept per glyph. An embedded subset needs
//! every used glyph's charstring without subroutines. `subsetter` gets them by decompiling
//! each charstring into operators and compiling it again (about 15 µs a glyph, most of a
//! process's first report). Here a face instead inlines its charstrings itself, once per
//! glyph, by copying bytes ([`inline`]): numbers and operators are copied as they are (a
//! 3-byte integer that fits a shorter form is written in it, as `subsetter` does), and a
//! `callsubr`/`callgsubr` is replaced by the bytes of the subroutine it calls, its index
//! operand dropped. Only the stem hints are counted, to know how many mask bytes follow a
//! `hintmask`/`cntrmask`. A charstring that does anything else (arithmetic, a `seac`-like
//! `endchar`, an index out of range, too deep a nesting, a truncated number) is not inlined,
//! and the glyph goes through `subsetter` instead. A face with no subroutines at all (the
//! Fandol faces) has charstrings that call none: they are kept as they are.
//!
//! The layout is the one `subsetter` writes for a CID-keyed subset (header, Name, Top DICT,
//! String and empty Global Subr INDEX, charset, the private dicts, FDSelect, FDArray,
//! CharStrings). The parts that do not depend on the glyph set are taken from one of its
//! subsets that holds a glyph of every font dict of the face (the "skeleton", made once per
//! face), so every font dict keeps its index; its private dicts have no Subrs (the
//! charstrings call none) and keep the face's widths (checked: the charstrings' widths are
//! relative to them). The glyph-dependent parts (charset count, FDSelect, CharStrings and
//! the offsets to them) are written here. Anything unexpected makes [`Charstrings::subset`]
//! answer `None`, and the caller uses `subsetter`'s whole subset instead.
//!
//! The flow for a subset: [`Charstrings::missing`] names the glyphs with no kept charstring,
//! [`Charstrings::inline`] keeps those it can inline and names the rest,
//! [`Charstrings::skeleton_glyphs`] adds the glyphs the skeleton needs while it is not kept,
//! `subsetter` subsets those and [`Charstrings::learn`] keeps its charstrings and skeleton,
//! then [`Charstrings::subset`] puts the table together.

use std::ops::Range;

/// A face's charstrings without subroutines, per glyph id, as far as they have been needed.
pub(super) struct Charstrings {
    /// The font dict of each glyph of the face (empty: one font dict).
    fd_of: Vec<u8>,
    /// One glyph of every font dict, in font dict order.
    representatives: Vec<u16>,
    /// Where the face's charstrings and subroutines are, to inline them (`None`: every
    /// charstring goes through `subsetter`).
    programs: Option<Programs>,
    /// The glyph-independent parts of a subset of the face.
    skeleton: Option<Skeleton>,
    /// Per glyph id, its charstring once known.
    glyphs: Vec<Option<Box<[u8]>>>,
}

impl std::fmt::Debug for Charstrings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Charstrings")
            .field("font_dicts", &self.representatives.len())
            .field("inlines", &self.programs.is_some())
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

/// Where a face's charstrings and subroutines lie in its CFF table.
struct Programs {
    /// The CharStrings INDEX.
    charstrings: Index,
    /// The Global Subrs INDEX.
    global: Index,
    /// Per font dict, its Subrs INDEX (`None`: it has none).
    local: Vec<Option<Index>>,
    /// Per font dict, its private dict's widths.
    widths: Vec<Widths>,
}

/// A private dict's defaultWidthX and nominalWidthX (0 when absent, `None` when not an
/// integer).
type Widths = [Option<i64>; 2];

/// Reads a big-endian number of `n` bytes at `at`.
fn be(data: &[u8], at: usize, n: usize) -> Option<usize> {
    let bytes = data.get(at..at.checked_add(n)?)?;
    Some(bytes.iter().fold(0, |v, b| (v << 8) | usize::from(*b)))
}

/// An INDEX of a CFF table, its items read when asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Index {
    /// How many items it holds.
    count: usize,
    /// The size of an offset, 1 to 4 bytes.
    off_size: usize,
    /// Where the offsets start.
    offsets: usize,
    /// What the offsets count from (the byte before the data).
    base: usize,
    /// Where the INDEX ends.
    end: usize,
}

impl Index {
    /// The INDEX at `at` of `data`, if its header and last offset fit in `data`.
    fn at(data: &[u8], at: usize) -> Option<Index> {
        let count = be(data, at, 2)?;
        if count == 0 {
            let end = at + 2;
            return Some(Index {
                count,
                off_size: 1,
                offsets: end,
                base: end,
                end,
            });
        }
        let off_size = be(data, at + 2, 1)?;
        if !(1..=4).contains(&off_size) {
            return None;
        }
        let offsets = at + 3;
        let base = (count + 1)
            .checked_mul(off_size)?
            .checked_add(offsets - 1)?;
        let end = base.checked_add(be(data, offsets + count * off_size, off_size)?)?;
        if end > data.len() {
            return None;
        }
        Some(Index {
            count,
            off_size,
            offsets,
            base,
            end,
        })
    }

    /// Where item `k` lies in `data`, if its offsets are in order and inside the INDEX.
    fn get(&self, data: &[u8], k: usize) -> Option<Range<usize>> {
        if k >= self.count {
            return None;
        }
        let at = self.offsets + k * self.off_size;
        let start = self.base + be(data, at, self.off_size)?;
        let end = self.base + be(data, at + self.off_size, self.off_size)?;
        (start <= end && end <= self.end).then_some(start..end)
    }

    /// Where every item lies in `data`.
    fn items(&self, data: &[u8]) -> Option<Vec<Range<usize>>> {
        (0..self.count).map(|k| self.get(data, k)).collect()
    }

    /// The bias added to a subroutine number to get its item.
    fn bias(&self) -> i64 {
        match self.count {
            0..1240 => 107,
            1240..33900 => 1131,
            _ => 32768,
        }
    }
}

/// The items of the INDEX at `at`, and where it ends.
fn index(data: &[u8], at: usize) -> Option<(Vec<Range<usize>>, usize)> {
    let index = Index::at(data, at)?;
    Some((index.items(data)?, index.end))
}

/// A DICT entry: its operator (two-byte ones as 1200 + the second byte), where its last
/// operand starts, and its operands' values (`None` for a real number).
struct Entry {
    op: u16,
    last_at: usize,
    operands: Vec<Option<i64>>,
}

/// The entries of a DICT.
fn dict(data: &[u8]) -> Option<Vec<Entry>> {
    let mut out = Vec::new();
    let mut k = 0;
    let mut last_at = 0;
    let mut operands = Vec::new();
    while let Some(&b) = data.get(k) {
        let (len, value) = match b {
            0..=21 => {
                let op = if b == 12 {
                    k += 1;
                    1200 + u16::from(*data.get(k)?)
                } else {
                    u16::from(b)
                };
                out.push(Entry {
                    op,
                    last_at,
                    operands: std::mem::take(&mut operands),
                });
                k += 1;
                continue;
            }
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
            28 | 32..=254 => {
                let len = number_len(b);
                (len, Some(i64::from(integer(data.get(k..k + len)?)?)))
            }
            _ => return None,
        };
        last_at = k;
        operands.push(value);
        k += len;
    }
    Some(out)
}

/// Where the (last) operand of operator `op` starts, and its value, in a parsed DICT.
fn operand(entries: &[Entry], op: u16) -> Option<(usize, usize)> {
    let entry = entries.iter().find(|e| e.op == op)?;
    let value = usize::try_from((*entry.operands.last()?)?).ok()?;
    Some((entry.last_at, value))
}

const CHARSET: u16 = 15;
const CHARSTRINGS: u16 = 17;
const PRIVATE: u16 = 18;
const SUBRS: u16 = 19;
const DEFAULT_WIDTH_X: u16 = 20;
const NOMINAL_WIDTH_X: u16 = 21;
const CHARSTRING_TYPE: u16 = 1206;
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

/// The Top DICT's entries, where it lies in the table, and where its INDEX ends.
fn top_dict(cff: &[u8]) -> Option<(Vec<Entry>, Range<usize>, usize)> {
    if *cff.first()? != 1 {
        return None;
    }
    let header = usize::from(*cff.get(2)?);
    let names = Index::at(cff, header)?;
    let tops = Index::at(cff, names.end)?;
    let top = tops.get(cff, 0)?;
    let entries = dict(cff.get(top.clone())?)?;
    Some((entries, top, tops.end))
}

/// The private dict a font dict (or a name-keyed Top DICT) points to: its entries and
/// where it starts.
fn private_dict(cff: &[u8], font_dict: &[Entry]) -> Option<(Vec<Entry>, usize)> {
    let entry = font_dict.iter().find(|e| e.op == PRIVATE)?;
    let [Some(size), Some(offset)] = entry.operands[..] else {
        return None;
    };
    let start = usize::try_from(offset).ok()?;
    let end = start.checked_add(usize::try_from(size).ok()?)?;
    Some((dict(cff.get(start..end)?)?, start))
}

/// A private dict's widths.
fn widths(private: &[Entry]) -> Widths {
    [DEFAULT_WIDTH_X, NOMINAL_WIDTH_X].map(|op| {
        private
            .iter()
            .find(|e| e.op == op)
            .map_or(Some(0), |e| e.operands.last().copied().flatten())
    })
}

/// The private dicts of a subset's or a face's font dicts: those of its FDArray, or the Top
/// DICT's one of a name-keyed font.
fn private_dicts(cff: &[u8], top: &[Entry]) -> Option<Vec<(Vec<Entry>, usize)>> {
    match operand(top, FD_ARRAY) {
        Some((_, at)) => {
            let fd_array = Index::at(cff, at)?;
            (0..fd_array.count)
                .map(|k| {
                    let font_dict = dict(cff.get(fd_array.get(cff, k)?)?)?;
                    private_dict(cff, &font_dict)
                })
                .collect()
        }
        None => Some(vec![private_dict(cff, top)?]),
    }
}

impl Programs {
    /// Finds the charstrings and subroutines of a face's CFF table from its Top DICT
    /// (`None`: not Type 2 charstrings, or something cannot be read).
    fn read(cff: &[u8], top: &[Entry], tops_end: usize) -> Option<Programs> {
        if top
            .iter()
            .any(|e| e.op == CHARSTRING_TYPE && e.operands.last() != Some(&Some(2)))
        {
            return None;
        }
        let (_, charstrings) = operand(top, CHARSTRINGS)?;
        let strings = Index::at(cff, tops_end)?;
        let global = Index::at(cff, strings.end)?;
        let mut local = Vec::new();
        let mut widths_of = Vec::new();
        for (private, start) in private_dicts(cff, top)? {
            local.push(match operand(&private, SUBRS) {
                Some((_, subrs)) => Some(Index::at(cff, start.checked_add(subrs)?)?),
                None => None,
            });
            let w = widths(&private);
            // A real width could be written otherwise in the skeleton: not compared.
            if w.contains(&None) {
                return None;
            }
            widths_of.push(w);
        }
        Some(Programs {
            charstrings: Index::at(cff, charstrings)?,
            global,
            local,
            widths: widths_of,
        })
    }

    /// Glyph `glyph`'s charstring without subroutines, if it can be inlined.
    fn inline(&self, cff: &[u8], glyph: u16, fd: u8) -> Option<Vec<u8>> {
        let program = cff.get(self.charstrings.get(cff, usize::from(glyph))?)?;
        let local = self.local.get(usize::from(fd)).copied().flatten();
        if local.is_none() && self.global.count == 0 {
            // No subroutine to call (the Fandol faces have none): kept as it is.
            return Some(program.to_vec());
        }
        inline(cff, program, self.global, local)
    }
}

/// How deep subroutines may call subroutines (the Type 2 charstring limit).
const MAX_DEPTH: usize = 10;
/// The most bytes an inlined charstring may have.
const MAX_GLYPH_LEN: usize = 64 * 1024;
/// The most bytes of charstring and subroutines read for one glyph.
const MAX_READ: usize = 1024 * 1024;
/// The most operands on a Type 2 charstring's stack.
const MAX_OPERANDS: usize = 48;

/// `program`, a Type 2 charstring of `cff`, with every subroutine it calls (from `global`
/// or `local`) inlined, or `None` when it does anything else than draw and hint, or when a
/// limit is reached.
fn inline(cff: &[u8], program: &[u8], global: Index, local: Option<Index>) -> Option<Vec<u8>> {
    let mut inliner = Inliner {
        cff,
        global,
        local,
        out: Vec::with_capacity(program.len() * 2),
        operands: Vec::with_capacity(MAX_OPERANDS),
        stems: 0,
        read: 0,
    };
    inliner.run(program, 0)?;
    Some(inliner.out)
}

/// How a charstring or subroutine ended.
#[derive(Debug, PartialEq, Eq)]
enum End {
    /// `return`, or its last byte: the caller goes on.
    Return,
    /// `endchar`: the glyph is done.
    EndChar,
}

/// The state of inlining one glyph's charstring.
struct Inliner<'a> {
    cff: &'a [u8],
    global: Index,
    local: Option<Index>,
    /// The charstring so far.
    out: Vec<u8>,
    /// Where each operand on the stack starts in `out`.
    operands: Vec<usize>,
    /// Stem hints declared so far (hintmask and cntrmask are followed by a bit per stem).
    stems: usize,
    /// Bytes of charstring and subroutines read so far.
    read: usize,
}

impl Inliner<'_> {
    /// Copies `program` (the charstring, or a subroutine `depth` calls deep) to `out`, the
    /// bytes between two calls at once.
    fn run(&mut self, program: &[u8], depth: usize) -> Option<End> {
        self.read = self.read.checked_add(program.len())?;
        if depth > MAX_DEPTH || self.read > MAX_READ {
            return None;
        }
        let mut k = 0;
        // `program[copied..k]` is still to be copied: its byte `j` will be at
        // `out.len() + j - copied`.
        let mut copied = 0;
        while let Some(&b) = program.get(k) {
            match b {
                28 => {
                    let value = integer(program.get(k..k + 3)?)?;
                    if (-1131..=1131).contains(&value) {
                        // A 3-byte integer that fits a shorter form, written in it.
                        self.copy(program.get(copied..k)?)?;
                        self.push(self.out.len())?;
                        write_integer(&mut self.out, value)?;
                        copied = k + 3;
                    } else {
                        self.push(self.out.len() + k - copied)?;
                    }
                    k += 3;
                }
                32..=255 => {
                    self.push(self.out.len() + k - copied)?;
                    k += number_len(b);
                }
                10 | 29 => {
                    self.copy(program.get(copied..k)?)?;
                    copied = k + 1;
                    let subrs = if b == 10 { self.local? } else { self.global };
                    if self.call(subrs, depth)? == End::EndChar {
                        return Some(End::EndChar);
                    }
                    k += 1;
                }
                11 => {
                    self.copy(program.get(copied..k)?)?;
                    return Some(End::Return);
                }
                14 => {
                    // With 4 operands it would be `seac`, an accented glyph made of two.
                    if self.operands.len() >= 4 {
                        return None;
                    }
                    self.copy(program.get(copied..=k)?)?;
                    return Some(End::EndChar);
                }
                1 | 3 | 18 | 23 => {
                    self.stems += self.operands.len() / 2;
                    self.operands.clear();
                    k += 1;
                }
                19 | 20 => {
                    // Operands before a mask are vertical stems whose vstem was left out.
                    self.stems += self.operands.len() / 2;
                    self.operands.clear();
                    k += 1 + self.stems.div_ceil(8);
                }
                4..=8 | 21 | 22 | 24..=27 | 30 | 31 => {
                    self.operands.clear();
                    k += 1;
                }
                // Flex operators; every other escaped one computes or stores.
                12 => {
                    if !(34..=37).contains(program.get(k + 1)?) {
                        return None;
                    }
                    self.operands.clear();
                    k += 2;
                }
                _ => return None,
            }
        }
        // A number or mask cut short leaves `k` past the end.
        self.copy(program.get(copied..k)?)?;
        Some(End::Return)
    }

    /// Notes an operand that starts at `at` in `out`.
    fn push(&mut self, at: usize) -> Option<()> {
        if self.operands.len() == MAX_OPERANDS {
            return None;
        }
        self.operands.push(at);
        Some(())
    }

    /// Copies `bytes` to `out`, within the length limit.
    fn copy(&mut self, bytes: &[u8]) -> Option<()> {
        if self.out.len() + bytes.len() > MAX_GLYPH_LEN {
            return None;
        }
        self.out.extend_from_slice(bytes);
        Some(())
    }

    /// Inlines the subroutine of `subrs` whose biased number is the last operand, dropping it.
    fn call(&mut self, subrs: Index, depth: usize) -> Option<End> {
        let at = self.operands.pop()?;
        let number = integer(self.out.get(at..)?)?;
        self.out.truncate(at);
        let item = usize::try_from(i64::from(number) + subrs.bias()).ok()?;
        let cff = self.cff;
        let subr = cff.get(subrs.get(cff, item)?)?;
        self.run(subr, depth + 1)
    }
}

/// How many bytes a charstring number starting with `b0` has.
fn number_len(b0: u8) -> usize {
    match b0 {
        28 => 3,
        247..=254 => 2,
        255 => 5,
        _ => 1,
    }
}

/// The value of an integer encoded in `bytes` (exactly one number; not a 16.16 fixed one).
fn integer(bytes: &[u8]) -> Option<i32> {
    let b0 = i32::from(*bytes.first()?);
    match *bytes {
        [28, hi, lo] => Some(i32::from(i16::from_be_bytes([hi, lo]))),
        [32..=246] => Some(b0 - 139),
        [247..=250, b1] => Some((b0 - 247) * 256 + i32::from(b1) + 108),
        [251..=254, b1] => Some(-(b0 - 251) * 256 - i32::from(b1) - 108),
        _ => None,
    }
}

/// Writes a 16-bit integer in its shortest charstring form.
fn write_integer(out: &mut Vec<u8>, v: i32) -> Option<()> {
    let byte = |n: i32| u8::try_from(n).ok();
    match v {
        -107..=107 => out.push(byte(v + 139)?),
        108..=1131 => {
            out.extend_from_slice(&[byte((v - 108) / 256 + 247)?, byte((v - 108) % 256)?])
        }
        -1131..=-108 => {
            out.extend_from_slice(&[byte((-v - 108) / 256 + 251)?, byte((-v - 108) % 256)?]);
        }
        _ => {
            out.push(28);
            out.extend_from_slice(&i16::try_from(v).ok()?.to_be_bytes());
        }
    }
    Some(())
}

impl Charstrings {
    /// Reads the font dicts of the face's CFF table (`None` when it has none or cannot be
    /// read: then the face is always subset by `subsetter` alone), and where its charstrings
    /// and subroutines are (when they cannot be found, every glyph goes through `subsetter`).
    pub(super) fn new(cff: &[u8]) -> Option<Charstrings> {
        let (entries, _, tops_end) = top_dict(cff)?;
        let (_, charstrings) = operand(&entries, CHARSTRINGS)?;
        let glyphs = Index::at(cff, charstrings)?.count;
        let fd_of = match operand(&entries, FD_SELECT) {
            Some((_, at)) => fd_select(cff, at, glyphs)?,
            None => Vec::new(),
        };
        // Glyphs other than .notdef where there are (a subset of .notdef alone has another
        // charset layout).
        let mut representatives: Vec<u16> = Vec::new();
        if fd_of.is_empty() {
            representatives.push(u16::from(glyphs > 1));
        } else {
            let fds = usize::from(*fd_of.iter().max()?) + 1;
            for fd in 0..fds {
                // A font dict no glyph uses is dropped by `subsetter`: the indices would shift.
                let in_fd = |f: &u8| usize::from(*f) == fd;
                let g = match fd_of.iter().skip(1).position(in_fd) {
                    Some(k) => k + 1,
                    None => fd_of.iter().position(in_fd)?,
                };
                representatives.push(u16::try_from(g).ok()?);
            }
        }
        Some(Charstrings {
            fd_of,
            representatives,
            programs: Programs::read(cff, &entries, tops_end),
            skeleton: None,
            glyphs: vec![None; glyphs],
        })
    }

    /// How many glyphs' charstrings are kept.
    pub(super) fn known(&self) -> usize {
        self.glyphs.iter().flatten().count()
    }

    /// The kept charstring of `glyph`.
    #[cfg(test)]
    pub(super) fn charstring(&self, glyph: u16) -> Option<&[u8]> {
        self.glyphs.get(usize::from(glyph))?.as_deref()
    }

    /// Whether charstrings are inlined here rather than made by `subsetter`.
    #[cfg(test)]
    pub(super) fn inlines(&self) -> bool {
        self.programs.is_some()
    }

    fn fd(&self, glyph: u16) -> u8 {
        self.fd_of.get(usize::from(glyph)).copied().unwrap_or(0)
    }

    /// Glyphs of `gids` whose charstrings are not known yet.
    pub(super) fn missing(&self, gids: &[u16]) -> Vec<u16> {
        gids.iter()
            .copied()
            .filter(|g| {
                self.glyphs
                    .get(usize::from(*g))
                    .is_some_and(Option::is_none)
            })
            .collect()
    }

    /// The glyphs a `subsetter` subset must hold for [`Charstrings::learn`] to keep a
    /// skeleton: one of every font dict while none is kept, else none.
    pub(super) fn skeleton_glyphs(&self) -> &[u16] {
        match self.skeleton {
            Some(_) => &[],
            None => &self.representatives,
        }
    }

    /// Keeps the charstrings of those of `gids` that can be inlined from the face's CFF
    /// table `cff` (the table [`Charstrings::new`] read), and answers the others, for
    /// `subsetter`.
    pub(super) fn inline(&mut self, cff: &[u8], gids: &[u16]) -> Vec<u16> {
        let Some(programs) = &self.programs else {
            return gids.to_vec();
        };
        let mut rest = Vec::new();
        for &g in gids {
            let fd = self.fd_of.get(usize::from(g)).copied().unwrap_or(0);
            match (
                programs.inline(cff, g, fd),
                self.glyphs.get_mut(usize::from(g)),
            ) {
                (Some(program), Some(slot)) => *slot = Some(program.into()),
                _ => rest.push(g),
            }
        }
        rest
    }

    /// Keeps the charstrings of a `subsetter` subset (a bare CFF table) of the glyphs
    /// `gids`, in its order, and its skeleton if none is kept yet. `None` when it is not laid
    /// out as expected, the font dicts do not match, or the skeleton's widths are not the
    /// face's while charstrings are inlined (nothing is kept then).
    pub(super) fn learn(&mut self, cff: &[u8], gids: &[u16]) -> Option<()> {
        let (entries, top, _) = top_dict(cff)?;
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
            // Inlined charstrings keep their widths relative to the face's private dicts.
            if let Some(programs) = &self.programs {
                let private = private_dicts(cff, &entries)?;
                let kept = private.iter().map(|(p, _)| widths(p));
                if !kept.eq(programs.widths.get(..all)?.iter().copied()) {
                    return None;
                }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// An INDEX of `items` with 2-byte offsets.
    fn index_bytes(items: &[&[u8]]) -> Vec<u8> {
        let mut out = u16::try_from(items.len()).unwrap().to_be_bytes().to_vec();
        if items.is_empty() {
            return out;
        }
        out.push(2);
        let mut offset: u16 = 1;
        out.extend(offset.to_be_bytes());
        for item in items {
            offset += u16::try_from(item.len()).unwrap();
            out.extend(offset.to_be_bytes());
        }
        for item in items {
            out.extend_from_slice(item);
        }
        out
    }

    /// A table holding a Global Subrs and a local Subrs INDEX, and where they are.
    fn subrs(global: &[&[u8]], local: &[&[u8]]) -> (Vec<u8>, Index, Index) {
        let mut data = index_bytes(global);
        let global = Index::at(&data, 0).unwrap();
        data.extend(index_bytes(local));
        let local = Index::at(&data, global.end).unwrap();
        (data, global, local)
    }

    // Subroutine numbers are biased by -107 below 1240 subroutines: byte 32 (-107) calls
    // subroutine 0, byte 33 subroutine 1.

    #[test]
    fn subroutines_are_inlined_with_their_numbers_dropped_and_hint_masks_copied() {
        let (data, global, local) = subrs(
            &[
                &[144, 145, 5, 11], // 5 6 rlineto return
                &[32, 10, 11],      // callsubr 0 (local) return
                &[14],              // endchar
            ],
            &[&[28, 0, 7, 28, 0x01, 0x2c, 5, 11]], // 7 300 rlineto (3-byte integers) return
        );
        let glyph = [
            189, 149, 159, 1, // width 50, one hstem
            139, 144, 139, 144, 18, // two hstemhm
            140, 141, 19, 0xf0, // an implicit vstem, 4 stems: one mask byte
            140, 140, 21, // rmoveto
            32, 29, // callgsubr 0
            33, 29, // callgsubr 1, which calls local 0
            20, 0xa0, // cntrmask
            12, 35, // flex
            14, 139, 5, // endchar, and what follows is not drawn
        ];
        let want = [
            189, 149, 159, 1, 139, 144, 139, 144, 18, 140, 141, 19, 0xf0, 140, 140, 21, //
            144, 145, 5, // global 0
            146, 247, 192, 5, // local 0, its integers in their shortest forms
            20, 0xa0, 12, 35, 14,
        ];
        assert_eq!(
            inline(&data, &glyph, global, Some(local)),
            Some(want.to_vec())
        );
        // An endchar in a subroutine ends the glyph.
        let ends = [34, 29, 139, 139, 5];
        assert_eq!(inline(&data, &ends, global, None), Some(vec![14]));
    }

    #[test]
    fn a_mask_has_a_bit_per_stem() {
        let (data, global, local) = subrs(&[], &[]);
        // Nine stems: two mask bytes (a 0 read as an operator would be refused).
        let mut glyph = vec![139; 18];
        glyph.extend([18, 19, 0xff, 0x00, 139, 139, 21, 14]);
        assert_eq!(
            inline(&data, &glyph, global, Some(local)),
            Some(glyph.clone())
        );
        // Seven declared and two implicit vertical ones.
        let mut glyph = vec![139; 14];
        glyph.extend([18, 139, 139, 139, 139, 19, 0xff, 0x00, 139, 139, 21, 14]);
        assert_eq!(
            inline(&data, &glyph, global, Some(local)),
            Some(glyph.clone())
        );
        // Eight stems: one byte, then the next one is read as an operator.
        let mut glyph = vec![139; 16];
        glyph.extend([18, 19, 0xff, 0x00, 14]);
        assert!(inline(&data, &glyph, global, Some(local)).is_none());
    }

    #[test]
    fn malformed_or_unsupported_charstrings_are_not_inlined() {
        let big: Vec<u8> = [139, 139, 5].repeat(700).into_iter().chain([11]).collect();
        let (data, global, local) = subrs(&[&[144, 145, 5, 11], &[33, 29], &big[..]], &[&[32, 10]]);
        // 40 calls of a 2 KiB subroutine: 84 KiB.
        let calls_big = [34, 29].repeat(40);
        let cases: [(&str, &[u8]); 13] = [
            ("global subroutine out of range", &[139 + 100, 29, 14]),
            ("negative subroutine", &[251, 0, 29, 14]),
            ("global subroutine calling itself", &[33, 29, 14]),
            ("local subroutine calling itself", &[32, 10, 14]),
            ("call with no operand", &[29, 14]),
            ("16.16 subroutine number", &[255, 0, 0, 0, 0, 29, 14]),
            ("arithmetic", &[139, 139, 12, 10, 14]),
            ("reserved operator", &[139, 0, 14]),
            ("truncated number", &[139, 28, 0]),
            ("truncated hint mask", &[139, 139, 1, 19]),
            ("seac", &[139, 139, 139, 139, 14]),
            ("49 operands", &[139; 49]),
            ("grows past the cap", &calls_big),
        ];
        for (what, glyph) in cases {
            assert!(
                inline(&data, glyph, global, Some(local)).is_none(),
                "{what}"
            );
        }
        // No local subroutines.
        assert!(inline(&data, &[32, 10, 14], global, None).is_none());
        // The same charstrings that are well formed are inlined.
        assert!(inline(&data, &[32, 29, 14], global, Some(local)).is_some());
        assert!(inline(&data, &[139; 48], global, Some(local)).is_some());
        assert!(inline(&data, &[34, 29].repeat(20), global, Some(local)).is_some());
    }

    #[test]
    fn indexes_out_of_order_or_past_the_data_are_refused() {
        // count 2, offsets 1, 2, 3.
        let data = [0, 2, 1, 1, 2, 3, 7, 8];
        let index = Index::at(&data, 0).unwrap();
        assert_eq!(index.items(&data), Some(vec![6..7, 7..8]));
        assert_eq!(index.get(&data, 2), None);
        // Offsets 1, 3, 2: the first item ends past the INDEX, the second before it starts.
        let data = [0, 2, 1, 1, 3, 2, 7, 8];
        let index = Index::at(&data, 0).unwrap();
        assert_eq!(index.get(&data, 0), None);
        assert_eq!(index.get(&data, 1), None);
        // The last offset past the end, an offset size of 0, a header cut short.
        assert_eq!(Index::at(&[0, 1, 1, 1, 9, 7], 0), None);
        assert_eq!(Index::at(&[0, 1, 0, 1, 2, 7], 0), None);
        assert_eq!(Index::at(&[0, 1, 1], 0), None);
        assert_eq!(Index::at(&[0], 0), None);
        assert_eq!(
            Index::at(&[0, 0], 0).map(|i| (i.count, i.end)),
            Some((0, 2))
        );
    }
}
