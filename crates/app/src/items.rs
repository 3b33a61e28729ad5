//! The items of a plan's tree and the links between them.

use crate::directory::framework;
use crate::plans::{for_action, require_editable};
use crate::versioned;
use crate::{App, AppError, Ctx, Paging, Result, check_version, snapshot};
use liaison_domain::Refusal;
use liaison_domain::access::{Action, Target, Verdict};
use liaison_domain::change::ChangeDraft;
use liaison_domain::item::{Item, ItemContext, ItemLink, ItemPatch, LinkKind, MoveItem, NewItem, NewLink, ParentInfo, check_link, check_move, tree_key};
use liaison_domain::marking::Marking;
use liaison_domain::page::Page;
use liaison_domain::plan::Plan;
use liaison_domain::text::Text;
use liaison_domain::{ItemId, LinkId, OrganisationId, PlanId, ValidationErrors};
use liaison_store::items::{self as store, ItemQuery};
use liaison_store::{Reader, Tx, areas, links, organisations};
use serde::Serialize;
use std::collections::BTreeSet;

/// An item with its plan, if `c` may see both.
async fn visible_in(c: &Reader<'_>, id: ItemId) -> Result<Option<(Item, Plan)>> {
    Ok(store::get_with_plan(c, id).await?)
}

/// An item and its plan, read by `c` (in a write: inside its transaction), on which the actor
/// may do `action`. The one rule for a record that belongs to an item: indicators, figures and
/// reports use it too.
pub(crate) async fn for_item_action(c: &Reader<'_>, ctx: &Ctx, id: ItemId, action: Action) -> Result<(Item, Plan)> {
    let (item, plan) = store::get_with_plan(c, id).await?.ok_or(AppError::NotFound)?;
    ctx.actor.require(action, Target::Record { plan: plan.id, plan_marking: &plan.marking, marking: &item.marking })?;
    Ok((item, plan))
}

/// The plan's items the actor may see.
pub(crate) async fn readable(r: &Reader<'_>, plan: PlanId) -> Result<Vec<Item>> {
    Ok(liaison_store::items::of_plan(r, plan).await?)
}

/// The ids of the plan's items the actor may see (to drop links to the others).
pub(crate) async fn readable_ids(r: &Reader<'_>, plan: PlanId) -> Result<std::collections::HashSet<ItemId>> {
    Ok(readable(r, plan).await?.iter().map(|i| i.id).collect())
}

/// The plan's items the actor may see, for pages and read models: read once and kept until
/// anything of the plan changes (keyed on the plan's latest change and the actor's filter, as
/// the summary is). A page that shows a plan's requests, offers and clearing house reads the
/// tree once instead of six times. Never inside a write: a transaction reads its own view.
pub(crate) async fn visible_cached(app: &App, ctx: &Ctx, plan: PlanId) -> Result<std::sync::Arc<Vec<Item>>> {
    // System work: the key must move with a change of any record of the plan, hidden ones too.
    let last_change = liaison_store::changes::last_of_plan(&app.unfiltered(), plan).await?;
    let key = format!("{plan}|{}", ctx.actor.filter_key());
    if let Some(v) = app.caches.plan_items.get(last_change, &key) {
        return Ok(v);
    }
    let v = std::sync::Arc::new(readable(&app.read(ctx), plan).await?);
    app.caches.plan_items.put(last_change, key, v.clone());
    Ok(v)
}

/// The ids of [`visible_cached`].
pub(crate) async fn visible_ids_cached(app: &App, ctx: &Ctx, plan: PlanId) -> Result<std::collections::HashSet<ItemId>> {
    Ok(visible_cached(app, ctx, plan).await?.iter().map(|i| i.id).collect())
}

pub async fn get(app: &App, ctx: &Ctx, id: ItemId) -> Result<Item> {
    visible_in(&app.read(ctx), id).await?.map(|(i, _)| i).ok_or(AppError::NotFound)
}

