//! Following implementation in the browser: the plan's dashboard, the reporting calendar with
//! who has not reported, the perspectives of an assessment side by side, the printable report,
//! and the inbox of notifications.

use super::charts::{Stack, fmt_num, indicator, line, percent_bars, stacked};
use super::{Base, FormData, Page, PageError, render, see_other};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use liaison_app::AppError;
use liaison_app::summary::Summary;
use liaison_domain::access::{Action, Target, Verdict};
use liaison_domain::assessment::{Assessment, AssessmentPatch, AssessmentState, NewAssessment, Perspective, Rating, Scale, SideBySide};
use liaison_domain::calendar::{PeriodPatch, ReportingPeriod};
use liaison_domain::item::ItemStatus;
use liaison_domain::notification::Notification;
use liaison_domain::plan::Plan;
use liaison_domain::{AssessmentId, ItemId, NotificationId, PlanId};
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::Arc;

#[derive(Deserialize, Default)]
pub struct PeriodParam {
    #[serde(default)]
    pub period: String,
}

impl PeriodParam {
    fn get(&self) -> Option<&str> {
        let p = self.period.trim();
        (!p.is_empty()).then_some(p)
    }
}

async fn plan_of(s: &AppState, page: &Page, id: &str) -> Result<Plan, PageError> {
    let id = uuid::Uuid::try_parse(id).map(PlanId).map_err(|_| PageError::not_found(&page.base))?;
    liaison_app::plans::get(&s.app, &page.ctx, id).await.map_err(|e| page.fail(e))
}

/// The summary at the asked period; an unknown period falls back to the current one.
async fn summary_of(s: &AppState, page: &Page, plan: PlanId, period: Option<&str>) -> Result<(Arc<Summary>, bool), PageError> {
    match liaison_app::summary::summary(&s.app, &page.ctx, plan, period).await {
        Ok(x) => Ok((x, false)),
        Err(AppError::Invalid(_)) => Ok((liaison_app::summary::summary(&s.app, &page.ctx, plan, None).await.map_err(|e| page.fail(e))?, true)),
        Err(e) => Err(page.fail(e)),
    }
}

async fn area_names(s: &AppState, page: &Page) -> HashMap<String, String> {
    liaison_app::directory::areas(&s.app, &page.ctx).await.unwrap_or_default().into_iter().map(|a| (a.code.clone(), page.base.text(&a.name))).collect()
}

/// One indicator on the dashboard and in the report.
pub struct IndicatorRow {
    pub item_code: String,
    pub item: ItemId,
    pub name: String,
    pub unit: String,
    pub actual: String,
    pub target: String,
    pub achievement: Option<f64>,
    pub by_sex: String,
    pub text: String,
    pub chart: String,
}

/// How many indicators the dashboard lists (furthest behind first), and how many it charts.
const DASHBOARD_INDICATORS: usize = 30;
const DASHBOARD_CHARTS: usize = 12;

