//! What changed between two versions of a form: field path, old value, new value. Used for the
//! change log (who changed what, old → new) and for the message when a save comes too late.

use serde::Serialize;
use serde_json::Value;

/// One changed field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// Field path (`indicators[2].actual`).
    pub path: String,
    /// The old value (`null` when added).
    pub old: Value,
    /// The new value (`null` when removed).
    pub new: Value,
}

/// The changes from `old` to `new`, in field order.
pub fn changes(old: &Value, new: &Value) -> Vec<Change> {
    let mut out = Vec::new();
    walk("", old, new, &mut out);
    out
}

fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_string()
    } else {
        format!("{prefix}.{key}")
    }
}

fn walk(path: &str, old: &Value, new: &Value, out: &mut Vec<Change>) {
    match (old, new) {
        (Value::Object(a), Value::Object(b)) => {
            for (k, va) in a {
                walk(&join(path, k), va, b.get(k).unwrap_or(&Value::Null), out);
            }
            for (k, vb) in b {
                if !a.contains_key(k) {
                    walk(&join(path, k), &Value::Null, vb, out);
                }
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            for i in 0..a.len().max(b.len()) {
                walk(
                    &format!("{path}[{i}]"),
                    a.get(i).unwrap_or(&Value::Null),
                    b.get(i).unwrap_or(&Value::Null),
                    out,
                );
            }
        }
        (a, b) if a == b => {}
        (a, b) => out.push(Change {
            path: path.to_string(),
            old: a.clone(),
            new: b.clone(),
        }),
    }
}

/// A value as a user reads it: text without quotes, nothing as “（空）”.
pub fn show(v: &Value) -> String {
    match v {
        Value::Null => "（空）".to_string(),
        Value::String(s) if s.is_empty() => "（空）".to_string(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The changes in words, each field by its name: `第3项指标的实际完成值：90% → 95%；…` (at most
/// `limit`, then a count).
pub fn describe(changes: &[Change], limit: usize) -> String {
    let mut parts: Vec<String> = changes
        .iter()
        .take(limit)
        .map(|c| {
            format!(
                "{}：{} → {}",
                crate::field::label(&c.path),
                show(&c.old),
                show(&c.new)
            )
        })
        .collect();
    if changes.len() > limit {
        parts.push(format!("等共{}处", changes.len()));
    }
    if parts.is_empty() {
        "内容未变（仅版本号变化）".to_string()
    } else {
        parts.join("；")
    }
}

/// The changes as the clauses of a sentence, each field by its name:
/// `将「第3项指标的实际完成值」由“90%”改为“95%”；填写「实施单位」为“某中心”` (at most `limit`,
/// then a count).
pub fn sentences(changes: &[Change], limit: usize) -> String {
    let blank = |v: &Value| match v {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        _ => false,
    };
    let mut parts: Vec<String> = changes
        .iter()
        .take(limit)
        .map(|c| {
            let field = crate::field::label(&c.path);
            match (blank(&c.old), blank(&c.new)) {
                (true, false) => format!("填写「{field}」为“{}”", show(&c.new)),
                (false, true) => format!("清空「{field}」（原为“{}”）", show(&c.old)),
                _ => format!("将「{field}」由“{}”改为“{}”", show(&c.old), show(&c.new)),
            }
        })
        .collect();
    if changes.len() > limit {
        parts.push(format!("等共{}处", changes.len()));
    }
    if parts.is_empty() {
        "内容未变（仅版本号变化）".to_string()
    } else {
        parts.join("；")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn finds_changed_added_and_removed_fields() {
        let a = json!({"name": "甲", "rows": [{"v": "1"}, {"v": "2"}], "gone": 1});
        let b = json!({"name": "乙", "rows": [{"v": "1"}, {"v": "3"}, {"v": "4"}], "new": true});
        let c = changes(&a, &b);
        let paths: Vec<&str> = c.iter().map(|c| c.path.as_str()).collect();
        assert_eq!(paths, ["gone", "name", "rows[1].v", "rows[2]", "new"]);
        assert_eq!(c[1].old, json!("甲"));
        assert_eq!(c[1].new, json!("乙"));
        assert!(changes(&a, &a).is_empty());
        assert_eq!(
            sentences(&c[1..], 2),
            "将「名称」由“甲”改为“乙”；将「表中其他内容」由“2”改为“3”；等共4处"
        );
        assert_eq!(
            sentences(&changes(&json!({"year": null}), &json!({"year": 2021})), 5),
            "填写「年度」为“2021”"
        );
        assert_eq!(
            describe(&c[1..2], 5),
            "名称：甲 → 乙",
            "the field named in words"
        );
        assert!(describe(&c, 2).ends_with("等共5处"));
    }
}
