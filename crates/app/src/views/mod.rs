//! Read models for the pages of the workspace: one call per page, returning what the page shows
//! (read through the actor's reader) together with what the actor may do there (`may_*`), as
//! the domain decides it. The web layer lays them out and decides nothing.

pub mod admin;
pub mod implementation;
pub mod items;
pub mod plans;
pub mod stories;

use crate::{App, AppError, Ctx, Result};
use liaison_domain::access::Action;

/// What the header of every signed-in page shows: who is signed in and what they may reach.
#[derive(Clone, Debug, Default)]
pub struct Header {
    pub name: String,
    /// The short name of the user's organisation.
    pub organisation: String,
    pub may_admin: bool,
    pub may_read_users: bool,
    pub may_exchange: bool,
    /// Notifications the user has not read (those they may still see).
    pub unread: u64,
}

/// The signed-in user of a request carrying a session cookie, and the header of their pages.
pub async fn signed_in(app: &App, secret: &str, source: &str, request_id: &str) -> Result<(Ctx, Header)> {
    let ctx = crate::auth::authenticate_session(app, secret, source, request_id).await?;
    let header = match (ctx.actor.user(), ctx.actor.subject()) {
        (Some(u), Some(s)) => Header {
            name: u.display_name.clone(),
            organisation: crate::organisations::get(app, &ctx, u.organisation).await.map(|o| o.short_name).unwrap_or_default(),
            may_admin: s.may(Action::UserWrite, None),
            may_read_users: s.may(Action::UserRead, None),
            may_exchange: s.may(Action::ExchangeManage, None),
            unread: crate::notifications::unread(app, &ctx).await.unwrap_or(0),
        },
        _ => return Err(AppError::Unauthenticated),
    };
    Ok((ctx, header))
}
