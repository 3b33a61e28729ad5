//! Imports, in two steps. An upload is checked and stored with its *preview*: every problem
//! the file has (IATI's validator's, at their line and column) and what applying would create
//! or update. Applying carries the preview out in one transaction with Change rows, audited as
//! an import with the file's SHA-256; importing the same file again updates what the first
//! import made and duplicates nothing.
//!
//! The preview is made by applying the file inside a transaction that is then rolled back, so
//! that it says exactly what applying does — the same use cases, the same rules, the same
//! access — and an activity the use cases refuse is marked as not importable with their reason.
//! Problems of one activity never stop the others.
//!
//! The IATI mapping is the export's (`crate::iati`) read backwards; the README's table gives
//! both directions.

pub mod figures;
pub mod sheet;

use crate::{Actor, App, AppError, Ctx, Result};
use liaison_domain::ItemId;
use liaison_domain::access::{Action, Role, Target};
use liaison_domain::assistance::{AssistanceKind, NewOffer, OfferState};
use liaison_domain::change::ChangeDraft;
use liaison_domain::indicator::{Baseline, Dimension, Measure as LMeasure, NewIndicator, NewMeasurement, Target as LTarget, Value};
use liaison_domain::item::{GenderMarker, Item, ItemStatus, NewItem};
use liaison_domain::marking::Marking;
use liaison_domain::organisation::{NewOrganisation, OrgKind, Organisation};
use liaison_domain::plan::{NewPlan, Period, Plan, PlanState};
use liaison_domain::text::Text;
use liaison_domain::{OrganisationId, Timestamp};
use liaison_interop::iati::model::{Activity, Narratives, Org};
use liaison_interop::iati::{Limits, Problem, Severity};
use liaison_store::{Tx, imports as store};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use uuid::Uuid;

/// The framework of plans an import creates (four levels: the activity's results can sit below
/// its items).
pub const IMPORT_FRAMEWORK: &str = "logframe";

/// A stored import as its uploader sees it, without its lists: what it is and its totals.
/// Its activities and problems are read a page at a time ([`activities`], [`problems`]), or
/// whole as JSON ([`Document`]); a large file's preview is never held whole.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Summary {
    pub id: Uuid,
    /// `iati`.
    pub kind: String,
    pub file_name: String,
    pub sha256: String,
    pub size: u64,
    /// The IATI version the file says it is.
    pub version: String,
    /// `previewed`, then `applied` (`reading` while the preview is being made).
    pub state: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: Timestamp,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub applied_at: Option<Timestamp>,
    /// The organisations the file names: matched by IATI identifier, or to be created.
    pub organisations: Vec<OrgPreview>,
    pub totals: Totals,
    /// A spreadsheet import's reading: its options, columns, plan and row totals.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sheet: Option<sheet::SheetInfo>,
    /// A figures import's reading: its options, columns, indicator and periods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub figures: Option<figures::FiguresInfo>,
}

/// A stored import whole, as the API answers it ([`Document`] writes it a page at a time).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Preview {
    #[serde(flatten)]
    pub summary: Summary,
    /// Each activity of the file, in file order, and what it becomes.
    pub activities: Vec<ActivityPreview>,
    /// Every problem of the file, in file order (line, column).
    pub problems: Vec<ProblemView>,
}

/// A problem of the file, at its place.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProblemView {
    /// `error` or `warning`.
    pub severity: String,
    pub line: u32,
    pub column: u32,
    pub path: String,
    /// IATI's rule id (`1.1.3`, `0.3.1` …), or `schema`, `codelist`, `placeholder`, `import`.
    pub code: String,
    pub message: String,
}

impl From<Problem> for ProblemView {
    fn from(p: Problem) -> ProblemView {
        ProblemView {
            severity: match p.severity {
                Severity::Error => "error".into(),
                Severity::Warning => "warning".into(),
            },
            line: p.line,
            column: p.column,
            path: p.path,
            code: p.code,
            message: p.message,
        }
    }
}

/// One activity of the file.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActivityPreview {
    pub identifier: String,
    pub title: String,
    pub line: u32,
    /// `plan` or `item` (of the plan of `parent`).
    pub becomes: String,
    pub parent: Option<String>,
    /// The plan's code, and the item's code for an item.
    pub plan_code: String,
    pub item_code: Option<String>,
    /// `create` or `update`.
    pub action: String,
    /// Items it makes or brings up to date (the activity's own, and those of its results).
    pub items_created: usize,
    pub items_updated: usize,
    pub indicators: usize,
    pub targets: usize,
    pub actuals: usize,
    pub offers: usize,
    pub errors: usize,
    pub warnings: usize,
    /// Whether it can be applied (no problem that stops its import).
    pub importable: bool,
}

/// An organisation the file names.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrgPreview {
    pub reference: Option<String>,
    pub name: String,
    /// `match` (an organisation of the directory) or `create`.
    pub action: String,
    pub organisation: Option<OrganisationId>,
    /// The kind it is (or would be) of.
    pub kind: String,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Totals {
    pub activities: usize,
    pub importable: usize,
    pub errors: usize,
    pub warnings: usize,
    pub plans_created: usize,
    pub plans_updated: usize,
    pub items_created: usize,
    pub items_updated: usize,
    pub indicators: usize,
    pub targets: usize,
    pub actuals: usize,
    pub offers: usize,
    pub organisations_created: usize,
    pub areas_created: usize,
}

/// What applying did: the import as applied, and the activities applied. The API answers it
/// with the whole preview ([`Document::applied`]).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Applied {
    /// As the API answers it: the whole preview, activities and problems included.
    #[cfg_attr(feature = "openapi", schema(value_type = Preview))]
    pub preview: Summary,
    /// The identifiers of the activities applied.
    pub applied: Vec<String>,
}

/// How an import is read: the largest file, and the bounds of the reader.
#[derive(Clone, Copy, Debug)]
pub struct ImportLimits {
    pub max_bytes: usize,
    pub xml: Limits,
}

/// The largest file an import takes (100 MiB).
pub const MAX_IMPORT_BYTES: usize = 100 << 20;

impl Default for ImportLimits {
    fn default() -> ImportLimits {
        ImportLimits { max_bytes: MAX_IMPORT_BYTES, xml: Limits::default() }
    }
}

/// How many rows of a preview are written, or read, at once.
const BATCH: usize = 500;
/// How many activities, and problems, one page of [`activities`] and [`problems`] holds at most.
pub const PAGE: usize = 1000;

/// One activity of the file as the run plans with it between passes: what it is called, where
/// it is, whose child it is, and how many problems it has (the problems themselves are written
/// to the import as they are found, never kept). Each pass reads the whole activity again from
/// the file ([`Reread`]), so memory follows the file's size and its largest activity, not
/// everything read from it.
struct Seen {
    identifier: String,
    title: String,
    status: String,
    /// The activities it names as its parent (`related-activity` type 1), other than itself.
    parents: Vec<String>,
    line: u32,
    path: String,
    errors: usize,
    warnings: usize,
    /// Whether a problem stops its import (the import's own checks, a limit).
    blocked: bool,
}

/// One activity of the file, read whole for a pass.
struct Parsed {
    activity: Activity,
    line: u32,
    path: String,
}

/// The title an activity is listed under (English, else its first; at most 300 characters).
fn title_of(a: &Activity) -> String {
    a.title.get("en").unwrap_or("").chars().take(300).collect()
}

/// The file's activities read again in order, one at a time (the k-th element of the root is
/// the k-th `Seen`).
struct Reread<'a> {
    reader: Option<liaison_interop::iati::ActivityReader<'a>>,
    next: usize,
}

impl<'a> Reread<'a> {
    fn new(bytes: &'a [u8]) -> Reread<'a> {
        Reread { reader: liaison_interop::iati::ActivityReader::open(bytes, Limits::default()).ok().map(|(r, _)| r), next: 0 }
    }

    /// Activity `k` whole; `k` only grows.
    fn get(&mut self, k: usize, p: &Seen) -> Result<Parsed> {
        let reader = self.reader.as_mut().ok_or_else(|| AppError::Internal("the file could not be read again".into()))?;
        while self.next <= k {
            let node = reader.next().ok_or_else(|| AppError::Internal(format!("the file ends before activity {}", k + 1)))?;
            self.next += 1;
            if self.next == k + 1 {
                let node = node.map_err(|e| AppError::Internal(format!("activity {} could not be read again: {}", k + 1, e.message)))?;
                return Ok(Parsed { activity: liaison_interop::iati::read::activity(&node), line: p.line, path: p.path.clone() });
            }
        }
        Err(AppError::Internal(format!("activity {} was asked for after activity {}", k + 1, self.next)))
    }
}

/// Where the problems of a run go: each batch in a transaction of its own (a preview, whose run
/// is rolled back), or into the transaction that applies.
enum Sink<'a> {
    Own(&'a App, &'a Ctx),
    Tx(&'a Tx),
}

/// Writes an import's problems (and its activities' rows) in batches as they come.
struct Writer<'a> {
    id: Uuid,
    into: Sink<'a>,
    seq: i64,
    problems: Vec<store::ProblemRow>,
    activities: Vec<(i64, String)>,
    activity_seq: i64,
}

