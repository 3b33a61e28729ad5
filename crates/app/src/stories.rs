//! Stories for the public and the plans' portal pages, in the workspace: written by the plan's
//! editors, released by a coordinator who is not the author, every step audited.

use crate::versioned;
use crate::{App, AppError, Ctx, Result, check_version, snapshot};
use liaison_domain::Refusal;
use liaison_domain::access::{Action, Target, Verdict};
use liaison_domain::change::ChangeDraft;
use liaison_domain::marking::{Level, Marking};
use liaison_domain::plan::Plan;
use liaison_domain::portal::{Portal, PortalInput};
use liaison_domain::story::{NewStory, Photo, PhotoSize, Story, StoryPatch, StoryState, StoryStepError, StoryStepInput, check_caption, step as next_state};
use liaison_domain::{ActivityId, ItemId, PhotoId, PlanId, StoryId, UserId};
use liaison_store::{Reader, stories as store};
use sha2::{Digest, Sha256};
use std::collections::HashSet;

impl From<StoryStepError> for AppError {
    fn from(e: StoryStepError) -> Self {
        match e {
            StoryStepError::NotYours(m) => AppError::Forbidden(m),
            StoryStepError::NotNow(m) => AppError::Conflict(m),
            StoryStepError::Invalid(v) => AppError::Invalid(v),
        }
    }
}

/// The items and activities of the plan that `rd` may see (a story names only those to its reader).
async fn seen(rd: &Reader<'_>, plan: PlanId) -> Result<(HashSet<ItemId>, HashSet<ActivityId>)> {
    let items = crate::items::readable_ids(rd, plan).await?;
    let acts = liaison_store::activities::of_plan(rd, plan).await?.iter().map(|a| a.id).collect();
    Ok((items, acts))
}

/// Keep only the links to items and activities in `seen` (what the reader may see).
pub(crate) fn trim(s: &mut Story, seen: &(HashSet<ItemId>, HashSet<ActivityId>)) {
    s.items.retain(|i| seen.0.contains(i));
    s.activities.retain(|a| seen.1.contains(a));
}

pub async fn of_plan(app: &App, ctx: &Ctx, plan: PlanId) -> Result<Vec<Story>> {
    crate::plans::visible(app, ctx, plan).await?;
    let rd = app.read(ctx);
    let s = seen(&rd, plan).await?;
    let mut out = store::of_plan(&rd, plan, None).await?;
    for x in &mut out {
        trim(x, &s);
    }
    Ok(out)
}

/// A story `rd` may read, and its plan.
async fn visible(rd: &Reader<'_>, id: StoryId) -> Result<(Story, Plan)> {
    let s = store::get(rd, id).await?.ok_or(AppError::NotFound)?;
    let plan = liaison_store::plans::get(rd, s.plan).await?.ok_or(AppError::NotFound)?;
    Ok((s, plan))
}

/// A story `rd` may read that the actor may change, and its plan.
async fn writable(rd: &Reader<'_>, ctx: &Ctx, id: StoryId) -> Result<(Story, Plan)> {
    let (s, plan) = visible(rd, id).await?;
    ctx.actor.require(Action::StoryWrite, Target::Record { plan: plan.id, plan_marking: &plan.marking, marking: &s.marking })?;
    Ok((s, plan))
}

pub async fn get(app: &App, ctx: &Ctx, id: StoryId) -> Result<Story> {
    let rd = app.read(ctx);
    let (mut s, plan) = visible(&rd, id).await?;
    trim(&mut s, &seen(&rd, plan.id).await?);
    Ok(s)
}

pub async fn create(app: &App, ctx: &Ctx, plan_id: PlanId, input: NewStory) -> Result<Story> {
    let now = app.now();
    let tx = app.begin().await?;
    let rd = tx.read(ctx.actor.filter());
    let plan = crate::plans::for_action(&rd, ctx, plan_id, Action::StoryWrite).await?;
    let (items, acts) = seen(&rd, plan.id).await?;
    let (author, author_name) = match ctx.actor.user() {
        Some(u) => (u.id, u.display_name.clone()),
        None => (UserId(uuid::Uuid::nil()), "Liaison".to_string()),
    };
    let s = Story {
        id: StoryId(app.new_id()),
        plan: plan.id,
        language: input.language.trim().to_string(),
        title: input.title.trim().to_string(),
        summary: input.summary.trim().to_string(),
        body: input.body.trim().to_string(),
        items: input.items,
        activities: input.activities,
        photos: Vec::new(),
        state: StoryState::Draft,
        reason: None,
        author,
        author_name,
        reviewer: None,
        published_at: None,
        marking: input.marking.unwrap_or_else(|| Marking::new(Level::Public, &[], &plan.marking.originator)),
        version: 1,
        created_at: now,
        updated_at: now,
    };
    s.validate(app.config.scheme, ctx.actor.clears(&s.marking), &|i| items.contains(&i), &|a| acts.contains(&a))?;
    store::insert(&tx, &s).await?;
    tx.record(ChangeDraft::marked("story", s.id.uuid(), Some(plan.id), 1, "create", None, Some((&s.marking, snapshot(&s)))));
    tx.commit(&ctx.provenance(now)).await?;
    Ok(s)
}

