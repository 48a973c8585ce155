//! Run-together cells: text extracted from a PDF (or a web page) that kept no separator at all
//! between cells (`年度资金总额2456.182456.182456.1810100%10按收入性质分:`).
//!
//! Such a token is first cut at the words of the form vocabulary ([`pieces`]): a field label,
//! a header word, a funds row label or an indicator group starts and ends a cell, and an amount
//! right after a label ends where a label begins. What is left are runs of digits that hold
//! several cells (`202010100.00%10`); they are split by the arithmetic the row must satisfy
//! ([`split_funds`], [`split_total`]): executed ÷ budget = the printed rate, a score is at most
//! its weight, every piece a well-formed number; a scoring sheet's rows ([`split_scored`]) by
//! score = weight × 得分系数. A split is used only when exactly one reading satisfies the row;
//! an ambiguous run stays one unread cell.

use jixiao_core::money::round;
use rust_decimal::Decimal;

use super::noise::{is_gloss, simplified};

/// Words that start and end a cell in run-together text: field labels, funds header words and
/// row labels, target and indicator header words, indicator groups.
const WORDS: &[&str] = &[
    // Field labels.
    "项目名称",
    "专项资金名称",
    "转移支付(项目)名称",
    "主管部门",
    "县级主管部门",
    "中央主管部门",
    "地方主管部门",
    "自治区主管部门",
    "市县主管部门",
    "市县财政部门",
    "资金使用单位",
    "实施单位",
    "项目实施单位",
    "预算单位名称",
    "部门名称",
    "单位名称",
    "项目属性",
    "项目类型",
    "项目类别",
    "负责人及电话",
    "项目性质",
    "立项依据",
    "填报日期",
    "专项实施期",
    "下属单位个数",
    "项目总得分",
    "自评得分",
    "自评总分",
    // Funds block and header.
    "项目资金",
    "资金情况",
    "资金投入情况",
    "年度预算申请",
    "预算执行情况",
    "整体支出规模",
    "年初预算数",
    "全年预算数",
    "全年执行数",
    "调整后预算数",
    "调整预算数",
    "预算执行率",
    "预算数",
    "执行数",
    "执行率",
    "分值",
    "得分",
    // Funds rows.
    "年度资金总额",
    "资金总额",
    "其中",
    "其他资金",
    "本年财政拨款",
    "当年财政拨款",
    "上年结转资金",
    "中央财政资金",
    "中央补助",
    "自治区补助",
    "省级补助",
    "市县资金",
    "地方资金",
    "按收入性质分",
    "按支出性质分",
    "政府性基金拨款",
    "纳入专户管理的非税收入拨款",
    "基本支出",
    "项目支出",
    "资金来源",
    "资金结构",
    // A declaration's cost build-up (项目预算成本构成 | 金额 | 测算(公式)依据 …).
    "项目预算成本构成",
    "金额",
    // Targets.
    "年度总体目标",
    "年度总体目标完成情况",
    "年度总体目标完成情况综述",
    "年初设定目标",
    "当年绩效目标",
    "年初绩效目标",
    "全年实际完成情况",
    "全年完成情况",
    "预期目标",
    "实际完成情况",
    "资金管理情况",
    // Indicators.
    "绩效指标",
    "一级指标",
    "二级指标",
    "三级指标",
    "年度指标值",
    "全年实际值",
    "全年完成值",
    "实际完成值",
    "年初目标值",
    "指标名称",
    "计量单位",
    "指标性质",
    "年初指标值",
    "调整指标值",
    // Hubei declarations: 一级指标 | 二级指标 | 绩效标准 | 当年预期实现值.
    "绩效标准",
    "当年预期实现值",
    // 全年完成值 as OCR read its two-line cell (normalised in `noise`).
    "年成值全完值",
    "得分系数",
    "指标权重",
    "指标得分",
    "是否核心指标",
    "未完成原因及改进措施",
    "未完成原因和改进措施",
    "未完成原因分析及改进措施",
    "偏差及原因分析",
    "产出指标",
    "效益指标",
    "效果指标",
    "满意度指标",
    "管理指标",
    "数量指标",
    "质量指标",
    "时效指标",
    "成本指标",
    "经济效益指标",
    "社会效益指标",
    "生态效益指标",
    "可持续影响指标",
    "服务对象满意度指标",
    "总分",
];

/// Characters a unit after an amount is made of (`300万元`, `99分`, `2370人`).
const UNITS: &str = "万元亿人吨个次年月日天分米亩粒起户所家台套件项份斤里";

/// Units a number never ends a row before (`550万粒`, `2370人`).
const ROW_END_UNITS: &str = "万元亿人吨个次年月日天分米亩粒起户台套件斤";

/// The characters of a raw token as the vocabulary is matched: pinyin glosses skipped,
/// traditional characters simplified, full-width punctuation folded; each with its index in
/// the raw token.
fn cleaned(raw: &[char]) -> Vec<(char, usize)> {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        let c = raw[i];
        if c == '(' || c == '（' {
            let close = raw[i + 1..]
                .iter()
                .take(9)
                .position(|&d| d == ')' || d == '）');
            if let Some(n) = close {
                let inner: String = raw[i + 1..i + 1 + n].iter().collect();
                if is_gloss(&inner) {
                    i += n + 2;
                    continue;
                }
            }
        }
        let c = match c {
            '（' => '(',
            '）' => ')',
            '：' => ':',
            c => simplified(c),
        };
        out.push((c, i));
        i += 1;
    }
    out
}

/// The length of the longest vocabulary word at `p`.
fn word_at(s: &[char], p: usize) -> Option<usize> {
    WORDS
        .iter()
        .filter(|w| {
            let n = w.chars().count();
            p + n <= s.len() && w.chars().zip(&s[p..p + n]).all(|(a, b)| a == *b)
        })
        .map(|w| w.chars().count())
        .max()
}

