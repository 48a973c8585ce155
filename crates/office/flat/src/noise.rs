//! Extraction noise in one cell of flattened text: traditional characters of the form
//! vocabulary (mirrors converted to traditional characters), pinyin glosses inserted by
//! reading-aid mirrors, OCR slips in numbers (`IO` → 10) and in units (`万兀` → 万元).

/// Traditional → simplified for the characters of the form vocabulary (mirrors converted to
/// traditional characters).
const TRADITIONAL: &[(char, char)] = &[
    ('項', '项'),
    ('績', '绩'),
    ('評', '评'),
    ('預', '预'),
    ('數', '数'),
    ('資', '资'),
    ('經', '经'),
    ('費', '费'),
    ('稱', '称'),
    ('門', '门'),
    ('實', '实'),
    ('單', '单'),
    ('執', '执'),
    ('際', '际'),
    ('標', '标'),
    ('級', '级'),
    ('產', '产'),
    ('質', '质'),
    ('時', '时'),
    ('會', '会'),
    ('態', '态'),
    ('續', '续'),
    ('響', '响'),
    ('滿', '满'),
    ('務', '务'),
    ('對', '对'),
    ('總', '总'),
    ('體', '体'),
    ('計', '计'),
    ('劃', '划'),
    ('額', '额'),
    ('結', '结'),
    ('轉', '转'),
    ('撥', '拨'),
    ('財', '财'),
    ('與', '与'),
    ('為', '为'),
    ('萬', '万'),
    ('圓', '圆'),
    ('權', '权'),
    ('處', '处'),
    ('區', '区'),
    ('縣', '县'),
    ('鄉', '乡'),
    ('鎮', '镇'),
    ('機', '机'),
    ('構', '构'),
    ('關', '关'),
    ('係', '系'),
    ('發', '发'),
    ('開', '开'),
    ('動', '动'),
    ('況', '况'),
    ('達', '达'),
    ('規', '规'),
    ('範', '范'),
    ('問', '问'),
    ('題', '题'),
    ('進', '进'),
    ('設', '设'),
    ('備', '备'),
    ('註', '注'),
    ('說', '说'),
    ('報', '报'),
    ('衛', '卫'),
    ('補', '补'),
    ('麗', '丽'),
    ('檢', '检'),
    ('測', '测'),
    ('確', '确'),
    ('認', '认'),
    ('擬', '拟'),
    ('內', '内'),
    ('違', '违'),
    ('監', '监'),
    ('請', '请'),
    ('幣', '币'),
    ('億', '亿'),
    ('較', '较'),
    ('準', '准'),
    ('應', '应'),
    ('當', '当'),
    ('據', '据'),
    ('歸', '归'),
    ('屬', '属'),
    ('類', '类'),
    ('別', '别'),
    ('號', '号'),
    ('現', '现'),
    ('場', '场'),
    ('員', '员'),
    ('辦', '办'),
    ('統', '统'),
    ('籌', '筹'),
    ('點', '点'),
    ('戶', '户'),
    ('營', '营'),
    ('養', '养'),
    ('殘', '残'),
    ('醫', '医'),
    ('療', '疗'),
    ('藥', '药'),
    ('農', '农'),
    ('業', '业'),
    ('糧', '粮'),
    ('險', '险'),
    ('導', '导'),
    ('戰', '战'),
    ('嚴', '严'),
    ('審', '审'),
    ('覈', '核'),
    ('積', '积'),
    ('極', '极'),
    ('傳', '传'),
    ('環', '环'),
    ('濟', '济'),
    ('長', '长'),
    ('運', '运'),
    ('維', '维'),
    ('護', '护'),
    ('歷', '历'),
    ('廳', '厅'),
    ('東', '东'),
    ('這', '这'),
    ('個', '个'),
    ('無', '无'),
    ('稅', '税'),
    ('後', '后'),
    ('於', '于'),
    ('來', '来'),
    ('間', '间'),
    ('賬', '账'),
    ('帳', '账'),
    ('證', '证'),
    ('調', '调'),
    ('選', '选'),
    ('擇', '择'),
    ('勵', '励'),
    ('獎', '奖'),
    ('華', '华'),
    ('災', '灾'),
    ('減', '减'),
    ('兩', '两'),
    ('強', '强'),
    ('決', '决'),
    ('聯', '联'),
    ('紙', '纸'),
    ('倉', '仓'),
    ('們', '们'),
    ('側', '侧'),
    ('傷', '伤'),
    ('價', '价'),
    ('優', '优'),
    ('儲', '储'),
    ('參', '参'),
    ('圍', '围'),
    ('圖', '图'),
    ('壞', '坏'),
    ('學', '学'),
    ('寫', '写'),
    ('將', '将'),
    ('專', '专'),
    ('師', '师'),
    ('庫', '库'),
    ('從', '从'),
    ('採', '采'),
    ('損', '损'),
    ('擴', '扩'),
    ('條', '条'),
    ('種', '种'),
    ('線', '线'),
    ('練', '练'),
    ('織', '织'),
    ('繞', '绕'),
    ('職', '职'),
    ('聽', '听'),
    ('脫', '脱'),
    ('興', '兴'),
    ('舊', '旧'),
    ('蓋', '盖'),
    ('訓', '训'),
    ('詞', '词'),
    ('話', '话'),
    ('語', '语'),
    ('誤', '误'),
    ('論', '论'),
    ('識', '识'),
    ('議', '议'),
    ('讀', '读'),
    ('負', '负'),
    ('貧', '贫'),
    ('貨', '货'),
    ('責', '责'),
    ('買', '买'),
    ('貼', '贴'),
    ('購', '购'),
    ('輔', '辅'),
    ('輸', '输'),
    ('過', '过'),
    ('還', '还'),
    ('銀', '银'),
    ('銜', '衔'),
    ('錢', '钱'),
    ('錯', '错'),
    ('電', '电'),
    ('鞏', '巩'),
    ('飼', '饲'),
    ('館', '馆'),
    ('驗', '验'),
];

