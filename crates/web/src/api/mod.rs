//! The JSON API under `/api/v1`, described by OpenAPI 3.1 generated from the handlers.

pub mod assessments;
pub mod assistance;
pub mod attachments;
pub mod audit;
pub mod auth;
pub mod calendar;
pub mod contract;
pub mod decisions;
pub mod directory;
pub mod exports;
pub mod iati;
pub mod imports;
pub mod indicators;
pub mod items;
pub mod notifications;
pub mod organisations;
pub mod passkeys;
pub mod plans;
pub mod portfolio;
pub mod progress;
pub mod search;
pub mod second_factor;
pub mod stories;
pub mod summary;
pub mod users;

use crate::error::{ApiError, Problem};
use crate::state::AppState;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use liaison_domain::access::Action;
use serde::Serialize;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Liaison API",
        description = "Partnership action plans between an alliance, its member states and a partner country.\n\n\
Sign in with `POST /api/v1/auth/login` (a session cookie) or send an API token as `Authorization: Bearer lsn_…`. \
Every change to an existing record needs `If-Match` with the record's `ETag` (its version): a stale version answers 412, \
a missing one 428. Errors are RFC 9457 problem documents; validation problems list every field at once. \
A record you may not see answers 404, exactly like one that does not exist.",
        license(name = "Apache-2.0")
    ),
    modifiers(&Security),
    security(("token" = []), ("session" = [])),
    tags(
        (name = "auth", description = "Sign-in, sessions and API tokens"),
        (name = "plans", description = "Plans, their lifecycle, approvals, versions and members"),
        (name = "items", description = "The items of a plan's tree and their links"),
        (name = "decisions", description = "Key dates of a plan"),
        (name = "assistance", description = "Tailored assistance: the partner's requests, Allies' offers, the clearing house, activities and calendar feeds"),
        (name = "stories", description = "Stories for the public, their photos, and the plan's page on the public portal"),
        (name = "implementation", description = "Following implementation: the reporting calendar, indicators and measurements, progress updates and their review, assessments, evidence files, summaries and reports"),
        (name = "search", description = "Search over every record the caller may see"),
        (name = "directory", description = "Organisations, areas and frameworks"),
        (name = "users", description = "Accounts (administrators)"),
        (name = "audit", description = "The audit trail (security officers)"),
    )
)]
pub struct ApiDoc;

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let c = openapi.components.get_or_insert_with(Default::default);
        c.add_security_scheme("token", SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()));
        c.add_security_scheme("session", SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(crate::extract::SESSION_COOKIE))));
    }
}

/// The API routes with their OpenAPI description. `max_upload` is the largest file accepted.
pub fn routes(max_upload: usize) -> OpenApiRouter<AppState> {
    let v1 = OpenApiRouter::new()
        .merge(auth::routes())
        .merge(second_factor::routes())
        .merge(passkeys::routes())
        .merge(organisations::routes())
        .merge(directory::routes())
        .merge(users::routes())
        .merge(plans::routes())
        .merge(items::routes())
        .merge(decisions::routes())
        .merge(audit::routes())
        .merge(calendar::routes())
        .merge(indicators::routes())
        .merge(progress::routes())
        .merge(assessments::routes())
        .merge(attachments::routes(max_upload))
        .merge(summary::routes())
        .merge(iati::routes())
        .merge(imports::routes())
        .merge(exports::routes())
        .merge(notifications::routes())
        .merge(assistance::routes())
        .merge(stories::routes())
        .merge(search::routes())
        .merge(portfolio::routes());
    OpenApiRouter::with_openapi(ApiDoc::openapi()).nest("/api/v1", v1)
}

/// Who may call a route: the access rule each route checks first. The permission-matrix test
/// walks this table and fails for any route of the OpenAPI document that is missing here.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rule {
    /// Anyone, signed in or not.
    Public,
    /// The given action of the access policy (which needs a signed-in user).
    Needs(Action),
    /// Any one of these actions (approving: the owner's side or the partner's).
    AnyOf(&'static [Action]),
}

