//! Who is acting: sign-in, sessions and API tokens, and the actor they stand for.
//!
//! * this module: the [`Actor`] of a user ([`actor_for`]) and the signed-in cache between
//!   requests;
//! * [`password`]: sign-in with a password, the lockout after failures, password changes;
//! * [`session`]: the sessions a sign-in opens: authentication, use, expiry, sign-out;
//! * [`second_factor`]: TOTP keys and recovery codes, asked after a right password;
//! * [`passkey`]: passkeys (WebAuthn), the other second factor;
//! * [`sso`]: single sign-on with OpenID providers: the flow, account linking;
//! * [`token`]: API tokens: issuing, listing, revoking, authentication.
//!
//! Secrets (session ids, API tokens) are 256-bit random values shown once; only their
//! SHA-256 is stored. Passwords are hashed by the password hasher port off the async runtime.
//! Every function is re-exported here (`liaison_app::auth::login`, `authenticate_session`,
//! `authenticate_token`, `issue_token`, …).

pub mod passkey;
pub mod password;
pub mod second_factor;
pub mod session;
pub mod sso;
pub mod token;

pub use password::{hash_password, lockout_for, login, reset_password, set_password};
pub use second_factor::{Completed, Enrolment, FactorStatus, Pending, Proof, SignIn};
pub use session::{NewSession, authenticate_session, logout};
pub use token::{TOKEN_PREFIX, TokenInfo, authenticate_token, issue_token, my_tokens, revoke_token};

use crate::{Actor, App, AppError, Ctx, Result};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use liaison_domain::Timestamp;
use liaison_domain::access::Subject;
use liaison_domain::user::{User, UserStatus};
use liaison_store::{memberships, organisations, users};
use sha2::{Digest, Sha256};

/// SHA-256 of a secret, in hex: what is stored for sessions and tokens.
pub fn secret_hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

fn new_secret(app: &App) -> String {
    URL_SAFE_NO_PAD.encode(app.entropy.secret_bytes())
}

fn chrono_dur(d: std::time::Duration) -> chrono::TimeDelta {
    chrono::TimeDelta::from_std(d).unwrap_or(chrono::TimeDelta::MAX)
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
    Ok(Actor::signed_in(user, subject))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_stored_as_sha256() {
        assert_eq!(secret_hash("x").len(), 64);
        assert_eq!(secret_hash("x"), secret_hash("x"));
        assert_ne!(secret_hash("x"), secret_hash("y"));
    }
}