impl<'a> Writer<'a> {
    fn new(id: Uuid, into: Sink<'a>) -> Writer<'a> {
        Writer { id, into, seq: 0, problems: Vec::new(), activities: Vec::new(), activity_seq: 0 }
    }

    async fn problem(&mut self, p: Problem) -> Result<()> {
        let v = ProblemView::from(p);
        self.problems.push(store::ProblemRow {
            seq: self.seq,
            line: v.line,
            column: v.column,
            severity: v.severity,
            path: v.path,
            code: v.code,
            message: v.message,
        });
        self.seq += 1;
        if self.problems.len() >= BATCH { self.flush().await } else { Ok(()) }
    }

    /// A row of the preview's list (an activity, or a sheet's row).
    async fn activity<T: Serialize>(&mut self, a: &T) -> Result<()> {
        self.activities.push((self.activity_seq, json(a)?));
        self.activity_seq += 1;
        if self.activities.len() >= BATCH { self.flush().await } else { Ok(()) }
    }

    async fn flush(&mut self) -> Result<()> {
        let (problems, activities) = (std::mem::take(&mut self.problems), std::mem::take(&mut self.activities));
        match self.into {
            Sink::Tx(tx) => {
                store::add_problems(tx, self.id, &problems).await?;
                store::add_activities(tx, self.id, &activities).await?;
            }
            Sink::Own(app, ctx) => {
                let tx = app.begin().await?;
                store::add_problems(&tx, self.id, &problems).await?;
                store::add_activities(&tx, self.id, &activities).await?;
                tx.commit(&ctx.provenance(app.now())).await?;
            }
        }
        Ok(())
    }

    /// Forget what was written (a file refused part way: only the refusal stays).
    async fn clear(&mut self) -> Result<()> {
        self.problems.clear();
        self.activities.clear();
        match self.into {
            Sink::Tx(tx) => store::clear_rows(tx, self.id).await?,
            Sink::Own(app, ctx) => {
                let tx = app.begin().await?;
                store::clear_rows(&tx, self.id).await?;
                tx.commit(&ctx.provenance(app.now())).await?;
            }
        }
        Ok(())
    }
}

/// Whether this person may import (create plans from a file): asked before an upload is read.
pub fn may_import(ctx: &Ctx) -> Result<()> {
    ctx.actor.require(Action::PlanCreate, Target::Installation)
}

/// Check an IATI file, store it with its preview, and answer the preview's summary. `progress`
/// is told how many activities have been read so far. The file is stored first (state
/// `reading`), its problems are written as they are found, the run is tried in a transaction
/// that is rolled back, and the preview is finished; if any step fails, nothing of it stays.
pub async fn preview_iati(app: &App, ctx: &Ctx, file_name: &str, bytes: Vec<u8>, progress: &mut (dyn FnMut(usize) + Send)) -> Result<Summary> {
    may_import(ctx)?;
    let user = ctx.actor.user_id().ok_or(AppError::Unauthenticated)?;
    let limits = ImportLimits::default();
    if bytes.len() > limits.max_bytes {
        return Err(liaison_domain::ValidationErrors::coded("file", "too_large", &[("max", &(limits.max_bytes >> 20).to_string())]).into());
    }
    let bytes = std::sync::Arc::new(bytes);
    let mut summary = summary_of(app, "iati", file_name, "upload.xml", &bytes);
    let row = row_of(&summary, user)?;
    let tx = app.begin().await?;
    store::insert(&tx, &row, &bytes).await?;
    tx.commit(&ctx.provenance(app.now())).await?;
    let made = make_preview(app, ctx, &mut summary, bytes, progress).await;
    if let Err(e) = made {
        // Nothing half made stays: the stored file and what was written of its preview go.
        let forget = async {
            let tx = app.begin().await?;
            store::delete(&tx, summary.id).await?;
            tx.commit(&ctx.provenance(app.now())).await?;
            Ok::<(), AppError>(())
        };
        if let Err(f) = forget.await {
            tracing::warn!(import = %summary.id, error = %f, "an unfinished import could not be removed");
        }
        return Err(e);
    }
    Ok(summary)
}

async fn make_preview(app: &App, ctx: &Ctx, summary: &mut Summary, bytes: std::sync::Arc<Vec<u8>>, progress: &mut (dyn FnMut(usize) + Send)) -> Result<()> {
    let mut w = Writer::new(summary.id, Sink::Own(app, ctx));
    let (version, seen, file_problems) = parse(app, &mut w, bytes.clone(), ImportLimits::default(), progress).await?;
    let tx = app.begin().await?;
    let outcome = run(app, &tx, ctx, &bytes, &seen, None).await?;
    tx.rollback().await?;
    summary.version = version;
    let tx = app.begin().await?;
    // The problems to come follow those written (their positions go on).
    let mut w = Writer { into: Sink::Tx(&tx), ..w };
    finish(&mut w, summary, &seen, file_problems, &outcome).await?;
    summary.state = "previewed".into();
    if !store::set_previewed(&tx, summary.id, &json(summary)?).await? {
        return Err(AppError::Internal(format!("import {} was changed while its preview was made", summary.id)));
    }
    tx.commit(&ctx.provenance(app.now())).await?;
    Ok(())
}

fn json<T: Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(|e| AppError::Internal(e.to_string()))
}

/// A stored import's summary, for its uploader only (anyone else: not found). Once applied,
/// what was applied.
pub async fn get(app: &App, ctx: &Ctx, id: Uuid) -> Result<Summary> {
    let row = own(app, ctx, id).await?;
    serde_json::from_str(row.result.as_deref().unwrap_or(&row.preview)).map_err(|e| AppError::Internal(e.to_string()))
}

async fn own(app: &App, ctx: &Ctx, id: Uuid) -> Result<store::ImportRow> {
    let user = ctx.actor.user_id().ok_or(AppError::NotFound)?;
    store::get(&app.read(ctx), user, id).await?.ok_or(AppError::NotFound)
}

/// A page of a stored import's activities, in file order: at most `limit` (up to [`PAGE`])
/// after the `after`-th (each answered with its position, to ask for the next page).
pub async fn activities(app: &App, ctx: &Ctx, id: Uuid, after: Option<u64>, limit: usize) -> Result<Vec<(u64, ActivityPreview)>> {
    let row = own(app, ctx, id).await?;
    let after = after.map(|n| i64::try_from(n).unwrap_or(i64::MAX));
    let rows = store::activities(&app.read(ctx), row.created_by, id, after, limit.min(PAGE) as u64).await?;
    rows.into_iter()
        .map(|(seq, body)| Ok((u64::try_from(seq).unwrap_or(0), serde_json::from_str(&body).map_err(|e| AppError::Internal(e.to_string()))?)))
        .collect()
}

/// A page of a stored import's list (activities, or a sheet's rows) as the JSON each was
/// stored as.
async fn rows_raw(app: &App, ctx: &Ctx, id: Uuid, after: Option<u64>, limit: usize) -> Result<Vec<(u64, String)>> {
    let row = own(app, ctx, id).await?;
    let after = after.map(|n| i64::try_from(n).unwrap_or(i64::MAX));
    let rows = store::activities(&app.read(ctx), row.created_by, id, after, limit.min(PAGE) as u64).await?;
    Ok(rows.into_iter().map(|(seq, body)| (u64::try_from(seq).unwrap_or(0), body)).collect())
}

/// Where a problem is in the order problems are read (its line, column and position): a page
/// of [`problems`] starts after one. Written `line.column.position`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ProblemKey(pub store::ProblemKey);

impl std::fmt::Display for ProblemKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}.{}", self.0.0, self.0.1, self.0.2)
    }
}

impl std::str::FromStr for ProblemKey {
    type Err = liaison_domain::ValidationErrors;
    fn from_str(s: &str) -> std::result::Result<ProblemKey, Self::Err> {
        let bad = || liaison_domain::ValidationErrors::coded("after", "invalid", &[]);
        let mut parts = s.split('.');
        let (Some(l), Some(c), Some(n), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else { return Err(bad()) };
        Ok(ProblemKey((l.parse().map_err(|_| bad())?, c.parse().map_err(|_| bad())?, n.parse().map_err(|_| bad())?)))
    }
}

/// A page of a stored import's problems, in file order (line, column): at most `limit` (up to
/// [`PAGE`]) after `after`, each with its key.
pub async fn problems(app: &App, ctx: &Ctx, id: Uuid, after: Option<ProblemKey>, limit: usize) -> Result<Vec<(ProblemKey, ProblemView)>> {
    let row = own(app, ctx, id).await?;
    let rows = store::problems(&app.read(ctx), row.created_by, id, after.map(|k| k.0), limit.min(PAGE) as u64).await?;
    Ok(rows
        .into_iter()
        .map(|p| {
            (
                ProblemKey((p.line, p.column, p.seq)),
                ProblemView { severity: p.severity, line: p.line, column: p.column, path: p.path, code: p.code, message: p.message },
            )
        })
        .collect())
}

/// A stored import as one JSON document (the shape of [`Preview`], or of [`Applied`] with the
/// whole preview), written a piece at a time: the summary, then its activities and its problems
/// a page at a time, so that answering a preview of any size holds one page.
pub struct Document {
    app: App,
    ctx: Ctx,
    id: Uuid,
    /// The summary, then `"activities":[` (or what comes before it), still to be written.
    head: Option<Vec<u8>>,
    stage: Stage,
    tail: &'static [u8],
}

enum Stage {
    Activities(Option<u64>, bool),
    Problems(Option<ProblemKey>, bool),
    End,
    Done,
}

impl Document {
    /// The document of a stored import (not found for anyone but its uploader).
    pub async fn of(app: &App, ctx: &Ctx, id: Uuid) -> Result<Document> {
        let summary = get(app, ctx, id).await?;
        Document::with(app, ctx, &summary, b"", b"}")
    }

    /// The document of what applying did: `{"applied": […], "preview": {…}}`.
    pub fn applied(app: &App, ctx: &Ctx, applied: &Applied) -> Result<Document> {
        let mut head = b"{\"applied\":".to_vec();
        head.extend_from_slice(json(&applied.applied)?.as_bytes());
        head.extend_from_slice(b",\"preview\":");
        Document::with(app, ctx, &applied.preview, &head, b"}}")
    }

    fn with(app: &App, ctx: &Ctx, summary: &Summary, before: &[u8], tail: &'static [u8]) -> Result<Document> {
        let mut head = before.to_vec();
        let s = json(summary)?;
        // The summary's object, left open for the lists.
        head.extend_from_slice(s.trim_end().strip_suffix('}').unwrap_or(&s).as_bytes());
        // A sheet's list is of its rows; an IATI file's of its activities.
        head.extend_from_slice(if summary.kind == "iati" { b",\"activities\":[" } else { b",\"rows\":[" });
        Ok(Document { app: app.clone(), ctx: ctx.clone(), id: summary.id, head: Some(head), stage: Stage::Activities(None, true), tail })
    }

