//! Search: what a person types, read the same way on both databases.
//!
//! Serbian content is stored in Cyrillic and read in either script, so text is indexed and
//! queried *folded* ([`fold`]): Latin script, lower case, no diacritics (`đ` as `dj`), words of
//! letters and digits split at everything else. `odbrana`, `одбрана` and `ODBRANA` fold alike, and
//! so do `Kovacica`, `Kovačica` and `Ковачица`.
//!
//! A query ([`parse`]) is words (all must match), `"phrases in quotes"`, a trailing `*` for a
//! prefix (and, as one types, the last word is a prefix), and codes (`PG-17`, `2.3.1`, `5.b`),
//! which also match a record's code exactly. Nothing in a query is ever handed to the database's
//! own query language: [`Query::fts5`] and [`Query::tsquery`] write it from folded words, which
//! hold only letters and digits, so `NEAR(`, `"`, `-`, `:` or `*` are text, never syntax.
//!
//! Snippets ([`snippet`]) are made here from the stored text, HTML-escaped, with the matched
//! words in `<mark>`, so both backends quote alike and a stored `<script>` comes back as text.

use crate::translit::normalise_for_search;
use crate::validation::ValidationErrors;

/// What can be found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Item,
    Indicator,
    Report,
    Comment,
    Request,
    Offer,
    Activity,
    Story,
    Decision,
    Organisation,
    Evidence,
}

codes! { Kind {
    Item => "item",
    Indicator => "indicator",
    Report => "report",
    Comment => "comment",
    Request => "request",
    Offer => "offer",
    Activity => "activity",
    Story => "story",
    Decision => "decision",
    Organisation => "organisation",
    Evidence => "evidence",
} }

/// The longest query read, in characters; a longer one is refused.
pub const MAX_QUERY_CHARS: usize = 500;
/// The most words (and phrases) a query may hold; more are refused.
pub const MAX_TERMS: usize = 16;

/// Text folded for search: the words of [`words`], joined by single spaces.
pub fn fold(text: &str) -> String {
    words(text).join(" ")
}

/// The folded words of a text: Latin script, lower case, without diacritics, split at every
/// character that is not a letter or a digit.
pub fn words(text: &str) -> Vec<String> {
    let n = normalise_for_search(text);
    n.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(fold_diacritics).collect()
}

/// Letters with diacritics other than Serbian's (`é`, `ü`, `ñ`…) as their base letter, so that
/// names from other languages are found without them too.
fn fold_diacritics(w: &str) -> String {
    w.chars()
        .map(|c| match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => 'a',
            'ç' | 'ĉ' | 'ċ' => 'c',
            'ď' => 'd',
            'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => 'e',
            'ğ' | 'ġ' | 'ģ' => 'g',
            'ì' | 'í' | 'î' | 'ï' | 'ī' | 'į' | 'ı' => 'i',
            'ķ' => 'k',
            'ĺ' | 'ļ' | 'ľ' | 'ł' => 'l',
            'ñ' | 'ń' | 'ņ' | 'ň' => 'n',
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => 'o',
            'ŕ' | 'ř' => 'r',
            'ś' | 'ş' | 'ș' => 's',
            'ţ' | 'ț' | 'ť' => 't',
            'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' | 'ų' => 'u',
            'ý' | 'ÿ' => 'y',
            'ź' | 'ż' => 'z',
            other => other,
        })
        .collect()
}

/// One part of a query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Term {
    /// A folded word; with `prefix`, any word beginning with it.
    Word { word: String, prefix: bool },
    /// Folded words that must stand together, in this order.
    Phrase(Vec<String>),
}

/// A query, parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Query {
    /// Every term must match.
    pub terms: Vec<Term>,
    /// Codes written in the query (`PG-17`, `2.3.1`), folded: a record with such a code ranks
    /// first.
    pub codes: Vec<String>,
}

/// Whether a token looks like a plan's code: it has a digit and a `.` or `-` between letters or
/// digits (`PG-17`, `2.3.1`, `5.b`, `IPAP-SRB-2015`), or it is a bare number (`17`).
fn is_code(token: &str) -> bool {
    let t = token.trim_matches(|c: char| !c.is_alphanumeric());
    if t.is_empty() || !t.chars().any(|c| c.is_ascii_digit()) || t.chars().count() > 40 {
        return false;
    }
    t.chars().all(|c| c.is_alphanumeric() || c == '.' || c == '-' || c == '/')
}

