//! The item page (everything about one item: text, links, history with readable changes,
//! comments) and the item forms, which keep what the user typed, show problems next to their
//! fields, and turn a stale edit into a comparison instead of an overwrite.

use super::markdown::to_safe_html;
use super::plans::due_label;
use super::versions::{FieldView, field_view};
use super::{Base, FormData, FormErrors, Page, PageError, render, see_other};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use liaison_app::AppError;
use liaison_app::items::LinkView;
use liaison_app::views::items::FormFor;
use liaison_domain::change::Change;
use liaison_domain::comment::{Comment, NewComment};
use liaison_domain::due::Due;
use liaison_domain::indicator::Measure;
use liaison_domain::item::{GenderMarker, Item, ItemPatch, ItemStatus, NewItem};
use liaison_domain::marking::{Level, Marking};
use liaison_domain::plan::Plan;
use liaison_domain::text::Text;
use liaison_domain::version::{Chunk, FieldChange};
use liaison_domain::{FieldError, ItemId, OrganisationId, Patch};
use serde::Deserialize;
use std::collections::{BTreeSet, HashMap};

fn item_id(s: &str) -> Option<ItemId> {
    uuid::Uuid::try_parse(s).ok().map(ItemId)
}

/// A history row as people read it.
pub struct HistoryRow {
    pub at: String,
    pub who: String,
    pub action: String,
    pub fields: Vec<FieldView>,
}

/// A comment with its body rendered.
pub struct CommentView {
    pub comment: Comment,
    pub html: String,
}

#[derive(Template)]
#[template(path = "item.html")]
struct ItemPage {
    base: Base,
    item: Item,
    plan: Plan,
    level: String,
    parent: Option<(ItemId, String, String)>,
    children: Vec<(ItemId, String, String)>,
    lead: String,
    contributors: Vec<String>,
    areas: Vec<String>,
    description_html: String,
    description_lang: String,
    links: Vec<LinkView>,
    history: Vec<HistoryRow>,
    comments: Vec<CommentView>,
    can_edit: bool,
    can_comment: bool,
    child_level: Option<String>,
    comment_error: Option<String>,
    comment_body: String,
    progress: super::progress::ProgressSection,
}

impl ItemPage {
    fn due(&self) -> String {
        due_label(&self.base, &self.item)
    }
    fn overdue(&self) -> bool {
        self.plan.state.content_editable() && self.item.is_overdue(self.base.today)
    }
    fn gender(&self) -> String {
        self.base.t(&format!("gender-{}", u8::from(self.item.gender_marker)))
    }
}

pub(crate) fn history_rows(
    base: &Base,
    changes: &[Change],
    names: &std::collections::HashMap<liaison_domain::UserId, String>,
    ids: &std::collections::HashMap<String, String>,
) -> Vec<HistoryRow> {
    let skip = ["version", "updated_at", "created_at", "id", "plan"];
    changes
        .iter()
        .map(|c| {
            let empty = serde_json::Map::new();
            let before = c.before.as_ref().and_then(|v| v.as_object()).unwrap_or(&empty);
            let after = c.after.as_ref().and_then(|v| v.as_object()).unwrap_or(&empty);
            let fields = if c.action == "update" || c.action == "move" {
                c.changed_fields()
                    .into_iter()
                    .filter(|f| !skip.contains(&f.as_str()))
                    .flat_map(|f| {
                        let fc = FieldChange {
                            before: before.get(&f).cloned().unwrap_or(serde_json::Value::Null),
                            after: after.get(&f).cloned().unwrap_or(serde_json::Value::Null),
                            field: f,
                        };
                        field_view(base, &fc, ids)
                    })
                    .collect()
            } else {
                Vec::new()
            };
            let key = format!("history-{}", c.action);
            HistoryRow {
                at: base.time(&c.at),
                who: c.actor.and_then(|a| names.get(&a).cloned()).unwrap_or_else(|| base.t("history-system")),
                action: if base.tr.has(&key) { base.t(&key) } else { c.action.clone() },
                fields,
            }
        })
        .collect()
}

pub async fn item_page(State(s): State<AppState>, page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    let id = item_id(&id).ok_or_else(|| PageError::not_found(&page.base))?;
    show_item(&s, page, id, None, String::new()).await
}