/// Indicator rows in the summary's order, or (`behind_first`) those furthest behind their
/// targets first; at most `limit`, with charts for the first `charts`.
fn indicator_rows(base: &Base, s: &Summary, behind_first: bool, limit: usize, charts: usize) -> Vec<IndicatorRow> {
    let code_of: HashMap<ItemId, &str> = s.visible_items.iter().map(|i| (i.id, i.code.as_str())).collect();
    let mut order: Vec<&liaison_domain::rollup::IndicatorStanding> = s.indicator_standings.iter().collect();
    if behind_first {
        // Those with a target, least achieved first; then the rest.
        order.sort_by(|a, b| {
            let key = |x: &liaison_domain::rollup::IndicatorStanding| (x.standing.target.is_none(), x.standing.achievement.unwrap_or(0.0));
            let (ka, kb) = (key(a), key(b));
            ka.0.cmp(&kb.0).then(ka.1.partial_cmp(&kb.1).unwrap_or(std::cmp::Ordering::Equal))
        });
    }
    let mut rows = Vec::new();
    for st in order.into_iter().take(limit) {
        let Some(def) = s.indicator_defs.iter().find(|d| d.id == st.indicator) else { continue };
        let name = base.text(&def.name);
        let pct = def.measure == liaison_domain::indicator::Measure::Percentage;
        let show = |x: Option<f64>| x.map(|v| if pct { format!("{} %", fmt_num((v * 10.0).round() / 10.0)) } else { fmt_num((v * 10.0).round() / 10.0) }).unwrap_or_else(|| "—".into());
        let by_sex = if st.standing.by_category.is_empty() {
            String::new()
        } else {
            st.standing.by_category.iter().map(|(c, v)| format!("{}: {}", base.t(&format!("category-{c}")), fmt_num((v * 10.0).round() / 10.0))).collect::<Vec<_>>().join(", ")
        };
        let chart = if rows.len() >= charts || def.measure == liaison_domain::indicator::Measure::Qualitative {
            String::new()
        } else {
            let series: Vec<(String, Option<f64>, Option<f64>)> = s.series(def.id).into_iter().map(|x| (x.period, x.actual, x.target)).collect();
            if series.is_empty() { String::new() } else { indicator(&name, &def.unit, &series) }
        };
        rows.push(IndicatorRow {
            item_code: code_of.get(&def.item).map(|c| c.to_string()).unwrap_or_default(),
            item: def.item,
            name,
            unit: def.unit.clone(),
            actual: show(st.standing.actual),
            target: show(st.standing.target),
            achievement: st.standing.achievement,
            by_sex,
            text: st.standing.text.clone().unwrap_or_default(),
            chart,
        });
    }
    rows
}

/// Periods shown in the charts over time: the last eight up to the summary's period.
const HISTORY: usize = 8;

fn history_charts(base: &Base, s: &Summary) -> (String, String) {
    let recent = &s.over_time[s.over_time.len().saturating_sub(HISTORY)..];
    let points: Vec<(String, Option<f64>)> = recent.iter().map(|p| (p.period.clone(), p.progress)).collect();
    let mut order: Vec<String> = ItemStatus::ALL.iter().map(|x| x.code().to_string()).collect();
    order.push("not_reported".into());
    let columns: Vec<Stack> = recent
        .iter()
        .map(|p| Stack {
            label: p.period.clone(),
            segments: order
                .iter()
                .filter_map(|code| {
                    p.reported_status.get(code).map(|n| {
                        let label = if code == "not_reported" { base.t("not-reported") } else { base.t(&format!("status-{code}")) };
                        let class = if code == "not_reported" { "not_reported".to_string() } else { format!("status-{code}") };
                        (class, label, *n)
                    })
                })
                .collect(),
        })
        .collect();
    (line(&base.t("chart-progress-over-time"), &points), stacked(&base.t("chart-status-over-time"), &columns))
}

pub struct OverdueRow {
    pub item: ItemId,
    pub code: String,
    pub title: String,
    pub due: String,
    pub status: ItemStatus,
    pub lead: String,
}

fn assessment_boxes(base: &Base, sum: &Summary) -> Vec<AssessmentBox> {
    sum.latest_assessments
        .iter()
        .map(|a| AssessmentBox {
            perspective: base.t(&format!("perspective-{}", a.perspective.code())),
            period: a.period.clone(),
            state: base.t(&format!("assessment-state-{}", a.state.code())),
            state_code: a.state.code().to_string(),
            ratings: a.scale.ratings().iter().filter_map(|r| a.ratings.get(*r).map(|n| (r.to_string(), base.t(&format!("rating-{r}")), *n))).collect(),
            narrative: a.narrative.clone(),
        })
        .collect()
}

pub struct AssessmentBox {
    pub perspective: String,
    pub period: String,
    pub state: String,
    pub state_code: String,
    pub ratings: Vec<(String, String, u64)>,
    pub narrative: String,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    base: Base,
    plan: Plan,
    periods: Vec<ReportingPeriod>,
    period: String,
    unknown_period: bool,
    progress: String,
    items: u64,
    overdue_count: u64,
    met: String,
    mean_achievement: String,
    women_men: String,
    chart_roots: String,
    chart_areas: String,
    chart_progress: String,
    chart_status: String,
    overdue: Vec<OverdueRow>,
    indicators: Vec<IndicatorRow>,
    indicators_total: usize,
    assessments: Vec<AssessmentBox>,
    as_of: String,
}

