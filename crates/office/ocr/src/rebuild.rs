//! Tables rebuilt from a page image's ruling lines and the words recognized on it: rules that
//! touch form a table, their distinct positions are its grid, a missing rule between two grid
//! positions merges them (row and column spans), and each word goes to the cell holding its
//! centre. Words outside tables are grouped into lines and paragraphs. Pure: no process, no
//! image, so that it can be fuzzed.

use jixiao_grid::{Block, Cell, Paragraph, Scanned, Table};

/// A ruling line found on the page: horizontal (`at` is its y, `from..=to` its x extent) or
/// vertical (`at` is its x, `from..=to` its y extent), in pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// True for a horizontal rule.
    pub horizontal: bool,
    /// Its position across its direction (y of a horizontal rule, x of a vertical one).
    pub at: u32,
    /// Where it starts along its direction.
    pub from: u32,
    /// Where it ends along its direction (inclusive).
    pub to: u32,
}

/// A word recognized on the page, with its box in pixels and its confidence (0–100).
#[derive(Debug, Clone, PartialEq)]
pub struct Word {
    /// The text.
    pub text: String,
    /// Left edge.
    pub left: u32,
    /// Top edge.
    pub top: u32,
    /// Width.
    pub width: u32,
    /// Height.
    pub height: u32,
    /// Confidence, 0–100.
    pub confidence: f32,
    /// The recognizer's line this word belongs to (block, paragraph, line), for text outside
    /// tables.
    pub line: (u32, u32, u32),
}

impl Word {
    fn centre(&self) -> (u32, u32) {
        (
            self.left.saturating_add(self.width / 2),
            self.top.saturating_add(self.height / 2),
        )
    }

    fn right(&self) -> u32 {
        self.left.saturating_add(self.width)
    }

    fn bottom(&self) -> u32 {
        self.top.saturating_add(self.height)
    }
}

/// One page to rebuild: its number, size, resolution, rules and words.
#[derive(Debug, Clone)]
pub struct PageContent {
    /// 1-based page number.
    pub page: usize,
    /// Image width in pixels.
    pub width: u32,
    /// Image height in pixels.
    pub height: u32,
    /// Resolution, dots per inch.
    pub dpi: u32,
    /// The ruling lines.
    pub rules: Vec<Rule>,
    /// The words.
    pub words: Vec<Word>,
}

/// Bounds on one page's rebuilding, against hostile or noisy images.
#[derive(Debug, Clone, Copy)]
pub struct Bounds {
    /// Rules considered per page (past it the page is read as text only).
    pub max_rules: usize,
    /// Grid rows and columns of one table.
    pub max_lines: usize,
}

impl Default for Bounds {
    fn default() -> Bounds {
        Bounds {
            max_rules: 4_000,
            max_lines: 1_000,
        }
    }
}

/// A block of the page and the y it starts at, to interleave tables and paragraphs.
struct Placed {
    top: u32,
    block: Block,
}

/// The grid of one table: its column and row lines and the cells on them.
struct Grid {
    xs: Vec<u32>,
    ys: Vec<u32>,
    cells: Vec<(usize, usize, usize, usize)>,
    /// Grid position → cell index.
    cover: Vec<Vec<usize>>,
}

