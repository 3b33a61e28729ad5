//! Roles of users on plans.

use crate::entity::membership::{ActiveModel, Column, Entity};
use crate::row::{corrupt, ts};
use crate::{Reader, Result, Tx, unique};
use liaison_domain::access::Role;
use liaison_domain::{PlanId, Timestamp, UserId};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;
use std::collections::BTreeMap;
use uuid::Uuid;

/// One user's role on one plan.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Membership {
    pub id: Uuid,
    pub plan: PlanId,
    pub user: UserId,
    pub role: Role,
    pub version: i64,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

fn to_domain(m: crate::entity::membership::Model) -> Result<Membership> {
    Ok(Membership {
        id: m.id,
        plan: PlanId(m.plan_id),
        user: UserId(m.user_id),
        role: Role::parse(&m.role).ok_or_else(|| corrupt("role", &m.role))?,
        version: m.version,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

/// The roles of a user, by plan.
pub async fn roles_of(r: &Reader<'_>, user: UserId) -> Result<BTreeMap<PlanId, Role>> {
    let c = &r.c();
    Entity::find()
        .filter(Column::UserId.eq(user.uuid()))
        .filter(crate::filter::workspace_of_plan(r.filter(), Column::PlanId))
        .all(c)
        .await?
        .into_iter()
        .map(|m| Ok((PlanId(m.plan_id), Role::parse(&m.role).ok_or_else(|| corrupt("role", &m.role))?)))
        .collect()
}

pub async fn of_plan(r: &Reader<'_>, plan: PlanId) -> Result<Vec<Membership>> {
    let c = &r.c();
    Entity::find()
        .filter(Column::PlanId.eq(plan.uuid()))
        .filter(crate::filter::workspace_of_plan(r.filter(), Column::PlanId))
        .order_by_asc(Column::Id)
        .all(c)
        .await?
        .into_iter()
        .map(to_domain)
        .collect()
}

pub async fn get(r: &Reader<'_>, plan: PlanId, user: UserId) -> Result<Option<Membership>> {
    let c = &r.c();
    Entity::find()
        .filter(Column::PlanId.eq(plan.uuid()))
        .filter(Column::UserId.eq(user.uuid()))
        .filter(crate::filter::workspace_of_plan(r.filter(), Column::PlanId))
        .one(c)
        .await?
        .map(to_domain)
        .transpose()
}

pub async fn insert(tx: &Tx, m: &Membership) -> Result<()> {
    let c = tx.conn();
    Entity::insert(ActiveModel {
        id: Set(m.id),
        plan_id: Set(m.plan.uuid()),
        user_id: Set(m.user.uuid()),
        role: Set(m.role.code().to_string()),
        version: Set(m.version),
        created_at: Set(ts(m.created_at)),
        updated_at: Set(ts(m.updated_at)),
    })
    .exec_without_returning(c)
    .await
    .map_err(|e| unique(e, "user already has a role on this plan"))?;
    Ok(())
}

pub async fn update_role(tx: &Tx, id: Uuid, role: Role, version: i64, now: Timestamp) -> Result<()> {
    let c = tx.conn();
    Entity::update_many()
        .set(ActiveModel { role: Set(role.code().to_string()), version: Set(version), updated_at: Set(ts(now)), ..Default::default() })
        .filter(Column::Id.eq(id))
        .exec(c)
        .await?;
    Ok(())
}

pub async fn delete(tx: &Tx, id: Uuid) -> Result<()> {
    let c = tx.conn();
    Entity::delete_by_id(id).exec(c).await?;
    Ok(())
}