/// Every item of the plan the actor may see, unpaged (for loaders and the command line; people
/// get pages: [`list`]).
pub async fn of_plan(app: &App, ctx: &Ctx, plan: PlanId) -> Result<Vec<Item>> {
    crate::plans::visible(app, ctx, plan).await?;
    readable(&app.read(ctx), plan).await
}

/// A page of the plan's items in tree order, filtered. The answer of the filtered query is
/// cached for readers with the same access filter until the next write.
pub async fn list(app: &App, ctx: &Ctx, plan: PlanId, query: &ItemQuery, paging: &Paging) -> Result<std::sync::Arc<crate::cache::Shared<Page<Item>>>> {
    crate::plans::visible(app, ctx, plan).await?;
    let after = match paging.cursor_parts(2)? {
        None => None,
        Some(p) => Some((p[0].clone(), uuid::Uuid::try_parse(&p[1]).map_err(|_| AppError::Invalid(ValidationErrors::coded("cursor", "invalid", &[])))?)),
    };
    let limit = paging.limit()?;
    let generation = app.generation();
    let key = format!("{plan}|{}|{query:?}|{after:?}|{limit}", ctx.actor.filter_key());
    if let Some(page) = app.caches.item_pages.get(generation, &key) {
        return Ok(page);
    }
    let page = std::sync::Arc::new(crate::cache::Shared::new(store::list(&app.read(ctx), plan, query, after, limit).await?));
    app.caches.item_pages.put(generation, key, page.clone());
    Ok(page)
}

/// How many of the plan's items the actor may see, with the same filters.
pub async fn count(app: &App, ctx: &Ctx, plan: PlanId, query: &ItemQuery) -> Result<u64> {
    crate::plans::visible(app, ctx, plan).await?;
    Ok(store::count(&app.read(ctx), plan, query).await?)
}

async fn unknown_organisations(c: &Reader<'_>, item: &Item) -> Result<Vec<OrganisationId>> {
    let mut ids: Vec<OrganisationId> = item.contributing_organisations.clone();
    ids.extend(item.lead_organisation);
    let found: BTreeSet<OrganisationId> = organisations::get_many(c, &ids).await?.into_iter().map(|o| o.id).collect();
    Ok(ids.into_iter().filter(|i| !found.contains(i)).collect())
}

/// Record a downgrade below the parent's marking as an audit event of its own.
fn record_downgrade(tx: &Tx, item: &Item, ceiling: &Marking) {
    if !item.marking.dominates(ceiling) {
        tx.record(ChangeDraft::marked(
            "item",
            item.id.uuid(),
            Some(item.plan),
            item.version,
            "marking_downgrade",
            Some((ceiling, serde_json::json!({"ceiling": ceiling}))),
            Some((ceiling, serde_json::json!({"marking": item.marking}))),
        ));
    }
}

pub async fn create(app: &App, ctx: &Ctx, plan_id: PlanId, input: NewItem) -> Result<Item> {
    let tx = app.begin().await?;
    let out = create_in(app, &tx, ctx, plan_id, input).await?;
    tx.commit(&ctx.provenance(app.now())).await?;
    Ok(out)
}