/// Rebuilds one page: tables from its rules with their words, paragraphs from the other
/// words, in reading order (top to bottom). Table and paragraph indices are left at 0 for
/// the caller to number.
pub fn rebuild(page: &PageContent, bounds: &Bounds) -> Vec<Block> {
    let grids = grids(&page.rules, page.dpi, bounds);
    let mut cell_words: Vec<Vec<Vec<&Word>>> = grids
        .iter()
        .map(|g| vec![Vec::new(); g.cells.len()])
        .collect();
    let mut outside: Vec<&Word> = Vec::new();
    for w in &page.words {
        if w.text.trim().is_empty() {
            continue;
        }
        let (cx, cy) = w.centre();
        let hit = grids.iter().enumerate().find_map(|(gi, g)| {
            let c = span_index(&g.xs, cx)?;
            let r = span_index(&g.ys, cy)?;
            Some((gi, g.cover[r][c]))
        });
        match hit {
            Some((gi, ci)) => cell_words[gi][ci].push(w),
            None => outside.push(w),
        }
    }
    // The lines outside the tables, to check a cell's uncertain reading against (a project's
    // name is printed in the title too).
    let outside_lines: Vec<(String, f32)> = lines(&outside)
        .into_iter()
        .map(|ws| (join_words(&ws), mean_confidence(&ws)))
        .collect();
    let mut placed: Vec<Placed> = Vec::new();
    for (g, words) in grids.iter().zip(cell_words) {
        let cells = g
            .cells
            .iter()
            .zip(words)
            .map(|(&(row, col, rowspan, colspan), words)| {
                let mean = mean_confidence(&words);
                let confidence = mean.round() as u8;
                let (text, guessed) = crate::vocabulary::repaired(&lines_text(&words), mean);
                let (text, guessed) = match read_surer(&text, mean, &outside_lines) {
                    Some(surer) => (surer, true),
                    None => (text, guessed),
                };
                // A repaired figure or a name taken from a surer reading is a guess: it is
                // confirmed before it counts.
                let confidence = if guessed {
                    confidence.min(Scanned::CONFIRM_BELOW - 1)
                } else {
                    confidence
                };
                Cell {
                    row,
                    col,
                    rowspan,
                    colspan,
                    text,
                    origin: None,
                    page: Some(page.page),
                    scan: Some(Box::new(Scanned {
                        bbox: [
                            g.xs[col],
                            g.ys[row],
                            g.xs[col + colspan],
                            g.ys[row + rowspan],
                        ],
                        dpi: page.dpi,
                        confidence,
                    })),
                }
            })
            .collect();
        placed.push(Placed {
            top: g.ys[0],
            block: Block::Table(Table {
                index: 0,
                sheet: None,
                rows: g.ys.len() - 1,
                cols: g.xs.len() - 1,
                cells,
            }),
        });
    }
    placed.extend(paragraphs(&outside));
    placed.sort_by_key(|p| p.top);
    placed.into_iter().map(|p| p.block).collect()
}

/// The tables the rules of a page at `dpi` make.
fn grids(rules: &[Rule], dpi: u32, bounds: &Bounds) -> Vec<Grid> {
    let tol = (dpi / 25).max(3);
    let rules: &[Rule] = if rules.len() > bounds.max_rules {
        &[]
    } else {
        rules
    };
    let rules = bridged(rules, tol, dpi / 10);
    components(&rules, tol)
        .into_iter()
        .filter_map(|c| grid(&c, tol, bounds))
        .collect()
}

/// The boxes (`[left, top, right, bottom)` in pixels) of the tables the rules make, and of
/// every cell in them: what [`rebuild`] will fill, for reading each cell on its own.
pub fn table_boxes(rules: &[Rule], dpi: u32, bounds: &Bounds) -> (Vec<[u32; 4]>, Vec<[u32; 4]>) {
    let grids = grids(rules, dpi, bounds);
    let tables = grids
        .iter()
        .map(|g| [g.xs[0], g.ys[0], g.xs[g.xs.len() - 1], g.ys[g.ys.len() - 1]])
        .collect();
    let cells = grids
        .iter()
        .flat_map(|g| {
            g.cells.iter().map(|&(row, col, rowspan, colspan)| {
                [
                    g.xs[col],
                    g.ys[row],
                    g.xs[col + colspan],
                    g.ys[row + rowspan],
                ]
            })
        })
        .collect();
    (tables, cells)
}

/// The mean confidence of `words` (100 for none).
fn mean_confidence(words: &[&Word]) -> f32 {
    if words.is_empty() {
        return 100.0;
    }
    let sum: f32 = words.iter().map(|w| w.confidence.clamp(0.0, 100.0)).sum();
    sum / words.len() as f32
}

/// A cell's text read with confidence `confidence` that a surer line outside the tables
/// (`lines`: text and confidence) holds with exactly one Chinese character different: the
/// same name printed twice (办公窒舍楼 in the cell, 办公宿舍楼 in the title), read better
/// once. Only text of six characters or more and only a Chinese character is taken; never a
/// digit, so that no figure comes from elsewhere.
fn read_surer(text: &str, confidence: f32, lines: &[(String, f32)]) -> Option<String> {
    const MARGIN: f32 = 5.0;
    let want: Vec<char> = text.chars().collect();
    if want.len() < 6 || confidence >= 95.0 {
        return None;
    }
    let is_han = |c: char| ('\u{4e00}'..='\u{9fff}').contains(&c);
    let mut found: Option<String> = None;
    for (line, line_confidence) in lines {
        if *line_confidence < confidence + MARGIN {
            continue;
        }
        let chars: Vec<char> = line.chars().collect();
        for window in chars.windows(want.len()) {
            let differ: Vec<(char, char)> = window
                .iter()
                .zip(&want)
                .filter(|(a, b)| a != b)
                .map(|(&a, &b)| (a, b))
                .collect();
            if let [(a, b)] = differ[..]
                && is_han(a)
                && is_han(b)
            {
                let candidate: String = window.iter().collect();
                if found.as_ref().is_some_and(|f| *f != candidate) {
                    return None;
                }
                found = Some(candidate);
            }
        }
    }
    found
}

