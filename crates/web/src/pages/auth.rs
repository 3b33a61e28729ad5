//! Sign-in and sign-out pages, and the language switch.

use super::account::{KeyView, RecoveryCodesPage, code_problem};
use super::{Base, FormData, LANG_COOKIE, Page, PageError, Visitor, render, safe_next, see_other};
use crate::extract::{SESSION_COOKIE, cookie, meta};
use crate::middleware::{clear_session_cookie, session_cookie};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use liaison_app::AppError;
use liaison_app::auth::{SignIn, second_factor};
use liaison_domain::text::UiLang;
use liaison_i18n::Tr;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    base: Base,
    next: String,
    email: String,
    error: Option<String>,
    /// The OpenID providers to sign in with.
    providers: Vec<liaison_app::auth::sso::ProviderButton>,
    /// Signed out of Liaison after signing in with a provider: its end-session address.
    provider_logout: Option<(String, String)>,
}

impl LoginPage {
    fn next_query(&self) -> String {
        super::urlencode(&self.next)
    }
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
    /// Set by sign-out: the provider the session came from.
    signed_out: Option<String>,
}

pub async fn login_page(State(s): State<AppState>, v: Visitor, parts: Parts, Query(q): Query<NextQuery>) -> Response {
    let title = v.base.t("login-title");
    // Just signed out after a provider's sign-in: offer to sign out there too.
    let mut provider_logout = None;
    if let Some(name) = q.signed_out.as_deref().filter(|n| cookie(&parts, SSO_COOKIE) == Some(*n)) {
        let then = format!("{}/login", s.cfg.public_url.trim_end_matches('/'));
        if let Some(url) = liaison_app::auth::sso::end_session(&s.app, name, &then).await {
            let label = liaison_app::auth::sso::providers(&s.app).into_iter().find(|p| p.name == name).map(|p| p.label).unwrap_or_default();
            provider_logout = Some((label, url));
        }
    }
    let page = LoginPage {
        base: v.base.with_title(title),
        next: safe_next(q.next.as_deref()),
        email: String::new(),
        error: None,
        providers: liaison_app::auth::sso::providers(&s.app),
        provider_logout,
    };
    render(&page)
}

/// The sign-in page again, saying what went wrong (with `Retry-After` when one must wait).
fn login_error(s: &AppState, base: Base, next: &str, email: &str, msg: String, status: StatusCode, retry: Option<u64>) -> Response {
    let title = base.t("login-title");
    let mut r = render(&LoginPage {
        base: base.with_title(title),
        next: next.to_string(),
        email: email.to_string(),
        error: Some(msg),
        providers: liaison_app::auth::sso::providers(&s.app),
        provider_logout: None,
    });
    *r.status_mut() = status;
    if let Some(secs) = retry
        && let Ok(v) = HeaderValue::from_str(&secs.to_string())
    {
        r.headers_mut().insert(header::RETRY_AFTER, v);
    }
    r
}

fn factor_page(base: Base, next: String, pending: &liaison_app::auth::Pending, error: Option<String>) -> Response {
    let title = base.t("factor-title");
    render(&FactorPage {
        base: base.with_title(title),
        next,
        enrol: pending.enrol.as_ref().map(KeyView::of),
        totp: pending.totp,
        passkey: pending.passkey,
        error,
    })
}