impl DashboardPage {
    fn shown_indicators(&self) -> String {
        self.base.ta("dashboard-indicators-shown", &[("shown", &self.indicators.len().to_string()), ("total", &self.indicators_total.to_string())])
    }
}

fn percent(x: Option<f64>) -> String {
    x.map(|v| format!("{} %", v.round())).unwrap_or_else(|| "—".into())
}

pub async fn dashboard(State(s): State<AppState>, mut page: Page, Path(id): Path<String>, Query(q): Query<PeriodParam>) -> Result<Response, PageError> {
    let plan = plan_of(&s, &page, &id).await?;
    let (sum, unknown_period) = summary_of(&s, &page, plan.id, q.get()).await?;
    page.base.mark(&plan.marking);
    for i in &sum.visible_items {
        page.base.mark(&i.marking);
    }
    let areas = area_names(&s, &page).await;
    let orgs = super::plans::org_names(&s, &page).await;
    let base = &page.base;
    let roots: Vec<(String, f64)> = sum.progress_by_root.iter().map(|r| (format!("{} {}", r.item.code, base.text(&r.item.title)), r.progress)).collect();
    let by_area: Vec<(String, f64)> = sum.progress_by_area.iter().map(|(a, p)| (areas.get(a).cloned().unwrap_or_else(|| a.clone()), *p)).collect();
    let (chart_progress, chart_status) = history_charts(base, &sum);
    let overdue = sum
        .overdue
        .iter()
        .map(|o| OverdueRow {
            item: o.item.id,
            code: o.item.code.clone(),
            title: base.text(&o.item.title),
            due: o.due.to_string(),
            status: o.status,
            lead: o.lead_organisation.and_then(|l| orgs.get(&l)).map(|x| x.short_name.clone()).unwrap_or_default(),
        })
        .collect();
    let assessments = assessment_boxes(base, &sum);
    let women_men = if sum.gender.by_sex.is_empty() {
        "—".into()
    } else {
        sum.gender.by_sex.iter().map(|(c, v)| format!("{} {}", fmt_num(*v), base.t(&format!("category-{c}")))).collect::<Vec<_>>().join(" · ")
    };
    let title = format!("{} — {}", base.t("dashboard-title"), plan.code);
    let periods = sum.periods.clone();
    Ok(render(&DashboardPage {
        progress: percent(sum.progress),
        items: sum.items,
        overdue_count: sum.overdue_count,
        met: format!("{} / {}", sum.indicators.met, sum.indicators.with_target),
        mean_achievement: percent(sum.indicators.mean_achievement),
        women_men,
        chart_roots: percent_bars(&base.t("chart-progress-by-root"), &roots),
        chart_areas: percent_bars(&base.t("chart-progress-by-area"), &by_area),
        chart_progress,
        chart_status,
        overdue,
        indicators: indicator_rows(base, &sum, true, DASHBOARD_INDICATORS, DASHBOARD_CHARTS),
        indicators_total: sum.indicator_standings.len(),
        assessments,
        as_of: sum.as_of.to_string(),
        period: sum.period.clone().unwrap_or_default(),
        unknown_period,
        periods,
        plan,
        base: page.base.with_title(title),
    }))
}

// ---- The reporting calendar ----

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

