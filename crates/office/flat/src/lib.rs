//! # jixiao-flat
//!
//! Flattened text: a table whose rows and cells lost their structure when a PDF or a web page
//! was extracted as text — one line per cell (`cell |`), one line per row (`a | b | c`), or one
//! line for the whole table with cells separated by spaces.
//!
//! The text is cut into [`Token`]s, each with its source position (line, character column) and
//! its kind (amount or score, rate, text, empty). Extraction noise is normalised per token
//! ([`normalize`]): traditional characters of the form vocabulary, pinyin glosses, OCR slips.
//! Rows are then rebuilt as a sequence keyed by header words: field labels (项目名称, 主管部门 …)
//! start a row of label/value pairs; a funds header (年初预算数 … 得分) and an indicator header
//! (一级指标 … 得分, or a scoring sheet's 指标名称 … 是否核心指标) give columns, and the tokens
//! that follow are placed in the first column that accepts their kind; 总分/合计 closes the
//! table. The result is an ordinary
//! [`Document`] for the recognizers, every cell keeping its source position.
//!
//! Submodules: `noise` (per-token normalisation) and `glued` (cells run together without any
//! separator, cut at the form's vocabulary and split by the arithmetic their row must satisfy).

use jixiao_core::form::cell::parse_number;
use jixiao_core::indicator::{Level1, Level2};
use jixiao_core::numeral::fold_width;

use jixiao_grid::error::{ErrorKind, ImportError};
use jixiao_grid::limits::{Limits, within};
use jixiao_grid::{Block, Document, Format, Paragraph, TableBuilder};

mod costs;
mod glued;
mod noise;
mod weighted;

use glued::FundsCol;
pub use noise::normalize;

/// What a token looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// An empty cell (`|` alone on a line) or a dash.
    Empty,
    /// A bare number: an amount, a weight or a score (`43.2`, `10`, `10分`).
    Number,
    /// A rate (`86%`, `100.00%`).
    Rate,
    /// Anything else.
    Text,
}

/// One cell of flattened text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// The text, normalised.
    pub text: String,
    /// 1-based line in the source.
    pub line: usize,
    /// 1-based character column in the source.
    pub column: usize,
    /// The kind.
    pub kind: Kind,
}

/// The kind of a normalised token.
pub fn kind(text: &str) -> Kind {
    let t = text.trim();
    if jixiao_core::form::cell::is_blank(t) {
        return Kind::Empty;
    }
    match parse_number(t, &['%']) {
        Ok(Some(_)) if t.ends_with('%') || t.ends_with('％') => Kind::Rate,
        Ok(Some(_)) => Kind::Number,
        _ if matches!(parse_number(t, &['分']), Ok(Some(_))) => Kind::Number,
        _ => Kind::Text,
    }
}

/// How the cells of a flattened text are separated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// One cell per line, each ending in ` |` (a lone `|` is an empty cell).
    CellLines,
    /// Rows as `a | b | c` lines; empty cells are padding of merged cells and dropped.
    PipeRows,
    /// Cells separated by spaces or line breaks (blank lines between cells, or one long line).
    Spaced,
}

fn shape(text: &str) -> Shape {
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let pipes = lines.iter().filter(|l| l.contains('|')).count();
    let cell_lines = lines
        .iter()
        .filter(|l| l.trim_end().ends_with('|') && l.matches('|').count() == 1)
        .count();
    if lines.is_empty() || pipes * 3 < lines.len() {
        Shape::Spaced
    } else if cell_lines * 2 >= lines.len() {
        Shape::CellLines
    } else {
        Shape::PipeRows
    }
}

/// Cuts `text` into tokens with their positions.
pub fn tokens(text: &str) -> Vec<Token> {
    let shape = shape(text);
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let chars: Vec<char> = line.chars().collect();
        let mut start = 0;
        let push_one = |from: usize, to: usize, out: &mut Vec<Token>, keep_empty: bool| {
            let raw: String = chars[from..to].iter().collect();
            let lead = raw.chars().take_while(|c| c.is_whitespace()).count();
            let t = normalize(raw.trim());
            if t.is_empty() && !keep_empty {
                return;
            }
            let kind = kind(&t);
            out.push(Token {
                text: t,
                line: n + 1,
                column: from + lead + 1,
                kind,
            });
        };
        // A cell may hold several run together: cut at the form's vocabulary (a cell between
        // `|` only when it is long: a label such as 其中:当年财政拨款 is one cell).
        let push = |from: usize, to: usize, out: &mut Vec<Token>, keep_empty: bool| {
            if shape != Shape::Spaced && to - from < 24 {
                push_one(from, to, out, keep_empty);
                return;
            }
            for (a, b) in glued::pieces(&chars[from..to]) {
                push_one(from + a, from + b, out, keep_empty);
            }
        };
        match shape {
            Shape::CellLines if line.matches('|').count() <= 1 => {
                let body = line.trim_end().strip_suffix('|').unwrap_or(line);
                let end = body.chars().count();
                push(0, end, &mut out, line.trim() == "|");
            }
            Shape::PipeRows | Shape::CellLines => {
                for (i, &c) in chars.iter().enumerate() {
                    if c == '|' {
                        push(start, i, &mut out, false);
                        start = i + 1;
                    }
                }
                push(start, chars.len(), &mut out, false);
            }
            Shape::Spaced => {
                for (i, &c) in chars.iter().enumerate() {
                    if c.is_whitespace() || c == '|' {
                        if start < i {
                            push(start, i, &mut out, false);
                        }
                        start = i + 1;
                    }
                }
                if start < chars.len() {
                    push(start, chars.len(), &mut out, false);
                }
            }
        }
    }
    join_split_words(out)
}

/// An amount followed by its note (`854万(高标准农田建设400万元,…)`): a value, not a label.
fn amount_with_note(text: &str) -> bool {
    let t = text.trim();
    let digits = t
        .chars()
        .take_while(|c| c.is_ascii_digit() || matches!(c, '.' | ','))
        .count();
    let rest: String = t.chars().skip(digits).collect();
    digits > 0
        && ["万元", "万", "元"].iter().any(|u| {
            rest.strip_prefix(u).is_some_and(|r| {
                r.is_empty()
                    || r.starts_with(['(', '（'])
                    || r.starts_with(|c: char| c.is_ascii_digit())
            })
        })
}

/// A numbered item's label: `(一)财政拨款小计`, `（二）自有资金小计`, `1、一般公共预算`.
fn numbered_item(k: &str) -> bool {
    let numeral = |s: &str| {
        !s.is_empty()
            && s.chars().count() <= 2
            && s.chars()
                .all(|c| c.is_ascii_digit() || "一二三四五六七八九十".contains(c))
    };
    if let Some((n, rest)) = k.strip_prefix('(').and_then(|r| r.split_once(')')) {
        return numeral(n) && !rest.is_empty();
    }
    k.split_once('、')
        .is_some_and(|(n, rest)| numeral(n) && !rest.is_empty())
}

/// A money column's header in a label/amount block (`金额(万元)`, `金额`).
fn is_amount_header(k: &str) -> bool {
    k.strip_prefix("金额").is_some_and(|rest| {
        rest.is_empty() || rest.starts_with('(') && rest.ends_with(')') && rest.chars().count() <= 5
    })
}

/// Header words a line break or a space may have cut in two (`年初` `预算数`, `项目资金`
/// `(万元)`): joined back.
fn join_split_words(tokens: Vec<Token>) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::with_capacity(tokens.len());
    for t in tokens {
        if let Some(prev) = out.last_mut()
            && prev.kind == Kind::Text
            && t.kind != Kind::Empty
        {
            let joined = format!("{}{}", key(&prev.text), key(&t.text));
            // A numbered item (`(一)财政拨款小计` after `金额(万元)`) is a row of its own, unless
            // a label's colon opens its list (`资金来源:` `(1)财政拨款`).
            let parenthetical = t.text.starts_with(['(', '（'])
                && t.text.chars().count() <= 12
                && (!numbered_item(&key(&t.text)) || key(&prev.text).ends_with(':'));
            // A parenthetical a space cut in two (`(20` `分)`).
            let open =
                prev.text.matches(['(', '（']).count() > prev.text.matches([')', '）']).count();
            let closes = open && t.text.chars().take(4).any(|c| c == ')' || c == '）');
            // A group label whose 指标 went to the next line (`经济效益` `指标`).
            let prev_key = key(&prev.text);
            let group = key(&t.text) == "指标"
                && !prev_key.ends_with("指标")
                && (is_level1(&prev_key)
                    || is_level1(&format!("{prev_key}指标"))
                    || Level2::parse(&prev_key).is_some());
            let known = HEADER_WORDS
                .iter()
                .any(|w| joined == *w || w.starts_with(&joined))
                && !HEADER_WORDS.contains(&key(&prev.text).as_str());
            if parenthetical || known || group || closes {
                prev.text.push_str(&t.text);
                prev.kind = kind(&prev.text);
                continue;
            }
        }
        // A header row whose cells each print their last characters on the next line, which
        // the text gives together after the row (`年度指标 实际完成 分值 得分` then `值 值`): each
        // short piece ends the first word before it still cut short.
        if t.kind == Kind::Text
            && t.text.chars().count() <= 2
            && let Some(p) = unfinished_header_word(&out, &t)
        {
            out[p].text.push_str(&t.text);
            out[p].kind = kind(&out[p].text);
            continue;
        }
        out.push(t);
    }
    out
}

/// The header word cut short that `piece`, on a later line, completes: the first among the
/// header cells just before it (nothing but header words and such pieces in between) whose
/// text with the piece is a header word.
fn unfinished_header_word(out: &[Token], piece: &Token) -> Option<usize> {
    let piece_key = key(&piece.text);
    let from = out.len().saturating_sub(12);
    let mut first = None;
    for (i, t) in out.iter().enumerate().skip(from).rev() {
        let k = key(&t.text);
        if t.kind != Kind::Text || !(is_indicator_word(&k) || is_funds_word(&k) || is_prefix(&k)) {
            break;
        }
        if t.line < piece.line
            && is_prefix(&k)
            && HEADER_WORDS.contains(&format!("{k}{piece_key}").as_str())
        {
            first = Some(i);
        }
    }
    first
}

/// True for the start of a header word that is not a header word itself (`年度指标`, `实际完成`).
fn is_prefix(k: &str) -> bool {
    !HEADER_WORDS.contains(&k)
        && HEADER_WORDS
            .iter()
            .any(|w| w.len() > k.len() && w.starts_with(k))
}

fn key(text: &str) -> String {
    fold_width(text).split_whitespace().collect()
}

/// Words of the funds and indicator headers, as printed (without spaces).
const HEADER_WORDS: &[&str] = &[
    "年初预算数",
    "全年预算数",
    "全年执行数",
    "调整后预算数",
    "调整预算数",
    "预算执行数",
    "预算执行率",
    "执行率",
    "分值",
    "得分",
    "权重",
    "一级指标",
    "二级指标",
    "三级指标",
    "年度指标值",
    "全年实际值",
    "实际完成值",
    "全年完成值",
    "年初目标值",
    "指标性质",
    "指标值",
    "度量单位",
    "计量单位",
    "完成值",
    "预期目标",
    "实际完成情况",
    "年度总体目标",
];

