//! Frameworks defined in this installation (the built-ins live in the domain).

use crate::entity::framework::{ActiveModel, Column, Entity, Model};
use crate::row::{corrupt, text, text_json, ts};
use crate::{Reader, Result, Tx, unique};
use liaison_domain::Timestamp;
use liaison_domain::framework::Framework;
use sea_orm::{ActiveValue::Set, EntityTrait, QueryOrder};

fn to_domain(m: Model) -> Result<Framework> {
    Ok(Framework {
        name: text(&m.name)?,
        levels: serde_json::from_str(&m.levels).map_err(|_| corrupt("framework levels", &m.levels))?,
        code: m.code,
        builtin: false,
    })
}

pub async fn insert(tx: &Tx, f: &Framework, now: Timestamp) -> Result<()> {
    let c = tx.conn();
    Entity::insert(ActiveModel {
        code: Set(f.code.clone()),
        name: Set(text_json(&f.name)),
        levels: Set(serde_json::to_string(&f.levels).unwrap_or_else(|_| "[]".into())),
        version: Set(1),
        created_at: Set(ts(now)),
        updated_at: Set(ts(now)),
    })
    .exec_without_returning(c)
    .await
    .map_err(|e| unique(e, "code"))?;
    Ok(())
}

pub async fn get(r: &Reader<'_>, code: &str) -> Result<Option<Framework>> {
    let c = &r.c();
    Entity::find_by_id(code.to_string()).one(c).await?.map(to_domain).transpose()
}

pub async fn all(r: &Reader<'_>) -> Result<Vec<Framework>> {
    let c = &r.c();
    Entity::find().order_by_asc(Column::Code).all(c).await?.into_iter().map(to_domain).collect()
}
