//! The pages of following implementation and of tailored assistance: the dashboard, the
//! reporting calendar, assessments side by side, the inbox, the clearing house with requests and
//! offers, and the activities.

use crate::assistance::{ClearingFilter, ClearingHouseView};
use crate::calendar::PeriodStatus;
use crate::summary::Summary;
use crate::{App, AppError, Ctx, Result};
use liaison_domain::access::{Action, Role};
use liaison_domain::activity::Activity;
use liaison_domain::assessment::{Assessment, Perspective, SideBySide};
use liaison_domain::assistance::{AssistanceOffer, AssistanceRequest, OfferSide, OfferState, RequestState, available_steps, side_of};
use liaison_domain::calendar::ReportingPeriod;
use liaison_domain::item::Item;
use liaison_domain::notification::Notification;
use liaison_domain::organisation::Organisation;
use liaison_domain::plan::Plan;
use liaison_domain::{OrganisationId, PlanId};
use std::collections::HashMap;
use std::sync::Arc;

use super::plans::may;

/// The dashboard of a plan at a period (an unknown period shows the current one, and says so).
pub struct DashboardView {
    pub plan: Plan,
    pub summary: Arc<Summary>,
    pub unknown_period: bool,
    pub organisations: HashMap<OrganisationId, Organisation>,
    pub areas: Vec<liaison_store::areas::Area>,
}

/// The summary at `period`; an unknown period falls back to the current one.
async fn summary_at(app: &App, ctx: &Ctx, plan: PlanId, period: Option<&str>) -> Result<(Arc<Summary>, bool)> {
    match crate::summary::summary(app, ctx, plan, period).await {
        Ok(s) => Ok((s, false)),
        Err(AppError::Invalid(_)) => Ok((crate::summary::summary(app, ctx, plan, None).await?, true)),
        Err(e) => Err(e),
    }
}

pub async fn dashboard(app: &App, ctx: &Ctx, id: PlanId, period: Option<&str>) -> Result<DashboardView> {
    let plan = crate::plans::get(app, ctx, id).await?;
    let (summary, unknown_period) = summary_at(app, ctx, id, period).await?;
    Ok(DashboardView {
        summary,
        unknown_period,
        organisations: super::plans::organisations(app, ctx).await?,
        areas: crate::directory::areas(app, ctx).await?,
        plan,
    })
}

/// The reporting calendar with one period's status (by default the latest period that has
/// ended, else the first).
pub struct CalendarView {
    pub plan: Plan,
    pub periods: Vec<ReportingPeriod>,
    pub selected: Option<PeriodStatus>,
    pub may_manage: bool,
}

pub async fn calendar(app: &App, ctx: &Ctx, id: PlanId, period: Option<String>) -> Result<CalendarView> {
    let plan = crate::plans::get(app, ctx, id).await?;
    let periods = crate::calendar::periods(app, ctx, id).await?;
    let today = app.now().date_naive();
    let chosen = period
        .filter(|k| periods.iter().any(|p| &p.key == k))
        .or_else(|| periods.iter().rev().find(|p| p.ends < today).or(periods.first()).map(|p| p.key.clone()));
    let selected = match &chosen {
        Some(k) => Some(crate::calendar::status(app, ctx, id, k).await?),
        None => None,
    };
    Ok(CalendarView { may_manage: may(ctx, &plan, Action::CalendarWrite), plan, periods, selected })
}

/// The perspectives of one period side by side (by default the latest period assessed, else
/// the current one), and the actor's own perspective if they write one.
pub struct AssessmentsView {
    pub plan: Plan,
    pub periods: Vec<ReportingPeriod>,
    pub period: String,
    pub assessments: Vec<Assessment>,
    pub rows: Vec<SideBySide>,
    pub disagreements: u64,
    /// The items the reader may see, in tree order.
    pub items: Vec<Item>,
    pub my_perspective: Option<Perspective>,
    pub mine: Option<Assessment>,
    /// Whether the actor may write their perspective now.
    pub may_assess: bool,
}

/// The perspective the actor writes on the plan, if any.
fn my_perspective(ctx: &Ctx, plan: PlanId) -> Option<Perspective> {
    ctx.actor.subject()?.role_on(plan).and_then(Perspective::of_role)
}

pub async fn assessments(app: &App, ctx: &Ctx, id: PlanId, period: Option<String>) -> Result<AssessmentsView> {
    let plan = crate::plans::get(app, ctx, id).await?;
    let periods = crate::calendar::periods(app, ctx, id).await?;
    let all = crate::assessments::of_plan(app, ctx, id, None).await?;
    let today = app.now().date_naive();
    let period = period
        .filter(|k| periods.iter().any(|p| &p.key == k))
        .or_else(|| all.iter().map(|a| a.period.clone()).max_by_key(|k| periods.iter().position(|p| &p.key == k)))
        .or_else(|| crate::summary::current_period(&periods, today).map(|p| p.key.clone()))
        .unwrap_or_default();
    let cmp = crate::assessments::compare(app, ctx, id, &period).await?;
    let items = crate::items::visible_cached(app, ctx, id).await?.to_vec();
    let mine_p = my_perspective(ctx, id);
    let mine = mine_p.and_then(|p| cmp.assessments.iter().find(|a| a.perspective == p).cloned());
    Ok(AssessmentsView {
        may_assess: mine_p.is_some() && liaison_domain::assessment::window_open(plan.state) && may(ctx, &plan, Action::AssessmentWrite),
        my_perspective: mine_p,
        mine,
        periods,
        period,
        disagreements: cmp.disagreements,
        rows: cmp.rows,
        assessments: cmp.assessments,
        items,
        plan,
    })
}