/// Labels that start a row of label/value pairs.
const FIELD_LABELS: &[&str] = &[
    "项目名称",
    "专项资金名称",
    "专项名称",
    "转移支付(项目)名称",
    "转移支付名称",
    "主管部门",
    "中央主管部门",
    "地方主管部门",
    "县级主管部门",
    "资金使用单位",
    "部门名称",
    "单位名称",
    "预算单位名称",
    "项目属性",
    "项目类型",
    "项目类别",
    "负责人及电话",
];

/// Labels that continue the current field row (`主管部门 X 实施单位 Y`).
const FIELD_FOLLOWERS: &[&str] = &[
    "实施单位",
    "项目实施单位",
    "项目执行单位",
    "负责人",
    "项目性质",
    "立项依据",
    "联系电话",
    "填报日期",
];

fn is_field_label(k: &str) -> bool {
    FIELD_LABELS.iter().any(|l| k.starts_with(l)) && k.chars().count() <= 16
}

fn is_follower(k: &str) -> bool {
    FIELD_FOLLOWERS.iter().any(|l| k.starts_with(l)) && k.chars().count() <= 12
}

/// A funds header word or the block label before it.
fn is_funds_word(k: &str) -> bool {
    let words = [
        "年初预算",
        "全年预算",
        "全年执行",
        "调整后预算",
        "调整预算",
        "预算执行",
        "执行率",
        "执行数",
        "预算数",
        "分值",
        "得分",
        "权重",
        "原因",
    ];
    // A period's execution (1-6月执行数) and the year's forecast (全年预计执行数) on
    // monitoring forms.
    let period = k.contains("月执行数") || k.starts_with("全年预计");
    (words.iter().any(|w| k.starts_with(w)) || period) && k.chars().count() <= 20
}

fn is_funds_block(k: &str) -> bool {
    (k.starts_with("项目资金")
        || k.starts_with("预算执行情况")
        || k.starts_with("资金投入情况")
        || k.starts_with("年度预算申请")
        || k.starts_with("资金情况")
        || k.starts_with("年度预算数"))
        && k.chars().count() <= 20
}

fn is_fund_label(k: &str) -> bool {
    let words = [
        "资金总额",
        "其中",
        "财政",
        "结转",
        "其他资金",
        "单位资金",
        "中央",
        "地方",
        "省级",
        "市级",
        "县级",
        "彩票",
        "合计",
        "总额",
        "专户",
        "自筹",
    ];
    words.iter().any(|w| k.contains(w)) && k.chars().count() <= 30
}

fn is_indicator_word(k: &str) -> bool {
    let words = [
        "一级指标",
        "二级指标",
        "三级指标",
        "指标性质",
        "计算符号",
        "度量单位",
        "计量单位",
        "指标值",
        "目标值",
        "完成值",
        "实际值",
        "实际完成",
        "分值",
        "权重",
        "得分",
        "原因",
        "备注",
        "改进措施",
        // Monitoring forms: 指标名称 | 指标值 | 半年度指标执行情况 | 完成目标可能性.
        "指标名称",
        "执行情况",
        "可能性",
        // Hubei declarations: 绩效标准 | 当年预期实现值.
        "绩效标准",
        "预期实现值",
        // Scoring sheets: 得分系数(%) | 指标权重(分) | 指标得分(分) | 是否核心指标.
        "系数",
        "核心指标",
    ];
    words.iter().any(|w| k.contains(w)) && k.chars().count() <= 24
}

fn is_closing(k: &str) -> bool {
    k.starts_with("总分")
        || k == "合计"
        || k.starts_with("评价结论")
        || k.starts_with("存在问题")
        || k.starts_with("改进措施")
        || k.starts_with("项目负责人:")
        || k.starts_with("项目负责人：")
        || k.starts_with("财务负责人")
        || k.starts_with("备注")
        || k.starts_with("说明")
        || k.starts_with("偏差或不能完成")
        || k.starts_with("相关建议或举措")
        || k.starts_with("注:")
        || k.starts_with("注：")
}

fn is_level1(k: &str) -> bool {
    let base = k.split(['(', '（']).next().unwrap_or(k);
    Level1::parse(base).is_some()
        || [
            "效果指标",
            "项目决策",
            "项目过程",
            "项目管理",
            "项目产出",
            "项目效益",
            // Sichuan declarations' 项目完成指标 (their 产出指标); not 项目完成及时率.
            "项目完成指标",
        ]
        .iter()
        .any(|w| base.starts_with(w) && base.chars().count() <= 8)
}

fn is_level2(k: &str) -> bool {
    let base = k.split(['(', '（']).next().unwrap_or(k);
    // `服务对象满意度指标等`: the group, and the like.
    let base = base.strip_suffix('等').unwrap_or(base);
    Level2::parse(base).is_some() && !is_level1(k)
}

/// The role of an indicator column, by its header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Level1,
    Level2,
    Name,
    Operator,
    Unit,
    Value,
    /// A score's factor (得分系数(%)): a rate or a number.
    Factor,
    Number,
    Text,
}

fn indicator_role(k: &str) -> Role {
    if k.starts_with("一级指标") {
        Role::Level1
    } else if k.starts_with("二级指标") {
        Role::Level2
    } else if k.starts_with("三级指标") || k.starts_with("指标名称") {
        Role::Name
    } else if k.starts_with("指标性质") || k.starts_with("计算符号") {
        Role::Operator
    } else if k.starts_with("度量单位") || k.starts_with("计量单位") {
        Role::Unit
    } else if k.starts_with("得分系数") {
        Role::Factor
    } else if k.starts_with("分值")
        || k.starts_with("权重")
        || k.starts_with("得分")
        || k.starts_with("指标权重")
        || k.starts_with("指标得分")
    {
        Role::Number
    } else if k.contains("值") || k.contains("实际完成") {
        Role::Value
    } else {
        Role::Text
    }
}

fn accepts(role: Role, t: &Token) -> bool {
    let k = key(&t.text);
    match role {
        Role::Level1 => is_level1(&k),
        Role::Level2 => is_level2(&k),
        Role::Name => t.kind == Kind::Text && !is_level1(&k) && !is_level2(&k),
        Role::Operator => matches!(
            k.as_str(),
            "=" | "＝" | "═" | "﹦" | "≥" | "≤" | ">" | "<" | "≧" | "≦"
        ),
        Role::Unit => t.kind == Kind::Text && k.chars().count() <= 4,
        Role::Value => true,
        Role::Number => t.kind == Kind::Number,
        Role::Factor => matches!(t.kind, Kind::Number | Kind::Rate),
        Role::Text => t.kind == Kind::Text,
    }
}

/// A row being rebuilt: cells placed at columns.
#[derive(Debug, Default)]
struct Row {
    cells: Vec<(usize, Token)>,
}

/// The table a flattened text holds, rebuilt.
#[derive(Debug, Default)]
struct Rebuilt {
    /// Paragraphs before the table, then the table's rows, then paragraphs after.
    before: Vec<Token>,
    rows: Vec<Row>,
    after: Vec<Token>,
}

/// A value in a target column read as `2` where the form printed `≥` (`290%` → `≥90%`).
fn fix_at_least(t: &mut Token) {
    if t.kind == Kind::Rate
        && let Some(rest) = t.text.strip_prefix('2')
        && let Ok(Some(v)) = parse_number(rest, &['%'])
        && v <= rust_decimal::Decimal::from(100)
        && !rest.starts_with(['0', '.'])
    {
        t.text = format!("≥{rest}");
    }
}

/// Labels that start a form: its name row.
const NAME_LABELS: [&str; 9] = [
    "项目名称",
    "项目支出名称",
    "专项资金名称",
    "专项名称",
    "转移支付(项目)名称",
    "转移支付名称",
    "部门名称",
    "单位名称",
    "预算单位名称",
];

/// Splits `tokens` at the form's start (its name row, else its first field label): the
/// paragraphs before it and the tokens from it on; `None` when there is no start.
fn locate_start(tokens: Vec<Token>) -> Result<(Vec<Token>, Vec<Token>), Vec<Token>> {
    let named = |t: &Token| {
        let k = key(&t.text);
        NAME_LABELS.iter().any(|n| k.starts_with(n)) && k.chars().count() <= 16
    };
    // The name row of a form, not a list's 项目名称 column: a name label followed closely by
    // another field label or a funds word; else the first name label.
    let form_like = |i: usize| {
        tokens[i + 1..(i + 8).min(tokens.len())].iter().any(|t| {
            let k = key(&t.text);
            t.kind == Kind::Text && !named(t) && (is_field_label(&k) || is_funds_word(&k))
        })
    };
    let names: Vec<usize> = (0..tokens.len()).filter(|&i| named(&tokens[i])).collect();
    let start = names
        .iter()
        .copied()
        .find(|&i| form_like(i))
        .or_else(|| names.first().copied())
        .or_else(|| tokens.iter().position(|t| is_field_label(&key(&t.text))));
    let Some(start) = start else {
        return Err(tokens);
    };
    let mut before = Vec::new();
    let mut it = tokens.into_iter().enumerate().peekable();
    let mut rest: Vec<Token> = Vec::new();
    for (i, t) in it.by_ref() {
        if i == start {
            rest.push(t);
            break;
        }
        if t.kind != Kind::Empty {
            before.push(t);
        }
    }
    rest.extend(it.map(|(_, t)| t));
    Ok((before, rest))
}

/// Rebuilds the rows of the first form-like table in `tokens`.
fn rebuild(tokens: Vec<Token>) -> Rebuilt {
    let (before, rest) = match locate_start(tokens) {
        Ok(split) => split,
        Err(tokens) => {
            // No name row or field label: an evaluation-indicator table starts at its header.
            return weighted::rebuild(&tokens).unwrap_or(Rebuilt {
                before: tokens,
                ..Rebuilt::default()
            });
        }
    };
    let mut b = Rebuilder {
        rest,
        i: 0,
        out: Rebuilt {
            before,
            ..Rebuilt::default()
        },
        mode: Mode::Fields,
        row: Row::default(),
        pos: 0,
        roles: Vec::new(),
        header_start: 0,
        upper: Vec::new(),
        rate_col: None,
        funds_cols: Vec::new(),
        score_weight: None,
        funds_at: 0,
        splits_left: MAX_SPLITS,
    };
    while b.i < b.rest.len() {
        let t = b.rest[b.i].clone();
        let k = key(&t.text);
        b.i += 1;
        if b.step(t, &k) == Flow::Over {
            return b.out;
        }
    }
    b.flush();
    b.out
}

/// What part of the form the rebuilder is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Fields,
    Funds,
    Target,
    Indicators,
}

/// Whether the table goes on after a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flow {
    Next,
    Over,
}

/// Pushes `row` onto `rows` unless it is empty.
fn flush_into(row: &mut Row, rows: &mut Vec<Row>) {
    if !row.cells.is_empty() {
        rows.push(std::mem::take(row));
    }
}

