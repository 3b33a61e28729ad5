//! The audit trail, for security officers.

use super::Page;
use crate::error::{ApiResult, Problem};
use crate::extract::{ApiQuery, Authed};
use crate::state::AppState;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use liaison_app::Paging;
use liaison_domain::change::{AuditParams, Change};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AuditListQuery {
    /// Changes by this user.
    pub actor: Option<String>,
    /// Kind of record, e.g. `item`, `user`, `account`.
    pub entity: Option<String>,
    /// One record.
    pub entity_id: Option<String>,
    /// What happened, e.g. `login_failed`, `permission_change`, `update`.
    pub action: Option<String>,
    /// Changes to one plan's records.
    pub plan: Option<String>,
    /// From this time (RFC 3339), inclusive.
    pub from: Option<String>,
    /// Until this time (RFC 3339), exclusive.
    pub to: Option<String>,
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

/// Audit events, newest first: every change, sign-in, failed sign-in, sign-out, token and
/// permission change, with actor, time, request id and source address.
#[utoipa::path(get, path = "/audit", tag = "audit", params(AuditListQuery),
    responses((status = 200, body = Page<Change>), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn list(State(s): State<AppState>, Authed(ctx): Authed, ApiQuery(q): ApiQuery<AuditListQuery>) -> ApiResult<Response> {
    let params = AuditParams { actor: q.actor, entity: q.entity, entity_id: q.entity_id, action: q.action, plan: q.plan, from: q.from, to: q.to };
    let paging = Paging { limit: q.limit, cursor: q.cursor };
    Ok(axum::Json(liaison_app::audit::search(&s.app, &ctx, &params, &paging).await?).into_response())
}
