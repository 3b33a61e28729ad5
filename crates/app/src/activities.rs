//! Activities (courses, conferences, exercises …) and the calendar feeds of a plan and of an
//! organisation, filtered by the reader's access exactly like the pages.

use crate::versioned;
use crate::{App, AppError, Ctx, Result, check_version, snapshot};
use liaison_domain::Refusal;
use liaison_domain::access::{Action, Target, Verdict};
use liaison_domain::activity::{Activity, ActivityContext, ActivityPatch, NewActivity};
use liaison_domain::change::ChangeDraft;
use liaison_domain::plan::Plan;
use liaison_domain::text::UiLang;
use liaison_domain::{ActivityId, ItemId, OrganisationId, Patch, PlanId};
use liaison_interop::ical::{Event, calendar};
use liaison_store::{Reader, activities as store, items};
use std::collections::HashSet;

/// Offers of the plan the reader may see (an activity names its offer only to them).
async fn seen_offers(rd: &Reader<'_>, plan: PlanId) -> Result<HashSet<liaison_domain::OfferId>> {
    Ok(liaison_store::assistance::offers_of(rd, plan).await?.iter().map(|o| o.id).collect())
}

fn trim(a: &mut Activity, items: &HashSet<ItemId>, offers: &HashSet<liaison_domain::OfferId>) {
    a.items.retain(|i| items.contains(i));
    if a.offer.is_some_and(|o| !offers.contains(&o)) {
        a.offer = None;
    }
}

pub async fn of_plan(app: &App, ctx: &Ctx, plan: PlanId) -> Result<Vec<Activity>> {
    crate::plans::visible(app, ctx, plan).await?;
    let rd = app.read(ctx);
    let seen = crate::items::visible_ids_cached(app, ctx, plan).await?;
    let offers = seen_offers(&rd, plan).await?;
    let mut out = store::of_plan(&rd, plan).await?;
    for a in &mut out {
        trim(a, &seen, &offers);
    }
    Ok(out)
}

/// An activity `rd` may read, with its plan.
async fn visible(rd: &Reader<'_>, id: ActivityId) -> Result<(Activity, Plan)> {
    let a = store::get(rd, id).await?.ok_or(AppError::NotFound)?;
    let plan = liaison_store::plans::get(rd, a.plan).await?.ok_or(AppError::NotFound)?;
    Ok((a, plan))
}

pub async fn get(app: &App, ctx: &Ctx, id: ActivityId) -> Result<Activity> {
    let rd = app.read(ctx);
    let (mut a, plan) = visible(&rd, id).await?;
    let seen = crate::items::readable_ids(&rd, plan.id).await?;
    trim(&mut a, &seen, &seen_offers(&rd, plan.id).await?);
    Ok(a)
}

/// Allies record and change the activities they organise; coordinators and partner editors any.
fn may_touch(ctx: &Ctx, plan: &Plan, organiser: Option<OrganisationId>) -> Result<()> {
    match ctx.actor.subject() {
        Some(s) if !liaison_domain::activity::may_change(s.role_on(plan.id), s.organisation, organiser) => {
            Err(AppError::Forbidden(Refusal::new("activity-not-yours")))
        }
        _ => Ok(()),
    }
}

async fn validate(app: &App, rd: &Reader<'_>, ctx: &Ctx, plan: &Plan, a: &Activity, seen: &HashSet<ItemId>, downgrade: bool) -> Result<()> {
    let below = !a.marking.dominates(&plan.marking);
    if below && downgrade && ctx.actor.decide(Action::MarkingDowngrade, Target::Plan { id: plan.id, marking: &plan.marking }) != Verdict::Allow {
        return Err(AppError::Forbidden(Refusal::new("role-forbids").arg("action", liaison_domain::access::Action::MarkingDowngrade.code())));
    }
    let offer_known = match a.offer {
        None => true,
        Some(o) => liaison_store::assistance::get_offer(rd, o).await?.is_some_and(|x| x.plan == plan.id),
    };
    let organiser_known = match a.organiser {
        None => true,
        Some(o) => liaison_store::organisations::get(rd, o).await?.is_some(),
    };
    let known = |i: ItemId| seen.contains(&i);
    let actx = ActivityContext {
        scheme: app.config.scheme,
        plan_marking: &plan.marking,
        author_clears: ctx.actor.clears(&a.marking),
        today: app.now().date_naive(),
        item_known: &known,
        offer_known,
        organiser_known,
        downgrade_allowed: below && downgrade,
    };
    Ok(a.validate(&actx)?)
}

