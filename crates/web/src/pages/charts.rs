//! Charts made on the server, that read on a phone, in greyscale print and without colour.
//!
//! Two kinds:
//! - Bar charts (`bars`, `percent_bars`, `stacked`) are HTML lists: each row's label and number
//!   are text beside a small SVG bar. Labels wrap instead of being cut, text is as large as the
//!   page's own text at any width, and the numbers are there for a screen reader as they are for
//!   the eye.
//! - Charts over periods (`line`, `indicator`) are SVG with no viewBox: positions across are in
//!   percentages of the width and heights in pixels, so that the drawing stretches with its box
//!   while its text keeps its CSS size (it is never scaled down with the picture). A visually
//!   hidden table after each gives its numbers.
//!
//! No inline styles (the CSP forbids them): layout comes from classes in the stylesheet, paint
//! from SVG presentation attributes (`fill`, `stroke`), which are not styles.

use crate::docs::esc;
use std::fmt::Write;

// ---------------------------------------------------------------------------------------------
// The palette.

/// A texture over a fill, for fills whose lightness is close to another's: the categories stay
/// apart in greyscale print and for any colour vision.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Texture {
    Solid,
    /// Dark diagonal stripes.
    Stripes,
    /// A dark diagonal grid.
    Crosshatch,
    /// Dark dots.
    Dots,
    /// Thin grey hatching on white: nothing reported.
    Hatch,
}

/// How a category or series is painted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Paint {
    pub fill: &'static str,
    pub texture: Texture,
}

const fn paint_of(fill: &'static str, texture: Texture) -> Paint {
    Paint { fill, texture }
}

/// The outline round every bar: the ink colour (16.6:1 against white, 4.8:1 or more against
/// every fill but black). It gives the light fills the 3:1 boundary that WCAG 1.4.11 asks of
/// graphical objects, and parts adjacent segments.
pub const OUTLINE: &str = "#1b1f24";
/// The lines and dots of the textures (5.4:1 on vermillion, the darkest fill that has them).
const TEXTURE_INK: &str = "#000000";
/// The hatching of "not reported" (4.5:1 against white).
const HATCH_INK: &str = "#6e7781";
/// The line over periods and its points: Okabe–Ito blue (5.2:1).
const SERIES: &str = "#0072B2";
/// Targets: Okabe–Ito vermillion (3.9:1), drawn on a white halo so that it stands off a column.
const TARGET: &str = "#D55E00";
/// Grid lines (decoration: the numbers are written out).
const GRID: &str = "#c9d1d9";
/// The base line, leaders and the frame of a percentage's track (4.5:1).
const AXIS: &str = "#6e7781";
/// The empty part of a percentage's track.
const TRACK: &str = "#f3f5f7";

/// The palette is Okabe & Ito's "Color Universal Design" set (M. Okabe and K. Ito, "Color
/// Universal Design (CUD) — how to make figures and presentations that are friendly to colorblind
/// people", 2002/2008), whose eight colours stay apart under protanopia, deuteranopia and
/// tritanopia, with white for "not reported". Each entry: the class the handlers pass, the
/// colour's name, lightness (CIE L*) and contrast against white.
///
/// In greyscale the colours fall into steps of lightness — black 0, blue 46, vermillion 54,
/// bluish green 58, reddish purple 61, sky blue 70, orange 71, yellow 89, white 100 — and where
/// two are close a texture tells them apart: orange (delayed) is striped against sky blue
/// (planned); vermillion (not implemented) is cross-hatched and reddish purple (carried over)
/// dotted against bluish green (completed); white (not reported) is hatched grey. The two
/// troubled statuses, delayed and not implemented, are the two "warning" textures.
///
/// Every bar has the ink outline, so fills lighter than 3:1 (yellow, orange, sky blue) still
/// have a 3:1 edge. Text is never drawn on a fill: labels and numbers are ink (16.6:1) or muted
/// (#4f5862, 7.2:1) on white, beside the bars.
pub const PALETTE: [(&str, Paint); 12] = [
    ("status-planned", paint_of("#56B4E9", Texture::Solid)),              // sky blue, L* 70, 2.3:1
    ("status-in_progress", paint_of("#0072B2", Texture::Solid)),          // blue, L* 46, 5.2:1
    ("status-completed", paint_of("#009E73", Texture::Solid)),            // bluish green, L* 58, 3.4:1
    ("status-partially_completed", paint_of("#F0E442", Texture::Solid)),  // yellow, L* 89, 1.3:1
    ("status-delayed", paint_of("#E69F00", Texture::Stripes)),            // orange, L* 71, 2.3:1
    ("status-not_implemented", paint_of("#D55E00", Texture::Crosshatch)), // vermillion, L* 54, 3.9:1
    ("status-cancelled", paint_of("#000000", Texture::Solid)),            // black, L* 0, 21:1
    ("status-carried_over", paint_of("#CC79A7", Texture::Dots)),          // reddish purple, L* 61, 3.1:1
    ("not_reported", paint_of("#FFFFFF", Texture::Hatch)),                // white, hatched
    ("area", paint_of("#009E73", Texture::Solid)),                        // items by area: bluish green
    ("progress", paint_of("#0072B2", Texture::Solid)),                    // percentages: blue
    ("actual", paint_of("#0072B2", Texture::Solid)),                      // an indicator's actual value: blue
];

