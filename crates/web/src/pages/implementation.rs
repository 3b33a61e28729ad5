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

pub(crate) async fn plan_of(s: &AppState, page: &Page, id: &str) -> Result<Plan, PageError> {
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
        let show = |x: Option<f64>| {
            x.map(|v| if pct { format!("{} %", fmt_num((v * 10.0).round() / 10.0)) } else { fmt_num((v * 10.0).round() / 10.0) }).unwrap_or_else(|| "—".into())
        };
        let by_sex = if st.standing.by_category.is_empty() {
            String::new()
        } else {
            st.standing
                .by_category
                .iter()
                .map(|(c, v)| format!("{}: {}", base.t(&format!("category-{c}")), fmt_num((v * 10.0).round() / 10.0)))
                .collect::<Vec<_>>()
                .join(", ")
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
        .map(|a| {
            (
                a.perspective.code().to_string(),
                base.t(&format!("perspective-{}", a.perspective.code())),
                base.t(&format!("assessment-state-{}", a.state.code())),
                a.state.code().to_string(),
            )
        })
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
                .map(|a| {
                    row.and_then(|r| r.ratings.get(a.perspective.code()))
                        .map(|r: &Rating| (r.rating.clone(), base.t(&format!("rating-{}", r.rating)), r.narrative.clone()))
                })
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
    let my_scale_ratings =
        mine.as_ref().map(|m| m.scale.ratings().iter().map(|r| (r.to_string(), base.t(&format!("rating-{r}")))).collect()).unwrap_or_default();
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

// ---- Assistance: the clearing house with requests and offers ----

#[derive(Deserialize, Default, Clone)]
pub struct AssistanceFilters {
    #[serde(default)]
    pub area: String,
    #[serde(default)]
    pub ally: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
}

impl AssistanceFilters {
    fn to_filter(&self) -> Result<liaison_app::assistance::ClearingFilter, Vec<String>> {
        let mut p = Vec::new();
        let mut f = liaison_app::assistance::ClearingFilter::default();
        if !self.area.is_empty() {
            f.area = Some(self.area.clone());
        }
        if !self.ally.is_empty() {
            match uuid::Uuid::try_parse(&self.ally) {
                Ok(u) => f.ally = Some(liaison_domain::OrganisationId(u)),
                Err(_) => p.push("ally: not an organisation".to_string()),
            }
        }
        if !self.kind.is_empty() {
            match liaison_domain::assistance::AssistanceKind::parse(&self.kind) {
                Some(k) => f.kind = Some(k),
                None => p.push("kind: not a kind of assistance".to_string()),
            }
        }
        for (name, v, slot) in [("from", &self.from, &mut f.from), ("to", &self.to, &mut f.to)] {
            if !v.is_empty() {
                match v.parse() {
                    Ok(d) => *slot = Some(d),
                    Err(_) => p.push(format!("{name}: not a date (YYYY-MM-DD)")),
                }
            }
        }
        if p.is_empty() { Ok(f) } else { Err(p) }
    }
}

pub struct OfferRow {
    pub offer: liaison_domain::assistance::AssistanceOffer,
    pub by: String,
    pub items: String,
    pub value: String,
    pub steps: Vec<(String, String, bool)>,
}

pub struct RequestRow {
    pub request: liaison_domain::assistance::AssistanceRequest,
    pub items: String,
    pub can_close: bool,
}

#[derive(Template)]
#[template(path = "assistance.html")]
struct AssistancePage {
    base: Base,
    plan: Plan,
    filters: AssistanceFilters,
    areas: Vec<(String, String)>,
    allies: Vec<(String, String)>,
    kinds: Vec<(String, String)>,
    ch: Option<liaison_app::assistance::ClearingHouseView>,
    requests: Vec<RequestRow>,
    offers: Vec<OfferRow>,
    item_choices: Vec<(String, String)>,
    request_choices: Vec<(String, String)>,
    can_request: bool,
    can_offer: bool,
    offer_for_others: bool,
    problems: Vec<String>,
}

impl AssistancePage {
    fn area_name(&self, code: &str) -> String {
        if code.is_empty() {
            return self.base.t("assistance-no-area");
        }
        self.areas.iter().find(|(c, _)| c == code).map(|(_, n)| n.clone()).unwrap_or_else(|| code.to_string())
    }
    fn kind_name(&self, k: &liaison_domain::assistance::AssistanceKind) -> String {
        self.base.t(&format!("assistance-kind-{}", k.code()))
    }
    fn totals(&self, t: &liaison_domain::assistance::Totals) -> String {
        let values: Vec<String> = t.value_minor.iter().map(|(c, v)| format!("{} {c}", money(*v))).collect();
        if values.is_empty() { t.offers.to_string() } else { format!("{} · {}", t.offers, values.join(" · ")) }
    }
}

#[cfg(test)]
mod tests {
    use super::{money, parse_money};

    #[test]
    fn sums_are_read_and_written_in_minor_units() {
        assert_eq!(parse_money("15000"), Some(1_500_000));
        assert_eq!(parse_money("15 000,5"), Some(1_500_050));
        assert_eq!(parse_money("0.07"), Some(7));
        for bad in ["", "12.345", "-5", "1e3", "abc", ".5"] {
            assert_eq!(parse_money(bad), None, "{bad}");
        }
        assert_eq!(money(1_500_050), "15\u{202f}000.50");
        assert_eq!(money(7), "0.07");
    }
}

/// Minor units as a sum with two decimals and thin grouping.
pub fn money(minor: i64) -> String {
    let (units, cents) = (minor / 100, (minor % 100).abs());
    let digits = units.abs().to_string();
    let mut grouped = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push('\u{202f}');
        }
        grouped.push(ch);
    }
    format!("{}{grouped}.{cents:02}", if minor < 0 { "-" } else { "" })
}

