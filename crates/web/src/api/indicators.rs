//! Indicators on items and their measurements.

use super::{created, id, no_content, versioned};
use crate::error::{ApiResult, Problem};
use crate::extract::{ApiJson, ApiQuery, Authed, IfMatch, PageQuery};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use liaison_app::history::{Record, history as record_history};
use liaison_app::indicators::{self as uc, IndicatorView, MeasurementPatch};
use liaison_domain::change::Change;
use liaison_domain::indicator::{Indicator, IndicatorPatch, Measurement, NewIndicator, NewMeasurement};
use liaison_domain::{IndicatorId, ItemId, MeasurementId};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(of_item, create)).routes(routes!(get, update, delete)).routes(routes!(history)).routes(routes!(record)).routes(routes!(
        get_measurement,
        update_measurement,
        delete_measurement
    ))
}

/// The item's indicators, each with its measurements and where it stands per period.
#[utoipa::path(get, path = "/items/{id}/indicators", tag = "implementation", params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = Vec<IndicatorView>), (status = 404, body = Problem)))]
pub async fn of_item(State(s): State<AppState>, Authed(ctx): Authed, Path(iid): Path<String>) -> ApiResult<Response> {
    Ok(axum::Json(uc::of_item(&s.app, &ctx, id::<ItemId>(&iid)?).await?).into_response())
}

/// Define an indicator on the item: what is counted, its baseline, targets per period, and an
/// optional disaggregation (e.g. `sex`: `women`, `men`).
#[utoipa::path(post, path = "/items/{id}/indicators", tag = "implementation", params(("id" = String, Path, format = Uuid)), request_body = NewIndicator,
    responses((status = 201, body = Indicator), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn create(State(s): State<AppState>, Authed(ctx): Authed, Path(iid): Path<String>, ApiJson(input): ApiJson<NewIndicator>) -> ApiResult<Response> {
    let i = uc::create(&s.app, &ctx, id(&iid)?, input).await?;
    Ok(created(format!("/api/v1/indicators/{}", i.id), i.version, &i))
}

#[utoipa::path(get, path = "/indicators/{id}", tag = "implementation", params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = IndicatorView), (status = 404, body = Problem)))]
pub async fn get(State(s): State<AppState>, Authed(ctx): Authed, Path(iid): Path<String>) -> ApiResult<Response> {
    let v = uc::get(&s.app, &ctx, id::<IndicatorId>(&iid)?).await?;
    Ok(versioned(StatusCode::OK, v.indicator.version, &v))
}

#[utoipa::path(patch, path = "/indicators/{id}", tag = "implementation", params(("id" = String, Path, format = Uuid)), request_body = IndicatorPatch,
    responses((status = 200, body = Indicator), (status = 403, body = Problem), (status = 404, body = Problem), (status = 412, body = Problem), (status = 422, body = Problem), (status = 428, body = Problem)))]
pub async fn update(
    State(s): State<AppState>,
    Authed(ctx): Authed,
    Path(iid): Path<String>,
    IfMatch(v): IfMatch,
    ApiJson(patch): ApiJson<IndicatorPatch>,
) -> ApiResult<Response> {
    let i = uc::update(&s.app, &ctx, id(&iid)?, v, patch).await?;
    Ok(versioned(StatusCode::OK, i.version, &i))
}

/// Remove an indicator and its measurements (not while any of them is locked).
#[utoipa::path(delete, path = "/indicators/{id}", tag = "implementation", params(("id" = String, Path, format = Uuid)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 412, body = Problem), (status = 428, body = Problem)))]
pub async fn delete(State(s): State<AppState>, Authed(ctx): Authed, Path(iid): Path<String>, IfMatch(v): IfMatch) -> ApiResult<Response> {
    uc::delete(&s.app, &ctx, id(&iid)?, v).await?;
    Ok(no_content())
}

#[utoipa::path(get, path = "/indicators/{id}/history", tag = "implementation", params(("id" = String, Path, format = Uuid), PageQuery),
    responses((status = 200, body = super::Page<Change>), (status = 404, body = Problem)))]
pub async fn history(State(s): State<AppState>, Authed(ctx): Authed, Path(iid): Path<String>, ApiQuery(q): ApiQuery<PageQuery>) -> ApiResult<Response> {
    Ok(axum::Json(record_history(&s.app, &ctx, Record::Indicator(id(&iid)?), &q.paging()).await?).into_response())
}

/// Record the indicator's value for a period (one measurement per period; correct it with
/// `PATCH /measurements/{id}`). Locked once the period or the item's report for it is.
#[utoipa::path(post, path = "/indicators/{id}/measurements", tag = "implementation", params(("id" = String, Path, format = Uuid)), request_body = NewMeasurement,
    responses((status = 201, body = Measurement), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn record(State(s): State<AppState>, Authed(ctx): Authed, Path(iid): Path<String>, ApiJson(input): ApiJson<NewMeasurement>) -> ApiResult<Response> {
    let m = uc::record(&s.app, &ctx, id(&iid)?, input).await?;
    Ok(created(format!("/api/v1/measurements/{}", m.id), m.version, &m))
}

#[utoipa::path(get, path = "/measurements/{id}", tag = "implementation", params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = Measurement), (status = 404, body = Problem)))]
pub async fn get_measurement(State(s): State<AppState>, Authed(ctx): Authed, Path(mid): Path<String>) -> ApiResult<Response> {
    let m = uc::get_measurement(&s.app, &ctx, id::<MeasurementId>(&mid)?).await?;
    Ok(versioned(StatusCode::OK, m.version, &m))
}

#[utoipa::path(patch, path = "/measurements/{id}", tag = "implementation", params(("id" = String, Path, format = Uuid)), request_body = MeasurementPatch,
    responses((status = 200, body = Measurement), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 412, body = Problem), (status = 422, body = Problem), (status = 428, body = Problem)))]
pub async fn update_measurement(
    State(s): State<AppState>,
    Authed(ctx): Authed,
    Path(mid): Path<String>,
    IfMatch(v): IfMatch,
    ApiJson(patch): ApiJson<MeasurementPatch>,
) -> ApiResult<Response> {
    let m = uc::update_measurement(&s.app, &ctx, id(&mid)?, v, patch).await?;
    Ok(versioned(StatusCode::OK, m.version, &m))
}

#[utoipa::path(delete, path = "/measurements/{id}", tag = "implementation", params(("id" = String, Path, format = Uuid)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 412, body = Problem), (status = 428, body = Problem)))]
pub async fn delete_measurement(State(s): State<AppState>, Authed(ctx): Authed, Path(mid): Path<String>, IfMatch(v): IfMatch) -> ApiResult<Response> {
    uc::delete_measurement(&s.app, &ctx, id(&mid)?, v).await?;
    Ok(no_content())
}
