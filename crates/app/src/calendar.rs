//! The reporting calendar: a plan's periods (quarters by default), locking, and the view of
//! who has not reported.

use crate::versioned;
use crate::{App, AppError, Ctx, Result, check_version, snapshot};
use liaison_domain::Refusal;
use liaison_domain::access::Action;
use liaison_domain::calendar::{
    DEFAULT_GRACE_DAYS, NewPeriod, PeriodPatch, Phase, Reportable, ReportingPeriod, check_patch, check_period, missing_reports, quarterly,
};
use liaison_domain::change::ChangeDraft;
use liaison_domain::plan::Plan;
use liaison_domain::{ItemId, OrganisationId, PeriodId, PlanId};
use liaison_store::{Reader, Tx, calendar as store, progress};
use serde::Serialize;
use std::collections::HashSet;

/// A plan's periods; a plan that has none gets the quarterly default (once, recorded).
pub async fn periods(app: &App, ctx: &Ctx, plan: PlanId) -> Result<Vec<ReportingPeriod>> {
    let p = crate::plans::visible(app, ctx, plan).await?;
    ensure(app, &app.read(ctx), &p).await
}

/// The periods of a plan as `rd` reads them, creating the quarterly defaults (once, recorded)
/// if the plan has none.
pub(crate) async fn ensure(app: &App, rd: &Reader<'_>, plan: &Plan) -> Result<Vec<ReportingPeriod>> {
    let have = store::of_plan(rd, plan.id).await?;
    if !have.is_empty() {
        return Ok(have);
    }
    let tx = app.begin().await?;
    if store::of_plan(&tx.unfiltered(), plan.id).await?.is_empty() {
        let written = match write_defaults(app, &tx, plan).await {
            Ok(()) => tx.commit(&Ctx::system("calendar defaults").provenance(app.now())).await.map(|_| ()).map_err(AppError::from),
            Err(e) => {
                let _ = tx.rollback().await;
                Err(e)
            }
        };
        // Two readers of a plan without periods may both write its defaults (on PostgreSQL
        // both see none): the second is refused by the unique key. The periods the first
        // wrote are the answer then.
        if let Err(e) = written {
            let now = store::of_plan(rd, plan.id).await?;
            return if now.is_empty() { Err(e) } else { Ok(now) };
        }
    }
    Ok(store::of_plan(rd, plan.id).await?)
}

/// [`ensure`] inside a transaction the caller commits (an import that creates the plan).
pub(crate) async fn ensure_in(app: &App, tx: &liaison_store::Tx, plan: &Plan) -> Result<Vec<ReportingPeriod>> {
    if store::of_plan(&tx.unfiltered(), plan.id).await?.is_empty() {
        write_defaults(app, tx, plan).await?;
    }
    Ok(store::of_plan(&tx.unfiltered(), plan.id).await?)
}

/// The default calendar: a period per quarter of the plan, reports due a grace period after.
async fn write_defaults(app: &App, tx: &liaison_store::Tx, plan: &Plan) -> Result<()> {
    let now = app.now();
    for (key, starts, ends, due) in quarterly(plan.period, DEFAULT_GRACE_DAYS) {
        let p =
            ReportingPeriod { id: PeriodId(app.new_id()), plan: plan.id, key, starts, ends, due, locked: false, version: 1, created_at: now, updated_at: now };
        store::insert(tx, &p).await?;
        tx.record(ChangeDraft::marked("period", p.id.uuid(), Some(plan.id), 1, "create", None, Some((&plan.marking, snapshot(&p)))));
    }
    Ok(())
}

pub async fn add_period(app: &App, ctx: &Ctx, plan_id: PlanId, input: NewPeriod) -> Result<ReportingPeriod> {
    let plan = crate::plans::visible(app, ctx, plan_id).await?;
    ensure(app, &app.read(ctx), &plan).await?;
    let now = app.now();
    let tx = app.begin().await?;
    let rd = tx.read(ctx.actor.filter());
    let plan = crate::plans::for_action(&rd, ctx, plan_id, Action::CalendarWrite).await?;
    crate::plans::require_editable(&plan)?;
    let existing = store::of_plan(&rd, plan.id).await?;
    check_period(&input, plan.period, &existing)?;
    let p = ReportingPeriod {
        id: PeriodId(app.new_id()),
        plan: plan.id,
        key: input.key.clone(),
        starts: input.starts,
        ends: input.ends,
        due: input.due.unwrap_or(input.ends + chrono::TimeDelta::days(DEFAULT_GRACE_DAYS)),
        locked: false,
        version: 1,
        created_at: now,
        updated_at: now,
    };
    store::insert(&tx, &p).await?;
    tx.record(ChangeDraft::marked("period", p.id.uuid(), Some(plan.id), 1, "create", None, Some((&plan.marking, snapshot(&p)))));
    tx.commit(&ctx.provenance(now)).await?;
    Ok(p)
}

/// The plan and its period `key` for a change of the calendar, read inside the write.
async fn for_write(ctx: &Ctx, tx: &Tx, plan_id: PlanId, key: &str) -> Result<(Plan, ReportingPeriod)> {
    let rd = tx.read(ctx.actor.filter());
    let plan = crate::plans::for_action(&rd, ctx, plan_id, Action::CalendarWrite).await?;
    let p = store::of_plan(&rd, plan_id).await?.into_iter().find(|p| p.key == key).ok_or(AppError::NotFound)?;
    Ok((plan, p))
}