fn require_draft(s: &Story) -> Result<()> {
    if s.state == StoryState::Draft { Ok(()) } else { Err(AppError::Conflict(Refusal::new("story-settled").arg("state", s.state.code()))) }
}

pub async fn update(app: &App, ctx: &Ctx, id: StoryId, expected: i64, patch: StoryPatch) -> Result<Story> {
    let now = app.now();
    let tx = app.begin().await?;
    let rd = tx.read(ctx.actor.filter());
    let (cur, plan) = writable(&rd, ctx, id).await?;
    check_version(expected, cur.version)?;
    require_draft(&cur)?;
    let s = seen(&rd, plan.id).await?;
    let mut next = cur.clone();
    if let Some(l) = patch.language {
        next.language = l.trim().to_string();
    }
    if let Some(t) = patch.title {
        next.title = t.trim().to_string();
    }
    if let Some(x) = patch.summary {
        next.summary = x.trim().to_string();
    }
    if let Some(b) = patch.body {
        next.body = b.trim().to_string();
    }
    if let Some(m) = patch.marking {
        next.marking = m;
    }
    let hidden_items: Vec<ItemId> = cur.items.iter().filter(|i| !s.0.contains(i)).copied().collect();
    let hidden_acts: Vec<ActivityId> = cur.activities.iter().filter(|a| !s.1.contains(a)).copied().collect();
    match patch.items {
        Some(i) => next.items = i,
        None => next.items.retain(|i| s.0.contains(i)),
    }
    match patch.activities {
        Some(a) => next.activities = a,
        None => next.activities.retain(|a| s.1.contains(a)),
    }
    next.validate(app.config.scheme, ctx.actor.clears(&next.marking), &|i| s.0.contains(&i), &|a| s.1.contains(&a))?;
    next.items.extend(hidden_items);
    next.activities.extend(hidden_acts);
    versioned::save(&tx, now, &cur, &mut next).await?;
    tx.commit(&ctx.provenance(now)).await?;
    trim(&mut next, &s);
    Ok(next)
}

/// Whether the actor may add photos to the story (checked before an upload is read).
pub async fn may_write(app: &App, ctx: &Ctx, id: StoryId) -> Result<()> {
    writable(&app.read(ctx), ctx, id).await.map(|_| ())
}

/// Add a photo to a draft story: checked, turned upright, scaled, and stripped of metadata.
pub async fn add_photo(app: &App, ctx: &Ctx, id: StoryId, expected: i64, caption: &str, credit: &str, bytes: &[u8]) -> Result<Story> {
    // The cheap checks first, then the conversion (seconds, outside any transaction), then the
    // write, which checks again what it relies on.
    let (cur, _) = writable(&app.read(ctx), ctx, id).await?;
    check_version(expected, cur.version)?;
    require_draft(&cur)?;
    check_caption(caption, credit).finish()?;
    let processed = crate::photos::process_limited(app, bytes.to_vec()).await?;
    let now = app.now();
    let tx = app.begin().await?;
    let rd = tx.read(ctx.actor.filter());
    let (cur, plan) = writable(&rd, ctx, id).await?;
    check_version(expected, cur.version)?;
    require_draft(&cur)?;
    if cur.photos.len() >= 20 {
        return Err(liaison_domain::ValidationErrors::coded("file", "too_many", &[]).into());
    }
    let photo = Photo {
        id: PhotoId(app.new_id()),
        caption: caption.trim().to_string(),
        credit: credit.trim().to_string(),
        width: processed.width,
        height: processed.height,
        web_sha256: hex::encode(Sha256::digest(&processed.web)),
        thumb_sha256: hex::encode(Sha256::digest(&processed.thumb)),
    };
    let mut next = cur.clone();
    next.photos.push(photo.clone());
    store::add_photo(&tx, id, cur.photos.len() as u32, &photo, &processed.web, &processed.thumb).await?;
    versioned::write_next(&tx, now, &cur, &mut next).await?;
    tx.record(ChangeDraft::marked("story", id.uuid(), Some(plan.id), next.version, "photo_add", None, Some((&next.marking, snapshot(&photo)))));
    tx.commit(&ctx.provenance(now)).await?;
    Ok(next)
}