async fn calendar_page(s: &AppState, mut page: Page, plan: Plan, period: Option<String>, problems: Vec<String>) -> Result<Response, PageError> {
    let periods = liaison_app::calendar::periods(&s.app, &page.ctx, plan.id).await.map_err(|e| page.fail(e))?;
    page.base.mark(&plan.marking);
    let today = page.base.today;
    let chosen = period
        .filter(|k| periods.iter().any(|p| &p.key == k))
        .or_else(|| periods.iter().rev().find(|p| p.ends < today).or(periods.first()).map(|p| p.key.clone()));
    let selected = match &chosen {
        Some(k) => Some(liaison_app::calendar::status(&s.app, &page.ctx, plan.id, k).await.map_err(|e| page.fail(e))?),
        None => None,
    };
    let rows = periods
        .into_iter()
        .map(|p| {
            let ph = p.phase(today);
            PeriodRow { phase: page.base.t(&format!("phase-{}", phase_code(&ph))), phase_code: phase_code(&ph).into(), period: p }
        })
        .collect();
    let selected_phase = selected.as_ref().map(|x| page.base.t(&format!("phase-{}", phase_code(&x.phase)))).unwrap_or_default();
    let can_manage = page.ctx.actor.decide(Action::CalendarWrite, Target::Plan { id: plan.id, marking: &plan.marking }) == Verdict::Allow;
    let title = format!("{} — {}", page.base.t("calendar-title"), plan.code);
    let failed = !problems.is_empty();
    let mut r = render(&CalendarPage { base: page.base.with_title(title), plan, rows, selected, selected_phase, can_manage, problems });
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
    let plan = plan_of(&s, &page, &id).await?;
    calendar_page(&s, page, plan, q.get().map(String::from), Vec::new()).await
}


/// Lock or unlock a period, or change its due date (coordinators).
pub async fn calendar_update(State(s): State<AppState>, page: Page, Path((id, key)): Path<(String, String)>, form: FormData) -> Result<Response, PageError> {
    let plan = plan_of(&s, &page, &id).await?;
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
            Err(_) => return calendar_page(&s, page, plan, Some(key), vec![format!("due: {d:?} is not a date (YYYY-MM-DD)")]).await,
        },
    };
    let reason = Some(form.value("reason")).filter(|r| !r.is_empty());
    match liaison_app::calendar::update_period(&s.app, &page.ctx, plan.id, &key, version, PeriodPatch { due, locked, reason }).await {
        Ok(_) => Ok(see_other(&format!("/plans/{}/calendar?period={}", plan.id, super::urlencode(&key)))),
        Err(e) => match super::progress::messages(e) {
            Ok(p) => calendar_page(&s, page, plan, Some(key), p).await,
            Err(e) => Err(page.fail(e)),
        },
    }
}

// ---- Assessments side by side ----

pub struct CompareRow {
    pub item: ItemId,
    pub code: String,
    pub title: String,
    pub depth: u8,
    pub cells: Vec<Option<(String, String, String)>>,
    pub disagreement: bool,
    pub mine: String,
    pub mine_note: String,
}

#[derive(Template)]
#[template(path = "assessments.html")]
struct AssessmentsPage {
    base: Base,
    plan: Plan,
    periods: Vec<String>,
    period: String,
    columns: Vec<(String, String, String, String)>,
    rows: Vec<CompareRow>,
    disagreements: u64,
    /// The actor's perspective, if they write one on this plan.
    my_perspective: Option<String>,
    mine: Option<Assessment>,
    my_scale_ratings: Vec<(String, String)>,
    can_assess: bool,
    problems: Vec<String>,
}

fn my_perspective(page: &Page, plan: &Plan) -> Option<Perspective> {
    let role = page.ctx.actor.subject()?.role_on(plan.id)?;
    Perspective::ALL.into_iter().find(|p| p.author_role() == role)
}

