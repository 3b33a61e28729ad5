//! Stories for the public and the plan's portal page, in the workspace.

use super::{created, id, no_content, versioned};
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::{ApiJson, ApiQuery, Authed, IfMatch, PageQuery};
use crate::state::AppState;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use liaison_app::history::{Record, history as record_history};
use liaison_app::stories as uc;
use liaison_domain::change::Change;
use liaison_domain::portal::{Portal, PortalInput};
use liaison_domain::story::{NewStory, Story, StoryPatch, StoryStepInput};
use liaison_domain::{PhotoId, PlanId, StoryId};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    let upload = OpenApiRouter::new().routes(routes!(add_photo)).layer(DefaultBodyLimit::max(liaison_domain::story::MAX_PHOTO_BYTES + 64 * 1024));
    OpenApiRouter::new()
        .merge(upload)
        .routes(routes!(list, create))
        .routes(routes!(get, update))
        .routes(routes!(remove_photo))
        .routes(routes!(photo))
        .routes(routes!(step))
        .routes(routes!(history))
        .routes(routes!(portal, set_portal))
}

/// The plan's stories you may see, in every state.
#[utoipa::path(get, path = "/plans/{id}/stories", tag = "stories", params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = Vec<Story>), (status = 404, body = Problem)))]
pub async fn list(State(s): State<AppState>, Authed(ctx): Authed, Path(pid): Path<String>) -> ApiResult<Response> {
    Ok(axum::Json(uc::of_plan(&s.app, &ctx, id::<PlanId>(&pid)?).await?).into_response())
}

/// Write a story (a draft, marked `public` unless said otherwise).
#[utoipa::path(post, path = "/plans/{id}/stories", tag = "stories", params(("id" = String, Path, format = Uuid)), request_body = NewStory,
    responses((status = 201, body = Story), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn create(State(s): State<AppState>, Authed(ctx): Authed, Path(pid): Path<String>, ApiJson(input): ApiJson<NewStory>) -> ApiResult<Response> {
    let st = uc::create(&s.app, &ctx, id(&pid)?, input).await?;
    Ok(created(format!("/api/v1/stories/{}", st.id), st.version, &st))
}

#[utoipa::path(get, path = "/stories/{id}", tag = "stories", params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = Story), (status = 404, body = Problem)))]
pub async fn get(State(s): State<AppState>, Authed(ctx): Authed, Path(sid): Path<String>) -> ApiResult<Response> {
    let st = uc::get(&s.app, &ctx, id::<StoryId>(&sid)?).await?;
    Ok(versioned(StatusCode::OK, st.version, &st))
}

/// Change a draft story.
#[utoipa::path(patch, path = "/stories/{id}", tag = "stories", params(("id" = String, Path, format = Uuid)), request_body = StoryPatch,
    responses((status = 200, body = Story), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 412, body = Problem), (status = 422, body = Problem), (status = 428, body = Problem)))]
pub async fn update(
    State(s): State<AppState>,
    Authed(ctx): Authed,
    Path(sid): Path<String>,
    IfMatch(v): IfMatch,
    ApiJson(patch): ApiJson<StoryPatch>,
) -> ApiResult<Response> {
    let st = uc::update(&s.app, &ctx, id(&sid)?, v, patch).await?;
    Ok(versioned(StatusCode::OK, st.version, &st))
}

/// The form of a photo upload.
#[allow(dead_code)]
#[derive(utoipa::ToSchema)]
pub struct PhotoForm {
    /// JPEG, PNG or WebP, at most 15 MiB and 40 megapixels. Metadata (EXIF, GPS) is removed.
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
    pub caption: String,
    pub credit: String,
}

/// Add a photo to a draft story (`multipart/form-data`: `file`, `caption`, `credit`).
#[utoipa::path(post, path = "/stories/{id}/photos", tag = "stories", params(("id" = String, Path, format = Uuid)),
    request_body(content = PhotoForm, content_type = "multipart/form-data"),
    responses((status = 200, body = Story), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 412, body = Problem), (status = 413, body = Problem), (status = 422, body = Problem), (status = 428, body = Problem)))]
