//! Fonts for the native PDF: faces looked up by family name in a font database (`fontdb`:
//! the folders the caller names (an instance's settings), Jixiao's font cache and the
//! system's), read with
//! `ttf-parser` (character map, advances, metrics), and embedded as subsets made by
//! `subsetter` — TrueType (`glyf`) and CFF outlines alike, any face of a .ttc/.otc collection.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};

use super::cff::Charstrings;

/// A font file could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("字体文件 {file}：{message}")]
pub struct FontError {
    /// The file.
    pub file: String,
    /// What is wrong.
    pub message: String,
}

/// One face, parsed: what layout needs (glyphs, advances, metrics) and the file to subset.
#[derive(Debug, Clone)]
pub struct Font {
    /// The file it came from.
    pub file: String,
    /// The face's index in a collection (0 for a single font).
    pub index: u32,
    /// The family name it was found under (`FandolFang`, `AR PL UMing CN`).
    pub family: String,
    /// PostScript-safe base name (`FandolFang-Regular`).
    pub name: String,
    /// CFF outlines (an OpenType/CFF font) rather than TrueType ones.
    pub cff: bool,
    data: std::sync::Arc<Vec<u8>>,
    /// Design units per em.
    pub units_per_em: u16,
    /// Ascender in design units.
    pub ascent: i16,
    /// Descender (negative).
    pub descent: i16,
    /// Capital height in design units.
    pub cap_height: i16,
    /// Bounding box in design units.
    pub bbox: [i16; 4],
    advances: Vec<u16>,
    cmap: BTreeMap<u32, u16>,
    /// A CFF face's charstrings kept per glyph for later subsets (shared by the clones;
    /// `None` inside once the face turned out not to be laid out as expected).
    charstrings: Option<Arc<Mutex<Option<Charstrings>>>>,
}

impl Font {
    /// Parses face `index` of a font file (.ttf, .otf, .ttc, .otc).
    pub fn parse(file: &str, data: Vec<u8>, index: u32) -> Result<Font, FontError> {
        let err = |m: String| FontError {
            file: file.to_string(),
            message: m,
        };
        let face = ttf_parser::Face::parse(&data, index)
            .map_err(|e| err(format!("无法读取字体（第{}个字体）：{e}", index + 1)))?;
        let tables = face.tables();
        let cff = tables.cff.is_some();
        if !cff && tables.glyf.is_none() {
            return Err(err("既没有 TrueType 轮廓也没有 CFF 轮廓，无法嵌入".into()));
        }
        let mut cmap = BTreeMap::new();
        if let Some(c) = tables.cmap {
            for sub in c.subtables.into_iter().filter(|s| s.is_unicode()) {
                sub.codepoints(|cp| {
                    if let Some(g) = sub.glyph_index(cp).filter(|g| g.0 != 0) {
                        cmap.entry(cp).or_insert(g.0);
                    }
                });
            }
        }
        if cmap.is_empty() {
            return Err(err("没有可用的 Unicode 字符映射".into()));
        }
        let advances = (0..face.number_of_glyphs())
            .map(|g| face.glyph_hor_advance(ttf_parser::GlyphId(g)).unwrap_or(0))
            .collect();
        let english = |id: u16| {
            face.names()
                .into_iter()
                .filter(|n| n.name_id == id && n.is_unicode())
                .find_map(|n| n.to_string())
        };
        let family = english(ttf_parser::name_id::TYPOGRAPHIC_FAMILY)
            .or_else(|| english(ttf_parser::name_id::FAMILY))
            .unwrap_or_default();
        let name: String = english(ttf_parser::name_id::POST_SCRIPT_NAME)
            .unwrap_or_else(|| family.clone())
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect();
        let bbox = face.global_bounding_box();
        let charstrings = face
            .raw_face()
            .table(ttf_parser::Tag::from_bytes(b"CFF "))
            .and_then(Charstrings::new)
            .map(|c| Arc::new(Mutex::new(Some(c))));
        Ok(Font {
            file: file.to_string(),
            index,
            family,
            name: if name.is_empty() { "Font".into() } else { name },
            cff,
            units_per_em: face.units_per_em(),
            ascent: face.ascender(),
            descent: face.descender(),
            cap_height: face.capital_height().unwrap_or(face.ascender()),
            bbox: [bbox.x_min, bbox.y_min, bbox.x_max, bbox.y_max],
            advances,
            cmap,
            charstrings,
            data: std::sync::Arc::new(data),
        })
    }

    /// The glyph of a character, if the font has one.
    pub fn glyph(&self, c: char) -> Option<u16> {
        self.cmap.get(&(c as u32)).copied()
    }

