//! Passkeys (WebAuthn) over the API: one's own passkeys (register, list, remove), and a
//! sign-in waiting for its second factor answered with one. The options and answers are the
//! JSON forms of WebAuthn Level 3 (`PublicKeyCredential.parseCreationOptionsFromJSON`,
//! `toJSON()`): binary values in base64url.

use super::auth::limit_address;
use super::{id, no_content};
use crate::error::{ApiResult, Problem};
use crate::extract::{ApiJson, Authed, meta};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use liaison_app::auth::passkey::{self, PasskeyInfo};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(sign_in_options)).routes(routes!(list, register)).routes(routes!(registration_options)).routes(routes!(remove))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChallengeInput {
    /// The challenge `POST /auth/login` answered.
    pub challenge: String,
}

/// Options for `navigator.credentials.get()` or `.create()`: `{"publicKey": {…}}`.
#[derive(Serialize, ToSchema)]
#[schema(value_type = Object)]
pub struct CeremonyOptions(Value);

/// A sign-in waiting for its second factor answers with a passkey: the options for
/// `navigator.credentials.get()`, allowing the account's passkeys. Give what it answers as
/// `passkey` to `POST /auth/second-factor`. Each call makes a new challenge; the latest counts.
/// 409 when the account has no passkey or this installation offers none.
#[utoipa::path(post, path = "/auth/second-factor/passkey", tag = "auth", security(()), request_body = ChallengeInput,
    responses((status = 200, body = CeremonyOptions), (status = 401, body = Problem), (status = 409, body = Problem), (status = 429, body = Problem)))]
pub async fn sign_in_options(State(s): State<AppState>, parts: Parts, ApiJson(input): ApiJson<ChallengeInput>) -> ApiResult<Response> {
    let m = meta(&parts);
    limit_address(&s, &m.source)?;
    Ok(axum::Json(CeremonyOptions(passkey::begin_sign_in(&s.app, &input.challenge).await?)).into_response())
}

/// One's passkeys, oldest first.
#[utoipa::path(get, path = "/me/passkeys", tag = "auth", responses((status = 200, body = Vec<PasskeyInfo>), (status = 401, body = Problem)))]
pub async fn list(State(s): State<AppState>, Authed(ctx): Authed) -> ApiResult<Response> {
    Ok(axum::Json(passkey::list(&s.app, &ctx).await?).into_response())
}

/// Begin registering a passkey: the options for `navigator.credentials.create()`, valid for five
/// minutes. 409 when this installation offers no passkeys (its public address has no domain
/// name) or the account has twenty.
#[utoipa::path(post, path = "/me/passkeys/options", tag = "auth",
    responses((status = 200, body = CeremonyOptions), (status = 401, body = Problem), (status = 409, body = Problem)))]
pub async fn registration_options(State(s): State<AppState>, Authed(ctx): Authed) -> ApiResult<Response> {
    Ok(axum::Json(CeremonyOptions(passkey::begin_registration(&s.app, &ctx).await?)).into_response())
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterInput {
    /// One's name for it, 1 to 100 characters ("YubiKey at the office").
    pub name: String,
    /// What `navigator.credentials.create()` answered, as JSON (`toJSON()`).
    #[schema(value_type = Object)]
    pub credential: Value,
}

/// A passkey registered.
#[derive(Serialize, ToSchema)]
pub struct Registered {
    pub passkey: PasskeyInfo,
    /// The account had no recovery codes: these, shown this once.
    pub recovery_codes: Option<Vec<String>>,
}

/// Finish registering a passkey with the authenticator's answer. 422 when the answer is not one
/// or does not answer this account's latest options; 409 when no registration was begun (or
/// it expired) or the authenticator is registered already.
#[utoipa::path(post, path = "/me/passkeys", tag = "auth", request_body = RegisterInput,
    responses((status = 201, body = Registered), (status = 401, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn register(State(s): State<AppState>, Authed(ctx): Authed, ApiJson(input): ApiJson<RegisterInput>) -> ApiResult<Response> {
    let done = passkey::finish_registration(&s.app, &ctx, &input.name, &input.credential).await?;
    Ok((StatusCode::CREATED, axum::Json(Registered { passkey: done.passkey, recovery_codes: done.recovery_codes })).into_response())
}

/// Remove one of one's passkeys. 403 when the policy asks this account for a second factor and
/// it is the last one.
#[utoipa::path(delete, path = "/me/passkeys/{id}", tag = "auth", params(("id" = String, Path, format = Uuid)),
    responses((status = 204), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn remove(State(s): State<AppState>, Authed(ctx): Authed, Path(pid): Path<String>) -> ApiResult<Response> {
    let pid: uuid::Uuid = id(&pid)?;
    passkey::remove(&s.app, &ctx, pid).await?;
    Ok(no_content())
}
