//! Rules read from a table's own words: the 评价标准 / 指标说明 columns of an imported
//! 评价指标表 compiled into a [`RuleSet`] wherever the wording matches a known shape — per-point
//! deductions, bands with （含）, tiers, ①② checklists with points, per-occurrence deductions,
//! formulas such as `在职人员控制率=（在职人员数/编制数）×100%` — and every criterion that
//! could not be compiled listed, so a table that arrives as a .docx can be audited at once.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Serialize;

use super::expr::Expr;
use super::shape::{Band, Item, Rule, Side, Tier};
use super::{FieldSource, Indicator, RuleSet, WhenMissing};
use crate::form::EvaluationTable;
use crate::grade::GradeBands;
use crate::numeral::{arabic_at, fold_width};

/// A criterion that could not be compiled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Uncompiled {
    /// The indicator.
    pub name: String,
    /// The wording.
    pub text: String,
    /// Why.
    pub reason: String,
}

/// The compiled rule set and what could not be compiled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Compiled {
    /// The rule set (indicators that could not be compiled are left out of it).
    pub rules: RuleSet,
    /// Criteria that could not be compiled.
    pub uncompiled: Vec<Uncompiled>,
}

/// Compiles an imported evaluation table.
pub fn from_table(table: &EvaluationTable) -> Compiled {
    let mut indicators: Vec<Indicator> = Vec::new();
    let mut uncompiled = Vec::new();
    let mut fields: BTreeMap<String, FieldSource> = BTreeMap::new();
    for row in &table.indicators {
        // A row with neither points nor criteria shares the previous row's (经济效益、社会效益).
        if row.points.is_none() && row.criteria.trim().is_empty() {
            if let Some(last) = indicators.last_mut() {
                last.name = format!("{}、{}", last.name, row.name);
            }
            continue;
        }
        let Some(points) = row.points else {
            uncompiled.push(Uncompiled {
                name: row.name.clone(),
                text: row.criteria.clone(),
                reason: "没有分值".into(),
            });
            continue;
        };
        let criteria = fold_width(&row.criteria);
        let explanation = fold_width(&row.explanation);
        let measure = formula(&explanation).or_else(|| formula(&criteria));
        match rule(&criteria, points) {
            Ok((rule, when_missing)) => {
                let measure = if rule.needs_measure() {
                    // Without a formula the measure is the indicator's own value (满意度 from a
                    // survey), supplied by the assessment.
                    let own = || Expr::parse(&row.name.split_whitespace().collect::<String>()).ok();
                    match measure
                        .clone()
                        .or_else(|| score_formula(&criteria))
                        .or_else(own)
                    {
                        Some(m) => Some(m),
                        None => {
                            uncompiled.push(Uncompiled {
                                name: row.name.clone(),
                                text: row.criteria.clone(),
                                reason: "找不到计算公式（指标说明中应有“指标名=公式”）".into(),
                            });
                            continue;
                        }
                    }
                } else {
                    None
                };
                if let Some(m) = &measure {
                    for f in m.fields() {
                        fields.entry(f).or_insert_with(|| FieldSource {
                            label: String::new(),
                            column: String::new(),
                            note: "待对应基础数据表中的单元格".into(),
                            unit: String::new(),
                        });
                    }
                }
                indicators.push(Indicator {
                    level1: row.level1.clone(),
                    level2: row.level2.clone(),
                    name: row.name.clone(),
                    points,
                    measure,
                    rule,
                    when_missing,
                    criteria: row
                        .criteria
                        .split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" "),
                    overshoot: None,
                });
            }
            Err(reason) => uncompiled.push(Uncompiled {
                name: row.name.clone(),
                text: row.criteria.clone(),
                reason,
            }),
        }
    }
    Compiled {
        rules: RuleSet {
            levels: levels(table),
            name: if table.title.is_empty() {
                "评价指标表".into()
            } else {
                table.title.clone()
            },
            full_score: Decimal::ONE_HUNDRED,
            grade: GradeBands::default(),
            fields,
            indicators,
            vetoes: Vec::new(),
        },
        uncompiled,
    }
}