fn is_cjk(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

fn is_numeric(c: char) -> bool {
    c.is_ascii_digit() || c == '.' || c == '%'
}

/// The end of a word at `end` extended by what belongs to it: a parenthetical (`(万元)`,
/// `(B/A)`, `(40分)`; one left open by extraction, `(B/A1`, up to the next word) and a colon.
fn extend_word(s: &[char], mut end: usize) -> usize {
    if s.get(end) == Some(&'(') {
        let close = s[end + 1..]
            .iter()
            .take(16)
            .position(|&c| c == ')' || c == '(');
        match close {
            Some(n) if s[end + 1 + n] == ')' => end += n + 2,
            _ => {
                // Left open: the ASCII that follows, up to the next word.
                let mut e = end + 1;
                while e < s.len() && e < end + 8 && s[e].is_ascii() && word_at(s, e).is_none() {
                    e += 1;
                }
                if e == s.len() || word_at(s, e).is_some() {
                    end = e;
                }
            }
        }
    }
    if matches!(s.get(end), Some(':') | Some(',')) {
        end += 1;
    }
    end
}

/// Cuts a run-together token (raw characters) into pieces, as ranges of `raw`: before and
/// after every vocabulary word, after an amount that starts a piece and is followed by a label
/// (`2299.98政府性基金拨款`), and before a number that ends a piece after a label
/// (`县级资金194.9194.9100%`). A token with fewer than two vocabulary words is left whole.
pub(super) fn pieces(raw: &[char]) -> Vec<(usize, usize)> {
    let whole = vec![(0, raw.len())];
    if raw.len() < 10 {
        return whole;
    }
    let cl = cleaned(raw);
    let s: Vec<char> = cl.iter().map(|c| c.0).collect();
    let mut cuts = vec![0];
    let mut words = 0;
    // A word that ends the token after other text, or that a run of numbers follows, is
    // enough to cut at (`…一次性项目口预算执行情况`, `资金总额10001000100%20`).
    let mut telling = false;
    let mut p = 0;
    while p < s.len() {
        // A parenthetical is part of the cell it stands in (`得分 (20分*执行率)`).
        if s[p] == '(' {
            let close = s[p + 1..].iter().take(24).position(|&c| c == ')');
            p += close.map_or(1, |n| n + 2);
            continue;
        }
        if let Some(n) = word_at(&s, p) {
            let end = extend_word(&s, p + n);
            let run = s[end..].iter().take_while(|c| is_numeric(**c)).count();
            telling |= (end == s.len() && p > 0) || run >= 4;
            cuts.push(p);
            cuts.push(end);
            words += 1;
            p = end;
        } else {
            p += 1;
        }
    }
    if words < 2 && !telling {
        return whole;
    }
    cuts.push(s.len());
    cuts.dedup();
    let mut fine = Vec::new();
    for w in cuts.windows(2) {
        let (a, b) = (w[0], w[1]);
        fine.push(a);
        // A number that starts the piece, then a label.
        let lead = s[a..b].iter().take_while(|c| is_numeric(**c)).count();
        if lead > 0 && a + lead < b && is_cjk(s[a + lead]) && !UNITS.contains(s[a + lead]) {
            fine.push(a + lead);
            continue;
        }
        // A label, then a number that ends the piece.
        let trail = s[a..b].iter().rev().take_while(|c| is_numeric(**c)).count();
        let run = &s[b - trail..b];
        if trail > 0
            && b - trail > a
            && is_cjk(s[b - trail - 1])
            && (trail >= 3 || run.contains(&'%') || run.contains(&'.'))
        {
            fine.push(b - trail);
        }
    }
    fine.push(s.len());
    fine.dedup();
    let raw_at = |p: usize| cl.get(p).map_or(raw.len(), |c| c.1);
    fine.windows(2)
        .map(|w| (raw_at(w[0]), raw_at(w[1])))
        .filter(|(a, b)| a < b)
        .collect()
}

/// What a funds column holds, by its header word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum FundsCol {
    /// 年初预算数.
    Initial,
    /// 全年预算数, 调整后预算数, 预算数(A).
    Budget,
    /// 全年执行数, 执行数(B).
    Executed,
    /// 分值, 权重.
    Weight,
    /// 执行率.
    Rate,
    /// 得分.
    Score,
    /// Anything else (the row label, 原因).
    Other,
}

/// The kind of a funds header word.
pub(super) fn funds_col(k: &str) -> FundsCol {
    if k.starts_with("年初预算") {
        FundsCol::Initial
    } else if k.starts_with("执行率权重") {
        FundsCol::Weight
    } else if k.starts_with("执行率得分") {
        FundsCol::Score
    } else if k.contains("执行率") && !k.starts_with("得分") {
        FundsCol::Rate
    } else if k.contains("执行数") || k.starts_with("全年执行") {
        FundsCol::Executed
    } else if k.contains("预算") {
        FundsCol::Budget
    } else if k.starts_with("分值") || k.starts_with("权重") {
        FundsCol::Weight
    } else if k.starts_with("得分") {
        FundsCol::Score
    } else {
        FundsCol::Other
    }
}

/// The weight a score header states (`得分(20分*执行率)` → 20).
pub(super) fn stated_weight(k: &str) -> Option<Decimal> {
    let open = k.find('(')?;
    let inner = &k[open + 1..];
    let digits: String = inner.chars().take_while(char::is_ascii_digit).collect();
    let rest = &inner[digits.len()..];
    (!digits.is_empty() && rest.starts_with('分'))
        .then(|| digits.parse().ok())
        .flatten()
}

/// True for a token that may hold several run-together numbers: only digits, points and one
/// percent sign at most, and longer than one number usually is.
pub(super) fn is_run(text: &str) -> bool {
    text.chars().count() >= 4
        && text.chars().all(is_numeric)
        && text.chars().filter(|&c| c == '%').count() <= 1
}

/// A well-formed number: digits, at most one point with 1–4 decimals, no leading zero, at
/// most 10 characters.
fn number(s: &str) -> Option<Decimal> {
    if s.is_empty() || s.len() > 10 {
        return None;
    }
    let (int, dec) = s.split_once('.').unwrap_or((s, ""));
    let ok = !int.is_empty()
        && int.chars().all(|c| c.is_ascii_digit())
        && dec.chars().all(|c| c.is_ascii_digit())
        && dec.len() <= 4
        && (s.contains('.') != dec.is_empty())
        && !(int.len() > 1 && int.starts_with('0'));
    if ok { s.parse().ok() } else { None }
}