pub async fn add_photo(
    State(s): State<AppState>,
    Authed(ctx): Authed,
    Path(sid): Path<String>,
    IfMatch(v): IfMatch,
    form: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> ApiResult<Response> {
    let story: StoryId = id(&sid)?;
    uc::may_write(&s.app, &ctx, story).await?;
    let form = form.map_err(|_| ApiError::from(Problem::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type-multipart")))?;
    let mut upload = super::attachments::read_upload(form, &["caption", "credit"]).await?;
    let (caption, credit) = (upload.texts.remove("caption").unwrap_or_default(), upload.texts.remove("credit").unwrap_or_default());
    let Some((_, bytes)) = upload.file else {
        return Err(ApiError::from(Problem::field("file", "required")));
    };
    let st = uc::add_photo(&s.app, &ctx, story, v, &caption, &credit, &bytes).await?;
    Ok(versioned(StatusCode::OK, st.version, &st))
}

#[utoipa::path(delete, path = "/stories/{id}/photos/{photo}", tag = "stories", params(("id" = String, Path, format = Uuid), ("photo" = String, Path, format = Uuid)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 412, body = Problem), (status = 428, body = Problem)))]
pub async fn remove_photo(
    State(s): State<AppState>,
    Authed(ctx): Authed,
    Path((sid, pid)): Path<(String, String)>,
    IfMatch(v): IfMatch,
) -> ApiResult<Response> {
    uc::remove_photo(&s.app, &ctx, id(&sid)?, v, id::<PhotoId>(&pid)?).await?;
    Ok(no_content())
}

/// A photo of a story you may see: `web` (at most 1600 px) or `thumb` (400 px), as JPEG.
#[utoipa::path(get, path = "/photos/{id}/{size}", tag = "stories", params(("id" = String, Path, format = Uuid), ("size" = String, Path)),
    responses((status = 200, content_type = "image/jpeg", body = Vec<u8>), (status = 404, body = Problem)))]
pub async fn photo(State(s): State<AppState>, Authed(ctx): Authed, Path((pid, size)): Path<(String, String)>) -> ApiResult<Response> {
    let size = liaison_domain::story::PhotoSize::parse(&size).ok_or_else(Problem::not_found)?;
    let bytes = uc::photo(&s.app, &ctx, id::<PhotoId>(&pid)?, size).await?;
    let mut r = bytes.into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("image/jpeg"));
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    Ok(r)
}

/// Move a story on: `submit` (its writers), `publish` (a coordinator other than the author;
/// only a story marked public), `return` and `withdraw` (with a `reason`), `redraft`.
#[utoipa::path(post, path = "/stories/{id}/steps", tag = "stories", params(("id" = String, Path, format = Uuid)), request_body = StoryStepInput,
    responses((status = 200, body = Story), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 412, body = Problem), (status = 422, body = Problem), (status = 428, body = Problem)))]
pub async fn step(
    State(s): State<AppState>,
    Authed(ctx): Authed,
    Path(sid): Path<String>,
    IfMatch(v): IfMatch,
    ApiJson(input): ApiJson<StoryStepInput>,
) -> ApiResult<Response> {
    let st = uc::step(&s.app, &ctx, id(&sid)?, v, input).await?;
    Ok(versioned(StatusCode::OK, st.version, &st))
}

#[utoipa::path(get, path = "/stories/{id}/history", tag = "stories", params(("id" = String, Path, format = Uuid), PageQuery),
    responses((status = 200, body = super::Page<Change>), (status = 404, body = Problem)))]
pub async fn history(State(s): State<AppState>, Authed(ctx): Authed, Path(sid): Path<String>, ApiQuery(q): ApiQuery<PageQuery>) -> ApiResult<Response> {
    Ok(axum::Json(record_history(&s.app, &ctx, Record::Story(id(&sid)?), &q.paging()).await?).into_response())
}

/// The plan's public page settings (`null` if it has none).
#[utoipa::path(get, path = "/plans/{id}/portal", tag = "stories", params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = Option<Portal>), (status = 404, body = Problem)))]
pub async fn portal(State(s): State<AppState>, Authed(ctx): Authed, Path(pid): Path<String>) -> ApiResult<Response> {
    let p = uc::portal(&s.app, &ctx, id::<PlanId>(&pid)?).await?;
    Ok(match p {
        Some(p) => versioned(StatusCode::OK, p.version, &p),
        None => versioned(StatusCode::OK, 0, &serde_json::Value::Null),
    })
}

/// Set what the portal says of the plan and whether it appears there (coordinators).
/// `If-Match: "0"` creates the page.
#[utoipa::path(put, path = "/plans/{id}/portal", tag = "stories", params(("id" = String, Path, format = Uuid)), request_body = PortalInput,
    responses((status = 200, body = Portal), (status = 403, body = Problem), (status = 404, body = Problem), (status = 412, body = Problem), (status = 422, body = Problem), (status = 428, body = Problem)))]
pub async fn set_portal(
    State(s): State<AppState>,
    Authed(ctx): Authed,
    Path(pid): Path<String>,
    IfMatch(v): IfMatch,
    ApiJson(input): ApiJson<PortalInput>,
) -> ApiResult<Response> {
    let p = uc::set_portal(&s.app, &ctx, id(&pid)?, v, input).await?;
    Ok(versioned(StatusCode::OK, p.version, &p))
}