/// Group points as the table prints them: a level-1 group's points once, a level-2 group's
/// points summed over its merged cells (履职效益 10 + 12).
fn levels(table: &EvaluationTable) -> BTreeMap<String, super::Points> {
    let mut out: BTreeMap<String, super::Points> = BTreeMap::new();
    let mut last: Option<(String, Decimal)> = None;
    for row in &table.indicators {
        if let Some(p) = row.level1_points {
            out.entry(row.level1.clone()).or_insert(super::Points(p));
        }
        if let Some(p) = row.level2_points {
            let key = format!("{}/{}", row.level1, row.level2);
            if last.as_ref() != Some(&(key.clone(), p)) {
                let entry = out
                    .entry(key.clone())
                    .or_insert(super::Points(Decimal::ZERO));
                entry.0 += p;
                last = Some((key, p));
            }
        }
    }
    out
}

/// The formula after `名称=` (or the `名称-` typo) in a text: `（在职人员数/编制数）×100%`.
fn formula(text: &str) -> Option<Expr> {
    for line in text.split(['\n', '。']) {
        let line = line.trim();
        let Some(pos) = line
            .find('=')
            .or_else(|| line.find("率-").map(|p| p + "率".len()))
        else {
            continue;
        };
        let (name, rest) = line.split_at(pos);
        if name.is_empty() || name.contains('得') && name.contains('分') {
            continue;
        }
        let rhs = rest[1..].trim();
        let end = rhs.find("×100%").map_or(rhs.len(), |p| p + "×100%".len());
        let rhs = rhs[..end].trim_end_matches(['。', ';', '；']).trim();
        if let Ok(e) = Expr::parse(rhs)
            && !e.fields().is_empty()
        {
            return Some(e);
        }
    }
    None
}

/// The measure of "该项得分=（绩效办对应部分考核得分/100）*8": the part divided by the full.
fn score_formula(text: &str) -> Option<Expr> {
    let start = text.find("得分=")? + "得分=".len();
    let rest = &text[start..];
    let open = rest.find('(')? + 1;
    let slash = rest.find('/')?;
    Expr::parse(rest.get(open..slash)?).ok()
}

/// Reads a number (Arabic, or 一/两) at the start of `s`; returns it and the bytes it took.
fn number(s: &str) -> Option<(Decimal, usize)> {
    let chars: Vec<char> = s.chars().collect();
    if let Some(n) = arabic_at(&chars, 0) {
        let bytes: usize = chars[..n.end].iter().map(|c| c.len_utf8()).sum();
        return Some((n.value, bytes));
    }
    match chars.first() {
        Some('一') => Some((Decimal::ONE, '一'.len_utf8())),
        Some('两') => Some((Decimal::TWO, '两'.len_utf8())),
        _ => None,
    }
}

/// The last number in `s` (the value a condition names).
fn last_number(s: &str) -> Option<Decimal> {
    let mut found = None;
    let mut i = 0;
    while i < s.len() {
        if let Some((v, len)) = s[i..]
            .chars()
            .next()
            .filter(char::is_ascii_digit)
            .and_then(|_| number(&s[i..]))
        {
            found = Some(v);
            i += len;
        } else {
            i += s[i..].chars().next().map_or(1, char::len_utf8);
        }
    }
    found
}

/// The points a clause gives: `计5分`, `2分`, `不得分` → 0.
fn points_in(clause: &str) -> Option<Decimal> {
    if clause.contains("不得分") {
        return Some(Decimal::ZERO);
    }
    let pos = clause.rfind('分')?;
    let before = &clause[..pos];
    let digits_start = before
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_ascii_digit() || *c == '.')
        .last()
        .map(|(i, _)| i)?;
    number(&before[digits_start..]).map(|(v, _)| v)
}

