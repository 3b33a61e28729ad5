//! Sign-in, sign-out, the signed-in user and their API tokens.

use super::{id, no_content, versioned};
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::{ApiJson, Authed, SESSION_COOKIE, cookie, meta};
use crate::middleware::{clear_session_cookie, session_cookie};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use liaison_app::auth;
use liaison_domain::TokenId;
use liaison_domain::user::User;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(login))
        .routes(routes!(logout))
        .routes(routes!(me))
        .routes(routes!(change_own_password))
        .routes(routes!(set_own_language))
        .routes(routes!(own_mail, set_own_mail))
        .routes(routes!(list_tokens, issue_token))
        .routes(routes!(revoke_token))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginInput {
    pub email: String,
    pub password: String,
}

/// The signed-in user and when the session ends.
#[derive(Serialize, ToSchema)]
pub struct SessionInfo {
    pub user: User,
    #[schema(value_type = String, format = DateTime)]
    pub expires_at: liaison_domain::Timestamp,
}

/// Sign in with e-mail and password; sets the session cookie. Unknown accounts and wrong
/// passwords get the same answer; repeated failures lock the account for a growing while,
/// and each address may try only so often (429 with `Retry-After`). An account with a second
/// factor (or one the policy asks for) answers 202: finish with `POST /auth/second-factor`.
#[utoipa::path(post, path = "/auth/login", tag = "auth", security(()), request_body = LoginInput,
    responses((status = 200, body = SessionInfo), (status = 202, body = super::second_factor::SecondFactorAsked), (status = 401, body = Problem), (status = 422, body = Problem), (status = 429, body = Problem)))]
pub async fn login(State(s): State<AppState>, parts: Parts, ApiJson(input): ApiJson<LoginInput>) -> ApiResult<Response> {
    let m = meta(&parts);
    limit_address(&s, &m.source)?;
    let previous = cookie(&parts, SESSION_COOKIE);
    let session = match auth::login(&s.app, &input.email, &input.password, previous, &m.source, &m.request_id).await? {
        auth::SignIn::Session(session) => session,
        auth::SignIn::SecondFactor(p) => {
            return Ok((StatusCode::ACCEPTED, axum::Json(super::second_factor::SecondFactorAsked::from(p))).into_response());
        }
    };
    let r = (StatusCode::OK, axum::Json(SessionInfo { user: session.user, expires_at: session.expires_at })).into_response();
    Ok(with_session(r, &s, &session.secret))
}

/// Each address may try to sign in only so often (429 with `Retry-After`).
pub(super) fn limit_address(s: &AppState, source: &str) -> ApiResult<()> {
    s.login_limiter.hit(source).map_err(|wait| {
        ApiError::from(Problem {
            retry_after: Some(wait),
            ..Problem::worded(StatusCode::TOO_MANY_REQUESTS, "rate-limited", "problem-rate-limited-address", &[("seconds", &wait.to_string())])
        })
    })
}

/// The answer with the cookie of a new session.
pub(super) fn with_session(mut r: Response, s: &AppState, secret: &str) -> Response {
    let c = session_cookie(secret, s.cfg.cookie_secure, s.app.config.session_absolute);
    if let Ok(v) = HeaderValue::from_str(&c) {
        r.headers_mut().insert(header::SET_COOKIE, v);
    }
    r
}

/// End the current session and clear its cookie.
#[utoipa::path(post, path = "/auth/logout", tag = "auth", responses((status = 204), (status = 401, body = Problem)))]
pub async fn logout(State(s): State<AppState>, parts: Parts, Authed(ctx): Authed) -> ApiResult<Response> {
    if let Some(secret) = cookie(&parts, SESSION_COOKIE) {
        auth::logout(&s.app, &ctx, secret).await?;
    }
    let mut r = no_content();
    if let Ok(v) = HeaderValue::from_str(&clear_session_cookie(s.cfg.cookie_secure)) {
        r.headers_mut().insert(header::SET_COOKIE, v);
    }
    Ok(r)
}

/// Who is signed in, with their roles.
#[derive(Serialize, ToSchema)]
pub struct Me {
    pub user: User,
    pub organisation: liaison_domain::organisation::Organisation,
    /// Roles by plan id.
    pub roles: std::collections::BTreeMap<String, liaison_domain::access::Role>,
}

