//! The item page's implementation part: progress reports with their review, evidence files, and
//! indicators with their figures, each with the forms its reader may use.

use super::charts::fmt_num;
use super::markdown::to_safe_html;
use super::{Base, FormData, Page, PageError, see_other};
use crate::state::AppState;
use axum::extract::{Multipart, Path, State};
use axum::response::Response;
use liaison_app::AppError;
use liaison_domain::Refusal;
use liaison_domain::indicator::{Dimension, Measure, NewIndicator, NewMeasurement, Target as IndicatorTarget, Value};
use liaison_domain::item::ItemStatus;
use liaison_domain::progress::{NewUpdate, Step, StepInput, UpdatePatch, UpdateState};
use liaison_domain::{AttachmentId, IndicatorId, ItemId, UpdateId};
use std::collections::BTreeMap;

pub struct UpdateView {
    pub id: UpdateId,
    pub period: String,
    pub state: UpdateState,
    pub status: ItemStatus,
    pub percent: u8,
    pub narrative_html: String,
    pub narrative: String,
    pub reason: Option<String>,
    pub reporter: String,
    pub updated: String,
    pub evidence: Vec<(AttachmentId, String)>,
    pub marking: String,
    pub version: i64,
    pub can_edit: bool,
    pub can_submit: bool,
    pub can_review: bool,
    pub can_reopen: bool,
}

pub struct StandingRow {
    pub period: String,
    pub actual: String,
    pub target: String,
    pub achievement: String,
    pub by_category: String,
    pub text: String,
}

pub struct IndicatorView {
    pub id: IndicatorId,
    pub name: String,
    pub unit: String,
    pub measure: Measure,
    pub cumulative: bool,
    pub categories: Vec<(String, String)>,
    pub rows: Vec<StandingRow>,
}

/// Everything the item page shows about implementation.
pub struct ProgressSection {
    pub updates: Vec<UpdateView>,
    pub indicators: Vec<IndicatorView>,
    /// Periods without a report on this item, that have started (for the new report form).
    pub open_periods: Vec<String>,
    /// Every period that has started (for figures).
    pub started_periods: Vec<String>,
    /// Every period (for targets).
    pub all_periods: Vec<String>,
    pub can_report: bool,
    pub can_define: bool,
    pub can_measure: bool,
    pub reporting_open: bool,
    pub errors: Vec<String>,
    pub draft_narrative: String,
}