/// [`create`] inside a transaction that the caller commits (an import applies many in one).
pub(crate) async fn create_in(app: &App, tx: &Tx, ctx: &Ctx, plan_id: PlanId, input: NewItem) -> Result<Item> {
    let plan = for_action(&tx.read(ctx.actor.filter()), ctx, plan_id, Action::ItemWrite).await?;
    require_editable(&plan)?;
    let fw = framework(&tx.unfiltered(), &plan.framework).await?.ok_or_else(|| AppError::Internal(format!("plan {} has an unknown framework", plan.id)))?;
    let parent = match input.parent {
        None => None,
        Some(pid) => Some(visible_in(&tx.read(ctx.actor.filter()), pid).await?.map(|(p, _)| p)),
    };
    let siblings = store::children(&tx.unfiltered(), plan_id, input.parent).await?;
    let position = input.position.map_or(siblings.len(), |p| (p as usize).min(siblings.len()));
    let mut orgs: Vec<OrganisationId> = input.contributing_organisations.clone();
    orgs.extend(input.lead_organisation);
    let known_orgs: std::collections::HashSet<OrganisationId> = {
        let found: BTreeSet<OrganisationId> = organisations::get_many(&tx.unfiltered(), &orgs).await?.into_iter().map(|o| o.id).collect();
        found.into_iter().collect()
    };
    let known_areas: std::collections::HashSet<String> = {
        let unknown = areas::unknown(&tx.unfiltered(), &input.areas).await?;
        input.areas.iter().filter(|a| !unknown.contains(a)).cloned().collect()
    };
    let parent_item = parent.as_ref().and_then(|p| p.as_ref());
    let k = Known {
        plan: &plan,
        framework: &fw,
        parent: parent_item,
        parent_key: None,
        siblings: siblings.len(),
        code_taken: store::code_taken(&tx.unfiltered(), plan_id, &input.code, None).await?,
        areas: &known_areas,
        organisations: &known_orgs,
    };
    // A parent id that names no item the actor sees is a problem of the input, said with the rest.
    let (item, ceiling) = checked(app, ctx, &k, input, position, parent.as_ref().is_some_and(Option::is_none))?;
    let appended = position == siblings.len();
    let key = if appended {
        let parent_key = match item.parent {
            Some(p) => store::tree_key_of(&tx.unfiltered(), p).await?,
            None => None,
        };
        tree_key(parent_key.as_deref(), item.position)
    } else {
        String::new()
    };
    for s in siblings.iter().filter(|s| s.position as usize >= position) {
        store::set_position(tx, s.id, s.parent, s.position + 1).await?;
    }
    store::insert(tx, &item, &key).await?;
    if !appended {
        store::rebuild_tree_keys(tx, plan_id).await?;
    }
    tx.record(ChangeDraft::marked("item", item.id.uuid(), Some(plan_id), 1, "create", None, Some((&item.marking, snapshot(&item)))));
    record_downgrade(tx, &item, &ceiling);
    Ok(item)
}

/// The item `input` makes at `position` among its siblings, checked against what `k` knows
/// (every rule of the item at once), and the marking it must dominate.
fn checked(app: &App, ctx: &Ctx, k: &Known<'_>, input: NewItem, position: usize, parent_unknown: bool) -> Result<(Item, Marking)> {
    let plan = k.plan;
    let depth = k.parent.map_or(0, |p| p.depth.saturating_add(1));
    let ceiling = k.parent.map_or_else(|| plan.marking.clone(), |p| p.marking.clone());
    let requested_level = input.level.clone();
    let downgrade = input.downgrade;
    let level = k.framework.level_key(usize::from(depth)).unwrap_or("below_lowest_level").to_string();
    let id = ItemId(app.new_id());
    let item = input.into_item(id, plan.id, depth, level, &ceiling, u32::try_from(position).unwrap_or(u32::MAX), app.now());
    let mut orgs: Vec<OrganisationId> = item.contributing_organisations.clone();
    orgs.extend(item.lead_organisation);
    let ictx = ItemContext {
        scheme: app.config.scheme,
        framework: k.framework,
        plan: plan.id,
        plan_marking: &plan.marking,
        parent: if parent_unknown { Some(None) } else { k.parent.map(|p| Some(ParentInfo { plan: p.plan, depth: p.depth, marking: p.marking.clone() })) },
        requested_level: requested_level.as_deref(),
        unknown_areas: item.areas.iter().filter(|a| !k.areas.contains(*a)).cloned().collect(),
        unknown_organisations: orgs.into_iter().filter(|o| !k.organisations.contains(o)).collect(),
        code_taken: k.code_taken,
        previous_marking: None,
        downgrade_requested: downgrade,
        may_downgrade: ctx.actor.decide(Action::MarkingDowngrade, Target::Plan { id: plan.id, marking: &plan.marking }) == Verdict::Allow,
        actor_clears_marking: ctx.actor.clears(&item.marking),
    };
    item.validate(&ictx)?;
    if k.siblings >= liaison_domain::item::MAX_SIBLINGS {
        return Err(ValidationErrors::coded("parent", "too_many_children", &[]).into());
    }
    Ok((item, ceiling))
}

