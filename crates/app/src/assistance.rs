//! Tailored assistance: the partner's requests, Allies' offers through their lifecycle, and the
//! clearing house. Offers are Ally-scoped through the access policy: an Ally sees its own and
//! those shared with it, in every list, page and total. Items a reader may not see are left out
//! of every record's item list.

use crate::versioned;
use crate::{App, AppError, Ctx, Result, check_version, snapshot};
use liaison_domain::Refusal;
use liaison_domain::access::{Action, Role, Target, Verdict};
use liaison_domain::assistance::{
    AssistanceKind, AssistanceOffer, AssistanceRequest, ClearingHouse, Duplicate, ItemInfo, NewOffer, NewRequest, OfferPatch, OfferState, OfferStep,
    RequestPatch, RequestState, StepError, Totals, check_step, clearing_house, side_of,
};
use liaison_domain::change::ChangeDraft;
use liaison_domain::organisation::OrgKind;
use liaison_domain::plan::{Period, Plan};
use liaison_domain::{ItemId, OfferId, OrganisationId, Patch, PlanId, RequestId, UserId, ValidationErrors};
use liaison_store::{Reader, Tx, assistance as store};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};

fn trim_items(list: &mut Vec<ItemId>, seen: &HashSet<ItemId>) {
    list.retain(|i| seen.contains(i));
}

impl From<StepError> for AppError {
    fn from(e: StepError) -> Self {
        match e {
            StepError::NotYours(m) => AppError::Forbidden(m),
            StepError::NotNow(m) => AppError::Conflict(m),
            StepError::Invalid(v) => AppError::Invalid(v),
        }
    }
}

// ---- Requests ----

pub async fn requests(app: &App, ctx: &Ctx, plan: PlanId) -> Result<Vec<AssistanceRequest>> {
    crate::plans::visible(app, ctx, plan).await?;
    let rd = app.read(ctx);
    let seen: HashSet<ItemId> = crate::items::visible_ids_cached(app, ctx, plan).await?;
    let mut out = store::requests_of(&rd, plan).await?;
    for r in &mut out {
        trim_items(&mut r.items, &seen);
    }
    Ok(out)
}

/// A request `rd` may read, with its plan.
async fn request_in(rd: &Reader<'_>, id: RequestId) -> Result<(AssistanceRequest, Plan)> {
    let r = store::get_request(rd, id).await?.ok_or(AppError::NotFound)?;
    let plan = liaison_store::plans::get(rd, r.plan).await?.ok_or(AppError::NotFound)?;
    Ok((r, plan))
}

pub async fn get_request(app: &App, ctx: &Ctx, id: RequestId) -> Result<AssistanceRequest> {
    let rd = app.read(ctx);
    let (mut r, plan) = request_in(&rd, id).await?;
    let seen: HashSet<ItemId> = crate::items::readable_ids(&rd, plan.id).await?;
    trim_items(&mut r.items, &seen);
    Ok(r)
}

fn asking_org(ctx: &Ctx, plan: &Plan) -> OrganisationId {
    match ctx.actor.subject() {
        Some(s) if s.org_kind.partner_side() => s.organisation,
        _ => plan.partner,
    }
}

pub async fn create_request(app: &App, ctx: &Ctx, plan_id: PlanId, input: NewRequest) -> Result<AssistanceRequest> {
    let now = app.now();
    let tx = app.begin().await?;
    let rd = tx.read(ctx.actor.filter());
    let plan = crate::plans::for_action(&rd, ctx, plan_id, Action::RequestWrite).await?;
    crate::plans::require_editable(&plan)?;
    let seen: HashSet<ItemId> = crate::items::readable_ids(&rd, plan.id).await?;
    let r = AssistanceRequest {
        id: RequestId(app.new_id()),
        plan: plan.id,
        title: input.title,
        need: input.need.trim().to_string(),
        kind: input.kind,
        period: input.period,
        priority: input.priority,
        items: input.items,
        state: RequestState::Open,
        requested_by: asking_org(ctx, &plan),
        marking: input.marking.unwrap_or_else(|| plan.marking.clone()),
        version: 1,
        created_at: now,
        updated_at: now,
    };
    r.validate(app.config.scheme, &plan.marking, ctx.actor.clears(&r.marking), &|i| seen.contains(&i))?;
    store::insert_request(&tx, &r).await?;
    tx.record(ChangeDraft::marked("request", r.id.uuid(), Some(plan.id), 1, "create", None, Some((&r.marking, snapshot(&r)))));
    tx.commit(&ctx.provenance(now)).await?;
    Ok(r)
}

