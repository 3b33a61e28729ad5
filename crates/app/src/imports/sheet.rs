//! A plan's tree from a spreadsheet (XLSX or CSV), in the two steps of every import: an upload
//! is read and stored with its preview — the header row found, a field proposed for each
//! column (which the person may change and preview again), and every row's outcome with every
//! problem at its cell — and applying carries it out in one transaction with Change rows,
//! audited as an import.
//!
//! As for IATI files, the preview is the apply run in a transaction that is rolled back: the
//! same use cases, rules and access decide each row. Items are matched by code in the plan and
//! updated (only the fields the sheet maps); nothing is deleted (items of the plan the sheet
//! does not name are listed and left); a row whose item someone changed since the preview is
//! refused at apply with what changed.

use super::{Summary, Totals, directory_ctx, own, with_role};
use crate::{App, AppError, Ctx, Result};
use liaison_domain::access::Action;
use liaison_domain::framework::Framework;
use liaison_domain::item::{Item, ItemPatch, NewItem};
use liaison_domain::marking::Marking;
use liaison_domain::organisation::{NewOrganisation, OrgKind, Organisation};
use liaison_domain::plan::{NewPlan, Plan};
use liaison_domain::text::Text;
use liaison_domain::translit::has_cyrillic;
use liaison_domain::{ItemId, OrganisationId, PlanId, ValidationErrors};
use liaison_interop::iati::{Problem, Severity};
use liaison_interop::sheet::table::{self, Field, Layout, RowKind, RowRead};
use liaison_interop::sheet::values::fold;
use liaison_interop::sheet::{self as sheets, Book, Format, Grid};
use liaison_store::{Tx, imports as store};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};
use uuid::Uuid;

/// The largest spreadsheet an import takes (50 MiB).
pub const MAX_SHEET_BYTES: usize = 50 << 20;

/// How a spreadsheet is read and where it goes. Stored with the import, so that applying reads
/// the file exactly as the preview did.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SheetOptions {
    /// The plan the items go into.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Uuid))]
    pub plan: Option<PlanId>,
    /// A plan to make first, as `POST /api/v1/plans` takes it (instead of `plan`).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub new_plan: Option<serde_json::Value>,
    /// The sheet of a workbook; the first with cells when absent.
    #[serde(default)]
    pub sheet: Option<String>,
    /// The header row (1-based); found when absent.
    #[serde(default)]
    pub header_row: Option<usize>,
    /// Changes to the proposed mapping: a column's letter and the field it holds (`code`,
    /// `parent`, `level`, `title`, `description`, `lead`, `contributors`, `area`, `status`,
    /// `start`, `due`, `weight`, `gender_marker`, `marking`), or `""` to leave it out.
    #[serde(default)]
    pub mapping: BTreeMap<String, String>,
    /// The language of the sheet's Latin-script text: `en` (default) or `sr-Latn`. Cyrillic text
    /// is always taken as Serbian (`sr`).
    #[serde(default)]
    pub language: Option<String>,
}

/// What the sheet import adds to an import's summary.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SheetInfo {
    pub options: SheetOptions,
    /// `xlsx` or `csv`.
    pub format: String,
    /// A CSV file's encoding (`UTF-8`, `windows-1250`, `windows-1251`) and separator.
    pub encoding: Option<String>,
    pub separator: Option<String>,
    pub sheet: String,
    pub sheets: Vec<String>,
    /// 1-based.
    pub header_row: usize,
    pub columns: Vec<ColumnView>,
    pub plan: Option<PlanPreview>,
    pub rows: RowTotals,
    /// Items of the plan the sheet does not name (left as they are): how many, and the first
    /// hundred codes.
    pub not_in_file: usize,
    pub not_in_file_codes: Vec<String>,
    /// Areas matched or to be created.
    pub areas: Vec<AreaPreview>,
}

/// A column of the sheet and the field it is read into.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ColumnView {
    pub letter: String,
    pub header: String,
    /// The field's code; `None`: not imported.
    pub field: Option<String>,
}

/// The plan the items go into.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlanPreview {
    /// `None` in a preview that would make the plan.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Uuid))]
    pub id: Option<PlanId>,
    pub code: String,
    pub title: String,
    /// `create` or `update`.
    pub action: String,
}

/// An area the sheet names.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AreaPreview {
    pub name: String,
    pub code: String,
    /// `match` or `create`.
    pub action: String,
}

/// How the rows below the header came out.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RowTotals {
    /// Every row below the header: items + notes + blank.
    pub rows: usize,
    pub items: usize,
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub refused: usize,
    pub notes: usize,
    pub blank: usize,
}

/// One row of the sheet below the header, and what it becomes.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RowPreview {
    /// The sheet's row number (1-based).
    pub row: usize,
    /// `item`, `note` (no code and no title: not part of the table) or `blank`.
    pub kind: String,
    pub code: Option<String>,
    pub title: Option<String>,
    pub parent: Option<String>,
    /// `create`, `update`, `unchanged`, `refused` (an error keeps it out) or `skipped` (a note
    /// or a blank row).
    pub action: String,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Uuid))]
    pub item: Option<ItemId>,
    /// The item's version when the preview was made, before the row changes it (an item changed
    /// since is refused at apply); `None` for an item the row makes.
    pub version: Option<i64>,
    /// The item's fields when the preview was made, as text (to say what changed since).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub before: BTreeMap<String, String>,
    pub errors: usize,
    pub warnings: usize,
}

