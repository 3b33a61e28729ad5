//! Multilingual text: one value per language, shown in the reader's language with fallback.
//!
//! Serbian is stored in Cyrillic under `sr` and shown in Latin script (`sr-Latn`) by
//! transliteration; Serbian entered only in Latin script may be stored under `sr-Latn`.

use crate::translit::cyrillic_to_latin;
use crate::validation::{Problems, rules};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::BTreeMap;

/// Languages of the user interface.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum UiLang {
    #[default]
    #[serde(rename = "en")]
    En,
    #[serde(rename = "sr-Cyrl")]
    SrCyrl,
    #[serde(rename = "sr-Latn")]
    SrLatn,
}

impl UiLang {
    pub const ALL: [UiLang; 3] = [UiLang::En, UiLang::SrCyrl, UiLang::SrLatn];

    /// The BCP 47 tag.
    pub fn tag(self) -> &'static str {
        match self {
            UiLang::En => "en",
            UiLang::SrCyrl => "sr-Cyrl",
            UiLang::SrLatn => "sr-Latn",
        }
    }

    /// Parse a tag, leniently: `sr` and `sr-RS` mean Cyrillic, `sr-Latn-RS` Latin.
    pub fn parse(tag: &str) -> Option<UiLang> {
        let t = tag.trim().to_ascii_lowercase();
        if t == "en" || t.starts_with("en-") {
            Some(UiLang::En)
        } else if t == "sr-latn" || t.starts_with("sr-latn-") {
            Some(UiLang::SrLatn)
        } else if t == "sr" || t.starts_with("sr-") {
            Some(UiLang::SrCyrl)
        } else {
            None
        }
    }

    /// The first supported language of an `Accept-Language` header, by quality.
    pub fn from_accept_language(header: &str) -> Option<UiLang> {
        let mut best: Option<(f32, usize, UiLang)> = None;
        for (pos, part) in header.split(',').enumerate() {
            let mut it = part.split(';');
            let tag = it.next().unwrap_or("").trim();
            let q = it.find_map(|p| p.trim().strip_prefix("q=")).and_then(|q| q.trim().parse::<f32>().ok()).unwrap_or(1.0);
            if let Some(lang) = UiLang::parse(tag) {
                let better = match best {
                    None => true,
                    Some((bq, bpos, _)) => q > bq || (q == bq && pos < bpos),
                };
                if q > 0.0 && better {
                    best = Some((q, pos, lang));
                }
            }
        }
        best.map(|(_, _, l)| l)
    }
}

/// Text in several languages, keyed by language tag (`en`, `sr`, `sr-Latn`, `fr`, …).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = std::collections::BTreeMap<String, String>, example = json!({"en": "Defence reform", "sr": "Реформа одбране"})))]
pub struct Text(pub BTreeMap<String, String>);

/// A text resolved for a reader: what to show and the language tag it is in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resolved<'a> {
    pub text: Cow<'a, str>,
    pub lang: &'a str,
}

impl Text {
    /// Text in one language.
    pub fn new(lang: &str, value: &str) -> Self {
        let mut m = BTreeMap::new();
        m.insert(lang.to_string(), value.to_string());
        Text(m)
    }

    /// Add or replace one language.
    pub fn with(mut self, lang: &str, value: &str) -> Self {
        self.0.insert(lang.to_string(), value.to_string());
        self
    }

    pub fn get(&self, lang: &str) -> Option<&str> {
        self.0.get(lang).map(String::as_str).filter(|s| !s.is_empty())
    }

    /// Whether no language has a value.
    pub fn is_blank(&self) -> bool {
        self.0.values().all(|v| v.trim().is_empty())
    }

    /// `sr-Cyrl` is stored as `sr`; empty values are dropped.
    pub fn normalised(self) -> Text {
        Text(self.0.into_iter().filter(|(_, v)| !v.trim().is_empty()).map(|(k, v)| if k == "sr-Cyrl" { ("sr".to_string(), v) } else { (k, v) }).collect())
    }

    /// The text for a reader of `ui`, with fallback; `None` only when there is no text at all.
    pub fn resolve(&self, ui: UiLang) -> Option<Resolved<'_>> {
        fn plain<'a>((k, v): (&'a String, &'a String)) -> Resolved<'a> {
            Resolved { text: Cow::Borrowed(v.as_str()), lang: k.as_str() }
        }
        fn latin<'a>((_, v): (&'a String, &'a String)) -> Resolved<'a> {
            Resolved { text: Cow::Owned(cyrillic_to_latin(v)), lang: "sr-Latn" }
        }
        let own = |k: &str| self.0.get_key_value(k).filter(|(_, v)| !v.is_empty());
        match ui {
            UiLang::SrLatn => own("sr-Latn").map(plain).or_else(|| own("sr").map(latin)).or_else(|| own("en").map(plain)),
            UiLang::SrCyrl => own("sr").map(plain).or_else(|| own("sr-Latn").map(plain)).or_else(|| own("en").map(plain)),
            UiLang::En => own("en").map(plain).or_else(|| own("sr-Latn").map(plain)).or_else(|| own("sr").map(latin)),
        }
        .or_else(|| self.0.iter().find(|(_, v)| !v.is_empty()).map(plain))
    }

    /// The text for `ui`, or an empty string.
    pub fn show(&self, ui: UiLang) -> String {
        self.resolve(ui).map(|r| r.text.into_owned()).unwrap_or_default()
    }
}

