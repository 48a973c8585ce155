//! Repairs of what character recognition typically gets wrong in a form, each of them small
//! and each marked: a label one or two characters off the forms' own vocabulary
//! (`一纪指标` → `二级指标` is not guessed, `一纪指标` → `一级指标` is) and a figure with a
//! letter in it (`43.Z` → `43.2`, `869%` → `86%`). A repaired figure is a guess, so its cell
//! needs confirmation; a repaired label carries no value and is taken as read.

use jixiao_core::indicator::{Level1, Level2};

/// Labels printed on the forms, besides the indicator levels' names.
const LABELS: &[&str] = &[
    "一级指标",
    "二级指标",
    "三级指标",
    "项目名称",
    "主管部门",
    "实施单位",
    "项目资金",
    "年初预算数",
    "全年预算数",
    "全年执行数",
    "预算执行数",
    "预算执行率",
    "年度资金总额",
    "当年财政拨款",
    "上年结转资金",
    "其他资金",
    "年度总体目标",
    "年度总体目标完成情况",
    "总体目标完成情况",
    "预期目标",
    "实际完成情况",
    "年度指标值",
    "实际完成值",
    "年初目标值",
    "指标性质",
    "度量单位",
    "偏差原因分析及改进措施",
    "未完成原因分析",
    "总分",
    "自评等级",
    // Labels close to an indicator level's name that must not be "repaired" into it
    // (绩效指标 is one character from 时效指标).
    "绩效指标",
    "绩效目标",
    "总体目标",
    "年度目标",
    "资金情况",
    "资金总额",
    "资金来源",
    "财政拨款",
    "指标解释",
    "指标内容",
    "指标名称",
    "评分标准",
    "自评得分",
    "评价得分",
    "完成情况",
    "执行情况",
    "预算执行情况",
    "全年执行率",
    "项目概况",
    "实施期限",
    "中央财政资金",
    "地方资金",
];

/// Below this mean word confidence a text one character off a short label is taken for the
/// label; a confident reading is what is printed (an unlisted label such as 绩效指标 is not
/// "repaired" into 时效指标). Long labels are repaired however sure the reading: no other
/// label is that close to them.
const SURE: f32 = 90.0;

/// A cell's text, read with mean word confidence `confidence` (0–100), with the recognizer's
/// usual slips repaired, and whether a figure was repaired (then the cell needs
/// confirmation).
pub fn repaired(text: &str, confidence: f32) -> (String, bool) {
    if let Some(label) = label(text)
        && (confidence < SURE || label.chars().count() >= 7)
    {
        return (label.to_string(), false);
    }
    match figure(text) {
        Some(f) => (f, true),
        None => (chinese_quotes(text), false),
    }
}

fn is_quote(c: char) -> bool {
    matches!(c, '"' | '“' | '”')
}

/// Straight double quotes in Chinese text read as the curly quotes a form prints: closing
/// after an opening one, opening otherwise (`“三支一扶"` → `“三支一扶”`).
fn chinese_quotes(text: &str) -> String {
    if !text.contains('"') || !text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)) {
        return text.to_string();
    }
    let mut open = false;
    let mut previous = None;
    text.chars()
        // A quote read twice (`“"`) is one quote.
        .filter(|&c| {
            let twice = is_quote(c) && previous.is_some_and(is_quote);
            previous = Some(c);
            !twice
        })
        .map(|c| match c {
            '“' => {
                open = true;
                c
            }
            '”' => {
                open = false;
                c
            }
            '"' => {
                open = !open;
                if open { '“' } else { '”' }
            }
            _ => c,
        })
        .collect()
}

/// The label `text` was meant to be: same length, at most one character different (two for
/// labels of seven characters or more), and only one label that close.
fn label(text: &str) -> Option<&'static str> {
    let chars: Vec<char> = text.chars().filter(|c| !c.is_whitespace()).collect();
    if chars.len() < 4 {
        return None;
    }
    let levels = Level1::ALL
        .iter()
        .map(|l| l.name())
        .chain(Level2::ALL.iter().map(|l| l.name()));
    let mut found: Option<&'static str> = None;
    for candidate in levels.chain(LABELS.iter().copied()) {
        let want: Vec<char> = candidate.chars().collect();
        if want.len() != chars.len() {
            continue;
        }
        let differ = want.iter().zip(&chars).filter(|(a, b)| a != b).count();
        if differ == 0 {
            return None;
        }
        let allowed = if want.len() >= 7 { 2 } else { 1 };
        if differ <= allowed {
            if found.is_some_and(|f| f != candidate) {
                return None;
            }
            found = Some(candidate);
        }
    }
    found
}

/// Letters the recognizer reads in place of digits.
fn digit_for(c: char) -> Option<char> {
    Some(match c {
        'O' | 'o' | 'D' => '0',
        'l' | 'I' | '|' => '1',
        'Z' | 'z' => '2',
        'S' | 's' => '5',
        'B' => '8',
        _ => return None,
    })
}

