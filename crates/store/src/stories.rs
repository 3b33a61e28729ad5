//! Stories, their photos, and the plans' portal pages.

use crate::entity::{portal, story, story_photo};
use crate::row::{corrupt, id_list, join_list, marking, rel_to, text, text_json, ts};
use crate::{Reader, Result, Tx, filter};
use liaison_domain::access::ReadFilter;
use liaison_domain::portal::Portal;
use liaison_domain::story::{Photo, Story, StoryState};
use liaison_domain::{ActivityId, ItemId, PhotoId, PlanId, StoryId, UserId};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;

pub(crate) fn to_domain(m: story::Model, photos: Vec<Photo>) -> Result<Story> {
    Ok(Story {
        id: StoryId(m.id),
        plan: PlanId(m.plan_id),
        language: m.language,
        title: m.title,
        summary: m.summary,
        body: m.body,
        items: id_list::<ItemId, Vec<_>>("items", &m.items)?,
        activities: id_list::<ActivityId, Vec<_>>("activities", &m.activities)?,
        photos,
        state: StoryState::parse(&m.state).ok_or_else(|| corrupt("story state", &m.state))?,
        reason: m.reason,
        author: UserId(m.author_id),
        author_name: m.author_name,
        reviewer: m.reviewer_id.map(UserId),
        published_at: m.published_at,
        marking: marking(&m.marking_level, &m.rel_to, &m.originator)?,
        version: m.version,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

fn to_active(s: &Story) -> story::ActiveModel {
    story::ActiveModel {
        id: Set(s.id.uuid()),
        plan_id: Set(s.plan.uuid()),
        language: Set(s.language.clone()),
        title: Set(s.title.clone()),
        summary: Set(s.summary.clone()),
        body: Set(s.body.clone()),
        items: Set(join_list(&s.items)),
        activities: Set(join_list(&s.activities)),
        state: Set(s.state.code().into()),
        reason: Set(s.reason.clone()),
        author_id: Set(s.author.uuid()),
        author_name: Set(s.author_name.clone()),
        reviewer_id: Set(s.reviewer.map(|r| r.uuid())),
        published_at: Set(s.published_at.map(ts)),
        marking_level: Set(s.marking.level.code().into()),
        marking_rank: Set(i32::from(s.marking.level.rank())),
        rel_to: Set(rel_to(&s.marking)),
        originator: Set(s.marking.originator.clone()),
        version: Set(s.version),
        created_at: Set(ts(s.created_at)),
        updated_at: Set(ts(s.updated_at)),
    }
}

fn photo(m: story_photo::Model) -> Photo {
    Photo {
        id: PhotoId(m.id),
        caption: m.caption,
        credit: m.credit,
        width: u32::try_from(m.width).unwrap_or(0),
        height: u32::try_from(m.height).unwrap_or(0),
        web_sha256: m.web_sha256,
        thumb_sha256: m.thumb_sha256,
    }
}

async fn photos_of(c: &impl ConnectionTrait, stories: &[uuid::Uuid]) -> Result<HashMap<uuid::Uuid, Vec<Photo>>> {
    let mut out: HashMap<uuid::Uuid, Vec<Photo>> = HashMap::new();
    if stories.is_empty() {
        return Ok(out);
    }
    for p in story_photo::Entity::find()
        .filter(story_photo::Column::StoryId.is_in(stories.iter().copied()))
        .order_by_asc(story_photo::Column::Position)
        .all(c)
        .await?
    {
        out.entry(p.story_id).or_default().push(photo(p));
    }
    Ok(out)
}

pub async fn insert(tx: &Tx, s: &Story) -> Result<()> {
    let c = tx.conn();
    story::Entity::insert(to_active(s)).exec_without_returning(c).await?;
    Ok(())
}

pub async fn update(tx: &Tx, s: &Story, expected: i64) -> Result<()> {
    let c = tx.conn();
    let r =
        story::Entity::update_many().set(to_active(s)).filter(story::Column::Id.eq(s.id.uuid())).filter(story::Column::Version.eq(expected)).exec(c).await?;
    crate::row::versioned_outcome(r.rows_affected, async { Ok(story::Entity::find_by_id(s.id.uuid()).one(c).await?.map(|x| x.version)) }).await
}

/// Stories the reader may see: of a visible plan, and cleared by their own marking.
fn visible(f: &ReadFilter) -> sea_orm::Condition {
    filter::record(f, story::Column::PlanId, story::Column::MarkingRank, story::Column::RelTo)
}

pub async fn get(r: &Reader<'_>, id: StoryId) -> Result<Option<Story>> {
    let c = &r.c();
    let Some(m) = story::Entity::find_by_id(id.uuid()).filter(visible(r.filter())).one(c).await? else { return Ok(None) };
    let mut ph = photos_of(c, &[m.id]).await?;
    let p = ph.remove(&m.id).unwrap_or_default();
    Ok(Some(to_domain(m, p)?))
}

/// A plan's stories the reader may see (optionally only in one state), newest first.
pub async fn of_plan(r: &Reader<'_>, plan: PlanId, state: Option<StoryState>) -> Result<Vec<Story>> {
    let c = &r.c();
    let f = r.filter();
    let mut q = story::Entity::find().filter(story::Column::PlanId.eq(plan.uuid())).filter(visible(f));
    if let Some(s) = state {
        q = q.filter(story::Column::State.eq(s.code()));
    }
    let rows = q.order_by_desc(story::Column::PublishedAt).order_by_desc(story::Column::Id).all(c).await?;
    let ids: Vec<uuid::Uuid> = rows.iter().map(|r| r.id).collect();
    let mut ph = photos_of(c, &ids).await?;
    rows.into_iter()
        .map(|m| {
            let p = ph.remove(&m.id).unwrap_or_default();
            to_domain(m, p)
        })
        .collect()
}

/// Store a photo's two sizes (once per content) and the photo.
pub async fn add_photo(tx: &Tx, story: StoryId, position: u32, p: &Photo, web: &[u8], thumb: &[u8]) -> Result<()> {
    let c = tx.conn();
    for (sha, bytes) in [(&p.web_sha256, web), (&p.thumb_sha256, thumb)] {
        crate::attachments::put_content(tx, sha, bytes).await?;
    }
    story_photo::Entity::insert(story_photo::ActiveModel {
        id: Set(p.id.uuid()),
        story_id: Set(story.uuid()),
        position: Set(i32::try_from(position).unwrap_or(i32::MAX)),
        caption: Set(p.caption.clone()),
        credit: Set(p.credit.clone()),
        width: Set(i32::try_from(p.width).unwrap_or(0)),
        height: Set(i32::try_from(p.height).unwrap_or(0)),
        web_sha256: Set(p.web_sha256.clone()),
        thumb_sha256: Set(p.thumb_sha256.clone()),
    })
    .exec_without_returning(c)
    .await?;
    Ok(())
}

pub async fn remove_photo(tx: &Tx, id: PhotoId) -> Result<()> {
    let c = tx.conn();
    story_photo::Entity::delete_by_id(id.uuid()).exec(c).await?;
    Ok(())
}

/// A photo with the story it belongs to.
fn visible_story_ids(f: &ReadFilter) -> sea_orm::sea_query::SelectStatement {
    sea_orm::sea_query::Query::select().column((story::Entity, story::Column::Id)).from(story::Entity).cond_where(visible(f)).to_owned()
}

/// The plan a story belongs to, if the reader may see the story.
pub async fn plan_of(r: &Reader<'_>, id: StoryId) -> Result<Option<PlanId>> {
    Ok(get(r, id).await?.map(|s| s.plan))
}

/// A photo and its story, if the reader may see the story.
pub async fn photo_story(r: &Reader<'_>, id: PhotoId) -> Result<Option<(Photo, StoryId)>> {
    let mut q = story_photo::Entity::find_by_id(id.uuid());
    if !r.sees_all() {
        q = q.filter(story_photo::Column::StoryId.in_subquery(visible_story_ids(r.filter())));
    }
    Ok(q.one(&r.c()).await?.map(|m| {
        let s = StoryId(m.story_id);
        (photo(m), s)
    }))
}

/// The bytes of a photo in one size, if the reader may see its story.
pub async fn photo_content(r: &Reader<'_>, id: PhotoId, size: liaison_domain::story::PhotoSize) -> Result<Option<Vec<u8>>> {
    let Some((p, _)) = photo_story(r, id).await? else { return Ok(None) };
    crate::attachments::blob(r, p.sha256(size)).await
}

fn portal_domain(m: portal::Model) -> Result<Portal> {
    Ok(Portal {
        plan: PlanId(m.plan_id),
        title: text(&m.title)?,
        summary: text(&m.summary)?,
        published: m.published,
        version: m.version,
        updated_at: m.updated_at,
    })
}

/// A plan's portal page, if the reader may look into the plan (the public: once it is on the portal).
pub async fn portal(r: &Reader<'_>, plan: PlanId) -> Result<Option<Portal>> {
    portal::Entity::find_by_id(plan.uuid())
        .filter(filter::in_visible_plan(r.filter(), portal::Column::PlanId))
        .one(&r.c())
        .await?
        .map(portal_domain)
        .transpose()
}

/// Every published portal.
pub async fn published_portals(r: &Reader<'_>) -> Result<Vec<Portal>> {
    let c = &r.c();
    portal::Entity::find()
        .filter(portal::Column::Published.eq(true))
        .filter(filter::in_visible_plan(r.filter(), portal::Column::PlanId))
        .order_by_asc(portal::Column::PlanId)
        .all(c)
        .await?
        .into_iter()
        .map(portal_domain)
        .collect()
}

pub async fn put_portal(tx: &Tx, p: &Portal) -> Result<()> {
    let c = tx.conn();
    portal::Entity::insert(portal::ActiveModel {
        plan_id: Set(p.plan.uuid()),
        title: Set(text_json(&p.title)),
        summary: Set(text_json(&p.summary)),
        published: Set(p.published),
        version: Set(p.version),
        updated_at: Set(ts(p.updated_at)),
    })
    .on_conflict(
        OnConflict::column(portal::Column::PlanId)
            .update_columns([portal::Column::Title, portal::Column::Summary, portal::Column::Published, portal::Column::Version, portal::Column::UpdatedAt])
            .to_owned(),
    )
    .exec_without_returning(c)
    .await?;
    Ok(())
}
