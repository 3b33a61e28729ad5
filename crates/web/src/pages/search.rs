//! Search pages: the workspace's `/search` (the box in every page's header sends here) and the
//! portal's `/public/search`. Both are one `liaison_app::search` call; hits are grouped by kind,
//! and the facets are links that narrow the search.

use super::public::{LangParam, PublicBase};
use super::{Base, Page, PageError, render, urlencode};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::Response;
use liaison_app::AppError;
use liaison_domain::search::{Hit, Kind, Results, SearchParams};
use std::collections::BTreeMap;

/// One group of hits on the page: a kind, how many of it match in all, its hits.
pub struct Group {
    pub kind: Kind,
    pub total: u64,
    pub hits: Vec<Hit>,
}

/// A facet value as a link: its words, its count, where it leads, whether it is the one chosen.
pub struct Facet {
    pub label: String,
    pub count: u64,
    pub href: String,
    pub chosen: bool,
}

/// The query string of a search with one parameter changed (`None`: removed), from the first
/// page.
fn href(base: &str, p: &SearchParams, change: (&str, Option<&str>)) -> String {
    let mut pairs: Vec<(&str, String)> = vec![("q", p.q.clone())];
    for (k, v) in [("plan", &p.plan), ("kind", &p.kind), ("status", &p.status), ("area", &p.area), ("from", &p.from), ("to", &p.to)] {
        if k != change.0
            && let Some(v) = v.as_deref().filter(|v| !v.is_empty())
        {
            pairs.push((k, v.to_string()));
        }
    }
    if let (k, Some(v)) = change {
        pairs.push((k, v.to_string()));
    }
    let q: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={}", urlencode(v))).collect();
    format!("{base}?{}", q.join("&"))
}

fn groups(r: &Results) -> Vec<Group> {
    let mut by: BTreeMap<Kind, Vec<Hit>> = BTreeMap::new();
    for h in &r.hits {
        by.entry(h.kind).or_default().push(h.clone());
    }
    // Groups in the order of their best hit.
    let mut order: Vec<Kind> = Vec::new();
    for h in &r.hits {
        if !order.contains(&h.kind) {
            order.push(h.kind);
        }
    }
    order.into_iter().map(|k| Group { kind: k, total: r.facets.kind.get(k.code()).copied().unwrap_or(0), hits: by.remove(&k).unwrap_or_default() }).collect()
}

fn kind_facets(base: &str, p: &SearchParams, r: &Results, label: impl Fn(&str) -> String) -> Vec<Facet> {
    let chosen = p.kind.clone().unwrap_or_default();
    r.facets
        .kind
        .iter()
        .map(|(k, n)| Facet { label: label(k), count: *n, href: href(base, p, ("kind", (chosen != *k).then_some(k.as_str()))), chosen: chosen == *k })
        .collect()
}

fn status_facets(base: &str, p: &SearchParams, r: &Results, label: impl Fn(&str) -> String) -> Vec<Facet> {
    let chosen = p.status.clone().unwrap_or_default();
    r.facets
        .status
        .iter()
        .map(|(k, n)| Facet { label: label(k), count: *n, href: href(base, p, ("status", (chosen != *k).then_some(k.as_str()))), chosen: chosen == *k })
        .collect()
}

/// The words of a status code of any kind of record (the index keeps each record's own).
pub fn status_label(tr: &liaison_i18n::Tr, code: &str) -> String {
    let en = liaison_i18n::Tr { lang: liaison_domain::text::UiLang::En };
    for prefix in ["status-", "update-state-", "story-state-", "request-state-", "offer-state-", "activity-kind-", "decision-", "org-kind-"] {
        let key = format!("{prefix}{code}");
        if en.has(&key) {
            return tr.get(&key);
        }
    }
    code.replace('_', " ")
}

/// The words of a search's problems (a query too long, a bad date), for the page.
fn problems(tr: &liaison_i18n::Tr, e: &AppError) -> Vec<String> {
    match e {
        AppError::Invalid(v) => v.0.iter().map(|f| tr.field_error(f)).collect(),
        _ => Vec::new(),
    }
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    base: Base,
    q: String,
    results: Option<Results>,
    groups: Vec<Group>,
    kinds: Vec<Facet>,
    plans: Vec<Facet>,
    statuses: Vec<Facet>,
    problems: Vec<String>,
    next: Option<String>,
    clear: String,
}

impl SearchPage {
    fn link(&self, h: &Hit) -> String {
        let plan = h.plan.map(|p| p.to_string()).unwrap_or_default();
        match h.kind {
            Kind::Item => format!("/items/{}", h.id),
            Kind::Indicator | Kind::Report | Kind::Comment => h.item.map(|i| format!("/items/{i}")).unwrap_or_default(),
            Kind::Request | Kind::Offer => format!("/plans/{plan}/assistance"),
            Kind::Activity => format!("/plans/{plan}/activities"),
            Kind::Story => format!("/plans/{plan}/stories"),
            Kind::Decision => format!("/plans/{plan}"),
            Kind::Organisation if self.base.can_admin => format!("/admin/organisations/{}", h.id),
            Kind::Organisation => String::new(),
            Kind::Evidence => format!("/api/v1/attachments/{}/content", h.id),
        }
    }
    fn kind_name(&self, k: &Kind) -> String {
        self.base.t(&format!("search-kind-{}", k.code()))
    }
    fn status(&self, code: &str) -> String {
        status_label(&self.base.tr, code)
    }
}