pub async fn create(app: &App, ctx: &Ctx, plan_id: PlanId, input: NewActivity) -> Result<Activity> {
    let now = app.now();
    let tx = app.begin().await?;
    let rd = tx.read(ctx.actor.filter());
    let plan = crate::plans::for_action(&rd, ctx, plan_id, Action::ActivityWrite).await?;
    crate::plans::require_editable(&plan)?;
    let organiser = input.organiser.or_else(|| ctx.actor.subject().map(|s| s.organisation));
    may_touch(ctx, &plan, organiser)?;
    let seen = crate::items::readable_ids(&rd, plan.id).await?;
    let a = Activity {
        id: ActivityId(app.new_id()),
        plan: plan.id,
        kind: input.kind,
        title: input.title,
        description: input.description.trim().to_string(),
        dates: input.dates,
        place: input.place.trim().to_string(),
        organiser,
        items: input.items,
        offer: input.offer,
        participants: input.participants,
        catalogue_ref: input.catalogue_ref.trim().to_string(),
        outcome: input.outcome.trim().to_string(),
        feedback: input.feedback.trim().to_string(),
        marking: input.marking.unwrap_or_else(|| plan.marking.clone()),
        version: 1,
        created_at: now,
        updated_at: now,
    };
    validate(app, &rd, ctx, &plan, &a, &seen, input.downgrade).await?;
    store::insert(&tx, &a).await?;
    tx.record(ChangeDraft::marked("activity", a.id.uuid(), Some(plan.id), 1, "create", None, Some((&a.marking, snapshot(&a)))));
    record_downgrade(&tx, &plan, &a);
    tx.commit(&ctx.provenance(now)).await?;
    Ok(a)
}

