//! The second factor: accounts' TOTP keys, their passkeys, their recovery codes (hashed), and
//! sign-ins waiting for their second factor (by the SHA-256 of the challenge's secret).

use crate::entity::{login_challenge, passkey, passkey_registration, recovery_code, user_totp};
use crate::row::ts;
use crate::{Reader, Result, Tx};
use liaison_domain::{Timestamp, UserId};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

/// An account's TOTP key.
#[derive(Clone, PartialEq, Eq)]
pub struct TotpRow {
    /// Base-32.
    pub secret: String,
    /// `None` while it is being set up.
    pub confirmed_at: Option<Timestamp>,
    pub last_step: Option<i64>,
}

impl std::fmt::Debug for TotpRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The secret never reaches a log.
        f.debug_struct("TotpRow").field("confirmed_at", &self.confirmed_at).field("last_step", &self.last_step).finish_non_exhaustive()
    }
}

/// A sign-in waiting for its second factor.
#[derive(Clone, PartialEq, Eq)]
pub struct ChallengeRow {
    pub user: UserId,
    /// `verify` or `enrol`.
    pub purpose: String,
    /// Enrolment: the new key (base-32).
    pub secret: Option<String>,
    pub attempts: i32,
    pub expires_at: Timestamp,
    /// A passkey ceremony begun for it: webauthn-rs's state (JSON).
    pub passkey_state: Option<String>,
}

impl std::fmt::Debug for ChallengeRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChallengeRow").field("user", &self.user).field("purpose", &self.purpose).field("attempts", &self.attempts).finish_non_exhaustive()
    }
}

pub async fn totp_of(r: &Reader<'_>, user: UserId) -> Result<Option<TotpRow>> {
    let c = &r.c();
    Ok(user_totp::Entity::find_by_id(user.uuid()).one(c).await?.map(|m| TotpRow { secret: m.secret, confirmed_at: m.confirmed_at, last_step: m.last_step }))
}

/// Set an account's key, replacing any it had.
pub async fn put_totp(tx: &Tx, user: UserId, row: &TotpRow, now: Timestamp) -> Result<()> {
    let c = tx.conn();
    user_totp::Entity::delete_by_id(user.uuid()).exec(c).await?;
    user_totp::Entity::insert(user_totp::ActiveModel {
        user_id: Set(user.uuid()),
        secret: Set(row.secret.clone()),
        confirmed_at: Set(row.confirmed_at.map(ts)),
        last_step: Set(row.last_step),
        created_at: Set(ts(now)),
    })
    .exec_without_returning(c)
    .await?;
    Ok(())
}

/// Record the step of the code just accepted, if it is later than the last one: `false` when
/// another sign-in accepted this step (or a later one) first.
pub async fn accept_step(tx: &Tx, user: UserId, step: i64) -> Result<bool> {
    let c = tx.conn();
    let n = user_totp::Entity::update_many()
        .col_expr(user_totp::Column::LastStep, Expr::value(step))
        .filter(user_totp::Column::UserId.eq(user.uuid()))
        .filter(user_totp::Column::LastStep.is_null().or(user_totp::Column::LastStep.lt(step)))
        .exec(c)
        .await?;
    Ok(n.rows_affected > 0)
}

/// Remove an account's key (its recovery codes stay: another factor may use them). Returns
/// whether it had a key.
pub async fn delete_totp(tx: &Tx, user: UserId) -> Result<bool> {
    Ok(user_totp::Entity::delete_by_id(user.uuid()).exec(tx.conn()).await?.rows_affected > 0)
}

/// Replace an account's recovery codes by these (hashes).
pub async fn replace_recovery_codes(tx: &Tx, user: UserId, hashes: &[String], now: Timestamp) -> Result<()> {
    let c = tx.conn();
    recovery_code::Entity::delete_many().filter(recovery_code::Column::UserId.eq(user.uuid())).exec(c).await?;
    if hashes.is_empty() {
        return Ok(());
    }
    recovery_code::Entity::insert_many(hashes.iter().map(|h| recovery_code::ActiveModel {
        code_hash: Set(h.clone()),
        user_id: Set(user.uuid()),
        created_at: Set(ts(now)),
        used_at: Set(None),
    }))
    .exec_without_returning(c)
    .await?;
    Ok(())
}