/// What a run over the sheet gives.
struct Run {
    info: SheetInfo,
    rows: Vec<RowPreview>,
    problems: Vec<Problem>,
    totals: Totals,
    orgs: Vec<super::OrgPreview>,
}

fn problem(severity: Severity, row: usize, col: usize, message: impl Into<String>) -> Problem {
    Problem { severity, line: row as u32 + 1, column: col as u32 + 1, path: sheets::cell_ref(row, col), code: "sheet".into(), message: message.into() }
}

fn cell_problem(p: &table::CellProblem) -> Problem {
    let severity = if p.severity == "error" { Severity::Error } else { Severity::Warning };
    problem(severity, p.row, p.col, p.message.clone())
}

fn limits() -> sheets::Limits {
    sheets::Limits { max_bytes: MAX_SHEET_BYTES, ..Default::default() }
}

/// Read the file (on a thread of its own: a large workbook is long work).
pub(super) async fn read_book(bytes: std::sync::Arc<Vec<u8>>) -> Result<Book> {
    let read = tokio::task::spawn_blocking(move || sheets::read(&bytes, limits()))
        .await
        .map_err(|e| AppError::Internal(format!("reading the spreadsheet failed: {e}")))?;
    read.map_err(|r| ValidationErrors::one("file", r.code(), r.to_string()).into())
}

/// Check a spreadsheet, store it with its preview, and answer the preview's summary.
pub async fn preview(app: &App, ctx: &Ctx, file_name: &str, bytes: Vec<u8>, options: SheetOptions) -> Result<Summary> {
    ctx.actor.user_id().ok_or(AppError::Unauthenticated)?;
    may_import_into(app, ctx, &options).await?;
    if bytes.len() > MAX_SHEET_BYTES {
        return Err(ValidationErrors::coded("file", "too_large", &[("max", &(MAX_SHEET_BYTES >> 20).to_string())]).into());
    }
    let bytes = std::sync::Arc::new(bytes);
    // Read before anything is stored: a file that is no spreadsheet is refused at once.
    let book = read_book(bytes.clone()).await?;
    let mut summary = super::summary_of(app, "sheet", file_name, "upload.xlsx", &bytes);
    let tx = app.begin().await?;
    let run = run(app, &tx, ctx, &book, &options, None).await;
    tx.rollback().await?;
    let run = run?;
    summary.totals = run.totals.clone();
    summary.organisations = run.orgs.clone();
    summary.sheet = Some(run.info.clone());
    super::store_previewed(app, ctx, &mut summary, &bytes, &run.rows, &run.problems).await?;
    Ok(summary)
}

/// Preview a stored spreadsheet again with other options (another mapping, header row or
/// sheet): a new import of the same file; the old one is forgotten.
pub async fn again(app: &App, ctx: &Ctx, id: Uuid, options: SheetOptions) -> Result<Summary> {
    let (row, bytes) = super::to_preview_again(app, ctx, id, "sheet", "not_a_sheet_import").await?;
    let summary = preview(app, ctx, &row.file_name, bytes, options).await?;
    super::forget(app, ctx, id).await?;
    Ok(summary)
}

/// A page of a stored sheet import's rows, in sheet order (as [`super::activities`] pages).
pub async fn rows(app: &App, ctx: &Ctx, id: Uuid, after: Option<u64>, limit: usize) -> Result<Vec<(u64, RowPreview)>> {
    super::rows_raw(app, ctx, id, after, limit)
        .await?
        .into_iter()
        .map(|(k, body)| Ok((k, serde_json::from_str(&body).map_err(|e| AppError::Internal(e.to_string()))?)))
        .collect()
}

/// Write a run's rows and problems into the import, and its totals into the summary.
async fn write(tx: &Tx, id: Uuid, summary: &mut Summary, run: &Run) -> Result<()> {
    super::write_rows(tx, id, &run.rows, &run.problems).await?;
    summary.totals = run.totals.clone();
    summary.organisations = run.orgs.clone();
    summary.sheet = Some(run.info.clone());
    Ok(())
}

/// Whether this person may import into the plan the options name (or make one).
async fn may_import_into(app: &App, ctx: &Ctx, options: &SheetOptions) -> Result<()> {
    match (options.plan, &options.new_plan) {
        (Some(_), Some(_)) => Err(ValidationErrors::coded("new_plan", "with_plan", &[]).into()),
        (None, None) => Err(ValidationErrors::coded("plan", "required", &[]).into()),
        (None, Some(_)) => super::may_import(ctx),
        (Some(plan), None) => {
            let r = app.read(ctx);
            crate::plans::for_action(&r, ctx, plan, Action::ItemWrite).await.map(|_| ())
        }
    }
}

