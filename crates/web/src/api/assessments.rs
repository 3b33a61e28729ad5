//! Assessments from several perspectives.

use super::progress::PeriodQuery;
use super::{created, id, versioned};
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::{ApiJson, ApiQuery, Authed, IfMatch, PageQuery};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use liaison_app::assessments as uc;
use liaison_app::history::{Record, history as record_history};
use liaison_domain::assessment::{Assessment, AssessmentPatch, NewAssessment};
use liaison_domain::change::Change;
use liaison_domain::{AssessmentId, PlanId};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list, create)).routes(routes!(compare)).routes(routes!(get, update)).routes(routes!(history))
}

/// The plan's assessments you may see (ratings only on items you may see).
#[utoipa::path(get, path = "/plans/{id}/assessments", tag = "implementation", params(("id" = String, Path, format = Uuid), PeriodQuery),
    responses((status = 200, body = Vec<Assessment>), (status = 404, body = Problem)))]
pub async fn list(State(s): State<AppState>, Authed(ctx): Authed, Path(pid): Path<String>, ApiQuery(q): ApiQuery<PeriodQuery>) -> ApiResult<Response> {
    Ok(axum::Json(uc::of_plan(&s.app, &ctx, id::<PlanId>(&pid)?, q.period.as_deref()).await?).into_response())
}

/// Start an assessment of a period from your perspective: `self` (partner editors), `alliance`
/// (coordinators) or `independent` (assessors), on the `completion` or `rag` scale.
#[utoipa::path(post, path = "/plans/{id}/assessments", tag = "implementation", params(("id" = String, Path, format = Uuid)), request_body = NewAssessment,
    responses((status = 201, body = Assessment), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create(State(s): State<AppState>, Authed(ctx): Authed, Path(pid): Path<String>, ApiJson(input): ApiJson<NewAssessment>) -> ApiResult<Response> {
    let a = uc::create(&s.app, &ctx, id(&pid)?, input).await?;
    Ok(created(format!("/api/v1/assessments/{}", a.id), a.version, &a))
}

/// The perspectives of a period side by side, item by item, with disagreements flagged.
#[utoipa::path(get, path = "/plans/{id}/assessments/compare", tag = "implementation", params(("id" = String, Path, format = Uuid), PeriodQuery),
    responses((status = 200, body = uc::Comparison), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn compare(State(s): State<AppState>, Authed(ctx): Authed, Path(pid): Path<String>, ApiQuery(q): ApiQuery<PeriodQuery>) -> ApiResult<Response> {
    let period = q.period.ok_or_else(|| ApiError::from(Problem::field("period", "required")))?;
    Ok(axum::Json(uc::compare(&s.app, &ctx, id(&pid)?, &period).await?).into_response())
}

#[utoipa::path(get, path = "/assessments/{id}", tag = "implementation", params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = Assessment), (status = 404, body = Problem)))]
pub async fn get(State(s): State<AppState>, Authed(ctx): Authed, Path(aid): Path<String>) -> ApiResult<Response> {
    let a = uc::get(&s.app, &ctx, id::<AssessmentId>(&aid)?).await?;
    Ok(versioned(StatusCode::OK, a.version, &a))
}

/// Change a draft assessment: its narrative, ratings per item (an empty `rating` clears one),
/// or `"final": true` to close it.
#[utoipa::path(patch, path = "/assessments/{id}", tag = "implementation", params(("id" = String, Path, format = Uuid)), request_body = AssessmentPatch,
    responses((status = 200, body = Assessment), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 412, body = Problem), (status = 422, body = Problem), (status = 428, body = Problem)))]
pub async fn update(
    State(s): State<AppState>,
    Authed(ctx): Authed,
    Path(aid): Path<String>,
    IfMatch(v): IfMatch,
    ApiJson(patch): ApiJson<AssessmentPatch>,
) -> ApiResult<Response> {
    let a = uc::update(&s.app, &ctx, id(&aid)?, v, patch).await?;
    Ok(versioned(StatusCode::OK, a.version, &a))
}

#[utoipa::path(get, path = "/assessments/{id}/history", tag = "implementation", params(("id" = String, Path, format = Uuid), PageQuery),
    responses((status = 200, body = super::Page<Change>), (status = 404, body = Problem)))]
pub async fn history(State(s): State<AppState>, Authed(ctx): Authed, Path(aid): Path<String>, ApiQuery(q): ApiQuery<PageQuery>) -> ApiResult<Response> {
    Ok(axum::Json(record_history(&s.app, &ctx, Record::Assessment(id(&aid)?), &q.paging()).await?).into_response())
}
