//! Assessments and their ratings.

use crate::entity::assessment::{ActiveModel, Column, Entity, Model};
use crate::entity::assessment_rating as rating;
use crate::row::{corrupt, marking, rel_to, ts};
use crate::{Result, filter, unique};
use liaison_domain::access::ReadFilter;
use liaison_domain::assessment::{Assessment, AssessmentState, Perspective, Rating, Scale};
use liaison_domain::{AssessmentId, ItemId, PlanId, UserId};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
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

pub async fn insert(c: &impl ConnectionTrait, a: &Assessment) -> Result<()> {
    Entity::insert(to_active(a)).exec_without_returning(c).await.map_err(|e| unique(e, "this perspective already has an assessment for the period"))?;
    Ok(())
}

/// Write the assessment's own fields (ratings are set one by one with [`set_rating`]).
pub async fn update(c: &impl ConnectionTrait, a: &Assessment, expected: i64) -> Result<()> {
    let r = Entity::update_many().set(to_active(a)).filter(Column::Id.eq(a.id.uuid())).filter(Column::Version.eq(expected)).exec(c).await?;
    crate::row::versioned_outcome(r.rows_affected, async { Ok(Entity::find_by_id(a.id.uuid()).one(c).await?.map(|x| x.version)) }).await
}

pub async fn set_rating(c: &impl ConnectionTrait, a: AssessmentId, r: &Rating) -> Result<()> {
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

async fn ratings_of(c: &impl ConnectionTrait, ids: &[uuid::Uuid]) -> Result<HashMap<uuid::Uuid, Vec<Rating>>> {
    let mut out: HashMap<uuid::Uuid, Vec<Rating>> = HashMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    for r in rating::Entity::find().filter(rating::Column::AssessmentId.is_in(ids.iter().copied())).order_by_asc(rating::Column::ItemId).all(c).await? {
        out.entry(r.assessment_id).or_default().push(Rating { item: ItemId(r.item_id), rating: r.rating, narrative: r.narrative });
    }
    Ok(out)
}

/// One assessment with every rating (the caller drops ratings on items the reader may not see).
pub async fn get(c: &impl ConnectionTrait, id: AssessmentId) -> Result<Option<Assessment>> {
    let Some(m) = Entity::find_by_id(id.uuid()).one(c).await? else { return Ok(None) };
    let mut rs = ratings_of(c, &[m.id]).await?;
    Ok(Some(to_domain(m, rs.remove(&id.uuid()).unwrap_or_default())?))
}

/// A plan's assessments the reader may see (optionally of one period), with every rating.
pub async fn of_plan(c: &impl ConnectionTrait, plan: PlanId, period: Option<&str>, f: &ReadFilter) -> Result<Vec<Assessment>> {
    let mut q = Entity::find().filter(Column::PlanId.eq(plan.uuid())).filter(filter::marking(f, Column::MarkingRank, Column::RelTo));
    if let Some(p) = period {
        q = q.filter(Column::PeriodKey.eq(p));
    }
    let rows = q.order_by_asc(Column::PeriodKey).order_by_asc(Column::Perspective).all(c).await?;
    let ids: Vec<uuid::Uuid> = rows.iter().map(|r| r.id).collect();
    let mut rs = ratings_of(c, &ids).await?;
    rows.into_iter()
        .map(|m| {
            let r = rs.remove(&m.id).unwrap_or_default();
            to_domain(m, r)
        })
        .collect()
}

/// How many ratings of any assessment an item has (deleting an item needs to know).
pub async fn ratings_of_item(c: &impl ConnectionTrait, item: ItemId) -> Result<u64> {
    Ok(rating::Entity::find().filter(rating::Column::ItemId.eq(item.uuid())).count(c).await?)
}
