//! The public portal under `/public/`, for anybody: each published plan's page, its public
//! items and progress, its published stories with photos, its public activities, an Atom feed
//! per language, an iCalendar feed, and a sitemap. Everything is read through the portal's read
//! model, which sees only records marked `public` of published plans. Answers carry an `ETag`
//! of their content and a `Last-Modified`, and answer 304 to a matching `If-None-Match`.

use super::charts::percent_bars;
use super::markdown::to_safe_html;
use super::{render, urlencode};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use liaison_app::AppError;
use liaison_domain::story::Story;
use liaison_domain::text::{Text, UiLang};
use liaison_domain::translit::cyrillic_to_latin;
use liaison_domain::{PlanId, StoryId, Timestamp};
use liaison_i18n::Tr;
use serde::Deserialize;
use sha2::{Digest, Sha256};

#[derive(Deserialize, Default)]
pub struct LangParam {
    #[serde(default)]
    pub lang: String,
}

/// The public pages' frame: language, links to the same page in the other languages, and what
/// a shared link shows (Open Graph).
#[derive(Clone)]
pub struct PublicBase {
    pub tr: Tr,
    pub lang: UiLang,
    pub path: String,
    /// The request's query parameters other than `lang`, encoded and ending in `&` (empty
    /// when there are none), so that switching the language keeps a search's words.
    pub keep: String,
    pub title: String,
    pub description: String,
    pub image: Option<String>,
    pub og_type: String,
    pub atom: Option<String>,
    pub site: String,
}

impl PublicBase {
    pub fn t(&self, key: &str) -> String {
        self.tr.get(key)
    }
    pub fn lang_tag(&self) -> &'static str {
        self.lang.tag()
    }
    pub fn lang_href(&self, tag: &str) -> String {
        format!("{}?{}lang={tag}", self.path, self.keep)
    }
    pub fn text(&self, t: &Text) -> String {
        t.show(self.lang)
    }
    pub fn text_lang(&self, t: &Text) -> String {
        t.resolve(self.lang).map(|r| r.lang.to_string()).unwrap_or_else(|| self.lang.tag().to_string())
    }
    /// A story's own text, in the reader's Serbian script where it is Serbian.
    pub fn story_text(&self, s: &Story, v: &str) -> String {
        in_script(&s.language, self.lang, v)
    }
    /// The `lang` attribute of a story's text.
    pub fn story_lang(&self, s: &Story) -> &'static str {
        match (s.language.as_str(), self.lang) {
            ("sr", UiLang::SrLatn) => "sr-Latn",
            ("sr", _) => "sr-Cyrl",
            _ => "en",
        }
    }
    /// A Markdown text as a short plain description (for `<meta name="description">`).
    fn plain_summary(&self, t: &Text) -> String {
        self.text(t).chars().filter(|c| !matches!(c, '*' | '_' | '#' | '`')).take(200).collect()
    }
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.site)
    }
    pub fn status(&self, s: &liaison_domain::item::ItemStatus) -> String {
        self.t(&format!("status-{}", s.code()))
    }
    pub fn og_locale(&self) -> &'static str {
        match self.lang {
            UiLang::En => "en_GB",
            UiLang::SrCyrl => "sr_RS",
            UiLang::SrLatn => "sr_RS",
        }
    }
}

/// The language stories are written in for readers of `lang` (Serbian in either script).
fn story_language(lang: UiLang) -> &'static str {
    if lang == UiLang::En { "en" } else { "sr" }
}

/// A story's text in the reader's script: Serbian (stored in Cyrillic) in Latin when asked for.
fn in_script(story_language: &str, lang: UiLang, v: &str) -> String {
    if story_language == "sr" && lang == UiLang::SrLatn { cyrillic_to_latin(v) } else { v.to_string() }
}

/// Events still to come (soonest first) and those past (latest first).
fn upcoming_and_past(
    activities: &[liaison_domain::activity::Activity],
    today: chrono::NaiveDate,
) -> (Vec<liaison_domain::activity::Activity>, Vec<liaison_domain::activity::Activity>) {
    let (upcoming, mut past): (Vec<_>, Vec<_>) = activities.iter().cloned().partition(|a| a.dates.end >= today);
    past.reverse();
    (upcoming, past)
}

