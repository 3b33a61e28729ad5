//! A plan's files for people who circulate spreadsheets: its items as XLSX and CSV. Each holds
//! only what the caller may see, opens with the highest marking of what it holds, and is
//! audited as an export.

use super::id;
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::{ApiQuery, Authed};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use liaison_app::AppError;
use liaison_domain::PlanId;
use liaison_domain::text::UiLang;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(items_xlsx))
        .routes(routes!(items_csv))
        .routes(routes!(indicators_xlsx))
        .routes(routes!(clearing_xlsx))
        .routes(routes!(plan_docx))
        .routes(routes!(plan_pdf))
        .routes(routes!(compare_pdf))
}

#[derive(Deserialize, IntoParams, Default)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct LangQuery {
    /// Language of titles and descriptions: `en`, `sr-Cyrl` or `sr-Latn` (default `en`).
    pub lang: Option<String>,
}

pub fn lang(q: &LangQuery) -> Result<UiLang, ApiError> {
    match q.lang.as_deref() {
        None => Ok(UiLang::default()),
        Some(l) => UiLang::parse(l).ok_or_else(|| ApiError::from(Problem::field("lang", "unknown"))),
    }
}

/// A file as a download.
pub fn download(body: Vec<u8>, content_type: &'static str, name: &str) -> Response {
    let mut r = body.into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    let safe: String = name.chars().map(|c| if c.is_ascii_alphanumeric() || "._-".contains(c) { c } else { '_' }).collect();
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{safe}\"")) {
        r.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    r
}

/// The plan's items you may see as an XLSX workbook: every field (real dates, a frozen header,
/// a filter, the marking column), the highest marking of its content in its first row and in
/// the file's properties. It imports back through `POST /api/v1/imports/sheet`.
#[utoipa::path(get, path = "/plans/{id}/items.xlsx", tag = "items", params(("id" = String, Path, format = Uuid), LangQuery),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn items_xlsx(State(s): State<AppState>, Authed(ctx): Authed, Path(pid): Path<String>, ApiQuery(q): ApiQuery<LangQuery>) -> ApiResult<Response> {
    let lang = lang(&q)?;
    let e = liaison_app::exports::plan_items(&s.app, &ctx, id::<PlanId>(&pid)?, "xlsx").await?;
    let title = e.plan.title.show(lang);
    let body = liaison_interop::plan_items::xlsx(&e.plan.code, &title, &e.marking.banner(), &e.lines, lang)
        .map_err(|x| ApiError::from(AppError::Internal(x.to_string())))?;
    Ok(download(body, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", &format!("{}-items.xlsx", e.plan.code)))
}

/// The same as `items.xlsx`, as CSV (UTF-8 with a byte order mark, CRLF): the marking on the
/// first line, then the header and a row per item.
#[utoipa::path(get, path = "/plans/{id}/items.csv", tag = "items", params(("id" = String, Path, format = Uuid), LangQuery),
    responses((status = 200, content_type = "text/csv", body = String), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn items_csv(State(s): State<AppState>, Authed(ctx): Authed, Path(pid): Path<String>, ApiQuery(q): ApiQuery<LangQuery>) -> ApiResult<Response> {
    let lang = lang(&q)?;
    let e = liaison_app::exports::plan_items(&s.app, &ctx, id::<PlanId>(&pid)?, "csv").await?;
    let body = liaison_interop::plan_items::csv(&e.marking.banner(), &e.lines, lang, liaison_interop::csv::Options { bom: true })
        .map_err(|x| ApiError::from(AppError::Internal(x.to_string())))?;
    Ok(download(body, "text/csv; charset=utf-8", &format!("{}-items.csv", e.plan.code)))
}

/// The plan's indicators you may see and their targets and figures, as an XLSX workbook of two
/// sheets (Indicators, Figures: one row per target or measurement, a column per category),
/// marked and audited.
#[utoipa::path(get, path = "/plans/{id}/indicators.xlsx", tag = "implementation", params(("id" = String, Path, format = Uuid), LangQuery),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn indicators_xlsx(State(s): State<AppState>, Authed(ctx): Authed, Path(pid): Path<String>, ApiQuery(q): ApiQuery<LangQuery>) -> ApiResult<Response> {
    let lang = lang(&q)?;
    let (plan, marking, tables) = liaison_app::exports::indicators(&s.app, &ctx, id::<PlanId>(&pid)?, lang).await?;
    workbook(&plan, &marking, &tables, "indicators", lang)
}

/// The clearing house you may see (the same filters as `…/clearing-house`) as an XLSX workbook,
/// a sheet per list (uncovered items, unsupported items by area, duplicate offers, unsolicited
/// offers, totals by Ally and by area), marked and audited.
#[utoipa::path(get, path = "/plans/{id}/clearing-house.xlsx", tag = "assistance", params(("id" = String, Path, format = Uuid), ClearingQuery),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn clearing_xlsx(
    State(s): State<AppState>,
    Authed(ctx): Authed,
    Path(pid): Path<String>,
    ApiQuery(q): ApiQuery<ClearingQuery>,
) -> ApiResult<Response> {
    let l = lang(&LangQuery { lang: q.lang.clone() })?;
    let f = liaison_app::assistance::ClearingFilter {
        area: q.area,
        ally: q.ally.map(|a| id(&a)).transpose()?,
        kind: q
            .kind
            .map(|k| liaison_domain::assistance::AssistanceKind::parse(&k).ok_or_else(|| ApiError::from(Problem::field("kind", "unknown"))))
            .transpose()?,
        from: q.from,
        to: q.to,
    };
    let (plan, marking, tables) = liaison_app::exports::clearing_house(&s.app, &ctx, id::<PlanId>(&pid)?, &f, l).await?;
    workbook(&plan, &marking, &tables, "clearing-house", l)
}

