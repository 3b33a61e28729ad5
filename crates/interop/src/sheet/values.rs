//! What a spreadsheet's cells mean: dates as Excel stores them and as people type them, codes
//! that Excel turned into numbers, statuses and gender markers in English or Serbian (either
//! script), and HTML fragments pasted from web pages. Each reader answers the value and, where
//! the cell is not what it seems, a note for the preview; none of them guesses silently.

use super::Value;
use chrono::{Datelike, NaiveDate};
use liaison_domain::due::{Due, Quarter};
use liaison_domain::item::{GenderMarker, ItemStatus};
use liaison_domain::translit::normalise_for_search;

/// A cell read as a field: the value, or why it is not one. `note` is said as a warning even
/// when a value was read (a year taken as its last day, a code that was a number).
#[derive(Clone, Debug, PartialEq)]
pub struct Read<T> {
    pub value: Option<T>,
    pub note: Option<String>,
    /// Whether the cell could not be read as this field at all (an error, not a warning).
    pub refused: bool,
}

impl<T> Read<T> {
    fn ok(v: T) -> Read<T> {
        Read { value: Some(v), note: None, refused: false }
    }
    fn noted(v: T, note: impl Into<String>) -> Read<T> {
        Read { value: Some(v), note: Some(note.into()), refused: false }
    }
    fn empty() -> Read<T> {
        Read { value: None, note: None, refused: false }
    }
    fn bad(note: impl Into<String>) -> Read<T> {
        Read { value: None, note: Some(note.into()), refused: true }
    }
}