/// Compiles a criterion into a rule.
fn rule(text: &str, points: Decimal) -> Result<(Rule, WhenMissing), String> {
    let when_missing = if text.contains("按满分计算") || text.contains("按满分计") {
        WhenMissing::Full
    } else {
        WhenMissing::NotComputable
    };
    let t: String = fold_width(text).split_whitespace().collect();
    if let Some(rule) = per_step(&t) {
        return Ok((rule, when_missing));
    }
    if let Some(items) = checklist(&t) {
        return Ok((Rule::Checklist { items }, when_missing));
    }
    if let Some(pos) = t.find("每出现一例") {
        let deduct = t[pos..]
            .find('扣')
            .and_then(|p| number(&t[pos + p + '扣'.len_utf8()..]))
            .map(|(v, _)| v);
        return deduct
            .map(|deduct| (Rule::PerOccurrence { deduct }, when_missing))
            .ok_or_else(|| "“每出现一例”后没有扣分数".into());
    }
    if t.contains("得分=") && t.contains("/100") {
        return Ok((
            Rule::Proportional {
                full: Decimal::ONE_HUNDRED,
                cap: true,
            },
            when_missing,
        ));
    }
    if let Some(bands) = bands(&t) {
        return Ok((Rule::Bands { bands }, when_missing));
    }
    if let Some(tiers) = tiers(&t) {
        return Ok((Rule::Tiers { tiers }, when_missing));
    }
    if !t.contains('分') {
        // No scoring words at all: the evaluator scores it.
        return Ok((Rule::Manual, when_missing));
    }
    let _ = points;
    Err("评价标准的写法不在已知的计分方式之中".into())
}

/// "每超过一个百分点扣0.5分", "每低于5个百分点扣2分", "每超出5%扣2分", "每超过（降低）5%扣2分".
fn per_step(t: &str) -> Option<Rule> {
    let pos = t.find('每')?;
    let rest = &t[pos + '每'.len_utf8()..];
    let (side, after) = [
        ("超过(降低)", Side::Both),
        ("超过", Side::Above),
        ("超出", Side::Above),
        ("高于", Side::Above),
        ("低于", Side::Below),
        ("降低", Side::Below),
    ]
    .iter()
    .find_map(|(w, s)| rest.strip_prefix(w).map(|a| (*s, a)))?;
    let (step, used) = number(after)?;
    let unit = &after[used..];
    let unit = unit.strip_prefix('个').unwrap_or(unit);
    let unit = unit
        .strip_prefix("百分点")
        .or_else(|| unit.strip_prefix('%'))?;
    let k = unit.find('扣')?;
    let (deduct, _) = number(&unit[k + '扣'.len_utf8()..])?;
    // The target: "≦100%", "≤0", "100%以下", "以100%为标准", "100%计满分".
    let head = &t[..pos];
    let target = ["≤", "≦", "以"]
        .iter()
        .find_map(|w| {
            head.find(w)
                .and_then(|p| number(&head[p + w.len()..]))
                .map(|(v, _)| v)
        })
        .or_else(|| last_number(head))
        .unwrap_or(Decimal::ONE_HUNDRED);
    Some(Rule::DeductPerStep {
        target,
        side,
        step,
        deduct,
        whole_steps: step != Decimal::ONE,
    })
}

/// "①…，2分；②…,2分" → items with their points.
fn checklist(t: &str) -> Option<Vec<Item>> {
    const CIRCLED: &str = "①②③④⑤⑥⑦⑧⑨⑩";
    let starts: Vec<usize> = t
        .char_indices()
        .filter(|(_, c)| CIRCLED.contains(*c))
        .map(|(i, _)| i)
        .collect();
    if starts.len() < 2 {
        return None;
    }
    let mut items = Vec::new();
    for (k, &s) in starts.iter().enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or(t.len());
        let body = &t[s + '①'.len_utf8()..end];
        let body = body.trim_end_matches(['；', ';', '。']);
        let points = points_in(body)?;
        let text = body[..body.rfind([',', '，']).unwrap_or(body.len())]
            .trim()
            .to_string();
        items.push(Item { text, points });
    }
    Some(items)
}

/// A criterion's clauses, split at semicolons and line breaks; `None` when
/// there are fewer than two, since one clause cannot be a graded scale.
fn clauses(t: &str) -> Option<Vec<&str>> {
    let clauses: Vec<&str> = t
        .split(['；', ';', '\n'])
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    (clauses.len() >= 2).then_some(clauses)
}

/// "预算控制率=0，计5分；0-10%（含），计4分；…；大于30%不得分", "90%（含）以上计6分；…；低于70%计0分".
fn bands(t: &str) -> Option<Vec<Band>> {
    let clauses = clauses(t)?;
    let mut out = Vec::new();
    for clause in clauses {
        let points = points_in(clause)?;
        let cond = clause
            .split("计")
            .next()
            .unwrap_or(clause)
            .trim_end_matches([',', '，']);
        let cond = cond.trim_end_matches("不得分");
        out.push(band(cond, points)?);
    }
    Some(out)
}

