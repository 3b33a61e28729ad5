//! Roll-ups and reports of a plan's implementation.

use super::id;
use super::progress::PeriodQuery;
use crate::error::{ApiResult, Problem};
use crate::extract::{ApiQuery, Authed};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use liaison_app::summary::{self as uc, Summary};
use liaison_domain::PlanId;
use liaison_domain::report::ReportFormat;
use liaison_domain::text::UiLang;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(summary)).routes(routes!(report_csv)).routes(routes!(report_xlsx)).routes(routes!(report_pdf))
}

/// The plan's implementation summary over what you may see: items `by_status` and `by_area`,
/// weighted `progress` overall, by area and by top-level item, `overdue` items, indicators
/// against their targets, gender figures, progress over time and the latest assessment of each
/// perspective. `period` sets the period the figures stand at (default: the current one).
#[utoipa::path(get, path = "/plans/{id}/summary", tag = "implementation", params(("id" = String, Path, format = Uuid), PeriodQuery),
    responses((status = 200, body = Summary), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn summary(State(s): State<AppState>, Authed(ctx): Authed, Path(pid): Path<String>, ApiQuery(q): ApiQuery<PeriodQuery>) -> ApiResult<Response> {
    let sum = uc::summary(&s.app, &ctx, id::<PlanId>(&pid)?, q.period.as_deref()).await?;
    Ok(axum::Json(&*sum).into_response())
}

#[derive(Deserialize, IntoParams, Default)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ReportQuery {
    /// A reporting period's key (default: the current one).
    pub period: Option<String>,
    /// Language of titles: `en`, `sr-Cyrl` or `sr-Latn` (default `en`).
    pub lang: Option<String>,
}

/// The implementation report of a period as an XLSX workbook: the same table as `report.csv`
/// (figures as numbers, unrounded), the highest marking of its content in its first row and in
/// the file's properties; audited as an export.
#[utoipa::path(get, path = "/plans/{id}/report.xlsx", tag = "implementation", params(("id" = String, Path, format = Uuid), ReportQuery),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn report_xlsx(State(s): State<AppState>, Authed(ctx): Authed, Path(pid): Path<String>, ApiQuery(q): ApiQuery<ReportQuery>) -> ApiResult<Response> {
    let lang = q.lang.as_deref().and_then(UiLang::parse).unwrap_or_default();
    let plan = id::<PlanId>(&pid)?;
    let view = liaison_app::report::implementation(&s.app, &ctx, plan, q.period.as_deref(), ReportFormat::Xlsx, false).await?;
    let body = liaison_interop::report::xlsx(&view.report, lang).map_err(|e| crate::error::ApiError::from(liaison_app::AppError::Internal(e.to_string())))?;
    Ok(super::exports::download(
        body,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        &format!("report-{}-{}.xlsx", view.plan.code, view.report.period),
    ))
}

/// The implementation report as CSV (UTF-8 with a byte order mark): the marking on the first
/// line, then a row per item you may see (status, progress, lead, due,
/// overdue), and one per indicator with its actual, target, achievement and figures by sex.
#[utoipa::path(get, path = "/plans/{id}/report.csv", tag = "implementation", params(("id" = String, Path, format = Uuid), ReportQuery),
    responses((status = 200, content_type = "text/csv", body = String), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn report_csv(State(s): State<AppState>, Authed(ctx): Authed, Path(pid): Path<String>, ApiQuery(q): ApiQuery<ReportQuery>) -> ApiResult<Response> {
    let lang = q.lang.as_deref().and_then(UiLang::parse).unwrap_or_default();
    let plan = id::<PlanId>(&pid)?;
    let view = liaison_app::report::implementation(&s.app, &ctx, plan, q.period.as_deref(), ReportFormat::Csv, false).await?;
    let body = liaison_interop::report::csv(&view.report, lang, liaison_interop::csv::Options { bom: true })
        .map_err(|e| crate::error::ApiError::from(liaison_app::AppError::Internal(e.to_string())))?;
    let mut r = body.into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"report-{plan}.csv\"")) {
        r.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(r)
}

/// The implementation report of a period as a PDF document: its facts, the items by status,
/// progress by chapter and over the last eight periods, every item you may see with its report
/// for the period, each indicator with its figures and a chart of its actual values against its
/// targets, and the latest assessments; the highest marking of its content at the top and
/// bottom of every page, fonts embedded (Latin and Cyrillic). Audited as an export; 501 when
/// this Liaison was built without PDF.
#[utoipa::path(get, path = "/plans/{id}/report.pdf", tag = "implementation", params(("id" = String, Path, format = Uuid), ReportQuery),
    responses((status = 200, content_type = "application/pdf", body = Vec<u8>), (status = 404, body = Problem), (status = 422, body = Problem), (status = 501, body = Problem)))]
pub async fn report_pdf(State(s): State<AppState>, Authed(ctx): Authed, Path(pid): Path<String>, ApiQuery(q): ApiQuery<ReportQuery>) -> ApiResult<Response> {
    let lang = super::exports::lang(&super::exports::LangQuery { lang: q.lang.clone() })?;
    let plan = id::<PlanId>(&pid)?;
    #[cfg(feature = "pdf")]
    {
        let view = liaison_app::report::implementation(&s.app, &ctx, plan, q.period.as_deref(), ReportFormat::Pdf, false).await?;
        let name = format!("report-{}-{}.pdf", view.plan.code, view.report.period);
        let doc = crate::documents::report(&view.report, lang);
        super::exports::pdf(move || liaison_docs::report_pdf(&doc), &name).await
    }
    #[cfg(not(feature = "pdf"))]
    {
        liaison_app::plans::visible(&s.app, &ctx, plan).await?;
        let _ = (lang, q);
        Err(super::exports::no_pdf())
    }
}