    /// A glyph's advance width in design units.
    pub fn advance(&self, glyph: u16) -> u16 {
        self.advances.get(glyph as usize).copied().unwrap_or(0)
    }

    /// The font program to embed, holding only the glyphs `remapper` names, at their new
    /// ids: a TrueType file, or the bare CFF table of an OpenType/CFF face (CID-keyed, its
    /// CIDs the new glyph ids). A CFF face keeps every glyph's charstring once made: it
    /// inlines the subroutines of glyphs it has not seen before itself, runs `subsetter` only
    /// on those it cannot inline and once for the parts of the table that do not depend on
    /// the glyphs, and puts the table together from the kept charstrings ([`Charstrings`]).
    pub(super) fn subset(&self, remapper: &subsetter::GlyphRemapper) -> Result<Vec<u8>, FontError> {
        let Some(kept) = &self.charstrings else {
            return self.subset_whole(remapper);
        };
        let gids: Vec<u16> = remapper.remapped_gids().collect();
        let mut kept = kept.lock().unwrap_or_else(PoisonError::into_inner);
        let Some(charstrings) = kept.as_mut() else {
            return self.subset_whole(remapper);
        };
        let missing = charstrings.missing(&gids);
        let mut rest = match self.cff_table() {
            Some(table) if !missing.is_empty() => charstrings.inline(table, &missing),
            _ => missing,
        };
        rest.extend_from_slice(charstrings.skeleton_glyphs());
        if !rest.is_empty() {
            let learn = subsetter::GlyphRemapper::new_from_glyphs(&rest);
            let order: Vec<u16> = learn.remapped_gids().collect();
            let cff = self.subset_whole(&learn)?;
            if charstrings.learn(&cff, &order).is_none() {
                *kept = None;
                return self.subset_whole(remapper);
            }
        }
        match charstrings.subset(&gids) {
            Some(cff) => Ok(cff),
            None => self.subset_whole(remapper),
        }
    }

    /// The face's CFF table.
    fn cff_table(&self) -> Option<&[u8]> {
        ttf_parser::RawFace::parse(&self.data, self.index)
            .ok()?
            .table(ttf_parser::Tag::from_bytes(b"CFF "))
    }

    /// The font program made by `subsetter` alone.
    fn subset_whole(&self, remapper: &subsetter::GlyphRemapper) -> Result<Vec<u8>, FontError> {
        let err = |m: String| FontError {
            file: self.file.clone(),
            message: m,
        };
        let subset = subsetter::subset(&self.data, self.index, remapper)
            .map_err(|e| err(format!("无法生成字体子集：{e}")))?;
        if !self.cff {
            return Ok(subset);
        }
        let raw = ttf_parser::RawFace::parse(&subset, 0)
            .map_err(|e| err(format!("字体子集无法读取：{e}")))?;
        raw.table(ttf_parser::Tag::from_bytes(b"CFF "))
            .map(<[u8]>::to_vec)
            .ok_or_else(|| err("字体子集缺少 CFF 表".into()))
    }
}

/// What a face is used for: the document model's five faces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// 仿宋: official body text.
    FangSong,
    /// 宋体: forms, tables, page numbers.
    Song,
    /// 小标宋: official titles.
    XiaoBiaoSong,
    /// 黑体: first-level headings, attachment marks.
    Hei,
    /// 楷体: second-level headings.
    Kai,
}

impl Role {
    /// Every role, in the order faces are looked up.
    pub const ALL: [Role; 5] = [
        Role::Song,
        Role::FangSong,
        Role::XiaoBiaoSong,
        Role::Hei,
        Role::Kai,
    ];

