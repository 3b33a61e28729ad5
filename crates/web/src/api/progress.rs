//! Progress updates and their review.

use super::{created, id, versioned};
use crate::error::{ApiResult, Problem};
use crate::extract::{ApiJson, ApiQuery, Authed, IfMatch, PageQuery};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use liaison_app::history::{Record, history as record_history};
use liaison_app::progress as uc;
use liaison_domain::change::Change;
use liaison_domain::progress::{NewUpdate, ProgressUpdate, StepInput, UpdatePatch};
use liaison_domain::{ItemId, PlanId, UpdateId};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(of_item, create)).routes(routes!(of_plan)).routes(routes!(get, update)).routes(routes!(step)).routes(routes!(history))
}

#[derive(Deserialize, IntoParams, Default)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PeriodQuery {
    /// A reporting period's key, e.g. `2015-Q3`.
    pub period: Option<String>,
}

/// The item's progress updates you may see, newest period first.
#[utoipa::path(get, path = "/items/{id}/updates", tag = "implementation", params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = Vec<ProgressUpdate>), (status = 404, body = Problem)))]
pub async fn of_item(State(s): State<AppState>, Authed(ctx): Authed, Path(iid): Path<String>) -> ApiResult<Response> {
    Ok(axum::Json(uc::of_item(&s.app, &ctx, id::<ItemId>(&iid)?).await?).into_response())
}

/// Write a draft progress update on the item for a period (partner editors; reporters on items
/// their organisation leads). One per item and period.
#[utoipa::path(post, path = "/items/{id}/updates", tag = "implementation", params(("id" = String, Path, format = Uuid)), request_body = NewUpdate,
    responses((status = 201, body = ProgressUpdate), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create(State(s): State<AppState>, Authed(ctx): Authed, Path(iid): Path<String>, ApiJson(input): ApiJson<NewUpdate>) -> ApiResult<Response> {
    let u = uc::create(&s.app, &ctx, id(&iid)?, input).await?;
    Ok(created(format!("/api/v1/updates/{}", u.id), u.version, &u))
}

/// The plan's progress updates you may see, optionally of one period.
#[utoipa::path(get, path = "/plans/{id}/updates", tag = "implementation", params(("id" = String, Path, format = Uuid), PeriodQuery),
    responses((status = 200, body = Vec<ProgressUpdate>), (status = 404, body = Problem)))]
pub async fn of_plan(State(s): State<AppState>, Authed(ctx): Authed, Path(pid): Path<String>, ApiQuery(q): ApiQuery<PeriodQuery>) -> ApiResult<Response> {
    Ok(axum::Json(uc::of_plan(&s.app, &ctx, id::<PlanId>(&pid)?, q.period.as_deref()).await?).into_response())
}

#[utoipa::path(get, path = "/updates/{id}", tag = "implementation", params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = ProgressUpdate), (status = 404, body = Problem)))]
pub async fn get(State(s): State<AppState>, Authed(ctx): Authed, Path(uid): Path<String>) -> ApiResult<Response> {
    let u = uc::get(&s.app, &ctx, id::<UpdateId>(&uid)?).await?;
    Ok(versioned(StatusCode::OK, u.version, &u))
}

/// Revise a draft or returned update.
#[utoipa::path(patch, path = "/updates/{id}", tag = "implementation", params(("id" = String, Path, format = Uuid)), request_body = UpdatePatch,
    responses((status = 200, body = ProgressUpdate), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 412, body = Problem), (status = 422, body = Problem), (status = 428, body = Problem)))]
pub async fn update(
    State(s): State<AppState>,
    Authed(ctx): Authed,
    Path(uid): Path<String>,
    IfMatch(v): IfMatch,
    ApiJson(patch): ApiJson<UpdatePatch>,
) -> ApiResult<Response> {
    let u = uc::update(&s.app, &ctx, id(&uid)?, v, patch).await?;
    Ok(versioned(StatusCode::OK, u.version, &u))
}

/// Move the update through review: `submit` (reporters), `return` with a `reason`, `approve`
/// (locks it and applies its status to the item) or `reopen` with a `reason` (coordinators).
#[utoipa::path(post, path = "/updates/{id}/steps", tag = "implementation", params(("id" = String, Path, format = Uuid)), request_body = StepInput,
    responses((status = 200, body = ProgressUpdate), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 412, body = Problem), (status = 422, body = Problem), (status = 428, body = Problem)))]
pub async fn step(
    State(s): State<AppState>,
    Authed(ctx): Authed,
    Path(uid): Path<String>,
    IfMatch(v): IfMatch,
    ApiJson(input): ApiJson<StepInput>,
) -> ApiResult<Response> {
    let u = uc::step(&s.app, &ctx, id(&uid)?, v, input).await?;
    Ok(versioned(StatusCode::OK, u.version, &u))
}

#[utoipa::path(get, path = "/updates/{id}/history", tag = "implementation", params(("id" = String, Path, format = Uuid), PageQuery),
    responses((status = 200, body = super::Page<Change>), (status = 404, body = Problem)))]
pub async fn history(State(s): State<AppState>, Authed(ctx): Authed, Path(uid): Path<String>, ApiQuery(q): ApiQuery<PageQuery>) -> ApiResult<Response> {
    Ok(axum::Json(record_history(&s.app, &ctx, Record::Update(id(&uid)?), &q.paging()).await?).into_response())
}