/// The paint of a class the handlers pass (`status-…`, `not_reported`, `area`); blue for any other.
pub fn paint(class: &str) -> Paint {
    PALETTE.iter().find(|(k, _)| *k == class).map(|(_, p)| *p).unwrap_or(paint_of(SERIES, Texture::Solid))
}

/// The `<pattern>` for a textured paint, with the fill inside it; nothing for a solid one.
fn pattern_def(id: &str, p: Paint) -> String {
    let f = p.fill;
    match p.texture {
        Texture::Solid => String::new(),
        Texture::Stripes => format!(
            "<pattern id=\"{id}\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"{f}\"></rect><rect width=\"2\" height=\"6\" fill=\"{TEXTURE_INK}\"></rect></pattern>"
        ),
        Texture::Crosshatch => format!(
            "<pattern id=\"{id}\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"{f}\"></rect><path d=\"M0 .5H6M.5 0V6\" stroke=\"{TEXTURE_INK}\" stroke-width=\"1\"></path></pattern>"
        ),
        Texture::Dots => format!(
            "<pattern id=\"{id}\" width=\"5\" height=\"5\" patternUnits=\"userSpaceOnUse\"><rect width=\"5\" height=\"5\" fill=\"{f}\"></rect><circle cx=\"2.5\" cy=\"2.5\" r=\"1.2\" fill=\"{TEXTURE_INK}\"></circle></pattern>"
        ),
        Texture::Hatch => format!(
            "<pattern id=\"{id}\" width=\"5\" height=\"5\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(-45)\"><rect width=\"5\" height=\"5\" fill=\"{f}\"></rect><rect width=\"1\" height=\"5\" fill=\"{HATCH_INK}\"></rect></pattern>"
        ),
    }
}

/// An id prefix for one chart's patterns, from its content (ids must be unique in the page; two
/// charts alike in every word would share ids, and their patterns, harmlessly).
fn chart_id<'a>(parts: impl IntoIterator<Item = &'a str>) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for b in p.bytes().chain([0u8]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("ch{:08x}", h & 0xffff_ffff)
}

/// A percentage for an SVG attribute.
fn pc(x: f64) -> String {
    format!("{:.2}%", x.clamp(0.0, 100.0))
}

/// One SVG bar of segments `(class, tooltip, share 0–100)` laid from the left, each outlined;
/// with `leader`, a dotted line on from its end to its number at the right.
fn bar_svg(id: &str, segments: &[(&str, String, f64)], leader: bool) -> String {
    let mut defs = String::new();
    let mut body = String::new();
    let mut x = 0.0;
    for (k, (class, tip, w)) in segments.iter().enumerate() {
        if *w <= 0.0 {
            continue;
        }
        let p = paint(class);
        let fill = if p.texture == Texture::Solid {
            p.fill.to_string()
        } else {
            let pid = format!("{id}-{k}");
            defs.push_str(&pattern_def(&pid, p));
            format!("url(#{pid})")
        };
        let _ = write!(
            body,
            "<rect x=\"{x}\" y=\".5\" width=\"{w}\" height=\"17\" fill=\"{fill}\" stroke=\"{OUTLINE}\" stroke-width=\"1\" class=\"seg {cl}\"><title>{tip}</title></rect>",
            x = pc(x),
            w = pc(*w),
            cl = esc(class),
            tip = esc(tip)
        );
        x += w;
    }
    if leader && x < 97.0 {
        let _ = write!(
            body,
            "<line x1=\"{x0}\" y1=\"9\" x2=\"100%\" y2=\"9\" stroke=\"{AXIS}\" stroke-width=\"1\" stroke-dasharray=\"1 4\" class=\"leader\"></line>",
            x0 = pc(x + 1.5)
        );
    }
    let defs = if defs.is_empty() { defs } else { format!("<defs>{defs}</defs>") };
    format!("<svg class=\"hbar\" width=\"100%\" height=\"18\" overflow=\"visible\" aria-hidden=\"true\">{defs}{body}</svg>")
}

