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

/// Horizontal bars of percentages (0–100), each with its number written out.
pub fn percent_bars(title: &str, rows: &[(String, f64)]) -> String {
    let row = 26;
    let label_w = 230;
    let bar_w = 300;
    let height = row * rows.len().max(1) + 8;
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 {w} {height}\" width=\"100%\" preserveAspectRatio=\"xMinYMin meet\" aria-label=\"{t}\"><title>{t}</title>",
        w = label_w + bar_w + 60,
        t = esc(title)
    );
    for (i, (label, pct)) in rows.iter().enumerate() {
        let y = i * row + 4;
        let pct = pct.clamp(0.0, 100.0);
        let w = (pct / 100.0 * bar_w as f64).round() as usize;
        let short: String = if label.chars().count() > 28 { format!("{}…", label.chars().take(27).collect::<String>()) } else { label.clone() };
        let _ = write!(
            s,
            "<text x=\"{lx}\" y=\"{ty}\" text-anchor=\"end\" class=\"chart-label\">{short}</text>\
<rect x=\"{x}\" y=\"{y}\" width=\"{bar_w}\" height=\"18\" class=\"track\"></rect>\
<rect x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"18\" class=\"bar progress\"><title>{full}: {v:.0} %</title></rect>\
<text x=\"{vx}\" y=\"{ty}\" class=\"chart-value\">{v:.0} %</text>",
            lx = label_w - 8,
            ty = y + 14,
            short = esc(&short),
            x = label_w,
            full = esc(label),
            v = pct,
            vx = label_w + bar_w + 6,
        );
    }
    s.push_str("</svg>");
    s
}

/// One column of a stacked chart: a label and (class, legend label, count) segments.
pub struct Stack {
    pub label: String,
    pub segments: Vec<(String, String, u64)>,
}

/// Vertical stacked columns (e.g. items by reported status per period), with a legend.
pub fn stacked(title: &str, columns: &[Stack]) -> String {
    let col_w = 34;
    let gap = 14;
    let chart_h = 160;
    let left = 30;
    let legend: Vec<(String, String)> = {
        let mut seen: Vec<(String, String)> = Vec::new();
        for c in columns {
            for (class, name, _) in &c.segments {
                if !seen.iter().any(|(k, _)| k == class) {
                    seen.push((class.clone(), name.clone()));
                }
            }
        }
        seen
    };
    let width = left + columns.len().max(1) * (col_w + gap) + 10;
    let legend_rows = legend.len().div_ceil(3);
    let height = chart_h + 40 + legend_rows * 18;
    let max = columns.iter().map(|c| c.segments.iter().map(|x| x.2).sum::<u64>()).max().unwrap_or(0).max(1);
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 {w} {height}\" width=\"100%\" preserveAspectRatio=\"xMinYMin meet\" aria-label=\"{t}\"><title>{t}</title>",
        w = width.max(360),
        t = esc(title)
    );
    let _ = write!(
        s,
        "<text x=\"0\" y=\"12\" class=\"chart-value\">{max}</text><line x1=\"{left}\" y1=\"{b}\" x2=\"{r}\" y2=\"{b}\" class=\"axis\"></line>",
        b = chart_h + 10,
        r = width.max(360) - 5
    );
    for (i, c) in columns.iter().enumerate() {
        let x = left + i * (col_w + gap) + gap / 2;
        let mut y = chart_h + 10;
        for (class, name, n) in &c.segments {
            if *n == 0 {
                continue;
            }
            let h = ((*n as f64 / max as f64) * chart_h as f64).round().max(1.0) as usize;
            y -= h;
            let _ = write!(
                s,
                "<rect x=\"{x}\" y=\"{y}\" width=\"{col_w}\" height=\"{h}\" class=\"bar {cl}\"><title>{lab}: {nm} {n}</title></rect>",
                cl = esc(class),
                lab = esc(&c.label),
                nm = esc(name)
            );
        }
        let total: u64 = c.segments.iter().map(|x| x.2).sum();
        let _ = write!(
            s,
            "<text x=\"{cx}\" y=\"{ly}\" text-anchor=\"middle\" class=\"chart-label small\">{lab}</text><text x=\"{cx}\" y=\"{ty}\" text-anchor=\"middle\" class=\"chart-value small\">{total}</text>",
            cx = x + col_w / 2,
            ly = chart_h + 24,
            ty = y.saturating_sub(3).max(10),
            lab = esc(&c.label)
        );
    }
    for (i, (class, name)) in legend.iter().enumerate() {
        let (lx, ly) = (left + (i % 3) * 150, chart_h + 40 + (i / 3) * 18);
        let _ = write!(
            s,
            "<rect x=\"{lx}\" y=\"{ry}\" width=\"12\" height=\"12\" class=\"bar {cl}\"></rect><text x=\"{tx}\" y=\"{ly}\" class=\"chart-label small\">{nm}</text>",
            ry = ly - 10,
            tx = lx + 16,
            cl = esc(class),
            nm = esc(name)
        );
    }
    s.push_str("</svg>");
    s
}

