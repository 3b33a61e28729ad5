//! Comments on items.

use crate::entity::item_comment::{ActiveModel, Column, Entity, Model};
use crate::row::{marking, rel_to, ts};
use crate::{Reader, Result, Tx, filter};
use liaison_domain::comment::Comment;
use liaison_domain::{CommentId, ItemId, PlanId, UserId};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

pub(crate) fn to_domain(m: Model) -> Result<Comment> {
    Ok(Comment {
        id: CommentId(m.id),
        plan: PlanId(m.plan_id),
        item: ItemId(m.item_id),
        author: UserId(m.author_id),
        marking: marking(&m.marking_level, &m.rel_to, &m.originator)?,
        author_name: m.author_name,
        body: m.body,
        version: m.version,
        created_at: m.created_at,
    })
}

pub async fn insert(tx: &Tx, x: &Comment) -> Result<()> {
    let c = tx.conn();
    Entity::insert(ActiveModel {
        id: Set(x.id.uuid()),
        plan_id: Set(x.plan.uuid()),
        item_id: Set(x.item.uuid()),
        author_id: Set(x.author.uuid()),
        author_name: Set(x.author_name.clone()),
        body: Set(x.body.clone()),
        marking_level: Set(x.marking.level.code().to_string()),
        marking_rank: Set(i32::from(x.marking.level.rank())),
        rel_to: Set(rel_to(&x.marking)),
        originator: Set(x.marking.originator.clone()),
        version: Set(x.version),
        created_at: Set(ts(x.created_at)),
    })
    .exec_without_returning(c)
    .await?;
    Ok(())
}

/// An item's comments the reader may see, oldest first.
pub async fn of_item(r: &Reader<'_>, item: ItemId) -> Result<Vec<Comment>> {
    let c = &r.c();
    let f = r.filter();
    Entity::find()
        .filter(Column::ItemId.eq(item.uuid()))
        .filter(filter::record(f, Column::PlanId, Column::MarkingRank, Column::RelTo))
        .filter(filter::of_visible_item(f, Column::ItemId))
        .order_by_asc(Column::Id)
        .all(c)
        .await?
        .into_iter()
        .map(to_domain)
        .collect()
}
