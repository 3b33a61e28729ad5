//! Imports in two steps: upload a file for a preview (every problem at its line and column,
//! and what applying would create or update), then apply it. Only its uploader sees an import.

use super::attachments::read_upload;
use super::id;
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::Authed;
use crate::state::AppState;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use liaison_app::imports::{self as uc, Applied, Document, Preview};
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub use liaison_app::imports::MAX_IMPORT_BYTES;

pub fn routes() -> OpenApiRouter<AppState> {
    let upload = OpenApiRouter::new().routes(routes!(upload_iati)).layer(DefaultBodyLimit::max(MAX_IMPORT_BYTES + 64 * 1024));
    let sheet = OpenApiRouter::new().routes(routes!(upload_sheet)).layer(DefaultBodyLimit::max(uc::sheet::MAX_SHEET_BYTES + 64 * 1024));
    let figures = OpenApiRouter::new().routes(routes!(upload_figures)).layer(DefaultBodyLimit::max(uc::sheet::MAX_SHEET_BYTES + 64 * 1024));
    OpenApiRouter::new().merge(upload).merge(sheet).merge(figures).routes(routes!(get)).routes(routes!(apply)).routes(routes!(preview_again))
}

/// The form of an IATI upload.
#[allow(dead_code)]
#[derive(ToSchema)]
pub struct IatiUpload {
    /// An IATI activity file, versions 2.01 to 2.03 (UTF-8 XML).
    #[schema(format = Binary)]
    pub file: Vec<u8>,
}

/// Upload an IATI activity file (2.01–2.03) for a preview. Answers 201 with the stored preview:
/// `id`, every problem (`severity`, `line`, `column`, `path`, `code` — IATI's rule id where there
/// is one — and `message`), each activity and what it would become, the organisations matched
/// or to be created, and totals. A file that is not an IATI activity file (not XML, a zip,
/// version 1.x, a document type declaration …) is a preview with that one problem and nothing
/// to apply.
#[utoipa::path(post, path = "/imports/iati", tag = "imports",
    request_body(content = IatiUpload, content_type = "multipart/form-data"),
    responses((status = 201, body = Preview), (status = 403, body = Problem), (status = 413, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)))]
