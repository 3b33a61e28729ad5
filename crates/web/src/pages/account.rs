//! One's own account: the second factor (an authenticator app, passkeys and recovery codes),
//! and mail; and the sign-in step that asks for the second factor.

use super::{Base, FormData, Page, PageError, render, see_other};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use liaison_app::AppError;
use liaison_app::auth::passkey::{self, PasskeyInfo};
use liaison_app::auth::{Enrolment, FactorStatus, second_factor};

/// A TOTP key as a page shows it: a QR code (an SVG in a `data:` address, which the page's
/// policy allows) and the key in groups of four for typing.
pub struct KeyView {
    pub qr: String,
    pub secret: String,
}

impl KeyView {
    pub fn of(e: &Enrolment) -> KeyView {
        let qr = match qrcode::QrCode::new(e.uri.as_bytes()) {
            Ok(code) => {
                let svg = code.render::<qrcode::render::svg::Color>().min_dimensions(200, 200).quiet_zone(true).build();
                format!("data:image/svg+xml;base64,{}", base64::engine::general_purpose::STANDARD.encode(svg))
            }
            Err(e) => {
                tracing::warn!(error = %e, "the key's QR code could not be drawn");
                String::new()
            }
        };
        let chars: Vec<char> = e.secret.chars().collect();
        let secret = chars.chunks(4).map(|c| c.iter().collect::<String>()).collect::<Vec<_>>().join(" ");
        KeyView { qr, secret }
    }
}

/// The words of a refused code (or of whatever else the use case found wrong).
pub fn code_problem(base: &Base, e: &liaison_domain::ValidationErrors) -> String {
    e.0.iter().map(|f| base.tr.field_error(f)).collect::<Vec<_>>().join(" ")
}

#[derive(Template)]
#[template(path = "recovery_codes.html")]
pub struct RecoveryCodesPage {
    pub base: Base,
    pub codes: Vec<String>,
    pub next: String,
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    base: Base,
    status: FactorStatus,
    pending: Option<KeyView>,
    passkeys: Vec<PasskeyInfo>,
    error: Option<String>,
    /// One e-mail a day instead of one per notification.
    digest: bool,
    /// Whether this installation sends e-mail at all.
    email: bool,
}

async fn account_page(s: &AppState, page: Page, error: Option<String>) -> Result<Response, PageError> {
    let status = second_factor::status(&s.app, &page.ctx).await.map_err(|e| page.fail(e))?;
    let pending = second_factor::pending_totp(&s.app, &page.ctx).await.map_err(|e| page.fail(e))?.as_ref().map(KeyView::of);
    let passkeys = passkey::list(&s.app, &page.ctx).await.map_err(|e| page.fail(e))?;
    let title = page.base.t("account-title");
    let code = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let digest = liaison_app::notifications::digest(&s.app, &page.ctx).await.map_err(|e| page.fail(e))?;
    let email = s.app.sends_email();
    let mut r = render(&AccountPage { base: page.base.with_title(title), status, pending, passkeys, error, digest, email });
    *r.status_mut() = code;
    Ok(r)
}

pub async fn account(State(s): State<AppState>, page: Page) -> Result<Response, PageError> {
    account_page(&s, page, None).await
}

pub async fn begin_totp(State(s): State<AppState>, page: Page) -> Result<Response, PageError> {
    second_factor::begin_totp(&s.app, &page.ctx).await.map_err(|e| page.fail(e))?;
    Ok(see_other("/account"))
}

/// After a use case that answers recovery codes: show them once, or the problem with the code.
async fn codes_or_problem(s: &AppState, page: Page, r: liaison_app::Result<Vec<String>>) -> Result<Response, PageError> {
    match r {
        Ok(codes) => {
            let title = page.base.t("recovery-codes-title");
            Ok(render(&RecoveryCodesPage { base: page.base.with_title(title), codes, next: "/account".into() }))
        }
        Err(AppError::Invalid(e)) => {
            let msg = code_problem(&page.base, &e);
            account_page(s, page, Some(msg)).await
        }
        Err(e) => Err(page.fail(e)),
    }
}

pub async fn confirm_totp(State(s): State<AppState>, page: Page, form: FormData) -> Result<Response, PageError> {
    let r = second_factor::confirm_totp(&s.app, &page.ctx, &form.value("code")).await;
    codes_or_problem(&s, page, r).await
}

pub async fn renew_recovery_codes(State(s): State<AppState>, page: Page, form: FormData) -> Result<Response, PageError> {
    let r = second_factor::renew_recovery_codes(&s.app, &page.ctx, &form.value("code")).await;
    codes_or_problem(&s, page, r).await
}

pub async fn remove_totp(State(s): State<AppState>, page: Page, form: FormData) -> Result<Response, PageError> {
    match second_factor::remove_totp(&s.app, &page.ctx, &form.value("code")).await {
        Ok(()) => Ok(see_other("/account")),
        Err(AppError::Invalid(e)) => {
            let msg = code_problem(&page.base, &e);
            account_page(&s, page, Some(msg)).await
        }
        Err(e) => Err(page.fail(e)),
    }
}

pub async fn set_mail(State(s): State<AppState>, page: Page, form: FormData) -> Result<Response, PageError> {
    liaison_app::notifications::set_digest(&s.app, &page.ctx, form.get("digest") == Some("on")).await.map_err(|e| page.fail(e))?;
    Ok(see_other("/account"))
}

/// The options for `navigator.credentials.create()` (the page's script asks for them), as JSON;
/// a problem (JSON) when passkeys are not offered here.
pub async fn passkey_options(State(s): State<AppState>, page: Page) -> Response {
    match passkey::begin_registration(&s.app, &page.ctx).await {
        Ok(options) => axum::Json(options).into_response(),
        Err(e) => crate::error::ApiError::from(e).into_response(),
    }
}

/// Register the passkey the page's script put in the form (with its name).
pub async fn register_passkey(State(s): State<AppState>, page: Page, form: FormData) -> Result<Response, PageError> {
    let credential = match serde_json::from_str::<serde_json::Value>(&form.value("credential")) {
        Ok(v) => v,
        // The script did not run (or the browser has no passkeys): what was sent is no answer.
        Err(_) => serde_json::Value::Null,
    };
    match passkey::finish_registration(&s.app, &page.ctx, &form.value("name"), &credential).await {
        Ok(done) => match done.recovery_codes {
            Some(codes) => {
                let title = page.base.t("recovery-codes-title");
                Ok(render(&RecoveryCodesPage { base: page.base.with_title(title), codes, next: "/account".into() }))
            }
            None => Ok(see_other("/account")),
        },
        Err(AppError::Invalid(e)) => {
            let msg = code_problem(&page.base, &e);
            account_page(&s, page, Some(msg)).await
        }
        Err(AppError::Conflict(r)) => {
            let msg = page.base.tr.refusal(&r);
            account_page(&s, page, Some(msg)).await
        }
        Err(e) => Err(page.fail(e)),
    }
}

pub async fn remove_passkey(State(s): State<AppState>, page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    let Ok(id) = uuid::Uuid::parse_str(&id) else { return Err(PageError::not_found(&page.base)) };
    passkey::remove(&s.app, &page.ctx, id).await.map_err(|e| page.fail(e))?;
    Ok(see_other("/account"))
}
