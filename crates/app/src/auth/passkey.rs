//! Passkeys (WebAuthn Level 3, with `webauthn-rs`) as a second factor: an account registers
//! authenticators from its account page (a platform authenticator, a security key, a phone), and
//! a sign-in whose password was right answers its challenge with one instead of a TOTP code.
//!
//! The relying party is this installation's public address: its host name is the RP ID, its
//! origin the only one accepted. An address without a domain name (an IP address) has no
//! passkeys: browsers refuse IP addresses as RP IDs.
//!
//! Each ceremony's state (its challenge) is kept in the database: a registration per account for
//! five minutes, a sign-in's with its waiting challenge. Each is used once. User verification
//! (a PIN or a fingerprint on the authenticator) is required, as webauthn-rs asks for passkeys.
//! Signature counters are kept and checked by webauthn-rs (a cloned authenticator whose counter
//! goes back is refused).

use super::second_factor::{self as factor, ENROL};
use super::secret_hash;
use crate::{App, AppError, Ctx, Result};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use liaison_domain::user::User;
use liaison_domain::{Refusal, Timestamp, ValidationErrors};
use liaison_store::second_factor::{self as store, PasskeyRow};
use serde_json::{Value, json};
use webauthn_rs::prelude::{
    AuthenticationResult, Passkey, PasskeyAuthentication, PasskeyRegistration, PublicKeyCredential, RegisterPublicKeyCredential, Url, Webauthn, WebauthnBuilder,
};

/// How long a ceremony may take, in seconds.
pub const CEREMONY_SECONDS: i64 = 300;
/// The longest name of a passkey, in characters.
pub const NAME_MAX: usize = 100;
/// The most passkeys an account may register.
pub const MAX_PER_ACCOUNT: u64 = 20;

/// The relying party of an installation at `public_url`, or `None` when passkeys cannot work
/// there (no address, or an address without a domain name).
pub fn relying_party(public_url: &str) -> Option<Webauthn> {
    let url = Url::parse(public_url.trim()).ok()?;
    let rp_id = url.domain()?.to_string();
    match WebauthnBuilder::new(&rp_id, &url).and_then(|b| b.rp_name("Liaison").build()) {
        Ok(w) => Some(w),
        Err(e) => {
            tracing::warn!(error = %e, "passkeys are off: the public address is not a WebAuthn relying party");
            None
        }
    }
}

/// Whether this installation offers passkeys.
pub fn available(app: &App) -> bool {
    app.webauthn.is_some()
}

fn webauthn(app: &App) -> Result<&Webauthn> {
    app.webauthn.as_deref().ok_or_else(|| AppError::Conflict(Refusal::new("passkeys-unavailable")))
}

/// A registered passkey, as its owner sees it (nothing of the key itself).
#[derive(Clone, Debug, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasskeyInfo {
    pub id: uuid::Uuid,
    pub name: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: Timestamp,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub last_used_at: Option<Timestamp>,
}

impl From<PasskeyRow> for PasskeyInfo {
    fn from(r: PasskeyRow) -> Self {
        PasskeyInfo { id: r.id, name: r.name, created_at: r.created_at, last_used_at: r.last_used_at }
    }
}

fn stored(row: &PasskeyRow) -> Result<Passkey> {
    serde_json::from_str(&row.credential).map_err(|e| AppError::Internal(format!("passkey {} cannot be read: {e}", row.id)))
}

fn to_json<T: serde::Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(|e| AppError::Internal(format!("a passkey ceremony could not be written: {e}")))
}

fn bad_credential(field: &str) -> AppError {
    ValidationErrors::coded(field, "passkey_refused", &[]).into()
}

/// The signed-in account's passkeys, oldest first.
pub async fn list(app: &App, ctx: &Ctx) -> Result<Vec<PasskeyInfo>> {
    let user = factor::own(ctx)?;
    Ok(store::passkeys_of(&app.unfiltered(), user.id).await?.into_iter().map(PasskeyInfo::from).collect())
}