/// Every API route, with its rule.
pub const ROUTES: &[(&str, &str, Rule)] = &[
    ("POST", "/api/v1/auth/login", Rule::Public),
    ("POST", "/api/v1/auth/logout", Rule::Needs(Action::OwnAccount)),
    ("GET", "/api/v1/me", Rule::Needs(Action::OwnAccount)),
    ("PUT", "/api/v1/me/password", Rule::Needs(Action::OwnAccount)),
    ("PUT", "/api/v1/me/language", Rule::Needs(Action::OwnAccount)),
    ("GET", "/api/v1/me/mail", Rule::Needs(Action::OwnAccount)),
    ("PUT", "/api/v1/me/mail", Rule::Needs(Action::OwnAccount)),
    ("POST", "/api/v1/auth/second-factor", Rule::Public),
    ("GET", "/api/v1/me/second-factor", Rule::Needs(Action::OwnAccount)),
    ("POST", "/api/v1/me/second-factor/totp", Rule::Needs(Action::OwnAccount)),
    ("POST", "/api/v1/me/second-factor/totp/confirm", Rule::Needs(Action::OwnAccount)),
    ("POST", "/api/v1/me/second-factor/totp/remove", Rule::Needs(Action::OwnAccount)),
    ("POST", "/api/v1/me/second-factor/recovery-codes", Rule::Needs(Action::OwnAccount)),
    ("POST", "/api/v1/auth/second-factor/passkey", Rule::Public),
    ("GET", "/api/v1/me/passkeys", Rule::Needs(Action::OwnAccount)),
    ("POST", "/api/v1/me/passkeys", Rule::Needs(Action::OwnAccount)),
    ("POST", "/api/v1/me/passkeys/options", Rule::Needs(Action::OwnAccount)),
    ("DELETE", "/api/v1/me/passkeys/{id}", Rule::Needs(Action::OwnAccount)),
    ("GET", "/api/v1/auth/tokens", Rule::Needs(Action::OwnAccount)),
    ("POST", "/api/v1/auth/tokens", Rule::Needs(Action::OwnAccount)),
    ("DELETE", "/api/v1/auth/tokens/{id}", Rule::Needs(Action::OwnAccount)),
    ("GET", "/api/v1/organisations", Rule::Needs(Action::DirectoryRead)),
    ("POST", "/api/v1/organisations", Rule::Needs(Action::DirectoryWrite)),
    ("GET", "/api/v1/organisations/{id}", Rule::Needs(Action::DirectoryRead)),
    ("PATCH", "/api/v1/organisations/{id}", Rule::Needs(Action::DirectoryWrite)),
    ("GET", "/api/v1/organisations/{id}/history", Rule::Needs(Action::DirectoryRead)),
    ("GET", "/api/v1/areas", Rule::Needs(Action::DirectoryRead)),
    ("POST", "/api/v1/areas", Rule::Needs(Action::DirectoryWrite)),
    ("PATCH", "/api/v1/areas/{code}", Rule::Needs(Action::DirectoryWrite)),
    ("GET", "/api/v1/frameworks", Rule::Needs(Action::DirectoryRead)),
    ("POST", "/api/v1/frameworks", Rule::Needs(Action::DirectoryWrite)),
    ("GET", "/api/v1/users", Rule::Needs(Action::UserRead)),
    ("POST", "/api/v1/users", Rule::Needs(Action::UserWrite)),
    ("GET", "/api/v1/users/{id}", Rule::Needs(Action::UserRead)),
    ("PATCH", "/api/v1/users/{id}", Rule::Needs(Action::UserWrite)),
    ("PUT", "/api/v1/users/{id}/password", Rule::Needs(Action::UserWrite)),
    ("POST", "/api/v1/users/{id}/second-factor/reset", Rule::Needs(Action::UserWrite)),
    ("GET", "/api/v1/users/{id}/history", Rule::Needs(Action::UserRead)),
    ("GET", "/api/v1/plans", Rule::Needs(Action::PlanRead)),
    ("GET", "/api/v1/search", Rule::Needs(Action::PlanRead)),
    ("GET", "/api/v1/portfolio", Rule::Needs(Action::PlanRead)),
    ("POST", "/api/v1/plans", Rule::Needs(Action::PlanCreate)),
    ("GET", "/api/v1/plans/{id}", Rule::Needs(Action::PlanRead)),
    ("PATCH", "/api/v1/plans/{id}", Rule::Needs(Action::PlanUpdate)),
    ("GET", "/api/v1/plans/{id}/history", Rule::Needs(Action::PlanRead)),
    ("POST", "/api/v1/plans/{id}/transitions", Rule::Needs(Action::PlanTransition)),
    ("GET", "/api/v1/plans/{id}/approvals", Rule::Needs(Action::PlanRead)),
    ("POST", "/api/v1/plans/{id}/approvals", Rule::AnyOf(&[Action::PlanApproveOwner, Action::PlanApprovePartner])),
    ("GET", "/api/v1/plans/{id}/versions", Rule::Needs(Action::PlanRead)),
    ("GET", "/api/v1/plans/{id}/versions/{version}", Rule::Needs(Action::PlanRead)),
    ("GET", "/api/v1/plans/{id}/compare", Rule::Needs(Action::PlanRead)),
    ("GET", "/api/v1/plans/{id}/members", Rule::Needs(Action::PlanRead)),
    ("POST", "/api/v1/plans/{id}/members", Rule::Needs(Action::MembersManage)),
    ("DELETE", "/api/v1/plans/{id}/members/{user}", Rule::Needs(Action::MembersManage)),
    ("GET", "/api/v1/plans/{id}/decisions", Rule::Needs(Action::PlanRead)),
    ("POST", "/api/v1/plans/{id}/decisions", Rule::Needs(Action::DecisionWrite)),
    ("GET", "/api/v1/decisions/{id}", Rule::Needs(Action::PlanRead)),
    ("PATCH", "/api/v1/decisions/{id}", Rule::Needs(Action::DecisionWrite)),
    ("DELETE", "/api/v1/decisions/{id}", Rule::Needs(Action::DecisionWrite)),
    ("GET", "/api/v1/decisions/{id}/history", Rule::Needs(Action::PlanRead)),
    ("GET", "/api/v1/plans/{id}/items", Rule::Needs(Action::PlanRead)),
    ("POST", "/api/v1/plans/{id}/items", Rule::Needs(Action::ItemWrite)),
    ("GET", "/api/v1/plans/{id}/items/count", Rule::Needs(Action::PlanRead)),
    ("GET", "/api/v1/items/{id}", Rule::Needs(Action::PlanRead)),
    ("PATCH", "/api/v1/items/{id}", Rule::Needs(Action::ItemWrite)),
    ("DELETE", "/api/v1/items/{id}", Rule::Needs(Action::ItemWrite)),
    ("POST", "/api/v1/items/{id}/move", Rule::Needs(Action::ItemWrite)),
    ("GET", "/api/v1/items/{id}/history", Rule::Needs(Action::PlanRead)),
    ("GET", "/api/v1/items/{id}/links", Rule::Needs(Action::PlanRead)),
    ("POST", "/api/v1/items/{id}/links", Rule::Needs(Action::LinkWrite)),
    ("DELETE", "/api/v1/links/{id}", Rule::Needs(Action::LinkWrite)),
    ("GET", "/api/v1/links/{id}/history", Rule::Needs(Action::PlanRead)),
    ("GET", "/api/v1/items/{id}/comments", Rule::Needs(Action::PlanRead)),
    ("POST", "/api/v1/items/{id}/comments", Rule::Needs(Action::CommentWrite)),
    ("GET", "/api/v1/audit", Rule::Needs(Action::AuditRead)),
    ("GET", "/api/v1/me/notifications", Rule::Needs(Action::OwnAccount)),
    ("POST", "/api/v1/me/notifications/read", Rule::Needs(Action::OwnAccount)),
    ("GET", "/api/v1/plans/{id}/periods", Rule::Needs(Action::PlanRead)),
    ("POST", "/api/v1/plans/{id}/periods", Rule::Needs(Action::CalendarWrite)),
    ("PATCH", "/api/v1/plans/{id}/periods/{key}", Rule::Needs(Action::CalendarWrite)),
    ("DELETE", "/api/v1/plans/{id}/periods/{key}", Rule::Needs(Action::CalendarWrite)),
    ("GET", "/api/v1/plans/{id}/periods/{key}/status", Rule::Needs(Action::PlanRead)),
    ("GET", "/api/v1/items/{id}/indicators", Rule::Needs(Action::PlanRead)),
    ("POST", "/api/v1/items/{id}/indicators", Rule::Needs(Action::IndicatorWrite)),
    ("GET", "/api/v1/indicators/{id}", Rule::Needs(Action::PlanRead)),
    ("PATCH", "/api/v1/indicators/{id}", Rule::Needs(Action::IndicatorWrite)),
    ("DELETE", "/api/v1/indicators/{id}", Rule::Needs(Action::IndicatorWrite)),
    ("GET", "/api/v1/indicators/{id}/history", Rule::Needs(Action::PlanRead)),
    ("POST", "/api/v1/indicators/{id}/measurements", Rule::Needs(Action::MeasurementWrite)),
    ("GET", "/api/v1/measurements/{id}", Rule::Needs(Action::PlanRead)),
    ("PATCH", "/api/v1/measurements/{id}", Rule::Needs(Action::MeasurementWrite)),
    ("DELETE", "/api/v1/measurements/{id}", Rule::Needs(Action::MeasurementWrite)),
    ("GET", "/api/v1/items/{id}/updates", Rule::Needs(Action::PlanRead)),
    ("POST", "/api/v1/items/{id}/updates", Rule::Needs(Action::ProgressWrite)),
    ("GET", "/api/v1/plans/{id}/updates", Rule::Needs(Action::PlanRead)),
    ("GET", "/api/v1/updates/{id}", Rule::Needs(Action::PlanRead)),
    ("PATCH", "/api/v1/updates/{id}", Rule::Needs(Action::ProgressWrite)),
    ("POST", "/api/v1/updates/{id}/steps", Rule::AnyOf(&[Action::ProgressWrite, Action::ProgressReview])),
    ("GET", "/api/v1/updates/{id}/history", Rule::Needs(Action::PlanRead)),
    ("GET", "/api/v1/plans/{id}/assessments", Rule::Needs(Action::PlanRead)),
    ("POST", "/api/v1/plans/{id}/assessments", Rule::Needs(Action::AssessmentWrite)),
    ("GET", "/api/v1/plans/{id}/assessments/compare", Rule::Needs(Action::PlanRead)),
    ("GET", "/api/v1/assessments/{id}", Rule::Needs(Action::PlanRead)),
    ("PATCH", "/api/v1/assessments/{id}", Rule::Needs(Action::AssessmentWrite)),
    ("GET", "/api/v1/assessments/{id}/history", Rule::Needs(Action::PlanRead)),
    ("GET", "/api/v1/plans/{id}/attachments", Rule::Needs(Action::PlanRead)),
    ("POST", "/api/v1/plans/{id}/attachments", Rule::Needs(Action::AttachmentWrite)),
    ("GET", "/api/v1/attachments/{id}", Rule::Needs(Action::PlanRead)),
    ("GET", "/api/v1/attachments/{id}/content", Rule::Needs(Action::PlanRead)),
    ("GET", "/api/v1/plans/{id}/summary", Rule::Needs(Action::PlanRead)),
    ("GET", "/api/v1/plans/{id}/report.csv", Rule::Needs(Action::PlanRead)),
    ("GET", "/api/v1/plans/{id}/report.xlsx", Rule::Needs(Action::PlanRead)),
    ("GET", "/api/v1/plans/{id}/report.pdf", Rule::Needs(Action::PlanRead)),
    ("GET", "/api/v1/plans/{id}/iati.xml", Rule::Needs(Action::PlanRead)),
    ("GET", "/api/v1/plans/{id}/items.xlsx", Rule::Needs(Action::PlanRead)),
    ("GET", "/api/v1/plans/{id}/items.csv", Rule::Needs(Action::PlanRead)),
    ("GET", "/api/v1/plans/{id}/plan.docx", Rule::Needs(Action::PlanRead)),
    ("GET", "/api/v1/plans/{id}/plan.pdf", Rule::Needs(Action::PlanRead)),
    ("GET", "/api/v1/plans/{id}/compare.pdf", Rule::Needs(Action::PlanRead)),
    ("GET", "/api/v1/plans/{id}/indicators.xlsx", Rule::Needs(Action::PlanRead)),
    ("GET", "/api/v1/plans/{id}/clearing-house.xlsx", Rule::Needs(Action::PlanRead)),
    ("POST", "/api/v1/imports/iati", Rule::Needs(Action::PlanCreate)),
    // Into a plan the importer may edit (checked with the plan), or a new plan (PlanCreate).
    ("POST", "/api/v1/imports/sheet", Rule::Needs(Action::OwnAccount)),
    ("POST", "/api/v1/imports/{id}/preview", Rule::Needs(Action::OwnAccount)),
    // The indicator's figures: the use cases ask for the right to record them.
    ("POST", "/api/v1/imports/figures", Rule::Needs(Action::OwnAccount)),
    ("GET", "/api/v1/imports/{id}", Rule::Needs(Action::OwnAccount)),
    // Only its uploader sees an import; applying then asks what its kind needs (PlanCreate for
    // IATI files, the right to edit the plan's items for a sheet).
    ("POST", "/api/v1/imports/{id}/apply", Rule::Needs(Action::OwnAccount)),
    ("GET", "/api/v1/plans/{id}/requests", Rule::Needs(Action::PlanRead)),
    ("POST", "/api/v1/plans/{id}/requests", Rule::Needs(Action::RequestWrite)),
    ("GET", "/api/v1/requests/{id}", Rule::Needs(Action::PlanRead)),
    ("PATCH", "/api/v1/requests/{id}", Rule::Needs(Action::RequestWrite)),
    ("GET", "/api/v1/requests/{id}/history", Rule::Needs(Action::PlanRead)),
    ("GET", "/api/v1/plans/{id}/offers", Rule::Needs(Action::PlanRead)),
    ("POST", "/api/v1/plans/{id}/offers", Rule::Needs(Action::OfferWrite)),
    ("GET", "/api/v1/offers/{id}", Rule::Needs(Action::PlanRead)),
    ("PATCH", "/api/v1/offers/{id}", Rule::Needs(Action::OfferWrite)),
    ("POST", "/api/v1/offers/{id}/steps", Rule::AnyOf(&[Action::OfferWrite, Action::OfferDecide])),
    ("GET", "/api/v1/offers/{id}/history", Rule::Needs(Action::PlanRead)),
    ("GET", "/api/v1/plans/{id}/clearing-house", Rule::Needs(Action::PlanRead)),
    ("GET", "/api/v1/plans/{id}/activities", Rule::Needs(Action::PlanRead)),
    ("POST", "/api/v1/plans/{id}/activities", Rule::Needs(Action::ActivityWrite)),
    ("GET", "/api/v1/activities/{id}", Rule::Needs(Action::PlanRead)),
    ("PATCH", "/api/v1/activities/{id}", Rule::Needs(Action::ActivityWrite)),
    ("GET", "/api/v1/activities/{id}/history", Rule::Needs(Action::PlanRead)),
    ("GET", "/api/v1/plans/{id}/calendar.ics", Rule::Needs(Action::PlanRead)),
    ("GET", "/api/v1/organisations/{id}/calendar.ics", Rule::Needs(Action::DirectoryRead)),
    ("GET", "/api/v1/plans/{id}/stories", Rule::Needs(Action::PlanRead)),
    ("POST", "/api/v1/plans/{id}/stories", Rule::Needs(Action::StoryWrite)),
    ("GET", "/api/v1/stories/{id}", Rule::Needs(Action::PlanRead)),
    ("PATCH", "/api/v1/stories/{id}", Rule::Needs(Action::StoryWrite)),
    ("POST", "/api/v1/stories/{id}/photos", Rule::Needs(Action::StoryWrite)),
    ("DELETE", "/api/v1/stories/{id}/photos/{photo}", Rule::Needs(Action::StoryWrite)),
    ("GET", "/api/v1/photos/{id}/{size}", Rule::Needs(Action::PlanRead)),
    ("POST", "/api/v1/stories/{id}/steps", Rule::AnyOf(&[Action::StoryWrite, Action::StoryRelease])),
    ("GET", "/api/v1/stories/{id}/history", Rule::Needs(Action::PlanRead)),
    ("GET", "/api/v1/plans/{id}/portal", Rule::Needs(Action::PlanRead)),
    ("PUT", "/api/v1/plans/{id}/portal", Rule::Needs(Action::StoryRelease)),
];

