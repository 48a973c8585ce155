//! Narrative reports: a title paragraph with 自评报告 (or a monitoring report's 绩效监控…报告),
//! sections by their official numbering (一、 and （一）) or heading styles, up to the attached
//! forms. A monitoring report keeps its kind, so it is never taken for a self-evaluation.

use jixiao_core::form::Form;
use jixiao_core::form::report::{Report, ReportKind, Section, heading_level};

use super::report_funds;
use super::{Found, Line, LineCell, Trail, key, label, preceding_titles};

/// The labels of a web page's metadata block (政府信息公开 pages print one above the text).
const PAGE_METADATA: [&str; 15] = [
    "标题",
    "索引号",
    "发文字号",
    "文号",
    "发文机构",
    "发布机构",
    "信息分类",
    "主题分类",
    "概述",
    "摘要",
    "成文日期",
    "公开日期",
    "发布日期",
    "废止日期",
    "有效性",
];

/// The value of a metadata cell (`标题:…` → `…`), or `None` for any other cell.
fn metadata_value(key: &str) -> Option<&str> {
    PAGE_METADATA.iter().find_map(|l| {
        key.strip_prefix(l)
            .and_then(|rest| rest.strip_prefix([':', '：']))
    })
}

/// A page's metadata table opening the document at line `i`, whose 标题 cell names a report:
/// the report has no title paragraph of its own, so the metadata gives it. Returns that cell
/// and the line after the table.
fn metadata_title<'a>(lines: &'a [Line], i: usize, used: &[bool]) -> Option<(&'a LineCell, usize)> {
    // Cheapest first: this runs on every line no other recognizer took.
    let table = lines[i].table?;
    if i > 0 && lines[i - 1].table == Some(table) {
        return None;
    }
    let end = (i..lines.len())
        .find(|&j| lines[j].table != Some(table))
        .unwrap_or(lines.len());
    let all_metadata = lines[i..end]
        .iter()
        .all(|l| l.filled().all(|c| metadata_value(&c.key).is_some()));
    if !all_metadata
        || lines[..i]
            .iter()
            .zip(used)
            .any(|(l, u)| *u || !l.is_empty())
    {
        return None;
    }
    let title = lines[i..end].iter().flat_map(|l| l.filled()).find(|c| {
        c.key.starts_with("标题")
            && metadata_value(&c.key).is_some_and(|v| is_report_title(v) && v.chars().count() <= 60)
    })?;
    Some((title, end))
}

fn is_date(text: &str) -> bool {
    let k = key(text);
    let digits = k.chars().take_while(char::is_ascii_digit).count();
    digits == 4
        && k.contains('年')
        && k.contains('月')
        && k.ends_with('日')
        && k.chars().count() <= 11
}

/// The title of a report that prints none: its signing unit, the first year its text names
/// (`2022年`), and its kind (`某某局2022年度绩效自评报告`); the kind's name alone when neither
/// is known. A report's title is never empty.
fn fallback_title(report: &Report) -> String {
    let unit = report.unit.as_deref().map(key).unwrap_or_default();
    let year = report
        .sections
        .iter()
        .flat_map(|s| std::iter::once(&s.heading).chain(&s.paragraphs))
        .find_map(|t| first_year(t));
    match year {
        Some(year) => format!("{unit}{year}年度{}", report.kind.title()),
        None => format!("{unit}{}", report.kind.title()),
    }
}

/// The first year a text names: four digits from 2000 to 2099 followed by 年 (`2022年度`).
fn first_year(text: &str) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    chars.windows(5).enumerate().find_map(|(i, w)| {
        let year = w[..4].iter().all(char::is_ascii_digit)
            && w[..2] == ['2', '0']
            && w[4] == '年'
            && (i == 0 || !chars[i - 1].is_ascii_digit());
        year.then(|| w[..4].iter().collect())
    })
}

