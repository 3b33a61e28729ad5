//! Imports in the workspace: upload an IATI file, read its preview (what would be created or
//! updated, every problem at its line), choose the activities and apply them.

use super::progress::{messages, read_multipart};
use super::{Base, FormData, Page, PageError, render, see_other};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::response::Response;
use liaison_app::AppError;
use liaison_app::imports::Preview;

/// How many problems the page lists (all of them are in the API's answer).
const PROBLEMS_SHOWN: usize = 1000;

#[derive(Template)]
#[template(path = "import_upload.html")]
struct UploadPage {
    base: Base,
    errors: Vec<String>,
}

#[derive(Template)]
#[template(path = "import_preview.html")]
struct PreviewPage {
    base: Base,
    p: Preview,
    errors: Vec<String>,
    shown: usize,
}

impl PreviewPage {
    fn applied(&self) -> bool {
        self.p.state == "applied"
    }
}

/// The upload form.
pub async fn upload_form(page: Page) -> Result<Response, PageError> {
    liaison_app::imports::may_import(&page.ctx).map_err(|e| page.fail(e))?;
    let title = page.base.t("import-title");
    Ok(render(&UploadPage { base: page.base.with_title(title), errors: Vec::new() }))
}

/// An uploaded file: checked, stored with its preview, then shown.
pub async fn upload(State(s): State<AppState>, page: Page, form: Multipart) -> Result<Response, PageError> {
    liaison_app::imports::may_import(&page.ctx).map_err(|e| page.fail(e))?;
    let result = match read_multipart(form).await {
        Err(r) => Err(AppError::Conflict(r)),
        Ok(up) => match up.file {
            None => Err(AppError::Invalid(liaison_domain::ValidationErrors::coded("file", "required", &[]))),
            Some((name, bytes)) => liaison_app::imports::preview_iati(&s.app, &page.ctx, &name, bytes, &mut |_| {}).await,
        },
    };
    match result {
        Ok(p) => Ok(see_other(&format!("/imports/{}", p.id))),
        Err(e) => {
            let errors = messages(&page.base, e).map_err(|e| page.fail(e))?;
            let title = page.base.t("import-title");
            let mut r = render(&UploadPage { base: page.base.with_title(title), errors });
            *r.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
            Ok(r)
        }
    }
}

/// A stored import: its preview, or once applied what was applied.
pub async fn preview(State(s): State<AppState>, page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    let id: uuid::Uuid = page.id(&id)?;
    let p = liaison_app::imports::get(&s.app, &page.ctx, id).await.map_err(|e| page.fail(e))?;
    Ok(show(page, p, Vec::new()))
}

fn show(page: Page, p: Preview, errors: Vec<String>) -> Response {
    let title = format!("{} — {}", page.base.t("import-preview-title"), p.file_name);
    let shown = p.problems.len().min(PROBLEMS_SHOWN);
    render(&PreviewPage { base: page.base.with_title(title), p, errors, shown })
}

/// Apply the chosen activities (each `activity` field; none chosen: every importable one).
pub async fn apply(State(s): State<AppState>, page: Page, Path(id): Path<String>, form: FormData) -> Result<Response, PageError> {
    let id: uuid::Uuid = page.id(&id)?;
    let chosen: Vec<String> = form.0.iter().filter(|(k, _)| k == "activity").map(|(_, v)| v.clone()).collect();
    let only = if chosen.is_empty() { None } else { Some(chosen) };
    match liaison_app::imports::apply(&s.app, &page.ctx, id, only).await {
        Ok(_) => Ok(see_other(&format!("/imports/{id}"))),
        Err(e) => {
            let errors = messages(&page.base, e).map_err(|e| page.fail(e))?;
            let p = liaison_app::imports::get(&s.app, &page.ctx, id).await.map_err(|e| page.fail(e))?;
            let mut r = show(page, p, errors);
            *r.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
            Ok(r)
        }
    }
}
