//! The administration pages: accounts (administrators change them, security officers read
//! them) and organisations (administrators).

use crate::{App, Ctx, Paging, Result};
use liaison_domain::access::{Action, Target, Verdict};
use liaison_domain::marking::Level;
use liaison_domain::organisation::Organisation;
use liaison_domain::user::User;
use liaison_domain::{OrganisationId, UserId};

pub struct UsersView {
    pub users: Vec<User>,
    pub organisations: Vec<Organisation>,
    pub levels: Vec<Level>,
    pub default_level: Level,
    pub may_write: bool,
}

pub async fn users(app: &App, ctx: &Ctx) -> Result<UsersView> {
    let mut users = Vec::new();
    let mut paging = Paging { limit: Some(500), cursor: None };
    loop {
        let p = crate::users::list(app, ctx, &paging).await?;
        users.extend(p.items);
        match p.next_cursor {
            Some(c) => paging.cursor = Some(c),
            None => break,
        }
    }
    Ok(UsersView {
        users,
        organisations: crate::organisations::all(app, ctx).await?,
        levels: app.config.scheme.levels().to_vec(),
        default_level: app.config.scheme.default_level(),
        may_write: ctx.actor.decide(Action::UserWrite, Target::Installation) == Verdict::Allow,
    })
}

pub struct UserView {
    pub user: User,
    pub organisations: Vec<Organisation>,
    pub levels: Vec<Level>,
}

pub async fn user(app: &App, ctx: &Ctx, id: UserId) -> Result<UserView> {
    ctx.actor.require(Action::UserRead, Target::Installation)?;
    Ok(UserView {
        user: crate::users::get(app, ctx, id).await?,
        organisations: crate::organisations::all(app, ctx).await?,
        levels: app.config.scheme.levels().to_vec(),
    })
}

pub struct OrganisationsView {
    pub organisations: Vec<Organisation>,
    /// The organisation being changed, if any.
    pub editing: Option<Organisation>,
}

pub async fn organisations(app: &App, ctx: &Ctx, editing: Option<OrganisationId>) -> Result<OrganisationsView> {
    ctx.actor.require(Action::DirectoryWrite, Target::Installation)?;
    let editing = match editing {
        Some(id) => Some(crate::organisations::get(app, ctx, id).await?),
        None => None,
    };
    let mut organisations = crate::organisations::all(app, ctx).await?;
    organisations.sort_by(|a, b| a.short_name.cmp(&b.short_name));
    Ok(OrganisationsView { organisations, editing })
}
