//! The item pages: one item with everything about it (text, links, history, comments, and its
//! implementation — reports with the steps each may take, indicators and figures), the item
//! forms, and the confirmation of a delete.

use crate::history::Record;
use crate::indicators::IndicatorView;
use crate::items::LinkView;
use crate::{App, Ctx, Paging, Result};
use liaison_domain::access::{Action, Target, Verdict};
use liaison_domain::attachment::Attachment;
use liaison_domain::calendar::ReportingPeriod;
use liaison_domain::change::Change;
use liaison_domain::comment::Comment;
use liaison_domain::framework::Framework;
use liaison_domain::item::{Item, ItemQuery};
use liaison_domain::marking::Level;
use liaison_domain::organisation::Organisation;
use liaison_domain::plan::Plan;
use liaison_domain::progress::{Offered, ProgressUpdate};
use liaison_domain::text::Text;
use liaison_domain::{AttachmentId, ItemId, OrganisationId, PlanId, UserId};
use std::collections::HashMap;

fn may(ctx: &Ctx, plan: &Plan, item: &Item, action: Action) -> bool {
    ctx.actor.decide(action, Target::Record { plan: plan.id, plan_marking: &plan.marking, marking: &item.marking }) == Verdict::Allow
}

/// The name of a level of the plan's framework.
fn level_name(fw: &Framework, key: &str) -> Option<Text> {
    fw.levels.iter().find(|l| l.key == key).map(|l| l.name.clone())
}

async fn framework_of(app: &App, ctx: &Ctx, plan: &Plan) -> Result<Framework> {
    Ok(crate::directory::framework_by_code(app, ctx, &plan.framework).await?.unwrap_or_else(|| Framework::builtins().remove(0)))
}

/// One report on the item, with what the reader may do with it now.
pub struct ReportView {
    pub update: ProgressUpdate,
    pub offered: Offered,
}

/// The item page's implementation part.
pub struct ProgressView {
    pub reports: Vec<ReportView>,
    pub indicators: Vec<IndicatorView>,
    pub periods: Vec<ReportingPeriod>,
    /// The evidence files of the reports that the reader may see.
    pub evidence: Vec<Attachment>,
    /// Whether the plan takes reports now.
    pub accepting: bool,
    pub may_report: bool,
    pub may_define: bool,
    pub may_measure: bool,
}

pub struct ItemView {
    pub item: Item,
    pub plan: Plan,
    pub level: Option<Text>,
    /// The name of the level below, if the framework has one (for "add a child").
    pub child_level: Option<Text>,
    pub organisations: HashMap<OrganisationId, Organisation>,
    pub areas: Vec<liaison_store::areas::Area>,
    pub parent: Option<Item>,
    pub children: Vec<Item>,
    pub links: Vec<LinkView>,
    pub history: Vec<Change>,
    pub comments: Vec<Comment>,
    /// Display names of the people in the history and the comments.
    pub names: HashMap<UserId, String>,
    pub may_edit: bool,
    pub may_comment: bool,
    pub progress: ProgressView,
}

pub async fn item(app: &App, ctx: &Ctx, id: ItemId) -> Result<ItemView> {
    let item = crate::items::get(app, ctx, id).await?;
    let plan = crate::plans::get(app, ctx, item.plan).await?;
    let fw = framework_of(app, ctx, &plan).await?;
    let parent = match item.parent {
        Some(p) => crate::items::get(app, ctx, p).await.ok(),
        None => None,
    };
    let q = ItemQuery { parent: Some(Some(item.id)), ..Default::default() };
    let children = crate::items::list(app, ctx, item.plan, &q, &Paging { limit: Some(500), cursor: None }).await?.value.items.clone();
    let history = crate::history::history(app, ctx, Record::Item(id), &Paging { limit: Some(100), cursor: None }).await?.items;
    let comments = crate::comments::list(app, ctx, id).await?;
    let mut people: Vec<UserId> = history.iter().filter_map(|c| c.actor).collect();
    people.extend(comments.iter().map(|c| c.author));
    let editable = plan.state.content_editable();
    Ok(ItemView {
        level: level_name(&fw, &item.level),
        child_level: fw.level_key(usize::from(item.depth) + 1).and_then(|k| level_name(&fw, k)),
        organisations: super::plans::organisations(app, ctx).await?,
        areas: crate::directory::areas(app, ctx).await?,
        parent,
        children,
        links: crate::items::links_of(app, ctx, id).await?,
        names: crate::users::display_names(app, ctx, &people).await?,
        history,
        comments,
        may_edit: may(ctx, &plan, &item, Action::ItemWrite) && editable,
        may_comment: may(ctx, &plan, &item, Action::CommentWrite) && editable,
        progress: progress(app, ctx, &plan, &item).await?,
        item,
        plan,
    })
}

