//! Decisions recorded on plans.

use crate::entity::decision::{ActiveModel, Column, Entity, Model};
use crate::row::{corrupt, marking, rel_to, text, text_json, ts};
use crate::{Reader, Result, Tx, filter};
use liaison_domain::access::ReadFilter;
use liaison_domain::decision::{Decision, DecisionKind};
use liaison_domain::{DecisionId, PlanId};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

pub(crate) fn to_domain(m: Model) -> Result<Decision> {
    Ok(Decision {
        id: DecisionId(m.id),
        plan: PlanId(m.plan_id),
        kind: DecisionKind::parse(&m.kind).ok_or_else(|| corrupt("decision kind", &m.kind))?,
        date: m.decided_on,
        body: text(&m.body)?,
        reference: m.reference,
        note: text(&m.note)?,
        marking: marking(&m.marking_level, &m.rel_to, &m.originator)?,
        version: m.version,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

fn to_active(d: &Decision) -> ActiveModel {
    ActiveModel {
        id: Set(d.id.uuid()),
        plan_id: Set(d.plan.uuid()),
        kind: Set(d.kind.code().to_string()),
        decided_on: Set(d.date),
        body: Set(text_json(&d.body)),
        reference: Set(d.reference.clone()),
        note: Set(text_json(&d.note)),
        marking_level: Set(d.marking.level.code().to_string()),
        marking_rank: Set(i32::from(d.marking.level.rank())),
        rel_to: Set(rel_to(&d.marking)),
        originator: Set(d.marking.originator.clone()),
        version: Set(d.version),
        created_at: Set(ts(d.created_at)),
        updated_at: Set(ts(d.updated_at)),
    }
}

pub async fn insert(tx: &Tx, d: &Decision) -> Result<()> {
    let c = tx.conn();
    Entity::insert(to_active(d)).exec_without_returning(c).await?;
    Ok(())
}

pub async fn update(tx: &Tx, d: &Decision, expected: i64) -> Result<()> {
    let c = tx.conn();
    let r = Entity::update_many().set(to_active(d)).filter(Column::Id.eq(d.id.uuid())).filter(Column::Version.eq(expected)).exec(c).await?;
    crate::row::versioned_outcome(r.rows_affected, async { Ok(get(&tx.unfiltered(), d.id).await?.map(|x| x.version)) }).await
}

/// Decisions the reader may see: of a visible plan, and cleared by their own marking.
fn visible(f: &ReadFilter) -> sea_orm::Condition {
    filter::record(f, Column::PlanId, Column::MarkingRank, Column::RelTo)
}

pub async fn get(r: &Reader<'_>, id: DecisionId) -> Result<Option<Decision>> {
    Entity::find_by_id(id.uuid()).filter(visible(r.filter())).one(&r.c()).await?.map(to_domain).transpose()
}

/// A plan's decisions the reader may see, by date.
pub async fn of_plan(r: &Reader<'_>, plan: PlanId) -> Result<Vec<Decision>> {
    let c = &r.c();
    let f = r.filter();
    Entity::find()
        .filter(Column::PlanId.eq(plan.uuid()))
        .filter(visible(f))
        .order_by_asc(Column::DecidedOn)
        .order_by_asc(Column::Id)
        .all(c)
        .await?
        .into_iter()
        .map(to_domain)
        .collect()
}

pub async fn delete(tx: &Tx, id: DecisionId) -> Result<()> {
    let c = tx.conn();
    Entity::delete_by_id(id.uuid()).exec(c).await?;
    Ok(())
}
