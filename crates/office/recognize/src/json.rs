//! Form JSON as an input like any document: one form (docs/forms.md), an array of forms, or
//! what `jixiao import --json` printed (files, each with its recognized forms), so the output
//! of one command is the input of the next.

use jixiao_core::form::Form;
use serde_json::Value;

use jixiao_grid::{ErrorKind, ImportError};

/// True when `name` is a JSON file.
pub fn is_json(name: &str) -> bool {
    name.rsplit_once('.')
        .is_some_and(|(_, e)| e.eq_ignore_ascii_case("json"))
}

/// The forms of a JSON text. Errors name the file, the position of a syntax error, or the
/// form (第N张表) and field of a wrong value.
pub fn forms(file: &str, bytes: &[u8]) -> Result<Vec<Form>, ImportError> {
    let fail = |reason: String| ImportError {
        file: file.to_string(),
        kind: ErrorKind::Json { reason },
    };
    let text = std::str::from_utf8(bytes)
        .map_err(|_| fail("不是 UTF-8 文本，请另存为 UTF-8 编码".into()))?;
    let value: Value = serde_json::from_str(text).map_err(|e| {
        fail(format!(
            "第{}行第{}列：{}",
            e.line(),
            e.column(),
            jixiao_core::form::json_error::message(&e)
        ))
    })?;
    let mut out = Vec::new();
    collect(&value, &mut out).map_err(fail)?;
    Ok(out)
}

/// The forms in a value: a form, an array, an imported file (`{"file", "forms": […]}`) or one
/// recognized form of it (`{"form": {…}, "location": …}`).
fn collect(value: &Value, out: &mut Vec<Form>) -> Result<(), String> {
    match value {
        Value::Array(items) => {
            for item in items {
                collect(item, out)?;
            }
        }
        Value::Object(map) if map.get("forms").is_some_and(Value::is_array) => {
            collect(&map["forms"], out)?;
        }
        Value::Object(map) if map.get("form").is_some_and(Value::is_object) => {
            collect(&map["form"], out)?;
        }
        Value::Object(map) if map.contains_key("error") && !map.contains_key("form") => {
            let error = map["error"].as_str().unwrap_or_default();
            return Err(format!("其中记录的一个文件未能导入：{error}"));
        }
        _ => {
            let form = Form::from_json(&value.to_string())
                .map_err(|e| format!("第{}张表：{e}", out.len() + 1))?;
            out.push(form);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const FORM: &str = include_str!("../../../../testdata/forms/seed003-department.json");

    #[test]
    fn a_form_an_array_and_import_output_all_read() {
        let one = forms("a.json", FORM.as_bytes()).unwrap();
        assert_eq!(one.len(), 1);
        let array = format!("[{FORM},{FORM}]");
        assert_eq!(forms("b.json", array.as_bytes()).unwrap().len(), 2);
        let imported = format!(
            "[{{\"file\":\"x.docx\",\"format\":\"docx\",\"forms\":[{{\"form\":{FORM},\"location\":\"x\"}}],\"unrecognized\":[],\"warnings\":[]}}]"
        );
        assert_eq!(forms("c.json", imported.as_bytes()).unwrap(), one);
    }

    #[test]
    fn errors_name_the_file_and_the_place_in_chinese() {
        let e = forms("d.json", b"{\"form\":").unwrap_err().to_string();
        assert!(
            e.starts_with("d.json：表单 JSON 无效：第1行第8列：JSON 不完整"),
            "{e}"
        );
        let e = forms("e.json", format!("[{FORM}, {{\"form\":\"x\"}}]").as_bytes())
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("第2张表：") && e.contains("未知的表单类型“x”"),
            "{e}"
        );
        let e = forms("f.json", b"[{\"error\":\"f.docx\xef\xbc\x9a\"}]")
            .unwrap_err()
            .to_string();
        assert!(e.contains("未能导入"), "{e}");
    }
}