/// What a caller that makes many items of one plan in one transaction (an import) already
/// knows, so that each item costs one write instead of eight reads and a write: the plan (read
/// in the transaction), its framework, the parent and its tree key, how many children the
/// parent has (hidden ones included), whether the code is taken (by any item, hidden or not),
/// and which areas and organisations exist.
pub(crate) struct Known<'a> {
    pub plan: &'a Plan,
    pub framework: &'a liaison_domain::framework::Framework,
    pub parent: Option<&'a Item>,
    pub parent_key: Option<&'a str>,
    pub siblings: usize,
    pub code_taken: bool,
    pub areas: &'a std::collections::HashSet<String>,
    pub organisations: &'a std::collections::HashSet<OrganisationId>,
}

/// [`create_in`] for a caller that knows the plan's state ([`Known`]): the same access check,
/// rules and Change rows, the item appended after its siblings. Answers the item and its tree key.
pub(crate) async fn create_known_in(app: &App, tx: &Tx, ctx: &Ctx, k: Known<'_>, input: NewItem) -> Result<(Item, String)> {
    ctx.actor.require(Action::ItemWrite, Target::Plan { id: k.plan.id, marking: &k.plan.marking })?;
    require_editable(k.plan)?;
    if input.parent != k.parent.map(|p| p.id) || input.position.is_some() {
        return Err(AppError::Internal("create_known_in appends under the parent it is given".into()));
    }
    let (item, ceiling) = checked(app, ctx, &k, input, k.siblings, false)?;
    let key = tree_key(k.parent_key, item.position);
    store::insert(tx, &item, &key).await?;
    tx.record(ChangeDraft::marked("item", item.id.uuid(), Some(k.plan.id), 1, "create", None, Some((&item.marking, snapshot(&item)))));
    record_downgrade(tx, &item, &ceiling);
    Ok((item, key))
}

pub async fn update(app: &App, ctx: &Ctx, id: ItemId, expected: i64, patch: ItemPatch) -> Result<Item> {
    let tx = app.begin().await?;
    let out = update_in(app, &tx, ctx, id, expected, patch).await?;
    tx.commit(&ctx.provenance(app.now())).await?;
    Ok(out)
}

/// [`update`] inside a transaction that the caller commits (an import applies many in one).
pub(crate) async fn update_in(app: &App, tx: &Tx, ctx: &Ctx, id: ItemId, expected: i64, patch: ItemPatch) -> Result<Item> {
    let now = app.now();
    let (cur, plan) = for_item_action(&tx.read(ctx.actor.filter()), ctx, id, Action::ItemWrite).await?;
    check_version(expected, cur.version)?;
    require_editable(&plan)?;
    let downgrade = patch.downgrade;
    let mut next = cur.patched(patch);
    if next == cur {
        return Ok(cur);
    }
    let fw = framework(&tx.unfiltered(), &plan.framework).await?.ok_or_else(|| AppError::Internal(format!("plan {} has an unknown framework", plan.id)))?;
    // Only what changed is checked against the rest of the database: an edit of the text
    // costs no lookups of areas, organisations, codes or the parent.
    let marking_changed = next.marking != cur.marking;
    let parent = match cur.parent {
        Some(p) if marking_changed => store::get(&tx.unfiltered(), p).await?,
        _ => None,
    };
    let ceiling = parent.as_ref().map(|p| p.marking.clone()).unwrap_or_else(|| plan.marking.clone());
    let unknown_areas = if next.areas != cur.areas { areas::unknown(&tx.unfiltered(), &next.areas).await? } else { Vec::new() };
    let orgs_changed = next.lead_organisation != cur.lead_organisation || next.contributing_organisations != cur.contributing_organisations;
    let unknown_organisations = if orgs_changed { unknown_organisations(&tx.unfiltered(), &next).await? } else { Vec::new() };
    let code_taken = next.code.to_lowercase() != cur.code.to_lowercase() && store::code_taken(&tx.unfiltered(), plan.id, &next.code, Some(id)).await?;
    let ictx = ItemContext {
        scheme: app.config.scheme,
        framework: &fw,
        plan: plan.id,
        plan_marking: &plan.marking,
        parent: parent.as_ref().map(|p| Some(ParentInfo { plan: p.plan, depth: p.depth, marking: p.marking.clone() })),
        requested_level: None,
        unknown_areas,
        unknown_organisations,
        code_taken,
        previous_marking: Some(&cur.marking),
        downgrade_requested: downgrade,
        may_downgrade: ctx.actor.decide(Action::MarkingDowngrade, Target::Plan { id: plan.id, marking: &plan.marking }) == Verdict::Allow,
        actor_clears_marking: ctx.actor.clears(&next.marking),
    };
    next.validate(&ictx)?;
    versioned::save(tx, now, &cur, &mut next).await?;
    if next.marking != cur.marking {
        record_downgrade(tx, &next, &ceiling);
    }
    Ok(next)
}