/// Folded for matching words: Latin script, lower case, no diacritics, single spaces, no
/// punctuation at the ends.
pub fn fold(s: &str) -> String {
    let n = normalise_for_search(s);
    let spaced: String = n.chars().map(|c| if c.is_alphanumeric() { c } else { ' ' }).collect();
    spaced.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The day an Excel serial number stands for (the 1900 system, with Excel's phantom
/// 29 February 1900; the 1904 system when `base_1904`). Fractions (times) are dropped.
pub fn excel_date(serial: f64, base_1904: bool) -> Option<NaiveDate> {
    if !serial.is_finite() || !(1.0..=2_958_465.0).contains(&serial) {
        return None;
    }
    let days = serial.trunc() as i64;
    let (origin, days) = if base_1904 {
        (NaiveDate::from_ymd_opt(1904, 1, 1)?, days)
    } else if days < 60 {
        (NaiveDate::from_ymd_opt(1899, 12, 31)?, days)
    } else {
        // Serial 60 is the 29 February 1900 that never was; from 61 on, one day less.
        (NaiveDate::from_ymd_opt(1899, 12, 30)?, days)
    };
    origin.checked_add_signed(chrono::Duration::days(days))
}

fn in_range(d: NaiveDate) -> bool {
    (1900..=2999).contains(&d.year())
}

/// Words that mean work with no end date.
const CONTINUOUS: &[&str] =
    &["continuous", "continuously", "ongoing", "on going", "kontinuirano", "stalno", "u kontinuitetu", "permanent", "permanentno", "trajno"];

/// Roman numerals of quarters.
fn roman(s: &str) -> Option<u8> {
    match s {
        "i" => Some(1),
        "ii" => Some(2),
        "iii" => Some(3),
        "iv" => Some(4),
        _ => None,
    }
}

/// A quarter written as `Q3 2016`, `2016-Q3`, `2016 Q3`, `III kvartal 2016`, `3. kvartal
/// 2016.`, `III квартал 2016`, `Q3/2016`.
fn quarter_of(text: &str) -> Option<Quarter> {
    let f = fold(text);
    let words: Vec<&str> = f.split(' ').collect();
    let year_at = |w: &str| -> Option<i32> { (w.len() == 4).then(|| w.parse().ok()).flatten() };
    let q_at = |w: &str| -> Option<u8> {
        if let Some(n) = w.strip_prefix('q') {
            return n.parse().ok().filter(|n| (1..=4).contains(n));
        }
        if let Some(n) = w.strip_suffix('q') {
            return n.parse().ok().filter(|n| (1..=4).contains(n));
        }
        None
    };
    match words.as_slice() {
        [a, b] => {
            // Q3 2016, 2016 Q3 (and 2016-Q3, Q3/2016, whose punctuation folded to a space).
            if let (Some(q), Some(y)) = (q_at(a), year_at(b)) {
                return Quarter::new(y, q);
            }
            if let (Some(y), Some(q)) = (year_at(a), q_at(b)) {
                return Quarter::new(y, q);
            }
            None
        }
        [n, k, y] if ["kvartal", "kv", "quarter", "tromesecje", "tromjesecje"].contains(k) => {
            let q = roman(n).or_else(|| n.parse().ok().filter(|q| (1..=4).contains(q)))?;
            Quarter::new(year_at(y)?, q)
        }
        _ => None,
    }
}

/// A date written as text: `2016-03-15`, `15.03.2016`, `15.3.2016.`, `15/03/2016`.
fn date_text(t: &str) -> Option<NaiveDate> {
    let t = t.trim().trim_end_matches('.');
    for f in ["%Y-%m-%d", "%d.%m.%Y", "%d. %m. %Y", "%d/%m/%Y", "%Y/%m/%d"] {
        if let Ok(d) = NaiveDate::parse_from_str(t, f) {
            return Some(d).filter(|d| in_range(*d));
        }
    }
    None
}

/// The due value of a cell: a date (Excel's or typed), a quarter, `continuous` in any of the
/// three languages, or a year alone (taken as its last day, said).
pub fn due(v: &Value, base_1904: bool) -> Read<Due> {
    if let Some(d) = year_alone(v).and_then(|y| NaiveDate::from_ymd_opt(y, 12, 31)) {
        return Read::noted(Due::Date(d), format!("the year {} alone: taken as 31 December", d.year()));
    }
    match v {
        Value::Empty => Read::empty(),
        Value::Date(d) if in_range(*d) => Read::ok(Due::Date(*d)),
        Value::Number(n) => excel_date(*n, base_1904)
            .filter(|d| in_range(*d))
            .map_or_else(|| Read::bad(format!("{n} is not a date")), |d| Read::noted(Due::Date(d), format!("the number {n} read as an Excel date, {d}"))),
        Value::Text(t) => {
            let t = t.trim();
            if t.is_empty() {
                return Read::empty();
            }
            let f = fold(t);
            if CONTINUOUS.contains(&f.as_str()) {
                return Read::ok(Due::Continuous);
            }
            if let Some(d) = date_text(t) {
                return Read::ok(Due::Date(d));
            }
            if let Some(q) = quarter_of(t) {
                return Read::ok(Due::Quarter(q));
            }
            Read::bad(format!("{t:?} is not a date, a quarter (2016-Q3, III kvartal 2016) or \"continuous\""))
        }
        Value::Date(d) => Read::bad(format!("{d} is outside the years 1900 to 2999")),
        Value::Bool(_) | Value::Error(_) => Read::bad("not a date"),
    }
}

/// The year a cell gives alone (`2016`, `2016.`, or the number 2016), if that is all it is.
fn year_alone(v: &Value) -> Option<i32> {
    match v {
        Value::Number(n) if n.fract() == 0.0 && (1900.0..=2999.0).contains(n) => Some(*n as i32),
        Value::Text(t) => t.trim().trim_end_matches('.').parse::<i32>().ok().filter(|y| (1900..=2999).contains(y)),
        _ => None,
    }
}

/// The start of a cell: a date, the first day of a quarter or of a year alone (said).
pub fn start(v: &Value, base_1904: bool) -> Read<NaiveDate> {
    if let Some(d) = year_alone(v).and_then(|y| NaiveDate::from_ymd_opt(y, 1, 1)) {
        return Read::noted(d, format!("the year {} alone: taken as 1 January", d.year()));
    }
    let d = due(v, base_1904);
    match d.value {
        Some(Due::Date(x)) => Read { value: Some(x), note: d.note, refused: false },
        Some(Due::Quarter(q)) => Read::noted(q.first_day(), format!("the quarter {q}: taken as its first day, {}", q.first_day())),
        Some(Due::Continuous) => Read::bad("a start is a date, not \"continuous\""),
        None => Read { value: None, note: d.note, refused: d.refused },
    }
}

/// Statuses as people write them, folded ([`fold`]): English, Serbian Latin and Cyrillic.
const STATUSES: &[(ItemStatus, &[&str])] = &[
    (ItemStatus::Planned, &["planned", "not started", "not yet started", "planirano", "nije zapoceto", "nije zapoceta", "nije pocelo", "predvidjeno"]),
    (ItemStatus::InProgress, &["in progress", "ongoing", "started", "underway", "u toku", "u realizaciji", "u izradi", "zapoceto", "u procesu"]),
    (
        ItemStatus::Completed,
        &[
            "completed",
            "complete",
            "done",
            "achieved",
            "implemented",
            "zavrseno",
            "zavrsena",
            "realizovano",
            "realizovana",
            "ispunjeno",
            "ostvareno",
            "sprovedeno",
        ],
    ),
    (
        ItemStatus::PartiallyCompleted,
        &[
            "partially completed",
            "partially complete",
            "partly completed",
            "partially implemented",
            "delimicno",
            "delimicno realizovano",
            "delimicno zavrseno",
            "djelimicno",
            "djelimicno realizovano",
        ],
    ),
    (ItemStatus::Delayed, &["delayed", "behind schedule", "late", "kasni", "odlozeno", "u kasnjenju", "kasnjenje"]),
    (
        ItemStatus::NotImplemented,
        &["not implemented", "not completed", "nije realizovano", "nije realizovana", "nerealizovano", "nije sprovedeno", "nije ispunjeno"],
    ),
    (ItemStatus::Cancelled, &["cancelled", "canceled", "withdrawn", "dropped", "otkazano", "povuceno", "odustato"]),
    (ItemStatus::CarriedOver, &["carried over", "carried forward", "moved to next plan", "preneto", "prenesena", "preneseno", "preneto u naredni plan"]),
];

/// An item status from its code (`in_progress`) or as people write it in either language.
pub fn status(v: &Value) -> Read<ItemStatus> {
    let t = v.text();
    let t = t.trim();
    if t.is_empty() {
        return Read::empty();
    }
    if let Some(s) = ItemStatus::parse(t) {
        return Read::ok(s);
    }
    let f = fold(t);
    for (s, words) in STATUSES {
        if words.contains(&f.as_str()) {
            return Read::ok(*s);
        }
    }
    Read::bad(format!(
        "{t:?} is not a status (planned, in progress, completed, partially completed, delayed, not implemented, cancelled, carried over; or in Serbian)"
    ))
}

/// A gender marker: 0, 1 or 2, or its name.
pub fn gender(v: &Value) -> Read<GenderMarker> {
    let t = v.text();
    let f = fold(&t);
    let m = match f.as_str() {
        "" => return Read::empty(),
        "0" | "not targeted" | "nije ciljano" | "bez" => GenderMarker::NotTargeted,
        "1" | "significant" | "znacajan" | "znacajno" => GenderMarker::Significant,
        "2" | "principal" | "glavni" | "osnovni" => GenderMarker::Principal,
        _ => return Read::bad(format!("{:?} is not a gender marker (0, 1 or 2)", t.trim())),
    };
    Read::ok(m)
}

/// A weight: a whole number from 0 to 1000.
pub fn weight(v: &Value) -> Read<u32> {
    match v {
        Value::Empty => Read::empty(),
        Value::Number(n) if n.fract() == 0.0 && (0.0..=1000.0).contains(n) => Read::ok(*n as u32),
        Value::Text(t) if t.trim().is_empty() => Read::empty(),
        Value::Text(t) => match t.trim().parse::<u32>() {
            Ok(n) if n <= 1000 => Read::ok(n),
            _ => Read::bad(format!("{:?} is not a weight (a whole number from 0 to 1000)", t.trim())),
        },
        other => Read::bad(format!("{:?} is not a weight (a whole number from 0 to 1000)", other.text())),
    }
}

/// A code. Codes kept as text are taken as they are (trimmed); a code Excel stored as a
/// number is written back as the shortest decimal, and said: `1.10` and `1.1` are the same
/// number, so the cell may have lost a trailing zero.
pub fn code(v: &Value) -> Read<String> {
    match v {
        Value::Empty => Read::empty(),
        Value::Text(t) => {
            let t = t.trim();
            if t.is_empty() { Read::empty() } else { Read::ok(t.to_string()) }
        }
        Value::Number(n) => {
            let s = number_text(*n);
            if n.fract() == 0.0 {
                Read::ok(s)
            } else {
                Read::noted(
                    s.clone(),
                    format!("the code {s} is stored as a number, so a trailing zero may be lost (1.10 reads as 1.1): check it, or format the column as text"),
                )
            }
        }
        other => Read::bad(format!("{:?} is not a code", other.text())),
    }
}

/// A number as people read it: no trailing zeros, no exponent for ordinary sizes.
pub fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        return format!("{}", n as i64);
    }
    let s = format!("{n}");
    if s.contains('e') { format!("{n:.6}") } else { s }
}

