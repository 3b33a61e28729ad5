//! Single sign-on with the organisations' OpenID providers. A sign-in goes to the provider with
//! a fresh `state`, `nonce` and PKCE verifier, kept in the database for ten minutes (any server
//! of several finishes it) and the `state` also in the browser's cookie; it comes back once.
//!
//! An account is found by the provider's subject it was linked to, or — the first time — by a
//! verified e-mail address that an administrator gave an account already, which links it. No
//! account is created by signing in unless the provider's `new_accounts_in` setting names an
//! organisation: then a person with a verified address gets an account there, cleared PUBLIC
//! with no role (clearances and roles stay in Liaison, given by an administrator). A disabled or
//! locked account does not sign in, whatever the provider says. Every outcome is audited.

use super::{secret_hash, session};
use crate::{Actor, App, AppError, Ctx, Result};
use liaison_domain::Refusal;
use liaison_domain::change::ChangeDraft;
use liaison_domain::ports::{IdentityProvider, SsoFailure, SsoSecrets};
use liaison_domain::user::UserStatus;
use liaison_store::{sso as store, users};
use serde_json::json;
use std::sync::Arc;

/// How long a sign-in may stay at the provider.
pub const FLOW_SECONDS: i64 = 600;

/// A provider to show a button for.
#[derive(Clone, Debug)]
pub struct ProviderButton {
    pub name: String,
    pub label: String,
}

/// The providers, in the order of `liaison.toml`.
pub fn providers(app: &App) -> Vec<ProviderButton> {
    app.identity_providers.iter().map(|p| ProviderButton { name: p.name().to_string(), label: p.label().to_string() }).collect()
}

fn provider(app: &App, name: &str) -> Result<Arc<dyn IdentityProvider>> {
    app.identity_providers.iter().find(|p| p.name() == name).cloned().ok_or(AppError::NotFound)
}

/// Why a sign-in with a provider did not sign in (each has its words on the sign-in page).
fn refused(code: &'static str) -> AppError {
    AppError::Forbidden(Refusal::new(code))
}

fn unavailable(label: &str) -> AppError {
    AppError::Conflict(Refusal::new("sso-unavailable").arg("provider", label))
}

/// Where to send the browser to sign in with provider `name`, and the `state` to put in its
/// cookie. `next` (a local path) is where it goes once signed in.
pub async fn begin(app: &App, name: &str, next: &str, request_id: &str) -> Result<(String, String)> {
    let p = provider(app, name)?;
    let start = match p.begin().await {
        Ok(s) => s,
        Err(e) => {
            tracing::warn!(provider = name, error = ?e, request_id, "single sign-on: the provider cannot be reached");
            return Err(unavailable(p.label()));
        }
    };
    let now = app.now();
    let tx = app.begin().await?;
    store::purge_flows(&tx, now).await?;
    let s = &start.secrets;
    store::create_flow(&tx, &secret_hash(&s.state), name, &s.nonce, &s.pkce_verifier, next, now, now + chrono::TimeDelta::seconds(FLOW_SECONDS)).await?;
    tx.commit(&Ctx::system("sso").provenance(now)).await?;
    Ok((start.url, start.secrets.state.clone()))
}

/// What a finished sign-in gives: the session, and where to go.
#[derive(Debug)]
pub struct SignedIn {
    pub session: session::NewSession,
    pub next: String,
}