/// The character ranges one way of cutting a run gives.
type Pieces = Vec<(usize, usize)>;

/// Every way to cut `s` into `n` well-formed numbers (ranges of `s`, which is ASCII).
fn cuts(s: &str, n: usize) -> Vec<Pieces> {
    let mut out = Vec::new();
    let mut stack: Vec<(usize, usize)> = Vec::new();
    fn go(
        s: &str,
        from: usize,
        n: usize,
        stack: &mut Vec<(usize, usize)>,
        out: &mut Vec<Vec<(usize, usize)>>,
    ) {
        // A bound for hostile input: beyond it the run stays unread.
        if out.len() > 4_000 {
            return;
        }
        if n == 0 {
            if from == s.len() {
                out.push(stack.clone());
            }
            return;
        }
        // What is left must make `n` pieces of 1–10 characters.
        let left = s.len() - from;
        if left < n || left > n * 10 {
            return;
        }
        for to in from + 1..=s.len().min(from + 10) {
            if number(&s[from..to]).is_some() {
                stack.push((from, to));
                go(s, to, n - 1, stack, out);
                stack.pop();
            }
        }
    }
    go(s, 0, n, &mut stack, &mut out);
    if out.len() > 4_000 {
        out.clear();
    }
    out
}

/// Whether `rate` (printed with its decimals) is `part / whole` in percent: exactly, rounded
/// or cut to the printed precision, or within half a percentage point, as `fit` asks.
fn rate_fits(part: Decimal, whole: Decimal, rate: &str, fit: RateFit) -> bool {
    let Some(r) = number(rate) else {
        return false;
    };
    if whole.is_zero() {
        return part.is_zero() && r.is_zero();
    }
    let computed = part / whole * Decimal::from(100);
    let dp = rate.split_once('.').map_or(0, |(_, d)| d.len()) as u32;
    match fit {
        RateFit::Exact => computed == r,
        RateFit::Rounded => round(computed, dp) == r || computed.trunc_with_scale(dp) == r,
        RateFit::Loose => (computed - r).abs() < Decimal::new(5, 1),
    }
}

/// One cell a run was split into: its column (index into the header's columns) and its
/// character range in the run.
pub(super) type Cell = (usize, usize, usize);

/// Splits a run of a funds row (`202010100.00%10`) over the header columns from `pos` on:
/// the amounts before the rate take the columns just before the rate column (leading blank
/// columns dropped), the numbers after it the columns after it. The reading must be the only
/// one where executed ÷ budget gives the printed rate exactly, a weight is in (0, 100] and
/// the score is weight × rate (within a point); failing that, the rate rounded to its printed
/// precision; failing that, a score only at most its weight (a score the form got wrong);
/// failing that, a rate within half a percentage point. Among several readings of one tier, the only one whose
/// amounts share one precision is taken. `weight` is the one the header states, if any;
/// `bounds` are the total row's amounts by column (a 其中 row's amount is at most the total's).
/// `None` when no reading or several fit.
pub(super) fn split_funds(
    run: &str,
    cols: &[FundsCol],
    pos: usize,
    weight: Option<Decimal>,
    bounds: &[(usize, Decimal)],
) -> Option<Vec<Cell>> {
    if !run.is_ascii() || run.len() > 40 {
        return None;
    }
    let rc = (pos..cols.len()).find(|&c| cols[c] == FundsCol::Rate)?;
    let (left, right) = run.split_once('%')?;
    let after: Vec<usize> = (rc + 1..cols.len())
        .filter(|&c| matches!(cols[c], FundsCol::Weight | FundsCol::Score))
        .collect();
    let tiers = [
        (RateFit::Exact, ScoreFit::Consistent),
        (RateFit::Rounded, ScoreFit::Consistent),
        (RateFit::Exact, ScoreFit::Bounded),
        (RateFit::Rounded, ScoreFit::Bounded),
        (RateFit::Loose, ScoreFit::Bounded),
    ];
    // The ways to cut the run, once: the amounts and rate before the `%` (by how many
    // amounts), the numbers after it.
    // The rate first (at most 1000%, 7 characters), then the amounts before it.
    let lefts: Vec<(usize, Vec<Pieces>)> = (1..=rc - pos)
        .map(|k| {
            let mut all = Vec::new();
            for n in 1..=left.len().min(7) {
                let at = left.len() - n;
                if number(&left[at..]).is_none_or(|r| r > Decimal::from(1000)) {
                    continue;
                }
                for mut amounts in cuts(&left[..at], k) {
                    amounts.push((at, left.len()));
                    all.push(amounts);
                }
            }
            (k, all)
        })
        .collect();
    let rights: Vec<Vec<(usize, usize)>> = if right.is_empty() {
        vec![Vec::new()]
    } else {
        (1..=after.len()).flat_map(|m| cuts(right, m)).collect()
    };
    // Every reading, once: a rate of at most 1000%, amounts within the total's.
    let mut readings: Vec<Vec<Cell>> = Vec::new();
    for (k, left_cuts) in &lefts {
        let k = *k;
        for left_cut in left_cuts {
            for right_cut in &rights {
                let mut cells: Vec<Cell> = Vec::new();
                for (i, &(a, b)) in left_cut.iter().enumerate() {
                    let col = rc + 1 + i - (k + 1);
                    cells.push((col, a, b));
                }
                // The rate's cell takes its percent sign.
                if let Some(last) = cells.last_mut() {
                    last.2 += 1;
                }
                let off = left.len() + 1;
                for (i, &(a, b)) in right_cut.iter().enumerate() {
                    cells.push((after[i], off + a, off + b));
                }
                let bounded = cells.iter().all(|c| {
                    bounds.iter().filter(|b| b.0 == c.0).all(|b| {
                        number(run[c.1..c.2].trim_end_matches('%')).is_some_and(|v| v <= b.1)
                    })
                });
                if bounded {
                    readings.push(cells);
                }
            }
        }
    }
    for tier in tiers {
        let mut found: Vec<Vec<Cell>> = readings
            .iter()
            .filter(|cells| funds_fit(run, cols, cells, weight, tier))
            .cloned()
            .collect();
        if found.len() > 1 {
            // Several fit: amounts of one row are printed at one precision.
            found.retain(|cells| one_precision(run, cols, cells));
        }
        match found.len() {
            0 => continue,
            1 => return found.pop(),
            _ => return None,
        }
    }
    rate_weight_score(run, left, right, rc, &after, cols)
}

