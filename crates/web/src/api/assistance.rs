//! Tailored assistance: requests, offers and their lifecycle, the clearing house, activities,
//! and calendar feeds.

use super::{created, id, versioned};
use crate::error::{ApiResult, Problem};
use crate::extract::{ApiJson, ApiQuery, Authed, FeedAuth, IfMatch, PageQuery};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use liaison_app::activities as acts;
use liaison_app::assistance::{self as uc, ClearingFilter, ClearingHouseView};
use liaison_app::history::{Record, history as record_history};
use liaison_domain::activity::{Activity, ActivityPatch, NewActivity};
use liaison_domain::assistance::{AssistanceOffer, AssistanceRequest, NewOffer, NewRequest, OfferPatch, OfferStep, RequestPatch};
use liaison_domain::change::Change;
use liaison_domain::text::UiLang;
use liaison_domain::{ActivityId, OfferId, OrganisationId, PlanId, RequestId};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(requests, create_request))
        .routes(routes!(get_request, update_request))
        .routes(routes!(request_history))
        .routes(routes!(offers, create_offer))
        .routes(routes!(get_offer, update_offer))
        .routes(routes!(offer_step))
        .routes(routes!(offer_history))
        .routes(routes!(clearing_house))
        .routes(routes!(activities, create_activity))
        .routes(routes!(get_activity, update_activity))
        .routes(routes!(activity_history))
        .routes(routes!(plan_calendar))
        .routes(routes!(organisation_calendar))
}

/// The plan's requests for assistance you may see.
#[utoipa::path(get, path = "/plans/{id}/requests", tag = "assistance", params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = Vec<AssistanceRequest>), (status = 404, body = Problem)))]
pub async fn requests(State(s): State<AppState>, Authed(ctx): Authed, Path(pid): Path<String>) -> ApiResult<Response> {
    Ok(axum::Json(uc::requests(&s.app, &ctx, id::<PlanId>(&pid)?).await?).into_response())
}

/// Ask for help on items (the partner's side).
#[utoipa::path(post, path = "/plans/{id}/requests", tag = "assistance", params(("id" = String, Path, format = Uuid)), request_body = NewRequest,
    responses((status = 201, body = AssistanceRequest), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn create_request(
    State(s): State<AppState>,
    Authed(ctx): Authed,
    Path(pid): Path<String>,
    ApiJson(input): ApiJson<NewRequest>,
) -> ApiResult<Response> {
    let r = uc::create_request(&s.app, &ctx, id(&pid)?, input).await?;
    Ok(created(format!("/api/v1/requests/{}", r.id), r.version, &r))
}

#[utoipa::path(get, path = "/requests/{id}", tag = "assistance", params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = AssistanceRequest), (status = 404, body = Problem)))]
pub async fn get_request(State(s): State<AppState>, Authed(ctx): Authed, Path(rid): Path<String>) -> ApiResult<Response> {
    let r = uc::get_request(&s.app, &ctx, id::<RequestId>(&rid)?).await?;
    Ok(versioned(StatusCode::OK, r.version, &r))
}

/// Change a request, or close it (`"state": "closed"`).
#[utoipa::path(patch, path = "/requests/{id}", tag = "assistance", params(("id" = String, Path, format = Uuid)), request_body = RequestPatch,
    responses((status = 200, body = AssistanceRequest), (status = 403, body = Problem), (status = 404, body = Problem), (status = 412, body = Problem), (status = 422, body = Problem), (status = 428, body = Problem)))]
pub async fn update_request(
    State(s): State<AppState>,
    Authed(ctx): Authed,
    Path(rid): Path<String>,
    IfMatch(v): IfMatch,
    ApiJson(patch): ApiJson<RequestPatch>,
) -> ApiResult<Response> {
    let r = uc::update_request(&s.app, &ctx, id(&rid)?, v, patch).await?;
    Ok(versioned(StatusCode::OK, r.version, &r))
}

#[utoipa::path(get, path = "/requests/{id}/history", tag = "assistance", params(("id" = String, Path, format = Uuid), PageQuery),
    responses((status = 200, body = super::Page<Change>), (status = 404, body = Problem)))]
pub async fn request_history(State(s): State<AppState>, Authed(ctx): Authed, Path(rid): Path<String>, ApiQuery(q): ApiQuery<PageQuery>) -> ApiResult<Response> {
    Ok(axum::Json(record_history(&s.app, &ctx, Record::Request(id(&rid)?), &q.paging()).await?).into_response())
}

/// The plan's offers you may see: Allies see their own and those shared with them.
#[utoipa::path(get, path = "/plans/{id}/offers", tag = "assistance", params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = Vec<AssistanceOffer>), (status = 404, body = Problem)))]
pub async fn offers(State(s): State<AppState>, Authed(ctx): Authed, Path(pid): Path<String>) -> ApiResult<Response> {
    Ok(axum::Json(uc::offers(&s.app, &ctx, id::<PlanId>(&pid)?).await?).into_response())
}