pub async fn remove_photo(app: &App, ctx: &Ctx, id: StoryId, expected: i64, photo: PhotoId) -> Result<Story> {
    let now = app.now();
    let tx = app.begin().await?;
    let rd = tx.read(ctx.actor.filter());
    let (cur, plan) = writable(&rd, ctx, id).await?;
    check_version(expected, cur.version)?;
    require_draft(&cur)?;
    let Some(p) = cur.photos.iter().find(|p| p.id == photo).cloned() else { return Err(AppError::NotFound) };
    let mut next = cur.clone();
    next.photos.retain(|x| x.id != photo);
    store::remove_photo(&tx, photo).await?;
    versioned::write_next(&tx, now, &cur, &mut next).await?;
    tx.record(ChangeDraft::marked("story", id.uuid(), Some(plan.id), next.version, "photo_remove", Some((&next.marking, snapshot(&p))), None));
    tx.commit(&ctx.provenance(now)).await?;
    Ok(next)
}

/// Submit, publish, send back, withdraw or redraft a story.
pub async fn step(app: &App, ctx: &Ctx, id: StoryId, expected: i64, input: StoryStepInput) -> Result<Story> {
    use liaison_domain::story::StoryStep::*;
    let now = app.now();
    let tx = app.begin().await?;
    let rd = tx.read(ctx.actor.filter());
    let (cur, plan) = visible(&rd, id).await?;
    let target = Target::Record { plan: plan.id, plan_marking: &plan.marking, marking: &cur.marking };
    if ctx.actor.decide(Action::StoryWrite, target) != Verdict::Allow {
        ctx.actor.require(Action::StoryRelease, target)?;
    }
    check_version(expected, cur.version)?;
    if matches!(input.step, Submit | Redraft) {
        ctx.actor.require(Action::StoryWrite, target)?;
    }
    let may_release = ctx.actor.decide(Action::StoryRelease, target) == Verdict::Allow;
    let actor = ctx.actor.user_id().unwrap_or(UserId(uuid::Uuid::nil()));
    let state = next_state(&cur, &input, actor, may_release)?;
    let mut next = cur.clone();
    next.state = state;
    next.reason = if input.step.needs_reason() { input.reason.as_deref().map(|r| r.trim().to_string()) } else { None };
    if matches!(input.step, Publish | Return | Withdraw) {
        next.reviewer = ctx.actor.user_id();
    }
    if input.step == Publish {
        next.published_at = Some(now);
    }
    versioned::save_as(&tx, now, input.step.code(), &cur, &mut next).await?;
    tx.commit(&ctx.provenance(now)).await?;
    Ok(next)
}

/// The plan's portal settings (anyone who reads the plan).
pub async fn portal(app: &App, ctx: &Ctx, plan: PlanId) -> Result<Option<Portal>> {
    crate::plans::visible(app, ctx, plan).await?;
    Ok(store::portal(&app.read(ctx), plan).await?)
}

/// Set what the portal says of the plan, and whether the plan appears there (coordinators).
/// `expected` is the version edited (0 when there is no portal page yet).
pub async fn set_portal(app: &App, ctx: &Ctx, plan_id: PlanId, expected: i64, input: PortalInput) -> Result<Portal> {
    let now = app.now();
    let tx = app.begin().await?;
    let rd = tx.read(ctx.actor.filter());
    let plan = crate::plans::for_action(&rd, ctx, plan_id, Action::StoryRelease).await?;
    let cur = store::portal(&rd, plan.id).await?;
    check_version(expected, cur.as_ref().map_or(0, |c| c.version))?;
    let next = Portal {
        plan: plan.id,
        title: input.title,
        summary: input.summary,
        published: input.published,
        version: cur.as_ref().map_or(1, |c| c.version + 1),
        updated_at: now,
    };
    next.validate()?;
    let public = Marking::new(Level::Public, &[], &plan.marking.originator);
    store::put_portal(&tx, &next).await?;
    tx.record(ChangeDraft::marked(
        "portal",
        plan.id.uuid(),
        Some(plan.id),
        next.version,
        if cur.is_some() { "update" } else { "create" },
        cur.as_ref().map(|c| (&public, snapshot(c))),
        Some((&public, snapshot(&next))),
    ));
    tx.commit(&ctx.provenance(now)).await?;
    Ok(next)
}

/// A photo of a story the actor may see (for previews in the workspace), as JPEG.
pub async fn photo(app: &App, ctx: &Ctx, id: PhotoId, size: PhotoSize) -> Result<Vec<u8>> {
    store::photo_content(&app.read(ctx), id, size).await?.ok_or(AppError::NotFound)
}