pub async fn login_submit(State(s): State<AppState>, v: Visitor, parts: Parts, form: FormData) -> Response {
    let m = meta(&parts);
    let email = form.value("email");
    let next = safe_next(form.get("next"));
    let base = v.base;
    let fail = |base: Base, msg: String, status: StatusCode, retry: Option<u64>| login_error(&s, base, &next, &email, msg, status, retry);
    if let Err(wait) = s.login_limiter.hit(&m.source) {
        let msg = base.ta("login-rate-limited", &[("seconds", &wait.to_string())]);
        return fail(base, msg, StatusCode::TOO_MANY_REQUESTS, Some(wait));
    }
    let previous = cookie(&parts, SESSION_COOKIE);
    match liaison_app::auth::login(&s.app, &email, form.get("password").unwrap_or(""), previous, &m.source, &m.request_id).await {
        Ok(SignIn::Session(session)) => with_session(see_other(&next), &s, &session.secret),
        Ok(SignIn::SecondFactor(pending)) => {
            let mut r = factor_page(base, next.clone(), &pending, None);
            let secure = if s.cfg.cookie_secure { "; Secure" } else { "" };
            let secs = (pending.expires_at - s.app.now()).num_seconds().max(1);
            let c = format!("{CHALLENGE_COOKIE}={}; Path=/login; HttpOnly; SameSite=Strict; Max-Age={secs}{secure}", pending.challenge);
            if let Ok(v) = HeaderValue::from_str(&c) {
                r.headers_mut().append(header::SET_COOKIE, v);
            }
            r
        }
        Err(AppError::RateLimited { retry_after_secs }) => {
            let msg = base.ta("login-locked", &[("seconds", &retry_after_secs.to_string())]);
            fail(base, msg, StatusCode::TOO_MANY_REQUESTS, Some(retry_after_secs))
        }
        Err(_) => {
            let msg = base.t("login-failed");
            fail(base, msg, StatusCode::UNAUTHORIZED, None)
        }
    }
}

/// The cookie that carries a sign-in waiting for its second factor (only to `/login…`).
pub const CHALLENGE_COOKIE: &str = "liaison_challenge";