/// A small square of a paint, for a legend.
fn swatch(id: &str, class: &str) -> String {
    let p = paint(class);
    let (defs, fill) =
        if p.texture == Texture::Solid { (String::new(), p.fill.to_string()) } else { (format!("<defs>{}</defs>", pattern_def(id, p)), format!("url(#{id})")) };
    format!(
        "<svg class=\"swatch\" width=\"16\" height=\"16\" aria-hidden=\"true\">{defs}<rect x=\".5\" y=\".5\" width=\"15\" height=\"15\" fill=\"{fill}\" stroke=\"{OUTLINE}\" stroke-width=\"1\"></rect></svg>"
    )
}

// ---------------------------------------------------------------------------------------------
// Bar charts as HTML rows.

/// One bar: a label, a count, and a class for its paint (`status-…`, `area`).
pub struct Bar {
    pub label: String,
    pub value: u64,
    pub class: String,
}

/// A chart of rows of a label, a bar and its number; `kind` names the layout in the stylesheet.
fn rows_chart(kind: &str, title: &str, rows: &[(String, String, String)], after: &str) -> String {
    let mut s = String::new();
    let _ = write!(s, "<div class=\"chart chart-{kind}\"><ul class=\"hbars\" role=\"list\" aria-label=\"{t}\">", t = esc(title));
    for (label, bar, value) in rows {
        let _ = write!(s, "<li><span class=\"hbar-label\">{l}</span>{bar}<span class=\"hbar-value\">{value}</span></li>", l = esc(label));
    }
    s.push_str("</ul>");
    s.push_str(after);
    s.push_str("</div>");
    s
}

/// Horizontal bars of counts, each with its number written out.
pub fn bars(title: &str, bars: &[Bar]) -> String {
    let max = bars.iter().map(|b| b.value).max().unwrap_or(0).max(1);
    let id = chart_id(std::iter::once(title).chain(bars.iter().map(|b| b.label.as_str())));
    let rows: Vec<(String, String, String)> = bars
        .iter()
        .enumerate()
        .map(|(i, b)| {
            // A count above nothing shows at least a sliver.
            let w = if b.value == 0 { 0.0 } else { (b.value as f64 / max as f64 * 100.0).max(0.75) };
            let bar = bar_svg(&format!("{id}-{i}"), &[(b.class.as_str(), format!("{}: {}", b.label, b.value), w)], true);
            (b.label.clone(), bar, b.value.to_string())
        })
        .collect();
    rows_chart("bars", title, &rows, "")
}

/// Horizontal bars of percentages (0–100) on a track of the whole, each with its number written out.
pub fn percent_bars(title: &str, rows: &[(String, f64)]) -> String {
    let rows: Vec<(String, String, String)> = rows
        .iter()
        .map(|(label, pct)| {
            let pct = pct.clamp(0.0, 100.0);
            let text = format!("{pct:.0} %");
            let bar = format!(
                "<svg class=\"hbar\" width=\"100%\" height=\"18\" overflow=\"visible\" aria-hidden=\"true\"><rect x=\"0\" y=\".5\" width=\"100%\" height=\"17\" fill=\"{TRACK}\" stroke=\"{AXIS}\" stroke-width=\"1\" class=\"track\"></rect><rect x=\"0\" y=\".5\" width=\"{w}\" height=\"17\" fill=\"{f}\" stroke=\"{OUTLINE}\" stroke-width=\"1\" class=\"seg progress\"><title>{l}: {text}</title></rect></svg>",
                w = pc(pct),
                f = paint("progress").fill,
                l = esc(label)
            );
            (label.clone(), bar, text)
        })
        .collect();
    rows_chart("percent", title, &rows, "")
}

/// One period of a stacked chart: a label and its `(class, legend label, count)` segments.
pub struct Stack {
    pub label: String,
    pub segments: Vec<(String, String, u64)>,
}