/// The index `i` with `lines[i] <= v < lines[i + 1]`.
fn span_index(lines: &[u32], v: u32) -> Option<usize> {
    if lines.len() < 2 || v < lines[0] || v >= lines[lines.len() - 1] {
        return None;
    }
    Some(lines.partition_point(|&l| l <= v) - 1)
}

/// Collinear pieces of one rule (positions within `tol`) joined across gaps of up to `gap`
/// pixels: a scanned rule is broken where blur, compression or straightening left it pale.
fn bridged(rules: &[Rule], tol: u32, gap: u32) -> Vec<Rule> {
    let mut sorted = rules.to_vec();
    sorted.sort_by_key(|r| (r.horizontal, r.at, r.from));
    let mut out: Vec<Rule> = Vec::new();
    for r in sorted {
        let joined = out.iter_mut().rev().take(64).find(|o| {
            o.horizontal == r.horizontal
                && o.at.abs_diff(r.at) <= tol
                && r.from <= o.to.saturating_add(gap)
                && o.from <= r.to.saturating_add(gap)
        });
        match joined {
            Some(o) => {
                o.from = o.from.min(r.from);
                o.to = o.to.max(r.to);
            }
            None => out.push(r),
        }
    }
    out
}

/// Groups rules that touch (within `tol`) into connected components.
fn components(rules: &[Rule], tol: u32) -> Vec<Vec<Rule>> {
    let n = rules.len();
    let mut parent: Vec<usize> = (0..n).collect();
    fn find(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let touches = |h: &Rule, v: &Rule| {
        h.from.saturating_sub(tol) <= v.at
            && v.at <= h.to.saturating_add(tol)
            && v.from.saturating_sub(tol) <= h.at
            && h.at <= v.to.saturating_add(tol)
    };
    for i in 0..n {
        for j in i + 1..n {
            let (a, b) = (&rules[i], &rules[j]);
            let joined = match (a.horizontal, b.horizontal) {
                (true, false) => touches(a, b),
                (false, true) => touches(b, a),
                // Collinear pieces of one rule broken by noise.
                _ => {
                    a.at.abs_diff(b.at) <= tol
                        && a.from <= b.to.saturating_add(tol)
                        && b.from <= a.to.saturating_add(tol)
                }
            };
            if joined {
                let (ra, rb) = (find(&mut parent, i), find(&mut parent, j));
                parent[ra] = rb;
            }
        }
    }
    let mut groups: std::collections::BTreeMap<usize, Vec<Rule>> = Default::default();
    for (i, r) in rules.iter().enumerate() {
        let root = find(&mut parent, i);
        groups.entry(root).or_default().push(*r);
    }
    groups.into_values().collect()
}

/// Distinct positions of `values`, those within `tol` of each other taken as one (their mean).
fn cluster(mut values: Vec<u32>, tol: u32) -> Vec<u32> {
    values.sort_unstable();
    let mut out: Vec<u32> = Vec::new();
    let mut group: Vec<u32> = Vec::new();
    for v in values {
        if group.last().is_some_and(|&l| v > l + tol) {
            out.push(mean(&group));
            group.clear();
        }
        group.push(v);
    }
    if !group.is_empty() {
        out.push(mean(&group));
    }
    out
}

fn mean(values: &[u32]) -> u32 {
    (values.iter().map(|&v| u64::from(v)).sum::<u64>() / values.len().max(1) as u64) as u32
}

/// The grid of one component of rules, when it is a table (at least two rules each way).
fn grid(rules: &[Rule], tol: u32, bounds: &Bounds) -> Option<Grid> {
    let hs: Vec<&Rule> = rules.iter().filter(|r| r.horizontal).collect();
    let vs: Vec<&Rule> = rules.iter().filter(|r| !r.horizontal).collect();
    if hs.len() < 2 || vs.len() < 2 {
        return None;
    }
    let ys = cluster(hs.iter().map(|r| r.at).collect(), tol);
    let xs = cluster(vs.iter().map(|r| r.at).collect(), tol);
    if ys.len() < 2 || xs.len() < 2 || ys.len() > bounds.max_lines || xs.len() > bounds.max_lines {
        return None;
    }
    let (rows, cols) = (ys.len() - 1, xs.len() - 1);
    // Whether a rule runs along `at` across the middle of `from..to`.
    let ruled = |set: &[&Rule], at: u32, from: u32, to: u32| {
        let mid = from / 2 + to / 2;
        set.iter().any(|r| {
            r.at.abs_diff(at) <= tol
                && r.from.saturating_sub(tol) <= mid
                && mid <= r.to.saturating_add(tol)
        })
    };
    // Union of grid positions not separated by a rule.
    let mut parent: Vec<usize> = (0..rows * cols).collect();
    fn find(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    for r in 0..rows {
        for c in 0..cols {
            if c + 1 < cols && !ruled(&vs, xs[c + 1], ys[r], ys[r + 1]) {
                let (a, b) = (
                    find(&mut parent, r * cols + c),
                    find(&mut parent, r * cols + c + 1),
                );
                parent[a] = b;
            }
            if r + 1 < rows && !ruled(&hs, ys[r + 1], xs[c], xs[c + 1]) {
                let (a, b) = (
                    find(&mut parent, r * cols + c),
                    find(&mut parent, (r + 1) * cols + c),
                );
                parent[a] = b;
            }
        }
    }
    // Each group's bounding rectangle is a cell, anchored at its top-left position.
    let mut rect: std::collections::HashMap<usize, (usize, usize, usize, usize)> =
        Default::default();
    for r in 0..rows {
        for c in 0..cols {
            let root = find(&mut parent, r * cols + c);
            let e = rect.entry(root).or_insert((r, c, r, c));
            e.0 = e.0.min(r);
            e.1 = e.1.min(c);
            e.2 = e.2.max(r);
            e.3 = e.3.max(c);
        }
    }
    let mut cover = vec![vec![usize::MAX; cols]; rows];
    let mut cells = Vec::new();
    for r in 0..rows {
        for c in 0..cols {
            if cover[r][c] != usize::MAX {
                continue;
            }
            let root = find(&mut parent, r * cols + c);
            let (r0, c0, r1, c1) = rect[&root];
            // A group that is not a rectangle overlaps others: it is cut to what is free.
            let (r0, c0) = (r0.max(r), c0.max(c));
            let mut c1 = c1;
            if let Some(taken) = (c0..=c1).find(|&cc| cover[r0][cc] != usize::MAX) {
                c1 = taken.saturating_sub(1).max(c0);
            }
            let index = cells.len();
            for row in cover.iter_mut().take(r1 + 1).skip(r0) {
                for slot in row.iter_mut().take(c1 + 1).skip(c0) {
                    if *slot == usize::MAX {
                        *slot = index;
                    }
                }
            }
            cells.push((r0, c0, r1 - r0 + 1, c1 - c0 + 1));
        }
    }
    Some(Grid {
        xs,
        ys,
        cells,
        cover,
    })
}

fn is_ascii_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '%' | '.' | ',' | '-' | '+')
}

