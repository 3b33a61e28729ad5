//! Plans: lifecycle, approvals, versions, members.

use super::{Page, created, id, no_content, versioned};
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::{ApiJson, ApiQuery, Authed, IfMatch, PageQuery};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use liaison_app::Paging;
use liaison_app::history::{Record, history as record_history};
use liaison_app::plans::{self as uc, ApprovalStatus, ApproveInput, Member, SetMember, VersionRef};
use liaison_domain::change::Change;
use liaison_domain::plan::{NewPlan, Plan, PlanPatch, PlanState};
use liaison_domain::version::{Comparison, Snapshot};
use liaison_domain::{FieldError, PlanId, UserId};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get, update))
        .routes(routes!(history))
        .routes(routes!(transition))
        .routes(routes!(approvals, approve))
        .routes(routes!(versions))
        .routes(routes!(version))
        .routes(routes!(compare))
        .routes(routes!(members, set_member))
        .routes(routes!(remove_member))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PlanListQuery {
    /// Only plans in this state.
    pub state: Option<PlanState>,
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

/// The plans you may see.
#[utoipa::path(get, path = "/plans", tag = "plans", params(PlanListQuery),
    responses((status = 200, body = Page<Plan>), (status = 401, body = Problem), (status = 422, body = Problem)))]
pub async fn list(State(s): State<AppState>, Authed(ctx): Authed, ApiQuery(q): ApiQuery<PlanListQuery>) -> ApiResult<Response> {
    let paging = Paging { limit: q.limit, cursor: q.cursor };
    Ok(axum::Json(uc::list(&s.app, &ctx, q.state, &paging).await?).into_response())
}

/// Start a plan (alliance staff and administrators). The creator becomes its coordinator.
#[utoipa::path(post, path = "/plans", tag = "plans", request_body = NewPlan,
    responses((status = 201, body = Plan), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create(State(s): State<AppState>, Authed(ctx): Authed, ApiJson(input): ApiJson<NewPlan>) -> ApiResult<Response> {
    let p = uc::create(&s.app, &ctx, input).await?;
    Ok(created(format!("/api/v1/plans/{}", p.id), p.version, &p))
}

#[utoipa::path(get, path = "/plans/{id}", tag = "plans", params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = Plan), (status = 404, body = Problem)))]
pub async fn get(State(s): State<AppState>, Authed(ctx): Authed, Path(pid): Path<String>) -> ApiResult<Response> {
    let p = uc::get(&s.app, &ctx, id::<PlanId>(&pid)?).await?;
    Ok(versioned(StatusCode::OK, p.version, &p))
}

/// Change the plan's own fields (its state changes through transitions).
#[utoipa::path(patch, path = "/plans/{id}", tag = "plans", params(("id" = String, Path, format = Uuid)), request_body = PlanPatch,
    responses((status = 200, body = Plan), (status = 403, body = Problem), (status = 404, body = Problem), (status = 412, body = Problem), (status = 422, body = Problem), (status = 428, body = Problem)))]
pub async fn update(
    State(s): State<AppState>,
    Authed(ctx): Authed,
    Path(pid): Path<String>,
    IfMatch(v): IfMatch,
    ApiJson(patch): ApiJson<PlanPatch>,
) -> ApiResult<Response> {
    let p = uc::update(&s.app, &ctx, id::<PlanId>(&pid)?, v, patch).await?;
    Ok(versioned(StatusCode::OK, p.version, &p))
}

#[utoipa::path(get, path = "/plans/{id}/history", tag = "plans", params(("id" = String, Path, format = Uuid), PageQuery),
    responses((status = 200, body = Page<Change>), (status = 404, body = Problem)))]
pub async fn history(State(s): State<AppState>, Authed(ctx): Authed, Path(pid): Path<String>, ApiQuery(q): ApiQuery<PageQuery>) -> ApiResult<Response> {
    let r = Record::Plan(id(&pid)?);
    Ok(axum::Json(record_history(&s.app, &ctx, r, &q.paging()).await?).into_response())
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransitionInput {
    /// The state to move to.
    pub to: PlanState,
}

/// Move the plan through its lifecycle (coordinators); needs `If-Match` with the plan's
/// version. Agreeing needs both sides' approval of the current content and freezes a version.
#[utoipa::path(post, path = "/plans/{id}/transitions", tag = "plans", params(("id" = String, Path, format = Uuid)), request_body = TransitionInput,
    responses((status = 200, body = Plan), (status = 403, body = Problem), (status = 404, body = Problem), (status = 412, body = Problem), (status = 422, body = Problem), (status = 428, body = Problem)))]
pub async fn transition(
    State(s): State<AppState>,
    Authed(ctx): Authed,
    Path(pid): Path<String>,
    IfMatch(v): IfMatch,
    ApiJson(input): ApiJson<TransitionInput>,
) -> ApiResult<Response> {
    let p = uc::transition(&s.app, &ctx, id::<PlanId>(&pid)?, v, input.to).await?;
    Ok(versioned(StatusCode::OK, p.version, &p))
}

#[utoipa::path(get, path = "/plans/{id}/approvals", tag = "plans", params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = ApprovalStatus), (status = 404, body = Problem)))]
pub async fn approvals(State(s): State<AppState>, Authed(ctx): Authed, Path(pid): Path<String>) -> ApiResult<Response> {
    Ok(axum::Json(uc::approvals(&s.app, &ctx, id::<PlanId>(&pid)?).await?).into_response())
}