    /// The next piece, or `None` at the end.
    pub async fn next(&mut self) -> Result<Option<Vec<u8>>> {
        let mut out = self.head.take().unwrap_or_default();
        match std::mem::replace(&mut self.stage, Stage::Done) {
            Stage::Activities(after, first) => {
                let page = rows_raw(&self.app, &self.ctx, self.id, after, PAGE).await?;
                for (k, (_, body)) in page.iter().enumerate() {
                    if !(first && k == 0) {
                        out.push(b',');
                    }
                    out.extend_from_slice(body.as_bytes());
                }
                self.stage = match next_after(&page) {
                    Some(n) => Stage::Activities(Some(n), false),
                    None => {
                        out.extend_from_slice(b"],\"problems\":[");
                        Stage::Problems(None, true)
                    }
                };
            }
            Stage::Problems(after, first) => {
                let page = problems(&self.app, &self.ctx, self.id, after, PAGE).await?;
                elements(&mut out, &page, first)?;
                self.stage = match next_after(&page) {
                    Some(k) => Stage::Problems(Some(k), false),
                    None => Stage::End,
                };
            }
            Stage::End => {
                out.extend_from_slice(b"]");
                out.extend_from_slice(self.tail);
            }
            Stage::Done => return Ok(None),
        }
        Ok(Some(out))
    }
}

/// Where the page after this one of [`activities`] or [`problems`] starts: after its last
/// row, if it is full (a shorter page is the last).
pub fn next_after<K: Copy, T>(page: &[(K, T)]) -> Option<K> {
    if page.len() == PAGE { page.last().map(|(key, _)| *key) } else { None }
}

/// Write a page's elements into a JSON array being written (a comma before each but the
/// array's first).
fn elements<K, T: Serialize>(out: &mut Vec<u8>, page: &[(K, T)], first_page: bool) -> Result<()> {
    for (k, (_, v)) in page.iter().enumerate() {
        if !(first_page && k == 0) {
            out.push(b',');
        }
        out.extend_from_slice(json(v)?.as_bytes());
    }
    Ok(())
}

/// Apply a previewed import: the importable activities (or those of `only`, which must all be
/// importable), in one transaction, which also writes the preview again as applied. An import
/// is applied once.
pub async fn apply(app: &App, ctx: &Ctx, id: Uuid, only: Option<Vec<String>>) -> Result<Applied> {
    let row = own(app, ctx, id).await?;
    if row.kind == "sheet" {
        if only.is_some() {
            return Err(liaison_domain::ValidationErrors::coded("activities", "not_for_sheets", &[]).into());
        }
        return sheet::apply(app, ctx, id).await;
    }
    if row.kind == "figures" {
        if only.is_some() {
            return Err(liaison_domain::ValidationErrors::coded("activities", "not_for_figures", &[]).into());
        }
        return figures::apply(app, ctx, id).await;
    }
    may_import(ctx)?;
    if row.state != "previewed" {
        return Err(AppError::Conflict(liaison_domain::Refusal::new("import-applied")));
    }
    let bytes = store::content(&app.read(ctx), row.created_by, id).await?.ok_or_else(|| AppError::Internal(format!("import {id} has lost its file")))?;
    let bytes = std::sync::Arc::new(bytes);
    let tx = app.begin().await?;
    store::clear_rows(&tx, id).await?;
    let mut w = Writer::new(id, Sink::Tx(&tx));
    let (version, seen, file_problems) = parse(app, &mut w, bytes.clone(), ImportLimits::default(), &mut |_| {}).await?;
    let chosen: Option<BTreeSet<String>> = only.map(|v| v.into_iter().collect());
    if let Some(c) = &chosen {
        let known: HashSet<&str> = seen.iter().map(|p| p.identifier.as_str()).collect();
        let mut p = liaison_domain::Problems::new();
        for (i, a) in c.iter().enumerate() {
            if !known.contains(a.as_str()) {
                p.coded(format!("activities.{i}"), "unknown", &[]);
            }
        }
        if let Err(e) = p.finish() {
            tx.rollback().await?;
            return Err(e.into());
        }
    }
    let outcome = run(app, &tx, ctx, &bytes, &seen, chosen.as_ref()).await?;
    if outcome.applied.is_empty() {
        // Nothing to apply (a file refused at the door, or every activity refused): the
        // import stays a preview; nothing is written.
        tx.rollback().await?;
        return Err(liaison_domain::ValidationErrors::coded("activities", "none_importable", &[]).into());
    }
    if let Some(c) = &chosen
        && let Some(bad) = c.iter().find(|a| outcome.refused.contains_key(*a) || outcome.blocked.contains(*a))
    {
        tx.rollback().await?;
        return Err(liaison_domain::ValidationErrors::coded("activities", "not_importable", &[("identifier", bad)]).into());
    }
    let mut summary = Summary {
        id,
        kind: row.kind.clone(),
        file_name: row.file_name.clone(),
        sha256: row.sha256.clone(),
        size: row.size,
        version,
        state: "applied".into(),
        created_at: row.created_at,
        applied_at: Some(app.now()),
        organisations: Vec::new(),
        totals: Totals::default(),
        sheet: None,
        figures: None,
    };
    finish(&mut w, &mut summary, &seen, file_problems, &outcome).await?;
    let done: Vec<String> = outcome.applied.clone();
    let after = serde_json::json!({"kind": "iati", "file": row.file_name, "sha256": row.sha256, "activities": done.len(), "totals": summary.totals});
    applied(app, ctx, tx, &summary, None, after).await?;
    Ok(Applied { preview: summary, applied: done })
}

/// A new import's summary of a file of `kind` (state `reading`).
fn summary_of(app: &App, kind: &str, file_name: &str, otherwise: &str, bytes: &[u8]) -> Summary {
    Summary {
        id: app.new_id(),
        kind: kind.into(),
        file_name: clean_name(file_name, otherwise),
        sha256: hex::encode(Sha256::digest(bytes)),
        size: bytes.len() as u64,
        version: String::new(),
        state: "reading".into(),
        created_at: app.now(),
        applied_at: None,
        organisations: Vec::new(),
        totals: Totals::default(),
        sheet: None,
        figures: None,
    }
}

/// The stored row of a new import (state `reading`) with its summary as the preview so far.
fn row_of(summary: &Summary, user: liaison_domain::UserId) -> Result<store::ImportRow> {
    Ok(store::ImportRow {
        id: summary.id,
        kind: summary.kind.clone(),
        file_name: summary.file_name.clone(),
        sha256: summary.sha256.clone(),
        size: summary.size,
        created_by: user,
        created_at: summary.created_at,
        state: "reading".into(),
        preview: json(summary)?,
        applied_at: None,
        result: None,
    })
}

/// The end of every apply: the import marked applied with what applying did (a conflict when
/// someone applied it meanwhile: nothing is kept), its audit row, and the commit.
async fn applied(app: &App, ctx: &Ctx, tx: Tx, summary: &Summary, plan: Option<liaison_domain::PlanId>, after: serde_json::Value) -> Result<()> {
    if !store::mark_applied(&tx, summary.id, app.now(), &json(summary)?).await? {
        tx.rollback().await?;
        return Err(AppError::Conflict(liaison_domain::Refusal::new("import-applied")));
    }
    tx.record(ChangeDraft { entity: "import", entity_id: summary.id, plan, version: 1, action: "import", before: None, after: Some(after), marking: None });
    tx.commit(&ctx.provenance(app.now())).await?;
    Ok(())
}

/// Write a run's rows and problems into an import, within `tx`.
async fn write_rows<R: Serialize>(tx: &Tx, id: Uuid, rows: &[R], problems: &[Problem]) -> Result<()> {
    let mut w = Writer::new(id, Sink::Tx(tx));
    for p in problems {
        w.problem(p.clone()).await?;
    }
    for r in rows {
        w.activity(r).await?;
    }
    w.flush().await
}

/// Store a tabular import whose preview run is done, in one transaction: the file, its rows and
/// problems, and `summary` (completed by the caller) as previewed.
async fn store_previewed<R: Serialize>(app: &App, ctx: &Ctx, summary: &mut Summary, bytes: &[u8], rows: &[R], problems: &[Problem]) -> Result<()> {
    let user = ctx.actor.user_id().ok_or(AppError::Unauthenticated)?;
    let row = row_of(summary, user)?;
    let tx = app.begin().await?;
    store::insert(&tx, &row, bytes).await?;
    write_rows(&tx, summary.id, rows, problems).await?;
    summary.state = "previewed".into();
    if !store::set_previewed(&tx, summary.id, &json(summary)?).await? {
        return Err(AppError::Internal(format!("import {} was changed while its preview was made", summary.id)));
    }
    tx.commit(&ctx.provenance(app.now())).await?;
    Ok(())
}

/// A stored import of `kind` to preview again (`wrong`: the code when it is of another kind):
/// its row and its file.
async fn to_preview_again(app: &App, ctx: &Ctx, id: Uuid, kind: &str, wrong: &str) -> Result<(store::ImportRow, Vec<u8>)> {
    let row = own(app, ctx, id).await?;
    if row.kind != kind {
        return Err(liaison_domain::ValidationErrors::coded("", wrong, &[]).into());
    }
    if row.state != "previewed" {
        return Err(AppError::Conflict(liaison_domain::Refusal::new("import-applied")));
    }
    let bytes = store::content(&app.read(ctx), row.created_by, id).await?.ok_or_else(|| AppError::Internal(format!("import {id} has lost its file")))?;
    Ok((row, bytes))
}

/// Forget a stored import (one previewed again is replaced by the new one).
async fn forget(app: &App, ctx: &Ctx, id: Uuid) -> Result<()> {
    let tx = app.begin().await?;
    store::delete(&tx, id).await?;
    tx.commit(&ctx.provenance(app.now())).await?;
    Ok(())
}

fn clean_name(n: &str, otherwise: &str) -> String {
    let base = n.rsplit(['/', '\\']).next().unwrap_or(n);
    let s: String = base.chars().filter(|c| !c.is_control()).take(200).collect();
    if s.trim().is_empty() { otherwise.into() } else { s.trim().to_string() }
}

/// What the reading thread sends: each activity with its problems, then the end.
enum Read {
    Activity(Seen, Vec<Problem>),
    End(std::result::Result<(String, Vec<Problem>), Problem>),
}

/// Read and check the file (on a thread of its own: it is long work) and write every problem
/// through `w` as it comes: the file's version, its activities as the run needs them, and the
/// problems of the file as a whole (a refusal at the door is the only one then, and the
/// problems written before it are forgotten).
async fn parse(
    app: &App,
    w: &mut Writer<'_>,
    bytes: std::sync::Arc<Vec<u8>>,
    limits: ImportLimits,
    progress: &mut (dyn FnMut(usize) + Send),
) -> Result<(String, Vec<Seen>, Vec<Problem>)> {
    let today = app.now().date_naive();
    let (send, mut receive) = tokio::sync::mpsc::channel::<Read>(64);
    let reading = tokio::task::spawn_blocking(move || {
        let each = |node: &liaison_interop::iati::Node, path: &str, mut problems: Vec<Problem>| {
            let activity = liaison_interop::iati::read::activity(node);
            let id = activity.identifier.trim().to_string();
            problems.extend(own_problems(&activity, node.line, path));
            let errors = problems.iter().filter(|x| x.severity == Severity::Error).count();
            let seen = Seen {
                title: title_of(&activity),
                status: activity.status.clone(),
                parents: activity.related.iter().filter(|r| r.kind == "1" && r.identifier.trim() != id).map(|r| r.identifier.trim().to_string()).collect(),
                identifier: id,
                line: node.line,
                path: path.to_string(),
                errors,
                warnings: problems.len() - errors,
                blocked: problems.iter().any(blocking),
            };
            // The receiver gone (the request failed): the rest is read for nothing, and dropped.
            let _ = send.blocking_send(Read::Activity(seen, problems));
        };
        let end = liaison_interop::iati::check::file(&bytes, today, limits.xml, each).map(|report| (report.root.version.clone(), report.problems));
        let _ = send.blocking_send(Read::End(end));
    });
    let mut seen = Vec::new();
    let mut end = None;
    while let Some(msg) = receive.recv().await {
        match msg {
            Read::Activity(s, problems) => {
                for p in problems {
                    w.problem(p).await?;
                }
                seen.push(s);
                progress(seen.len());
            }
            Read::End(e) => end = Some(e),
        }
    }
    reading.await.map_err(|e| AppError::Internal(format!("reading the file failed: {e}")))?;
    match end {
        Some(Ok((version, file_problems))) => {
            w.flush().await?;
            Ok((version, seen, file_problems))
        }
        Some(Err(refusal)) => {
            w.clear().await?;
            Ok((String::new(), Vec::new(), vec![refusal]))
        }
        None => Err(AppError::Internal("reading the file stopped before its end".into())),
    }
}

/// What a run did.
#[derive(Default)]
struct Outcome {
    /// Per activity identifier: what it became.
    done: HashMap<String, ActivityPreview>,
    /// Activities the use cases refused, with why.
    refused: HashMap<String, Problem>,
    /// Activities not run because of a problem that stops them.
    blocked: HashSet<String>,
    orgs: Vec<OrgPreview>,
    areas_created: usize,
    applied: Vec<String>,
    /// The plan the last activity made or updated, and whether this import created it.
    last_plan: Option<(Plan, bool)>,
    /// What applying left out of an activity it applied, per activity.
    notes: HashMap<String, Vec<Problem>>,
}

/// Problems that keep an activity from being imported: the import's own (no identifier, no
/// title, no start, an identifier twice) — the validator's other findings are said, not
/// blocking.
fn blocking(p: &Problem) -> bool {
    p.severity == Severity::Error && (p.code == "import" || p.code == "1.1.2" || p.code == "limit")
}

/// Apply the activities in `tx` (all importable ones, or `chosen`), each behind a savepoint:
/// an activity the use cases refuse is undone alone, with their reason, and the others go on.
async fn run(app: &App, tx: &Tx, ctx: &Ctx, bytes: &[u8], parsed: &[Seen], chosen: Option<&BTreeSet<String>>) -> Result<Outcome> {
    attempt(app, tx, ctx, bytes, parsed, chosen).await
}

/// The import's own checks of one activity.
fn own_problems(a: &Activity, line: u32, path: &str) -> Vec<Problem> {
    let at = |code: &str, message: String| Problem { severity: Severity::Error, line, column: 1, path: path.to_string(), code: code.into(), message };
    let mut out = Vec::new();
    let id = a.identifier.trim();
    if id.is_empty() || id.eq_ignore_ascii_case("xx") {
        out.push(at("import", "the activity has no identifier; it cannot be matched or imported".into()));
    }
    if a.title.is_empty() {
        out.push(at("import", "the activity has no title".into()));
    }
    if start_of(a).is_none() {
        out.push(at("import", "the activity has no planned or actual start date".into()));
    }
    out
}

fn start_of(a: &Activity) -> Option<chrono::NaiveDate> {
    let of = |k: &str| a.dates.iter().find(|d| d.kind == k).map(|d| d.date);
    of("1").or_else(|| of("2"))
}

fn end_of(a: &Activity) -> Option<chrono::NaiveDate> {
    let of = |k: &str| a.dates.iter().find(|d| d.kind == k).map(|d| d.date);
    of("3").or_else(|| of("4"))
}

/// A text from narratives: languages IATI names by ISO 639-1 become the keys (`sr` stays
/// Serbian in Cyrillic); narratives without a language are taken as English.
fn text(n: &Narratives) -> Text {
    let mut t = Text::default();
    for (lang, v) in &n.0 {
        let l = lang.clone().unwrap_or_else(|| "en".into());
        let l = if liaison_domain::text::is_language_key(&l) { l } else { "en".into() };
        if !t.0.contains_key(&l) {
            t = t.with(&l, v);
        }
    }
    t
}

/// A code as Liaison's plans and items take it: letters, digits and `._-/`, at most 40
/// characters (a longer one keeps its start and a short hash of the whole, so it stays unique).
fn code_of(s: &str) -> String {
    let c: String = s.trim().chars().map(|c| if c.is_alphanumeric() || "._-/".contains(c) { c } else { '-' }).collect();
    let c = c.trim_matches('-').to_string();
    if c.chars().count() <= 40 {
        return if c.is_empty() { "IATI".into() } else { c };
    }
    let hash = &hex::encode(Sha256::digest(s.as_bytes()))[..8];
    let head: String = c.chars().take(31).collect();
    format!("{head}-{hash}")
}

/// The activity's identifier without the reporting organisation's prefix.
fn local_code(a: &Activity, within: Option<&str>) -> String {
    let id = a.identifier.trim();
    if let Some(parent) = within
        && let Some(rest) = id.strip_prefix(parent).and_then(|r| r.strip_prefix('-'))
        && !rest.is_empty()
    {
        return code_of(rest);
    }
    if let Some(r) = &a.reporting_org.reference
        && let Some(rest) = id.strip_prefix(r.as_str()).and_then(|r| r.strip_prefix('-'))
        && !rest.is_empty()
    {
        return code_of(rest);
    }
    code_of(id)
}

/// The kind an organisation would be created as, from its OrganisationType and its side.
fn kind_of(org: &Org, partner_side: bool) -> OrgKind {
    match (org.kind.as_deref(), partner_side) {
        (Some("10" | "11" | "15"), true) => OrgKind::PartnerGovernment,
        (_, true) => OrgKind::PartnerUnit,
        (Some("10" | "11" | "15"), false) => OrgKind::Ally,
        (Some("40"), false) => OrgKind::Agency,
        (Some("21" | "22" | "23" | "24"), false) => OrgKind::CivilSociety,
        _ => OrgKind::Other,
    }
}

/// A kind that may own a plan (the alliance's side): a reporting organisation of another kind
/// is taken as an agency.
fn alliance_side(k: OrgKind) -> OrgKind {
    if matches!(k, OrgKind::AllianceBody | OrgKind::LiaisonOffice | OrgKind::Ally | OrgKind::Agency) { k } else { OrgKind::Agency }
}

/// Finds or creates the organisations of the file (within the run's transaction).
#[derive(Clone)]
struct Orgs {
    by_ref: HashMap<String, Organisation>,
    by_name: HashMap<String, Organisation>,
    seen: Vec<OrgPreview>,
    created: HashSet<OrganisationId>,
}

impl Orgs {
    async fn load(tx: &Tx, ctx: &Ctx) -> Result<Orgs> {
        let all = liaison_store::organisations::all(&tx.read(ctx.actor.filter())).await?;
        let by_ref = all.iter().filter_map(|o| Some((o.iati_ref.clone()?, o.clone()))).collect();
        let by_name = all.iter().flat_map(|o| o.name.0.values().map(move |n| (n.to_lowercase(), o.clone()))).collect();
        Ok(Orgs { by_ref, by_name, seen: Vec::new(), created: HashSet::new() })
    }

