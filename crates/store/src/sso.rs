//! Single sign-on: provider accounts linked to Liaison accounts (by the provider's `sub`), and
//! sign-ins on their way to a provider and back (by the SHA-256 of their `state`).

use crate::entity::{sso_flow, sso_identity};
use crate::row::ts;
use crate::{Reader, Result, Tx};
use liaison_domain::{Timestamp, UserId};
use sea_orm::{ActiveValue::Set, EntityTrait};

/// The account a provider's account is linked to.
pub async fn linked_user(r: &Reader<'_>, provider: &str, subject: &str) -> Result<Option<UserId>> {
    Ok(sso_identity::Entity::find_by_id((provider.to_string(), subject.to_string())).one(&r.c()).await?.map(|m| UserId(m.user_id)))
}

/// Link a provider's account to an account.
pub async fn link(tx: &Tx, provider: &str, subject: &str, user: UserId, now: Timestamp) -> Result<()> {
    sso_identity::Entity::insert(sso_identity::ActiveModel {
        provider: Set(provider.to_string()),
        subject: Set(subject.to_string()),
        user_id: Set(user.uuid()),
        linked_at: Set(ts(now)),
    })
    .exec_without_returning(tx.conn())
    .await?;
    Ok(())
}

/// A sign-in on its way to a provider.
#[derive(Clone)]
pub struct FlowRow {
    pub provider: String,
    pub nonce: String,
    pub pkce_verifier: String,
    pub next: String,
    pub expires_at: Timestamp,
}

#[allow(clippy::too_many_arguments)]
pub async fn create_flow(
    tx: &Tx,
    state_hash: &str,
    provider: &str,
    nonce: &str,
    pkce_verifier: &str,
    next: &str,
    now: Timestamp,
    expires_at: Timestamp,
) -> Result<()> {
    sso_flow::Entity::insert(sso_flow::ActiveModel {
        state_hash: Set(state_hash.to_string()),
        provider: Set(provider.to_string()),
        nonce: Set(nonce.to_string()),
        pkce_verifier: Set(pkce_verifier.to_string()),
        next: Set(next.to_string()),
        created_at: Set(ts(now)),
        expires_at: Set(ts(expires_at)),
    })
    .exec_without_returning(tx.conn())
    .await?;
    Ok(())
}

/// Take a sign-in back (it is gone after: each `state` finishes one sign-in), if there is one.
pub async fn take_flow(tx: &Tx, state_hash: &str) -> Result<Option<FlowRow>> {
    let c = tx.conn();
    let Some(m) = sso_flow::Entity::find_by_id(state_hash.to_string()).one(c).await? else { return Ok(None) };
    let gone = sso_flow::Entity::delete_by_id(state_hash.to_string()).exec(c).await?.rows_affected;
    if gone != 1 {
        // Another server took it first.
        return Ok(None);
    }
    Ok(Some(FlowRow { provider: m.provider, nonce: m.nonce, pkce_verifier: m.pkce_verifier, next: m.next, expires_at: m.expires_at }))
}

/// Forget sign-ins that never came back.
pub async fn purge_flows(tx: &Tx, now: Timestamp) -> Result<u64> {
    use sea_orm::{ColumnTrait, QueryFilter};
    Ok(sso_flow::Entity::delete_many().filter(sso_flow::Column::ExpiresAt.lt(ts(now))).exec(tx.conn()).await?.rows_affected)
}