fn with_session(mut r: Response, s: &AppState, secret: &str) -> Response {
    let c = session_cookie(secret, s.cfg.cookie_secure, s.app.config.session_absolute);
    if let Ok(v) = HeaderValue::from_str(&c) {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    r
}

fn without_challenge(mut r: Response, s: &AppState) -> Response {
    let secure = if s.cfg.cookie_secure { "; Secure" } else { "" };
    if let Ok(v) = HeaderValue::from_str(&format!("{CHALLENGE_COOKIE}=; Path=/login; HttpOnly; SameSite=Strict; Max-Age=0{secure}")) {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    r
}

#[derive(Template)]
#[template(path = "login_factor.html")]
struct FactorPage {
    base: Base,
    next: String,
    enrol: Option<KeyView>,
    /// A code from the authenticator app answers.
    totp: bool,
    /// A passkey answers (the page's script asks the browser for it).
    passkey: bool,
    error: Option<String>,
}

/// The second step of a sign-in: the code from the authenticator app, a recovery code, or a
/// passkey's answer (put in the form by `passkey.js`).
pub async fn factor_submit(State(s): State<AppState>, v: Visitor, parts: Parts, form: FormData) -> Response {
    let m = meta(&parts);
    let next = safe_next(form.get("next"));
    let start_again = |base: Base, key: &str, status: StatusCode, retry: Option<u64>| {
        let msg = match retry {
            Some(secs) => base.ta(key, &[("seconds", &secs.to_string())]),
            None => base.t(key),
        };
        login_error(&s, base, &next, "", msg, status, retry)
    };
    let Some(challenge) = cookie(&parts, CHALLENGE_COOKIE) else {
        return start_again(v.base, "factor-expired", StatusCode::UNAUTHORIZED, None);
    };
    if let Err(wait) = s.login_limiter.hit(&m.source) {
        return start_again(v.base, "login-rate-limited", StatusCode::TOO_MANY_REQUESTS, Some(wait));
    }
    let previous = cookie(&parts, SESSION_COOKIE);
    let code = form.value("code");
    let answer = form.get("credential").filter(|c| !c.trim().is_empty()).map(serde_json::from_str::<serde_json::Value>);
    let proof = match &answer {
        Some(Ok(a)) => second_factor::Proof::Passkey(a),
        // Not JSON: no passkey answered so; refused like a wrong one.
        Some(Err(_)) => second_factor::Proof::Passkey(&serde_json::Value::Null),
        None => second_factor::Proof::Code(&code),
    };
    match second_factor::complete(&s.app, challenge, proof, previous, &m.source, &m.request_id).await {
        Ok(done) => {
            let r = match done.recovery_codes {
                Some(codes) => {
                    let title = v.base.t("recovery-codes-title");
                    render(&RecoveryCodesPage { base: v.base.with_title(title), codes, next })
                }
                None => see_other(&next),
            };
            without_challenge(with_session(r, &s, &done.session.secret), &s)
        }
        Err(AppError::Invalid(e)) => {
            let error = Some(code_problem(&v.base, &e));
            match second_factor::waiting(&s.app, challenge).await {
                Ok(pending) => {
                    let mut r = factor_page(v.base, next, &pending, error);
                    *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
                    r
                }
                Err(_) => without_challenge(start_again(v.base, "factor-expired", StatusCode::UNAUTHORIZED, None), &s),
            }
        }
        Err(AppError::RateLimited { retry_after_secs }) => {
            without_challenge(start_again(v.base, "login-locked", StatusCode::TOO_MANY_REQUESTS, Some(retry_after_secs)), &s)
        }
        Err(AppError::Unauthenticated) => without_challenge(start_again(v.base, "factor-expired", StatusCode::UNAUTHORIZED, None), &s),
        Err(e) => PageError::from_app(v.base, e).into_response(),
    }
}

/// The options for `navigator.credentials.get()` of a sign-in waiting for its second factor (the
/// page's script asks for them), as JSON; a problem (JSON) when it has ended or has no passkey.
pub async fn factor_passkey_options(State(s): State<AppState>, parts: Parts) -> Response {
    let m = meta(&parts);
    if let Err(wait) = s.login_limiter.hit(&m.source) {
        return crate::error::ApiError::from(AppError::RateLimited { retry_after_secs: wait }).into_response();
    }
    let Some(challenge) = cookie(&parts, CHALLENGE_COOKIE) else { return crate::error::ApiError::from(AppError::Unauthenticated).into_response() };
    match liaison_app::auth::passkey::begin_sign_in(&s.app, challenge).await {
        Ok(options) => axum::Json(options).into_response(),
        Err(e) => crate::error::ApiError::from(e).into_response(),
    }
}

pub async fn logout(State(s): State<AppState>, page: Page, parts: Parts) -> Response {
    if let Some(secret) = cookie(&parts, SESSION_COOKIE) {
        let _ = liaison_app::auth::logout(&s.app, &page.ctx, secret).await;
    }
    let to = match cookie(&parts, SSO_COOKIE).filter(|n| liaison_app::auth::sso::providers(&s.app).iter().any(|p| p.name == *n)) {
        Some(name) => format!("/login?signed_out={name}"),
        None => "/login".to_string(),
    };
    let mut r = see_other(&to);
    if let Ok(v) = HeaderValue::from_str(&clear_session_cookie(s.cfg.cookie_secure)) {
        r.headers_mut().insert(header::SET_COOKIE, v);
    }
    r
}

/// The cookie naming the provider the session came from (not a secret), for sign-out.
pub const SSO_COOKIE: &str = "liaison_sso";
/// The cookie holding a sign-in's `state` while it is at the provider.
pub const SSO_STATE_COOKIE: &str = "liaison_sso_state";

/// Go to provider `name` to sign in.
pub async fn sso_begin(State(s): State<AppState>, v: Visitor, parts: Parts, Path(name): Path<String>, Query(q): Query<NextQuery>) -> Response {
    let m = meta(&parts);
    let next = safe_next(q.next.as_deref());
    match liaison_app::auth::sso::begin(&s.app, &name, &next, &m.request_id).await {
        Ok((url, state)) => {
            let mut r = Redirect::to(&url).into_response();
            let secure = if s.cfg.cookie_secure { "; Secure" } else { "" };
            // Lax: the provider sends the browser back with a top-level GET from its own site.
            let c = format!("{SSO_STATE_COOKIE}={state}; Path=/login/sso; HttpOnly; SameSite=Lax; Max-Age={}{secure}", liaison_app::auth::sso::FLOW_SECONDS);
            if let Ok(v) = HeaderValue::from_str(&c) {
                r.headers_mut().append(header::SET_COOKIE, v);
            }
            r
        }
        Err(AppError::NotFound) => PageError::not_found(&v.base).into_response(),
        Err(e) => sso_refused(&s, v.base, &next, &e),
    }
}

#[derive(Deserialize)]
pub struct Callback {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

/// The provider sends the browser back here with a code (or an error).
pub async fn sso_callback(State(s): State<AppState>, v: Visitor, parts: Parts, Path(name): Path<String>, Query(q): Query<Callback>) -> Response {
    let m = meta(&parts);
    let (Some(code), Some(state)) = (q.code.as_deref(), q.state.as_deref()) else {
        if let Some(e) = &q.error {
            tracing::info!(provider = %name, error = %e.chars().take(100).collect::<String>(), "single sign-on: the provider answered an error");
        }
        let e = AppError::Forbidden(liaison_domain::Refusal::new("sso-refused"));
        return sso_refused(&s, v.base, "/", &e);
    };
    let previous = cookie(&parts, SESSION_COOKIE);
    let held = cookie(&parts, SSO_STATE_COOKIE);
    match liaison_app::auth::sso::finish(&s.app, &name, code, state, held, previous, &m.source, &m.request_id).await {
        Ok(done) => {
            let mut r = with_session(see_other(&done.next), &s, &done.session.secret);
            let secure = if s.cfg.cookie_secure { "; Secure" } else { "" };
            for c in [
                format!("{SSO_STATE_COOKIE}=; Path=/login/sso; HttpOnly; SameSite=Lax; Max-Age=0{secure}"),
                format!("{SSO_COOKIE}={name}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}", s.app.config.session_absolute.as_secs()),
            ] {
                if let Ok(v) = HeaderValue::from_str(&c) {
                    r.headers_mut().append(header::SET_COOKIE, v);
                }
            }
            r
        }
        Err(AppError::NotFound) => PageError::not_found(&v.base).into_response(),
        Err(e) => sso_refused(&s, v.base, "/", &e),
    }
}

/// The sign-in page saying why a provider's sign-in did not sign in: never a 5xx, even when the
/// provider is down (the provider's failure is not this server's).
fn sso_refused(s: &AppState, base: Base, next: &str, e: &AppError) -> Response {
    let (msg, status) = match e {
        AppError::Forbidden(r) => (base.tr.refusal(r), StatusCode::FORBIDDEN),
        // The provider cannot be reached: its failure, not this server's.
        AppError::Conflict(r) => (base.tr.refusal(r), StatusCode::CONFLICT),
        _ => (base.t("sso-failed"), StatusCode::UNAUTHORIZED),
    };
    login_error(s, base, next, "", msg, status, None)
}

/// Remember a language and go back to the page it was chosen on. For a signed-in user the
/// account remembers it too, so that notifications and e-mails come in it.
pub async fn set_language(State(s): State<AppState>, Path(tag): Path<String>, Query(q): Query<NextQuery>, visitor: Option<Page>) -> Response {
    let Some(lang) = UiLang::parse(&tag) else {
        return match visitor {
            Some(page) => PageError::not_found(&page.base).into_response(),
            None => (StatusCode::NOT_FOUND, Tr { lang: UiLang::En }.get("error-not-found-body")).into_response(),
        };
    };
    if let Some(page) = visitor
        && let Err(e) = liaison_app::users::set_language(&s.app, &page.ctx, lang).await
    {
        // The cookie still carries the choice; the account keeps its earlier language.
        tracing::warn!(error = %e, "the chosen language could not be saved for the account");
    }
    let mut r = see_other(&safe_next(q.next.as_deref()));
    let secure = if s.cfg.cookie_secure { "; Secure" } else { "" };
    let c = format!("{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax{secure}", lang.tag());
    if let Ok(v) = HeaderValue::from_str(&c) {
        r.headers_mut().insert(header::SET_COOKIE, v);
    }
    r
}
