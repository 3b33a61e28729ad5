//! Stories, their photos, and the plans' portal pages.

use crate::entity::{portal, story, story_photo};
use crate::row::{corrupt, id_list, join_list, marking, rel_to, text, text_json, ts};
use crate::{Result, filter};
use liaison_domain::access::ReadFilter;
use liaison_domain::portal::Portal;
use liaison_domain::story::{Photo, Story, StoryState};
use liaison_domain::{ActivityId, ItemId, PhotoId, PlanId, StoryId, UserId};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;

fn to_domain(m: story::Model, photos: Vec<Photo>) -> Result<Story> {
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

pub async fn insert(c: &impl ConnectionTrait, s: &Story) -> Result<()> {
    story::Entity::insert(to_active(s)).exec_without_returning(c).await?;
    Ok(())
}

pub async fn update(c: &impl ConnectionTrait, s: &Story, expected: i64) -> Result<()> {
    let r =
        story::Entity::update_many().set(to_active(s)).filter(story::Column::Id.eq(s.id.uuid())).filter(story::Column::Version.eq(expected)).exec(c).await?;
    crate::row::versioned_outcome(r.rows_affected, async { Ok(story::Entity::find_by_id(s.id.uuid()).one(c).await?.map(|x| x.version)) }).await
}

pub async fn get(c: &impl ConnectionTrait, id: StoryId) -> Result<Option<Story>> {
    let Some(m) = story::Entity::find_by_id(id.uuid()).one(c).await? else { return Ok(None) };
    let mut ph = photos_of(c, &[m.id]).await?;
    let p = ph.remove(&m.id).unwrap_or_default();
    Ok(Some(to_domain(m, p)?))
}

/// A plan's stories the reader may see (optionally only in one state), newest first.
pub async fn of_plan(c: &impl ConnectionTrait, plan: PlanId, f: &ReadFilter, state: Option<StoryState>) -> Result<Vec<Story>> {
    let mut q =
        story::Entity::find().filter(story::Column::PlanId.eq(plan.uuid())).filter(filter::marking(f, story::Column::MarkingRank, story::Column::RelTo));
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
pub async fn add_photo(c: &impl ConnectionTrait, story: StoryId, position: u32, p: &Photo, web: &[u8], thumb: &[u8]) -> Result<()> {
    for (sha, bytes) in [(&p.web_sha256, web), (&p.thumb_sha256, thumb)] {
        crate::attachments::put_content(c, sha, bytes).await?;
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

pub async fn remove_photo(c: &impl ConnectionTrait, id: PhotoId) -> Result<()> {
    story_photo::Entity::delete_by_id(id.uuid()).exec(c).await?;
    Ok(())
}

/// A photo with the story it belongs to.
pub async fn photo_story(c: &impl ConnectionTrait, id: PhotoId) -> Result<Option<(Photo, StoryId)>> {
    Ok(story_photo::Entity::find_by_id(id.uuid()).one(c).await?.map(|m| {
        let s = StoryId(m.story_id);
        (photo(m), s)
    }))
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

pub async fn portal(c: &impl ConnectionTrait, plan: PlanId) -> Result<Option<Portal>> {
    portal::Entity::find_by_id(plan.uuid()).one(c).await?.map(portal_domain).transpose()
}

/// Every published portal.
pub async fn published_portals(c: &impl ConnectionTrait) -> Result<Vec<Portal>> {
    portal::Entity::find()
        .filter(portal::Column::Published.eq(true))
        .order_by_asc(portal::Column::PlanId)
        .all(c)
        .await?
        .into_iter()
        .map(portal_domain)
        .collect()
}

pub async fn put_portal(c: &impl ConnectionTrait, p: &Portal) -> Result<()> {
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
