//! Indicators on items and their measurements per reporting period. Both belong to their item:
//! whoever sees the item sees them, and its marking covers them.

use crate::versioned;
use crate::{App, AppError, Ctx, Result, check_version, snapshot};
use liaison_domain::access::{Action, Target};
use liaison_domain::change::ChangeDraft;
use liaison_domain::indicator::{Indicator, IndicatorPatch, Measurement, NewIndicator, NewMeasurement, Standing, standing};
use liaison_domain::item::Item;
use liaison_domain::plan::Plan;
use liaison_domain::{AttachmentId, IndicatorId, ItemId, MeasurementId, Patch, Problems, ValidationErrors};
use liaison_store::{Reader, Tx, indicators as store};
use serde::Serialize;

/// An indicator with its measurements and where it stands at each period that has a target or
/// a measurement.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IndicatorView {
    #[serde(flatten)]
    pub indicator: Indicator,
    pub measurements: Vec<Measurement>,
    pub standing: Vec<Standing>,
}

/// Where an indicator stands at each period that has a target or a measurement.
pub fn standings(ind: &Indicator, ms: &[Measurement], periods: &[String]) -> Vec<Standing> {
    let values: Vec<(&str, &liaison_domain::indicator::Value)> = ms.iter().map(|m| (m.period.as_str(), &m.value)).collect();
    periods.iter().filter(|p| ind.target_for(p).is_some() || ms.iter().any(|m| &m.period == *p)).map(|p| standing(ind, &values, periods, p)).collect()
}

use crate::items::for_item_action as item_for;
use crate::reporting::{check_evidence, check_reporter, locked_for, period_in, require_reporting};

/// The keys of a plan's periods (read use cases make the default calendar first).
async fn period_keys(rd: &Reader<'_>, plan: &Plan) -> Result<Vec<String>> {
    Ok(liaison_store::calendar::of_plan(rd, plan.id).await?.into_iter().map(|p| p.key).collect())
}

/// An item's indicators with their measurements.
pub async fn of_item(app: &App, ctx: &Ctx, item: ItemId) -> Result<Vec<IndicatorView>> {
    let rd = app.read(ctx);
    let (_, plan) = item_for(&rd, ctx, item, Action::PlanRead).await?;
    crate::calendar::ensure(app, &rd, &plan).await?;
    let periods = period_keys(&rd, &plan).await?;
    let mut out = Vec::new();
    for ind in store::of_item(&rd, item).await? {
        let ms = store::measurements_of(&rd, ind.id).await?;
        out.push(IndicatorView { standing: standings(&ind, &ms, &periods), measurements: ms, indicator: ind });
    }
    Ok(out)
}

/// One indicator, if the actor may see its item.
pub async fn get(app: &App, ctx: &Ctx, id: IndicatorId) -> Result<IndicatorView> {
    let rd = app.read(ctx);
    let ind = store::get(&rd, id).await?.ok_or(AppError::NotFound)?;
    let (_, plan) = item_for(&rd, ctx, ind.item, Action::PlanRead).await?;
    crate::calendar::ensure(app, &rd, &plan).await?;
    let periods = period_keys(&rd, &plan).await?;
    let ms = store::measurements_of(&rd, ind.id).await?;
    Ok(IndicatorView { standing: standings(&ind, &ms, &periods), measurements: ms, indicator: ind })
}

/// The default calendar of the plan of `item`, made (in its own transaction) before a write
/// that needs the periods.
async fn calendar_of_item(app: &App, ctx: &Ctx, item: ItemId) -> Result<()> {
    let rd = app.read(ctx);
    if let Some((_, plan)) = liaison_store::items::get_with_plan(&rd, item).await? {
        crate::calendar::ensure(app, &rd, &plan).await?;
    }
    Ok(())
}

pub async fn create(app: &App, ctx: &Ctx, item_id: ItemId, input: NewIndicator) -> Result<Indicator> {
    calendar_of_item(app, ctx, item_id).await?;
    let tx = app.begin().await?;
    let out = create_in(app, &tx, ctx, item_id, input).await?;
    tx.commit(&ctx.provenance(app.now())).await?;
    Ok(out)
}