/// Stacked bars, one row per period (e.g. items by reported status), each with its total, the
/// counts of its parts as text for screen readers and in tooltips, and a legend that wraps.
pub fn stacked(title: &str, columns: &[Stack]) -> String {
    let mut legend: Vec<(&str, &str)> = Vec::new();
    for c in columns {
        for (class, name, n) in &c.segments {
            if *n > 0 && !legend.iter().any(|(k, _)| k == class) {
                legend.push((class, name));
            }
        }
    }
    // In the palette's order (the statuses' own), whatever period each first appears in.
    legend.sort_by_key(|(class, _)| PALETTE.iter().position(|(k, _)| k == class).unwrap_or(PALETTE.len()));
    let max = columns.iter().map(|c| c.segments.iter().map(|x| x.2).sum::<u64>()).max().unwrap_or(0).max(1);
    let id = chart_id(std::iter::once(title).chain(columns.iter().map(|c| c.label.as_str())));
    let rows: Vec<(String, String, String)> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let parts: Vec<(&str, String, f64)> = c
                .segments
                .iter()
                .filter(|(_, _, n)| *n > 0)
                .map(|(class, name, n)| (class.as_str(), format!("{}: {name} {n}", c.label), *n as f64 / max as f64 * 100.0))
                .collect();
            let total: u64 = c.segments.iter().map(|x| x.2).sum();
            let said: Vec<String> = c.segments.iter().filter(|(_, _, n)| *n > 0).map(|(_, name, n)| format!("{} {n}", esc(name))).collect();
            let value = if said.is_empty() { total.to_string() } else { format!("{total}<span class=\"visually-hidden\"> ({})</span>", said.join(", ")) };
            (c.label.clone(), bar_svg(&format!("{id}-{i}"), &parts, false), value)
        })
        .collect();
    let mut key = String::new();
    if !legend.is_empty() {
        key.push_str("<ul class=\"legend\" role=\"list\" aria-hidden=\"true\">");
        for (k, (class, name)) in legend.iter().enumerate() {
            let _ = write!(key, "<li>{}<span>{}</span></li>", swatch(&format!("{id}-key{k}"), class), esc(name));
        }
        key.push_str("</ul>");
    }
    rows_chart("stacked", title, &rows, &key)
}

// ---------------------------------------------------------------------------------------------
// Charts over periods, as SVG drawn at the size of their box.

/// Where the plot of a chart over periods starts across, in percent of its width (room for the
/// scale's labels at the left).
const PLOT_LEFT: f64 = 12.0;

/// The centre of period `i` of `n` across a plot from `left` % to the right edge, in percent.
fn slot(i: usize, n: usize, left: f64) -> f64 {
    left + (100.0 - left) * (i as f64 + 0.5) / n.max(1) as f64
}

/// A period's label under the plot, on two lines where periods are many (so that eight fit
/// across a phone); of more than eight, every second or third is shown. The full labels are in
/// the table after the chart.
fn period_label(s: &mut String, label: &str, i: usize, n: usize, x: f64, y: f64) {
    // Counted back from the last, which is always shown.
    let every = n.div_ceil(8).max(1);
    if !(n - 1 - i).is_multiple_of(every) {
        return;
    }
    let two = n >= 6 || every > 1;
    let split = label.char_indices().find(|(_, c)| *c == '-' || *c == ' ' || *c == '/').map(|(k, c)| (k, c.len_utf8()));
    match split {
        Some((k, len)) if two && k > 0 && k + len < label.len() => {
            // "2015-Q1" reads as "2015" over "Q1" (the separator would crowd eight across a phone).
            let (a, b) = (&label[..k], &label[k + len..]);
            let _ = write!(
                s,
                "<text x=\"{x}\" y=\"{y:.0}\" text-anchor=\"middle\" class=\"tick\"><tspan x=\"{x}\">{a}</tspan><tspan x=\"{x}\" dy=\"1.15em\">{b}</tspan></text>",
                x = pc(x),
                a = esc(a),
                b = esc(b)
            );
        }
        _ => {
            let _ = write!(s, "<text x=\"{x}\" y=\"{y:.0}\" text-anchor=\"middle\" class=\"tick\">{l}</text>", x = pc(x), l = esc(label));
        }
    }
}

/// The opening of a chart over periods: its box, the SVG (a named image) and its title.
fn time_svg_open(s: &mut String, title: &str, height: u32) {
    let _ = write!(
        s,
        "<div class=\"chart chart-time\"><svg class=\"tchart\" role=\"img\" width=\"100%\" height=\"{height}\" overflow=\"visible\" aria-label=\"{t}\"><title>{t}</title>",
        t = esc(title)
    );
}

/// A visually hidden table of a chart's numbers: a row per period.
fn hidden_table(s: &mut String, title: &str, rows: &[(String, Vec<String>)]) {
    // In a hidden box (a table itself would not shrink to the box's one pixel, and would widen the page).
    let _ = write!(s, "<div class=\"visually-hidden\"><table><caption>{}</caption><tbody>", esc(title));
    for (label, cells) in rows {
        let _ = write!(s, "<tr><th scope=\"row\">{}</th>", esc(label));
        for c in cells {
            let _ = write!(s, "<td>{}</td>", esc(c));
        }
        s.push_str("</tr>");
    }
    s.push_str("</tbody></table></div>");
}