/// Whether `tag` is an acceptable language key: `ll`, `lll` or `ll-Ssss` (a script).
pub fn is_language_key(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let primary = parts.next().unwrap_or("");
    if !(2..=3).contains(&primary.len()) || !primary.bytes().all(|b| b.is_ascii_lowercase()) {
        return false;
    }
    match (parts.next(), parts.next()) {
        (None, _) => true,
        (Some(script), None) => {
            let b = script.as_bytes();
            b.len() == 4 && b[0].is_ascii_uppercase() && b[1..].iter().all(|c| c.is_ascii_lowercase())
        }
        _ => false,
    }
}

/// Check a multilingual value: known language keys, length, characters; `required` means at
/// least one language must have a value.
pub fn check_text(p: &mut Problems, field: &str, text: &Text, required: bool, max_chars: usize, multiline: bool) {
    if required && text.is_blank() {
        p.add(field, "required", "must have a value in at least one language");
    }
    if text.0.len() > 12 {
        p.add(field, "too_many", "at most 12 languages");
    }
    for (lang, value) in &text.0 {
        let f = format!("{field}.{lang}");
        if !is_language_key(lang) {
            p.add(f, "unknown_language", "is not a language tag such as `en`, `sr` or `sr-Latn`");
            continue;
        }
        if rules::char_len(value) > max_chars {
            p.push(crate::FieldError::new(f, "too_long", format!("must be at most {max_chars} characters")).with_arg("max", max_chars));
        } else if rules::has_control_chars(value, multiline) {
            p.add(f, "invalid", if multiline { "must not contain control characters" } else { "must be a single line" });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serbian_latin_is_transliterated_from_cyrillic() {
        let t = Text::new("en", "Defence reform").with("sr", "Реформа одбране");
        assert_eq!(t.show(UiLang::En), "Defence reform");
        assert_eq!(t.show(UiLang::SrCyrl), "Реформа одбране");
        let r = t.resolve(UiLang::SrLatn).unwrap();
        assert_eq!(r.text, "Reforma odbrane");
        assert_eq!(r.lang, "sr-Latn");
    }

    #[test]
    fn explicit_latin_wins_over_transliteration() {
        let t = Text::new("sr", "Џеп").with("sr-Latn", "Džep (izvorno)");
        assert_eq!(t.show(UiLang::SrLatn), "Džep (izvorno)");
        assert_eq!(t.show(UiLang::SrCyrl), "Џеп");
    }

    #[test]
    fn fallbacks() {
        let en_only = Text::new("en", "Only English");
        assert_eq!(en_only.resolve(UiLang::SrCyrl).unwrap().lang, "en");
        assert_eq!(en_only.show(UiLang::SrLatn), "Only English");
        let sr_only = Text::new("sr", "Љубав");
        assert_eq!(sr_only.show(UiLang::En), "Ljubav");
        let fr_only = Text::new("fr", "Défense");
        assert_eq!(fr_only.resolve(UiLang::En).unwrap().lang, "fr");
        assert!(Text::default().resolve(UiLang::En).is_none());
        assert!(Text::new("en", "").resolve(UiLang::En).is_none());
    }

    #[test]
    fn normalising_stores_cyrillic_under_sr_and_drops_blanks() {
        let t = Text::new("sr-Cyrl", "Ћ").with("en", "  ").normalised();
        assert_eq!(t, Text::new("sr", "Ћ"));
    }

    #[test]
    fn language_keys() {
        for ok in ["en", "sr", "sr-Latn", "fra"] {
            assert!(is_language_key(ok), "{ok}");
        }
        for bad in ["", "e", "EN", "english", "sr-latn", "sr-Latn-RS", "sr_Latn", "s1"] {
            assert!(!is_language_key(bad), "{bad}");
        }
    }

    #[test]
    fn checks_report_each_language() {
        let mut p = Problems::new();
        let t = Text::new("xx-yy", "a").with("en", &"a".repeat(11)).with("sr", "a\u{7}b");
        check_text(&mut p, "title", &t, true, 10, false);
        let fields: Vec<_> = p.errors().iter().map(|e| (e.field.as_str(), e.code.as_str())).collect();
        assert_eq!(fields, vec![("title.en", "too_long"), ("title.sr", "invalid"), ("title.xx-yy", "unknown_language")]);
        let mut p = Problems::new();
        check_text(&mut p, "title", &Text::default(), true, 10, false);
        assert_eq!(p.errors()[0].code, "required");
        let mut p = Problems::new();
        check_text(&mut p, "d", &Text::new("en", "line\nline"), false, 100, true);
        assert!(p.is_empty());
    }

    #[test]
    fn accept_language() {
        assert_eq!(UiLang::from_accept_language("sr-Latn-RS,sr;q=0.9,en;q=0.8"), Some(UiLang::SrLatn));
        assert_eq!(UiLang::from_accept_language("de,sr;q=0.5,en;q=0.7"), Some(UiLang::En));
        assert_eq!(UiLang::from_accept_language("sr-RS"), Some(UiLang::SrCyrl));
        assert_eq!(UiLang::from_accept_language("de,fr"), None);
        assert_eq!(UiLang::from_accept_language("en;q=0,sr"), Some(UiLang::SrCyrl));
        assert_eq!(UiLang::from_accept_language(";;;,q=x"), None);
    }
}