/// The item page's implementation part, laid out from the item's read model.
pub fn section(base: &mut Base, v: &liaison_app::views::items::ProgressView, errors: Vec<String>, draft_narrative: String) -> ProgressSection {
    let today = base.today;
    let locked: std::collections::HashSet<&str> = v.periods.iter().filter(|p| p.locked).map(|p| p.key.as_str()).collect();
    let mut views = Vec::new();
    for r in &v.reports {
        let u = &r.update;
        base.mark(&u.marking);
        let steps = &r.offered.steps;
        views.push(UpdateView {
            id: u.id,
            period: u.period.clone(),
            state: u.state,
            status: u.status,
            percent: u.percent,
            narrative_html: to_safe_html(&u.narrative),
            narrative: u.narrative.clone(),
            reason: u.reason.clone(),
            reporter: u.reporter_name.clone(),
            updated: base.time(&u.updated_at),
            evidence: u.evidence.iter().filter_map(|e| v.evidence.iter().find(|f| f.id == *e).map(|f| (f.id, f.name.clone()))).collect(),
            marking: u.marking.banner(),
            version: u.version,
            can_edit: r.offered.edit,
            can_submit: steps.contains(&Step::Submit),
            can_review: steps.contains(&Step::Approve) || steps.contains(&Step::Return),
            can_reopen: steps.contains(&Step::Reopen),
        });
    }
    let started: Vec<String> = v.periods.iter().filter(|p| p.starts <= today).map(|p| p.key.clone()).collect();
    let open_periods: Vec<String> =
        started.iter().rev().filter(|k| !v.reports.iter().any(|r| &&r.update.period == k) && !locked.contains(k.as_str())).cloned().collect();
    let indicators = v
        .indicators
        .iter()
        .map(|x| {
            let ind = &x.indicator;
            let pct = ind.measure == Measure::Percentage;
            let show =
                |x: Option<f64>| x.map(|v| format!("{}{}", fmt_num((v * 10.0).round() / 10.0), if pct { " %" } else { "" })).unwrap_or_else(|| "—".into());
            IndicatorView {
                id: ind.id,
                name: base.text(&ind.name),
                unit: ind.unit.clone(),
                measure: ind.measure,
                cumulative: ind.cumulative,
                categories: ind
                    .dimension
                    .as_ref()
                    .map(|d| d.categories.iter().map(|c| (c.clone(), base.t(&format!("category-{c}")))).collect())
                    .unwrap_or_default(),
                rows: x
                    .standing
                    .iter()
                    .map(|st| StandingRow {
                        period: st.period.clone(),
                        actual: show(st.actual),
                        target: show(st.target),
                        achievement: st.achievement.map(|a| format!("{} %", a.round())).unwrap_or_else(|| "—".into()),
                        by_category: st
                            .by_category
                            .iter()
                            .map(|(c, x)| format!("{} {}", base.t(&format!("category-{c}")), fmt_num((x * 10.0).round() / 10.0)))
                            .collect::<Vec<_>>()
                            .join(", "),
                        text: st.text.clone().unwrap_or_default(),
                    })
                    .collect(),
            }
        })
        .collect();
    ProgressSection {
        updates: views,
        indicators,
        open_periods,
        started_periods: started.into_iter().rev().collect(),
        all_periods: v.periods.iter().map(|p| p.key.clone()).collect(),
        can_report: v.may_report,
        can_define: v.may_define,
        can_measure: v.may_measure,
        reporting_open: v.accepting,
        errors,
        draft_narrative,
    }
}

/// A posted multipart form: its text fields and, if one was chosen, a file.
pub struct Upload {
    pub fields: FormData,
    pub file: Option<(String, Vec<u8>)>,
}

/// Read a posted multipart form; a form that cannot be read is refused as `upload-too-large`
/// or `form-unreadable`.
pub async fn read_multipart(mut m: Multipart) -> Result<Upload, Refusal> {
    let mut fields = Vec::new();
    let mut file = None;
    while let Some(f) = m
        .next_field()
        .await
        .map_err(|e| if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE { Refusal::new("upload-too-large") } else { Refusal::new("form-unreadable") })?
    {
        let name = f.name().unwrap_or("").to_string();
        match f.file_name().map(String::from) {
            Some(fname) => {
                let bytes = crate::api::attachments::field_bytes(f).await.map_err(|_| Refusal::new("upload-too-large"))?;
                if !fname.is_empty() && !bytes.is_empty() {
                    file = Some((fname, bytes));
                }
            }
            None => {
                let v = f.text().await.map_err(|_| Refusal::new("form-unreadable"))?;
                fields.push((name, v));
            }
        }
    }
    Ok(Upload { fields: FormData(fields), file })
}

fn item_id(s: &str) -> Option<ItemId> {
    uuid::Uuid::try_parse(s).ok().map(ItemId)
}

/// What a form shows of a refused change (or the error, for the page that explains it).
pub(crate) fn messages(base: &Base, e: AppError) -> Result<Vec<String>, AppError> {
    match e {
        AppError::Invalid(v) => {
            Ok(v.0.iter().map(|f| if f.field.is_empty() { base.problem(f) } else { format!("{}: {}", base.field(&f.field), base.problem(f)) }).collect())
        }
        AppError::Conflict(r) => Ok(vec![base.tr.refusal(&r)]),
        AppError::Stale { .. } => Ok(vec![base.t("stale-form")]),
        other => Err(other),
    }
}

