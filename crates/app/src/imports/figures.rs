//! An indicator's figures from a tidy table (CSV or XLSX, one row per period and
//! disaggregation), in the two steps of every import. The columns' roles are proposed
//! ([`liaison_interop::sheet::figures`]) and may be changed; each period's total and its figures
//! by category become the indicator's measurement of that period, recorded or corrected by the
//! same use cases as by hand — so a locked period, or one whose report is approved, refuses its
//! figures, said. The preview is the run rolled back; a figure someone changed since the preview
//! is refused at apply with what changed.

use super::{Summary, Totals, own};
use crate::{App, AppError, Ctx, Result};
use liaison_domain::indicator::{NewMeasurement, Value as Figure};
use liaison_domain::{IndicatorId, ValidationErrors};
use liaison_interop::iati::{Problem, Severity};
use liaison_interop::sheet::figures::{self as table, FigureColumn, Role};
use liaison_interop::sheet::{self as sheets, Book, Format};
use liaison_store::{Tx, imports as store};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use uuid::Uuid;

/// How a table of figures is read, and for which indicator. Stored with the import.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FigureOptions {
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Uuid))]
    pub indicator: IndicatorId,
    #[serde(default)]
    pub sheet: Option<String>,
    /// The header row, 1-based (default: the first row of two or more cells).
    #[serde(default)]
    pub header_row: Option<usize>,
    /// Changes to the proposed roles: a column's letter and `period`, `value`, `category`,
    /// `breakdown`, `series` or `constant`.
    #[serde(default)]
    pub columns: BTreeMap<String, String>,
    /// Rows kept: a column's letter and the value its cell must hold (`""`: empty).
    #[serde(default)]
    pub filters: BTreeMap<String, String>,
    /// A note on every figure recorded (default: the file's name).
    #[serde(default)]
    pub note: Option<String>,
}

/// What the figures import adds to an import's summary.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FiguresInfo {
    pub options: FigureOptions,
    pub format: String,
    pub encoding: Option<String>,
    pub sheet: String,
    pub header_row: usize,
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>))]
    pub columns: Vec<FigureColumn>,
    pub indicator_name: String,
    pub unit: String,
    pub categories: Vec<String>,
    /// What each period becomes.
    pub periods: Vec<PeriodFigures>,
    pub rows: FigureTotals,
}

/// A period's figures from the file.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PeriodFigures {
    pub period: String,
    pub value: Option<f64>,
    pub by_category: BTreeMap<String, f64>,
    /// `create`, `update`, `unchanged` or `refused`.
    pub action: String,
    /// The measurement's version at the preview, before this import changes it.
    pub version: Option<i64>,
    /// Its value at the preview, as JSON (to say what changed since).
    pub before: Option<String>,
    pub reason: Option<String>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FigureTotals {
    pub rows: usize,
    /// Rows read as figures of the indicator.
    pub figures: usize,
    /// Rows of another breakdown, filtered out, or blank.
    pub skipped: usize,
    pub refused: usize,
}

/// One row of the table and what it became.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FigureRow {
    pub row: usize,
    /// `figure`, `breakdown`, `filtered` or `blank`.
    pub kind: String,
    pub period: Option<String>,
    pub category: Option<String>,
    pub value: Option<f64>,
    /// `create`, `update`, `unchanged`, `refused` or `skipped`.
    pub action: String,
    pub errors: usize,
    pub warnings: usize,
}

fn problem(severity: Severity, row: usize, col: usize, message: impl Into<String>) -> Problem {
    Problem { severity, line: row as u32 + 1, column: col as u32 + 1, path: sheets::cell_ref(row, col), code: "figures".into(), message: message.into() }
}

/// Check a table of figures, store it with its preview, and answer the summary.
pub async fn preview(app: &App, ctx: &Ctx, file_name: &str, bytes: Vec<u8>, options: FigureOptions) -> Result<Summary> {
    ctx.actor.user_id().ok_or(AppError::Unauthenticated)?;
    // The indicator must be one the importer sees (else: not found).
    liaison_store::indicators::get(&app.read(ctx), options.indicator).await?.ok_or(AppError::NotFound)?;
    if bytes.len() > super::sheet::MAX_SHEET_BYTES {
        return Err(ValidationErrors::coded("file", "too_large", &[("max", &(super::sheet::MAX_SHEET_BYTES >> 20).to_string())]).into());
    }
    let bytes = std::sync::Arc::new(bytes);
    let book = super::sheet::read_book(bytes.clone()).await?;
    let mut summary = super::summary_of(app, "figures", file_name, "figures.csv", &bytes);
    let tx = app.begin().await?;
    let run = run(app, &tx, ctx, &book, &summary.file_name, &options, None).await;
    tx.rollback().await?;
    let run = run?;
    summary.totals = run.totals.clone();
    summary.figures = Some(run.info.clone());
    super::store_previewed(app, ctx, &mut summary, &bytes, &run.rows, &run.problems).await?;
    Ok(summary)
}