/// The item page with problems of a progress or indicator form.
pub(crate) async fn show_item_with(s: &AppState, page: Page, id: ItemId, problems: Vec<String>, narrative: String) -> Result<Response, PageError> {
    show_item_full(s, page, id, None, String::new(), problems, narrative).await
}

async fn show_item(s: &AppState, page: Page, id: ItemId, comment_error: Option<String>, comment_body: String) -> Result<Response, PageError> {
    show_item_full(s, page, id, comment_error, comment_body, Vec::new(), String::new()).await
}

async fn show_item_full(
    s: &AppState,
    mut page: Page,
    id: ItemId,
    comment_error: Option<String>,
    comment_body: String,
    problems: Vec<String>,
    narrative: String,
) -> Result<Response, PageError> {
    let v = liaison_app::views::items::item(&s.app, &page.ctx, id).await.map_err(|e| page.fail(e))?;
    let (item, plan) = (v.item, v.plan);
    page.base.mark(&plan.marking);
    page.base.mark(&item.marking);
    let areas = item.areas.iter().map(|a| v.areas.iter().find(|x| &x.code == a).map(|x| page.base.text(&x.name)).unwrap_or_else(|| a.clone())).collect();
    let parent = v.parent.map(|p| (p.id, p.code.clone(), page.base.text(&p.title)));
    let children = v.children.iter().map(|k| (k.id, k.code.clone(), page.base.text(&k.title))).collect();
    for c in &v.history {
        if let Some(m) = &c.marking {
            page.base.mark(m);
        }
    }
    for c in &v.comments {
        page.base.mark(&c.marking);
    }
    let ids: HashMap<String, String> = v.organisations.values().map(|o| (o.id.to_string(), o.short_name.clone())).collect();
    let history = history_rows(&page.base, &v.history, &v.names, &ids);
    let (description_html, description_lang) = match item.description.resolve(page.base.lang) {
        Some(r) => (to_safe_html(&r.text), r.lang.to_string()),
        None => (String::new(), page.base.lang_tag().to_string()),
    };
    let level = v.level.map(|l| page.base.text(&l)).unwrap_or_else(|| item.level.clone());
    let child_level = v.child_level.map(|l| page.base.text(&l));
    let org_name = |o: &OrganisationId| v.organisations.get(o).map(|x| format!("{} — {}", x.short_name, page.base.text(&x.name))).unwrap_or_default();
    let lead = item.lead_organisation.as_ref().map(&org_name).unwrap_or_default();
    let contributors = item.contributing_organisations.iter().map(&org_name).collect();
    let comments = v.comments.into_iter().map(|c| CommentView { html: to_safe_html(&c.body), comment: c }).collect();
    let title = format!("{} — {}", item.code, page.base.text(&item.title));
    let failed = comment_error.is_some() || !problems.is_empty();
    let progress = super::progress::section(&mut page.base, &v.progress, problems, narrative);
    let mut r = render(&ItemPage {
        progress,
        base: page.base.with_title(title),
        level,
        parent,
        children,
        lead,
        contributors,
        areas,
        description_html,
        description_lang,
        links: v.links,
        history,
        comments,
        can_edit: v.may_edit,
        can_comment: v.may_comment,
        child_level,
        comment_error: comment_error.clone(),
        comment_body,
        item,
        plan,
    });
    if failed {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(r)
}

pub async fn comment(State(s): State<AppState>, page: Page, Path(id): Path<String>, form: FormData) -> Result<Response, PageError> {
    let id = item_id(&id).ok_or_else(|| PageError::not_found(&page.base))?;
    let body = form.value("body");
    match liaison_app::comments::create(&s.app, &page.ctx, id, NewComment { body: body.clone(), marking: None }).await {
        Ok(_) => Ok(see_other(&format!("/items/{id}#comments"))),
        Err(AppError::Invalid(e)) => {
            let msg = e.0.into_iter().map(|f| f.message).collect::<Vec<_>>().join("; ");
            show_item(&s, page, id, Some(msg), body).await
        }
        Err(e) => Err(page.fail(e)),
    }
}

/// The values of the item form, as typed.
#[derive(Clone, Debug, Default)]
pub struct ItemForm {
    pub code: String,
    pub title_en: String,
    pub title_sr: String,
    pub title_sr_latn: String,
    pub description_en: String,
    pub description_sr: String,
    pub areas: Vec<String>,
    pub lead: String,
    pub contributors: Vec<String>,
    pub start: String,
    pub due: String,
    pub status: String,
    pub weight: String,
    pub gender_marker: String,
    pub marking_level: String,
    pub marking_releasable: String,
    pub marking_originator: String,
    pub downgrade: bool,
    pub version: String,
    pub parent: String,
}

impl ItemForm {
    fn of(item: &Item) -> ItemForm {
        let t = |x: &Text, l: &str| x.0.get(l).cloned().unwrap_or_default();
        ItemForm {
            code: item.code.clone(),
            title_en: t(&item.title, "en"),
            title_sr: t(&item.title, "sr"),
            title_sr_latn: t(&item.title, "sr-Latn"),
            description_en: t(&item.description, "en"),
            description_sr: t(&item.description, "sr"),
            areas: item.areas.clone(),
            lead: item.lead_organisation.map(|o| o.to_string()).unwrap_or_default(),
            contributors: item.contributing_organisations.iter().map(|o| o.to_string()).collect(),
            start: item.start.map(|d| d.to_string()).unwrap_or_default(),
            due: item.due.map(|d| d.to_string()).unwrap_or_default(),
            status: item.status.code().into(),
            weight: item.weight.to_string(),
            gender_marker: u8::from(item.gender_marker).to_string(),
            marking_level: item.marking.level.code().into(),
            marking_releasable: item.marking.releasable_to.iter().cloned().collect::<Vec<_>>().join(", "),
            marking_originator: item.marking.originator.clone(),
            downgrade: false,
            version: item.version.to_string(),
            parent: item.parent.map(|p| p.to_string()).unwrap_or_default(),
        }
    }

    fn from_form(f: &FormData) -> ItemForm {
        ItemForm {
            code: f.value("code"),
            title_en: f.value("title_en"),
            title_sr: f.value("title_sr"),
            title_sr_latn: f.value("title_sr_latn"),
            description_en: f.get("description_en").unwrap_or("").to_string(),
            description_sr: f.get("description_sr").unwrap_or("").to_string(),
            areas: f.all("areas"),
            lead: f.value("lead"),
            contributors: f.all("contributors"),
            start: f.value("start"),
            due: f.value("due"),
            status: f.value("status"),
            weight: f.value("weight"),
            gender_marker: f.value("gender_marker"),
            marking_level: f.value("marking_level"),
            marking_releasable: f.value("marking_releasable"),
            marking_originator: f.value("marking_originator"),
            downgrade: f.get("downgrade").is_some(),
            version: f.value("version"),
            parent: f.value("parent"),
        }
    }

    fn text(pairs: &[(&str, &str)]) -> Text {
        Text(pairs.iter().filter(|(_, v)| !v.trim().is_empty()).map(|(k, v)| (k.to_string(), v.to_string())).collect())
    }

    /// The typed values as domain values; problems of form (not of rules) by field.
    fn parse(&self, base: &Base) -> Result<Parsed, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut bad = |field: &str, key: &str| errors.push(FieldError { field: field.into(), code: "invalid".into(), message: base.t(key) });
        let org = |s: &str| uuid::Uuid::try_parse(s).ok().map(OrganisationId);
        let lead = if self.lead.is_empty() { None } else { org(&self.lead) };
        if !self.lead.is_empty() && lead.is_none() {
            bad("lead_organisation", "form-not-organisation");
        }
        let contributors: Vec<OrganisationId> = self.contributors.iter().filter_map(|c| org(c)).collect();
        let start = if self.start.is_empty() { None } else { chrono::NaiveDate::parse_from_str(&self.start, "%Y-%m-%d").ok() };
        if !self.start.is_empty() && start.is_none() {
            bad("start", "date-hint");
        }
        let due = if self.due.is_empty() { None } else { self.due.parse::<Due>().ok() };
        if !self.due.is_empty() && due.is_none() {
            bad("due", "form-due-hint");
        }
        let status = ItemStatus::parse(&self.status);
        if status.is_none() {
            bad("status", "form-choose-status");
        }
        let weight = self.weight.parse::<u32>().ok();
        if weight.is_none() {
            bad("weight", "form-weight-hint");
        }
        let gender = self.gender_marker.parse::<u8>().ok().and_then(|g| GenderMarker::try_from(g).ok());
        if gender.is_none() {
            bad("gender_marker", "form-choose-gender");
        }
        let level = Level::parse(&self.marking_level);
        if level.is_none() {
            bad("marking_level", "form-choose-marking");
        }
        let releasable: BTreeSet<String> = self.marking_releasable.split([',', ' ']).map(|s| s.trim().to_uppercase()).filter(|s| !s.is_empty()).collect();
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Parsed {
            title: ItemForm::text(&[("en", &self.title_en), ("sr", &self.title_sr), ("sr-Latn", &self.title_sr_latn)]),
            description: ItemForm::text(&[("en", &self.description_en), ("sr", &self.description_sr)]),
            lead,
            contributors,
            start,
            due,
            status: status.unwrap_or(ItemStatus::Planned),
            weight: weight.unwrap_or(1),
            gender: gender.unwrap_or_default(),
            marking: Marking { level: level.unwrap_or(Level::NatoUnclassified), releasable_to: releasable, originator: self.marking_originator.clone() },
        })
    }
}