/// Apply a previewed spreadsheet import in one transaction: each row as the preview said,
/// except a row whose item someone changed (or made) since, which is refused with the
/// difference.
pub async fn apply(app: &App, ctx: &Ctx, id: Uuid) -> Result<super::Applied> {
    let row = own(app, ctx, id).await?;
    if row.state != "previewed" {
        return Err(AppError::Conflict(liaison_domain::Refusal::new("import-applied")));
    }
    let summary: Summary = serde_json::from_str(&row.preview).map_err(|e| AppError::Internal(e.to_string()))?;
    let info = summary.sheet.clone().ok_or_else(|| AppError::Internal(format!("import {id} has no sheet options")))?;
    may_import_into(app, ctx, &info.options).await?;
    let bytes = store::content(&app.read(ctx), row.created_by, id).await?.ok_or_else(|| AppError::Internal(format!("import {id} has lost its file")))?;
    // What the preview said of each row (its item's version then).
    let mut before: HashMap<usize, RowPreview> = HashMap::new();
    let mut after = None;
    loop {
        let page = store::activities(&app.read(ctx), row.created_by, id, after, super::PAGE as u64).await?;
        for (_, body) in &page {
            let r: RowPreview = serde_json::from_str(body).map_err(|e| AppError::Internal(e.to_string()))?;
            before.insert(r.row, r);
        }
        after = super::next_after(&page);
        if after.is_none() {
            break;
        }
    }
    let book = read_book(std::sync::Arc::new(bytes)).await?;
    let tx = app.begin().await?;
    let run = run(app, &tx, ctx, &book, &info.options, Some(&before)).await?;
    let applied: Vec<String> = run.rows.iter().filter(|r| matches!(r.action.as_str(), "create" | "update")).filter_map(|r| r.code.clone()).collect();
    if applied.is_empty() && run.totals.items_created + run.totals.items_updated == 0 && run.rows.iter().all(|r| r.action != "unchanged") {
        tx.rollback().await?;
        return Err(ValidationErrors::coded("rows", "none_importable", &[]).into());
    }
    store::clear_rows(&tx, id).await?;
    let mut summary = Summary { state: "applied".into(), applied_at: Some(app.now()), ..summary };
    write(&tx, id, &mut summary, &run).await?;
    let after = serde_json::json!({"kind": "sheet", "file": row.file_name, "sha256": row.sha256, "rows": run.info.rows, "totals": summary.totals});
    super::applied(app, ctx, tx, &summary, run.info.plan.as_ref().and_then(|p| p.id), after).await?;
    Ok(super::Applied { preview: summary, applied })
}

/// The layout the options ask for: the header row found (or given), the proposed fields
/// changed by the mapping.
fn layout(grid: &Grid, options: &SheetOptions) -> Result<Layout> {
    let mut p = liaison_domain::Problems::new();
    let mut l = match options.header_row {
        Some(0) => {
            p.coded("header_row", "invalid", &[]);
            table::propose(grid)
        }
        Some(n) if n > grid.rows.len() => {
            p.coded("header_row", "beyond_sheet", &[("rows", &grid.rows.len().to_string())]);
            table::propose(grid)
        }
        Some(n) => table::layout_at(grid, n - 1),
        None => table::propose(grid),
    };
    for (letter, field) in &options.mapping {
        let Some(col) = sheets::column_index(letter).filter(|c| *c < l.columns.len()) else {
            p.coded(format!("mapping.{letter}"), "unknown_column", &[]);
            continue;
        };
        let f = if field.is_empty() {
            None
        } else {
            match Field::parse(field) {
                Some(f) => Some(f),
                None => {
                    p.coded(format!("mapping.{letter}"), "not_a_field", &[("field", field)]);
                    continue;
                }
            }
        };
        // A field that cannot repeat leaves the column that had it.
        if let Some(f) = f.filter(|f| !f.repeats()) {
            for c in l.columns.iter_mut().filter(|c| c.field == Some(f)) {
                c.field = None;
            }
        }
        l.columns[col].field = f;
    }
    p.finish()?;
    Ok(l)
}

/// The language a cell's text is kept under.
fn lang_of(s: &str, options: &SheetOptions) -> String {
    if has_cyrillic(s) { "sr".into() } else { options.language.clone().filter(|l| l == "sr-Latn").unwrap_or_else(|| "en".into()) }
}

/// Finds or makes the organisations the sheet names, by any of their names or short name.
#[derive(Clone)]
struct Orgs {
    by_name: HashMap<String, Organisation>,
    seen: Vec<super::OrgPreview>,
    created: HashSet<OrganisationId>,
    country: Option<String>,
}

impl Orgs {
    async fn load(tx: &Tx, ctx: &Ctx, plan: &Plan) -> Result<Orgs> {
        let all = liaison_store::organisations::all(&tx.read(ctx.actor.filter())).await?;
        let country = all.iter().find(|o| o.id == plan.partner).and_then(|o| o.country.clone());
        let mut by_name = HashMap::new();
        for o in all {
            by_name.insert(fold(&o.short_name), o.clone());
            for n in o.name.0.values() {
                by_name.insert(fold(n), o.clone());
            }
        }
        Ok(Orgs { by_name, seen: Vec::new(), created: HashSet::new(), country })
    }

    /// Every organisation it knows (the directory's, and those it made).
    fn ids(&self) -> HashSet<OrganisationId> {
        self.by_name.values().map(|o| o.id).collect()
    }

