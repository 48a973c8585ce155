//! A page image in gray: decoded (PNG, JPEG, or the PGM the rasteriser writes) within the
//! pixel limit, its skew estimated from its dark pixels and straightened, its ruling lines
//! found as runs of dark pixels and then erased, so that the recognizer reads only the words.

use crate::rebuild::Rule;

/// A gray page image, one byte per pixel (0 black, 255 white), row-major.
#[derive(Debug, Clone)]
pub struct PageImage {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// The pixels.
    pub pixels: Vec<u8>,
}

/// Darker than this is ink.
const INK: u8 = 160;

/// Why a page image could not be decoded, in Chinese.
pub type DecodeError = String;

impl PageImage {
    fn at(&self, x: u32, y: u32) -> u8 {
        self.pixels[(y as usize) * (self.width as usize) + x as usize]
    }

    /// Decodes a PNG or JPEG file, refusing one of more than `max_pixels` before decoding.
    pub fn decode(bytes: &[u8], max_pixels: u64) -> Result<PageImage, DecodeError> {
        use image::ImageDecoder;
        let reader = image::ImageReader::new(std::io::Cursor::new(bytes))
            .with_guessed_format()
            .map_err(|e| format!("无法识别图片格式（{e}）"))?;
        let mut limits = image::Limits::default();
        limits.max_alloc = Some(max_pixels.saturating_mul(8).saturating_add(1 << 20));
        let mut reader = reader;
        reader.limits(limits);
        let decoder = reader
            .into_decoder()
            .map_err(|e| format!("图片无法解码（{e}）"))?;
        let (w, h) = decoder.dimensions();
        if u64::from(w) * u64::from(h) > max_pixels {
            return Err(format!("图片过大（{w}×{h} 像素，上限 {max_pixels} 像素）"));
        }
        let img = image::DynamicImage::from_decoder(decoder)
            .map_err(|e| format!("图片无法解码（{e}）"))?
            .into_luma8();
        Ok(PageImage {
            width: img.width(),
            height: img.height(),
            pixels: img.into_raw(),
        })
    }