struct Parsed {
    title: Text,
    description: Text,
    lead: Option<OrganisationId>,
    contributors: Vec<OrganisationId>,
    start: Option<chrono::NaiveDate>,
    due: Option<Due>,
    status: ItemStatus,
    weight: u32,
    gender: GenderMarker,
    marking: Marking,
}

/// Someone else's change that a stale edit ran into.
pub struct StaleNotice {
    pub who: String,
    pub at: String,
    pub version: i64,
    pub fields: Vec<FieldView>,
}

#[derive(Template)]
#[template(path = "item_form.html")]
struct ItemFormPage {
    base: Base,
    plan: Plan,
    item: Option<Item>,
    level: String,
    form: ItemForm,
    errors: FormErrors,
    general: Vec<String>,
    stale: Option<StaleNotice>,
    areas: Vec<(String, String)>,
    organisations: Vec<(String, String)>,
    levels: Vec<Level>,
    may_downgrade: bool,
}

impl ItemFormPage {
    fn area_checked(&self, code: &str) -> bool {
        self.form.areas.iter().any(|a| a == code)
    }
    fn contributor_selected(&self, id: &str) -> bool {
        self.form.contributors.iter().any(|a| a == id)
    }
    fn action(&self) -> String {
        match &self.item {
            Some(i) => format!("/items/{}/edit", i.id),
            None => format!("/plans/{}/items/new", self.plan.id),
        }
    }
    fn err(&self, field: &str) -> String {
        self.errors.of(field)
    }
    fn invalid(&self, field: &str) -> bool {
        self.errors.has(field)
    }
    fn stale_body(&self, st: &StaleNotice) -> String {
        self.base.ta("stale-body", &[("name", &st.who), ("time", &st.at)])
    }
    fn gender_label(&self, g: &str) -> String {
        self.base.t(&format!("gender-{g}"))
    }
}

