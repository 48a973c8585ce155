//! Text into markup and parts into packages: escaping for XML and HTML (dropping what XML
//! forbids) and the zip of an Office Open XML package.

/// Escapes text for HTML.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Characters XML 1.0 forbids (C0 controls but tab and line breaks, U+FFFE,
            // U+FFFF) cannot be written even as references: they are left out.
            c if forbidden_in_xml(c) => {}
            _ => out.push(c),
        }
    }
    out
}

/// True for a character no XML 1.0 document may contain.
pub(crate) fn forbidden_in_xml(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}')
}

/// An Office Open XML package (.docx, .xlsx): the named parts, deflated, in order.
pub(super) fn package(parts: &[(String, String)]) -> Result<Vec<u8>, std::io::Error> {
    use std::io::Write;
    let mut cursor = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut cursor);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let io = |e: zip::result::ZipError| std::io::Error::other(e.to_string());
    for (name, body) in parts {
        zip.start_file(name.as_str(), options).map_err(io)?;
        zip.write_all(body.as_bytes())?;
    }
    zip.finish().map_err(io)?;
    Ok(cursor.into_inner())
}

#[cfg(test)]
mod escape_tests {
    use super::*;

    #[test]
    fn markup_is_escaped_and_forbidden_characters_dropped() {
        assert_eq!(escape("a<b>&\"'"), "a&lt;b&gt;&amp;&quot;&#39;");
        assert_eq!(escape("工\u{1}伤\u{B}\t\n\u{FFFF}"), "工伤\t\n");
    }
}
