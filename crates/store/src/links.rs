//! Typed links between items.

use crate::entity::item_link::{ActiveModel, Column, Entity, Model};
use crate::row::{corrupt, ts};
use crate::{Result, unique};
use liaison_domain::item::{ItemLink, LinkKind};
use liaison_domain::{ItemId, LinkId};
use sea_orm::{ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

fn to_domain(m: Model) -> Result<ItemLink> {
    Ok(ItemLink {
        id: LinkId(m.id),
        from: ItemId(m.from_item),
        to: ItemId(m.to_item),
        kind: LinkKind::parse(&m.kind).ok_or_else(|| corrupt("link kind", &m.kind))?,
        version: m.version,
        created_at: m.created_at,
    })
}

pub async fn insert(c: &impl ConnectionTrait, l: &ItemLink) -> Result<()> {
    Entity::insert(ActiveModel {
        id: Set(l.id.uuid()),
        from_item: Set(l.from.uuid()),
        to_item: Set(l.to.uuid()),
        kind: Set(l.kind.code().to_string()),
        version: Set(l.version),
        created_at: Set(ts(l.created_at)),
    })
    .exec_without_returning(c)
    .await
    .map_err(|e| unique(e, "the items are already linked this way"))?;
    Ok(())
}

pub async fn get(c: &impl ConnectionTrait, id: LinkId) -> Result<Option<ItemLink>> {
    Entity::find_by_id(id.uuid()).one(c).await?.map(to_domain).transpose()
}

/// Links from or to an item, regardless of access (callers filter by the other end).
pub async fn of_item(c: &impl ConnectionTrait, id: ItemId) -> Result<Vec<ItemLink>> {
    Entity::find()
        .filter(Condition::any().add(Column::FromItem.eq(id.uuid())).add(Column::ToItem.eq(id.uuid())))
        .order_by_asc(Column::Id)
        .all(c)
        .await?
        .into_iter()
        .map(to_domain)
        .collect()
}

/// Links from any of `ids`.
pub async fn from_items(c: &impl ConnectionTrait, ids: &[ItemId]) -> Result<Vec<ItemLink>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Entity::find().filter(Column::FromItem.is_in(ids.iter().map(|i| i.uuid()))).order_by_asc(Column::Id).all(c).await?.into_iter().map(to_domain).collect()
}

/// Every `depends_on` link (for cycle checks; dependencies are few).
pub async fn all_of_kind(c: &impl ConnectionTrait, kind: LinkKind) -> Result<Vec<ItemLink>> {
    Entity::find().filter(Column::Kind.eq(kind.code())).all(c).await?.into_iter().map(to_domain).collect()
}

pub async fn delete(c: &impl ConnectionTrait, id: LinkId) -> Result<()> {
    Entity::delete_by_id(id.uuid()).exec(c).await?;
    Ok(())
}