/// Show the item page again with problems in its progress section.
async fn again(s: &AppState, page: Page, item: ItemId, e: AppError, narrative: String) -> Result<Response, PageError> {
    match messages(&page.base, e) {
        Ok(msgs) => super::items::show_item_with(s, page, item, msgs, narrative).await,
        Err(other) => Err(page.fail(other)),
    }
}

/// Show the item page of a report again, with problems in its progress section.
async fn again_for_update(s: &AppState, page: Page, update: UpdateId, e: AppError, narrative: String) -> Result<Response, PageError> {
    match liaison_app::progress::get(&s.app, &page.ctx, update).await {
        Ok(u) => again(s, page, u.item, e, narrative).await,
        Err(other) => Err(page.fail(other)),
    }
}

fn status_of(form: &FormData) -> Result<ItemStatus, AppError> {
    ItemStatus::parse(&form.value("status"))
        .ok_or_else(|| AppError::Invalid(liaison_domain::ValidationErrors::coded("status", "invalid", &[("expected", "status")])))
}

fn percent_of(form: &FormData) -> Result<u8, AppError> {
    form.value("percent")
        .parse::<u8>()
        .ok()
        .filter(|p| *p <= 100)
        .ok_or_else(|| AppError::Invalid(liaison_domain::ValidationErrors::coded("percent", "out_of_range", &[("expected", "percent")])))
}

/// A new report from the item page (with an optional evidence file); "submit" sends it for review at once.
pub async fn create_update(State(s): State<AppState>, page: Page, Path(id): Path<String>, form: Multipart) -> Result<Response, PageError> {
    let id = item_id(&id).ok_or_else(|| PageError::not_found(&page.base))?;
    let up = match read_multipart(form).await {
        Ok(u) => u,
        Err(m) => return again(&s, page, id, AppError::Conflict(m), String::new()).await,
    };
    let f = &up.fields;
    let narrative = f.value("narrative");
    let result = async {
        let input = NewUpdate {
            period: f.value("period"),
            status: status_of(f)?,
            percent: percent_of(f)?,
            narrative: narrative.clone(),
            evidence: Vec::new(),
            marking: None,
        };
        liaison_app::progress::report_with_evidence(&s.app, &page.ctx, id, input, up.file.clone(), f.get("submit").is_some()).await.map(|_| ())
    }
    .await;
    match result {
        Ok(()) => Ok(see_other(&format!("/items/{id}#progress"))),
        Err(e) => again(&s, page, id, e, narrative).await,
    }
}

/// A revised draft or returned report.
pub async fn edit_update(State(s): State<AppState>, page: Page, Path(id): Path<String>, form: Multipart) -> Result<Response, PageError> {
    let uid: UpdateId = page.id(&id)?;
    let up = match read_multipart(form).await {
        Ok(u) => u,
        Err(m) => return again_for_update(&s, page, uid, AppError::Conflict(m), String::new()).await,
    };
    let f = &up.fields;
    let narrative = f.value("narrative");
    let result = async {
        let version: i64 = f.value("version").parse().unwrap_or(-1);
        let patch =
            UpdatePatch { status: Some(status_of(f)?), percent: Some(percent_of(f)?), narrative: Some(narrative.clone()), evidence: None, marking: None };
        liaison_app::progress::revise_with_evidence(&s.app, &page.ctx, uid, version, patch, up.file.clone(), f.get("submit").is_some()).await
    }
    .await;
    match result {
        Ok(u) => Ok(see_other(&format!("/items/{}#progress", u.item))),
        Err(e) => again_for_update(&s, page, uid, e, narrative).await,
    }
}

