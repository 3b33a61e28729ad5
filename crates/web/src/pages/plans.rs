//! A plan's page (tree, filters, charts, decisions, lifecycle and approval) and the form to
//! start a plan.

use super::charts::{Bar, bars};
use super::{Base, FormData, FormErrors, Page, PageError, render, see_other};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use liaison_app::AppError;
use liaison_app::plans::ApproveInput;
use liaison_domain::decision::Decision;
use liaison_domain::due::Quarter;
use liaison_domain::framework::Framework;
use liaison_domain::item::{Item, ItemQuery, ItemStatus};
use liaison_domain::plan::{NewPlan, Period, Plan, PlanState, Side};
use liaison_domain::{FieldError, OrganisationId, PlanId};
use serde::Deserialize;
use std::collections::BTreeMap;

/// Filters of the plan page, as the form sends them.
#[derive(Deserialize, Default, Clone)]
pub struct PlanFilters {
    #[serde(default)]
    pub area: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub organisation: String,
    #[serde(default)]
    pub due_quarter: String,
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub cursor: String,
}

impl PlanFilters {
    fn query(&self) -> (ItemQuery, Vec<String>) {
        let mut problems = Vec::new();
        let mut q = ItemQuery::default();
        if !self.area.is_empty() {
            q.area = Some(self.area.clone());
        }
        if !self.status.is_empty() {
            match ItemStatus::parse(&self.status) {
                Some(st) => q.status = Some(st),
                None => problems.push("status".to_string()),
            }
        }
        if !self.organisation.is_empty() {
            match uuid::Uuid::try_parse(&self.organisation) {
                Ok(u) => q.organisation = Some(OrganisationId(u)),
                Err(_) => problems.push("organisation".to_string()),
            }
        }
        if !self.due_quarter.is_empty() {
            match self.due_quarter.parse::<Quarter>() {
                Ok(dq) => q.due_quarter = Some(dq),
                Err(_) => problems.push("due_quarter".to_string()),
            }
        }
        if !self.q.trim().is_empty() {
            q.text = Some(self.q.chars().take(200).collect());
        }
        (q, problems)
    }

    pub fn active(&self) -> bool {
        !(self.area.is_empty() && self.status.is_empty() && self.organisation.is_empty() && self.due_quarter.is_empty() && self.q.trim().is_empty())
    }
}

/// A row of the tree.
pub struct TreeRow {
    pub item: Item,
    pub lead: String,
    pub overdue: bool,
}

/// A lifecycle button.
pub struct Move {
    pub to: String,
    pub label: String,
}

#[derive(Template)]
#[template(path = "plan.html")]
struct PlanPage {
    base: Base,
    plan: Plan,
    framework: Framework,
    partner: String,
    owner: String,
    rows: Vec<TreeRow>,
    shown: usize,
    total: u64,
    next_cursor: Option<String>,
    filters: PlanFilters,
    filter_problems: Vec<String>,
    areas: Vec<(String, String)>,
    organisations: Vec<(String, String)>,
    quarters: Vec<String>,
    chart_status: String,
    chart_area: String,
    decisions: Vec<Decision>,
    moves: Vec<Move>,
    approve_side: Option<String>,
    owner_approved: bool,
    partner_approved: bool,
    can_edit_items: bool,
    can_record_decisions: bool,
}

impl PlanPage {
    fn level_name(&self, key: &str) -> String {
        self.framework.levels.iter().find(|l| l.key == key).map(|l| self.base.text(&l.name)).unwrap_or_else(|| key.to_string())
    }
    fn due(&self, i: &Item) -> String {
        due_label(&self.base, i)
    }
    fn shown_text(&self) -> String {
        self.base.ta("items-shown", &[("shown", &self.shown.to_string()), ("total", &self.total.to_string())])
    }
    fn filter_href(&self) -> String {
        let f = &self.filters;
        format!(
            "?area={}&status={}&organisation={}&due_quarter={}&q={}",
            super::urlencode(&f.area),
            super::urlencode(&f.status),
            super::urlencode(&f.organisation),
            super::urlencode(&f.due_quarter),
            super::urlencode(&f.q)
        )
    }
}

pub(crate) fn due_label(base: &Base, i: &Item) -> String {
    due_label_of(base, i.due)
}

/// A due date as people read it ("continuous" in words).
pub(crate) fn due_label_of(base: &Base, due: Option<liaison_domain::due::Due>) -> String {
    match due {
        None => String::new(),
        Some(liaison_domain::due::Due::Continuous) => base.t("due-continuous"),
        Some(d) => d.to_string(),
    }
}