/// [`create`] inside a transaction that the caller commits (an import applies many in one).
pub(crate) async fn create_in(app: &App, tx: &Tx, ctx: &Ctx, item_id: ItemId, input: NewIndicator) -> Result<Indicator> {
    let now = app.now();
    let rd = tx.read(ctx.actor.filter());
    let (item, plan) = item_for(&rd, ctx, item_id, Action::IndicatorWrite).await?;
    crate::plans::require_editable(&plan)?;
    let periods = period_keys(&rd, &plan).await?;
    let ind = Indicator {
        id: IndicatorId(app.new_id()),
        plan: plan.id,
        item: item.id,
        name: input.name,
        unit: input.unit.trim().to_string(),
        measure: input.measure,
        cumulative: input.cumulative,
        baseline: input.baseline,
        targets: input.targets,
        dimension: input.dimension,
        version: 1,
        created_at: now,
        updated_at: now,
    };
    ind.validate(&periods)?;
    store::insert(tx, &ind).await?;
    tx.record(ChangeDraft::marked("indicator", ind.id.uuid(), Some(plan.id), 1, "create", None, Some((&item.marking, snapshot(&ind)))));
    Ok(ind)
}

/// Change an indicator; what is checked (its item, the plan, the periods) is read inside the
/// write's transaction.
pub async fn update(app: &App, ctx: &Ctx, id: IndicatorId, expected: i64, patch: IndicatorPatch) -> Result<Indicator> {
    let tx = app.begin().await?;
    let out = update_in(app, &tx, ctx, id, expected, patch).await?;
    tx.commit(&ctx.provenance(app.now())).await?;
    Ok(out)
}

/// [`update`] inside a transaction that the caller commits (an import applies many in one).
pub(crate) async fn update_in(app: &App, tx: &Tx, ctx: &Ctx, id: IndicatorId, expected: i64, patch: IndicatorPatch) -> Result<Indicator> {
    let now = app.now();
    let rd = tx.read(ctx.actor.filter());
    let cur = store::get(&rd, id).await?.ok_or(AppError::NotFound)?;
    let (item, plan) = item_for(&rd, ctx, cur.item, Action::IndicatorWrite).await?;
    crate::plans::require_editable(&plan)?;
    let periods = period_keys(&rd, &plan).await?;
    check_version(expected, cur.version)?;
    let mut next = cur.clone();
    if let Some(n) = patch.name {
        next.name = n;
    }
    if let Some(u) = patch.unit {
        next.unit = u.trim().to_string();
    }
    if let Some(t) = patch.targets {
        next.targets = t;
    }
    match patch.baseline {
        Patch::Absent => {}
        Patch::Null => next.baseline = None,
        Patch::Set(b) => next.baseline = Some(b),
    }
    next.validate(&periods)?;
    versioned::save_under(tx, now, "update", &item.marking, &cur, &mut next).await?;
    Ok(next)
}

/// Remove an indicator that has no measurements in an approved or locked period.
pub async fn delete(app: &App, ctx: &Ctx, id: IndicatorId, expected: i64) -> Result<()> {
    let now = app.now();
    let tx = app.begin().await?;
    let rd = tx.read(ctx.actor.filter());
    let cur = store::get(&rd, id).await?.ok_or(AppError::NotFound)?;
    let (item, plan) = item_for(&rd, ctx, cur.item, Action::IndicatorWrite).await?;
    check_version(expected, cur.version)?;
    crate::plans::require_editable(&plan)?;
    let ms = store::measurements_of(&tx.unfiltered(), id).await?;
    for m in &ms {
        locked_for(&tx.unfiltered(), &plan, item.id, &m.period).await?;
    }
    for m in &ms {
        tx.record(ChangeDraft::marked("measurement", m.id.uuid(), Some(plan.id), m.version, "delete", Some((&item.marking, snapshot(m))), None));
    }
    store::delete(&tx, id).await?;
    tx.record(ChangeDraft::marked("indicator", id.uuid(), Some(plan.id), cur.version, "delete", Some((&item.marking, snapshot(&cur))), None));
    tx.commit(&ctx.provenance(now)).await?;
    Ok(())
}