    /// The organisation `org` names: by IATI identifier, else by name, else a new one of `kind`
    /// (partner-side organisations in `country`).
    async fn find(&mut self, app: &App, tx: &Tx, ctx: &Ctx, org: &Org, kind: OrgKind, country: Option<&str>) -> Result<Organisation> {
        let reference = org.reference.clone().filter(|r| liaison_domain::organisation::is_iati_org_id(r));
        let name = org
            .name
            .get("en")
            .map(str::to_string)
            .filter(|n| !n.trim().is_empty())
            .or_else(|| reference.clone())
            .unwrap_or_else(|| "Unnamed organisation".into());
        let hit = reference.as_ref().and_then(|r| self.by_ref.get(r)).or_else(|| self.by_name.get(&name.to_lowercase())).cloned();
        let o = match hit {
            Some(o) => o,
            None => {
                let short: String = reference.clone().unwrap_or_else(|| name.clone()).chars().take(32).collect();
                let input = NewOrganisation {
                    name: { if org.name.is_empty() { Text::new("en", &name) } else { text(&org.name) } },
                    short_name: short.trim().to_string(),
                    kind,
                    country: if kind.partner_side() { country.map(String::from) } else { None },
                    parent: None,
                    iati_ref: reference.clone(),
                };
                // An import adds what it needs to the directory (the preview lists it), under
                // the authority of the import itself; the rows carry the importer's provenance.
                let o = crate::organisations::create_in(app, tx, &directory_ctx(ctx), input).await?;
                self.created.insert(o.id);
                if let Some(r) = &o.iati_ref {
                    self.by_ref.insert(r.clone(), o.clone());
                }
                self.by_name.insert(name.to_lowercase(), o.clone());
                o
            }
        };
        if !self.seen.iter().any(|s| s.organisation == Some(o.id)) {
            self.seen.push(OrgPreview {
                reference: o.iati_ref.clone(),
                name: o.name.get("en").unwrap_or(&o.short_name).to_string(),
                action: if self.created.contains(&o.id) { "create".into() } else { "match".into() },
                organisation: Some(o.id),
                kind: o.kind.code().into(),
            });
        }
        Ok(o)
    }
}

/// The context in which an import adds organisations and areas to the directory.
fn directory_ctx(ctx: &Ctx) -> Ctx {
    Ctx { actor: Actor::System, request_id: ctx.request_id.clone(), source: ctx.source.clone() }
}

/// The actor with the coordinator's role on a plan the import just created (the use cases
/// then let it fill the plan, as they would after the plan's creation). A plan that existed is
/// updated with the importer's own roles: an import never lends a role on someone's plan.
fn with_role(ctx: &Ctx, plan: liaison_domain::PlanId, created: bool) -> Ctx {
    match &ctx.actor {
        Actor::User { .. } if !created => ctx.clone(),
        Actor::User { user, subject, .. } => {
            let mut s = (**subject).clone();
            s.memberships.insert(plan, Role::Coordinator);
            Ctx { actor: Actor::signed_in((**user).clone(), s), request_id: ctx.request_id.clone(), source: ctx.source.clone() }
        }
        Actor::System => ctx.clone(),
    }
}

/// A plan the run made or updated, as it is now, and the context it is filled in (the
/// importer, with the coordinator's role on a plan the import created).
async fn plan_for(tx: &Tx, ctx: &Ctx, id: liaison_domain::PlanId, created: bool) -> Result<(Plan, Ctx)> {
    let pctx = with_role(ctx, id, created);
    let plan = liaison_store::plans::get(&tx.read(pctx.actor.filter()), id).await?.ok_or(AppError::NotFound)?;
    Ok((plan, pctx))
}

/// One pass over the file.
async fn attempt(app: &App, tx: &Tx, ctx: &Ctx, bytes: &[u8], parsed: &[Seen], chosen: Option<&BTreeSet<String>>) -> Result<Outcome> {
    let mut out = Outcome::default();
    let mut orgs = Orgs::load(tx, ctx).await?;
    let ids: HashSet<&str> = parsed.iter().map(|p| p.identifier.as_str()).collect();
    // Which activities are items of another in the file: children name their parent.
    let parent_of = |a: &Seen| -> Option<String> { a.parents.iter().find(|r| ids.contains(r.as_str())).cloned() };
    let parents: HashMap<usize, Option<String>> = parsed.iter().enumerate().map(|(i, p)| (i, parent_of(p))).collect();
    let with_children: HashSet<String> = parents.values().flatten().cloned().collect();
    let mut areas_known: Areas = liaison_store::areas::all(&tx.read(ctx.actor.filter())).await?.into_iter().map(|a| (a.code, a.dac_sector)).collect();
    // The plans made or updated: (identifier, activity, plan, created), and where each is by
    // identifier. Only the plan's id is kept (a file can make thousands): each pass reads the
    // plan again, as it is then, in the context it is filled in ([`plan_for`]).
    let mut plans: Vec<(String, usize, liaison_domain::PlanId, bool)> = Vec::new();
    let mut plan_at: HashMap<String, usize> = HashMap::new();
    let mut seen_ids: HashSet<String> = HashSet::new();
    // Plans first (in file order), then their items: one pass over the file for each.
    let order: Vec<usize> = (0..parsed.len()).filter(|i| parents[i].is_none()).chain((0..parsed.len()).filter(|i| parents[i].is_some())).collect();
    let mut pass = Reread::new(bytes);
    let mut on_children = false;
    for i in order {
        if parents[&i].is_some() && !on_children {
            on_children = true;
            pass = Reread::new(bytes);
        }
        let seen = &parsed[i];
        let id = seen.identifier.clone();
        let duplicate = !seen_ids.insert(id.clone());
        let wanted = chosen.is_none_or(|c| c.contains(&id));
        if !wanted {
            continue;
        }
        if duplicate || seen.blocked {
            out.blocked.insert(id);
            continue;
        }
        let whole = pass.get(i, seen)?;
        let p = &whole;
        // Undo this activity alone if the use cases refuse it (what it added to the caches too).
        let sp = tx.savepoint().await?;
        let (orgs_before, areas_before, areas_created) = (orgs.clone(), areas_known.clone(), out.areas_created);
        let result = match &parents[&i] {
            None => import_plan(app, tx, ctx, p, with_children.contains(&id), &mut orgs, &mut areas_known, &mut out).await,
            Some(pid) => match plan_at.get(pid).map(|k| &plans[*k]) {
                Some((_, _, plan, created)) => {
                    let (plan, pctx) = plan_for(tx, ctx, *plan, *created).await?;
                    import_child(app, tx, &pctx, p, &plan, pid, &mut orgs, &mut areas_known, &mut out).await
                }
                None => {
                    // Its plan was not imported (refused, or not chosen): neither is it.
                    tx.release(sp).await?;
                    let why = format!("not importable: its parent activity {pid} is not imported (it is refused, or was not chosen)");
                    out.refused
                        .insert(id, Problem { severity: Severity::Error, line: p.line, column: 1, path: p.path.clone(), code: "import".into(), message: why });
                    continue;
                }
            },
        };
        match result {
            Ok(preview) => {
                tx.release(sp).await?;
                if parents[&i].is_none()
                    && let Some((plan, created)) = out.last_plan.take()
                {
                    plan_at.insert(id.clone(), plans.len());
                    plans.push((id.clone(), i, plan.id, created));
                }
                out.applied.push(id.clone());
                out.done.insert(id, preview);
            }
            Err(AppError::Internal(e)) => return Err(AppError::Internal(e)),
            Err(e) => {
                tx.rollback_to(&sp).await?;
                tx.release(sp).await?;
                orgs = orgs_before;
                areas_known = areas_before;
                out.areas_created = areas_created;
                out.last_plan = None;
                out.refused.insert(id, refusal(p, e));
            }
        }
        // What the activity recorded goes onto the audit trail now (inside the transaction), so
        // that a file of thousands of activities never holds all its changes in memory.
        tx.flush(&ctx.provenance(app.now())).await?;
    }
    // Plans take their state last (items and indicators are made while the plan is open), and
    // their figures once they take reports.
    for (k, (id, i, plan, created)) in plans.iter().enumerate() {
        let state = state_of(&parsed[*i].status);
        // Read once, as it is now in the transaction: the state change starts from it.
        let (plan, _) = plan_for(tx, ctx, *plan, *created).await?;
        if *created {
            set_state(app, tx, &plan, state).await?;
            // Thousands of plans: their changes go onto the trail a batch at a time.
            if k % BATCH == BATCH - 1 {
                tx.flush(&ctx.provenance(app.now())).await?;
            }
        } else if plan.state != state {
            // A plan that exists moves through its own lifecycle (approvals, decisions): an
            // import does not move it.
            let p = &parsed[*i];
            let w = Problem {
                severity: Severity::Warning,
                line: p.line,
                column: 1,
                path: p.path.clone(),
                code: "import".into(),
                message: format!("the plan stays {} (the file says {state}): an import does not move a plan that exists through its lifecycle", plan.state),
            };
            out.notes.entry(id.clone()).or_default().push(w);
        }
    }
    tx.flush(&ctx.provenance(app.now())).await?;
    // The figures: one more pass, each activity of a plan made or updated with its plan.
    let mut plan_of: HashMap<usize, usize> = HashMap::new();
    for (k, (_, i, ..)) in plans.iter().enumerate() {
        plan_of.insert(*i, k);
    }
    for (i, parent) in &parents {
        if let Some(k) = parent.as_ref().and_then(|pid| plan_at.get(pid)) {
            plan_of.insert(*i, *k);
        }
    }
    let mut figures: Vec<usize> = plan_of.keys().copied().filter(|i| out.done.contains_key(&parsed[*i].identifier)).collect();
    figures.sort_unstable();
    let mut pass = Reread::new(bytes);
    for i in figures {
        let whole = pass.get(i, &parsed[i])?;
        if whole.activity.results.is_empty() {
            continue;
        }
        let (_, _, plan, created) = &plans[plan_of[&i]];
        let (plan, pctx) = plan_for(tx, ctx, *plan, *created).await?;
        record_actuals(app, tx, &pctx, &plan, &[&whole], &mut out).await?;
        tx.flush(&ctx.provenance(app.now())).await?;
    }
    out.orgs = orgs.seen;
    Ok(out)
}

fn refusal(p: &Parsed, e: AppError) -> Problem {
    Problem {
        severity: Severity::Error,
        line: p.line,
        column: 1,
        path: p.path.clone(),
        code: "import".into(),
        message: format!("not importable: {}", words(&e)),
    }
}

/// A field problem in English words, with its field (for a problem's message).
fn field_words(f: &liaison_domain::validation::FieldError) -> String {
    let tr = liaison_i18n::Tr { lang: liaison_domain::text::UiLang::En };
    if f.field.is_empty() { tr.field_error(f) } else { format!("{}: {}", f.field, tr.field_error(f)) }
}

/// A refusal of the use cases in English words, for a problem's message (every import's).
fn words(e: &AppError) -> String {
    match e {
        AppError::Invalid(v) => v.0.iter().map(field_words).collect::<Vec<_>>().join("; "),
        AppError::Forbidden(r) | AppError::Conflict(r) => liaison_i18n::Tr { lang: liaison_domain::text::UiLang::En }.refusal(r),
        AppError::NotFound => "a record it names is not there, or you may not see it".into(),
        other => other.to_string(),
    }
}

/// PlanState of an ActivityStatus (the export's, read back).
fn state_of(status: &str) -> PlanState {
    match status {
        "2" | "6" => PlanState::Implementation,
        "3" => PlanState::Assessment,
        "4" | "5" => PlanState::Closed,
        _ => PlanState::Drafting,
    }
}

/// ItemStatus of an ActivityStatus.
fn item_status_of(status: &str) -> ItemStatus {
    match status {
        "2" => ItemStatus::InProgress,
        "3" | "4" => ItemStatus::Completed,
        "5" => ItemStatus::Cancelled,
        "6" => ItemStatus::Delayed,
        _ => ItemStatus::Planned,
    }
}

/// Set an imported plan's state as the file gives it: an import records where a plan stands,
/// it does not walk it through its lifecycle (recorded as an `import` change). `cur` is the
/// plan as read in `tx`.
async fn set_state(app: &App, tx: &Tx, cur: &Plan, state: PlanState) -> Result<()> {
    if cur.state == state {
        return Ok(());
    }
    let mut next = cur.clone();
    next.state = state;
    crate::versioned::write_next(tx, app.now(), cur, &mut next).await?;
    tx.record(ChangeDraft::marked(
        "plan",
        cur.id.uuid(),
        Some(cur.id),
        next.version,
        "import",
        Some((&cur.marking, serde_json::json!({"state": cur.state}))),
        Some((&next.marking, serde_json::json!({"state": next.state}))),
    ));
    Ok(())
}

/// The areas of an activity's sectors, made where missing: DAC codes as `dac_<code>` (with the
/// code as their DAC sector), the reporting organisation's own codes under their own name.
/// The directory's areas by code, with the DAC sector each is reported under.
type Areas = HashMap<String, Option<String>>;

async fn areas_of(app: &App, tx: &Tx, ctx: &Ctx, a: &Activity, known: &mut Areas, out: &mut Outcome) -> Result<Vec<String>> {
    let mut codes = Vec::new();
    for s in &a.sectors {
        let (code, dac, name) = if s.vocabulary == "1" {
            if s.code == crate::iati::UNSPECIFIED_SECTOR {
                continue;
            }
            // An area of the directory reported under this DAC code is that sector's area (the
            // first by code, when several share it); else one is made, `dac_<code>`.
            let mut same: Vec<&String> = known.iter().filter(|(_, d)| d.as_deref() == Some(s.code.as_str())).map(|(c, _)| c).collect();
            same.sort();
            match same.first() {
                Some(c) => ((*c).clone(), Some(s.code.clone()), Text::default()),
                None => (format!("dac_{}", s.code), Some(s.code.clone()), Text::new("en", &format!("DAC {}", s.code))),
            }
        } else if matches!(s.vocabulary.as_str(), "98" | "99") {
            let c: String = s.code.to_lowercase().chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect();
            let c = if c.starts_with(|x: char| x.is_ascii_lowercase()) { c } else { format!("s_{c}") };
            let c: String = c.chars().take(40).collect();
            let name = if s.name.is_empty() { Text::new("en", &s.code) } else { text(&s.name) };
            (c, None, name)
        } else {
            continue;
        };
        if code.len() < 2 {
            continue;
        }
        if !known.contains_key(&code) {
            crate::directory::create_area_in(app, tx, &directory_ctx(ctx), crate::directory::NewArea { code: code.clone(), name, dac_sector: dac.clone() })
                .await?;
            known.insert(code.clone(), dac);
            out.areas_created += 1;
        }
        if !codes.contains(&code) {
            codes.push(code);
        }
    }
    Ok(codes)
}

fn gender_of(a: &Activity) -> GenderMarker {
    match a.policy_markers.iter().find(|m| m.code == "1" && m.vocabulary == "1").and_then(|m| m.significance.as_deref()) {
        Some("1") => GenderMarker::Significant,
        Some("2" | "3" | "4") => GenderMarker::Principal,
        _ => GenderMarker::NotTargeted,
    }
}

impl Outcome {
    fn preview_of(p: &Parsed, becomes: &str, parent: Option<&str>, plan_code: &str, item_code: Option<String>, action: &str) -> ActivityPreview {
        let a = &p.activity;
        ActivityPreview {
            becomes: becomes.into(),
            parent: parent.map(String::from),
            plan_code: plan_code.into(),
            item_code,
            action: action.into(),
            importable: true,
            ..not_imported(a.identifier.trim().to_string(), title_of(a), p.line)
        }
    }
}

/// The marking of what an import creates: the installation's default level, releasable to the
/// partner's country.
fn marking_for(app: &App, partner: &Organisation, originator: &str) -> Marking {
    Marking { level: app.config.scheme.default_level(), releasable_to: partner.country.clone().into_iter().collect(), originator: originator.to_string() }
}

/// A standalone activity, or one with children in the file: a plan.
#[allow(clippy::too_many_arguments)]
async fn import_plan(
    app: &App,
    tx: &Tx,
    ctx: &Ctx,
    p: &Parsed,
    has_children: bool,
    orgs: &mut Orgs,
    areas: &mut Areas,
    out: &mut Outcome,
) -> Result<ActivityPreview> {
    let a = &p.activity;
    let country3 = a.countries.first().and_then(|(c, _)| liaison_interop::iati::country::alpha3(c));
    let owner = orgs.find(app, tx, ctx, &a.reporting_org, alliance_side(kind_of(&a.reporting_org, false)), None).await?;
    // The partner: the accountable organisation when it is on the partner's side (a donor's
    // own ministry often is the accountable one), else the government of the recipient country.
    let mut partner = None;
    for x in a.participants.iter().filter(|x| x.role == "2") {
        let o = orgs.find(app, tx, ctx, &x.org, kind_of(&x.org, true), country3).await?;
        if o.kind.partner_side() {
            partner = Some(o);
            break;
        }
    }
    let partner = match partner {
        Some(p) => p,
        None if country3.is_none() => return Err(AppError::Conflict(liaison_domain::Refusal::new("import-no-country"))),
        None => {
            let name = format!("Government of {}", country3.map(|c| liaison_interop::iati::country::name(c).unwrap_or(c)).unwrap_or("the partner country"));
            let org = Org { reference: None, kind: Some("10".into()), name: Narratives::one("en", &name) };
            orgs.find(app, tx, ctx, &org, OrgKind::PartnerGovernment, country3).await?
        }
    };
    let code = local_code(a, None);
    let start = start_of(a).ok_or_else(|| AppError::Invalid(liaison_domain::ValidationErrors::coded("period", "required", &[])))?;
    let end = end_of(a).filter(|e| *e >= start).unwrap_or_else(|| start + chrono::TimeDelta::days(364));
    let existing = liaison_store::plans::find_by_code(&tx.read(ctx.actor.filter()), &code).await?;
    let (plan, action) = match existing {
        Some(plan) => {
            let patch = liaison_domain::plan::PlanPatch {
                title: Some(text(&a.title)),
                description: a.descriptions.first().map(|(_, d)| text(d)),
                period: Some(Period { start, end }),
                ..Default::default()
            };
            let next = crate::plans::update_in(app, tx, ctx, plan.id, plan.version, patch).await?;
            (next, "update")
        }
        None => {
            let input = NewPlan {
                framework: IMPORT_FRAMEWORK.into(),
                code: code.clone(),
                title: text(&a.title),
                description: a.descriptions.first().map(|(_, d)| text(d)).unwrap_or_default(),
                partner: partner.id,
                owner: owner.id,
                period: Period { start, end },
                predecessor: None,
                marking: Some(marking_for(app, &partner, &owner.short_name)),
            };
            (crate::plans::create_in(app, tx, ctx, input).await?, "create")
        }
    };
    crate::calendar::ensure_in(app, tx, &plan).await?;
    let pctx = with_role(ctx, plan.id, action == "create");
    let mut preview = Outcome::preview_of(p, "plan", None, &plan.code, None, action);
    let codes = areas_of(app, tx, &pctx, a, areas, out).await?;
    let mut counts = Counts::default();
    if has_children {
        // A parent activity: its items come from its children; its own results sit at the top.
        for (n, r) in a.results.iter().enumerate() {
            let item = upsert_item(app, tx, &pctx, &plan, None, &format!("R{}", n + 1), &r.title, &r.description, a, &codes, None, &mut counts).await?;
            indicators(app, tx, &pctx, &plan, &item, r, &mut counts).await?;
        }
    } else {
        // A standalone activity: the plan, and one item for the activity's work, which carries
        // its sectors, gender marker, implementers and transactions; its results are the items
        // below (the result named like the activity is that item itself).
        let country = a.countries.first().and_then(|(c, _)| liaison_interop::iati::country::alpha3(c));
        let implementers = implementers(app, tx, ctx, a, orgs, country).await?;
        let desc = a.descriptions.first().map(|(_, d)| d.clone()).unwrap_or_default();
        let item = upsert_item(app, tx, &pctx, &plan, None, "1", &a.title, &desc, a, &codes, Some(implementers), &mut counts).await?;
        let mut n = 0;
        for r in &a.results {
            if r.title.get("en") == a.title.get("en") {
                indicators(app, tx, &pctx, &plan, &item, r, &mut counts).await?;
            } else {
                n += 1;
                let sub = upsert_item(app, tx, &pctx, &plan, Some(item.id), &format!("1-R{n}"), &r.title, &r.description, a, &codes, None, &mut counts).await?;
                indicators(app, tx, &pctx, &plan, &sub, r, &mut counts).await?;
            }
        }
        counts.offers += offers(app, tx, &pctx, &plan, item.id, a, orgs).await?;
    }
    counts.fill(&mut preview);
    out.last_plan = Some((plan, action == "create"));
    Ok(preview)
}

/// A child activity: an item at the top of its plan, its results the items below it (the
/// result named like the activity is the item itself).
#[allow(clippy::too_many_arguments)]
async fn import_child(
    app: &App,
    tx: &Tx,
    ctx: &Ctx,
    p: &Parsed,
    plan: &Plan,
    parent_id: &str,
    orgs: &mut Orgs,
    areas: &mut Areas,
    out: &mut Outcome,
) -> Result<ActivityPreview> {
    let a = &p.activity;
    let code = local_code(a, Some(parent_id));
    let codes = areas_of(app, tx, ctx, a, areas, out).await?;
    let country3 = a
        .countries
        .first()
        .and_then(|(c, _)| liaison_interop::iati::country::alpha3(c))
        .or(plan_country(tx, ctx, plan).await?.as_deref().and_then(known_alpha3));
    let (lead, contributors) = implementers(app, tx, ctx, a, orgs, country3).await?;
    let existed = liaison_store::items::find_by_code(&tx.read(ctx.actor.filter()), plan.id, &code).await?.is_some();
    let mut counted = Counts::default();
    let item = upsert_item(
        app,
        tx,
        ctx,
        plan,
        None,
        &code,
        &a.title,
        &a.descriptions.first().map(|(_, d)| d.clone()).unwrap_or_default(),
        a,
        &codes,
        Some((lead, contributors)),
        &mut counted,
    )
    .await?;
    let mut preview = Outcome::preview_of(p, "item", Some(parent_id), &plan.code, Some(item.code.clone()), if existed { "update" } else { "create" });
    let mut counts = counted;
    let mut n = 0;
    // A result named like an item anywhere below the activity's is that item (a file this
    // installation wrote, read back); others become items `<code>-R<n>` under it.
    let below: Vec<Item> = {
        let all = liaison_store::items::of_plan(&tx.read(ctx.actor.filter()), plan.id).await?;
        let parent: HashMap<ItemId, Option<ItemId>> = all.iter().map(|i| (i.id, i.parent)).collect();
        let under = |mut at: Option<ItemId>| {
            while let Some(i) = at {
                if i == item.id {
                    return true;
                }
                at = parent.get(&i).copied().flatten();
            }
            false
        };
        all.iter().filter(|i| i.id != item.id && under(i.parent)).cloned().collect()
    };
    for r in &a.results {
        if r.title.get("en") == a.title.get("en") {
            indicators(app, tx, ctx, plan, &item, r, &mut counts).await?;
        } else {
            n += 1;
            let named = text(&r.title);
            let sub_code = below
                .iter()
                .find(|c| named.0.iter().any(|(lang, t)| !t.trim().is_empty() && c.title.0.get(lang) == Some(t)))
                .map(|c| c.code.clone())
                .unwrap_or_else(|| format!("{code}-R{n}"));
            let sub = upsert_item(app, tx, ctx, plan, Some(item.id), &sub_code, &r.title, &r.description, a, &codes, None, &mut counts).await?;
            indicators(app, tx, ctx, plan, &sub, r, &mut counts).await?;
        }
    }
    counts.offers += offers(app, tx, ctx, plan, item.id, a, orgs).await?;
    counts.fill(&mut preview);
    Ok(preview)
}

/// The implementing organisations (role 4): the first leads, the others contribute.
async fn implementers(
    app: &App,
    tx: &Tx,
    ctx: &Ctx,
    a: &Activity,
    orgs: &mut Orgs,
    country: Option<&str>,
) -> Result<(Option<OrganisationId>, Vec<OrganisationId>)> {
    let mut lead = None;
    let mut contributors = Vec::new();
    for x in a.participants.iter().filter(|x| x.role == "4") {
        let o = orgs.find(app, tx, ctx, &x.org, kind_of(&x.org, true), country).await?;
        if lead.is_none() {
            lead = Some(o.id);
        } else if Some(o.id) != lead && !contributors.contains(&o.id) {
            contributors.push(o.id);
        }
    }
    Ok((lead, contributors))
}

/// The country of a plan's partner.
async fn plan_country(tx: &Tx, ctx: &Ctx, plan: &Plan) -> Result<Option<String>> {
    Ok(liaison_store::organisations::get(&tx.read(ctx.actor.filter()), plan.partner).await?.and_then(|o| o.country))
}

/// An alpha-3 code as the table has it (a `'static` one).
fn known_alpha3(c: &str) -> Option<&'static str> {
    liaison_interop::iati::country::alpha2(c).and_then(liaison_interop::iati::country::alpha3)
}