/// Text from a cell that may hold an HTML fragment: `<br>` and block ends become line breaks,
/// links become Markdown links (`[text](href)`, or the bare address when the text is the
/// address), other tags go, entities are decoded, and each line is trimmed.
pub fn markdown(s: &str) -> String {
    html(s, true)
}

/// The same as [`markdown`], for a field of one line (a title): links keep only their text,
/// and line breaks become spaces.
pub fn plain(s: &str) -> String {
    let t = html(s, false);
    t.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The same as [`markdown`], keeping line breaks but not links' addresses (a list of names).
pub fn plain_lines(s: &str) -> String {
    html(s, false)
}

/// Whether a cell's text holds HTML (tags or entities).
pub fn has_html(s: &str) -> bool {
    let l = s.to_ascii_lowercase();
    ["<br", "<a ", "</a>", "<p>", "</p>", "<b>", "<i>", "<strong>", "<em>", "<li>", "<ul>", "&amp;", "&nbsp;", "&lt;", "&gt;", "&quot;", "&#"]
        .iter()
        .any(|t| l.contains(t))
}

fn html(s: &str, links: bool) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    // The open link: its address and where its text starts in `out`.
    let mut link: Option<(String, usize)> = None;
    while let Some(lt) = rest.find('<') {
        out.push_str(&entities(&rest[..lt]));
        let after = &rest[lt + 1..];
        let Some(gt) = after.find('>') else {
            out.push_str(&entities(&rest[lt..]));
            rest = "";
            break;
        };
        let tag = after[..gt].trim();
        // A `<` that opens no tag (`a < b`) is text.
        let name: String = after[..gt].trim_start_matches('/').chars().take_while(|c| c.is_ascii_alphanumeric()).collect::<String>().to_ascii_lowercase();
        if name.is_empty() {
            out.push('<');
            rest = after;
            continue;
        }
        let closing = tag.starts_with('/');
        match name.as_str() {
            "br" => out.push('\n'),
            "p" | "div" | "ul" | "ol" | "tr" | "table" | "h1" | "h2" | "h3" | "h4" if closing => out.push('\n'),
            "li" if !closing => out.push_str("\n- "),
            "a" if !closing => link = Some((href(tag).unwrap_or_default(), out.len())),
            "a" => {
                if let Some((h, at)) = link.take() {
                    let text = out[at..].trim().to_string();
                    out.truncate(at);
                    if !links || h.is_empty() {
                        out.push_str(&text);
                    } else if text.is_empty() || text == h {
                        out.push_str(&h);
                    } else {
                        out.push_str(&format!("[{text}]({h})"));
                    }
                }
            }
            _ => {}
        }
        rest = &after[gt + 1..];
    }
    out.push_str(&entities(rest));
    let lines: Vec<&str> = out.lines().map(str::trim).collect();
    // No runs of empty lines, none at the ends.
    let mut kept: Vec<&str> = Vec::new();
    for l in lines {
        if l.is_empty() && kept.last().is_none_or(|p| p.is_empty()) {
            continue;
        }
        kept.push(l);
    }
    while kept.last().is_some_and(|l| l.is_empty()) {
        kept.pop();
    }
    kept.join("\n")
}

