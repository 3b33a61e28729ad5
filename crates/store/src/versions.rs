//! Agreed versions of plans: immutable snapshots with their content hash.

use crate::entity::plan_version::{ActiveModel, Column, Entity, Model};
use crate::row::{corrupt, ts};
use crate::{Reader, Result, Tx, unique};
use liaison_domain::version::Snapshot;
use liaison_domain::{PlanId, Timestamp};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;
use uuid::Uuid;

/// An agreed version, without its snapshot.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct VersionInfo {
    pub number: i32,
    pub agreed_at: Timestamp,
    pub content_hash: String,
}

fn info(m: &Model) -> VersionInfo {
    VersionInfo { number: m.number, agreed_at: m.agreed_at, content_hash: m.content_hash.clone() }
}

pub async fn insert(tx: &Tx, id: Uuid, plan: PlanId, number: i32, at: Timestamp, s: &Snapshot) -> Result<()> {
    let c = tx.conn();
    Entity::insert(ActiveModel {
        id: Set(id),
        plan_id: Set(plan.uuid()),
        number: Set(number),
        agreed_at: Set(ts(at)),
        content_hash: Set(s.hash()),
        snapshot: Set(serde_json::to_string(s).unwrap_or_default()),
    })
    .exec_without_returning(c)
    .await
    .map_err(|e| unique(e, "version number"))?;
    Ok(())
}

pub async fn list(r: &Reader<'_>, plan: PlanId) -> Result<Vec<VersionInfo>> {
    let c = &r.c();
    Ok(Entity::find()
        .filter(Column::PlanId.eq(plan.uuid()))
        .filter(crate::filter::workspace_of_plan(r.filter(), Column::PlanId))
        .order_by_asc(Column::Number)
        .all(c)
        .await?
        .iter()
        .map(info)
        .collect())
}

pub async fn get(r: &Reader<'_>, plan: PlanId, number: i32) -> Result<Option<(VersionInfo, Snapshot)>> {
    let c = &r.c();
    let Some(m) = Entity::find()
        .filter(Column::PlanId.eq(plan.uuid()))
        .filter(Column::Number.eq(number))
        .filter(crate::filter::workspace_of_plan(r.filter(), Column::PlanId))
        .one(c)
        .await?
    else {
        return Ok(None);
    };
    let s: Snapshot = serde_json::from_str(&m.snapshot).map_err(|_| corrupt("snapshot", &m.snapshot))?;
    // A snapshot holds the plan's items as they were: the reader sees those its marking admits
    // (and the links between them); system work gets it whole, as it was hashed.
    let f = r.filter();
    if f.sees_all() {
        return Ok(Some((info(&m), s)));
    }
    Ok(Some((info(&m), s.visible_to(|mk| f.admits_marking(mk)))))
}