/// Move an item under another parent one level up, or to another position among its siblings.
pub async fn move_item(app: &App, ctx: &Ctx, id: ItemId, expected: i64, input: MoveItem) -> Result<Item> {
    let now = app.now();
    let tx = app.begin().await?;
    let (cur, plan) = for_item_action(&tx.read(ctx.actor.filter()), ctx, id, Action::ItemWrite).await?;
    check_version(expected, cur.version)?;
    require_editable(&plan)?;
    let new_parent = match input.parent {
        None => None,
        Some(pid) => match visible_in(&tx.read(ctx.actor.filter()), pid).await? {
            Some((p, _)) => Some(p),
            None => return Err(ValidationErrors::coded("parent", "unknown", &[]).into()),
        },
    };
    check_move(&cur, new_parent.as_ref())?;
    let old_siblings: Vec<Item> = store::children(&tx.unfiltered(), plan.id, cur.parent).await?.into_iter().filter(|s| s.id != id).collect();
    for (i, s) in old_siblings.iter().enumerate() {
        if s.position as usize != i {
            store::set_position(&tx, s.id, s.parent, i as u32).await?;
        }
    }
    let new_parent_id = new_parent.as_ref().map(|p| p.id);
    let mut new_siblings: Vec<Item> = store::children(&tx.unfiltered(), plan.id, new_parent_id).await?.into_iter().filter(|s| s.id != id).collect();
    let position = input.position.map_or(new_siblings.len(), |p| (p as usize).min(new_siblings.len()));
    let mut next = cur.clone();
    next.parent = new_parent_id;
    next.position = position as u32;
    if next.parent == cur.parent && next.position == cur.position {
        return Ok(cur);
    }
    new_siblings.insert(position, next.clone());
    for (i, s) in new_siblings.iter().enumerate() {
        if s.id != id && s.position as usize != i {
            store::set_position(&tx, s.id, s.parent, i as u32).await?;
        }
    }
    versioned::write_next(&tx, now, &cur, &mut next).await?;
    store::rebuild_tree_keys(&tx, plan.id).await?;
    tx.record(ChangeDraft::marked(
        "item",
        id.uuid(),
        Some(plan.id),
        next.version,
        "move",
        Some((&cur.marking, serde_json::json!({"parent": cur.parent, "position": cur.position}))),
        Some((&next.marking, serde_json::json!({"parent": next.parent, "position": next.position}))),
    ));
    tx.commit(&ctx.provenance(now)).await?;
    Ok(next)
}