/// Preview a stored table again with other options (roles, filters, header row): a new import.
pub async fn again(app: &App, ctx: &Ctx, id: Uuid, options: FigureOptions) -> Result<Summary> {
    let (row, bytes) = super::to_preview_again(app, ctx, id, "figures", "not_a_figures_import").await?;
    let summary = preview(app, ctx, &row.file_name, bytes, options).await?;
    super::forget(app, ctx, id).await?;
    Ok(summary)
}

/// Apply a previewed table of figures in one transaction.
pub async fn apply(app: &App, ctx: &Ctx, id: Uuid) -> Result<super::Applied> {
    let row = own(app, ctx, id).await?;
    if row.state != "previewed" {
        return Err(AppError::Conflict(liaison_domain::Refusal::new("import-applied")));
    }
    let summary: Summary = serde_json::from_str(&row.preview).map_err(|e| AppError::Internal(e.to_string()))?;
    let info = summary.figures.clone().ok_or_else(|| AppError::Internal(format!("import {id} has no options")))?;
    let bytes = store::content(&app.read(ctx), row.created_by, id).await?.ok_or_else(|| AppError::Internal(format!("import {id} has lost its file")))?;
    let book = super::sheet::read_book(std::sync::Arc::new(bytes)).await?;
    let said: HashMap<String, PeriodFigures> = info.periods.iter().map(|p| (p.period.clone(), p.clone())).collect();
    let tx = app.begin().await?;
    let run = run(app, &tx, ctx, &book, &row.file_name, &info.options, Some(&said)).await?;
    let applied: Vec<String> = run.info.periods.iter().filter(|p| matches!(p.action.as_str(), "create" | "update")).map(|p| p.period.clone()).collect();
    if applied.is_empty() {
        tx.rollback().await?;
        return Err(ValidationErrors::coded("rows", "none_importable", &[]).into());
    }
    store::clear_rows(&tx, id).await?;
    let mut summary = Summary { state: "applied".into(), applied_at: Some(app.now()), ..summary };
    write(&tx, id, &mut summary, &run).await?;
    let after = serde_json::json!({"kind": "figures", "file": row.file_name, "sha256": row.sha256, "indicator": info.options.indicator, "periods": applied});
    super::applied(app, ctx, tx, &summary, None, after).await?;
    Ok(super::Applied { preview: summary, applied })
}

/// A figure and the index of its row in the run's rows.
type Cell = (usize, f64);

/// A period's total and its figures by category, as read.
type Period = (Option<Cell>, BTreeMap<String, Cell>);

struct Run {
    info: FiguresInfo,
    rows: Vec<FigureRow>,
    problems: Vec<Problem>,
    totals: Totals,
}

async fn write(tx: &Tx, id: Uuid, summary: &mut Summary, run: &Run) -> Result<()> {
    super::write_rows(tx, id, &run.rows, &run.problems).await?;
    summary.totals = run.totals.clone();
    summary.figures = Some(run.info.clone());
    Ok(())
}

/// A page of a stored figures import's rows.
pub async fn rows(app: &App, ctx: &Ctx, id: Uuid, after: Option<u64>, limit: usize) -> Result<Vec<(u64, FigureRow)>> {
    super::rows_raw(app, ctx, id, after, limit)
        .await?
        .into_iter()
        .map(|(k, body)| Ok((k, serde_json::from_str(&body).map_err(|e| AppError::Internal(e.to_string()))?)))
        .collect()
}

