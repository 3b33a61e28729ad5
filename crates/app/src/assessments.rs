//! Assessments of a plan per period, from three perspectives side by side. Each perspective is
//! written by its own role (the partner's editors, the coordinators, independent assessors);
//! ratings are shown only on items the reader may see.

use crate::versioned;
use crate::{App, AppError, Ctx, Result, check_version, snapshot};
use liaison_domain::Refusal;
use liaison_domain::access::{Action, Target};
use liaison_domain::assessment::{Assessment, AssessmentPatch, AssessmentState, NewAssessment, SideBySide, check_ratings, side_by_side};
use liaison_domain::change::ChangeDraft;
use liaison_domain::plan::Plan;
use liaison_domain::{AssessmentId, ItemId, PlanId, UserId, ValidationErrors};
use liaison_store::{Reader, assessments as store};
use serde::Serialize;
use std::collections::HashSet;

fn may_assess(plan: &Plan) -> Result<()> {
    if liaison_domain::assessment::window_open(plan.state) {
        Ok(())
    } else {
        Err(AppError::Conflict(Refusal::new("assessment-window").arg("state", plan.state.code())))
    }
}

/// The perspective must be the actor's: the role that writes it.
fn check_perspective(ctx: &Ctx, plan: &Plan, a: liaison_domain::assessment::Perspective) -> Result<()> {
    match ctx.actor.subject() {
        None => Ok(()),
        Some(s) if s.role_on(plan.id) == Some(a.author_role()) => Ok(()),
        Some(_) => Err(AppError::Forbidden(Refusal::new("perspective-not-yours").arg("perspective", a.code()).arg("role", a.author_role().code()))),
    }
}

/// A plan's assessments the actor may see (optionally of one period), each with its ratings of
/// the items the actor may see (the reader drops the others).
pub async fn of_plan(app: &App, ctx: &Ctx, plan: PlanId, period: Option<&str>) -> Result<Vec<Assessment>> {
    crate::plans::visible(app, ctx, plan).await?;
    Ok(store::of_plan(&app.read(ctx), plan, period).await?)
}

/// An assessment `rd` may read, with its plan.
async fn visible(rd: &Reader<'_>, id: AssessmentId) -> Result<(Assessment, Plan)> {
    let a = store::get(rd, id).await?.ok_or(AppError::NotFound)?;
    let plan = liaison_store::plans::get(rd, a.plan).await?.ok_or(AppError::NotFound)?;
    Ok((a, plan))
}

pub async fn get(app: &App, ctx: &Ctx, id: AssessmentId) -> Result<Assessment> {
    Ok(visible(&app.read(ctx), id).await?.0)
}

pub async fn create(app: &App, ctx: &Ctx, plan_id: PlanId, input: NewAssessment) -> Result<Assessment> {
    let plan = crate::plans::visible(app, ctx, plan_id).await?;
    crate::calendar::ensure(app, &app.read(ctx), &plan).await?;
    let now = app.now();
    let tx = app.begin().await?;
    let rd = tx.read(ctx.actor.filter());
    let plan = crate::plans::for_action(&rd, ctx, plan_id, Action::AssessmentWrite).await?;
    may_assess(&plan)?;
    let periods = liaison_store::calendar::of_plan(&rd, plan.id).await?;
    if !periods.iter().any(|p| p.key == input.period) {
        return Err(ValidationErrors::coded("period", "unknown", &[]).into());
    }
    check_perspective(ctx, &plan, input.perspective)?;
    let (author, author_name) = match ctx.actor.user() {
        Some(u) => (u.id, u.display_name.clone()),
        None => (UserId(uuid::Uuid::nil()), "Liaison".to_string()),
    };
    let a = Assessment {
        id: AssessmentId(app.new_id()),
        plan: plan.id,
        period: input.period,
        perspective: input.perspective,
        scale: input.scale,
        narrative: input.narrative.trim().to_string(),
        state: AssessmentState::Draft,
        ratings: Vec::new(),
        author,
        author_name,
        marking: input.marking.unwrap_or_else(|| plan.marking.clone()),
        version: 1,
        created_at: now,
        updated_at: now,
    };
    a.validate(app.config.scheme, &plan.marking, ctx.actor.clears(&a.marking))?;
    store::insert(&tx, &a).await.map_err(|e| match e {
        liaison_store::StoreError::Conflict(_) => AppError::Invalid(ValidationErrors::coded("perspective", "taken", &[])),
        other => other.into(),
    })?;
    tx.record(ChangeDraft::marked("assessment", a.id.uuid(), Some(plan.id), 1, "create", None, Some((&a.marking, snapshot(&a)))));
    tx.commit(&ctx.provenance(now)).await?;
    Ok(a)
}

