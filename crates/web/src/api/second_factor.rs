//! The second factor over the API: finishing a sign-in that asked for it, and one's own TOTP
//! key and recovery codes; an administrator's reset of another account's lost factor.

use super::auth::{limit_address, with_session};
use super::{id, no_content};
use crate::error::{ApiResult, Problem};
use crate::extract::{ApiJson, Authed, SESSION_COOKIE, cookie, meta};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use liaison_app::auth::{self, second_factor};
use liaison_domain::user::User;
use liaison_domain::{UserId, ValidationErrors};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(complete))
        .routes(routes!(status))
        .routes(routes!(begin_totp))
        .routes(routes!(confirm_totp))
        .routes(routes!(remove_totp))
        .routes(routes!(renew_recovery_codes))
        .routes(routes!(reset))
}

/// A new TOTP key for an authenticator app.
#[derive(Serialize, ToSchema)]
pub struct EnrolmentView {
    /// The key in base-32, to type in.
    pub secret: String,
    /// The `otpauth://totp/…` link a QR code carries.
    pub uri: String,
}

impl From<auth::Enrolment> for EnrolmentView {
    fn from(e: auth::Enrolment) -> Self {
        EnrolmentView { secret: e.secret, uri: e.uri }
    }
}

/// The password was right; the sign-in waits for the second factor.
#[derive(Serialize, ToSchema)]
pub struct SecondFactorAsked {
    /// Give it back with the code to `POST /auth/second-factor`.
    pub challenge: String,
    #[schema(value_type = String, format = DateTime)]
    pub expires_at: liaison_domain::Timestamp,
    /// The account must set up a key now: this one. The first code of it finishes the sign-in.
    pub enrol: Option<EnrolmentView>,
    /// The account has a TOTP key: a code answers (a recovery code too).
    pub totp: bool,
    /// The account has passkeys: one answers (`POST /auth/second-factor/passkey` gives the
    /// options).
    pub passkey: bool,
}

impl From<auth::Pending> for SecondFactorAsked {
    fn from(p: auth::Pending) -> Self {
        SecondFactorAsked { challenge: p.challenge, expires_at: p.expires_at, enrol: p.enrol.map(EnrolmentView::from), totp: p.totp, passkey: p.passkey }
    }
}

/// The challenge, with either a code or a passkey's answer.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SecondFactorInput {
    pub challenge: String,
    /// Six digits from the authenticator app, or one recovery code (`xxxx-xxxx-xxxx-xxxx`).
    pub code: Option<String>,
    /// What `navigator.credentials.get()` answered to the options of
    /// `POST /auth/second-factor/passkey`, as JSON (`toJSON()`).
    #[schema(value_type = Option<Object>)]
    pub passkey: Option<serde_json::Value>,
}

/// A finished sign-in.
#[derive(Serialize, ToSchema)]
pub struct SignedIn {
    pub user: User,
    #[schema(value_type = String, format = DateTime)]
    pub expires_at: liaison_domain::Timestamp,
    /// When this sign-in set up a key: the recovery codes, shown this once.
    pub recovery_codes: Option<Vec<String>>,
}

/// Finish a sign-in that asked for a second factor, with a code or a passkey's answer (one of
/// the two); sets the session cookie. A wrong code or passkey answers 422 and counts towards the account's lockout; an unknown, used or expired challenge
/// (five minutes, five tries) answers 401, and the sign-in starts again with the password.
#[utoipa::path(post, path = "/auth/second-factor", tag = "auth", security(()), request_body = SecondFactorInput,
    responses((status = 200, body = SignedIn), (status = 401, body = Problem), (status = 422, body = Problem), (status = 429, body = Problem)))]
pub async fn complete(State(s): State<AppState>, parts: Parts, ApiJson(input): ApiJson<SecondFactorInput>) -> ApiResult<Response> {
    let m = meta(&parts);
    limit_address(&s, &m.source)?;
    let previous = cookie(&parts, SESSION_COOKIE);
    let proof = match (&input.code, &input.passkey) {
        (Some(code), None) => second_factor::Proof::Code(code),
        (None, Some(answer)) => second_factor::Proof::Passkey(answer),
        _ => return Err(liaison_app::AppError::from(ValidationErrors::coded("code", "code_or_passkey", &[])).into()),
    };
    let done = second_factor::complete(&s.app, &input.challenge, proof, previous, &m.source, &m.request_id).await?;
    let body = SignedIn { user: done.session.user, expires_at: done.session.expires_at, recovery_codes: done.recovery_codes };
    Ok(with_session((StatusCode::OK, axum::Json(body)).into_response(), &s, &done.session.secret))
}

