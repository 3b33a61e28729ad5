//! The portfolio across partners and cycles.

use crate::error::{ApiResult, Problem};
use crate::extract::{ApiQuery, Authed};
use crate::state::AppState;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use liaison_domain::portfolio::{Portfolio, PortfolioParams};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(portfolio))
}

/// Every plan you may see, across partners and cycles, with its `cycle` (1 for a first plan,
/// its predecessor's + 1 after), whether it is its partner's `current` cycle, its state and its
/// figures over what you may see: weighted `progress`, `overdue` items, `late_reports` for the
/// last period that fell due, open `requests` and those `without_support` (no live offer), and
/// the latest assessment of each perspective as a `position` on a 0–100 line. A plan you may not
/// see is neither listed nor counted.
#[utoipa::path(get, path = "/portfolio", tag = "implementation",
    params(
        ("partner" = Option<String>, Query, format = Uuid, description = "Only this partner organisation's plans"),
        ("state" = Option<String>, Query, description = "Only plans in this state (drafting, negotiation, agreed, implementation, assessment, closed, superseded)"),
        ("cycle" = Option<String>, Query, description = "current (each partner's latest cycle) or all (default)"),
        ("sort" = Option<String>, Query, description = "partner (default), plan, cycle, state, progress, overdue, late, unsupported"),
        ("order" = Option<String>, Query, description = "asc (default) or desc"),
    ),
    responses((status = 200, body = Portfolio), (status = 401, body = Problem), (status = 422, body = Problem)))]
pub async fn portfolio(State(s): State<AppState>, Authed(ctx): Authed, ApiQuery(q): ApiQuery<PortfolioParams>) -> ApiResult<Response> {
    let q = q.parse().map_err(liaison_app::AppError::Invalid)?;
    Ok(axum::Json(liaison_app::portfolio::portfolio(&s.app, &ctx, &q).await?).into_response())
}