fn band(cond: &str, points: Decimal) -> Option<Band> {
    let c = cond.replace("(含)", "含").replace('%', "");
    let b = |min: Option<Decimal>, min_in: bool, max: Option<Decimal>, max_in: bool| Band {
        min,
        min_inclusive: min_in,
        max,
        max_inclusive: max_in,
        points,
    };
    if let Some(eq) = c.rfind('=') {
        let (v, _) = number(&c[eq + 1..])?;
        return Some(b(Some(v), true, Some(v), true));
    }
    for w in ["大于", "超过", "高于"] {
        if let Some(p) = c.find(w) {
            return Some(b(Some(number(&c[p + w.len()..])?.0), false, None, false));
        }
    }
    for w in ["低于", "小于", "不足"] {
        if let Some(p) = c.find(w) {
            return Some(b(None, true, Some(number(&c[p + w.len()..])?.0), false));
        }
    }
    if let Some(p) = c.find('-') {
        let (lo, hi) = (&c[..p], &c[p + 1..]);
        let lo_v = last_number(lo)?;
        let (hi_v, _) = number(hi)?;
        return Some(b(
            Some(lo_v),
            lo.ends_with('含'),
            Some(hi_v),
            hi.contains('含'),
        ));
    }
    if c.contains("以上") {
        return Some(b(Some(last_number(&c)?), true, None, false));
    }
    if c.contains("以下") {
        // "以下" includes its bound, as in legal usage.
        return Some(b(None, true, Some(last_number(&c)?), true));
    }
    None
}

