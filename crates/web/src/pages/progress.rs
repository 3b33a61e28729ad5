//! The item page's implementation part: progress reports with their review, evidence files, and
//! indicators with their figures, each with the forms its reader may use.

use super::charts::fmt_num;
use super::markdown::to_safe_html;
use super::{Base, FormData, Page, PageError, see_other};
use crate::state::AppState;
use axum::extract::{Multipart, Path, State};
use axum::response::Response;
use liaison_app::AppError;
use liaison_domain::access::{Action, Role, Target, Verdict};
use liaison_domain::indicator::{Dimension, Measure, NewIndicator, NewMeasurement, Target as IndicatorTarget, Value};
use liaison_domain::item::{Item, ItemStatus};
use liaison_domain::plan::{Plan, PlanState};
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

fn reporting_open(plan: &Plan) -> bool {
    matches!(plan.state, PlanState::Agreed | PlanState::Implementation | PlanState::Assessment)
}

pub async fn section(
    s: &AppState,
    page: &mut Page,
    item: &Item,
    plan: &Plan,
    errors: Vec<String>,
    draft_narrative: String,
) -> Result<ProgressSection, PageError> {
    let app = &s.app;
    let updates = liaison_app::progress::of_item(app, &page.ctx, item.id).await.map_err(|e| page.fail(e))?;
    let inds = liaison_app::indicators::of_item(app, &page.ctx, item.id).await.map_err(|e| page.fail(e))?;
    let periods = liaison_app::calendar::periods(app, &page.ctx, plan.id).await.map_err(|e| page.fail(e))?;
    let today = page.base.today;
    let target = Target::Record { plan: plan.id, plan_marking: &plan.marking, marking: &item.marking };
    let may = |a: Action| page.ctx.actor.decide(a, target) == Verdict::Allow;
    let role = page.ctx.actor.subject().and_then(|x| x.role_on(plan.id));
    let open = reporting_open(plan);
    // Reporters report on items their organisation (or one under it) leads.
    let lead_ok = match (role, page.ctx.actor.subject()) {
        (Some(Role::Reporter), Some(subj)) => {
            let mut ok = false;
            let mut cur = item.lead_organisation;
            let mut steps = 0;
            while let Some(o) = cur {
                if o == subj.organisation {
                    ok = true;
                    break;
                }
                steps += 1;
                if steps > 64 {
                    break;
                }
                cur = liaison_app::organisations::get(app, &page.ctx, o).await.ok().and_then(|x| x.parent);
            }
            ok
        }
        _ => true,
    };
    let can_report = open && may(Action::ProgressWrite) && lead_ok;
    let can_review = open && may(Action::ProgressReview);
    let locked: std::collections::HashSet<&str> = periods.iter().filter(|p| p.locked).map(|p| p.key.as_str()).collect();
    let mut evidence_ids: Vec<AttachmentId> = updates.iter().flat_map(|u| u.evidence.iter().copied()).collect();
    evidence_ids.dedup();
    let files = liaison_app::attachments::visible_many(app, &page.ctx, &evidence_ids).await.map_err(|e| page.fail(e))?;
    let mut views = Vec::new();
    for u in &updates {
        page.base.mark(&u.marking);
        let period_locked = locked.contains(u.period.as_str());
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
            updated: page.base.time(&u.updated_at),
            evidence: u.evidence.iter().filter_map(|e| files.iter().find(|f| f.id == *e).map(|f| (f.id, f.name.clone()))).collect(),
            marking: u.marking.banner(),
            version: u.version,
            can_edit: can_report && u.state.editable() && !period_locked,
            can_submit: can_report && u.state.editable() && !period_locked,
            can_review: can_review && u.state == UpdateState::Submitted && !period_locked,
            can_reopen: can_review && u.state == UpdateState::Approved && !period_locked,
        });
    }
    let started: Vec<String> = periods.iter().filter(|p| p.starts <= today).map(|p| p.key.clone()).collect();
    let open_periods: Vec<String> =
        started.iter().rev().filter(|k| !updates.iter().any(|u| &&u.period == k) && !locked.contains(k.as_str())).cloned().collect();
    let indicators = inds
        .into_iter()
        .map(|v| {
            let ind = v.indicator;
            let pct = ind.measure == Measure::Percentage;
            let show =
                |x: Option<f64>| x.map(|v| format!("{}{}", fmt_num((v * 10.0).round() / 10.0), if pct { " %" } else { "" })).unwrap_or_else(|| "—".into());
            IndicatorView {
                id: ind.id,
                name: page.base.text(&ind.name),
                unit: ind.unit.clone(),
                measure: ind.measure,
                cumulative: ind.cumulative,
                categories: ind
                    .dimension
                    .as_ref()
                    .map(|d| d.categories.iter().map(|c| (c.clone(), page.base.t(&format!("category-{c}")))).collect())
                    .unwrap_or_default(),
                rows: v
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
                            .map(|(c, x)| format!("{} {}", page.base.t(&format!("category-{c}")), fmt_num((x * 10.0).round() / 10.0)))
                            .collect::<Vec<_>>()
                            .join(", "),
                        text: st.text.clone().unwrap_or_default(),
                    })
                    .collect(),
            }
        })
        .collect();
    Ok(ProgressSection {
        updates: views,
        indicators,
        open_periods,
        started_periods: started.into_iter().rev().collect(),
        all_periods: periods.iter().map(|p| p.key.clone()).collect(),
        can_report,
        can_define: may(Action::IndicatorWrite) && plan.state.content_editable(),
        can_measure: open && may(Action::MeasurementWrite) && lead_ok,
        reporting_open: open,
        errors,
        draft_narrative,
    })
}

