//! The audit trail, for security officers.

use super::Page;
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::{ApiQuery, Authed};
use crate::state::AppState;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use liaison_app::Paging;
use liaison_domain::change::{AuditQuery, Change};
use liaison_domain::{PlanId, UserId};
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

fn bad(field: &str, expected: &str) -> ApiError {
    ApiError::from(Problem::expected(field, expected))
}

fn uuid_param(field: &str, v: &Option<String>) -> Result<Option<uuid::Uuid>, ApiError> {
    v.as_deref().map(|s| uuid::Uuid::try_parse(s).map_err(|_| bad(field, "id"))).transpose()
}

fn time_param(field: &str, v: &Option<String>) -> Result<Option<liaison_domain::Timestamp>, ApiError> {
    v.as_deref().map(|s| chrono::DateTime::parse_from_rfc3339(s).map(|t| t.with_timezone(&chrono::Utc)).map_err(|_| bad(field, "time"))).transpose()
}

/// Audit events, newest first: every change, sign-in, failed sign-in, sign-out, token and
/// permission change, with actor, time, request id and source address.
#[utoipa::path(get, path = "/audit", tag = "audit", params(AuditListQuery),
    responses((status = 200, body = Page<Change>), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn list(State(s): State<AppState>, Authed(ctx): Authed, ApiQuery(q): ApiQuery<AuditListQuery>) -> ApiResult<Response> {
    // Who may ask comes before what they asked.
    ctx.actor.require(liaison_domain::access::Action::AuditRead, liaison_domain::access::Target::Installation)?;
    let query = AuditQuery {
        actor: uuid_param("actor", &q.actor)?.map(UserId),
        entity: q.entity.clone(),
        entity_id: uuid_param("entity_id", &q.entity_id)?,
        action: q.action.clone(),
        plan: uuid_param("plan", &q.plan)?.map(PlanId),
        from: time_param("from", &q.from)?,
        to: time_param("to", &q.to)?,
    };
    let paging = Paging { limit: q.limit, cursor: q.cursor.clone() };
    Ok(axum::Json(liaison_app::audit::list(&s.app, &ctx, &query, &paging).await?).into_response())
}