    async fn find(&mut self, app: &App, tx: &Tx, ctx: &Ctx, name: &str) -> Result<OrganisationId> {
        let key = fold(name);
        let o = match self.by_name.get(&key) {
            Some(o) => o.clone(),
            None => {
                let short: String = name.chars().take(32).collect();
                let input = NewOrganisation {
                    name: Text::new(if has_cyrillic(name) { "sr" } else { "en" }, name),
                    short_name: short.trim().to_string(),
                    kind: OrgKind::PartnerUnit,
                    country: self.country.clone(),
                    parent: None,
                    iati_ref: None,
                };
                let o = crate::organisations::create_in(app, tx, &directory_ctx(ctx), input).await?;
                self.created.insert(o.id);
                self.by_name.insert(key, o.clone());
                o
            }
        };
        if !self.seen.iter().any(|s| s.organisation == Some(o.id)) {
            self.seen.push(super::OrgPreview {
                reference: o.iati_ref.clone(),
                name: o.name.get("en").or_else(|| o.name.0.values().next().map(String::as_str)).unwrap_or(&o.short_name).to_string(),
                action: if self.created.contains(&o.id) { "create".into() } else { "match".into() },
                organisation: Some(o.id),
                kind: o.kind.code().into(),
            });
        }
        Ok(o.id)
    }
}

/// Finds or makes the areas the sheet names, by code or by any of their names.
#[derive(Clone)]
struct Areas {
    by_name: HashMap<String, String>,
    codes: HashSet<String>,
    seen: Vec<AreaPreview>,
}

impl Areas {
    async fn load(tx: &Tx, ctx: &Ctx) -> Result<Areas> {
        let all = liaison_store::areas::all(&tx.read(ctx.actor.filter())).await?;
        let mut by_name = HashMap::new();
        let mut codes = HashSet::new();
        for a in all {
            by_name.insert(fold(&a.code), a.code.clone());
            for n in a.name.0.values() {
                by_name.insert(fold(n), a.code.clone());
            }
            codes.insert(a.code);
        }
        Ok(Areas { by_name, codes, seen: Vec::new() })
    }

    async fn find(&mut self, app: &App, tx: &Tx, ctx: &Ctx, name: &str) -> Result<String> {
        let key = fold(name);
        let (code, action) = match self.by_name.get(&key) {
            Some(c) => (c.clone(), "match"),
            None => {
                // A code from the name: folded, words joined with `_`, at most 40 characters.
                let mut base: String = key.replace(' ', "_").chars().filter(|c| c.is_ascii_alphanumeric() || *c == '_').take(36).collect();
                if !base.starts_with(|c: char| c.is_ascii_lowercase()) {
                    base = format!("a_{base}");
                }
                let mut code = base.clone();
                let mut n = 2;
                while self.codes.contains(&code) {
                    code = format!("{base}_{n}");
                    n += 1;
                }
                crate::directory::create_area_in(
                    app,
                    tx,
                    &directory_ctx(ctx),
                    crate::directory::NewArea { code: code.clone(), name: Text::new(if has_cyrillic(name) { "sr" } else { "en" }, name), dac_sector: None },
                )
                .await?;
                self.codes.insert(code.clone());
                self.by_name.insert(key, code.clone());
                (code, "create")
            }
        };
        if !self.seen.iter().any(|s| s.code == code) {
            self.seen.push(AreaPreview { name: name.to_string(), code: code.clone(), action: action.into() });
        }
        Ok(code)
    }
}

/// What the run knows of the plan's tree, hidden items included (for positions and codes; it is
/// never shown): how many children each parent has, every code, and the tree keys it has read
/// or made.
struct Tree {
    children: HashMap<Option<ItemId>, usize>,
    codes: HashSet<String>,
    keys: HashMap<ItemId, String>,
}

impl Tree {
    async fn load(tx: &Tx, plan: PlanId) -> Result<Tree> {
        let all = liaison_store::items::of_plan(&tx.unfiltered(), plan).await?;
        let mut children: HashMap<Option<ItemId>, usize> = HashMap::new();
        for i in &all {
            *children.entry(i.parent).or_default() += 1;
        }
        Ok(Tree { children, codes: all.into_iter().map(|i| i.code).collect(), keys: HashMap::new() })
    }

    async fn key_of(&mut self, tx: &Tx, id: ItemId) -> Result<String> {
        if let Some(k) = self.keys.get(&id) {
            return Ok(k.clone());
        }
        let k =
            liaison_store::items::tree_key_of(&tx.unfiltered(), id).await?.ok_or_else(|| AppError::Internal(format!("item {id} has no place in its tree")))?;
        self.keys.insert(id, k.clone());
        Ok(k)
    }
}

/// An item's fields as text, to compare what the preview saw with what is there at apply.
fn fields(i: &Item) -> BTreeMap<String, String> {
    let mut m = BTreeMap::new();
    let t = |t: &Text| serde_json::to_string(&t.0).unwrap_or_default();
    m.insert("title".into(), t(&i.title));
    m.insert("description".into(), t(&i.description));
    m.insert("status".into(), i.status.code().into());
    m.insert("start".into(), i.start.map(|d| d.to_string()).unwrap_or_default());
    m.insert("due".into(), i.due.map(|d| d.to_string()).unwrap_or_default());
    m.insert("lead_organisation".into(), i.lead_organisation.map(|o| o.to_string()).unwrap_or_default());
    m.insert("contributing_organisations".into(), i.contributing_organisations.iter().map(ToString::to_string).collect::<Vec<_>>().join(","));
    m.insert("areas".into(), i.areas.join(","));
    m.insert("weight".into(), i.weight.to_string());
    m.insert("gender_marker".into(), u8::from(i.gender_marker).to_string());
    m.insert("marking".into(), i.marking.banner());
    m.insert("parent".into(), i.parent.map(|p| p.to_string()).unwrap_or_default());
    m
}