/// Change the due date, or lock or unlock the period (unlocking needs a reason, which the
/// audit trail keeps).
pub async fn update_period(app: &App, ctx: &Ctx, plan_id: PlanId, key: &str, expected: i64, patch: PeriodPatch) -> Result<ReportingPeriod> {
    let now = app.now();
    let tx = app.begin().await?;
    let (plan, cur) = for_write(ctx, &tx, plan_id, key).await?;
    check_version(expected, cur.version)?;
    check_patch(&cur, &patch)?;
    let mut next = cur.clone();
    if let Some(d) = patch.due {
        next.due = d;
    }
    if let Some(l) = patch.locked {
        next.locked = l;
    }
    versioned::write_next(&tx, now, &cur, &mut next).await?;
    let action = match (cur.locked, next.locked) {
        (false, true) => "lock",
        (true, false) => "unlock",
        _ => "update",
    };
    let mut after = snapshot(&next);
    if let (Some(r), Some(obj)) = (patch.reason.as_deref().map(str::trim).filter(|r| !r.is_empty()), after.as_object_mut()) {
        obj.insert("reason".into(), serde_json::Value::String(r.to_string()));
    }
    tx.record(ChangeDraft::marked(
        "period",
        next.id.uuid(),
        Some(plan.id),
        next.version,
        action,
        Some((&plan.marking, snapshot(&cur))),
        Some((&plan.marking, after)),
    ));
    tx.commit(&ctx.provenance(now)).await?;
    Ok(next)
}

/// Remove a period that has no reports and no measurements.
pub async fn delete_period(app: &App, ctx: &Ctx, plan_id: PlanId, key: &str, expected: i64) -> Result<()> {
    let now = app.now();
    let tx = app.begin().await?;
    let (plan, cur) = for_write(ctx, &tx, plan_id, key).await?;
    check_version(expected, cur.version)?;
    if crate::reporting::period_in_use(&tx.unfiltered(), plan.id, key).await? {
        return Err(AppError::Conflict(Refusal::new("period-in-use")));
    }
    store::delete(&tx, cur.id).await?;
    tx.record(ChangeDraft::marked("period", cur.id.uuid(), Some(plan.id), cur.version, "delete", Some((&plan.marking, snapshot(&cur))), None));
    tx.commit(&ctx.provenance(now)).await?;
    Ok(())
}

#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Missing {
    /// The lead organisation (`null` for items without one).
    pub organisation: Option<OrganisationId>,
    pub organisation_name: Option<String>,
    pub items: Vec<crate::items::ItemRef>,
}

/// Where a period stands and who has not reported, as the reader may see it.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PeriodStatus {
    pub period: ReportingPeriod,
    pub phase: Phase,
    /// Items owing a report.
    pub owed: u64,
    /// Of those, with a submitted or approved report.
    pub reported: u64,
    pub missing: Vec<Missing>,
}

/// The "who has not reported" view of one period, computed over what the reader may see.
pub async fn status(app: &App, ctx: &Ctx, plan_id: PlanId, key: &str) -> Result<PeriodStatus> {
    let plan = crate::plans::visible(app, ctx, plan_id).await?;
    let rd = app.read(ctx);
    let periods = ensure(app, &rd, &plan).await?;
    let period = periods.into_iter().find(|p| p.key == key).ok_or(AppError::NotFound)?;
    let visible = crate::items::visible_cached(app, ctx, plan.id).await?;
    let reportable: Vec<Reportable> = liaison_domain::calendar::reportables(&visible);
    let updates = progress::of_plan(&rd, plan.id, Some(key)).await?;
    let reported: HashSet<ItemId> = updates.iter().filter(|u| u.state.reported()).map(|u| u.item).collect();
    let owed: Vec<&Reportable> = reportable.iter().filter(|r| r.owes(&period)).collect();
    let done = owed.iter().filter(|r| reported.contains(&r.item)).count() as u64;
    let missing = missing_reports(&reportable, &reported, &period);
    let org_ids: Vec<OrganisationId> = missing.keys().flatten().copied().collect();
    let orgs = liaison_store::organisations::get_many(&rd, &org_ids).await?;
    let by_id: std::collections::HashMap<ItemId, &liaison_domain::item::Item> = visible.iter().map(|i| (i.id, i)).collect();
    let mut out = Vec::new();
    for (org, ids) in missing {
        let name = org.and_then(|o| orgs.iter().find(|x| x.id == o)).map(|o| o.short_name.clone());
        let items = ids.iter().filter_map(|i| by_id.get(i)).map(|i| crate::items::ItemRef::of(&plan, i)).collect();
        out.push(Missing { organisation: org, organisation_name: name, items });
    }
    out.sort_by(|a, b| a.organisation_name.cmp(&b.organisation_name));
    Ok(PeriodStatus { phase: period.phase(app.now().date_naive()), period, owed: owed.len() as u64, reported: done, missing: out })
}
