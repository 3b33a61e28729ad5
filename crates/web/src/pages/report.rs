//! The implementation report of a period as a printable page (the marking on every printed
//! page). The same model makes the CSV and the other exports; showing it is an export too, and
//! is audited like one.

use super::figures::{AssessmentBox, IndicatorRow, PeriodParam, percent};
use super::plans::due_label_of;
use super::{Base, Page, PageError, render};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use liaison_domain::PlanId;
use liaison_domain::indicator::Measure;
use liaison_domain::item::ItemStatus;
use liaison_domain::plan::Plan;
use liaison_domain::report::{Report, ReportFormat};

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

/// The report's indicators as the page lists them.
fn indicator_rows(base: &Base, r: &Report) -> Vec<IndicatorRow> {
    use super::charts::fmt_num;
    r.indicators
        .iter()
        .map(|i| {
            let pct = i.measure == Measure::Percentage;
            let show = |x: Option<f64>| {
                x.map(|v| if pct { format!("{} %", fmt_num((v * 10.0).round() / 10.0)) } else { fmt_num((v * 10.0).round() / 10.0) })
                    .unwrap_or_else(|| "—".into())
            };
            let st = i.standing.as_ref();
            IndicatorRow {
                item_code: i.item_code.clone(),
                item: i.item,
                name: base.text(&i.name),
                unit: i.unit.clone(),
                actual: show(st.and_then(|s| s.actual)),
                target: show(st.and_then(|s| s.target)),
                achievement: st.and_then(|s| s.achievement),
                by_sex: st
                    .map(|s| {
                        s.by_category
                            .iter()
                            .map(|(c, v)| format!("{}: {}", base.t(&format!("category-{c}")), fmt_num((v * 10.0).round() / 10.0)))
                            .collect::<Vec<_>>()
                            .join(", ")
                    })
                    .unwrap_or_default(),
                text: st.and_then(|s| s.text.clone()).unwrap_or_default(),
                chart: String::new(),
            }
        })
        .collect()
}

pub async fn report(State(s): State<AppState>, mut page: Page, Path(id): Path<String>, Query(q): Query<PeriodParam>) -> Result<Response, PageError> {
    let id: PlanId = page.id(&id)?;
    let v = liaison_app::report::implementation(&s.app, &page.ctx, id, q.get(), ReportFormat::Page, true).await.map_err(|e| page.fail(e))?;
    let (plan, r) = (v.plan, v.report);
    page.base.mark(&r.marking);
    let base = &page.base;
    let rows = r
        .rows
        .iter()
        .map(|i| ReportRow {
            code: i.code.clone(),
            title: base.text(&i.title),
            depth: i.depth,
            status: i.status,
            progress: percent(i.progress),
            lead: i.lead.clone(),
            due: due_label_of(base, i.due),
            overdue: i.overdue,
            report: i.report.as_ref().map(|(state, text)| (base.update_state(state), text.clone())),
        })
        .collect();
    let by_status = ItemStatus::ALL.iter().filter_map(|st| r.by_status.get(st.code()).map(|n| (st.code().to_string(), base.status(st), *n))).collect();
    let roots = r.roots.iter().map(|x| (x.code.clone(), base.text(&x.title), percent(Some(x.progress)))).collect();
    let assessments = r
        .assessments
        .iter()
        .map(|a| AssessmentBox {
            perspective: base.t(&format!("perspective-{}", a.perspective.code())),
            period: a.period.clone(),
            state: base.t(&format!("assessment-state-{}", a.state.code())),
            state_code: a.state.code().to_string(),
            ratings: a.scale.ratings().iter().filter_map(|x| a.ratings.get(*x).map(|n| (x.to_string(), base.t(&format!("rating-{x}")), *n))).collect(),
            narrative: a.narrative.clone(),
        })
        .collect();
    let title = format!("{} — {} — {}", base.t("report-title"), plan.code, r.period);
    Ok(render(&ReportPage {
        periods: r.periods.clone(),
        as_of: r.as_of.to_string(),
        progress: percent(r.progress),
        items: r.items,
        overdue_count: r.overdue_count,
        by_status,
        roots,
        rows,
        indicators: indicator_rows(base, &r),
        assessments,
        generated: base.time(&r.generated),
        period: r.period.clone(),
        plan,
        base: page.base.with_title(title),
    }))
}
