//! Plans: creation, changes, the lifecycle with two-sided approval, agreed versions and
//! their comparison, and who holds which role.

use crate::directory::framework;
use crate::versioned;
use crate::{App, AppError, Ctx, Paging, Result, check_version, snapshot};
use liaison_domain::Refusal;
use liaison_domain::access::{Action, Role, Target};
use liaison_domain::change::ChangeDraft;
use liaison_domain::marking::Marking;
use liaison_domain::page::Page;
use liaison_domain::plan::{Approval, NewPlan, Plan, PlanContext, PlanPatch, PlanState, Side, can_be_superseded, check_transition};
use liaison_domain::version::{Comparison, Snapshot, compare};
use liaison_domain::{PlanId, Problems, UserId, ValidationErrors};
use liaison_store::memberships::{self, Membership};
use liaison_store::versions::{self, VersionInfo};
use liaison_store::{Reader, Tx, items, links, organisations, plans as store, users};
use serde::{Deserialize, Serialize};

/// A plan the actor may read, or `NotFound`. Read through the actor's reader and cached for
/// readers with the same filter until the next write.
pub async fn visible(app: &App, ctx: &Ctx, id: PlanId) -> Result<Plan> {
    let generation = app.generation();
    let key = format!("{id}|{}", ctx.actor.filter_key());
    let plan = match app.caches.plans.get(generation, &key) {
        Some(p) => p,
        None => {
            let p = std::sync::Arc::new(store::get(&app.read(ctx), id).await?.ok_or(AppError::NotFound)?);
            app.caches.plans.put(generation, key, p.clone());
            p
        }
    };
    Ok((*plan).clone())
}

/// A plan on which the actor may do `action`, read inside the write transaction.
/// A plan `r` may read on which the actor may do `action` (in a write, `r` reads inside its
/// transaction).
pub(crate) async fn for_action(r: &Reader<'_>, ctx: &Ctx, id: PlanId, action: Action) -> Result<Plan> {
    let plan = store::get(r, id).await?.ok_or(AppError::NotFound)?;
    ctx.actor.require(action, Target::Plan { id, marking: &plan.marking })?;
    Ok(plan)
}

/// Refuse changes to a closed or superseded plan.
pub(crate) fn require_editable(plan: &Plan) -> Result<()> {
    if plan.state.content_editable() { Ok(()) } else { Err(ValidationErrors::coded("", "plan_final", &[("state", plan.state.code())]).into()) }
}

pub async fn get(app: &App, ctx: &Ctx, id: PlanId) -> Result<Plan> {
    visible(app, ctx, id).await
}

/// A plan the actor may see, by its code (case-insensitive).
pub async fn find_by_code(app: &App, ctx: &Ctx, code: &str) -> Result<Option<Plan>> {
    Ok(store::find_by_code(&app.read(ctx), code).await?)
}

pub async fn list(app: &App, ctx: &Ctx, state: Option<PlanState>, paging: &Paging) -> Result<Page<Plan>> {
    Ok(store::list(&app.read(ctx), state, paging.cursor_id()?, paging.limit()?).await?)
}

async fn context(app: &App, tx: &Tx, ctx: &Ctx, plan: &Plan) -> Result<PlanContext> {
    let c = &tx.unfiltered();
    let partner = organisations::get(c, plan.partner).await?;
    let owner = organisations::get(c, plan.owner).await?;
    // The predecessor must be a plan the actor may see.
    let predecessor_exists = match plan.predecessor {
        Some(p) => store::get(&tx.read(ctx.actor.filter()), p).await?.is_some(),
        None => true,
    };
    Ok(PlanContext {
        scheme: app.config.scheme,
        framework_exists: framework(&tx.unfiltered(), &plan.framework).await?.is_some(),
        partner_kind_ok: partner.map(|o| o.kind.partner_side()),
        owner_kind_ok: owner.map(|o| o.kind.alliance_side()),
        predecessor_exists,
        code_taken: store::code_taken(c, &plan.code, Some(plan.id)).await?,
    })
}

fn check_clears(ctx: &Ctx, marking: &Marking) -> Result<()> {
    if ctx.actor.clears(marking) { Ok(()) } else { Err(ValidationErrors::coded("marking", "hides_from_you", &[]).into()) }
}

pub async fn create(app: &App, ctx: &Ctx, input: NewPlan) -> Result<Plan> {
    let tx = app.begin().await?;
    let out = create_in(app, &tx, ctx, input).await?;
    tx.commit(&ctx.provenance(app.now())).await?;
    Ok(out)
}

