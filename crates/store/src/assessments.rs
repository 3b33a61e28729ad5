//! Assessments and their ratings.

use crate::entity::assessment::{ActiveModel, Column, Entity, Model};
use crate::entity::assessment_rating as rating;
use crate::row::{corrupt, marking, rel_to, ts};
use crate::{Reader, Result, Tx, filter, unique};
use liaison_domain::access::ReadFilter;
use liaison_domain::assessment::{Assessment, AssessmentState, Perspective, Rating, Scale};
use liaison_domain::{AssessmentId, ItemId, PlanId, UserId};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;

fn to_domain(m: Model, ratings: Vec<Rating>) -> Result<Assessment> {
    Ok(Assessment {
        id: AssessmentId(m.id),
        plan: PlanId(m.plan_id),
        period: m.period_key,
        perspective: Perspective::parse(&m.perspective).ok_or_else(|| corrupt("perspective", &m.perspective))?,
        scale: Scale::parse(&m.scale).ok_or_else(|| corrupt("scale", &m.scale))?,
        narrative: m.narrative,
        state: AssessmentState::parse(&m.state).ok_or_else(|| corrupt("assessment state", &m.state))?,
        ratings,
        author: UserId(m.author_id),
        author_name: m.author_name,
        marking: marking(&m.marking_level, &m.rel_to, &m.originator)?,
        version: m.version,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

fn to_active(a: &Assessment) -> ActiveModel {
    ActiveModel {
        id: Set(a.id.uuid()),
        plan_id: Set(a.plan.uuid()),
        period_key: Set(a.period.clone()),
        perspective: Set(a.perspective.code().to_string()),
        scale: Set(a.scale.code().to_string()),
        narrative: Set(a.narrative.clone()),
        state: Set(a.state.code().to_string()),
        author_id: Set(a.author.uuid()),
        author_name: Set(a.author_name.clone()),
        marking_level: Set(a.marking.level.code().to_string()),
        marking_rank: Set(i32::from(a.marking.level.rank())),
        rel_to: Set(rel_to(&a.marking)),
        originator: Set(a.marking.originator.clone()),
        version: Set(a.version),
        created_at: Set(ts(a.created_at)),
        updated_at: Set(ts(a.updated_at)),
    }
}

pub async fn insert(tx: &Tx, a: &Assessment) -> Result<()> {
    let c = tx.conn();
    Entity::insert(to_active(a)).exec_without_returning(c).await.map_err(|e| unique(e, "this perspective already has an assessment for the period"))?;
    Ok(())
}

/// Write the assessment's own fields (ratings are set one by one with [`set_rating`]).
pub async fn update(tx: &Tx, a: &Assessment, expected: i64) -> Result<()> {
    let c = tx.conn();
    let r = Entity::update_many().set(to_active(a)).filter(Column::Id.eq(a.id.uuid())).filter(Column::Version.eq(expected)).exec(c).await?;
    crate::row::versioned_outcome(r.rows_affected, async { Ok(Entity::find_by_id(a.id.uuid()).one(c).await?.map(|x| x.version)) }).await
}

pub async fn set_rating(tx: &Tx, a: AssessmentId, r: &Rating) -> Result<()> {
    let c = tx.conn();
    if r.rating.is_empty() {
        rating::Entity::delete_many().filter(rating::Column::AssessmentId.eq(a.uuid())).filter(rating::Column::ItemId.eq(r.item.uuid())).exec(c).await?;
        return Ok(());
    }
    rating::Entity::insert(rating::ActiveModel {
        assessment_id: Set(a.uuid()),
        item_id: Set(r.item.uuid()),
        rating: Set(r.rating.clone()),
        narrative: Set(r.narrative.clone()),
    })
    .on_conflict(
        OnConflict::columns([rating::Column::AssessmentId, rating::Column::ItemId])
            .update_columns([rating::Column::Rating, rating::Column::Narrative])
            .to_owned(),
    )
    .exec_without_returning(c)
    .await?;
    Ok(())
}

/// The ratings of these assessments on items the reader may see.
async fn ratings_of(reader: &Reader<'_>, ids: &[uuid::Uuid]) -> Result<HashMap<uuid::Uuid, Vec<Rating>>> {
    let mut out: HashMap<uuid::Uuid, Vec<Rating>> = HashMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    for r in rating::Entity::find()
        .filter(rating::Column::AssessmentId.is_in(ids.iter().copied()))
        .filter(filter::of_visible_item(reader.filter(), rating::Column::ItemId))
        .order_by_asc(rating::Column::ItemId)
        .all(&reader.c())
        .await?
    {
        out.entry(r.assessment_id).or_default().push(Rating { item: ItemId(r.item_id), rating: r.rating, narrative: r.narrative });
    }
    Ok(out)
}

/// Assessments the reader may see: of a visible plan, and cleared by their own marking.
fn visible(f: &ReadFilter) -> sea_orm::Condition {
    filter::record(f, Column::PlanId, Column::MarkingRank, Column::RelTo)
}

/// An assessment the reader may see, with its ratings of the items the reader may see.
pub async fn get(r: &Reader<'_>, id: AssessmentId) -> Result<Option<Assessment>> {
    let c = &r.c();
    let Some(m) = Entity::find_by_id(id.uuid()).filter(visible(r.filter())).one(c).await? else { return Ok(None) };
    let mut rs = ratings_of(r, &[m.id]).await?;
    Ok(Some(to_domain(m, rs.remove(&id.uuid()).unwrap_or_default())?))
}

/// A plan's assessments the reader may see (optionally of one period), with every rating.
pub async fn of_plan(r: &Reader<'_>, plan: PlanId, period: Option<&str>) -> Result<Vec<Assessment>> {
    let c = &r.c();
    let f = r.filter();
    let mut q = Entity::find().filter(Column::PlanId.eq(plan.uuid())).filter(visible(f));
    if let Some(p) = period {
        q = q.filter(Column::PeriodKey.eq(p));
    }
    let rows = q.order_by_asc(Column::PeriodKey).order_by_asc(Column::Perspective).all(c).await?;
    let ids: Vec<uuid::Uuid> = rows.iter().map(|r| r.id).collect();
    let mut rs = ratings_of(r, &ids).await?;
    rows.into_iter()
        .map(|m| {
            let r = rs.remove(&m.id).unwrap_or_default();
            to_domain(m, r)
        })
        .collect()
}

/// How many ratings of any assessment an item has (deleting an item needs to know).
/// How many ratings of an item the reader may see (of visible assessments; a delete asks
/// unfiltered).
pub async fn ratings_of_item(r: &Reader<'_>, item: ItemId) -> Result<u64> {
    let mut q = rating::Entity::find().filter(rating::Column::ItemId.eq(item.uuid())).filter(filter::of_visible_item(r.filter(), rating::Column::ItemId));
    if !r.sees_all() {
        let visible_assessments = sea_orm::sea_query::Query::select().column((Entity, Column::Id)).from(Entity).cond_where(visible(r.filter())).to_owned();
        q = q.filter(rating::Column::AssessmentId.in_subquery(visible_assessments));
    }
    Ok(q.count(&r.c()).await?)
}
