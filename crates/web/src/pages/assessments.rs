//! Assessments of a period from the perspectives side by side, item by item, with the
//! disagreements marked, and the actor's own perspective to write.

use super::figures::PeriodParam;
use super::{Base, FormData, Page, PageError, render, see_other};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use liaison_domain::assessment::{Assessment, AssessmentPatch, AssessmentState, Perspective, Rating, Scale, SideBySide};
use liaison_domain::plan::Plan;
use liaison_domain::{AssessmentId, ItemId, PlanId};
use std::collections::HashMap;

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

async fn assessments_page(s: &AppState, mut page: Page, plan: PlanId, period: Option<String>, problems: Vec<String>) -> Result<Response, PageError> {
    let v = liaison_app::views::implementation::assessments(&s.app, &page.ctx, plan, period).await.map_err(|e| page.fail(e))?;
    let plan = v.plan;
    page.base.mark(&plan.marking);
    for a in &v.assessments {
        page.base.mark(&a.marking);
    }
    for i in &v.items {
        page.base.mark(&i.marking);
    }
    let perspectives: Vec<&Assessment> = Perspective::ALL.iter().filter_map(|p| v.assessments.iter().find(|a| a.perspective == *p)).collect();
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
    let by_item: HashMap<ItemId, &SideBySide> = v.rows.iter().map(|r| (r.item, r)).collect();
    let rows = v
        .items
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
            let my = v.mine.as_ref().and_then(|m| m.ratings.iter().find(|r| r.item == i.id));
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
    let my_scale_ratings =
        v.mine.as_ref().map(|m| m.scale.ratings().iter().map(|r| (r.to_string(), base.t(&format!("rating-{r}")))).collect()).unwrap_or_default();
    let title = format!("{} — {}", base.t("assessments-title"), plan.code);
    let failed = !problems.is_empty();
    let mut r = render(&AssessmentsPage {
        periods: v.periods.iter().map(|p| p.key.clone()).collect(),
        period: v.period,
        columns,
        rows,
        disagreements: v.disagreements,
        my_perspective: v.my_perspective.map(|p| page.base.t(&format!("perspective-{}", p.code()))),
        mine: v.mine,
        my_scale_ratings,
        can_assess: v.may_assess,
        problems,
        plan,
        base: page.base.with_title(title),
    });
    if failed {
        *r.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(r)
}

pub async fn assessments(State(s): State<AppState>, page: Page, Path(id): Path<String>, Query(q): Query<PeriodParam>) -> Result<Response, PageError> {
    let id: PlanId = page.id(&id)?;
    assessments_page(&s, page, id, q.get().map(String::from), Vec::new()).await
}

/// Start the actor's perspective for a period.
pub async fn assessment_start(State(s): State<AppState>, page: Page, Path(id): Path<String>, form: FormData) -> Result<Response, PageError> {
    let plan: PlanId = page.id(&id)?;
    let period = form.value("period");
    let scale = Scale::parse(&form.value("scale")).unwrap_or(Scale::Completion);
    match liaison_app::assessments::start_mine(&s.app, &page.ctx, plan, period.clone(), scale).await {
        Ok(_) => Ok(see_other(&format!("/plans/{plan}/assessments?period={}#mine", super::urlencode(&period)))),
        Err(e) => match super::progress::messages(&page.base, e) {
            Ok(p) => assessments_page(&s, page, plan, Some(period), p).await,
            Err(e) => Err(page.fail(e)),
        },
    }
}

/// Save the actor's ratings and judgement (and, when asked, make the assessment final).
pub async fn assessment_save(State(s): State<AppState>, page: Page, Path(id): Path<String>, form: FormData) -> Result<Response, PageError> {
    let aid: AssessmentId = page.id(&id)?;
    let version: i64 = form.value("version").parse().unwrap_or(-1);
    let ratings = form
        .0
        .iter()
        .filter_map(|(k, v)| {
            let item = k.strip_prefix("r_").and_then(|x| uuid::Uuid::try_parse(x).ok()).map(ItemId)?;
            Some(Rating { item, rating: v.trim().to_string(), narrative: form.value(&format!("n_{item}")) })
        })
        .collect();
    let patch = AssessmentPatch { narrative: Some(form.value("narrative")), finalise: form.get("final").is_some(), ratings };
    match liaison_app::assessments::update(&s.app, &page.ctx, aid, version, patch).await {
        Ok(a) => Ok(see_other(&format!("/plans/{}/assessments?period={}#mine", a.plan, super::urlencode(&a.period)))),
        Err(e) => {
            let cur = liaison_app::assessments::get(&s.app, &page.ctx, aid).await.map_err(|e| page.fail(e))?;
            match super::progress::messages(&page.base, e) {
                Ok(p) => assessments_page(&s, page, cur.plan, Some(cur.period), p).await,
                Err(e) => Err(page.fail(e)),
            }
        }
    }
}
