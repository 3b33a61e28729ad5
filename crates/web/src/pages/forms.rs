//! Smaller forms: starting a plan, recording a decision, deleting an item.

use super::plans::org_names;
use super::{Base, FormData, FormErrors, Page, PageError, render, see_other};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use liaison_app::{AppError, Paging};
use liaison_domain::access::{Action, Target};
use liaison_domain::decision::{DecisionKind, NewDecision};
use liaison_domain::framework::Framework;
use liaison_domain::item::Item;
use liaison_domain::plan::{NewPlan, Period, Plan};
use liaison_domain::text::Text;
use liaison_domain::{FieldError, ItemId, OrganisationId, PlanId};

fn invalid(field: &str, message: String) -> FieldError {
    FieldError { field: field.into(), code: "invalid".into(), message }
}

fn date(f: &FormData, name: &str, errors: &mut Vec<FieldError>, base: &Base) -> Option<chrono::NaiveDate> {
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
    page.ctx.actor.require(Action::PlanCreate, Target::Installation).map_err(|e| page.fail(e))?;
    let orgs = org_names(s, &page).await;
    let mut partners: Vec<(String, String)> =
        orgs.values().filter(|o| o.kind.partner_side()).map(|o| (o.id.to_string(), format!("{} — {}", o.short_name, page.base.text(&o.name)))).collect();
    let mut owners: Vec<(String, String)> =
        orgs.values().filter(|o| o.kind.alliance_side()).map(|o| (o.id.to_string(), format!("{} — {}", o.short_name, page.base.text(&o.name)))).collect();
    partners.sort_by(|a, b| a.1.cmp(&b.1));
    owners.sort_by(|a, b| a.1.cmp(&b.1));
    let plans = liaison_app::plans::list(&s.app, &page.ctx, None, &Paging { limit: Some(500), cursor: None }).await.map_err(|e| page.fail(e))?;
    let predecessors = plans.items.iter().map(|p| (p.id.to_string(), format!("{} — {}", p.code, page.base.text(&p.title)))).collect();
    let frameworks = liaison_app::directory::frameworks(&s.app, &page.ctx).await.map_err(|e| page.fail(e))?;
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let title = page.base.t("plan-new");
    let mut r = render(&PlanFormPage { base: page.base.with_title(title), form, errors: FormErrors(errors), frameworks, partners, owners, predecessors });
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

#[derive(Template)]
#[template(path = "decision_form.html")]
struct DecisionFormPage {
    base: Base,
    plan: Plan,
    form: FormData,
    errors: FormErrors,
}

impl DecisionFormPage {
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

async fn decision_context(s: &AppState, page: &Page, id: &str) -> Result<Plan, PageError> {
    let id = uuid::Uuid::try_parse(id).map(PlanId).map_err(|_| PageError::not_found(&page.base))?;
    let plan = liaison_app::plans::get(&s.app, &page.ctx, id).await.map_err(|e| page.fail(e))?;
    page.ctx.actor.require(Action::DecisionWrite, Target::Plan { id, marking: &plan.marking }).map_err(|e| page.fail(e))?;
    Ok(plan)
}

fn decision_page(mut page: Page, plan: Plan, form: FormData, errors: Vec<FieldError>) -> Response {
    page.base.mark(&plan.marking);
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let title = format!("{} — {}", plan.code, page.base.t("decision-new"));
    let mut r = render(&DecisionFormPage { base: page.base.with_title(title), plan, form, errors: FormErrors(errors) });
    *r.status_mut() = status;
    r
}

pub async fn new_decision(State(s): State<AppState>, page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    let plan = decision_context(&s, &page, &id).await?;
    Ok(decision_page(page, plan, FormData(vec![("kind".into(), "other".into())]), Vec::new()))
}

pub async fn create_decision(State(s): State<AppState>, page: Page, Path(id): Path<String>, form: FormData) -> Result<Response, PageError> {
    let plan = decision_context(&s, &page, &id).await?;
    let mut errors = Vec::new();
    let kind = DecisionKind::parse(&form.value("kind"));
    if kind.is_none() {
        errors.push(invalid("kind", page.base.t("choose-kind")));
    }
    let date = date(&form, "date", &mut errors, &page.base);
    let (Some(kind), Some(date)) = (kind, date) else {
        return Ok(decision_page(page, plan, form, errors));
    };
    let input = NewDecision { kind, date, body: form.text("body"), reference: form.value("reference"), note: Text::default(), marking: None };
    match liaison_app::decisions::create(&s.app, &page.ctx, plan.id, input).await {
        Ok(_) => Ok(see_other(&format!("/plans/{}#decisions-h", plan.id))),
        Err(AppError::Invalid(e)) => Ok(decision_page(page, plan, form, e.0)),
        Err(e) => Err(page.fail(e)),
    }
}

#[derive(Template)]
#[template(path = "item_delete.html")]
struct DeletePage {
    base: Base,
    item: Item,
    children: u64,
    error: Option<String>,
}

async fn delete_context(s: &AppState, page: &Page, id: &str) -> Result<(Item, u64), PageError> {
    let id = uuid::Uuid::try_parse(id).map(ItemId).map_err(|_| PageError::not_found(&page.base))?;
    let item = liaison_app::items::get(&s.app, &page.ctx, id).await.map_err(|e| page.fail(e))?;
    let plan = liaison_app::plans::get(&s.app, &page.ctx, item.plan).await.map_err(|e| page.fail(e))?;
    page.ctx
        .actor
        .require(Action::ItemWrite, Target::Record { plan: plan.id, plan_marking: &plan.marking, marking: &item.marking })
        .map_err(|e| page.fail(e))?;
    let q = liaison_domain::item::ItemQuery { parent: Some(Some(id)), ..Default::default() };
    let children = liaison_app::items::count(&s.app, &page.ctx, item.plan, &q).await.map_err(|e| page.fail(e))?;
    Ok((item, children))
}

pub async fn confirm_delete(State(s): State<AppState>, mut page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    let (item, children) = delete_context(&s, &page, &id).await?;
    page.base.mark(&item.marking);
    let title = format!("{} — {}", page.base.t("delete-item"), item.code);
    Ok(render(&DeletePage { base: page.base.with_title(title), item, children, error: None }))
}

pub async fn delete(State(s): State<AppState>, mut page: Page, Path(id): Path<String>, form: FormData) -> Result<Response, PageError> {
    let (item, children) = delete_context(&s, &page, &id).await?;
    let version = form.value("version").parse().unwrap_or(-1);
    let cascade = form.get("cascade").is_some();
    let error = match liaison_app::items::delete(&s.app, &page.ctx, item.id, version, cascade).await {
        Ok(()) => return Ok(see_other(&format!("/plans/{}", item.plan))),
        Err(AppError::Invalid(e)) => e.0.into_iter().map(|f| f.message).collect::<Vec<_>>().join("; "),
        Err(AppError::Stale { .. }) => page.base.t("stale-record"),
        Err(e) => return Err(page.fail(e)),
    };
    page.base.mark(&item.marking);
    let title = format!("{} — {}", page.base.t("delete-item"), item.code);
    let mut r = render(&DeletePage { base: page.base.with_title(title), item, children, error: Some(error) });
    *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    Ok(r)
}