/// A funds row whose amounts are blank: the rate, the weight and the score after it
/// (`76%107.6` → 76% | 10 | 7.6), split only when the score is weight × rate exactly, in one
/// reading only. A lone zero before the rate (`076%`: OCR's O in a blank cell; no rate is
/// printed with a leading zero) is kept past the header's columns, unread.
fn rate_weight_score(
    run: &str,
    left: &str,
    right: &str,
    rc: usize,
    after: &[usize],
    cols: &[FundsCol],
) -> Option<Vec<Cell>> {
    let (zero, rate_at) = match left.strip_prefix('0') {
        Some(rest) if !rest.is_empty() && !rest.starts_with(['0', '.']) => (true, 1),
        _ => (false, 0),
    };
    let rate = number(&left[rate_at..])?;
    if rate > Decimal::from(1000) {
        return None;
    }
    let (&[w_col, s_col], true) = (
        after,
        after.len() == 2 && cols[after[0]] == FundsCol::Weight && cols[after[1]] == FundsCol::Score,
    ) else {
        return None;
    };
    let off = left.len() + 1;
    let fits: Vec<Pieces> = cuts(right, 2)
        .into_iter()
        .filter(|c| {
            let (Some(w), Some(sc)) = (
                number(&right[c[0].0..c[0].1]),
                number(&right[c[1].0..c[1].1]),
            ) else {
                return false;
            };
            !w.is_zero() && w <= Decimal::from(100) && w * rate / Decimal::from(100) == sc
        })
        .collect();
    let [cut] = fits.as_slice() else {
        return None;
    };
    let mut cells = vec![
        (rc, rate_at, left.len() + 1),
        (w_col, off + cut[0].0, off + cut[0].1),
        (s_col, off + cut[1].0, off + cut[1].1),
    ];
    if zero {
        cells.push((cols.len(), 0, 1));
    }
    debug_assert!(cells.iter().all(|c| c.2 <= run.len()));
    Some(cells)
}

/// How closely executed ÷ budget must give the printed rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RateFit {
    /// Exactly.
    Exact,
    /// Rounded or cut to the printed precision.
    Rounded,
    /// Within half a percentage point.
    Loose,
}

/// How the score must agree with its weight.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ScoreFit {
    /// Weight × rate, within a point.
    Consistent,
    /// At most the weight.
    Bounded,
}

/// Whether the amounts of a reading (budgets, executed) have the same number of decimals.
fn one_precision(run: &str, cols: &[FundsCol], cells: &[Cell]) -> bool {
    let mut decimals = cells
        .iter()
        .filter(|c| {
            matches!(
                cols[c.0],
                FundsCol::Initial | FundsCol::Budget | FundsCol::Executed
            )
        })
        .map(|c| run[c.1..c.2].split_once('.').map_or(0, |(_, d)| d.len()));
    let first = decimals.next();
    decimals.all(|d| Some(d) == first)
}

/// Whether a reading of a funds run satisfies the row's arithmetic.
fn funds_fit(
    run: &str,
    cols: &[FundsCol],
    cells: &[Cell],
    weight: Option<Decimal>,
    (rate_fit, score_fit): (RateFit, ScoreFit),
) -> bool {
    let value = |kind: FundsCol| {
        cells
            .iter()
            .find(|c| cols[c.0] == kind)
            .map(|c| run[c.1..c.2].trim_end_matches('%'))
    };
    let num = |kind| value(kind).and_then(number);
    let (Some(executed), Some(rate)) = (num(FundsCol::Executed), value(FundsCol::Rate)) else {
        return false;
    };
    let Some(budget) = num(FundsCol::Budget).or_else(|| num(FundsCol::Initial)) else {
        return false;
    };
    if !rate_fits(executed, budget, rate, rate_fit) {
        return false;
    }
    let weight = num(FundsCol::Weight).or(weight);
    if let Some(w) = num(FundsCol::Weight)
        && (w.is_zero() || w > Decimal::from(100))
    {
        return false;
    }
    match (num(FundsCol::Score), weight) {
        (Some(s), Some(w)) if score_fit == ScoreFit::Consistent => {
            number(rate).is_some_and(|r| (s - w * r / Decimal::from(100)).abs() < Decimal::ONE)
        }
        (Some(s), Some(w)) => s <= w,
        (Some(s), None) => s <= Decimal::from(100),
        _ => true,
    }
}

/// Splits a 总分 run (`100100`) into `n` numbers of at most 100, each score at most the weight
/// before it; `None` unless exactly one reading fits.
pub(super) fn split_total(run: &str, n: usize) -> Option<Vec<(usize, usize)>> {
    if !run.is_ascii() || run.contains('%') || n < 2 || run.len() > 24 {
        return None;
    }
    let hundred = Decimal::from(100);
    let fits: Vec<Vec<(usize, usize)>> = cuts(run, n)
        .into_iter()
        .filter(|c| {
            let v: Vec<Decimal> = c.iter().filter_map(|r| number(&run[r.0..r.1])).collect();
            v.iter().all(|x| *x <= hundred) && v.windows(2).all(|w| w[1] <= w[0])
        })
        .collect();
    (fits.len() == 1).then(|| fits.into_iter().next()).flatten()
}

/// What an indicator column holds, for splitting a run-together indicator row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Slot {
    /// The indicator's name (三级指标).
    Name,
    /// A weight (分值) or a score (得分).
    Number,
    /// A target or an actual value (年度指标值, 全年实际值).
    Value,
}

/// One indicator row read from a run: for each slot, its character range.
pub(super) type IndicatorRow = Vec<(usize, usize)>;

