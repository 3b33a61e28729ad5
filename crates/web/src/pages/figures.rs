//! What the implementation pages share: the period parameter, the indicator rows with their
//! charts, the charts over time, the boxes of the latest assessments, and percentages.

use super::Base;
use super::charts::{Stack, fmt_num, indicator, line, stacked};
use liaison_app::summary::Summary;
use liaison_domain::ItemId;
use liaison_domain::item::ItemStatus;
use serde::Deserialize;
use std::collections::HashMap;

#[derive(Deserialize, Default)]
pub struct PeriodParam {
    #[serde(default)]
    pub period: String,
}

impl PeriodParam {
    pub fn get(&self) -> Option<&str> {
        let p = self.period.trim();
        (!p.is_empty()).then_some(p)
    }
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
pub const DASHBOARD_INDICATORS: usize = 30;
pub const DASHBOARD_CHARTS: usize = 12;

/// Indicator rows in the summary's order, or (`behind_first`) those furthest behind their
/// targets first; at most `limit`, with charts for the first `charts`.
pub fn indicator_rows(base: &Base, s: &Summary, behind_first: bool, limit: usize, charts: usize) -> Vec<IndicatorRow> {
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
            if series.is_empty() { String::new() } else { indicator(&name, &def.unit, &base.t("chart-target"), &series) }
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

pub fn history_charts(base: &Base, s: &Summary) -> (String, String) {
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

pub fn assessment_boxes(base: &Base, sum: &Summary) -> Vec<AssessmentBox> {
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

pub fn percent(x: Option<f64>) -> String {
    x.map(|v| format!("{} %", v.round())).unwrap_or_else(|| "—".into())
}