/// Begin registering a passkey for the signed-in account: the options for
/// `navigator.credentials.create()` (`{"publicKey": …}`, binary values in base64url). The
/// account's passkeys are excluded, so an authenticator is not registered twice.
pub async fn begin_registration(app: &App, ctx: &Ctx) -> Result<Value> {
    let user = factor::own(ctx)?;
    let w = webauthn(app)?;
    let existing = store::passkeys_of(&app.unfiltered(), user.id).await?;
    if existing.len() as u64 >= MAX_PER_ACCOUNT {
        return Err(AppError::Conflict(Refusal::new("passkeys-too-many")));
    }
    let exclude = existing.iter().map(stored).map(|p| p.map(|p| p.cred_id().clone())).collect::<Result<Vec<_>>>()?;
    let (options, state) = w
        .start_passkey_registration(user.id.uuid(), &user.email, &user.display_name, Some(exclude))
        .map_err(|e| AppError::Internal(format!("a passkey registration could not begin: {e}")))?;
    let now = app.now();
    let tx = app.begin().await?;
    store::put_registration(&tx, user.id, &to_json(&state)?, now + chrono::TimeDelta::seconds(CEREMONY_SECONDS)).await?;
    tx.commit(&ctx.provenance(now)).await?;
    serde_json::to_value(&options).map_err(|e| AppError::Internal(format!("passkey options could not be written: {e}")))
}

/// What registering a passkey gave.
#[derive(Debug)]
pub struct Registered {
    pub passkey: PasskeyInfo,
    /// The account had no recovery codes left: new ones, shown this once.
    pub recovery_codes: Option<Vec<String>>,
}

/// Finish registering: `credential` is what `navigator.credentials.create()` answered (as
/// JSON, binary values in base64url), `name` the owner's name for it.
pub async fn finish_registration(app: &App, ctx: &Ctx, name: &str, credential: &Value) -> Result<Registered> {
    let user = factor::own(ctx)?;
    let name = name.trim();
    if name.is_empty() || name.chars().count() > NAME_MAX || name.chars().any(char::is_control) {
        return Err(ValidationErrors::coded("name", "passkey_name", &[("max", &NAME_MAX.to_string())]).into());
    }
    let reg: RegisterPublicKeyCredential = serde_json::from_value(credential.clone()).map_err(|_| bad_credential("credential"))?;
    let w = webauthn(app)?;
    let now = app.now();
    let tx = app.begin().await?;
    let state = match store::take_registration(&tx, user.id).await? {
        Some((state, expires_at)) if expires_at > now => state,
        _ => return Err(AppError::Conflict(Refusal::new("passkey-not-begun"))),
    };
    let state: PasskeyRegistration = serde_json::from_str(&state).map_err(|e| AppError::Internal(format!("a passkey registration cannot be read: {e}")))?;
    let passkey = match w.finish_passkey_registration(&reg, &state) {
        Ok(p) => p,
        Err(e) => {
            // The challenge is used: a new registration begins again.
            tx.commit(&ctx.provenance(now)).await?;
            tracing::info!(user = %user.id, error = %e, "a passkey registration was refused");
            return Err(bad_credential("credential"));
        }
    };
    let credential_id = URL_SAFE_NO_PAD.encode(passkey.cred_id().as_ref() as &[u8]);
    if store::credential_taken(&tx.unfiltered(), &credential_id).await? {
        tx.commit(&ctx.provenance(now)).await?;
        return Err(AppError::Conflict(Refusal::new("passkey-registered")));
    }
    let row = PasskeyRow {
        id: app.new_id(),
        user: user.id,
        credential_id,
        name: name.to_string(),
        credential: to_json(&passkey)?,
        created_at: now,
        last_used_at: None,
    };
    store::add_passkey(&tx, &row).await?;
    let recovery_codes = if store::recovery_left(&tx.unfiltered(), user.id).await? == 0 {
        let (codes, hashes) = factor::new_recovery_codes(app, user.id);
        store::replace_recovery_codes(&tx, user.id, &hashes, now).await?;
        Some(codes)
    } else {
        None
    };
    factor::audit(&tx, &user, "second_factor_set", Some(json!({"factor": "passkey", "passkey": row.id, "name": row.name})));
    tx.commit(&ctx.provenance(now)).await?;
    Ok(Registered { passkey: row.into(), recovery_codes })
}

