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
    OpenApiRouter::new().routes(routes!(items_xlsx)).routes(routes!(items_csv))
}

#[derive(Deserialize, IntoParams, Default)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct LangQuery {
    /// Language of titles and descriptions: `en`, `sr-Cyrl` or `sr-Latn` (default `en`).
    pub lang: Option<String>,
}

fn lang(q: &LangQuery) -> Result<UiLang, ApiError> {
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
