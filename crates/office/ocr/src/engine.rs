//! The external programs: tesseract (words with boxes and confidences, as TSV) and poppler's
//! pdfinfo and pdftoppm (a PDF's pages as gray images), each run in a private temporary folder
//! and killed when it takes longer than its limit.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use jixiao_grid::ErrorKind;

use crate::rebuild::Word;

/// The language asked of tesseract: simplified Chinese, which reads digits, % and the Latin
/// letters of project codes too; adding English turns pale Chinese into Latin gibberish.
const LANGUAGES: &str = "chi_sim";

/// Page segmentation: one uniform block of text (tesseract's `--psm 6`). Once the rules are
/// erased a table reads as rows of words; the column-finding modes (3, 4) drop whole rows of
/// a narrow table.
const PAGE_SEGMENTATION: &str = "6";

fn failed(reason: String) -> ErrorKind {
    ErrorKind::OcrFailed { reason }
}

/// Runs `command` with a time limit; its stdout, or the error to report.
fn run(mut command: Command, timeout: Duration, what: &str) -> Result<Vec<u8>, RunError> {
    let dir = tempfile::Builder::new()
        .prefix("jixiao-ocr-out-")
        .tempdir()
        .map_err(|e| RunError::Io(jixiao_grid::io_reason(&e)))?;
    let out_path = dir.path().join("stdout");
    let err_path = dir.path().join("stderr");
    let out =
        std::fs::File::create(&out_path).map_err(|e| RunError::Io(jixiao_grid::io_reason(&e)))?;
    let err =
        std::fs::File::create(&err_path).map_err(|e| RunError::Io(jixiao_grid::io_reason(&e)))?;
    let mut child = command
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(err)
        .spawn()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => RunError::Missing,
            _ => RunError::Io(jixiao_grid::io_reason(&e)),
        })?;
    let start = std::time::Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) => {}
            Err(e) => return Err(RunError::Io(jixiao_grid::io_reason(&e))),
        }
        if start.elapsed() >= timeout {
            // Already gone between the two calls is fine; it is reaped either way.
            let _ = child.kill();
            let _ = child.wait();
            return Err(RunError::Failed(format!(
                "{what}超过{}秒未完成，已终止",
                timeout.as_secs()
            )));
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let stderr = std::fs::read_to_string(&err_path).unwrap_or_default();
    if !status.success() {
        return Err(RunError::Failed(format!(
            "{what}失败（退出状态 {}）{}",
            status.code().map_or("—".into(), |c| c.to_string()),
            stderr
                .lines()
                .rfind(|l| !l.trim().is_empty())
                .map(|l| format!("：{l}"))
                .unwrap_or_default()
        )));
    }
    if stderr.contains("Failed loading language") {
        return Err(RunError::Missing);
    }
    std::fs::read(&out_path).map_err(|e| RunError::Io(jixiao_grid::io_reason(&e)))
}

/// Why a program did not give its output.
#[derive(Debug)]
enum RunError {
    /// Not installed (or, for tesseract, its language data is missing).
    Missing,
    /// Reading or writing the temporary files failed.
    Io(String),
    /// It failed or ran out of time; the reason in Chinese.
    Failed(String),
}

impl RunError {
    fn into_kind(self, missing: ErrorKind) -> ErrorKind {
        match self {
            RunError::Missing => missing,
            RunError::Io(reason) => ErrorKind::Io { reason },
            RunError::Failed(reason) => failed(reason),
        }
    }
}

/// The words tesseract recognizes in the gray image at `image` (a PGM, or a list of image
/// paths one per line), with their boxes and confidences and the index of their image.
fn recognize(
    image: &Path,
    dpi: u32,
    timeout: Duration,
    page: usize,
) -> Result<Vec<(usize, Word)>, ErrorKind> {
    let mut command = Command::new("tesseract");
    command
        .arg(image)
        .arg("stdout")
        .args(["-l", LANGUAGES, "--psm", PAGE_SEGMENTATION, "--dpi"])
        .arg(dpi.to_string())
        .arg("tsv")
        // One thread per page: pages are recognized side by side instead.
        .env("OMP_THREAD_LIMIT", "1");
    let out = run(command, timeout, &format!("第{page}页文字识别")).map_err(|e| {
        if let RunError::Failed(reason) = &e
            && reason.contains("chi_sim")
        {
            return ErrorKind::NeedsOcr;
        }
        e.into_kind(ErrorKind::NeedsOcr)
    })?;
    Ok(parse_tsv(&String::from_utf8_lossy(&out)))
}

