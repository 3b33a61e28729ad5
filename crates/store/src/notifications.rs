//! Notifications: an outbox per user, shown in the workspace and sent by email when SMTP is
//! configured. Each is written once (a `dedup_key` makes reminders idempotent).

use crate::Result;
use crate::entity::notification::{ActiveModel, Column, Entity, Model};
use crate::row::ts;
use liaison_domain::notification::Notification;
use liaison_domain::{NotificationId, PlanId, Timestamp, UserId};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};

fn to_domain(m: Model) -> Notification {
    Notification {
        id: NotificationId(m.id),
        user: UserId(m.user_id),
        plan: m.plan_id.map(PlanId),
        kind: m.kind,
        subject: m.subject,
        body: m.body,
        link: m.link,
        email_state: m.email_state,
        dedup_key: m.dedup_key,
        email_attempts: m.email_attempts,
        created_at: m.created_at,
        read_at: m.read_at,
    }
}

/// Add a notification unless one with the same key exists. Returns whether it was added.
pub async fn add(c: &impl ConnectionTrait, n: &Notification) -> Result<bool> {
    let r = Entity::insert(ActiveModel {
        id: Set(n.id.uuid()),
        user_id: Set(n.user.uuid()),
        plan_id: Set(n.plan.map(|p| p.uuid())),
        kind: Set(n.kind.clone()),
        subject: Set(n.subject.clone()),
        body: Set(n.body.clone()),
        link: Set(n.link.clone()),
        dedup_key: Set(n.dedup_key.clone()),
        email_state: Set(n.email_state.clone()),
        email_attempts: Set(0),
        email_error: Set(None),
        created_at: Set(ts(n.created_at)),
        read_at: Set(None),
    })
    .on_conflict(OnConflict::column(Column::DedupKey).do_nothing().to_owned())
    .exec_without_returning(c)
    .await?;
    Ok(r > 0)
}

/// A user's notifications, newest first.
pub async fn of_user(c: &impl ConnectionTrait, user: UserId, limit: u64) -> Result<Vec<Notification>> {
    Ok(Entity::find().filter(Column::UserId.eq(user.uuid())).order_by_desc(Column::Id).limit(limit).all(c).await?.into_iter().map(to_domain).collect())
}

pub async fn unread_count(c: &impl ConnectionTrait, user: UserId) -> Result<u64> {
    Ok(Entity::find().filter(Column::UserId.eq(user.uuid())).filter(Column::ReadAt.is_null()).count(c).await?)
}

/// Mark one (or, with `None`, every) notification of the user read.
pub async fn mark_read(c: &impl ConnectionTrait, user: UserId, id: Option<NotificationId>, at: Timestamp) -> Result<u64> {
    let mut q = Entity::update_many()
        .col_expr(Column::ReadAt, sea_orm::sea_query::Expr::value(ts(at)))
        .filter(Column::UserId.eq(user.uuid()))
        .filter(Column::ReadAt.is_null());
    if let Some(id) = id {
        q = q.filter(Column::Id.eq(id.uuid()));
    }
    Ok(q.exec(c).await?.rows_affected)
}

/// Emails waiting to be sent (oldest first), with fewer than `max_attempts` failures.
pub async fn pending_email(c: &impl ConnectionTrait, max_attempts: i32, limit: u64) -> Result<Vec<Notification>> {
    Ok(Entity::find()
        .filter(Column::EmailState.is_in(["pending", "failed"]))
        .filter(Column::EmailAttempts.lt(max_attempts))
        .order_by_asc(Column::Id)
        .limit(limit)
        .all(c)
        .await?
        .into_iter()
        .map(to_domain)
        .collect())
}

/// Record the outcome of an attempt to send.
pub async fn email_outcome(c: &impl ConnectionTrait, id: NotificationId, error: Option<String>) -> Result<()> {
    let n = Entity::find_by_id(id.uuid()).one(c).await?;
    let Some(n) = n else { return Ok(()) };
    let mut a: ActiveModel = n.clone().into();
    a.email_attempts = Set(n.email_attempts + 1);
    a.email_state = Set(if error.is_some() { "failed".into() } else { "sent".into() });
    a.email_error = Set(error);
    Entity::update(a).exec(c).await?;
    Ok(())
}
