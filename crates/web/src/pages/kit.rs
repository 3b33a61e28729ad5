//! The page kit: what every page of the workspace shares — the base view (language, who is
//! signed in, the marking banner), the extractors (`Page` for a signed-in user, `Visitor` for
//! anyone), posted forms and their errors, the total mapping of a use case's error to a page
//! (`PageError`), and rendering. A page handler is: extract → one `liaison_app` call → view
//! model → `render`.

use crate::extract::{SESSION_COOKIE, cookie, meta};
use crate::state::AppState;
use askama::Template;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use liaison_app::{AppError, Ctx};
use liaison_domain::marking::Marking;
use liaison_domain::text::{Text, UiLang};
use liaison_domain::{FieldError, Timestamp};
use liaison_i18n::Tr;

/// The cookie that remembers the chosen language.
pub const LANG_COOKIE: &str = "liaison_lang";

/// What every page shows around its content.
#[derive(Clone, Debug)]
pub struct Base {
    pub tr: Tr,
    pub lang: UiLang,
    /// The page's path and query, for the language switch to come back to.
    pub path: String,
    pub title: String,
    /// Who is signed in: name and organisation.
    pub user: Option<(String, String)>,
    pub can_admin: bool,
    pub can_read_users: bool,
    pub can_exchange: bool,
    /// Unread notifications of the signed-in user.
    pub unread: u64,
    /// The highest marking of what the page shows.
    pub banner: Option<String>,
    marking: Option<Marking>,
    pub today: chrono::NaiveDate,
}

/// Something that can stand for a count in a plural message.
pub trait AsCount {
    fn as_count(&self) -> i64;
}
macro_rules! as_count {
    ($($t:ty),*) => {$(
        impl AsCount for $t { fn as_count(&self) -> i64 { i64::try_from(*self).unwrap_or(i64::MAX) } }
        impl AsCount for &$t { fn as_count(&self) -> i64 { i64::try_from(**self).unwrap_or(i64::MAX) } }
    )*};
}
as_count!(i64, u64, usize, u32, i32);

impl Base {
    /// UI text.
    pub fn t(&self, key: &str) -> String {
        self.tr.get(key)
    }

    /// UI text with a count.
    pub fn tn(&self, key: &str, n: impl AsCount) -> String {
        self.tr.count(key, n.as_count())
    }

    /// UI text with named arguments.
    pub fn ta(&self, key: &str, args: &[(&str, &str)]) -> String {
        let a: Vec<(&str, fluent_bundle::FluentValue<'_>)> = args.iter().map(|(k, v)| (*k, fluent_bundle::FluentValue::from(*v))).collect();
        self.tr.args(key, &a)
    }

    /// UI text with one named argument.
    pub fn ta1(&self, key: &str, name: &str, value: &str) -> String {
        self.ta(key, &[(name, value)])
    }

    /// A field's problem in the reader's language.
    pub fn problem(&self, e: &FieldError) -> String {
        self.tr.field_error(e)
    }

    /// Content in the reader's language, with fallback (and Serbian in the chosen script).
    pub fn text(&self, t: &Text) -> String {
        t.show(self.lang)
    }

    /// The language tag of what [`Base::text`] shows (for `lang` attributes).
    pub fn text_lang(&self, t: &Text) -> String {
        t.resolve(self.lang).map(|r| r.lang.to_string()).unwrap_or_else(|| self.lang.tag().to_string())
    }

    /// The link that switches to `tag` and comes back here.
    pub fn lang_href(&self, tag: &str) -> String {
        format!("/lang/{tag}?next={}", urlencode(&self.path))
    }

    pub fn lang_tag(&self) -> &'static str {
        self.lang.tag()
    }

    /// A time for people, in UTC.
    pub fn time(&self, t: &Timestamp) -> String {
        t.format("%Y-%m-%d %H:%M UTC").to_string()
    }

    /// Add what a page shows to the banner (the highest marking wins).
    pub fn mark(&mut self, m: &Marking) {
        let joined = match &self.marking {
            Some(cur) => cur.join(m),
            None => m.clone(),
        };
        self.banner = Some(joined.banner());
        self.marking = Some(joined);
    }

    pub fn state(&self, s: &liaison_domain::plan::PlanState) -> String {
        self.t(&format!("state-{}", s.code()))
    }

    pub fn status(&self, s: &liaison_domain::item::ItemStatus) -> String {
        self.t(&format!("status-{}", s.code()))
    }

