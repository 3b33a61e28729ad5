//! Organisations.

use crate::entity::organisation::{ActiveModel, Column, Entity, Model};
use crate::row::{corrupt, text, text_json, ts};
use crate::{Reader, Result, StoreError, Tx};
use liaison_domain::OrganisationId;
use liaison_domain::organisation::{OrgKind, Organisation};
use liaison_domain::page::Page;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

pub(crate) fn to_domain(m: Model) -> Result<Organisation> {
    Ok(Organisation {
        id: OrganisationId(m.id),
        name: text(&m.name)?,
        kind: OrgKind::parse(&m.kind).ok_or_else(|| corrupt("organisation kind", &m.kind))?,
        short_name: m.short_name,
        country: m.country,
        parent: m.parent_id.map(OrganisationId),
        iati_ref: m.iati_ref,
        version: m.version,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

fn to_active(o: &Organisation) -> ActiveModel {
    ActiveModel {
        id: Set(o.id.uuid()),
        name: Set(text_json(&o.name)),
        short_name: Set(o.short_name.clone()),
        kind: Set(o.kind.code().to_string()),
        country: Set(o.country.clone()),
        parent_id: Set(o.parent.map(|p| p.uuid())),
        iati_ref: Set(o.iati_ref.clone()),
        version: Set(o.version),
        created_at: Set(ts(o.created_at)),
        updated_at: Set(ts(o.updated_at)),
    }
}

pub async fn insert(tx: &Tx, o: &Organisation) -> Result<()> {
    let c = tx.conn();
    Entity::insert(to_active(o)).exec_without_returning(c).await?;
    Ok(())
}

/// Write `o` (whose `version` is already the new one) if the stored version is `expected`.
pub async fn update(tx: &Tx, o: &Organisation, expected: i64) -> Result<()> {
    let c = tx.conn();
    let r = Entity::update_many().set(to_active(o)).filter(Column::Id.eq(o.id.uuid())).filter(Column::Version.eq(expected)).exec(c).await?;
    crate::row::versioned_outcome(r.rows_affected, async { Ok(get(&tx.unfiltered(), o.id).await?.map(|x| x.version)) }).await
}

pub async fn get(r: &Reader<'_>, id: OrganisationId) -> Result<Option<Organisation>> {
    let c = &r.c();
    Entity::find_by_id(id.uuid()).one(c).await?.map(to_domain).transpose()
}

/// Several at once; missing ids are left out.
pub async fn get_many(r: &Reader<'_>, ids: &[OrganisationId]) -> Result<Vec<Organisation>> {
    let c = &r.c();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Entity::find().filter(Column::Id.is_in(ids.iter().map(|i| i.uuid()))).all(c).await?.into_iter().map(to_domain).collect()
}

/// All organisations in creation order, a page at a time.
pub async fn list(r: &Reader<'_>, after: Option<Uuid>, limit: u32) -> Result<Page<Organisation>> {
    let c = &r.c();
    let mut q = Entity::find().order_by_asc(Column::Id).limit(u64::from(limit) + 1);
    if let Some(a) = after {
        q = q.filter(Column::Id.gt(a));
    }
    crate::row::page(q.all(c).await?, limit, |r| crate::row::id_cursor(&r.id), to_domain)
}

/// Every organisation (the directory is small).
pub async fn all(r: &Reader<'_>) -> Result<Vec<Organisation>> {
    let c = &r.c();
    Entity::find().order_by_asc(Column::Id).all(c).await?.into_iter().map(to_domain).collect()
}

/// Whether `ancestor` is `id` or one of its ancestors.
pub async fn is_ancestor_or_self(r: &Reader<'_>, ancestor: OrganisationId, id: OrganisationId) -> Result<bool> {
    let _c = &r.c();
    let mut cur = Some(id);
    let mut steps = 0;
    while let Some(x) = cur {
        if x == ancestor {
            return Ok(true);
        }
        steps += 1;
        if steps > 64 {
            return Err(StoreError::Corrupt("organisation parents form a loop".into()));
        }
        cur = get(r, x).await?.and_then(|o| o.parent);
    }
    Ok(false)
}

/// Find by short name (for the CLI and the demo loader).
pub async fn find_by_short_name(r: &Reader<'_>, short: &str) -> Result<Option<Organisation>> {
    let c = &r.c();
    Entity::find().filter(Column::ShortName.eq(short)).one(c).await?.map(to_domain).transpose()
}
