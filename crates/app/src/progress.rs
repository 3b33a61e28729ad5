//! Progress updates on items and their review. Approving an update locks it and applies the
//! reported status to the item; submitting tells the plan's coordinators, and a review tells
//! the reporter (see [`crate::notifications`]).

use crate::{App, AppError, Ctx, Result, check_version, snapshot};
use liaison_domain::access::{Action, Role, Target, Verdict};
use liaison_domain::change::ChangeDraft;
use liaison_domain::item::Item;
use liaison_domain::plan::Plan;
use liaison_domain::progress::{NewUpdate, ProgressUpdate, Reporter, Step, StepInput, UpdatePatch, UpdateState, WorkflowError, check_edit, step as next_state};
use liaison_domain::{ItemId, OrganisationId, PlanId, Problems, UpdateId, UserId};
use liaison_store::{Conn, items, organisations, progress as store};
use std::collections::HashSet;

/// The lead organisation and every organisation above it.
pub(crate) async fn lead_chain(c: &impl Conn, lead: Option<OrganisationId>) -> Result<Vec<OrganisationId>> {
    let mut chain = Vec::new();
    let mut cur = lead;
    while let Some(id) = cur {
        if chain.contains(&id) || chain.len() > 64 {
            break;
        }
        chain.push(id);
        cur = organisations::get(c, id).await?.and_then(|o| o.parent);
    }
    Ok(chain)
}

impl From<WorkflowError> for AppError {
    fn from(e: WorkflowError) -> Self {
        match e {
            WorkflowError::NotAllowed(m) => AppError::Forbidden(m.to_string()),
            WorkflowError::WrongState(m) => AppError::Conflict(m),
            WorkflowError::Locked(m) => AppError::Conflict(m.to_string()),
            WorkflowError::Invalid(v) => AppError::Invalid(v),
        }
    }
}

/// The actor as the workflow sees them. The program itself acts in whichever role a step needs.
fn reporter(ctx: &Ctx, plan: PlanId, review: bool) -> Reporter {
    match ctx.actor.subject() {
        Some(s) => Reporter { role: s.role_on(plan), organisation: s.organisation },
        None => Reporter { role: Some(if review { Role::Coordinator } else { Role::PartnerEditor }), organisation: OrganisationId(uuid::Uuid::nil()) },
    }
}

fn sees(ctx: &Ctx, plan: &Plan, marking: &liaison_domain::marking::Marking) -> bool {
    ctx.actor.decide(Action::PlanRead, Target::Record { plan: plan.id, plan_marking: &plan.marking, marking }) == Verdict::Allow
}

async fn item_for(c: &impl Conn, ctx: &Ctx, id: ItemId, action: Action) -> Result<(Item, Plan)> {
    let (item, plan) = items::get_with_plan(c, id).await?.ok_or(AppError::NotFound)?;
    ctx.actor.require(action, Target::Record { plan: plan.id, plan_marking: &plan.marking, marking: &item.marking })?;
    Ok((item, plan))
}

/// An update with its item and plan, if the actor may see all three.
async fn visible(c: &impl Conn, ctx: &Ctx, id: UpdateId) -> Result<(ProgressUpdate, Item, Plan)> {
    let u = store::get(c, id).await?.ok_or(AppError::NotFound)?;
    let (item, plan) = items::get_with_plan(c, u.item).await?.ok_or(AppError::NotFound)?;
    if !(sees(ctx, &plan, &item.marking) && sees(ctx, &plan, &u.marking)) {
        return Err(AppError::NotFound);
    }
    Ok((u, item, plan))
}

pub async fn get(app: &App, ctx: &Ctx, id: UpdateId) -> Result<ProgressUpdate> {
    Ok(visible(app.db.reader(), ctx, id).await?.0)
}