    pub fn role(&self, r: &liaison_domain::access::Role) -> String {
        self.t(&format!("role-{}", r.code()))
    }

    pub fn decision_kind(&self, k: &liaison_domain::decision::DecisionKind) -> String {
        self.t(&format!("decision-{}", k.code()))
    }

    pub fn org_kind(&self, k: &liaison_domain::organisation::OrgKind) -> String {
        self.t(&format!("org-kind-{}", k.code()))
    }

    pub fn link_kind(&self, k: &liaison_domain::item::LinkKind, direction: &str) -> String {
        self.t(&format!("link-{}-{direction}", k.code()))
    }

    /// The name of a record's field (history and comparison).
    pub fn field(&self, name: &str) -> String {
        let key = format!("field-{name}");
        if self.tr.has(&key) { self.t(&key) } else { name.to_string() }
    }

    pub fn progress(&self, done: &u64, total: &u64) -> String {
        self.ta("progress-value", &[("done", &done.to_string()), ("total", &total.to_string())])
    }

    pub fn with_title(mut self, title: impl Into<String>) -> Base {
        self.title = title.into();
        self
    }
}

/// Percent-encode a string for a query parameter.
pub fn urlencode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// The language of a request: the remembered choice, else the browser's, else English.
pub fn language(parts: &Parts) -> UiLang {
    cookie(parts, LANG_COOKIE)
        .and_then(UiLang::parse)
        .or_else(|| parts.headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).and_then(UiLang::from_accept_language))
        .unwrap_or_default()
}

fn base(parts: &Parts, state: &AppState) -> Base {
    let lang = language(parts);
    let path = parts.uri.path_and_query().map(|p| p.as_str().to_string()).unwrap_or_else(|| "/".into());
    Base {
        tr: Tr { lang },
        lang,
        path,
        title: String::new(),
        user: None,
        can_admin: false,
        can_read_users: false,
        can_exchange: false,
        unread: 0,
        banner: None,
        marking: None,
        today: state.app.now().date_naive(),
    }
}

/// A page for anyone (sign-in).
pub struct Visitor {
    pub base: Base,
}

impl FromRequestParts<AppState> for Visitor {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        Ok(Visitor { base: base(parts, state) })
    }
}

/// A page for a signed-in user; anyone else is sent to the sign-in page and back.
pub struct Page {
    pub base: Base,
    pub ctx: Ctx,
}

impl FromRequestParts<AppState> for Page {
    type Rejection = Response;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let mut b = base(parts, state);
        let m = meta(parts);
        let to_login = || Redirect::to(&format!("/login?next={}", urlencode(&b.path))).into_response();
        let Some(secret) = cookie(parts, SESSION_COOKIE) else { return Err(to_login()) };
        let (ctx, h) = match liaison_app::views::signed_in(&state.app, secret, &m.source, &m.request_id).await {
            Ok(x) => x,
            Err(AppError::Unauthenticated) => return Err(to_login()),
            Err(e) => return Err(PageError::from_app(b.clone(), e).into_response()),
        };
        b.user = Some((h.name, h.organisation));
        b.can_admin = h.may_admin;
        b.can_read_users = h.may_read_users;
        b.can_exchange = h.may_exchange;
        b.unread = h.unread;
        Ok(Page { base: b, ctx })
    }
}

/// A page that a signed-in user sees as theirs and anyone else as a visitor.
impl axum::extract::OptionalFromRequestParts<AppState> for Page {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Option<Self>, Self::Rejection> {
        Ok(<Page as FromRequestParts<AppState>>::from_request_parts(parts, state).await.ok())
    }
}

impl Page {
    /// Turn a use case's error into the page that explains it.
    pub fn fail(&self, e: AppError) -> PageError {
        PageError::from_app(self.base.clone(), e)
    }

    /// An id from the path; anything else is a page that does not exist.
    pub fn id<T: From<uuid::Uuid>>(&self, s: &str) -> Result<T, PageError> {
        uuid::Uuid::try_parse(s).map(T::from).map_err(|_| PageError::not_found(&self.base))
    }
}

/// A page that could not be shown. Every error of a use case has its page and status: a form
/// that could not be saved is re-rendered by its handler (422 with each problem at its field);
/// when a handler does not, the problems are listed here, with the same status.
pub enum PageError {
    NotFound(Box<Base>),
    Forbidden(Box<Base>, String),
    /// Input that breaks a rule (422).
    Invalid(Box<Base>, Vec<FieldError>),
    /// The record changed since the form was read (409): what it is now at.
    Stale(Box<Base>, i64),
    /// The record's state does not allow this now (409), with the reason.
    Conflict(Box<Base>, String),
    /// Too many attempts (429), and when to try again.
    RateLimited(Box<Base>, u64),
    Internal(Box<Base>),
    Redirect(String),
}

