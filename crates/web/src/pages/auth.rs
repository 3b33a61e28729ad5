//! Sign-in and sign-out pages, and the language switch.

use super::{Base, FormData, LANG_COOKIE, Page, PageError, Visitor, render, safe_next, see_other};
use crate::extract::{SESSION_COOKIE, cookie, meta};
use crate::middleware::{clear_session_cookie, session_cookie};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use liaison_app::AppError;
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
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

pub async fn login_page(v: Visitor, Query(q): Query<NextQuery>) -> Response {
    let title = v.base.t("login-title");
    render(&LoginPage { base: v.base.with_title(title), next: safe_next(q.next.as_deref()), email: String::new(), error: None })
}

pub async fn login_submit(State(s): State<AppState>, v: Visitor, parts: Parts, form: FormData) -> Response {
    let m = meta(&parts);
    let email = form.value("email");
    let next = safe_next(form.get("next"));
    let title = v.base.t("login-title");
    let base = v.base.with_title(title);
    let fail = |base: Base, msg: String, status: StatusCode, retry: Option<u64>| {
        let mut r = render(&LoginPage { base, next: next.clone(), email: email.clone(), error: Some(msg) });
        *r.status_mut() = status;
        if let Some(secs) = retry
            && let Ok(v) = HeaderValue::from_str(&secs.to_string())
        {
            r.headers_mut().insert(header::RETRY_AFTER, v);
        }
        r
    };
    if let Err(wait) = s.login_limiter.hit(&m.source) {
        let msg = base.ta("login-rate-limited", &[("seconds", &wait.to_string())]);
        return fail(base, msg, StatusCode::TOO_MANY_REQUESTS, Some(wait));
    }
    let previous = cookie(&parts, SESSION_COOKIE);
    match liaison_app::auth::login(&s.app, &email, form.get("password").unwrap_or(""), previous, &m.source, &m.request_id).await {
        Ok(session) => {
            let mut r = see_other(&next);
            let c = session_cookie(&session.secret, s.cfg.cookie_secure, s.app.config.session_absolute);
            if let Ok(v) = HeaderValue::from_str(&c) {
                r.headers_mut().insert(header::SET_COOKIE, v);
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

pub async fn logout(State(s): State<AppState>, page: Page, parts: Parts) -> Response {
    if let Some(secret) = cookie(&parts, SESSION_COOKIE) {
        let _ = liaison_app::auth::logout(&s.app, &page.ctx, secret).await;
    }
    let mut r = see_other("/login");
    if let Ok(v) = HeaderValue::from_str(&clear_session_cookie(s.cfg.cookie_secure)) {
        r.headers_mut().insert(header::SET_COOKIE, v);
    }
    r
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
