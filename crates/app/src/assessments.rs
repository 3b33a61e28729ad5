//! Assessments of a plan per period, from three perspectives side by side. Each perspective is
//! written by its own role (the partner's editors, the coordinators, independent assessors);
//! ratings are shown only on items the reader may see.

use crate::{App, AppError, Ctx, Result, check_version, snapshot};
use liaison_domain::access::{Action, Target};
use liaison_domain::assessment::{Assessment, AssessmentPatch, AssessmentState, NewAssessment, SideBySide, check_ratings, side_by_side};
use liaison_domain::change::ChangeDraft;
use liaison_domain::plan::{Plan, PlanState};
use liaison_domain::{AssessmentId, ItemId, PlanId, UserId, ValidationErrors};
use liaison_store::assessments as store;
use serde::Serialize;
use std::collections::HashSet;

fn may_assess(plan: &Plan) -> Result<()> {
    match plan.state {
        PlanState::Implementation | PlanState::Assessment => Ok(()),
        s => Err(AppError::Conflict(format!("a plan is assessed during implementation and assessment, not while it is {s}"))),
    }
}

/// The perspective must be the actor's: the role that writes it.
fn check_perspective(ctx: &Ctx, plan: &Plan, a: liaison_domain::assessment::Perspective) -> Result<()> {
    match ctx.actor.subject() {
        None => Ok(()),
        Some(s) if s.role_on(plan.id) == Some(a.author_role()) => Ok(()),
        Some(_) => Err(AppError::Forbidden(format!("the {} perspective is written by a {} of the plan", a.code(), a.author_role().code().replace('_', " ")))),
    }
}

/// Drop ratings on items the reader may not see.
fn trim(mut a: Assessment, visible: &HashSet<ItemId>) -> Assessment {
    a.ratings.retain(|r| visible.contains(&r.item));
    a
}

/// A plan's assessments the actor may see (optionally of one period).
pub async fn of_plan(app: &App, ctx: &Ctx, plan: PlanId, period: Option<&str>) -> Result<Vec<Assessment>> {
    crate::plans::visible(app, ctx, plan).await?;
    let visible: HashSet<ItemId> = crate::items::readable_ids(app, ctx, plan).await?;
    Ok(store::of_plan(app.db.reader(), plan, period, &ctx.actor.filter()).await?.into_iter().map(|a| trim(a, &visible)).collect())
}

async fn visible(app: &App, ctx: &Ctx, id: AssessmentId) -> Result<(Assessment, Plan)> {
    let a = store::get(app.db.reader(), id).await?.ok_or(AppError::NotFound)?;
    let plan = crate::plans::visible_record(app, ctx, a.plan, &a.marking).await?;
    Ok((a, plan))
}

pub async fn get(app: &App, ctx: &Ctx, id: AssessmentId) -> Result<Assessment> {
    let (a, plan) = visible(app, ctx, id).await?;
    let items: HashSet<ItemId> = crate::items::readable_ids(app, ctx, plan.id).await?;
    Ok(trim(a, &items))
}

pub async fn create(app: &App, ctx: &Ctx, plan_id: PlanId, input: NewAssessment) -> Result<Assessment> {
    let plan = crate::plans::visible(app, ctx, plan_id).await?;
    ctx.actor.require(Action::AssessmentWrite, Target::Plan { id: plan.id, marking: &plan.marking })?;
    may_assess(&plan)?;
    let periods = crate::calendar::ensure(app, &plan).await?;
    if !periods.iter().any(|p| p.key == input.period) {
        return Err(ValidationErrors::one("period", "unknown", "not a reporting period of the plan").into());
    }
    check_perspective(ctx, &plan, input.perspective)?;
    let now = app.now();
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
    let mut tx = app.begin().await?;
    store::insert(tx.conn(), &a).await.map_err(|e| match e {
        liaison_store::StoreError::Conflict(what) => AppError::Invalid(ValidationErrors::one("perspective", "taken", what)),
        other => other.into(),
    })?;
    tx.record(ChangeDraft::marked("assessment", a.id.uuid(), Some(plan.id), 1, "create", None, Some((&a.marking, snapshot(&a)))));
    tx.commit(&ctx.provenance(now)).await?;
    Ok(a)
}

/// Change a draft: its narrative, ratings (set or, with an empty rating, cleared), or make it
/// final. A final assessment no longer changes.
pub async fn update(app: &App, ctx: &Ctx, id: AssessmentId, expected: i64, patch: AssessmentPatch) -> Result<Assessment> {
    let (cur, plan) = visible(app, ctx, id).await?;
    ctx.actor.require(Action::AssessmentWrite, Target::Record { plan: plan.id, plan_marking: &plan.marking, marking: &cur.marking })?;
    check_version(expected, cur.version)?;
    check_perspective(ctx, &plan, cur.perspective)?;
    may_assess(&plan)?;
    if cur.state == AssessmentState::Final {
        return Err(AppError::Conflict("the assessment is final and no longer changes".into()));
    }
    let items_seen: HashSet<ItemId> = crate::items::readable_ids(app, ctx, plan.id).await?;
    let problems = check_ratings(cur.scale, &patch.ratings, &|i| items_seen.contains(&i));
    let now = app.now();
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
            p.add(f.field, &f.code, f.message);
        }
    }
    p.finish()?;
    for r in &patch.ratings {
        next.ratings.retain(|x| x.item != r.item);
        if !r.rating.is_empty() {
            next.ratings.push(liaison_domain::assessment::Rating { item: r.item, rating: r.rating.clone(), narrative: r.narrative.trim().to_string() });
        }
    }
    next.version += 1;
    next.updated_at = now;
    let mut tx = app.begin().await?;
    store::update(tx.conn(), &next, cur.version).await?;
    for r in &patch.ratings {
        store::set_rating(tx.conn(), id, r).await?;
    }
    let action = if patch.finalise { "finalise" } else { "update" };
    let before = trim(cur.clone(), &items_seen);
    let after = trim(next.clone(), &items_seen);
    tx.record(ChangeDraft::marked(
        "assessment",
        id.uuid(),
        Some(plan.id),
        next.version,
        action,
        Some((&cur.marking, snapshot(&before))),
        Some((&next.marking, snapshot(&after))),
    ));
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
    let items = crate::items::readable(app, ctx, plan_id).await?;
    let ids: Vec<ItemId> = items.iter().map(|i| i.id).collect();
    let refs: Vec<&Assessment> = assessments.iter().collect();
    let rows = side_by_side(&ids, &refs);
    let disagreements = rows.iter().filter(|r| r.disagreement).count() as u64;
    Ok(Comparison { period: period.to_string(), items: items.iter().map(|i| crate::items::ItemRef::of(&plan, i)).collect(), assessments, rows, disagreements })
}