/// Offer help (an Ally in its own name; a coordinator names `offered_by`). Values are integer
/// minor units (cents) with an ISO 4217 currency.
#[utoipa::path(post, path = "/plans/{id}/offers", tag = "assistance", params(("id" = String, Path, format = Uuid)), request_body = NewOffer,
    responses((status = 201, body = AssistanceOffer), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn create_offer(State(s): State<AppState>, Authed(ctx): Authed, Path(pid): Path<String>, ApiJson(input): ApiJson<NewOffer>) -> ApiResult<Response> {
    let o = uc::create_offer(&s.app, &ctx, id(&pid)?, input).await?;
    Ok(created(format!("/api/v1/offers/{}", o.id), o.version, &o))
}

#[utoipa::path(get, path = "/offers/{id}", tag = "assistance", params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = AssistanceOffer), (status = 404, body = Problem)))]
pub async fn get_offer(State(s): State<AppState>, Authed(ctx): Authed, Path(oid): Path<String>) -> ApiResult<Response> {
    let o = uc::get_offer(&s.app, &ctx, id::<OfferId>(&oid)?).await?;
    Ok(versioned(StatusCode::OK, o.version, &o))
}

/// Change a proposed offer (its maker or a coordinator).
#[utoipa::path(patch, path = "/offers/{id}", tag = "assistance", params(("id" = String, Path, format = Uuid)), request_body = OfferPatch,
    responses((status = 200, body = AssistanceOffer), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 412, body = Problem), (status = 422, body = Problem), (status = 428, body = Problem)))]
pub async fn update_offer(
    State(s): State<AppState>,
    Authed(ctx): Authed,
    Path(oid): Path<String>,
    IfMatch(v): IfMatch,
    ApiJson(patch): ApiJson<OfferPatch>,
) -> ApiResult<Response> {
    let o = uc::update_offer(&s.app, &ctx, id(&oid)?, v, patch).await?;
    Ok(versioned(StatusCode::OK, o.version, &o))
}

/// Move an offer on: `accepted` or `declined` (the partner, with a reason to decline),
/// `withdrawn` (its maker, with a reason), `in_delivery`, `delivered`.
#[utoipa::path(post, path = "/offers/{id}/steps", tag = "assistance", params(("id" = String, Path, format = Uuid)), request_body = OfferStep,
    responses((status = 200, body = AssistanceOffer), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 412, body = Problem), (status = 422, body = Problem), (status = 428, body = Problem)))]
pub async fn offer_step(
    State(s): State<AppState>,
    Authed(ctx): Authed,
    Path(oid): Path<String>,
    IfMatch(v): IfMatch,
    ApiJson(input): ApiJson<OfferStep>,
) -> ApiResult<Response> {
    let o = uc::step_offer(&s.app, &ctx, id(&oid)?, v, input).await?;
    Ok(versioned(StatusCode::OK, o.version, &o))
}

#[utoipa::path(get, path = "/offers/{id}/history", tag = "assistance", params(("id" = String, Path, format = Uuid), PageQuery),
    responses((status = 200, body = super::Page<Change>), (status = 404, body = Problem)))]
pub async fn offer_history(State(s): State<AppState>, Authed(ctx): Authed, Path(oid): Path<String>, ApiQuery(q): ApiQuery<PageQuery>) -> ApiResult<Response> {
    Ok(axum::Json(record_history(&s.app, &ctx, Record::Offer(id(&oid)?), &q.paging()).await?).into_response())
}