/// Use a recovery code of `user`: `true` if it was theirs and unused (it is used now).
pub async fn use_recovery_code(tx: &Tx, user: UserId, hash: &str, now: Timestamp) -> Result<bool> {
    let c = tx.conn();
    let n = recovery_code::Entity::update_many()
        .col_expr(recovery_code::Column::UsedAt, Expr::value(ts(now)))
        .filter(recovery_code::Column::CodeHash.eq(hash))
        .filter(recovery_code::Column::UserId.eq(user.uuid()))
        .filter(recovery_code::Column::UsedAt.is_null())
        .exec(c)
        .await?;
    Ok(n.rows_affected > 0)
}

/// Recovery codes an account has left.
pub async fn recovery_left(r: &Reader<'_>, user: UserId) -> Result<u64> {
    let c = &r.c();
    Ok(recovery_code::Entity::find().filter(recovery_code::Column::UserId.eq(user.uuid())).filter(recovery_code::Column::UsedAt.is_null()).count(c).await?)
}

#[allow(clippy::too_many_arguments)]
pub async fn create_challenge(
    tx: &Tx,
    token_hash: &str,
    user: UserId,
    purpose: &str,
    secret: Option<String>,
    now: Timestamp,
    expires_at: Timestamp,
    source: &str,
) -> Result<()> {
    let c = tx.conn();
    login_challenge::Entity::insert(login_challenge::ActiveModel {
        token_hash: Set(token_hash.to_string()),
        user_id: Set(user.uuid()),
        purpose: Set(purpose.to_string()),
        secret: Set(secret),
        attempts: Set(0),
        created_at: Set(ts(now)),
        expires_at: Set(ts(expires_at)),
        source: Set(source.to_string()),
        passkey_state: Set(None),
    })
    .exec_without_returning(c)
    .await?;
    Ok(())
}

pub async fn find_challenge(r: &Reader<'_>, token_hash: &str) -> Result<Option<ChallengeRow>> {
    let c = &r.c();
    Ok(login_challenge::Entity::find_by_id(token_hash.to_string()).one(c).await?.map(|m| ChallengeRow {
        user: UserId(m.user_id),
        purpose: m.purpose,
        secret: m.secret,
        attempts: m.attempts,
        expires_at: m.expires_at,
        passkey_state: m.passkey_state,
    }))
}

/// Count a wrong code against a challenge.
pub async fn challenge_failed(tx: &Tx, token_hash: &str) -> Result<()> {
    let c = tx.conn();
    login_challenge::Entity::update_many()
        .col_expr(login_challenge::Column::Attempts, Expr::col(login_challenge::Column::Attempts).add(1))
        .filter(login_challenge::Column::TokenHash.eq(token_hash))
        .exec(c)
        .await?;
    Ok(())
}

/// End a challenge: `false` if it had ended already (another request finished it first).
pub async fn delete_challenge(tx: &Tx, token_hash: &str) -> Result<bool> {
    let c = tx.conn();
    Ok(login_challenge::Entity::delete_by_id(token_hash.to_string()).exec(c).await?.rows_affected > 0)
}

/// End every waiting sign-in of an account, and those of anyone past their time.
pub async fn delete_challenges_of(tx: &Tx, user: UserId, now: Timestamp) -> Result<u64> {
    let c = tx.conn();
    Ok(login_challenge::Entity::delete_many()
        .filter(login_challenge::Column::UserId.eq(user.uuid()).or(login_challenge::Column::ExpiresAt.lt(ts(now))))
        .exec(c)
        .await?
        .rows_affected)
}

/// Keep the passkey ceremony begun for a waiting sign-in (replacing one begun before): `false`
/// when the sign-in has ended.
pub async fn set_challenge_passkey(tx: &Tx, token_hash: &str, state: &str) -> Result<bool> {
    let n = login_challenge::Entity::update_many()
        .col_expr(login_challenge::Column::PasskeyState, Expr::value(state))
        .filter(login_challenge::Column::TokenHash.eq(token_hash))
        .exec(tx.conn())
        .await?;
    Ok(n.rows_affected > 0)
}

/// A registered passkey.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PasskeyRow {
    pub id: uuid::Uuid,
    pub user: UserId,
    /// Base64url.
    pub credential_id: String,
    pub name: String,
    /// webauthn-rs's `Passkey` (JSON): the public key and the signature counter.
    pub credential: String,
    pub created_at: Timestamp,
    pub last_used_at: Option<Timestamp>,
}