/// The state of a table being rebuilt from a sequence of tokens.
struct Rebuilder {
    rest: Vec<Token>,
    /// The next token to read.
    i: usize,
    out: Rebuilt,
    mode: Mode,
    row: Row,
    /// The next column of the current row.
    pos: usize,
    /// Columns of the current header (funds or indicators).
    roles: Vec<Role>,
    header_start: usize,
    /// The upper row of a two-row indicator header, until its lower row comes.
    upper: Vec<Token>,
    /// The funds header's rate column (执行率): a funds row's rate belongs there.
    rate_col: Option<usize>,
    /// What each funds column holds (by its header word), for splitting run-together cells.
    funds_cols: Vec<FundsCol>,
    /// The weight a funds score header states (`得分(20分*执行率)`).
    score_weight: Option<rust_decimal::Decimal>,
    /// The first row after the funds header.
    funds_at: usize,
    /// How many more run-together tokens may be tried for a split (a bound for hostile text).
    splits_left: usize,
}

/// Run-together tokens one table tries to split at most; a published form has a few dozen.
const MAX_SPLITS: usize = 300;

impl Rebuilder {
    fn flush(&mut self) {
        flush_into(&mut self.row, &mut self.out.rows);
    }

    /// Ends the table at `t`: it and everything after it are paragraphs.
    fn finish_with(&mut self, t: Token) -> Flow {
        self.out.after.push(t);
        self.out.after.extend(
            self.rest[self.i..]
                .iter()
                .filter(|t| t.kind != Kind::Empty)
                .cloned(),
        );
        Flow::Over
    }

    /// Places one token: section starters first, then by the current mode.
    fn step(&mut self, t: Token, k: &str) -> Flow {
        let text = t.kind == Kind::Text;
        if text && is_closing(k) && !(self.mode == Mode::Funds && k == "合计") {
            self.flush();
            if k.starts_with("总分") || k == "合计" {
                self.read_total(t);
                return Flow::Next;
            }
            // The form's closing text: what follows is not table.
            return self.finish_with(t);
        }
        if text && k.starts_with("其他需要说明") && self.mode == Mode::Indicators {
            // A notes row below the indicators (其他需要说明事项 | 无): a label and its text.
            self.flush();
            self.row.cells.push((0, t));
            if let Some(next) = self.rest.get(self.i)
                && next.kind == Kind::Text
                && !is_closing(&key(&next.text))
            {
                self.row.cells.push((1, next.clone()));
                self.i += 1;
            }
            self.flush();
            return Flow::Next;
        }
        if text && k.starts_with("绩效指标") && k.chars().count() <= 12 {
            if self.mode == Mode::Indicators && !self.header_follows(1) {
                // The table's left label read in the middle of its rows: kept past the
                // columns of the row it came in, unread.
                let col = self.header_start + self.roles.len();
                match self.out.rows.last_mut() {
                    Some(row) if self.row.cells.is_empty() => row.cells.push((col, t)),
                    _ => self.row.cells.push((col, t)),
                }
                return Flow::Next;
            }
            self.read_section_label(t);
        } else if text
            && (k.starts_with("一级指标")
                || (k.starts_with("指标名称")
                    && self.mode != Mode::Indicators
                    && self.header_follows(3)))
        {
            self.read_indicator_header(t);
        } else if text
            && (is_funds_block(k)
                || (self.mode != Mode::Funds
                    && is_funds_word(k)
                    && (k.starts_with("年初预算")
                        || k.starts_with("全年预算")
                        || k.contains("预算数("))))
        {
            self.read_funds_header(t, k);
        } else if text
            && self.mode != Mode::Indicators
            && (k.contains("成本构成") || k.contains("预算构成"))
            && k.chars().count() <= 12
        {
            self.read_cost_table(t);
        } else if text
            && (k.starts_with("年度总体目标") || k == "总体目标")
            && self.mode != Mode::Target
        {
            self.read_target(t);
        } else {
            match self.mode {
                Mode::Fields | Mode::Target => self.place_field(t, k),
                Mode::Funds => self.place_funds_value(t, k),
                Mode::Indicators => return self.place_indicator_value(t, k),
            }
        }
        Flow::Next
    }

    /// 总分 | weight | score | grade: numbers under the number columns.
    fn read_total(&mut self, t: Token) {
        self.row.cells.push((0, t));
        let numbers: Vec<usize> = if self.mode == Mode::Indicators {
            self.roles
                .iter()
                .enumerate()
                .filter(|(_, r)| **r == Role::Number)
                .map(|(c, _)| self.header_start + c)
                .collect()
        } else {
            Vec::new()
        };
        let mut n = 0;
        while let Some(next) = self.rest.get(self.i) {
            let nk = key(&next.text);
            let split = (next.kind == Kind::Number && numbers.len() >= 2 && n == 0)
                .then(|| glued::split_total(&next.text, numbers.len()))
                .flatten()
                .filter(|_| glued::is_run(&next.text));
            if let Some(parts) = split {
                // 总分 with its weight and score run together (`100100`).
                for (i, (a, b)) in parts.into_iter().enumerate() {
                    self.row.cells.push((numbers[i], sub_token(next, a, b)));
                }
                n += numbers.len();
                self.i += 1;
            } else if next.kind == Kind::Number || next.kind == Kind::Empty {
                if next.kind == Kind::Number {
                    let col = numbers.get(n).copied().unwrap_or(1 + n);
                    self.row.cells.push((col, next.clone()));
                }
                n += 1;
                self.i += 1;
            } else if nk.chars().count() <= 6
                && (nk.contains('优') || nk.contains('良') || nk.contains("等级"))
            {
                let col = numbers.last().map_or(n + 1, |c| c + 1);
                self.row.cells.push((col, next.clone()));
                self.i += 1;
            } else {
                break;
            }
        }
        self.flush();
        self.mode = Mode::Fields;
    }

    /// A section label of its own (绩效指标(90分)), joined to the header it precedes; header
    /// words after it are the upper row of a two-row header (年度指标值 over 指标性质 | 指标值 |
    /// 度量单位, then 实际完成值 | 分值 | 得分).
    fn read_section_label(&mut self, t: Token) {
        self.flush();
        self.out.rows.push(Row {
            cells: vec![(0, t)],
        });
        self.upper.clear();
        while let Some(next) = self.rest.get(self.i) {
            let nk = key(&next.text);
            if next.kind == Kind::Text && is_indicator_word(&nk) && !nk.starts_with("一级指标")
            {
                self.upper.push(next.clone());
                self.i += 1;
            } else if next.kind == Kind::Empty {
                self.i += 1;
            } else {
                break;
            }
        }
        self.mode = Mode::Fields;
    }

    /// The indicator header from its 一级指标 word: column roles by header words.
    fn read_indicator_header(&mut self, t: Token) {
        self.flush();
        self.roles.clear();
        // A lone 绩效指标 label before the header is its first cell.
        let mut header = Row::default();
        if let Some(prev) = self.out.rows.last()
            && prev.cells.len() == 1
            && key(&prev.cells[0].1.text).starts_with("绩效指标")
        {
            let prev = self.out.rows.pop().map(|r| r.cells).unwrap_or_default();
            header.cells.extend(prev);
        }
        self.header_start = header.cells.len();
        self.roles.push(indicator_role(&key(&t.text)));
        header.cells.push((self.header_start, t));
        while let Some(next) = self.rest.get(self.i) {
            let nk = key(&next.text);
            if next.kind == Kind::Text && is_indicator_word(&nk) && !is_level1(&nk) {
                header
                    .cells
                    .push((self.header_start + self.roles.len(), next.clone()));
                self.roles.push(indicator_role(&nk));
                self.i += 1;
            } else if next.kind == Kind::Empty {
                self.i += 1;
            } else {
                break;
            }
        }
        // The upper row's words the lower row does not split go after it.
        let split = self
            .roles
            .iter()
            .any(|r| matches!(r, Role::Operator | Role::Unit | Role::Value));
        for u in std::mem::take(&mut self.upper) {
            let uk = key(&u.text);
            if split && uk.contains("指标值") && !uk.contains("实际") {
                continue;
            }
            header.cells.push((self.header_start + self.roles.len(), u));
            self.roles.push(indicator_role(&uk));
        }
        self.out.rows.push(header);
        self.mode = Mode::Indicators;
        self.pos = 0;
    }

    /// A declaration's cost build-up: its header (项目预算成本构成 | 金额 | 测算(公式)依据 |
    /// 2020年实际执行数 …), then its rows when they run together in one token (see
    /// [`costs::split_rows`]); what follows the 合计 row is read on as fields.
    fn read_cost_table(&mut self, t: Token) {
        self.flush();
        let mut header = vec![t];
        while let Some(next) = self.rest.get(self.i).cloned() {
            let nk = key(&next.text);
            if next.kind != Kind::Text || !is_cost_head(&nk) {
                break;
            }
            self.i += 1;
            match header.last_mut() {
                // A header word cut in two (`2020年实际` `执行数`).
                Some(last) if nk.starts_with("执行数") && key(&last.text).ends_with("实际") => {
                    last.text.push_str(&next.text);
                }
                _ => header.extend(split_at_year(&next)),
            }
        }
        let columns = header.len();
        self.out.rows.push(Row {
            cells: header.into_iter().enumerate().collect(),
        });
        self.mode = Mode::Fields;
        let Some(next) = self.rest.get(self.i).cloned() else {
            return;
        };
        let chars: Vec<char> = next.text.chars().collect();
        if next.kind != Kind::Text {
            return;
        }
        let Some((rows, at)) = costs::split_rows(&chars, columns) else {
            return;
        };
        self.i += 1;
        for row in rows {
            self.out.rows.push(Row {
                cells: row
                    .into_iter()
                    .map(|(c, a, b)| (c, sub_token(&next, a, b)))
                    .collect(),
            });
        }
        if at < chars.len() {
            // The target row that follows (`绩效目标以…为目标`): its label and its text.
            let rest: String = chars[at..].iter().collect();
            let label = ["年度绩效目标", "绩效目标", "年度目标"]
                .iter()
                .find(|w| rest.starts_with(**w) && rest.chars().count() > w.chars().count())
                .map_or(0, |w| w.chars().count());
            let label_end = if label > 0 { at + label } else { chars.len() };
            if label_end < chars.len() {
                self.rest
                    .insert(self.i, sub_token(&next, label_end, chars.len()));
            }
            self.rest.insert(self.i, sub_token(&next, at, label_end));
        }
    }