pub async fn update_request(app: &App, ctx: &Ctx, id: RequestId, expected: i64, patch: RequestPatch) -> Result<AssistanceRequest> {
    let now = app.now();
    let tx = app.begin().await?;
    let rd = tx.read(ctx.actor.filter());
    let (cur, plan) = request_in(&rd, id).await?;
    ctx.actor.require(Action::RequestWrite, Target::Record { plan: plan.id, plan_marking: &plan.marking, marking: &cur.marking })?;
    check_version(expected, cur.version)?;
    crate::plans::require_editable(&plan)?;
    let seen: HashSet<ItemId> = crate::items::readable_ids(&rd, plan.id).await?;
    let mut next = cur.clone();
    if let Some(t) = patch.title {
        next.title = t;
    }
    if let Some(n) = patch.need {
        next.need = n.trim().to_string();
    }
    if let Some(k) = patch.kind {
        next.kind = k;
    }
    if let Some(p) = patch.period {
        next.period = p;
    }
    if let Some(p) = patch.priority {
        next.priority = p;
    }
    if let Some(s) = patch.state {
        next.state = s;
    }
    if let Some(m) = patch.marking {
        next.marking = m;
    }
    if let Some(items) = patch.items {
        // Items the editor cannot see stay as they were.
        let hidden: Vec<ItemId> = cur.items.iter().filter(|i| !seen.contains(i)).copied().collect();
        next.items = items;
        next.validate(app.config.scheme, &plan.marking, ctx.actor.clears(&next.marking), &|i| seen.contains(&i))?;
        next.items.extend(hidden);
    } else {
        next.validate(app.config.scheme, &plan.marking, ctx.actor.clears(&next.marking), &|i| seen.contains(&i) || cur.items.contains(&i))?;
    }
    versioned::save(&tx, now, &cur, &mut next).await?;
    tx.commit(&ctx.provenance(now)).await?;
    let mut shown = next;
    trim_items(&mut shown.items, &seen);
    Ok(shown)
}

// ---- Offers ----

fn scoped<'a>(plan: &'a Plan, o: &'a AssistanceOffer) -> Target<'a> {
    Target::Scoped { plan: plan.id, plan_marking: &plan.marking, marking: &o.marking, owner: o.offered_by, shared_with: &o.shared_with }
}

pub async fn offers(app: &App, ctx: &Ctx, plan: PlanId) -> Result<Vec<AssistanceOffer>> {
    crate::plans::visible(app, ctx, plan).await?;
    let rd = app.read(ctx);
    let seen: HashSet<ItemId> = crate::items::visible_ids_cached(app, ctx, plan).await?;
    let mut out = store::offers_of(&rd, plan).await?;
    for o in &mut out {
        trim_items(&mut o.items, &seen);
    }
    Ok(out)
}

/// An offer `rd` may read (the Ally scope is the reader's), with its plan.
async fn offer_in(rd: &Reader<'_>, id: OfferId) -> Result<(AssistanceOffer, Plan)> {
    let o = store::get_offer(rd, id).await?.ok_or(AppError::NotFound)?;
    let plan = liaison_store::plans::get(rd, o.plan).await?.ok_or(AppError::NotFound)?;
    Ok((o, plan))
}

pub async fn get_offer(app: &App, ctx: &Ctx, id: OfferId) -> Result<AssistanceOffer> {
    let rd = app.read(ctx);
    let (mut o, plan) = offer_in(&rd, id).await?;
    let seen: HashSet<ItemId> = crate::items::readable_ids(&rd, plan.id).await?;
    trim_items(&mut o.items, &seen);
    Ok(o)
}

/// Whether the request an offer answers is one of the plan's that the reader may see.
async fn request_known(rd: &Reader<'_>, plan: &Plan, r: Option<RequestId>) -> Result<bool> {
    let Some(r) = r else { return Ok(true) };
    Ok(store::get_request(rd, r).await?.is_some_and(|req| req.plan == plan.id))
}

pub async fn create_offer(app: &App, ctx: &Ctx, plan_id: PlanId, input: NewOffer) -> Result<AssistanceOffer> {
    let tx = app.begin().await?;
    let out = create_offer_in(app, &tx, ctx, plan_id, input).await?;
    tx.commit(&ctx.provenance(app.now())).await?;
    Ok(out)
}