/// A line over periods for values 0–100 (gaps where a value is missing), each point labelled.
pub fn line(title: &str, points: &[(String, Option<f64>)]) -> String {
    let (top, h) = (22.0, 140.0);
    let base = top + h;
    let n = points.len();
    let y_of = |v: f64| top + (100.0 - v.clamp(0.0, 100.0)) / 100.0 * h;
    let mut s = String::new();
    time_svg_open(&mut s, title, (base + 44.0) as u32);
    for v in [0.0, 50.0, 100.0] {
        let y = y_of(v);
        let _ = write!(
            s,
            "<line x1=\"{l}\" y1=\"{y:.1}\" x2=\"100%\" y2=\"{y:.1}\" stroke=\"{c}\" stroke-width=\"1\"></line><text x=\"{tx}\" y=\"{ty:.1}\" text-anchor=\"end\" class=\"tick\">{v:.0}%</text>",
            l = pc(PLOT_LEFT),
            c = if v == 0.0 { AXIS } else { GRID },
            tx = pc(PLOT_LEFT - 1.5),
            ty = y + 4.5
        );
    }
    // The line, in runs between missing values.
    let mut prev: Option<(f64, f64)> = None;
    for (i, (_, v)) in points.iter().enumerate() {
        match v {
            Some(v) => {
                let here = (slot(i, n, PLOT_LEFT), y_of(*v));
                if let Some((px, py)) = prev {
                    let _ = write!(
                        s,
                        "<line x1=\"{x1}\" y1=\"{py:.1}\" x2=\"{x2}\" y2=\"{y:.1}\" stroke=\"{SERIES}\" stroke-width=\"2.5\" stroke-linecap=\"round\" class=\"series\"></line>",
                        x1 = pc(px),
                        x2 = pc(here.0),
                        y = here.1
                    );
                }
                prev = Some(here);
            }
            None => prev = None,
        }
    }
    for (i, (label, v)) in points.iter().enumerate() {
        let x = slot(i, n, PLOT_LEFT);
        if let Some(v) = v {
            let _ = write!(
                s,
                "<circle cx=\"{cx}\" cy=\"{cy:.1}\" r=\"4.5\" fill=\"{SERIES}\" stroke=\"#ffffff\" stroke-width=\"1.5\" class=\"point\"><title>{lab}: {v:.0} %</title></circle><text x=\"{cx}\" y=\"{ty:.1}\" text-anchor=\"middle\" class=\"value\">{v:.0}</text>",
                cx = pc(x),
                cy = y_of(*v),
                ty = y_of(*v) - 9.0,
                lab = esc(label)
            );
        }
        period_label(&mut s, label, i, n, x, base + 18.0);
    }
    s.push_str("</svg>");
    let rows: Vec<(String, Vec<String>)> =
        points.iter().map(|(l, v)| (l.clone(), vec![v.map(|v| format!("{v:.0} %")).unwrap_or_else(|| "—".into())])).collect();
    hidden_table(&mut s, title, &rows);
    s.push_str("</div>");
    s
}