    /// The funds header: its block label or first column word, then the column words.
    fn read_funds_header(&mut self, t: Token, k: &str) {
        self.flush();
        let mut header = Row::default();
        header.cells.push((0, t));
        let first_is_word = !is_funds_block(k);
        if first_is_word {
            header.cells[0].0 = 1;
        }
        self.roles.clear();
        self.funds_cols.clear();
        self.score_weight = None;
        self.rate_col = None;
        self.roles.push(Role::Text);
        self.funds_cols.push(FundsCol::Other);
        if first_is_word {
            self.roles.push(Role::Number);
            self.funds_cols.push(glued::funds_col(k));
        }
        while let Some(next) = self.rest.get(self.i) {
            let nk = key(&next.text);
            // A second 执行率 right before 权重 or 得分 starts the Chongqing sheet's 执行率权重 /
            // 执行率得分(分), cut in two where the text ran the cells together.
            if nk == "执行率"
                && self.rate_col.is_some()
                && let Some(word) = self.rest.get(self.i + 1).filter(|w| {
                    w.kind == Kind::Text && {
                        let wk = key(&w.text);
                        wk.starts_with("权重") || wk.starts_with("得分")
                    }
                })
            {
                let mut joined = next.clone();
                joined.text.push_str(&word.text);
                joined.kind = kind(&joined.text);
                let jk = key(&joined.text);
                header.cells.push((self.roles.len(), joined));
                self.funds_cols.push(glued::funds_col(&jk));
                self.roles.push(Role::Number);
                self.i += 2;
                continue;
            }
            if next.kind == Kind::Text && is_funds_word(&nk) && !is_fund_label(&nk) {
                if nk.contains("执行率") && !nk.contains("得分") && !nk.contains("权重") {
                    self.rate_col.get_or_insert(self.roles.len());
                }
                header.cells.push((self.roles.len(), next.clone()));
                self.funds_cols.push(glued::funds_col(&nk));
                if nk.starts_with("得分") {
                    self.score_weight = glued::stated_weight(&nk);
                }
                self.roles.push(if nk.contains("原因") {
                    Role::Text
                } else {
                    Role::Number
                });
                self.i += 1;
            } else if (next.kind == Kind::Text && nk.starts_with("年度预算数"))
                || next.kind == Kind::Empty
            {
                self.i += 1;
            } else if let Some(word) = self.rest.get(self.i + 1).filter(|w| {
                next.kind == Kind::Text
                    && w.kind == Kind::Text
                    && is_funds_word(&key(&w.text))
                    && !is_fund_label(&key(&w.text))
            }) {
                // A header cell whose first line OCR garbled (`全年(If整)` `预算数`): joined to
                // the word it starts when its text outside the parenthetical does start it;
                // else, right after the block label, a garbled piece (with OCR's ASCII:
                // `预算执行情况` `相)预资5`) that is no row label is part of that label.
                // Anything else ends the header.
                let wk = key(&word.text);
                let bare: String = nk.split(['(', '（']).next().unwrap_or(&nk).to_string();
                let starts_word = !bare.is_empty()
                    && nk.contains('(')
                    && HEADER_WORDS.contains(&format!("{bare}{wk}").as_str());
                if starts_word {
                    let mut joined = next.clone();
                    joined.text.push_str(&word.text);
                    joined.kind = kind(&joined.text);
                    header.cells.push((self.roles.len(), joined));
                    self.funds_cols
                        .push(glued::funds_col(&format!("{bare}{wk}")));
                    self.roles.push(Role::Number);
                    self.i += 2;
                } else if header.cells.len() == 1
                    && !first_is_word
                    && next.text.chars().count() <= 8
                    && nk.chars().any(|c| c.is_ascii())
                    && !is_fund_label(&nk)
                    && !is_field_label(&nk)
                {
                    let label = &mut header.cells[0].1;
                    label.text.push_str(&next.text);
                    self.i += 1;
                } else {
                    break;
                }
            } else {
                break;
            }
        }
        self.out.rows.push(header);
        self.funds_at = self.out.rows.len();
        self.mode = Mode::Funds;
    }

    /// 年度总体目标 with its column words (预期目标 / 实际完成情况 …) and their texts.
    fn read_target(&mut self, t: Token) {
        self.flush();
        let mut header = Row::default();
        header.cells.push((0, t));
        while let Some(next) = self.rest.get(self.i) {
            let nk = key(&next.text);
            if next.kind == Kind::Text
                && (nk.starts_with("预期目标")
                    || nk.starts_with("实际完成")
                    || nk.starts_with("年初设定目标")
                    || nk.starts_with("全年实际完成")
                    || nk.starts_with("年度目标完成")
                    || (nk.starts_with("年度总体目标") && nk.contains("完成")))
            {
                header.cells.push((header.cells.len(), next.clone()));
                self.i += 1;
            } else {
                break;
            }
        }
        let texts = header.cells.len() - 1;
        // Empty cells between the header and its texts (a cell-per-line text's `|` lines).
        while self.rest.get(self.i).is_some_and(|t| t.kind == Kind::Empty) {
            self.i += 1;
        }
        if texts > 0 {
            self.out.rows.push(header);
            let mut body = Row::default();
            while body.cells.len() < texts
                && let Some(next) = self.rest.get(self.i)
                && next.kind != Kind::Empty
                && !self.ends_target(next)
            {
                body.cells.push((body.cells.len() + 1, next.clone()));
                self.i += 1;
            }
            flush_into(&mut body, &mut self.out.rows);
        } else if let Some(prose) = self.target_prose() {
            // 年度总体目标 | its text: one free-text cell, however many numbers and words of
            // the form's vocabulary its prose holds (a text cut into tokens is joined back).
            header.cells.push((1, prose));
            self.out.rows.push(header);
            self.mode = Mode::Fields;
            return;
        } else {
            self.out.rows.push(header);
        }
        self.mode = Mode::Target;
    }

    /// True for a token that starts what follows the 年度总体目标 block: the indicator table,
    /// a funds block, a field label, the form's closing text.
    fn ends_target(&self, t: &Token) -> bool {
        let k = key(&t.text);
        t.kind == Kind::Text
            && (k.starts_with("一级指标")
                || k.starts_with("绩效指标")
                || k.starts_with("指标名称")
                || is_funds_block(&k)
                || is_field_label(&k)
                || is_closing(&k)
                // A target's own labels (中期目标 | 年度目标 …): rows of their own.
                || (k.ends_with("目标") && k.chars().count() <= 6))
    }

    /// The text of a 年度总体目标 without column words: the tokens up to what follows the block
    /// (or an empty cell), joined as one cell at the first token's place; `None` when none.
    fn target_prose(&mut self) -> Option<Token> {
        let mut prose: Option<Token> = None;
        let mut end = (0, 0);
        while let Some(next) = self.rest.get(self.i) {
            if next.kind == Kind::Empty || self.ends_target(next) {
                break;
            }
            let next = next.clone();
            let width = next.text.chars().count();
            match &mut prose {
                None => prose = Some(next.clone()),
                Some(p) => {
                    // Pieces of one run of text stay together; a space or line break between
                    // two tokens is one space.
                    if (next.line, next.column) != end {
                        p.text.push(' ');
                    }
                    p.text.push_str(&next.text);
                }
            }
            end = (next.line, next.column + width);
            self.i += 1;
        }
        prose.map(|mut p| {
            p.kind = Kind::Text;
            p
        })
    }

    /// A token among label/value rows.
    fn place_field(&mut self, t: Token, k: &str) {
        if t.kind == Kind::Empty {
            return;
        }
        let row = &mut self.row;
        if is_field_label(k) || (self.mode == Mode::Target && row.cells.is_empty()) {
            flush_into(row, &mut self.out.rows);
            row.cells.push((0, t));
            self.mode = Mode::Fields;
        } else if is_follower(k) && row.cells.len() == 2 {
            row.cells.push((2, t));
        } else if row.cells.is_empty() {
            row.cells.push((0, t));
        } else {
            let col = row.cells.last().map_or(0, |c| c.0 + 1);
            row.cells.push((col, t));
        }
    }

    /// Whether the next `n` tokens (empty ones skipped) are indicator header words.
    fn header_follows(&self, n: usize) -> bool {
        let words = self.rest[self.i..]
            .iter()
            .filter(|t| t.kind != Kind::Empty)
            .take(n)
            .filter(|t| t.kind == Kind::Text && is_indicator_word(&key(&t.text)))
            .count();
        words == n
    }

    /// A token in the funds block: a row label, or a value in the next column that accepts
    /// its kind.
    fn place_funds_value(&mut self, t: Token, k: &str) {
        if t.kind == Kind::Text && is_fund_label(k) {
            self.flush();
            self.row.cells.push((0, t));
            self.pos = 1;
            return;
        }
        if self.roles.len() <= 1 && t.kind == Kind::Text && !glued_run(&t) {
            // A block of numbered sources without column words (（一）财政拨款小计 | 6.30,
            // 1、一般公共预算 | 6.30): each source is a row of its own; the money column's
            // header (金额(万元)) stays in the row it closes.
            if numbered_item(k) {
                self.flush();
                self.row.cells.push((0, t));
                self.pos = 1;
                return;
            }
            if is_amount_header(k) && !self.row.cells.is_empty() {
                let col = self.row.cells.last().map_or(1, |c| c.0 + 1);
                self.row.cells.push((col, t));
                return;
            }
        }
        if self.row.cells.is_empty()
            && self.roles.len() > 1
            && self.out.rows.len() == self.funds_at
            && glued_run(&t)
        {
            // The row right under the header without a label of its own (merged with the
            // block label: the Chongqing sheet's 执行率 | 执行率权重 | 执行率得分 row).
            self.pos = 1;
            if self.split_funds_run(&t) {
                return;
            }
        }
        if self.row.cells.is_empty() && t.kind == Kind::Text {
            // Not a funds row: back to label/value rows.
            self.mode = Mode::Fields;
            self.row.cells.push((0, t));
            return;
        }
        // A funds block without column words (a declaration's 资金情况: label | amount): the
        // amount follows its label.
        if self.roles.len() <= 1
            && !self.row.cells.is_empty()
            && (matches!(t.kind, Kind::Number | Kind::Rate) || amount_with_note(&t.text))
        {
            let col = self.row.cells.last().map_or(1, |c| c.0 + 1);
            self.row.cells.push((col, t));
            return;
        }
        if !self.row.cells.is_empty() && glued_run(&t) {
            if !self.split_funds_run(&t) {
                // No single reading: kept in its row past the header's columns, unread.
                let col = self.roles.len().max(self.pos);
                self.row.cells.push((col, t));
                self.pos = col + 1;
            }
            return;
        }
        let fits = |r: Role| match r {
            Role::Number => {
                matches!(t.kind, Kind::Number | Kind::Rate | Kind::Empty)
                    || amount_with_note(&t.text)
            }
            _ => true,
        };
        while self.pos < self.roles.len() && !fits(self.roles[self.pos]) {
            self.pos += 1;
        }
        if self.pos >= self.roles.len() {
            self.flush();
            if t.kind == Kind::Text {
                self.mode = Mode::Fields;
                self.row.cells.push((0, t));
            }
            return;
        }
        if t.kind == Kind::Rate
            && let Some(rc) = self.rate_col
            && self.pos > rc
        {
            // A rate after the rate column (the row holds a value the header has no column
            // for): a rate, never a 分值 or 得分. It goes to the rate column when that is still
            // empty, else past the header's columns, unread.
            let filled = self.row.cells.iter().any(|c| c.0 == rc);
            let col = if filled {
                self.roles.len().max(self.pos)
            } else {
                rc
            };
            self.row.cells.push((col, t));
            if filled {
                self.pos = col + 1;
            }
            return;
        }
        if t.kind == Kind::Rate
            && let Some(rc) = self.rate_col
            && self.pos < rc
        {
            // Empty cells were dropped before the rate (a blank 年初预算数): the values
            // before it are the columns just before the rate column.
            let shift = rc - self.pos;
            for c in self.row.cells.iter_mut().skip(1) {
                c.0 += shift;
            }
            self.pos = rc;
        }
        if t.kind != Kind::Empty {
            self.row.cells.push((self.pos, t));
        }
        self.pos += 1;
    }

