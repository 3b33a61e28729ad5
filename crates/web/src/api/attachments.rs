//! Evidence files: uploaded as `multipart/form-data`, checked by content, marked, and served
//! only to those who may see them.

use super::{created, id, versioned};
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::Authed;
use crate::state::AppState;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use liaison_app::attachments as uc;
use liaison_domain::attachment::Attachment;
use liaison_domain::marking::{Level, Marking};
use liaison_domain::{AttachmentId, PlanId};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes(max_upload: usize) -> OpenApiRouter<AppState> {
    let upload = OpenApiRouter::new().routes(routes!(list, upload)).layer(DefaultBodyLimit::max(max_upload + 64 * 1024));
    OpenApiRouter::new().merge(upload).routes(routes!(get)).routes(routes!(content))
}

pub(crate) fn invalid(field: &str, expected: &str) -> ApiError {
    ApiError::from(Problem::expected(field, expected))
}

/// The form of an upload: the file and, optionally, its marking.
#[allow(dead_code)]
#[derive(utoipa::ToSchema)]
pub struct UploadForm {
    /// The file (PDF, PNG, JPEG, WebP, Word, Excel, PowerPoint, or UTF-8 .txt/.csv/.md).
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
    /// A marking level code; defaults to the plan's marking.
    pub level: Option<String>,
    /// Comma-separated countries or groups the file is releasable to.
    pub releasable_to: Option<String>,
    pub originator: Option<String>,
}

/// A `multipart/form-data` upload: its `file` (name and bytes) and the text fields named in
/// `texts`; any other field is refused, and a body over the route's limit answers 413.
pub(crate) struct Upload {
    pub file: Option<(String, Vec<u8>)>,
    pub texts: std::collections::HashMap<String, String>,
}

/// A form field's bytes, read a chunk at a time into one buffer: the file is held once (the
/// multipart reader's own collecting grows a second buffer by copying, which for a 50 MB file
/// doubled what an upload held).
pub(crate) async fn field_bytes(mut field: axum::extract::multipart::Field<'_>) -> Result<Vec<u8>, axum::extract::multipart::MultipartError> {
    let mut out = Vec::new();
    while let Some(chunk) = field.chunk().await? {
        out.extend_from_slice(&chunk);
    }
    Ok(out)
}

pub(crate) async fn read_upload(mut form: Multipart, texts: &[&str]) -> Result<Upload, ApiError> {
    let too_large = |e: axum::extract::multipart::MultipartError, otherwise: ApiError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE { ApiError::from(Problem::new(StatusCode::PAYLOAD_TOO_LARGE, "too-large")) } else { otherwise }
    };
    let mut out = Upload { file: None, texts: std::collections::HashMap::new() };
    while let Some(field) = form.next_field().await.map_err(|e| {
        tracing::debug!(error = %e, "an upload form could not be read");
        too_large(e, invalid("file", "multipart-form"))
    })? {
        let field_name = field.name().unwrap_or("").to_string();
        if field_name == "file" {
            let name = field.file_name().unwrap_or("").to_string();
            let bytes = field_bytes(field).await.map_err(|e| too_large(e, invalid("file", "readable-file")))?;
            out.file = Some((name, bytes));
        } else if texts.contains(&field_name.as_str()) {
            let v = field.text().await.map_err(|_| invalid(&field_name, "readable-text"))?;
            out.texts.insert(field_name, v);
        } else {
            return Err(ApiError::from(Problem::field(&field_name, "unknown_field")));
        }
    }
    Ok(out)
}

/// Read an upload form: the file's name and bytes, and the marking if one was given.
pub async fn read_form(form: Multipart, default_originator: &str) -> Result<(String, Vec<u8>, Option<Marking>), ApiError> {
    let mut upload = read_upload(form, &["level", "releasable_to", "originator", "csrf"]).await?;
    let (level, rel, originator) = (upload.texts.remove("level"), upload.texts.remove("releasable_to"), upload.texts.remove("originator"));
    let Some((name, bytes)) = upload.file else {
        return Err(ApiError::from(Problem::field("file", "required")));
    };
    let marking = match level.as_deref().map(str::trim).filter(|l| !l.is_empty()) {
        None => None,
        Some(l) => {
            let level = Level::parse(l).ok_or_else(|| invalid("level", "marking-level"))?;
            let rels: Vec<&str> = rel.as_deref().unwrap_or("").split(',').map(str::trim).filter(|s| !s.is_empty()).collect();
            Some(Marking::new(level, &rels, originator.as_deref().map(str::trim).filter(|o| !o.is_empty()).unwrap_or(default_originator)))
        }
    };
    Ok((name, bytes, marking))
}

