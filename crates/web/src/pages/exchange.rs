//! The exchange page for security officers: this installation's identity, the trusted peers
//! (and a form to trust a key), the bundles sent and received, and the conflicts to settle.
//! Bundles themselves are made and applied with `liaison exchange` (the private key stays with
//! the command line).

use super::{Base, FormData, Page, PageError, render, see_other};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use liaison_app::AppError;
use liaison_app::exchange::{ExchangeError, Overview};
use liaison_domain::marking::Level;

#[derive(Template)]
#[template(path = "exchange.html")]
struct ExchangePage {
    base: Base,
    v: Overview,
    levels: Vec<Level>,
    form: (String, String, String, String),
    message: Option<String>,
}

fn fail(page: &Page, e: ExchangeError) -> PageError {
    match e {
        ExchangeError::App(e) => page.fail(e),
        ExchangeError::Refused(m) => page.fail(AppError::Internal(m)),
    }
}

async fn show(s: &AppState, page: Page, form: (String, String, String, String), message: Option<String>) -> Result<Response, PageError> {
    let v = liaison_app::exchange::overview(&s.app, &page.ctx).await.map_err(|e| fail(&page, e))?;
    let levels = s.app.config.scheme.levels().to_vec();
    let status = if message.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let title = page.base.t("exchange-title");
    let mut r = render(&ExchangePage { base: page.base.with_title(title), v, levels, form, message });
    *r.status_mut() = status;
    Ok(r)
}

pub async fn overview(State(s): State<AppState>, page: Page) -> Result<Response, PageError> {
    show(&s, page, Default::default(), None).await
}

pub async fn add_peer(State(s): State<AppState>, page: Page, data: FormData) -> Result<Response, PageError> {
    let form = (data.value("name"), data.value("key"), data.value("country"), data.value("level"));
    match liaison_app::exchange::add_peer(&s.app, &page.ctx, form.0.trim(), form.1.trim(), form.2.trim(), form.3.trim()).await {
        Ok(_) => Ok(see_other("/admin/exchange")),
        Err(ExchangeError::Refused(m)) => show(&s, page, form, Some(m)).await,
        Err(ExchangeError::App(AppError::Invalid(e))) => {
            let m = e.0.iter().map(|p| page.base.problem(p)).collect::<Vec<_>>().join(" ");
            show(&s, page, form, Some(m)).await
        }
        Err(e) => Err(fail(&page, e)),
    }
}

pub async fn settle(State(s): State<AppState>, page: Page, Path(id): Path<String>, data: FormData) -> Result<Response, PageError> {
    let id = uuid::Uuid::try_parse(&id).map_err(|_| PageError::not_found(&page.base))?;
    match liaison_app::exchange::settle(&s.app, &page.ctx, id, &data.value("keep")).await {
        Ok(()) => Ok(see_other("/admin/exchange")),
        Err(ExchangeError::Refused(m)) => show(&s, page, Default::default(), Some(m)).await,
        Err(e) => Err(fail(&page, e)),
    }
}