    /// Reads a binary PGM (P5, 8 bits) as pdftoppm writes it.
    pub fn from_pgm(bytes: &[u8], max_pixels: u64) -> Result<PageImage, DecodeError> {
        let bad = || "页面图像格式异常".to_string();
        let mut fields: Vec<u64> = Vec::new();
        let mut i = 2;
        if !bytes.starts_with(b"P5") {
            return Err(bad());
        }
        while fields.len() < 3 {
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            if i < bytes.len() && bytes[i] == b'#' {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            let n: u64 = std::str::from_utf8(&bytes[start..i])
                .ok()
                .and_then(|s| s.parse().ok())
                .ok_or_else(bad)?;
            fields.push(n);
        }
        let (w, h, max) = (fields[0], fields[1], fields[2]);
        if max != 255 || w == 0 || h == 0 {
            return Err(bad());
        }
        if w * h > max_pixels {
            return Err(format!(
                "页面图像过大（{w}×{h} 像素，上限 {max_pixels} 像素）"
            ));
        }
        let data = bytes.get(i + 1..).ok_or_else(bad)?;
        let n = (w * h) as usize;
        if data.len() < n {
            return Err(bad());
        }
        Ok(PageImage {
            width: w as u32,
            height: h as u32,
            pixels: data[..n].to_vec(),
        })
    }

    /// The image enlarged `factor` times (bilinear): tesseract reads Chinese best at about
    /// 300 dpi, and a 150 dpi scan enlarged reads markedly better than as it is.
    pub fn enlarged(&self, factor: u32) -> PageImage {
        if factor <= 1 {
            return self.clone();
        }
        let Some(gray) = image::GrayImage::from_raw(self.width, self.height, self.pixels.clone())
        else {
            return self.clone();
        };
        let big = image::imageops::resize(
            &gray,
            self.width * factor,
            self.height * factor,
            image::imageops::FilterType::Triangle,
        );
        PageImage {
            width: big.width(),
            height: big.height(),
            pixels: big.into_raw(),
        }
    }

    /// The image as a binary PGM, which tesseract reads.
    pub fn to_pgm(&self) -> Vec<u8> {
        let mut out = format!("P5\n{} {}\n255\n", self.width, self.height).into_bytes();
        out.extend_from_slice(&self.pixels);
        out
    }

    /// The skew in degrees (positive: lines descend to the right) within ±`max_degrees`,
    /// found as the shear that makes the rows of ink sharpest (the projection profile).
    pub fn skew(&self, max_degrees: f32) -> f32 {
        // Every second ink pixel of every second row is plenty for the profile.
        let mut ink: Vec<(i32, i32)> = Vec::new();
        for y in (0..self.height).step_by(2) {
            for x in (0..self.width).step_by(2) {
                if self.at(x, y) < INK {
                    ink.push((x as i32, y as i32));
                }
            }
        }
        if ink.len() < 100 {
            return 0.0;
        }
        let cx = self.width as f32 / 2.0;
        let rows = self.height as usize + self.width as usize;
        let mut profile = vec![0u32; rows];
        let mut sharpness = |degrees: f32| -> u64 {
            profile.iter_mut().for_each(|p| *p = 0);
            let t = degrees.to_radians().tan();
            let offset = (self.width as f32 * max_degrees.to_radians().tan()) as i32 + 1;
            for &(x, y) in &ink {
                let yy = y as f32 - (x as f32 - cx) * t;
                // Bins two pixels high, as the rows sampled are two apart: single-pixel bins
                // would make the unsheared profile (every other bin empty) look sharpest.
                let bin = ((yy as i32 + offset) / 2).clamp(0, rows as i32 - 1) as usize;
                profile[bin] += 1;
            }
            profile.iter().map(|&p| u64::from(p) * u64::from(p)).sum()
        };
        let mut best = (0.0f32, sharpness(0.0));
        let steps = (max_degrees / 0.1).round() as i32;
        for i in -steps..=steps {
            let d = i as f32 * 0.1;
            let s = sharpness(d);
            if s > best.1 {
                best = (d, s);
            }
        }
        let coarse = best.0;
        for i in -5..=5 {
            let d = coarse + i as f32 * 0.02;
            let s = sharpness(d);
            if s > best.1 {
                best = (d, s);
            }
        }
        best.0
    }

    /// The image turned by `-degrees` about its centre, so that a skew of `degrees` is
    /// straightened (nearest pixel; what comes in from outside is white).
    pub fn straightened(&self, degrees: f32) -> PageImage {
        if degrees.abs() < 0.05 {
            return self.clone();
        }
        let (sin, cos) = degrees.to_radians().sin_cos();
        let (cx, cy) = (self.width as f32 / 2.0, self.height as f32 / 2.0);
        let mut pixels = vec![255u8; self.pixels.len()];
        for y in 0..self.height {
            let dy = y as f32 - cy;
            for x in 0..self.width {
                let dx = x as f32 - cx;
                let sx = cx + dx * cos - dy * sin;
                let sy = cy + dx * sin + dy * cos;
                if sx >= 0.0 && sy >= 0.0 {
                    let (sx, sy) = (sx.round() as u32, sy.round() as u32);
                    if sx < self.width && sy < self.height {
                        pixels[(y * self.width + x) as usize] = self.at(sx, sy);
                    }
                }
            }
        }
        PageImage {
            width: self.width,
            height: self.height,
            pixels,
        }
    }

    /// The ruling lines: runs of ink at least `min_len` pixels long (gaps of up to two pixels
    /// bridged, at least 85% ink), runs on neighbouring rows or columns joined into one rule.
    pub fn rules(&self, min_len: u32) -> Vec<Rule> {
        let mut out = self.rules_one_way(true, min_len);
        out.extend(self.rules_one_way(false, min_len));
        out
    }

    fn rules_one_way(&self, horizontal: bool, min_len: u32) -> Vec<Rule> {
        let (lines, along) = if horizontal {
            (self.height, self.width)
        } else {
            (self.width, self.height)
        };
        let ink = |line: u32, pos: u32| {
            if horizontal {
                self.at(pos, line) < INK
            } else {
                self.at(line, pos) < INK
            }
        };
        // Open rules: (first line, last line, from, to).
        let mut open: Vec<(u32, u32, u32, u32)> = Vec::new();
        let mut done: Vec<Rule> = Vec::new();
        let close = |r: (u32, u32, u32, u32), done: &mut Vec<Rule>| {
            // Thicker than a twentieth of an inch at 150 dpi is a filled area, not a rule.
            if r.1 - r.0 <= 8 {
                done.push(Rule {
                    horizontal,
                    at: (r.0 + r.1) / 2,
                    from: r.2,
                    to: r.3,
                });
            }
        };
        for line in 0..lines {
            let mut runs: Vec<(u32, u32)> = Vec::new();
            let mut pos = 0;
            while pos < along {
                if !ink(line, pos) {
                    pos += 1;
                    continue;
                }
                let start = pos;
                let (mut end, mut count, mut gap) = (pos, 0u32, 0u32);
                while pos < along {
                    if ink(line, pos) {
                        end = pos;
                        count += 1;
                        gap = 0;
                    } else {
                        gap += 1;
                        if gap > 2 {
                            break;
                        }
                    }
                    pos += 1;
                }
                let len = end - start + 1;
                // Half the length will do for a piece: a rule turned by the scanner and back
                // steps by a pixel every so often, and its pieces are joined below.
                if len >= min_len / 2 && count * 100 >= len * 85 {
                    runs.push((start, end));
                }
            }
            let mut still: Vec<(u32, u32, u32, u32)> = Vec::new();
            for r in open.drain(..) {
                let joined = runs
                    .iter()
                    .position(|&(a, b)| a <= r.3 + 2 && r.2 <= b + 2 && r.1 + 2 >= line);
                match joined {
                    Some(i) => {
                        let (a, b) = runs.remove(i);
                        still.push((r.0, line, r.2.min(a), r.3.max(b)));
                    }
                    None if r.1 + 2 >= line => still.push(r),
                    None => close(r, &mut done),
                }
            }
            still.extend(runs.into_iter().map(|(a, b)| (line, line, a, b)));
            open = still;
        }
        for r in open {
            close(r, &mut done);
        }
        // Pieces of one rule that step by a pixel or two are joined; what is still shorter
        // than `min_len` is a stroke of a character.
        done.sort_by_key(|r| (r.from, r.at));
        let mut joined: Vec<Rule> = Vec::new();
        for r in done {
            match joined
                .iter_mut()
                .rev()
                .find(|o| o.at.abs_diff(r.at) <= 2 && r.from <= o.to + 3 && o.from <= r.to + 3)
            {
                Some(o) => {
                    o.from = o.from.min(r.from);
                    o.to = o.to.max(r.to);
                }
                None => joined.push(r),
            }
        }
        joined.retain(|r| r.to - r.from + 1 >= min_len);
        joined
    }

    /// The part of the image inside `bbox` (`[left, top, right, bottom)`, clipped to the image),
    /// framed by `pad` white pixels on every side: a table cell as the recognizer reads it.
    pub fn crop(&self, bbox: [u32; 4], pad: u32) -> PageImage {
        let [l, t, r, b] = clipped(bbox, self.width, self.height);
        let (w, h) = (r - l + 2 * pad, b - t + 2 * pad);
        let mut pixels = vec![255u8; (w as usize) * (h as usize)];
        for y in t..b {
            let from = (y as usize) * (self.width as usize);
            let to = ((y - t + pad) as usize) * (w as usize) + pad as usize;
            pixels[to..to + (r - l) as usize]
                .copy_from_slice(&self.pixels[from + l as usize..from + r as usize]);
        }
        PageImage {
            width: w,
            height: h,
            pixels,
        }
    }

    /// The inside of a table cell whose ruling lines run along the edges of `bbox`: each edge
    /// moved inwards past the rows (or columns) that are mostly ink near it, and past their
    /// blurred halo, so that the cell can be read from the image with its rules still drawn
    /// (erasing them would take the strokes of characters that touch them too).
    pub fn inside_rules(&self, bbox: [u32; 4]) -> [u32; 4] {
        const OUT: u32 = 4;
        const IN: u32 = 6;
        let [l, t, r, b] = clipped(bbox, self.width, self.height);
        if r <= l + 2 * IN || b <= t + 2 * IN {
            return [l, t, r, b];
        }
        let row_ink =
            |y: u32| (l..r).filter(|&x| self.at(x, y) < INK).count() * 2 >= (r - l) as usize;
        let col_ink =
            |x: u32| (t..b).filter(|&y| self.at(x, y) < INK).count() * 2 >= (b - t) as usize;
        let top = (t.saturating_sub(OUT)..(t + IN).min(self.height))
            .rev()
            .find(|&y| row_ink(y))
            .map_or(t + 1, |y| y + 2);
        let bottom = ((b.saturating_sub(IN))..(b + OUT).min(self.height))
            .find(|&y| row_ink(y))
            .map_or(b.saturating_sub(1), |y| y.saturating_sub(1));
        let left = (l.saturating_sub(OUT)..(l + IN).min(self.width))
            .rev()
            .find(|&x| col_ink(x))
            .map_or(l + 1, |x| x + 2);
        let right = ((r.saturating_sub(IN))..(r + OUT).min(self.width))
            .find(|&x| col_ink(x))
            .map_or(r.saturating_sub(1), |x| x.saturating_sub(1));
        if left >= right || top >= bottom {
            return [l, t, r, b];
        }
        [left, top, right, bottom]
    }

    /// How many ink pixels lie inside `bbox`.
    pub fn ink(&self, bbox: [u32; 4]) -> usize {
        let [l, t, r, b] = clipped(bbox, self.width, self.height);
        (t..b)
            .map(|y| (l..r).filter(|&x| self.at(x, y) < INK).count())
            .sum()
    }

    /// Paints `bbox` white (a table read cell by cell is left out of the page's own reading).
    pub fn whiten(&mut self, bbox: [u32; 4]) {
        let [l, t, r, b] = clipped(bbox, self.width, self.height);
        for y in t..b {
            let from = (y as usize) * (self.width as usize);
            self.pixels[from + l as usize..from + r as usize].fill(255);
        }
    }

    /// Paints the rules white, and only them: at each point along a rule its darkest pixel
    /// within five pixels of the rule's line is its middle (a scanned rule is not quite
    /// straight), and the dark pixels next to it are erased up to the rule's own thickness
    /// and its blurred edge, so that characters written close to a rule keep their strokes.
    pub fn erase(&mut self, rules: &[Rule]) {
        const SEARCH: u32 = 5;
        const HALF: u32 = 3;
        let (w, h) = (self.width, self.height);
        for r in rules {
            let lo = r.at.saturating_sub(SEARCH);
            let (limit, length) = if r.horizontal { (h, w) } else { (w, h) };
            if limit == 0 {
                continue;
            }
            let hi = r.at.saturating_add(SEARCH).min(limit - 1);
            for along in r.from..=r.to {
                if along >= length {
                    break;
                }
                let index = |across: u32| {
                    let (x, y) = if r.horizontal {
                        (along, across)
                    } else {
                        (across, along)
                    };
                    (y * w + x) as usize
                };
                let Some(middle) =
                    (lo..=hi).min_by_key(|&a| (self.pixels[index(a)], a.abs_diff(r.at)))
                else {
                    continue;
                };
                if self.pixels[index(middle)] >= INK {
                    continue;
                }
                // Outwards from the middle while the pixels stay darker than paper.
                let (floor, ceiling) =
                    (middle.saturating_sub(HALF).max(lo), (middle + HALF).min(hi));
                let mut down = middle;
                while down > floor && self.pixels[index(down - 1)] < 235 {
                    down -= 1;
                }
                let mut up = middle;
                while up < ceiling && self.pixels[index(up + 1)] < 235 {
                    up += 1;
                }
                // One more pixel either side: the rule's pale halo.
                for across in down.saturating_sub(1)..=(up + 1).min(limit - 1) {
                    let i = index(across);
                    self.pixels[i] = 255;
                }
            }
        }
    }
}

/// `bbox` clipped to a `width`×`height` image, never inverted.
fn clipped([l, t, r, b]: [u32; 4], width: u32, height: u32) -> [u32; 4] {
    let (r, b) = (r.min(width), b.min(height));
    [l.min(r), t.min(b), r, b]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blank(w: u32, h: u32) -> PageImage {
        PageImage {
            width: w,
            height: h,
            pixels: vec![255; (w * h) as usize],
        }
    }

    #[test]
    fn rules_are_found_and_skew_is_measured() {
        let mut img = blank(400, 300);
        // A box with a middle column, drawn two pixels thick (a rule at 150 dpi) with a slope
        // of 1 pixel in 100 (0.57°).
        for x in 50..350u32 {
            for y0 in [50u32, 250] {
                let y = y0 + x / 100;
                for t in 0..2 {
                    img.pixels[((y + t) * 400 + x) as usize] = 0;
                }
            }
        }
        for y in 50..250u32 {
            for x0 in [50u32, 200, 349] {
                let x = x0 - y / 100;
                for t in 0..2 {
                    img.pixels[(y * 400 + x - t) as usize] = 0;
                }
            }
        }
        let skew = img.skew(3.0);
        assert!((skew - 0.57).abs() < 0.1, "{skew}");
        let straight = img.straightened(skew);
        let rules = straight.rules(60);
        assert_eq!(
            rules.iter().filter(|r| r.horizontal).count(),
            2,
            "{skew} {rules:?}"
        );
        assert_eq!(
            rules.iter().filter(|r| !r.horizontal).count(),
            3,
            "{rules:?}"
        );
    }

    #[test]
    fn an_image_larger_than_the_limit_is_refused_before_it_is_decoded() {
        let mut png = Vec::new();
        image::GrayImage::from_pixel(40, 30, image::Luma([255u8]))
            .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        let err = PageImage::decode(&png, 1_000).unwrap_err();
        assert!(
            err.contains("图片过大（40×30 像素，上限 1000 像素）"),
            "{err}"
        );
        assert_eq!(PageImage::decode(&png, 1_200).unwrap().width, 40);
        assert!(PageImage::decode(b"\x89PNG\r\n\x1a\nbroken", 1_000).is_err());
    }

    #[test]
    fn pgm_round_trips_and_bad_headers_are_errors() {
        let img = blank(3, 2);
        let back = PageImage::from_pgm(&img.to_pgm(), 100).unwrap();
        assert_eq!((back.width, back.height), (3, 2));
        assert!(PageImage::from_pgm(b"P5\n3 2\n255\n", 100).is_err());
        assert!(PageImage::from_pgm(&img.to_pgm(), 5).is_err());
        assert!(PageImage::from_pgm(b"garbage", 100).is_err());
    }
}
