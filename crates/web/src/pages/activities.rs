//! Activities: a month calendar (activities, items falling due, reports due) and the list with
//! participants, outcomes and feedback.

use super::assistance::ids;
use super::{Base, FormData, Page, PageError, render, see_other};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use liaison_domain::plan::Plan;
use liaison_domain::{ItemId, PlanId};
use serde::Deserialize;

#[derive(Deserialize, Default)]
pub struct MonthParam {
    #[serde(default)]
    pub month: String,
}

pub struct DayCell {
    pub day: u32,
    pub in_month: bool,
    pub today: bool,
    /// (class, text, link)
    pub entries: Vec<(String, String, String)>,
}

pub struct ActivityRow {
    pub activity: liaison_domain::activity::Activity,
    pub kind: String,
    pub organiser: String,
    pub items: String,
    pub can_edit: bool,
    pub begun: bool,
}

#[derive(Template)]
#[template(path = "activities.html")]
struct ActivitiesPage {
    base: Base,
    plan: Plan,
    month: String,
    prev: String,
    next: String,
    weekdays: Vec<String>,
    weeks: Vec<Vec<DayCell>>,
    rows: Vec<ActivityRow>,
    kinds: Vec<(String, String)>,
    item_choices: Vec<(String, String)>,
    offer_choices: Vec<(String, String)>,
    organisers: Vec<(String, String)>,
    can_write: bool,
    women: u64,
    men: u64,
    problems: Vec<String>,
}

impl ActivitiesPage {
    fn people(&self, women: String, men: String) -> String {
        self.base.ta("activities-participants", &[("women", &women), ("men", &men)])
    }
}

fn month_start(s: &str) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(&format!("{s}-01"), "%Y-%m-%d").ok()
}