pub async fn update(app: &App, ctx: &Ctx, id: ActivityId, expected: i64, patch: ActivityPatch) -> Result<Activity> {
    let now = app.now();
    let tx = app.begin().await?;
    let rd = tx.read(ctx.actor.filter());
    let (cur, plan) = visible(&rd, id).await?;
    ctx.actor.require(Action::ActivityWrite, Target::Record { plan: plan.id, plan_marking: &plan.marking, marking: &cur.marking })?;
    check_version(expected, cur.version)?;
    may_touch(ctx, &plan, cur.organiser)?;
    crate::plans::require_editable(&plan)?;
    let seen = crate::items::readable_ids(&rd, plan.id).await?;
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
    if let Some(d) = patch.dates {
        next.dates = d;
    }
    if let Some(p) = patch.place {
        next.place = p.trim().to_string();
    }
    match patch.organiser {
        Patch::Absent => {}
        Patch::Null => next.organiser = None,
        Patch::Set(o) => next.organiser = Some(o),
    }
    let offers = seen_offers(&rd, plan.id).await?;
    let hidden_offer = cur.offer.filter(|o| !offers.contains(o));
    if hidden_offer.is_some() {
        next.offer = None;
    }
    match patch.offer {
        Patch::Absent => {}
        Patch::Null => next.offer = None,
        Patch::Set(o) => next.offer = Some(o),
    }
    if let Some(p) = patch.participants {
        next.participants = p;
    }
    if let Some(c) = patch.catalogue_ref {
        next.catalogue_ref = c.trim().to_string();
    }
    if let Some(o) = patch.outcome {
        next.outcome = o.trim().to_string();
    }
    if let Some(f) = patch.feedback {
        next.feedback = f.trim().to_string();
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
    may_touch(ctx, &plan, next.organiser)?;
    validate(app, &rd, ctx, &plan, &next, &seen, patch.downgrade).await?;
    next.items.extend(hidden);
    if next.offer.is_none() && matches!(patch.offer, Patch::Absent) {
        // A link the editor cannot see stays as it was.
        next.offer = hidden_offer;
    }
    versioned::save(&tx, now, &cur, &mut next).await?;
    if next.marking != cur.marking {
        record_downgrade(&tx, &plan, &next);
    }
    tx.commit(&ctx.provenance(now)).await?;
    trim(&mut next, &seen, &offers);
    Ok(next)
}

/// A marking below the plan's is an audit event of its own.
fn record_downgrade(tx: &liaison_store::Tx, plan: &Plan, a: &Activity) {
    if !a.marking.dominates(&plan.marking) {
        tx.record(ChangeDraft::marked(
            "activity",
            a.id.uuid(),
            Some(plan.id),
            a.version,
            "marking_downgrade",
            Some((&plan.marking, serde_json::json!({"ceiling": plan.marking}))),
            Some((&plan.marking, serde_json::json!({"marking": a.marking}))),
        ));
    }
}

pub(crate) fn activity_event(a: &Activity, lang: UiLang, plan_code: &str) -> Event {
    Event {
        uid: format!("activity-{}@liaison", a.id),
        first_day: a.dates.start,
        last_day: a.dates.end,
        summary: a.title.show(lang),
        location: a.place.clone(),
        description: format!("{plan_code} · {}{}", a.kind.code(), if a.catalogue_ref.is_empty() { String::new() } else { format!(" · {}", a.catalogue_ref) }),
        categories: a.kind.code().to_string(),
    }
}

fn due_events(plan: &Plan, items: &[liaison_domain::item::Item], lang: UiLang) -> Vec<Event> {
    items
        .iter()
        .filter(|i| !i.status.is_closed())
        .filter_map(|i| {
            let day = i.due.and_then(|d| d.deadline())?;
            Some(Event {
                uid: format!("due-{}@liaison", i.id),
                first_day: day,
                last_day: day,
                summary: liaison_i18n::Tr { lang }.with("calendar-item-due", &[("plan", &plan.code), ("item", &i.code), ("title", &i.title.show(lang))]),
                location: String::new(),
                description: String::new(),
                categories: "deadline".into(),
            })
        })
        .collect()
}

/// The calendar of a plan: its activities, its items' due dates, and when reports are due.
pub async fn plan_feed(app: &App, ctx: &Ctx, plan_id: PlanId, lang: UiLang) -> Result<String> {
    let plan = crate::plans::visible(app, ctx, plan_id).await?;
    let mut events: Vec<Event> = of_plan(app, ctx, plan.id).await?.iter().map(|a| activity_event(a, lang, &plan.code)).collect();
    let visible = items::of_plan(&app.read(ctx), plan.id).await?;
    events.extend(due_events(&plan, &visible, lang));
    for p in crate::calendar::periods(app, ctx, plan.id).await? {
        events.push(Event {
            uid: format!("reports-{}-{}@liaison", plan.id, p.key),
            first_day: p.due,
            last_day: p.due,
            summary: liaison_i18n::Tr { lang }.with("calendar-reports-due", &[("plan", &plan.code), ("period", &p.key)]),
            location: String::new(),
            description: String::new(),
            categories: "reporting".into(),
        });
    }
    events.sort_by(|a, b| a.first_day.cmp(&b.first_day).then(a.uid.cmp(&b.uid)));
    Ok(calendar(&format!("Liaison · {}", plan.code), &events, app.now()))
}

/// The calendar of an organisation across the plans the reader may see: the activities it
/// organises and the due dates of the items it leads.
pub async fn organisation_feed(app: &App, ctx: &Ctx, org: OrganisationId, lang: UiLang) -> Result<String> {
    let o = crate::organisations::get(app, ctx, org).await?;
    let rd = app.read(ctx);
    let mut events = Vec::new();
    let mut plans: std::collections::HashMap<PlanId, Option<Plan>> = std::collections::HashMap::new();
    for a in store::of_organiser(&rd, org).await? {
        let plan = match plans.get(&a.plan) {
            Some(p) => p.clone(),
            None => {
                let p = liaison_store::plans::get(&rd, a.plan).await?;
                plans.insert(a.plan, p.clone());
                p
            }
        };
        if let Some(p) = plan {
            events.push(activity_event(&a, lang, &p.code));
        }
    }
    let all = liaison_store::plans::list(&rd, None, None, 500).await?;
    for plan in all.items {
        let led: Vec<liaison_domain::item::Item> = items::of_plan(&rd, plan.id).await?.into_iter().filter(|i| i.lead_organisation == Some(org)).collect();
        events.extend(due_events(&plan, &led, lang));
    }
    events.sort_by(|a, b| a.first_day.cmp(&b.first_day).then(a.uid.cmp(&b.uid)));
    Ok(calendar(&format!("Liaison · {}", o.short_name), &events, app.now()))
}