/// An indicator over periods: a column per period for the actual value, and a marker for the
/// target where one is set.
/// `target_word` is the reader's word for a target (`chart-target`), written before its value.
pub fn indicator(title: &str, unit: &str, target_word: &str, points: &[(String, Option<f64>, Option<f64>)]) -> String {
    let (top, h) = (22.0, 130.0);
    let base = top + h;
    let n = points.len();
    let max = points.iter().flat_map(|(_, a, t)| [a.unwrap_or(0.0), t.unwrap_or(0.0)]).fold(0.0f64, f64::max).max(1.0);
    let y_of = |v: f64| top + (1.0 - v.max(0.0) / max) * h;
    let step = 100.0 / n.max(1) as f64;
    let mut s = String::new();
    time_svg_open(&mut s, title, (base + 44.0) as u32);
    let _ = write!(s, "<line x1=\"0\" y1=\"{base}\" x2=\"100%\" y2=\"{base}\" stroke=\"{AXIS}\" stroke-width=\"1\"></line>");
    let with_unit = |v: f64| if unit.is_empty() { fmt_num(v) } else { format!("{} {unit}", fmt_num(v)) };
    for (i, (label, actual, target)) in points.iter().enumerate() {
        let x = slot(i, n, 0.0);
        let mut label_y = base;
        if let Some(a) = actual {
            let y = y_of(*a);
            let _ = write!(
                s,
                "<rect x=\"{x0}\" y=\"{y:.1}\" width=\"{w}\" height=\"{hh:.1}\" fill=\"{f}\" class=\"seg actual\"><title>{lab}: {v}</title></rect>",
                x0 = pc(x - step * 0.25),
                w = pc(step * 0.5),
                hh = base - y,
                f = paint("actual").fill,
                lab = esc(label),
                v = esc(&with_unit(*a))
            );
            label_y = y;
        }
        if let Some(t) = target {
            let y = y_of(*t);
            let (x0, x1) = (pc(x - step * 0.36), pc(x + step * 0.36));
            let _ = write!(
                s,
                "<line x1=\"{x0}\" y1=\"{y:.1}\" x2=\"{x1}\" y2=\"{y:.1}\" stroke=\"#ffffff\" stroke-width=\"7\"></line><line x1=\"{x0}\" y1=\"{y:.1}\" x2=\"{x1}\" y2=\"{y:.1}\" stroke=\"{TARGET}\" stroke-width=\"3\" class=\"target\"><title>{lab}: {tw} {t}</title></line>",
                lab = esc(label),
                tw = esc(target_word),
                t = esc(&with_unit(*t))
            );
            label_y = label_y.min(y - 2.0);
        }
        if let Some(a) = actual {
            let _ =
                write!(s, "<text x=\"{cx}\" y=\"{ty:.1}\" text-anchor=\"middle\" class=\"value\">{a}</text>", cx = pc(x), ty = label_y - 6.0, a = fmt_num(*a));
        }
        period_label(&mut s, label, i, n, x, base + 18.0);
    }
    s.push_str("</svg>");
    let rows: Vec<(String, Vec<String>)> = points
        .iter()
        .map(|(l, a, t)| {
            let a = a.map(with_unit).unwrap_or_else(|| "—".into());
            let t = t.map(|t| format!("{target_word} {}", with_unit(t))).unwrap_or_default();
            (l.clone(), if t.is_empty() { vec![a] } else { vec![a, t] })
        })
        .collect();
    hidden_table(&mut s, title, &rows);
    s.push_str("</div>");
    s
}