/// A sum typed in a form (`15000`, `15 000,50`) in minor units.
pub fn parse_money(s: &str) -> Option<i64> {
    let clean: String = s.chars().filter(|c| !c.is_whitespace() && *c != '\u{202f}').collect::<String>().replace(',', ".");
    if clean.is_empty() {
        return None;
    }
    let (units, frac) = clean.split_once('.').unwrap_or((&clean, ""));
    if units.is_empty() || !units.bytes().all(|b| b.is_ascii_digit()) || frac.len() > 2 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let cents: i64 = format!("{frac:0<2}").parse().ok()?;
    units.parse::<i64>().ok()?.checked_mul(100)?.checked_add(cents)
}

async fn assistance_page(s: &AppState, mut page: Page, plan: Plan, filters: AssistanceFilters, mut problems: Vec<String>) -> Result<Response, PageError> {
    page.base.mark(&plan.marking);
    let ch = match filters.to_filter() {
        Ok(f) => match liaison_app::assistance::clearing(&s.app, &page.ctx, plan.id, &f).await {
            Ok(c) => Some(c),
            Err(AppError::Invalid(v)) => {
                problems.extend(v.0.into_iter().map(|e| format!("{}: {}", e.field, e.message)));
                None
            }
            Err(e) => return Err(page.fail(e)),
        },
        Err(p) => {
            problems.extend(p);
            None
        }
    };
    let requests = liaison_app::assistance::requests(&s.app, &page.ctx, plan.id).await.map_err(|e| page.fail(e))?;
    let offers = liaison_app::assistance::offers(&s.app, &page.ctx, plan.id).await.map_err(|e| page.fail(e))?;
    let sum = liaison_app::summary::summary(&s.app, &page.ctx, plan.id, None).await.map_err(|e| page.fail(e))?;
    for r in &requests {
        page.base.mark(&r.marking);
    }
    for o in &offers {
        page.base.mark(&o.marking);
    }
    let orgs = super::plans::org_names(s, &page).await;
    let code_of = |i: &ItemId| sum.visible_items.iter().find(|x| x.id == *i).map(|x| x.code.clone()).unwrap_or_default();
    let codes = |v: &[ItemId]| v.iter().map(&code_of).collect::<Vec<_>>().join(", ");
    let may = |a: Action| page.ctx.actor.decide(a, Target::Plan { id: plan.id, marking: &plan.marking }) == Verdict::Allow;
    let subject = page.ctx.actor.subject().cloned();
    let role = subject.as_ref().and_then(|x| x.role_on(plan.id));
    let base = &page.base;
    let offer_rows = offers
        .into_iter()
        .map(|o| {
            use liaison_domain::assistance::{OfferSide, OfferState::*, side_of};
            let side = subject.as_ref().map(|x| side_of(role, x.organisation, o.offered_by)).unwrap_or(OfferSide::Other);
            let next: &[liaison_domain::assistance::OfferState] = match o.state {
                Proposed => &[Accepted, Declined, Withdrawn],
                Accepted => &[InDelivery, Withdrawn],
                InDelivery => &[Delivered, Withdrawn],
                _ => &[],
            };
            let steps = next
                .iter()
                .filter(|to| match side {
                    OfferSide::Coordinator => true,
                    OfferSide::Partner => matches!(to, Accepted | Declined),
                    OfferSide::Offering => !matches!(to, Accepted | Declined),
                    OfferSide::Other => false,
                })
                .map(|to| (to.code().to_string(), base.t(&format!("offer-to-{}", to.code())), matches!(to, Declined | Withdrawn)))
                .collect();
            OfferRow {
                by: orgs.get(&o.offered_by).map(|x| x.short_name.clone()).unwrap_or_default(),
                items: codes(&o.items),
                value: match (o.value_minor, &o.currency) {
                    (Some(v), Some(c)) => format!("{} {c}", money(v)),
                    _ => String::new(),
                },
                steps,
                offer: o,
            }
        })
        .collect();
    let can_request = may(Action::RequestWrite) && plan.state.content_editable();
    let request_rows = requests
        .iter()
        .map(|r| RequestRow { items: codes(&r.items), can_close: can_request && r.state == liaison_domain::assistance::RequestState::Open, request: r.clone() })
        .collect();
    let mut areas: Vec<(String, String)> = area_names(s, &page).await.into_iter().collect();
    areas.sort_by(|a, b| a.1.cmp(&b.1));
    let mut allies: Vec<(String, String)> = orgs
        .values()
        .filter(|o| matches!(o.kind, liaison_domain::organisation::OrgKind::Ally | liaison_domain::organisation::OrgKind::Agency))
        .map(|o| (o.id.to_string(), o.short_name.clone()))
        .collect();
    allies.sort_by(|a, b| a.1.cmp(&b.1));
    let kinds =
        liaison_domain::assistance::AssistanceKind::ALL.iter().map(|k| (k.code().to_string(), page.base.t(&format!("assistance-kind-{}", k.code())))).collect();
    let item_choices = sum.visible_items.iter().map(|i| (i.id.to_string(), format!("{} {}", i.code, page.base.text(&i.title)))).collect();
    let request_choices =
        requests.iter().filter(|r| r.state == liaison_domain::assistance::RequestState::Open).map(|r| (r.id.to_string(), page.base.text(&r.title))).collect();
    let title = format!("{} — {}", page.base.t("assistance-title"), plan.code);
    let failed = !problems.is_empty();
    let mut r = render(&AssistancePage {
        can_offer: may(Action::OfferWrite) && plan.state.content_editable(),
        offer_for_others: role == Some(liaison_domain::access::Role::Coordinator),
        base: page.base.with_title(title),
        filters,
        areas,
        allies,
        kinds,
        ch,
        requests: request_rows,
        offers: offer_rows,
        item_choices,
        request_choices,
        can_request,
        problems,
        plan,
    });
    if failed {
        *r.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(r)
}

pub async fn assistance(State(s): State<AppState>, page: Page, Path(id): Path<String>, Query(f): Query<AssistanceFilters>) -> Result<Response, PageError> {
    let plan = plan_of(&s, &page, &id).await?;
    assistance_page(&s, page, plan, f, Vec::new()).await
}

pub(crate) fn ids<T: From<uuid::Uuid>>(form: &FormData, name: &str) -> Vec<T> {
    form.all(name).iter().filter_map(|v| uuid::Uuid::try_parse(v).ok()).map(T::from).collect()
}

fn period_of(form: &FormData) -> Result<liaison_domain::plan::Period, Vec<String>> {
    match (form.value("start").parse(), form.value("end").parse()) {
        (Ok(start), Ok(end)) => Ok(liaison_domain::plan::Period { start, end }),
        _ => Err(vec!["dates: give the first and last day (YYYY-MM-DD)".into()]),
    }
}

async fn after(s: &AppState, page: Page, plan: Plan, r: Result<(), AppError>) -> Result<Response, PageError> {
    match r {
        Ok(()) => Ok(see_other(&format!("/plans/{}/assistance", plan.id))),
        Err(e) => match super::progress::messages(e) {
            Ok(p) => assistance_page(s, page, plan, AssistanceFilters::default(), p).await,
            Err(e) => Err(page.fail(e)),
        },
    }
}

pub async fn request_new(State(s): State<AppState>, page: Page, Path(id): Path<String>, form: FormData) -> Result<Response, PageError> {
    let plan = plan_of(&s, &page, &id).await?;
    let period = match period_of(&form) {
        Ok(p) => p,
        Err(p) => return assistance_page(&s, page, plan, AssistanceFilters::default(), p).await,
    };
    let kind = liaison_domain::assistance::AssistanceKind::parse(&form.value("kind")).unwrap_or(liaison_domain::assistance::AssistanceKind::Other);
    let priority = liaison_domain::assistance::Priority::parse(&form.value("priority")).unwrap_or(liaison_domain::assistance::Priority::Medium);
    let input = liaison_domain::assistance::NewRequest {
        title: form.text("title"),
        need: form.value("need"),
        kind,
        period,
        priority,
        items: ids(&form, "items"),
        marking: None,
    };
    let r = liaison_app::assistance::create_request(&s.app, &page.ctx, plan.id, input).await.map(|_| ());
    after(&s, page, plan, r).await
}

pub async fn request_close(State(s): State<AppState>, page: Page, Path(id): Path<String>, form: FormData) -> Result<Response, PageError> {
    let rid = uuid::Uuid::try_parse(&id).map(liaison_domain::RequestId).map_err(|_| PageError::not_found(&page.base))?;
    let req = liaison_app::assistance::get_request(&s.app, &page.ctx, rid).await.map_err(|e| page.fail(e))?;
    let plan = liaison_app::plans::get(&s.app, &page.ctx, req.plan).await.map_err(|e| page.fail(e))?;
    let version: i64 = form.value("version").parse().unwrap_or(-1);
    let patch = liaison_domain::assistance::RequestPatch { state: Some(liaison_domain::assistance::RequestState::Closed), ..Default::default() };
    let r = liaison_app::assistance::update_request(&s.app, &page.ctx, rid, version, patch).await.map(|_| ());
    after(&s, page, plan, r).await
}

pub async fn offer_new(State(s): State<AppState>, page: Page, Path(id): Path<String>, form: FormData) -> Result<Response, PageError> {
    let plan = plan_of(&s, &page, &id).await?;
    let period = match period_of(&form) {
        Ok(p) => p,
        Err(p) => return assistance_page(&s, page, plan, AssistanceFilters::default(), p).await,
    };
    let value = form.value("value");
    let value_minor = match (value.is_empty(), parse_money(&value)) {
        (true, _) => None,
        (false, Some(v)) => Some(v),
        (false, None) => return assistance_page(&s, page, plan, AssistanceFilters::default(), vec!["value: a sum such as 15000 or 15000.50".into()]).await,
    };
    let currency = Some(form.value("currency")).filter(|c| !c.is_empty());
    let kind = liaison_domain::assistance::AssistanceKind::parse(&form.value("kind")).unwrap_or(liaison_domain::assistance::AssistanceKind::Other);
    let input = liaison_domain::assistance::NewOffer {
        kind,
        title: form.text("title"),
        description: form.value("description"),
        value_minor,
        currency,
        period,
        items: ids(&form, "items"),
        answers: ids::<liaison_domain::RequestId>(&form, "answers").first().copied(),
        shared_with: ids(&form, "shared_with"),
        marking: None,
        offered_by: ids::<liaison_domain::OrganisationId>(&form, "offered_by").first().copied(),
    };
    let r = liaison_app::assistance::create_offer(&s.app, &page.ctx, plan.id, input).await.map(|_| ());
    after(&s, page, plan, r).await
}

pub async fn offer_step(State(s): State<AppState>, page: Page, Path(id): Path<String>, form: FormData) -> Result<Response, PageError> {
    let oid = uuid::Uuid::try_parse(&id).map(liaison_domain::OfferId).map_err(|_| PageError::not_found(&page.base))?;
    let offer = liaison_app::assistance::get_offer(&s.app, &page.ctx, oid).await.map_err(|e| page.fail(e))?;
    let plan = liaison_app::plans::get(&s.app, &page.ctx, offer.plan).await.map_err(|e| page.fail(e))?;
    let Some(to) = liaison_domain::assistance::OfferState::parse(&form.value("to")) else { return Err(PageError::not_found(&page.base)) };
    let version: i64 = form.value("version").parse().unwrap_or(-1);
    let reason = Some(form.value("reason")).filter(|r| !r.is_empty());
    let r = liaison_app::assistance::step_offer(&s.app, &page.ctx, oid, version, liaison_domain::assistance::OfferStep { to, reason }).await.map(|_| ());
    after(&s, page, plan, r).await
}

// ---- Activities: a month calendar and a list ----

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

async fn activities_page(s: &AppState, mut page: Page, plan: Plan, month: Option<String>, problems: Vec<String>) -> Result<Response, PageError> {
    use chrono::Datelike;
    page.base.mark(&plan.marking);
    let activities = liaison_app::activities::of_plan(&s.app, &page.ctx, plan.id).await.map_err(|e| page.fail(e))?;
    for a in &activities {
        page.base.mark(&a.marking);
    }
    let sum = liaison_app::summary::summary(&s.app, &page.ctx, plan.id, None).await.map_err(|e| page.fail(e))?;
    let offers = liaison_app::assistance::offers(&s.app, &page.ctx, plan.id).await.map_err(|e| page.fail(e))?;
    let orgs = super::plans::org_names(s, &page).await;
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
            let mut entries: Vec<(String, String, String)> = activities
                .iter()
                .filter(|a| a.dates.start <= day && day <= a.dates.end)
                .map(|a| (format!("activity kind-{}", a.kind.code()), base.text(&a.title), format!("#a-{}", a.id)))
                .collect();
            for i in sum.visible_items.iter().filter(|i| !i.status.is_closed() && i.due.and_then(|d| d.deadline()) == Some(day)) {
                entries.push(("due".into(), format!("{} {}", base.t("activities-due"), i.code), format!("/items/{}", i.id)));
            }
            for p in sum.periods.iter().filter(|p| p.due == day) {
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
    let code_of = |i: &ItemId| sum.visible_items.iter().find(|x| x.id == *i).map(|x| x.code.clone()).unwrap_or_default();
    let role = page.ctx.actor.subject().and_then(|x| x.role_on(plan.id));
    let my_org = page.ctx.actor.subject().map(|x| x.organisation);
    let can_write =
        page.ctx.actor.decide(Action::ActivityWrite, Target::Plan { id: plan.id, marking: &plan.marking }) == Verdict::Allow && plan.state.content_editable();
    let (women, men) = liaison_domain::activity::participant_totals(&activities);
    let rows = activities
        .iter()
        .map(|a| ActivityRow {
            kind: base.t(&format!("activity-kind-{}", a.kind.code())),
            organiser: a.organiser.and_then(|o| orgs.get(&o)).map(|o| o.short_name.clone()).unwrap_or_default(),
            items: a.items.iter().map(&code_of).collect::<Vec<_>>().join(", "),
            can_edit: can_write && (role != Some(liaison_domain::access::Role::AllyContributor) || a.organiser == my_org),
            begun: a.dates.start <= today,
            activity: a.clone(),
        })
        .collect();
    let weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"].iter().map(|d| base.t(&format!("weekday-{d}"))).collect();
    let kinds = liaison_domain::activity::ActivityKind::ALL.iter().map(|k| (k.code().to_string(), base.t(&format!("activity-kind-{}", k.code())))).collect();
    let item_choices = sum.visible_items.iter().map(|i| (i.id.to_string(), format!("{} {}", i.code, base.text(&i.title)))).collect();
    let offer_choices = offers.iter().filter(|o| o.state.taken()).map(|o| (o.id.to_string(), base.text(&o.title))).collect();
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
        can_write,
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
    let plan = plan_of(&s, &page, &id).await?;
    let month = Some(q.month).filter(|m| !m.is_empty());
    activities_page(&s, page, plan, month, Vec::new()).await
}

fn count(form: &FormData, name: &str) -> Result<u32, String> {
    let v = form.value(name);
    if v.is_empty() {
        return Ok(0);
    }
    v.parse().map_err(|_| format!("{name}: a whole number"))
}

pub async fn activity_new(State(s): State<AppState>, page: Page, Path(id): Path<String>, form: FormData) -> Result<Response, PageError> {
    let plan = plan_of(&s, &page, &id).await?;
    let dates = match period_of(&form) {
        Ok(p) => p,
        Err(p) => return activities_page(&s, page, plan, None, p).await,
    };
    let (women, men) = match (count(&form, "women"), count(&form, "men")) {
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
    match liaison_app::activities::create(&s.app, &page.ctx, plan.id, input).await {
        Ok(_) => Ok(see_other(&format!("/plans/{}/activities?month={month}", plan.id))),
        Err(e) => match super::progress::messages(e) {
            Ok(p) => activities_page(&s, page, plan, Some(month), p).await,
            Err(e) => Err(page.fail(e)),
        },
    }
}

/// Record how an activity went: participants, outcome, feedback.
pub async fn activity_edit(State(s): State<AppState>, page: Page, Path(id): Path<String>, form: FormData) -> Result<Response, PageError> {
    let aid = uuid::Uuid::try_parse(&id).map(liaison_domain::ActivityId).map_err(|_| PageError::not_found(&page.base))?;
    let cur = liaison_app::activities::get(&s.app, &page.ctx, aid).await.map_err(|e| page.fail(e))?;
    let plan = liaison_app::plans::get(&s.app, &page.ctx, cur.plan).await.map_err(|e| page.fail(e))?;
    let month = cur.dates.start.format("%Y-%m").to_string();
    let (women, men) = match (count(&form, "women"), count(&form, "men")) {
        (Ok(w), Ok(m)) => (w, m),
        (a, b) => return activities_page(&s, page, plan, Some(month), [a.err(), b.err()].into_iter().flatten().collect()).await,
    };
    let version: i64 = form.value("version").parse().unwrap_or(-1);
    let patch = liaison_domain::activity::ActivityPatch {
        participants: Some(liaison_domain::activity::Participants { women, men }),
        outcome: Some(form.value("outcome")),
        feedback: Some(form.value("feedback")),
        ..Default::default()
    };
    match liaison_app::activities::update(&s.app, &page.ctx, aid, version, patch).await {
        Ok(_) => Ok(see_other(&format!("/plans/{}/activities?month={month}#a-{aid}", plan.id))),
        Err(e) => match super::progress::messages(e) {
            Ok(p) => activities_page(&s, page, plan, Some(month), p).await,
            Err(e) => Err(page.fail(e)),
        },
    }
}