/// [`create`] inside a transaction that the caller commits (an import applies many in one).
pub(crate) async fn create_in(app: &App, tx: &Tx, ctx: &Ctx, input: NewPlan) -> Result<Plan> {
    let now = app.now();
    ctx.actor.require(Action::PlanCreate, Target::Installation)?;
    let partner = organisations::get(&tx.unfiltered(), input.partner).await?;
    let owner = organisations::get(&tx.unfiltered(), input.owner).await?;
    let default_marking = Marking {
        level: app.config.scheme.default_level(),
        releasable_to: partner.as_ref().and_then(|p| p.country.clone()).into_iter().collect(),
        originator: owner.as_ref().map(|o| o.short_name.clone()).unwrap_or_else(|| "NATO".into()),
    };
    let plan = input.into_plan(PlanId(app.new_id()), now, default_marking);
    let pc = context(app, tx, ctx, &plan).await?;
    plan.validate(&pc)?;
    check_clears(ctx, &plan.marking)?;
    store::insert(tx, &plan).await?;
    tx.record(ChangeDraft::marked("plan", plan.id.uuid(), Some(plan.id), 1, "create", None, Some((&plan.marking, snapshot(&plan)))));
    if let Some(s) = ctx.actor.subject()
        && Role::Coordinator.fits(s.org_kind)
    {
        let m = Membership { id: app.new_id(), plan: plan.id, user: s.user, role: Role::Coordinator, version: 1, created_at: now, updated_at: now };
        memberships::insert(tx, &m).await?;
        tx.record(ChangeDraft::unmarked("membership", m.id, 1, "create", None, Some(snapshot(&m))));
    }
    Ok(plan)
}

pub async fn update(app: &App, ctx: &Ctx, id: PlanId, expected: i64, patch: PlanPatch) -> Result<Plan> {
    let tx = app.begin().await?;
    let out = update_in(app, &tx, ctx, id, expected, patch).await?;
    tx.commit(&ctx.provenance(app.now())).await?;
    Ok(out)
}

/// [`update`] inside a transaction that the caller commits (an import applies many in one).
pub(crate) async fn update_in(app: &App, tx: &Tx, ctx: &Ctx, id: PlanId, expected: i64, patch: PlanPatch) -> Result<Plan> {
    let now = app.now();
    let cur = for_action(&tx.read(ctx.actor.filter()), ctx, id, Action::PlanUpdate).await?;
    check_version(expected, cur.version)?;
    require_editable(&cur)?;
    let mut next = cur.patched(patch);
    if next == cur {
        return Ok(cur);
    }
    let pc = context(app, tx, ctx, &next).await?;
    next.validate(&pc)?;
    check_clears(ctx, &next.marking)?;
    versioned::save(tx, now, &cur, &mut next).await?;
    Ok(next)
}

/// The plan's content now as `r` sees it; unfiltered, as it would be frozen.
pub(crate) async fn current_snapshot(c: &Reader<'_>, plan: &Plan) -> Result<Snapshot> {
    let all = items::of_plan(c, plan.id).await?;
    let ids: Vec<_> = all.iter().map(|i| i.id).collect();
    let ls = links::from_items(c, &ids).await?;
    Ok(Snapshot::of(plan, &all, &ls))
}

/// Where the plan stands on agreement: the round, the content hash now, and who approved it.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApprovalStatus {
    pub state: PlanState,
    pub round: i32,
    /// SHA-256 of the current content; an approval counts only for this content.
    pub content_hash: String,
    pub approvals: Vec<Approval>,
    pub owner_approved: bool,
    pub partner_approved: bool,
}

/// The approval status: the hash is of the whole content (an approval holds for what both sides
/// agreed, hidden parts included), so `c` is an unfiltered reader.
async fn approval_status(c: &Reader<'_>, plan: &Plan) -> Result<ApprovalStatus> {
    let hash = current_snapshot(c, plan).await?.hash();
    let approvals = if plan.state == PlanState::Negotiation { store::approvals(c, plan.id, plan.negotiation_round).await? } else { Vec::new() };
    let valid = |side: Side| approvals.iter().any(|a| a.side == side && a.content_hash == hash);
    Ok(ApprovalStatus {
        state: plan.state,
        round: plan.negotiation_round,
        owner_approved: valid(Side::Owner),
        partner_approved: valid(Side::Partner),
        content_hash: hash,
        approvals,
    })
}

pub async fn approvals(app: &App, ctx: &Ctx, id: PlanId) -> Result<ApprovalStatus> {
    let plan = visible(app, ctx, id).await?;
    approval_status(&app.unfiltered(), &plan).await
}

/// Input to approve the plan's current content.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApproveInput {
    /// Which side approves; defaults to the side of the actor's role.
    #[serde(default)]
    pub side: Option<Side>,
    /// The content hash the approver read; refused if the content has changed since.
    #[serde(default)]
    pub content_hash: Option<String>,
}