/// Words joined into one line of text: a space only between Latin letters or digits.
fn join_words(words: &[&Word]) -> String {
    let mut s = String::new();
    let last = words.len().saturating_sub(1);
    for (i, w) in words.iter().enumerate() {
        let text = w.text.trim();
        // A lone bar or underscore is an erased rule's trace, not a word; so is unsure lone
        // punctuation at either end of a line (a pale dot of a rule read as a quote or a full
        // stop). Between words it is the text's own (开展"两强一增"行动).
        if text.chars().all(|c| matches!(c, '|' | '_' | '-')) && text.chars().count() <= 2 {
            continue;
        }
        if w.confidence < 80.0
            && (i == 0 || i == last)
            && text.chars().count() <= 2
            && text.chars().all(|c| "”“\"'‘’。，,.、;；:：".contains(c))
        {
            continue;
        }
        // A quote glued to a figure is a trace too: figures are never quoted in forms.
        let text = match text.trim_start_matches(['“', '”', '"', '\'', '‘', '’']) {
            rest if rest.starts_with(|c: char| c.is_ascii_digit()) => rest,
            _ => text,
        };
        if let (Some(a), Some(b)) = (s.chars().last(), text.chars().next())
            && is_ascii_word(a)
            && is_ascii_word(b)
        {
            s.push(' ');
        }
        s.push_str(text);
    }
    s
}