async fn assessments_page(s: &AppState, mut page: Page, plan: Plan, period: Option<String>, problems: Vec<String>) -> Result<Response, PageError> {
    let periods = liaison_app::calendar::periods(&s.app, &page.ctx, plan.id).await.map_err(|e| page.fail(e))?;
    let today = page.base.today;
    let all = liaison_app::assessments::of_plan(&s.app, &page.ctx, plan.id, None).await.map_err(|e| page.fail(e))?;
    let period = period
        .filter(|k| periods.iter().any(|p| &p.key == k))
        .or_else(|| all.iter().map(|a| a.period.clone()).max_by_key(|k| periods.iter().position(|p| &p.key == k)))
        .or_else(|| summary_period(&periods, today))
        .unwrap_or_default();
    let cmp = liaison_app::assessments::compare(&s.app, &page.ctx, plan.id, &period).await.map_err(|e| page.fail(e))?;
    page.base.mark(&plan.marking);
    for a in &cmp.assessments {
        page.base.mark(&a.marking);
    }
    let items = liaison_store_items(s, &page, plan.id).await?;
    for i in &items {
        page.base.mark(&i.marking);
    }
    let perspectives: Vec<&Assessment> = Perspective::ALL.iter().filter_map(|p| cmp.assessments.iter().find(|a| a.perspective == *p)).collect();
    let base = &page.base;
    let columns = perspectives
        .iter()
        .map(|a| (a.perspective.code().to_string(), base.t(&format!("perspective-{}", a.perspective.code())), base.t(&format!("assessment-state-{}", a.state.code())), a.state.code().to_string()))
        .collect();
    let mine_p = my_perspective(&page, &plan);
    let mine = mine_p.and_then(|p| cmp.assessments.iter().find(|a| a.perspective == p).cloned());
    let by_item: HashMap<ItemId, &SideBySide> = cmp.rows.iter().map(|r| (r.item, r)).collect();
    let rows = items
        .iter()
        .map(|i| {
            let row = by_item.get(&i.id);
            let cells = perspectives
                .iter()
                .map(|a| row.and_then(|r| r.ratings.get(a.perspective.code())).map(|r: &Rating| (r.rating.clone(), base.t(&format!("rating-{}", r.rating)), r.narrative.clone())))
                .collect();
            let my = mine.as_ref().and_then(|m| m.ratings.iter().find(|r| r.item == i.id));
            CompareRow {
                item: i.id,
                code: i.code.clone(),
                title: base.text(&i.title),
                depth: i.depth,
                cells,
                disagreement: row.is_some_and(|r| r.disagreement),
                mine: my.map(|r| r.rating.clone()).unwrap_or_default(),
                mine_note: my.map(|r| r.narrative.clone()).unwrap_or_default(),
            }
        })
        .collect();
    let can_assess = mine_p.is_some()
        && matches!(plan.state, liaison_domain::plan::PlanState::Implementation | liaison_domain::plan::PlanState::Assessment)
        && page.ctx.actor.decide(Action::AssessmentWrite, Target::Plan { id: plan.id, marking: &plan.marking }) == Verdict::Allow;
    let my_scale_ratings = mine.as_ref().map(|m| m.scale.ratings().iter().map(|r| (r.to_string(), base.t(&format!("rating-{r}")))).collect()).unwrap_or_default();
    let title = format!("{} — {}", base.t("assessments-title"), plan.code);
    let failed = !problems.is_empty();
    let mut r = render(&AssessmentsPage {
        periods: periods.iter().map(|p| p.key.clone()).collect(),
        period,
        columns,
        rows,
        disagreements: cmp.disagreements,
        my_perspective: mine_p.map(|p| page.base.t(&format!("perspective-{}", p.code()))),
        mine,
        my_scale_ratings,
        can_assess,
        problems,
        plan,
        base: page.base.with_title(title),
    });
    if failed {
        *r.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(r)
}

fn summary_period(periods: &[ReportingPeriod], today: chrono::NaiveDate) -> Option<String> {
    liaison_app::summary::current_period(periods, today).map(|p| p.key.clone())
}

async fn liaison_store_items(s: &AppState, page: &Page, plan: PlanId) -> Result<Vec<liaison_domain::item::Item>, PageError> {
    let sum = liaison_app::summary::summary(&s.app, &page.ctx, plan, None).await.map_err(|e| page.fail(e))?;
    Ok(sum.visible_items.clone())
}

pub async fn assessments(State(s): State<AppState>, page: Page, Path(id): Path<String>, Query(q): Query<PeriodParam>) -> Result<Response, PageError> {
    let plan = plan_of(&s, &page, &id).await?;
    assessments_page(&s, page, plan, q.get().map(String::from), Vec::new()).await
}

/// Start the actor's perspective for a period.
pub async fn assessment_start(State(s): State<AppState>, page: Page, Path(id): Path<String>, form: FormData) -> Result<Response, PageError> {
    let plan = plan_of(&s, &page, &id).await?;
    let period = form.value("period");
    let Some(perspective) = my_perspective(&page, &plan) else {
        return Err(page.fail(AppError::Forbidden("your role on this plan writes no perspective".into())));
    };
    let scale = Scale::parse(&form.value("scale")).unwrap_or(Scale::Completion);
    let input = NewAssessment { period: period.clone(), perspective, scale, narrative: String::new(), marking: None };
    match liaison_app::assessments::create(&s.app, &page.ctx, plan.id, input).await {
        Ok(_) => Ok(see_other(&format!("/plans/{}/assessments?period={}#mine", plan.id, super::urlencode(&period)))),
        Err(e) => match super::progress::messages(e) {
            Ok(p) => assessments_page(&s, page, plan, Some(period), p).await,
            Err(e) => Err(page.fail(e)),
        },
    }
}

/// Save the actor's ratings and judgement (and, when asked, make the assessment final).
pub async fn assessment_save(State(s): State<AppState>, page: Page, Path(id): Path<String>, form: FormData) -> Result<Response, PageError> {
    let aid = uuid::Uuid::try_parse(&id).map(AssessmentId).map_err(|_| PageError::not_found(&page.base))?;
    let cur = liaison_app::assessments::get(&s.app, &page.ctx, aid).await.map_err(|e| page.fail(e))?;
    let plan = liaison_app::plans::get(&s.app, &page.ctx, cur.plan).await.map_err(|e| page.fail(e))?;
    let version: i64 = form.value("version").parse().unwrap_or(-1);
    let mut ratings = Vec::new();
    for (k, v) in &form.0 {
        if let Some(item) = k.strip_prefix("r_").and_then(|x| uuid::Uuid::try_parse(x).ok()).map(ItemId) {
            let note = form.value(&format!("n_{}", item));
            let had = cur.ratings.iter().find(|r| r.item == item);
            let changed = match had {
                Some(h) => h.rating != v.trim() || h.narrative != note,
                None => !v.trim().is_empty(),
            };
            if changed {
                ratings.push(Rating { item, rating: v.trim().to_string(), narrative: note });
            }
        }
    }
    let patch = AssessmentPatch { narrative: Some(form.value("narrative")), finalise: form.get("final").is_some(), ratings };
    match liaison_app::assessments::update(&s.app, &page.ctx, aid, version, patch).await {
        Ok(_) => Ok(see_other(&format!("/plans/{}/assessments?period={}#mine", plan.id, super::urlencode(&cur.period)))),
        Err(e) => match super::progress::messages(e) {
            Ok(p) => assessments_page(&s, page, plan, Some(cur.period), p).await,
            Err(e) => Err(page.fail(e)),
        },
    }
}

// ---- The printable report ----

pub struct ReportRow {
    pub code: String,
    pub title: String,
    pub depth: u8,
    pub status: ItemStatus,
    pub progress: String,
    pub lead: String,
    pub due: String,
    pub overdue: bool,
    pub report: Option<(String, String)>,
}

#[derive(Template)]
#[template(path = "report.html")]
struct ReportPage {
    base: Base,
    plan: Plan,
    period: String,
    periods: Vec<String>,
    as_of: String,
    progress: String,
    items: u64,
    overdue_count: u64,
    by_status: Vec<(String, String, u64)>,
    roots: Vec<(String, String, String)>,
    rows: Vec<ReportRow>,
    indicators: Vec<IndicatorRow>,
    assessments: Vec<AssessmentBox>,
    generated: String,
}

pub async fn report(State(s): State<AppState>, mut page: Page, Path(id): Path<String>, Query(q): Query<PeriodParam>) -> Result<Response, PageError> {
    let plan = plan_of(&s, &page, &id).await?;
    // Unless asked otherwise, the report covers the latest period anybody reported on.
    let latest_reported = match q.get() {
        Some(_) => None,
        None => {
            let periods = liaison_app::calendar::periods(&s.app, &page.ctx, plan.id).await.map_err(|e| page.fail(e))?;
            let all = liaison_app::progress::of_plan(&s.app, &page.ctx, plan.id, None).await.map_err(|e| page.fail(e))?;
            all.iter().filter(|u| u.state.reported()).filter_map(|u| periods.iter().position(|p| p.key == u.period)).max().map(|i| periods[i].key.clone())
        }
    };
    let (sum, _) = summary_of(&s, &page, plan.id, q.get().or(latest_reported.as_deref())).await?;
    page.base.mark(&plan.marking);
    for i in &sum.visible_items {
        page.base.mark(&i.marking);
    }
    let period = sum.period.clone().unwrap_or_default();
    let updates = liaison_app::progress::of_plan(&s.app, &page.ctx, plan.id, Some(&period)).await.map_err(|e| page.fail(e))?;
    for u in &updates {
        page.base.mark(&u.marking);
    }
    let orgs = super::plans::org_names(&s, &page).await;
    let base = &page.base;
    let overdue: std::collections::HashSet<ItemId> = sum.overdue.iter().map(|o| o.item.id).collect();
    let rows = sum
        .visible_items
        .iter()
        .map(|i| ReportRow {
            code: i.code.clone(),
            title: base.text(&i.title),
            depth: i.depth,
            status: i.status,
            progress: percent(sum.progress_of.get(&i.id).copied()),
            lead: i.lead_organisation.and_then(|l| orgs.get(&l)).map(|o| o.short_name.clone()).unwrap_or_default(),
            due: super::plans::due_label(base, i),
            overdue: overdue.contains(&i.id),
            report: updates.iter().find(|u| u.item == i.id).map(|u| (base.update_state(&u.state), u.narrative.clone())),
        })
        .collect();
    let by_status = ItemStatus::ALL.iter().filter_map(|st| sum.by_status.get(st.code()).map(|n| (st.code().to_string(), base.status(st), *n))).collect();
    let roots = sum.progress_by_root.iter().map(|r| (r.item.code.clone(), base.text(&r.item.title), percent(Some(r.progress)))).collect();
    let assessments = assessment_boxes(base, &sum);
    let title = format!("{} — {} — {}", base.t("report-title"), plan.code, period);
    Ok(render(&ReportPage {
        periods: sum.periods.iter().map(|p| p.key.clone()).collect(),
        as_of: sum.as_of.to_string(),
        progress: percent(sum.progress),
        items: sum.items,
        overdue_count: sum.overdue_count,
        by_status,
        roots,
        rows,
        indicators: indicator_rows(base, &sum, false, usize::MAX, 0),
        assessments,
        generated: base.time(&s.app.now()),
        period,
        plan,
        base: page.base.with_title(title),
    }))
}

// ---- Notifications ----

#[derive(Template)]
#[template(path = "notifications.html")]
struct InboxPage {
    base: Base,
    items: Vec<Notification>,
}

pub async fn notifications(State(s): State<AppState>, page: Page) -> Result<Response, PageError> {
    let items = liaison_app::notifications::mine(&s.app, &page.ctx, 200).await.map_err(|e| page.fail(e))?;
    let title = page.base.t("inbox-title");
    Ok(render(&InboxPage { base: page.base.with_title(title), items }))
}

pub async fn notifications_read(State(s): State<AppState>, page: Page, form: FormData) -> Result<Response, PageError> {
    let id = uuid::Uuid::try_parse(&form.value("id")).ok().map(NotificationId);
    liaison_app::notifications::mark_read(&s.app, &page.ctx, id).await.map_err(|e| page.fail(e))?;
    let next = form.get("next").map(|n| super::safe_next(Some(n))).unwrap_or_else(|| "/notifications".into());
    Ok(see_other(&next))
}
