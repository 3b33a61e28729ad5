//! Recording a decision (a key date of the plan) from the plan page.

use super::{FormData, FormErrors, Page, PageError, render, see_other};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use liaison_app::AppError;
use liaison_domain::decision::{DecisionKind, NewDecision};
use liaison_domain::plan::Plan;
use liaison_domain::text::Text;
use liaison_domain::{FieldError, PlanId};

fn invalid(field: &str, message: String) -> FieldError {
    FieldError::new(field, "invalid", message)
}

#[derive(Template)]
#[template(path = "decision_form.html")]
struct DecisionFormPage {
    base: super::Base,
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
    let id: PlanId = page.id(id)?;
    liaison_app::views::plans::new_decision(&s.app, &page.ctx, id).await.map_err(|e| page.fail(e))
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
    let date = super::plans::date(&form, "date", &mut errors, &page.base);
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