pub async fn record(app: &App, ctx: &Ctx, indicator: IndicatorId, input: NewMeasurement) -> Result<Measurement> {
    if let Some(ind) = store::get(&app.read(ctx), indicator).await? {
        calendar_of_item(app, ctx, ind.item).await?;
    }
    let tx = app.begin().await?;
    let out = record_in(app, &tx, ctx, indicator, input).await?;
    tx.commit(&ctx.provenance(app.now())).await?;
    Ok(out)
}

/// [`record`] inside a transaction that the caller commits (an import applies many in one).
pub(crate) async fn record_in(app: &App, tx: &Tx, ctx: &Ctx, indicator: IndicatorId, input: NewMeasurement) -> Result<Measurement> {
    let now = app.now();
    let rd = tx.read(ctx.actor.filter());
    let ind = store::get(&rd, indicator).await?.ok_or(AppError::NotFound)?;
    let (item, plan) = item_for(&rd, ctx, ind.item, Action::MeasurementWrite).await?;
    check_reporter(&rd, ctx, &plan, &item).await?;
    require_reporting(&plan)?;
    let mut p = input.value.validate(&ind);
    if period_in(&rd, plan.id, &input.period).await.is_err() {
        p.coded("period", "unknown", &[]);
    }
    check_note(&input.note, &mut p);
    check_evidence(&rd, &plan, &input.evidence, &mut p).await?;
    p.finish()?;
    locked_for(&tx.unfiltered(), &plan, item.id, &input.period).await?;
    let m = Measurement {
        id: MeasurementId(app.new_id()),
        indicator: ind.id,
        period: input.period,
        value: input.value,
        note: input.note.trim().to_string(),
        evidence: input.evidence,
        version: 1,
        created_at: now,
        updated_at: now,
    };
    store::insert_measurement(tx, &m, plan.id).await.map_err(|e| match e {
        liaison_store::StoreError::Conflict(_) => AppError::Invalid(ValidationErrors::coded("period", "taken", &[("what", "measurement")])),
        other => other.into(),
    })?;
    tx.record(ChangeDraft::marked("measurement", m.id.uuid(), Some(plan.id), 1, "create", None, Some((&item.marking, snapshot(&m)))));
    Ok(m)
}

/// A figure recorded from the item page: the figure, and the item it is of (to go back to).
pub async fn record_on_item(app: &App, ctx: &Ctx, indicator: IndicatorId, input: NewMeasurement) -> Result<(Measurement, ItemId)> {
    let m = record(app, ctx, indicator, input).await?;
    let item = store::get(&app.read(ctx), indicator).await?.ok_or(AppError::NotFound)?.item;
    Ok((m, item))
}

fn check_note(note: &str, p: &mut Problems) {
    if liaison_domain::validation::rules::char_len(note) > 4_000 || liaison_domain::validation::rules::has_control_chars(note, true) {
        p.coded("note", "invalid", &[]);
    }
}

/// Input to correct a measurement, in the shape it was recorded in. Giving any of `value`,
/// `denominator`, `text` or `by_category` replaces the measured value with exactly what is
/// given; `note` and `evidence` change on their own.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MeasurementPatch {
    #[serde(default)]
    pub value: Option<f64>,
    #[serde(default)]
    pub denominator: Option<f64>,
    #[serde(default)]
    pub text: Option<String>,
    #[serde(default)]
    pub by_category: Option<std::collections::BTreeMap<String, f64>>,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub evidence: Option<Vec<AttachmentId>>,
}

impl MeasurementPatch {
    fn new_value(&self) -> Option<liaison_domain::indicator::Value> {
        let any = self.value.is_some() || self.denominator.is_some() || self.text.is_some() || self.by_category.is_some();
        any.then(|| liaison_domain::indicator::Value {
            value: self.value,
            denominator: self.denominator,
            text: self.text.clone(),
            by_category: self.by_category.clone().unwrap_or_default(),
        })
    }
}