impl PageError {
    pub fn not_found(base: &Base) -> PageError {
        PageError::NotFound(Box::new(base.clone()))
    }

    pub fn from_app(base: Base, e: AppError) -> PageError {
        match e {
            AppError::NotFound => PageError::NotFound(Box::new(base)),
            AppError::Forbidden(r) => {
                let words = base.tr.refusal(&r);
                PageError::Forbidden(Box::new(base), words)
            }
            AppError::Unauthenticated | AppError::BadCredentials => PageError::Redirect(format!("/login?next={}", urlencode(&base.path))),
            AppError::Invalid(v) => PageError::Invalid(Box::new(base), v.0),
            AppError::Stale { current, .. } => PageError::Stale(Box::new(base), current),
            AppError::Conflict(r) => {
                let words = base.tr.refusal(&r);
                PageError::Conflict(Box::new(base), words)
            }
            AppError::RateLimited { retry_after_secs } => PageError::RateLimited(Box::new(base), retry_after_secs),
            AppError::Internal(detail) => {
                tracing::error!(%detail, "internal error on a page");
                PageError::Internal(Box::new(base))
            }
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    base: Base,
    heading: String,
    message: String,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let (status, base, heading, message): (StatusCode, Box<Base>, String, String) = match self {
            PageError::Redirect(to) => return Redirect::to(&to).into_response(),
            PageError::NotFound(b) => {
                let (h, m) = (b.t("error-not-found-title"), b.t("error-not-found-body"));
                (StatusCode::NOT_FOUND, b, h, m)
            }
            PageError::Forbidden(b, detail) => {
                let (h, m) = (b.t("error-forbidden-title"), format!("{} ({detail})", b.t("error-forbidden-body")));
                (StatusCode::FORBIDDEN, b, h, m)
            }
            PageError::Invalid(b, problems) => {
                let shown: Vec<String> =
                    problems.iter().map(|e| if e.field.is_empty() { b.problem(e) } else { format!("{}: {}", b.field(&e.field), b.problem(e)) }).collect();
                let (h, m) = (b.t("error-invalid-title"), shown.join(" · "));
                (StatusCode::UNPROCESSABLE_ENTITY, b, h, m)
            }
            PageError::Stale(b, current) => {
                let (h, m) = (b.t("error-stale-title"), b.ta1("error-stale-body", "version", &current.to_string()));
                (StatusCode::CONFLICT, b, h, m)
            }
            PageError::Conflict(b, reason) => {
                let (h, m) = (b.t("error-conflict-title"), reason);
                (StatusCode::CONFLICT, b, h, m)
            }
            PageError::RateLimited(b, secs) => {
                let (h, m) = (b.t("error-rate-limited-title"), b.ta1("error-rate-limited-body", "seconds", &secs.to_string()));
                let title = h.clone();
                let mut r = render(&ErrorPage { base: (*b).with_title(title), heading: h, message: m });
                *r.status_mut() = StatusCode::TOO_MANY_REQUESTS;
                if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
                    r.headers_mut().insert(header::RETRY_AFTER, v);
                }
                return r;
            }
            PageError::Internal(b) => {
                let (h, m) = (b.t("error-internal-title"), b.t("error-internal-body"));
                (StatusCode::INTERNAL_SERVER_ERROR, b, h, m)
            }
        };
        let title = heading.clone();
        let mut r = render(&ErrorPage { base: (*base).with_title(title), heading, message });
        *r.status_mut() = status;
        r
    }
}

/// Unknown paths: a problem document under `/api/`, a page elsewhere.
pub async fn not_found(v: Visitor, uri: axum::http::Uri) -> Response {
    if uri.path().starts_with("/api/") {
        return crate::error::Problem::not_found().into_response();
    }
    PageError::NotFound(Box::new(v.base)).into_response()
}

/// Render a template as an HTML answer.
pub fn render<T: Template>(t: &T) -> Response {
    match t.render() {
        Ok(html) => {
            let mut r = html.into_response();
            r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
            r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            r
        }
        Err(e) => {
            tracing::error!(error = %e, "a template did not render");
            (StatusCode::INTERNAL_SERVER_ERROR, "the page could not be rendered").into_response()
        }
    }
}