/// A bare attachment heading (`附件 1-1`, `附件4`, by its key) that starts the attached forms.
fn is_attachment_heading(key: &str) -> bool {
    key.strip_prefix("附件").is_some_and(|rest| {
        !rest.is_empty() && rest.chars().all(|c| c.is_ascii_digit() || c == '-')
    })
}

/// How many lines after the title make the cover: a second title there is the same report's,
/// and the year is looked for there.
const COVER_LINES: usize = 20;

/// How many paragraphs a flattened funds grid may run over.
const GRID_LINES: usize = 30;

/// A title without a leading attachment number (`附件1 财政支出项目绩效评价自评报告` →
/// `财政支出项目绩效评价自评报告`).
fn without_attachment_number(title: &str) -> String {
    let t = title.trim();
    let Some(rest) = t.strip_prefix("附件") else {
        return t.to_string();
    };
    let rest =
        rest.trim_start_matches(|c: char| c.is_ascii_digit() || c == '-' || c.is_whitespace());
    let rest = rest.trim_start_matches([':', '：', '、', '.']).trim_start();
    if rest.is_empty() || rest.len() == t.len() - "附件".len() {
        t.to_string()
    } else {
        rest.to_string()
    }
}

/// The year of `2020年度` in `key`, if any (four digits not preceded by a digit).
fn niandu_year(key: &str) -> Option<u16> {
    let chars: Vec<char> = key.chars().collect();
    (0..chars.len().saturating_sub(5)).find_map(|i| {
        let digits: String = chars[i..i + 4].iter().collect();
        let before_ok = i == 0 || !chars[i - 1].is_ascii_digit();
        (before_ok
            && digits.chars().all(|c| c.is_ascii_digit())
            && chars[i + 4] == '年'
            && chars[i + 5] == '度')
            .then(|| digits.parse().ok())
            .flatten()
            .filter(|y| (1990..=2100).contains(y))
    })
}

/// The year a report is about, from the document itself: its title (`2024年度…自评报告`),
/// else a `2020年度` on its cover (项目起止时间 | 2020年度), else the year its 项目名称 or
/// 项目起止时间 line names (`项目名称 2020年公共文化活动专项资金`). A signing date
/// (`2021年11月15日`) is not the year reported on; nothing is taken from today's date.
fn year_of_report(lines: &[Line], title_key: &str, from: usize, to: usize) -> Option<u16> {
    if let Some(y) = super::year_in(title_key) {
        return Some(y);
    }
    let cover = || {
        lines[from.min(lines.len())..to.min(lines.len())]
            .iter()
            .flat_map(|l| l.filled())
            .filter(|c| !is_date(&c.text))
    };
    if let Some(y) = cover().find_map(|c| niandu_year(&c.key)) {
        return Some(y);
    }
    let labelled = |l: &Line| {
        ["项目名称", "项目起止时间", "评价年度", "实施年度"]
            .iter()
            .any(|w| l.key().starts_with(w))
    };
    if let Some(y) = lines[from.min(lines.len())..to.min(lines.len())]
        .iter()
        .filter(|l| labelled(l))
        .find_map(|l| super::year_in(l.key()))
    {
        return Some(y);
    }
    // An untitled report without a cover: the year its opening names most often, dates
    // (2020年10月30日) aside — at least twice, and more often than any other.
    let mut counts: Vec<(u16, usize)> = Vec::new();
    for l in lines[from.min(lines.len())..(from + COVER_LINES).min(lines.len())]
        .iter()
        .filter(|l| l.is_paragraph())
    {
        for y in years_named(l.key()) {
            match counts.iter_mut().find(|(v, _)| *v == y) {
                Some((_, n)) => *n += 1,
                None => counts.push((y, 1)),
            }
        }
    }
    counts.sort_by_key(|c| std::cmp::Reverse(c.1));
    match counts.as_slice() {
        [(y, n), rest @ ..] if *n >= 2 && rest.first().is_none_or(|r| r.1 < *n) => Some(*y),
        _ => None,
    }
}

