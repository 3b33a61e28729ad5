//! A plan's dashboard: weighted progress overall, by chapter and by area, progress and reported
//! status over time, overdue items, the indicators furthest behind, figures by sex, and the
//! latest assessment of each perspective.

use super::charts::{fmt_num, percent_bars};
use super::figures::{
    AssessmentBox, DASHBOARD_CHARTS, DASHBOARD_INDICATORS, IndicatorRow, OverdueRow, PeriodParam, assessment_boxes, history_charts, indicator_rows, percent,
};
use super::{Base, Page, PageError, render};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use liaison_domain::PlanId;
use liaison_domain::calendar::ReportingPeriod;
use liaison_domain::plan::Plan;

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

pub async fn dashboard(State(s): State<AppState>, mut page: Page, Path(id): Path<String>, Query(q): Query<PeriodParam>) -> Result<Response, PageError> {
    let id: PlanId = page.id(&id)?;
    let v = liaison_app::views::implementation::dashboard(&s.app, &page.ctx, id, q.get()).await.map_err(|e| page.fail(e))?;
    let (plan, sum) = (v.plan, v.summary);
    page.base.mark(&plan.marking);
    for i in &sum.visible_items {
        page.base.mark(&i.marking);
    }
    let areas: std::collections::HashMap<String, String> = v.areas.iter().map(|a| (a.code.clone(), page.base.text(&a.name))).collect();
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
            lead: o.lead_organisation.and_then(|l| v.organisations.get(&l)).map(|x| x.short_name.clone()).unwrap_or_default(),
        })
        .collect();
    let assessments = assessment_boxes(base, &sum);
    let women_men = if sum.gender.by_sex.is_empty() {
        "—".into()
    } else {
        sum.gender.by_sex.iter().map(|(c, v)| format!("{} {}", fmt_num(*v), base.t(&format!("category-{c}")))).collect::<Vec<_>>().join(" · ")
    };
    let title = format!("{} — {}", base.t("dashboard-title"), plan.code);
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
        unknown_period: v.unknown_period,
        periods: sum.periods.clone(),
        plan,
        base: page.base.with_title(title),
    }))
}
