//! Reporting periods of plans.

use crate::entity::reporting_period::{ActiveModel, Column, Entity, Model};
use crate::row::ts;
use crate::{Reader, Result, Tx, unique};
use liaison_domain::calendar::ReportingPeriod;
use liaison_domain::{PeriodId, PlanId};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

fn to_domain(m: Model) -> ReportingPeriod {
    ReportingPeriod {
        id: PeriodId(m.id),
        plan: PlanId(m.plan_id),
        key: m.period_key,
        starts: m.starts,
        ends: m.ends,
        due: m.due,
        locked: m.locked,
        version: m.version,
        created_at: m.created_at,
        updated_at: m.updated_at,
    }
}

fn to_active(p: &ReportingPeriod) -> ActiveModel {
    ActiveModel {
        id: Set(p.id.uuid()),
        plan_id: Set(p.plan.uuid()),
        period_key: Set(p.key.clone()),
        starts: Set(p.starts),
        ends: Set(p.ends),
        due: Set(p.due),
        locked: Set(p.locked),
        version: Set(p.version),
        created_at: Set(ts(p.created_at)),
        updated_at: Set(ts(p.updated_at)),
    }
}

pub async fn insert(tx: &Tx, p: &ReportingPeriod) -> Result<()> {
    let c = tx.conn();
    Entity::insert(to_active(p)).exec_without_returning(c).await.map_err(|e| unique(e, "key"))?;
    Ok(())
}

pub async fn update(tx: &Tx, p: &ReportingPeriod, expected: i64) -> Result<()> {
    let c = tx.conn();
    let r = Entity::update_many().set(to_active(p)).filter(Column::Id.eq(p.id.uuid())).filter(Column::Version.eq(expected)).exec(c).await?;
    crate::row::versioned_outcome(r.rows_affected, async { Ok(Entity::find_by_id(p.id.uuid()).one(c).await?.map(|x| x.version)) }).await
}

/// A plan's periods in time order (periods belong to the plan and carry its marking).
pub async fn of_plan(r: &Reader<'_>, plan: PlanId) -> Result<Vec<ReportingPeriod>> {
    let c = &r.c();
    Ok(Entity::find()
        .filter(Column::PlanId.eq(plan.uuid()))
        .filter(crate::filter::in_visible_plan(r.filter(), Column::PlanId))
        .order_by_asc(Column::Starts)
        .order_by_asc(Column::PeriodKey)
        .all(c)
        .await?
        .into_iter()
        .map(to_domain)
        .collect())
}

pub async fn delete(tx: &Tx, id: PeriodId) -> Result<()> {
    let c = tx.conn();
    Entity::delete_by_id(id.uuid()).exec(c).await?;
    Ok(())
}

/// The unlocked periods ending between two days, of every plan the reader may look into.
pub async fn ending_between(r: &Reader<'_>, from: chrono::NaiveDate, to: chrono::NaiveDate) -> Result<Vec<ReportingPeriod>> {
    let c = &r.c();
    Ok(Entity::find()
        .filter(Column::Ends.gte(from))
        .filter(Column::Ends.lte(to))
        .filter(Column::Locked.eq(false))
        .filter(crate::filter::in_visible_plan(r.filter(), Column::PlanId))
        .all(c)
        .await?
        .into_iter()
        .map(to_domain)
        .collect())
}