#[derive(Deserialize, IntoParams, Default)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ClearingQuery {
    pub lang: Option<String>,
    pub area: Option<String>,
    pub ally: Option<String>,
    pub kind: Option<String>,
    pub from: Option<chrono::NaiveDate>,
    pub to: Option<chrono::NaiveDate>,
}

fn workbook(
    plan: &liaison_domain::plan::Plan,
    marking: &liaison_domain::marking::Marking,
    tables: &[liaison_interop::xlsx::Table],
    what: &str,
    lang: UiLang,
) -> ApiResult<Response> {
    let props =
        liaison_interop::xlsx::Properties {
            title: format!("{} — {}", plan.code, plan.title.show(lang)), marking: marking.banner(), author: "Liaison".into()
        };
    let body = liaison_interop::xlsx::workbook(tables, &props).map_err(|x| ApiError::from(AppError::Internal(x.to_string())))?;
    Ok(download(body, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", &format!("{}-{what}.xlsx", plan.code)))
}

/// The plan as a Word document (DOCX) of the items you may see, in tree order: the top levels
/// as headings, each item with its description and facts; the highest marking of its content
/// in every page's header and footer and in the file's properties. Audited as an export.
#[utoipa::path(get, path = "/plans/{id}/plan.docx", tag = "plans", params(("id" = String, Path, format = Uuid), LangQuery),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document", body = Vec<u8>), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn plan_docx(State(s): State<AppState>, Authed(ctx): Authed, Path(pid): Path<String>, ApiQuery(q): ApiQuery<LangQuery>) -> ApiResult<Response> {
    let lang = lang(&q)?;
    let e = liaison_app::exports::plan_items(&s.app, &ctx, id::<PlanId>(&pid)?, "docx").await?;
    let body = docx_of(&e, lang).map_err(|x| ApiError::from(AppError::Internal(x)))?;
    Ok(download(body, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", &format!("{}.docx", e.plan.code)))
}

/// The plan's DOCX, with its words in `lang`.
pub fn docx_of(e: &liaison_app::exports::ItemsExport, lang: UiLang) -> Result<Vec<u8>, String> {
    let tr = liaison_i18n::Tr { lang };
    let statuses = [
        liaison_domain::item::ItemStatus::Planned,
        liaison_domain::item::ItemStatus::InProgress,
        liaison_domain::item::ItemStatus::Completed,
        liaison_domain::item::ItemStatus::PartiallyCompleted,
        liaison_domain::item::ItemStatus::Delayed,
        liaison_domain::item::ItemStatus::NotImplemented,
        liaison_domain::item::ItemStatus::Cancelled,
        liaison_domain::item::ItemStatus::CarriedOver,
    ]
    .into_iter()
    .map(|s| (s.code().to_string(), tr.get(&format!("status-{}", s.code()))))
    .collect();
    let labels =
        liaison_interop::docx::Labels { status: tr.get("col-status"), due: tr.get("col-due"), lead: tr.get("col-lead"), page: tr.get("docx-page"), statuses };
    let subtitle = format!("{} · {} – {}", e.plan.code, e.plan.period.start, e.plan.period.end);
    liaison_interop::docx::plan(&e.plan.title.show(lang), &subtitle, &e.marking.banner(), &e.lines, lang, &labels)
}

#[derive(Deserialize, IntoParams, Default)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DocumentQuery {
    /// `en`, `sr-Cyrl` or `sr-Latn` (default `en`).
    pub lang: Option<String>,
    /// An agreed version's number (default: the current content).
    pub version: Option<i32>,
}

/// The plan (or agreed version `version`) as an official PDF document: a cover, the decisions,
/// a table of contents, the items chapter by chapter with their facts, page numbers, and the
/// highest marking of its content at the top and bottom of every page; fonts embedded (Latin and
/// Cyrillic). Audited as an export. Answers 501 when this Liaison was built without PDF.
#[utoipa::path(get, path = "/plans/{id}/plan.pdf", tag = "plans", params(("id" = String, Path, format = Uuid), DocumentQuery),
    responses((status = 200, content_type = "application/pdf", body = Vec<u8>), (status = 404, body = Problem), (status = 422, body = Problem), (status = 501, body = Problem)))]