/// The level of the framework a cell names, by key or by any of its names.
fn level_of(fw: &Framework, text: &str) -> Option<String> {
    let f = fold(text);
    fw.levels.iter().find(|l| fold(&l.key) == f || l.name.0.values().any(|n| fold(n) == f)).map(|l| l.key.clone())
}

/// Where the use cases' refusal points: the cell of the field it names.
fn refusal_problems(e: &AppError, r: &RowRead, fallback: usize) -> Vec<Problem> {
    let col_of = |field: &str| -> usize {
        let f = match field.split('.').next().unwrap_or("") {
            "code" => Field::Code,
            "parent" => Field::Parent,
            "level" => Field::Level,
            "title" => Field::Title,
            "description" => Field::Description,
            "lead_organisation" => Field::Lead,
            "contributing_organisations" => Field::Contributors,
            "areas" => Field::Area,
            "start" => Field::Start,
            "due" => Field::Due,
            "weight" => Field::Weight,
            "gender_marker" => Field::GenderMarker,
            "marking" => Field::Marking,
            _ => return fallback,
        };
        r.item.cols.get(&f).copied().unwrap_or(fallback)
    };
    match e {
        AppError::Invalid(v) => {
            v.0.iter().map(|f| problem(Severity::Error, r.item.row, col_of(&f.field), format!("not imported: {}", super::field_words(f)))).collect()
        }
        other => vec![problem(Severity::Error, r.item.row, fallback, format!("not imported: {}", super::words(other)))],
    }
}

/// The parent of each code when the sheet has no parent column: the longest code, in the sheet
/// or the plan, that the code starts with followed by a dot (`1.2.3` → `1.2` → `1`).
fn inferred_parent(code: &str, known: &HashSet<String>) -> Option<String> {
    let mut c = code;
    while let Some(i) = c.rfind('.') {
        c = &c[..i];
        if known.contains(c) {
            return Some(c.to_string());
        }
    }
    None
}

