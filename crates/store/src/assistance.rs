//! Assistance requests and offers. Offers are Ally-scoped: lists apply the reader's scope in
//! SQL like their marking.

use crate::entity::{assistance_offer as offer, assistance_request as request};
use crate::row::{corrupt, id_list, join_list, marking, rel_to, text, text_json, ts};
use crate::{Reader, Result, Tx, filter};
use liaison_domain::access::ReadFilter;
use liaison_domain::assistance::{AssistanceKind, AssistanceOffer, AssistanceRequest, OfferState, Priority, RequestState};
use liaison_domain::plan::Period;
use liaison_domain::{ItemId, OfferId, OrganisationId, PlanId, RequestId, UserId};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

pub(crate) fn r_domain(m: request::Model) -> Result<AssistanceRequest> {
    Ok(AssistanceRequest {
        id: RequestId(m.id),
        plan: PlanId(m.plan_id),
        title: text(&m.title)?,
        need: m.need,
        kind: AssistanceKind::parse(&m.kind).ok_or_else(|| corrupt("assistance kind", &m.kind))?,
        period: Period { start: m.period_start, end: m.period_end },
        priority: Priority::parse(&m.priority).ok_or_else(|| corrupt("priority", &m.priority))?,
        items: id_list::<ItemId, Vec<_>>("items", &m.items)?,
        state: RequestState::parse(&m.state).ok_or_else(|| corrupt("request state", &m.state))?,
        requested_by: OrganisationId(m.requested_by),
        marking: marking(&m.marking_level, &m.rel_to, &m.originator)?,
        version: m.version,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

fn r_active(r: &AssistanceRequest) -> request::ActiveModel {
    request::ActiveModel {
        id: Set(r.id.uuid()),
        plan_id: Set(r.plan.uuid()),
        title: Set(text_json(&r.title)),
        need: Set(r.need.clone()),
        kind: Set(r.kind.code().into()),
        period_start: Set(r.period.start),
        period_end: Set(r.period.end),
        priority: Set(r.priority.code().into()),
        items: Set(join_list(&r.items)),
        state: Set(r.state.code().into()),
        requested_by: Set(r.requested_by.uuid()),
        marking_level: Set(r.marking.level.code().into()),
        marking_rank: Set(i32::from(r.marking.level.rank())),
        rel_to: Set(rel_to(&r.marking)),
        originator: Set(r.marking.originator.clone()),
        version: Set(r.version),
        created_at: Set(ts(r.created_at)),
        updated_at: Set(ts(r.updated_at)),
    }
}

pub async fn insert_request(tx: &Tx, r: &AssistanceRequest) -> Result<()> {
    let c = tx.conn();
    request::Entity::insert(r_active(r)).exec_without_returning(c).await?;
    Ok(())
}

pub async fn update_request(tx: &Tx, r: &AssistanceRequest, expected: i64) -> Result<()> {
    let c = tx.conn();
    let res = request::Entity::update_many()
        .set(r_active(r))
        .filter(request::Column::Id.eq(r.id.uuid()))
        .filter(request::Column::Version.eq(expected))
        .exec(c)
        .await?;
    crate::row::versioned_outcome(res.rows_affected, async { Ok(get_request(&tx.unfiltered(), r.id).await?.map(|x| x.version)) }).await
}

/// Requests the reader may see: of a visible plan, and cleared by their own marking.
fn visible_request(f: &ReadFilter) -> sea_orm::Condition {
    filter::record(f, request::Column::PlanId, request::Column::MarkingRank, request::Column::RelTo)
}

/// Offers the reader may see: of a visible plan, cleared by their own marking, and — for an
/// Ally's or agency's staff — their own organisation's or shared with it.
fn visible_offer(f: &ReadFilter) -> sea_orm::Condition {
    filter::record(f, offer::Column::PlanId, offer::Column::MarkingRank, offer::Column::RelTo).add(filter::ally_scope(
        f,
        offer::Column::OfferedBy,
        offer::Column::SharedWith,
    ))
}

pub async fn get_request(r: &Reader<'_>, id: RequestId) -> Result<Option<AssistanceRequest>> {
    request::Entity::find_by_id(id.uuid()).filter(visible_request(r.filter())).one(&r.c()).await?.map(r_domain).transpose()
}

/// A plan's requests the reader may see (by marking), oldest first.
pub async fn requests_of(r: &Reader<'_>, plan: PlanId) -> Result<Vec<AssistanceRequest>> {
    let c = &r.c();
    let f = r.filter();
    request::Entity::find()
        .filter(request::Column::PlanId.eq(plan.uuid()))
        .filter(visible_request(f))
        .order_by_asc(request::Column::Id)
        .all(c)
        .await?
        .into_iter()
        .map(r_domain)
        .collect()
}

pub(crate) fn o_domain(m: offer::Model) -> Result<AssistanceOffer> {
    Ok(AssistanceOffer {
        id: OfferId(m.id),
        plan: PlanId(m.plan_id),
        offered_by: OrganisationId(m.offered_by),
        kind: AssistanceKind::parse(&m.kind).ok_or_else(|| corrupt("assistance kind", &m.kind))?,
        title: text(&m.title)?,
        description: m.description,
        value_minor: m.value_minor,
        currency: m.currency,
        period: Period { start: m.period_start, end: m.period_end },
        items: id_list::<ItemId, Vec<_>>("items", &m.items)?,
        answers: m.answers.map(RequestId),
        state: OfferState::parse(&m.state).ok_or_else(|| corrupt("offer state", &m.state))?,
        reason: m.reason,
        shared_with: id_list::<OrganisationId, Vec<_>>("shared_with", &m.shared_with)?,
        marking: marking(&m.marking_level, &m.rel_to, &m.originator)?,
        created_by: UserId(m.created_by),
        version: m.version,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

fn o_active(o: &AssistanceOffer) -> offer::ActiveModel {
    offer::ActiveModel {
        id: Set(o.id.uuid()),
        plan_id: Set(o.plan.uuid()),
        offered_by: Set(o.offered_by.uuid()),
        kind: Set(o.kind.code().into()),
        title: Set(text_json(&o.title)),
        description: Set(o.description.clone()),
        value_minor: Set(o.value_minor),
        currency: Set(o.currency.clone()),
        period_start: Set(o.period.start),
        period_end: Set(o.period.end),
        items: Set(join_list(&o.items)),
        answers: Set(o.answers.map(|a| a.uuid())),
        state: Set(o.state.code().into()),
        reason: Set(o.reason.clone()),
        shared_with: Set(join_list(&o.shared_with)),
        created_by: Set(o.created_by.uuid()),
        marking_level: Set(o.marking.level.code().into()),
        marking_rank: Set(i32::from(o.marking.level.rank())),
        rel_to: Set(rel_to(&o.marking)),
        originator: Set(o.marking.originator.clone()),
        version: Set(o.version),
        created_at: Set(ts(o.created_at)),
        updated_at: Set(ts(o.updated_at)),
    }
}

pub async fn insert_offer(tx: &Tx, o: &AssistanceOffer) -> Result<()> {
    let c = tx.conn();
    offer::Entity::insert(o_active(o)).exec_without_returning(c).await?;
    Ok(())
}

pub async fn update_offer(tx: &Tx, o: &AssistanceOffer, expected: i64) -> Result<()> {
    let c = tx.conn();
    let res =
        offer::Entity::update_many().set(o_active(o)).filter(offer::Column::Id.eq(o.id.uuid())).filter(offer::Column::Version.eq(expected)).exec(c).await?;
    crate::row::versioned_outcome(res.rows_affected, async { Ok(get_offer(&tx.unfiltered(), o.id).await?.map(|x| x.version)) }).await
}

pub async fn get_offer(r: &Reader<'_>, id: OfferId) -> Result<Option<AssistanceOffer>> {
    offer::Entity::find_by_id(id.uuid()).filter(visible_offer(r.filter())).one(&r.c()).await?.map(o_domain).transpose()
}

/// A plan's offers the reader may see: by marking, and for Allies their own and those shared
/// with them.
pub async fn offers_of(r: &Reader<'_>, plan: PlanId) -> Result<Vec<AssistanceOffer>> {
    let c = &r.c();
    let f = r.filter();
    offer::Entity::find()
        .filter(offer::Column::PlanId.eq(plan.uuid()))
        .filter(visible_offer(f))
        .order_by_asc(offer::Column::Id)
        .all(c)
        .await?
        .into_iter()
        .map(o_domain)
        .collect()
}