/// A code as compared: folded letters and digits, separators kept (`pg-17`, `2.3.1`).
pub fn fold_code(code: &str) -> String {
    normalise_for_search(code.trim()).trim_matches(|c: char| !c.is_alphanumeric()).to_string()
}

/// Read a query. `as_you_type` makes its last word a prefix (unless a space ends the query).
/// An empty query, one of more than [`MAX_QUERY_CHARS`] characters or of more than
/// [`MAX_TERMS`] terms is refused on the field `q`; anything else is read, whatever it holds.
pub fn parse(q: &str, as_you_type: bool) -> Result<Query, ValidationErrors> {
    if q.chars().count() > MAX_QUERY_CHARS {
        let max = MAX_QUERY_CHARS.to_string();
        return Err(ValidationErrors::coded("q", "too_long", &[("max", &max)]));
    }
    let mut terms = Vec::new();
    let mut codes = Vec::new();
    // Split at quotes: the odd pieces are phrases. An unbalanced quote's phrase runs to the end.
    for (i, piece) in q.split('"').enumerate() {
        if i % 2 == 1 {
            let ws = words(piece);
            match ws.len() {
                0 => {}
                1 => terms.push(Term::Word { word: ws.into_iter().next().unwrap_or_default(), prefix: false }),
                _ => terms.push(Term::Phrase(ws)),
            }
            continue;
        }
        for token in piece.split_whitespace() {
            if is_code(token) {
                codes.push(fold_code(token));
            }
            let starred = token.ends_with('*');
            let ws = words(token);
            let n = ws.len();
            match n {
                0 => {}
                1 => terms.extend(ws.into_iter().map(|w| Term::Word { word: w, prefix: starred })),
                // `PG-17` or `e-mail`: its words together.
                _ => terms.push(Term::Phrase(ws)),
            }
        }
    }
    if as_you_type
        && !q.ends_with(char::is_whitespace)
        && !q.trim_end().ends_with('"')
        && let Some(Term::Word { prefix, .. }) = terms.last_mut()
    {
        *prefix = true;
    }
    if terms.is_empty() {
        return Err(ValidationErrors::coded("q", "required", &[]));
    }
    if terms.len() > MAX_TERMS {
        let max = MAX_TERMS.to_string();
        return Err(ValidationErrors::coded("q", "too_many", &[("max", &max)]));
    }
    Ok(Query { terms, codes })
}

impl Query {
    /// The query as an SQLite FTS5 expression over folded text: each word quoted (a prefix
    /// with `*` after the quote), phrases quoted whole, all of them required.
    pub fn fts5(&self) -> String {
        self.terms
            .iter()
            .map(|t| match t {
                Term::Word { word, prefix: true } => format!("\"{word}\"*"),
                Term::Word { word, prefix: false } => format!("\"{word}\""),
                Term::Phrase(ws) => format!("\"{}\"", ws.join(" ")),
            })
            .collect::<Vec<_>>()
            .join(" AND ")
    }

    /// The query as a PostgreSQL `tsquery` over folded text (for `to_tsquery('simple', …)`):
    /// words joined by `&`, a prefix as `word:*`, a phrase with `<->`.
    pub fn tsquery(&self) -> String {
        self.terms
            .iter()
            .map(|t| match t {
                Term::Word { word, prefix: true } => format!("{word}:*"),
                Term::Word { word, prefix: false } => word.clone(),
                Term::Phrase(ws) => format!("({})", ws.join(" <-> ")),
            })
            .collect::<Vec<_>>()
            .join(" & ")
    }

    /// Whether a folded word is one the query looks for.
    fn wants(&self, w: &str) -> bool {
        self.terms.iter().any(|t| match t {
            Term::Word { word, prefix } => w == word || (*prefix && w.starts_with(word.as_str())),
            Term::Phrase(ws) => ws.iter().any(|x| x == w),
        })
    }

    /// Whether every term is found in a text (for ranking titles first).
    pub fn all_in(&self, text: &str) -> bool {
        let folded = fold(text);
        let ws: Vec<&str> = folded.split(' ').collect();
        self.terms.iter().all(|t| match t {
            Term::Word { word, prefix } => ws.iter().any(|w| w == word || (*prefix && w.starts_with(word.as_str()))),
            Term::Phrase(p) => ws.windows(p.len()).any(|win| win.iter().zip(p).all(|(a, b)| a == b)),
        })
    }

