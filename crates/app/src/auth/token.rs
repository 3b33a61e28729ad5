//! API tokens: issued to oneself (or by the command line to anyone), shown once, used as
//! `Authorization: Bearer lsn_…`, listed without their secrets, revoked.

use super::{AuthEntry, active_user, actor_for, ctx_of, new_secret, secret_hash};
use crate::{App, AppError, Ctx, Result};
use liaison_domain::Refusal;
use liaison_domain::change::ChangeDraft;
use liaison_domain::user::User;
use liaison_domain::{TokenId, ValidationErrors};
use liaison_store::auth::{self as store_auth, TokenRow};
use serde_json::json;

/// An API token as its owner sees it (never the secret).
pub type TokenInfo = TokenRow;

/// Prefix of API tokens, so that a leaked one is recognisable (e.g. by secret scanners).
pub const TOKEN_PREFIX: &str = "lsn_";

/// The context of a request carrying `Authorization: Bearer <token>`.
pub async fn authenticate_token(app: &App, token: &str, source: &str, request_id: &str) -> Result<Ctx> {
    let now = app.now();
    if !token.starts_with(TOKEN_PREFIX) || token.len() > 128 {
        return Err(AppError::Unauthenticated);
    }
    let hash = secret_hash(token);
    let key = format!("t:{hash}");
    let generation = app.auth_generation();
    if let Some(e) = app.caches.actors.get(generation, &key) {
        if e.expires_at.is_none_or(|x| x > now) {
            return Ok(ctx_of(&e.actor, source, request_id));
        }
        app.caches.actors.remove(&key);
    }
    let Some(t) = store_auth::find_token(&app.unfiltered(), &hash).await? else {
        return Err(AppError::Unauthenticated);
    };
    if t.revoked_at.is_some() || t.expires_at.is_some_and(|e| e <= now) {
        return Err(AppError::Unauthenticated);
    }
    let user = active_user(app, t.user).await?;
    if t.last_used_at.is_none_or(|l| now - l > chrono::TimeDelta::seconds(60)) {
        store_auth::touch_token(app.db(), t.id, now).await?;
    }
    let actor = actor_for(app, user).await?;
    let ctx = ctx_of(&actor, source, request_id);
    app.caches.actors.put(generation, key, std::sync::Arc::new(AuthEntry { actor, last_seen: now, expires_at: t.expires_at }));
    Ok(ctx)
}

/// A new API token for the acting user (or, from the command line, for `for_user`).
pub async fn issue_token(app: &App, ctx: &Ctx, for_user: &User, name: &str, valid_days: Option<u32>) -> Result<(String, TokenRow)> {
    if let Some(me) = ctx.actor.user_id()
        && me != for_user.id
    {
        return Err(AppError::Forbidden(Refusal::new("token-own-only")));
    }
    let mut p = liaison_domain::Problems::new();
    liaison_domain::validation::rules::check_name(&mut p, "name", name, 100);
    if valid_days.is_some_and(|d| d == 0 || d > 3660) {
        p.coded("valid_days", "out_of_range", &[]);
    }
    p.finish()?;
    let now = app.now();
    let secret = format!("{TOKEN_PREFIX}{}", new_secret(app));
    let id = TokenId(app.new_id());
    let expires = valid_days.map(|d| now + chrono::TimeDelta::days(i64::from(d)));
    let tx = app.begin().await?;
    store_auth::create_token(&tx, id, for_user.id, name, &secret_hash(&secret), now, expires).await?;
    tx.record(ChangeDraft::unmarked(
        "api_token",
        id.uuid(),
        1,
        "token_issue",
        None,
        Some(json!({"user": for_user.id, "name": name, "expires_at": expires.map(|e| liaison_domain::format_ts(&e))})),
    ));
    tx.commit(&ctx.provenance(now)).await?;
    let row = store_auth::get_token(&app.unfiltered(), id).await?.ok_or(AppError::NotFound)?;
    Ok((secret, row))
}

/// The acting user's tokens (never their secrets).
pub async fn my_tokens(app: &App, ctx: &Ctx) -> Result<Vec<TokenRow>> {
    let me = ctx.actor.user_id().ok_or(AppError::Unauthenticated)?;
    Ok(store_auth::tokens_of(&app.unfiltered(), me).await?)
}

/// Revoke one of the acting user's tokens (an administrator may revoke anyone's).
pub async fn revoke_token(app: &App, ctx: &Ctx, id: TokenId) -> Result<()> {
    let row = store_auth::get_token(&app.unfiltered(), id).await?.ok_or(AppError::NotFound)?;
    let is_admin = ctx.actor.subject().is_none_or(|s| s.has_global(liaison_domain::access::GlobalRole::Admin));
    if ctx.actor.user_id() != Some(row.user) && !is_admin {
        return Err(AppError::NotFound);
    }
    if row.revoked_at.is_some() {
        return Err(AppError::Invalid(ValidationErrors::coded("", "revoked", &[])));
    }
    let now = app.now();
    let tx = app.begin().await?;
    store_auth::revoke_token(&tx, id, now).await?;
    tx.record(ChangeDraft::unmarked("api_token", id.uuid(), 2, "token_revoke", None, Some(json!({"user": row.user}))));
    tx.commit(&ctx.provenance(now)).await?;
    Ok(())
}
