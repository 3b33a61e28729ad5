//! Charts as SVG made on the server: horizontal bars with their numbers written out, so that
//! they read without colour and print cleanly. No inline styles (the CSP forbids them); the
//! bars take their colour from classes in the stylesheet.

use crate::docs::esc;
use std::fmt::Write;

/// One bar: a label, a count, and a CSS class for its colour.
pub struct Bar {
    pub label: String,
    pub value: u64,
    pub class: String,
}

/// A horizontal bar chart with an accessible title.
pub fn bars(title: &str, bars: &[Bar]) -> String {
    let row = 26;
    let label_w = 210;
    let bar_w = 300;
    let height = row * bars.len().max(1) + 8;
    let max = bars.iter().map(|b| b.value).max().unwrap_or(0).max(1);
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 {w} {height}\" width=\"100%\" preserveAspectRatio=\"xMinYMin meet\" aria-label=\"{t}\"><title>{t}</title>",
        w = label_w + bar_w + 60,
        t = esc(title)
    );
    for (i, b) in bars.iter().enumerate() {
        let y = i * row + 4;
        let w = if b.value == 0 { 0 } else { ((b.value as f64 / max as f64) * bar_w as f64).round().max(2.0) as usize };
        let label: String = b.label.chars().take(32).collect();
        let _ = write!(
            s,
            "<text x=\"{lx}\" y=\"{ty}\" text-anchor=\"end\" class=\"chart-label\">{label}</text>\
<rect x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"18\" class=\"bar {class}\"><title>{full}: {v}</title></rect>\
<text x=\"{vx}\" y=\"{ty}\" class=\"chart-value\">{v}</text>",
            lx = label_w - 8,
            ty = y + 14,
            label = esc(&label),
            x = label_w,
            class = esc(&b.class),
            full = esc(&b.label),
            v = b.value,
            vx = label_w + w + 6,
        );
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_and_escape() {
        let svg = bars("By status", &[
            Bar { label: "Completed".into(), value: 10, class: "status-completed".into() },
            Bar { label: "<Delayed>".into(), value: 5, class: "status-delayed".into() },
            Bar { label: "None".into(), value: 0, class: "x".into() },
        ]);
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains("width=\"300\"") && svg.contains("width=\"150\"") && svg.contains("width=\"0\""));
        assert!(svg.contains("&lt;Delayed&gt;") && !svg.contains("<Delayed>"));
        assert!(svg.contains("<title>By status</title>") && !svg.contains("style="));
    }
}