async fn activities_page(s: &AppState, mut page: Page, plan: PlanId, month: Option<String>, problems: Vec<String>) -> Result<Response, PageError> {
    use chrono::Datelike;
    let v = liaison_app::views::implementation::activities(&s.app, &page.ctx, plan).await.map_err(|e| page.fail(e))?;
    let plan = v.plan;
    page.base.mark(&plan.marking);
    for a in &v.activities {
        page.base.mark(&a.activity.marking);
    }
    let orgs = &v.organisations;
    let today = page.base.today;
    let default = if today >= plan.period.start && today <= plan.period.end { today } else { plan.period.start };
    let first = month.as_deref().and_then(month_start).unwrap_or_else(|| default.with_day(1).unwrap_or(default));
    let next_month = if first.month() == 12 { first.with_year(first.year() + 1).and_then(|d| d.with_month(1)) } else { first.with_month(first.month() + 1) }
        .unwrap_or(first);
    let prev_month = if first.month() == 1 { first.with_year(first.year() - 1).and_then(|d| d.with_month(12)) } else { first.with_month(first.month() - 1) }
        .unwrap_or(first);
    let base = &page.base;
    // Weeks from the Monday on or before the 1st to the Sunday on or after the last day.
    let start = first - chrono::TimeDelta::days(i64::from(first.weekday().num_days_from_monday()));
    let last = next_month - chrono::TimeDelta::days(1);
    let end = last + chrono::TimeDelta::days(i64::from(6 - last.weekday().num_days_from_monday()));
    let mut weeks = Vec::new();
    let mut day = start;
    while day <= end {
        let mut week = Vec::new();
        for _ in 0..7 {
            let mut entries: Vec<(String, String, String)> = v
                .activities
                .iter()
                .map(|x| &x.activity)
                .filter(|a| a.dates.start <= day && day <= a.dates.end)
                .map(|a| (format!("activity kind-{}", a.kind.code()), base.text(&a.title), format!("#a-{}", a.id)))
                .collect();
            for i in v.items.iter().filter(|i| !i.status.is_closed() && i.due.and_then(|d| d.deadline()) == Some(day)) {
                entries.push(("due".into(), format!("{} {}", base.t("activities-due"), i.code), format!("/items/{}", i.id)));
            }
            for p in v.periods.iter().filter(|p| p.due == day) {
                entries.push((
                    "due".into(),
                    format!("{} {}", base.t("activities-reports-due"), p.key),
                    format!("/plans/{}/calendar?period={}", plan.id, p.key),
                ));
            }
            week.push(DayCell { day: day.day(), in_month: day.month() == first.month(), today: day == today, entries });
            day += chrono::TimeDelta::days(1);
        }
        weeks.push(week);
    }
    let code_of = |i: &ItemId| v.items.iter().find(|x| x.id == *i).map(|x| x.code.clone()).unwrap_or_default();
    let (women, men) = liaison_domain::activity::participant_totals(v.activities.iter().map(|x| &x.activity));
    let rows = v
        .activities
        .iter()
        .map(|x| {
            let a = &x.activity;
            ActivityRow {
                kind: base.t(&format!("activity-kind-{}", a.kind.code())),
                organiser: a.organiser.and_then(|o| orgs.get(&o)).map(|o| o.short_name.clone()).unwrap_or_default(),
                items: a.items.iter().map(&code_of).collect::<Vec<_>>().join(", "),
                can_edit: x.may_edit,
                begun: a.dates.start <= today,
                activity: a.clone(),
            }
        })
        .collect();
    let weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"].iter().map(|d| base.t(&format!("weekday-{d}"))).collect();
    let kinds = liaison_domain::activity::ActivityKind::ALL.iter().map(|k| (k.code().to_string(), base.t(&format!("activity-kind-{}", k.code())))).collect();
    let item_choices = v.items.iter().map(|i| (i.id.to_string(), format!("{} {}", i.code, base.text(&i.title)))).collect();
    let offer_choices = v.offers.iter().map(|o| (o.id.to_string(), base.text(&o.title))).collect();
    let mut organisers: Vec<(String, String)> = orgs.values().map(|o| (o.id.to_string(), o.short_name.clone())).collect();
    organisers.sort_by(|a, b| a.1.cmp(&b.1));
    let title = format!("{} — {}", base.t("activities-title"), plan.code);
    let failed = !problems.is_empty();
    let mut r = render(&ActivitiesPage {
        month: first.format("%Y-%m").to_string(),
        prev: prev_month.format("%Y-%m").to_string(),
        next: next_month.format("%Y-%m").to_string(),
        weekdays,
        weeks,
        rows,
        kinds,
        item_choices,
        offer_choices,
        organisers,
        can_write: v.may_write,
        women,
        men,
        problems,
        plan,
        base: page.base.with_title(title),
    });
    if failed {
        *r.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(r)
}

pub async fn activities(State(s): State<AppState>, page: Page, Path(id): Path<String>, Query(q): Query<MonthParam>) -> Result<Response, PageError> {
    let plan: PlanId = page.id(&id)?;
    let month = Some(q.month).filter(|m| !m.is_empty());
    activities_page(&s, page, plan, month, Vec::new()).await
}

fn count(base: &Base, form: &FormData, name: &str) -> Result<u32, String> {
    let v = form.value(name);
    if v.is_empty() {
        return Ok(0);
    }
    v.parse().map_err(|_| format!("{}: {}", base.field(name), base.t("form-whole-number")))
}

pub async fn activity_new(State(s): State<AppState>, page: Page, Path(id): Path<String>, form: FormData) -> Result<Response, PageError> {
    let plan: PlanId = page.id(&id)?;
    let dates = match super::assistance::period_of(&page.base, &form) {
        Ok(p) => p,
        Err(p) => return activities_page(&s, page, plan, None, p).await,
    };
    let (women, men) = match (count(&page.base, &form, "women"), count(&page.base, &form, "men")) {
        (Ok(w), Ok(m)) => (w, m),
        (a, b) => return activities_page(&s, page, plan, None, [a.err(), b.err()].into_iter().flatten().collect()).await,
    };
    let input = liaison_domain::activity::NewActivity {
        kind: liaison_domain::activity::ActivityKind::parse(&form.value("kind")).unwrap_or(liaison_domain::activity::ActivityKind::Other),
        title: form.text("title"),
        description: form.value("description"),
        dates,
        place: form.value("place"),
        organiser: ids::<liaison_domain::OrganisationId>(&form, "organiser").first().copied(),
        items: ids(&form, "items"),
        offer: ids::<liaison_domain::OfferId>(&form, "offer").first().copied(),
        participants: liaison_domain::activity::Participants { women, men },
        catalogue_ref: form.value("catalogue_ref"),
        outcome: String::new(),
        feedback: String::new(),
        marking: None,
        downgrade: false,
    };
    let month = dates.start.format("%Y-%m").to_string();
    match liaison_app::activities::create(&s.app, &page.ctx, plan, input).await {
        Ok(_) => Ok(see_other(&format!("/plans/{plan}/activities?month={month}"))),
        Err(e) => match super::progress::messages(&page.base, e) {
            Ok(p) => activities_page(&s, page, plan, Some(month), p).await,
            Err(e) => Err(page.fail(e)),
        },
    }
}

/// Record how an activity went: participants, outcome, feedback.
pub async fn activity_edit(State(s): State<AppState>, page: Page, Path(id): Path<String>, form: FormData) -> Result<Response, PageError> {
    let aid: liaison_domain::ActivityId = page.id(&id)?;
    let result = match (count(&page.base, &form, "women"), count(&page.base, &form, "men")) {
        (Ok(women), Ok(men)) => {
            let version: i64 = form.value("version").parse().unwrap_or(-1);
            let patch = liaison_domain::activity::ActivityPatch {
                participants: Some(liaison_domain::activity::Participants { women, men }),
                outcome: Some(form.value("outcome")),
                feedback: Some(form.value("feedback")),
                ..Default::default()
            };
            match liaison_app::activities::update(&s.app, &page.ctx, aid, version, patch).await {
                Ok(a) => return Ok(see_other(&format!("/plans/{}/activities?month={}#a-{aid}", a.plan, a.dates.start.format("%Y-%m")))),
                Err(e) => super::progress::messages(&page.base, e),
            }
        }
        (a, b) => Ok([a.err(), b.err()].into_iter().flatten().collect()),
    };
    // Back to the month of the activity, with what went wrong.
    let cur = liaison_app::activities::get(&s.app, &page.ctx, aid).await.map_err(|e| page.fail(e))?;
    match result {
        Ok(p) => activities_page(&s, page, cur.plan, Some(cur.dates.start.format("%Y-%m").to_string()), p).await,
        Err(e) => Err(page.fail(e)),
    }
}