/// An item's updates the actor may see, newest period first.
pub async fn of_item(app: &App, ctx: &Ctx, item: ItemId) -> Result<Vec<ProgressUpdate>> {
    item_for(app.db.reader(), ctx, item, Action::PlanRead).await?;
    Ok(store::of_item(app.db.reader(), item, &ctx.actor.filter()).await?)
}

/// A plan's updates (optionally of one period) on items the actor may see.
pub async fn of_plan(app: &App, ctx: &Ctx, plan: PlanId, period: Option<&str>) -> Result<Vec<ProgressUpdate>> {
    crate::plans::visible(app, ctx, plan).await?;
    let filter = ctx.actor.filter();
    let visible: HashSet<ItemId> = items::visible_of_plan(app.db.reader(), plan, &filter).await?.into_iter().map(|i| i.id).collect();
    Ok(store::of_plan(app.db.reader(), plan, period, &filter).await?.into_iter().filter(|u| visible.contains(&u.item)).collect())
}

fn check_fields(app: &App, ctx: &Ctx, u: &ProgressUpdate, item: &Item, mut p: Problems) -> Result<()> {
    if let Err(e) = u.validate(app.config.scheme, &item.marking, ctx.actor.clears(&u.marking)) {
        for f in e.0 {
            p.add(f.field, &f.code, f.message);
        }
    }
    Ok(p.finish()?)
}