#[derive(Default)]
struct Counts {
    items_created: usize,
    items_updated: usize,
    indicators: usize,
    targets: usize,
    offers: usize,
}

impl Counts {
    fn fill(&self, p: &mut ActivityPreview) {
        p.items_created = self.items_created;
        p.items_updated = self.items_updated;
        p.indicators = self.indicators;
        p.targets = self.targets;
        p.offers = self.offers;
    }
}

/// An item by its code in the plan: made, or brought up to date with the file.
#[allow(clippy::too_many_arguments)]
async fn upsert_item(
    app: &App,
    tx: &Tx,
    ctx: &Ctx,
    plan: &Plan,
    parent: Option<liaison_domain::ItemId>,
    code: &str,
    title: &Narratives,
    description: &Narratives,
    a: &Activity,
    areas: &[String],
    orgs: Option<(Option<OrganisationId>, Vec<OrganisationId>)>,
    counts: &mut Counts,
) -> Result<Item> {
    let title = if title.is_empty() { Text::new("en", code) } else { text(title) };
    let status = item_status_of(&a.status);
    let due = end_of(a).map(liaison_domain::due::Due::Date);
    let (lead, contributors) = orgs.unwrap_or((None, Vec::new()));
    let existing = liaison_store::items::find_by_code(&tx.read(ctx.actor.filter()), plan.id, code).await?;
    match existing {
        Some(cur) => {
            let patch = liaison_domain::item::ItemPatch {
                title: Some(title),
                description: Some(text(description)),
                status: Some(status),
                areas: Some(areas.to_vec()),
                gender_marker: Some(gender_of(a)),
                ..Default::default()
            };
            counts.items_updated += 1;
            crate::items::update_in(app, tx, ctx, cur.id, cur.version, patch).await
        }
        None => {
            let input = NewItem {
                parent,
                level: None,
                code: code.to_string(),
                title,
                description: text(description),
                areas: areas.to_vec(),
                lead_organisation: lead,
                contributing_organisations: contributors,
                start: start_of(a).filter(|s| *s != plan.period.start || parent.is_some()),
                due,
                status: Some(status),
                weight: None,
                gender_marker: Some(gender_of(a)),
                marking: None,
                downgrade: false,
                position: None,
            };
            counts.items_created += 1;
            crate::items::create_in(app, tx, ctx, plan.id, input).await
        }
    }
}