const FORM_FIELDS: &[&str] = &[
    "code",
    "title",
    "title_en",
    "title_sr",
    "description",
    "areas",
    "lead_organisation",
    "contributing_organisations",
    "start",
    "due",
    "status",
    "weight",
    "gender_marker",
    "marking",
    "marking_level",
    "parent",
    "level",
];

/// The form again, after a problem: read what it needs and show it.
async fn form_again(
    s: &AppState,
    page: Page,
    which: FormFor,
    form: ItemForm,
    errors: Vec<FieldError>,
    stale: Option<StaleNotice>,
) -> Result<Response, PageError> {
    let v = liaison_app::views::items::item_form(&s.app, &page.ctx, which).await.map_err(|e| page.fail(e))?;
    Ok(form_page(page, v, form, errors, stale))
}

fn form_page(mut page: Page, v: liaison_app::views::items::ItemFormView, form: ItemForm, errors: Vec<FieldError>, stale: Option<StaleNotice>) -> Response {
    let mut organisations: Vec<(String, String)> =
        v.organisations.iter().map(|o| (o.id.to_string(), format!("{} — {}", o.short_name, page.base.text(&o.name)))).collect();
    organisations.sort_by(|a, b| a.1.cmp(&b.1));
    let areas = v.areas.iter().map(|a| (a.code.clone(), page.base.text(&a.name))).collect();
    page.base.mark(&v.plan.marking);
    if let Some(i) = &v.item {
        page.base.mark(&i.marking);
    }
    let level = v.level.map(|l| page.base.text(&l)).unwrap_or_default();
    let errors = FormErrors(errors);
    let general = errors.general(FORM_FIELDS);
    let status = if errors.is_empty() && stale.is_none() {
        StatusCode::OK
    } else if stale.is_some() {
        StatusCode::CONFLICT
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let title = match &v.item {
        Some(i) => format!("{} — {}", page.base.t("edit-item"), i.code),
        None => page.base.t("new-item"),
    };
    let mut r = render(&ItemFormPage {
        base: page.base.with_title(title),
        plan: v.plan,
        item: v.item,
        level,
        form,
        errors,
        general,
        stale,
        areas,
        organisations,
        levels: v.levels,
        may_downgrade: v.may_downgrade,
    });
    *r.status_mut() = status;
    r
}

pub async fn edit_form(State(s): State<AppState>, page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    let id: ItemId = page.id(&id)?;
    let v = liaison_app::views::items::item_form(&s.app, &page.ctx, FormFor::Edit(id)).await.map_err(|e| page.fail(e))?;
    let form = v.item.as_ref().map(ItemForm::of).unwrap_or_default();
    Ok(form_page(page, v, form, Vec::new(), None))
}

pub async fn update(State(s): State<AppState>, page: Page, Path(id): Path<String>, data: FormData) -> Result<Response, PageError> {
    let id: ItemId = page.id(&id)?;
    let mut form = ItemForm::from_form(&data);
    let parsed = match form.parse(&page.base) {
        Ok(p) => p,
        Err(errors) => return form_again(&s, page, FormFor::Edit(id), form, errors, None).await,
    };
    let expected: i64 = form.version.parse().unwrap_or(-1);
    let patch = ItemPatch {
        code: Some(form.code.clone()),
        title: Some(parsed.title),
        description: Some(parsed.description),
        areas: Some(form.areas.clone()),
        lead_organisation: match parsed.lead {
            Some(l) => Patch::Set(l),
            None => Patch::Null,
        },
        contributing_organisations: Some(parsed.contributors),
        start: match parsed.start {
            Some(d) => Patch::Set(d),
            None => Patch::Null,
        },
        due: match parsed.due {
            Some(d) => Patch::Set(d),
            None => Patch::Null,
        },
        status: Some(parsed.status),
        weight: Some(parsed.weight),
        gender_marker: Some(parsed.gender),
        marking: Some(parsed.marking),
        downgrade: form.downgrade,
    };
    match liaison_app::items::update(&s.app, &page.ctx, id, expected, patch).await {
        Ok(_) => Ok(see_other(&format!("/items/{id}"))),
        Err(AppError::Invalid(e)) => form_again(&s, page, FormFor::Edit(id), form, e.0, None).await,
        Err(AppError::Stale { current, .. }) => {
            // Show what the other person changed since the version this form was made from,
            // keep what this user typed, and let them save again on top of the new version.
            let theirs = liaison_app::views::items::changes_since(&s.app, &page.ctx, id, expected).await.map_err(|e| page.fail(e))?;
            let ids: HashMap<String, String> = theirs.organisations.values().map(|o| (o.id.to_string(), o.short_name.clone())).collect();
            let rows = history_rows(&page.base, &theirs.changes, &theirs.names, &ids);
            let notice = StaleNotice {
                who: rows.first().map(|r| r.who.clone()).unwrap_or_default(),
                at: rows.first().map(|r| r.at.clone()).unwrap_or_default(),
                version: current,
                fields: rows.into_iter().flat_map(|r| r.fields).collect(),
            };
            form.version = current.to_string();
            form_again(&s, page, FormFor::Edit(id), form, Vec::new(), Some(notice)).await
        }
        Err(e) => Err(page.fail(e)),
    }
}

#[derive(Deserialize, Default)]
pub struct NewQuery {
    #[serde(default)]
    parent: Option<String>,
}

fn new_for(page: &Page, plan_id: &str, parent: &str) -> Result<FormFor, PageError> {
    let plan: liaison_domain::PlanId = page.id(plan_id)?;
    Ok(FormFor::New { plan, parent: item_id(parent) })
}

pub async fn new_form(State(s): State<AppState>, page: Page, Path(plan_id): Path<String>, Query(q): Query<NewQuery>) -> Result<Response, PageError> {
    let parent = q.parent.unwrap_or_default();
    let which = new_for(&page, &plan_id, &parent)?;
    let v = liaison_app::views::items::item_form(&s.app, &page.ctx, which).await.map_err(|e| page.fail(e))?;
    let marking = v.parent.as_ref().map(|p| p.marking.clone()).unwrap_or_else(|| v.plan.marking.clone());
    let form = ItemForm {
        status: "planned".into(),
        weight: "1".into(),
        gender_marker: "0".into(),
        marking_level: marking.level.code().into(),
        marking_releasable: marking.releasable_to.iter().cloned().collect::<Vec<_>>().join(", "),
        marking_originator: marking.originator.clone(),
        parent: v.parent.as_ref().map(|p| p.id.to_string()).unwrap_or_default(),
        ..Default::default()
    };
    Ok(form_page(page, v, form, Vec::new(), None))
}

pub async fn create(State(s): State<AppState>, page: Page, Path(plan_id): Path<String>, data: FormData) -> Result<Response, PageError> {
    let form = ItemForm::from_form(&data);
    let plan: liaison_domain::PlanId = page.id(&plan_id)?;
    let parsed = match form.parse(&page.base) {
        Ok(p) => p,
        Err(errors) => {
            let which = new_for(&page, &plan_id, &form.parent)?;
            return form_again(&s, page, which, form, errors, None).await;
        }
    };
    let input = NewItem {
        parent: item_id(&form.parent),
        level: None,
        code: form.code.clone(),
        title: parsed.title,
        description: parsed.description,
        areas: form.areas.clone(),
        lead_organisation: parsed.lead,
        contributing_organisations: parsed.contributors,
        start: parsed.start,
        due: parsed.due,
        status: Some(parsed.status),
        weight: Some(parsed.weight),
        gender_marker: Some(parsed.gender),
        marking: Some(parsed.marking),
        position: None,
        downgrade: form.downgrade,
    };
    match liaison_app::items::create(&s.app, &page.ctx, plan, input).await {
        Ok(item) => Ok(see_other(&format!("/items/{}", item.id))),
        Err(AppError::Invalid(e)) => {
            let which = new_for(&page, &plan_id, &form.parent)?;
            form_again(&s, page, which, form, e.0, None).await
        }
        Err(e) => Err(page.fail(e)),
    }
}

// ---- Deleting an item ----

#[derive(Template)]
#[template(path = "item_delete.html")]
struct DeletePage {
    base: Base,
    item: Item,
    children: u64,
    error: Option<String>,
}

async fn delete_context(s: &AppState, page: &Page, id: &str) -> Result<(Item, u64), PageError> {
    let id: ItemId = page.id(id)?;
    let v = liaison_app::views::items::delete(&s.app, &page.ctx, id).await.map_err(|e| page.fail(e))?;
    Ok((v.item, v.children))
}

pub async fn confirm_delete(State(s): State<AppState>, mut page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    let (item, children) = delete_context(&s, &page, &id).await?;
    page.base.mark(&item.marking);
    let title = format!("{} — {}", page.base.t("delete-item"), item.code);
    Ok(render(&DeletePage { base: page.base.with_title(title), item, children, error: None }))
}

pub async fn delete(State(s): State<AppState>, mut page: Page, Path(id): Path<String>, form: FormData) -> Result<Response, PageError> {
    let (item, children) = delete_context(&s, &page, &id).await?;
    let version = form.value("version").parse().unwrap_or(-1);
    let cascade = form.get("cascade").is_some();
    let error = match liaison_app::items::delete(&s.app, &page.ctx, item.id, version, cascade).await {
        Ok(()) => return Ok(see_other(&format!("/plans/{}", item.plan))),
        Err(AppError::Invalid(e)) => e.0.into_iter().map(|f| f.message).collect::<Vec<_>>().join("; "),
        Err(AppError::Stale { .. }) => page.base.t("stale-record"),
        Err(e) => return Err(page.fail(e)),
    };
    page.base.mark(&item.marking);
    let title = format!("{} — {}", page.base.t("delete-item"), item.code);
    let mut r = render(&DeletePage { base: page.base.with_title(title), item, children, error: Some(error) });
    *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    Ok(r)
}