/// [`create_offer`] inside a transaction that the caller commits (an import applies many in one).
pub(crate) async fn create_offer_in(app: &App, tx: &Tx, ctx: &Ctx, plan_id: PlanId, input: NewOffer) -> Result<AssistanceOffer> {
    let now = app.now();
    let rd = tx.read(ctx.actor.filter());
    let plan = crate::plans::for_action(&rd, ctx, plan_id, Action::OfferWrite).await?;
    crate::plans::require_editable(&plan)?;
    // An Ally offers in its own name; a coordinator records an offer for an Ally or agency.
    let offered_by = match (ctx.actor.subject(), input.offered_by) {
        (Some(s), given) if s.role_on(plan.id) == Some(Role::AllyContributor) => {
            if given.is_some_and(|g| g != s.organisation) {
                return Err(AppError::Forbidden(Refusal::new("offer-own-name")));
            }
            s.organisation
        }
        (_, Some(g)) => g,
        (_, None) => return Err(ValidationErrors::coded("offered_by", "required", &[]).into()),
    };
    let org = liaison_store::organisations::get(&rd, offered_by).await?;
    if !org.as_ref().is_some_and(|o| matches!(o.kind, OrgKind::Ally | OrgKind::Agency)) {
        return Err(ValidationErrors::coded("offered_by", "not_ally", &[]).into());
    }
    let seen: HashSet<ItemId> = crate::items::readable_ids(&rd, plan.id).await?;
    let known_request = request_known(&rd, &plan, input.answers).await?;
    let o = AssistanceOffer {
        id: OfferId(app.new_id()),
        plan: plan.id,
        offered_by,
        kind: input.kind,
        title: input.title,
        description: input.description.trim().to_string(),
        value_minor: input.value_minor,
        currency: input.currency.map(|c| c.trim().to_uppercase()),
        period: input.period,
        items: input.items,
        answers: input.answers,
        state: OfferState::Proposed,
        reason: None,
        shared_with: input.shared_with,
        marking: input.marking.unwrap_or_else(|| plan.marking.clone()),
        created_by: ctx.actor.user_id().unwrap_or(UserId(uuid::Uuid::nil())),
        version: 1,
        created_at: now,
        updated_at: now,
    };
    o.validate(app.config.scheme, &plan.marking, ctx.actor.clears(&o.marking), &|i| seen.contains(&i), known_request)?;
    check_shared(&rd, &o.shared_with).await?;
    store::insert_offer(tx, &o).await?;
    tx.record(ChangeDraft::marked("offer", o.id.uuid(), Some(plan.id), 1, "create", None, Some((&o.marking, snapshot(&o)))));
    Ok(o)
}

/// Offers are shared with Allies and agencies that exist.
async fn check_shared(rd: &Reader<'_>, ids: &[OrganisationId]) -> Result<()> {
    let found = liaison_store::organisations::get_many(rd, ids).await?;
    let mut p = liaison_domain::Problems::new();
    for (i, id) in ids.iter().enumerate() {
        if !found.iter().any(|o| o.id == *id && matches!(o.kind, OrgKind::Ally | OrgKind::Agency)) {
            p.coded(format!("shared_with.{i}"), "unknown", &[]);
        }
    }
    Ok(p.finish()?)
}

fn side(ctx: &Ctx, plan: &Plan, o: &AssistanceOffer) -> liaison_domain::assistance::OfferSide {
    match ctx.actor.subject() {
        Some(s) => side_of(s.role_on(plan.id), s.organisation, o.offered_by),
        None => liaison_domain::assistance::OfferSide::Coordinator,
    }
}