/// Write a draft update on an item for a period.
pub async fn create(app: &App, ctx: &Ctx, item_id: ItemId, input: NewUpdate) -> Result<ProgressUpdate> {
    let (_, plan0) = item_for(app.db.reader(), ctx, item_id, Action::ProgressWrite).await?;
    crate::calendar::ensure(app, &plan0).await?;
    let now = app.now();
    let mut tx = app.begin().await?;
    let (item, plan) = item_for(tx.conn(), ctx, item_id, Action::ProgressWrite).await?;
    crate::indicators::require_reporting(&plan)?;
    let chain = lead_chain(tx.conn(), item.lead_organisation).await?;
    let who = reporter(ctx, plan.id, false);
    if !liaison_domain::progress::may_report(who, &chain) {
        return Err(AppError::Forbidden("reporters write reports only on items their organisation leads".into()));
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
    let period = crate::calendar::period_in(tx.conn(), plan.id, &u.period).await;
    if period.is_err() {
        p.add("period", "unknown", "not a reporting period of the plan");
    } else if store::exists_for(tx.conn(), item.id, &u.period).await? {
        p.add("period", "taken", "the item already has an update for this period; change that one");
    }
    crate::indicators::check_evidence(tx.conn(), ctx, &plan, &u.evidence, &mut p).await?;
    check_fields(app, ctx, &u, &item, p)?;
    if period.is_ok_and(|p| p.locked) {
        return Err(AppError::Conflict(format!("the reporting period {} is locked; a coordinator must unlock it first", u.period)));
    }
    store::insert(tx.conn(), &u).await?;
    tx.record(ChangeDraft::marked("progress_update", u.id.uuid(), Some(plan.id), 1, "create", None, Some((&u.marking, snapshot(&u)))));
    tx.commit(&ctx.provenance(now)).await?;
    Ok(u)
}

/// Revise a draft or returned update.
pub async fn update(app: &App, ctx: &Ctx, id: UpdateId, expected: i64, patch: UpdatePatch) -> Result<ProgressUpdate> {
    let now = app.now();
    let mut tx = app.begin().await?;
    let (cur, item, plan) = visible(tx.conn(), ctx, id).await?;
    ctx.actor.require(Action::ProgressWrite, Target::Record { plan: plan.id, plan_marking: &plan.marking, marking: &cur.marking })?;
    check_version(expected, cur.version)?;
    crate::indicators::require_reporting(&plan)?;
    let chain = lead_chain(tx.conn(), item.lead_organisation).await?;
    let locked = crate::calendar::locked(tx.conn(), plan.id, &cur.period).await?;
    check_edit(&cur, reporter(ctx, plan.id, false), &chain, locked)?;
    let mut next = cur.patched(patch);
    next.narrative = next.narrative.trim().to_string();
    let mut p = Problems::new();
    crate::indicators::check_evidence(tx.conn(), ctx, &plan, &next.evidence, &mut p).await?;
    check_fields(app, ctx, &next, &item, p)?;
    next.version += 1;
    next.updated_at = now;
    store::update(tx.conn(), &next, cur.version).await?;
    tx.record(ChangeDraft::marked(
        "progress_update",
        id.uuid(),
        Some(plan.id),
        next.version,
        "update",
        Some((&cur.marking, snapshot(&cur))),
        Some((&next.marking, snapshot(&next))),
    ));
    tx.commit(&ctx.provenance(now)).await?;
    Ok(next)
}

/// Move an update through the workflow: submit, return (with a reason), approve, reopen.
pub async fn step(app: &App, ctx: &Ctx, id: UpdateId, expected: i64, input: StepInput) -> Result<ProgressUpdate> {
    let now = app.now();
    let mut tx = app.begin().await?;
    let (cur, item, plan) = visible(tx.conn(), ctx, id).await?;
    let review = input.step != Step::Submit;
    let target = Target::Record { plan: plan.id, plan_marking: &plan.marking, marking: &cur.marking };
    // Reporters and reviewers both reach the workflow; which step each may take comes next.
    if ctx.actor.decide(Action::ProgressWrite, target) != Verdict::Allow {
        ctx.actor.require(Action::ProgressReview, target)?;
    }
    check_version(expected, cur.version)?;
    ctx.actor.require(if review { Action::ProgressReview } else { Action::ProgressWrite }, target)?;
    crate::indicators::require_reporting(&plan)?;
    let chain = lead_chain(tx.conn(), item.lead_organisation).await?;
    let locked = crate::calendar::locked(tx.conn(), plan.id, &cur.period).await?;
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
    next.version += 1;
    next.updated_at = now;
    store::update(tx.conn(), &next, cur.version).await?;
    let action_name = match input.step {
        Step::Submit => "submit",
        Step::Return => "return",
        Step::Approve => "approve",
        Step::Reopen => "reopen",
    };
    tx.record(ChangeDraft::marked(
        "progress_update",
        id.uuid(),
        Some(plan.id),
        next.version,
        action_name,
        Some((&cur.marking, snapshot(&cur))),
        Some((&next.marking, snapshot(&next))),
    ));
    // Approving applies the reported status to the item.
    if input.step == Step::Approve && item.status != next.status {
        let mut changed = item.clone();
        changed.status = next.status;
        changed.version += 1;
        changed.updated_at = now;
        items::update(tx.conn(), &changed, item.version).await?;
        tx.record(ChangeDraft::marked(
            "item",
            item.id.uuid(),
            Some(plan.id),
            changed.version,
            "update",
            Some((&item.marking, snapshot(&item))),
            Some((&changed.marking, snapshot(&changed))),
        ));
    }
    crate::notifications::on_step(app, &mut tx, &plan, &item, &next, input.step).await?;
    tx.commit(&ctx.provenance(now)).await?;
    Ok(next)
}

/// Percent of the latest approved update of each item, among those the reader may see.
pub(crate) fn latest_approved(updates: &[ProgressUpdate], periods: &[String], upto: Option<&str>) -> std::collections::HashMap<ItemId, (usize, u8)> {
    let limit = upto.and_then(|p| periods.iter().position(|x| x == p));
    let mut out: std::collections::HashMap<ItemId, (usize, u8)> = std::collections::HashMap::new();
    for u in updates.iter().filter(|u| u.state == UpdateState::Approved) {
        let Some(pos) = periods.iter().position(|p| *p == u.period) else { continue };
        if limit.is_some_and(|l| pos > l) {
            continue;
        }
        let e = out.entry(u.item).or_insert((pos, u.percent));
        if pos >= e.0 {
            *e = (pos, u.percent);
        }
    }
    out
}
