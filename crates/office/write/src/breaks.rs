//! Where a line of text may break, for every renderer that breaks lines or sizes columns
//! (`columns`, `jixiao-pdf`): CJK text breaks anywhere except before a closing mark or after
//! an opening one; a number stays whole with its sign and its unit (`≥95%`, `56.88万人`); Latin
//! words stay whole.

/// Characters that may not start a line: closing marks.
pub const NO_LINE_START: &str = "，。、；：？！）】》」』〕”’,.;:?!)]}%‰℃·…";

/// Characters that may not end a line: opening marks.
pub const NO_LINE_END: &str = "“‘（《【「『〔([{";

/// Signs that stay with the number after them (`≥ 95%`, `±5`, `约3`).
pub const SIGNS: &str = "≥≤＞＜><±＋+－−~～约￥$＄";

/// Characters that may be a number's unit (`56.88万人`, `9000人次`, `3个月`): the run of them
/// right after a number, up to three, stays on the number's line.
pub const UNIT_CHARS: &str = "万亿千百元角人次个户件项家所座台套辆天日月年周季度小时分秒米里吨斤克升方亩条本册份张篇场期批名位间栋处部倍台例";

/// Part of a Latin word or a number: never broken inside.
pub fn latin(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | ',' | '%' | '‰' | '_' | '/' | '-' | '\'')
}

/// True when a line may break before `chars[k]` (the spaces from `k` on dropped).
pub fn may_break_before(chars: &[char], k: usize) -> bool {
    if k == 0 || k >= chars.len() {
        return true;
    }
    let Some(next) = (k..chars.len()).find(|&j| chars[j] != ' ') else {
        return true;
    };
    let (a, b) = (chars[k - 1], chars[next]);
    if NO_LINE_START.contains(b) || NO_LINE_END.contains(a) {
        return false;
    }
    if SIGNS.contains(a) && (b.is_ascii_digit() || SIGNS.contains(b)) {
        return false;
    }
    // A number's unit: the run of unit characters right after a digit (`8257人`, also
    // `8257 人` as Word documents often space it).
    if UNIT_CHARS.contains(b) {
        let run = (0..k)
            .rev()
            .take_while(|&j| UNIT_CHARS.contains(chars[j]))
            .count();
        let mut end = k - run;
        if run == 0 {
            while end > 0 && chars[end - 1] == ' ' {
                end -= 1;
            }
        }
        if run < 3 && end > 0 && chars[end - 1].is_ascii_digit() {
            return false;
        }
    }
    if next > k {
        // A space between words.
        return true;
    }
    !(latin(a) && latin(b))
}

/// The widest piece of `chars` that may not be broken, each character `widths[k]` wide.
pub fn widest_piece(chars: &[char], widths: &[i64]) -> i64 {
    let mut widest = 0;
    let mut piece = 0;
    for (k, &c) in chars.iter().enumerate() {
        if may_break_before(chars, k) {
            piece = 0;
        }
        if c != ' ' {
            piece += widths[k];
        }
        widest = widest.max(piece);
    }
    widest
}