/// The plan's files you may see, newest first.
#[utoipa::path(get, path = "/plans/{id}/attachments", tag = "implementation", params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = Vec<Attachment>), (status = 404, body = Problem)))]
pub async fn list(State(s): State<AppState>, Authed(ctx): Authed, Path(pid): Path<String>) -> ApiResult<Response> {
    Ok(axum::Json(uc::of_plan(&s.app, &ctx, id::<PlanId>(&pid)?).await?).into_response())
}

/// Upload a file as evidence (`multipart/form-data` with a `file` field; `level`,
/// `releasable_to` and `originator` set its marking, by default the plan's).
#[utoipa::path(post, path = "/plans/{id}/attachments", tag = "implementation", params(("id" = String, Path, format = Uuid)),
    request_body(content = UploadForm, content_type = "multipart/form-data"),
    responses((status = 201, body = Attachment), (status = 403, body = Problem), (status = 404, body = Problem), (status = 413, body = Problem), (status = 422, body = Problem)))]
pub async fn upload(
    State(s): State<AppState>,
    Authed(ctx): Authed,
    Path(pid): Path<String>,
    form: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> ApiResult<Response> {
    let plan: PlanId = id(&pid)?;
    uc::may_upload(&s.app, &ctx, plan).await?;
    let form = form.map_err(|_| ApiError::from(Problem::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type-multipart")))?;
    let (name, bytes, marking) = read_form(form, "NATO").await?;
    let a = uc::upload(&s.app, &ctx, plan, &name, marking, &bytes).await?;
    Ok(created(format!("/api/v1/attachments/{}", a.id), a.version, &a))
}

#[utoipa::path(get, path = "/attachments/{id}", tag = "implementation", params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = Attachment), (status = 404, body = Problem)))]
pub async fn get(State(s): State<AppState>, Authed(ctx): Authed, Path(aid): Path<String>) -> ApiResult<Response> {
    let a = uc::get(&s.app, &ctx, id::<AttachmentId>(&aid)?).await?;
    Ok(versioned(StatusCode::OK, a.version, &a))
}

/// The file itself. Images are shown inline; everything else downloads. Never sniffed, never
/// run: `nosniff` and a sandboxing content policy come with it.
#[utoipa::path(get, path = "/attachments/{id}/content", tag = "implementation", params(("id" = String, Path, format = Uuid)),
    responses((status = 200, content_type = "application/octet-stream", body = Vec<u8>), (status = 404, body = Problem)))]
pub async fn content(State(s): State<AppState>, Authed(ctx): Authed, Path(aid): Path<String>) -> ApiResult<Response> {
    let (a, bytes) = uc::content(&s.app, &ctx, id::<AttachmentId>(&aid)?).await?;
    Ok(file_response(&a, bytes))
}

/// A file as an HTTP answer (shared with the pages).
pub fn file_response(a: &Attachment, bytes: Vec<u8>) -> Response {
    let mut r = bytes.into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_str(&a.media_type).unwrap_or(HeaderValue::from_static("application/octet-stream")));
    let inline = a.media_type.starts_with("image/");
    let ascii: String = a.name.chars().map(|c| if c.is_ascii_alphanumeric() || ".-_ ".contains(c) { c } else { '_' }).collect();
    let encoded: String =
        a.name.bytes().map(|b| if b.is_ascii_alphanumeric() || b".-_".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") }).collect();
    let disposition = format!("{}; filename=\"{ascii}\"; filename*=UTF-8''{encoded}", if inline { "inline" } else { "attachment" });
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("default-src 'none'; img-src 'self'; sandbox"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    r
}
