//! Activities.

use crate::entity::activity::{ActiveModel, Column, Entity, Model};
use crate::row::{corrupt, id_list, join_list, marking, rel_to, text, text_json, ts};
use crate::{Reader, Result, Tx, filter};
use liaison_domain::access::ReadFilter;
use liaison_domain::activity::{Activity, ActivityKind, Participants};
use liaison_domain::plan::Period;
use liaison_domain::{ActivityId, ItemId, OfferId, OrganisationId, PlanId};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

pub(crate) fn to_domain(m: Model) -> Result<Activity> {
    Ok(Activity {
        id: ActivityId(m.id),
        plan: PlanId(m.plan_id),
        kind: ActivityKind::parse(&m.kind).ok_or_else(|| corrupt("activity kind", &m.kind))?,
        title: text(&m.title)?,
        description: m.description,
        dates: Period { start: m.first_day, end: m.last_day },
        place: m.place,
        organiser: m.organiser.map(OrganisationId),
        items: id_list::<ItemId, _>("items", &m.items)?,
        offer: m.offer_id.map(OfferId),
        participants: Participants {
            women: u32::try_from(m.women).map_err(|_| corrupt("women", &m.women.to_string()))?,
            men: u32::try_from(m.men).map_err(|_| corrupt("men", &m.men.to_string()))?,
        },
        catalogue_ref: m.catalogue_ref,
        outcome: m.outcome,
        feedback: m.feedback,
        marking: marking(&m.marking_level, &m.rel_to, &m.originator)?,
        version: m.version,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

fn to_active(a: &Activity) -> ActiveModel {
    ActiveModel {
        id: Set(a.id.uuid()),
        plan_id: Set(a.plan.uuid()),
        kind: Set(a.kind.code().into()),
        title: Set(text_json(&a.title)),
        description: Set(a.description.clone()),
        first_day: Set(a.dates.start),
        last_day: Set(a.dates.end),
        place: Set(a.place.clone()),
        organiser: Set(a.organiser.map(|o| o.uuid())),
        items: Set(join_list(&a.items)),
        offer_id: Set(a.offer.map(|o| o.uuid())),
        women: Set(i32::try_from(a.participants.women).unwrap_or(i32::MAX)),
        men: Set(i32::try_from(a.participants.men).unwrap_or(i32::MAX)),
        catalogue_ref: Set(a.catalogue_ref.clone()),
        outcome: Set(a.outcome.clone()),
        feedback: Set(a.feedback.clone()),
        marking_level: Set(a.marking.level.code().into()),
        marking_rank: Set(i32::from(a.marking.level.rank())),
        rel_to: Set(rel_to(&a.marking)),
        originator: Set(a.marking.originator.clone()),
        version: Set(a.version),
        created_at: Set(ts(a.created_at)),
        updated_at: Set(ts(a.updated_at)),
    }
}

pub async fn insert(tx: &Tx, a: &Activity) -> Result<()> {
    let c = tx.conn();
    Entity::insert(to_active(a)).exec_without_returning(c).await?;
    Ok(())
}

pub async fn update(tx: &Tx, a: &Activity, expected: i64) -> Result<()> {
    let c = tx.conn();
    let r = Entity::update_many().set(to_active(a)).filter(Column::Id.eq(a.id.uuid())).filter(Column::Version.eq(expected)).exec(c).await?;
    crate::row::versioned_outcome(r.rows_affected, async { Ok(get(&tx.unfiltered(), a.id).await?.map(|x| x.version)) }).await
}

/// Activities the reader may see: of a visible plan, and cleared by their own marking.
fn visible(f: &ReadFilter) -> sea_orm::Condition {
    filter::record(f, Column::PlanId, Column::MarkingRank, Column::RelTo)
}

pub async fn get(r: &Reader<'_>, id: ActivityId) -> Result<Option<Activity>> {
    Entity::find_by_id(id.uuid()).filter(visible(r.filter())).one(&r.c()).await?.map(to_domain).transpose()
}

/// A plan's activities the reader may see, by date.
pub async fn of_plan(r: &Reader<'_>, plan: PlanId) -> Result<Vec<Activity>> {
    let c = &r.c();
    Entity::find()
        .filter(Column::PlanId.eq(plan.uuid()))
        .filter(visible(r.filter()))
        .order_by_asc(Column::FirstDay)
        .order_by_asc(Column::Id)
        .all(c)
        .await?
        .into_iter()
        .map(to_domain)
        .collect()
}

/// Activities organised by an organisation that the reader may see, in every plan, by date.
pub async fn of_organiser(r: &Reader<'_>, org: OrganisationId) -> Result<Vec<Activity>> {
    let c = &r.c();
    Entity::find()
        .filter(Column::Organiser.eq(org.uuid()))
        .filter(visible(r.filter()))
        .order_by_asc(Column::FirstDay)
        .all(c)
        .await?
        .into_iter()
        .map(to_domain)
        .collect()
}
