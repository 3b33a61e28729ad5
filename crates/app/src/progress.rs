//! Progress updates on items and their review. Approving an update locks it and applies the
//! reported status to the item; submitting tells the plan's coordinators, and a review tells
//! the reporter (see [`crate::notifications`]).

use crate::versioned;
use crate::{App, AppError, Ctx, Result, check_version, snapshot};
use liaison_domain::Refusal;
use liaison_domain::access::{Action, Target, Verdict};
use liaison_domain::change::ChangeDraft;
use liaison_domain::item::Item;
use liaison_domain::plan::Plan;
use liaison_domain::progress::{NewUpdate, ProgressUpdate, Step, StepInput, UpdatePatch, UpdateState, WorkflowError, check_edit, step as next_state};
use liaison_domain::{ItemId, PlanId, Problems, UpdateId, UserId};
use liaison_store::{Reader, items, progress as store};

impl From<WorkflowError> for AppError {
    fn from(e: WorkflowError) -> Self {
        match e {
            WorkflowError::NotAllowed(m) => AppError::Forbidden(m),
            WorkflowError::WrongState(m) => AppError::Conflict(m),
            WorkflowError::Locked(m) => AppError::Conflict(m),
            WorkflowError::Invalid(v) => AppError::Invalid(v),
        }
    }
}

use crate::items::for_item_action as item_for;
use crate::reporting::{check_evidence, lead_chain, locked, period_in, reporter, require_reporting};

/// An update with its item and plan, as `c` reads them.
async fn visible(c: &Reader<'_>, id: UpdateId) -> Result<(ProgressUpdate, Item, Plan)> {
    let u = store::get(c, id).await?.ok_or(AppError::NotFound)?;
    let (item, plan) = items::get_with_plan(c, u.item).await?.ok_or(AppError::NotFound)?;
    Ok((u, item, plan))
}

pub async fn get(app: &App, ctx: &Ctx, id: UpdateId) -> Result<ProgressUpdate> {
    Ok(visible(&app.read(ctx), id).await?.0)
}

/// An item's updates the actor may see, newest period first.
pub async fn of_item(app: &App, ctx: &Ctx, item: ItemId) -> Result<Vec<ProgressUpdate>> {
    item_for(&app.read(ctx), ctx, item, Action::PlanRead).await?;
    Ok(store::of_item(&app.read(ctx), item).await?)
}

/// A plan's updates (optionally of one period) on items the actor may see.
pub async fn of_plan(app: &App, ctx: &Ctx, plan: PlanId, period: Option<&str>) -> Result<Vec<ProgressUpdate>> {
    crate::plans::visible(app, ctx, plan).await?;
    Ok(store::of_plan(&app.read(ctx), plan, period).await?)
}

fn check_fields(app: &App, ctx: &Ctx, u: &ProgressUpdate, item: &Item, mut p: Problems) -> Result<()> {
    if let Err(e) = u.validate(app.config.scheme, &item.marking, ctx.actor.clears(&u.marking)) {
        for f in e.0 {
            p.push(f);
        }
    }
    Ok(p.finish()?)
}

/// Write a draft update on an item for a period.
pub async fn create(app: &App, ctx: &Ctx, item_id: ItemId, input: NewUpdate) -> Result<ProgressUpdate> {
    let (_, plan0) = item_for(&app.read(ctx), ctx, item_id, Action::ProgressWrite).await?;
    crate::calendar::ensure(app, &app.read(ctx), &plan0).await?;
    let now = app.now();
    let tx = app.begin().await?;
    let rd = tx.read(ctx.actor.filter());
    let (item, plan) = item_for(&rd, ctx, item_id, Action::ProgressWrite).await?;
    require_reporting(&plan)?;
    let chain = lead_chain(&rd, item.lead_organisation).await?;
    let who = reporter(ctx, plan.id, false);
    if !liaison_domain::progress::may_report(who, &chain) {
        return Err(AppError::Forbidden(Refusal::new("report-write-not-yours")));
    }
    let (author, author_name) = match ctx.actor.user() {
        Some(u) => (u.id, u.display_name.clone()),
        None => (UserId(uuid::Uuid::nil()), "Liaison".to_string()),
    };
    let u = ProgressUpdate {
        id: UpdateId(app.new_id()),
        plan: plan.id,
        item: item.id,
        period: input.period.clone(),
        status: input.status,
        percent: input.percent,
        narrative: input.narrative.trim().to_string(),
        evidence: input.evidence,
        state: UpdateState::Draft,
        reason: None,
        reporter: author,
        reporter_name: author_name,
        reviewer: None,
        marking: input.marking.unwrap_or_else(|| item.marking.clone()),
        version: 1,
        created_at: now,
        updated_at: now,
    };
    let mut p = Problems::new();
    let period = period_in(&rd, plan.id, &u.period).await;
    if period.is_err() {
        p.coded("period", "unknown", &[]);
    } else if store::exists_for(&tx.unfiltered(), item.id, &u.period).await? {
        p.coded("period", "taken", &[]);
    }
    check_evidence(&rd, &plan, &u.evidence, &mut p).await?;
    check_fields(app, ctx, &u, &item, p)?;
    if period.is_ok_and(|p| p.locked) {
        return Err(AppError::Conflict(Refusal::new("report-period-locked").arg("period", &u.period)));
    }
    store::insert(&tx, &u).await?;
    tx.record(ChangeDraft::marked("progress_update", u.id.uuid(), Some(plan.id), 1, "create", None, Some((&u.marking, snapshot(&u)))));
    tx.commit(&ctx.provenance(now)).await?;
    Ok(u)
}