fn passkey_row(m: passkey::Model) -> PasskeyRow {
    PasskeyRow {
        id: m.id,
        user: UserId(m.user_id),
        credential_id: m.credential_id,
        name: m.name,
        credential: m.credential,
        created_at: m.created_at,
        last_used_at: m.last_used_at,
    }
}

/// An account's passkeys, oldest first.
pub async fn passkeys_of(r: &Reader<'_>, user: UserId) -> Result<Vec<PasskeyRow>> {
    use sea_orm::QueryOrder;
    let rows = passkey::Entity::find()
        .filter(passkey::Column::UserId.eq(user.uuid()))
        .order_by_asc(passkey::Column::CreatedAt)
        .order_by_asc(passkey::Column::Id)
        .all(&r.c())
        .await?;
    Ok(rows.into_iter().map(passkey_row).collect())
}

/// How many passkeys an account has.
pub async fn passkey_count(r: &Reader<'_>, user: UserId) -> Result<u64> {
    Ok(passkey::Entity::find().filter(passkey::Column::UserId.eq(user.uuid())).count(&r.c()).await?)
}

/// Whether a credential is registered already (to any account).
pub async fn credential_taken(r: &Reader<'_>, credential_id: &str) -> Result<bool> {
    Ok(passkey::Entity::find().filter(passkey::Column::CredentialId.eq(credential_id)).count(&r.c()).await? > 0)
}

pub async fn add_passkey(tx: &Tx, row: &PasskeyRow) -> Result<()> {
    passkey::Entity::insert(passkey::ActiveModel {
        id: Set(row.id),
        user_id: Set(row.user.uuid()),
        credential_id: Set(row.credential_id.clone()),
        name: Set(row.name.clone()),
        credential: Set(row.credential.clone()),
        created_at: Set(ts(row.created_at)),
        last_used_at: Set(row.last_used_at.map(ts)),
    })
    .exec_without_returning(tx.conn())
    .await?;
    Ok(())
}

/// A passkey signed in: when it was, and its new counter (or backup state) if it moved on.
pub async fn passkey_used(tx: &Tx, id: uuid::Uuid, credential: Option<&str>, now: Timestamp) -> Result<()> {
    let mut q = passkey::Entity::update_many().col_expr(passkey::Column::LastUsedAt, Expr::value(ts(now)));
    if let Some(c) = credential {
        q = q.col_expr(passkey::Column::Credential, Expr::value(c));
    }
    q.filter(passkey::Column::Id.eq(id)).exec(tx.conn()).await?;
    Ok(())
}

/// Remove one of an account's passkeys: `false` if it has none by that id.
pub async fn delete_passkey(tx: &Tx, user: UserId, id: uuid::Uuid) -> Result<bool> {
    let n = passkey::Entity::delete_many().filter(passkey::Column::Id.eq(id)).filter(passkey::Column::UserId.eq(user.uuid())).exec(tx.conn()).await?;
    Ok(n.rows_affected > 0)
}

/// Remove every passkey of an account, and a registration it had begun. Returns how many.
pub async fn delete_passkeys_of(tx: &Tx, user: UserId) -> Result<u64> {
    let c = tx.conn();
    passkey_registration::Entity::delete_by_id(user.uuid()).exec(c).await?;
    Ok(passkey::Entity::delete_many().filter(passkey::Column::UserId.eq(user.uuid())).exec(c).await?.rows_affected)
}

/// Keep a registration begun on the account page (replacing one begun before).
pub async fn put_registration(tx: &Tx, user: UserId, state: &str, expires_at: Timestamp) -> Result<()> {
    let c = tx.conn();
    passkey_registration::Entity::delete_by_id(user.uuid()).exec(c).await?;
    passkey_registration::Entity::insert(passkey_registration::ActiveModel {
        user_id: Set(user.uuid()),
        state: Set(state.to_string()),
        expires_at: Set(ts(expires_at)),
    })
    .exec_without_returning(c)
    .await?;
    Ok(())
}

/// Take the registration an account began (it is gone after: each challenge registers once).
pub async fn take_registration(tx: &Tx, user: UserId) -> Result<Option<(String, Timestamp)>> {
    let c = tx.conn();
    let Some(m) = passkey_registration::Entity::find_by_id(user.uuid()).one(c).await? else { return Ok(None) };
    if passkey_registration::Entity::delete_by_id(user.uuid()).exec(c).await?.rows_affected != 1 {
        return Ok(None);
    }
    Ok(Some((m.state, m.expires_at)))
}
