//! Plans and their approvals.

use crate::entity::plan::{ActiveModel, Column, Entity, Model};
use crate::entity::plan_approval;
use crate::row::{corrupt, marking, rel_to, text, text_json, ts};
use crate::{Reader, Result, Tx, filter, unique};
use liaison_domain::access::ReadFilter;
use liaison_domain::page::Page;
use liaison_domain::plan::{Approval, Period, Plan, PlanState, Side};
use liaison_domain::{OrganisationId, PlanId, UserId};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

pub(crate) fn from_model(m: Model) -> Result<Plan> {
    to_domain(m)
}

fn to_domain(m: Model) -> Result<Plan> {
    Ok(Plan {
        id: PlanId(m.id),
        marking: marking(&m.marking_level, &m.rel_to, &m.originator)?,
        state: PlanState::parse(&m.state).ok_or_else(|| corrupt("plan state", &m.state))?,
        framework: m.framework,
        code: m.code,
        title: text(&m.title)?,
        description: text(&m.description)?,
        partner: OrganisationId(m.partner_id),
        owner: OrganisationId(m.owner_id),
        period: Period { start: m.period_start, end: m.period_end },
        predecessor: m.predecessor_id.map(PlanId),
        negotiation_round: m.negotiation_round,
        version: m.version,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

fn to_active(p: &Plan) -> ActiveModel {
    ActiveModel {
        id: Set(p.id.uuid()),
        framework: Set(p.framework.clone()),
        code: Set(p.code.clone()),
        code_norm: Set(p.code.to_lowercase()),
        title: Set(text_json(&p.title)),
        description: Set(text_json(&p.description)),
        partner_id: Set(p.partner.uuid()),
        owner_id: Set(p.owner.uuid()),
        period_start: Set(p.period.start),
        period_end: Set(p.period.end),
        predecessor_id: Set(p.predecessor.map(|x| x.uuid())),
        state: Set(p.state.code().to_string()),
        negotiation_round: Set(p.negotiation_round),
        marking_level: Set(p.marking.level.code().to_string()),
        marking_rank: Set(i32::from(p.marking.level.rank())),
        rel_to: Set(rel_to(&p.marking)),
        originator: Set(p.marking.originator.clone()),
        version: Set(p.version),
        created_at: Set(ts(p.created_at)),
        updated_at: Set(ts(p.updated_at)),
    }
}

pub async fn insert(tx: &Tx, p: &Plan) -> Result<()> {
    let c = tx.conn();
    Entity::insert(to_active(p)).exec_without_returning(c).await.map_err(|e| unique(e, "code"))?;
    Ok(())
}

/// Write `p` (already at its new version) if the stored version is `expected`.
pub async fn update(tx: &Tx, p: &Plan, expected: i64) -> Result<()> {
    let c = tx.conn();
    let r = Entity::update_many()
        .set(to_active(p))
        .filter(Column::Id.eq(p.id.uuid()))
        .filter(Column::Version.eq(expected))
        .exec(c)
        .await
        .map_err(|e| unique(e, "code"))?;
    crate::row::versioned_outcome(r.rows_affected, async { Ok(get(&tx.unfiltered(), p.id).await?.map(|x| x.version)) }).await
}

/// A plan, if the reader may see the plan record.
pub async fn get(r: &Reader<'_>, id: PlanId) -> Result<Option<Plan>> {
    Entity::find_by_id(id.uuid()).filter(visible(r.filter())).one(&r.c()).await?.map(to_domain).transpose()
}

/// Whether another plan has this code (case-insensitive).
pub async fn code_taken(r: &Reader<'_>, code: &str, except: Option<PlanId>) -> Result<bool> {
    let c = &r.c();
    let mut q = Entity::find().filter(Column::CodeNorm.eq(code.to_lowercase())).filter(visible(r.filter()));
    if let Some(e) = except {
        q = q.filter(Column::Id.ne(e.uuid()));
    }
    Ok(q.count(c).await? > 0)
}

fn visible(f: &ReadFilter) -> sea_orm::Condition {
    filter::plan_itself(f)
}

/// The plans a reader may see, in creation order.
pub async fn list(r: &Reader<'_>, state: Option<PlanState>, after: Option<Uuid>, limit: u32) -> Result<Page<Plan>> {
    let c = &r.c();
    let f = r.filter();
    let mut q = Entity::find().filter(visible(f)).order_by_asc(Column::Id).limit(u64::from(limit) + 1);
    if let Some(s) = state {
        q = q.filter(Column::State.eq(s.code()));
    }
    if let Some(a) = after {
        q = q.filter(Column::Id.gt(a));
    }
    crate::row::page(q.all(c).await?, limit, |r| crate::row::id_cursor(&r.id), to_domain)
}

/// How many plans a reader may see.
pub async fn count_visible(r: &Reader<'_>) -> Result<u64> {
    let c = &r.c();
    let f = r.filter();
    Ok(Entity::find().filter(visible(f)).count(c).await?)
}

/// Plans whose predecessor is `id`.
pub async fn successors(r: &Reader<'_>, id: PlanId) -> Result<Vec<Plan>> {
    let c = &r.c();
    Entity::find().filter(Column::PredecessorId.eq(id.uuid())).filter(visible(r.filter())).all(c).await?.into_iter().map(to_domain).collect()
}

pub async fn find_by_code(r: &Reader<'_>, code: &str) -> Result<Option<Plan>> {
    let c = &r.c();
    Entity::find().filter(Column::CodeNorm.eq(code.to_lowercase())).filter(visible(r.filter())).one(c).await?.map(to_domain).transpose()
}

pub async fn insert_approval(tx: &Tx, id: Uuid, plan: PlanId, a: &Approval) -> Result<()> {
    let c = tx.conn();
    plan_approval::Entity::insert(plan_approval::ActiveModel {
        id: Set(id),
        plan_id: Set(plan.uuid()),
        side: Set(a.side.code().to_string()),
        user_id: Set(a.user.uuid()),
        round: Set(a.round),
        content_hash: Set(a.content_hash.clone()),
        at: Set(ts(a.at)),
    })
    .exec_without_returning(c)
    .await?;
    Ok(())
}

/// The approvals of one negotiation round, oldest first.
pub async fn approvals(r: &Reader<'_>, plan: PlanId, round: i32) -> Result<Vec<Approval>> {
    let c = &r.c();
    plan_approval::Entity::find()
        .filter(plan_approval::Column::PlanId.eq(plan.uuid()))
        .filter(plan_approval::Column::Round.eq(round))
        .filter(filter::workspace_of_plan(r.filter(), plan_approval::Column::PlanId))
        .order_by_asc(plan_approval::Column::Id)
        .all(c)
        .await?
        .into_iter()
        .map(|m| {
            Ok(Approval {
                side: Side::parse(&m.side).ok_or_else(|| corrupt("approval side", &m.side))?,
                user: UserId(m.user_id),
                at: m.at,
                round: m.round,
                content_hash: m.content_hash,
            })
        })
        .collect()
}
