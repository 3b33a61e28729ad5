//! Server-side sessions and API tokens. Only SHA-256 hashes of the secrets are stored.

use crate::entity::{api_token, session};
use crate::row::ts;
use crate::{Db, Reader, Result, Tx};
use liaison_domain::{Timestamp, TokenId, UserId};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Statement};
use serde::Serialize;

/// A signed-in browser or API session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionRow {
    pub user: UserId,
    pub created_at: Timestamp,
    pub last_seen_at: Timestamp,
    pub expires_at: Timestamp,
}

/// An API token (its secret is never stored).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TokenRow {
    pub id: TokenId,
    pub user: UserId,
    pub name: String,
    pub created_at: Timestamp,
    pub last_used_at: Option<Timestamp>,
    pub expires_at: Option<Timestamp>,
    pub revoked_at: Option<Timestamp>,
}

pub async fn create_session(tx: &Tx, token_hash: &str, user: UserId, now: Timestamp, expires_at: Timestamp, source: &str) -> Result<()> {
    let c = tx.conn();
    session::Entity::insert(session::ActiveModel {
        token_hash: Set(token_hash.to_string()),
        user_id: Set(user.uuid()),
        created_at: Set(ts(now)),
        last_seen_at: Set(ts(now)),
        expires_at: Set(ts(expires_at)),
        source: Set(source.to_string()),
    })
    .exec_without_returning(c)
    .await?;
    Ok(())
}

pub async fn find_session(r: &Reader<'_>, token_hash: &str) -> Result<Option<SessionRow>> {
    let c = &r.c();
    Ok(session::Entity::find_by_id(token_hash.to_string()).one(c).await?.map(|m| SessionRow {
        user: UserId(m.user_id),
        created_at: m.created_at,
        last_seen_at: m.last_seen_at,
        expires_at: m.expires_at,
    }))
}

/// Note that the session was used (outside the audit trail; done at most once a minute).
pub async fn touch_session(db: &Db, token_hash: &str, now: Timestamp) -> Result<()> {
    let b = db.db_backend();
    let sql = match b {
        sea_orm::DbBackend::Postgres => "UPDATE session SET last_seen_at = $1 WHERE token_hash = $2",
        _ => "UPDATE session SET last_seen_at = ? WHERE token_hash = ?",
    };
    db.execute_unaudited(Statement::from_sql_and_values(b, sql, [ts(now).into(), token_hash.into()])).await?;
    Ok(())
}

pub async fn delete_session(tx: &Tx, token_hash: &str) -> Result<bool> {
    let c = tx.conn();
    Ok(session::Entity::delete_by_id(token_hash.to_string()).exec(c).await?.rows_affected > 0)
}

/// End every session of a user (password change, account disabled). Returns how many.
pub async fn delete_sessions_of(tx: &Tx, user: UserId) -> Result<u64> {
    let c = tx.conn();
    Ok(session::Entity::delete_many().filter(session::Column::UserId.eq(user.uuid())).exec(c).await?.rows_affected)
}

/// Remove sessions past their absolute expiry.
pub async fn purge_expired_sessions(tx: &Tx, now: Timestamp) -> Result<u64> {
    let c = tx.conn();
    Ok(session::Entity::delete_many().filter(session::Column::ExpiresAt.lt(ts(now))).exec(c).await?.rows_affected)
}

fn token_row(m: api_token::Model) -> TokenRow {
    TokenRow {
        id: TokenId(m.id),
        user: UserId(m.user_id),
        name: m.name,
        created_at: m.created_at,
        last_used_at: m.last_used_at,
        expires_at: m.expires_at,
        revoked_at: m.revoked_at,
    }
}

pub async fn create_token(tx: &Tx, id: TokenId, user: UserId, name: &str, token_hash: &str, now: Timestamp, expires_at: Option<Timestamp>) -> Result<()> {
    let c = tx.conn();
    api_token::Entity::insert(api_token::ActiveModel {
        id: Set(id.uuid()),
        user_id: Set(user.uuid()),
        name: Set(name.to_string()),
        token_hash: Set(token_hash.to_string()),
        created_at: Set(ts(now)),
        last_used_at: Set(None),
        expires_at: Set(expires_at.map(ts)),
        revoked_at: Set(None),
    })
    .exec_without_returning(c)
    .await?;
    Ok(())
}

pub async fn find_token(r: &Reader<'_>, token_hash: &str) -> Result<Option<TokenRow>> {
    let c = &r.c();
    Ok(api_token::Entity::find().filter(api_token::Column::TokenHash.eq(token_hash)).one(c).await?.map(token_row))
}

pub async fn get_token(r: &Reader<'_>, id: TokenId) -> Result<Option<TokenRow>> {
    let c = &r.c();
    Ok(api_token::Entity::find_by_id(id.uuid()).one(c).await?.map(token_row))
}

pub async fn tokens_of(r: &Reader<'_>, user: UserId) -> Result<Vec<TokenRow>> {
    let c = &r.c();
    Ok(api_token::Entity::find()
        .filter(api_token::Column::UserId.eq(user.uuid()))
        .order_by_asc(api_token::Column::Id)
        .all(c)
        .await?
        .into_iter()
        .map(token_row)
        .collect())
}

pub async fn revoke_token(tx: &Tx, id: TokenId, now: Timestamp) -> Result<bool> {
    let c = tx.conn();
    let r = api_token::Entity::update_many()
        .set(api_token::ActiveModel { revoked_at: Set(Some(ts(now))), ..Default::default() })
        .filter(api_token::Column::Id.eq(id.uuid()))
        .filter(api_token::Column::RevokedAt.is_null())
        .exec(c)
        .await?;
    Ok(r.rows_affected == 1)
}

/// Note that a token was used (outside the audit trail; done at most once a minute).
pub async fn touch_token(db: &Db, id: TokenId, now: Timestamp) -> Result<()> {
    let b = db.db_backend();
    let sql = match b {
        sea_orm::DbBackend::Postgres => "UPDATE api_token SET last_used_at = $1 WHERE id = $2",
        _ => "UPDATE api_token SET last_used_at = ? WHERE id = ?",
    };
    db.execute_unaudited(Statement::from_sql_and_values(b, sql, [ts(now).into(), id.uuid().into()])).await?;
    Ok(())
}
