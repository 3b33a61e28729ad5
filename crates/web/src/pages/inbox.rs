//! The inbox: the signed-in user's notifications (reminders and news of the review workflow),
//! those they may still see.

use super::{Base, FormData, Page, PageError, render, see_other};
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use liaison_domain::NotificationId;
use liaison_domain::notification::Notification;

#[derive(Template)]
#[template(path = "notifications.html")]
struct InboxPage {
    base: Base,
    items: Vec<Notification>,
}

pub async fn notifications(State(s): State<AppState>, mut page: Page) -> Result<Response, PageError> {
    let items = liaison_app::views::implementation::inbox(&s.app, &page.ctx).await.map_err(|e| page.fail(e))?;
    for n in &items {
        page.base.mark(&n.marking);
    }
    let title = page.base.t("inbox-title");
    Ok(render(&InboxPage { base: page.base.with_title(title), items }))
}

pub async fn notifications_read(State(s): State<AppState>, page: Page, form: FormData) -> Result<Response, PageError> {
    let id = uuid::Uuid::try_parse(&form.value("id")).ok().map(NotificationId);
    liaison_app::notifications::mark_read(&s.app, &page.ctx, id).await.map_err(|e| page.fail(e))?;
    let next = form.get("next").map(|n| super::safe_next(Some(n))).unwrap_or_else(|| "/notifications".into());
    Ok(see_other(&next))
}