/// A posted multipart form: its text fields and, if one was chosen, a file.
pub struct Upload {
    pub fields: FormData,
    pub file: Option<(String, Vec<u8>)>,
}

pub async fn read_multipart(mut m: Multipart) -> Result<Upload, String> {
    let mut fields = Vec::new();
    let mut file = None;
    while let Some(f) = m.next_field().await.map_err(|e| {
        if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE { "the file is too large".to_string() } else { "the form could not be read".to_string() }
    })? {
        let name = f.name().unwrap_or("").to_string();
        match f.file_name().map(String::from) {
            Some(fname) => {
                let bytes = f.bytes().await.map_err(|_| "the file is too large or could not be read".to_string())?;
                if !fname.is_empty() && !bytes.is_empty() {
                    file = Some((fname, bytes.to_vec()));
                }
            }
            None => {
                let v = f.text().await.map_err(|_| "the form could not be read".to_string())?;
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
pub(crate) fn messages(e: AppError) -> Result<Vec<String>, AppError> {
    match e {
        AppError::Invalid(v) => Ok(v.0.into_iter().map(|f| if f.field.is_empty() { f.message } else { format!("{}: {}", f.field, f.message) }).collect()),
        AppError::Conflict(m) => Ok(vec![m]),
        AppError::Stale { .. } => Ok(vec!["someone changed it while you were working on it; here it is as it is now — apply your change again".into()]),
        other => Err(other),
    }
}

/// Show the item page again with problems in its progress section.
async fn again(s: &AppState, page: Page, item: ItemId, e: AppError, narrative: String) -> Result<Response, PageError> {
    match messages(e) {
        Ok(msgs) => super::items::show_item_with(s, page, item, msgs, narrative).await,
        Err(other) => Err(page.fail(other)),
    }
}

async fn upload_evidence(s: &AppState, page: &Page, plan: liaison_domain::PlanId, file: Option<(String, Vec<u8>)>) -> Result<Vec<AttachmentId>, AppError> {
    match file {
        None => Ok(Vec::new()),
        Some((name, bytes)) => Ok(vec![liaison_app::attachments::upload(&s.app, &page.ctx, plan, &name, None, &bytes).await?.id]),
    }
}

fn status_of(form: &FormData) -> Result<ItemStatus, AppError> {
    ItemStatus::parse(&form.value("status")).ok_or_else(|| AppError::Invalid(liaison_domain::ValidationErrors::one("status", "invalid", "choose a status")))
}

fn percent_of(form: &FormData) -> Result<u8, AppError> {
    form.value("percent")
        .parse::<u8>()
        .ok()
        .filter(|p| *p <= 100)
        .ok_or_else(|| AppError::Invalid(liaison_domain::ValidationErrors::one("percent", "out_of_range", "a whole number from 0 to 100")))
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
    let item = liaison_app::items::get(&s.app, &page.ctx, id).await.map_err(|e| page.fail(e))?;
    let result = async {
        let status = status_of(f)?;
        let percent = percent_of(f)?;
        // The report first, so that a refused report leaves no stray file behind.
        let mut u = liaison_app::progress::create(
            &s.app,
            &page.ctx,
            id,
            NewUpdate { period: f.value("period"), status, percent, narrative: narrative.clone(), evidence: Vec::new(), marking: None },
        )
        .await?;
        let evidence = upload_evidence(&s, &page, item.plan, up.file.clone()).await?;
        if !evidence.is_empty() {
            let patch = UpdatePatch { evidence: Some(evidence), ..Default::default() };
            u = liaison_app::progress::update(&s.app, &page.ctx, u.id, u.version, patch).await?;
        }
        if f.get("submit").is_some() {
            liaison_app::progress::step(&s.app, &page.ctx, u.id, u.version, StepInput { step: Step::Submit, reason: None }).await?;
        }
        Ok::<_, AppError>(())
    }
    .await;
    match result {
        Ok(()) => Ok(see_other(&format!("/items/{id}#progress"))),
        Err(e) => again(&s, page, id, e, narrative).await,
    }
}

/// A revised draft or returned report.
pub async fn edit_update(State(s): State<AppState>, page: Page, Path(id): Path<String>, form: Multipart) -> Result<Response, PageError> {
    let uid = uuid::Uuid::try_parse(&id).map(UpdateId).map_err(|_| PageError::not_found(&page.base))?;
    let cur = liaison_app::progress::get(&s.app, &page.ctx, uid).await.map_err(|e| page.fail(e))?;
    let up = match read_multipart(form).await {
        Ok(u) => u,
        Err(m) => return again(&s, page, cur.item, AppError::Conflict(m), String::new()).await,
    };
    let f = &up.fields;
    let narrative = f.value("narrative");
    let result = async {
        let version: i64 = f.value("version").parse().unwrap_or(-1);
        let patch =
            UpdatePatch { status: Some(status_of(f)?), percent: Some(percent_of(f)?), narrative: Some(narrative.clone()), evidence: None, marking: None };
        let mut u = liaison_app::progress::update(&s.app, &page.ctx, uid, version, patch).await?;
        let added = upload_evidence(&s, &page, cur.plan, up.file.clone()).await?;
        if !added.is_empty() {
            let mut evidence = u.evidence.clone();
            evidence.extend(added);
            u = liaison_app::progress::update(&s.app, &page.ctx, u.id, u.version, UpdatePatch { evidence: Some(evidence), ..Default::default() }).await?;
        }
        if f.get("submit").is_some() {
            liaison_app::progress::step(&s.app, &page.ctx, u.id, u.version, StepInput { step: Step::Submit, reason: None }).await?;
        }
        Ok::<_, AppError>(())
    }
    .await;
    match result {
        Ok(()) => Ok(see_other(&format!("/items/{}#progress", cur.item))),
        Err(e) => again(&s, page, cur.item, e, narrative).await,
    }
}

/// Submit, return, approve or reopen a report.
pub async fn step_update(State(s): State<AppState>, page: Page, Path(id): Path<String>, form: FormData) -> Result<Response, PageError> {
    let uid = uuid::Uuid::try_parse(&id).map(UpdateId).map_err(|_| PageError::not_found(&page.base))?;
    let cur = liaison_app::progress::get(&s.app, &page.ctx, uid).await.map_err(|e| page.fail(e))?;
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
        Ok(_) => Ok(see_other(&format!("/items/{}#progress", cur.item))),
        Err(e) => again(&s, page, cur.item, e, String::new()).await,
    }
}

fn number(form: &FormData, name: &str) -> Result<Option<f64>, AppError> {
    let v = form.value(name).replace(',', ".");
    if v.is_empty() {
        return Ok(None);
    }
    v.parse::<f64>().map(Some).map_err(|_| AppError::Invalid(liaison_domain::ValidationErrors::one(name, "invalid", "must be a number")))
}

/// Define an indicator from the item page: one target here, more through the API.
pub async fn define_indicator(State(s): State<AppState>, page: Page, Path(id): Path<String>, form: FormData) -> Result<Response, PageError> {
    let id = item_id(&id).ok_or_else(|| PageError::not_found(&page.base))?;
    let result = async {
        let measure = Measure::parse(&form.value("measure"))
            .ok_or_else(|| AppError::Invalid(liaison_domain::ValidationErrors::one("measure", "invalid", "choose a measure")))?;
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

/// Record a figure for a period from the item page.
pub async fn record_measurement(State(s): State<AppState>, page: Page, Path(id): Path<String>, form: FormData) -> Result<Response, PageError> {
    let iid = uuid::Uuid::try_parse(&id).map(IndicatorId).map_err(|_| PageError::not_found(&page.base))?;
    let view = liaison_app::indicators::get(&s.app, &page.ctx, iid).await.map_err(|e| page.fail(e))?;
    let item = view.indicator.item;
    let result = async {
        let mut by_category = BTreeMap::new();
        if let Some(d) = &view.indicator.dimension {
            for c in &d.categories {
                if let Some(v) = number(&form, &format!("cat_{c}"))? {
                    by_category.insert(c.clone(), v);
                }
            }
        }
        let text = Some(form.value("text")).filter(|t| !t.is_empty());
        let value = Value { value: number(&form, "value")?, denominator: number(&form, "denominator")?, text, by_category };
        liaison_app::indicators::record(
            &s.app,
            &page.ctx,
            iid,
            NewMeasurement { period: form.value("period"), value, note: form.value("note"), evidence: Vec::new() },
        )
        .await
    }
    .await;
    match result {
        Ok(_) => Ok(see_other(&format!("/items/{item}#indicators"))),
        Err(e) => again(&s, page, item, e, String::new()).await,
    }
}

impl Base {
    pub fn update_state(&self, s: &UpdateState) -> String {
        self.t(&format!("update-state-{}", s.code()))
    }
}