/// One run over the sheet inside `tx`: the preview's (rolled back) or the apply's.
async fn run(app: &App, tx: &Tx, ctx: &Ctx, book: &Book, options: &SheetOptions, preview: Option<&HashMap<usize, RowPreview>>) -> Result<Run> {
    let grid = book.sheet(options.sheet.as_deref()).ok_or_else(|| -> AppError {
        let names: Vec<&str> = book.sheets.iter().map(|s| s.name.as_str()).collect();
        ValidationErrors::coded("sheet", "unknown", &[("sheets", &names.join(", "))]).into()
    })?;
    let l = layout(grid, options)?;
    let (read, merge_notes) = table::rows(grid, &l, book.base_1904());
    let mut problems: Vec<Problem> = merge_notes.iter().map(cell_problem).collect();

    // The plan: made (the import's own, filled with the coordinator's role), or the one named.
    let (plan, created) = match (&options.plan, &options.new_plan) {
        (Some(id), _) => (crate::plans::for_action(&tx.read(ctx.actor.filter()), ctx, *id, Action::ItemWrite).await?, false),
        (None, Some(v)) => {
            let input: NewPlan = serde_json::from_value(v.clone()).map_err(|e| ValidationErrors::one("new_plan", "invalid", e.to_string()))?;
            super::may_import(ctx)?;
            (crate::plans::create_in(app, tx, ctx, input).await?, true)
        }
        (None, None) => return Err(ValidationErrors::coded("plan", "required", &[]).into()),
    };
    let pctx = with_role(ctx, plan.id, created);
    let fw = crate::directory::framework(&tx.unfiltered(), &plan.framework)
        .await?
        .ok_or_else(|| AppError::Internal(format!("plan {} has an unknown framework", plan.id)))?;
    let mut by_code: HashMap<String, Item> =
        liaison_store::items::of_plan(&tx.read(pctx.actor.filter()), plan.id).await?.into_iter().map(|i| (i.code.clone(), i)).collect();
    let mut orgs = Orgs::load(tx, &pctx, &plan).await?;
    let mut areas = Areas::load(tx, &pctx).await?;
    let mut tree = Tree::load(tx, plan.id).await?;

    let header = l.header_row;
    let missing: Vec<Field> = [Field::Code, Field::Title].into_iter().filter(|f| !l.has(*f)).collect();
    for f in &missing {
        problems.push(problem(Severity::Error, header, 0, format!("no column holds the items' {}: choose one in the mapping", f.code())));
    }

    // Codes: the first row with a code has it; a later one is refused.
    let mut first_row: HashMap<String, usize> = HashMap::new();
    let mut blocked: HashSet<usize> = HashSet::new();
    for (k, r) in read.iter().enumerate() {
        if r.kind != RowKind::Item || !missing.is_empty() {
            continue;
        }
        if let Some(code) = &r.item.code {
            match first_row.get(code) {
                Some(&first) => {
                    let col = r.item.cols.get(&Field::Code).copied().unwrap_or(0);
                    let hint = if matches!(grid.cell(r.item.row, col), sheets::Value::Number(_)) {
                        " (Excel may have turned 1.10 into 1.1: format the column as text)"
                    } else {
                        ""
                    };
                    problems.push(problem(Severity::Error, r.item.row, col, format!("the code {code} is already in row {}{hint}", read[first].item.row + 1)));
                    blocked.insert(k);
                }
                None => {
                    first_row.insert(code.clone(), k);
                }
            }
        }
    }
    let sheet_codes: HashSet<String> = first_row.keys().cloned().collect();
    let known: HashSet<String> = sheet_codes.iter().cloned().chain(by_code.keys().cloned()).collect();
    let has_parent_column = l.has(Field::Parent);
    let parent_code = |r: &RowRead| -> Option<String> {
        if has_parent_column { r.item.parent.clone() } else { r.item.code.as_deref().and_then(|c| inferred_parent(c, &known)) }
    };

    // Parents before children: by depth in the sheet, then in file order.
    let mut depth: HashMap<usize, usize> = HashMap::new();
    for (k, r) in read.iter().enumerate() {
        if r.kind != RowKind::Item {
            continue;
        }
        let mut d = 0;
        let mut at = k;
        let mut guard = HashSet::new();
        while let Some(p) = parent_code(&read[at]).and_then(|p| first_row.get(&p).copied()) {
            if !guard.insert(at) || p == at {
                d = usize::MAX;
                break;
            }
            d += 1;
            at = p;
        }
        depth.insert(k, d);
    }
    let mut order: Vec<usize> = depth.keys().copied().collect();
    order.sort_by_key(|k| (depth[k], *k));

    let mut outcome: HashMap<usize, RowPreview> = HashMap::new();
    let mut row_problems: HashMap<usize, Vec<Problem>> = HashMap::new();
    let mut totals = Totals::default();
    let mut unknown_levels = HashSet::new();
    for k in order {
        let r = &read[k];
        let mut probs: Vec<Problem> = r.problems.iter().map(cell_problem).collect();
        let code_col = r.item.cols.get(&Field::Code).copied().unwrap_or(0);
        let mut prev = RowPreview {
            row: r.item.row + 1,
            kind: "item".into(),
            code: r.item.code.clone(),
            title: r.item.title.clone(),
            parent: parent_code(r),
            action: "refused".into(),
            item: None,
            version: None,
            before: BTreeMap::new(),
            errors: 0,
            warnings: 0,
        };
        let refuse = |probs: &mut Vec<Problem>, col: usize, m: String| probs.push(problem(Severity::Error, r.item.row, col, m));
        if depth[&k] == usize::MAX {
            refuse(&mut probs, code_col, "the row is its own ancestor (its parent codes go round in a circle)".into());
        }
        let ok = missing.is_empty() && !blocked.contains(&k) && !r.has_errors() && !probs.iter().any(|p| p.severity == Severity::Error);
        if ok {
            let sp = tx.savepoint().await?;
            // What a refused row made (an organisation, an area) is undone with it.
            let (orgs_before, areas_before) = (orgs.clone(), areas.clone());
            let result = item_row(
                app,
                tx,
                &pctx,
                &plan,
                &fw,
                r,
                &mut by_code,
                &first_row,
                &outcome,
                prev.parent.as_deref(),
                &mut orgs,
                &mut areas,
                options,
                preview,
                &mut unknown_levels,
                &mut tree,
                &mut probs,
            )
            .await;
            match result {
                Ok(Some((action, item, before, version))) => {
                    tx.release(sp).await?;
                    match action {
                        "create" => totals.items_created += 1,
                        "update" => totals.items_updated += 1,
                        _ => {}
                    }
                    prev.action = action.into();
                    prev.version = version;
                    prev.item = Some(item.id);
                    prev.before = before;
                    by_code.insert(item.code.clone(), item);
                }
                Ok(None) => {
                    tx.rollback_to(&sp).await?;
                    tx.release(sp).await?;
                    (orgs, areas) = (orgs_before, areas_before);
                }
                Err(AppError::Internal(e)) => return Err(AppError::Internal(e)),
                Err(e) => {
                    tx.rollback_to(&sp).await?;
                    tx.release(sp).await?;
                    (orgs, areas) = (orgs_before, areas_before);
                    probs.extend(refusal_problems(&e, r, code_col));
                }
            }
        }
        prev.errors = probs.iter().filter(|p| p.severity == Severity::Error).count();
        prev.warnings = probs.len() - prev.errors;
        if prev.action == "refused" && prev.errors == 0 {
            prev.errors = 1;
            probs.push(problem(Severity::Error, r.item.row, code_col, "not imported"));
        }
        outcome.insert(k, prev);
        row_problems.insert(k, probs);
        if k % 200 == 199 {
            tx.flush(&ctx.provenance(app.now())).await?;
        }
    }
    tx.flush(&ctx.provenance(app.now())).await?;

    // Every row, in sheet order, with its problems.
    let mut rows = Vec::with_capacity(read.len());
    let mut rt = RowTotals { rows: read.len(), ..Default::default() };
    for (k, r) in read.iter().enumerate() {
        match r.kind {
            RowKind::Item => {
                let Some(p) = outcome.remove(&k) else { continue };
                rt.items += 1;
                match p.action.as_str() {
                    "create" => rt.created += 1,
                    "update" => rt.updated += 1,
                    "unchanged" => rt.unchanged += 1,
                    _ => rt.refused += 1,
                }
                problems.extend(row_problems.remove(&k).unwrap_or_default());
                rows.push(p);
            }
            kind => {
                let note = kind == RowKind::Note;
                if note {
                    rt.notes += 1;
                    let col = grid.rows.get(r.item.row).and_then(|cells| cells.iter().position(|c| !c.is_blank())).unwrap_or(0);
                    problems.push(problem(Severity::Warning, r.item.row, col, "no code and no title: taken as a note below or inside the table, not imported"));
                } else {
                    rt.blank += 1;
                }
                rows.push(RowPreview {
                    row: r.item.row + 1,
                    kind: if note { "note".into() } else { "blank".into() },
                    code: None,
                    title: None,
                    parent: None,
                    action: "skipped".into(),
                    item: None,
                    version: None,
                    before: BTreeMap::new(),
                    errors: 0,
                    warnings: usize::from(note),
                });
            }
        }
    }
    problems.sort_by_key(|p| (p.line, p.column));
    totals.activities = rt.items;
    totals.importable = rt.created + rt.updated + rt.unchanged;
    totals.errors = problems.iter().filter(|p| p.severity == Severity::Error).count();
    totals.warnings = problems.len() - totals.errors;
    totals.plans_created = usize::from(created);
    totals.plans_updated = usize::from(!created);
    totals.organisations_created = orgs.seen.iter().filter(|o| o.action == "create").count();
    totals.areas_created = areas.seen.iter().filter(|a| a.action == "create").count();
    let mut not_in_file: Vec<String> = by_code.keys().filter(|c| !sheet_codes.contains(*c)).cloned().collect();
    not_in_file.sort();
    let (format, encoding, separator) = match &book.format {
        Format::Xlsx { .. } => ("xlsx", None, None),
        Format::Csv { encoding, separator, .. } => {
            ("csv", Some(encoding.to_string()), Some(if *separator == '\t' { "tab".to_string() } else { separator.to_string() }))
        }
    };
    let info = SheetInfo {
        options: options.clone(),
        format: format.into(),
        encoding,
        separator,
        sheet: grid.name.clone(),
        sheets: book.sheets.iter().map(|s| s.name.clone()).collect(),
        header_row: l.header_row + 1,
        columns: l
            .columns
            .iter()
            .map(|c| ColumnView { letter: c.letter.clone(), header: c.header.clone(), field: c.field.map(|f| f.code().to_string()) })
            .collect(),
        plan: Some(PlanPreview {
            id: if created && preview.is_none() { None } else { Some(plan.id) },
            code: plan.code.clone(),
            title: plan.title.get("en").or_else(|| plan.title.0.values().next().map(String::as_str)).unwrap_or("").to_string(),
            action: if created { "create".into() } else { "update".into() },
        }),
        rows: rt,
        not_in_file: not_in_file.len(),
        not_in_file_codes: not_in_file.into_iter().take(100).collect(),
        areas: areas.seen,
    };
    Ok(Run { info, rows, problems, totals, orgs: orgs.seen })
}

