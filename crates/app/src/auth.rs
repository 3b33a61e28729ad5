//! Sign-in, sessions and API tokens.
//!
//! Secrets (session ids, API tokens) are 256-bit random values shown once; only their
//! SHA-256 is stored. Passwords are hashed with argon2id off the async runtime.

use crate::{Actor, App, AppError, Ctx, Result};
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use liaison_domain::access::Subject;
use liaison_domain::change::ChangeDraft;
use liaison_domain::user::{User, UserStatus};
use liaison_domain::{Timestamp, TokenId, ValidationErrors};
use liaison_store::auth::{self as store_auth, TokenRow};

/// An API token as its owner sees it (never the secret).
pub type TokenInfo = TokenRow;
use liaison_store::{memberships, organisations, users};
use serde_json::json;
use sha2::{Digest, Sha256};

/// Prefix of API tokens, so that a leaked one is recognisable (e.g. by secret scanners).
pub const TOKEN_PREFIX: &str = "lsn_";

fn argon(cfg: &crate::AppConfig) -> Result<Argon2<'static>> {
    let params = Params::new(cfg.argon2_memory_kib, cfg.argon2_iterations, 1, None).map_err(|e| AppError::Internal(format!("argon2 parameters: {e}")))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// Hash a password now (blocking; see [`hash_password`]).
pub fn hash_password_with(cfg: &crate::AppConfig, password: &str) -> Result<String> {
    let salt: [u8; 16] = rand::random();
    argon(cfg)?.hash_password_with_salt(password.as_bytes(), &salt).map(|h| h.to_string()).map_err(|e| AppError::Internal(format!("hashing: {e}")))
}

/// Hash a password off the async runtime.
pub async fn hash_password(app: &App, password: &str) -> Result<String> {
    let cfg = app.config.clone();
    let pw = password.to_string();
    tokio::task::spawn_blocking(move || hash_password_with(&cfg, &pw)).await.map_err(|e| AppError::Internal(format!("hashing task: {e}")))?
}

/// Check a password against a PHC hash off the async runtime. Malformed hashes never match.
async fn verify_password(hash: String, password: &str) -> bool {
    let pw = password.to_string();
    tokio::task::spawn_blocking(move || Argon2::default().verify_password(pw.as_bytes(), hash.as_str()).is_ok()).await.unwrap_or(false)
}

/// SHA-256 of a secret, in hex: what is stored for sessions and tokens.
pub fn secret_hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

fn new_secret(app: &App) -> String {
    URL_SAFE_NO_PAD.encode(app.entropy.secret_bytes())
}

/// A new session: the secret for the cookie and who it is for.
#[derive(Clone, Debug)]
pub struct NewSession {
    pub secret: String,
    pub user: User,
    pub expires_at: Timestamp,
}

fn chrono_dur(d: std::time::Duration) -> chrono::TimeDelta {
    chrono::TimeDelta::from_std(d).unwrap_or(chrono::TimeDelta::MAX)
}

/// How long an account stays locked after `failures` failed sign-ins in a row.
pub fn lockout_for(cfg: &crate::AppConfig, failures: i32) -> Option<std::time::Duration> {
    if failures < cfg.lockout_threshold {
        return None;
    }
    let doublings = u32::try_from(failures - cfg.lockout_threshold).unwrap_or(0).min(20);
    Some(cfg.lockout_base.saturating_mul(1 << doublings).min(cfg.lockout_max))
}

