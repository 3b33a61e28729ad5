//! Areas and frameworks.

use super::versioned;
use crate::error::{ApiResult, Problem};
use crate::extract::{ApiJson, Authed, IfMatch};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use liaison_app::directory::{self as uc, AreaPatch, NewArea};
use liaison_domain::framework::Framework;
use liaison_domain::text::Text;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(areas, create_area)).routes(routes!(update_area)).routes(routes!(frameworks, create_framework))
}

/// An area of cooperation.
#[derive(Serialize, ToSchema)]
pub struct AreaView {
    pub code: String,
    pub name: Text,
    /// The OECD DAC 5-digit purpose code the area is reported under in IATI files.
    pub dac_sector: Option<String>,
    pub version: i64,
}

impl From<uc::AreaRecord> for AreaView {
    fn from(a: uc::AreaRecord) -> Self {
        AreaView { code: a.code, name: a.name, dac_sector: a.dac_sector, version: a.version }
    }
}

/// Input to create an area.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct NewAreaDoc {
    /// Lower-case letters, digits, underscores, e.g. `cyber_defence`.
    pub code: String,
    pub name: Text,
    /// The OECD DAC 5-digit purpose code it is reported under in IATI files, e.g. `15210`.
    pub dac_sector: Option<String>,
}

/// Input to rename an area or set its DAC sector (`null` clears it); absent fields stay.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct AreaPatchDoc {
    pub name: Option<Text>,
    pub dac_sector: Option<String>,
}

#[utoipa::path(get, path = "/areas", tag = "directory", responses((status = 200, body = Vec<AreaView>), (status = 401, body = Problem)))]
pub async fn areas(State(s): State<AppState>, Authed(ctx): Authed) -> ApiResult<Response> {
    let v: Vec<AreaView> = uc::areas(&s.app, &ctx).await?.into_iter().map(AreaView::from).collect();
    Ok(axum::Json(v).into_response())
}

#[utoipa::path(post, path = "/areas", tag = "directory", request_body = NewAreaDoc,
    responses((status = 201, body = AreaView), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create_area(State(s): State<AppState>, Authed(ctx): Authed, ApiJson(input): ApiJson<NewArea>) -> ApiResult<Response> {
    let a = AreaView::from(uc::create_area(&s.app, &ctx, input).await?);
    Ok(super::created(format!("/api/v1/areas/{}", a.code), a.version, &a))
}

#[utoipa::path(patch, path = "/areas/{code}", tag = "directory", params(("code" = String, Path)), request_body = AreaPatchDoc,
    responses((status = 200, body = AreaView), (status = 404, body = Problem), (status = 412, body = Problem), (status = 422, body = Problem), (status = 428, body = Problem)))]
pub async fn update_area(
    State(s): State<AppState>,
    Authed(ctx): Authed,
    Path(code): Path<String>,
    IfMatch(v): IfMatch,
    ApiJson(input): ApiJson<AreaPatch>,
) -> ApiResult<Response> {
    let a = AreaView::from(uc::update_area(&s.app, &ctx, &code, v, input).await?);
    Ok(versioned(StatusCode::OK, a.version, &a))
}

#[utoipa::path(get, path = "/frameworks", tag = "directory", responses((status = 200, body = Vec<Framework>), (status = 401, body = Problem)))]
pub async fn frameworks(State(s): State<AppState>, Authed(ctx): Authed) -> ApiResult<Response> {
    Ok(axum::Json(uc::frameworks(&s.app, &ctx).await?).into_response())
}

/// Define a framework (administrators).
#[utoipa::path(post, path = "/frameworks", tag = "directory", request_body = Framework,
    responses((status = 201, body = Framework), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create_framework(State(s): State<AppState>, Authed(ctx): Authed, ApiJson(input): ApiJson<Framework>) -> ApiResult<Response> {
    let f = uc::create_framework(&s.app, &ctx, input).await?;
    Ok((StatusCode::CREATED, axum::Json(f)).into_response())
}
