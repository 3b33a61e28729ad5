//! A plan's members: who holds which role, and (for coordinators and administrators) giving
//! and taking roles.

use super::{Base, FormData, Page, PageError, render, see_other};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use liaison_app::AppError;
use liaison_app::plans::SetMember;
use liaison_domain::access::Role;
use liaison_domain::plan::Plan;
use liaison_domain::{PlanId, UserId};

pub struct MemberRow {
    pub user: UserId,
    pub name: String,
    pub organisation: String,
    pub role: Role,
    pub version: i64,
}

#[derive(Template)]
#[template(path = "members.html")]
struct MembersPage {
    base: Base,
    plan: Plan,
    members: Vec<MemberRow>,
    candidates: Vec<(String, String)>,
    can_manage: bool,
    error: Option<String>,
}

impl MembersPage {
    fn role_label(&self, r: &Role) -> String {
        self.base.t(&format!("role-{}", r.code()))
    }
}

async fn members_page(s: &AppState, mut page: Page, plan: PlanId, error: Option<String>) -> Result<Response, PageError> {
    let v = liaison_app::views::plans::members(&s.app, &page.ctx, plan).await.map_err(|e| page.fail(e))?;
    let plan = v.plan;
    let candidates = v.candidates.iter().map(|u| (u.id.to_string(), format!("{} <{}>", u.display_name, u.email))).collect();
    page.base.mark(&plan.marking);
    let rows = v
        .members
        .into_iter()
        .map(|m| MemberRow {
            organisation: v.organisations.get(&m.organisation).map(|o| o.short_name.clone()).unwrap_or_default(),
            user: m.user,
            name: m.display_name,
            role: m.role,
            version: m.version,
        })
        .collect();
    let title = format!("{} — {}", plan.code, page.base.t("members-title"));
    let mut r = render(&MembersPage { base: page.base.with_title(title), plan, members: rows, candidates, can_manage: v.may_manage, error: error.clone() });
    if error.is_some() {
        *r.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(r)
}

pub async fn members(State(s): State<AppState>, page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    let plan: PlanId = page.id(&id)?;
    members_page(&s, page, plan, None).await
}

pub async fn set_member(State(s): State<AppState>, page: Page, Path(id): Path<String>, form: FormData) -> Result<Response, PageError> {
    let plan: PlanId = page.id(&id)?;
    let user = uuid::Uuid::try_parse(&form.value("user")).map(UserId).ok();
    let role = Role::parse(&form.value("role"));
    let (Some(user), Some(role)) = (user, role) else {
        let msg = page.base.t("members-choose");
        return members_page(&s, page, plan, Some(msg)).await;
    };
    match liaison_app::plans::set_member(&s.app, &page.ctx, plan, SetMember { user, role }).await {
        Ok(_) => Ok(see_other(&format!("/plans/{plan}/members"))),
        Err(AppError::Invalid(e)) => {
            let msg = e.0.iter().map(|f| page.base.problem(f)).collect::<Vec<_>>().join("; ");
            members_page(&s, page, plan, Some(msg)).await
        }
        Err(e) => Err(page.fail(e)),
    }
}

pub async fn remove_member(State(s): State<AppState>, page: Page, Path(id): Path<String>, form: FormData) -> Result<Response, PageError> {
    let plan: PlanId = page.id(&id)?;
    let user = uuid::Uuid::try_parse(&form.value("user")).map(UserId).map_err(|_| PageError::not_found(&page.base))?;
    let version: i64 = form.value("version").parse().unwrap_or(-1);
    match liaison_app::plans::remove_member(&s.app, &page.ctx, plan, user, version).await {
        Ok(()) => Ok(see_other(&format!("/plans/{plan}/members"))),
        Err(AppError::Stale { .. }) => {
            let msg = page.base.t("stale-member");
            members_page(&s, page, plan, Some(msg)).await
        }
        Err(e) => Err(page.fail(e)),
    }
}
