//! The reporting calendar: the plan's periods with where each stands, one period's missing
//! reports by lead organisation, and (for coordinators) locking, unlocking and due dates.

use super::{Base, FormData, Page, PageError, render, see_other};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use liaison_domain::PlanId;
use liaison_domain::calendar::{PeriodPatch, ReportingPeriod};
use liaison_domain::plan::Plan;

use super::figures::PeriodParam;

pub struct PeriodRow {
    pub period: ReportingPeriod,
    pub phase: String,
    pub phase_code: String,
}

#[derive(Template)]
#[template(path = "calendar.html")]
struct CalendarPage {
    base: Base,
    plan: Plan,
    rows: Vec<PeriodRow>,
    selected: Option<liaison_app::calendar::PeriodStatus>,
    selected_phase: String,
    can_manage: bool,
    problems: Vec<String>,
}

fn phase_code(p: &liaison_domain::calendar::Phase) -> &'static str {
    use liaison_domain::calendar::Phase::*;
    match p {
        Upcoming => "upcoming",
        Running => "running",
        Reporting => "reporting",
        Overdue => "overdue",
    }
}

async fn calendar_page(s: &AppState, mut page: Page, plan: PlanId, period: Option<String>, problems: Vec<String>) -> Result<Response, PageError> {
    let v = liaison_app::views::implementation::calendar(&s.app, &page.ctx, plan, period).await.map_err(|e| page.fail(e))?;
    let plan = v.plan;
    page.base.mark(&plan.marking);
    let today = page.base.today;
    let rows = v
        .periods
        .into_iter()
        .map(|p| {
            let ph = p.phase(today);
            PeriodRow { phase: page.base.t(&format!("phase-{}", phase_code(&ph))), phase_code: phase_code(&ph).into(), period: p }
        })
        .collect();
    let selected_phase = v.selected.as_ref().map(|x| page.base.t(&format!("phase-{}", phase_code(&x.phase)))).unwrap_or_default();
    let title = format!("{} — {}", page.base.t("calendar-title"), plan.code);
    let failed = !problems.is_empty();
    let mut r =
        render(&CalendarPage { base: page.base.with_title(title), plan, rows, selected: v.selected, selected_phase, can_manage: v.may_manage, problems });
    if failed {
        *r.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(r)
}

impl CalendarPage {
    fn phase_of(&self, st: &liaison_app::calendar::PeriodStatus) -> &'static str {
        phase_code(&st.phase)
    }
    fn dates(&self, st: &liaison_app::calendar::PeriodStatus) -> String {
        let p = &st.period;
        self.base.ta("calendar-period-dates", &[("starts", &p.starts.to_string()), ("ends", &p.ends.to_string()), ("due", &p.due.to_string())])
    }
    fn reported(&self, st: &liaison_app::calendar::PeriodStatus) -> String {
        self.base.ta("calendar-reported", &[("reported", &st.reported.to_string()), ("owed", &st.owed.to_string())])
    }
}

pub async fn calendar(State(s): State<AppState>, page: Page, Path(id): Path<String>, Query(q): Query<PeriodParam>) -> Result<Response, PageError> {
    let id: PlanId = page.id(&id)?;
    calendar_page(&s, page, id, q.get().map(String::from), Vec::new()).await
}

/// Lock or unlock a period, or change its due date (coordinators).
pub async fn calendar_update(State(s): State<AppState>, page: Page, Path((id, key)): Path<(String, String)>, form: FormData) -> Result<Response, PageError> {
    let plan: PlanId = page.id(&id)?;
    let version: i64 = form.value("version").parse().unwrap_or(-1);
    let locked = match form.value("locked").as_str() {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    };
    let due = match form.value("due").as_str() {
        "" => None,
        d => match d.parse() {
            Ok(x) => Some(x),
            Err(_) => {
                let msg = format!("{}: {}", page.base.field("due"), page.base.t("date-hint"));
                return calendar_page(&s, page, plan, Some(key), vec![msg]).await;
            }
        },
    };
    let reason = Some(form.value("reason")).filter(|r| !r.is_empty());
    match liaison_app::calendar::update_period(&s.app, &page.ctx, plan, &key, version, PeriodPatch { due, locked, reason }).await {
        Ok(_) => Ok(see_other(&format!("/plans/{plan}/calendar?period={}", super::urlencode(&key)))),
        Err(e) => match super::progress::messages(&page.base, e) {
            Ok(p) => calendar_page(&s, page, plan, Some(key), p).await,
            Err(e) => Err(page.fail(e)),
        },
    }
}
