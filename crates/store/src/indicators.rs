//! Indicators and their measurements. Both are part of their item and carry its marking, so
//! callers decide visibility through the item.

use crate::entity::indicator::{self, Column, Entity};
use crate::entity::measurement;
use crate::row::{corrupt, id_list, join_list, text, text_json, ts};
use crate::{Reader, Result, Tx, filter, unique};
use liaison_domain::access::ReadFilter;
use liaison_domain::indicator::{Indicator, Measure, Measurement, Value};
use liaison_domain::{AttachmentId, IndicatorId, ItemId, MeasurementId, PlanId};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "null".into())
}

fn parse<T: serde::de::DeserializeOwned>(what: &str, s: &str) -> Result<T> {
    serde_json::from_str(s).map_err(|_| corrupt(what, s))
}

pub(crate) fn to_domain(m: indicator::Model) -> Result<Indicator> {
    Ok(Indicator {
        id: IndicatorId(m.id),
        plan: PlanId(m.plan_id),
        item: ItemId(m.item_id),
        name: text(&m.name)?,
        unit: m.unit,
        measure: Measure::parse(&m.measure).ok_or_else(|| corrupt("measure", &m.measure))?,
        cumulative: m.cumulative,
        baseline: m.baseline_json.as_deref().map(|s| parse("baseline", s)).transpose()?,
        targets: parse("targets", &m.targets_json)?,
        dimension: m.dimension_json.as_deref().map(|s| parse("dimension", s)).transpose()?,
        version: m.version,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

fn to_active(i: &Indicator) -> indicator::ActiveModel {
    indicator::ActiveModel {
        id: Set(i.id.uuid()),
        plan_id: Set(i.plan.uuid()),
        item_id: Set(i.item.uuid()),
        name: Set(text_json(&i.name)),
        unit: Set(i.unit.clone()),
        measure: Set(i.measure.code().to_string()),
        cumulative: Set(i.cumulative),
        baseline_json: Set(i.baseline.as_ref().map(json)),
        targets_json: Set(json(&i.targets)),
        dimension_json: Set(i.dimension.as_ref().map(json)),
        version: Set(i.version),
        created_at: Set(ts(i.created_at)),
        updated_at: Set(ts(i.updated_at)),
    }
}

pub async fn insert(tx: &Tx, i: &Indicator) -> Result<()> {
    let c = tx.conn();
    Entity::insert(to_active(i)).exec_without_returning(c).await?;
    Ok(())
}

pub async fn update(tx: &Tx, i: &Indicator, expected: i64) -> Result<()> {
    let c = tx.conn();
    let r = Entity::update_many().set(to_active(i)).filter(Column::Id.eq(i.id.uuid())).filter(Column::Version.eq(expected)).exec(c).await?;
    crate::row::versioned_outcome(r.rows_affected, async { Ok(get(&tx.unfiltered(), i.id).await?.map(|x| x.version)) }).await
}

/// Indicators the reader may see: those of items the reader may see (they carry the item's marking).
fn visible(f: &ReadFilter) -> sea_orm::Condition {
    filter::of_visible_item(f, Column::ItemId)
}

/// Figures the reader may see: those of visible indicators.
fn visible_measurement(r: &Reader<'_>) -> sea_orm::Condition {
    if r.sees_all() {
        return sea_orm::Condition::all();
    }
    // Correlated, as `filter::of_visible_item` is: the one indicator by its key.
    use sea_orm::sea_query::{Expr, ExprTrait};
    let one = sea_orm::sea_query::Query::select()
        .column((Entity, Column::Id))
        .from(Entity)
        .and_where(Expr::col((Entity, Column::Id)).equals(measurement::Column::IndicatorId.as_column_ref()))
        .cond_where(visible(r.filter()))
        .to_owned();
    sea_orm::Condition::all().add(Expr::exists(one))
}

pub async fn get(r: &Reader<'_>, id: IndicatorId) -> Result<Option<Indicator>> {
    Entity::find_by_id(id.uuid()).filter(visible(r.filter())).one(&r.c()).await?.map(to_domain).transpose()
}

pub async fn delete(tx: &Tx, id: IndicatorId) -> Result<()> {
    let c = tx.conn();
    measurement::Entity::delete_many().filter(measurement::Column::IndicatorId.eq(id.uuid())).exec(c).await?;
    Entity::delete_by_id(id.uuid()).exec(c).await?;
    Ok(())
}

pub async fn of_item(r: &Reader<'_>, item: ItemId) -> Result<Vec<Indicator>> {
    let c = &r.c();
    Entity::find()
        .filter(Column::ItemId.eq(item.uuid()))
        .filter(visible(r.filter()))
        .order_by_asc(Column::Id)
        .all(c)
        .await?
        .into_iter()
        .map(to_domain)
        .collect()
}

/// The indicators of a plan the reader may see.
pub async fn of_plan(r: &Reader<'_>, plan: PlanId) -> Result<Vec<Indicator>> {
    let c = &r.c();
    Entity::find()
        .filter(Column::PlanId.eq(plan.uuid()))
        .filter(visible(r.filter()))
        .order_by_asc(Column::Id)
        .all(c)
        .await?
        .into_iter()
        .map(to_domain)
        .collect()
}

pub async fn count_of_item(r: &Reader<'_>, item: ItemId) -> Result<u64> {
    let c = &r.c();
    Ok(Entity::find().filter(Column::ItemId.eq(item.uuid())).filter(visible(r.filter())).count(c).await?)
}

fn m_to_domain(m: measurement::Model) -> Result<Measurement> {
    Ok(Measurement {
        id: MeasurementId(m.id),
        indicator: IndicatorId(m.indicator_id),
        period: m.period_key,
        value: parse::<Value>("measured value", &m.value_json)?,
        note: m.note,
        evidence: id_list::<AttachmentId, _>("evidence", &m.evidence)?,
        version: m.version,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

fn m_to_active(m: &Measurement, plan: PlanId) -> measurement::ActiveModel {
    measurement::ActiveModel {
        id: Set(m.id.uuid()),
        indicator_id: Set(m.indicator.uuid()),
        plan_id: Set(plan.uuid()),
        period_key: Set(m.period.clone()),
        value_json: Set(json(&m.value)),
        note: Set(m.note.clone()),
        evidence: Set(join_list(&m.evidence)),
        version: Set(m.version),
        created_at: Set(ts(m.created_at)),
        updated_at: Set(ts(m.updated_at)),
    }
}

pub async fn insert_measurement(tx: &Tx, m: &Measurement, plan: PlanId) -> Result<()> {
    let c = tx.conn();
    measurement::Entity::insert(m_to_active(m, plan))
        .exec_without_returning(c)
        .await
        .map_err(|e| unique(e, "the period already has a measurement; change that one"))?;
    Ok(())
}

pub async fn update_measurement(tx: &Tx, m: &Measurement, plan: PlanId, expected: i64) -> Result<()> {
    let c = tx.conn();
    let r = measurement::Entity::update_many()
        .set(m_to_active(m, plan))
        .filter(measurement::Column::Id.eq(m.id.uuid()))
        .filter(measurement::Column::Version.eq(expected))
        .exec(c)
        .await?;
    crate::row::versioned_outcome(r.rows_affected, async { Ok(get_measurement(&tx.unfiltered(), m.id).await?.map(|x| x.version)) }).await
}

pub async fn get_measurement(r: &Reader<'_>, id: MeasurementId) -> Result<Option<Measurement>> {
    let c = &r.c();
    measurement::Entity::find_by_id(id.uuid()).filter(visible_measurement(r)).one(c).await?.map(m_to_domain).transpose()
}

pub async fn delete_measurement(tx: &Tx, id: MeasurementId) -> Result<()> {
    let c = tx.conn();
    measurement::Entity::delete_by_id(id.uuid()).exec(c).await?;
    Ok(())
}

pub async fn measurements_of(r: &Reader<'_>, indicator: IndicatorId) -> Result<Vec<Measurement>> {
    let c = &r.c();
    measurement::Entity::find()
        .filter(measurement::Column::IndicatorId.eq(indicator.uuid()))
        .filter(visible_measurement(r))
        .order_by_asc(measurement::Column::PeriodKey)
        .all(c)
        .await?
        .into_iter()
        .map(m_to_domain)
        .collect()
}

/// The figures of a plan the reader may see.
pub async fn measurements_of_plan(r: &Reader<'_>, plan: PlanId) -> Result<Vec<Measurement>> {
    let c = &r.c();
    measurement::Entity::find()
        .filter(measurement::Column::PlanId.eq(plan.uuid()))
        .filter(visible_measurement(r))
        .all(c)
        .await?
        .into_iter()
        .map(m_to_domain)
        .collect()
}

/// The values of a plan's measurements, without the rest of each row (roll-ups read many).
pub async fn values_of_plan(r: &Reader<'_>, plan: PlanId) -> Result<Vec<(IndicatorId, String, Value)>> {
    let c = &r.c();
    use sea_orm::QuerySelect;
    let rows: Vec<(uuid::Uuid, String, String)> = measurement::Entity::find()
        .select_only()
        .column(measurement::Column::IndicatorId)
        .column(measurement::Column::PeriodKey)
        .column(measurement::Column::ValueJson)
        .filter(measurement::Column::PlanId.eq(plan.uuid()))
        .filter(visible_measurement(r))
        .into_tuple()
        .all(c)
        .await?;
    rows.into_iter().map(|(i, p, v)| Ok((IndicatorId(i), p, parse::<Value>("measured value", &v)?))).collect()
}