    /// A funds row's cells run together (`202010100.00%10`), split by the row's arithmetic;
    /// false (nothing placed) when no single reading fits.
    fn split_funds_run(&mut self, t: &Token) -> bool {
        if self.splits_left == 0 {
            return false;
        }
        self.splits_left -= 1;
        // The total row's amounts bound a 其中 row's.
        let bounds: Vec<(usize, rust_decimal::Decimal)> = self
            .out
            .rows
            .get(self.funds_at..)
            .unwrap_or_default()
            .iter()
            .find(|r| {
                r.cells.first().is_some_and(|c| {
                    let k = key(&c.1.text);
                    k.contains("总额") || k.contains("合计")
                })
            })
            .map(|r| {
                r.cells
                    .iter()
                    .filter(|(c, _)| {
                        matches!(
                            self.funds_cols.get(*c),
                            Some(FundsCol::Initial | FundsCol::Budget | FundsCol::Executed)
                        )
                    })
                    .filter_map(|(c, t)| parse_number(&t.text, &[]).ok().flatten().map(|v| (*c, v)))
                    .collect()
            })
            .unwrap_or_default();
        let Some(cells) = glued::split_funds(
            &t.text,
            &self.funds_cols,
            self.pos,
            self.score_weight,
            &bounds,
        ) else {
            return false;
        };
        for (col, a, b) in cells {
            self.row.cells.push((col, sub_token(t, a, b)));
            self.pos = col + 1;
        }
        true
    }

    /// A token in the indicator table: 一级/二级 labels to their columns, others to the first
    /// column from the current one that accepts their kind (a new row when none does).
    fn place_indicator_value(&mut self, t: Token, k: &str) -> Flow {
        let n = self.roles.len();
        if t.kind == Kind::Empty {
            if self.pos < n && !self.row.cells.is_empty() {
                self.pos += 1;
            }
            return Flow::Next;
        }
        let mut t = t;
        let mut k = k.to_string();
        let split = match self.split_scored_run(&t) {
            Some(rest) => Some(rest),
            None => self.split_indicator_run(&t),
        };
        if let Some(rest) = split {
            match rest {
                Some(rest) => {
                    k = key(&rest.text);
                    t = rest;
                }
                None => return Flow::Next,
            }
        }
        let k = k.as_str();
        let mut label1 = is_level1(k);
        let mut label2 = is_level2(k);
        // A name both levels use (成本指标) right after a 一级 label is its 二级 group.
        let base = k.split(['(', '（']).next().unwrap_or(k);
        let only_labels = !self.row.cells.is_empty()
            && self.row.cells.iter().all(|(_, c)| {
                let ck = key(&c.text);
                is_level1(&ck) || is_level2(&ck)
            });
        let has_l2 = self.roles.contains(&Role::Level2);
        let has_name = self.roles.contains(&Role::Name);
        // 成本指标 below 产出指标's rows is 产出's 二级 group (财预〔2015〕88号/〔2020〕10号), unless
        // 101号's cost groups (经济成本 …) follow it as its own 二级 groups.
        let output_cost = has_l2
            && Level2::parse(base) == Some(Level2::Cost)
            && self.current_level1() == Some(Level1::Output)
            && !self.cost_groups_follow();
        if label1
            && Level2::parse(base).is_some()
            && (only_labels && has_l2 || !has_l2 && has_name || output_cost)
        {
            label1 = false;
            label2 = true;
        }
        let l1 = self.roles.iter().position(|r| *r == Role::Level1);
        let l2 = self.roles.iter().position(|r| *r == Role::Level2);
        let pos = self.pos;
        let mut target = None;
        if label1 && let Some(c) = l1 {
            target = Some((c, c < pos || !self.row.cells.is_empty() && c <= pos));
        } else if label2 && let Some(c) = l2 {
            // A second 二级指标 column further on (长期 | 年度) takes the label in the same row.
            let later = (pos..n).find(|&j| self.roles[j] == Role::Level2);
            let c = if c < pos && !self.row.cells.is_empty() {
                later.unwrap_or(c)
            } else {
                c
            };
            // A bare group word right after its group (服务对象满意度指标 | 满意度) is the name.
            let name_next = !k.ends_with("指标")
                && self.roles.get(c + 1) == Some(&Role::Name)
                && self.row.cells.last().map(|x| x.0) == Some(self.header_start + c);
            target = Some(if c < pos && name_next {
                (c + 1, false)
            } else {
                (c, c < pos)
            });
        }
        // Without a 二级指标 column, a group word (质量, 社会效益) is the indicator's name
        // (the Hubei monitoring form's 指标名称).
        if target.is_none()
            && label2
            && l2.is_none()
            && let Some(c) = self.roles.iter().position(|r| *r == Role::Name)
        {
            let taken = self
                .row
                .cells
                .iter()
                .any(|(col, _)| *col >= self.header_start + c);
            target = Some((c, c < pos || taken));
        }
        let (col, new_row) = match target {
            Some(x) => x,
            None => match self.indicator_column(&t) {
                Some(x) => x,
                None => {
                    // Not indicator content: the table is over.
                    self.flush();
                    return self.finish_with(t);
                }
            },
        };
        if new_row {
            self.flush();
        }
        let roles = &self.roles;
        if roles[col] == Role::Value
            && roles[..col].iter().filter(|r| **r == Role::Value).count() == 0
        {
            fix_at_least(&mut t);
        }
        self.row.cells.push((self.header_start + col, t));
        self.pos = col + 1;
        Flow::Next
    }

    /// The 一级 group of the rows read so far under the indicator header: the last 一级 label
    /// in its column.
    fn current_level1(&self) -> Option<Level1> {
        let col = self.header_start + self.roles.iter().position(|r| *r == Role::Level1)?;
        let rows = std::iter::once(&self.row).chain(self.out.rows.iter().rev());
        for row in rows {
            if let Some((_, c)) = row.cells.iter().find(|(c, _)| *c == col) {
                let k = key(&c.text);
                if k.starts_with("一级指标") {
                    return None;
                }
                if is_level1(&k) {
                    let base = k.split(['(', '（']).next().unwrap_or(&k);
                    // 项目完成指标: the Sichuan declarations' 产出指标.
                    return Level1::parse(base)
                        .or_else(|| base.starts_with("项目完成指标").then_some(Level1::Output));
                }
            }
        }
        None
    }

    /// Whether the next labels are 101号's cost groups (经济成本指标 …): a 成本指标 before them
    /// is a 一级 group of its own.
    fn cost_groups_follow(&self) -> bool {
        self.rest[self.i..]
            .iter()
            .filter(|t| t.kind != Kind::Empty)
            .take(2)
            .any(|t| {
                matches!(
                    Level2::parse(&key(&t.text)),
                    Some(Level2::EconomicCost | Level2::SocialCost | Level2::EcologicalCost)
                )
            })
    }