/// The signed-in account's second factor.
#[utoipa::path(get, path = "/me/second-factor", tag = "auth", responses((status = 200, body = auth::FactorStatus), (status = 401, body = Problem)))]
pub async fn status(State(s): State<AppState>, Authed(ctx): Authed) -> ApiResult<Response> {
    Ok(axum::Json(second_factor::status(&s.app, &ctx).await?).into_response())
}

/// Begin setting up a TOTP key (a key half set up is replaced). The key works once confirmed
/// with its first code. An account that has a key removes it first (409).
#[utoipa::path(post, path = "/me/second-factor/totp", tag = "auth",
    responses((status = 201, body = EnrolmentView), (status = 401, body = Problem), (status = 409, body = Problem)))]
pub async fn begin_totp(State(s): State<AppState>, Authed(ctx): Authed) -> ApiResult<Response> {
    let e = second_factor::begin_totp(&s.app, &ctx).await?;
    Ok((StatusCode::CREATED, axum::Json(EnrolmentView::from(e))).into_response())
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CodeInput {
    /// Six digits from the authenticator app.
    pub code: String,
}

/// Recovery codes, shown this once: each signs in once in place of a code.
#[derive(Serialize, ToSchema)]
pub struct RecoveryCodes {
    pub recovery_codes: Vec<String>,
}

/// Confirm the key being set up with a code from it; answers the recovery codes.
#[utoipa::path(post, path = "/me/second-factor/totp/confirm", tag = "auth", request_body = CodeInput,
    responses((status = 200, body = RecoveryCodes), (status = 401, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn confirm_totp(State(s): State<AppState>, Authed(ctx): Authed, ApiJson(input): ApiJson<CodeInput>) -> ApiResult<Response> {
    let recovery_codes = second_factor::confirm_totp(&s.app, &ctx, &input.code).await?;
    Ok(axum::Json(RecoveryCodes { recovery_codes }).into_response())
}

/// Remove one's key and recovery codes, given a current code. Refused (403) when the policy
/// asks this account for a second factor.
#[utoipa::path(post, path = "/me/second-factor/totp/remove", tag = "auth", request_body = CodeInput,
    responses((status = 204), (status = 401, body = Problem), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn remove_totp(State(s): State<AppState>, Authed(ctx): Authed, ApiJson(input): ApiJson<CodeInput>) -> ApiResult<Response> {
    second_factor::remove_totp(&s.app, &ctx, &input.code).await?;
    Ok(no_content())
}

/// New recovery codes (the old ones stop working), given a current code.
#[utoipa::path(post, path = "/me/second-factor/recovery-codes", tag = "auth", request_body = CodeInput,
    responses((status = 200, body = RecoveryCodes), (status = 401, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn renew_recovery_codes(State(s): State<AppState>, Authed(ctx): Authed, ApiJson(input): ApiJson<CodeInput>) -> ApiResult<Response> {
    let recovery_codes = second_factor::renew_recovery_codes(&s.app, &ctx, &input.code).await?;
    Ok(axum::Json(RecoveryCodes { recovery_codes }).into_response())
}

/// An administrator removes another account's lost second factor: its key, recovery codes,
/// sessions and waiting sign-ins end, and the reset is in the audit trail. Where the policy
/// asks the account for a second factor, it sets up a new key at its next sign-in.
#[utoipa::path(post, path = "/users/{id}/second-factor/reset", tag = "users", params(("id" = String, Path, format = Uuid)),
    responses((status = 204), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn reset(State(s): State<AppState>, Authed(ctx): Authed, Path(uid): Path<String>) -> ApiResult<Response> {
    let uid: UserId = id(&uid)?;
    second_factor::reset(&s.app, &ctx, uid).await?;
    Ok(no_content())
}
