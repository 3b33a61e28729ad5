//! Decisions recorded on plans.

use super::{Page, created, id, no_content, versioned};
use crate::error::{ApiResult, Problem};
use crate::extract::{ApiJson, ApiQuery, Authed, IfMatch, PageQuery};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use liaison_app::decisions as uc;
use liaison_app::history::{Record, history as record_history};
use liaison_domain::change::Change;
use liaison_domain::decision::{Decision, DecisionPatch, NewDecision};
use liaison_domain::{DecisionId, PlanId};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list, create)).routes(routes!(get, update, delete)).routes(routes!(history))
}

/// The plan's decisions you may see, by date.
#[utoipa::path(get, path = "/plans/{id}/decisions", tag = "decisions", params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = Vec<Decision>), (status = 404, body = Problem)))]
pub async fn list(State(s): State<AppState>, Authed(ctx): Authed, Path(pid): Path<String>) -> ApiResult<Response> {
    Ok(axum::Json(uc::list(&s.app, &ctx, id::<PlanId>(&pid)?).await?).into_response())
}

#[utoipa::path(post, path = "/plans/{id}/decisions", tag = "decisions", params(("id" = String, Path, format = Uuid)), request_body = NewDecision,
    responses((status = 201, body = Decision), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn create(State(s): State<AppState>, Authed(ctx): Authed, Path(pid): Path<String>, ApiJson(input): ApiJson<NewDecision>) -> ApiResult<Response> {
    let d = uc::create(&s.app, &ctx, id(&pid)?, input).await?;
    Ok(created(format!("/api/v1/decisions/{}", d.id), d.version, &d))
}

#[utoipa::path(get, path = "/decisions/{id}", tag = "decisions", params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = Decision), (status = 404, body = Problem)))]
pub async fn get(State(s): State<AppState>, Authed(ctx): Authed, Path(did): Path<String>) -> ApiResult<Response> {
    let d = uc::get(&s.app, &ctx, id::<DecisionId>(&did)?).await?;
    Ok(versioned(StatusCode::OK, d.version, &d))
}

#[utoipa::path(patch, path = "/decisions/{id}", tag = "decisions", params(("id" = String, Path, format = Uuid)), request_body = DecisionPatch,
    responses((status = 200, body = Decision), (status = 403, body = Problem), (status = 404, body = Problem), (status = 412, body = Problem), (status = 422, body = Problem), (status = 428, body = Problem)))]
pub async fn update(
    State(s): State<AppState>,
    Authed(ctx): Authed,
    Path(did): Path<String>,
    IfMatch(v): IfMatch,
    ApiJson(patch): ApiJson<DecisionPatch>,
) -> ApiResult<Response> {
    let d = uc::update(&s.app, &ctx, id(&did)?, v, patch).await?;
    Ok(versioned(StatusCode::OK, d.version, &d))
}

#[utoipa::path(delete, path = "/decisions/{id}", tag = "decisions", params(("id" = String, Path, format = Uuid)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem), (status = 412, body = Problem), (status = 428, body = Problem)))]
pub async fn delete(State(s): State<AppState>, Authed(ctx): Authed, Path(did): Path<String>, IfMatch(v): IfMatch) -> ApiResult<Response> {
    uc::delete(&s.app, &ctx, id(&did)?, v).await?;
    Ok(no_content())
}

#[utoipa::path(get, path = "/decisions/{id}/history", tag = "decisions", params(("id" = String, Path, format = Uuid), PageQuery),
    responses((status = 200, body = Page<Change>), (status = 404, body = Problem)))]
pub async fn history(State(s): State<AppState>, Authed(ctx): Authed, Path(did): Path<String>, ApiQuery(q): ApiQuery<PageQuery>) -> ApiResult<Response> {
    let r = Record::Decision(id(&did)?);
    Ok(axum::Json(record_history(&s.app, &ctx, r, &q.paging()).await?).into_response())
}