/// Change a proposed offer (its maker's side or a coordinator).
pub async fn update_offer(app: &App, ctx: &Ctx, id: OfferId, expected: i64, patch: OfferPatch) -> Result<AssistanceOffer> {
    let now = app.now();
    let tx = app.begin().await?;
    let rd = tx.read(ctx.actor.filter());
    let (cur, plan) = offer_in(&rd, id).await?;
    ctx.actor.require(Action::OfferWrite, scoped(&plan, &cur))?;
    check_version(expected, cur.version)?;
    use liaison_domain::assistance::OfferSide::*;
    if !matches!(side(ctx, &plan, &cur), Offering | Coordinator) {
        return Err(AppError::Forbidden(Refusal::new("offer-change-not-yours")));
    }
    if cur.state != OfferState::Proposed {
        return Err(AppError::Conflict(Refusal::new("offer-settled").arg("state", cur.state.code())));
    }
    let seen: HashSet<ItemId> = crate::items::readable_ids(&rd, plan.id).await?;
    let mut next = cur.clone();
    if let Some(k) = patch.kind {
        next.kind = k;
    }
    if let Some(t) = patch.title {
        next.title = t;
    }
    if let Some(d) = patch.description {
        next.description = d.trim().to_string();
    }
    match patch.value_minor {
        Patch::Absent => {}
        Patch::Null => next.value_minor = None,
        Patch::Set(v) => next.value_minor = Some(v),
    }
    match patch.currency {
        Patch::Absent => {}
        Patch::Null => next.currency = None,
        Patch::Set(c) => next.currency = Some(c.trim().to_uppercase()),
    }
    if let Some(p) = patch.period {
        next.period = p;
    }
    match patch.answers {
        Patch::Absent => {}
        Patch::Null => next.answers = None,
        Patch::Set(r) => next.answers = Some(r),
    }
    if let Some(s) = patch.shared_with {
        next.shared_with = s;
    }
    if let Some(m) = patch.marking {
        next.marking = m;
    }
    let hidden: Vec<ItemId> = cur.items.iter().filter(|i| !seen.contains(i)).copied().collect();
    if let Some(items) = patch.items {
        next.items = items;
    } else {
        next.items.retain(|i| seen.contains(i));
    }
    let known_request = request_known(&rd, &plan, next.answers).await?;
    next.validate(app.config.scheme, &plan.marking, ctx.actor.clears(&next.marking), &|i| seen.contains(&i), known_request)?;
    check_shared(&rd, &next.shared_with).await?;
    next.items.extend(hidden);
    versioned::save(&tx, now, &cur, &mut next).await?;
    tx.commit(&ctx.provenance(now)).await?;
    let mut shown = next;
    trim_items(&mut shown.items, &seen);
    Ok(shown)
}

/// Move an offer through its lifecycle, each step by the side allowed to take it. What is
/// checked is read inside the write's transaction.
pub async fn step_offer(app: &App, ctx: &Ctx, id: OfferId, expected: i64, input: OfferStep) -> Result<AssistanceOffer> {
    let now = app.now();
    let tx = app.begin().await?;
    let rd = tx.read(ctx.actor.filter());
    let (cur, plan) = offer_in(&rd, id).await?;
    let target = scoped(&plan, &cur);
    // Either side reaches the lifecycle; which step each may take is the domain's rule.
    if ctx.actor.decide(Action::OfferWrite, target) != Verdict::Allow {
        ctx.actor.require(Action::OfferDecide, target)?;
    }
    check_version(expected, cur.version)?;
    crate::plans::require_editable(&plan)?;
    check_step(&cur, &input, side(ctx, &plan, &cur))?;
    let seen: HashSet<ItemId> = crate::items::readable_ids(&rd, plan.id).await?;
    let mut next = cur.clone();
    next.state = input.to;
    next.reason = input.reason.as_deref().map(str::trim).filter(|r| !r.is_empty()).map(String::from);
    versioned::save_as(&tx, now, input.to.code_static(), &cur, &mut next).await?;
    tx.commit(&ctx.provenance(now)).await?;
    trim_items(&mut next.items, &seen);
    Ok(next)
}

// ---- The clearing house ----

/// Filters of the clearing house (all optional).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema, utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct ClearingFilter {
    /// An area code: only items of the area (and offers and requests about them).
    #[serde(default)]
    pub area: Option<String>,
    /// An Ally's or agency's organisation id: only its offers.
    #[serde(default)]
    pub ally: Option<OrganisationId>,
    #[serde(default)]
    pub kind: Option<AssistanceKind>,
    /// Only what overlaps this period (both dates, `YYYY-MM-DD`).
    #[serde(default)]
    pub from: Option<chrono::NaiveDate>,
    #[serde(default)]
    pub to: Option<chrono::NaiveDate>,
}

/// An offer as the clearing house lists it.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OfferRef {
    pub id: OfferId,
    pub title: liaison_domain::text::Text,
    pub offered_by: OrganisationId,
    pub offered_by_name: String,
    pub kind: AssistanceKind,
    pub period: Period,
    pub state: OfferState,
}

#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DuplicateView {
    pub item: crate::items::ItemRef,
    pub kind: AssistanceKind,
    pub offers: Vec<OfferRef>,
}

/// The clearing house as the reader may see it.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClearingHouseView {
    /// Items with an open request and no accepted offer.
    pub uncovered_items: Vec<crate::items::ItemRef>,
    /// Items (leaves) with no live offer, by area code (`""` for none).
    pub unsupported_by_area: BTreeMap<String, Vec<crate::items::ItemRef>>,
    pub duplicate_offers: Vec<DuplicateView>,
    /// Live offers that answer no request.
    pub unsolicited_offers: Vec<OfferRef>,
    /// By offering organisation (short name): count and value per currency.
    pub by_ally: BTreeMap<String, Totals>,
    /// By area code.
    pub by_area: BTreeMap<String, Totals>,
    pub requests: u64,
    pub offers: u64,
    /// The highest marking of what it shows: the plan, its items, the requests and offers.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub marking: liaison_domain::marking::Marking,
}