async fn progress(app: &App, ctx: &Ctx, plan: &Plan, item: &Item) -> Result<ProgressView> {
    let updates = crate::progress::of_item(app, ctx, item.id).await?;
    let indicators = crate::indicators::of_item(app, ctx, item.id).await?;
    let periods = crate::calendar::periods(app, ctx, plan.id).await?;
    let rd = app.read(ctx);
    let chain = crate::reporting::lead_chain(&rd, item.lead_organisation).await?;
    let who = crate::reporting::reporter(ctx, plan.id, false);
    let accepting = plan.state.accepts_reports();
    let reports_on_item = liaison_domain::progress::may_report(who, &chain);
    let mut evidence_ids: Vec<AttachmentId> = updates.iter().flat_map(|u| u.evidence.iter().copied()).collect();
    evidence_ids.dedup();
    let evidence = crate::attachments::visible_many(app, ctx, &evidence_ids).await?;
    let reports = updates
        .into_iter()
        .map(|u| {
            let locked = periods.iter().any(|p| p.key == u.period && p.locked);
            let offered = liaison_domain::progress::offered(&u, who, &chain, locked, accepting);
            ReportView { update: u, offered }
        })
        .collect();
    Ok(ProgressView {
        reports,
        indicators,
        periods,
        evidence,
        accepting,
        may_report: accepting && may(ctx, plan, item, Action::ProgressWrite) && reports_on_item,
        may_define: may(ctx, plan, item, Action::IndicatorWrite) && plan.state.content_editable(),
        may_measure: accepting && may(ctx, plan, item, Action::MeasurementWrite) && crate::reporting::may_report_on(&rd, ctx, plan, item).await?,
    })
}

/// Which item form: changing an item, or a new one in a plan (under a parent or at the root).
pub enum FormFor {
    Edit(ItemId),
    New { plan: PlanId, parent: Option<ItemId> },
}

/// What the item form needs: the plan, the item (when changing one), the parent and level,
/// the organisations and areas to choose from, the marking levels, and whether the actor may
/// mark the item lower than its parent.
pub struct ItemFormView {
    pub plan: Plan,
    pub item: Option<Item>,
    pub parent: Option<Item>,
    pub level: Option<Text>,
    pub organisations: Vec<Organisation>,
    pub areas: Vec<liaison_store::areas::Area>,
    pub levels: Vec<Level>,
    pub may_downgrade: bool,
}

pub async fn item_form(app: &App, ctx: &Ctx, which: FormFor) -> Result<ItemFormView> {
    let (plan, item, parent) = match which {
        FormFor::Edit(id) => {
            let item = crate::items::get(app, ctx, id).await?;
            let plan = crate::plans::get(app, ctx, item.plan).await?;
            ctx.actor.require(Action::ItemWrite, Target::Record { plan: plan.id, plan_marking: &plan.marking, marking: &item.marking })?;
            crate::plans::require_editable(&plan)?;
            (plan, Some(item), None)
        }
        FormFor::New { plan, parent } => {
            let plan = crate::plans::get(app, ctx, plan).await?;
            ctx.actor.require(Action::ItemWrite, Target::Plan { id: plan.id, marking: &plan.marking })?;
            let parent = match parent {
                Some(p) => Some(crate::items::get(app, ctx, p).await?),
                None => None,
            };
            (plan, None, parent)
        }
    };
    let fw = framework_of(app, ctx, &plan).await?;
    let level = match (&item, &parent) {
        (Some(i), _) => level_name(&fw, &i.level),
        (None, p) => fw.levels.get(p.as_ref().map(|p| usize::from(p.depth) + 1).unwrap_or(0)).map(|l| l.name.clone()),
    };
    Ok(ItemFormView {
        organisations: crate::organisations::all(app, ctx).await?,
        areas: crate::directory::areas(app, ctx).await?,
        levels: app.config.scheme.levels().to_vec(),
        may_downgrade: ctx.actor.decide(Action::MarkingDowngrade, Target::Plan { id: plan.id, marking: &plan.marking }) == Verdict::Allow,
        plan,
        item,
        parent,
        level,
    })
}

/// What others changed on an item after `version` (shown when an edit made from it was stale).
pub struct StaleView {
    pub changes: Vec<Change>,
    pub names: HashMap<UserId, String>,
    pub organisations: HashMap<OrganisationId, Organisation>,
}

pub async fn changes_since(app: &App, ctx: &Ctx, id: ItemId, version: i64) -> Result<StaleView> {
    let changes = crate::history::history(app, ctx, Record::Item(id), &Paging { limit: Some(50), cursor: None }).await?;
    let theirs: Vec<Change> = changes.items.into_iter().filter(|c| c.version > version).collect();
    let people: Vec<UserId> = theirs.iter().filter_map(|c| c.actor).collect();
    Ok(StaleView { names: crate::users::display_names(app, ctx, &people).await?, organisations: super::plans::organisations(app, ctx).await?, changes: theirs })
}

/// The confirmation of a delete: the item and how many children it has.
pub struct DeleteView {
    pub item: Item,
    pub children: u64,
}

pub async fn delete(app: &App, ctx: &Ctx, id: ItemId) -> Result<DeleteView> {
    let item = crate::items::get(app, ctx, id).await?;
    let plan = crate::plans::get(app, ctx, item.plan).await?;
    ctx.actor.require(Action::ItemWrite, Target::Record { plan: plan.id, plan_marking: &plan.marking, marking: &item.marking })?;
    let children = crate::items::count(app, ctx, item.plan, &ItemQuery { parent: Some(Some(id)), ..Default::default() }).await?;
    Ok(DeleteView { item, children })
}