/// The years `key` names as years (`2021年农业生产发展资金`), not as the start of a date
/// (`2021年4月21日`).
fn years_named(key: &str) -> Vec<u16> {
    let chars: Vec<char> = key.chars().collect();
    let mut out = Vec::new();
    for i in 0..chars.len().saturating_sub(4) {
        let digits: String = chars[i..i + 4].iter().collect();
        if (i > 0 && chars[i - 1].is_ascii_digit())
            || !digits.chars().all(|c| c.is_ascii_digit())
            || chars[i + 4] != '年'
        {
            continue;
        }
        let month = chars[i + 5..]
            .iter()
            .find(|c| !c.is_ascii_digit() && !c.is_whitespace())
            .is_some_and(|c| *c == '月')
            && chars.get(i + 5).is_some_and(char::is_ascii_digit);
        if let Ok(y) = digits.parse::<u16>()
            && (1990..=2100).contains(&y)
            && !month
        {
            out.push(y);
        }
    }
    out
}

/// The unit a report's cover names (`项目单位 淳安县文化和广电旅游体育局`, `实施单位：…`, or
/// the cell after such a label), noted as `unit`.
fn unit_on_cover(lines: &[Line], from: usize, to: usize, trail: &mut Trail) -> Option<String> {
    const LABELS: [&str; 5] = [
        "项目实施单位",
        "项目单位",
        "实施单位",
        "预算单位",
        "单位名称",
    ];
    for line in &lines[from.min(lines.len())..to.min(lines.len())] {
        let cells: Vec<&LineCell> = line.filled().collect();
        for (n, c) in cells.iter().enumerate() {
            let Some(l) = LABELS.iter().find(|l| c.key.starts_with(*l)) else {
                continue;
            };
            let rest: String = c.text.chars().skip(l.chars().count()).collect();
            let rest = rest
                .trim_start_matches(|ch: char| ch.is_whitespace() || matches!(ch, ':' | '：' | '|'))
                .split('|')
                .next()
                .unwrap_or("")
                .trim()
                .to_string();
            let (value, cell) = if !rest.is_empty() {
                (rest, *c)
            } else if let Some(next) = cells.get(n + 1) {
                (label(&next.text), *next)
            } else {
                continue;
            };
            // A blank cover's placeholder (单位名称（盖章）) names no unit.
            let value = [
                "（盖章）",
                "(盖章)",
                "（公章）",
                "(公章)",
                "（签章）",
                "(签章)",
            ]
            .iter()
            .fold(value, |v, p| v.replace(p, ""))
            .trim()
            .to_string();
            if value.is_empty() || value.chars().count() > 40 || value.ends_with('。') {
                continue;
            }
            trail.at("unit", cell);
            return Some(value);
        }
    }
    None
}

/// True for a report title: 绩效自评报告, 绩效评价报告, 自评总结报告, 自评情况报告, 绩效自评（综述）,
/// or a monitoring report's (绩效运行监控分析报告, 绩效监控总结报告).
fn is_report_title(key: &str) -> bool {
    key.contains("自评报告")
        || (key.contains("报告") && (key.contains("自评") || key.contains("绩效评价")))
        || (key.contains("绩效自评") && key.contains("综述"))
        || is_monitoring_title(key)
}

/// A monitoring report's title: 报告 with 监控 and without 自评 (绩效运行监控分析报告,
/// 绩效监控总结报告, 绩效监控情况报告).
fn is_monitoring_title(key: &str) -> bool {
    key.contains("报告") && key.contains("监控") && !key.contains("自评")
}