/// Where to go after a form: a local path only (never another site).
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') && !n.contains("://") => n.to_string(),
        _ => "/".to_string(),
    }
}

/// A posted form: every field, in order, repeated names kept.
pub struct FormData(pub Vec<(String, String)>);

impl FormData {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// The trimmed value, or "" if absent.
    pub fn value(&self, name: &str) -> String {
        self.get(name).map(|s| s.trim().to_string()).unwrap_or_default()
    }

    pub fn all(&self, name: &str) -> Vec<String> {
        self.0.iter().filter(|(k, _)| k == name).map(|(_, v)| v.trim().to_string()).filter(|v| !v.is_empty()).collect()
    }

    /// A text in English and Serbian from the fields `{prefix}_en` and `{prefix}_sr`, trimmed;
    /// an empty field gives no value in that language.
    pub fn text(&self, prefix: &str) -> Text {
        let mut t = Text::default();
        for lang in ["en", "sr"] {
            let v = self.value(&format!("{prefix}_{lang}"));
            if !v.is_empty() {
                t = t.with(lang, &v);
            }
        }
        t
    }
}

impl<S: Send + Sync> FromRequest<S> for FormData {
    type Rejection = Response;
    async fn from_request(req: Request, state: &S) -> Result<Self, Response> {
        let bytes = axum::body::Bytes::from_request(req, state).await.map_err(|e| e.into_response())?;
        Ok(FormData(form_urlencoded::parse(&bytes).map(|(k, v)| (k.into_owned(), v.into_owned())).collect()))
    }
}

/// Problems of a form, by field, for showing next to each field.
#[derive(Clone, Debug, Default)]
pub struct FormErrors(pub Vec<FieldError>);

impl FormErrors {
    /// The messages about a field (API field names map to form names: `title.en` → `title_en`).
    pub fn of(&self, field: &str) -> String {
        let msgs: Vec<&str> = self
            .0
            .iter()
            .filter(|e| e.field.replace('.', "_") == field || (field == "marking_level" && e.field == "marking"))
            .map(|e| e.message.as_str())
            .collect();
        msgs.join("; ")
    }