/// Splits a run-together stretch of indicator rows (`安装坡面水标尺10≥266米≥266米10水标尺宽度…`)
/// by the columns `slots` (from the first one the text fills) and, after the first row, by
/// `next` (a row from its name on). The only arithmetic an indicator row offers is used: its
/// target and actual value are printed alike (a met target, the actual possibly without the
/// target's `≥`), a weight is in (0, 100], a score at most its weight and at most 100, and a
/// row ends where the next name (not a digit) begins, as early as it can. A row is read only
/// when exactly one reading fits (values with digits starting with them are preferred); the
/// rows read and where the unread rest begins are returned.
pub(super) fn split_indicators(
    text: &str,
    slots: &[Slot],
    next: &[Slot],
) -> (Vec<IndicatorRow>, usize) {
    let s: Vec<char> = text.chars().collect();
    let mut rows = Vec::new();
    let mut at = 0;
    if s.len() > 400 || slots.iter().filter(|x| **x == Slot::Value).count() != 2 {
        return (rows, 0);
    }
    let mut slots = slots;
    while at < s.len() {
        let mut found: Vec<IndicatorRow> = Vec::new();
        let mut stack = Vec::new();
        match_row(&s, at, slots, 0, &mut stack, &mut found);
        // A name that would swallow a whole row (`水标尺10≥266米≥266米10水标尺宽度`) missed
        // where that row ended: the row ends first where it can.
        if let Some(first) = found.iter().filter_map(|r| r.last().map(|x| x.1)).min() {
            found.retain(|r| r.last().is_some_and(|x| x.1 == first));
        }
        if found.len() > 1 {
            found.retain(|row| {
                row.iter()
                    .zip(slots)
                    .filter(|(_, slot)| **slot == Slot::Value)
                    .all(|(r, _)| {
                        let v = &s[r.0..r.1];
                        !v.iter().any(char::is_ascii_digit)
                            || v[0].is_ascii_digit()
                            || is_operator(v[0])
                    })
            });
        }
        if found.len() != 1 {
            break;
        }
        let row = found.remove(0);
        at = row.last().map_or(at, |r| r.1);
        rows.push(row);
        slots = next;
    }
    (rows, at)
}

fn is_operator(c: char) -> bool {
    matches!(
        c,
        '≥' | '≤' | '>' | '<' | '=' | '≧' | '≦' | '＞' | '＜' | '＝'
    )
}

/// A well-formed number of a weight or score.
fn points(s: &[char]) -> Option<Decimal> {
    let text: String = s.iter().collect();
    number(&text)
}

/// Collects the readings of one row from `at`, slot `i` on, into `found` (a few at most).
fn match_row(
    s: &[char],
    at: usize,
    slots: &[Slot],
    i: usize,
    stack: &mut Vec<(usize, usize)>,
    found: &mut Vec<IndicatorRow>,
) {
    if found.len() > 16 {
        return;
    }
    let Some(&slot) = slots.get(i) else {
        // The row ends where the next name begins (or the text ends): not in a number, nor
        // before the unit of one (`8|5|5|0万粒` is no row).
        let ends = s.get(at).is_none_or(|c| {
            !(c.is_ascii_digit() || matches!(c, '.' | '%') || ROW_END_UNITS.contains(*c))
        });
        if ends && points_fit(s, slots, stack) {
            found.push(stack.clone());
        }
        return;
    };
    let mut go = |end: usize, stack: &mut Vec<(usize, usize)>| {
        stack.push((at, end));
        match_row(s, end, slots, i + 1, stack, found);
        stack.pop();
    };
    match slot {
        Slot::Name => {
            if s.get(at)
                .is_none_or(|c| c.is_ascii_digit() || is_operator(*c))
            {
                return;
            }
            // A name ends where a number begins (before a weight) or anywhere (before a value).
            let before_number = slots.get(i + 1) == Some(&Slot::Number);
            let stop = s.len().min(at + 60);
            let ends: Vec<usize> = (at + 1..stop)
                .filter(|&end| !before_number || s[end].is_ascii_digit())
                .collect();
            for end in ends {
                go(end, stack);
            }
        }
        Slot::Number => {
            for end in at + 1..=(at + 6).min(s.len()) {
                if points(&s[at..end]).is_some() {
                    go(end, stack);
                }
            }
        }
        Slot::Value => {
            let earlier = (0..i).find(|&j| slots[j] == Slot::Value);
            if let Some(j) = earlier {
                // The actual value: the target again, possibly without its `≥`.
                let (a, b) = stack[j];
                let target = &s[a..b];
                let bare = if is_operator(target[0]) {
                    &target[1..]
                } else {
                    target
                };
                for v in [target, bare] {
                    let end = at + v.len();
                    if !v.is_empty() && end <= s.len() && &s[at..end] == v {
                        go(end, stack);
                        if v.len() == target.len() {
                            break;
                        }
                    }
                }
            } else {
                for end in at + 1..=(at + 24).min(s.len()) {
                    if s[at] == '0' && s.get(at + 1).is_some_and(char::is_ascii_digit) {
                        break;
                    }
                    go(end, stack);
                }
            }
        }
    }
}

/// Whether the numbers of a reading fit: a weight (the first of two) in (0, 100], a score
/// at most its weight and at most 100.
fn points_fit(s: &[char], slots: &[Slot], row: &[(usize, usize)]) -> bool {
    let numbers: Vec<Decimal> = slots
        .iter()
        .zip(row)
        .filter(|(slot, _)| **slot == Slot::Number)
        .filter_map(|(_, r)| points(&s[r.0..r.1]))
        .collect();
    let hundred = Decimal::from(100);
    match numbers.as_slice() {
        [] => true,
        [score] => *score <= hundred,
        [weight, score] => !weight.is_zero() && *weight <= hundred && score <= weight,
        _ => false,
    }
}

