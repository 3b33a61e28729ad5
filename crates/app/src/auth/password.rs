//! Sign-in with a password, the lockout after failed sign-ins, and password changes.
//!
//! Hashing and verifying are slow on purpose (argon2id at 19 MiB by default); both run on the
//! blocking threads (`spawn_blocking`) through the password hasher port, never on the async
//! ones. Unknown accounts are checked against a hash made at start ([`App::with_ports`]), so
//! that they take as long as a wrong password.

use super::second_factor::{self, SignIn};
use super::{chrono_dur, session};
use crate::{Actor, App, AppError, Ctx, Result};
use liaison_domain::Refusal;
use liaison_domain::UserId;
use liaison_domain::ValidationErrors;
use liaison_domain::access::{Action, Target};
use liaison_domain::change::ChangeDraft;
use liaison_domain::user::{UserStatus, check_password};
use liaison_domain::{Problems, format_ts};
use liaison_store::{auth as store_auth, users};
use serde_json::json;

/// Hash a password off the async runtime.
pub async fn hash_password(app: &App, password: &str) -> Result<String> {
    let hasher = app.hasher.clone();
    let pw = password.to_string();
    tokio::task::spawn_blocking(move || hasher.hash(&pw))
        .await
        .map_err(|e| AppError::Internal(format!("hashing task: {e}")))?
        .map_err(|e| AppError::Internal(format!("hashing: {e}")))
}

/// Check a password against a PHC hash off the async runtime. Malformed hashes never match.
async fn verify_password(app: &App, hash: String, password: &str) -> bool {
    let hasher = app.hasher.clone();
    let pw = password.to_string();
    tokio::task::spawn_blocking(move || hasher.verify(&pw, &hash)).await.unwrap_or(false)
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
/// A right password of an account with a second factor (or one the policy asks for) answers
/// [`SignIn::SecondFactor`]: the sign-in waits for [`super::second_factor::complete`], and
/// failures are not reset before then.
pub async fn login(app: &App, email: &str, password: &str, previous: Option<&str>, source: &str, request_id: &str) -> Result<SignIn> {
    let now = app.now();
    let ctx = Ctx { actor: Actor::System, request_id: request_id.to_string(), source: source.to_string() };
    let creds = users::credentials(&app.unfiltered(), email).await?;
    let Some(creds) = creds else {
        verify_password(app, app.dummy_hash.to_string(), password).await;
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
    let ok = verify_password(app, creds.password_hash, password).await;
    let tx = app.begin().await?;
    if !ok || user.status != UserStatus::Active {
        let reason = if ok { "account_not_active" } else { "wrong_password" };
        failed(app, &tx, &user, creds.failed_logins, reason, now).await?;
        tx.commit(&ctx.provenance(now)).await?;
        return Err(AppError::BadCredentials);
    }
    if let Some(pending) = second_factor::ask(app, &tx, &user, source, now).await? {
        let mut prov = ctx.provenance(now);
        prov.actor = Some(user.id);
        tx.commit(&prov).await?;
        return Ok(SignIn::SecondFactor(pending));
    }
    users::set_login_state(&tx, user.id, 0, None, Some(now)).await?;
    let (secret, expires_at) = session::start(app, &tx, user.id, previous, source, now).await?;
    tx.record(ChangeDraft::unmarked("user", user.id.uuid(), user.version, "login", None, None));
    let mut prov = ctx.provenance(now);
    prov.actor = Some(user.id);
    tx.commit(&prov).await?;
    Ok(SignIn::Session(session::NewSession { secret, user, expires_at }))
}

/// Count a failed sign-in of `user` (after `before` failures in a row) in `tx`: the lockout
/// it earns, and a `login_failed` row giving `reason`. Returns until when the account is locked.
pub(super) async fn failed(
    app: &App,
    tx: &liaison_store::Tx,
    user: &liaison_domain::user::User,
    before: i32,
    reason: &str,
    now: liaison_domain::Timestamp,
) -> Result<Option<liaison_domain::Timestamp>> {
    let failures = before.saturating_add(1);
    let until = lockout_for(&app.config, failures).map(|d| now + chrono_dur(d));
    users::set_login_state(tx, user.id, failures, until, None).await?;
    tx.record(ChangeDraft::unmarked(
        "user",
        user.id.uuid(),
        user.version,
        "login_failed",
        None,
        Some(json!({"reason": reason, "failures": failures, "locked_until": until.map(|u| format_ts(&u))})),
    ));
    Ok(until)
}

/// Whether `password` is the account's current password (no session, no lockout change).
pub(crate) async fn login_check(app: &App, email: &str, password: &str) -> Result<()> {
    let creds = users::credentials(&app.unfiltered(), email).await?.ok_or(AppError::BadCredentials)?;
    if verify_password(app, creds.password_hash, password).await { Ok(()) } else { Err(AppError::BadCredentials) }
}

/// Set a password. Users change their own by giving the current one; administrators (and the
/// command line) set anyone's. Every session of the account ends. (Also `users::set_password`.)
/// An administrator sets another account's password. One's own is changed with the current
/// password ([`set_password`] with it), not here.
pub async fn reset_password(app: &App, ctx: &Ctx, id: UserId, new: &str) -> Result<()> {
    if ctx.actor.user_id() == Some(id) {
        return Err(AppError::Forbidden(Refusal::new("own-password-with-current")));
    }
    set_password(app, ctx, id, None, new).await
}

pub async fn set_password(app: &App, ctx: &Ctx, id: UserId, current: Option<&str>, new: &str) -> Result<()> {
    let own = ctx.actor.user_id() == Some(id);
    if !own {
        ctx.actor.require(Action::UserWrite, Target::Installation)?;
    }
    let user = users::get(&app.read(ctx), id).await?.ok_or(AppError::NotFound)?;
    if own {
        let Some(cur) = current else {
            return Err(ValidationErrors::coded("current_password", "required", &[]).into());
        };
        if login_check(app, &user.email, cur).await.is_err() {
            return Err(ValidationErrors::coded("current_password", "wrong", &[]).into());
        }
    }
    let mut p = Problems::new();
    check_password(&mut p, "password", new, &user.email);
    p.finish()?;
    let hash = hash_password(app, new).await?;
    let now = app.now();
    let tx = app.begin().await?;
    let version = users::get(&tx.unfiltered(), id).await?.ok_or(AppError::NotFound)?.version + 1;
    users::set_password(&tx, id, &hash, version, now).await?;
    store_auth::delete_sessions_of(&tx, id).await?;
    tx.record(ChangeDraft::unmarked("user", id.uuid(), version, "password_change", None, None));
    tx.commit(&ctx.provenance(now)).await?;
    Ok(())
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
}