pub async fn plan_page(State(s): State<AppState>, mut page: Page, Path(id): Path<String>, Query(filters): Query<PlanFilters>) -> Result<Response, PageError> {
    let id: PlanId = page.id(&id)?;
    let (query, filter_problems) = filters.query();
    let cursor = (!filters.cursor.is_empty()).then(|| filters.cursor.clone());
    let v = liaison_app::views::plans::plan(&s.app, &page.ctx, id, &query, cursor).await.map_err(|e| page.fail(e))?;
    let plan = v.plan;
    let area_name: BTreeMap<String, String> = v.areas.iter().map(|a| (a.code.clone(), page.base.text(&a.name))).collect();
    page.base.mark(&plan.marking);
    let today = page.base.today;
    let mut by_status: BTreeMap<ItemStatus, u64> = BTreeMap::new();
    let mut by_area: BTreeMap<String, u64> = BTreeMap::new();
    let mut rows = Vec::new();
    let mut lead_ids = std::collections::BTreeSet::new();
    for item in &v.items.items {
        page.base.mark(&item.marking);
        *by_status.entry(item.status).or_default() += 1;
        for a in &item.areas {
            *by_area.entry(a.clone()).or_default() += 1;
        }
        if let Some(l) = item.lead_organisation {
            lead_ids.insert(l);
        }
        let lead = item.lead_organisation.and_then(|l| v.organisations.get(&l)).map(|o| o.short_name.clone()).unwrap_or_default();
        rows.push(TreeRow { overdue: plan.state.content_editable() && item.is_overdue(today), lead, item: item.clone() });
    }
    let chart_status = bars(
        &page.base.t("chart-by-status"),
        &ItemStatus::ALL
            .iter()
            .filter_map(|st| {
                by_status.get(st).map(|n| Bar { label: page.base.t(&format!("status-{}", st.code())), value: *n, class: format!("status-{}", st.code()) })
            })
            .collect::<Vec<_>>(),
    );
    let chart_area = bars(
        &page.base.t("chart-by-area"),
        &by_area
            .iter()
            .map(|(a, n)| Bar { label: area_name.get(a).cloned().unwrap_or_else(|| a.clone()), value: *n, class: "area".into() })
            .collect::<Vec<_>>(),
    );
    for d in &v.decisions {
        page.base.mark(&d.marking);
    }
    let moves = v.moves.iter().map(|st| Move { to: st.code().into(), label: page.base.t(&format!("move-{}-{}", plan.state.code(), st.code())) }).collect();
    let mut areas: Vec<(String, String)> = area_name.into_iter().collect();
    areas.sort_by(|a, b| a.1.cmp(&b.1));
    let mut organisations: Vec<(String, String)> =
        lead_ids.iter().filter_map(|l| v.organisations.get(l)).map(|o| (o.id.to_string(), o.short_name.clone())).collect();
    organisations.sort_by(|a, b| a.1.cmp(&b.1));
    let mut quarters = Vec::new();
    let mut q = Quarter::of(plan.period.start);
    while q <= Quarter::of(plan.period.end) && quarters.len() < 40 {
        quarters.push(q.to_string());
        q = q.next();
    }
    let partner = v.organisations.get(&plan.partner).map(|o| page.base.text(&o.name)).unwrap_or_default();
    let owner = v.organisations.get(&plan.owner).map(|o| page.base.text(&o.name)).unwrap_or_default();
    let title = format!("{} — {}", plan.code, page.base.text(&plan.title));
    Ok(render(&PlanPage {
        shown: rows.len(),
        rows,
        total: v.total,
        next_cursor: v.items.next_cursor.clone(),
        filters,
        filter_problems,
        areas,
        organisations,
        quarters,
        chart_status,
        chart_area,
        decisions: v.decisions,
        moves,
        approve_side: v.approve_side.map(|s| s.code().to_string()),
        owner_approved: v.approvals.as_ref().is_some_and(|a| a.owner_approved),
        partner_approved: v.approvals.as_ref().is_some_and(|a| a.partner_approved),
        can_edit_items: v.may_edit_items,
        can_record_decisions: v.may_record_decisions,
        framework: v.framework,
        partner,
        owner,
        plan,
        base: page.base.with_title(title),
    }))
}

/// A lifecycle move from the plan page. A refused move comes back as a message on the page.
pub async fn transition(State(s): State<AppState>, page: Page, Path(id): Path<String>, form: FormData) -> Result<Response, PageError> {
    let id: PlanId = page.id(&id)?;
    let version: i64 = form.value("version").parse().unwrap_or(-1);
    let to = PlanState::parse(&form.value("to")).ok_or_else(|| PageError::not_found(&page.base))?;
    match liaison_app::plans::transition(&s.app, &page.ctx, id, version, to).await {
        Ok(_) => Ok(see_other(&format!("/plans/{id}"))),
        Err(AppError::Invalid(e)) => {
            let msgs = e.0.iter().map(|f| page.base.problem(f)).collect();
            Ok(message_page(page.base, id, msgs))
        }
        Err(AppError::Stale { .. }) => Ok(message_page(page.base.clone(), id, vec![page.base.t("stale-plan")])),
        Err(e) => Err(page.fail(e)),
    }
}