    /// The role's name as users know it.
    pub fn name(self) -> &'static str {
        match self {
            Role::FangSong => "仿宋",
            Role::Song => "宋体",
            Role::XiaoBiaoSong => "小标宋",
            Role::Hei => "黑体",
            Role::Kai => "楷体",
        }
    }

    /// Family names tried in order: the faces Chinese offices have, then free ones (Debian's
    /// fonts-arphic-*, fonts-wqy-*, and the Fandol faces of texlive-lang-chinese).
    pub fn families(self) -> &'static [&'static str] {
        match self {
            Role::FangSong => &[
                "仿宋_GB2312",
                "FangSong_GB2312",
                "仿宋",
                "FangSong",
                "方正仿宋_GBK",
                "FZFangSong-Z02",
                "华文仿宋",
                "STFangsong",
                "FandolFang",
            ],
            Role::Song => &[
                "宋体",
                "SimSun",
                "华文宋体",
                "STSong",
                "Source Han Serif SC",
                "Noto Serif CJK SC",
                "FandolSong",
                "AR PL UMing CN",
                "AR PL SungtiL GB",
            ],
            Role::XiaoBiaoSong => &[
                "方正小标宋简体",
                "方正小标宋_GBK",
                "FZXiaoBiaoSong-B05S",
                "华文中宋",
                "STZhongsong",
                // A bold 宋 is the nearest free face to 小标宋.
                "FandolSong",
                "Source Han Serif SC",
                "Noto Serif CJK SC",
                "宋体",
                "SimSun",
                "AR PL UMing CN",
            ],
            Role::Hei => &[
                "黑体",
                "SimHei",
                "华文黑体",
                "STHeiti",
                "Source Han Sans SC",
                "Noto Sans CJK SC",
                "FandolHei",
                "WenQuanYi Zen Hei",
                "WenQuanYi Micro Hei",
            ],
            Role::Kai => &[
                "楷体_GB2312",
                "KaiTi_GB2312",
                "楷体",
                "KaiTi",
                "华文楷体",
                "STKaiti",
                "FandolKai",
                "AR PL UKai CN",
            ],
        }
    }

    /// Titles want a bold face (小标宋 is a heavy 宋); the rest the regular one.
    fn bold(self) -> bool {
        self == Role::XiaoBiaoSong
    }
}

/// Where Jixiao looks for fonts besides the system's: the folders in `extra` (an instance's
/// settings, first), then Jixiao's font cache (`$XDG_CACHE_HOME/jixiao/fonts` or
/// `~/.cache/jixiao/fonts`, where `scripts/fonts.sh` puts the Fandol faces).
pub fn font_dirs(extra: &[PathBuf]) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = extra.to_vec();
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")));
    if let Some(c) = cache {
        dirs.push(c.join("jixiao").join("fonts"));
    }
    dirs
}

/// The font database: the folders of [`font_dirs`] first, then the system's fonts.
pub fn database(extra: &[PathBuf]) -> fontdb::Database {
    let mut db = fontdb::Database::new();
    for dir in font_dirs(extra) {
        db.load_fonts_dir(dir);
    }
    db.load_system_fonts();
    db
}

/// The face for `role`: the first of its families the database has, as `(family, id)`. Within
/// a family the face of the wanted weight is taken — bold for titles, regular otherwise —
/// judged by the weight class and, since some fonts (Fandol) give every face the same class,
/// by the style in the PostScript name.
pub fn find(db: &fontdb::Database, role: Role) -> Option<(&'static str, fontdb::ID)> {
    let bold = |f: &fontdb::FaceInfo| {
        f.weight.0 >= 600
            || f.post_script_name.contains("Bold")
            || f.post_script_name.contains("Heavy")
    };
    role.families().iter().find_map(|&family| {
        db.faces()
            .filter(|f| f.families.iter().any(|(name, _)| name == family))
            .filter(|f| f.style == fontdb::Style::Normal)
            .min_by_key(|f| {
                (
                    bold(f) != role.bold(),
                    f.weight.0.abs_diff(if role.bold() { 700 } else { 400 }),
                    f.index,
                )
            })
            .map(|f| (family, f.id))
    })
}