/// The browser came back from provider `name` with `code` and `state`; `cookie_state` is the
/// `state` its cookie holds (another browser's callback, or a forged one, has none or another).
#[allow(clippy::too_many_arguments)]
pub async fn finish(
    app: &App,
    name: &str,
    code: &str,
    state: &str,
    cookie_state: Option<&str>,
    previous: Option<&str>,
    source: &str,
    request_id: &str,
) -> Result<SignedIn> {
    let p = provider(app, name)?;
    let now = app.now();
    let ctx = Ctx { actor: Actor::System, request_id: request_id.to_string(), source: source.to_string() };
    let audit = |reason: &str, extra: serde_json::Value| {
        let mut after = json!({"reason": reason, "provider": name});
        if let (Some(a), serde_json::Value::Object(m)) = (after.as_object_mut(), extra) {
            a.extend(m);
        }
        ChangeDraft::unmarked("account", uuid::Uuid::nil(), 0, "login_failed", None, Some(after))
    };
    let fail = async |draft: ChangeDraft, e: AppError| -> Result<SignedIn> {
        let tx = app.begin().await?;
        tx.record(draft);
        tx.commit(&ctx.provenance(now)).await?;
        Err(e)
    };
    // The state must be this browser's, and known: each finishes one sign-in.
    if cookie_state.is_none_or(|c| secret_hash(c) != secret_hash(state)) {
        return fail(audit("sso_wrong_state", json!({})), refused("sso-state")).await;
    }
    let tx = app.begin().await?;
    let flow = store::take_flow(&tx, &secret_hash(state)).await?;
    tx.commit(&ctx.provenance(now)).await?;
    let Some(flow) = flow.filter(|f| f.provider == name && f.expires_at > now) else {
        return fail(audit("sso_unknown_state", json!({})), refused("sso-state")).await;
    };
    let secrets = SsoSecrets { state: state.to_string(), nonce: flow.nonce.clone(), pkce_verifier: flow.pkce_verifier.clone() };
    let id = match p.finish(code, &secrets, now).await {
        Ok(id) => id,
        Err(SsoFailure::Unavailable(e)) => {
            tracing::warn!(provider = name, error = %e, request_id, "single sign-on: the provider cannot be reached");
            return fail(audit("sso_unavailable", json!({})), unavailable(p.label())).await;
        }
        Err(SsoFailure::Refused(e) | SsoFailure::BadToken(e)) => {
            tracing::warn!(provider = name, error = %e, request_id, "single sign-on refused");
            return fail(audit("sso_refused", json!({"detail": e})), refused("sso-refused")).await;
        }
    };
    let r = app.unfiltered();
    let linked = store::linked_user(&r, name, &id.subject).await?;
    let (user, link) = match linked {
        Some(u) => (users::get(&r, u).await?, false),
        None => match id.email.as_deref().filter(|_| id.email_verified) {
            Some(email) => (users::credentials(&r, email).await?.map(|c| c.user), true),
            None => (None, false),
        },
    };
    let (user, created) = match user {
        Some(u) => (u, false),
        None => match new_account(app, name, &id, now).await? {
            Some(u) => (u, true),
            None => {
                let why = if id.email.is_some() && !id.email_verified { "sso_unverified_email" } else { "sso_unknown_account" };
                return fail(audit(why, json!({"subject": id.subject})), refused("sso-unknown-account")).await;
            }
        },
    };
    let link = link || created;
    if user.status != UserStatus::Active {
        let d =
            ChangeDraft::unmarked("user", user.id.uuid(), user.version, "login_failed", None, Some(json!({"reason": "account_not_active", "provider": name})));
        return fail(d, refused("sso-account-not-active")).await;
    }
    let tx = app.begin().await?;
    if created {
        // A fresh password nobody knows: the account signs in through its provider.
        let hash = super::hash_password(app, &super::new_secret(app)).await?;
        users::insert(&tx, &user, &hash).await.map_err(|e| match e {
            // Made meanwhile by another sign-in or an administrator: sign in again.
            liaison_store::StoreError::Conflict(_) => refused("sso-state"),
            e => e.into(),
        })?;
        tx.record(ChangeDraft::unmarked("user", user.id.uuid(), 1, "create", None, Some(json!({"user": crate::snapshot(&user), "provider": name}))));
    }
    if link {
        store::link(&tx, name, &id.subject, user.id, now).await?;
        tx.record(ChangeDraft::unmarked("user", user.id.uuid(), user.version, "sso_linked", None, Some(json!({"provider": name, "subject": id.subject}))));
    }
    users::set_login_state(&tx, user.id, 0, None, Some(now)).await?;
    let (secret, expires_at) = session::start(app, &tx, user.id, previous, source, now).await?;
    tx.record(ChangeDraft::unmarked("user", user.id.uuid(), user.version, "login", None, Some(json!({"provider": name}))));
    let mut prov = ctx.provenance(now);
    prov.actor = Some(user.id);
    tx.commit(&prov).await?;
    Ok(SignedIn { session: session::NewSession { secret, user, expires_at }, next: flow.next })
}

/// The account to make for a person the provider knows and Liaison does not, if the provider's
/// setting names an organisation and the provider verified the person's e-mail address.
async fn new_account(
    app: &App,
    provider: &str,
    id: &liaison_domain::ports::SsoIdentity,
    now: liaison_domain::Timestamp,
) -> Result<Option<liaison_domain::user::User>> {
    let (Some(short), Some(email)) = (app.config.sso_new_accounts.get(provider), id.email.as_deref().filter(|_| id.email_verified)) else { return Ok(None) };
    let Some(org) = liaison_store::organisations::find_by_short_name(&app.unfiltered(), short).await? else {
        tracing::warn!(provider, organisation = %short, "single sign-on: new_accounts_in names no organisation; no account made");
        return Ok(None);
    };
    let display_name = id.name.as_deref().map(str::trim).filter(|n| !n.is_empty()).unwrap_or(email).chars().take(200).collect();
    Ok(Some(liaison_domain::user::User {
        id: liaison_domain::UserId(app.new_id()),
        display_name,
        email: liaison_domain::user::normalise_email(email),
        organisation: org.id,
        clearance: liaison_domain::marking::Level::Public,
        status: UserStatus::Active,
        global_roles: vec![],
        language: liaison_domain::text::UiLang::default(),
        version: 1,
        created_at: now,
        updated_at: now,
    }))
}

/// The provider's end-session address, coming back to `then`, if it has one.
pub async fn end_session(app: &App, name: &str, then: &str) -> Option<String> {
    let p = provider(app, name).ok()?;
    p.end_session(then).await
}