/// Sign in with e-mail and password. Unknown accounts and wrong passwords get the same
/// answer after the same work; a locked account answers with when to try again.
/// `previous` is the session secret the client already held, if any: it ends at sign-in, so a
/// session id planted before sign-in is worth nothing after it.
pub async fn login(app: &App, email: &str, password: &str, previous: Option<&str>, source: &str, request_id: &str) -> Result<NewSession> {
    let now = app.now();
    let ctx = Ctx { actor: Actor::System, request_id: request_id.to_string(), source: source.to_string() };
    let creds = users::credentials(&app.unfiltered(), email).await?;
    let Some(creds) = creds else {
        verify_password(app.dummy_hash.to_string(), password).await;
        let tx = app.begin().await?;
        let shown = if liaison_domain::user::normalise_email(email).len() <= 254 { email.trim() } else { "" };
        tx.record(ChangeDraft::unmarked("account", uuid::Uuid::nil(), 0, "login_failed", None, Some(json!({"email": shown, "reason": "unknown_account"}))));
        tx.commit(&ctx.provenance(now)).await?;
        return Err(AppError::BadCredentials);
    };
    let user = creds.user;
    if let Some(until) = creds.locked_until.filter(|u| *u > now) {
        let tx = app.begin().await?;
        tx.record(ChangeDraft::unmarked("user", user.id.uuid(), user.version, "login_failed", None, Some(json!({"reason": "locked_out"}))));
        tx.commit(&ctx.provenance(now)).await?;
        let secs = (until - now).num_seconds().max(1);
        return Err(AppError::RateLimited { retry_after_secs: u64::try_from(secs).unwrap_or(1) });
    }
    let ok = verify_password(creds.password_hash, password).await;
    let tx = app.begin().await?;
    if !ok || user.status != UserStatus::Active {
        let failures = creds.failed_logins.saturating_add(1);
        let until = lockout_for(&app.config, failures).map(|d| now + chrono_dur(d));
        users::set_login_state(&tx, user.id, failures, until, None).await?;
        let reason = if ok { "account_not_active" } else { "wrong_password" };
        tx.record(ChangeDraft::unmarked(
            "user",
            user.id.uuid(),
            user.version,
            "login_failed",
            None,
            Some(json!({"reason": reason, "failures": failures, "locked_until": until.map(|u| liaison_domain::format_ts(&u))})),
        ));
        tx.commit(&ctx.provenance(now)).await?;
        return Err(AppError::BadCredentials);
    }
    users::set_login_state(&tx, user.id, 0, None, Some(now)).await?;
    if let Some(old) = previous {
        store_auth::delete_session(&tx, &secret_hash(old)).await?;
    }
    let secret = new_secret(app);
    let expires_at = now + chrono_dur(app.config.session_absolute);
    store_auth::create_session(&tx, &secret_hash(&secret), user.id, now, expires_at, source).await?;
    tx.record(ChangeDraft::unmarked("user", user.id.uuid(), user.version, "login", None, None));
    let mut prov = ctx.provenance(now);
    prov.actor = Some(user.id);
    tx.commit(&prov).await?;
    Ok(NewSession { secret, user, expires_at })
}

/// End the session with this secret.
pub async fn logout(app: &App, ctx: &Ctx, session_secret: &str) -> Result<()> {
    let tx = app.begin().await?;
    let ended = store_auth::delete_session(&tx, &secret_hash(session_secret)).await?;
    if let (true, Some(u)) = (ended, ctx.actor.user()) {
        tx.record(ChangeDraft::unmarked("user", u.id.uuid(), u.version, "logout", None, None));
    }
    tx.commit(&ctx.provenance(app.now())).await?;
    Ok(())
}

/// Build the actor for a user: organisation, roles, clearance, releasability tokens.
pub async fn actor_for(app: &App, user: User) -> Result<Actor> {
    let c = &app.unfiltered();
    let org = organisations::get(c, user.organisation).await?.ok_or_else(|| AppError::Internal(format!("user {} has no organisation", user.id)))?;
    let memberships = memberships::roles_of(c, user.id).await?;
    let subject = Subject {
        user: user.id,
        organisation: org.id,
        org_kind: org.kind,
        release_tokens: app.config.release_groups.tokens_for(org.country.as_deref()),
        clearance: user.clearance,
        global_roles: user.global_roles.clone(),
        memberships,
    };
    Ok(Actor::User { user: Box::new(user), subject: Box::new(subject) })
}

async fn active_user(app: &App, id: liaison_domain::UserId) -> Result<User> {
    match users::get(&app.unfiltered(), id).await? {
        Some(u) if u.status == UserStatus::Active => Ok(u),
        _ => Err(AppError::Unauthenticated),
    }
}

/// A signed-in actor as cached between requests, with what its expiry depends on.
pub(crate) struct AuthEntry {
    actor: Actor,
    /// Sessions: when it was last used and when it ends; tokens: when they expire.
    last_seen: Timestamp,
    expires_at: Option<Timestamp>,
}

fn ctx_of(actor: &Actor, source: &str, request_id: &str) -> Ctx {
    Ctx { actor: actor.clone(), request_id: request_id.to_string(), source: source.to_string() }
}

