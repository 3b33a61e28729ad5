//! User accounts: administrators manage them; everyone manages their own password.

use crate::auth::hash_password;
use crate::versioned;
use crate::{App, AppError, Ctx, Paging, Result, check_version, snapshot};

/// Setting and changing passwords is part of signing in (`auth::password`).
pub use crate::auth::{reset_password, set_password};
use liaison_domain::access::{Action, GlobalRole, Target};
use liaison_domain::change::ChangeDraft;
use liaison_domain::page::Page;
use liaison_domain::text::UiLang;
use liaison_domain::user::{NewUser, User, UserPatch, UserStatus, check_email};
use liaison_domain::validation::rules;
use liaison_domain::{Problems, UserId};
use liaison_store::{auth as store_auth, organisations, users as store};

pub async fn create(app: &App, ctx: &Ctx, input: NewUser) -> Result<User> {
    ctx.actor.require(Action::UserWrite, Target::Installation)?;
    input.validate(app.config.scheme)?;
    let now = app.now();
    let hash = hash_password(app, &input.password).await?;
    let mut roles = input.global_roles.clone();
    roles.sort();
    roles.dedup();
    let user = User {
        id: UserId(app.new_id()),
        display_name: input.display_name.trim().to_string(),
        email: input.email.trim().to_string(),
        organisation: input.organisation,
        clearance: input.clearance,
        status: UserStatus::Active,
        global_roles: roles,
        language: liaison_domain::text::UiLang::default(),
        version: 1,
        created_at: now,
        updated_at: now,
    };
    let tx = app.begin().await?;
    let mut p = Problems::new();
    if organisations::get(&tx.unfiltered(), user.organisation).await?.is_none() {
        p.coded("organisation", "unknown", &[]);
    }
    if store::get_by_email(&tx.unfiltered(), &user.email).await?.is_some() {
        p.coded("email", "taken", &[]);
    }
    p.finish()?;
    store::insert(&tx, &user, &hash).await?;
    tx.record(ChangeDraft::unmarked("user", user.id.uuid(), 1, "create", None, Some(snapshot(&user))));
    tx.commit(&ctx.provenance(now)).await?;
    Ok(user)
}

pub async fn list(app: &App, ctx: &Ctx, paging: &Paging) -> Result<Page<User>> {
    ctx.actor.require(Action::UserRead, Target::Installation)?;
    Ok(store::list(&app.read(ctx), paging.cursor_id()?, paging.limit()?).await?)
}

/// An account: one's own, or any for those who may read accounts.
pub async fn get(app: &App, ctx: &Ctx, id: UserId) -> Result<User> {
    if ctx.actor.user_id() != Some(id) {
        ctx.actor.require(Action::UserRead, Target::Installation)?;
    }
    store::get(&app.read(ctx), id).await?.ok_or(AppError::NotFound)
}

pub async fn find_by_email(app: &App, ctx: &Ctx, email: &str) -> Result<User> {
    ctx.actor.require(Action::UserRead, Target::Installation)?;
    store::get_by_email(&app.read(ctx), email).await?.ok_or(AppError::NotFound)
}

pub async fn update(app: &App, ctx: &Ctx, id: UserId, expected: i64, patch: UserPatch) -> Result<User> {
    ctx.actor.require(Action::UserWrite, Target::Installation)?;
    let now = app.now();
    let tx = app.begin().await?;
    let cur = store::get(&tx.unfiltered(), id).await?.ok_or(AppError::NotFound)?;
    check_version(expected, cur.version)?;
    let mut next = cur.clone();
    let mut p = Problems::new();
    if let Some(n) = patch.display_name {
        rules::check_name(&mut p, "display_name", &n, 120);
        next.display_name = n;
    }
    if let Some(e) = patch.email {
        check_email(&mut p, "email", &e);
        if store::get_by_email(&tx.unfiltered(), &e).await?.is_some_and(|o| o.id != id) {
            p.coded("email", "taken", &[]);
        }
        next.email = e.trim().to_string();
    }
    if let Some(o) = patch.organisation {
        if organisations::get(&tx.unfiltered(), o).await?.is_none() {
            p.coded("organisation", "unknown", &[]);
        }
        next.organisation = o;
    }
    if let Some(c) = patch.clearance {
        if c.scheme() != app.config.scheme {
            p.coded("clearance", "wrong_scheme", &[]);
        }
        next.clearance = c;
    }
    if let Some(s) = patch.status {
        next.status = s;
    }
    if let Some(mut r) = patch.global_roles {
        r.sort();
        r.dedup();
        if ctx.actor.user_id() == Some(id) && cur.global_roles.contains(&GlobalRole::Admin) && !r.contains(&GlobalRole::Admin) {
            p.coded("global_roles", "self_demotion", &[]);
        }
        next.global_roles = r;
    }
    if ctx.actor.user_id() == Some(id) && next.status != UserStatus::Active {
        p.coded("status", "self_lockout", &[]);
    }
    p.finish()?;
    if next == cur {
        return Ok(cur);
    }
    let action = if next.global_roles != cur.global_roles || next.clearance != cur.clearance { "permission_change" } else { "update" };
    versioned::save_as(&tx, now, action, &cur, &mut next).await?;
    if next.status != UserStatus::Active {
        store_auth::delete_sessions_of(&tx, id).await?;
    }
    tx.commit(&ctx.provenance(now)).await?;
    Ok(next)
}

/// The signed-in user chooses the language of the workspace; notifications and e-mails are
/// written in it from then on. Recorded like any change of the account.
pub async fn set_language(app: &App, ctx: &Ctx, lang: UiLang) -> Result<()> {
    let Some(id) = ctx.actor.user_id() else { return Err(AppError::Unauthenticated) };
    let now = app.now();
    let tx = app.begin().await?;
    let cur = store::get(&tx.unfiltered(), id).await?.ok_or(AppError::NotFound)?;
    if cur.language == lang {
        return Ok(());
    }
    let mut next = User { language: lang, ..cur.clone() };
    versioned::save(&tx, now, &cur, &mut next).await?;
    tx.commit(&ctx.provenance(now)).await?;
    Ok(())
}

/// Display names of accounts (for showing who changed or wrote something); unknown ids are
/// left out.
pub async fn display_names(app: &App, ctx: &Ctx, ids: &[UserId]) -> Result<std::collections::HashMap<UserId, String>> {
    ctx.actor.require(Action::DirectoryRead, Target::Installation)?;
    let mut out = std::collections::HashMap::new();
    for id in ids {
        if out.contains_key(id) {
            continue;
        }
        if let Some(u) = store::get(&app.read(ctx), *id).await? {
            out.insert(*id, u.display_name);
        }
    }
    Ok(out)
}