/// "…效果较好的计6分；一般3分；无效果或者效果不明显0分" → fixed tiers.
fn tiers(t: &str) -> Option<Vec<Tier>> {
    let clauses = clauses(t)?;
    let mut out = Vec::new();
    let mut preambled = Vec::new();
    for clause in clauses {
        let points = points_in(clause)?;
        preambled.push(clause.contains([',', '，']));
        let head = clause.trim_end_matches('。');
        let head = &head[..head
            .rfind(|c: char| c.is_ascii_digit())
            .map_or(head.len(), |p| {
                head[..p]
                    .trim_end_matches(|c: char| c.is_ascii_digit() || c == '.')
                    .len()
            })];
        let head = head.trim_end_matches('计').trim_end_matches('的');
        let label = head
            .rsplit([',', '，'])
            .next()
            .unwrap_or(head)
            .trim()
            .to_string();
        if label.is_empty() {
            return None;
        }
        out.push(Tier {
            label,
            min: points,
            max: points,
        });
    }
    // A long label carries the sentence before it ("降低行政成本效果较好"): keep it from the
    // first word it shares with another tier ("效果较好" against "无效果或者效果不明显").
    let labels: Vec<String> = out.iter().map(|t| t.label.clone()).collect();
    for (k, tier) in out.iter_mut().enumerate() {
        let chars: Vec<char> = tier.label.chars().collect();
        if chars.len() <= 6 || !preambled[k] {
            continue;
        }
        let shared = (0..chars.len() - 1).find(|&i| {
            let word: String = chars[i..i + 2].iter().collect();
            labels
                .iter()
                .enumerate()
                .any(|(j, l)| j != k && l.contains(&word))
        });
        if let Some(i) = shared {
            tier.label = chars[i..].iter().collect();
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::from_str_exact(s).unwrap()
    }

    #[test]
    fn per_point_wordings() {
        let (r, _) = rule(
            "以100%为标准。在职人员控制率≦100%，计5分；每超过一个百分点扣0.5分，扣完为止。",
            d("5"),
        )
        .unwrap();
        assert_eq!(
            r,
            Rule::DeductPerStep {
                target: d("100"),
                side: Side::Above,
                step: d("1"),
                deduct: d("0.5"),
                whole_steps: false
            }
        );
        let (r, _) = rule(
            "“三公经费”变动率≦0,计5分；“三公经费”＞0，每超过一个百分点扣0.5分，扣完为止。",
            d("5"),
        )
        .unwrap();
        assert!(matches!(r, Rule::DeductPerStep { target, .. } if target.is_zero()));
        let (r, _) = rule("100%计满分，每低于5个百分点扣2分，扣完为止。", d("5")).unwrap();
        assert_eq!(
            r,
            Rule::DeductPerStep {
                target: d("100"),
                side: Side::Below,
                step: d("5"),
                deduct: d("2"),
                whole_steps: true
            }
        );
        let (r, w) = rule(
            "100%以下（含）计满分，每超出5%扣2分，扣完为止。没有楼堂馆所项目的部门按满分计算。",
            d("5"),
        )
        .unwrap();
        assert!(matches!(
            r,
            Rule::DeductPerStep {
                side: Side::Above,
                ..
            }
        ));
        assert_eq!(w, WhenMissing::Full);
        let (r, _) = rule("100%计满分，每超过（降低）5%扣2分。扣完为止。", d("6")).unwrap();
        assert!(matches!(
            r,
            Rule::DeductPerStep {
                side: Side::Both,
                ..
            }
        ));
    }

    #[test]
    fn band_wordings() {
        let (r, _) = rule("预算控制率=0，计5分；0-10%（含），计4分；10-20%（含），计3分；20-30%（含），计2分；大于30%不得分。", d("5")).unwrap();
        let Rule::Bands { bands } = r else {
            panic!("not bands")
        };
        assert_eq!(bands.len(), 5);
        assert!(
            bands[0].contains(d("0")) && !bands[1].contains(d("0")) && bands[1].contains(d("10"))
        );
        assert!(bands[4].contains(d("30.01")) && !bands[4].contains(d("30")));
        let (r, _) = rule(
            "90%（含）以上计6分；\n80%（含）-90%，计4分；\n70%（含）-80%，计2分；\n低于70%计0分。",
            d("6"),
        )
        .unwrap();
        let Rule::Bands { bands } = r else {
            panic!("not bands")
        };
        assert!(
            bands[0].contains(d("90")) && bands[1].contains(d("80")) && !bands[1].contains(d("90"))
        );
        assert!(bands[3].contains(d("69.9")) && !bands[3].contains(d("70")));
    }

    #[test]
    fn checklists_occurrences_tiers_and_formulas() {
        let (r, _) = rule("①有内部财务管理制度、会计核算制度等管理制度，2分；②有本部门厉行节约制度,2分；③相关管理制度合法、合规、完整，2分；④相关管理制度得到有效执行，2分。", d("8")).unwrap();
        let Rule::Checklist { items } = r else {
            panic!("not a checklist")
        };
        assert_eq!(items.len(), 4);
        assert_eq!(items[1].text, "有本部门厉行节约制度");
        let (r, _) = rule("①支出符合规定；②资金拨付有完整的审批程序和手续。以上情况每出现一例不符合要求的扣1分，扣完为止。", d("6")).unwrap();
        assert_eq!(r, Rule::PerOccurrence { deduct: d("1") });
        let (r, _) = rule(
            "促进部门改进文风会风，降低行政成本效果较好的计6分；一般3分；无效果或者效果不明显0分。",
            d("6"),
        )
        .unwrap();
        let Rule::Tiers { tiers } = r else {
            panic!("not tiers")
        };
        let labels: Vec<&str> = tiers.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(labels, ["效果较好", "一般", "无效果或者效果不明显"]);
        let e = formula(&fold_width(
            "在职人员控制率=（在职人员数/编制数）×100%，在职人员数：部门实际在职人数",
        ))
        .unwrap();
        assert_eq!(e.fields(), ["在职人员数", "编制数"]);
        let e = formula(&fold_width(
            "“三公经费”控制率-（“三公经费”实际支出数/“三公经费”预算安排数）×100%。",
        ))
        .unwrap();
        assert_eq!(e.fields().len(), 2, "the 控制率- typo reads as =");
        assert_eq!(
            score_formula(&fold_width("该项得分=（绩效办对应部分考核得分/100）*8"))
                .unwrap()
                .fields(),
            ["绩效办对应部分考核得分"]
        );
        assert!(rule("按综合情况打75分到85分之间的某个分数", d("5")).is_err());
    }
}