    /// Indicator rows whose cells run together in one token, split by what the row must satisfy
    /// (see [`glued::split_indicators`]) and placed; `None` when nothing was split, else the
    /// unread rest of the token, if any.
    fn split_indicator_run(&mut self, t: &Token) -> Option<Option<Token>> {
        let k = key(&t.text);
        if t.kind != Kind::Text
            || t.text.chars().count() < 4
            || !k.chars().any(|c| c.is_ascii_digit())
            || is_level1(&k)
            || is_level2(&k)
        {
            return None;
        }
        if self.splits_left == 0 {
            return None;
        }
        let name = self.roles.iter().position(|r| *r == Role::Name)?;
        let last = self
            .roles
            .iter()
            .rposition(|r| matches!(r, Role::Number | Role::Value))?;
        let slot = |r: &Role| match r {
            Role::Name => Some(glued::Slot::Name),
            Role::Number => Some(glued::Slot::Number),
            Role::Value => Some(glued::Slot::Value),
            _ => None,
        };
        let full: Vec<glued::Slot> = self.roles[name..=last]
            .iter()
            .map(slot)
            .collect::<Option<_>>()?;
        if !full.contains(&glued::Slot::Number) {
            return None;
        }
        let starts_value = t
            .text
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit() || "≥≤><=≧≦".contains(c));
        let named = self
            .row
            .cells
            .iter()
            .any(|(c, _)| *c == self.header_start + name);
        let from = if starts_value && named && self.pos > name && self.pos <= last {
            self.pos
        } else {
            name
        };
        self.splits_left -= 1;
        let (rows, at) = glued::split_indicators(&t.text, &full[from - name..], &full);
        if rows.is_empty() {
            return None;
        }
        let mut col0 = from;
        for row in rows {
            if col0 == name
                && self
                    .row
                    .cells
                    .iter()
                    .any(|(c, _)| *c >= self.header_start + name)
            {
                self.flush();
            }
            for (i, (a, b)) in row.into_iter().enumerate() {
                self.row
                    .cells
                    .push((self.header_start + col0 + i, sub_token(t, a, b)));
                self.pos = col0 + i + 1;
            }
            col0 = name;
        }
        let rest = sub_token(t, at, t.text.chars().count());
        let readable = rest.text.chars().any(|c| c.is_alphanumeric());
        Some(readable.then_some(rest))
    }

    /// The columns of a scoring sheet (指标名称 | [计量单位] | [指标性质] | values | 得分系数 |
    /// 指标权重 | 指标得分 | 是否核心指标), when the header is one.
    fn scored_cols(&self) -> Option<glued::ScoredCols> {
        let r = &self.roles;
        let name = r.iter().position(|x| *x == Role::Name)?;
        let mut c = name + 1;
        let take = |role: Role, c: &mut usize| {
            (r.get(*c) == Some(&role)).then(|| {
                *c += 1;
                *c - 1
            })
        };
        let unit = take(Role::Unit, &mut c);
        let nature = take(Role::Operator, &mut c);
        let mut values = Vec::new();
        while let Some(v) = take(Role::Value, &mut c) {
            values.push(v);
        }
        let tail = [Role::Factor, Role::Number, Role::Number, Role::Text];
        if values.is_empty() || r.get(c..c + 4) != Some(&tail[..]) {
            return None;
        }
        Some(glued::ScoredCols {
            name,
            unit,
            nature,
            values,
            factor: c,
            weight: c + 1,
            score: c + 2,
            flag: c + 3,
        })
    }

    /// Scoring-sheet rows run together (`财政供养人员控制率%定量指标100%92%100%22否…`), with
    /// the tokens the vocabulary cut them into rejoined (those that follow on in the same
    /// line), split by [`glued::split_scored`] and placed; `None` when nothing was split, else
    /// the unread rest, if any.
    fn split_scored_run(&mut self, t: &Token) -> Option<Option<Token>> {
        if t.kind != Kind::Text || self.splits_left == 0 {
            return None;
        }
        let cols = self.scored_cols()?;
        let mut joined = t.clone();
        let mut take = 0;
        while let Some(n) = self.rest.get(self.i + take) {
            let nk = key(&n.text);
            let len = joined.text.chars().count();
            if n.kind == Kind::Empty
                || n.line != joined.line
                || n.column != joined.column + len
                || len > 2_000
                || (nk.starts_with("绩效指标") && nk.chars().count() <= 12)
            {
                break;
            }
            joined.text.push_str(&n.text);
            take += 1;
        }
        if !joined.text.chars().any(|c| c.is_ascii_digit()) {
            return None;
        }
        joined.kind = kind(&joined.text);
        self.splits_left -= 1;
        let (rows, at) = glued::split_scored(&joined.text, &cols);
        if rows.is_empty() {
            return None;
        }
        self.i += take;
        for row in rows {
            self.flush();
            for (col, a, b) in row {
                self.row
                    .cells
                    .push((self.header_start + col, sub_token(&joined, a, b)));
                self.pos = col + 1;
            }
        }
        let rest = sub_token(&joined, at, joined.text.chars().count());
        let readable = rest.text.chars().any(|c| c.is_alphanumeric());
        Some(readable.then_some(rest))
    }

    /// The column of a token that is not a group label, and whether it starts a new row.
    fn indicator_column(&self, t: &Token) -> Option<(usize, bool)> {
        let roles = &self.roles;
        let n = roles.len();
        let pos = self.pos;
        // A text after the last number column is a reason unless a value follows it (then
        // it is the next indicator's name).
        let next_value = self.rest[self.i..]
            .iter()
            .find(|n| n.kind != Kind::Empty)
            .is_some_and(|n| {
                n.kind != Kind::Text
                    || key(&n.text).chars().any(|c| c.is_ascii_digit())
                    || accepts(Role::Operator, n)
            });
        let last_number = roles.iter().rposition(|r| *r == Role::Number);
        let after_numbers = last_number.is_some_and(|c| pos > c);
        // A short row (cells the text left out) is placed by what its values are: a unit
        // follows a number (`有效` after a target `有效` is the actual, not a unit), and a
        // number that starts the row's last run of numbers, as many as its number columns,
        // each not above the one before (`10` `10`: weight and score) is a weight, not a value.
        let after_number = |c: usize| {
            self.row
                .cells
                .iter()
                .rfind(|(col, _)| *col + 1 == self.header_start + c)
                .is_some_and(|(_, prev)| prev.text.chars().any(|ch| ch.is_ascii_digit()))
        };
        let weight_run = || {
            let numbers = roles[pos..].iter().filter(|r| **r == Role::Number).count();
            let mut next = self.rest[self.i..].iter().filter(|n| n.kind != Kind::Empty);
            let value = |x: &Token| parse_number(&x.text, &['分']).ok().flatten();
            let mut last = match value(t) {
                Some(v) if t.kind == Kind::Number && v <= rust_decimal::Decimal::ONE_HUNDRED => v,
                _ => return false,
            };
            for _ in 1..numbers {
                match next.next() {
                    Some(x) if x.kind == Kind::Number => match value(x) {
                        Some(v) if v <= last => last = v,
                        _ => return false,
                    },
                    _ => return false,
                }
            }
            numbers >= 2
                && next
                    .next()
                    .is_none_or(|x| !matches!(x.kind, Kind::Number | Kind::Rate))
        };
        let fits = |c: usize| {
            accepts(roles[c], t)
                && (roles[c] != Role::Unit || after_number(c))
                && (roles[c] != Role::Value || t.kind != Kind::Number || !weight_run())
        };
        let found = (pos..n).find(|&c| fits(c));
        match found {
            Some(c)
                if !(after_numbers
                    && t.kind == Kind::Text
                    && next_value
                    && roles[c] == Role::Text) =>
            {
                Some((c, false))
            }
            _ => (0..n).find(|&c| accepts(roles[c], t)).map(|c| (c, true)),
        }
    }
}

/// True for a token that holds several numbers run together: not one readable number, or a
/// rate no form prints (above 1000%).
fn glued_run(t: &Token) -> bool {
    glued::is_run(&t.text)
        && match t.kind {
            Kind::Text => true,
            Kind::Rate => parse_number(&t.text, &['%'])
                .ok()
                .flatten()
                .is_some_and(|v| v > rust_decimal::Decimal::from(1000)),
            _ => false,
        }
}

/// A column word of a cost build-up's header (金额, 测算(公式)依据, 2020年实际执行数).
fn is_cost_head(k: &str) -> bool {
    (k.starts_with("金额")
        || k.contains("依据")
        || k.contains("执行数")
        || k.ends_with("实际")
        || k.starts_with("测算"))
        && k.chars().count() <= 16
}

/// A header token with a year inside it split before the year (`测算(公式)依据2020年实际` →
/// `测算(公式)依据` | `2020年实际`).
fn split_at_year(t: &Token) -> Vec<Token> {
    let chars: Vec<char> = t.text.chars().collect();
    let year = (1..chars.len().saturating_sub(4)).find(|&p| {
        !chars[p - 1].is_ascii_digit()
            && chars[p..p + 4].iter().all(|c| c.is_ascii_digit())
            && chars[p + 4] == '年'
    });
    match year {
        Some(p) => vec![sub_token(t, 0, p), sub_token(t, p, chars.len())],
        None => vec![t.clone()],
    }
}

/// The part `a..b` (characters) of a token, at its own column.
fn sub_token(t: &Token, a: usize, b: usize) -> Token {
    let text: String = t.text.chars().skip(a).take(b - a).collect();
    let kind = kind(&text);
    Token {
        text,
        line: t.line,
        column: t.column + a,
        kind,
    }
}