/// `query` without its `lang`, re-encoded, ending in `&` when anything is left.
fn kept_query(query: &str) -> String {
    let mut out = form_urlencoded::Serializer::new(String::new());
    let mut any = false;
    for (k, v) in form_urlencoded::parse(query.as_bytes()).filter(|(k, _)| k != "lang") {
        out.append_pair(&k, &v);
        any = true;
    }
    if any { out.finish() + "&" } else { String::new() }
}

pub(crate) fn public_base(parts: &Parts, state: &AppState, q: &LangParam, title: String) -> PublicBase {
    let lang = UiLang::parse(&q.lang).unwrap_or_else(|| super::language(parts));
    PublicBase {
        tr: Tr { lang },
        lang,
        path: parts.uri.path().to_string(),
        keep: kept_query(parts.uri.query().unwrap_or("")),
        title,
        description: String::new(),
        image: None,
        og_type: "website".into(),
        atom: None,
        site: state.cfg.public_url.trim_end_matches('/').to_string(),
    }
}

/// A public answer: cacheable, with an ETag of its content and 304 when the client has it.
fn cacheable(headers: &HeaderMap, body: Vec<u8>, content_type: &'static str, modified: Option<Timestamp>) -> Response {
    let etag = format!("\"{}\"", &hex::encode(Sha256::digest(&body))[..32]);
    let matches = headers.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()).is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    let mut r = if matches { StatusCode::NOT_MODIFIED.into_response() } else { body.into_response() };
    let h = r.headers_mut();
    if !matches {
        h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    }
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    if let Some(m) = modified
        && let Ok(v) = HeaderValue::from_str(&m.format("%a, %d %b %Y %H:%M:%S GMT").to_string())
    {
        h.insert(header::LAST_MODIFIED, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=60"));
    h.insert(header::VARY, HeaderValue::from_static("Accept-Language, Cookie"));
    r
}

fn html<T: Template>(headers: &HeaderMap, t: &T, modified: Option<Timestamp>) -> Response {
    match t.render() {
        Ok(s) => cacheable(headers, s.into_bytes(), "text/html; charset=utf-8", modified),
        Err(_) => render(t),
    }
}

fn not_found(base: PublicBase) -> Response {
    let mut r = render(&PublicMessage { heading: base.t("error-not-found-title"), message: base.t("error-not-found-body"), base });
    *r.status_mut() = StatusCode::NOT_FOUND;
    r
}

fn fail(base: PublicBase, e: AppError) -> Response {
    match e {
        AppError::NotFound => not_found(base),
        other => {
            tracing::error!(error = %other, "public page failed");
            let mut r = render(&PublicMessage { heading: base.t("error-internal-title"), message: base.t("error-internal-body"), base });
            *r.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
            r
        }
    }
}

#[derive(Template)]
#[template(path = "public_message.html")]
struct PublicMessage {
    base: PublicBase,
    heading: String,
    message: String,
}

fn plan_id(s: &str) -> Option<PlanId> {
    uuid::Uuid::try_parse(s).ok().map(PlanId)
}

/// A published plan's public overview, or the page that says there is none.
async fn overview_of(s: &AppState, base: &PublicBase, id: &str) -> Result<(PlanId, std::sync::Arc<liaison_app::portal::Overview>), Response> {
    let Some(pid) = plan_id(id) else { return Err(not_found(base.clone())) };
    liaison_app::portal::overview(&s.app, pid).await.map(|o| (pid, o)).map_err(|e| fail(base.clone(), e))
}

// ---- The index ----

#[derive(Template)]
#[template(path = "public_index.html")]
struct IndexPage {
    base: PublicBase,
    plans: Vec<liaison_domain::portal::Portal>,
}

pub async fn index(State(s): State<AppState>, parts: Parts, Query(q): Query<LangParam>) -> Response {
    let mut base = public_base(&parts, &s, &q, String::new());
    base.title = base.t("public-title");
    match liaison_app::portal::plans(&s.app).await {
        Ok(plans) => {
            let modified = plans.iter().map(|p| p.updated_at).max();
            html(&parts.headers, &IndexPage { base, plans }, modified)
        }
        Err(e) => fail(base, e),
    }
}

// ---- A plan ----

pub struct PublicItem {
    pub code: String,
    pub title: Text,
    pub depth: u8,
    pub status: liaison_domain::item::ItemStatus,
    pub due: String,
    pub progress: String,
}

#[derive(Template)]
#[template(path = "public_plan.html")]
struct PlanPage {
    base: PublicBase,
    plan: PlanId,
    portal: liaison_domain::portal::Portal,
    summary_html: String,
    chart: String,
    items: Vec<PublicItem>,
    by_status: Vec<(String, String, u64)>,
    stories: Vec<Story>,
    upcoming: Vec<liaison_domain::activity::Activity>,
    past: Vec<liaison_domain::activity::Activity>,
}

pub async fn plan(State(s): State<AppState>, parts: Parts, Path(id): Path<String>, Query(q): Query<LangParam>) -> Response {
    let mut base = public_base(&parts, &s, &q, String::new());
    let (pid, o) = match overview_of(&s, &base, &id).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let areas = liaison_app::portal::area_names(&s.app).await.unwrap_or_default();
    base.title = base.text(&o.portal.title);
    base.description = base.plain_summary(&o.portal.summary);
    base.atom = Some(format!("/public/plans/{pid}/feed.atom?lang={}", base.lang_tag()));
    let rows: Vec<(String, f64)> = o.progress_by_area.iter().map(|(a, p)| (areas.get(a).map(|t| base.text(t)).unwrap_or_else(|| a.clone()), *p)).collect();
    let chart = percent_bars(&base.t("chart-progress-by-area"), &rows);
    let today = s.app.now().date_naive();
    let mut stories: Vec<Story> = o.stories.iter().filter(|x| x.language == story_language(base.lang)).cloned().collect();
    if stories.is_empty() {
        stories = o.stories.clone();
    }
    stories.truncate(6);
    // A shared link to the plan shows the newest story's photo.
    base.image = stories.iter().find_map(|x| x.photos.first()).map(|p| base.url(&format!("/public/photos/{}/web", p.id)));
    let items = o
        .items
        .iter()
        .map(|i| PublicItem {
            code: i.code.clone(),
            title: i.title.clone(),
            depth: i.depth,
            status: i.status,
            due: match i.due {
                None => String::new(),
                Some(liaison_domain::due::Due::Continuous) => base.t("due-continuous"),
                Some(d) => d.to_string(),
            },
            progress: o.progress_of.get(&i.id).map(|p| format!("{} %", p.round())).unwrap_or_default(),
        })
        .collect();
    let by_status = liaison_domain::item::ItemStatus::ALL
        .iter()
        .filter_map(|st| o.by_status.get(st.code()).map(|n| (st.code().to_string(), base.status(st), *n)))
        .collect();
    let (upcoming, past) = upcoming_and_past(&o.activities, today);
    let summary_html = to_safe_html(&base.text(&o.portal.summary));
    html(
        &parts.headers,
        &PlanPage { base, plan: pid, summary_html, chart, items, by_status, stories, upcoming, past, portal: o.portal.clone() },
        Some(o.modified),
    )
}

// ---- Stories ----

#[derive(Template)]
#[template(path = "public_stories.html")]
struct StoriesPage {
    base: PublicBase,
    plan: PlanId,
    portal_title: String,
    stories: Vec<Story>,
}

pub async fn stories(State(s): State<AppState>, parts: Parts, Path(id): Path<String>, Query(q): Query<LangParam>) -> Response {
    let mut base = public_base(&parts, &s, &q, String::new());
    let (pid, o) = match overview_of(&s, &base, &id).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let (portal, list) = (o.portal.clone(), o.stories.clone());
    let portal_title = base.text(&portal.title);
    base.title = format!("{} — {}", base.t("public-stories"), portal_title);
    base.atom = Some(format!("/public/plans/{pid}/feed.atom?lang={}", base.lang_tag()));
    let modified = list.iter().filter_map(|x| x.published_at).max();
    html(&parts.headers, &StoriesPage { base, plan: pid, portal_title, stories: list }, modified)
}

#[derive(Template)]
#[template(path = "public_story.html")]
struct StoryPage {
    base: PublicBase,
    story: Story,
    body_html: String,
    portal_title: String,
    items: Vec<(String, Text)>,
    activities: Vec<liaison_domain::activity::Activity>,
}

pub async fn story(State(s): State<AppState>, parts: Parts, Path(id): Path<String>, Query(q): Query<LangParam>) -> Response {
    let mut base = public_base(&parts, &s, &q, String::new());
    let Some(sid) = uuid::Uuid::try_parse(&id).ok().map(StoryId) else { return not_found(base) };
    let (st, o) = match liaison_app::portal::story(&s.app, sid).await {
        Ok(x) => x,
        Err(e) => return fail(base, e),
    };
    base.title = base.story_text(&st, &st.title);
    base.description = base.story_text(&st, &st.summary);
    base.og_type = "article".into();
    base.image = st.photos.first().map(|p| base.url(&format!("/public/photos/{}/web", p.id)));
    base.atom = Some(format!("/public/plans/{}/feed.atom?lang={}", st.plan, base.lang_tag()));
    let body_html = to_safe_html(&base.story_text(&st, &st.body));
    let items = o.items.iter().filter(|i| st.items.contains(&i.id)).map(|i| (i.code.clone(), i.title.clone())).collect();
    let activities = o.activities.iter().filter(|a| st.activities.contains(&a.id)).cloned().collect();
    let modified = st.published_at;
    html(&parts.headers, &StoryPage { portal_title: base.text(&o.portal.title), base, body_html, items, activities, story: st }, modified)
}

// ---- Activities ----

#[derive(Template)]
#[template(path = "public_activities.html")]
struct ActivitiesPage {
    base: PublicBase,
    plan: PlanId,
    portal_title: String,
    upcoming: Vec<liaison_domain::activity::Activity>,
    past: Vec<liaison_domain::activity::Activity>,
}

pub async fn activities(State(s): State<AppState>, parts: Parts, Path(id): Path<String>, Query(q): Query<LangParam>) -> Response {
    let mut base = public_base(&parts, &s, &q, String::new());
    let (pid, o) = match overview_of(&s, &base, &id).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let portal_title = base.text(&o.portal.title);
    base.title = format!("{} — {}", base.t("public-activities"), portal_title);
    let today = s.app.now().date_naive();
    let (upcoming, past) = upcoming_and_past(&o.activities, today);
    html(&parts.headers, &ActivitiesPage { base, plan: pid, portal_title, upcoming, past }, Some(o.modified))
}

// ---- Photos and feeds ----

pub async fn photo(State(s): State<AppState>, headers: HeaderMap, Path((id, size)): Path<(String, String)>) -> Response {
    let (Some(size), Some(pid)) = (liaison_domain::story::PhotoSize::parse(&size), uuid::Uuid::try_parse(&id).ok().map(liaison_domain::PhotoId)) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    match liaison_app::portal::photo(&s.app, pid, size).await {
        Ok(bytes) => cacheable(&headers, bytes, "image/jpeg", None),
        Err(_) => StatusCode::NOT_FOUND.into_response(),
    }
}

/// The plan's stories as an Atom feed, one feed per language (`en`, `sr-Cyrl`, `sr-Latn`).
pub async fn atom(State(s): State<AppState>, parts: Parts, Path(id): Path<String>, Query(q): Query<LangParam>) -> Response {
    let lang = UiLang::parse(&q.lang).unwrap_or_default();
    let Some(pid) = plan_id(&id) else { return StatusCode::NOT_FOUND.into_response() };
    let Ok(o) = liaison_app::portal::overview(&s.app, pid).await else { return StatusCode::NOT_FOUND.into_response() };
    let (portal, list) = (&o.portal, &o.stories);
    let site = s.cfg.public_url.trim_end_matches('/');
    let code = story_language(lang);
    let shown = |v: &str| in_script(code, lang, v);
    let mine: Vec<&Story> = list.iter().filter(|x| x.language == code).collect();
    let updated = mine.iter().filter_map(|x| x.published_at).max().unwrap_or(portal.updated_at);
    let feed = liaison_interop::atom::Feed {
        lang: lang.tag().to_string(),
        title: portal.title.show(lang),
        id: format!("urn:uuid:{pid}:{}", lang.tag()),
        updated,
        self_url: format!("{site}/public/plans/{pid}/feed.atom?lang={}", lang.tag()),
        alternate_url: format!("{site}/public/plans/{pid}?lang={}", lang.tag()),
        author: portal.title.show(lang),
        entries: mine
            .iter()
            .map(|st| {
                let published = st.published_at.unwrap_or(st.updated_at);
                liaison_interop::atom::Entry {
                    title: shown(&st.title),
                    id: format!("urn:uuid:{}", st.id),
                    published,
                    updated: published.max(st.updated_at),
                    url: format!("{site}/public/stories/{}?lang={}", st.id, lang.tag()),
                    summary: shown(&st.summary),
                    content_html: to_safe_html(&shown(&st.body)),
                }
            })
            .collect(),
    };
    let x = liaison_interop::atom::feed(&feed);
    cacheable(&parts.headers, x.into_bytes(), "application/atom+xml; charset=utf-8", Some(updated))
}

pub async fn calendar(State(s): State<AppState>, parts: Parts, Path(id): Path<String>, Query(q): Query<LangParam>) -> Response {
    let lang = UiLang::parse(&q.lang).unwrap_or_default();
    let Some(pid) = plan_id(&id) else { return StatusCode::NOT_FOUND.into_response() };
    match liaison_app::portal::calendar(&s.app, pid, lang).await {
        Ok(body) => cacheable(&parts.headers, body.into_bytes(), "text/calendar; charset=utf-8", None),
        Err(_) => StatusCode::NOT_FOUND.into_response(),
    }
}

#[derive(Deserialize, Default)]
pub struct LevelParam {
    #[serde(default)]
    pub level: Option<String>,
}

/// The plan's public records as an IATI 2.03 activity file (open data about the partnership's
/// assistance), for plans on the portal.
pub async fn iati(State(s): State<AppState>, parts: Parts, Path(id): Path<String>, Query(q): Query<LevelParam>) -> Response {
    let Some(pid) = plan_id(&id) else { return StatusCode::NOT_FOUND.into_response() };
    match liaison_app::iati::export_public(&s.app, pid, q.level.as_deref()).await {
        Ok(out) => {
            let mut r = cacheable(&parts.headers, out.xml, "application/xml; charset=utf-8", None);
            if let Ok(v) = axum::http::HeaderValue::from_str(&format!("inline; filename=\"iati-{pid}.xml\"")) {
                r.headers_mut().insert(header::CONTENT_DISPOSITION, v);
            }
            r
        }
        Err(liaison_app::AppError::Invalid(_)) => StatusCode::UNPROCESSABLE_ENTITY.into_response(),
        Err(liaison_app::AppError::Conflict(_)) => StatusCode::CONFLICT.into_response(),
        Err(_) => StatusCode::NOT_FOUND.into_response(),
    }
}

/// Every public page, in every language.
pub async fn sitemap(State(s): State<AppState>, headers: HeaderMap) -> Response {
    let site = s.cfg.public_url.trim_end_matches('/');
    let mut urls: Vec<String> = vec!["/public/".into()];
    // Files in no language (open data) are listed once.
    let mut files: Vec<String> = Vec::new();
    if let Ok(plans) = liaison_app::portal::plans(&s.app).await {
        for p in plans {
            urls.push(format!("/public/plans/{}", p.plan));
            urls.push(format!("/public/plans/{}/stories", p.plan));
            urls.push(format!("/public/plans/{}/activities", p.plan));
            files.push(format!("{site}/public/plans/{}/iati.xml", p.plan));
            if let Ok(o) = liaison_app::portal::overview(&s.app, p.plan).await {
                urls.extend(o.stories.iter().map(|st| format!("/public/stories/{}", st.id)));
            }
        }
    }
    let mut all: Vec<String> = urls.iter().flat_map(|u| UiLang::ALL.iter().map(move |lang| format!("{site}{u}?lang={}", urlencode(lang.tag())))).collect();
    all.extend(files);
    let x = liaison_interop::sitemap::urlset(&all);
    cacheable(&headers, x.into_bytes(), "application/xml; charset=utf-8", None)
}

/// Search engines may index the portal and nothing else.
pub async fn robots(State(s): State<AppState>, headers: HeaderMap) -> Response {
    let site = s.cfg.public_url.trim_end_matches('/');
    let body = format!("User-agent: *\nAllow: /public/\nDisallow: /\nSitemap: {site}/public/sitemap.xml\n");
    cacheable(&headers, body.into_bytes(), "text/plain; charset=utf-8", None)
}