pub async fn search(State(s): State<AppState>, mut page: Page, parts: Parts) -> Result<Response, PageError> {
    let p: SearchParams = serde_urlencoded::from_str(parts.uri.query().unwrap_or("")).unwrap_or_default();
    let title = page.base.t("search-title");
    let clear = format!("/search?q={}", urlencode(&p.q));
    let mut view = SearchPage {
        base: page.base.clone().with_title(title),
        q: p.q.clone(),
        results: None,
        groups: Vec::new(),
        kinds: Vec::new(),
        plans: Vec::new(),
        statuses: Vec::new(),
        problems: Vec::new(),
        next: None,
        clear,
    };
    if p.q.trim().is_empty() {
        return Ok(render(&view));
    }
    match liaison_app::search::search(&s.app, &page.ctx, &p, page.base.lang).await {
        Ok(r) => {
            for h in &r.hits {
                if let Some(m) = &h.marking {
                    page.base.mark(m);
                }
            }
            view.base = page.base.clone().with_title(view.base.title.clone());
            let b = view.base.clone();
            view.kinds = kind_facets("/search", &p, &r, |k| b.t(&format!("search-kind-{k}")));
            view.statuses = status_facets("/search", &p, &r, |k| status_label(&b.tr, k));
            let chosen_plan = p.plan.clone().unwrap_or_default();
            for (id, n) in &r.facets.plan {
                let label = match uuid::Uuid::try_parse(id).ok().map(liaison_domain::PlanId) {
                    Some(pid) => liaison_app::plans::get(&s.app, &page.ctx, pid).await.map(|pl| pl.code).unwrap_or_else(|_| id.clone()),
                    None => id.clone(),
                };
                view.plans.push(Facet {
                    label,
                    count: *n,
                    href: href("/search", &p, ("plan", (chosen_plan != *id).then_some(id.as_str()))),
                    chosen: chosen_plan == *id,
                });
            }
            view.next = r.next_cursor.as_ref().map(|c| format!("{}&cursor={}", href("/search", &p, ("cursor", None)), urlencode(c)));
            view.groups = groups(&r);
            view.results = Some(r);
            Ok(render(&view))
        }
        Err(e @ AppError::Invalid(_)) => {
            view.problems = problems(&view.base.tr, &e);
            let mut r = render(&view);
            *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(r)
        }
        Err(e) => Err(page.fail(e)),
    }
}

// ---- The portal ----

#[derive(Template)]
#[template(path = "public_search.html")]
struct PublicSearchPage {
    base: PublicBase,
    q: String,
    results: Option<Results>,
    groups: Vec<Group>,
    kinds: Vec<Facet>,
    problems: Vec<String>,
    next: Option<String>,
}

impl PublicSearchPage {
    fn link(&self, h: &Hit) -> String {
        let plan = h.plan.map(|p| p.to_string()).unwrap_or_default();
        let lang = self.base.lang_tag();
        match h.kind {
            Kind::Story => format!("/public/stories/{}?lang={lang}", h.id),
            Kind::Activity => format!("/public/plans/{plan}/activities?lang={lang}"),
            _ => format!("/public/plans/{plan}?lang={lang}"),
        }
    }
    fn found(&self, n: &u64) -> String {
        self.base.tr.count("search-found", i64::try_from(*n).unwrap_or(i64::MAX))
    }
    fn kind_name(&self, k: &Kind) -> String {
        self.base.t(&format!("search-kind-{}", k.code()))
    }
}

pub async fn public_search(State(s): State<AppState>, parts: Parts, Query(lq): Query<LangParam>) -> Response {
    let p: SearchParams = serde_urlencoded::from_str(parts.uri.query().unwrap_or("")).unwrap_or_default();
    let mut base = super::public::public_base(&parts, &s, &lq, String::new());
    base.title = base.t("search-title");
    let mut view = PublicSearchPage { base, q: p.q.clone(), results: None, groups: Vec::new(), kinds: Vec::new(), problems: Vec::new(), next: None };
    if p.q.trim().is_empty() {
        return render(&view);
    }
    match liaison_app::search::search_public(&s.app, &p, view.base.lang).await {
        Ok(r) => {
            let b = view.base.clone();
            let lang_base = "/public/search";
            view.kinds = kind_facets(lang_base, &p, &r, |k| b.t(&format!("search-kind-{k}")));
            view.next = r.next_cursor.as_ref().map(|c| format!("{}&cursor={}", href(lang_base, &p, ("cursor", None)), urlencode(c)));
            view.groups = groups(&r);
            view.results = Some(r);
            render(&view)
        }
        Err(e) => {
            let status = if matches!(e, AppError::Invalid(_)) { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::INTERNAL_SERVER_ERROR };
            if status == StatusCode::INTERNAL_SERVER_ERROR {
                tracing::error!(error = %e, "public search failed");
                view.problems = vec![view.base.t("error-internal-body")];
            } else {
                view.problems = problems(&view.base.tr, &e);
            }
            let mut r = render(&view);
            *r.status_mut() = status;
            r
        }
    }
}