/// Reads flattened text into a document, or `None` when it holds no form table.
pub fn read(file: &str, text: &str, limits: &Limits) -> Result<Option<Document>, ImportError> {
    let fail = |kind| ImportError {
        file: file.to_string(),
        kind,
    };
    for line in text.lines() {
        within(line.chars().count(), limits.max_text_chars, "一行文字").map_err(fail)?;
    }
    let mut tokens = tokens(text);
    within(tokens.len(), limits.max_cells, "单元格总数").map_err(fail)?;
    let mut blocks = Vec::new();
    let mut paragraphs = 0;
    let mut tables = 0;
    // One table after another: what follows a table's closing text may hold the next form.
    loop {
        let rebuilt = rebuild(std::mem::take(&mut tokens));
        if rebuilt.rows.len() < 2 {
            if tables == 0 {
                return Ok(None);
            }
            let rows = rebuilt.rows.into_iter().flat_map(|r| r.cells).map(|c| c.1);
            for t in rebuilt.before.into_iter().chain(rows).chain(rebuilt.after) {
                blocks.push(Block::Paragraph(Paragraph {
                    index: paragraphs,
                    text: t.text.clone(),
                    heading: None,
                }));
                paragraphs += 1;
            }
            break;
        }
        if rebuilt.rows.len() > limits.max_rows {
            return Err(fail(ErrorKind::TooBig {
                what: format!("表格{}的行数", tables + 1),
                limit: limits.max_rows,
            }));
        }
        for t in &rebuilt.before {
            blocks.push(Block::Paragraph(Paragraph {
                index: paragraphs,
                text: t.text.clone(),
                heading: None,
            }));
            paragraphs += 1;
        }
        let mut builder = TableBuilder::default();
        for row in &rebuilt.rows {
            builder.start_row();
            let mut col = 0;
            for (c, t) in &row.cells {
                if *c < col {
                    continue;
                }
                builder.skip(c - col);
                builder.cell(t.text.clone(), 1, 1);
                builder.origin(t.line, t.column);
                col = c + 1;
            }
        }
        blocks.push(Block::Table(builder.finish(tables, None)));
        tables += 1;
        tokens = rebuilt.after;
        if tokens.is_empty() {
            break;
        }
    }
    Ok(Some(Document {
        file: file.into(),
        format: Format::Text,
        blocks,
        warnings: vec!["文本中的表格已按表头和数值类型重建（原文为扁平文本），请核对".to_string()],
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Prints the rows rebuilt from the file `FLAT_DEBUG` names (a development aid).
    #[test]
    #[ignore]
    fn debug_rebuild() {
        let Ok(path) = std::env::var("FLAT_DEBUG") else {
            return;
        };
        let text = std::fs::read_to_string(path).unwrap_or_default();
        if std::env::var("FLAT_TOKENS").is_ok() {
            for t in tokens(&text) {
                println!("{}:{} {:?} {}", t.line, t.column, t.kind, t.text);
            }
        }
        let rebuilt = rebuild(tokens(&text));
        for row in &rebuilt.rows {
            let cells: Vec<String> = row
                .cells
                .iter()
                .map(|(c, t)| format!("{c}:{}", t.text))
                .collect();
            println!("{}", cells.join(" | "));
        }
    }

    #[test]
    fn normalises_extraction_noise() {
        assert_eq!(normalize("項(xiàng)目資(zī)金"), "项目资金");
        assert_eq!(normalize("项目资金(万兀)"), "项目资金(万元)");
        assert_eq!(normalize("IO"), "10");
        assert_eq!(normalize("1O0%"), "100%");
        assert_eq!(normalize("(万元)"), "(万元)");
        assert_eq!(kind("86%"), Kind::Rate);
        assert_eq!(kind("43.2"), Kind::Number);
        assert_eq!(kind("/"), Kind::Empty);
        assert_eq!(kind("公用经费"), Kind::Text);
        // Inline pinyin after traditional characters, both normalised.
        assert_eq!(normalize("績(jī)效目標"), "绩效目标");
        assert_eq!(normalize("實(shí)際(jì)完成值"), "实际完成值");
        assert_eq!(normalize("學生滿意度"), "学生满意度");
        assert_eq!(normalize("項目驗收合格率"), "项目验收合格率");
        assert_eq!(normalize("資金到位及時率"), "资金到位及时率");
        // A rate with OCR noise after its `%` is a rate.
        assert_eq!(normalize("70%o"), "70%");
        assert_eq!(normalize("100%。"), "100%");
        assert_eq!(kind(&normalize("95.5%o")), Kind::Rate);
        assert_eq!(normalize("完成率。"), "完成率。");
    }

    #[test]
    fn a_traditional_header_with_pinyin_is_read() {
        let text = "項(xiàng)目名稱 培訓項目 主管部門 人社局 一級(jí)指標 二級指標 三級指標 年度指標值 \
                    實(shí)際完成值 分值 得分 產出指標 數量指標 培訓人次 3000人次 3100人次 10 10";
        let rows = rows(text);
        assert_eq!(
            row_with(&rows, "一级指标"),
            [
                "0:一级指标",
                "1:二级指标",
                "2:三级指标",
                "3:年度指标值",
                "4:实际完成值",
                "5:分值",
                "6:得分"
            ]
        );
        assert_eq!(
            row_with(&rows, "产出指标"),
            [
                "0:产出指标",
                "1:数量指标",
                "2:培训人次",
                "3:3000人次",
                "4:3100人次",
                "5:10",
                "6:10"
            ]
        );
    }

    /// The rows rebuilt from `text`, each as `column:text` cells.
    fn rows(text: &str) -> Vec<Vec<String>> {
        rebuild(tokens(text))
            .rows
            .iter()
            .map(|r| {
                r.cells
                    .iter()
                    .map(|(c, t)| format!("{c}:{}", t.text))
                    .collect()
            })
            .collect()
    }

    fn row_with(rows: &[Vec<String>], first: &str) -> Vec<String> {
        rows.iter()
            .find(|r| r.first().is_some_and(|c| c.ends_with(first)))
            .cloned()
            .unwrap_or_default()
    }

    #[test]
    fn splits_a_run_together_funds_row_by_its_arithmetic() {
        let text = "项目名称水标尺项目主管部门水利局资金情况(万元)全年预算数(A)全年执行数(B)\
                    分值执行率(B/A)得分年度资金总额:202010100.00%10其中:本年财政拨款2020";
        let rows = rows(text);
        assert_eq!(
            row_with(&rows, "年度资金总额:"),
            [
                "0:年度资金总额:",
                "1:20",
                "2:20",
                "3:10",
                "4:100.00%",
                "5:10"
            ]
        );
        // Every value keeps its place in the text.
        let tokens = tokens(text);
        let run = tokens
            .iter()
            .position(|t| t.text == "年度资金总额:")
            .unwrap();
        let column = tokens[run + 1].column;
        let rebuilt = rebuild(tokens);
        let row = rebuilt
            .rows
            .iter()
            .find(|r| r.cells[0].1.text == "年度资金总额:")
            .unwrap();
        let columns: Vec<usize> = row.cells[1..].iter().map(|c| c.1.column).collect();
        assert_eq!(
            columns,
            [column, column + 2, column + 4, column + 6, column + 13]
        );
        // 本年财政拨款 2020 is one number as printed (no rate tells it is two).
        assert_eq!(
            row_with(&rows, "本年财政拨款"),
            ["0:本年财政拨款", "1:2020"]
        );
    }

    #[test]
    fn reads_a_scoring_sheets_execution_row_without_amounts() {
        // The Chongqing sheet run together with OCR slips: the block label's second line
        // garbled (相)预资5), a header cell's first line garbled (全年(If整) 预算数), the
        // amounts blank and the rate led by OCR's O.
        let text = "部门整体绩效自评表主管部门财政处室自评总分(分)97.6部门预算执行情况相)预资5\
                    年初预算数全年(If整)预算数全年执行数执行率(%)执行率权重执行率得分(分)\
                    O76%107.6当年绩效目标年初绩效目标";
        let sheet = rows(text);
        assert_eq!(
            row_with(&sheet, "主管部门")[2..4],
            ["2:自评总分(分)", "3:97.6"]
        );
        assert_eq!(
            row_with(&sheet, "预算执行情况相)预资5"),
            [
                "0:预算执行情况相)预资5",
                "1:年初预算数",
                "2:全年(If整)预算数",
                "3:全年执行数",
                "4:执行率(%)",
                "5:执行率权重",
                "6:执行率得分(分)"
            ]
        );
        // 10 × 76% = 7.6; the zero is kept past the columns, unread.
        assert!(
            sheet
                .iter()
                .any(|r| r[..] == ["4:76%", "5:10", "6:7.6", "7:0"]),
            "{sheet:?}"
        );
        // Without a score that is weight × rate, the run stays whole.
        let text = "主管部门财政处室部门预算执行情况年初预算数全年预算数全年执行数执行率(%)执行率权重执行率得分(分)\
                    76%107.5当年绩效目标";
        assert!(
            rows(text)
                .iter()
                .any(|r| r.iter().any(|c| c.ends_with(":76%107.5"))),
            "{:?}",
            rows(text)
        );
    }

    #[test]
    fn cost_below_output_is_outputs_second_level_group() {
        // One cell per line (007): 成本指标 follows 产出指标's 时效 rows, so it is 产出's 二级
        // group, not a 一级 group of its own (which would leave the rows under 时效).
        let cells = [
            "项目名称",
            "供暖项目",
            "主管部门",
            "教育局",
            "一级指标",
            "二级指标",
            "三级指标",
            "年度指标值",
            "实际完成值",
            "分值",
            "得分",
            "产出指标",
            "时效指标",
            "项目完成及时率",
            "100%",
            "100%",
            "10",
            "10",
            "成本指标",
            "成本控制率",
            "100%",
            "100%",
            "10",
            "10",
            "效益指标",
            "社会效益指标",
            "群众满意",
            "95%",
            "96%",
            "10",
            "10",
        ];
        let text: String = cells.iter().map(|c| format!("{c} |\n")).collect();
        let rows88 = rows(&text);
        assert_eq!(
            row_with(&rows88, "成本指标"),
            [
                "1:成本指标",
                "2:成本控制率",
                "3:100%",
                "4:100%",
                "5:10",
                "6:10"
            ]
        );
        assert_eq!(
            row_with(&rows88, "效益指标")[..2],
            ["0:效益指标", "1:社会效益指标"]
        );
        // 101号's layout keeps 成本指标 a 一级 group when its cost groups follow.
        let cells = [
            "项目名称",
            "供暖项目",
            "主管部门",
            "教育局",
            "一级指标",
            "二级指标",
            "三级指标",
            "年度指标值",
            "实际完成值",
            "分值",
            "得分",
            "产出指标",
            "时效指标",
            "项目完成及时率",
            "100%",
            "100%",
            "10",
            "10",
            "成本指标",
            "经济成本指标",
            "成本控制率",
            "100%",
            "100%",
            "10",
            "10",
        ];
        let text: String = cells.iter().map(|c| format!("{c} |\n")).collect();
        let rows101 = rows(&text);
        assert_eq!(
            row_with(&rows101, "成本指标")[..2],
            ["0:成本指标", "1:经济成本指标"]
        );
    }

    #[test]
    fn short_rows_are_placed_by_what_their_values_are() {
        let cells = [
            "项目名称",
            "营养改善",
            "主管部门",
            "教育局",
            "一级指标",
            "二级指标",
            "三级指标",
            "指标值",
            "度量单位",
            "实际完成值",
            "分值",
            "得分",
            "效益指标",
            "经济效益指标",
            // No operator, no unit: the second 有效 is the actual, not a unit.
            "减轻家庭负担",
            "有效",
            "有效",
            "10",
            "10",
            // No actual: the target is a rate, 10 and 8 are the weight and the score.
            "社会效益指标",
            "政策知晓率",
            "95%",
            "10",
            "8",
            // A full row stays as it is.
            "满意度指标",
            "服务对象满意度指标",
            "学生满意度",
            "95",
            "%",
            "96%",
            "10",
            "10",
        ];
        let text: String = cells.iter().map(|c| format!("{c} |\n")).collect();
        let rows = rows(&text);
        let row = |name: &str| {
            rows.iter()
                .find(|r| r.iter().any(|c| c.ends_with(name)))
                .cloned()
                .unwrap_or_default()
        };
        assert_eq!(
            row("减轻家庭负担"),
            [
                "0:效益指标",
                "1:经济效益指标",
                "2:减轻家庭负担",
                "3:有效",
                "5:有效",
                "6:10",
                "7:10"
            ]
        );
        assert_eq!(
            row("政策知晓率"),
            ["1:社会效益指标", "2:政策知晓率", "3:95%", "6:10", "7:8"]
        );
        assert_eq!(
            row("学生满意度")[2..],
            ["2:学生满意度", "3:95", "4:%", "5:96%", "6:10", "7:10"]
        );
    }

    #[test]
    fn the_overall_target_is_one_free_text_cell() {
        // Without column words: the prose up to the indicator table, numbers, rates and the
        // form's words (资金, 合格率) included, is one cell beside its label.
        let text = "项目名称 培训项目 主管部门 人社局 年度总体目标 完成培训3000人次, 合格率95%以上, \
                    资金50万元 全部到位。\n绩效指标 一级指标 二级指标 三级指标 年度指标值 实际完成值 \
                    分值 得分 产出指标 数量指标 培训人次 3000人次 3100人次 10 10";
        let spaced = rows(text);
        assert_eq!(
            row_with(&spaced, "年度总体目标"),
            [
                "0:年度总体目标",
                "1:完成培训3000人次, 合格率95%以上, 资金50万元 全部到位。"
            ]
        );
        assert!(
            spaced.iter().any(|r| r.contains(&"3:培训人次".to_string())),
            "{spaced:?}"
        );
        // With column words, past the empty cells a cell-per-line text puts before the texts.
        let text = "项目名称 |\n培训项目 |\n年度总体目标 |\n年初设定目标 |\n\
                    年度总体目标完成情况综述 |\n|\n|\n解决临时困难 |\n救助87人次,资金30万元。 |\n\
                    |\n一级指标 |\n";
        let rows = rows(text);
        let body = rows
            .iter()
            .find(|r| r.iter().any(|c| c.ends_with("解决临时困难")))
            .cloned()
            .unwrap_or_default();
        assert_eq!(body, ["1:解决临时困难", "2:救助87人次,资金30万元。"]);
    }

    #[test]
    fn numbered_sources_are_rows_of_their_own() {
        // A declaration's funds by source, label | amount, one per line, under a 金额 header;
        // a 一级 label whose 指标 went to the next line (项目完成 / 指标).
        let text = "项目名称 培训项目\n预算单位 区卫生健康局\n项目资金(万元) 年度资金总额 金额(万元)\n\
                    (一)财政拨款小计 6.30\n  1、一般公共预算 6.30\n  2、政府性基金 0.00\n\
                    (二)自有资金小计 0.00\n(三)其他收入 0.00\n\
                    绩效指标 一级指标 二级指标 三级指标 指标值\n绩效指标 项目完成\n指标\n\
                    数量指标 扶助人数 63人\n成本指标 成本控制 1000元/人\n";
        let rows = rows(text);
        assert_eq!(
            row_with(&rows, "年度资金总额"),
            ["0:年度资金总额", "1:金额(万元)"]
        );
        assert_eq!(
            row_with(&rows, "(一)财政拨款小计"),
            ["0:(一)财政拨款小计", "1:6.30"]
        );
        assert_eq!(
            row_with(&rows, "2、政府性基金"),
            ["0:2、政府性基金", "1:0.00"]
        );
        assert_eq!(
            row_with(&rows, "(三)其他收入"),
            ["0:(三)其他收入", "1:0.00"]
        );
        assert!(
            rows.iter()
                .any(|r| r.contains(&"1:项目完成指标".to_string())),
            "{rows:?}"
        );
        // 成本指标 under 项目完成指标 (产出) is its 二级 group.
        assert!(
            rows.iter().any(|r| r.contains(&"2:成本指标".to_string())),
            "{rows:?}"
        );
        // A list a label's colon opens stays with its label.
        assert_eq!(
            tokens("资金来源: (1)财政拨款")
                .iter()
                .map(|t| t.text.as_str())
                .collect::<Vec<_>>(),
            ["资金来源:(1)财政拨款"]
        );
    }

    #[test]
    fn header_words_split_over_two_lines_are_joined() {
        // Each header cell printed on two lines, one line per cell part.
        let text = "项目名称 |\n培训项目 |\n一级指标 |\n二级指标 |\n三级指标 |\n年度指标 |\n值 |\n\
                    实际完成 |\n值 |\n分 |\n值 |\n得分 |\n产出指标 |\n数量指标 |\n培训人次 |\n\
                    3000人次 |\n3100人次 |\n10 |\n10 |\n";
        let split = rows(text);
        assert_eq!(
            row_with(&split, "一级指标"),
            [
                "0:一级指标",
                "1:二级指标",
                "2:三级指标",
                "3:年度指标值",
                "4:实际完成值",
                "5:分值",
                "6:得分"
            ]
        );
        // A row of header cells whose second lines come together on the next line.
        let text = "项目名称 培训项目 主管部门 人社局\n一级指标 二级指标 三级指标 年度指标 实际完成 分值 得分\n\
                    值 值\n产出指标 数量指标 培训人次 3000人次 3100人次 10 10";
        let interleaved = rows(text);
        assert_eq!(
            row_with(&interleaved, "一级指标"),
            [
                "0:一级指标",
                "1:二级指标",
                "2:三级指标",
                "3:年度指标值",
                "4:实际完成值",
                "5:分值",
                "6:得分"
            ]
        );
        assert_eq!(
            row_with(&interleaved, "产出指标"),
            [
                "0:产出指标",
                "1:数量指标",
                "2:培训人次",
                "3:3000人次",
                "4:3100人次",
                "5:10",
                "6:10"
            ]
        );
    }

    #[test]
    fn a_rate_in_a_funds_row_is_never_a_score() {
        // The row holds one value more than its header's columns before the rate: the rate
        // is not taken for the 得分.
        let text = "项目名称 |\n某项目 |\n项目资金 |\n全年预算数 |\n全年执行数 |\n分值 |\n执行率 |\n得分 |\n\
                    年度资金总额 |\n100 |\n100 |\n100 |\n10 |\n100% |\n";
        let extra = rows(text);
        let row = row_with(&extra, "年度资金总额");
        assert!(row.iter().any(|c| c.ends_with(":100%")), "{row:?}");
        assert!(!row.contains(&"5:100%".to_string()), "{row:?}");
        // In its place, a rate is under 执行率.
        let text = "项目名称 |\n某项目 |\n项目资金 |\n全年预算数 |\n全年执行数 |\n分值 |\n执行率 |\n得分 |\n\
                    年度资金总额 |\n100 |\n95 |\n10 |\n95% |\n9.5 |\n";
        let rows = rows(text);
        assert_eq!(
            row_with(&rows, "年度资金总额"),
            ["0:年度资金总额", "1:100", "2:95", "3:10", "4:95%", "5:9.5"]
        );
    }

    #[test]
    fn leaves_an_ambiguous_funds_run_unread() {
        // 11|11|100% and 11111|0|0% both fit exactly.
        let rows = rows(
            "项目名称某项目主管部门某局资金情况(万元)全年预算数全年执行数执行率\
                         年度资金总额1111100%其他资金",
        );
        assert!(rows.iter().flatten().any(|c| c.ends_with(":1111100%")));
        assert!(!rows.iter().flatten().any(|c| c.ends_with(":100%")));
    }

    #[test]
    fn splits_run_together_indicator_rows() {
        let rows = rows(
            "项目名称水标尺项目主管部门水利局资金情况(万元)全年预算数全年执行数\
                         执行率年度资金总额2020100%绩效指标一级指标二级指标三级指标分值年度指标值\
                         全年实际值得分产出指标(70分)数量指标安装坡面水标尺10≥266米≥266米10\
                         水标尺宽度10≥50厘米≥50厘米10质量指标验收合格率20100%100%20总分100100",
        );
        assert!(
            rows.iter().any(|r| r.ends_with(&[
                "3:安装坡面水标尺".to_string(),
                "4:10".into(),
                "5:≥266米".into(),
                "6:≥266米".into(),
                "7:10".into()
            ])),
            "{rows:?}"
        );
        assert!(rows.contains(&vec![
            "3:水标尺宽度".to_string(),
            "4:10".into(),
            "5:≥50厘米".into(),
            "6:≥50厘米".into(),
            "7:10".into()
        ]));
        assert!(rows.iter().any(|r| r.ends_with(&[
            "3:验收合格率".to_string(),
            "4:20".into(),
            "5:100%".into(),
            "6:100%".into(),
            "7:20".into()
        ])));
        assert_eq!(row_with(&rows, "总分"), ["0:总分", "4:100", "7:100"]);
    }

    #[test]
    fn leaves_an_ambiguous_indicator_run_unread() {
        // 5|1|1|1 and 51|1|1|1 both fit; 开工率 has a target and actual that differ.
        let rows = rows(
            "项目名称某项目一级指标二级指标三级指标分值年度指标值全年实际值得分\
                         产出指标数量指标名称A51111时效指标开工率10≥90%95%10",
        );
        let cells: Vec<&String> = rows.iter().flatten().collect();
        assert!(cells.iter().any(|c| c.ends_with(":名称A51111")), "{rows:?}");
        assert!(
            cells.iter().any(|c| c.ends_with(":开工率10≥90%95%10")),
            "{rows:?}"
        );
    }

    const SCORED_HEADER: &str = "部门名称某中心主管部门某局指标名称计量单位指标性质年初指标值\
                                 调整指标值年成值全完值得分系数(%)指标权重(分)指标得分(分)是否核心指标";

    #[test]
    fn splits_run_together_scored_rows() {
        let text = format!(
            "{SCORED_HEADER}政府采购执行率%定量指标100%72.74%100%22是组织宣传活动次数次26次43次100%1010是"
        );
        let rows = rows(&text);
        let header = row_with(&rows, "指标名称");
        assert!(header.contains(&"5:全年完成值".to_string()), "{header:?}");
        assert!(header.contains(&"9:是否核心指标".to_string()), "{header:?}");
        assert_eq!(
            row_with(&rows, "政府采购执行率"),
            [
                "0:政府采购执行率",
                "1:%",
                "2:定量指标",
                "3:100%",
                "5:72.74%",
                "6:100%",
                "7:2",
                "8:2",
                "9:是"
            ]
        );
        assert_eq!(
            row_with(&rows, "组织宣传活动次数"),
            [
                "0:组织宣传活动次数",
                "1:次",
                "3:26次",
                "5:43次",
                "6:100%",
                "7:10",
                "8:10",
                "9:是"
            ]
        );
        // Every value keeps its place in the source.
        let rebuilt = rebuild(tokens(&text));
        let actual = rebuilt
            .rows
            .iter()
            .flat_map(|r| &r.cells)
            .find(|(_, t)| t.text == "72.74%")
            .map(|(_, t)| (t.line, t.column));
        let at = text.find("72.74%").map(|b| text[..b].chars().count() + 1);
        assert_eq!(actual, at.map(|c| (1, c)));
    }

    #[test]
    fn leaves_an_ambiguous_scored_row_unread() {
        // 1|0.55 and 10.5|5 both fit 得分 = 权重 × 55%: no weight nor score is read.
        let rows = rows(&format!("{SCORED_HEADER}指标甲%90%95%55%10.55否"));
        // The run stays one cell after the header.
        assert_eq!(
            rows.last().cloned(),
            Some(vec!["0:指标甲%90%95%55%10.55否".to_string()]),
            "{rows:?}"
        );
    }

    #[test]
    fn reads_monitoring_columns_and_long_term_groups() {
        let rows = rows(
            "项目名称 申遗经费 项目资金(万元) 年初预算数 1-6月执行数 全年预计执行数 \
                         年度资金总额: 220 87.57 绩效指标 一级指标 指标名称 指标值 指标执行情况 \
                         完成目标可能性 产出指标 质量 成本 年度预算220万元 按进度执行 确定能 \
                         偏差或不能完成目标原因分析",
        );
        assert_eq!(
            row_with(&rows, "项目资金(万元)"),
            [
                "0:项目资金(万元)",
                "1:年初预算数",
                "2:1-6月执行数",
                "3:全年预计执行数"
            ]
        );
        // No 二级指标 column: 质量 and 成本 are names.
        assert!(rows.contains(&vec!["1:产出指标".to_string(), "2:质量".into()]));
        assert!(rows.contains(&vec![
            "2:成本".to_string(),
            "3:年度预算220万元".into(),
            "4:按进度执行".into(),
            "5:确定能".into()
        ]));
        let rows = rows_of_long_term();
        assert!(rows.contains(&vec![
            "0:产出指标".to_string(),
            "1:数量指标".into(),
            "4:数量指标".into(),
            "5:安排数量".into(),
            "6:2".into()
        ]));
    }

    fn rows_of_long_term() -> Vec<Vec<String>> {
        rows(
            "项目名称 某项目 一级指标 二级指标(长期) 三级指标(长期) 指标值(长期) \
              二级指标(年度) 三级指标(年度) 指标值(年度) 产出指标 数量指标 数量指标 安排数量 2",
        )
    }

    #[test]
    fn hostile_runs_are_bounded() {
        // Long runs of digits in a funds block and long digit-laden indicator tokens: read
        // (or left unread) without a blow-up.
        let mut text = String::from(
            "项目名称 某 项目资金 年初预算数 全年预算数 全年执行数 分值 执行率 得分\n",
        );
        for _ in 0..100 {
            text.push_str("年度资金总额 1111111111111111111111111111111111111%11\n");
        }
        text.push_str("一级指标 二级指标 三级指标 分值 年度指标值 全年实际值 得分\n");
        for _ in 0..100 {
            text.push_str(&format!("产出指标 数量指标 名{}\n", "1≥1".repeat(130)));
        }
        let started = std::time::Instant::now();
        let cut = text.find("一级指标").unwrap_or(0);
        let funds = rows(&text[..cut]);
        eprintln!("hostile funds runs: {:?}", started.elapsed());
        let rows = rows(&text);
        assert!(funds.len() > 100 && rows.len() > 100);
        eprintln!("hostile runs: {:?}", started.elapsed());
    }

    #[test]
    fn reads_at_least_misread_as_two() {
        let mut t = Token {
            text: "290%".into(),
            line: 1,
            column: 1,
            kind: Kind::Rate,
        };
        fix_at_least(&mut t);
        assert_eq!(t.text, "≥90%");
        let mut t = Token {
            text: "100%".into(),
            line: 1,
            column: 1,
            kind: Kind::Rate,
        };
        fix_at_least(&mut t);
        assert_eq!(t.text, "100%");
    }
}
