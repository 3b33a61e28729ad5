//! Sessions: opened by a sign-in ([`super::login`]), carried in a cookie, ended by sign-out, by
//! disuse (`AppConfig::session_idle`) or by age (`AppConfig::session_absolute`).

use super::{AuthEntry, active_user, actor_for, chrono_dur, ctx_of, new_secret, secret_hash};
use crate::{App, AppError, Ctx, Result};
use liaison_domain::change::ChangeDraft;
use liaison_domain::user::User;
use liaison_domain::{Timestamp, UserId};
use liaison_store::Tx;
use liaison_store::auth as store_auth;

/// A new session: the secret for the cookie and who it is for.
#[derive(Clone, Debug)]
pub struct NewSession {
    pub secret: String,
    pub user: User,
    pub expires_at: Timestamp,
}

/// Open a session for `user` in the sign-in's transaction, ending the one the client held
/// before (`previous`). Returns the secret and when the session ends at the latest.
pub(super) async fn start(app: &App, tx: &Tx, user: UserId, previous: Option<&str>, source: &str, now: Timestamp) -> Result<(String, Timestamp)> {
    if let Some(old) = previous {
        store_auth::delete_session(tx, &secret_hash(old)).await?;
    }
    let secret = new_secret(app);
    let expires_at = now + chrono_dur(app.config.session_absolute);
    store_auth::create_session(tx, &secret_hash(&secret), user, now, expires_at, source).await?;
    Ok((secret, expires_at))
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