/// Submit, return, approve or reopen a report.
pub async fn step_update(State(s): State<AppState>, page: Page, Path(id): Path<String>, form: FormData) -> Result<Response, PageError> {
    let uid: UpdateId = page.id(&id)?;
    let step = match form.value("step").as_str() {
        "submit" => Step::Submit,
        "return" => Step::Return,
        "approve" => Step::Approve,
        "reopen" => Step::Reopen,
        _ => return Err(PageError::not_found(&page.base)),
    };
    let version: i64 = form.value("version").parse().unwrap_or(-1);
    let reason = Some(form.value("reason")).filter(|r| !r.is_empty());
    match liaison_app::progress::step(&s.app, &page.ctx, uid, version, StepInput { step, reason }).await {
        Ok(u) => Ok(see_other(&format!("/items/{}#progress", u.item))),
        Err(e) => again_for_update(&s, page, uid, e, String::new()).await,
    }
}

fn number(form: &FormData, name: &str) -> Result<Option<f64>, AppError> {
    let v = form.value(name).replace(',', ".");
    if v.is_empty() {
        return Ok(None);
    }
    v.parse::<f64>().map(Some).map_err(|_| AppError::Invalid(liaison_domain::ValidationErrors::coded(name, "invalid", &[("expected", "number")])))
}

/// Define an indicator from the item page: one target here, more through the API.
pub async fn define_indicator(State(s): State<AppState>, page: Page, Path(id): Path<String>, form: FormData) -> Result<Response, PageError> {
    let id = item_id(&id).ok_or_else(|| PageError::not_found(&page.base))?;
    let result = async {
        let measure = Measure::parse(&form.value("measure"))
            .ok_or_else(|| AppError::Invalid(liaison_domain::ValidationErrors::coded("measure", "invalid", &[("expected", "measure")])))?;
        let name = form.text("name");
        let mut targets = Vec::new();
        if let Some(v) = number(&form, "target_value")? {
            targets.push(IndicatorTarget { period: form.value("target_period"), value: v, by_category: BTreeMap::new() });
        }
        let dimension = (form.get("by_sex").is_some()).then(|| Dimension { key: "sex".into(), categories: vec!["women".into(), "men".into()] });
        let input = NewIndicator { name, unit: form.value("unit"), measure, cumulative: form.get("cumulative").is_some(), baseline: None, targets, dimension };
        liaison_app::indicators::create(&s.app, &page.ctx, id, input).await
    }
    .await;
    match result {
        Ok(_) => Ok(see_other(&format!("/items/{id}#indicators"))),
        Err(e) => again(&s, page, id, e, String::new()).await,
    }
}

/// Record a figure for a period from the item page. The figure's categories are the form's
/// `cat_*` fields; the indicator's dimension decides which it takes.
pub async fn record_measurement(State(s): State<AppState>, page: Page, Path(id): Path<String>, form: FormData) -> Result<Response, PageError> {
    let iid: IndicatorId = page.id(&id)?;
    let result = async {
        let mut by_category = BTreeMap::new();
        for (k, _) in &form.0 {
            if let Some(c) = k.strip_prefix("cat_")
                && let Some(v) = number(&form, k)?
            {
                by_category.insert(c.to_string(), v);
            }
        }
        let text = Some(form.value("text")).filter(|t| !t.is_empty());
        let value = Value { value: number(&form, "value")?, denominator: number(&form, "denominator")?, text, by_category };
        liaison_app::indicators::record_on_item(
            &s.app,
            &page.ctx,
            iid,
            NewMeasurement { period: form.value("period"), value, note: form.value("note"), evidence: Vec::new() },
        )
        .await
    }
    .await;
    match result {
        Ok((_, item)) => Ok(see_other(&format!("/items/{item}#indicators"))),
        Err(e) => match liaison_app::indicators::get(&s.app, &page.ctx, iid).await {
            Ok(v) => again(&s, page, v.indicator.item, e, String::new()).await,
            Err(other) => Err(page.fail(other)),
        },
    }
}

impl Base {
    pub fn update_state(&self, s: &UpdateState) -> String {
        self.t(&format!("update-state-{}", s.code()))
    }
}
