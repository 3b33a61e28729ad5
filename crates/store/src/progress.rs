//! Progress updates on items.

use crate::entity::progress_update::{ActiveModel, Column, Entity, Model};
use crate::row::{corrupt, id_list, join_list, marking, rel_to, ts};
use crate::{Reader, Result, Tx, filter, unique};
use liaison_domain::access::ReadFilter;
use liaison_domain::item::ItemStatus;
use liaison_domain::progress::{ProgressUpdate, UpdateState};
use liaison_domain::{AttachmentId, ItemId, PlanId, UpdateId, UserId};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

pub(crate) fn to_domain(m: Model) -> Result<ProgressUpdate> {
    Ok(ProgressUpdate {
        id: UpdateId(m.id),
        plan: PlanId(m.plan_id),
        item: ItemId(m.item_id),
        period: m.period_key,
        status: ItemStatus::parse(&m.status).ok_or_else(|| corrupt("status", &m.status))?,
        percent: u8::try_from(m.percent).map_err(|_| corrupt("percent", &m.percent.to_string()))?,
        narrative: m.narrative,
        evidence: id_list::<AttachmentId, _>("evidence", &m.evidence)?,
        state: UpdateState::parse(&m.state).ok_or_else(|| corrupt("update state", &m.state))?,
        reason: m.reason,
        reporter: UserId(m.reporter_id),
        reporter_name: m.reporter_name,
        reviewer: m.reviewer_id.map(UserId),
        marking: marking(&m.marking_level, &m.rel_to, &m.originator)?,
        version: m.version,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

fn to_active(u: &ProgressUpdate) -> ActiveModel {
    ActiveModel {
        id: Set(u.id.uuid()),
        plan_id: Set(u.plan.uuid()),
        item_id: Set(u.item.uuid()),
        period_key: Set(u.period.clone()),
        status: Set(u.status.code().to_string()),
        percent: Set(i32::from(u.percent)),
        narrative: Set(u.narrative.clone()),
        evidence: Set(join_list(&u.evidence)),
        state: Set(u.state.code().to_string()),
        reason: Set(u.reason.clone()),
        reporter_id: Set(u.reporter.uuid()),
        reporter_name: Set(u.reporter_name.clone()),
        reviewer_id: Set(u.reviewer.map(|r| r.uuid())),
        marking_level: Set(u.marking.level.code().to_string()),
        marking_rank: Set(i32::from(u.marking.level.rank())),
        rel_to: Set(rel_to(&u.marking)),
        originator: Set(u.marking.originator.clone()),
        version: Set(u.version),
        created_at: Set(ts(u.created_at)),
        updated_at: Set(ts(u.updated_at)),
    }
}

pub async fn insert(tx: &Tx, u: &ProgressUpdate) -> Result<()> {
    let c = tx.conn();
    Entity::insert(to_active(u)).exec_without_returning(c).await.map_err(|e| unique(e, "the item already has an update for this period; change that one"))?;
    Ok(())
}

pub async fn update(tx: &Tx, u: &ProgressUpdate, expected: i64) -> Result<()> {
    let c = tx.conn();
    let r = Entity::update_many().set(to_active(u)).filter(Column::Id.eq(u.id.uuid())).filter(Column::Version.eq(expected)).exec(c).await?;
    crate::row::versioned_outcome(r.rows_affected, async { Ok(get(&tx.unfiltered(), u.id).await?.map(|x| x.version)) }).await
}

/// Reports the reader may see: of a visible plan, on a visible item, cleared by their own marking.
fn visible(f: &ReadFilter) -> sea_orm::Condition {
    filter::record(f, Column::PlanId, Column::MarkingRank, Column::RelTo).add(filter::of_visible_item(f, Column::ItemId))
}

pub async fn get(r: &Reader<'_>, id: UpdateId) -> Result<Option<ProgressUpdate>> {
    Entity::find_by_id(id.uuid()).filter(visible(r.filter())).one(&r.c()).await?.map(to_domain).transpose()
}

/// Whether the reader sees a report on the item for the period (a new report asks unfiltered:
/// a hidden one takes the period too).
pub async fn exists_for(r: &Reader<'_>, item: ItemId, period: &str) -> Result<bool> {
    let c = &r.c();
    Ok(Entity::find().filter(Column::ItemId.eq(item.uuid())).filter(Column::PeriodKey.eq(period)).filter(visible(r.filter())).count(c).await? > 0)
}

/// An item's updates the reader may see, newest period first.
pub async fn of_item(r: &Reader<'_>, item: ItemId) -> Result<Vec<ProgressUpdate>> {
    let c = &r.c();
    let f = r.filter();
    Entity::find().filter(Column::ItemId.eq(item.uuid())).filter(visible(f)).order_by_desc(Column::PeriodKey).all(c).await?.into_iter().map(to_domain).collect()
}

/// A plan's updates the reader may see (optionally of one period).
pub async fn of_plan(r: &Reader<'_>, plan: PlanId, period: Option<&str>) -> Result<Vec<ProgressUpdate>> {
    let c = &r.c();
    let f = r.filter();
    let mut q = Entity::find().filter(Column::PlanId.eq(plan.uuid())).filter(visible(f));
    if let Some(p) = period {
        q = q.filter(Column::PeriodKey.eq(p));
    }
    q.order_by_asc(Column::PeriodKey).order_by_asc(Column::Id).all(c).await?.into_iter().map(to_domain).collect()
}

/// How many reports on an item the reader may see (a delete asks unfiltered: hidden ones count).
pub async fn count_of_item(r: &Reader<'_>, item: ItemId) -> Result<u64> {
    let c = &r.c();
    Ok(Entity::find().filter(Column::ItemId.eq(item.uuid())).filter(visible(r.filter())).count(c).await?)
}

/// How many reports of a period of a plan the reader may see (removing a period asks unfiltered).
pub async fn count_of_period(r: &Reader<'_>, plan: PlanId, period: &str) -> Result<u64> {
    let c = &r.c();
    Ok(Entity::find().filter(Column::PlanId.eq(plan.uuid())).filter(Column::PeriodKey.eq(period)).filter(visible(r.filter())).count(c).await?)
}