pub async fn approve(app: &App, ctx: &Ctx, id: PlanId, input: ApproveInput) -> Result<ApprovalStatus> {
    let now = app.now();
    let tx = app.begin().await?;
    let plan = for_action(&tx.read(ctx.actor.filter()), ctx, id, Action::PlanRead).await?;
    let side = match (input.side, ctx.actor.subject().and_then(|s| s.role_on(id)).and_then(Side::of_role)) {
        (Some(s), _) | (None, Some(s)) => s,
        (None, None) => return Err(AppError::Forbidden(Refusal::new("approve-no-side"))),
    };
    let action = match side {
        Side::Owner => Action::PlanApproveOwner,
        Side::Partner => Action::PlanApprovePartner,
    };
    ctx.actor.require(action, Target::Plan { id, marking: &plan.marking })?;
    if plan.state != PlanState::Negotiation {
        return Err(ValidationErrors::coded("", "not_in_negotiation", &[("state", plan.state.code())]).into());
    }
    let status = approval_status(&tx.unfiltered(), &plan).await?;
    if input.content_hash.as_ref().is_some_and(|h| *h != status.content_hash) {
        return Err(ValidationErrors::coded("content_hash", "changed", &[]).into());
    }
    let approval = Approval {
        side,
        user: ctx.actor.user_id().unwrap_or(UserId(uuid::Uuid::nil())),
        at: now,
        round: plan.negotiation_round,
        content_hash: status.content_hash.clone(),
    };
    let aid = app.new_id();
    store::insert_approval(&tx, aid, id, &approval).await?;
    tx.record(ChangeDraft::marked("plan", id.uuid(), Some(id), plan.version, "approve", None, Some((&plan.marking, snapshot(&approval)))));
    let status = approval_status(&tx.unfiltered(), &plan).await?;
    tx.commit(&ctx.provenance(now)).await?;
    Ok(status)
}

/// Move a plan through its lifecycle.
pub async fn transition(app: &App, ctx: &Ctx, id: PlanId, expected: i64, to: PlanState) -> Result<Plan> {
    let now = app.now();
    let tx = app.begin().await?;
    let cur = for_action(&tx.read(ctx.actor.filter()), ctx, id, Action::PlanTransition).await?;
    check_version(expected, cur.version)?;
    let status = approval_status(&tx.unfiltered(), &cur).await?;
    let fx =
        check_transition(cur.state, to, status.owner_approved, status.partner_approved).map_err(|e| AppError::Invalid(ValidationErrors(vec![e.problem()])))?;
    let mut next = cur.clone();
    next.state = to;
    if fx.new_round {
        next.negotiation_round += 1;
    }
    versioned::write_next(&tx, now, &cur, &mut next).await?;
    tx.record(ChangeDraft::marked(
        "plan",
        id.uuid(),
        Some(id),
        next.version,
        "transition",
        Some((&cur.marking, serde_json::json!({"state": cur.state}))),
        Some((&next.marking, serde_json::json!({"state": next.state, "negotiation_round": next.negotiation_round}))),
    ));
    if fx.freeze_version {
        let snap = current_snapshot(&tx.unfiltered(), &next).await?;
        let number = i32::try_from(versions::list(&tx.unfiltered(), id).await?.len()).unwrap_or(i32::MAX - 1) + 1;
        versions::insert(&tx, app.new_id(), id, number, now, &snap).await?;
        tx.record(ChangeDraft::marked(
            "plan",
            id.uuid(),
            Some(id),
            next.version,
            "agree_version",
            None,
            Some((&next.marking, serde_json::json!({"number": number, "content_hash": snap.hash()}))),
        ));
    }
    if fx.supersede_predecessor
        && let Some(pid) = next.predecessor
        && let Some(prev) = store::get(&tx.unfiltered(), pid).await?
        && can_be_superseded(prev.state)
    {
        let mut p2 = prev.clone();
        p2.state = PlanState::Superseded;
        versioned::write_next(&tx, now, &prev, &mut p2).await?;
        tx.record(ChangeDraft::marked(
            "plan",
            pid.uuid(),
            Some(pid),
            p2.version,
            "transition",
            Some((&prev.marking, serde_json::json!({"state": prev.state}))),
            Some((&p2.marking, serde_json::json!({"state": p2.state, "superseded_by": id}))),
        ));
    }
    tx.commit(&ctx.provenance(now)).await?;
    Ok(next)
}

pub async fn versions(app: &App, ctx: &Ctx, id: PlanId) -> Result<Vec<VersionInfo>> {
    visible(app, ctx, id).await?;
    Ok(versions::list(&app.read(ctx), id).await?)
}

/// Which content to compare: an agreed version, or the plan as it is now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VersionRef {
    Agreed(i32),
    Current,
}

