//! serde_json's messages in Chinese: what a person reading `jixiao` or the API sees when a
//! JSON file is malformed or a field has the wrong shape.

/// The message of a JSON error in Chinese, without its position (callers give the line and
/// column, or the field path).
pub fn message(e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    let text = e.to_string();
    // serde_json appends " at line L column C"; the position is reported separately.
    let text = text
        .rsplit_once(" at line ")
        .map_or(text.as_str(), |(m, _)| m)
        .to_string();
    match e.classify() {
        Category::Eof => "JSON 不完整：内容在此处中断（缺少引号、括号或值）".into(),
        Category::Syntax => format!("JSON 语法错误：{}", syntax(&text)),
        Category::Io => format!("读取 JSON 失败：{text}"),
        Category::Data => data(&text),
    }
}

fn syntax(text: &str) -> String {
    const KNOWN: [(&str, &str); 12] = [
        ("expected value", "此处应为一个值"),
        ("expected `,` or `}`", "此处应为逗号或“}”"),
        ("expected `,` or `]`", "此处应为逗号或“]”"),
        ("expected `:`", "此处应为冒号"),
        ("expected ident", "此处应为 true、false 或 null"),
        ("trailing comma", "多余的逗号"),
        ("trailing characters", "JSON 结束后还有多余的内容"),
        ("key must be a string", "键必须是带引号的文字"),
        ("invalid number", "数字的写法不对"),
        ("number out of range", "数字超出范围"),
        ("control character", "文字中有未转义的控制字符"),
        ("invalid escape", "文字中的转义写法不对"),
    ];
    KNOWN
        .iter()
        .find(|(en, _)| text.starts_with(en))
        .map_or_else(|| text.to_string(), |(_, zh)| zh.to_string())
}

/// The names in serde's `` `a`, `b` `` lists, as `a、b`.
fn names(list: &str) -> String {
    list.split(", ")
        .flat_map(|n| n.split(" or "))
        .map(|n| n.trim_matches('`'))
        .collect::<Vec<_>>()
        .join("、")
}

fn kind(text: &str) -> String {
    let (head, value) = text.split_once(' ').unwrap_or((text, ""));
    let value = value.trim_matches('`');
    match head {
        "string" => format!("文字 {value}"),
        "integer" => format!("整数 {value}"),
        "floating" => format!(
            "小数 {}",
            value.trim_start_matches("point ").trim_matches('`')
        ),
        "boolean" => format!("布尔值 {value}"),
        "map" => "对象".into(),
        "sequence" => "数组".into(),
        "null" => "空值".into(),
        "unit" => "空值".into(),
        _ => text.to_string(),
    }
}

fn expected(text: &str) -> String {
    match text {
        "a string" | "a borrowed string" => "文字".into(),
        "a sequence" => "数组".into(),
        "a map" => "对象".into(),
        "a boolean" => "布尔值".into(),
        "u8" | "u16" | "u32" | "u64" | "usize" | "i32" | "i64" | "an integer" => "整数".into(),
        t if t.starts_with("struct ") => "对象".into(),
        t if t.starts_with("a sequence") => "数组".into(),
        t => t.to_string(),
    }
}

fn data(text: &str) -> String {
    if let Some(rest) = text.strip_prefix("unknown field `") {
        let (field, tail) = rest.split_once('`').unwrap_or((rest, ""));
        return match tail.strip_prefix(", expected one of ") {
            Some(list) => format!("未知字段“{field}”（可用：{}）", names(list)),
            None => match tail.strip_prefix(", expected ") {
                Some(one) => format!("未知字段“{field}”（可用：{}）", names(one)),
                None => format!("未知字段“{field}”"),
            },
        };
    }
    if let Some(rest) = text.strip_prefix("missing field `") {
        return format!("缺少字段“{}”", rest.trim_end_matches('`'));
    }
    if let Some(rest) = text.strip_prefix("unknown variant `") {
        let (value, tail) = rest.split_once('`').unwrap_or((rest, ""));
        return match tail.strip_prefix(", expected one of ") {
            Some(list) => format!("取值“{value}”无效（可用：{}）", names(list)),
            None => format!("取值“{value}”无效"),
        };
    }
    if let Some(rest) = text.strip_prefix("invalid type: ") {
        let (got, want) = rest.split_once(", expected ").unwrap_or((rest, ""));
        return format!("类型不对：是{}，应为{}", kind(got), expected(want));
    }
    if let Some(rest) = text.strip_prefix("invalid value: ") {
        let (got, want) = rest.split_once(", expected ").unwrap_or((rest, ""));
        return format!("取值无效：是{}，应为{}", kind(got), expected(want));
    }
    if let Some(rest) = text.strip_prefix("invalid length ") {
        return format!("长度不对：{rest}");
    }
    if let Some(rest) = text.strip_prefix("duplicate field `") {
        return format!("字段“{}”重复", rest.trim_end_matches('`'));
    }
    // Messages of Jixiao's own types are Chinese already.
    text.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(json: &str) -> String {
        #[derive(Debug, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct T {
            name: String,
            year: u16,
        }
        message(&serde_json::from_str::<T>(json).unwrap_err())
    }

    #[test]
    fn json_errors_read_in_chinese() {
        assert_eq!(
            err("{\"name\":"),
            "JSON 不完整：内容在此处中断（缺少引号、括号或值）"
        );
        assert_eq!(err("{\"name\" \"a\"}"), "JSON 语法错误：此处应为冒号");
        assert_eq!(err("{\"nme\":1}"), "未知字段“nme”（可用：name、year）");
        assert_eq!(err("{\"name\":\"a\"}"), "缺少字段“year”");
        assert_eq!(
            err("{\"name\":1,\"year\":1}"),
            "类型不对：是整数 1，应为文字"
        );
        assert_eq!(
            err("{\"name\":\"a\",\"year\":\"x\"}"),
            "类型不对：是文字 \"x\"，应为整数"
        );
    }
}