/// Delete an item. An item with children is refused unless `cascade` is set, in which case
/// its whole subtree goes (and every link to or from it) — but only if the actor can see all
/// of it.
pub async fn delete(app: &App, ctx: &Ctx, id: ItemId, expected: i64, cascade: bool) -> Result<()> {
    let now = app.now();
    let tx = app.begin().await?;
    let (cur, plan) = for_item_action(&tx.read(ctx.actor.filter()), ctx, id, Action::ItemWrite).await?;
    check_version(expected, cur.version)?;
    require_editable(&plan)?;
    let all = store::of_plan(&tx.unfiltered(), plan.id).await?;
    let mut subtree = vec![cur.clone()];
    let mut i = 0;
    while i < subtree.len() {
        let pid = subtree[i].id;
        subtree.extend(all.iter().filter(|x| x.parent == Some(pid)).cloned());
        i += 1;
    }
    if subtree.len() > 1 {
        if !cascade {
            return Err(ValidationErrors::coded("", "has_children", &[]).into());
        }
        let seen = readable_ids(&tx.read(ctx.actor.filter()), plan.id).await?;
        if subtree.iter().any(|x| !seen.contains(&x.id)) {
            return Err(ValidationErrors::coded("", "has_children", &[("hidden", "yes")]).into());
        }
    }
    for x in &subtree {
        let records = liaison_store::indicators::count_of_item(&tx.unfiltered(), x.id).await?
            + liaison_store::progress::count_of_item(&tx.unfiltered(), x.id).await?
            + liaison_store::assessments::ratings_of_item(&tx.unfiltered(), x.id).await?;
        if records > 0 {
            return Err(AppError::Conflict(Refusal::new("item-has-records")));
        }
    }
    let ids: BTreeSet<ItemId> = subtree.iter().map(|x| x.id).collect();
    let mut doomed_links: Vec<ItemLink> = Vec::new();
    for x in &subtree {
        for l in links::of_item(&tx.unfiltered(), x.id).await? {
            if !doomed_links.iter().any(|d| d.id == l.id) {
                doomed_links.push(l);
            }
        }
    }
    for l in &doomed_links {
        let other = if ids.contains(&l.from) { l.to } else { l.from };
        let other_marking = store::get(&tx.unfiltered(), other).await?.map(|o| o.marking);
        let mine = subtree.iter().find(|x| x.id == l.from || x.id == l.to).map(|x| x.marking.clone()).unwrap_or_else(|| plan.marking.clone());
        let m = other_marking.map(|o| o.join(&mine)).unwrap_or(mine);
        links::delete(&tx, l.id).await?;
        tx.record(ChangeDraft::marked("link", l.id.uuid(), Some(plan.id), l.version, "delete", Some((&m, snapshot(l))), None));
    }
    for x in subtree.iter().rev() {
        store::delete(&tx, x.id).await?;
        tx.record(ChangeDraft::marked("item", x.id.uuid(), Some(plan.id), x.version, "delete", Some((&x.marking, snapshot(x))), None));
    }
    let siblings = store::children(&tx.unfiltered(), plan.id, cur.parent).await?;
    for (i, s) in siblings.iter().enumerate() {
        if s.position as usize != i {
            store::set_position(&tx, s.id, s.parent, i as u32).await?;
        }
    }
    store::rebuild_tree_keys(&tx, plan.id).await?;
    tx.commit(&ctx.provenance(now)).await?;
    Ok(())
}

/// The other end of a link, as a reader sees it.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ItemRef {
    pub id: ItemId,
    pub plan: PlanId,
    pub plan_code: String,
    pub code: String,
    pub level: String,
    pub title: Text,
}

impl ItemRef {
    pub fn of(plan: &Plan, i: &Item) -> ItemRef {
        ItemRef { id: i.id, plan: plan.id, plan_code: plan.code.clone(), code: i.code.clone(), level: i.level.clone(), title: i.title.clone() }
    }
}

/// A link seen from one item.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LinkView {
    pub id: LinkId,
    pub kind: LinkKind,
    /// `outgoing` (this item → other) or `incoming` (other → this item).
    pub direction: String,
    pub other: ItemRef,
    pub version: i64,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: liaison_domain::Timestamp,
}