pub async fn upload_iati(
    State(s): State<AppState>,
    Authed(ctx): Authed,
    form: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> ApiResult<Response> {
    uc::may_import(&ctx)?;
    let form = form.map_err(|_| ApiError::from(Problem::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type-multipart")))?;
    let upload = read_upload(form, &["csrf"]).await?;
    let Some((name, bytes)) = upload.file else { return Err(ApiError::from(Problem::field("file", "required"))) };
    let p = uc::preview_iati(&s.app, &ctx, &name, bytes, &mut |_| {}).await?;
    let doc = Document::of(&s.app, &ctx, p.id).await?;
    Ok((StatusCode::CREATED, [(axum::http::header::LOCATION, format!("/api/v1/imports/{}", p.id))], streamed(doc)).into_response())
}

/// The form of a spreadsheet upload.
#[allow(dead_code)]
#[derive(ToSchema)]
pub struct SheetUpload {
    /// An XLSX workbook or a CSV file (UTF-8, Windows-1250 or Windows-1251; `,`, `;` or tab).
    #[schema(format = Binary)]
    pub file: Vec<u8>,
    /// The plan the items go into (its id).
    pub plan: Option<String>,
    /// Instead of `plan`: a plan to make first, as JSON in the shape `POST /api/v1/plans` takes.
    pub new_plan: Option<String>,
    /// The sheet of a workbook (the first with cells when absent).
    pub sheet: Option<String>,
    /// The header row, 1-based (found when absent).
    pub header_row: Option<String>,
    /// Changes to the proposed mapping, as JSON: `{"C": "title", "D": ""}`.
    pub mapping: Option<String>,
    /// The language of Latin-script text: `en` (default) or `sr-Latn`; Cyrillic is Serbian.
    pub language: Option<String>,
}

/// Options from a form's text fields.
fn sheet_options(texts: &mut std::collections::HashMap<String, String>) -> Result<uc::sheet::SheetOptions, ApiError> {
    let mut o = uc::sheet::SheetOptions::default();
    let take = |texts: &mut std::collections::HashMap<String, String>, k: &str| texts.remove(k).map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
    if let Some(p) = take(texts, "plan") {
        o.plan = Some(id(&p)?);
    }
    if let Some(p) = take(texts, "new_plan") {
        o.new_plan = Some(serde_json::from_str(&p).map_err(|_| ApiError::from(Problem::field("new_plan", "invalid_json")))?);
    }
    o.sheet = take(texts, "sheet");
    if let Some(h) = take(texts, "header_row") {
        o.header_row = Some(h.parse().map_err(|_| ApiError::from(Problem::field("header_row", "invalid")))?);
    }
    if let Some(m) = take(texts, "mapping") {
        o.mapping = serde_json::from_str(&m).map_err(|_| ApiError::from(Problem::field("mapping", "invalid_json")))?;
    }
    o.language = take(texts, "language");
    Ok(o)
}

/// Upload a spreadsheet (XLSX or CSV) of a plan's items for a preview, into the plan `plan` or
/// a plan `new_plan` makes. Answers 201 with the stored preview: `id`; the `sheet` as read (its
/// format, encoding, header row, each column and the field it is read into, the plan, row
/// totals, the plan's items the sheet does not name); each row and what it becomes (`rows`:
/// `create`, `update`, `unchanged`, `refused`, or `skipped` for notes and blank rows); every
/// problem at its cell (`path` is `C17`); the organisations matched or to be created. A file
/// that is no spreadsheet, an encrypted workbook, a zip bomb or a sheet over the limits is a 422
/// saying which.
#[utoipa::path(post, path = "/imports/sheet", tag = "imports",
    request_body(content = SheetUpload, content_type = "multipart/form-data"),
    responses((status = 201, body = Preview), (status = 403, body = Problem), (status = 404, body = Problem), (status = 413, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)))]
pub async fn upload_sheet(
    State(s): State<AppState>,
    Authed(ctx): Authed,
    form: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> ApiResult<Response> {
    let form = form.map_err(|_| ApiError::from(Problem::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type-multipart")))?;
    let mut upload = read_upload(form, &["csrf", "plan", "new_plan", "sheet", "header_row", "mapping", "language"]).await?;
    let options = sheet_options(&mut upload.texts)?;
    let Some((name, bytes)) = upload.file else { return Err(ApiError::from(Problem::field("file", "required"))) };
    let p = uc::sheet::preview(&s.app, &ctx, &name, bytes, options).await?;
    let doc = Document::of(&s.app, &ctx, p.id).await?;
    Ok((StatusCode::CREATED, [(axum::http::header::LOCATION, format!("/api/v1/imports/{}", p.id))], streamed(doc)).into_response())
}

/// The form of an upload of indicator figures.
#[allow(dead_code)]
#[derive(ToSchema)]
pub struct FiguresUpload {
    /// A tidy table (CSV or XLSX): one row per period and disaggregation.
    #[schema(format = Binary)]
    pub file: Vec<u8>,
    /// The indicator the figures are of (its id).
    pub indicator: String,
    pub sheet: Option<String>,
    /// The header row, 1-based.
    pub header_row: Option<String>,
    /// Changes to the proposed roles as JSON: `{"A": "period", "G": "value", "E": "category"}`.
    pub columns: Option<String>,
    /// The rows to keep as JSON: a column's letter and the value its cell must hold (`""`: empty).
    pub filters: Option<String>,
    /// A note on every figure recorded (default: "Imported from FILE").
    pub note: Option<String>,
}

/// Upload a table of an indicator's figures for a preview. Each column's role is proposed
/// (`period`, `value`, `category` — the indicator's disaggregation, found by its values —
/// `breakdown`, `series`, `constant`); each period's total and figures by category become that
/// period's measurement, recorded or corrected as by hand (a locked period refuses its figures).
/// Answers 201 with the preview: `figures` (the columns, the indicator, each period and what it
/// becomes), `rows`, and every problem at its cell.
#[utoipa::path(post, path = "/imports/figures", tag = "imports",
    request_body(content = FiguresUpload, content_type = "multipart/form-data"),
    responses((status = 201, body = Preview), (status = 404, body = Problem), (status = 413, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)))]
pub async fn upload_figures(
    State(s): State<AppState>,
    Authed(ctx): Authed,
    form: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> ApiResult<Response> {
    let form = form.map_err(|_| ApiError::from(Problem::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type-multipart")))?;
    let mut upload = read_upload(form, &["csrf", "indicator", "sheet", "header_row", "columns", "filters", "note"]).await?;
    let t = &mut upload.texts;
    let take = |t: &mut std::collections::HashMap<String, String>, k: &str| t.remove(k).map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
    let Some(indicator) = take(t, "indicator") else { return Err(ApiError::from(Problem::field("indicator", "required"))) };
    let json_map = |v: Option<String>, field: &str| -> Result<std::collections::BTreeMap<String, String>, ApiError> {
        v.map(|v| serde_json::from_str(&v).map_err(|_| ApiError::from(Problem::field(field, "invalid_json")))).transpose().map(Option::unwrap_or_default)
    };
    let options = uc::figures::FigureOptions {
        indicator: id(&indicator)?,
        sheet: take(t, "sheet"),
        header_row: take(t, "header_row").map(|h| h.parse().map_err(|_| ApiError::from(Problem::field("header_row", "invalid")))).transpose()?,
        columns: json_map(take(t, "columns"), "columns")?,
        filters: json_map(t.remove("filters").filter(|v| !v.trim().is_empty()), "filters")?,
        note: take(t, "note"),
    };
    let Some((name, bytes)) = upload.file else { return Err(ApiError::from(Problem::field("file", "required"))) };
    let p = uc::figures::preview(&s.app, &ctx, &name, bytes, options).await?;
    let doc = Document::of(&s.app, &ctx, p.id).await?;
    Ok((StatusCode::CREATED, [(axum::http::header::LOCATION, format!("/api/v1/imports/{}", p.id))], streamed(doc)).into_response())
}

/// Preview a stored spreadsheet import again with other options (mapping, header row, sheet,
/// plan): answers 201 with the new import's preview (the old one is forgotten).
#[utoipa::path(post, path = "/imports/{id}/preview", tag = "imports", params(("id" = String, Path, format = Uuid)), request_body = uc::sheet::SheetOptions,
    responses((status = 201, body = Preview), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn preview_again(State(s): State<AppState>, Authed(ctx): Authed, Path(iid): Path<String>, body: axum::body::Bytes) -> ApiResult<Response> {
    let iid = id::<uuid::Uuid>(&iid)?;
    // Someone else's import is not found, whatever the body.
    let current = uc::get(&s.app, &ctx, iid).await?;
    let p = if current.kind == "figures" {
        uc::figures::again(&s.app, &ctx, iid, crate::extract::parse_json(&body)?).await?
    } else {
        uc::sheet::again(&s.app, &ctx, iid, crate::extract::parse_json(&body)?).await?
    };
    let doc = Document::of(&s.app, &ctx, p.id).await?;
    Ok((StatusCode::CREATED, [(axum::http::header::LOCATION, format!("/api/v1/imports/{}", p.id))], streamed(doc)).into_response())
}

/// A preview's document as a streamed JSON body: one page of it in memory at a time. A failure
/// part way ends the body early (the client sees JSON cut short), and is logged.
fn streamed(doc: Document) -> Response {
    let pieces = futures_util::stream::unfold(Some(doc), |doc| async move {
        let mut doc = doc?;
        match doc.next().await {
            Ok(Some(piece)) => Some((Ok(axum::body::Bytes::from(piece)), Some(doc))),
            Ok(None) => None,
            Err(e) => {
                tracing::error!(error = %e, "an import's preview could not be read to its end");
                Some((Err(std::io::Error::other("the preview could not be read to its end")), None))
            }
        }
    });
    ([(axum::http::header::CONTENT_TYPE, "application/json")], axum::body::Body::from_stream(pieces)).into_response()
}

/// A stored import: its preview, and once applied what was applied. Only its uploader sees it.
#[utoipa::path(get, path = "/imports/{id}", tag = "imports", params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = Preview), (status = 404, body = Problem)))]
pub async fn get(State(s): State<AppState>, Authed(ctx): Authed, Path(iid): Path<String>) -> ApiResult<Response> {
    let doc = Document::of(&s.app, &ctx, id::<uuid::Uuid>(&iid)?).await?;
    Ok(streamed(doc))
}

/// Which activities to apply (by IATI identifier); absent, every importable one.
#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct ApplyInput {
    #[serde(default)]
    pub activities: Option<Vec<String>>,
}

/// Apply a previewed import in one transaction (audited as an import, with the file's
/// SHA-256). Answers 200 with what was applied. Applying twice is a 409; an activity named that
/// is not importable a 422.
#[utoipa::path(post, path = "/imports/{id}/apply", tag = "imports", params(("id" = String, Path, format = Uuid)), request_body = ApplyInput,
    responses((status = 200, body = Applied), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn apply(State(s): State<AppState>, Authed(ctx): Authed, Path(iid): Path<String>, body: axum::body::Bytes) -> ApiResult<Response> {
    // The body is optional: none (or `{}`) applies every importable activity.
    let input: ApplyInput = if body.iter().all(u8::is_ascii_whitespace) { ApplyInput::default() } else { crate::extract::parse_json(&body)? };
    let a: Applied = uc::apply(&s.app, &ctx, id::<uuid::Uuid>(&iid)?, input.activities).await?;
    Ok(streamed(Document::applied(&s.app, &ctx, &a)?))
}