/// The words tesseract recognizes in each of the gray images at `images` (PGMs), read in one
/// run (the language model is loaded once): the words of image `i` are at index `i`.
pub fn recognize_each(
    images: &[std::path::PathBuf],
    dpi: u32,
    timeout: Duration,
    page: usize,
) -> Result<Vec<Vec<Word>>, ErrorKind> {
    let Some(first) = images.first() else {
        return Ok(Vec::new());
    };
    let list = first.with_file_name(format!("page{page}-images.txt"));
    let mut listing = String::new();
    for image in images {
        listing.push_str(&image.to_string_lossy());
        listing.push('\n');
    }
    std::fs::write(&list, listing).map_err(|e| ErrorKind::Io {
        reason: jixiao_grid::io_reason(&e),
    })?;
    let words = recognize(&list, dpi, timeout, page);
    let _ = std::fs::remove_file(&list);
    let mut out = vec![Vec::new(); images.len()];
    for (image, word) in words? {
        if let Some(slot) = out.get_mut(image) {
            slot.push(word);
        }
    }
    Ok(out)
}

/// Words of tesseract's TSV output (level 5 rows with text), each with the 0-based index of
/// the image it was read from.
pub fn parse_tsv(tsv: &str) -> Vec<(usize, Word)> {
    tsv.lines()
        .skip(1)
        .filter_map(|line| {
            let f: Vec<&str> = line.split('\t').collect();
            if f.len() < 12 || f[0] != "5" {
                return None;
            }
            let n = |i: usize| f[i].trim().parse::<u32>().ok();
            let text = f[11..].join("\t").trim().to_string();
            if text.is_empty() {
                return None;
            }
            let image = n(1)?.checked_sub(1)? as usize;
            Some((
                image,
                Word {
                    text,
                    left: n(6)?,
                    top: n(7)?,
                    width: n(8)?,
                    height: n(9)?,
                    confidence: f[10].trim().parse::<f32>().ok()?,
                    line: (n(2)?, n(3)?, n(4)?),
                },
            ))
        })
        .collect()
}

/// A PDF page's size in points, from pdfinfo.
pub fn page_sizes(
    pdf: &Path,
    max_pages: usize,
    timeout: Duration,
) -> Result<Vec<(f32, f32)>, ErrorKind> {
    let mut command = Command::new("pdfinfo");
    command
        .args(["-f", "1", "-l"])
        .arg(max_pages.to_string())
        .arg(pdf);
    let out =
        run(command, timeout, "读取 PDF 页面信息").map_err(|e| e.into_kind(ErrorKind::NeedsOcr))?;
    let text = String::from_utf8_lossy(&out);
    let sizes = text
        .lines()
        .filter(|l| l.starts_with("Page") && l.contains("size:"))
        .filter_map(|l| {
            let rest = l.split("size:").nth(1)?;
            let mut it = rest.split_whitespace();
            let w: f32 = it.next()?.parse().ok()?;
            it.next()?;
            let h: f32 = it.next()?.parse().ok()?;
            Some((w, h))
        })
        .collect();
    Ok(sizes)
}

/// Page `page` (1-based) of the PDF at `pdf`, rasterised in gray at `dpi` into `out_prefix`
/// (pdftoppm writes `out_prefix-N.pgm`); the path written.
pub fn rasterize(
    pdf: &Path,
    page: usize,
    dpi: u32,
    out_dir: &Path,
    timeout: Duration,
) -> Result<std::path::PathBuf, ErrorKind> {
    let prefix = out_dir.join(format!("page{page}"));
    let mut command = Command::new("pdftoppm");
    command
        .args(["-r", &dpi.to_string(), "-gray", "-singlefile", "-f"])
        .arg(page.to_string())
        .arg("-l")
        .arg(page.to_string())
        .arg(pdf)
        .arg(&prefix);
    run(command, timeout, &format!("第{page}页转为图像"))
        .map_err(|e| e.into_kind(ErrorKind::NeedsOcr))?;
    Ok(prefix.with_extension("pgm"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tsv_words_are_read_and_other_levels_skipped() {
        let tsv = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n\
                   1\t1\t0\t0\t0\t0\t0\t0\t1240\t1754\t-1\t\n\
                   5\t1\t2\t1\t3\t1\t100\t200\t40\t20\t91.5\t项目名称\n\
                   5\t1\t2\t1\t3\t2\t150\t200\t40\t20\t95\t \n\
                   5\t1\t2\t1\tx\t2\t150\t200\t40\t20\t95\t99\n";
        let words = parse_tsv(tsv);
        assert_eq!(words.len(), 1);
        let (image, word) = &words[0];
        assert_eq!(*image, 0);
        assert_eq!(word.text, "项目名称");
        assert_eq!(word.line, (2, 1, 3));
        assert_eq!(word.confidence, 91.5);
    }
}
