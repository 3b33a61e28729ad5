//! Liaison's words: the text of pages, of errors (by their codes), of notifications and e-mails,
//! from Fluent files. `en` and `sr-Cyrl` are written (`locales/`); `sr-Latn` is made from
//! `sr-Cyrl` by the same deterministic transliteration as content, so the two Serbian scripts can
//! never drift apart. Plurals follow each language's rules (Serbian: one, few, other). Bidi
//! isolation marks are off: they would show up in HTML.
//!
//! The web layer renders pages and problem documents with it in the reader's language; the use
//! cases write notifications with it in the recipient's. No sentence for people is written in
//! `liaison-web` or `liaison-app`: they name a message and give its arguments.

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use liaison_domain::text::UiLang;
use liaison_domain::translit::cyrillic_to_latin;
use std::sync::OnceLock;

pub const EN: &str = include_str!("../locales/en.ftl");
pub const SR_CYRL: &str = include_str!("../locales/sr-Cyrl.ftl");

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

    /// The message `key` with string arguments (numbers are passed as text too).
    pub fn with(&self, key: &str, args: &[(&str, &str)]) -> String {
        let a: Vec<(&str, FluentValue<'_>)> = args.iter().map(|(k, v)| (*k, FluentValue::from(*v))).collect();
        self.args(key, &a)
    }

    /// The message `key` with string arguments and a `$count` that chooses the plural form.
    pub fn with_count(&self, key: &str, count: i64, args: &[(&str, &str)]) -> String {
        let mut a: Vec<(&str, FluentValue<'_>)> = args.iter().map(|(k, v)| (*k, FluentValue::from(*v))).collect();
        a.push(("count", FluentValue::from(count)));
        self.args(key, &a)
    }

    /// The words of a refusal (`refusal-<code>`) in this language.
    pub fn refusal(&self, r: &liaison_domain::Refusal) -> String {
        let words: Vec<(&str, String)> = r.args.iter().map(|(k, v)| (*k, self.word(r.code, k, v))).collect();
        let args: Vec<(&str, &str)> = words.iter().map(|(k, v)| (*k, v.as_str())).collect();
        self.with(&format!("refusal-{}", r.code), &args)
    }

    /// A detail that is a code (a state, a role, an action …) in words, for the middle of a
    /// sentence: the label of the code (`state-agreed` → "agreed"), or the code itself where
    /// there is no label. Which labels a detail takes follows from its name and the message.
    fn word(&self, message: &str, arg: &str, value: &str) -> String {
        let prefix = match (arg, message.split('-').next().unwrap_or("")) {
            ("action", _) => "action-",
            ("role", _) => "role-",
            ("perspective", _) => "perspective-",
            ("kind", _) if message == "role" => "org-kind-",
            ("state" | "to", "offer") => "offer-state-",
            ("state", "story") => "story-state-",
            ("state" | "step", "report") => "update-state-",
            ("state" | "to" | "from", _) => "state-",
            ("next", _) => {
                let each: Vec<String> = value.split(", ").map(|v| self.word(message, "to", v)).collect();
                return each.join(", ");
            }
            _ => return value.to_string(),
        };
        let key = format!("{prefix}{value}");
        if !bundles().en.has_message(&key) {
            return value.to_string();
        }
        let label = self.get(&key);
        // Labels are written for headings and lists ("Being delivered"); mid-sentence, lower case.
        let mut chars = label.chars();
        match chars.next() {
            Some(first) if !label.chars().nth(1).is_some_and(char::is_uppercase) => first.to_lowercase().chain(chars).collect(),
            _ => label,
        }
    }

    /// The words of a field's problem: `error-<field>-<code>` if there is one, else
    /// `error-<code>`, else the message the problem carries (the domain's English).
    pub fn field_error(&self, e: &liaison_domain::FieldError) -> String {
        let field = e.field.split('.').next().unwrap_or("");
        let about = if e.code == "wrong_side" { "role" } else { field };
        let words: Vec<(&str, String)> = e.args.iter().map(|(k, v)| (k.as_str(), self.word(about, k, v))).collect();
        let args: Vec<(&str, &str)> = words.iter().map(|(k, v)| (*k, v.as_str())).collect();
        // A value that is not what was expected (an id, a time …) says what was.
        if let Some((_, expected)) = e.args.iter().find(|(k, _)| k == "expected") {
            let key = format!("error-expected-{expected}");
            if bundles().en.has_message(&key) {
                return self.with(&key, &args);
            }
        }
        let specific = format!("error-{field}-{}", e.code);
        let generic = format!("error-{}", e.code);
        let known = |k: &str| bundles().en.has_message(k);
        // A problem written without words (the use cases name it by code) takes them from here;
        // one the domain wrote in English keeps its own words for English readers, and is
        // translated for the others where a translation exists.
        if known(&specific) && (e.message.is_empty() || self.lang != UiLang::En) {
            return self.with(&specific, &args);
        }
        if e.message.is_empty() || self.lang != UiLang::En {
            if known(&generic) {
                return self.with(&generic, &args);
            }
            if e.message.is_empty() {
                return e.code.clone();
            }
        }
        e.message.clone()
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

    #[test]
    fn the_locale_files_parse_cleanly() {
        for (name, source) in [("en", EN.to_string()), ("sr-Cyrl", SR_CYRL.to_string()), ("sr-Latn", cyrillic_to_latin(SR_CYRL))] {
            if let Err((_, errors)) = FluentResource::try_new(source) {
                panic!("{name}: {errors:?}");
            }
        }
    }

    /// The Rust sources of a crate of the workspace, concatenated.
    fn sources(krate: &str) -> String {
        fn walk(dir: &std::path::Path, out: &mut String) {
            let Ok(entries) = std::fs::read_dir(dir) else { return };
            for e in entries.flatten() {
                let p = e.path();
                if p.is_dir() {
                    walk(&p, out);
                } else if p.extension().is_some_and(|x| x == "rs") {
                    out.push_str(&std::fs::read_to_string(&p).unwrap_or_default());
                }
            }
        }
        let mut out = String::new();
        walk(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(krate).join("src"), &mut out);
        assert!(!out.is_empty(), "no sources found for {krate}");
        out
    }

    /// The string literals that follow `pattern` in `text`: `Refusal::new("x")` gives `x`.
    fn literals_after(text: &str, pattern: &str) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for (at, _) in text.match_indices(pattern) {
            let rest = &text[at + pattern.len()..];
            if !rest.trim_start().starts_with('"') {
                continue; // a code in a variable: the literals it comes from are scanned where written
            }
            let first: String = rest.split('"').nth(1).unwrap_or("").to_string();
            // The second literal (a code after a field), when the call has one.
            let after_first = rest.splitn(3, '"').nth(2).unwrap_or("");
            let second =
                after_first.trim_start().strip_prefix(',').map(str::trim_start).filter(|r| r.starts_with('"')).and_then(|r| r.split('"').nth(1)).unwrap_or("");
            out.push((first, second.to_string()));
        }
        out
    }

    /// Every refusal and every coded problem the domain, the use cases and the web layer name
    /// has its words in every language.
    #[test]
    fn every_named_refusal_and_problem_has_words() {
        let en: BTreeSet<String> = message_ids(EN).into_iter().collect();
        let mut missing = Vec::new();
        let mut seen = 0;
        for krate in ["domain", "app", "web"] {
            let src = sources(krate);
            for (code, _) in literals_after(&src, "Refusal::new(") {
                seen += 1;
                if !en.contains(&format!("refusal-{code}")) {
                    missing.push(format!("refusal-{code} ({krate})"));
                }
            }
            for pattern in ["ValidationErrors::coded(", "p.coded(", "FieldError::coded("] {
                for (field, code) in literals_after(&src, pattern) {
                    if code.is_empty() {
                        continue;
                    }
                    seen += 1;
                    let field = field.split('.').next().unwrap_or("");
                    if !en.contains(&format!("error-{field}-{code}")) && !en.contains(&format!("error-{code}")) {
                        missing.push(format!("error-{field}-{code} ({krate})"));
                    }
                }
            }
        }
        assert!(seen > 40, "the scan found only {seen} names: is it still reading the sources?");
        assert_eq!(missing, Vec::<String>::new());
        for action in liaison_domain::access::Action::ALL {
            assert!(en.contains(&format!("action-{}", action.code())), "action-{}", action.code());
        }
    }

    #[test]
    fn refusals_and_problems_in_words() {
        use liaison_domain::{FieldError, Refusal};
        let en = Tr { lang: UiLang::En };
        let cyr = Tr { lang: UiLang::SrCyrl };
        let lat = Tr { lang: UiLang::SrLatn };
        let r = Refusal::new("role-forbids").arg("action", "plan_update");
        assert_eq!(en.refusal(&r), "Your role does not allow you to change this plan.");
        assert_eq!(cyr.refusal(&r), "Ваша улога вам не дозвољава да мењате овај план.");
        assert_eq!(lat.refusal(&r), "Vaša uloga vam ne dozvoljava da menjate ovaj plan.");
        // A state in words, lower case in the middle of a sentence, in the reader's language.
        let offer = Refusal::new("offer-settled").arg("state", "in_delivery");
        assert!(en.refusal(&offer).starts_with("An offer that is being delivered no longer changes"), "{}", en.refusal(&offer));
        assert!(cyr.refusal(&offer).contains("„у реализацији“"), "{}", cyr.refusal(&offer));
        // A code with no label stays as it is.
        let odd = Refusal::new("reports-no-more").arg("state", "no_such_state");
        assert!(en.refusal(&odd).contains("no_such_state"));
        // A problem named by code only takes its words from the locale files, with details.
        let limit = FieldError::coded("limit", "out_of_range", &[("max", "500")]);
        assert_eq!(en.field_error(&limit), "must be between 1 and 500");
        assert_eq!(cyr.field_error(&limit), "мора бити између 1 и 500");
        // A field with an index uses the words of the field.
        assert_eq!(en.field_error(&FieldError::coded("evidence.3", "unknown", &[])), "no such file in this plan");
        // The domain's own English stays for English readers; others get a translation.
        let domain = FieldError::new("title", "required", "a title is needed");
        assert_eq!(en.field_error(&domain), "a title is needed");
        assert_eq!(cyr.field_error(&domain), "не сме бити празно");
        // Nothing known at all: the code, never an empty message.
        assert_eq!(cyr.field_error(&FieldError::coded("x", "no_such_code", &[])), "no_such_code");
        // Plan transitions: the states and the list of next states in words.
        let t = FieldError::coded("to", "transition", &[("reason", "other"), ("from", "drafting"), ("to", "agreed"), ("next", "negotiation")]);
        assert_eq!(en.field_error(&t), "a plan in drafting cannot move to agreed; it can move to negotiation");
        assert!(cyr.field_error(&t).contains("„израда нацрта“"), "{}", cyr.field_error(&t));
    }

    #[test]
    fn notifications_choose_plural_forms() {
        let args = [("plan", "IPAP"), ("period", "2015-Q1"), ("starts", "2015-01-01"), ("ends", "2015-03-31"), ("due", "2015-04-15")];
        let en = Tr { lang: UiLang::En };
        let cyr = Tr { lang: UiLang::SrCyrl };
        assert!(en.with_count("notification-reports-due-body", 1, &args).starts_with("One item you report on in IPAP"));
        assert!(en.with_count("notification-reports-due-body", 3, &args).starts_with("3 items you report on"));
        assert!(cyr.with_count("notification-reports-due-body", 3, &args).starts_with("За 3 ставке о којима"));
        assert!(cyr.with_count("notification-reports-due-body", 5, &args).starts_with("За 5 ставки о којима"));
        assert_eq!(en.with_count("notification-reports-late-subject", 2, &args), "IPAP: reports for 2015-Q1 are late (2 outstanding)");
    }
}