/// The plan's period a cell names: its key, or a year (the last period that ends in it).
fn period_of(cell: &str, periods: &[liaison_domain::calendar::ReportingPeriod]) -> Option<(String, bool)> {
    let t = cell.trim().trim_end_matches('.');
    if let Some(p) = periods.iter().find(|p| p.key == t) {
        return Some((p.key.clone(), false));
    }
    let year: i32 = t.parse().ok().filter(|y| (1900..=2999).contains(y))?;
    periods.iter().filter(|p| chrono::Datelike::year(&p.ends) == year).max_by_key(|p| p.ends).map(|p| (p.key.clone(), true))
}

async fn run(app: &App, tx: &Tx, ctx: &Ctx, book: &Book, file_name: &str, o: &FigureOptions, said: Option<&HashMap<String, PeriodFigures>>) -> Result<Run> {
    let rd = tx.read(ctx.actor.filter());
    let ind = liaison_store::indicators::get(&rd, o.indicator).await?.ok_or(AppError::NotFound)?;
    let item = liaison_store::items::get(&rd, ind.item).await?.ok_or(AppError::NotFound)?;
    let periods = liaison_store::calendar::of_plan(&rd, item.plan).await?;
    let categories: Vec<String> = ind.dimension.as_ref().map(|d| d.categories.clone()).unwrap_or_default();
    let grid = book.sheet(o.sheet.as_deref()).ok_or_else(|| -> AppError { ValidationErrors::coded("sheet", "unknown", &[]).into() })?;

    // The columns and their roles, changed by the options.
    let mut p = liaison_domain::Problems::new();
    let header = match o.header_row {
        Some(0) => {
            p.coded("header_row", "invalid", &[]);
            0
        }
        Some(n) if n > grid.rows.len() => {
            p.coded("header_row", "beyond_sheet", &[("rows", &grid.rows.len().to_string())]);
            0
        }
        Some(n) => n - 1,
        None => table::propose(grid, &categories).0,
    };
    let mut cols = table::roles(grid, header, &categories);
    for (letter, role) in &o.columns {
        match (sheets::column_index(letter).filter(|c| *c < cols.len()), Role::parse(role)) {
            (Some(c), Some(r)) => cols[c].role = r,
            (None, _) => p.coded(format!("columns.{letter}"), "unknown_column", &[]),
            (_, None) => p.coded(format!("columns.{letter}"), "unknown_role", &[("role", role)]),
        }
    }
    let mut filters: Vec<(usize, String)> = Vec::new();
    for (letter, value) in &o.filters {
        match sheets::column_index(letter).filter(|c| *c < cols.len()) {
            Some(c) => filters.push((c, value.trim().to_string())),
            None => p.coded(format!("filters.{letter}"), "unknown_column", &[]),
        }
    }
    for role in [Role::Period, Role::Value] {
        let n = cols.iter().filter(|c| c.role == role).count();
        if n != 1 {
            p.coded("columns", if n == 0 { "missing_role" } else { "role_twice" }, &[("role", if role == Role::Period { "period" } else { "value" })]);
        }
    }
    if cols.iter().filter(|c| c.role == Role::Category).count() > 1 {
        p.coded("columns", "role_twice", &[("role", "category")]);
    }
    if categories.is_empty() && cols.iter().any(|c| c.role == Role::Category) {
        p.coded("columns", "no_disaggregation", &[]);
    }
    p.finish()?;
    let col_of = |r: Role| cols.iter().find(|c| c.role == r).map(|c| c.index);
    let (pc, vc, cc) = (col_of(Role::Period).unwrap_or(0), col_of(Role::Value).unwrap_or(0), col_of(Role::Category));

    let mut problems = Vec::new();
    // A series column that no filter narrows would mix the figures of several series.
    let mut mixed = false;
    for c in cols.iter().filter(|c| c.role == Role::Series && c.values.len() > 1) {
        if !filters.iter().any(|(f, _)| *f == c.index) {
            mixed = true;
            problems.push(problem(
                Severity::Error,
                header,
                c.index,
                format!(
                    "column {} ({}) holds several series ({}): choose one with a filter, or the figures would mix",
                    c.letter,
                    c.header,
                    c.values.join(", ")
                ),
            ));
        }
    }
    let mut said_breakdown: Vec<usize> = Vec::new();
    let mut said_year: Vec<String> = Vec::new();
    let mut rows = Vec::new();
    // Per period: its total and its figures by category, each with the row it came from.
    let mut figures: BTreeMap<String, Period> = BTreeMap::new();
    let mut row_problems: HashMap<usize, Vec<Problem>> = HashMap::new();
    for r in (header + 1)..grid.rows.len() {
        let mut fr =
            FigureRow { row: r + 1, kind: "figure".into(), period: None, category: None, value: None, action: "skipped".into(), errors: 0, warnings: 0 };
        let mut probs = Vec::new();
        if grid.rows[r].iter().all(sheets::Value::is_blank) {
            fr.kind = "blank".into();
            rows.push(fr);
            continue;
        }
        if filters.iter().any(|(c, v)| grid.cell(r, *c).text().trim() != v) {
            fr.kind = "filtered".into();
            rows.push(fr);
            continue;
        }
        if let Some(b) = cols.iter().find(|c| c.role == Role::Breakdown && !grid.cell(r, c.index).is_blank() && !filters.iter().any(|(f, _)| *f == c.index)) {
            fr.kind = "breakdown".into();
            if !said_breakdown.contains(&b.index) {
                said_breakdown.push(b.index);
                probs.push(problem(
                    Severity::Warning,
                    r,
                    b.index,
                    format!("rows broken down by {} ({}) are not this indicator's figures and are left out", b.header, b.letter),
                ));
            }
            fr.warnings = probs.len();
            problems.extend(probs);
            rows.push(fr);
            continue;
        }
        fr.action = "refused".into();
        let period = period_of(&grid.cell(r, pc).text(), &periods);
        match &period {
            Some((k, from_year)) => {
                if *from_year && !said_year.contains(k) {
                    said_year.push(k.clone());
                    probs.push(problem(
                        Severity::Warning,
                        r,
                        pc,
                        format!("the year {} is recorded in the plan's period {k}, the last that ends in it", grid.cell(r, pc).text().trim()),
                    ));
                }
                fr.period = Some(k.clone());
            }
            None => probs.push(problem(
                Severity::Error,
                r,
                pc,
                format!("{:?} is no reporting period of the plan (nor a year one of them ends in)", grid.cell(r, pc).text().trim()),
            )),
        }
        let value = table::number(grid.cell(r, vc));
        if value.is_none() {
            probs.push(problem(Severity::Error, r, vc, format!("{:?} is not a number", grid.cell(r, vc).text().trim())));
        }
        fr.value = value;
        let category = match cc.map(|c| (c, grid.cell(r, c))) {
            Some((_, v)) if v.is_blank() => None,
            Some((c, v)) => match table::category_of(&v.text(), &categories) {
                Some(k) => Some(k),
                None => {
                    probs.push(problem(Severity::Error, r, c, format!("{:?} is not a category of the indicator ({})", v.text().trim(), categories.join(", "))));
                    None
                }
            },
            None => None,
        };
        fr.category = category.clone();
        if mixed {
            probs.push(problem(Severity::Error, r, pc, "not imported: the table mixes several series (see the header)"));
        }
        if !probs.iter().any(|x| x.severity == Severity::Error)
            && let (Some((k, _)), Some(v)) = (&period, value)
        {
            let at = rows.len();
            let e = figures.entry(k.clone()).or_default();
            let first = match &category {
                None => e.0.map(|(i, _)| i),
                Some(c) => e.1.get(c).map(|(i, _)| *i),
            };
            match first {
                Some(i) => probs.push(problem(
                    Severity::Error,
                    r,
                    pc,
                    format!("the figure of {k}{} is already in row {}", category.as_deref().map(|c| format!(" ({c})")).unwrap_or_default(), rows[i].row),
                )),
                None => {
                    match &category {
                        None => e.0 = Some((at, v)),
                        Some(c) => {
                            e.1.insert(c.clone(), (at, v));
                        }
                    }
                    fr.action = "create".into();
                }
            }
        }
        fr.errors = probs.iter().filter(|x| x.severity == Severity::Error).count();
        fr.warnings = probs.len() - fr.errors;
        row_problems.insert(rows.len(), probs);
        rows.push(fr);
    }

    // Each period: recorded or corrected through the use cases.
    let note = o.note.clone().unwrap_or_else(|| format!("Imported from {file_name}"));
    let existing: HashMap<String, liaison_domain::indicator::Measurement> =
        liaison_store::indicators::measurements_of(&rd, ind.id).await?.into_iter().map(|m| (m.period.clone(), m)).collect();
    let mut out_periods = Vec::new();
    let mut totals = Totals::default();
    for (period, (total, by)) in &figures {
        let value = Figure { value: total.map(|(_, v)| v), denominator: None, text: None, by_category: by.iter().map(|(k, (_, v))| (k.clone(), *v)).collect() };
        let cur = existing.get(period);
        let mut pf = PeriodFigures {
            period: period.clone(),
            value: value.value,
            by_category: value.by_category.clone(),
            action: "refused".into(),
            version: cur.map(|m| m.version),
            before: cur.map(|m| serde_json::to_string(&m.value).unwrap_or_default()),
            reason: None,
        };
        let rows_of: Vec<usize> = total.iter().map(|(i, _)| *i).chain(by.values().map(|(i, _)| *i)).collect();
        let stale = said.and_then(|s| s.get(period)).filter(|s| s.version != cur.map(|m| m.version));
        let outcome: std::result::Result<&'static str, String> = if let Some(s) = stale {
            Err(format!(
                "the figures of {period} were changed by someone since the preview ({} then, {} now)",
                s.before.as_deref().unwrap_or("none"),
                cur.map(|m| serde_json::to_string(&m.value).unwrap_or_default()).unwrap_or_else(|| "none".into())
            ))
        } else if cur.is_some_and(|m| m.value == value) {
            Ok("unchanged")
        } else {
            let sp = tx.savepoint().await?;
            let done = match cur {
                Some(m) => {
                    let patch = crate::indicators::MeasurementPatch {
                        value: value.value,
                        by_category: Some(value.by_category.clone()),
                        note: Some(note.clone()),
                        ..Default::default()
                    };
                    crate::indicators::update_measurement_in(app, tx, ctx, m.id, m.version, patch).await.map(|_| "update")
                }
                None => crate::indicators::record_in(
                    app,
                    tx,
                    ctx,
                    ind.id,
                    NewMeasurement { period: period.clone(), value: value.clone(), note: note.clone(), evidence: Vec::new() },
                )
                .await
                .map(|_| "create"),
            };
            match done {
                Ok(a) => {
                    tx.release(sp).await?;
                    Ok(a)
                }
                Err(AppError::Internal(e)) => return Err(AppError::Internal(e)),
                Err(e) => {
                    tx.rollback_to(&sp).await?;
                    tx.release(sp).await?;
                    Err(super::words(&e))
                }
            }
        };
        match outcome {
            Ok(a) => {
                pf.action = a.into();
                for i in &rows_of {
                    rows[*i].action = a.into();
                }
                if a != "unchanged" {
                    totals.actuals += 1;
                }
            }
            Err(why) => {
                for i in &rows_of {
                    rows[*i].action = "refused".into();
                    rows[*i].errors += 1;
                    let r = rows[*i].row - 1;
                    row_problems.entry(*i).or_default().push(problem(Severity::Error, r, pc, format!("not imported: {why}")));
                }
                pf.reason = Some(why);
            }
        }
        out_periods.push(pf);
    }
    tx.flush(&ctx.provenance(app.now())).await?;
    for (i, _) in rows.iter().enumerate() {
        problems.extend(row_problems.remove(&i).unwrap_or_default());
    }
    problems.sort_by_key(|p| (p.line, p.column));
    let mut ft = FigureTotals { rows: rows.len(), ..Default::default() };
    for r in &rows {
        match r.action.as_str() {
            "skipped" => ft.skipped += 1,
            "refused" => ft.refused += 1,
            _ => ft.figures += 1,
        }
    }
    totals.activities = ft.figures + ft.refused;
    totals.importable = out_periods.iter().filter(|p| p.action != "refused").count();
    totals.errors = problems.iter().filter(|p| p.severity == Severity::Error).count();
    totals.warnings = problems.len() - totals.errors;
    let (format, encoding) = match &book.format {
        Format::Xlsx { .. } => ("xlsx", None),
        Format::Csv { encoding, .. } => ("csv", Some(encoding.to_string())),
    };
    let info = FiguresInfo {
        options: o.clone(),
        format: format.into(),
        encoding,
        sheet: grid.name.clone(),
        header_row: header + 1,
        columns: cols,
        indicator_name: ind.name.get("en").or_else(|| ind.name.0.values().next().map(String::as_str)).unwrap_or("").to_string(),
        unit: ind.unit.clone(),
        categories,
        periods: out_periods,
        rows: ft,
    };
    Ok(Run { info, rows, problems, totals })
}
