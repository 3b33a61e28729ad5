//! The second factor: a sign-in whose password was right but whose account has a TOTP key or a
//! passkey (or must set one up, by the policy) waits as a challenge until the code or the
//! passkey's answer is given; accounts set up, replace and remove their key and recovery codes
//! (passkeys: [`super::passkey`]); an administrator resets a lost factor.
//!
//! A challenge is a 256-bit secret held by the browser (a cookie) or the API client; only its
//! SHA-256 is stored, with the account, a few attempts and five minutes to live. Each wrong code
//! counts against the challenge and, like a wrong password, towards the account's lockout.

use super::{new_secret, secret_hash, session};
use crate::{Actor, App, AppError, Ctx, Result};
use liaison_domain::access::{Action, Target};
use liaison_domain::change::ChangeDraft;
use liaison_domain::second_factor::{self as rules, CodeRefused, TotpKey};
use liaison_domain::user::{User, UserStatus};
use liaison_domain::{Refusal, Timestamp, UserId, ValidationErrors};
use liaison_store::second_factor::{self as store, TotpRow};
use liaison_store::{Tx, auth as store_auth, users};
use serde_json::json;

/// What signing in with a password led to.
#[derive(Debug)]
pub enum SignIn {
    /// Signed in.
    Session(session::NewSession),
    /// The second factor is asked for.
    SecondFactor(Pending),
}

/// A sign-in waiting for its second factor.
#[derive(Clone, Debug)]
pub struct Pending {
    /// The challenge's secret, to give back with the code.
    pub challenge: String,
    pub expires_at: Timestamp,
    /// The account has no key yet and must set one up now: the new key to show.
    pub enrol: Option<Enrolment>,
    /// The account has a TOTP key (a code answers; a recovery code too).
    pub totp: bool,
    /// The account has passkeys (one of them answers; a recovery code too).
    pub passkey: bool,
}

/// A new TOTP key to put into an authenticator app.
#[derive(Clone)]
pub struct Enrolment {
    /// Base-32, for typing in.
    pub secret: String,
    /// `otpauth://totp/…`, for a QR code.
    pub uri: String,
}

impl std::fmt::Debug for Enrolment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Enrolment(…)")
    }
}

/// A finished sign-in, with the recovery codes to show once when it set up a key.
#[derive(Debug)]
pub struct Completed {
    pub session: session::NewSession,
    pub recovery_codes: Option<Vec<String>>,
}

/// An account's second factor, as the account page shows it.
#[derive(Clone, Debug, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FactorStatus {
    /// A TOTP key is set up and confirmed.
    pub totp: bool,
    /// Passkeys registered.
    pub passkeys: u64,
    /// This installation offers passkeys (its public address has a domain name).
    pub passkeys_available: bool,
    /// Unused recovery codes.
    pub recovery_codes_left: u64,
    /// The policy asks this account for a second factor.
    pub required: bool,
}

const VERIFY: &str = "verify";
pub(super) const ENROL: &str = "enrol";

