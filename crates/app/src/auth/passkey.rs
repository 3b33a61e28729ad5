//! Passkeys (WebAuthn Level 3) as a second factor: an account registers authenticators from its
//! account page (a platform authenticator, a security key, a phone), and a sign-in whose
//! password was right answers its challenge with one instead of a TOTP code.
//!
//! The ceremonies themselves are the relying party's (the port
//! [`liaison_domain::ports::PasskeyRelyingParty`], `webauthn-rs` in `liaison-adapters`): it
//! makes the options and checks the answers. Here is what Liaison decides: whose passkeys they
//! are, that each ceremony's state is kept in the database (a registration per account for five
//! minutes, a sign-in's with its waiting challenge) and used once, that a refusal counts like a
//! wrong code, that the policy's last factor stays, and what the audit trail says.

use super::second_factor::{self as factor, ENROL};
use super::secret_hash;
use crate::{App, AppError, Ctx, Result};
use liaison_domain::ports::{PasskeyFailure, PasskeyRelyingParty};
use liaison_domain::user::User;
use liaison_domain::{Refusal, Timestamp, ValidationErrors};
use liaison_store::second_factor::{self as store, PasskeyRow};
use serde_json::{Value, json};

/// How long a ceremony may take, in seconds.
pub const CEREMONY_SECONDS: i64 = 300;
/// The longest name of a passkey, in characters.
pub const NAME_MAX: usize = 100;
/// The most passkeys an account may register.
pub const MAX_PER_ACCOUNT: u64 = 20;

/// Whether this installation offers passkeys.
pub fn available(app: &App) -> bool {
    app.passkeys.is_some()
}

fn relying_party(app: &App) -> Result<&dyn PasskeyRelyingParty> {
    app.passkeys.as_deref().ok_or_else(|| AppError::Conflict(Refusal::new("passkeys-unavailable")))
}

fn failed(what: &str, e: PasskeyFailure) -> AppError {
    match e {
        PasskeyFailure::Refused(_) => bad_credential(what),
        PasskeyFailure::Internal(e) => AppError::Internal(e),
    }
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
    let rp = relying_party(app)?;
    let existing = store::passkeys_of(&app.unfiltered(), user.id).await?;
    if existing.len() as u64 >= MAX_PER_ACCOUNT {
        return Err(AppError::Conflict(Refusal::new("passkeys-too-many")));
    }
    let stored: Vec<String> = existing.into_iter().map(|p| p.credential).collect();
    let (options, state) = rp.start_registration(user.id.uuid(), &user.email, &user.display_name, &stored).map_err(|e| failed("credential", e))?;
    let now = app.now();
    let tx = app.begin().await?;
    store::put_registration(&tx, user.id, &state, now + chrono::TimeDelta::seconds(CEREMONY_SECONDS)).await?;
    tx.commit(&ctx.provenance(now)).await?;
    Ok(options)
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
    if !credential.is_object() {
        return Err(bad_credential("credential"));
    }
    let rp = relying_party(app)?;
    let now = app.now();
    let tx = app.begin().await?;
    let state = match store::take_registration(&tx, user.id).await? {
        Some((state, expires_at)) if expires_at > now => state,
        _ => return Err(AppError::Conflict(Refusal::new("passkey-not-begun"))),
    };
    let made = match rp.finish_registration(credential, &state) {
        Ok(p) => p,
        Err(e) => {
            // Nothing registered; the options stay for another try (until they expire).
            tx.rollback().await?;
            if let PasskeyFailure::Refused(why) = &e {
                tracing::info!(user = %user.id, why = %why, "a passkey registration was refused");
            }
            return Err(failed("credential", e));
        }
    };
    if store::credential_taken(&tx.unfiltered(), &made.credential_id).await? {
        tx.commit(&ctx.provenance(now)).await?;
        return Err(AppError::Conflict(Refusal::new("passkey-registered")));
    }
    let row = PasskeyRow {
        id: app.new_id(),
        user: user.id,
        credential_id: made.credential_id,
        name: name.to_string(),
        credential: made.stored,
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
    let rp = relying_party(app)?;
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
    let stored: Vec<String> = store::passkeys_of(&r, c.user).await?.into_iter().map(|p| p.credential).collect();
    if stored.is_empty() {
        return Err(AppError::Conflict(Refusal::new("passkey-missing")));
    }
    let (options, state) = rp.start_authentication(&stored).map_err(|e| failed("passkey", e))?;
    let tx = app.begin().await?;
    if !store::set_challenge_passkey(&tx, &hash, &state).await? {
        return Err(AppError::Unauthenticated);
    }
    tx.commit(&crate::Ctx::system("passkey").provenance(now)).await?;
    Ok(options)
}

/// Check a passkey's answer to a waiting sign-in (inside its transaction): `Ok(true)` when it
/// is right (its use is recorded), `Ok(false)` when it is not.
pub(super) async fn check_sign_in(app: &App, tx: &liaison_store::Tx, user: &User, state: Option<&str>, answer: &Value, now: Timestamp) -> Result<bool> {
    let (Some(rp), Some(state)) = (app.passkeys.as_deref(), state) else { return Ok(false) };
    let rows = store::passkeys_of(&tx.unfiltered(), user.id).await?;
    let stored: Vec<String> = rows.iter().map(|p| p.credential.clone()).collect();
    match rp.finish_authentication(answer, state, &stored) {
        Ok(used) => {
            let Some(row) = rows.get(used.index) else { return Ok(false) };
            store::passkey_used(tx, row.id, used.updated.as_deref(), now).await?;
            Ok(true)
        }
        Err(PasskeyFailure::Refused(why)) => {
            tracing::info!(user = %user.id, why = %why, "a passkey sign-in was refused");
            Ok(false)
        }
        Err(PasskeyFailure::Internal(e)) => Err(AppError::Internal(e)),
    }
}

/// How many passkeys an account has (for the account and admin pages).
pub(super) async fn count(app: &App, user: &User) -> Result<u64> {
    Ok(store::passkey_count(&app.unfiltered(), user.id).await?)
}