/// Reads and parses the face `id` of the database.
pub fn load(db: &fontdb::Database, id: fontdb::ID, family: &str) -> Result<Font, FontError> {
    let file = match db.face_source(id) {
        Some((fontdb::Source::File(path), _)) => path.display().to_string(),
        _ => family.to_string(),
    };
    db.with_face_data(id, |data, index| {
        let mut font = Font::parse(&file, data.to_vec(), index)?;
        font.family = family.to_string();
        Ok(font)
    })
    .unwrap_or_else(|| {
        Err(FontError {
            file: file.clone(),
            message: "无法读取字体文件".into(),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn db() -> &'static fontdb::Database {
        static DB: std::sync::OnceLock<fontdb::Database> = std::sync::OnceLock::new();
        DB.get_or_init(|| database(&[]))
    }

    /// Skips outside CI when a face is missing; the test script installs them all.
    fn face(family: &str) -> Option<Font> {
        let found = db()
            .faces()
            .find(|f| f.families.iter().any(|(n, _)| n == family));
        if found.is_none() {
            assert!(std::env::var_os("CI").is_none(), "CI must have {family}");
        }
        found.map(|f| load(db(), f.id, family).unwrap())
    }

    #[test]
    fn any_face_of_a_collection_is_found_by_family_and_subset() {
        // AR PL UMing's .ttc holds four faces; the CN one is not the first.
        let Some(cn) = face("AR PL UMing CN") else {
            return;
        };
        let Some(tw) = face("AR PL UMing TW") else {
            return;
        };
        assert_eq!(cn.file, tw.file, "one .ttc");
        assert_ne!(cn.index, tw.index);
        assert!(!cn.cff);
        let mut remapper = subsetter::GlyphRemapper::new();
        let gid = cn.glyph('绩').unwrap();
        let new = remapper.remap(gid);
        let subset = cn.subset(&remapper).unwrap();
        let parsed = ttf_parser::Face::parse(&subset, 0).unwrap();
        assert!(
            parsed.number_of_glyphs() <= 8,
            "{}",
            parsed.number_of_glyphs()
        );
        assert_eq!(
            parsed.glyph_hor_advance(ttf_parser::GlyphId(new)),
            Some(cn.advance(gid))
        );
    }

    #[test]
    fn cff_faces_are_embedded_as_cff_subsets() {
        let Some(fang) = face("FandolFang") else {
            return;
        };
        assert!(fang.cff);
        assert_eq!(find(db(), Role::FangSong).map(|f| f.0), Some("FandolFang"));
        let mut remapper = subsetter::GlyphRemapper::new();
        for c in "部门整体支出绩效自评报告".chars() {
            remapper.remap(fang.glyph(c).unwrap());
        }
        let cff = fang.subset(&remapper).unwrap();
        // A bare CFF table (major version 1), a sliver of the 3 MB face.
        assert_eq!(cff[0], 1);
        assert!(cff.len() < 40_000, "{} bytes", cff.len());
    }

    /// A glyph's outline as text, to compare glyphs point by point.
    #[derive(Default)]
    struct Path(String);

    impl ttf_parser::OutlineBuilder for Path {
        fn move_to(&mut self, x: f32, y: f32) {
            self.0 += &format!("M{x},{y} ");
        }
        fn line_to(&mut self, x: f32, y: f32) {
            self.0 += &format!("L{x},{y} ");
        }
        fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
            self.0 += &format!("Q{x1},{y1},{x},{y} ");
        }
        fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
            self.0 += &format!("C{x1},{y1},{x2},{y2},{x},{y} ");
        }
        fn close(&mut self) {
            self.0 += "Z ";
        }
    }

    /// Every Chinese CFF face the machine has, by PostScript name: the Fandol faces
    /// (FandolFang, FandolSong Regular and Bold, FandolHei, FandolKai), which have no
    /// subroutines, and Noto Sans/Serif CJK SC when there, which have many font dicts and
    /// subroutines.
    fn chinese_cff_faces() -> Vec<Font> {
        let mut infos: Vec<&fontdb::FaceInfo> = db()
            .faces()
            .filter(|f| {
                let name = &f.post_script_name;
                name.starts_with("Fandol") || name.starts_with("NotoS") && name.contains("CJKsc")
            })
            .collect();
        infos.sort_by(|a, b| a.post_script_name.cmp(&b.post_script_name));
        infos.dedup_by(|a, b| a.post_script_name == b.post_script_name);
        if infos.is_empty() {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI must have the Fandol faces"
            );
        }
        infos
            .iter()
            .map(|f| load(db(), f.id, &f.post_script_name).unwrap())
            .collect()
    }

    /// Text of a report: the glyphs of a subset test.
    const REPORT_TEXT: &str = "部门整体支出绩效自评报告（2021年度）一、部门基本情况：\
        本部门主要职能是贯彻执行国家有关预算绩效管理的方针政策，组织开展项目支出、\
        部门整体支出绩效评价工作；年初预算数为1,234.56万元，全年执行数为1,040.70万元，\
        预算执行率84.3%，得分≥95分。二、绩效目标完成情况《评价报告》“产出指标”\
        ‘效益指标’【满意度】——数量、质量、时效、成本！？0123456789.,;:%()-+/";

    #[test]
    fn cff_subsets_put_together_from_kept_charstrings_draw_the_original_glyphs() {
        let faces = chinese_cff_faces();
        for font in &faces {
            let original = ttf_parser::Face::parse(&font.data, font.index).unwrap();
            // New glyphs, then some new and some kept, then only kept ones (in another
            // order), then many of each.
            for text in [
                "部门整体支出绩效",
                "绩效自评报告（2021年度）",
                "报告部门整体",
                REPORT_TEXT,
            ] {
                let mut remapper = subsetter::GlyphRemapper::new();
                for c in text.chars().filter(|c| !c.is_whitespace()) {
                    let glyph = font.glyph(c);
                    assert!(glyph.is_some(), "{} has no {c}", font.name);
                    remapper.remap(glyph.unwrap());
                }
                let cff = font.subset(&remapper).unwrap();
                let table = ttf_parser::cff::Table::parse(&cff).expect("a CFF table");
                assert_eq!(table.number_of_glyphs(), remapper.num_gids(), "{text}");
                for (new, old) in remapper.remapped_gids().enumerate().skip(1) {
                    let (mut got, mut want) = (Path::default(), Path::default());
                    let new = ttf_parser::GlyphId(u16::try_from(new).unwrap());
                    table.outline(new, &mut got).unwrap();
                    original.outline_glyph(ttf_parser::GlyphId(old), &mut want);
                    assert!(!want.0.is_empty());
                    assert_eq!(got.0, want.0, "glyph {old} of {} in {text}", font.name);
                }
            }
            // The subsets were put together from kept charstrings, not subsetter's whole
            // subsets, and those were inlined here.
            let kept = font.charstrings.as_ref().unwrap().lock().unwrap();
            let kept = kept.as_ref().expect("the face is laid out as expected");
            assert!(kept.inlines(), "{}: {kept:?}", font.name);
            assert!(kept.known() >= 100, "{}: {kept:?}", font.name);
            let gids: Vec<u16> = std::iter::once(0)
                .chain("报告部门整体".chars().map(|c| font.glyph(c).unwrap()))
                .collect();
            assert!(kept.missing(&gids).is_empty());
            assert!(kept.subset(&gids).is_some());
        }
    }

    /// Every OpenType/CFF face the machine has, once per PostScript name: the Fandol faces,
    /// which have no subroutines, and any other (Noto CJK, Latin Modern…) in
    /// Jixiao's font cache or the system's folders, which have.
    fn cff_faces() -> Vec<Font> {
        let mut infos: Vec<&fontdb::FaceInfo> = db().faces().collect();
        infos.sort_by(|a, b| a.post_script_name.cmp(&b.post_script_name));
        infos.dedup_by(|a, b| a.post_script_name == b.post_script_name);
        infos
            .iter()
            .filter_map(|f| load(db(), f.id, &f.post_script_name).ok())
            .filter(|f| f.cff)
            .collect()
    }

    #[test]
    fn inlined_charstrings_are_the_ones_subsetter_makes() {
        let faces = cff_faces();
        if faces.is_empty() {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI must have the Fandol faces"
            );
        }
        for font in faces {
            let table = font.cff_table().unwrap();
            let glyphs = ttf_parser::Face::parse(&font.data, font.index)
                .unwrap()
                .number_of_glyphs();
            // About 1500 glyphs spread over the face (every 7th of a Fandol face), and the
            // text's.
            let step = usize::from(glyphs / 1500).max(1);
            let mut inlined = Charstrings::new(table).unwrap();
            // With a glyph of every font dict, so that `learn` takes `subsetter`'s subset.
            let sample: Vec<u16> = (1..glyphs)
                .step_by(step)
                .chain(REPORT_TEXT.chars().filter_map(|c| font.glyph(c)))
                .chain(inlined.skeleton_glyphs().iter().copied())
                .collect();
            assert!(inlined.inlines(), "{}", font.name);
            let rest = inlined.inline(table, &sample);
            assert!(rest.is_empty(), "{} could not inline {rest:?}", font.name);
            let remapper = subsetter::GlyphRemapper::new_from_glyphs(&sample);
            let order: Vec<u16> = remapper.remapped_gids().collect();
            let mut learned = Charstrings::new(table).unwrap();
            let whole = font.subset_whole(&remapper).unwrap();
            learned.learn(&whole, &order).unwrap();
            for g in &sample {
                let (got, want) = (inlined.charstring(*g), learned.charstring(*g));
                assert!(want.is_some_and(|w| !w.is_empty()));
                assert_eq!(got, want, "glyph {g} of {}", font.name);
            }
        }
    }

    #[test]
    fn titles_take_the_bold_face_of_a_family() {
        let Some(_) = face("FandolSong") else { return };
        let (family, id) = find(db(), Role::XiaoBiaoSong).unwrap();
        if family == "FandolSong" {
            let info = db().face(id).unwrap();
            assert!(
                info.post_script_name.contains("Bold"),
                "{}",
                info.post_script_name
            );
        }
        let (_, song) = find(db(), Role::Song).unwrap();
        assert!(!db().face(song).unwrap().post_script_name.contains("Bold"));
    }
}