/// Words grouped into lines (by vertical overlap), each line left to right.
fn lines<'a>(words: &[&'a Word]) -> Vec<Vec<&'a Word>> {
    let mut sorted: Vec<&Word> = words.to_vec();
    sorted.sort_by_key(|w| (w.top, w.left));
    let mut out: Vec<(u32, u32, Vec<&Word>)> = Vec::new();
    for w in sorted {
        let (_, cy) = w.centre();
        match out
            .iter_mut()
            .find(|(top, bottom, _)| *top <= cy && cy <= *bottom)
        {
            Some((top, bottom, line)) => {
                *top = (*top).min(w.top);
                *bottom = (*bottom).max(w.bottom());
                line.push(w);
            }
            None => out.push((w.top, w.bottom(), vec![w])),
        }
    }
    out.sort_by_key(|(top, _, _)| *top);
    out.into_iter()
        .map(|(_, _, mut line)| {
            line.sort_by_key(|w| w.left);
            line
        })
        .collect()
}

/// A cell's text: its lines joined, a line break kept only before an item marker.
fn lines_text(words: &[&Word]) -> String {
    let mut s = String::new();
    for line in lines(words) {
        let text = join_words(&line);
        if !s.is_empty() {
            let starts_item = text
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_digit() || matches!(c, '（' | '(' | '①'..='⑳'))
                && text
                    .chars()
                    .take(4)
                    .any(|c| matches!(c, '、' | '.' | '）' | ')' | '：'));
            let ends_sentence = s.ends_with(['。', '；', ';']);
            if starts_item || ends_sentence {
                s.push('\n');
            } else if s.chars().last().is_some_and(is_ascii_word)
                && text.chars().next().is_some_and(is_ascii_word)
            {
                s.push(' ');
            }
        }
        s.push_str(&text);
    }
    without_rule_traces(&s).to_string()
}

/// What the pale remains of an erased rule read as at a cell's edges: a bar, an underscore,
/// a closing quote or a comma where no text starts. Trimmed from both ends of a cell's text
/// (an opening quote or bracket is kept: text starts with those).
fn without_rule_traces(text: &str) -> &str {
    const LEADING: &[char] = &[
        '|', '_', '”', '’', '，', ',', '.', ':', ';', '、', '。', '~', '‘', '\'', ' ',
    ];
    const TRAILING: &[char] = &['|', '_', '~', '‘', '“', ' '];
    text.trim_start_matches(LEADING).trim_end_matches(TRAILING)
}

