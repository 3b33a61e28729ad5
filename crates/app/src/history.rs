//! The history of any record: its Change rows, newest first, with before and after.
//!
//! A history is visible exactly when its record is (a deleted record's history stays visible
//! to those who may read its plan), and each row only when its own marking — the stricter of
//! before and after — is visible too.

use crate::{App, AppError, Ctx, Paging, Result};
use liaison_domain::change::Change;
use liaison_domain::page::Page;
use liaison_domain::{
    ActivityId, AssessmentId, DecisionId, IndicatorId, ItemId, LinkId, OfferId, OrganisationId, PlanId, RequestId, StoryId, UpdateId, UserId,
};
use liaison_store::changes;

/// The kinds of record that have a history.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Record {
    Plan(PlanId),
    Item(ItemId),
    Decision(DecisionId),
    Link(LinkId),
    Organisation(OrganisationId),
    User(UserId),
    Indicator(IndicatorId),
    Update(UpdateId),
    Assessment(AssessmentId),
    Request(RequestId),
    Offer(OfferId),
    Activity(ActivityId),
    Story(StoryId),
}

impl Record {
    fn uuid(self) -> uuid::Uuid {
        match self {
            Record::Plan(i) => i.uuid(),
            Record::Item(i) => i.uuid(),
            Record::Decision(i) => i.uuid(),
            Record::Link(i) => i.uuid(),
            Record::Organisation(i) => i.uuid(),
            Record::User(i) => i.uuid(),
            Record::Indicator(i) => i.uuid(),
            Record::Update(i) => i.uuid(),
            Record::Assessment(i) => i.uuid(),
            Record::Request(i) => i.uuid(),
            Record::Offer(i) => i.uuid(),
            Record::Activity(i) => i.uuid(),
            Record::Story(i) => i.uuid(),
        }
    }

    fn entity(self) -> &'static str {
        match self {
            Record::Plan(_) => "plan",
            Record::Item(_) => "item",
            Record::Decision(_) => "decision",
            Record::Link(_) => "link",
            Record::Organisation(_) => "organisation",
            Record::User(_) => "user",
            Record::Indicator(_) => "indicator",
            Record::Update(_) => "progress_update",
            Record::Assessment(_) => "assessment",
            Record::Request(_) => "request",
            Record::Offer(_) => "offer",
            Record::Activity(_) => "activity",
            Record::Story(_) => "story",
        }
    }
}

/// Whether the actor may read the history of a record that no longer exists: the last row the
/// actor's reader sees (its plan visible, its marking cleared) must be the record's deletion.
async fn deleted_but_readable(app: &App, ctx: &Ctx, r: Record) -> Result<()> {
    let last = changes::latest_of(&app.read(ctx), r.uuid()).await?.ok_or(AppError::NotFound)?;
    if last.entity != r.entity() || last.action != "delete" || last.plan.is_none() || last.marking.is_none() {
        return Err(AppError::NotFound);
    }
    Ok(())
}

pub async fn history(app: &App, ctx: &Ctx, r: Record, paging: &Paging) -> Result<Page<Change>> {
    let exists = match r {
        Record::Plan(id) => crate::plans::visible(app, ctx, id).await.map(|_| ()),
        Record::Item(id) => crate::items::get(app, ctx, id).await.map(|_| ()),
        Record::Decision(id) => crate::decisions::get(app, ctx, id).await.map(|_| ()),
        Record::Link(id) => crate::items::visible_link(&app.read(ctx), ctx, id).await.map(|_| ()),
        Record::Organisation(id) => crate::organisations::get(app, ctx, id).await.map(|_| ()),
        Record::User(id) => crate::users::get(app, ctx, id).await.map(|_| ()),
        Record::Indicator(id) => crate::indicators::get(app, ctx, id).await.map(|_| ()),
        Record::Update(id) => crate::progress::get(app, ctx, id).await.map(|_| ()),
        Record::Assessment(id) => crate::assessments::get(app, ctx, id).await.map(|_| ()),
        Record::Request(id) => crate::assistance::get_request(app, ctx, id).await.map(|_| ()),
        Record::Offer(id) => crate::assistance::get_offer(app, ctx, id).await.map(|_| ()),
        Record::Activity(id) => crate::activities::get(app, ctx, id).await.map(|_| ()),
        Record::Story(id) => crate::stories::get(app, ctx, id).await.map(|_| ()),
    };
    match exists {
        Ok(()) => {}
        Err(AppError::NotFound) if matches!(r, Record::Item(_) | Record::Decision(_) | Record::Link(_) | Record::Indicator(_)) => {
            deleted_but_readable(app, ctx, r).await?
        }
        Err(e) => return Err(e),
    }
    let mut page = changes::history(&app.read(ctx), r.uuid(), paging.cursor_seq()?, paging.limit()?).await?;
    if matches!(r, Record::Request(_) | Record::Offer(_) | Record::Activity(_) | Record::Story(_)) {
        redact(app, ctx, &mut page.items).await?;
    }
    Ok(page)
}

/// Records that name other records (requests, offers and activities name items and offers)
/// keep in their history only the names the reader may see, as the records themselves do.
async fn redact(app: &App, ctx: &Ctx, rows: &mut [Change]) -> Result<()> {
    let Some(plan) = rows.iter().find_map(|c| c.plan) else { return Ok(()) };
    let items: std::collections::HashSet<String> = liaison_store::items::of_plan(&app.read(ctx), plan).await?.iter().map(|i| i.id.to_string()).collect();
    let offers: std::collections::HashSet<String> =
        liaison_store::assistance::offers_of(&app.read(ctx), plan).await?.iter().map(|o| o.id.to_string()).collect();
    let activities: std::collections::HashSet<String> =
        liaison_store::activities::of_plan(&app.read(ctx), plan).await?.iter().map(|a| a.id.to_string()).collect();
    for c in rows.iter_mut() {
        for v in [c.before.as_mut(), c.after.as_mut()].into_iter().flatten() {
            let Some(obj) = v.as_object_mut() else { continue };
            if let Some(list) = obj.get_mut("items").and_then(|x| x.as_array_mut()) {
                list.retain(|i| i.as_str().is_some_and(|s| items.contains(s)));
            }
            if let Some(list) = obj.get_mut("activities").and_then(|x| x.as_array_mut()) {
                list.retain(|i| i.as_str().is_some_and(|s| activities.contains(s)));
            }
            if obj.get("offer").and_then(|o| o.as_str()).is_some_and(|o| !offers.contains(o)) {
                obj.insert("offer".into(), serde_json::Value::Null);
            }
        }
    }
    Ok(())
}
