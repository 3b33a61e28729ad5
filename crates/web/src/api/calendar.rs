//! The reporting calendar of a plan.

use super::{created, id, no_content, versioned};
use crate::error::{ApiResult, Problem};
use crate::extract::{ApiJson, Authed, IfMatch};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use liaison_app::calendar as uc;
use liaison_domain::PlanId;
use liaison_domain::calendar::{NewPeriod, PeriodPatch, ReportingPeriod};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list, create)).routes(routes!(update, delete)).routes(routes!(status))
}

/// The plan's reporting periods in time order (a plan gets quarters by default).
#[utoipa::path(get, path = "/plans/{id}/periods", tag = "implementation", params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = Vec<ReportingPeriod>), (status = 404, body = Problem)))]
pub async fn list(State(s): State<AppState>, Authed(ctx): Authed, Path(pid): Path<String>) -> ApiResult<Response> {
    Ok(axum::Json(uc::periods(&s.app, &ctx, id::<PlanId>(&pid)?).await?).into_response())
}

/// Add a custom period (coordinators). Periods may not overlap.
#[utoipa::path(post, path = "/plans/{id}/periods", tag = "implementation", params(("id" = String, Path, format = Uuid)), request_body = NewPeriod,
    responses((status = 201, body = ReportingPeriod), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn create(State(s): State<AppState>, Authed(ctx): Authed, Path(pid): Path<String>, ApiJson(input): ApiJson<NewPeriod>) -> ApiResult<Response> {
    let p = uc::add_period(&s.app, &ctx, id(&pid)?, input).await?;
    Ok(created(format!("/api/v1/plans/{pid}/periods/{}", p.key), p.version, &p))
}

/// Change the due date, or lock or unlock the period (unlocking needs a `reason`, kept in the
/// audit trail).
#[utoipa::path(patch, path = "/plans/{id}/periods/{key}", tag = "implementation", params(("id" = String, Path, format = Uuid), ("key" = String, Path)), request_body = PeriodPatch,
    responses((status = 200, body = ReportingPeriod), (status = 403, body = Problem), (status = 404, body = Problem), (status = 412, body = Problem), (status = 422, body = Problem), (status = 428, body = Problem)))]
pub async fn update(
    State(s): State<AppState>,
    Authed(ctx): Authed,
    Path((pid, key)): Path<(String, String)>,
    IfMatch(v): IfMatch,
    ApiJson(patch): ApiJson<PeriodPatch>,
) -> ApiResult<Response> {
    let p = uc::update_period(&s.app, &ctx, id(&pid)?, &key, v, patch).await?;
    Ok(versioned(StatusCode::OK, p.version, &p))
}

/// Remove a period without reports or measurements.
#[utoipa::path(delete, path = "/plans/{id}/periods/{key}", tag = "implementation", params(("id" = String, Path, format = Uuid), ("key" = String, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 412, body = Problem), (status = 428, body = Problem)))]
pub async fn delete(State(s): State<AppState>, Authed(ctx): Authed, Path((pid, key)): Path<(String, String)>, IfMatch(v): IfMatch) -> ApiResult<Response> {
    uc::delete_period(&s.app, &ctx, id(&pid)?, &key, v).await?;
    Ok(no_content())
}

/// Who has not reported for the period, by lead organisation (over the items you may see).
#[utoipa::path(get, path = "/plans/{id}/periods/{key}/status", tag = "implementation", params(("id" = String, Path, format = Uuid), ("key" = String, Path)),
    responses((status = 200, body = uc::PeriodStatus), (status = 404, body = Problem)))]
pub async fn status(State(s): State<AppState>, Authed(ctx): Authed, Path((pid, key)): Path<(String, String)>) -> ApiResult<Response> {
    Ok(axum::Json(uc::status(&s.app, &ctx, id(&pid)?, &key).await?).into_response())
}
