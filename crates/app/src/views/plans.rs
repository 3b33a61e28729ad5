//! The plans pages: home (the plans one may see), a plan's page (tree, filters, decisions,
//! lifecycle and approval), its agreed versions and their comparison, and its members.

use crate::plans::{ApprovalStatus, Member, VersionRef};
use crate::{App, AppError, Ctx, Paging, Result};
use liaison_domain::access::{Action, Target, Verdict};
use liaison_domain::decision::Decision;
use liaison_domain::framework::Framework;
use liaison_domain::item::{Item, ItemQuery};
use liaison_domain::organisation::Organisation;
use liaison_domain::page::Page;
use liaison_domain::plan::{Plan, PlanState, Side};
use liaison_domain::user::User;
use liaison_domain::version::Comparison;
use liaison_domain::{OrganisationId, PlanId};
use liaison_store::versions::VersionInfo;
use std::collections::HashMap;

/// Whether the actor may do `action` on the plan.
pub(crate) fn may(ctx: &Ctx, plan: &Plan, action: Action) -> bool {
    ctx.actor.decide(action, Target::Plan { id: plan.id, marking: &plan.marking }) == Verdict::Allow
}

/// Every organisation, by id (the directory is small; names of leads, partners, owners).
pub(crate) async fn organisations(app: &App, ctx: &Ctx) -> Result<HashMap<OrganisationId, Organisation>> {
    Ok(crate::organisations::all(app, ctx).await?.into_iter().map(|o| (o.id, o)).collect())
}

/// A plan on the home page with how far it has come.
pub struct HomeRow {
    pub plan: Plan,
    pub partner: Option<Organisation>,
    /// Items the reader may see, and of those completed.
    pub total: u64,
    pub done: u64,
}

pub struct HomeView {
    pub rows: Vec<HomeRow>,
    pub may_create: bool,
}

pub async fn home(app: &App, ctx: &Ctx) -> Result<HomeView> {
    let plans = crate::plans::list(app, ctx, None, &Paging { limit: Some(500), cursor: None }).await?;
    let orgs = organisations(app, ctx).await?;
    let mut rows = Vec::new();
    let today = app.now().date_naive();
    for plan in plans.items {
        // The portfolio's figures of the plan, cached until the plan changes.
        let f = crate::portfolio::figures(app, ctx, &plan, today).await?;
        rows.push(HomeRow { partner: orgs.get(&plan.partner).cloned(), plan, total: f.0.items, done: f.0.completed });
    }
    Ok(HomeView { rows, may_create: ctx.actor.decide(Action::PlanCreate, Target::Installation) == Verdict::Allow })
}

/// A plan's page.
pub struct PlanView {
    pub plan: Plan,
    pub framework: Framework,
    pub organisations: HashMap<OrganisationId, Organisation>,
    pub areas: Vec<liaison_store::areas::Area>,
    /// The items shown (one page, filtered), and how many the plan has for the reader.
    pub items: Page<Item>,
    pub total: u64,
    pub decisions: Vec<Decision>,
    /// The lifecycle steps the actor may take now.
    pub moves: Vec<PlanState>,
    /// The side the actor may approve for now, and where approval stands.
    pub approve_side: Option<Side>,
    pub approvals: Option<ApprovalStatus>,
    pub may_edit_items: bool,
    pub may_record_decisions: bool,
}

/// A plan's page with the items that `query` selects (a cursor that is not one of this list
/// starts from the first page).
pub async fn plan(app: &App, ctx: &Ctx, id: PlanId, query: &ItemQuery, cursor: Option<String>) -> Result<PlanView> {
    let plan = crate::plans::get(app, ctx, id).await?;
    let framework = crate::directory::framework_by_code(app, ctx, &plan.framework).await?.ok_or(AppError::NotFound)?;
    let items = match crate::items::list(app, ctx, id, query, &Paging { limit: Some(500), cursor }).await {
        Ok(l) => l,
        Err(AppError::Invalid(_)) => crate::items::list(app, ctx, id, query, &Paging { limit: Some(500), cursor: None }).await?,
        Err(e) => return Err(e),
    };
    let total = crate::items::count(app, ctx, id, &ItemQuery::default()).await?;
    let role = ctx.actor.subject().and_then(|s| s.role_on(id));
    let approve_side = if ctx.actor.subject().is_some() { Side::offered(plan.state, role) } else { None };
    let approvals = if plan.state == PlanState::Negotiation { Some(crate::plans::approvals(app, ctx, id).await?) } else { None };
    let editable = plan.state.content_editable();
    Ok(PlanView {
        framework,
        organisations: organisations(app, ctx).await?,
        areas: crate::directory::areas(app, ctx).await?,
        items: items.value.clone(),
        total,
        decisions: crate::decisions::list(app, ctx, id).await?,
        moves: if may(ctx, &plan, Action::PlanTransition) { plan.state.next_states().to_vec() } else { Vec::new() },
        approve_side,
        approvals,
        may_edit_items: may(ctx, &plan, Action::ItemWrite) && editable,
        may_record_decisions: may(ctx, &plan, Action::DecisionWrite) && editable,
        plan,
    })
}