/// Revise a draft or returned update.
pub async fn update(app: &App, ctx: &Ctx, id: UpdateId, expected: i64, patch: UpdatePatch) -> Result<ProgressUpdate> {
    let now = app.now();
    let tx = app.begin().await?;
    let (cur, item, plan) = visible(&tx.read(ctx.actor.filter()), id).await?;
    ctx.actor.require(Action::ProgressWrite, Target::Record { plan: plan.id, plan_marking: &plan.marking, marking: &cur.marking })?;
    check_version(expected, cur.version)?;
    require_reporting(&plan)?;
    let chain = lead_chain(&tx.unfiltered(), item.lead_organisation).await?;
    let locked = locked(&tx.unfiltered(), plan.id, &cur.period).await?;
    check_edit(&cur, reporter(ctx, plan.id, false), &chain, locked)?;
    let mut next = cur.patched(patch);
    next.narrative = next.narrative.trim().to_string();
    let mut p = Problems::new();
    check_evidence(&tx.read(ctx.actor.filter()), &plan, &next.evidence, &mut p).await?;
    check_fields(app, ctx, &next, &item, p)?;
    versioned::save(&tx, now, &cur, &mut next).await?;
    tx.commit(&ctx.provenance(now)).await?;
    Ok(next)
}

/// Move an update through the workflow: submit, return (with a reason), approve, reopen.
pub async fn step(app: &App, ctx: &Ctx, id: UpdateId, expected: i64, input: StepInput) -> Result<ProgressUpdate> {
    let now = app.now();
    let tx = app.begin().await?;
    let (cur, item, plan) = visible(&tx.read(ctx.actor.filter()), id).await?;
    let review = input.step != Step::Submit;
    let target = Target::Record { plan: plan.id, plan_marking: &plan.marking, marking: &cur.marking };
    // Reporters and reviewers both reach the workflow; which step each may take comes next.
    if ctx.actor.decide(Action::ProgressWrite, target) != Verdict::Allow {
        ctx.actor.require(Action::ProgressReview, target)?;
    }
    check_version(expected, cur.version)?;
    ctx.actor.require(if review { Action::ProgressReview } else { Action::ProgressWrite }, target)?;
    require_reporting(&plan)?;
    let chain = lead_chain(&tx.unfiltered(), item.lead_organisation).await?;
    let locked = locked(&tx.unfiltered(), plan.id, &cur.period).await?;
    let state = next_state(&cur, &input, reporter(ctx, plan.id, review), &chain, locked)?;
    let mut next = cur.clone();
    next.state = state;
    next.reason = match input.step {
        Step::Return | Step::Reopen => input.reason.as_deref().map(|r| r.trim().to_string()),
        Step::Submit | Step::Approve => None,
    };
    if review {
        next.reviewer = ctx.actor.user_id();
    }
    let action_name = match input.step {
        Step::Submit => "submit",
        Step::Return => "return",
        Step::Approve => "approve",
        Step::Reopen => "reopen",
    };
    versioned::save_as(&tx, now, action_name, &cur, &mut next).await?;
    // Approving applies the reported status to the item.
    if input.step == Step::Approve && item.status != next.status {
        let mut changed = item.clone();
        changed.status = next.status;
        versioned::save(&tx, now, &item, &mut changed).await?;
    }
    crate::notifications::on_step(app, &tx, &plan, &item, &next, input.step).await?;
    tx.commit(&ctx.provenance(now)).await?;
    Ok(next)
}

/// A report written on the item page, in one call: the report, then its evidence file (so a
/// refused report leaves no stray file), then, if asked, its submission for review.
pub async fn report_with_evidence(
    app: &App,
    ctx: &Ctx,
    item: ItemId,
    input: NewUpdate,
    file: Option<(String, Vec<u8>)>,
    submit: bool,
) -> Result<ProgressUpdate> {
    let mut u = create(app, ctx, item, input).await?;
    if let Some((name, bytes)) = file {
        let a = crate::attachments::upload(app, ctx, u.plan, &name, None, &bytes).await?;
        u = update(app, ctx, u.id, u.version, UpdatePatch { evidence: Some(vec![a.id]), ..Default::default() }).await?;
    }
    if submit {
        u = step(app, ctx, u.id, u.version, StepInput { step: Step::Submit, reason: None }).await?;
    }
    Ok(u)
}

/// A report revised on the item page, in one call: the change, an added evidence file, and,
/// if asked, its submission.
pub async fn revise_with_evidence(
    app: &App,
    ctx: &Ctx,
    id: UpdateId,
    expected: i64,
    patch: UpdatePatch,
    file: Option<(String, Vec<u8>)>,
    submit: bool,
) -> Result<ProgressUpdate> {
    let mut u = update(app, ctx, id, expected, patch).await?;
    if let Some((name, bytes)) = file {
        let a = crate::attachments::upload(app, ctx, u.plan, &name, None, &bytes).await?;
        let mut evidence = u.evidence.clone();
        evidence.push(a.id);
        u = update(app, ctx, u.id, u.version, UpdatePatch { evidence: Some(evidence), ..Default::default() }).await?;
    }
    if submit {
        u = step(app, ctx, u.id, u.version, StepInput { step: Step::Submit, reason: None }).await?;
    }
    Ok(u)
}