pub async fn approve(State(s): State<AppState>, page: Page, Path(id): Path<String>, form: FormData) -> Result<Response, PageError> {
    let id: PlanId = page.id(&id)?;
    let input = ApproveInput { side: Side::parse(&form.value("side")), content_hash: form.get("content_hash").map(String::from).filter(|h| !h.is_empty()) };
    match liaison_app::plans::approve(&s.app, &page.ctx, id, input).await {
        Ok(_) => Ok(see_other(&format!("/plans/{id}"))),
        Err(AppError::Invalid(e)) => {
            let msgs = e.0.iter().map(|f| page.base.problem(f)).collect();
            Ok(message_page(page.base, id, msgs))
        }
        Err(e) => Err(page.fail(e)),
    }
}

/// A refused step, explained on a page of its own (with the way back to the plan).
pub struct PlanRef {
    pub id: PlanId,
}

#[derive(Template)]
#[template(path = "message.html")]
struct MessagePage {
    base: Base,
    plan: PlanRef,
    messages: Vec<String>,
}

fn message_page(base: Base, plan: PlanId, messages: Vec<String>) -> Response {
    let title = base.t("action-refused");
    let mut r = render(&MessagePage { base: base.with_title(title), plan: PlanRef { id: plan }, messages });
    *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    r
}

// ---- Starting a plan ----

fn invalid(field: &str, message: String) -> FieldError {
    FieldError::new(field, "invalid", message)
}

pub(crate) fn date(f: &FormData, name: &str, errors: &mut Vec<FieldError>, base: &Base) -> Option<chrono::NaiveDate> {
    let v = f.value(name);
    let d = chrono::NaiveDate::parse_from_str(&v, "%Y-%m-%d").ok();
    if d.is_none() {
        errors.push(invalid(name, base.t("date-hint")));
    }
    d
}

#[derive(Template)]
#[template(path = "plan_form.html")]
struct PlanFormPage {
    base: Base,
    form: FormData,
    errors: FormErrors,
    frameworks: Vec<Framework>,
    partners: Vec<(String, String)>,
    owners: Vec<(String, String)>,
    predecessors: Vec<(String, String)>,
}

impl PlanFormPage {
    fn v(&self, name: &str) -> String {
        self.form.value(name)
    }
    fn err(&self, f: &str) -> String {
        self.errors.of(f)
    }
    fn invalid(&self, f: &str) -> bool {
        self.errors.has(f)
    }
}

async fn plan_form(s: &AppState, page: Page, form: FormData, errors: Vec<FieldError>) -> Result<Response, PageError> {
    let v = liaison_app::views::plans::new_plan(&s.app, &page.ctx).await.map_err(|e| page.fail(e))?;
    let label = |o: &liaison_domain::organisation::Organisation| (o.id.to_string(), format!("{} — {}", o.short_name, page.base.text(&o.name)));
    let mut partners: Vec<(String, String)> = v.organisations.iter().filter(|o| o.kind.partner_side()).map(label).collect();
    let mut owners: Vec<(String, String)> = v.organisations.iter().filter(|o| o.kind.alliance_side()).map(label).collect();
    partners.sort_by(|a, b| a.1.cmp(&b.1));
    owners.sort_by(|a, b| a.1.cmp(&b.1));
    let predecessors = v.plans.iter().map(|p| (p.id.to_string(), format!("{} — {}", p.code, page.base.text(&p.title)))).collect();
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let title = page.base.t("plan-new");
    let mut r =
        render(&PlanFormPage { base: page.base.with_title(title), form, errors: FormErrors(errors), frameworks: v.frameworks, partners, owners, predecessors });
    *r.status_mut() = status;
    Ok(r)
}

pub async fn new_plan(State(s): State<AppState>, page: Page) -> Result<Response, PageError> {
    plan_form(&s, page, FormData(vec![("framework".into(), "ipap".into())]), Vec::new()).await
}

pub async fn create_plan(State(s): State<AppState>, page: Page, form: FormData) -> Result<Response, PageError> {
    let mut errors = Vec::new();
    let org = |name: &str, errors: &mut Vec<FieldError>| {
        let o = uuid::Uuid::try_parse(&form.value(name)).ok().map(OrganisationId);
        if o.is_none() {
            errors.push(invalid(name, page.base.t("choose-organisation")));
        }
        o
    };
    let partner = org("partner", &mut errors);
    let owner = org("owner", &mut errors);
    let start = date(&form, "period_start", &mut errors, &page.base);
    let end = date(&form, "period_end", &mut errors, &page.base);
    let predecessor = uuid::Uuid::try_parse(&form.value("predecessor")).ok().map(PlanId);
    let (Some(partner), Some(owner), Some(start), Some(end)) = (partner, owner, start, end) else {
        return plan_form(&s, page, form, errors).await;
    };
    let input = NewPlan {
        framework: form.value("framework"),
        code: form.value("code"),
        title: form.text("title"),
        description: form.text("description"),
        partner,
        owner,
        period: Period { start, end },
        predecessor,
        marking: None,
    };
    match liaison_app::plans::create(&s.app, &page.ctx, input).await {
        Ok(p) => Ok(see_other(&format!("/plans/{}", p.id))),
        Err(AppError::Invalid(e)) => plan_form(&s, page, form, e.0).await,
        Err(e) => Err(page.fail(e)),
    }
}
