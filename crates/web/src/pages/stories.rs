//! Stories for the public, in the workspace: what the portal says of the plan and whether the
//! plan is on it (coordinators), the plan's stories with their photos, writing and editing a
//! draft, adding photos, and the release-review steps. Everything goes through the use cases in
//! `liaison_app::stories`, so the page shows only what its reader may see.

use super::implementation::{ids, plan_of};
use super::progress::{messages, read_multipart};
use super::{Base, FormData, Page, PageError, render, see_other};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::response::Response;
use liaison_app::AppError;
use liaison_domain::access::{Action, Target, Verdict};
use liaison_domain::plan::Plan;
use liaison_domain::portal::PortalInput;
use liaison_domain::story::{NewStory, Story, StoryPatch, StoryState, StoryStep, StoryStepInput};
use liaison_domain::text::Text;
use liaison_domain::{ItemId, PhotoId, StoryId};

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

async fn stories_page(s: &AppState, mut page: Page, plan: Plan, problems: Vec<String>) -> Result<Response, PageError> {
    page.base.mark(&plan.marking);
    let stories = liaison_app::stories::of_plan(&s.app, &page.ctx, plan.id).await.map_err(|e| page.fail(e))?;
    let portal = liaison_app::stories::portal(&s.app, &page.ctx, plan.id).await.map_err(|e| page.fail(e))?;
    let sum = liaison_app::summary::summary(&s.app, &page.ctx, plan.id, None).await.map_err(|e| page.fail(e))?;
    let activities = liaison_app::activities::of_plan(&s.app, &page.ctx, plan.id).await.map_err(|e| page.fail(e))?;
    let target = Target::Plan { id: plan.id, marking: &plan.marking };
    let can_write = page.ctx.actor.decide(Action::StoryWrite, target) == Verdict::Allow;
    let can_release = page.ctx.actor.decide(Action::StoryRelease, target) == Verdict::Allow;
    let me = page.ctx.actor.user_id();
    let base = &page.base;
    let code_of = |i: &ItemId| sum.visible_items.iter().find(|x| x.id == *i).map(|x| x.code.clone()).unwrap_or_default();
    let mut rows = Vec::new();
    for story in &stories {
        let steps = match me {
            Some(me) => liaison_domain::story::available_steps(story, me, can_write, can_release)
                .into_iter()
                .map(|st| (st.code().to_string(), base.t(&format!("story-step-{}", st.code())), st.needs_reason()))
                .collect(),
            None => Vec::new(),
        };
        rows.push(StoryRow {
            items: story.items.iter().map(&code_of).collect::<Vec<_>>().join(", "),
            can_edit: can_write && story.state == StoryState::Draft,
            steps,
            story: story.clone(),
        });
    }
    for r in &rows {
        page.base.mark(&r.story.marking);
    }
    let base = &page.base;
    let item_choices = sum.visible_items.iter().map(|i| (i.id.to_string(), format!("{} {}", i.code, base.text(&i.title)))).collect();
    let activity_choices = activities.iter().map(|a| (a.id.to_string(), format!("{} {}", a.dates.start, base.text(&a.title)))).collect();
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
        can_write,
        can_release,
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
    let plan = plan_of(&s, &page, &id).await?;
    stories_page(&s, page, plan, Vec::new()).await
}

/// After a change: back to the list, or the list with what went wrong.
async fn done<T>(s: &AppState, page: Page, plan: Plan, r: Result<T, AppError>) -> Result<Response, PageError> {
    match r {
        Ok(_) => Ok(see_other(&format!("/plans/{}/stories", plan.id))),
        Err(e) => match messages(e) {
            Ok(p) => stories_page(s, page, plan, p).await,
            Err(e) => Err(page.fail(e)),
        },
    }
}