/// A number without needless decimals.
pub fn fmt_num(x: f64) -> String {
    if (x - x.round()).abs() < 1e-9 { format!("{:.0}", x) } else { format!("{:.1}", x) }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STATUSES: [&str; 8] = ["planned", "in_progress", "completed", "partially_completed", "delayed", "not_implemented", "cancelled", "carried_over"];

    fn rgb(hex: &str) -> [f64; 3] {
        let h = hex.trim_start_matches('#');
        let c = |i: usize| u8::from_str_radix(&h[i..i + 2], 16).unwrap() as f64 / 255.0;
        [c(0), c(2), c(4)]
    }
    fn luminance(hex: &str) -> f64 {
        let l = |c: f64| if c <= 0.04045 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) };
        let [r, g, b] = rgb(hex);
        0.2126 * l(r) + 0.7152 * l(g) + 0.0722 * l(b)
    }
    fn contrast(a: &str, b: &str) -> f64 {
        let (x, y) = (luminance(a), luminance(b));
        (x.max(y) + 0.05) / (x.min(y) + 0.05)
    }
    /// CIE L*: lightness as greyscale print shows it.
    fn lightness(hex: &str) -> f64 {
        let y = luminance(hex);
        if y > 216.0 / 24389.0 { 116.0 * y.cbrt() - 16.0 } else { y * 24389.0 / 27.0 }
    }
    fn status_paints() -> Vec<(String, Paint)> {
        STATUSES.iter().map(|s| format!("status-{s}")).chain(["not_reported".to_string()]).map(|c| (c.clone(), paint(&c))).collect()
    }

    #[test]
    fn every_status_has_its_own_paint_also_in_greyscale() {
        let all = status_paints();
        for (class, p) in &all {
            assert!(PALETTE.iter().any(|(k, _)| k == class), "{class} is in the palette, not the fallback");
            assert!(p.fill.starts_with('#') && p.fill.len() == 7);
        }
        for (i, (a, pa)) in all.iter().enumerate() {
            for (b, pb) in &all[i + 1..] {
                assert_ne!(pa.fill.to_ascii_lowercase(), pb.fill.to_ascii_lowercase(), "{a} and {b} share a colour");
                // In greyscale: lightness at least 10 apart, or a different texture.
                let dl = (lightness(pa.fill) - lightness(pb.fill)).abs();
                assert!(dl >= 10.0 || pa.texture != pb.texture, "{a} and {b} look alike in greyscale (ΔL* {dl:.1}, same texture)");
            }
        }
        // Delayed and not implemented, the complaint that started this: far apart and both textured.
        let (d, n) = (paint("status-delayed"), paint("status-not_implemented"));
        assert!((lightness(d.fill) - lightness(n.fill)).abs() >= 15.0 && d.texture != n.texture && d.texture != Texture::Solid);
    }

    #[test]
    fn contrast_meets_wcag() {
        let white = "#ffffff";
        // Every bar is outlined in ink: its edge is at least 3:1 whatever its fill.
        assert!(contrast(OUTLINE, white) >= 3.0);
        // Drawn without an outline: the line, its points, targets, actual columns, axis, hatching.
        for c in [SERIES, TARGET, AXIS, HATCH_INK, paint("actual").fill, paint("progress").fill] {
            assert!(contrast(c, white) >= 3.0, "{c}: {:.2}", contrast(c, white));
        }
        // Texture ink shows on every textured fill.
        for (_, p) in PALETTE.iter().filter(|(_, p)| p.texture != Texture::Solid && p.texture != Texture::Hatch) {
            assert!(contrast(TEXTURE_INK, p.fill) >= 3.0, "{}", p.fill);
        }
        // Text beside the bars: ink and muted on white.
        for c in ["#1b1f24", "#4f5862"] {
            assert!(contrast(c, white) >= 4.5);
        }
    }

    #[test]
    fn bars_keep_every_label_whole_and_escape() {
        let long = "Capabilities and interoperability of the armed forces with NATO forces";
        let svg = bars(
            "By status",
            &[
                Bar { label: long.into(), value: 10, class: "area".into() },
                Bar { label: "<Delayed>".into(), value: 5, class: "status-delayed".into() },
                Bar { label: "None".into(), value: 0, class: "status-planned".into() },
            ],
        );
        assert!(svg.contains(&format!("<span class=\"hbar-label\">{long}</span>")), "the full label as text");
        assert!(!svg.contains('…'));
        assert!(svg.contains("width=\"100.00%\"") && svg.contains("width=\"50.00%\""));
        assert_eq!(svg.matches("class=\"seg ").count(), 2, "no bar for zero");
        assert!(svg.contains(">0</span>"), "but its number");
        assert!(svg.contains("&lt;Delayed&gt;") && !svg.contains("<Delayed>"));
        assert!(svg.contains("aria-label=\"By status\"") && !svg.contains("style="));
        // The delayed bar is striped: its pattern is defined in its own SVG and used by id.
        let pid = svg.split("<pattern id=\"").nth(1).unwrap().split('"').next().unwrap();
        assert!(svg.contains(&format!("fill=\"url(#{pid})\"")));
    }

    #[test]
    fn percent_bars_clamp_and_keep_labels() {
        let long = "A very long chapter title that goes on and on, and on again";
        let svg = percent_bars("Progress", &[("A & B".into(), 50.0), ("Over".into(), 130.0), (long.into(), 10.0)]);
        assert!(svg.contains("width=\"50.00%\"") && svg.contains("width=\"100.00%\" height=\"17\" fill=\"#0072B2\""));
        assert!(svg.contains(&format!(">{long}</span>")) && svg.contains(&format!("<title>{long}: 10 %")));
        assert!(svg.contains("A &amp; B") && svg.contains(">50 %<") && svg.contains(">100 %<"));
    }

    #[test]
    fn stacks_show_totals_parts_and_a_legend_once() {
        let col = |l: &str, c: u64, d: u64| Stack {
            label: l.into(),
            segments: vec![
                ("status-completed".into(), "Completed".into(), c),
                ("status-delayed".into(), "Delayed".into(), d),
                ("status-planned".into(), "Planned".into(), 0),
            ],
        };
        let svg = stacked("By status", &[col("2015-Q1", 3, 1), col("2015-Q2", 6, 2)]);
        assert!(svg.contains(">4<span class=\"visually-hidden\"> (Completed 3, Delayed 1)</span>"));
        assert!(svg.contains(">8<") && svg.contains("2015-Q1: Completed 3"));
        assert!(svg.contains("width=\"75.00%\"") && svg.contains("x=\"75.00%\""), "segments laid end to end on one scale");
        let legend = svg.split("class=\"legend\"").nth(1).unwrap();
        assert_eq!(legend.matches("<li>").count(), 2, "one key per status shown, none for an empty one");
        assert!(legend.contains(">Completed</span>") && legend.contains(">Delayed</span>") && !legend.contains("Planned"));
        // The legend follows the statuses' order, not the period each first shows in.
        let late = stacked("S", &[col("2015-Q1", 0, 1), col("2015-Q2", 1, 0)]);
        let key = late.split("class=\"legend\"").nth(1).unwrap();
        assert!(key.find(">Completed<").unwrap() < key.find(">Delayed<").unwrap());
    }

    #[test]
    fn lines_break_at_missing_values_and_give_their_numbers() {
        let svg = line("Over time", &[("Q1".into(), Some(10.0)), ("Q2".into(), None), ("Q3".into(), Some(30.0)), ("Q4".into(), Some(40.0))]);
        assert_eq!(svg.matches("class=\"series\"").count(), 1, "one segment: Q3–Q4");
        assert_eq!(svg.matches("<circle").count(), 3);
        assert!(svg.contains("role=\"img\"") && svg.contains("<title>Over time</title>") && !svg.contains("style="));
        assert!(svg.contains("<th scope=\"row\">Q2</th><td>—</td>") && svg.contains("<th scope=\"row\">Q4</th><td>40 %</td>"));
    }

    #[test]
    fn many_periods_wrap_their_labels_but_keep_them_whole() {
        let periods: Vec<(String, Option<f64>)> = (1..=8).map(|i| (format!("{}-Q{}", 2014 + i / 4, i % 4 + 1), Some(i as f64 * 10.0))).collect();
        let svg = line("Over time", &periods);
        assert!(svg.contains("<tspan x=\"") && svg.contains(">2015</tspan>") && svg.contains(">Q3</tspan>"), "two lines: {svg}");
        for (p, _) in &periods {
            assert!(svg.contains(&format!("<th scope=\"row\">{p}</th>")), "{p} whole in the table");
        }
        let few = line("Over time", &periods[..3]);
        assert!(!few.contains("<tspan") && few.contains(">2014-Q3</text>"));
    }

    #[test]
    fn indicators_show_values_and_targets() {
        let svg = indicator("People", "people", "target", &[("Q1".into(), Some(12.0), None), ("Q2".into(), Some(20.5), Some(30.0))]);
        assert!(svg.contains(">20.5<") && svg.contains("target 30 people"));
        assert!(svg.contains("<td>20.5 people</td><td>target 30 people</td>"));
        let sr = indicator("Људи", "људи", "циљ", &[("Q2".into(), Some(20.5), Some(30.0))]);
        assert!(sr.contains("Q2: циљ 30 људи") && !sr.contains("target 30"), "the reader's word for a target");
        assert_eq!(fmt_num(3.0), "3");
    }

    /// Text is drawn at its CSS size: SVG charts have no viewBox (nothing scales them down), and
    /// every font size the stylesheet gives chart text is at least 12 px.
    #[test]
    fn chart_text_is_never_below_12px() {
        let svgs = [
            bars("B", &[Bar { label: "x".into(), value: 1, class: "area".into() }]),
            percent_bars("P", &[("x".into(), 1.0)]),
            stacked("S", &[Stack { label: "x".into(), segments: vec![("not_reported".into(), "n".into(), 1)] }]),
            line("L", &[("x".into(), Some(1.0))]),
            indicator("I", "", "target", &[("x".into(), Some(1.0), Some(2.0))]),
        ];
        for s in &svgs {
            assert!(!s.contains("viewBox"), "{s}");
            assert!(!s.contains("font-size"), "sizes come from the stylesheet");
        }
        let css = include_str!("../../assets/liaison.css");
        let mut seen = 0;
        for rule in css.split('}') {
            let Some((pre, body)) = rule.rsplit_once('{') else { continue };
            let sel = pre.rsplit(['{', '\n', '/']).next().unwrap_or(pre);
            if !["chart", "hbar", "legend"].iter().any(|k| sel.contains(k)) {
                continue;
            }
            for decl in body.split(';') {
                let Some((prop, val)) = decl.split_once(':') else { continue };
                if prop.trim() != "font-size" {
                    continue;
                }
                let v = val.trim();
                let px = if let Some(n) = v.strip_suffix("rem") {
                    n.trim().parse::<f64>().unwrap() * 16.0
                } else if let Some(n) = v.strip_suffix("px") {
                    n.trim().parse::<f64>().unwrap()
                } else {
                    panic!("font size {v} in {sel}: use px or rem")
                };
                assert!(px >= 12.0, "{sel}: {v}");
                seen += 1;
            }
        }
        assert!(seen >= 3, "the chart rules set their sizes ({seen})");
    }
}