impl VersionRef {
    pub fn parse(s: &str) -> Option<VersionRef> {
        if s == "current" { Some(VersionRef::Current) } else { s.parse().ok().filter(|n| *n >= 1).map(VersionRef::Agreed) }
    }
}

/// A version's content as the actor may see it.
pub async fn version_content(app: &App, ctx: &Ctx, id: PlanId, v: VersionRef) -> Result<Snapshot> {
    let plan = visible(app, ctx, id).await?;
    let snap = match v {
        VersionRef::Current => current_snapshot(&app.read(ctx), &plan).await?,
        VersionRef::Agreed(n) => versions::get(&app.read(ctx), id, n).await?.ok_or(AppError::NotFound)?.1,
    };
    Ok(snap)
}

/// The redline from one version to another, limited to what the actor may see.
pub async fn compare_versions(app: &App, ctx: &Ctx, id: PlanId, from: VersionRef, to: VersionRef) -> Result<Comparison> {
    let a = version_content(app, ctx, id, from).await?;
    let b = version_content(app, ctx, id, to).await?;
    Ok(compare(&a, &b))
}

/// A member of a plan, with the user's name.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Member {
    pub user: UserId,
    pub display_name: String,
    pub organisation: liaison_domain::OrganisationId,
    pub role: Role,
    pub version: i64,
}

pub async fn members(app: &App, ctx: &Ctx, id: PlanId) -> Result<Vec<Member>> {
    visible(app, ctx, id).await?;
    let c = &app.read(ctx);
    let mut out = Vec::new();
    for m in memberships::of_plan(c, id).await? {
        if let Some(u) = users::get(c, m.user).await? {
            out.push(Member { user: u.id, display_name: u.display_name, organisation: u.organisation, role: m.role, version: m.version });
        }
    }
    Ok(out)
}

/// Input to give a user a role on a plan (replacing any role they had).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SetMember {
    pub user: UserId,
    pub role: Role,
}

pub async fn set_member(app: &App, ctx: &Ctx, id: PlanId, input: SetMember) -> Result<Member> {
    let now = app.now();
    let tx = app.begin().await?;
    for_action(&tx.read(ctx.actor.filter()), ctx, id, Action::MembersManage).await?;
    let mut p = Problems::new();
    let user = users::get(&tx.unfiltered(), input.user).await?;
    let Some(user) = user else {
        return Err(ValidationErrors::coded("user", "unknown", &[]).into());
    };
    let org = organisations::get(&tx.unfiltered(), user.organisation).await?.ok_or(AppError::NotFound)?;
    if !input.role.fits(org.kind) {
        p.coded("role", "wrong_side", &[("kind", org.kind.code()), ("role", input.role.code())]);
    }
    p.finish()?;
    let existing = memberships::get(&tx.unfiltered(), id, user.id).await?;
    let m = match existing {
        Some(old) if old.role == input.role => old,
        Some(old) => {
            let m = Membership { role: input.role, version: old.version + 1, updated_at: now, ..old.clone() };
            memberships::update_role(&tx, m.id, m.role, m.version, now).await?;
            tx.record(ChangeDraft::unmarked("membership", m.id, m.version, "permission_change", Some(snapshot(&old)), Some(snapshot(&m))));
            m
        }
        None => {
            let m = Membership { id: app.new_id(), plan: id, user: user.id, role: input.role, version: 1, created_at: now, updated_at: now };
            memberships::insert(&tx, &m).await?;
            tx.record(ChangeDraft::unmarked("membership", m.id, 1, "permission_change", None, Some(snapshot(&m))));
            m
        }
    };
    tx.commit(&ctx.provenance(now)).await?;
    Ok(Member { user: user.id, display_name: user.display_name, organisation: user.organisation, role: m.role, version: m.version })
}

/// The role of `user` on the plan, with its version, if they hold one.
pub async fn member(app: &App, ctx: &Ctx, id: PlanId, user: UserId) -> Result<Option<Member>> {
    visible(app, ctx, id).await?;
    Ok(members(app, ctx, id).await?.into_iter().find(|m| m.user == user))
}

pub async fn remove_member(app: &App, ctx: &Ctx, id: PlanId, user: UserId, expected: i64) -> Result<()> {
    let now = app.now();
    let tx = app.begin().await?;
    for_action(&tx.read(ctx.actor.filter()), ctx, id, Action::MembersManage).await?;
    let m = memberships::get(&tx.unfiltered(), id, user).await?.ok_or(AppError::NotFound)?;
    check_version(expected, m.version)?;
    memberships::delete(&tx, m.id).await?;
    tx.record(ChangeDraft::unmarked("membership", m.id, m.version, "permission_change", Some(snapshot(&m)), None));
    tx.commit(&ctx.provenance(now)).await?;
    Ok(())
}
