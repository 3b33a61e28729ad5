//! Stories for the public, in the workspace: what the portal says of the plan and whether the
//! plan is on it (coordinators), the plan's stories with their photos, writing and editing a
//! draft, adding photos, and the release-review steps. Everything goes through the use cases in
//! `liaison_app::stories`, so the page shows only what its reader may see.

use super::assistance::ids;
use super::progress::{messages, read_multipart};
use super::{Base, FormData, Page, PageError, render, see_other};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::response::Response;
use liaison_app::AppError;
use liaison_domain::Refusal;
use liaison_domain::plan::Plan;
use liaison_domain::portal::PortalInput;
use liaison_domain::story::{NewStory, Story, StoryPatch, StoryStep, StoryStepInput};
use liaison_domain::text::Text;
use liaison_domain::{ItemId, PhotoId, PlanId, StoryId};

pub struct StoryRow {
    pub story: Story,
    pub items: String,
    pub can_edit: bool,
    /// The steps this reader may offer: (step code, label, needs a reason).
    pub steps: Vec<(String, String, bool)>,
}

impl StoryRow {
    /// The `lang` attribute of the story's text (Serbian stories are written in Cyrillic).
    pub fn lang(&self) -> &'static str {
        if self.story.language == "sr" { "sr-Cyrl" } else { "en" }
    }
    pub fn has_item(&self, id: &str) -> bool {
        self.story.items.iter().any(|x| x.to_string() == id)
    }
    pub fn has_activity(&self, id: &str) -> bool {
        self.story.activities.iter().any(|x| x.to_string() == id)
    }
}

#[derive(Template)]
#[template(path = "stories.html")]
struct StoriesPage {
    base: Base,
    plan: Plan,
    rows: Vec<StoryRow>,
    can_write: bool,
    can_release: bool,
    portal_title_en: String,
    portal_title_sr: String,
    portal_summary_en: String,
    portal_summary_sr: String,
    portal_published: bool,
    portal_version: i64,
    item_choices: Vec<(String, String)>,
    activity_choices: Vec<(String, String)>,
    problems: Vec<String>,
}

fn story_id(page: &Page, s: &str) -> Result<StoryId, PageError> {
    uuid::Uuid::try_parse(s).map(StoryId).map_err(|_| PageError::not_found(&page.base))
}