/// The context of a request carrying a session cookie.
pub async fn authenticate_session(app: &App, secret: &str, source: &str, request_id: &str) -> Result<Ctx> {
    let now = app.now();
    let hash = secret_hash(secret);
    let key = format!("s:{hash}");
    let generation = app.auth_generation();
    let idle = chrono_dur(app.config.session_idle);
    if let Some(e) = app.caches.actors.get(generation, &key) {
        let live = e.expires_at.is_some_and(|x| x > now) && now - e.last_seen <= idle;
        if live {
            if now - e.last_seen > chrono::TimeDelta::seconds(60) {
                store_auth::touch_session(app.db(), &hash, now).await?;
                let fresh = AuthEntry { actor: e.actor.clone(), last_seen: now, expires_at: e.expires_at };
                app.caches.actors.put(generation, key, std::sync::Arc::new(fresh));
            }
            return Ok(ctx_of(&e.actor, source, request_id));
        }
        app.caches.actors.remove(&key);
    }
    let Some(s) = store_auth::find_session(&app.unfiltered(), &hash).await? else {
        return Err(AppError::Unauthenticated);
    };
    if s.expires_at <= now || now - s.last_seen_at > idle {
        let tx = app.begin().await?;
        store_auth::delete_session(&tx, &hash).await?;
        tx.commit(&Ctx::system("session-expiry").provenance(now)).await?;
        return Err(AppError::Unauthenticated);
    }
    let user = active_user(app, s.user).await?;
    let mut last_seen = s.last_seen_at;
    if now - s.last_seen_at > chrono::TimeDelta::seconds(60) {
        store_auth::touch_session(app.db(), &hash, now).await?;
        last_seen = now;
    }
    let actor = actor_for(app, user).await?;
    let ctx = ctx_of(&actor, source, request_id);
    app.caches.actors.put(generation, key, std::sync::Arc::new(AuthEntry { actor, last_seen, expires_at: Some(s.expires_at) }));
    Ok(ctx)
}

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
        return Err(AppError::Forbidden("tokens are issued to oneself".into()));
    }
    let mut p = liaison_domain::Problems::new();
    liaison_domain::validation::rules::check_name(&mut p, "name", name, 100);
    if valid_days.is_some_and(|d| d == 0 || d > 3660) {
        p.add("valid_days", "out_of_range", "must be between 1 and 3660 days");
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
        return Err(AppError::Invalid(ValidationErrors::one("", "revoked", "the token is already revoked")));
    }
    let now = app.now();
    let tx = app.begin().await?;
    store_auth::revoke_token(&tx, id, now).await?;
    tx.record(ChangeDraft::unmarked("api_token", id.uuid(), 2, "token_revoke", None, Some(json!({"user": row.user}))));
    tx.commit(&ctx.provenance(now)).await?;
    Ok(())
}

/// Whether `password` is the account's current password (no session, no lockout change).
pub(crate) async fn login_check(app: &App, email: &str, password: &str) -> Result<()> {
    let creds = users::credentials(&app.unfiltered(), email).await?.ok_or(AppError::BadCredentials)?;
    if verify_password(creds.password_hash, password).await { Ok(()) } else { Err(AppError::BadCredentials) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::AppConfig;
    use std::time::Duration;

    #[test]
    fn lockout_grows_and_is_capped() {
        let cfg = AppConfig::default();
        assert_eq!(lockout_for(&cfg, 4), None);
        assert_eq!(lockout_for(&cfg, 5), Some(Duration::from_secs(60)));
        assert_eq!(lockout_for(&cfg, 6), Some(Duration::from_secs(120)));
        assert_eq!(lockout_for(&cfg, 8), Some(Duration::from_secs(480)));
        assert_eq!(lockout_for(&cfg, 40), Some(Duration::from_secs(3600)));
    }

    #[test]
    fn hashes_verify_and_differ() {
        let cfg = AppConfig { argon2_memory_kib: 1024, argon2_iterations: 1, ..Default::default() };
        let a = hash_password_with(&cfg, "plum orbit kettle").unwrap();
        let b = hash_password_with(&cfg, "plum orbit kettle").unwrap();
        assert!(a.starts_with("$argon2id$"));
        assert_ne!(a, b, "salted");
        assert!(Argon2::default().verify_password(b"plum orbit kettle", a.as_str()).is_ok());
        assert!(Argon2::default().verify_password(b"plum orbit kettlE", a.as_str()).is_err());
        assert_eq!(secret_hash("x").len(), 64);
    }
}