fn href(tag: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    let at = lower.find("href")?;
    let rest = tag[at + 4..].trim_start().strip_prefix('=')?.trim_start();
    let v = match rest.chars().next()? {
        q @ ('"' | '\'') => rest[1..].split(q).next()?.to_string(),
        _ => rest.split(|c: char| c.is_whitespace() || c == '>').next()?.to_string(),
    };
    Some(entities(v.trim()))
}

/// Decode the entities that turn up in pasted HTML: the five of XML, `&nbsp;` and numeric ones.
fn entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let end = after.find(';').filter(|e| *e <= 10);
        let decoded = end.and_then(|e| {
            let name = &after[..e];
            let c = match name {
                "amp" => '&',
                "lt" => '<',
                "gt" => '>',
                "quot" => '"',
                "apos" | "#39" => '\'',
                "nbsp" => ' ',
                _ => {
                    let n = name
                        .strip_prefix("#x")
                        .or_else(|| name.strip_prefix("#X"))
                        .map(|h| u32::from_str_radix(h, 16))
                        .or_else(|| name.strip_prefix('#').map(str::parse::<u32>))?;
                    char::from_u32(n.ok()?)?
                }
            };
            Some((c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &after[e + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Value {
        Value::Text(s.into())
    }

    #[test]
    fn dates_in_every_way_the_issue_names() {
        let d = |s: &str| due(&t(s), false).value;
        let day = |y, m, dd| Some(Due::Date(NaiveDate::from_ymd_opt(y, m, dd).unwrap()));
        let q = |y, q| Some(Due::Quarter(Quarter::new(y, q).unwrap()));
        assert_eq!(d("15.03.2016"), day(2016, 3, 15));
        assert_eq!(d("15.3.2016."), day(2016, 3, 15));
        assert_eq!(d("2016-03-15"), day(2016, 3, 15));
        assert_eq!(d("Q3 2016"), q(2016, 3));
        assert_eq!(d("2016-Q3"), q(2016, 3));
        assert_eq!(d("III kvartal 2016"), q(2016, 3));
        assert_eq!(d("III квартал 2016."), q(2016, 3));
        assert_eq!(d("4. kvartal 2016"), q(2016, 4));
        assert_eq!(d("continuous"), Some(Due::Continuous));
        assert_eq!(d("Kontinuirano"), Some(Due::Continuous));
        assert_eq!(d("континуирано"), Some(Due::Continuous));
        assert_eq!(due(&Value::Number(42444.0), false).value, day(2016, 3, 15));
        assert_eq!(due(&Value::Date(NaiveDate::from_ymd_opt(2016, 3, 15).unwrap()), false).value, day(2016, 3, 15));
        let year = due(&t("2017"), false);
        assert_eq!(year.value, day(2017, 12, 31));
        assert!(year.note.is_some() && !year.refused);
        let bad = due(&t("in early 2023"), false);
        assert!(bad.refused && bad.value.is_none());
        assert!(due(&t("V kvartal 2016"), false).refused);
        assert!(due(&t("31.02.2016"), false).refused);
    }

    #[test]
    fn excel_serials_follow_excel_and_its_leap_year_bug() {
        assert_eq!(excel_date(1.0, false), NaiveDate::from_ymd_opt(1900, 1, 1));
        assert_eq!(excel_date(59.0, false), NaiveDate::from_ymd_opt(1900, 2, 28));
        assert_eq!(excel_date(61.0, false), NaiveDate::from_ymd_opt(1900, 3, 1));
        assert_eq!(excel_date(42444.75, false), NaiveDate::from_ymd_opt(2016, 3, 15));
        assert_eq!(excel_date(0.0, true), None);
        assert_eq!(excel_date(40982.0, true), NaiveDate::from_ymd_opt(2016, 3, 15));
        assert_eq!(excel_date(f64::NAN, false), None);
    }

    #[test]
    fn starts_take_a_quarter_s_first_day_and_refuse_continuous() {
        assert_eq!(start(&t("2016-Q3"), false).value, NaiveDate::from_ymd_opt(2016, 7, 1));
        assert_eq!(start(&t("2016"), false).value, NaiveDate::from_ymd_opt(2016, 1, 1));
        assert!(start(&t("kontinuirano"), false).refused);
    }

    #[test]
    fn statuses_in_either_language_and_script() {
        let s = |x: &str| status(&t(x)).value;
        assert_eq!(s("In Progress"), Some(ItemStatus::InProgress));
        assert_eq!(s("in_progress"), Some(ItemStatus::InProgress));
        assert_eq!(s("У току"), Some(ItemStatus::InProgress));
        assert_eq!(s("u toku"), Some(ItemStatus::InProgress));
        assert_eq!(s("Реализовано"), Some(ItemStatus::Completed));
        assert_eq!(s("Complete"), Some(ItemStatus::Completed));
        assert_eq!(s("Not Started"), Some(ItemStatus::Planned));
        assert_eq!(s("делимично реализовано"), Some(ItemStatus::PartiallyCompleted));
        assert_eq!(s(""), None);
        assert!(status(&t("Progress update pending")).refused);
    }

    #[test]
    fn codes_excel_made_numbers_are_said() {
        let c = code(&Value::Number(1.1));
        assert_eq!(c.value.as_deref(), Some("1.1"));
        assert!(c.note.as_deref().unwrap_or("").contains("1.10"));
        let whole = code(&Value::Number(3.0));
        assert_eq!((whole.value.as_deref(), whole.note), (Some("3"), None));
        assert_eq!(code(&t("  1.10 ")).value.as_deref(), Some("1.10"));
    }

    #[test]
    fn html_fragments_become_text_and_markdown_links() {
        assert_eq!(markdown("first<br>second <br/> third"), "first\nsecond\nthird");
        assert_eq!(markdown(r#"See <a href="https://example.org/x">the page</a>."#), "See [the page](https://example.org/x).");
        assert_eq!(markdown(r#"<a href="https://a.b">https://a.b</a>"#), "https://a.b");
        assert_eq!(plain(r#"Department <br> Office"#), "Department Office");
        assert_eq!(plain("A &amp; B&nbsp;&#8211; C"), "A & B – C");
        assert_eq!(markdown("a < b and c > d"), "a < b and c > d");
        assert_eq!(markdown("<p>one</p><p>two</p>"), "one\ntwo");
        assert!(has_html("x<br>y") && !has_html("plain text, 5 < 6"));
    }

    #[test]
    fn weights_and_gender_markers() {
        assert_eq!(weight(&Value::Number(3.0)).value, Some(3));
        assert!(weight(&t("heavy")).refused);
        assert!(weight(&Value::Number(2.5)).refused);
        assert_eq!(gender(&t("Principal")).value, Some(GenderMarker::Principal));
        assert_eq!(gender(&Value::Number(1.0)).value, Some(GenderMarker::Significant));
        assert!(gender(&t("3")).refused);
    }
}
