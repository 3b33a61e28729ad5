//! User-interface text from Fluent files: `en` and `sr-Cyrl` are written; `sr-Latn` is made
//! from `sr-Cyrl` by the same deterministic transliteration as content, so the two Serbian
//! scripts can never drift apart. Plurals follow each language's rules (Serbian: one, few,
//! other). Bidi isolation marks are off: they would show up in HTML.

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use liaison_domain::text::UiLang;
use liaison_domain::translit::cyrillic_to_latin;
use std::sync::OnceLock;

pub const EN: &str = include_str!("../../locales/en.ftl");
pub const SR_CYRL: &str = include_str!("../../locales/sr-Cyrl.ftl");

type Bundle = FluentBundle<FluentResource>;

struct Bundles {
    en: Bundle,
    sr_cyrl: Bundle,
    sr_latn: Bundle,
}

fn bundle(tag: &str, source: String) -> Bundle {
    let lang: unic_langid::LanguageIdentifier = tag.parse().unwrap_or_default();
    let mut b = FluentBundle::new_concurrent(vec![lang]);
    b.set_use_isolating(false);
    match FluentResource::try_new(source) {
        Ok(res) => {
            if let Err(e) = b.add_resource(res) {
                tracing::error!(?e, tag, "duplicate messages in a locale file");
            }
        }
        Err((res, e)) => {
            tracing::error!(?e, tag, "a locale file does not parse; using what does");
            let _ = b.add_resource(res);
        }
    }
    b
}

fn bundles() -> &'static Bundles {
    static B: OnceLock<Bundles> = OnceLock::new();
    B.get_or_init(|| Bundles {
        en: bundle("en", EN.to_string()),
        sr_cyrl: bundle("sr-Cyrl", SR_CYRL.to_string()),
        sr_latn: bundle("sr-Latn", cyrillic_to_latin(SR_CYRL)),
    })
}

/// Translations for one language.
#[derive(Clone, Copy, Debug)]
pub struct Tr {
    pub lang: UiLang,
}

impl Tr {
    fn bundle(&self) -> &'static Bundle {
        let b = bundles();
        match self.lang {
            UiLang::En => &b.en,
            UiLang::SrCyrl => &b.sr_cyrl,
            UiLang::SrLatn => &b.sr_latn,
        }
    }

    fn format(bundle: &Bundle, key: &str, args: Option<&FluentArgs>) -> Option<String> {
        let pattern = bundle.get_message(key)?.value()?;
        let mut errors = Vec::new();
        let s = bundle.format_pattern(pattern, args, &mut errors).into_owned();
        if !errors.is_empty() {
            tracing::warn!(key, ?errors, "a message did not format cleanly");
        }
        Some(s)
    }

    /// The message `key` with `args`, falling back to English, then to the key itself.
    pub fn args(&self, key: &str, args: &[(&str, FluentValue<'_>)]) -> String {
        let mut a = FluentArgs::new();
        for (k, v) in args {
            a.set(*k, v.clone());
        }
        Tr::format(self.bundle(), key, Some(&a)).or_else(|| Tr::format(&bundles().en, key, Some(&a))).unwrap_or_else(|| key.to_string())
    }

    pub fn get(&self, key: &str) -> String {
        self.args(key, &[])
    }

    /// A message with a `$count` that chooses the plural form.
    pub fn count(&self, key: &str, n: i64) -> String {
        self.args(key, &[("count", FluentValue::from(n))])
    }

    /// Whether a message exists in this language (without fallback).
    pub fn has(&self, key: &str) -> bool {
        self.bundle().has_message(key)
    }
}

/// The message ids of a Fluent source.
pub fn message_ids(source: &str) -> Vec<String> {
    source
        .lines()
        .filter(|l| l.chars().next().is_some_and(|c| c.is_ascii_lowercase()))
        .filter_map(|l| l.split_once('=').map(|(k, _)| k.trim().to_string()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn every_language_has_every_message() {
        let en: BTreeSet<String> = message_ids(EN).into_iter().collect();
        let sr: BTreeSet<String> = message_ids(SR_CYRL).into_iter().collect();
        assert_eq!(en.difference(&sr).collect::<Vec<_>>(), Vec::<&String>::new(), "missing in sr-Cyrl");
        assert_eq!(sr.difference(&en).collect::<Vec<_>>(), Vec::<&String>::new(), "missing in en");
        for key in &en {
            for lang in UiLang::ALL {
                assert!(Tr { lang }.has(key), "{key} in {lang:?}");
            }
        }
    }

    #[test]
    fn serbian_plurals_and_scripts() {
        let cyr = Tr { lang: UiLang::SrCyrl };
        let lat = Tr { lang: UiLang::SrLatn };
        let en = Tr { lang: UiLang::En };
        assert_eq!(en.count("items-count", 1), "1 item");
        assert_eq!(en.count("items-count", 5), "5 items");
        assert_eq!(cyr.count("items-count", 1), "1 ставка");
        assert_eq!(cyr.count("items-count", 3), "3 ставке");
        assert_eq!(cyr.count("items-count", 5), "5 ставки");
        assert_eq!(cyr.count("items-count", 21), "21 ставка");
        assert_eq!(cyr.count("items-count", 22), "22 ставке");
        assert_eq!(lat.count("items-count", 3), "3 stavke");
        assert_eq!(lat.get("nav-home"), cyrillic_to_latin(&cyr.get("nav-home")));
        assert!(!en.get("sign-out").contains('\u{2068}'), "no isolation marks");
        assert_eq!(en.get("no-such-message"), "no-such-message");
    }

    /// Every message the templates and handlers ask for exists.
    #[test]
    fn every_message_used_exists() {
        let known: BTreeSet<String> = message_ids(EN).into_iter().collect();
        let mut used = BTreeSet::new();
        let dirs = [concat!(env!("CARGO_MANIFEST_DIR"), "/templates"), concat!(env!("CARGO_MANIFEST_DIR"), "/src/pages")];
        for dir in dirs {
            for entry in std::fs::read_dir(dir).unwrap() {
                let text = std::fs::read_to_string(entry.unwrap().path()).unwrap_or_default();
                for marker in [".t(\"", ".tn(\"", ".ta(\"", ".ta1(\""] {
                    for part in text.split(marker).skip(1) {
                        if let Some(key) = part.split('"').next()
                            && !key.contains('{')
                            && !key.is_empty()
                        {
                            used.insert(key.to_string());
                        }
                    }
                }
            }
        }
        let missing: Vec<&String> = used.iter().filter(|k| !known.contains(*k)).collect();
        assert!(missing.is_empty(), "messages used but not defined: {missing:?}");
        assert!(used.len() > 50, "the scan found the messages ({})", used.len());
    }
}