/// A line over periods for values 0–100 (gaps where a value is missing), each point labelled.
pub fn line(title: &str, points: &[(String, Option<f64>)]) -> String {
    let step = 48;
    let h = 150;
    let left = 34;
    let width = (left + points.len().max(1) * step + 10).max(360);
    let height = h + 40;
    let y_of = |v: f64| 10.0 + (100.0 - v.clamp(0.0, 100.0)) / 100.0 * h as f64;
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 {width} {height}\" width=\"100%\" preserveAspectRatio=\"xMinYMin meet\" aria-label=\"{t}\"><title>{t}</title>",
        t = esc(title)
    );
    for v in [0.0, 50.0, 100.0] {
        let _ = write!(
            s,
            "<line x1=\"{left}\" y1=\"{y:.1}\" x2=\"{r}\" y2=\"{y:.1}\" class=\"grid\"></line><text x=\"0\" y=\"{ty:.1}\" class=\"chart-label small\">{v:.0}%</text>",
            y = y_of(v),
            r = width - 5,
            ty = y_of(v) + 4.0
        );
    }
    let mut path = String::new();
    let mut pen_up = true;
    for (i, (_, v)) in points.iter().enumerate() {
        let x = left + i * step + step / 2;
        match v {
            Some(v) => {
                let _ = write!(path, "{}{x} {:.1} ", if pen_up { "M" } else { "L" }, y_of(*v));
                pen_up = false;
            }
            None => pen_up = true,
        }
    }
    if !path.is_empty() {
        let _ = write!(s, "<path d=\"{}\" class=\"series\"></path>", path.trim_end());
    }
    for (i, (label, v)) in points.iter().enumerate() {
        let x = left + i * step + step / 2;
        if let Some(v) = v {
            let _ = write!(
                s,
                "<circle cx=\"{x}\" cy=\"{cy:.1}\" r=\"3.5\" class=\"point\"><title>{lab}: {v:.0} %</title></circle><text x=\"{x}\" y=\"{ty:.1}\" text-anchor=\"middle\" class=\"chart-value small\">{v:.0}</text>",
                cy = y_of(*v),
                ty = y_of(*v) - 7.0,
                lab = esc(label)
            );
        }
        let _ = write!(s, "<text x=\"{x}\" y=\"{ly}\" text-anchor=\"middle\" class=\"chart-label small\">{lab}</text>", ly = h + 28, lab = esc(label));
    }
    s.push_str("</svg>");
    s
}