pub struct VersionsView {
    pub plan: Plan,
    pub versions: Vec<VersionInfo>,
}

pub async fn versions(app: &App, ctx: &Ctx, id: PlanId) -> Result<VersionsView> {
    let plan = crate::plans::get(app, ctx, id).await?;
    Ok(VersionsView { versions: crate::plans::versions(app, ctx, id).await?, plan })
}

/// The redline between two versions (by default the latest agreed one and the plan now).
pub struct CompareView {
    pub plan: Plan,
    pub versions: Vec<VersionInfo>,
    pub from: String,
    pub to: String,
    pub comparison: Comparison,
    /// Names for the ids that changed fields hold (organisations).
    pub names: HashMap<String, String>,
}

pub async fn compare(app: &App, ctx: &Ctx, id: PlanId, from: Option<String>, to: Option<String>) -> Result<CompareView> {
    let plan = crate::plans::get(app, ctx, id).await?;
    let versions = crate::plans::versions(app, ctx, id).await?;
    let from = from.unwrap_or_else(|| versions.last().map(|v| v.number.to_string()).unwrap_or_else(|| "current".into()));
    let to = to.unwrap_or_else(|| "current".into());
    let (Some(a), Some(b)) = (VersionRef::parse(&from), VersionRef::parse(&to)) else { return Err(AppError::NotFound) };
    let comparison = crate::plans::compare_versions(app, ctx, id, a, b).await?;
    let names = organisations(app, ctx).await?.into_values().map(|o| (o.id.to_string(), o.short_name)).collect();
    Ok(CompareView { plan, versions, from, to, comparison, names })
}

pub struct MembersView {
    pub plan: Plan,
    pub members: Vec<Member>,
    pub organisations: HashMap<OrganisationId, Organisation>,
    /// Accounts that can be given a role (for those who manage members and read accounts).
    pub candidates: Vec<User>,
    pub may_manage: bool,
}

pub async fn members(app: &App, ctx: &Ctx, id: PlanId) -> Result<MembersView> {
    let plan = crate::plans::get(app, ctx, id).await?;
    let may_manage = may(ctx, &plan, Action::MembersManage);
    let mut candidates = Vec::new();
    if may_manage && ctx.actor.decide(Action::UserRead, Target::Installation) == Verdict::Allow {
        let mut paging = Paging { limit: Some(500), cursor: None };
        loop {
            let p = crate::users::list(app, ctx, &paging).await?;
            candidates.extend(p.items);
            match p.next_cursor {
                Some(c) => paging.cursor = Some(c),
                None => break,
            }
        }
    }
    Ok(MembersView { members: crate::plans::members(app, ctx, id).await?, organisations: organisations(app, ctx).await?, candidates, may_manage, plan })
}

/// The form to start a plan: who may, and the organisations to choose from.
pub struct NewPlanView {
    pub organisations: Vec<Organisation>,
    pub frameworks: Vec<Framework>,
    /// Plans the new one may succeed.
    pub plans: Vec<Plan>,
}

pub async fn new_plan(app: &App, ctx: &Ctx) -> Result<NewPlanView> {
    ctx.actor.require(Action::PlanCreate, Target::Installation)?;
    Ok(NewPlanView {
        organisations: crate::organisations::all(app, ctx).await?,
        frameworks: crate::directory::frameworks(app, ctx).await?,
        plans: crate::plans::list(app, ctx, None, &Paging { limit: Some(500), cursor: None }).await?.items,
    })
}

/// The form to record a decision on a plan (those who may).
pub async fn new_decision(app: &App, ctx: &Ctx, id: PlanId) -> Result<Plan> {
    let plan = crate::plans::get(app, ctx, id).await?;
    ctx.actor.require(Action::DecisionWrite, Target::Plan { id, marking: &plan.marking })?;
    Ok(plan)
}