async fn measurement_for(c: &Reader<'_>, ctx: &Ctx, id: MeasurementId) -> Result<(Measurement, Indicator, Item, Plan)> {
    let m = store::get_measurement(c, id).await?.ok_or(AppError::NotFound)?;
    let ind = store::get(c, m.indicator).await?.ok_or(AppError::NotFound)?;
    let (item, plan) = item_for(c, ctx, ind.item, Action::PlanRead).await?;
    Ok((m, ind, item, plan))
}

pub async fn get_measurement(app: &App, ctx: &Ctx, id: MeasurementId) -> Result<Measurement> {
    Ok(measurement_for(&app.read(ctx), ctx, id).await?.0)
}

pub async fn update_measurement(app: &App, ctx: &Ctx, id: MeasurementId, expected: i64, patch: MeasurementPatch) -> Result<Measurement> {
    let tx = app.begin().await?;
    let out = update_measurement_in(app, &tx, ctx, id, expected, patch).await?;
    tx.commit(&ctx.provenance(app.now())).await?;
    Ok(out)
}

/// [`update_measurement`] inside a transaction that the caller commits (an import applies many in one).
pub(crate) async fn update_measurement_in(app: &App, tx: &Tx, ctx: &Ctx, id: MeasurementId, expected: i64, patch: MeasurementPatch) -> Result<Measurement> {
    let now = app.now();
    let (cur, ind, item, plan) = measurement_for(&tx.read(ctx.actor.filter()), ctx, id).await?;
    ctx.actor.require(Action::MeasurementWrite, Target::Record { plan: plan.id, plan_marking: &plan.marking, marking: &item.marking })?;
    check_reporter(&tx.read(ctx.actor.filter()), ctx, &plan, &item).await?;
    check_version(expected, cur.version)?;
    require_reporting(&plan)?;
    let mut next = cur.clone();
    if let Some(v) = patch.new_value() {
        next.value = v;
    }
    if let Some(n) = patch.note {
        next.note = n.trim().to_string();
    }
    if let Some(e) = patch.evidence {
        next.evidence = e;
    }
    let mut p = next.value.validate(&ind);
    check_note(&next.note, &mut p);
    check_evidence(&tx.read(ctx.actor.filter()), &plan, &next.evidence, &mut p).await?;
    p.finish()?;
    locked_for(&tx.unfiltered(), &plan, item.id, &cur.period).await?;
    next.version += 1;
    next.updated_at = now;
    store::update_measurement(tx, &next, plan.id, cur.version).await?;
    tx.record(ChangeDraft::marked(
        "measurement",
        id.uuid(),
        Some(plan.id),
        next.version,
        "update",
        Some((&item.marking, snapshot(&cur))),
        Some((&item.marking, snapshot(&next))),
    ));
    Ok(next)
}

pub async fn delete_measurement(app: &App, ctx: &Ctx, id: MeasurementId, expected: i64) -> Result<()> {
    let now = app.now();
    let tx = app.begin().await?;
    let (cur, _, item, plan) = measurement_for(&tx.read(ctx.actor.filter()), ctx, id).await?;
    ctx.actor.require(Action::MeasurementWrite, Target::Record { plan: plan.id, plan_marking: &plan.marking, marking: &item.marking })?;
    check_reporter(&tx.read(ctx.actor.filter()), ctx, &plan, &item).await?;
    check_version(expected, cur.version)?;
    require_reporting(&plan)?;
    locked_for(&tx.unfiltered(), &plan, item.id, &cur.period).await?;
    store::delete_measurement(&tx, id).await?;
    tx.record(ChangeDraft::marked("measurement", id.uuid(), Some(plan.id), cur.version, "delete", Some((&item.marking, snapshot(&cur))), None));
    tx.commit(&ctx.provenance(now)).await?;
    Ok(())
}
