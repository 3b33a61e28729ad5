//! The taxonomy of areas (defence policy and planning, cyber defence, …).

use crate::entity::area::{ActiveModel, Column, Entity, Model};
use crate::row::{text, text_json, ts};
use crate::{Reader, Result, Tx, unique};
use liaison_domain::Timestamp;
use liaison_domain::text::Text;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;

/// An area of cooperation.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Area {
    pub code: String,
    pub name: Text,
    /// The OECD DAC 5-digit purpose code the area is reported under in IATI files (e.g.
    /// `15210`, security system management and reform), if one fits.
    pub dac_sector: Option<String>,
    pub version: i64,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

fn to_domain(m: Model) -> Result<Area> {
    Ok(Area { name: text(&m.name)?, code: m.code, dac_sector: m.dac_sector, version: m.version, created_at: m.created_at, updated_at: m.updated_at })
}

fn to_active(a: &Area) -> ActiveModel {
    ActiveModel {
        code: Set(a.code.clone()),
        name: Set(text_json(&a.name)),
        dac_sector: Set(a.dac_sector.clone()),
        version: Set(a.version),
        created_at: Set(ts(a.created_at)),
        updated_at: Set(ts(a.updated_at)),
    }
}

pub async fn insert(tx: &Tx, a: &Area) -> Result<()> {
    let c = tx.conn();
    Entity::insert(to_active(a)).exec_without_returning(c).await.map_err(|e| unique(e, "code"))?;
    Ok(())
}

pub async fn update(tx: &Tx, a: &Area, expected: i64) -> Result<()> {
    let c = tx.conn();
    let r = Entity::update_many().set(to_active(a)).filter(Column::Code.eq(a.code.clone())).filter(Column::Version.eq(expected)).exec(c).await?;
    crate::row::versioned_outcome(r.rows_affected, async { Ok(get(&tx.unfiltered(), &a.code).await?.map(|x| x.version)) }).await
}

pub async fn get(r: &Reader<'_>, code: &str) -> Result<Option<Area>> {
    let c = &r.c();
    Entity::find_by_id(code.to_string()).one(c).await?.map(to_domain).transpose()
}

pub async fn all(r: &Reader<'_>) -> Result<Vec<Area>> {
    let c = &r.c();
    Entity::find().order_by_asc(Column::Code).all(c).await?.into_iter().map(to_domain).collect()
}

/// The codes among `codes` that name no area.
pub async fn unknown(r: &Reader<'_>, codes: &[String]) -> Result<Vec<String>> {
    let c = &r.c();
    if codes.is_empty() {
        return Ok(Vec::new());
    }
    let known: Vec<String> = Entity::find().filter(Column::Code.is_in(codes.iter().cloned())).all(c).await?.into_iter().map(|m| m.code).collect();
    Ok(codes.iter().filter(|c| !known.contains(c)).cloned().collect())
}