/// Header words as OCR read them from a cell printed on two lines, the second line's
/// characters interleaved with the first's (`全年完` over `成值` read as `年成值全完值`).
const GARBLED: &[(&str, &str)] = &[("年成值全完值", "全年完成值")];

pub(super) fn simplified(c: char) -> char {
    TRADITIONAL
        .iter()
        .find(|(t, _)| *t == c)
        .map_or(c, |&(_, s)| s)
}

/// True for a pinyin gloss inserted after a character by a reading-aid mirror: `(wèi)`,
/// `(zhí)` — lowercase Latin letters, some with tone marks, between parentheses.
pub(super) fn is_gloss(inner: &str) -> bool {
    !inner.is_empty()
        && inner.chars().count() <= 7
        && inner
            .chars()
            .all(|c| c.is_ascii_lowercase() || "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü".contains(c))
        && inner.chars().any(|c| !c.is_ascii() || "aeiou".contains(c))
}

/// Normalises extraction noise in one cell's text: traditional characters of the form
/// vocabulary → simplified, pinyin glosses removed, `万兀` → `万元`, a header word OCR read out
/// of order (`年成值全完值` → `全年完成值`), and in numbers the OCR
/// letters `I`/`l` → 1 and `O`/`o` → 0 (`IO` → 10).
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '(' || c == '（' {
            let close = chars[i + 1..]
                .iter()
                .take(9)
                .position(|&d| d == ')' || d == '）');
            if let Some(n) = close {
                let inner: String = chars[i + 1..i + 1 + n].iter().collect();
                if is_gloss(&inner) {
                    i += n + 2;
                    continue;
                }
            }
        }
        out.push(simplified(c));
        i += 1;
    }
    let mut out = out.replace("万兀", "万元").replace("萬兀", "万元");
    // A rate whose `%` OCR or the page's punctuation followed with a letter or a stop
    // (`70%o`, `100%。`): a rate.
    if let Some(body) = out.strip_suffix(['o', '。', '.', ',', '，'])
        && let Some(number) = body.strip_suffix(['%', '％'])
        && !number.is_empty()
        && number.chars().all(|c| c.is_ascii_digit() || c == '.')
    {
        out = body.to_string();
    }
    if let Some((_, word)) = GARBLED.iter().find(|(g, _)| out == *g) {
        return (*word).to_string();
    }
    // A token made only of digits and the letters OCR mistakes for them is a number.
    let looks_numeric = out.chars().any(|c| c.is_ascii_digit())
        && out
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, 'I' | 'l' | 'O' | 'o' | '.' | '%'));
    if looks_numeric || out == "IO" {
        return out
            .chars()
            .map(|c| match c {
                'I' | 'l' => '1',
                'O' | 'o' => '0',
                c => c,
            })
            .collect();
    }
    out
}