#[utoipa::path(get, path = "/me", tag = "auth", responses((status = 200, body = Me), (status = 401, body = Problem)))]
pub async fn me(State(s): State<AppState>, Authed(ctx): Authed) -> ApiResult<Response> {
    let (Some(user), Some(subject)) = (ctx.actor.user(), ctx.actor.subject()) else {
        return Err(liaison_app::AppError::Unauthenticated.into());
    };
    let organisation = liaison_app::organisations::get(&s.app, &ctx, user.organisation).await?;
    let roles = subject.memberships.iter().map(|(p, r)| (p.to_string(), *r)).collect();
    Ok(versioned(StatusCode::OK, user.version, &Me { user: user.clone(), organisation, roles }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OwnPassword {
    pub current_password: String,
    pub password: String,
}

/// Change one's own password (every session of the account ends).
#[utoipa::path(put, path = "/me/password", tag = "auth", request_body = OwnPassword,
    responses((status = 204), (status = 401, body = Problem), (status = 422, body = Problem)))]
pub async fn change_own_password(State(s): State<AppState>, Authed(ctx): Authed, ApiJson(input): ApiJson<OwnPassword>) -> ApiResult<Response> {
    let me = ctx.actor.user_id().ok_or(liaison_app::AppError::Unauthenticated)?;
    liaison_app::users::set_password(&s.app, &ctx, me, Some(&input.current_password), &input.password).await?;
    Ok(no_content())
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OwnLanguage {
    /// `en`, `sr-Cyrl` or `sr-Latn`.
    #[schema(value_type = String, example = "sr-Cyrl")]
    pub language: liaison_domain::text::UiLang,
}

/// Choose the language one's notifications and e-mails are written in (the workspace's
/// language switch sets it too).
#[utoipa::path(put, path = "/me/language", tag = "auth", request_body = OwnLanguage,
    responses((status = 204), (status = 401, body = Problem), (status = 422, body = Problem)))]
pub async fn set_own_language(State(s): State<AppState>, Authed(ctx): Authed, ApiJson(input): ApiJson<OwnLanguage>) -> ApiResult<Response> {
    liaison_app::users::set_language(&s.app, &ctx, input.language).await?;
    Ok(no_content())
}

/// How one's notifications come by e-mail.
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OwnMail {
    /// One e-mail a day listing the notifications, instead of one e-mail each.
    pub digest: bool,
}

#[utoipa::path(get, path = "/me/mail", tag = "auth", responses((status = 200, body = OwnMail), (status = 401, body = Problem)))]
pub async fn own_mail(State(s): State<AppState>, Authed(ctx): Authed) -> ApiResult<Response> {
    Ok(axum::Json(OwnMail { digest: liaison_app::notifications::digest(&s.app, &ctx).await? }).into_response())
}

/// Choose one e-mail a day (a digest) or one e-mail per notification.
#[utoipa::path(put, path = "/me/mail", tag = "auth", request_body = OwnMail,
    responses((status = 204), (status = 401, body = Problem), (status = 422, body = Problem)))]
pub async fn set_own_mail(State(s): State<AppState>, Authed(ctx): Authed, ApiJson(input): ApiJson<OwnMail>) -> ApiResult<Response> {
    liaison_app::notifications::set_digest(&s.app, &ctx, input.digest).await?;
    Ok(no_content())
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewToken {
    /// What the token is for, e.g. "reporting script".
    pub name: String,
    /// Days until it expires; never if absent.
    #[serde(default)]
    pub valid_days: Option<u32>,
}

/// An API token as its owner sees it; the secret is never shown again.
#[derive(Serialize, ToSchema)]
pub struct TokenView {
    #[schema(value_type = String, format = Uuid)]
    pub id: TokenId,
    pub name: String,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: liaison_domain::Timestamp,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub last_used_at: Option<liaison_domain::Timestamp>,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub expires_at: Option<liaison_domain::Timestamp>,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub revoked_at: Option<liaison_domain::Timestamp>,
}

impl From<auth::TokenInfo> for TokenView {
    fn from(t: auth::TokenInfo) -> Self {
        TokenView { id: t.id, name: t.name, created_at: t.created_at, last_used_at: t.last_used_at, expires_at: t.expires_at, revoked_at: t.revoked_at }
    }
}

/// A new token: its secret is shown this once.
#[derive(Serialize, ToSchema)]
pub struct IssuedToken {
    /// The secret, to send as `Authorization: Bearer …`.
    pub token: String,
    pub info: TokenView,
}

#[utoipa::path(get, path = "/auth/tokens", tag = "auth", responses((status = 200, body = Vec<TokenView>), (status = 401, body = Problem)))]
pub async fn list_tokens(State(s): State<AppState>, Authed(ctx): Authed) -> ApiResult<Response> {
    let tokens: Vec<TokenView> = auth::my_tokens(&s.app, &ctx).await?.into_iter().map(TokenView::from).collect();
    Ok(axum::Json(tokens).into_response())
}

/// Issue an API token for the signed-in user.
#[utoipa::path(post, path = "/auth/tokens", tag = "auth", request_body = NewToken,
    responses((status = 201, body = IssuedToken), (status = 401, body = Problem), (status = 422, body = Problem)))]
pub async fn issue_token(State(s): State<AppState>, Authed(ctx): Authed, ApiJson(input): ApiJson<NewToken>) -> ApiResult<Response> {
    let user = ctx.actor.user().cloned().ok_or(liaison_app::AppError::Unauthenticated)?;
    let (token, info) = auth::issue_token(&s.app, &ctx, &user, &input.name, input.valid_days).await?;
    Ok((StatusCode::CREATED, axum::Json(IssuedToken { token, info: info.into() })).into_response())
}

/// Revoke a token at once.
#[utoipa::path(delete, path = "/auth/tokens/{id}", tag = "auth", params(("id" = String, Path, format = Uuid)),
    responses((status = 204), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn revoke_token(State(s): State<AppState>, Authed(ctx): Authed, Path(tid): Path<String>) -> ApiResult<Response> {
    let tid: TokenId = id(&tid)?;
    auth::revoke_token(&s.app, &ctx, tid).await?;
    Ok(no_content())
}
