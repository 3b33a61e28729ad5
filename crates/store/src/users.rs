//! User accounts.

use crate::entity::app_user::{ActiveModel, Column, Entity, Model};
use crate::row::{corrupt, join_list, split_list, ts};
use crate::{Reader, Result, Tx, unique};
use liaison_domain::access::GlobalRole;
use liaison_domain::marking::Level;
use liaison_domain::page::Page;
use liaison_domain::text::UiLang;
use liaison_domain::user::{User, UserStatus, normalise_email};
use liaison_domain::{OrganisationId, Timestamp, UserId};
use sea_orm::{ActiveValue::NotSet, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

/// What sign-in needs besides the account.
#[derive(Clone, Debug)]
pub struct Credentials {
    pub user: User,
    pub password_hash: String,
    pub failed_logins: i32,
    pub locked_until: Option<Timestamp>,
}

fn to_domain(m: &Model) -> Result<User> {
    Ok(User {
        id: UserId(m.id),
        display_name: m.display_name.clone(),
        email: m.email.clone(),
        organisation: OrganisationId(m.organisation_id),
        clearance: Level::parse(&m.clearance).ok_or_else(|| corrupt("clearance", &m.clearance))?,
        status: UserStatus::parse(&m.status).ok_or_else(|| corrupt("user status", &m.status))?,
        global_roles: split_list(&m.global_roles).map(|r| GlobalRole::parse(r).ok_or_else(|| corrupt("global role", r))).collect::<Result<_>>()?,
        language: UiLang::parse(&m.language).ok_or_else(|| corrupt("language", &m.language))?,
        version: m.version,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

fn to_active(u: &User) -> ActiveModel {
    let roles: Vec<&str> = u.global_roles.iter().map(|r| r.code()).collect();
    ActiveModel {
        id: Set(u.id.uuid()),
        display_name: Set(u.display_name.clone()),
        email: Set(u.email.trim().to_string()),
        email_norm: Set(normalise_email(&u.email)),
        organisation_id: Set(u.organisation.uuid()),
        clearance: Set(u.clearance.code().to_string()),
        status: Set(u.status.code().to_string()),
        global_roles: Set(join_list(&roles)),
        language: Set(u.language.tag().to_string()),
        password_hash: NotSet,
        failed_logins: NotSet,
        locked_until: NotSet,
        last_login_at: NotSet,
        version: Set(u.version),
        created_at: Set(ts(u.created_at)),
        updated_at: Set(ts(u.updated_at)),
    }
}

pub async fn insert(tx: &Tx, u: &User, password_hash: &str) -> Result<()> {
    let c = tx.conn();
    let mut a = to_active(u);
    a.password_hash = Set(password_hash.to_string());
    a.failed_logins = Set(0);
    a.locked_until = Set(None);
    a.last_login_at = Set(None);
    Entity::insert(a).exec_without_returning(c).await.map_err(|e| unique(e, "email"))?;
    Ok(())
}

/// Write the account's fields (not its password) if the stored version is `expected`.
pub async fn update(tx: &Tx, u: &User, expected: i64) -> Result<()> {
    let c = tx.conn();
    let r = Entity::update_many()
        .set(to_active(u))
        .filter(Column::Id.eq(u.id.uuid()))
        .filter(Column::Version.eq(expected))
        .exec(c)
        .await
        .map_err(|e| unique(e, "email"))?;
    crate::row::versioned_outcome(r.rows_affected, async { Ok(get(&tx.unfiltered(), u.id).await?.map(|x| x.version)) }).await
}

pub async fn set_password(tx: &Tx, id: UserId, hash: &str, version: i64, now: Timestamp) -> Result<()> {
    let c = tx.conn();
    let a = ActiveModel {
        password_hash: Set(hash.to_string()),
        failed_logins: Set(0),
        locked_until: Set(None),
        version: Set(version),
        updated_at: Set(ts(now)),
        ..Default::default()
    };
    Entity::update_many().set(a).filter(Column::Id.eq(id.uuid())).exec(c).await?;
    Ok(())
}

/// Record the outcome of a sign-in attempt.
pub async fn set_login_state(tx: &Tx, id: UserId, failed_logins: i32, locked_until: Option<Timestamp>, last_login_at: Option<Timestamp>) -> Result<()> {
    let c = tx.conn();
    let mut a = ActiveModel { failed_logins: Set(failed_logins), locked_until: Set(locked_until.map(ts)), ..Default::default() };
    if let Some(t) = last_login_at {
        a.last_login_at = Set(Some(ts(t)));
    }
    Entity::update_many().set(a).filter(Column::Id.eq(id.uuid())).exec(c).await?;
    Ok(())
}

pub async fn get(r: &Reader<'_>, id: UserId) -> Result<Option<User>> {
    let c = &r.c();
    Entity::find_by_id(id.uuid()).one(c).await?.as_ref().map(to_domain).transpose()
}

pub async fn get_by_email(r: &Reader<'_>, email: &str) -> Result<Option<User>> {
    let c = &r.c();
    Entity::find().filter(Column::EmailNorm.eq(normalise_email(email))).one(c).await?.as_ref().map(to_domain).transpose()
}

pub async fn credentials(r: &Reader<'_>, email: &str) -> Result<Option<Credentials>> {
    let c = &r.c();
    let Some(m) = Entity::find().filter(Column::EmailNorm.eq(normalise_email(email))).one(c).await? else {
        return Ok(None);
    };
    Ok(Some(Credentials { user: to_domain(&m)?, password_hash: m.password_hash, failed_logins: m.failed_logins, locked_until: m.locked_until }))
}

pub async fn list(r: &Reader<'_>, after: Option<Uuid>, limit: u32) -> Result<Page<User>> {
    let c = &r.c();
    let mut q = Entity::find().order_by_asc(Column::Id).limit(u64::from(limit) + 1);
    if let Some(a) = after {
        q = q.filter(Column::Id.gt(a));
    }
    crate::row::page(q.all(c).await?, limit, |r| crate::row::id_cursor(&r.id), |m| to_domain(&m))
}

pub async fn count(r: &Reader<'_>) -> Result<u64> {
    let c = &r.c();
    use sea_orm::PaginatorTrait;
    Ok(Entity::find().count(c).await?)
}

/// A person's choice of one email a day, and when the last one went out.
pub async fn mail_digest(r: &Reader<'_>, user: UserId) -> Result<(bool, Option<Timestamp>)> {
    use crate::entity::mail_preference::Entity as Pref;
    Ok(Pref::find_by_id(user.uuid()).one(&r.c()).await?.map(|p| (p.digest, p.digest_sent_at)).unwrap_or((false, None)))
}

/// Choose (or stop) the daily digest.
pub async fn set_mail_digest(tx: &Tx, user: UserId, digest: bool) -> Result<()> {
    use crate::entity::mail_preference::{ActiveModel as Pref, Column as P, Entity};
    Entity::insert(Pref { user_id: Set(user.uuid()), digest: Set(digest), digest_sent_at: Set(None) })
        .on_conflict(sea_orm::sea_query::OnConflict::column(P::UserId).update_column(P::Digest).to_owned())
        .exec_without_returning(tx.conn())
        .await?;
    Ok(())
}

/// Note that a digest went out.
pub async fn mail_digest_sent(tx: &Tx, user: UserId, at: Timestamp) -> Result<()> {
    use crate::entity::mail_preference::{Column as P, Entity};
    Entity::update_many().col_expr(P::DigestSentAt, sea_orm::sea_query::Expr::value(ts(at))).filter(P::UserId.eq(user.uuid())).exec(tx.conn()).await?;
    Ok(())
}