    /// How much a record's code and title add to the database's own score (BM25 or
    /// `ts_rank`, at most a few points): an exact code ranks first, then a title holding every
    /// term, then the rest by their text.
    pub fn boost(&self, code: &str, title: &str) -> f64 {
        let code = fold_code(code);
        let mut b = 0.0;
        if !code.is_empty() && self.codes.contains(&code) {
            b += 100.0;
        }
        if self.all_in(title) {
            b += 10.0;
            if fold(title) == self.terms.iter().map(term_text).collect::<Vec<_>>().join(" ") {
                b += 5.0;
            }
        }
        b
    }
}

fn term_text(t: &Term) -> String {
    match t {
        Term::Word { word, .. } => word.clone(),
        Term::Phrase(ws) => ws.join(" "),
    }
}

/// HTML-escape text.
fn escape(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// A passage of `text` of about `width` characters around the first word the query looks for,
/// HTML-escaped, each such word in `<mark>…</mark>`, with `…` where it is cut. Text with no
/// such word gives its beginning.
pub fn snippet(text: &str, q: &Query, width: usize) -> String {
    // The words of the text with their character positions, as written.
    let chars: Vec<char> = text.chars().collect();
    let mut spans: Vec<(usize, usize)> = Vec::new();
    let mut start = None;
    for (i, c) in chars.iter().enumerate() {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                spans.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        spans.push((s, chars.len()));
    }
    let hits: Vec<(usize, usize)> = spans
        .into_iter()
        .filter(|(a, b)| {
            let w: String = chars[*a..*b].iter().collect();
            words(&w).iter().any(|x| q.wants(x))
        })
        .collect();
    let first = hits.first().map(|h| h.0).unwrap_or(0);
    let from = if chars.len() <= width { 0 } else { first.saturating_sub(width / 4).min(chars.len().saturating_sub(width)) };
    // Begin and end at word boundaries.
    let mut from = from;
    while from > 0 && from < chars.len() && chars[from - 1].is_alphanumeric() {
        from -= 1;
    }
    let mut to = (from + width).min(chars.len());
    while to < chars.len() && chars[to].is_alphanumeric() {
        to += 1;
    }
    let mut out = String::new();
    if from > 0 {
        out.push('…');
    }
    let mut at = from;
    for (a, b) in hits.into_iter().filter(|(a, b)| *a >= from && *b <= to) {
        escape(&chars[at..a].iter().collect::<String>(), &mut out);
        out.push_str("<mark>");
        escape(&chars[a..b].iter().collect::<String>(), &mut out);
        out.push_str("</mark>");
        at = b;
    }
    escape(&chars[at..to].iter().collect::<String>(), &mut out);
    if to < chars.len() {
        out.push('…');
    }
    // Line breaks and runs of spaces as one space.
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn q(s: &str) -> Query {
        parse(s, false).unwrap()
    }

    /// Whether a query finds a text, by the same folded words the index holds.
    fn finds(query: &str, text: &str) -> bool {
        q(query).all_in(text)
    }

    #[test]
    fn scripts_and_diacritics_meet_in_both_directions() {
        let table = [
            ("odbrana", "Министарство одбране", false), // another word form: stemming is the backend's
            ("odbrane", "Министарство одбране", true),
            ("одбране", "Ministarstvo odbrane", true),
            ("Kovacica", "Ковачица", true),
            ("Kovacica", "Kovačica", true),
            ("Ковачица", "Kovacica", true),
            ("djordje", "Ђорђе", true),
            ("Đorđe", "Djordje", true),
            ("ЋУРЧИЋ", "Ćurčić", true),
            ("NCO", "the nco academy", true),
            ("Muller", "Müller", true),
            ("kibernetička", "кибернетичка одбрана", true),
            ("кибер", "cyber", false),
        ];
        for (query, text, expected) in table {
            assert_eq!(finds(query, text), expected, "{query:?} in {text:?}");
        }
    }

    #[test]
    fn prefixes_phrases_and_codes() {
        assert!(q("кибер*").all_in("кибернетичка одбрана"));
        assert!(parse("kiber", true).unwrap().all_in("Kibernetička odbrana"), "as one types, the last word is a prefix");
        assert!(!parse("kiber ", true).unwrap().all_in("Kibernetička odbrana"), "a space ends the word");
        assert!(q("\"odbrana zemlje\"").all_in("Odbrana zemlje i mir"));
        assert!(!q("\"zemlje odbrana\"").all_in("Odbrana zemlje i mir"), "a phrase keeps its order");
        let c = q("PG-17 2.3.1");
        assert_eq!(c.codes, vec!["pg-17", "2.3.1"]);
        assert_eq!(c.terms, vec![Term::Phrase(vec!["pg".into(), "17".into()]), Term::Phrase(vec!["2".into(), "3".into(), "1".into()])]);
        assert!(c.boost("PG-17", "Anything") >= 100.0);
        assert_eq!(q("PG-17").boost("PG-170", "Other"), 0.0, "a code matches exactly");
        assert!(q("odbrana").boost("1.1", "Odbrana") > q("odbrana").boost("1.2", "Odbrana zemlje"), "an exact title first");
        assert!(q("odbrana").boost("1.2", "Odbrana zemlje") > q("odbrana").boost("1.3", "Mir"));
    }

    #[test]
    fn the_databases_query_languages_never_see_syntax() {
        for hostile in ["NEAR(a b)", "a OR b", "x:y", "-minus", "\"", "***", "a\"b", "col:*", "(", "')--", "a & b | !c", "<->"] {
            match parse(hostile, false) {
                Ok(p) => {
                    let (f, t) = (p.fts5(), p.tsquery());
                    // Every word is quoted for FTS5, and holds only letters and digits.
                    for term in &p.terms {
                        let ws = match term {
                            Term::Word { word, .. } => vec![word.clone()],
                            Term::Phrase(ws) => ws.clone(),
                        };
                        assert!(ws.iter().all(|w| w.chars().all(char::is_alphanumeric)), "{hostile:?} → {ws:?}");
                    }
                    assert!(!f.contains("NEAR(") && f.matches('"').count() % 2 == 0, "{hostile:?} → {f}");
                    assert!(!t.contains('!') && !t.contains('|') && !t.contains('\''), "{hostile:?} → {t}");
                }
                Err(e) => assert_eq!(e.0[0].code, "required", "{hostile:?}"),
            }
        }
        // `NEAR(a` is one token: its words are looked for together, as in `e-mail`.
        assert_eq!(q("NEAR(a b)").fts5(), "\"near a\" AND \"b\"");
        assert_eq!(q("a OR b").tsquery(), "a & or & b");
        assert_eq!(q("kiber* \"odbrana zemlje\"").tsquery(), "kiber:* & (odbrana <-> zemlje)");
    }

    #[test]
    fn bad_queries_are_named() {
        assert_eq!(parse("", false).unwrap_err().0[0].code, "required");
        assert_eq!(parse("  \" \" ** ", false).unwrap_err().0[0].code, "required");
        assert_eq!(parse(&"a".repeat(10_000), false).unwrap_err().0[0].code, "too_long");
        assert_eq!(parse(&"ab ".repeat(20), false).unwrap_err().0[0].code, "too_many");
        assert_eq!(q("\"unbalanced quote here").terms, vec![Term::Phrase(vec!["unbalanced".into(), "quote".into(), "here".into()])]);
    }

    #[test]
    fn snippets_mark_matches_and_escape_everything_else() {
        let s = snippet("Obuka <script>alert(1)</script> u Kovačici & okolini", &q("kovacici"), 200);
        assert_eq!(s, "Obuka &lt;script&gt;alert(1)&lt;/script&gt; u <mark>Kovačici</mark> &amp; okolini");
        let cyr = snippet("Обука у Ковачици", &q("kovacici"), 200);
        assert_eq!(cyr, "Обука у <mark>Ковачици</mark>");
        let long = format!("{} odbrana {}", "reč ".repeat(100), "kraj ".repeat(100));
        let s = snippet(&long, &q("odbrana"), 60);
        assert!(s.starts_with('…') && s.ends_with('…') && s.contains("<mark>odbrana</mark>"), "{s}");
        assert!(s.chars().count() < 90, "{s}");
        assert_eq!(snippet("Nothing here", &q("absent"), 5), "Nothing…");
        let p = snippet("Kibernetička odbrana", &parse("kiber", true).unwrap(), 100);
        assert_eq!(p, "<mark>Kibernetička</mark> odbrana");
    }
}