/// Approve the current content for your side (coordinator: owner; partner editor: partner).
#[utoipa::path(post, path = "/plans/{id}/approvals", tag = "plans", params(("id" = String, Path, format = Uuid)), request_body = ApproveInput,
    responses((status = 201, body = ApprovalStatus), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn approve(State(s): State<AppState>, Authed(ctx): Authed, Path(pid): Path<String>, ApiJson(input): ApiJson<ApproveInput>) -> ApiResult<Response> {
    let st = uc::approve(&s.app, &ctx, id::<PlanId>(&pid)?, input).await?;
    Ok((StatusCode::CREATED, axum::Json(st)).into_response())
}

/// An agreed version.
#[derive(Serialize, ToSchema)]
pub struct VersionView {
    pub number: i32,
    #[schema(value_type = String, format = DateTime)]
    pub agreed_at: liaison_domain::Timestamp,
    pub content_hash: String,
}

#[utoipa::path(get, path = "/plans/{id}/versions", tag = "plans", params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = Vec<VersionView>), (status = 404, body = Problem)))]
pub async fn versions(State(s): State<AppState>, Authed(ctx): Authed, Path(pid): Path<String>) -> ApiResult<Response> {
    let v: Vec<VersionView> = uc::versions(&s.app, &ctx, id::<PlanId>(&pid)?)
        .await?
        .into_iter()
        .map(|v| VersionView { number: v.number, agreed_at: v.agreed_at, content_hash: v.content_hash })
        .collect();
    Ok(axum::Json(v).into_response())
}

fn version_ref(field: &str, s: &str) -> Result<VersionRef, ApiError> {
    VersionRef::parse(s).ok_or_else(|| ApiError::from(Problem::invalid(vec![FieldError::coded(field, "invalid", &[("expected", "version")])])))
}

/// The content of an agreed version (or `current`), limited to what you may see.
#[utoipa::path(get, path = "/plans/{id}/versions/{version}", tag = "plans",
    params(("id" = String, Path, format = Uuid), ("version" = String, Path, description = "A version number or `current`")),
    responses((status = 200, body = Snapshot), (status = 404, body = Problem)))]
pub async fn version(State(s): State<AppState>, Authed(ctx): Authed, Path((pid, v)): Path<(String, String)>) -> ApiResult<Response> {
    let pid: PlanId = id(&pid)?;
    let v = VersionRef::parse(&v).ok_or(ApiError::from(Problem::not_found()))?;
    Ok(axum::Json(uc::version_content(&s.app, &ctx, pid, v).await?).into_response())
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CompareQuery {
    /// A version number or `current`.
    pub from: String,
    /// A version number or `current` (default).
    pub to: Option<String>,
}

/// What changed from one version to another: added, removed and changed items, field by field.
#[utoipa::path(get, path = "/plans/{id}/compare", tag = "plans", params(("id" = String, Path, format = Uuid), CompareQuery),
    responses((status = 200, body = Comparison), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn compare(State(s): State<AppState>, Authed(ctx): Authed, Path(pid): Path<String>, ApiQuery(q): ApiQuery<CompareQuery>) -> ApiResult<Response> {
    let pid: PlanId = id(&pid)?;
    let from = version_ref("from", &q.from)?;
    let to = version_ref("to", q.to.as_deref().unwrap_or("current"))?;
    Ok(axum::Json(uc::compare_versions(&s.app, &ctx, pid, from, to).await?).into_response())
}

#[utoipa::path(get, path = "/plans/{id}/members", tag = "plans", params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = Vec<Member>), (status = 404, body = Problem)))]
pub async fn members(State(s): State<AppState>, Authed(ctx): Authed, Path(pid): Path<String>) -> ApiResult<Response> {
    Ok(axum::Json(uc::members(&s.app, &ctx, id::<PlanId>(&pid)?).await?).into_response())
}

/// Give a user a role on the plan, replacing any role they had.
#[utoipa::path(post, path = "/plans/{id}/members", tag = "plans", params(("id" = String, Path, format = Uuid)), request_body = SetMember,
    responses((status = 200, body = Member), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn set_member(State(s): State<AppState>, Authed(ctx): Authed, Path(pid): Path<String>, ApiJson(input): ApiJson<SetMember>) -> ApiResult<Response> {
    let m = uc::set_member(&s.app, &ctx, id::<PlanId>(&pid)?, input).await?;
    Ok(versioned(StatusCode::OK, m.version, &m))
}

/// Take a user's role on the plan away; needs `If-Match` with the membership's version.
#[utoipa::path(delete, path = "/plans/{id}/members/{user}", tag = "plans", params(("id" = String, Path, format = Uuid), ("user" = String, Path, format = Uuid)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem), (status = 412, body = Problem), (status = 428, body = Problem)))]
pub async fn remove_member(
    State(s): State<AppState>,
    Authed(ctx): Authed,
    Path((pid, uid)): Path<(String, String)>,
    IfMatch(v): IfMatch,
) -> ApiResult<Response> {
    uc::remove_member(&s.app, &ctx, id::<PlanId>(&pid)?, id::<UserId>(&uid)?, v).await?;
    Ok(no_content())
}