/// What answers a waiting sign-in.
#[derive(Clone, Copy, Debug)]
pub enum Proof<'a> {
    /// Six digits from the authenticator app, or a recovery code.
    Code(&'a str),
    /// What `navigator.credentials.get()` answered to [`super::passkey::begin_sign_in`]'s options.
    Passkey(&'a serde_json::Value),
}

/// A change to an account's second factor, for the audit trail (never a code or a key).
pub(super) fn audit(tx: &Tx, user: &User, action: &'static str, after: Option<serde_json::Value>) {
    tx.record(ChangeDraft::unmarked("user", user.id.uuid(), user.version, action, None, after));
}

/// Whether an account has a confirmed TOTP key.
pub(super) async fn has_totp(r: &liaison_store::Reader<'_>, user: &User) -> Result<bool> {
    Ok(store::totp_of(r, user.id).await?.is_some_and(|t| t.confirmed_at.is_some()))
}

fn key_of(app: &App, secret: &str, user: &User) -> Result<TotpKey> {
    TotpKey::from_base32(secret, &app.config.totp_issuer, &user.email).ok_or_else(|| AppError::Internal(format!("the TOTP key of {} cannot be read", user.id)))
}

fn new_key(app: &App, user: &User) -> Result<TotpKey> {
    let bytes = app.entropy.secret_bytes();
    let secret = bytes.get(..rules::SECRET_BYTES).unwrap_or(&bytes);
    TotpKey::new(secret, &app.config.totp_issuer, &user.email).ok_or_else(|| AppError::Internal("a TOTP key could not be made".into()))
}

fn enrolment(key: &TotpKey) -> Result<Enrolment> {
    Ok(Enrolment { secret: key.base32(), uri: key.uri().ok_or_else(|| AppError::Internal("the key's link could not be written".into()))? })
}

pub(super) fn new_recovery_codes(app: &App, user: UserId) -> (Vec<String>, Vec<String>) {
    let codes: Vec<String> = (0..rules::RECOVERY_CODES)
        .map(|_| {
            let bytes = app.entropy.secret_bytes();
            let mut b = [0u8; rules::RECOVERY_BYTES];
            b.copy_from_slice(bytes.get(..rules::RECOVERY_BYTES).unwrap_or(&[0; rules::RECOVERY_BYTES]));
            rules::recovery_code(&b)
        })
        .collect();
    let hashes = codes.iter().map(|c| rules::recovery_hash(user, c)).collect();
    (codes, hashes)
}

/// After a right password, inside the sign-in's transaction: a challenge if the account has a
/// key or must set one up, `None` to sign in at once.
pub(super) async fn ask(app: &App, tx: &Tx, user: &User, source: &str, now: Timestamp) -> Result<Option<Pending>> {
    let r = tx.unfiltered();
    let totp = has_totp(&r, user).await?;
    let passkeys = store::passkey_count(&r, user.id).await? > 0;
    // Passkeys that cannot be used here (the public address lost its domain name) still ask
    // for the second step: a recovery code answers it.
    let passkey = passkeys && super::passkey::available(app);
    let (purpose, enrol) = match totp || passkeys {
        true => (VERIFY, None),
        false if app.config.second_factor.requires(user) => (ENROL, Some(new_key(app, user)?)),
        false => return Ok(None),
    };
    store::delete_challenges_of(tx, user.id, now).await?;
    let challenge = new_secret(app);
    let expires_at = now + chrono::TimeDelta::seconds(rules::CHALLENGE_SECONDS);
    store::create_challenge(tx, &secret_hash(&challenge), user.id, purpose, enrol.as_ref().map(TotpKey::base32), now, expires_at, source).await?;
    Ok(Some(Pending { challenge, expires_at, enrol: enrol.as_ref().map(enrolment).transpose()?, totp, passkey }))
}

/// A waiting sign-in, as its page shows it again (e.g. after a wrong code).
pub async fn waiting(app: &App, challenge: &str) -> Result<Pending> {
    let r = app.unfiltered();
    let Some(c) = store::find_challenge(&r, &secret_hash(challenge)).await? else { return Err(AppError::Unauthenticated) };
    if c.expires_at <= app.now() {
        return Err(AppError::Unauthenticated);
    }
    let user = users::get(&r, c.user).await?.ok_or(AppError::Unauthenticated)?;
    let enrol = match (c.secret, c.purpose == ENROL) {
        (Some(secret), true) => Some(enrolment(&key_of(app, &secret, &user)?)?),
        _ => None,
    };
    let totp = has_totp(&r, &user).await?;
    let passkey = super::passkey::available(app) && store::passkey_count(&r, user.id).await? > 0;
    Ok(Pending { challenge: challenge.to_string(), expires_at: c.expires_at, enrol, totp, passkey })
}

fn wrong(reason: CodeRefused) -> AppError {
    let code = match reason {
        CodeRefused::Wrong => "wrong",
        CodeRefused::Reused => "reused",
    };
    ValidationErrors::coded("code", code, &[]).into()
}

/// Finish a waiting sign-in with its proof: a TOTP code, one of the account's recovery codes,
/// or a passkey's answer. `previous` is the session the client held, ended as at
/// [`super::login`]. A wrong proof counts towards the lockout, whatever its kind.
pub async fn complete(app: &App, challenge: &str, proof: Proof<'_>, previous: Option<&str>, source: &str, request_id: &str) -> Result<Completed> {
    let now = app.now();
    let hash = secret_hash(challenge);
    let ctx = Ctx { actor: Actor::System, request_id: request_id.to_string(), source: source.to_string() };
    let Some(c) = store::find_challenge(&app.unfiltered(), &hash).await? else { return Err(AppError::Unauthenticated) };
    let user = match users::get(&app.unfiltered(), c.user).await? {
        Some(u) if u.status == UserStatus::Active && c.expires_at > now && c.attempts < rules::CHALLENGE_ATTEMPTS => u,
        _ => {
            let tx = app.begin().await?;
            store::delete_challenge(&tx, &hash).await?;
            tx.commit(&ctx.provenance(now)).await?;
            return Err(AppError::Unauthenticated);
        }
    };
    let unix = now.timestamp();
    let tx = app.begin().await?;
    // What the code is, and whether it is right.
    let code = match proof {
        Proof::Code(code) => code,
        Proof::Passkey(_) => "",
    };
    let outcome: std::result::Result<(&str, Option<Vec<String>>), CodeRefused> = if let Proof::Passkey(answer) = proof {
        match c.purpose != ENROL && super::passkey::check_sign_in(app, &tx, &user, c.passkey_state.as_deref(), answer, now).await? {
            true => Ok(("passkey", None)),
            false => Err(CodeRefused::Wrong),
        }
    } else if c.purpose == ENROL {
        let secret = c.secret.clone().unwrap_or_default();
        match key_of(app, &secret, &user)?.check(code, unix, None) {
            Ok(step) => {
                store::put_totp(&tx, user.id, &TotpRow { secret, confirmed_at: Some(now), last_step: Some(step) }, now).await?;
                let (codes, hashes) = new_recovery_codes(app, user.id);
                store::replace_recovery_codes(&tx, user.id, &hashes, now).await?;
                Ok(("totp_enrolled", Some(codes)))
            }
            Err(e) => Err(e),
        }
    } else if rules::is_recovery_code(code) {
        if store::use_recovery_code(&tx, user.id, &rules::recovery_hash(user.id, code), now).await? {
            Ok(("recovery_code", None))
        } else {
            Err(CodeRefused::Wrong)
        }
    } else {
        match store::totp_of(&tx.unfiltered(), user.id).await?.filter(|t| t.confirmed_at.is_some()) {
            Some(t) => match key_of(app, &t.secret, &user)?.check(code, unix, t.last_step) {
                // Two sign-ins racing with the same code: only one moves the step on.
                Ok(step) if store::accept_step(&tx, user.id, step).await? => Ok(("totp", None)),
                Ok(_) => Err(CodeRefused::Reused),
                Err(e) => Err(e),
            },
            // The key was removed (an administrator's reset) while the sign-in waited.
            None => Err(CodeRefused::Wrong),
        }
    };
    match outcome {
        Ok((factor, recovery_codes)) => {
            if !store::delete_challenge(&tx, &hash).await? {
                return Err(AppError::Unauthenticated);
            }
            users::set_login_state(&tx, user.id, 0, None, Some(now)).await?;
            let (secret, expires_at) = session::start(app, &tx, user.id, previous, source, now).await?;
            if factor == "totp_enrolled" {
                audit(&tx, &user, "second_factor_set", Some(json!({"factor": "totp"})));
            }
            tx.record(ChangeDraft::unmarked("user", user.id.uuid(), user.version, "login", None, Some(json!({"second_factor": factor}))));
            let mut prov = ctx.provenance(now);
            prov.actor = Some(user.id);
            tx.commit(&prov).await?;
            Ok(Completed { session: session::NewSession { secret, user, expires_at }, recovery_codes })
        }
        Err(reason) => {
            tx.rollback().await?;
            let creds = users::credentials(&app.unfiltered(), &user.email).await?;
            let before = creds.map(|c| c.failed_logins).unwrap_or(0);
            let tx = app.begin().await?;
            store::challenge_failed(&tx, &hash).await?;
            let why = match (proof, reason) {
                (Proof::Passkey(_), _) => "wrong_passkey",
                (_, CodeRefused::Reused) => "reused_second_factor",
                _ => "wrong_second_factor",
            };
            let until = super::password::failed(app, &tx, &user, before, why, now).await?;
            if until.is_some() {
                // Locked: this sign-in ends; the next one starts with the password again.
                store::delete_challenge(&tx, &hash).await?;
            }
            tx.commit(&ctx.provenance(now)).await?;
            if let Some(u) = until {
                return Err(AppError::RateLimited { retry_after_secs: u64::try_from((u - now).num_seconds().max(1)).unwrap_or(1) });
            }
            match proof {
                Proof::Passkey(_) => Err(ValidationErrors::coded("passkey", "passkey_refused", &[]).into()),
                Proof::Code(_) => Err(wrong(reason)),
            }
        }
    }
}

pub(super) fn own(ctx: &Ctx) -> Result<User> {
    ctx.actor.user().cloned().ok_or(AppError::Unauthenticated)
}

async fn status_of(app: &App, user: &User) -> Result<FactorStatus> {
    let r = app.unfiltered();
    Ok(FactorStatus {
        totp: has_totp(&r, user).await?,
        passkeys: super::passkey::count(app, user).await?,
        passkeys_available: super::passkey::available(app),
        recovery_codes_left: store::recovery_left(&r, user.id).await?,
        required: app.config.second_factor.requires(user),
    })
}

/// The signed-in account's second factor.
pub async fn status(app: &App, ctx: &Ctx) -> Result<FactorStatus> {
    status_of(app, &own(ctx)?).await
}

/// Another account's second factor, for administrators and security officers.
pub async fn of_user(app: &App, ctx: &Ctx, id: UserId) -> Result<FactorStatus> {
    ctx.actor.require(Action::UserRead, Target::Installation)?;
    let user = users::get(&app.read(ctx), id).await?.ok_or(AppError::NotFound)?;
    status_of(app, &user).await
}

/// Begin setting up a key for the signed-in account (replacing one half set up). An account
/// that has a key removes it first.
pub async fn begin_totp(app: &App, ctx: &Ctx) -> Result<Enrolment> {
    let user = own(ctx)?;
    if store::totp_of(&app.unfiltered(), user.id).await?.is_some_and(|t| t.confirmed_at.is_some()) {
        return Err(AppError::Conflict(Refusal::new("second-factor-exists")));
    }
    let key = new_key(app, &user)?;
    let now = app.now();
    let tx = app.begin().await?;
    store::put_totp(&tx, user.id, &TotpRow { secret: key.base32(), confirmed_at: None, last_step: None }, now).await?;
    tx.commit(&ctx.provenance(now)).await?;
    enrolment(&key)
}

/// The key being set up, to show again.
pub async fn pending_totp(app: &App, ctx: &Ctx) -> Result<Option<Enrolment>> {
    let user = own(ctx)?;
    match store::totp_of(&app.unfiltered(), user.id).await? {
        Some(t) if t.confirmed_at.is_none() => Ok(Some(enrolment(&key_of(app, &t.secret, &user)?)?)),
        _ => Ok(None),
    }
}

/// Confirm the key being set up with its first code. Returns the recovery codes, shown once.
pub async fn confirm_totp(app: &App, ctx: &Ctx, code: &str) -> Result<Vec<String>> {
    let user = own(ctx)?;
    let Some(t) = store::totp_of(&app.unfiltered(), user.id).await?.filter(|t| t.confirmed_at.is_none()) else {
        return Err(AppError::Conflict(Refusal::new("second-factor-not-begun")));
    };
    let now = app.now();
    let step = key_of(app, &t.secret, &user)?.check(code, now.timestamp(), None).map_err(wrong)?;
    let tx = app.begin().await?;
    store::put_totp(&tx, user.id, &TotpRow { secret: t.secret, confirmed_at: Some(now), last_step: Some(step) }, now).await?;
    let (codes, hashes) = new_recovery_codes(app, user.id);
    store::replace_recovery_codes(&tx, user.id, &hashes, now).await?;
    audit(&tx, &user, "second_factor_set", Some(json!({"factor": "totp"})));
    tx.commit(&ctx.provenance(now)).await?;
    Ok(codes)
}

/// Check a current code of the signed-in account's key, moving its last step on.
async fn check_own(app: &App, tx: &Tx, user: &User, code: &str) -> Result<()> {
    let Some(t) = store::totp_of(&tx.unfiltered(), user.id).await?.filter(|t| t.confirmed_at.is_some()) else {
        return Err(AppError::Conflict(Refusal::new("second-factor-missing")));
    };
    let step = key_of(app, &t.secret, user)?.check(code, app.now().timestamp(), t.last_step).map_err(wrong)?;
    if !store::accept_step(tx, user.id, step).await? {
        return Err(wrong(CodeRefused::Reused));
    }
    Ok(())
}

/// New recovery codes for the signed-in account (the old ones end), given a current code.
pub async fn renew_recovery_codes(app: &App, ctx: &Ctx, code: &str) -> Result<Vec<String>> {
    let user = own(ctx)?;
    let now = app.now();
    let tx = app.begin().await?;
    check_own(app, &tx, &user, code).await?;
    let (codes, hashes) = new_recovery_codes(app, user.id);
    store::replace_recovery_codes(&tx, user.id, &hashes, now).await?;
    audit(&tx, &user, "recovery_codes_renewed", None);
    tx.commit(&ctx.provenance(now)).await?;
    Ok(codes)
}

/// Remove the signed-in account's key, given a current code; refused when the policy asks this
/// account for a second factor and it has no passkey. Without any factor left, the recovery
/// codes end too.
pub async fn remove_totp(app: &App, ctx: &Ctx, code: &str) -> Result<()> {
    let user = own(ctx)?;
    let passkeys = super::passkey::count(app, &user).await?;
    if passkeys == 0 && app.config.second_factor.requires(&user) {
        return Err(AppError::Forbidden(Refusal::new("second-factor-required")));
    }
    let now = app.now();
    let tx = app.begin().await?;
    check_own(app, &tx, &user, code).await?;
    store::delete_totp(&tx, user.id).await?;
    if passkeys == 0 {
        store::replace_recovery_codes(&tx, user.id, &[], now).await?;
    }
    audit(&tx, &user, "second_factor_removed", Some(json!({"factor": "totp"})));
    tx.commit(&ctx.provenance(now)).await?;
    Ok(())
}

/// An administrator removes another account's second factor — its key, passkeys and recovery
/// codes (its device was lost); its sessions and waiting sign-ins end. Audited. The account sets
/// up a new key at its next sign-in if the policy asks it to.
pub async fn reset(app: &App, ctx: &Ctx, id: UserId) -> Result<bool> {
    ctx.actor.require(Action::UserWrite, Target::Installation)?;
    if ctx.actor.user_id() == Some(id) {
        return Err(AppError::Forbidden(Refusal::new("own-second-factor-reset")));
    }
    let user = users::get(&app.read(ctx), id).await?.ok_or(AppError::NotFound)?;
    let now = app.now();
    let tx = app.begin().await?;
    let had = store::delete_totp(&tx, id).await?;
    let passkeys = store::delete_passkeys_of(&tx, id).await?;
    store::replace_recovery_codes(&tx, id, &[], now).await?;
    store::delete_challenges_of(&tx, id, now).await?;
    store_auth::delete_sessions_of(&tx, id).await?;
    tx.record(ChangeDraft::unmarked("user", id.uuid(), user.version, "second_factor_reset", None, Some(json!({"had_key": had, "passkeys": passkeys}))));
    tx.commit(&ctx.provenance(now)).await?;
    Ok(had || passkeys > 0)
}
