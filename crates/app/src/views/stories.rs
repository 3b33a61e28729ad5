//! The stories page of a plan: what the portal says of it, its stories with the release steps
//! each reader may take, and the items and activities a story may be about.

use crate::{App, Ctx, Result};
use liaison_domain::access::Action;
use liaison_domain::activity::Activity;
use liaison_domain::item::Item;
use liaison_domain::plan::Plan;
use liaison_domain::portal::Portal;
use liaison_domain::story::{Story, StoryState, StoryStep};
use liaison_domain::{PlanId, StoryId};

use super::plans::may;

pub struct StoryView {
    pub story: Story,
    pub may_edit: bool,
    pub steps: Vec<StoryStep>,
}

pub struct StoriesView {
    pub plan: Plan,
    pub portal: Option<Portal>,
    pub stories: Vec<StoryView>,
    pub items: Vec<Item>,
    pub activities: Vec<Activity>,
    pub may_write: bool,
    pub may_release: bool,
}

pub async fn stories(app: &App, ctx: &Ctx, id: PlanId) -> Result<StoriesView> {
    let plan = crate::plans::get(app, ctx, id).await?;
    let may_write = may(ctx, &plan, Action::StoryWrite);
    let may_release = may(ctx, &plan, Action::StoryRelease);
    let stories = crate::stories::of_plan(app, ctx, id)
        .await?
        .into_iter()
        .map(|s| StoryView {
            steps: ctx.actor.user_id().map(|me| liaison_domain::story::available_steps(&s, me, may_write, may_release)).unwrap_or_default(),
            may_edit: may_write && s.state == StoryState::Draft,
            story: s,
        })
        .collect();
    Ok(StoriesView {
        portal: crate::stories::portal(app, ctx, id).await?,
        stories,
        items: crate::items::visible_cached(app, ctx, id).await?.to_vec(),
        activities: crate::activities::of_plan(app, ctx, id).await?,
        may_write,
        may_release,
        plan,
    })
}

/// The plan a story belongs to, for the page that lists it (after a refused change).
pub async fn plan_of_story(app: &App, ctx: &Ctx, id: StoryId) -> Result<PlanId> {
    Ok(crate::stories::get(app, ctx, id).await?.plan)
}