/// A figure with a slip repaired: one confusable letter among digits (`37.2Z4` is not a
/// figure, `43.Z` is `43.2`), or a rate whose percent sign was read as `9%` or `96`
/// (`869%` → `86%`, `10096` → `100%`) when only the repaired reading is a plausible rate.
fn figure(text: &str) -> Option<String> {
    let t = text.trim();
    // `869%%`: the percent sign read twice.
    if let Some(body) = t.strip_suffix("%%") {
        let once = format!("{body}%");
        return Some(figure(&once).unwrap_or(once)).filter(|f| valid_number(f));
    }
    let digits = t.chars().filter(char::is_ascii_digit).count();
    if digits < 2 || t.chars().count() > 12 {
        return None;
    }
    // One letter among digits and a dot.
    let letters: Vec<usize> = t
        .char_indices()
        .filter(|(_, c)| !c.is_ascii_digit() && !matches!(c, '.' | '%'))
        .map(|(i, _)| i)
        .collect();
    if letters.len() == 1 {
        let i = letters[0];
        let c = t[i..].chars().next()?;
        let d = digit_for(c)?;
        let out = format!("{}{d}{}", &t[..i], &t[i + c.len_utf8()..]);
        return valid_number(&out).then_some(out);
    }
    if !letters.is_empty() {
        return None;
    }
    // `869%`: a rate above 100 whose last digit is the percent sign's left half.
    // Read as written (`{body}9%`) it is above 100 exactly when `body` is 10 or more; repaired
    // it must be a rate of at most 100.
    if let Some(body) = t.strip_suffix("9%") {
        // `31.009%`: a rate printed with two decimals, the sign's half read as a third.
        if let Some((whole, decimals)) = body.split_once('.') {
            let value: u32 = whole.parse().ok()?;
            return (decimals.len() == 2
                && decimals.chars().all(|c| c.is_ascii_digit())
                && value <= 1000)
                .then(|| format!("{body}%"));
        }
        let value: u32 = body.parse().ok()?;
        return (10..=100).contains(&value).then(|| format!("{body}%"));
    }
    // `10096`: 100 and a percent sign read as 96 (a rate of ten thousand is not a rate).
    if let Some(body) = t.strip_suffix("96")
        && !t.contains('.')
        && body == "100"
    {
        return Some("100%".to_string());
    }
    None
}

fn valid_number(s: &str) -> bool {
    let body = s.strip_suffix('%').unwrap_or(s);
    !body.is_empty()
        && body.chars().all(|c| c.is_ascii_digit() || c == '.')
        && body.matches('.').count() <= 1
        && !body.starts_with('.')
        && !body.ends_with('.')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_one_character_off_are_repaired_and_ambiguous_ones_left() {
        assert_eq!(repaired("一纪指标", 50.0), ("一级指标".to_string(), false));
        assert_eq!(repaired("严出指标", 50.0), ("产出指标".to_string(), false));
        assert_eq!(
            repaired("偏差原风分析及改进措施", 50.0).0,
            "偏差原因分析及改进措施"
        );
        // Exact labels, short texts and texts near two labels are left as read.
        assert_eq!(repaired("数量指标", 50.0).0, "数量指标");
        assert_eq!(repaired("分值", 50.0).0, "分值");
        // 三级指标 and 二级指标 are both one character from 四级指标.
        assert_eq!(repaired("四级指标", 50.0).0, "四级指标");
        // A confident reading is what is printed; a label off the list is not "repaired".
        assert_eq!(repaired("一纪指标", 95.0).0, "一纪指标");
        assert_eq!(repaired("绩效指标", 50.0).0, "绩效指标");
        assert_eq!(
            repaired("年度总体自标完成情况", 95.0).0,
            "年度总体目标完成情况"
        );
        assert_eq!(repaired("东津院区建设补助", 50.0).0, "东津院区建设补助");
    }

    #[test]
    fn figures_with_one_slip_are_repaired_and_marked() {
        assert_eq!(repaired("43.Z", 50.0), ("43.2".to_string(), true));
        assert_eq!(repaired("869%", 50.0), ("86%".to_string(), true));
        assert_eq!(repaired("10096", 50.0), ("100%".to_string(), true));
        assert_eq!(repaired("31.009%", 50.0), ("31.00%".to_string(), true));
        assert_eq!(repaired("869%%", 50.0), ("86%".to_string(), true));
        assert_eq!(repaired("95%%", 50.0), ("95%".to_string(), true));
        assert_eq!(repaired("31.5%", 50.0), ("31.5%".to_string(), false));
        // Plausible readings are kept.
        assert_eq!(repaired("99%", 50.0), ("99%".to_string(), false));
        assert_eq!(repaired("100.00%", 50.0), ("100.00%".to_string(), false));
        assert_eq!(repaired("2096", 50.0), ("2096".to_string(), false));
        assert_eq!(repaired("37.2Z4", 50.0), ("37.224".to_string(), true));
        assert_eq!(repaired("1000万元", 50.0), ("1000万元".to_string(), false));
        assert_eq!(repaired("A级", 50.0), ("A级".to_string(), false));
    }

    #[test]
    fn straight_quotes_in_chinese_text_are_curly() {
        assert_eq!(
            repaired("“三支一扶\"省级资金", 95.0).0,
            "“三支一扶”省级资金"
        );
        assert_eq!(
            repaired("开展\"两强一增\"行动", 95.0).0,
            "开展“两强一增”行动"
        );
        assert_eq!(repaired("say \"hi\"", 95.0).0, "say \"hi\"");
    }
}