/// A JSON answer with the record's version as its `ETag`.
pub fn versioned<T: Serialize>(status: StatusCode, version: i64, body: &T) -> Response {
    let mut r = (status, axum::Json(body)).into_response();
    if let Ok(v) = HeaderValue::from_str(&format!("\"{version}\"")) {
        r.headers_mut().insert(header::ETAG, v);
    }
    r
}

/// A 201 answer with `Location` and `ETag`.
pub fn created<T: Serialize>(location: String, version: i64, body: &T) -> Response {
    let mut r = versioned(StatusCode::CREATED, version, body);
    if let Ok(v) = HeaderValue::from_str(&location) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r
}

/// Parse an id from the path; anything that is not one answers 404 like a missing record.
pub fn id<T: From<uuid::Uuid>>(s: &str) -> Result<T, ApiError> {
    uuid::Uuid::try_parse(s).map(T::from).map_err(|_| ApiError::from(Problem::not_found()))
}

/// A JSON answer from bytes already serialised.
pub fn json_bytes(body: Vec<u8>) -> Response {
    let mut r = body.into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    r
}

/// A 204 answer.
pub fn no_content() -> Response {
    StatusCode::NO_CONTENT.into_response()
}

/// The list envelope, for the OpenAPI document.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Page<T: utoipa::ToSchema> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}