/// The reporting period of the plan whose start and end are those of an IATI period.
async fn period_key(tx: &Tx, ctx: &Ctx, plan: &Plan, start: chrono::NaiveDate, end: chrono::NaiveDate) -> Result<Option<String>> {
    Ok(liaison_store::calendar::of_plan(&tx.read(ctx.actor.filter()), plan.id).await?.into_iter().find(|p| p.starts == start && p.ends == end).map(|p| p.key))
}

/// The indicators of a result on `item`: made, or their targets and baseline brought up to date.
async fn indicators(
    app: &App,
    tx: &Tx,
    ctx: &Ctx,
    plan: &Plan,
    item: &Item,
    r: &liaison_interop::iati::model::ActivityResult,
    counts: &mut Counts,
) -> Result<()> {
    for i in &r.indicators {
        let name = if i.title.is_empty() { Text::new("en", "Indicator") } else { text(&i.title) };
        let measure = match i.measure.as_str() {
            "2" => LMeasure::Percentage,
            "5" | "3" | "4" => LMeasure::Qualitative,
            _ => LMeasure::Number,
        };
        let key = i.periods.iter().flat_map(|p| p.targets.iter().chain(&p.actuals)).flat_map(|m| m.dimensions.iter().map(|(k, _)| k.clone())).next();
        let categories: BTreeSet<String> = i
            .periods
            .iter()
            .flat_map(|p| p.targets.iter().chain(&p.actuals))
            .flat_map(|m| m.dimensions.iter().filter(|(k, _)| Some(k) == key.as_ref()).map(|(_, v)| v.clone()))
            .collect();
        let dimension = key
            .map(|k| Dimension { key: k, categories: categories.into_iter().collect() })
            .filter(|d| d.categories.len() >= 2 && measure != LMeasure::Qualitative);
        let mut targets = Vec::new();
        for p in &i.periods {
            let Some(period) = period_key(tx, ctx, plan, p.start, p.end).await? else { continue };
            let overall = p.targets.iter().find(|t| t.dimensions.is_empty()).and_then(|t| t.value);
            let by_category: BTreeMap<String, f64> = match &dimension {
                Some(d) => {
                    p.targets.iter().filter_map(|t| t.dimensions.iter().find(|(k, _)| *k == d.key).and_then(|(_, c)| Some((c.clone(), t.value?)))).collect()
                }
                None => BTreeMap::new(),
            };
            if let Some(v) = overall.or_else(|| (!by_category.is_empty()).then(|| by_category.values().sum())) {
                targets.push(LTarget { period, value: v, by_category });
            }
        }
        counts.targets += targets.len();
        let baseline =
            i.baseline.as_ref().and_then(|b| Some(Baseline { value: b.value?, date: b.date.or_else(|| chrono::NaiveDate::from_ymd_opt(b.year, 1, 1))? }));
        let unit = i.description.0.first().map(|(_, d)| d.clone()).unwrap_or_default();
        let existing =
            liaison_store::indicators::of_item(&tx.read(ctx.actor.filter()), item.id).await?.into_iter().find(|x| x.name.get("en") == name.get("en"));
        counts.indicators += 1;
        match existing {
            Some(cur) => {
                let patch = liaison_domain::indicator::IndicatorPatch {
                    name: Some(name),
                    unit: Some(unit),
                    targets: Some(targets),
                    baseline: match baseline {
                        Some(b) => liaison_domain::Patch::Set(b),
                        None => liaison_domain::Patch::Null,
                    },
                };
                crate::indicators::update_in(app, tx, ctx, cur.id, cur.version, patch).await?;
            }
            None => {
                let input = NewIndicator { name, unit, measure, cumulative: false, baseline, targets, dimension };
                crate::indicators::create_in(app, tx, ctx, item.id, input).await?;
            }
        }
    }
    Ok(())
}