/// Words outside tables as paragraphs: the recognizer's lines, a line that reaches the right
/// margin continued by the next.
fn paragraphs(words: &[&Word]) -> Vec<Placed> {
    let mut by_line: std::collections::BTreeMap<(u32, u32, u32), Vec<&Word>> = Default::default();
    for w in words {
        by_line.entry(w.line).or_default().push(w);
    }
    let mut lines: Vec<(u32, u32, u32, u32, String)> = by_line
        .into_values()
        .flat_map(|ws| lines(&ws))
        .map(|ws| {
            let left = ws.iter().map(|w| w.left).min().unwrap_or(0);
            let right = ws.iter().map(|w| w.right()).max().unwrap_or(0);
            let top = ws.iter().map(|w| w.top).min().unwrap_or(0);
            let bottom = ws.iter().map(|w| w.bottom()).max().unwrap_or(0);
            (top, bottom, left, right, join_words(&ws))
        })
        .filter(|l| !l.4.is_empty())
        .collect();
    lines.sort_by_key(|l| (l.0, l.2));
    let margin_left = lines.iter().map(|l| l.2).min().unwrap_or(0);
    let margin_right = lines.iter().map(|l| l.3).max().unwrap_or(0);
    let slack = (margin_right.saturating_sub(margin_left)) / 20;
    let mut out: Vec<Placed> = Vec::new();
    let mut previous: Option<(u32, u32)> = None;
    for (top, bottom, left, right, text) in lines {
        let continues = previous.is_some_and(|(p_right, p_bottom)| {
            p_right + slack >= margin_right
                && left <= margin_left + slack
                && top.saturating_sub(p_bottom) < (bottom - top).max(1) * 2
        });
        match out.last_mut() {
            Some(Placed {
                block: Block::Paragraph(p),
                ..
            }) if continues => p.text.push_str(&text),
            _ => out.push(Placed {
                top,
                block: Block::Paragraph(Paragraph {
                    index: 0,
                    text,
                    heading: None,
                }),
            }),
        }
        previous = Some((right, bottom));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(at: u32, from: u32, to: u32) -> Rule {
        Rule {
            horizontal: true,
            at,
            from,
            to,
        }
    }

    fn v(at: u32, from: u32, to: u32) -> Rule {
        Rule {
            horizontal: false,
            at,
            from,
            to,
        }
    }

    fn word(text: &str, left: u32, top: u32) -> Word {
        Word {
            text: text.into(),
            left,
            top,
            width: 40,
            height: 20,
            confidence: 90.0,
            line: (1, 1, top),
        }
    }

    #[test]
    fn a_missing_rule_merges_cells_and_words_find_their_cells() {
        // Two rows, two columns; the first row has no middle rule: one cell spanning both.
        let rules = vec![
            h(100, 100, 500),
            h(150, 100, 500),
            h(200, 100, 500),
            v(100, 100, 200),
            v(500, 100, 200),
            v(300, 150, 200),
        ];
        let page = PageContent {
            page: 1,
            width: 600,
            height: 800,
            dpi: 150,
            rules,
            words: vec![
                word("项目名称", 120, 115),
                word("预算", 120, 165),
                word("99", 320, 165),
                word("标题", 120, 20),
            ],
        };
        let blocks = rebuild(&page, &Bounds::default());
        assert_eq!(blocks.len(), 2);
        let Block::Paragraph(p) = &blocks[0] else {
            panic!("{blocks:?}")
        };
        assert_eq!(p.text, "标题");
        let Block::Table(t) = &blocks[1] else {
            panic!("{blocks:?}")
        };
        assert_eq!((t.rows, t.cols), (2, 2));
        let texts: Vec<_> = t
            .cells
            .iter()
            .map(|c| (c.row, c.col, c.colspan, c.text.as_str()))
            .collect();
        assert_eq!(
            texts,
            [(0, 0, 2, "项目名称"), (1, 0, 1, "预算"), (1, 1, 1, "99")]
        );
        let scan = t.cells[2].scan.as_deref().copied().unwrap();
        assert_eq!(scan.bbox, [300, 150, 500, 200]);
        assert!(!scan.needs_confirmation());
    }

    #[test]
    fn a_name_read_better_in_the_title_is_taken_from_there() {
        let lines = vec![(
            "办公宿舍楼、食堂及餐厅暖通改造经费绩效自评表".to_string(),
            95.0,
        )];
        assert_eq!(
            read_surer("办公窒舍楼、食堂及餐厅暖通改造经费", 82.0, &lines).as_deref(),
            Some("办公宿舍楼、食堂及餐厅暖通改造经费")
        );
        // Not when the title is read no better, never for a digit, not for short text.
        assert_eq!(
            read_surer("办公窒舍楼、食堂及餐厅暖通改造经费", 93.0, &lines),
            None
        );
        let lines = vec![("2022年度资金总额43.2万元".to_string(), 97.0)];
        assert_eq!(read_surer("资金总额43.7万元", 60.0, &lines), None);
        assert_eq!(
            read_surer("窒舍楼", 60.0, &[("宿舍楼".to_string(), 99.0)]),
            None
        );
    }

    #[test]
    fn low_confidence_cells_need_confirmation() {
        let rules = vec![h(0, 0, 100), h(50, 0, 100), v(0, 0, 50), v(100, 0, 50)];
        let mut w = word("8O", 10, 10);
        w.confidence = 31.0;
        let page = PageContent {
            page: 2,
            width: 200,
            height: 200,
            dpi: 150,
            rules,
            words: vec![w],
        };
        let blocks = rebuild(&page, &Bounds::default());
        let Block::Table(t) = &blocks[0] else {
            panic!()
        };
        assert!(t.cells[0].scan.as_deref().unwrap().needs_confirmation());
        assert_eq!(t.cells[0].page, Some(2));
    }
}