/// An untitled report, or one whose title runs into its first paragraph: the document opens
/// (nothing before line `i`) with the report's own words — within its first lines it says it
/// reports a self-evaluation or the use of funds (现将…自评总结报告如下, …使用情况报告如下,
/// 自评结果综述如下), or
/// the transfer-payment report's outline starts (绩效目标分解下达情况).
fn is_untitled_report(lines: &[Line], i: usize, used: &[bool]) -> bool {
    // Nothing before it but an attachment number (附件1), which is the report's.
    if !lines[i].is_paragraph()
        || lines[..i].iter().zip(used).any(|(l, u)| {
            *u || !(l.is_empty() || l.is_paragraph() && is_attachment_heading(l.key()))
        })
    {
        return false;
    }
    let opening: Vec<&Line> = lines[i..]
        .iter()
        .take_while(|l| l.is_paragraph())
        .take(5)
        .collect();
    let outline = opening
        .iter()
        .any(|l| l.key().contains("绩效目标分解下达情况"));
    let says = opening.iter().any(|l| {
        let first: String = l.key().chars().take(300).collect();
        (first.contains("报告") || first.contains("结果综述"))
            && (first.contains("自评") || first.contains("使用情况"))
    });
    outline || says
}

/// Recognizes a report whose title paragraph is line `i` (or that opens the document without
/// a title of its own).
pub(super) fn recognize(lines: &[Line], i: usize, used: &[bool]) -> Option<Found> {
    let head = &lines[i];
    // An attachment number (附件1) is never a report's title: the report starts at the
    // title below it, which takes the number as its own.
    if head.is_paragraph() && is_attachment_heading(head.key()) {
        return None;
    }
    let metadata = metadata_title(lines, i, used);
    let titled = metadata.is_some()
        || head.is_paragraph() && is_report_title(head.key()) && head.key().chars().count() <= 60;
    if !titled && !is_untitled_report(lines, i, used) {
        return None;
    }
    // The title: the metadata's 标题 cell, else the head line.
    let (title_cell, body) = match metadata {
        Some((cell, end)) => (cell, end),
        None => (&head.cells[0], i + 1),
    };
    let title_key = metadata_value(&title_cell.key).unwrap_or(&title_cell.key);
    // An untitled report's first line is its title only when it reads like one (short, not a
    // sentence); otherwise it is the first paragraph.
    let short = head.key().chars().count() <= 60 && !head.key().ends_with(['。', ':', '：']);
    let has_title = titled || short;
    let body = if has_title { body } else { i };
    let mut trail = Trail::default();
    let mut used_lines: Vec<usize> = preceding_titles(lines, i, used, 1)
        .into_iter()
        .filter(|&k| is_attachment_heading(&lines[k].cells[0].key))
        .collect();
    if has_title {
        used_lines.extend(i..body);
        trail.at("title", title_cell);
    }
    let mut sections = vec![Section {
        heading: String::new(),
        level: 0,
        paragraphs: Vec::new(),
    }];
    // Headings: the document's own markup when it has any, else the official numbering.
    let marked = lines[body.min(lines.len())..]
        .iter()
        .take_while(|l| l.is_paragraph())
        .any(|l| l.heading.is_some_and(|h| h >= 2));
    let mut k = body;
    let mut funds = None;
    // The cover: the lines before the first heading, and the funds grid.
    let mut cover_end = body;
    while let Some(line) = lines.get(k) {
        if used[k] {
            break;
        }
        if let Some(table) = line.table {
            // A table inside the report (a score table) is stepped over and left for the
            // other recognizers; the report goes on after it. A funds grid on the cover
            // (计划安排 / 实际到位 / 实际支出 / 结余 by source) is the report's own.
            let end = (k..lines.len())
                .find(|&j| lines[j].table != Some(table))
                .unwrap_or(lines.len());
            if funds.is_none()
                && let Some(grid) = report_funds::read(lines, k, end)
                && grid.lines.iter().all(|&n| !used[n])
                && !super::claimed_by_a_form(lines, k, end, used)
            {
                used_lines.extend(&grid.lines);
                report_funds::note(&mut trail, &grid);
                cover_end = cover_end.max(grid.lines.last().map_or(k, |n| n + 1));
                funds = Some(grid.funds);
            }
            k = end;
            continue;
        }
        let cell = &line.cells[0];
        // Lines are cleaned when they are made.
        let text = cell.text.clone();
        // Another report's title ends this one; the report's own title printed again (a
        // cover page, then the title over the text) does not.
        let own = metadata_value(line.key()).unwrap_or(line.key());
        let repeated = has_title && title_key.contains(own);
        // On the cover (no heading yet, a few lines in) a second title — the form's generic
        // 财政支出项目绩效评价自评报告 over the project's own — is the same report.
        let on_cover = sections.len() == 1 && k < body + COVER_LINES;
        if is_attachment_heading(&cell.key)
            || (is_report_title(line.key())
                && line.key().chars().count() <= 60
                && k != i
                && !repeated
                && !on_cover)
        {
            break;
        }
        used_lines.push(k);
        if sections.len() == 1 {
            cover_end = cover_end.max(k + 1);
        }
        // A flattened funds grid (`计划安排资金(万元) | 1088.00 | …`) in a paragraph.
        if funds.is_none() && report_funds::opens_grid(line) {
            let to = (k..lines.len())
                .take(GRID_LINES)
                .take_while(|&j| lines[j].is_paragraph() && !used[j])
                .last()
                .map_or(k + 1, |j| j + 1);
            if let Some(grid) = report_funds::read(lines, k, to) {
                report_funds::note(&mut trail, &grid);
                cover_end = cover_end.max(grid.lines.last().map_or(k, |n| n + 1));
                funds = Some(grid.funds);
            }
        }
        // A page's metadata lines before the first heading (索引号:…, 成文日期:…) are not
        // the report's text.
        if sections.len() == 1 && metadata_value(line.key()).is_some() {
            k += 1;
            continue;
        }
        let level = if marked {
            line.heading.filter(|l| *l >= 2).map(|l| l - 1)
        } else {
            heading_level(&text)
                .filter(|l| *l <= 2 && text.chars().count() <= 40 && !text.ends_with('。'))
        };
        match level {
            Some(level) => {
                let index = sections.len();
                trail.at(format!("sections[{index}].heading"), cell);
                sections.push(Section {
                    heading: text,
                    level,
                    paragraphs: Vec::new(),
                });
            }
            None => {
                let s = sections.len() - 1;
                let p = sections[s].paragraphs.len();
                trail.at(format!("sections[{s}].paragraphs[{p}]"), cell);
                sections[s].paragraphs.push(text);
            }
        }
        k += 1;
    }
    // A signature at the end: the unit, then the date.
    let kind = if has_title && is_monitoring_title(title_key) {
        ReportKind::Monitoring
    } else {
        ReportKind::SelfEvaluation
    };
    let year = year_of_report(
        lines,
        title_key,
        body,
        cover_end.max(body + COVER_LINES).min(k),
    );
    let unit = unit_on_cover(lines, body, cover_end.min(k), &mut trail);
    let mut report = Report {
        kind,
        title: if has_title {
            // A title read from a metadata cell (`标题:…`) without its label, and without the
            // empty cells a flattened metadata row leaves after it (`… | |||`).
            let title = label(&title_cell.text)
                .trim_end_matches(|c: char| c == '|' || c.is_whitespace())
                .to_string();
            match metadata_value(&title_cell.key) {
                Some(_) => title
                    .split_once([':', '：'])
                    .map_or(title.clone(), |(_, v)| v.trim().to_string()),
                None => without_attachment_number(&title),
            }
        } else {
            String::new()
        },
        unit: None,
        date: None,
        year,
        funds,
        sections: Vec::new(),
    };
    if let Some(last) = sections.last_mut() {
        let n = last.paragraphs.len();
        if n >= 2
            && is_date(&last.paragraphs[n - 1])
            && last.paragraphs[n - 2].chars().count() <= 30
        {
            report.date = last.paragraphs.pop();
            report.unit = last.paragraphs.pop();
        }
    }
    if report.unit.is_none() {
        report.unit = unit;
    }
    if sections[0].paragraphs.is_empty() {
        sections.remove(0);
    }
    report.sections = sections;
    if report.title.trim().is_empty() {
        report.title = fallback_title(&report);
    }
    Some(Found {
        location: title_cell.location.clone(),
        form: Form::Report(report),
        provenance: trail.provenance(),
        used: used_lines,
        warnings: trail.warnings,
    })
}