pub async fn clearing(app: &App, ctx: &Ctx, plan_id: PlanId, f: &ClearingFilter) -> Result<ClearingHouseView> {
    if let (Some(a), Some(b)) = (f.from, f.to)
        && b < a
    {
        return Err(ValidationErrors::coded("to", "before_start", &[]).into());
    }
    let plan = crate::plans::visible(app, ctx, plan_id).await?;
    let rd = app.read(ctx);
    let all_items = crate::items::visible_cached(app, ctx, plan.id).await?;
    let parents: HashSet<ItemId> = all_items.iter().filter_map(|i| i.parent).collect();
    let in_area = |i: &liaison_domain::item::Item| f.area.as_ref().is_none_or(|a| i.areas.contains(a));
    let items: Vec<&liaison_domain::item::Item> = all_items.iter().filter(|i| in_area(i)).collect();
    let item_ids: HashSet<ItemId> = items.iter().map(|i| i.id).collect();
    let window = Period { start: f.from.unwrap_or(chrono::NaiveDate::MIN), end: f.to.unwrap_or(chrono::NaiveDate::MAX) };
    let touches = |list: &[ItemId]| f.area.is_none() || list.iter().any(|i| item_ids.contains(i));
    let reqs: Vec<AssistanceRequest> = requests(app, ctx, plan.id)
        .await?
        .into_iter()
        .filter(|r| touches(&r.items) && f.kind.is_none_or(|k| k == r.kind) && liaison_domain::assistance::overlaps(&r.period, &window))
        .collect();
    let offs: Vec<AssistanceOffer> = offers(app, ctx, plan.id)
        .await?
        .into_iter()
        .filter(|o| {
            (touches(&o.items) || o.answers.is_some_and(|a| reqs.iter().any(|r| r.id == a)))
                && f.kind.is_none_or(|k| k == o.kind)
                && f.ally.is_none_or(|a| a == o.offered_by)
                && liaison_domain::assistance::overlaps(&o.period, &window)
        })
        .collect();
    let infos: Vec<ItemInfo> = items.iter().map(|i| ItemInfo { id: i.id, areas: i.areas.clone(), leaf: !parents.contains(&i.id) }).collect();
    let ch: ClearingHouse = clearing_house(&infos, &reqs, &offs);
    let orgs = liaison_store::organisations::all(&rd).await?;
    let org_name = |id: OrganisationId| orgs.iter().find(|o| o.id == id).map(|o| o.short_name.clone()).unwrap_or_else(|| id.to_string());
    let iref = |id: &ItemId| all_items.iter().find(|i| i.id == *id).map(|i| crate::items::ItemRef::of(&plan, i));
    let oref = |id: &OfferId| {
        offs.iter().find(|o| o.id == *id).map(|o| OfferRef {
            id: o.id,
            title: o.title.clone(),
            offered_by: o.offered_by,
            offered_by_name: org_name(o.offered_by),
            kind: o.kind,
            period: o.period,
            state: o.state,
        })
    };
    Ok(ClearingHouseView {
        uncovered_items: ch.uncovered_items.iter().filter_map(iref).collect(),
        unsupported_by_area: ch.unsupported_by_area.iter().map(|(a, v)| (a.clone(), v.iter().filter_map(iref).collect())).collect(),
        duplicate_offers: ch
            .duplicate_offers
            .iter()
            .filter_map(|d: &Duplicate| Some(DuplicateView { item: iref(&d.item)?, kind: d.kind, offers: [oref(&d.offers.0)?, oref(&d.offers.1)?].into() }))
            .collect(),
        unsolicited_offers: ch.unsolicited_offers.iter().filter_map(oref).collect(),
        by_ally: ch.by_ally.into_iter().map(|(k, v)| (uuid::Uuid::try_parse(&k).map(|u| org_name(OrganisationId(u))).unwrap_or(k), v)).collect(),
        by_area: ch.by_area,
        requests: reqs.len() as u64,
        offers: offs.len() as u64,
        marking: items
            .iter()
            .map(|i| &i.marking)
            .chain(reqs.iter().map(|r| &r.marking))
            .chain(offs.iter().map(|o| &o.marking))
            .fold(plan.marking.clone(), |m, x| m.join(x)),
    })
}