/// One item row: made or brought up to date. `Ok(None)`: refused with the problems added to
/// `probs`; an error: refused by the use cases.
#[allow(clippy::too_many_arguments)]
async fn item_row(
    app: &App,
    tx: &Tx,
    ctx: &Ctx,
    plan: &Plan,
    fw: &Framework,
    r: &RowRead,
    by_code: &mut HashMap<String, Item>,
    first_row: &HashMap<String, usize>,
    done: &HashMap<usize, RowPreview>,
    parent: Option<&str>,
    orgs: &mut Orgs,
    areas: &mut Areas,
    options: &SheetOptions,
    preview: Option<&HashMap<usize, RowPreview>>,
    unknown_levels: &mut HashSet<String>,
    tree: &mut Tree,
    probs: &mut Vec<Problem>,
) -> Result<Option<(&'static str, Item, BTreeMap<String, String>, Option<i64>)>> {
    let it = &r.item;
    let col = |f: Field| it.cols.get(&f).copied().unwrap_or(0);
    let code = it.code.clone().unwrap_or_default();
    let title = it.title.clone().unwrap_or_default();
    let error = |probs: &mut Vec<Problem>, c: usize, m: String| probs.push(problem(Severity::Error, it.row, c, m));
    let warn = |probs: &mut Vec<Problem>, c: usize, m: String| probs.push(problem(Severity::Warning, it.row, c, m));

    let parent_item = match parent {
        None => None,
        Some(p) => match by_code.get(p) {
            Some(i) => Some(i.clone()),
            None => {
                match first_row.get(p).and_then(|k| done.get(k)) {
                    Some(d) => error(probs, col(Field::Parent), format!("not imported: its parent {p} (row {}) is not imported", d.row)),
                    None => error(probs, col(Field::Parent), format!("no item with the code {p} in the plan or in the sheet")),
                }
                return Ok(None);
            }
        },
    };
    let parent_id = parent_item.as_ref().map(|p| p.id);
    let level = match &it.level {
        Some(l) => match level_of(fw, l) {
            Some(k) => Some(k),
            None => {
                // Said once per value, at its first row: a column of "Commitment" is one finding.
                if unknown_levels.insert(l.clone()) {
                    let keys: Vec<&str> = fw.levels.iter().map(|l| l.key.as_str()).collect();
                    warn(
                        probs,
                        col(Field::Level),
                        format!(
                            "{l:?} is not a level of this plan's framework ({}): the level of this row and of every other that says {l:?} follows from its parent",
                            keys.join(", ")
                        ),
                    );
                }
                None
            }
        },
        None => None,
    };
    let lead = match &it.lead {
        Some(n) => Some(orgs.find(app, tx, ctx, n).await?),
        None => None,
    };
    let mut contributors = Vec::new();
    for n in &it.contributors {
        let o = orgs.find(app, tx, ctx, n).await?;
        if Some(o) != lead && !contributors.contains(&o) {
            contributors.push(o);
        }
    }
    let mut area_codes = Vec::new();
    for n in &it.areas {
        let a = areas.find(app, tx, ctx, n).await?;
        if !area_codes.contains(&a) {
            area_codes.push(a);
        }
    }
    let marking = match &it.marking {
        Some(m) => match Marking::from_banner(m, app.config.scheme, &plan.marking.originator) {
            Some(m) => Some(m),
            None => {
                let levels: Vec<&str> = app.config.scheme.levels().iter().map(|l| l.banner()).collect();
                error(probs, col(Field::Marking), format!("{m:?} is not a marking of this installation ({})", levels.join(", ")));
                return Ok(None);
            }
        },
        None => None,
    };

    let existing = by_code.get(&code).cloned();
    let said = preview.and_then(|p| p.get(&(it.row + 1)));
    match existing {
        Some(cur) => {
            if let Some(said) = said {
                if said.action == "create" {
                    error(probs, col(Field::Code), format!("the item {code} was made by someone else since the preview: preview the file again"));
                    return Ok(None);
                }
                if said.version.is_some_and(|v| v != cur.version) {
                    let now = fields(&cur);
                    let changed: Vec<String> = now
                        .iter()
                        .filter(|(k, v)| said.before.get(*k) != Some(*v))
                        .map(|(k, v)| format!("{k}: {:?} at the preview, {:?} now", said.before.get(k).map(String::as_str).unwrap_or(""), v))
                        .collect();
                    error(
                        probs,
                        col(Field::Code),
                        format!(
                            "the item {code} was changed by someone since the preview (version {} then, {} now): {}",
                            said.version.unwrap_or(0),
                            cur.version,
                            changed.join("; ")
                        ),
                    );
                    return Ok(None);
                }
            }
            if cur.parent != parent_id && (parent.is_some() || cur.parent.is_some()) {
                let where_now = cur.parent.and_then(|p| by_code.values().find(|i| i.id == p)).map_or("the top level".to_string(), |p| p.code.clone());
                warn(
                    probs,
                    col(Field::Parent),
                    format!("the sheet puts {code} under {}; it stays under {where_now} (move it in the plan)", parent.unwrap_or("the top level")),
                );
            }
            let before = fields(&cur);
            let lang = lang_of(&title, options);
            let mut patch = ItemPatch { title: Some(cur.title.clone().with(&lang, &title)), ..Default::default() };
            if let Some(d) = &it.description {
                patch.description = Some(cur.description.clone().with(&lang_of(d, options), d));
            }
            if it.cols.contains_key(&Field::Lead) {
                patch.lead_organisation = lead.map_or(liaison_domain::page::Patch::Null, liaison_domain::page::Patch::Set);
            }
            if it.cols.contains_key(&Field::Contributors) || !contributors.is_empty() {
                patch.contributing_organisations = Some(contributors);
            }
            if it.cols.contains_key(&Field::Area) {
                patch.areas = Some(area_codes);
            }
            patch.status = it.status;
            if let Some(s) = it.start {
                patch.start = liaison_domain::page::Patch::Set(s);
            }
            if let Some(d) = it.due {
                patch.due = liaison_domain::page::Patch::Set(d);
            }
            patch.weight = it.weight;
            patch.gender_marker = it.gender_marker;
            patch.marking = marking;
            let next = cur.patched(patch.clone());
            if fields(&next) == before {
                let v = cur.version;
                return Ok(Some(("unchanged", cur, before, Some(v))));
            }
            let item = crate::items::update_in(app, tx, ctx, cur.id, cur.version, patch).await?;
            Ok(Some(("update", item, before, Some(cur.version))))
        }
        None => {
            if let Some(said) = said
                && said.action != "create"
                && said.item.is_some()
            {
                error(probs, col(Field::Code), format!("the item {code} was removed, or recoded, since the preview: preview the file again"));
                return Ok(None);
            }
            let input = NewItem {
                parent: parent_id,
                level,
                code: code.clone(),
                title: Text::new(&lang_of(&title, options), &title),
                description: it.description.as_deref().map(|d| Text::new(&lang_of(d, options), d)).unwrap_or_default(),
                areas: area_codes,
                lead_organisation: lead,
                contributing_organisations: contributors,
                start: it.start,
                due: it.due,
                status: it.status,
                weight: it.weight,
                gender_marker: it.gender_marker,
                marking,
                position: None,
                downgrade: false,
            };
            let parent_key = match &parent_item {
                Some(p) => Some(tree.key_of(tx, p.id).await?),
                None => None,
            };
            let org_ids = orgs.ids();
            let known = crate::items::Known {
                plan,
                framework: fw,
                parent: parent_item.as_ref(),
                parent_key: parent_key.as_deref(),
                siblings: tree.children.get(&parent_id).copied().unwrap_or(0),
                code_taken: tree.codes.contains(&code),
                areas: &areas.codes,
                organisations: &org_ids,
            };
            let (item, key) = crate::items::create_known_in(app, tx, ctx, known, input).await?;
            // The last step of the row: what it made is now part of the tree.
            *tree.children.entry(parent_id).or_default() += 1;
            tree.codes.insert(item.code.clone());
            tree.keys.insert(item.id, key);
            Ok(Some(("create", item, BTreeMap::new(), None)))
        }
    }
}
