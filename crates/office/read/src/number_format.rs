//! Number formats: a stored number shown the way Excel displays it (`0.843` under `0.0%` is
//! `84.3%`, serial `44249` under `yyyy/m/d` is `2021/2/22`), computed with exact decimals.
//! calamine hands over the stored value and the cell's format code; this module owns the
//! display, which the forms' recognizers read.

use jixiao_core::money::round;
use rust_decimal::Decimal;

/// Excel's built-in number formats (as shown in a Chinese locale for dates).
pub(crate) fn builtin_format(id: u32) -> &'static str {
    match id {
        1 => "0",
        2 => "0.00",
        3 => "#,##0",
        4 => "#,##0.00",
        9 => "0%",
        10 => "0.00%",
        11 => "0.00E+00",
        14..=17 | 27..=31 | 50..=58 => "yyyy/m/d",
        22 => "yyyy/m/d h:mm",
        37 | 38 => "#,##0",
        39 | 40 => "#,##0.00",
        49 => "@",
        _ => "General",
    }
}

/// Shows a stored number the way Excel displays it under `code`. Exact decimal arithmetic;
/// a value that is not a number is returned as stored.
pub(crate) fn display_number(raw: &str, code: &str) -> String {
    let Some(value) = Decimal::from_str_exact(raw)
        .ok()
        .or_else(|| Decimal::from_scientific(raw).ok())
    else {
        return raw.to_string();
    };
    let section = code.split(';').next().unwrap_or("General");
    let lower = section.to_ascii_lowercase();
    if lower == "general" || lower == "@" || lower.is_empty() {
        return general(value);
    }
    if lower.contains('y') || lower.contains('d') || (lower.contains('m') && !lower.contains('0')) {
        return date(value, &lower).unwrap_or_else(|| general(value));
    }
    let percent = section.contains('%');
    let decimals = section.split_once('.').map_or(0, |(_, frac)| {
        frac.chars().take_while(|c| matches!(c, '0' | '#')).count()
    });
    let thousands = section.contains(',');
    let scaled = if percent {
        value.checked_mul(Decimal::ONE_HUNDRED).unwrap_or(value)
    } else {
        value
    };
    let rounded = round(scaled, decimals as u32);
    let mut text = format!("{rounded:.decimals$}");
    if thousands {
        text = group_thousands(&text);
    }
    if percent {
        text.push('%');
    }
    text
}

/// Excel's General format: at most 10 significant decimals, no trailing zeros.
fn general(value: Decimal) -> String {
    let digits = value
        .abs()
        .trunc()
        .to_string()
        .trim_start_matches('0')
        .len();
    let keep = 10u32.saturating_sub(digits as u32);
    round(value, keep).normalize().to_string()
}

fn group_thousands(text: &str) -> String {
    let (sign, rest) = text.strip_prefix('-').map_or(("", text), |r| ("-", r));
    let (int, frac) = rest
        .split_once('.')
        .map_or((rest, None), |(i, f)| (i, Some(f)));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

/// A date serial (1900 system) under a date format: `yyyy/m/d`, `yyyy-mm-dd`, `yyyy年m月d日`.
fn date(serial: Decimal, code: &str) -> Option<String> {
    let days: i64 = serial.trunc().to_string().parse().ok()?;
    if !(1..=2_958_465).contains(&days) {
        return None;
    }
    // Excel counts 1900-02-29, which did not exist: serials from 61 on are one day ahead.
    let days = if days >= 61 { days - 1 } else { days };
    // Serial 1 is 1900-01-01, which is 25567 days before 1970-01-01.
    let (y, m, d) = civil_from_days(days - 1 - 25_567);
    let long_month = code.contains("mm");
    let long_day = code.contains("dd");
    let md = |v: u32, long: bool| {
        if long {
            format!("{v:02}")
        } else {
            v.to_string()
        }
    };
    let sep = if code.contains('年') {
        return Some(format!("{y}年{}月{}日", md(m, long_month), md(d, long_day)));
    } else if code.contains('-') {
        "-"
    } else if code.contains('.') {
        "."
    } else {
        "/"
    };
    Some(format!(
        "{y}{sep}{}{sep}{}",
        md(m, long_month),
        md(d, long_day)
    ))
}

/// Days since 1970-01-01 → (year, month, day), proleptic Gregorian.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_show_as_excel_displays_them() {
        assert_eq!(display_number("0.843", "0.0%"), "84.3%");
        assert_eq!(display_number("0.92849", "0.0%"), "92.8%");
        assert_eq!(display_number("9.4", "0.00"), "9.40");
        assert_eq!(display_number("12", "0.00"), "12.00");
        assert_eq!(display_number("8.5", "0.0"), "8.5");
        assert_eq!(display_number("10", "0"), "10");
        assert_eq!(display_number("1", "0%"), "100%");
        assert_eq!(display_number("9400", "#,##0.00"), "9,400.00");
        assert_eq!(display_number("0.30000000000000004", "General"), "0.3");
        assert_eq!(display_number("1E-3", "General"), "0.001");
        assert_eq!(display_number("abc", "0.00"), "abc");
        assert_eq!(display_number("44249", "yyyy/m/d"), "2021/2/22");
        assert_eq!(display_number("44249", "yyyy-mm-dd"), "2021-02-22");
        assert_eq!(builtin_format(9), "0%");
        assert_eq!(builtin_format(14), "yyyy/m/d");
    }
}