/// Remove one of the signed-in account's passkeys. Refused when the policy asks this account
/// for a second factor and it is the last one. Without any factor left, the recovery codes end.
pub async fn remove(app: &App, ctx: &Ctx, id: uuid::Uuid) -> Result<()> {
    let user = factor::own(ctx)?;
    let now = app.now();
    let tx = app.begin().await?;
    let r = tx.unfiltered();
    let mine = store::passkeys_of(&r, user.id).await?;
    let Some(row) = mine.iter().find(|p| p.id == id) else { return Err(AppError::NotFound) };
    let totp = factor::has_totp(&r, &user).await?;
    if mine.len() == 1 && !totp {
        if app.config.second_factor.requires(&user) {
            return Err(AppError::Forbidden(Refusal::new("second-factor-required")));
        }
        store::replace_recovery_codes(&tx, user.id, &[], now).await?;
    }
    store::delete_passkey(&tx, user.id, id).await?;
    factor::audit(&tx, &user, "second_factor_removed", Some(json!({"factor": "passkey", "passkey": id, "name": row.name})));
    tx.commit(&ctx.provenance(now)).await?;
    Ok(())
}

/// A sign-in waiting for its second factor asks to answer with a passkey: the options for
/// `navigator.credentials.get()`, allowing the account's passkeys. Each call makes a new
/// challenge; only the latest is accepted.
pub async fn begin_sign_in(app: &App, challenge: &str) -> Result<Value> {
    let w = webauthn(app)?;
    let hash = secret_hash(challenge);
    let now = app.now();
    let r = app.unfiltered();
    let Some(c) = store::find_challenge(&r, &hash).await? else { return Err(AppError::Unauthenticated) };
    if c.expires_at <= now {
        return Err(AppError::Unauthenticated);
    }
    if c.purpose == ENROL {
        return Err(AppError::Conflict(Refusal::new("passkey-missing")));
    }
    let passkeys = store::passkeys_of(&r, c.user).await?.iter().map(stored).collect::<Result<Vec<_>>>()?;
    if passkeys.is_empty() {
        return Err(AppError::Conflict(Refusal::new("passkey-missing")));
    }
    let (options, state) = w.start_passkey_authentication(&passkeys).map_err(|e| AppError::Internal(format!("a passkey sign-in could not begin: {e}")))?;
    let tx = app.begin().await?;
    if !store::set_challenge_passkey(&tx, &hash, &to_json(&state)?).await? {
        return Err(AppError::Unauthenticated);
    }
    tx.commit(&crate::Ctx::system("passkey").provenance(now)).await?;
    serde_json::to_value(&options).map_err(|e| AppError::Internal(format!("passkey options could not be written: {e}")))
}

/// Check a passkey's answer to a waiting sign-in (inside its transaction): `Ok(true)` when it
/// is right (its use is recorded), `Ok(false)` when it is not.
pub(super) async fn check_sign_in(app: &App, tx: &liaison_store::Tx, user: &User, state: Option<&str>, answer: &Value, now: Timestamp) -> Result<bool> {
    let (Some(w), Some(state)) = (app.webauthn.as_deref(), state) else { return Ok(false) };
    let Ok(answer) = serde_json::from_value::<PublicKeyCredential>(answer.clone()) else { return Ok(false) };
    let state: PasskeyAuthentication = serde_json::from_str(state).map_err(|e| AppError::Internal(format!("a passkey sign-in cannot be read: {e}")))?;
    let result: AuthenticationResult = match w.finish_passkey_authentication(&answer, &state) {
        Ok(r) => r,
        Err(e) => {
            tracing::info!(user = %user.id, error = %e, "a passkey sign-in was refused");
            return Ok(false);
        }
    };
    let id = URL_SAFE_NO_PAD.encode(result.cred_id().as_ref() as &[u8]);
    let rows = store::passkeys_of(&tx.unfiltered(), user.id).await?;
    // The ceremony allowed only this account's passkeys; one removed meanwhile is refused.
    let Some(row) = rows.into_iter().find(|p| p.credential_id == id) else { return Ok(false) };
    let mut passkey = stored(&row)?;
    let moved = passkey.update_credential(&result) == Some(true);
    store::passkey_used(tx, row.id, if moved { Some(to_json(&passkey)?) } else { None }.as_deref(), now).await?;
    Ok(true)
}

/// How many passkeys an account has (for the account and admin pages).
pub(super) async fn count(app: &App, user: &User) -> Result<u64> {
    Ok(store::passkey_count(&app.unfiltered(), user.id).await?)
}
