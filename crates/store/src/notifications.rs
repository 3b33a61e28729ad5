//! Notifications: an outbox per user, shown in the workspace and sent by email when SMTP is
//! configured. Each is written once (a `dedup_key` makes reminders idempotent).

use crate::Result;
use crate::entity::notification::{ActiveModel, Column, Entity, Model};
use crate::filter;
use crate::row::{marking, rel_to, ts};
use crate::{Reader, Tx};
use liaison_domain::access::ReadFilter;
use liaison_domain::notification::Notification;
use liaison_domain::{NotificationId, PlanId, Timestamp, UserId};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};

fn to_domain(m: Model) -> Result<Notification> {
    Ok(Notification {
        id: NotificationId(m.id),
        user: UserId(m.user_id),
        plan: m.plan_id.map(PlanId),
        marking: marking(&m.marking_level, &m.rel_to, &m.originator)?,
        kind: m.kind,
        subject: m.subject,
        body: m.body,
        link: m.link,
        email_state: m.email_state,
        dedup_key: m.dedup_key,
        email_attempts: m.email_attempts,
        created_at: m.created_at,
        read_at: m.read_at,
    })
}

/// Notifications the reader may see: of a plan the reader may look into, and cleared by the
/// marking of what they are about.
fn visible(f: &ReadFilter) -> sea_orm::Condition {
    filter::in_visible_plan(f, Column::PlanId).add(filter::marking(f, Column::MarkingRank, Column::RelTo))
}

/// Add a notification unless one with the same key exists. Returns whether it was added.
pub async fn add(tx: &Tx, n: &Notification) -> Result<bool> {
    let c = tx.conn();
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
        marking_level: Set(n.marking.level.code().to_string()),
        marking_rank: Set(i32::from(n.marking.level.rank())),
        rel_to: Set(rel_to(&n.marking)),
        originator: Set(n.marking.originator.clone()),
        email_next_at: Set(None),
        email_claimed_until: Set(None),
    })
    .on_conflict(OnConflict::column(Column::DedupKey).do_nothing().to_owned())
    .exec_without_returning(c)
    .await?;
    Ok(r > 0)
}

/// One notification, if the reader may see it.
pub async fn get(r: &Reader<'_>, id: NotificationId) -> Result<Option<Notification>> {
    Entity::find_by_id(id.uuid()).filter(visible(r.filter())).one(&r.c()).await?.map(to_domain).transpose()
}

/// A user's notifications the reader may see, newest first.
pub async fn of_user(r: &Reader<'_>, user: UserId, limit: u64) -> Result<Vec<Notification>> {
    let c = &r.c();
    Entity::find()
        .filter(Column::UserId.eq(user.uuid()))
        .filter(visible(r.filter()))
        .order_by_desc(Column::Id)
        .limit(limit)
        .all(c)
        .await?
        .into_iter()
        .map(to_domain)
        .collect()
}

pub async fn unread_count(r: &Reader<'_>, user: UserId) -> Result<u64> {
    let c = &r.c();
    Ok(Entity::find().filter(Column::UserId.eq(user.uuid())).filter(Column::ReadAt.is_null()).filter(visible(r.filter())).count(c).await?)
}

/// Mark one (or, with `None`, every) notification of the user read.
pub async fn mark_read(tx: &Tx, user: UserId, id: Option<NotificationId>, at: Timestamp) -> Result<u64> {
    let c = tx.conn();
    let mut q = Entity::update_many()
        .col_expr(Column::ReadAt, sea_orm::sea_query::Expr::value(ts(at)))
        .filter(Column::UserId.eq(user.uuid()))
        .filter(Column::ReadAt.is_null());
    if let Some(id) = id {
        q = q.filter(Column::Id.eq(id.uuid()));
    }
    Ok(q.exec(c).await?.rows_affected)
}

/// Emails due to be sent at `now` (oldest first): waiting, or failed fewer than
/// `max_attempts` times and past their backoff, and claimed by no server.
pub async fn pending_email(r: &Reader<'_>, max_attempts: i32, now: Timestamp, limit: u64) -> Result<Vec<Notification>> {
    let c = &r.c();
    Entity::find()
        .filter(Column::EmailState.is_in(["pending", "failed"]))
        .filter(Column::EmailAttempts.lt(max_attempts))
        .filter(sea_orm::Condition::any().add(Column::EmailNextAt.is_null()).add(Column::EmailNextAt.lte(ts(now))))
        .filter(sea_orm::Condition::any().add(Column::EmailClaimedUntil.is_null()).add(Column::EmailClaimedUntil.lt(ts(now))))
        .filter(visible(r.filter()))
        .order_by_asc(Column::Id)
        .limit(limit)
        .all(c)
        .await?
        .into_iter()
        .map(to_domain)
        .collect()
}

/// How many emails wait to be sent (the outbox's depth): waiting, or failed fewer than
/// `max_attempts` times, due now or later.
pub async fn pending_email_count(r: &Reader<'_>, max_attempts: i32) -> Result<u64> {
    let c = &r.c();
    Ok(Entity::find()
        .filter(Column::EmailState.is_in(["pending", "failed"]))
        .filter(Column::EmailAttempts.lt(max_attempts))
        .filter(visible(r.filter()))
        .count(c)
        .await?)
}

/// Claim an email for sending until `until`, so that no other server sends it meanwhile.
/// Returns whether this caller has it (another may have claimed or sent it first).
pub async fn claim_email(tx: &Tx, id: NotificationId, now: Timestamp, until: Timestamp) -> Result<bool> {
    let c = tx.conn();
    let r = Entity::update_many()
        .col_expr(Column::EmailClaimedUntil, sea_orm::sea_query::Expr::value(ts(until)))
        .filter(Column::Id.eq(id.uuid()))
        .filter(Column::EmailState.is_in(["pending", "failed"]))
        .filter(sea_orm::Condition::any().add(Column::EmailClaimedUntil.is_null()).add(Column::EmailClaimedUntil.lt(ts(now))))
        .exec(c)
        .await?;
    Ok(r.rows_affected == 1)
}

/// Record the outcome of an attempt to send: sent, or failed and (with `retry_at`) to be
/// tried again then. The claim ends.
pub async fn email_outcome(tx: &Tx, id: NotificationId, error: Option<String>, retry_at: Option<Timestamp>) -> Result<()> {
    let c = tx.conn();
    let n = Entity::find_by_id(id.uuid()).one(c).await?;
    let Some(n) = n else { return Ok(()) };
    let mut a: ActiveModel = n.clone().into();
    a.email_attempts = Set(n.email_attempts + 1);
    a.email_state = Set(if error.is_some() { "failed".into() } else { "sent".into() });
    a.email_error = Set(error);
    a.email_next_at = Set(retry_at.map(ts));
    a.email_claimed_until = Set(None);
    Entity::update(a).exec(c).await?;
    Ok(())
}
