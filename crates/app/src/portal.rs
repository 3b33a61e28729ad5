//! The public portal's read model: what anybody may see of a published plan. Every read goes
//! through `ReadFilter::public`, the access policy's rule for the public: records marked
//! `public`, of that plan only. Nothing else — no title, count or total — comes from records
//! that are not public.

use crate::{App, AppError, Result};
use liaison_domain::access::ReadFilter;
use liaison_domain::activity::Activity;
use liaison_domain::item::Item;
use liaison_domain::portal::Portal;
use liaison_domain::rollup;
use liaison_domain::story::{PhotoSize, Story, StoryState};
use liaison_domain::{ActivityId, ItemId, PhotoId, PlanId, StoryId, Timestamp};
use liaison_store::Reader;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

/// A published plan's public page.
pub struct Overview {
    pub portal: Portal,
    pub items: Vec<Item>,
    /// Progress (0–100) of the public items, by area.
    pub progress_by_area: BTreeMap<String, f64>,
    pub progress_of: HashMap<ItemId, f64>,
    pub by_status: BTreeMap<String, u64>,
    pub stories: Vec<Story>,
    pub activities: Vec<Activity>,
    /// The latest change to a public record of the plan or to its portal page (for `Last-Modified`).
    pub modified: Timestamp,
}

/// The public's reader for one plan: records marked public, once the plan is on the portal.
fn public(app: &App, plan: PlanId) -> Reader<'_> {
    app.read_with(ReadFilter::public(plan))
}

async fn published(app: &App, plan: PlanId) -> Result<Portal> {
    match liaison_store::stories::portal(&public(app, plan), plan).await? {
        Some(p) if p.published => Ok(p),
        _ => Err(AppError::NotFound),
    }
}

/// The published plans. (Which plans are on the portal is itself public: the list is read
/// unfiltered, and each plan's page then through its public reader.)
pub async fn plans(app: &App) -> Result<Vec<Portal>> {
    Ok(liaison_store::stories::published_portals(&app.unfiltered()).await?)
}

/// A published plan's public page. Cached per plan and day, keyed on the plan's latest change
/// in the audit trail (as the signed-in summaries are): putting the plan on the portal or taking
/// it off, a publication, a withdrawal and any change to the plan's records make a new one, on
/// every server.
pub async fn overview(app: &App, plan: PlanId) -> Result<Arc<Overview>> {
    // The cache key is the plan's latest change of any kind (system work: a change that hides a
    // public record must drop the public page too).
    let last_change = liaison_store::changes::last_of_plan(&app.unfiltered(), plan).await?;
    let key = format!("{plan}|{}", app.now().date_naive());
    if let Some(o) = app.caches.portals.get(last_change, &key) {
        return Ok(o);
    }
    let o = Arc::new(build(app, plan).await?);
    app.caches.portals.put(last_change, key, o.clone());
    Ok(o)
}

async fn build(app: &App, plan: PlanId) -> Result<Overview> {
    let portal = published(app, plan).await?;
    let c = &public(app, plan);
    let items = liaison_store::items::of_plan(c, plan).await?;
    let activities = liaison_store::activities::of_plan(c, plan).await?;
    let public: (HashSet<ItemId>, HashSet<ActivityId>) = (items.iter().map(|i| i.id).collect(), activities.iter().map(|a| a.id).collect());
    let updates = liaison_store::progress::of_plan(c, plan, None).await?;
    let periods: Vec<String> = liaison_store::calendar::of_plan(c, plan).await?.into_iter().map(|p| p.key).collect();
    let public_updates: Vec<_> = updates.into_iter().filter(|u| public.0.contains(&u.item)).collect();
    let approved: HashMap<ItemId, u8> = crate::reporting::latest_approved(&public_updates, &periods, None).into_iter().map(|(k, (_, p))| (k, p)).collect();
    let (progress_of, _) = rollup::progress(&items, &approved);
    let (by_status, _, _) = rollup::counts(&items, app.now().date_naive());
    // A story names only public items and activities.
    let mut stories = liaison_store::stories::of_plan(c, plan, Some(StoryState::Published)).await?;
    for st in &mut stories {
        crate::stories::trim(st, &public);
    }
    // The latest change to anything the portal shows of the plan, read from public records only
    // (a change to a hidden record must not show in the portal's dates either).
    let modified = stories
        .iter()
        .filter_map(|s| s.published_at)
        .chain(items.iter().map(|i| i.updated_at))
        .chain(activities.iter().map(|a| a.updated_at))
        .chain(public_updates.iter().filter(|u| u.state == liaison_domain::progress::UpdateState::Approved).map(|u| u.updated_at))
        .fold(portal.updated_at, Timestamp::max);
    Ok(Overview { progress_by_area: rollup::progress_by_area(&items, &progress_of), progress_of, by_status, items, stories, activities, modified, portal })
}

/// The names of areas (directory data, not classified), by code.
pub async fn area_names(app: &App) -> Result<BTreeMap<String, liaison_domain::text::Text>> {
    Ok(liaison_store::areas::all(&app.unfiltered()).await?.into_iter().map(|a| (a.code, a.name)).collect())
}

/// One published story, if its plan is published, with its plan's public page.
pub async fn story(app: &App, id: StoryId) -> Result<(Story, Arc<Overview>)> {
    // Which plan a story is of is looked up unfiltered; the story itself is then read through
    // that plan's public reader.
    let plan = liaison_store::stories::plan_of(&app.unfiltered(), id).await?.ok_or(AppError::NotFound)?;
    let s = liaison_store::stories::get(&public(app, plan), id).await?.ok_or(AppError::NotFound)?;
    if s.state != StoryState::Published {
        return Err(AppError::NotFound);
    }
    let o = overview(app, s.plan).await?;
    let public = o.stories.iter().find(|x| x.id == id).cloned().ok_or(AppError::NotFound)?;
    Ok((public, o))
}

/// One size of a photo of a published story, as JPEG.
pub async fn photo(app: &App, id: PhotoId, size: PhotoSize) -> Result<Vec<u8>> {
    let (_, story_id) = liaison_store::stories::photo_story(&app.unfiltered(), id).await?.ok_or(AppError::NotFound)?;
    let (s, _) = story(app, story_id).await?;
    liaison_store::stories::photo_content(&public(app, s.plan), id, size).await?.ok_or(AppError::NotFound)
}

/// The public calendar of a published plan (its public activities, without the internal
/// description the workspace feed gives them).
pub async fn calendar(app: &App, plan: PlanId, lang: liaison_domain::text::UiLang) -> Result<String> {
    let o = overview(app, plan).await?;
    let events: Vec<liaison_interop::ical::Event> =
        o.activities.iter().map(|a| liaison_interop::ical::Event { description: String::new(), ..crate::activities::activity_event(a, lang, "") }).collect();
    Ok(liaison_interop::ical::calendar(&o.portal.title.show(lang), &events, o.portal.updated_at))
}
