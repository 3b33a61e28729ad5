//! Typed links between items.

use crate::entity::item_link::{ActiveModel, Column, Entity, Model};
use crate::row::{corrupt, ts};
use crate::{Reader, Result, Tx, unique};
use liaison_domain::item::{ItemLink, LinkKind};
use liaison_domain::{ItemId, LinkId};
use sea_orm::{ActiveValue::Set, ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder};

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

pub async fn insert(tx: &Tx, l: &ItemLink) -> Result<()> {
    let c = tx.conn();
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

/// Links the reader may see: both ends visible.
fn visible(f: &liaison_domain::access::ReadFilter) -> Condition {
    crate::filter::of_visible_item(f, Column::FromItem).add(crate::filter::of_visible_item(f, Column::ToItem))
}

pub async fn get(r: &Reader<'_>, id: LinkId) -> Result<Option<ItemLink>> {
    Entity::find_by_id(id.uuid()).filter(visible(r.filter())).one(&r.c()).await?.map(to_domain).transpose()
}

/// Links from or to an item whose both ends the reader may see.
pub async fn of_item(r: &Reader<'_>, id: ItemId) -> Result<Vec<ItemLink>> {
    let c = &r.c();
    Entity::find()
        .filter(Condition::any().add(Column::FromItem.eq(id.uuid())).add(Column::ToItem.eq(id.uuid())))
        .filter(visible(r.filter()))
        .order_by_asc(Column::Id)
        .all(c)
        .await?
        .into_iter()
        .map(to_domain)
        .collect()
}

/// Links from any of `ids`.
pub async fn from_items(r: &Reader<'_>, ids: &[ItemId]) -> Result<Vec<ItemLink>> {
    let c = &r.c();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Entity::find()
        .filter(Column::FromItem.is_in(ids.iter().map(|i| i.uuid())))
        .filter(visible(r.filter()))
        .order_by_asc(Column::Id)
        .all(c)
        .await?
        .into_iter()
        .map(to_domain)
        .collect()
}

/// Every `depends_on` link (for cycle checks; dependencies are few).
pub async fn all_of_kind(r: &Reader<'_>, kind: LinkKind) -> Result<Vec<ItemLink>> {
    let c = &r.c();
    Entity::find().filter(Column::Kind.eq(kind.code())).filter(visible(r.filter())).all(c).await?.into_iter().map(to_domain).collect()
}

pub async fn delete(tx: &Tx, id: LinkId) -> Result<()> {
    let c = tx.conn();
    Entity::delete_by_id(id.uuid()).exec(c).await?;
    Ok(())
}