/// The actor's notifications (those they may still see).
pub async fn inbox(app: &App, ctx: &Ctx) -> Result<Vec<Notification>> {
    crate::notifications::mine(app, ctx, 200).await
}

/// An offer with the steps the actor may take on it now.
pub struct OfferView {
    pub offer: AssistanceOffer,
    pub steps: Vec<OfferState>,
}

/// A request, and whether the actor may close it.
pub struct RequestView {
    pub request: AssistanceRequest,
    pub may_close: bool,
}

/// The clearing house with the plan's requests and offers.
pub struct AssistanceView {
    pub plan: Plan,
    /// The clearing house under the filter (none when the filter could not be read).
    pub clearing: Option<ClearingHouseView>,
    /// Problems of the filter.
    pub filter_problems: Vec<liaison_domain::FieldError>,
    pub requests: Vec<RequestView>,
    pub offers: Vec<OfferView>,
    pub items: Vec<Item>,
    pub organisations: HashMap<OrganisationId, Organisation>,
    pub areas: Vec<liaison_store::areas::Area>,
    pub may_request: bool,
    pub may_offer: bool,
    /// Coordinators record offers for an Ally or agency; Allies offer in their own name.
    pub offers_for_others: bool,
}

pub async fn assistance(app: &App, ctx: &Ctx, id: PlanId, filter: Option<&ClearingFilter>) -> Result<AssistanceView> {
    let plan = crate::plans::get(app, ctx, id).await?;
    let (clearing, filter_problems) = match filter {
        Some(f) => match crate::assistance::clearing(app, ctx, id, f).await {
            Ok(c) => (Some(c), Vec::new()),
            Err(AppError::Invalid(v)) => (None, v.0),
            Err(e) => return Err(e),
        },
        None => (None, Vec::new()),
    };
    let editable = plan.state.content_editable();
    let may_request = may(ctx, &plan, Action::RequestWrite) && editable;
    let subject = ctx.actor.subject();
    let role = subject.and_then(|s| s.role_on(id));
    let offers = crate::assistance::offers(app, ctx, id)
        .await?
        .into_iter()
        .map(|o| {
            let side = subject.map(|s| side_of(role, s.organisation, o.offered_by)).unwrap_or(OfferSide::Other);
            OfferView { steps: available_steps(&o, side), offer: o }
        })
        .collect();
    let requests = crate::assistance::requests(app, ctx, id)
        .await?
        .into_iter()
        .map(|r| RequestView { may_close: may_request && r.state == RequestState::Open, request: r })
        .collect();
    Ok(AssistanceView {
        clearing,
        filter_problems,
        requests,
        offers,
        items: crate::items::visible_cached(app, ctx, id).await?.to_vec(),
        organisations: super::plans::organisations(app, ctx).await?,
        areas: crate::directory::areas(app, ctx).await?,
        may_request,
        may_offer: may(ctx, &plan, Action::OfferWrite) && editable,
        offers_for_others: role == Some(Role::Coordinator),
        plan,
    })
}

/// An activity, and whether the actor may record how it went.
pub struct ActivityView {
    pub activity: Activity,
    pub may_edit: bool,
}

/// The activities of a plan with what the month calendar shows beside them.
pub struct ActivitiesView {
    pub plan: Plan,
    pub activities: Vec<ActivityView>,
    pub items: Vec<Item>,
    pub periods: Vec<ReportingPeriod>,
    /// Offers the partner has taken (an activity may deliver one).
    pub offers: Vec<AssistanceOffer>,
    pub organisations: HashMap<OrganisationId, Organisation>,
    pub may_write: bool,
}

pub async fn activities(app: &App, ctx: &Ctx, id: PlanId) -> Result<ActivitiesView> {
    let plan = crate::plans::get(app, ctx, id).await?;
    let may_write = may(ctx, &plan, Action::ActivityWrite) && plan.state.content_editable();
    let subject = ctx.actor.subject();
    let activities = crate::activities::of_plan(app, ctx, id)
        .await?
        .into_iter()
        .map(|a| {
            let mine = subject.is_none_or(|s| liaison_domain::activity::may_change(s.role_on(id), s.organisation, a.organiser));
            ActivityView { may_edit: may_write && mine, activity: a }
        })
        .collect();
    Ok(ActivitiesView {
        activities,
        items: crate::items::visible_cached(app, ctx, id).await?.to_vec(),
        periods: crate::calendar::periods(app, ctx, id).await?,
        offers: crate::assistance::offers(app, ctx, id).await?.into_iter().filter(|o| o.state.taken()).collect(),
        organisations: super::plans::organisations(app, ctx).await?,
        may_write,
        plan,
    })
}
