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

use crate::activity::Activity;
use crate::assistance::{AssistanceOffer, AssistanceRequest};
use crate::attachment::Attachment;
use crate::comment::Comment;
use crate::decision::Decision;
use crate::indicator::Indicator;
use crate::item::Item;
use crate::marking::Marking;
use crate::organisation::Organisation;
use crate::progress::ProgressUpdate;
use crate::story::Story;
use crate::text::Text;
use crate::translit::normalise_for_search;
use crate::validation::ValidationErrors;
use crate::{ItemId, OrganisationId, PlanId};
use chrono::NaiveDate;

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

    /// Whether a text holds any word the query looks for (to choose what a snippet quotes).
    pub fn mentions(&self, text: &str) -> bool {
        words(text).iter().any(|w| self.wants(w))
    }

    /// Whether every term is found in a text (for ranking titles first).
    pub fn all_in(&self, text: &str) -> bool {
        self.all_in_folded(&fold(text))
    }

    /// [`Query::all_in`] of a text already folded (as the index keeps it).
    pub fn all_in_folded(&self, folded: &str) -> bool {
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

impl Query {
    /// [`Query::boost`] from what the index keeps: the folded code and the folded code and
    /// titles (no folding at query time, for the thousand best matches ranked per query).
    pub fn boost_folded(&self, code_folded: &str, title_folded: &str) -> f64 {
        let mut b = 0.0;
        if !code_folded.is_empty() && self.codes.iter().any(|c| c == code_folded) {
            b += 100.0;
        }
        if self.all_in_folded(title_folded) {
            b += 10.0;
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

// ---- What the index holds of each record ----

/// One record as the index holds it: where it is (for the access policy, applied in SQL on
/// these same columns), what it is called, and its text.
#[derive(Clone, Debug, PartialEq)]
pub struct Doc {
    pub kind: Kind,
    pub id: uuid::Uuid,
    /// The plan it is of (none for organisations, which every signed-in reader sees).
    pub plan: Option<PlanId>,
    /// The item it belongs to, whose marking also applies (indicators, reports, comments).
    pub item: Option<ItemId>,
    pub marking: Option<Marking>,
    /// The Ally scope of an offer: its owner and whom it is shared with.
    pub owner: Option<(OrganisationId, Vec<OrganisationId>)>,
    pub code: String,
    pub title: Text,
    /// Everything else searchable, as written (snippets are cut from it).
    pub body: String,
    /// The record's status or state code (`in_progress`, `approved`, `published`…).
    pub status: String,
    pub areas: Vec<String>,
    /// The day the record is about (an activity's first day, a decision's date) or else was
    /// last changed: what `from`/`to` select on.
    pub day: NaiveDate,
}

/// The most characters of a record's text the index keeps (an evidence file's text is cut).
pub const MAX_BODY_CHARS: usize = 200_000;

/// The kinds the public portal's search finds, and the one status each must have (stories:
/// only published ones). Everything else is never found on the portal.
pub const ON_PORTAL: &[(Kind, Option<&str>)] = &[(Kind::Item, None), (Kind::Activity, None), (Kind::Story, Some("published"))];

fn all_of(t: &Text) -> String {
    t.0.values().map(String::as_str).collect::<Vec<_>>().join("\n")
}

fn joined(parts: &[&str]) -> String {
    let mut s: String = parts.iter().filter(|p| !p.trim().is_empty()).copied().collect::<Vec<_>>().join("\n");
    if s.chars().count() > MAX_BODY_CHARS {
        s = s.chars().take(MAX_BODY_CHARS).collect();
    }
    s
}

/// A title that is the item's with something after it, in every language it has.
fn item_title_with(item: &Item, suffix: &str) -> Text {
    let mut t = item.title.clone();
    for v in t.0.values_mut() {
        v.push_str(suffix);
    }
    t
}

impl Doc {
    fn base(kind: Kind, id: uuid::Uuid, plan: PlanId, marking: &Marking, title: Text, day: NaiveDate) -> Doc {
        Doc {
            kind,
            id,
            plan: Some(plan),
            item: None,
            marking: Some(marking.clone()),
            owner: None,
            code: String::new(),
            title,
            body: String::new(),
            status: String::new(),
            areas: Vec::new(),
            day,
        }
    }

    pub fn item(i: &Item) -> Doc {
        Doc {
            code: i.code.clone(),
            body: joined(&[&all_of(&i.description)]),
            status: i.status.code().to_string(),
            areas: i.areas.clone(),
            ..Doc::base(Kind::Item, i.id.uuid(), i.plan, &i.marking, i.title.clone(), i.updated_at.date_naive())
        }
    }

    pub fn indicator(x: &Indicator, item: &Item) -> Doc {
        Doc {
            item: Some(item.id),
            marking: None,
            code: item.code.clone(),
            body: joined(&[&x.unit]),
            areas: item.areas.clone(),
            ..Doc::base(Kind::Indicator, x.id.uuid(), x.plan, &item.marking, x.name.clone(), x.updated_at.date_naive())
        }
    }

    pub fn report(u: &ProgressUpdate, item: &Item) -> Doc {
        Doc {
            item: Some(item.id),
            code: item.code.clone(),
            body: joined(&[&u.narrative, u.reason.as_deref().unwrap_or("")]),
            status: u.state.code().to_string(),
            areas: item.areas.clone(),
            ..Doc::base(Kind::Report, u.id.uuid(), u.plan, &u.marking, item_title_with(item, &format!(" — {}", u.period)), u.updated_at.date_naive())
        }
    }

    pub fn comment(c: &Comment, item: &Item) -> Doc {
        Doc {
            item: Some(item.id),
            code: item.code.clone(),
            body: joined(&[&c.body, &c.author_name]),
            areas: item.areas.clone(),
            ..Doc::base(Kind::Comment, c.id.uuid(), c.plan, &c.marking, item.title.clone(), c.created_at.date_naive())
        }
    }

    pub fn request(r: &AssistanceRequest) -> Doc {
        Doc {
            body: joined(&[&r.need]),
            status: r.state.code().to_string(),
            ..Doc::base(Kind::Request, r.id.uuid(), r.plan, &r.marking, r.title.clone(), r.updated_at.date_naive())
        }
    }

    pub fn offer(o: &AssistanceOffer) -> Doc {
        Doc {
            owner: Some((o.offered_by, o.shared_with.clone())),
            body: joined(&[&o.description, o.reason.as_deref().unwrap_or("")]),
            status: o.state.code().to_string(),
            ..Doc::base(Kind::Offer, o.id.uuid(), o.plan, &o.marking, o.title.clone(), o.updated_at.date_naive())
        }
    }

    pub fn activity(a: &Activity) -> Doc {
        Doc {
            code: a.catalogue_ref.clone(),
            body: joined(&[&a.place, &a.description, &a.outcome, &a.feedback]),
            status: a.kind.code().to_string(),
            ..Doc::base(Kind::Activity, a.id.uuid(), a.plan, &a.marking, a.title.clone(), a.dates.start)
        }
    }

    pub fn story(s: &Story) -> Doc {
        let day = s.published_at.unwrap_or(s.updated_at).date_naive();
        Doc {
            body: joined(&[&s.summary, &s.body]),
            status: s.state.code().to_string(),
            ..Doc::base(Kind::Story, s.id.uuid(), s.plan, &s.marking, Text::new(&s.language, &s.title), day)
        }
    }

    pub fn decision(d: &Decision) -> Doc {
        let body = all_of(&d.body);
        let title = if d.reference.trim().is_empty() { body.chars().take(80).collect() } else { d.reference.clone() };
        Doc {
            code: d.reference.clone(),
            body: joined(&[&body, &all_of(&d.note)]),
            status: d.kind.code().to_string(),
            ..Doc::base(Kind::Decision, d.id.uuid(), d.plan, &d.marking, Text::new("en", &title), d.date)
        }
    }

    pub fn organisation(o: &Organisation) -> Doc {
        Doc {
            kind: Kind::Organisation,
            id: o.id.uuid(),
            plan: None,
            item: None,
            marking: None,
            owner: None,
            code: o.short_name.clone(),
            title: o.name.clone(),
            body: joined(&[&o.short_name, o.country.as_deref().unwrap_or(""), o.iati_ref.as_deref().unwrap_or("")]),
            status: o.kind.code().to_string(),
            areas: Vec::new(),
            day: o.updated_at.date_naive(),
        }
    }

    /// An evidence file with the text read from it (empty where none could be read).
    pub fn evidence(a: &Attachment, text: &str) -> Doc {
        Doc {
            body: joined(&[&a.name, text]),
            ..Doc::base(Kind::Evidence, a.id.uuid(), a.plan, &a.marking, Text::new("en", &a.name), a.created_at.date_naive())
        }
    }
}

// ---- What is asked and what is answered ----

/// The most hits a page holds, and the default.
pub const MAX_LIMIT: u32 = 100;
pub const DEFAULT_LIMIT: u32 = 20;
/// How many of the best matches are ranked and paged through (more are counted, not ranked).
pub const RANKED: u32 = 1_000;

/// A search as asked: the query and its filters, each already checked.
#[derive(Clone, Debug, PartialEq)]
pub struct Search {
    pub query: Query,
    pub plan: Option<PlanId>,
    pub kinds: Vec<Kind>,
    pub status: Option<String>,
    pub area: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub limit: u32,
    /// How many ranked hits come before this page.
    pub offset: u32,
}

/// A search's parameters as they arrive (from a query string).
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SearchParams {
    #[serde(default)]
    pub q: String,
    pub plan: Option<String>,
    /// One kind, or several separated by commas.
    pub kind: Option<String>,
    pub status: Option<String>,
    pub area: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub limit: Option<String>,
    pub cursor: Option<String>,
    /// `1`: the last word is a prefix (as one types).
    pub prefix: Option<String>,
    /// The language of titles and snippets (`en`, `sr-Cyrl`, `sr-Latn`).
    pub lang: Option<String>,
}

fn short_code(v: &str) -> bool {
    !v.is_empty() && v.len() <= 64 && v.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

impl SearchParams {
    /// Check every parameter; all problems are answered at once.
    pub fn check(&self) -> Result<Search, ValidationErrors> {
        let mut p = crate::Problems::new();
        let prefix = match self.prefix.as_deref() {
            None | Some("" | "0" | "false") => false,
            Some("1" | "true") => true,
            Some(_) => {
                p.coded("prefix", "invalid", &[]);
                false
            }
        };
        let query = match parse(&self.q, prefix) {
            Ok(q) => Some(q),
            Err(e) => {
                e.0.into_iter().for_each(|x| p.push(x));
                None
            }
        };
        let plan = match self.plan.as_deref().filter(|s| !s.is_empty()) {
            None => None,
            Some(s) => match uuid::Uuid::try_parse(s) {
                Ok(u) => Some(PlanId(u)),
                Err(_) => {
                    p.coded("plan", "invalid", &[]);
                    None
                }
            },
        };
        let mut kinds = Vec::new();
        for k in self.kind.as_deref().unwrap_or("").split(',').map(str::trim).filter(|k| !k.is_empty()) {
            match Kind::parse(k) {
                Some(k) if !kinds.contains(&k) => kinds.push(k),
                Some(_) => {}
                None => {
                    let known = Kind::ALL.iter().map(|k| k.code()).collect::<Vec<_>>().join(", ");
                    p.coded("kind", "unknown", &[("known", &known)]);
                }
            }
        }
        let code = |field: &str, v: &Option<String>, p: &mut crate::Problems| match v.as_deref().filter(|s| !s.is_empty()) {
            None => None,
            Some(s) if short_code(s) => Some(s.to_string()),
            Some(_) => {
                p.coded(field, "invalid", &[]);
                None
            }
        };
        let status = code("status", &self.status, &mut p);
        let area = code("area", &self.area, &mut p);
        let day = |field: &str, v: &Option<String>, p: &mut crate::Problems| match v.as_deref().filter(|s| !s.is_empty()) {
            None => None,
            Some(s) => match NaiveDate::parse_from_str(s, "%Y-%m-%d") {
                Ok(d) => Some(d),
                Err(_) => {
                    p.coded(field, "date", &[]);
                    None
                }
            },
        };
        let from = day("from", &self.from, &mut p);
        let to = day("to", &self.to, &mut p);
        if let (Some(f), Some(t)) = (from, to)
            && f > t
        {
            p.coded("to", "before_from", &[]);
        }
        let limit = match self.limit.as_deref().filter(|s| !s.is_empty()) {
            None => DEFAULT_LIMIT,
            Some(s) => match s.parse::<u32>() {
                Ok(n) if (1..=MAX_LIMIT).contains(&n) => n,
                _ => {
                    let max = MAX_LIMIT.to_string();
                    p.coded("limit", "range", &[("min", "1"), ("max", &max)]);
                    DEFAULT_LIMIT
                }
            },
        };
        let offset = match self.cursor.as_deref().filter(|s| !s.is_empty()) {
            None => 0,
            Some(s) => match s.strip_prefix('o').and_then(|n| n.parse::<u32>().ok()) {
                Some(n) if n < RANKED => n,
                _ => {
                    p.coded("cursor", "invalid", &[]);
                    0
                }
            },
        };
        p.finish()?;
        let query = query.ok_or_else(|| ValidationErrors::coded("q", "required", &[]))?;
        Ok(Search { query, plan, kinds, status, area, from, to, limit, offset })
    }
}

/// The cursor of the page after `offset + limit` hits.
pub fn cursor_after(offset: u32, limit: u32) -> String {
    format!("o{}", offset + limit)
}

/// One hit, as answered.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Hit {
    pub kind: Kind,
    pub id: uuid::Uuid,
    /// The plan it is of; none for an organisation.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub plan: Option<PlanId>,
    /// The item it belongs to (indicators, reports, comments).
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub item: Option<ItemId>,
    pub code: String,
    pub title: String,
    /// HTML: the matched words in `<mark>`, everything else escaped.
    pub snippet: String,
    pub status: String,
    /// The marking the hit is shown under (the record's, with its item's); none for
    /// organisations.
    pub marking: Option<Marking>,
    pub score: f64,
}

/// Counts of every hit (not only those on the page), by kind, plan and status.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Facets {
    pub kind: std::collections::BTreeMap<String, u64>,
    pub plan: std::collections::BTreeMap<String, u64>,
    pub status: std::collections::BTreeMap<String, u64>,
}

/// A page of hits.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Results {
    pub hits: Vec<Hit>,
    pub facets: Facets,
    /// How many records match in all.
    pub total: u64,
    pub next_cursor: Option<String>,
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

    fn params(pairs: &[(&str, &str)]) -> SearchParams {
        let mut p = SearchParams { q: "a".into(), ..SearchParams::default() };
        for (k, v) in pairs {
            if *k == "q" {
                p.q = v.to_string();
                continue;
            }
            let v = Some(v.to_string());
            match *k {
                "plan" => p.plan = v,
                "kind" => p.kind = v,
                "status" => p.status = v,
                "area" => p.area = v,
                "from" => p.from = v,
                "to" => p.to = v,
                "limit" => p.limit = v,
                "cursor" => p.cursor = v,
                "prefix" => p.prefix = v,
                _ => panic!("{k}"),
            }
        }
        p
    }

    #[test]
    fn search_parameters_are_checked_and_every_problem_named_at_once() {
        let ok = params(&[("kind", "item, report,item"), ("limit", "5"), ("cursor", "o10"), ("from", "2025-01-01"), ("to", "2025-12-31"), ("prefix", "1")])
            .check()
            .unwrap();
        assert_eq!(ok.kinds, vec![Kind::Item, Kind::Report], "listed once each");
        assert_eq!((ok.limit, ok.offset), (5, 10));
        assert_eq!(ok.query.terms, vec![Term::Word { word: "a".into(), prefix: true }]);
        assert_eq!(cursor_after(ok.offset, ok.limit), "o15");
        let bad = params(&[("q", ""), ("kind", "item,bogus"), ("limit", "101"), ("cursor", "o99999"), ("from", "2025-02-30"), ("plan", "x"), ("area", "a b")])
            .check()
            .unwrap_err();
        let fields: Vec<(&str, &str)> = bad.0.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect();
        assert_eq!(
            fields,
            [("q", "required"), ("plan", "invalid"), ("kind", "unknown"), ("area", "invalid"), ("from", "date"), ("limit", "range"), ("cursor", "invalid")]
        );
        let order = params(&[("from", "2025-02-01"), ("to", "2025-01-31")]).check().unwrap_err();
        assert!(order.has("to"));
    }

    #[test]
    fn boosts_from_the_folded_index_agree_with_boosts_from_the_text() {
        let query = q("PG-17 police");
        let (code, title) = ("PG-17", "Military police");
        let folded = fold(&format!("{code} {title}"));
        assert_eq!(query.boost_folded(&fold_code(code), &folded), 110.0);
        assert_eq!(query.boost(code, &format!("{code} {title}")), 110.0);
        assert_eq!(query.boost_folded("pg-18", &fold("PG-18 police")), 0.0, "the code and `17` are not in it");
        assert!(query.mentions("The police reform") && !query.mentions("Nothing"));
    }
}