/// Where help is missing and where it is duplicated, over what you may see: `uncovered_items`
/// (open requests without an accepted offer), `unsupported_by_area`, `duplicate_offers` (same
/// item, same kind, overlapping dates), `unsolicited_offers`, totals `by_ally` and `by_area`
/// (currencies kept apart).
#[utoipa::path(get, path = "/plans/{id}/clearing-house", tag = "assistance", params(("id" = String, Path, format = Uuid), ClearingFilter),
    responses((status = 200, body = ClearingHouseView), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn clearing_house(
    State(s): State<AppState>,
    Authed(ctx): Authed,
    Path(pid): Path<String>,
    ApiQuery(f): ApiQuery<ClearingFilter>,
) -> ApiResult<Response> {
    Ok(axum::Json(uc::clearing(&s.app, &ctx, id(&pid)?, &f).await?).into_response())
}

/// The plan's activities you may see, by date.
#[utoipa::path(get, path = "/plans/{id}/activities", tag = "assistance", params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = Vec<Activity>), (status = 404, body = Problem)))]
pub async fn activities(State(s): State<AppState>, Authed(ctx): Authed, Path(pid): Path<String>) -> ApiResult<Response> {
    Ok(axum::Json(acts::of_plan(&s.app, &ctx, id::<PlanId>(&pid)?).await?).into_response())
}

/// Record an activity: kind, dates, place, organiser, the items it implements, the offer it
/// delivers, participants by sex, a catalogue reference, and later its outcome and feedback.
#[utoipa::path(post, path = "/plans/{id}/activities", tag = "assistance", params(("id" = String, Path, format = Uuid)), request_body = NewActivity,
    responses((status = 201, body = Activity), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn create_activity(
    State(s): State<AppState>,
    Authed(ctx): Authed,
    Path(pid): Path<String>,
    ApiJson(input): ApiJson<NewActivity>,
) -> ApiResult<Response> {
    let a = acts::create(&s.app, &ctx, id(&pid)?, input).await?;
    Ok(created(format!("/api/v1/activities/{}", a.id), a.version, &a))
}

#[utoipa::path(get, path = "/activities/{id}", tag = "assistance", params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = Activity), (status = 404, body = Problem)))]
pub async fn get_activity(State(s): State<AppState>, Authed(ctx): Authed, Path(aid): Path<String>) -> ApiResult<Response> {
    let a = acts::get(&s.app, &ctx, id::<ActivityId>(&aid)?).await?;
    Ok(versioned(StatusCode::OK, a.version, &a))
}

#[utoipa::path(patch, path = "/activities/{id}", tag = "assistance", params(("id" = String, Path, format = Uuid)), request_body = ActivityPatch,
    responses((status = 200, body = Activity), (status = 403, body = Problem), (status = 404, body = Problem), (status = 412, body = Problem), (status = 422, body = Problem), (status = 428, body = Problem)))]
pub async fn update_activity(
    State(s): State<AppState>,
    Authed(ctx): Authed,
    Path(aid): Path<String>,
    IfMatch(v): IfMatch,
    ApiJson(patch): ApiJson<ActivityPatch>,
) -> ApiResult<Response> {
    let a = acts::update(&s.app, &ctx, id(&aid)?, v, patch).await?;
    Ok(versioned(StatusCode::OK, a.version, &a))
}

#[utoipa::path(get, path = "/activities/{id}/history", tag = "assistance", params(("id" = String, Path, format = Uuid), PageQuery),
    responses((status = 200, body = super::Page<Change>), (status = 404, body = Problem)))]
pub async fn activity_history(
    State(s): State<AppState>,
    Authed(ctx): Authed,
    Path(aid): Path<String>,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> ApiResult<Response> {
    Ok(axum::Json(record_history(&s.app, &ctx, Record::Activity(id(&aid)?), &q.paging()).await?).into_response())
}

#[derive(Deserialize, IntoParams, Default)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct FeedQuery {
    /// A personal API token, for calendar programs that cannot send an `Authorization` header.
    pub token: Option<String>,
    /// `en`, `sr-Cyrl` or `sr-Latn` (default `en`).
    pub lang: Option<String>,
}

fn ics(body: String) -> Response {
    let mut r = body.into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/calendar; charset=utf-8"));
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    r
}

/// The plan's calendar (iCalendar): its activities, its items' due dates and when reports are
/// due, as you may see them. Subscribe with `?token=` a personal API token.
#[utoipa::path(get, path = "/plans/{id}/calendar.ics", tag = "assistance", params(("id" = String, Path, format = Uuid), FeedQuery),
    responses((status = 200, content_type = "text/calendar", body = String), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn plan_calendar(
    State(s): State<AppState>,
    FeedAuth(ctx): FeedAuth,
    Path(pid): Path<String>,
    ApiQuery(q): ApiQuery<FeedQuery>,
) -> ApiResult<Response> {
    let lang = q.lang.as_deref().and_then(UiLang::parse).unwrap_or_default();
    Ok(ics(acts::plan_feed(&s.app, &ctx, id::<PlanId>(&pid)?, lang).await?))
}

/// An organisation's calendar across the plans you may see: the activities it organises and
/// the due dates of the items it leads.
#[utoipa::path(get, path = "/organisations/{id}/calendar.ics", tag = "assistance", params(("id" = String, Path, format = Uuid), FeedQuery),
    responses((status = 200, content_type = "text/calendar", body = String), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn organisation_calendar(
    State(s): State<AppState>,
    FeedAuth(ctx): FeedAuth,
    Path(oid): Path<String>,
    ApiQuery(q): ApiQuery<FeedQuery>,
) -> ApiResult<Response> {
    let lang = q.lang.as_deref().and_then(UiLang::parse).unwrap_or_default();
    Ok(ics(acts::organisation_feed(&s.app, &ctx, id::<OrganisationId>(&oid)?, lang).await?))
}