async fn stories_page(s: &AppState, mut page: Page, plan: PlanId, problems: Vec<String>) -> Result<Response, PageError> {
    let v = liaison_app::views::stories::stories(&s.app, &page.ctx, plan).await.map_err(|e| page.fail(e))?;
    let plan = v.plan;
    page.base.mark(&plan.marking);
    let code_of = |i: &ItemId| v.items.iter().find(|x| x.id == *i).map(|x| x.code.clone()).unwrap_or_default();
    let mut rows = Vec::new();
    for x in &v.stories {
        page.base.mark(&x.story.marking);
        rows.push(StoryRow {
            items: x.story.items.iter().map(&code_of).collect::<Vec<_>>().join(", "),
            can_edit: x.may_edit,
            steps: x.steps.iter().map(|st| (st.code().to_string(), page.base.t(&format!("story-step-{}", st.code())), st.needs_reason())).collect(),
            story: x.story.clone(),
        });
    }
    let base = &page.base;
    let item_choices = v.items.iter().map(|i| (i.id.to_string(), format!("{} {}", i.code, base.text(&i.title)))).collect();
    let activity_choices = v.activities.iter().map(|a| (a.id.to_string(), format!("{} {}", a.dates.start, base.text(&a.title)))).collect();
    let portal = v.portal;
    let (t, sm) = portal.as_ref().map(|p| (p.title.clone(), p.summary.clone())).unwrap_or_else(|| (plan.title.clone(), Text::default()));
    let get = |t: &Text, l: &str| t.get(l).unwrap_or_default().to_string();
    let p = StoriesPage {
        portal_title_en: get(&t, "en"),
        portal_title_sr: get(&t, "sr"),
        portal_summary_en: get(&sm, "en"),
        portal_summary_sr: get(&sm, "sr"),
        portal_published: portal.as_ref().is_some_and(|p| p.published),
        portal_version: portal.as_ref().map_or(0, |p| p.version),
        base: page.base.clone().with_title(format!("{} — {}", page.base.t("stories-title"), plan.code)),
        plan,
        rows,
        can_write: v.may_write,
        can_release: v.may_release,
        item_choices,
        activity_choices,
        problems,
    };
    let mut r = render(&p);
    if !p.problems.is_empty() {
        *r.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(r)
}

pub async fn stories(State(s): State<AppState>, page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    let plan: PlanId = page.id(&id)?;
    stories_page(&s, page, plan, Vec::new()).await
}

/// After a change: back to the list, or the list with what went wrong.
async fn done(s: &AppState, page: Page, plan: PlanId, r: Result<(), AppError>) -> Result<Response, PageError> {
    match r {
        Ok(()) => Ok(see_other(&format!("/plans/{plan}/stories"))),
        Err(e) => match messages(&page.base, e) {
            Ok(p) => stories_page(s, page, plan, p).await,
            Err(e) => Err(page.fail(e)),
        },
    }
}

/// After a change to a story: back to its plan's list (found again when the change failed).
async fn done_story(s: &AppState, page: Page, story: StoryId, r: Result<Story, AppError>) -> Result<Response, PageError> {
    match r {
        Ok(st) => Ok(see_other(&format!("/plans/{}/stories", st.plan))),
        Err(e) => {
            let plan = liaison_app::views::stories::plan_of_story(&s.app, &page.ctx, story).await.map_err(|e| page.fail(e))?;
            done(s, page, plan, Err(e)).await
        }
    }
}

pub async fn create(State(s): State<AppState>, page: Page, Path(id): Path<String>, form: FormData) -> Result<Response, PageError> {
    let plan: PlanId = page.id(&id)?;
    let input = NewStory {
        language: form.value("language"),
        title: form.value("title"),
        summary: form.value("summary"),
        body: form.value("body"),
        items: ids(&form, "items"),
        activities: ids(&form, "activities"),
        marking: None,
    };
    let r = liaison_app::stories::create(&s.app, &page.ctx, plan, input).await.map(|_| ());
    done(&s, page, plan, r).await
}

fn version(form: &FormData) -> i64 {
    form.value("version").parse().unwrap_or(-1)
}

pub async fn edit(State(s): State<AppState>, page: Page, Path(id): Path<String>, form: FormData) -> Result<Response, PageError> {
    let sid = story_id(&page, &id)?;
    let patch = StoryPatch {
        language: Some(form.value("language")),
        title: Some(form.value("title")),
        summary: Some(form.value("summary")),
        body: Some(form.value("body")),
        items: Some(ids(&form, "items")),
        activities: Some(ids(&form, "activities")),
        marking: None,
    };
    let r = liaison_app::stories::update(&s.app, &page.ctx, sid, version(&form), patch).await;
    done_story(&s, page, sid, r).await
}

pub async fn add_photo(State(s): State<AppState>, page: Page, Path(id): Path<String>, form: Multipart) -> Result<Response, PageError> {
    let sid = story_id(&page, &id)?;
    let upload = match read_multipart(form).await {
        Ok(u) => u,
        Err(m) => return done_story(&s, page, sid, Err(AppError::Conflict(m))).await,
    };
    let Some((_, bytes)) = upload.file else {
        return done_story(&s, page, sid, Err(AppError::Conflict(Refusal::new("story-photo-missing")))).await;
    };
    let r = liaison_app::stories::add_photo(
        &s.app,
        &page.ctx,
        sid,
        version(&upload.fields),
        &upload.fields.value("caption"),
        &upload.fields.value("credit"),
        &bytes,
    )
    .await;
    done_story(&s, page, sid, r).await
}

pub async fn remove_photo(State(s): State<AppState>, page: Page, Path((id, photo)): Path<(String, String)>, form: FormData) -> Result<Response, PageError> {
    let sid = story_id(&page, &id)?;
    let pid: PhotoId = page.id(&photo)?;
    let r = liaison_app::stories::remove_photo(&s.app, &page.ctx, sid, version(&form), pid).await;
    done_story(&s, page, sid, r).await
}

pub async fn step(State(s): State<AppState>, page: Page, Path(id): Path<String>, form: FormData) -> Result<Response, PageError> {
    let sid = story_id(&page, &id)?;
    let Some(chosen) = StoryStep::parse(&form.value("step")) else {
        return done_story(&s, page, sid, Err(AppError::Conflict(Refusal::new("story-step-unknown")))).await;
    };
    let reason = Some(form.value("reason")).filter(|r| !r.trim().is_empty());
    let r = liaison_app::stories::step(&s.app, &page.ctx, sid, version(&form), StoryStepInput { step: chosen, reason }).await;
    done_story(&s, page, sid, r).await
}

pub async fn set_portal(State(s): State<AppState>, page: Page, Path(id): Path<String>, form: FormData) -> Result<Response, PageError> {
    let plan: PlanId = page.id(&id)?;
    let input = PortalInput { title: form.text("title"), summary: form.text("summary"), published: form.value("published") == "on" };
    let r = liaison_app::stories::set_portal(&s.app, &page.ctx, plan, version(&form).max(0), input).await.map(|_| ());
    done(&s, page, plan, r).await
}
