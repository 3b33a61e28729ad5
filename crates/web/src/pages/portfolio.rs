//! The portfolio: every plan the reader may see across partners and cycles, sortable and
//! filterable, with a chart of progress by partner (each partner's latest cycle).

use super::charts::percent_bars;
use super::figures::percent;
use super::kit::urlencode;
use super::{Base, Page, PageError, render};
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::Response;
use liaison_domain::portfolio::{PartnerRef, PortfolioParams, PortfolioRow, SortKey};

/// A column header that sorts: its words, where it leads, and `aria-sort` when it is the one.
pub struct Column {
    pub label: String,
    pub href: String,
    pub sorted: &'static str,
}

/// A row as the page shows it.
pub struct Row {
    pub r: PortfolioRow,
    pub title: String,
    pub title_lang: String,
    pub partner: String,
    pub progress: String,
    pub progress_value: u64,
    pub late: String,
    /// Self, alliance, independent: "period: position" or "—".
    pub assessments: [String; 3],
}

#[derive(Template)]
#[template(path = "portfolio.html")]
struct PortfolioPage {
    base: Base,
    columns: Vec<Column>,
    rows: Vec<Row>,
    partners: Vec<PartnerRef>,
    chosen_partner: String,
    chosen_state: String,
    chosen_cycle: String,
    sort: String,
    order: String,
    chart: String,
    problems: Vec<String>,
    summary: String,
    as_of: String,
}

impl PortfolioPage {
    fn partner_label(&self, p: &PartnerRef) -> String {
        let name = self.base.text(&p.name);
        if name.is_empty() || name == p.short_name { p.short_name.clone() } else { format!("{} — {name}", p.short_name) }
    }
}

/// The page's query string with the filters kept and the sort changed.
fn sort_href(p: &PortfolioParams, key: SortKey, descending: bool) -> String {
    let mut pairs: Vec<String> = Vec::new();
    for (k, v) in [("partner", &p.partner), ("state", &p.state), ("cycle", &p.cycle)] {
        if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
            pairs.push(format!("{k}={}", urlencode(v)));
        }
    }
    pairs.push(format!("sort={}", key.code()));
    pairs.push(format!("order={}", if descending { "desc" } else { "asc" }));
    format!("/portfolio?{}", pairs.join("&"))
}

pub async fn portfolio(State(s): State<AppState>, mut page: Page, parts: Parts) -> Result<Response, PageError> {
    let p: PortfolioParams = serde_urlencoded::from_str(parts.uri.query().unwrap_or("")).unwrap_or_default();
    let title = page.base.t("portfolio-title");
    let mut view = PortfolioPage {
        base: page.base.clone().with_title(title.clone()),
        columns: Vec::new(),
        rows: Vec::new(),
        partners: Vec::new(),
        chosen_partner: p.partner.clone().unwrap_or_default(),
        chosen_state: p.state.clone().unwrap_or_default(),
        chosen_cycle: p.cycle.clone().unwrap_or_default(),
        sort: String::new(),
        order: String::new(),
        chart: String::new(),
        problems: Vec::new(),
        summary: String::new(),
        as_of: String::new(),
    };
    let q = match p.parse() {
        Ok(q) => q,
        Err(e) => {
            view.problems = e.0.iter().map(|f| view.base.tr.field_error(f)).collect();
            let mut r = render(&view);
            *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            return Ok(r);
        }
    };
    let v = liaison_app::portfolio::portfolio(&s.app, &page.ctx, &q).await.map_err(|e| page.fail(e))?;
    for r in &v.rows {
        page.base.mark(&r.marking);
    }
    let base = page.base.clone().with_title(title);
    view.columns = [
        (SortKey::Partner, "col-partner"),
        (SortKey::Plan, "portfolio-col-plan"),
        (SortKey::Cycle, "portfolio-col-cycle"),
        (SortKey::State, "col-state"),
        (SortKey::Progress, "portfolio-col-progress"),
        (SortKey::Overdue, "portfolio-col-overdue"),
        (SortKey::Late, "portfolio-col-late"),
        (SortKey::Unsupported, "portfolio-col-unsupported"),
    ]
    .into_iter()
    .map(|(k, label)| {
        let this = q.sort == k;
        Column {
            label: base.t(label),
            // The sorted column's link reverses it; another column sorts ascending, except the
            // figures, which read best largest first.
            href: sort_href(&p, k, if this { !q.descending } else { !matches!(k, SortKey::Partner | SortKey::Plan | SortKey::Cycle | SortKey::State) }),
            sorted: match (this, q.descending) {
                (false, _) => "",
                (true, false) => "ascending",
                (true, true) => "descending",
            },
        }
    })
    .collect();
    let mut chart_rows: Vec<(String, f64)> = Vec::new();
    for r in v.rows {
        if r.current {
            chart_rows.push((format!("{} · {}", r.partner.short_name, r.code), r.figures.progress.unwrap_or(0.0)));
        }
        let late = match &r.figures.late_reports.period {
            Some(k) => format!("{} / {} ({k})", r.figures.late_reports.missing, r.figures.late_reports.owed),
            None => "—".into(),
        };
        let mut assessments: [String; 3] = ["—".into(), "—".into(), "—".into()];
        for a in &r.figures.assessments {
            let n = liaison_domain::assessment::Perspective::ALL.iter().position(|p| *p == a.perspective).unwrap_or(0);
            assessments[n] = format!("{}: {}", a.period, percent(a.position));
        }
        view.rows.push(Row {
            title: base.text(&r.title),
            title_lang: base.text_lang(&r.title),
            partner: r.partner.short_name.clone(),
            progress: percent(r.figures.progress),
            progress_value: r.figures.progress.map(|x| x.round().clamp(0.0, 100.0) as u64).unwrap_or(0),
            late,
            assessments,
            r,
        });
    }
    chart_rows.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    view.chart = if chart_rows.is_empty() { String::new() } else { percent_bars(&base.t("portfolio-chart"), &chart_rows) };
    view.summary = base.ta("portfolio-summary", &[("plans", &v.plans.to_string()), ("partners", &v.partners.to_string())]);
    view.as_of = v.as_of.to_string();
    view.partners = v.partner_choices;
    view.sort = q.sort.code().to_string();
    view.order = if q.descending { "desc".into() } else { "asc".into() };
    view.base = base;
    Ok(render(&view))
}

/// The states a plan can be in, for the filter.
pub const STATES: [liaison_domain::plan::PlanState; 7] = liaison_domain::plan::PlanState::ALL;
