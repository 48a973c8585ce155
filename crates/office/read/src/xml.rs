//! Small helpers over quick-xml's streaming reader, shared by the .docx and .xlsx readers.
//! quick-xml expands no DTD entities, so entity-expansion attacks have nothing to expand.

use std::borrow::Cow;

use quick_xml::events::attributes::Attribute;
use quick_xml::events::{BytesStart, Event};

/// The element an event opens, and whether it also closes there (`<w:br/>`).
pub(super) fn opened<'e, 'x>(event: &'e Event<'x>) -> Option<(&'e BytesStart<'x>, bool)> {
    match event {
        Event::Start(e) => Some((e, false)),
        Event::Empty(e) => Some((e, true)),
        _ => None,
    }
}

/// The value of the attribute whose local name is `key` (`w:val` → `val`), unescaped, without
/// copying it when it has nothing to unescape.
pub(super) fn attr_str<'e>(e: &'e BytesStart<'_>, key: &str) -> Option<Cow<'e, str>> {
    let a: Attribute<'e> = e
        .attributes()
        .flatten()
        .find(|a: &Attribute<'_>| a.key.local_name().as_ref() == key)?;
    Some(
        a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .unwrap_or_else(|_| a.value.clone()),
    )
}

/// The text of a character or predefined entity reference (`#39033`, `amp`), if known.
pub(super) fn reference(name: &str) -> Option<char> {
    if let Some(hex) = name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
        return u32::from_str_radix(hex, 16).ok().and_then(char::from_u32);
    }
    if let Some(dec) = name.strip_prefix('#') {
        return dec.parse().ok().and_then(char::from_u32);
    }
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        _ => None,
    }
}

/// A part that is not well-formed XML: the damage and where it is, never ignored.
pub(super) fn malformed(
    format: &'static str,
    part: &str,
    reader: &quick_xml::Reader<&[u8]>,
    e: &quick_xml::Error,
) -> jixiao_grid::ErrorKind {
    jixiao_grid::ErrorKind::Corrupt {
        format,
        reason: format!(
            "{part} 不是格式正确的 XML（第{}字节附近：{e}）",
            reader.error_position()
        ),
    }
}
