//! Items of plans.

use crate::entity::item::{ActiveModel, Column, Entity, Model};
use crate::row::{corrupt, id_list, join_list, like_escape, marking, rel_to, split_list, text, text_json, ts};
use crate::{Reader, Result, StoreError, Tx, filter, unique};
use liaison_domain::access::ReadFilter;
use liaison_domain::due::Due;
use liaison_domain::item::{GenderMarker, Item, ItemStatus, tree_key};
use liaison_domain::page::Page;
use liaison_domain::translit::normalise_for_search;
use liaison_domain::{ItemId, OrganisationId, PlanId};
use sea_orm::sea_query::{Expr, ExprTrait, LikeExpr};
use sea_orm::{ActiveValue::Set, ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::{BTreeMap, HashMap};

pub(crate) fn to_domain(m: Model) -> Result<Item> {
    Ok(Item {
        id: ItemId(m.id),
        plan: PlanId(m.plan_id),
        parent: m.parent_id.map(ItemId),
        depth: u8::try_from(m.depth).map_err(|_| corrupt("depth", &m.depth.to_string()))?,
        marking: marking(&m.marking_level, &m.rel_to, &m.originator)?,
        status: ItemStatus::parse(&m.status).ok_or_else(|| corrupt("item status", &m.status))?,
        due: m.due.as_deref().map(|d| d.parse::<Due>().map_err(|_| corrupt("due", d))).transpose()?,
        gender_marker: u8::try_from(m.gender_marker)
            .ok()
            .and_then(|g| GenderMarker::try_from(g).ok())
            .ok_or_else(|| corrupt("gender marker", &m.gender_marker.to_string()))?,
        areas: split_list(&m.areas).map(String::from).collect(),
        contributing_organisations: id_list::<OrganisationId, _>("contributor", &m.contributors)?,
        level: m.level,
        code: m.code,
        title: text(&m.title)?,
        description: text(&m.description)?,
        lead_organisation: m.lead_org_id.map(OrganisationId),
        start: m.start_date,
        weight: u32::try_from(m.weight).map_err(|_| corrupt("weight", &m.weight.to_string()))?,
        position: u32::try_from(m.position).map_err(|_| corrupt("position", &m.position.to_string()))?,
        version: m.version,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

fn search_text(i: &Item) -> String {
    let mut s = i.code.clone();
    for t in i.title.0.values() {
        s.push(' ');
        s.push_str(t);
    }
    normalise_for_search(&s)
}

fn to_active(i: &Item) -> ActiveModel {
    ActiveModel {
        id: Set(i.id.uuid()),
        plan_id: Set(i.plan.uuid()),
        parent_id: Set(i.parent.map(|p| p.uuid())),
        depth: Set(i32::from(i.depth)),
        level: Set(i.level.clone()),
        code: Set(i.code.clone()),
        code_norm: Set(i.code.to_lowercase()),
        title: Set(text_json(&i.title)),
        description: Set(text_json(&i.description)),
        areas: Set(join_list(&i.areas)),
        lead_org_id: Set(i.lead_organisation.map(|o| o.uuid())),
        contributors: Set(join_list(&i.contributing_organisations)),
        start_date: Set(i.start),
        due: Set(i.due.map(|d| d.to_string())),
        due_date: Set(i.due.and_then(|d| d.deadline())),
        status: Set(i.status.code().to_string()),
        weight: Set(i32::try_from(i.weight).unwrap_or(i32::MAX)),
        gender_marker: Set(i32::from(u8::from(i.gender_marker))),
        position: Set(i32::try_from(i.position).unwrap_or(i32::MAX)),
        tree_key: sea_orm::ActiveValue::NotSet,
        search_text: Set(search_text(i)),
        marking_level: Set(i.marking.level.code().to_string()),
        marking_rank: Set(i32::from(i.marking.level.rank())),
        rel_to: Set(rel_to(&i.marking)),
        originator: Set(i.marking.originator.clone()),
        version: Set(i.version),
        created_at: Set(ts(i.created_at)),
        updated_at: Set(ts(i.updated_at)),
    }
}

/// Insert an item with its ordering key (see [`tree_key_of`] and [`rebuild_tree_keys`]).
pub async fn insert(tx: &Tx, i: &Item, key: &str) -> Result<()> {
    let c = tx.conn();
    let mut a = to_active(i);
    a.tree_key = Set(key.to_string());
    Entity::insert(a).exec_without_returning(c).await.map_err(|e| unique(e, "code"))?;
    Ok(())
}

/// Write `i` (already at its new version) if the stored version is `expected`.
pub async fn update(tx: &Tx, i: &Item, expected: i64) -> Result<()> {
    let c = tx.conn();
    let r = Entity::update_many()
        .set(to_active(i))
        .filter(Column::Id.eq(i.id.uuid()))
        .filter(Column::Version.eq(expected))
        .exec(c)
        .await
        .map_err(|e| unique(e, "code"))?;
    crate::row::versioned_outcome(r.rows_affected, async { Ok(get(&tx.unfiltered(), i.id).await?.map(|x| x.version)) }).await
}

/// Items the reader may see: of a visible plan, and cleared by their own marking.
fn visible(f: &ReadFilter) -> Condition {
    filter::record(f, Column::PlanId, Column::MarkingRank, Column::RelTo)
}

/// An item, if the reader may see it.
pub async fn get(r: &Reader<'_>, id: ItemId) -> Result<Option<Item>> {
    Entity::find_by_id(id.uuid()).filter(visible(r.filter())).one(&r.c()).await?.map(to_domain).transpose()
}

/// An item with its plan, in one query, if the reader may see both: the public of a portal sees
/// the plan's public items but not the plan record itself unless its own marking allows.
pub async fn get_with_plan(r: &Reader<'_>, id: ItemId) -> Result<Option<(Item, liaison_domain::plan::Plan)>> {
    let c = &r.c();
    let f = r.filter();
    let Some((item, plan)) =
        Entity::find_by_id(id.uuid()).filter(visible(f)).find_also_related(crate::entity::plan::Entity).filter(filter::plan_itself(f)).one(c).await?
    else {
        return Ok(None);
    };
    let plan = plan.ok_or_else(|| StoreError::Corrupt(format!("item {id} has no plan")))?;
    Ok(Some((to_domain(item)?, crate::plans::from_model(plan)?)))
}

pub async fn get_many(r: &Reader<'_>, ids: &[ItemId]) -> Result<Vec<Item>> {
    let c = &r.c();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Entity::find().filter(Column::Id.is_in(ids.iter().map(|i| i.uuid()))).filter(visible(r.filter())).all(c).await?.into_iter().map(to_domain).collect()
}

/// Whether an item the reader sees in `plan` has this code (case-insensitive). A write asks
/// unfiltered: codes are unique among hidden items too.
/// The item of the plan with this code (codes are unique per plan, case aside), if the reader
/// may see it.
pub async fn find_by_code(r: &Reader<'_>, plan: PlanId, code: &str) -> Result<Option<Item>> {
    let c = &r.c();
    Entity::find()
        .filter(Column::PlanId.eq(plan.uuid()))
        .filter(Column::CodeNorm.eq(code.to_lowercase()))
        .filter(visible(r.filter()))
        .one(c)
        .await?
        .map(to_domain)
        .transpose()
}

pub async fn code_taken(r: &Reader<'_>, plan: PlanId, code: &str, except: Option<ItemId>) -> Result<bool> {
    let c = &r.c();
    let mut q = Entity::find().filter(Column::PlanId.eq(plan.uuid())).filter(Column::CodeNorm.eq(code.to_lowercase())).filter(visible(r.filter()));
    if let Some(e) = except {
        q = q.filter(Column::Id.ne(e.uuid()));
    }
    Ok(q.count(c).await? > 0)
}

pub use liaison_domain::item::ItemQuery;

fn conditions(plan: PlanId, f: &ReadFilter, q: &ItemQuery) -> Condition {
    let mut c = Condition::all().add(Column::PlanId.eq(plan.uuid())).add(visible(f));
    if let Some(s) = q.status {
        c = c.add(Column::Status.eq(s.code()));
    }
    if let Some(a) = &q.area {
        c = c.add(Expr::col(Column::Areas).like(LikeExpr::new(format!("%,{},%", like_escape(a))).escape('!')));
    }
    if let Some(o) = q.organisation {
        let pattern = format!("%,{},%", o.uuid());
        c = c.add(Condition::any().add(Column::LeadOrgId.eq(o.uuid())).add(Expr::col(Column::Contributors).like(pattern)));
    }
    if let Some(d) = q.depth {
        c = c.add(Column::Depth.eq(i32::from(d)));
    }
    match q.parent {
        Some(Some(p)) => c = c.add(Column::ParentId.eq(p.uuid())),
        Some(None) => c = c.add(Column::ParentId.is_null()),
        None => {}
    }
    if let Some(qr) = q.due_quarter {
        c = c.add(Column::DueDate.between(qr.first_day(), qr.last_day()));
    }
    if let Some(day) = q.overdue_on {
        let closed: Vec<&str> = ItemStatus::ALL.iter().filter(|s| s.is_closed()).map(|s| s.code()).collect();
        c = c.add(Column::DueDate.lt(day)).add(Column::Status.is_not_in(closed));
    }
    if let Some(t) = &q.text {
        for word in normalise_for_search(t).split_whitespace().take(8) {
            c = c.add(Expr::col(Column::SearchText).like(LikeExpr::new(format!("%{}%", like_escape(word))).escape('!')));
        }
    }
    c
}

/// A page of a plan's items the reader may see, in tree order (depth first).
pub async fn list(r: &Reader<'_>, plan: PlanId, q: &ItemQuery, after: Option<(String, uuid::Uuid)>, limit: u32) -> Result<Page<Item>> {
    let c = &r.c();
    let mut query = Entity::find().filter(conditions(plan, r.filter(), q)).order_by_asc(Column::TreeKey).order_by_asc(Column::Id).limit(u64::from(limit) + 1);
    if let Some((key, id)) = after {
        query = query.filter(Condition::any().add(Column::TreeKey.gt(key.clone())).add(Condition::all().add(Column::TreeKey.eq(key)).add(Column::Id.gt(id))));
    }
    let rows = query.all(c).await?;
    crate::row::page(rows, limit, |r| crate::cursor::encode(&[&r.tree_key, &r.id.to_string()]), to_domain)
}

/// How many of a plan's items the reader may see, with the same filters.
pub async fn count(r: &Reader<'_>, plan: PlanId, q: &ItemQuery) -> Result<u64> {
    let c = &r.c();
    let f = r.filter();
    Ok(Entity::find().filter(conditions(plan, f, q)).count(c).await?)
}

/// The children of `parent` (or the plan's root items) the reader may see, by position.
pub async fn children(r: &Reader<'_>, plan: PlanId, parent: Option<ItemId>) -> Result<Vec<Item>> {
    let c = &r.c();
    let mut q = Entity::find().filter(Column::PlanId.eq(plan.uuid())).filter(visible(r.filter()));
    q = match parent {
        Some(p) => q.filter(Column::ParentId.eq(p.uuid())),
        None => q.filter(Column::ParentId.is_null()),
    };
    q.order_by_asc(Column::Position).order_by_asc(Column::Id).all(c).await?.into_iter().map(to_domain).collect()
}

/// How many children of an item the reader may see (a delete asks unfiltered: hidden ones count).
pub async fn child_count(r: &Reader<'_>, id: ItemId) -> Result<u64> {
    let c = &r.c();
    Ok(Entity::find().filter(Column::ParentId.eq(id.uuid())).filter(visible(r.filter())).count(c).await?)
}

/// Set the position of one item without touching its version (ordering belongs to the parent).
pub async fn set_position(tx: &Tx, id: ItemId, parent: Option<ItemId>, position: u32) -> Result<()> {
    let c = tx.conn();
    Entity::update_many()
        .set(ActiveModel { parent_id: Set(parent.map(|p| p.uuid())), position: Set(i32::try_from(position).unwrap_or(i32::MAX)), ..Default::default() })
        .filter(Column::Id.eq(id.uuid()))
        .exec(c)
        .await?;
    Ok(())
}

/// Recompute the ordering keys of a plan's tree after items were added, moved or removed.
pub async fn rebuild_tree_keys(tx: &Tx, plan: PlanId) -> Result<()> {
    let c = tx.conn();
    let rows: Vec<(uuid::Uuid, Option<uuid::Uuid>, i32, String)> = Entity::find()
        .select_only()
        .column(Column::Id)
        .column(Column::ParentId)
        .column(Column::Position)
        .column(Column::TreeKey)
        .filter(Column::PlanId.eq(plan.uuid()))
        .into_tuple()
        .all(c)
        .await?;
    let mut by_parent: BTreeMap<Option<uuid::Uuid>, Vec<(i32, uuid::Uuid)>> = BTreeMap::new();
    let current: HashMap<uuid::Uuid, String> = rows.iter().map(|(id, _, _, k)| (*id, k.clone())).collect();
    for (id, parent, pos, _) in &rows {
        by_parent.entry(*parent).or_default().push((*pos, *id));
    }
    for v in by_parent.values_mut() {
        v.sort();
    }
    let mut stack: Vec<(Option<uuid::Uuid>, Option<String>)> = vec![(None, None)];
    let mut seen = 0usize;
    while let Some((parent, key)) = stack.pop() {
        for (pos, id) in by_parent.get(&parent).map(Vec::as_slice).unwrap_or(&[]) {
            let k = tree_key(key.as_deref(), u32::try_from(*pos).unwrap_or(0));
            seen += 1;
            if current.get(id) != Some(&k) {
                Entity::update_many().set(ActiveModel { tree_key: Set(k.clone()), ..Default::default() }).filter(Column::Id.eq(*id)).exec(c).await?;
            }
            stack.push((Some(*id), Some(k)));
        }
    }
    if seen != rows.len() {
        return Err(StoreError::Corrupt(format!("plan {plan}: {} items are not reachable from the root", rows.len() - seen)));
    }
    Ok(())
}

/// The ordering key of an item.
pub async fn tree_key_of(r: &Reader<'_>, id: ItemId) -> Result<Option<String>> {
    let c = &r.c();
    Ok(Entity::find_by_id(id.uuid()).filter(visible(r.filter())).select_only().column(Column::TreeKey).into_tuple::<String>().one(c).await?)
}

pub async fn delete(tx: &Tx, id: ItemId) -> Result<()> {
    let c = tx.conn();
    Entity::delete_by_id(id.uuid()).exec(c).await?;
    Ok(())
}

/// Whether any item of any plan names this area.
pub async fn area_in_use(r: &Reader<'_>, area: &str) -> Result<bool> {
    let c = &r.c();
    let pattern = format!("%,{},%", like_escape(area));
    Ok(Entity::find().filter(Expr::col(Column::Areas).like(LikeExpr::new(pattern).escape('!'))).filter(visible(r.filter())).count(c).await? > 0)
}

/// Every item of a plan the reader may see, in tree order (roll-ups and reports).
pub async fn of_plan(r: &Reader<'_>, plan: PlanId) -> Result<Vec<Item>> {
    let c = &r.c();
    let f = r.filter();
    Entity::find()
        .filter(conditions(plan, f, &ItemQuery::default()))
        .order_by_asc(Column::TreeKey)
        .order_by_asc(Column::Id)
        .all(c)
        .await?
        .into_iter()
        .map(to_domain)
        .collect()
}