/// The columns of a scoring sheet's indicator row (Chongqing: 指标名称 | 计量单位 | 指标性质 |
/// 年初指标值 | 调整指标值 | 全年完成值 | 得分系数(%) | 指标权重(分) | 指标得分(分) | 是否核心指标),
/// as indexes of the header's columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct ScoredCols {
    /// 指标名称.
    pub name: usize,
    /// 计量单位, if the header has it.
    pub unit: Option<usize>,
    /// 指标性质 (定量指标 / 定性指标), if the header has it.
    pub nature: Option<usize>,
    /// The target and actual value columns, in order (年初指标值 … 全年完成值).
    pub values: Vec<usize>,
    /// 得分系数(%).
    pub factor: usize,
    /// 指标权重(分).
    pub weight: usize,
    /// 指标得分(分).
    pub score: usize,
    /// 是否核心指标 (是 / 否), the row's last cell.
    pub flag: usize,
}

/// One scored row read from a run: (column, start, end) for each cell, in characters.
pub(super) type ScoredRow = Vec<(usize, usize, usize)>;

/// Splits run-together rows of a scoring sheet (`财政供养人员控制率%定量指标100%92%100%22否…`)
/// by its columns `cols`. A row ends at its 是/否 flag right after a digit; before the flag,
/// the weight and score run together and are split by score = weight × 得分系数 (rounded or
/// cut to the score's printed decimals, weight in (0, 100]); the coefficient is the rate just
/// before them (at most 100%). Before it come the values (`100%`, `26次`, `0`; or a qualitative
/// target and actual printed alike, `高高`), then the nature word (定量指标), the unit (`%`, or
/// the values' unit) and the name. A row is read only when exactly one reading fits; the rows
/// read and where the unread rest begins are returned.
pub(super) fn split_scored(text: &str, cols: &ScoredCols) -> (Vec<ScoredRow>, usize) {
    let s: Vec<char> = text.chars().collect();
    let mut rows = Vec::new();
    let mut at = 0;
    if s.len() > 4_000 || cols.values.is_empty() {
        return (rows, 0);
    }
    while let Some(end) =
        (at + 1..s.len()).find(|&e| matches!(s[e], '是' | '否') && s[e - 1].is_ascii_digit())
    {
        let mut readings = scored_readings(&s, at, end, cols);
        if readings.len() != 1 {
            break;
        }
        rows.extend(readings.pop());
        at = end + 1;
    }
    (rows, at)
}

fn is_figure(c: char) -> bool {
    c.is_ascii_digit() || c == '.'
}

/// The readings of the row `s[at..=end]` (its flag at `end`).
fn scored_readings(s: &[char], at: usize, end: usize, cols: &ScoredCols) -> Vec<ScoredRow> {
    let back = |from: usize| {
        let mut j = from;
        while j > at && is_figure(s[j - 1]) {
            j -= 1;
        }
        j
    };
    let ws = back(end);
    if ws == end || ws <= at + 1 || s[ws - 1] != '%' {
        return Vec::new();
    }
    let pct = ws - 1;
    let fs0 = back(pct);
    let run: String = s[ws..end].iter().collect();
    let mut out = Vec::new();
    for f in fs0..pct {
        let factor_text: String = s[f..pct].iter().collect();
        let Some(factor) = number(&factor_text).filter(|v| *v <= Decimal::from(100)) else {
            continue;
        };
        let Some(head) = scored_head(s, at, f, cols) else {
            continue;
        };
        for p in 1..run.len() {
            let (Some(w), Some(score)) = (number(&run[..p]), number(&run[p..])) else {
                continue;
            };
            if w.is_zero() || w > Decimal::from(100) || !score_fits(w, factor, score, &run[p..]) {
                continue;
            }
            let mut row = head.clone();
            row.push((cols.factor, f, ws));
            row.push((cols.weight, ws, ws + p));
            row.push((cols.score, ws + p, end));
            row.push((cols.flag, end, end + 1));
            out.push(row);
        }
    }
    out
}

/// Whether `score` (printed as `printed`) is `weight × factor%`, rounded or cut to its decimals.
fn score_fits(weight: Decimal, factor: Decimal, score: Decimal, printed: &str) -> bool {
    let computed = weight * factor / Decimal::from(100);
    let dp = printed.split_once('.').map_or(0, |(_, d)| d.len()) as u32;
    round(computed, dp) == score || computed.trunc_with_scale(dp) == score
}

/// The cells before the coefficient, `s[at..f]`: name, unit, nature and values.
fn scored_head(s: &[char], at: usize, f: usize, cols: &ScoredCols) -> Option<ScoredRow> {
    // Values, from the right: [operator] figures then `%` or a unit of up to two characters.
    let mut values: Vec<(usize, usize)> = Vec::new();
    let mut end = f;
    let mut unit: Vec<char> = Vec::new();
    while let Some((start, u)) = value_before(s, at, end, &unit) {
        if values.is_empty() {
            unit = u;
        }
        values.insert(0, (start, end));
        end = start;
        if values.len() > cols.values.len() {
            return None;
        }
    }
    if values.is_empty() {
        // A qualitative target and actual printed alike (`高高`, `达标达标`).
        let n = (1..=2)
            .find(|&n| f > at + 2 * n && s[f - n..f] == s[f - 2 * n..f - n] && is_cjk(s[f - 1]));
        if let Some(n) = n {
            values = vec![(f - 2 * n, f - n), (f - n, f)];
            end = f - 2 * n;
        }
    }
    let mut row = Vec::new();
    let mut name_end = end;
    if let Some(c) = cols.nature {
        let nature = ["定量指标", "定性指标"].iter().find(|w| {
            let n = w.chars().count();
            name_end > at + n && w.chars().eq(s[name_end - n..name_end].iter().copied())
        });
        if let Some(w) = nature {
            let n = w.chars().count();
            row.push((c, name_end - n, name_end));
            name_end -= n;
        }
    }
    if name_end <= at {
        return None;
    }
    if let Some(c) = cols.unit {
        let n = if s[name_end - 1] == '%' {
            1
        } else if !unit.is_empty()
            && name_end > at + unit.len()
            && s[name_end - unit.len()..name_end] == unit[..]
        {
            unit.len()
        } else {
            0
        };
        if n > 0 {
            row.push((c, name_end - n, name_end));
            name_end -= n;
        }
    }
    // A name starts with a character, or with its number (`3、`), not with a value.
    let numbered = s[at..name_end]
        .iter()
        .position(|c| !c.is_ascii_digit())
        .is_some_and(|n| n > 0 && s[at + n] == '、');
    if name_end <= at || (is_figure(s[at]) && !numbered) || is_operator(s[at]) {
        return None;
    }
    row.insert(0, (cols.name, at, name_end));
    row.sort_unstable();
    let placed: Vec<usize> = match (values.len(), cols.values.len()) {
        (0, _) => Vec::new(),
        (1, _) => vec![cols.values[0]],
        (2, n) if n >= 2 => vec![cols.values[0], cols.values[n - 1]],
        (v, n) if v == n => cols.values.clone(),
        _ => return None,
    };
    row.extend(placed.into_iter().zip(values).map(|(c, (a, b))| (c, a, b)));
    Some(row)
}