    pub fn has(&self, field: &str) -> bool {
        !self.of(field).is_empty()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Problems that belong to no field shown on the form.
    pub fn general(&self, shown: &[&str]) -> Vec<String> {
        self.0
            .iter()
            .filter(|e| !shown.iter().any(|f| e.field.replace('.', "_") == *f || e.field.replace('.', "_").starts_with(&format!("{f}_"))))
            .map(|e| if e.field.is_empty() { e.message.clone() } else { format!("{}: {}", e.field, e.message) })
            .collect()
    }
}

/// A 303 to `to` after a successful form.
pub fn see_other(to: &str) -> Response {
    Redirect::to(to).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every message the templates and handlers ask for exists.
    #[test]
    fn every_message_used_exists() {
        use std::collections::BTreeSet;
        let known: BTreeSet<String> = liaison_i18n::message_ids(liaison_i18n::EN).into_iter().collect();
        let mut used = BTreeSet::new();
        let dirs = [
            concat!(env!("CARGO_MANIFEST_DIR"), "/templates"),
            concat!(env!("CARGO_MANIFEST_DIR"), "/src/pages"),
            concat!(env!("CARGO_MANIFEST_DIR"), "/src/api"),
            concat!(env!("CARGO_MANIFEST_DIR"), "/src"),
        ];
        for dir in dirs {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                // Code only, not its tests (this one names keys as examples).
                let text = text.split("#[cfg(test)]").next().unwrap_or("").to_string();
                let is_api = dir.ends_with("/src/api");
                let is_rust = path.extension().is_some_and(|x| x == "rs");
                // Problem documents: `problem-<kind>` for each kind named with its default words.
                for part in text.split("Problem::new(StatusCode::").skip(1) {
                    if let Some(slug) = part.split('"').nth(1) {
                        used.insert(format!("problem-{slug}"));
                    }
                }
                // Words named in full, and what a value was expected to be.
                for prefix in ["\"problem-", "\"refusal-", "\"error-"].into_iter().filter(|_| is_rust) {
                    for part in text.split(prefix).skip(1) {
                        if let Some(rest) = part.split('"').next()
                            && !rest.contains('{')
                            && !rest.is_empty()
                        {
                            used.insert(format!("{}{rest}", &prefix[1..]));
                        }
                    }
                }
                // What a value was expected to be: `error-expected-<x>`.
                for part in text.split("(\"expected\", \"").skip(1) {
                    if let Some(x) = part.split('"').next() {
                        used.insert(format!("error-expected-{x}"));
                    }
                }
                for call in ["bad(\"", "invalid(\"", "bad(field, \""].into_iter().filter(|_| is_api) {
                    for part in text.split(call).skip(1) {
                        let mut lits = part.split('"');
                        // `bad("field", "x")`: the second literal; `bad(field, "x")`: the first.
                        let x = if call.contains("field") { lits.next() } else { lits.nth(2) };
                        if let Some(x) = x.filter(|x| !x.is_empty() && x.chars().all(|c| c.is_ascii_lowercase() || c == '-' || c.is_ascii_digit())) {
                            used.insert(format!("error-expected-{x}"));
                        }
                    }
                }
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
        // The kinds the problem middleware gives bare error responses.
        for slug in ["method-not-allowed", "timeout", "too-large", "error"] {
            used.insert(format!("problem-{slug}"));
        }
        let missing: Vec<&String> = used.iter().filter(|k| !known.contains(*k)).collect();
        assert!(missing.is_empty(), "messages used but not defined: {missing:?}");
        assert!(used.len() > 50, "the scan found the messages ({})", used.len());
    }

    #[test]
    fn next_stays_on_this_site() {
        assert_eq!(safe_next(Some("/plans/1?x=2")), "/plans/1?x=2");
        for bad in ["//evil.example", "https://evil.example", "/\\evil", "javascript:alert(1)", ""] {
            assert_eq!(safe_next(Some(bad)), "/", "{bad}");
        }
        assert_eq!(safe_next(None), "/");
    }

    #[test]
    fn labels_exist_for_every_state_status_and_kind() {
        let tr = Tr { lang: UiLang::SrCyrl };
        for s in liaison_domain::plan::PlanState::ALL {
            assert!(tr.has(&format!("state-{}", s.code())), "{s:?}");
        }
        for s in liaison_domain::item::ItemStatus::ALL {
            assert!(tr.has(&format!("status-{}", s.code())), "{s:?}");
        }
        for k in liaison_domain::decision::DecisionKind::ALL {
            assert!(tr.has(&format!("decision-{}", k.code())), "{k:?}");
        }
        for r in liaison_domain::access::Role::ALL {
            assert!(tr.has(&format!("role-{}", r.code())), "{r:?}");
        }
        for s in liaison_domain::progress::UpdateState::ALL {
            assert!(tr.has(&format!("update-state-{}", s.code())), "{s:?}");
        }
        for p in liaison_domain::assessment::Perspective::ALL {
            assert!(tr.has(&format!("perspective-{}", p.code())), "{p:?}");
        }
        for scale in [liaison_domain::assessment::Scale::Completion, liaison_domain::assessment::Scale::Rag] {
            for r in scale.ratings() {
                assert!(tr.has(&format!("rating-{r}")), "{r}");
            }
        }
        for k in ["upcoming", "running", "reporting", "overdue"] {
            assert!(tr.has(&format!("phase-{k}")), "{k}");
        }
        for k in liaison_domain::assistance::AssistanceKind::ALL {
            assert!(tr.has(&format!("assistance-kind-{}", k.code())), "{k:?}");
        }
        for st in liaison_domain::assistance::OfferState::ALL {
            assert!(
                tr.has(&format!("offer-state-{}", st.code())) && tr.has(&format!("offer-to-{}", st.code()))
                    || st == liaison_domain::assistance::OfferState::Proposed,
                "{st:?}"
            );
        }
        for k in liaison_domain::activity::ActivityKind::ALL {
            assert!(tr.has(&format!("activity-kind-{}", k.code())), "{k:?}");
        }
        for m in ["number", "percentage", "qualitative"] {
            assert!(tr.has(&format!("measure-{m}")), "{m}");
        }
        for k in liaison_domain::organisation::OrgKind::ALL {
            assert!(tr.has(&format!("org-kind-{}", k.code())), "{k:?}");
        }
        for k in liaison_domain::item::LinkKind::ALL {
            assert!(tr.has(&format!("link-{}-outgoing", k.code())) && tr.has(&format!("link-{}-incoming", k.code())), "{k:?}");
        }
        for st in liaison_domain::story::StoryState::ALL {
            assert!(tr.has(&format!("story-state-{}", st.code())), "{st:?}");
        }
        for step in liaison_domain::story::StoryStep::ALL {
            assert!(tr.has(&format!("story-step-{}", step.code())), "{step:?}");
        }
    }
}
