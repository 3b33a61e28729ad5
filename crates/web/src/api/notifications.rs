//! The signed-in user's notifications.

use crate::error::{ApiResult, Problem};
use crate::extract::{ApiJson, Authed};
use crate::state::AppState;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use liaison_app::notifications as uc;
use liaison_domain::NotificationId;
use liaison_domain::notification::Notification;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list)).routes(routes!(mark_read))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Inbox {
    pub unread: u64,
    pub items: Vec<Notification>,
}

/// Your latest notifications (reminders of reports due, news of reviews), newest first.
#[utoipa::path(get, path = "/me/notifications", tag = "auth",
    responses((status = 200, body = Inbox), (status = 401, body = Problem)))]
pub async fn list(State(s): State<AppState>, Authed(ctx): Authed) -> ApiResult<Response> {
    let items = uc::mine(&s.app, &ctx, 100).await?;
    let unread = uc::unread(&s.app, &ctx).await?;
    Ok(axum::Json(Inbox { unread, items }).into_response())
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MarkRead {
    /// One notification; absent marks all read.
    #[serde(default)]
    pub id: Option<NotificationId>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Marked {
    pub marked: u64,
}

/// Mark one notification, or all, read.
#[utoipa::path(post, path = "/me/notifications/read", tag = "auth", request_body = MarkRead,
    responses((status = 200, body = Marked), (status = 401, body = Problem), (status = 422, body = Problem)))]
pub async fn mark_read(State(s): State<AppState>, Authed(ctx): Authed, ApiJson(input): ApiJson<MarkRead>) -> ApiResult<Response> {
    let marked = uc::mark_read(&s.app, &ctx, input.id).await?;
    Ok(axum::Json(Marked { marked }).into_response())
}