pub async fn create(State(s): State<AppState>, page: Page, Path(id): Path<String>, form: FormData) -> Result<Response, PageError> {
    let plan = plan_of(&s, &page, &id).await?;
    let input = NewStory {
        language: form.value("language"),
        title: form.value("title"),
        summary: form.value("summary"),
        body: form.value("body"),
        items: ids(&form, "items"),
        activities: ids(&form, "activities"),
        marking: None,
    };
    let r = liaison_app::stories::create(&s.app, &page.ctx, plan.id, input).await;
    done(&s, page, plan, r).await
}

/// The story and its plan, or the page that says it is not there.
async fn story_of(s: &AppState, page: &Page, id: &str) -> Result<(Story, Plan), PageError> {
    let sid = story_id(page, id)?;
    let st = liaison_app::stories::get(&s.app, &page.ctx, sid).await.map_err(|e| page.fail(e))?;
    let plan = liaison_app::plans::get(&s.app, &page.ctx, st.plan).await.map_err(|e| page.fail(e))?;
    Ok((st, plan))
}

fn version(form: &FormData) -> i64 {
    form.value("version").parse().unwrap_or(-1)
}

pub async fn edit(State(s): State<AppState>, page: Page, Path(id): Path<String>, form: FormData) -> Result<Response, PageError> {
    let (st, plan) = story_of(&s, &page, &id).await?;
    let patch = StoryPatch {
        language: Some(form.value("language")),
        title: Some(form.value("title")),
        summary: Some(form.value("summary")),
        body: Some(form.value("body")),
        items: Some(ids(&form, "items")),
        activities: Some(ids(&form, "activities")),
        marking: None,
    };
    let r = liaison_app::stories::update(&s.app, &page.ctx, st.id, version(&form), patch).await;
    done(&s, page, plan, r).await
}

pub async fn add_photo(State(s): State<AppState>, page: Page, Path(id): Path<String>, form: Multipart) -> Result<Response, PageError> {
    let (st, plan) = story_of(&s, &page, &id).await?;
    let upload = match read_multipart(form).await {
        Ok(u) => u,
        Err(m) => return stories_page(&s, page, plan, vec![m]).await,
    };
    let Some((_, bytes)) = upload.file else {
        let m = page.base.t("story-photo-missing");
        return stories_page(&s, page, plan, vec![m]).await;
    };
    let r = liaison_app::stories::add_photo(
        &s.app,
        &page.ctx,
        st.id,
        version(&upload.fields),
        &upload.fields.value("caption"),
        &upload.fields.value("credit"),
        &bytes,
    )
    .await;
    done(&s, page, plan, r).await
}

pub async fn remove_photo(State(s): State<AppState>, page: Page, Path((id, photo)): Path<(String, String)>, form: FormData) -> Result<Response, PageError> {
    let (st, plan) = story_of(&s, &page, &id).await?;
    let pid = uuid::Uuid::try_parse(&photo).map(PhotoId).map_err(|_| PageError::not_found(&page.base))?;
    let r = liaison_app::stories::remove_photo(&s.app, &page.ctx, st.id, version(&form), pid).await;
    done(&s, page, plan, r).await
}

pub async fn step(State(s): State<AppState>, page: Page, Path(id): Path<String>, form: FormData) -> Result<Response, PageError> {
    let (st, plan) = story_of(&s, &page, &id).await?;
    let Some(chosen) = StoryStep::parse(&form.value("step")) else {
        let m = page.base.t("story-step-unknown");
        return stories_page(&s, page, plan, vec![m]).await;
    };
    let reason = Some(form.value("reason")).filter(|r| !r.trim().is_empty());
    let r = liaison_app::stories::step(&s.app, &page.ctx, st.id, version(&form), StoryStepInput { step: chosen, reason }).await;
    done(&s, page, plan, r).await
}

pub async fn set_portal(State(s): State<AppState>, page: Page, Path(id): Path<String>, form: FormData) -> Result<Response, PageError> {
    let plan = plan_of(&s, &page, &id).await?;
    let input = PortalInput { title: form.text("title"), summary: form.text("summary"), published: form.value("published") == "on" };
    let r = liaison_app::stories::set_portal(&s.app, &page.ctx, plan.id, version(&form).max(0), input).await;
    done(&s, page, plan, r).await
}
