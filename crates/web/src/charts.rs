//! Charts for the dashboard, drawn as SVG on the server (no script, allowed by the page's
//! Content-Security-Policy). Every bar and point carries its number as text, so nothing is
//! told by colour or size alone. Coordinates are integers.

use jixiao_core::money::round2;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

fn esc(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A horizontal bar chart of `(label, count)`, with a title for screen readers.
pub fn bars(title: &str, rows: &[(String, usize)]) -> String {
    let max = rows.iter().map(|r| r.1).max().unwrap_or(0).max(1);
    let row_h = 26;
    let width = 420;
    let label_w = 110;
    let bar_w = width - label_w - 50;
    let height = row_h * rows.len() + 10;
    let mut out = format!(
        "<svg class=\"chart\" role=\"img\" aria-label=\"{}\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" xmlns=\"http://www.w3.org/2000/svg\"><title>{}</title>",
        esc(title),
        esc(title)
    );
    for (k, (label, n)) in rows.iter().enumerate() {
        let y = 5 + k * row_h;
        let w = bar_w * n / max;
        out.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" font-size=\"13\" fill=\"#1f2328\">{}</text>\
             <rect x=\"{label_w}\" y=\"{}\" width=\"{w}\" height=\"16\" fill=\"#2f6db5\"/>\
             <text x=\"{}\" y=\"{}\" font-size=\"13\" fill=\"#1f2328\">{n}</text>",
            label_w - 6,
            y + 13,
            esc(label),
            y + 1,
            label_w + w + 4,
            y + 13
        ));
    }
    out.push_str("</svg>");
    out
}

/// Execution rate (x, percent) against total score (y, 0–100): one point per form, linked to
/// the form.
pub fn scatter(title: &str, points: &[(i64, String, Decimal, Decimal)]) -> String {
    let (w, h, left, bottom, top, right) = (460i64, 300i64, 44i64, 36i64, 10i64, 16i64);
    let plot_w = w - left - right;
    let plot_h = h - top - bottom;
    let x_max = points
        .iter()
        .map(|p| p.2)
        .max()
        .unwrap_or(Decimal::ONE_HUNDRED)
        .max(Decimal::ONE_HUNDRED);
    let x_max = x_max.ceil().to_i64().unwrap_or(100).max(100);
    let px = |rate: Decimal| {
        left + (rate * Decimal::from(plot_w) / Decimal::from(x_max))
            .round()
            .to_i64()
            .unwrap_or(0)
    };
    let py = |score: Decimal| {
        top + plot_h
            - (score.min(Decimal::ONE_HUNDRED) * Decimal::from(plot_h) / Decimal::ONE_HUNDRED)
                .round()
                .to_i64()
                .unwrap_or(0)
    };
    // A group, not an image: its points are links a screen reader must reach.
    let mut out = format!(
        "<svg class=\"chart\" role=\"group\" aria-label=\"{}\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" xmlns=\"http://www.w3.org/2000/svg\"><title>{}</title>",
        esc(title),
        esc(title)
    );
    out.push_str(&format!(
        "<rect x=\"{left}\" y=\"{top}\" width=\"{plot_w}\" height=\"{plot_h}\" fill=\"#fff\" stroke=\"#8a939e\"/>"
    ));
    for s in [0, 60, 80, 90, 100] {
        let y = py(Decimal::from(s));
        out.push_str(&format!(
            "<line x1=\"{left}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\" stroke=\"#d0d5dc\"/><text x=\"{}\" y=\"{}\" text-anchor=\"end\" font-size=\"11\" fill=\"#454c54\">{s}</text>",
            left + plot_w,
            left - 4,
            y + 4
        ));
    }
    for r in (0..=x_max).step_by(20) {
        let x = px(Decimal::from(r));
        out.push_str(&format!(
            "<text x=\"{x}\" y=\"{}\" text-anchor=\"middle\" font-size=\"11\" fill=\"#454c54\">{r}%</text>",
            top + plot_h + 14
        ));
    }
    out.push_str(&format!(
        "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"12\" fill=\"#1f2328\">预算执行率</text>",
        left + plot_w / 2,
        h - 4
    ));
    for (id, label, rate, score) in points {
        out.push_str(&format!(
            "<a href=\"/forms/{id}\" aria-label=\"{}：执行率{}%，总分{}\"><circle cx=\"{}\" cy=\"{}\" r=\"5\" fill=\"#b35c00\"><title>{}：执行率{}%，总分{}</title></circle></a>",
            esc(label),
            round2(*rate).normalize(),
            score.normalize(),
            px(*rate),
            py(*score),
            esc(label),
            round2(*rate).normalize(),
            score.normalize()
        ));
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_carry_their_numbers_and_escape_labels() {
        let svg = bars("等级分布", &[("优".into(), 3), ("<差>".into(), 0)]);
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains(">3</text>") && svg.contains("&lt;差&gt;"));
    }

    #[test]
    fn points_link_to_their_forms() {
        let svg = scatter(
            "执行率与得分",
            &[(
                7,
                "日常运转经费".into(),
                "84.3".parse().unwrap_or_default(),
                "89.48".parse().unwrap_or_default(),
            )],
        );
        assert!(svg.contains("href=\"/forms/7\"") && svg.contains("执行率84.3%，总分89.48"));
    }
}
