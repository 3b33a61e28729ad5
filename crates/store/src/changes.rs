//! The change log: history for users and the hash-chained audit trail.

use crate::entity::change_log::{ActiveModel, Column, Entity, Model};
use crate::row::{corrupt, rel_to, ts};
use crate::{Reader, Result, filter};
use liaison_domain::access::{PlanScope, ReadFilter};
use liaison_domain::change::Change;
use liaison_domain::page::Page;
use liaison_domain::{PlanId, UserId};
use sea_orm::sea_query::Query;
use sea_orm::{ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

fn json(s: &Option<String>) -> Result<Option<serde_json::Value>> {
    s.as_deref().map(|t| serde_json::from_str(t).map_err(|_| corrupt("change JSON", t))).transpose()
}

fn to_domain(m: Model) -> Result<Change> {
    Ok(Change {
        seq: m.seq,
        before: json(&m.before_json)?,
        after: json(&m.after_json)?,
        marking: m.marking_json.as_deref().map(|t| serde_json::from_str(t).map_err(|_| corrupt("change marking", t))).transpose()?,
        entity: m.entity,
        entity_id: m.entity_id,
        plan: m.plan_id.map(PlanId),
        version: m.version,
        actor: m.actor_id.map(UserId),
        at: m.at,
        action: m.action,
        request_id: m.request_id,
        source: m.source,
        prev_hash: m.prev_hash,
        hash: m.hash,
    })
}

/// Insert sealed changes in one statement (a chunk of a transaction's changes: one round trip
/// instead of one per row). Atomic: all are written or none.
pub(crate) async fn insert_many(c: &impl sea_orm::ConnectionTrait, chs: &[Change]) -> Result<()> {
    if chs.is_empty() {
        return Ok(());
    }
    Entity::insert_many(chs.iter().map(active)).exec_without_returning(c).await?;
    Ok(())
}

fn active(ch: &Change) -> ActiveModel {
    let to_text = |v: &Option<serde_json::Value>| v.as_ref().map(|x| x.to_string());
    ActiveModel {
        seq: Set(ch.seq),
        entity: Set(ch.entity.clone()),
        entity_id: Set(ch.entity_id),
        plan_id: Set(ch.plan.map(|p| p.uuid())),
        version: Set(ch.version),
        actor_id: Set(ch.actor.map(|a| a.uuid())),
        at: Set(ts(ch.at)),
        action: Set(ch.action.clone()),
        before_json: Set(to_text(&ch.before)),
        after_json: Set(to_text(&ch.after)),
        request_id: Set(ch.request_id.clone()),
        source: Set(ch.source.clone()),
        marking_json: Set(ch.marking.as_ref().map(|m| serde_json::to_string(m).unwrap_or_default())),
        marking_rank: Set(ch.marking.as_ref().map(|m| i32::from(m.level.rank())).unwrap_or(0)),
        rel_to: Set(ch.marking.as_ref().map(rel_to).unwrap_or_default()),
        prev_hash: Set(ch.prev_hash.clone()),
        hash: Set(ch.hash.clone()),
    }
}

/// Change rows the reader may see: cleared by the marking they were written with, of a plan the
/// reader may look into — in scope and cleared by the plan's own marking, whatever the scope
/// (rows of no plan — accounts, organisations — by marking alone, except for the public, who
/// see rows of the portal's plan only) — and for an Ally's or agency's staff, no rows of other
/// Allies' unshared offers.
fn visible(f: &ReadFilter) -> Condition {
    let plan = match f.plans {
        PlanScope::Portal(_) => filter::in_visible_plan(f, Column::PlanId),
        PlanScope::All | PlanScope::Only(_) => Condition::any().add(Column::PlanId.is_null()).add(filter::in_visible_plan(f, Column::PlanId)),
    };
    let mut c = Condition::all().add(filter::marking(f, Column::MarkingRank, Column::RelTo)).add(plan);
    if f.ally_scope.is_some() {
        use crate::entity::assistance_offer as offer;
        let theirs = Query::select()
            .column((offer::Entity, offer::Column::Id))
            .from(offer::Entity)
            .cond_where(filter::ally_scope(f, offer::Column::OfferedBy, offer::Column::SharedWith))
            .to_owned();
        c = c.add(Condition::any().add(Column::Entity.ne("offer")).add(Column::EntityId.in_subquery(theirs)));
    }
    c
}

/// The history of one record the reader may see, newest first.
pub async fn history(r: &Reader<'_>, entity_id: Uuid, before_seq: Option<i64>, limit: u32) -> Result<Page<Change>> {
    let c = &r.c();
    let f = r.filter();
    let mut q = Entity::find().filter(Column::EntityId.eq(entity_id)).filter(visible(f)).order_by_desc(Column::Seq).limit(u64::from(limit) + 1);
    if let Some(b) = before_seq {
        q = q.filter(Column::Seq.lt(b));
    }
    page(q.all(c).await?, limit)
}

fn page(rows: Vec<Model>, limit: u32) -> Result<Page<Change>> {
    crate::row::page(rows, limit, |r| crate::cursor::encode(&[&r.seq.to_string()]), to_domain)
}

pub use liaison_domain::change::AuditQuery;

/// The audit trail, newest first (security officers only; the use case checks).
pub async fn audit(r: &Reader<'_>, q: &AuditQuery, before_seq: Option<i64>, limit: u32) -> Result<Page<Change>> {
    let c = &r.c();
    let mut cond = visible(r.filter());
    if let Some(a) = q.actor {
        cond = cond.add(Column::ActorId.eq(a.uuid()));
    }
    if let Some(e) = &q.entity {
        cond = cond.add(Column::Entity.eq(e.clone()));
    }
    if let Some(e) = q.entity_id {
        cond = cond.add(Column::EntityId.eq(e));
    }
    if let Some(a) = &q.action {
        cond = cond.add(Column::Action.eq(a.clone()));
    }
    if let Some(p) = q.plan {
        cond = cond.add(Column::PlanId.eq(p.uuid()));
    }
    if let Some(t) = q.from {
        cond = cond.add(Column::At.gte(ts(t)));
    }
    if let Some(t) = q.to {
        cond = cond.add(Column::At.lt(ts(t)));
    }
    if let Some(b) = before_seq {
        cond = cond.add(Column::Seq.lt(b));
    }
    let rows = Entity::find().filter(cond).order_by_desc(Column::Seq).limit(u64::from(limit) + 1).all(c).await?;
    page(rows, limit)
}

/// Rows in chain order from `after_seq` (exclusive), at most `limit` (for verification).
pub async fn in_order(r: &Reader<'_>, after_seq: i64, limit: u64) -> Result<Vec<Change>> {
    let c = &r.c();
    Entity::find()
        .filter(Column::Seq.gt(after_seq))
        .filter(visible(r.filter()))
        .order_by_asc(Column::Seq)
        .limit(limit)
        .all(c)
        .await?
        .into_iter()
        .map(to_domain)
        .collect()
}

/// The recorded head of the chain: last sequence number and hash.
/// The recorded head of the chain: last sequence number and hash. (The position of the chain,
/// not a record: it is the same for every reader; only system work asks.)
pub async fn head(r: &Reader<'_>) -> Result<(i64, String)> {
    let c = &r.c();
    let b = c.get_database_backend();
    let row = c
        .query_one_raw(sea_orm::Statement::from_string(b, "SELECT seq, hash FROM audit_head WHERE id = 1"))
        .await?
        .ok_or_else(|| crate::StoreError::Corrupt("the audit chain head is missing".into()))?;
    Ok((row.try_get("", "seq")?, row.try_get("", "hash")?))
}

/// The latest change of a record (for "last changed by").
pub async fn latest_of(r: &Reader<'_>, entity_id: Uuid) -> Result<Option<Change>> {
    let c = &r.c();
    Entity::find().filter(Column::EntityId.eq(entity_id)).filter(visible(r.filter())).order_by_desc(Column::Seq).one(c).await?.map(to_domain).transpose()
}

/// The kinds of record changed after `seq` (for the change watcher).
pub async fn entities_since(r: &Reader<'_>, seq: i64) -> Result<Vec<String>> {
    let c = &r.c();
    Ok(Entity::find()
        .select_only()
        .column(Column::Entity)
        .distinct()
        .filter(Column::Seq.gt(seq))
        .filter(visible(r.filter()))
        .into_tuple::<String>()
        .all(c)
        .await?)
}

/// The sequence number of the latest change to a plan's records (0 if none): a cheap,
/// exact version of everything in the plan, for caches of what is computed from it.
pub async fn last_of_plan(r: &Reader<'_>, plan: liaison_domain::PlanId) -> Result<i64> {
    let c = &r.c();
    use sea_orm::QuerySelect;
    let seq: Option<i64> = Entity::find()
        .select_only()
        .column(Column::Seq)
        .filter(Column::PlanId.eq(plan.uuid()))
        .filter(visible(r.filter()))
        .order_by_desc(Column::Seq)
        .limit(1)
        .into_tuple()
        .one(c)
        .await?;
    Ok(seq.unwrap_or(0))
}

/// The kinds of record of a plan changed after `seq` (reads only the newer rows).
pub async fn entities_of_plan_since(r: &Reader<'_>, plan: liaison_domain::PlanId, seq: i64) -> Result<Vec<String>> {
    let c = &r.c();
    use sea_orm::QuerySelect;
    Ok(Entity::find()
        .select_only()
        .column(Column::Entity)
        .distinct()
        .filter(Column::PlanId.eq(plan.uuid()))
        .filter(Column::Seq.gt(seq))
        .filter(visible(r.filter()))
        .into_tuple()
        .all(c)
        .await?)
}