/// An indicator over periods: a column per period for the actual value, and a marker for the
/// target where one is set.
pub fn indicator(title: &str, unit: &str, points: &[(String, Option<f64>, Option<f64>)]) -> String {
    let step = 54;
    let h = 140;
    let left = 10;
    let width = (left + points.len().max(1) * step + 10).max(300);
    let height = h + 44;
    let max = points.iter().flat_map(|(_, a, t)| [a.unwrap_or(0.0), t.unwrap_or(0.0)]).fold(0.0f64, f64::max).max(1.0);
    let y_of = |v: f64| 18.0 + (1.0 - v / max) * h as f64;
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 {width} {height}\" width=\"100%\" preserveAspectRatio=\"xMinYMin meet\" aria-label=\"{t}\"><title>{t}</title>",
        t = esc(title)
    );
    let base = 18 + h;
    let _ = write!(s, "<line x1=\"{left}\" y1=\"{base}\" x2=\"{r}\" y2=\"{base}\" class=\"axis\"></line>", r = width - 5);
    for (i, (label, actual, target)) in points.iter().enumerate() {
        let x = left + i * step + 10;
        if let Some(a) = actual {
            let y = y_of(*a);
            let _ = write!(
                s,
                "<rect x=\"{x}\" y=\"{y:.1}\" width=\"30\" height=\"{hh:.1}\" class=\"bar actual\"><title>{lab}: {a} {u}</title></rect><text x=\"{cx}\" y=\"{ty:.1}\" text-anchor=\"middle\" class=\"chart-value small\">{a}</text>",
                hh = base as f64 - y,
                cx = x + 15,
                ty = y - 3.0,
                lab = esc(label),
                u = esc(unit),
                a = fmt_num(*a)
            );
        }
        if let Some(t) = target {
            let y = y_of(*t);
            let _ = write!(
                s,
                "<line x1=\"{x0}\" y1=\"{y:.1}\" x2=\"{x1}\" y2=\"{y:.1}\" class=\"target\"><title>{lab}: target {t} {u}</title></line>",
                x0 = x - 4,
                x1 = x + 34,
                lab = esc(label),
                u = esc(unit),
                t = fmt_num(*t)
            );
        }
        let _ = write!(
            s,
            "<text x=\"{cx}\" y=\"{ly}\" text-anchor=\"middle\" class=\"chart-label small\">{lab}</text>",
            cx = x + 15,
            ly = base + 16,
            lab = esc(label)
        );
    }
    s.push_str("</svg>");
    s
}

/// A number without needless decimals.
pub fn fmt_num(x: f64) -> String {
    if (x - x.round()).abs() < 1e-9 { format!("{:.0}", x) } else { format!("{:.1}", x) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_and_escape() {
        let svg = bars(
            "By status",
            &[
                Bar { label: "Completed".into(), value: 10, class: "status-completed".into() },
                Bar { label: "<Delayed>".into(), value: 5, class: "status-delayed".into() },
                Bar { label: "None".into(), value: 0, class: "x".into() },
            ],
        );
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains("width=\"300\"") && svg.contains("width=\"150\"") && svg.contains("width=\"0\""));
        assert!(svg.contains("&lt;Delayed&gt;") && !svg.contains("<Delayed>"));
        assert!(svg.contains("<title>By status</title>") && !svg.contains("style="));
    }

    #[test]
    fn percent_bars_clamp_and_label() {
        let svg = percent_bars("Progress", &[("A & B".into(), 50.0), ("Over".into(), 130.0)]);
        assert!(svg.contains("width=\"150\"") && svg.contains("width=\"300\" height=\"18\" class=\"bar"));
        let long = percent_bars("P", &[("A very long chapter title that goes on and on".into(), 10.0)]);
        assert!(long.contains("A very long chapter title t…") && long.contains("<title>A very long chapter title that goes on and on: 10 %"));
        assert!(svg.contains("A &amp; B") && svg.contains("50 %") && svg.contains("100 %"));
    }

    #[test]
    fn lines_break_at_missing_values() {
        let svg = line("Over time", &[("Q1".into(), Some(10.0)), ("Q2".into(), None), ("Q3".into(), Some(30.0)), ("Q4".into(), Some(40.0))]);
        let d = svg.split("d=\"").nth(1).unwrap().split('"').next().unwrap();
        assert_eq!(d.matches('M').count(), 2, "two runs: {d}");
        assert_eq!(svg.matches("<circle").count(), 3);
        assert!(!svg.contains("style="));
    }

    #[test]
    fn stacks_and_indicators_show_their_numbers() {
        let svg = stacked(
            "By status",
            &[Stack { label: "Q1".into(), segments: vec![("status-completed".into(), "Completed".into(), 3), ("status-planned".into(), "Planned".into(), 1)] }],
        );
        assert!(svg.contains(">4</text>") && svg.contains("Completed 3"));
        let svg = indicator("People", "people", &[("Q1".into(), Some(12.0), None), ("Q2".into(), Some(20.5), Some(30.0))]);
        assert!(svg.contains(">20.5<") && svg.contains("target 30 people"));
        assert_eq!(fmt_num(3.0), "3");
    }
}