/// The actuals of the file's indicators, once the plan takes reports.
async fn record_actuals(app: &App, tx: &Tx, ctx: &Ctx, plan: &Plan, parsed: &[&Parsed], out: &mut Outcome) -> Result<()> {
    let plan = liaison_store::plans::get(&tx.read(ctx.actor.filter()), plan.id).await?.ok_or(AppError::NotFound)?;
    if !plan.state.accepts_reports() {
        return Ok(());
    }
    let rd = tx.read(ctx.actor.filter());
    let items = liaison_store::items::of_plan(&rd, plan.id).await?;
    let inds = liaison_store::indicators::of_plan(&rd, plan.id).await?;
    for p in parsed {
        let a = &p.activity;
        let Some(done) = out.done.get_mut(a.identifier.trim()) else { continue };
        if done.plan_code != plan.code {
            continue;
        }
        for r in &a.results {
            for i in &r.indicators {
                let name = text(&i.title);
                // The indicator of that name on the activity's items (the result's item).
                let Some(ind) = inds.iter().find(|x| x.name.get("en") == name.get("en") && items.iter().any(|it| it.id == x.item)) else { continue };
                for period in &i.periods {
                    let Some(key) = period_key(tx, ctx, &plan, period.start, period.end).await? else { continue };
                    // The overall figure; a figure given only by category has none.
                    let overall = period.actuals.iter().find(|m| m.dimensions.is_empty());
                    if period.actuals.is_empty() {
                        continue;
                    }
                    let by_category: BTreeMap<String, f64> = match &ind.dimension {
                        Some(d) => period
                            .actuals
                            .iter()
                            .filter_map(|m| m.dimensions.iter().find(|(k, _)| *k == d.key).and_then(|(_, c)| Some((c.clone(), m.value?))))
                            .collect(),
                        None => BTreeMap::new(),
                    };
                    let value = match ind.measure {
                        LMeasure::Qualitative => {
                            let Some(overall) = overall else { continue };
                            Value { value: None, denominator: None, text: overall.comment.0.first().map(|(_, t)| t.clone()), by_category: BTreeMap::new() }
                        }
                        LMeasure::Percentage => {
                            let Some(overall) = overall else { continue };
                            Value { value: overall.value, denominator: Some(100.0), text: None, by_category: BTreeMap::new() }
                        }
                        LMeasure::Number if overall.is_none() && by_category.is_empty() => continue,
                        LMeasure::Number => Value { value: overall.and_then(|o| o.value), denominator: None, text: None, by_category },
                    };
                    let existing = liaison_store::indicators::measurements_of(&rd, ind.id).await?.into_iter().find(|m| m.period == key);
                    // A figure the use cases refuse (a locked period, a value out of range) is
                    // left out and said; the rest of the activity stands.
                    let sp = tx.savepoint().await?;
                    let written: Result<()> = async {
                        match existing {
                            Some(m) if m.value == value => {}
                            Some(m) => {
                                crate::indicators::update_measurement_in(
                                    app,
                                    tx,
                                    ctx,
                                    m.id,
                                    m.version,
                                    crate::indicators::MeasurementPatch {
                                        value: value.value,
                                        denominator: value.denominator,
                                        text: value.text.clone(),
                                        by_category: Some(value.by_category.clone()),
                                        ..Default::default()
                                    },
                                )
                                .await?;
                            }
                            None => {
                                crate::indicators::record_in(
                                    app,
                                    tx,
                                    ctx,
                                    ind.id,
                                    NewMeasurement { period: key.clone(), value, note: String::new(), evidence: Vec::new() },
                                )
                                .await?;
                            }
                        }
                        Ok(())
                    }
                    .await;
                    match written {
                        Ok(()) => {
                            tx.release(sp).await?;
                            done.actuals += 1;
                        }
                        Err(AppError::Internal(e)) => return Err(AppError::Internal(e)),
                        Err(e) => {
                            tx.rollback_to(&sp).await?;
                            tx.release(sp).await?;
                            let mut w = refusal(p, e);
                            w.severity = Severity::Warning;
                            w.message = format!(
                                "the actual for {key} of \"{}\" is left out: {}",
                                name.get("en").unwrap_or(""),
                                w.message.trim_start_matches("not importable: ")
                            );
                            out.notes.entry(a.identifier.trim().to_string()).or_default().push(w);
                        }
                    }
                }
            }
        }
    }
    Ok(())
}