pub async fn plan_pdf(State(s): State<AppState>, Authed(ctx): Authed, Path(pid): Path<String>, ApiQuery(q): ApiQuery<DocumentQuery>) -> ApiResult<Response> {
    let lang = lang(&LangQuery { lang: q.lang.clone() })?;
    let plan = id::<PlanId>(&pid)?;
    liaison_app::plans::visible(&s.app, &ctx, plan).await?;
    if q.version.is_some_and(|v| v < 1) {
        return Err(ApiError::from(Problem::field("version", "invalid")));
    }
    #[cfg(feature = "pdf")]
    {
        let d = liaison_app::exports::plan_document(&s.app, &ctx, plan, q.version, "pdf").await?;
        let name = format!("{}{}.pdf", d.plan.code, d.version.map(|v| format!("-v{v}")).unwrap_or_default());
        let doc = crate::documents::plan(&d, lang);
        pdf(move || liaison_docs::plan_pdf(&doc), &name).await
    }
    #[cfg(not(feature = "pdf"))]
    {
        let _ = (s, ctx, plan, lang);
        Err(no_pdf())
    }
}

/// A PDF typeset off the async workers (typesetting takes up to a second of one core), as a
/// download named `name`.
#[cfg(feature = "pdf")]
pub async fn pdf(typeset: impl FnOnce() -> Result<Vec<u8>, liaison_docs::Error> + Send + 'static, name: &str) -> ApiResult<Response> {
    let body = tokio::task::spawn_blocking(typeset)
        .await
        .map_err(|e| ApiError::from(AppError::Internal(e.to_string())))?
        .map_err(|e| ApiError::from(AppError::Internal(e.to_string())))?;
    Ok(download(body, "application/pdf", name))
}

/// The answer of a PDF route in a Liaison built without the `pdf` feature.
#[cfg(not(feature = "pdf"))]
pub fn no_pdf() -> ApiError {
    ApiError::from(Problem::new(axum::http::StatusCode::NOT_IMPLEMENTED, "not-implemented"))
}

#[derive(Deserialize, IntoParams, Default)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CompareQuery {
    /// An agreed version's number, or `current`.
    pub from: Option<String>,
    /// An agreed version's number, or `current` (default).
    pub to: Option<String>,
    pub lang: Option<String>,
}

/// The redline from one version of the plan to another (`from=N&to=M|current`) as a PDF:
/// changes to the plan, items changed field by field, added and removed, deletions struck
/// through in red and insertions underlined in green, the highest marking of both versions at
/// the top and bottom of every page. Audited as an export; 501 without PDF.
#[utoipa::path(get, path = "/plans/{id}/compare.pdf", tag = "plans", params(("id" = String, Path, format = Uuid), CompareQuery),
    responses((status = 200, content_type = "application/pdf", body = Vec<u8>), (status = 404, body = Problem), (status = 422, body = Problem), (status = 501, body = Problem)))]
pub async fn compare_pdf(State(s): State<AppState>, Authed(ctx): Authed, Path(pid): Path<String>, ApiQuery(q): ApiQuery<CompareQuery>) -> ApiResult<Response> {
    let lang = lang(&LangQuery { lang: q.lang.clone() })?;
    let plan = id::<PlanId>(&pid)?;
    // A plan the caller may not see is not found, whatever is asked of it.
    liaison_app::plans::visible(&s.app, &ctx, plan).await?;
    let version = |v: Option<&str>, field: &str| -> Result<liaison_app::plans::VersionRef, ApiError> {
        liaison_app::plans::VersionRef::parse(v.unwrap_or("current")).ok_or_else(|| ApiError::from(Problem::field(field, "invalid")))
    };
    let Some(from) = q.from.as_deref() else { return Err(ApiError::from(Problem::field("from", "required"))) };
    let (from, to) = (version(Some(from), "from")?, version(q.to.as_deref(), "to")?);
    #[cfg(feature = "pdf")]
    {
        let d = liaison_app::exports::redline_document(&s.app, &ctx, plan, from, to, "pdf").await?;
        let name = format!("{}-changes.pdf", d.plan.code);
        let doc = crate::documents::redline(&d, lang);
        pdf(move || liaison_docs::redline_pdf(&doc), &name).await
    }
    #[cfg(not(feature = "pdf"))]
    {
        let _ = (s, ctx, plan, lang, from, to);
        Err(no_pdf())
    }
}