/// Links from and to an item whose other end the actor may also see.
pub async fn links_of(app: &App, ctx: &Ctx, id: ItemId) -> Result<Vec<LinkView>> {
    let c = &app.read(ctx);
    visible_in(c, id).await?.ok_or(AppError::NotFound)?;
    let mut out = Vec::new();
    for l in links::of_item(c, id).await? {
        let (other, direction) = if l.from == id { (l.to, "outgoing") } else { (l.from, "incoming") };
        if let Some((o, op)) = visible_in(c, other).await? {
            out.push(LinkView {
                id: l.id,
                kind: l.kind,
                direction: direction.into(),
                other: ItemRef { id: o.id, plan: op.id, plan_code: op.code, code: o.code, level: o.level, title: o.title },
                version: l.version,
                created_at: l.created_at,
            });
        }
    }
    Ok(out)
}

pub async fn create_link(app: &App, ctx: &Ctx, from: ItemId, input: NewLink) -> Result<LinkView> {
    let now = app.now();
    let tx = app.begin().await?;
    let (item, plan) = for_item_action(&tx.read(ctx.actor.filter()), ctx, from, Action::LinkWrite).await?;
    require_editable(&plan)?;
    let target = visible_in(&tx.read(ctx.actor.filter()), input.to).await?;
    let mut existing: Vec<(ItemId, ItemId, LinkKind)> = links::of_item(&tx.unfiltered(), from).await?.into_iter().map(|l| (l.from, l.to, l.kind)).collect();
    if input.kind == LinkKind::DependsOn {
        existing.extend(links::all_of_kind(&tx.unfiltered(), LinkKind::DependsOn).await?.into_iter().map(|l| (l.from, l.to, l.kind)));
    }
    check_link(from, input.to, input.kind, target.is_some(), &existing)?;
    let (t, tp) = target.ok_or(AppError::NotFound)?;
    let link = ItemLink { id: LinkId(app.new_id()), from, to: input.to, kind: input.kind, version: 1, created_at: now };
    links::insert(&tx, &link).await?;
    let m = item.marking.join(&t.marking);
    tx.record(ChangeDraft::marked("link", link.id.uuid(), Some(plan.id), 1, "create", None, Some((&m, snapshot(&link)))));
    tx.commit(&ctx.provenance(now)).await?;
    Ok(LinkView {
        id: link.id,
        kind: link.kind,
        direction: "outgoing".into(),
        other: ItemRef { id: t.id, plan: tp.id, plan_code: tp.code, code: t.code, level: t.level, title: t.title },
        version: 1,
        created_at: now,
    })
}

/// A link the actor may see (both ends visible), with the source item and its plan.
pub(crate) async fn visible_link(c: &Reader<'_>, _ctx: &Ctx, id: LinkId) -> Result<(ItemLink, Item, Plan, Item)> {
    let l = links::get(c, id).await?.ok_or(AppError::NotFound)?;
    let (from, plan) = visible_in(c, l.from).await?.ok_or(AppError::NotFound)?;
    let (to, _) = visible_in(c, l.to).await?.ok_or(AppError::NotFound)?;
    Ok((l, from, plan, to))
}

pub async fn delete_link(app: &App, ctx: &Ctx, id: LinkId, expected: i64) -> Result<()> {
    let now = app.now();
    let tx = app.begin().await?;
    let (l, from, plan, to) = visible_link(&tx.read(ctx.actor.filter()), ctx, id).await?;
    ctx.actor.require(Action::LinkWrite, Target::Record { plan: plan.id, plan_marking: &plan.marking, marking: &from.marking })?;
    check_version(expected, l.version)?;
    require_editable(&plan)?;
    links::delete(&tx, id).await?;
    let m = from.marking.join(&to.marking);
    tx.record(ChangeDraft::marked("link", id.uuid(), Some(plan.id), l.version, "delete", Some((&m, snapshot(&l))), None));
    tx.commit(&ctx.provenance(now)).await?;
    Ok(())
}
