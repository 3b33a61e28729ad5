//! The directory of organisations.

use super::{Page, created, id, versioned};
use crate::error::{ApiResult, Problem};
use crate::extract::{ApiJson, ApiQuery, Authed, IfMatch, PageQuery};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use liaison_app::history::{Record, history as record_history};
use liaison_app::organisations as uc;
use liaison_domain::OrganisationId;
use liaison_domain::change::Change;
use liaison_domain::organisation::{NewOrganisation, Organisation, OrganisationPatch};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list, create)).routes(routes!(get, update)).routes(routes!(history))
}

#[utoipa::path(get, path = "/organisations", tag = "directory", params(PageQuery),
    responses((status = 200, body = Page<Organisation>), (status = 401, body = Problem), (status = 422, body = Problem)))]
pub async fn list(State(s): State<AppState>, Authed(ctx): Authed, ApiQuery(q): ApiQuery<PageQuery>) -> ApiResult<Response> {
    Ok(axum::Json(uc::list(&s.app, &ctx, &q.paging()).await?).into_response())
}

/// Add an organisation (administrators).
#[utoipa::path(post, path = "/organisations", tag = "directory", request_body = NewOrganisation,
    responses((status = 201, body = Organisation), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create(State(s): State<AppState>, Authed(ctx): Authed, ApiJson(input): ApiJson<NewOrganisation>) -> ApiResult<Response> {
    let o = uc::create(&s.app, &ctx, input).await?;
    Ok(created(format!("/api/v1/organisations/{}", o.id), o.version, &o))
}

#[utoipa::path(get, path = "/organisations/{id}", tag = "directory", params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = Organisation), (status = 404, body = Problem)))]
pub async fn get(State(s): State<AppState>, Authed(ctx): Authed, Path(oid): Path<String>) -> ApiResult<Response> {
    let o = uc::get(&s.app, &ctx, id::<OrganisationId>(&oid)?).await?;
    Ok(versioned(StatusCode::OK, o.version, &o))
}

/// Change an organisation (administrators); needs `If-Match`.
#[utoipa::path(patch, path = "/organisations/{id}", tag = "directory", params(("id" = String, Path, format = Uuid)), request_body = OrganisationPatch,
    responses((status = 200, body = Organisation), (status = 404, body = Problem), (status = 412, body = Problem), (status = 422, body = Problem), (status = 428, body = Problem)))]
pub async fn update(
    State(s): State<AppState>,
    Authed(ctx): Authed,
    Path(oid): Path<String>,
    IfMatch(v): IfMatch,
    ApiJson(patch): ApiJson<OrganisationPatch>,
) -> ApiResult<Response> {
    let o = uc::update(&s.app, &ctx, id::<OrganisationId>(&oid)?, v, patch).await?;
    Ok(versioned(StatusCode::OK, o.version, &o))
}

#[utoipa::path(get, path = "/organisations/{id}/history", tag = "directory", params(("id" = String, Path, format = Uuid), PageQuery),
    responses((status = 200, body = Page<Change>), (status = 404, body = Problem)))]
pub async fn history(State(s): State<AppState>, Authed(ctx): Authed, Path(oid): Path<String>, ApiQuery(q): ApiQuery<PageQuery>) -> ApiResult<Response> {
    let r = Record::Organisation(id(&oid)?);
    Ok(axum::Json(record_history(&s.app, &ctx, r, &q.paging()).await?).into_response())
}