/// The activity's transactions as offers: a commitment is an accepted offer of its provider;
/// a disbursement or expenditure delivers it (or, alone, is a delivered offer). Matched on
/// provider, title, start and value, so a second import changes nothing.
async fn offers(app: &App, tx: &Tx, ctx: &Ctx, plan: &Plan, item: liaison_domain::ItemId, a: &Activity, orgs: &mut Orgs) -> Result<usize> {
    let mut made = 0;
    let commitments: Vec<&liaison_interop::iati::model::Transaction> = a.transactions.iter().filter(|t| matches!(t.kind.as_str(), "2" | "11")).collect();
    let deliveries: Vec<&liaison_interop::iati::model::Transaction> = a.transactions.iter().filter(|t| matches!(t.kind.as_str(), "3" | "4")).collect();
    let base = |r: &Option<String>| r.as_deref().map(|r| r.rsplit_once('-').map(|(b, _)| b.to_string()).unwrap_or_else(|| r.to_string()));
    let mut used: HashSet<usize> = HashSet::new();
    let mut pairs: Vec<(&liaison_interop::iati::model::Transaction, Option<&liaison_interop::iati::model::Transaction>)> = Vec::new();
    for c in &commitments {
        let d = deliveries
            .iter()
            .enumerate()
            .find(|(k, d)| !used.contains(k) && base(&d.reference).is_some() && base(&d.reference) == base(&c.reference))
            .map(|(k, d)| (k, *d));
        if let Some((k, _)) = d {
            used.insert(k);
        }
        pairs.push((c, d.map(|(_, d)| d)));
    }
    for (k, d) in deliveries.iter().enumerate() {
        if !used.contains(&k) {
            pairs.push((d, Some(d)));
        }
    }
    for (c, delivered) in pairs {
        // Refunds and corrections (negative values) are not offers (and name no organisation).
        if c.value < 0.0 || delivered.is_some_and(|d| d.value < 0.0) {
            continue;
        }
        let Some(provider) = c.provider.as_ref().or(Some(&a.reporting_org)) else { continue };
        let kind = kind_of(provider, false);
        let kind = if matches!(kind, OrgKind::Ally | OrgKind::Agency) { kind } else { OrgKind::Agency };
        let org = orgs.find(app, tx, ctx, provider, kind, None).await?;
        if !matches!(org.kind, OrgKind::Ally | OrgKind::Agency) {
            continue;
        }
        let value_minor = (c.value * 100.0).round() as i64;
        let title = if c.description.is_empty() {
            Text::new("en", &format!("IATI transaction {}", c.reference.clone().unwrap_or_default()))
        } else {
            text(&c.description)
        };
        let start = c.date;
        let end = delivered.map(|d| d.date).unwrap_or(start).max(start);
        let assistance_kind = match delivered.map(|d| d.kind.as_str()) {
            Some("3") => AssistanceKind::Funding,
            _ => AssistanceKind::Other,
        };
        let state = if delivered.is_some() { OfferState::Delivered } else { OfferState::Accepted };
        let rd = tx.read(ctx.actor.filter());
        let existing = liaison_store::assistance::offers_of(&rd, plan.id)
            .await?
            .into_iter()
            .find(|o| o.offered_by == org.id && o.title.get("en") == title.get("en") && o.period.start == start && o.value_minor == Some(value_minor));
        if let Some(o) = existing {
            if o.state != state {
                set_offer_state(app, tx, &o, state, end).await?;
            }
            made += 1;
            continue;
        }
        let input = NewOffer {
            kind: assistance_kind,
            title,
            description: String::new(),
            value_minor: Some(value_minor),
            currency: c.currency.clone().or_else(|| a.default_currency.clone()),
            period: Period { start, end },
            items: vec![item],
            answers: None,
            shared_with: Vec::new(),
            marking: None,
            offered_by: Some(org.id),
        };
        let o = crate::assistance::create_offer_in(app, tx, ctx, plan.id, input).await?;
        set_offer_state(app, tx, &o, state, end).await?;
        made += 1;
    }
    Ok(made)
}

/// An imported offer's state as the file gives it (an import records what the donor reports;
/// the steps of the two sides are not replayed), recorded as an `import` change.
async fn set_offer_state(app: &App, tx: &Tx, cur: &liaison_domain::assistance::AssistanceOffer, state: OfferState, end: chrono::NaiveDate) -> Result<()> {
    let mut next = cur.clone();
    next.state = state;
    next.period.end = end.max(cur.period.start);
    crate::versioned::save_as(tx, app.now(), "import", cur, &mut next).await
}

/// An activity's row when it is not imported (nothing made, not importable).
fn not_imported(identifier: String, title: String, line: u32) -> ActivityPreview {
    ActivityPreview {
        identifier,
        title,
        line,
        becomes: "plan".into(),
        parent: None,
        plan_code: String::new(),
        item_code: None,
        action: "none".into(),
        items_created: 0,
        items_updated: 0,
        indicators: 0,
        targets: 0,
        actuals: 0,
        offers: 0,
        errors: 0,
        warnings: 0,
        importable: false,
    }
}

/// Put the run's outcome into the summary, and write each activity's row and the run's own
/// problems (refusals, what applying left out) through `w`.
async fn finish(w: &mut Writer<'_>, summary: &mut Summary, seen: &[Seen], file_problems: Vec<Problem>, out: &Outcome) -> Result<()> {
    let file_errors = file_problems.iter().filter(|x| x.severity == Severity::Error).count();
    let mut totals = Totals {
        activities: seen.len(),
        areas_created: out.areas_created,
        errors: file_errors,
        warnings: file_problems.len() - file_errors,
        ..Totals::default()
    };
    for p in file_problems {
        w.problem(p).await?;
    }
    for p in seen {
        let mut mine: Vec<Problem> = Vec::new();
        if let Some(r) = out.refused.get(&p.identifier) {
            mine.push(r.clone());
        }
        if let Some(n) = out.notes.get(&p.identifier) {
            mine.extend(n.iter().cloned());
        }
        let run_errors = mine.iter().filter(|x| x.severity == Severity::Error).count();
        let errors = p.errors + run_errors;
        let warnings = p.warnings + mine.len() - run_errors;
        totals.errors += errors;
        totals.warnings += warnings;
        let mut a = out.done.get(&p.identifier).cloned().unwrap_or_else(|| not_imported(p.identifier.clone(), p.title.clone(), p.line));
        a.errors = errors;
        a.warnings = warnings;
        if a.importable {
            totals.importable += 1;
            match (a.becomes.as_str(), a.action.as_str()) {
                ("plan", "create") => totals.plans_created += 1,
                ("plan", _) => totals.plans_updated += 1,
                _ => {}
            }
            totals.items_created += a.items_created;
            totals.items_updated += a.items_updated;
            totals.indicators += a.indicators;
            totals.targets += a.targets;
            totals.actuals += a.actuals;
            totals.offers += a.offers;
        }
        w.activity(&a).await?;
        for m in mine {
            w.problem(m).await?;
        }
    }
    w.flush().await?;
    totals.organisations_created = out.orgs.iter().filter(|o| o.action == "create").count();
    summary.organisations = out.orgs.clone();
    summary.totals = totals;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_keep_what_plans_and_items_allow() {
        assert_eq!(code_of("IPAP-T"), "IPAP-T");
        assert_eq!(code_of("2014/SPE/0000400125"), "2014/SPE/0000400125");
        assert_eq!(code_of("a b&c"), "a-b-c");
        let long = code_of(&"x".repeat(60));
        assert_eq!(long.chars().count(), 40);
        assert_ne!(long, code_of(&"x".repeat(61)), "a long code keeps a hash of the whole");
        assert_eq!(code_of("   "), "IATI");
    }

    #[test]
    fn statuses_read_back_as_written() {
        for s in PlanState::ALL {
            let code = crate::iati::plan_status(s);
            assert_eq!(crate::iati::plan_status(state_of(code)), code, "{s:?}");
        }
        for s in ItemStatus::ALL {
            let code = crate::iati::item_status(s);
            assert_eq!(crate::iati::item_status(item_status_of(code)), code, "{s:?}");
        }
    }
}
