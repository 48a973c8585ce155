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
];

/// A cell's text with the recognizer's usual slips repaired, and whether a figure was
/// repaired (then the cell needs confirmation).
pub fn repaired(text: &str) -> (String, bool) {
    if let Some(label) = label(text) {
        return (label.to_string(), false);
    }
    match figure(text) {
        Some(f) => (f, true),
        None => (text.to_string(), false),
    }
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
        assert_eq!(repaired("一纪指标"), ("一级指标".to_string(), false));
        assert_eq!(repaired("严出指标"), ("产出指标".to_string(), false));
        assert_eq!(
            repaired("偏差原风分析及改进措施").0,
            "偏差原因分析及改进措施"
        );
        // Exact labels, short texts and texts near two labels are left as read.
        assert_eq!(repaired("数量指标").0, "数量指标");
        assert_eq!(repaired("分值").0, "分值");
        // 三级指标 and 二级指标 are both one character from 四级指标.
        assert_eq!(repaired("四级指标").0, "四级指标");
        assert_eq!(repaired("东津院区建设补助").0, "东津院区建设补助");
    }

    #[test]
    fn figures_with_one_slip_are_repaired_and_marked() {
        assert_eq!(repaired("43.Z"), ("43.2".to_string(), true));
        assert_eq!(repaired("869%"), ("86%".to_string(), true));
        assert_eq!(repaired("10096"), ("100%".to_string(), true));
        // Plausible readings are kept.
        assert_eq!(repaired("99%"), ("99%".to_string(), false));
        assert_eq!(repaired("100.00%"), ("100.00%".to_string(), false));
        assert_eq!(repaired("2096"), ("2096".to_string(), false));
        assert_eq!(repaired("37.2Z4"), ("37.224".to_string(), true));
        assert_eq!(repaired("1000万元"), ("1000万元".to_string(), false));
        assert_eq!(repaired("A级"), ("A级".to_string(), false));
    }
}