/// The value ending at `end` (not before `at`): its start and its unit. A value is an optional
/// operator, figures (an OCR `O` among them), then `%` or up to two characters of unit; a
/// character between the row's unit and the figures (`次到0次`, `份第O份`) belongs to it.
fn value_before(
    s: &[char],
    at: usize,
    end: usize,
    row_unit: &[char],
) -> Option<(usize, Vec<char>)> {
    let mut j = end;
    let unit: Vec<char> = if j > at && s[j - 1] == '%' {
        j -= 1;
        vec!['%']
    } else {
        let mut u = Vec::new();
        while j > at && u.len() < 2 && is_cjk(s[j - 1]) {
            j -= 1;
            u.insert(0, s[j]);
        }
        u
    };
    let figures_end = j;
    while j > at && (is_figure(s[j - 1]) || s[j - 1] == 'O') {
        j -= 1;
    }
    let figures: String = s[j..figures_end]
        .iter()
        .map(|&c| if c == 'O' { '0' } else { c })
        .collect();
    number(&figures)?;
    if j > at && is_operator(s[j - 1]) {
        j -= 1;
    }
    // A unit may also be a character of the name before: only the unit the row's values use.
    let unit = if unit.len() == 2 && !row_unit.is_empty() && unit[1..] == row_unit[..] {
        unit[1..].to_vec()
    } else {
        unit
    };
    let u = if row_unit.is_empty() {
        &unit[..]
    } else {
        row_unit
    };
    if !u.is_empty()
        && u != ['%']
        && j > at + u.len()
        && is_cjk(s[j - 1])
        && !UNITS.contains(s[j - 1])
        && s[j - 1 - u.len()..j - 1] == *u
    {
        j -= 1;
    }
    Some((j, unit))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cut(text: &str) -> Vec<String> {
        let raw: Vec<char> = text.chars().collect();
        pieces(&raw)
            .into_iter()
            .map(|(a, b)| raw[a..b].iter().collect())
            .collect()
    }

    #[test]
    fn cuts_run_together_cells_at_vocabulary_words() {
        assert_eq!(
            cut("项目名称县级储备粮负责人及电话旷建成县级主管部门衡山县商务和粮食局"),
            [
                "项目名称",
                "县级储备粮",
                "负责人及电话",
                "旷建成",
                "县级主管部门",
                "衡山县商务和粮食局"
            ]
        );
        assert_eq!(
            cut("全年预算数(A)全年执行数(B)执行率(B/A1得分(20分*执行率)"),
            [
                "全年预算数(A)",
                "全年执行数(B)",
                "执行率(B/A1",
                "得分(20分*执行率)"
            ]
        );
        assert_eq!(
            cut("其中:基本支出:2299.98政府性基金拨款:"),
            ["其中:", "基本支出:", "2299.98", "政府性基金拨款:"]
        );
        assert_eq!(
            cut("其中:中央、省、市补助县级资金194.9194.9100%其他资金"),
            [
                "其中:",
                "中央、省、市补助县级资金",
                "194.9194.9100%",
                "其他资金"
            ]
        );
        // One word only: a cell of its own, left whole.
        assert_eq!(
            cut("项目名称中江县水标尺项目"),
            ["项目名称中江县水标尺项目"]
        );
        // Traditional characters with pinyin glosses.
        assert_eq!(
            cut("地方資(zī)金4646100%其他資(zī)金"),
            ["地方資(zī)金", "4646100%", "其他資(zī)金"]
        );
    }

    fn split(run: &str, cols: &[FundsCol], weight: Option<Decimal>) -> Option<Vec<String>> {
        split_funds(run, cols, 0, weight, &[])
            .map(|cells| cells.iter().map(|c| run[c.1..c.2].to_string()).collect())
    }

    #[test]
    fn splits_a_funds_run_by_its_arithmetic() {
        use FundsCol::*;
        let cols = [Budget, Executed, Weight, Rate, Score];
        assert_eq!(
            split("202010100.00%10", &cols, None).unwrap(),
            ["20", "20", "10", "100.00%", "10"]
        );
        let cols = [Initial, Budget, Executed, Weight, Rate, Score];
        assert_eq!(
            split("2456.182456.182456.1810100%10", &cols, None).unwrap(),
            ["2456.18", "2456.18", "2456.18", "10", "100%", "10"]
        );
        let cols = [Budget, Executed, Rate, Score];
        assert_eq!(
            split("10001000100%20", &cols, Some(Decimal::from(20))).unwrap(),
            ["1000", "1000", "100%", "20"]
        );
        let cols = [Budget, Executed, Rate];
        assert_eq!(split("10200%", &cols, None).unwrap(), ["102", "0", "0%"]);
        // 46461|0|0% is exact as well: a 其中 row's amounts are at most the total's.
        assert_eq!(split("4646100%", &cols, None), None);
        let bounds = [(0, Decimal::from(148)), (1, Decimal::from(46))];
        let cells = split_funds("4646100%", &cols, 0, None, &bounds).unwrap();
        assert_eq!(cells, [(0, 0, 2), (1, 2, 4), (2, 4, 8)]);
        // 46 ÷ 148 = 31.08%, printed 31.00%: the only reading within half a point.
        assert_eq!(
            split("1484631.00%", &cols, None).unwrap(),
            ["148", "46", "31.00%"]
        );
    }

    #[test]
    fn leaves_an_ambiguous_run_unread() {
        use FundsCol::*;
        // 11|11|100% and 11111|0|0% both fit exactly: not read.
        assert_eq!(split("1111100%", &[Budget, Executed, Rate], None), None);
        // No rate: nothing to check a reading against.
        assert_eq!(split("2020", &[Budget, Executed], None), None);
        // No reading fits (5 ÷ 12 is not 90%).
        assert_eq!(split("51290%", &[Budget, Executed, Rate], None), None);
    }

    fn split_rows(text: &str, slots: &[Slot], next: &[Slot]) -> (Vec<Vec<String>>, String) {
        let chars: Vec<char> = text.chars().collect();
        let (rows, at) = split_indicators(text, slots, next);
        let rows = rows
            .iter()
            .map(|r| {
                r.iter()
                    .map(|&(a, b)| chars[a..b].iter().collect())
                    .collect()
            })
            .collect();
        (rows, chars[at..].iter().collect())
    }

    #[test]
    fn splits_indicator_rows_where_target_and_actual_agree() {
        use Slot::*;
        let row = [Name, Number, Value, Value, Number];
        let (rows, rest) = split_rows("项目计划总投资1020万元20万元10……", &row, &row);
        assert_eq!(rows, [["项目计划总投资", "10", "20万元", "20万元", "10"]]);
        assert_eq!(rest, "……");
        // The actual without the target's ≥; 8|5|5|0 would end the row before a unit.
        let (rows, _) = split_rows("免费发放原原种8≥550万粒550万粒8", &row, &row);
        assert_eq!(rows, [["免费发放原原种", "8", "≥550万粒", "550万粒", "8"]]);
        // A run after the name: from the weight on.
        let (rows, _) = split_rows("20100%100%20", &row[1..], &row);
        assert_eq!(rows, [["20", "100%", "100%", "20"]]);
        // Target and actual differ: nothing is read.
        let (rows, rest) = split_rows("门诊人次10增加增372人次5", &row, &row);
        assert!(rows.is_empty());
        assert_eq!(rest, "门诊人次10增加增372人次5");
    }

    fn split_scored_rows(text: &str) -> (Vec<Vec<String>>, String) {
        let cols = ScoredCols {
            name: 0,
            unit: Some(1),
            nature: Some(2),
            values: vec![3, 4, 5],
            factor: 6,
            weight: 7,
            score: 8,
            flag: 9,
        };
        let chars: Vec<char> = text.chars().collect();
        let (rows, at) = split_scored(text, &cols);
        let rows = rows
            .iter()
            .map(|r| {
                r.iter()
                    .map(|&(c, a, b)| format!("{c}:{}", chars[a..b].iter().collect::<String>()))
                    .collect()
            })
            .collect();
        (rows, chars[at..].iter().collect())
    }

    #[test]
    fn splits_scored_rows_by_weight_times_factor() {
        let (rows, rest) = split_scored_rows(
            "财政供养人员控制率%定量指标100%92%100%22否预算调整率%3%0100%22否\
             组织宣传活动次数次到0次43次100%1010是资金使用合规性好好100%55否指标乙%80%60%50%105否公共服务",
        );
        assert_eq!(
            rows,
            [
                vec![
                    "0:财政供养人员控制率",
                    "1:%",
                    "2:定量指标",
                    "3:100%",
                    "5:92%"
                ]
                .into_iter()
                .chain(["6:100%", "7:2", "8:2", "9:否"])
                .collect::<Vec<_>>(),
                // 0|100% (not 010|0%: 2 × 0% is not 2).
                vec![
                    "0:预算调整率",
                    "1:%",
                    "3:3%",
                    "5:0",
                    "6:100%",
                    "7:2",
                    "8:2",
                    "9:否"
                ],
                // 10|10, the unit 次 after the name, and 到 before the target's figure.
                vec!["0:组织宣传活动次数", "1:次", "3:到0次", "5:43次", "6:100%"]
                    .into_iter()
                    .chain(["7:10", "8:10", "9:是"])
                    .collect(),
                vec![
                    "0:资金使用合规性",
                    "3:好",
                    "5:好",
                    "6:100%",
                    "7:5",
                    "8:5",
                    "9:否"
                ],
                // 10 × 50% = 5.
                vec![
                    "0:指标乙",
                    "1:%",
                    "3:80%",
                    "5:60%",
                    "6:50%",
                    "7:10",
                    "8:5",
                    "9:否"
                ],
            ]
        );
        assert_eq!(rest, "公共服务");
    }

    #[test]
    fn leaves_an_ambiguous_scored_row_unread() {
        // 1|0.55 (1 × 55%) and 10.5|5 (10.5 × 55% = 5.775, cut to 5) both fit: the row and
        // those after it stay unread.
        let text = "指标甲%90%95%55%10.55否指标乙%100%100%100%22否";
        let (rows, rest) = split_scored_rows(text);
        assert!(rows.is_empty(), "{rows:?}");
        assert_eq!(rest, text);
        // No reading fits: 2 × 50% is not 2.
        let (rows, _) = split_scored_rows("指标丁%100%50%50%22否");
        assert!(rows.is_empty(), "{rows:?}");
    }

    #[test]
    fn splits_a_total_run() {
        assert_eq!(split_total("100100", 2), Some(vec![(0, 3), (3, 6)]));
        assert_eq!(split_total("10096", 2), Some(vec![(0, 3), (3, 5)]));
        // 9|99 has a score above its weight: 99|9 is the only reading.
        assert_eq!(split_total("999", 2), Some(vec![(0, 2), (2, 3)]));
        assert_eq!(split_total("5050", 2), Some(vec![(0, 2), (2, 4)]));
        assert_eq!(split_total("1010", 2), Some(vec![(0, 2), (2, 4)]));
        assert_eq!(split_total("9080", 2), Some(vec![(0, 2), (2, 4)]));
        // 1|100 has a score above its weight, 110|0 a weight above 100: not read.
        assert_eq!(split_total("1100", 2), None);
    }
}