/// Start the actor's own perspective (the one their role writes) for a period.
pub async fn start_mine(app: &App, ctx: &Ctx, plan: PlanId, period: String, scale: liaison_domain::assessment::Scale) -> Result<Assessment> {
    let perspective = ctx
        .actor
        .subject()
        .and_then(|s| s.role_on(plan))
        .and_then(liaison_domain::assessment::Perspective::of_role)
        .ok_or_else(|| AppError::Forbidden(Refusal::new("perspective-none")))?;
    create(app, ctx, plan, NewAssessment { period, perspective, scale, narrative: String::new(), marking: None }).await
}

/// Change a draft: its narrative, ratings (set or, with an empty rating, cleared), or make it
/// final. A final assessment no longer changes.
pub async fn update(app: &App, ctx: &Ctx, id: AssessmentId, expected: i64, patch: AssessmentPatch) -> Result<Assessment> {
    let now = app.now();
    let tx = app.begin().await?;
    let rd = tx.read(ctx.actor.filter());
    let (cur, plan) = visible(&rd, id).await?;
    ctx.actor.require(Action::AssessmentWrite, Target::Record { plan: plan.id, plan_marking: &plan.marking, marking: &cur.marking })?;
    check_version(expected, cur.version)?;
    check_perspective(ctx, &plan, cur.perspective)?;
    may_assess(&plan)?;
    if cur.state == AssessmentState::Final {
        return Err(AppError::Conflict(Refusal::new("assessment-final")));
    }
    let items_seen: HashSet<ItemId> = crate::items::readable_ids(&rd, plan.id).await?;
    // A rating given as it already stands is no change.
    let mut patch = patch;
    patch.ratings.retain(|r| match cur.ratings.iter().find(|x| x.item == r.item) {
        Some(had) => had.rating != r.rating.trim() || had.narrative != r.narrative.trim(),
        None => !r.rating.trim().is_empty(),
    });
    let problems = check_ratings(cur.scale, &patch.ratings, &|i| items_seen.contains(&i));
    let mut next = cur.clone();
    if let Some(n) = &patch.narrative {
        next.narrative = n.trim().to_string();
    }
    if patch.finalise {
        next.state = AssessmentState::Final;
    }
    let mut p = problems;
    if let Err(e) = next.validate(app.config.scheme, &plan.marking, true) {
        for f in e.0 {
            p.push(f);
        }
    }
    p.finish()?;
    for r in &patch.ratings {
        next.ratings.retain(|x| x.item != r.item);
        if !r.rating.is_empty() {
            next.ratings.push(liaison_domain::assessment::Rating { item: r.item, rating: r.rating.clone(), narrative: r.narrative.trim().to_string() });
        }
    }
    // The Change row holds what the writer saw: the ratings of the items they may see (the
    // reader gave no others).
    let action = if patch.finalise { "finalise" } else { "update" };
    versioned::save_as(&tx, now, action, &cur, &mut next).await?;
    for r in &patch.ratings {
        store::set_rating(&tx, id, r).await?;
    }
    tx.commit(&ctx.provenance(now)).await?;
    get(app, ctx, id).await
}

/// The perspectives of one period side by side, per visible item in tree order.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Comparison {
    pub period: String,
    pub assessments: Vec<Assessment>,
    pub items: Vec<crate::items::ItemRef>,
    pub rows: Vec<SideBySide>,
    /// How many items the perspectives disagree on.
    pub disagreements: u64,
}

pub async fn compare(app: &App, ctx: &Ctx, plan_id: PlanId, period: &str) -> Result<Comparison> {
    let plan = crate::plans::visible(app, ctx, plan_id).await?;
    let assessments = of_plan(app, ctx, plan_id, Some(period)).await?;
    let items = crate::items::readable(&app.read(ctx), plan_id).await?;
    let ids: Vec<ItemId> = items.iter().map(|i| i.id).collect();
    let refs: Vec<&Assessment> = assessments.iter().collect();
    let rows = side_by_side(&ids, &refs);
    let disagreements = rows.iter().filter(|r| r.disagreement).count() as u64;
    Ok(Comparison { period: period.to_string(), items: items.iter().map(|i| crate::items::ItemRef::of(&plan, i)).collect(), assessments, rows, disagreements })
}
