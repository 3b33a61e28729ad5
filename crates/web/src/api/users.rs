//! Accounts, for administrators (and security officers, who may read them).

use super::{Page, created, id, no_content, versioned};
use crate::error::{ApiResult, Problem};
use crate::extract::{ApiJson, ApiQuery, Authed, IfMatch, PageQuery};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use liaison_app::history::{Record, history as record_history};
use liaison_app::users as uc;
use liaison_domain::UserId;
use liaison_domain::change::Change;
use liaison_domain::user::{NewUser, User, UserPatch};
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list, create)).routes(routes!(get, update)).routes(routes!(set_password)).routes(routes!(history))
}

#[utoipa::path(get, path = "/users", tag = "users", params(PageQuery),
    responses((status = 200, body = Page<User>), (status = 403, body = Problem)))]
pub async fn list(State(s): State<AppState>, Authed(ctx): Authed, ApiQuery(q): ApiQuery<PageQuery>) -> ApiResult<Response> {
    Ok(axum::Json(uc::list(&s.app, &ctx, &q.paging()).await?).into_response())
}

#[utoipa::path(post, path = "/users", tag = "users", request_body = NewUser,
    responses((status = 201, body = User), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create(State(s): State<AppState>, Authed(ctx): Authed, ApiJson(input): ApiJson<NewUser>) -> ApiResult<Response> {
    let u = uc::create(&s.app, &ctx, input).await?;
    Ok(created(format!("/api/v1/users/{}", u.id), u.version, &u))
}

#[utoipa::path(get, path = "/users/{id}", tag = "users", params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = User), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn get(State(s): State<AppState>, Authed(ctx): Authed, Path(uid): Path<String>) -> ApiResult<Response> {
    let u = uc::get(&s.app, &ctx, id::<UserId>(&uid)?).await?;
    Ok(versioned(StatusCode::OK, u.version, &u))
}

/// Change an account: name, e-mail, organisation, clearance, status, global roles.
#[utoipa::path(patch, path = "/users/{id}", tag = "users", params(("id" = String, Path, format = Uuid)), request_body = UserPatch,
    responses((status = 200, body = User), (status = 403, body = Problem), (status = 404, body = Problem), (status = 412, body = Problem), (status = 422, body = Problem), (status = 428, body = Problem)))]
pub async fn update(
    State(s): State<AppState>,
    Authed(ctx): Authed,
    Path(uid): Path<String>,
    IfMatch(v): IfMatch,
    ApiJson(patch): ApiJson<UserPatch>,
) -> ApiResult<Response> {
    let u = uc::update(&s.app, &ctx, id::<UserId>(&uid)?, v, patch).await?;
    Ok(versioned(StatusCode::OK, u.version, &u))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPassword {
    pub password: String,
}

/// Set an account's password (administrators); every session of the account ends.
#[utoipa::path(put, path = "/users/{id}/password", tag = "users", params(("id" = String, Path, format = Uuid)), request_body = NewPassword,
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn set_password(
    State(s): State<AppState>,
    Authed(ctx): Authed,
    Path(uid): Path<String>,
    ApiJson(input): ApiJson<NewPassword>,
) -> ApiResult<Response> {
    uc::reset_password(&s.app, &ctx, id(&uid)?, &input.password).await?;
    Ok(no_content())
}

#[utoipa::path(get, path = "/users/{id}/history", tag = "users", params(("id" = String, Path, format = Uuid), PageQuery),
    responses((status = 200, body = Page<Change>), (status = 404, body = Problem)))]
pub async fn history(State(s): State<AppState>, Authed(ctx): Authed, Path(uid): Path<String>, ApiQuery(q): ApiQuery<PageQuery>) -> ApiResult<Response> {
    let r = Record::User(id(&uid)?);
    Ok(axum::Json(record_history(&s.app, &ctx, r, &q.paging()).await?).into_response())
}
