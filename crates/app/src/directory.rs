//! Areas (the taxonomy of cooperation) and frameworks (the shapes of plans).

use crate::{App, AppError, Ctx, Result, check_version, snapshot};
use liaison_domain::access::{Action, Target};
use liaison_domain::change::ChangeDraft;
use liaison_domain::framework::Framework;
use liaison_domain::text::{Text, check_text};
use liaison_domain::{Problems, ValidationErrors};
use liaison_store::Tx;
use liaison_store::areas::{self as area_store, Area};

/// An area as stored.
pub type AreaRecord = Area;
use liaison_store::Reader;
use liaison_store::frameworks as fw_store;
use serde::Deserialize;

/// Input to create an area.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewArea {
    pub code: String,
    pub name: Text,
    /// The OECD DAC 5-digit purpose code it is reported under in IATI files.
    #[serde(default)]
    pub dac_sector: Option<String>,
}

/// Input to rename an area or change its DAC sector; absent fields stay as they are.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AreaPatch {
    #[serde(default)]
    pub name: Option<Text>,
    #[serde(default)]
    pub dac_sector: liaison_domain::Patch<String>,
}

/// A DAC 5-digit purpose code in form.
fn check_dac_sector(p: &mut Problems, code: &Option<String>) {
    if let Some(c) = code
        && !(c.len() == 5 && c.bytes().all(|b| b.is_ascii_digit()))
    {
        p.coded("dac_sector", "invalid", &[]);
    }
}

fn check_area_code(p: &mut Problems, code: &str) {
    let ok = (2..=40).contains(&code.len())
        && code.as_bytes()[0].is_ascii_lowercase()
        && code.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if !ok {
        p.coded("code", "invalid", &[]);
    }
}

pub async fn areas(app: &App, ctx: &Ctx) -> Result<Vec<Area>> {
    ctx.actor.require(Action::DirectoryRead, Target::Installation)?;
    Ok(area_store::all(&app.read(ctx)).await?)
}

pub async fn create_area(app: &App, ctx: &Ctx, input: NewArea) -> Result<Area> {
    let tx = app.begin().await?;
    let out = create_area_in(app, &tx, ctx, input).await?;
    tx.commit(&ctx.provenance(app.now())).await?;
    Ok(out)
}

/// [`create_area`] inside a transaction that the caller commits (an import applies many in one).
pub(crate) async fn create_area_in(app: &App, tx: &Tx, ctx: &Ctx, input: NewArea) -> Result<Area> {
    ctx.actor.require(Action::DirectoryWrite, Target::Installation)?;
    let mut p = Problems::new();
    check_area_code(&mut p, &input.code);
    let name = input.name.normalised();
    check_text(&mut p, "name", &name, true, 120, false);
    let dac_sector = input.dac_sector.map(|c| c.trim().to_string()).filter(|c| !c.is_empty());
    check_dac_sector(&mut p, &dac_sector);
    let now = app.now();
    let area = Area { code: input.code, name, dac_sector, version: 1, created_at: now, updated_at: now };
    if p.is_empty() && area_store::get(&tx.unfiltered(), &area.code).await?.is_some() {
        p.coded("code", "taken", &[("kind", "area")]);
    }
    p.finish()?;
    area_store::insert(tx, &area).await?;
    tx.record(ChangeDraft::unmarked("area", area_id(&area.code), 1, "create", None, Some(snapshot(&area))));
    Ok(area)
}

pub async fn update_area(app: &App, ctx: &Ctx, code: &str, expected: i64, patch: AreaPatch) -> Result<Area> {
    ctx.actor.require(Action::DirectoryWrite, Target::Installation)?;
    let now = app.now();
    let tx = app.begin().await?;
    let cur = area_store::get(&tx.unfiltered(), code).await?.ok_or(AppError::NotFound)?;
    check_version(expected, cur.version)?;
    let mut p = Problems::new();
    let name = patch.name.map(|n| n.normalised()).unwrap_or_else(|| cur.name.clone());
    check_text(&mut p, "name", &name, true, 120, false);
    let dac_sector = patch.dac_sector.apply(cur.dac_sector.clone()).map(|c| c.trim().to_string()).filter(|c| !c.is_empty());
    check_dac_sector(&mut p, &dac_sector);
    p.finish()?;
    let next = Area { name, dac_sector, version: cur.version + 1, updated_at: now, ..cur.clone() };
    area_store::update(&tx, &next, cur.version).await?;
    tx.record(ChangeDraft::unmarked("area", area_id(code), next.version, "update", Some(snapshot(&cur)), Some(snapshot(&next))));
    tx.commit(&ctx.provenance(now)).await?;
    Ok(next)
}

/// Areas are keyed by code; their Change rows by a name-based UUID of it.
pub fn area_id(code: &str) -> uuid::Uuid {
    uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_OID, format!("liaison:area:{code}").as_bytes())
}

/// Built-in and installation-defined frameworks.
pub async fn frameworks(app: &App, ctx: &Ctx) -> Result<Vec<Framework>> {
    ctx.actor.require(Action::DirectoryRead, Target::Installation)?;
    let mut all = Framework::builtins();
    all.extend(fw_store::all(&app.read(ctx)).await?);
    Ok(all)
}

/// One framework by code (built-ins first). Frameworks are the directory's, the same for every
/// reader: `rd` is whichever reader the caller holds.
pub(crate) async fn framework(rd: &Reader<'_>, code: &str) -> Result<Option<Framework>> {
    if let Some(b) = Framework::builtins().into_iter().find(|f| f.code == code) {
        return Ok(Some(b));
    }
    Ok(fw_store::get(rd, code).await?)
}

/// One framework by code, for a signed-in reader (the level names of a plan's tree).
pub async fn framework_by_code(app: &App, ctx: &Ctx, code: &str) -> Result<Option<Framework>> {
    ctx.actor.require(Action::DirectoryRead, Target::Installation)?;
    framework(&app.read(ctx), code).await
}

pub async fn create_framework(app: &App, ctx: &Ctx, mut input: Framework) -> Result<Framework> {
    ctx.actor.require(Action::DirectoryWrite, Target::Installation)?;
    input.builtin = false;
    input.name = input.name.normalised();
    input.validate()?;
    if framework(&app.read(ctx), &input.code).await?.is_some() {
        return Err(ValidationErrors::coded("code", "taken", &[("kind", "framework")]).into());
    }
    let now = app.now();
    let tx = app.begin().await?;
    fw_store::insert(&tx, &input, now).await?;
    let id = uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_OID, format!("liaison:framework:{}", input.code).as_bytes());
    tx.record(ChangeDraft::unmarked("framework", id, 1, "create", None, Some(snapshot(&input))));
    tx.commit(&ctx.provenance(now)).await?;
    Ok(input)
}
