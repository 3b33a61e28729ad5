//! Decisions: the key dates of a plan.

use crate::plans::{for_action, require_editable, visible};
use crate::versioned;
use crate::{App, AppError, Ctx, Result, check_version, snapshot};
use liaison_domain::access::{Action, Target};
use liaison_domain::change::ChangeDraft;
use liaison_domain::decision::{Decision, DecisionPatch, NewDecision};
use liaison_domain::plan::Plan;
use liaison_domain::{DecisionId, PlanId};
use liaison_store::{Reader, decisions as store, plans};

pub async fn list(app: &App, ctx: &Ctx, plan: PlanId) -> Result<Vec<Decision>> {
    visible(app, ctx, plan).await?;
    Ok(store::of_plan(&app.read(ctx), plan).await?)
}

async fn for_decision(c: &Reader<'_>, ctx: &Ctx, id: DecisionId, action: Action) -> Result<(Decision, Plan)> {
    let d = store::get(c, id).await?.ok_or(AppError::NotFound)?;
    let plan = plans::get(c, d.plan).await?.ok_or(AppError::NotFound)?;
    ctx.actor.require(action, Target::Record { plan: plan.id, plan_marking: &plan.marking, marking: &d.marking })?;
    Ok((d, plan))
}

pub async fn get(app: &App, ctx: &Ctx, id: DecisionId) -> Result<Decision> {
    Ok(for_decision(&app.read(ctx), ctx, id, Action::PlanRead).await?.0)
}

/// A decision reveals its plan: it may not be marked lower than the plan, and its author must
/// still see it.
fn check_marking(ctx: &Ctx, d: &Decision, plan: &Plan) -> Result<()> {
    let mut p = liaison_domain::Problems::new();
    if !d.marking.dominates(&plan.marking) {
        p.coded("marking", "below_parent", &[("parent", &plan.marking.banner())]);
    }
    if !ctx.actor.clears(&d.marking) {
        p.coded("marking", "hides_from_you", &[]);
    }
    Ok(p.finish()?)
}

fn validate(app: &App, ctx: &Ctx, d: &Decision, plan: &Plan) -> Result<()> {
    let base = d.validate(app.config.scheme);
    let marking = if base.as_ref().is_err_and(|e| e.has("marking.level")) { Ok(()) } else { check_marking(ctx, d, plan) };
    match (base, marking) {
        (Ok(()), Ok(())) => Ok(()),
        (Err(mut a), Err(AppError::Invalid(b))) => {
            a.0.extend(b.0);
            Err(a.into())
        }
        (Err(a), _) => Err(a.into()),
        (Ok(()), Err(b)) => Err(b),
    }
}

pub async fn create(app: &App, ctx: &Ctx, plan_id: PlanId, input: NewDecision) -> Result<Decision> {
    let now = app.now();
    let tx = app.begin().await?;
    let plan = for_action(&tx.read(ctx.actor.filter()), ctx, plan_id, Action::DecisionWrite).await?;
    require_editable(&plan)?;
    let d = input.into_decision(DecisionId(app.new_id()), plan_id, &plan.marking, now);
    validate(app, ctx, &d, &plan)?;
    store::insert(&tx, &d).await?;
    tx.record(ChangeDraft::marked("decision", d.id.uuid(), Some(plan_id), 1, "create", None, Some((&d.marking, snapshot(&d)))));
    tx.commit(&ctx.provenance(now)).await?;
    Ok(d)
}

pub async fn update(app: &App, ctx: &Ctx, id: DecisionId, expected: i64, patch: DecisionPatch) -> Result<Decision> {
    let now = app.now();
    let tx = app.begin().await?;
    let (cur, plan) = for_decision(&tx.read(ctx.actor.filter()), ctx, id, Action::DecisionWrite).await?;
    check_version(expected, cur.version)?;
    require_editable(&plan)?;
    let mut next = cur.patched(patch);
    if next == cur {
        return Ok(cur);
    }
    validate(app, ctx, &next, &plan)?;
    versioned::save(&tx, now, &cur, &mut next).await?;
    tx.commit(&ctx.provenance(now)).await?;
    Ok(next)
}

pub async fn delete(app: &App, ctx: &Ctx, id: DecisionId, expected: i64) -> Result<()> {
    let now = app.now();
    let tx = app.begin().await?;
    let (cur, plan) = for_decision(&tx.read(ctx.actor.filter()), ctx, id, Action::DecisionWrite).await?;
    check_version(expected, cur.version)?;
    require_editable(&plan)?;
    store::delete(&tx, id).await?;
    tx.record(ChangeDraft::marked("decision", id.uuid(), Some(plan.id), cur.version, "delete", Some((&cur.marking, snapshot(&cur))), None));
    tx.commit(&ctx.provenance(now)).await?;
    Ok(())
}
