//! Imports in the workspace: upload an IATI file, read its preview (what would be created or
//! updated, every problem at its line), choose the activities and apply them.

use super::progress::{messages, read_multipart};
use super::{Base, FormData, Page, PageError, render, see_other};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::response::Response;
use liaison_app::AppError;
use liaison_app::imports::sheet::{RowPreview, SheetInfo, SheetOptions};
use liaison_app::imports::{ActivityPreview, PAGE, ProblemKey, ProblemView, Summary};
use serde::Deserialize;

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
    p: Summary,
    errors: Vec<String>,
    /// A page of the activities, and where the next starts (if there are more).
    activities: Vec<ActivityPreview>,
    next_activities: Option<u64>,
    /// Whether this is not the first page of activities, or of problems.
    later_activities: bool,
    problems: Vec<ProblemView>,
    next_problems: Option<String>,
    later_problems: bool,
}

impl PreviewPage {
    fn applied(&self) -> bool {
        self.p.state == "applied"
    }

    /// Whether every activity is on this page (then each can be chosen).
    fn all_shown(&self) -> bool {
        self.p.totals.activities <= PAGE
    }

    fn first_line<T>(&self, v: &[T], line: impl Fn(&T) -> u32) -> String {
        v.first().map(line).unwrap_or(0).to_string()
    }

    fn activities_from(&self) -> String {
        self.first_line(&self.activities, |a| a.line)
    }

    fn problems_from(&self) -> String {
        self.first_line(&self.problems, |p| p.line)
    }

    fn problems_total(&self) -> usize {
        self.p.totals.errors + self.p.totals.warnings
    }
}

#[derive(Template)]
#[template(path = "sheet_upload.html")]
struct SheetUploadPage {
    base: Base,
    plan_id: String,
    plan_code: String,
    errors: Vec<String>,
}

#[derive(Template)]
#[template(path = "sheet_preview.html")]
struct SheetPreviewPage {
    base: Base,
    p: Summary,
    s: SheetInfo,
    plan_id: Option<String>,
    how: String,
    fields: Vec<String>,
    errors: Vec<String>,
    rows: Vec<RowPreview>,
    next_rows: Option<u64>,
    later_rows: bool,
    problems: Vec<ProblemView>,
    next_problems: Option<String>,
    later_problems: bool,
}

impl SheetPreviewPage {
    fn plan_code(&self) -> &str {
        self.s.plan.as_ref().map(|p| p.code.as_str()).unwrap_or("")
    }

    fn is_field(&self, c: &liaison_app::imports::sheet::ColumnView, f: &str) -> bool {
        c.field.as_deref() == Some(f)
    }

    fn applied(&self) -> bool {
        self.p.state == "applied"
    }

    fn problems_total(&self) -> usize {
        self.p.totals.errors + self.p.totals.warnings
    }

    fn problems_from(&self) -> String {
        self.problems.first().map(|p| p.line).unwrap_or(0).to_string()
    }
}

/// The spreadsheet upload form of a plan (for those who may edit its items).
pub async fn sheet_form(State(s): State<AppState>, page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    let plan = liaison_app::plans::get(&s.app, &page.ctx, page.id(&id)?).await.map_err(|e| page.fail(e))?;
    let title = page.base.t("sheet-import-title");
    Ok(render(&SheetUploadPage { base: page.base.with_title(title), plan_id: plan.id.to_string(), plan_code: plan.code, errors: Vec::new() }))
}

/// An uploaded spreadsheet: read, stored with its preview, then shown.
pub async fn sheet_upload(State(s): State<AppState>, page: Page, Path(id): Path<String>, form: Multipart) -> Result<Response, PageError> {
    let plan = liaison_app::plans::get(&s.app, &page.ctx, page.id(&id)?).await.map_err(|e| page.fail(e))?;
    let result = match read_multipart(form).await {
        Err(r) => Err(AppError::Conflict(r)),
        Ok(up) => match up.file {
            None => Err(AppError::Invalid(liaison_domain::ValidationErrors::coded("file", "required", &[]))),
            Some((name, bytes)) => {
                let language = up.fields.0.iter().find(|(k, _)| k == "language").map(|(_, v)| v.clone()).filter(|v| !v.is_empty());
                liaison_app::imports::sheet::preview(&s.app, &page.ctx, &name, bytes, SheetOptions { plan: Some(plan.id), language, ..Default::default() })
                    .await
            }
        },
    };
    match result {
        Ok(p) => Ok(see_other(&format!("/imports/{}", p.id))),
        Err(e) => {
            let errors = messages(&page.base, e).map_err(|e| page.fail(e))?;
            let title = page.base.t("sheet-import-title");
            let mut r = render(&SheetUploadPage { base: page.base.with_title(title), plan_id: plan.id.to_string(), plan_code: plan.code, errors });
            *r.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
            Ok(r)
        }
    }
}

/// Preview a stored spreadsheet again with the mapping and header row of the form.
pub async fn sheet_mapping(State(s): State<AppState>, page: Page, Path(id): Path<String>, form: FormData) -> Result<Response, PageError> {
    let id: uuid::Uuid = page.id(&id)?;
    let p = liaison_app::imports::get(&s.app, &page.ctx, id).await.map_err(|e| page.fail(e))?;
    let mut options = p.sheet.as_ref().map(|s| s.options.clone()).unwrap_or_default();
    options.mapping.clear();
    for (k, v) in &form.0 {
        if let Some(letter) = k.strip_prefix("map_") {
            options.mapping.insert(letter.to_string(), v.clone());
        } else if k == "header_row" {
            options.header_row = v.trim().parse().ok();
        }
    }
    match liaison_app::imports::sheet::again(&s.app, &page.ctx, id, options).await {
        Ok(n) => Ok(see_other(&format!("/imports/{}", n.id))),
        Err(e) => {
            let errors = messages(&page.base, e).map_err(|e| page.fail(e))?;
            let mut r = show(&s, page, id, &PageAt::default(), errors).await?;
            *r.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
            Ok(r)
        }
    }
}

async fn show_sheet(
    s: &AppState,
    page: Page,
    p: Summary,
    info: SheetInfo,
    rows_after: Option<u64>,
    problems_after: Option<ProblemKey>,
    errors: Vec<String>,
) -> Result<Response, PageError> {
    let rows = liaison_app::imports::sheet::rows(&s.app, &page.ctx, p.id, rows_after, PAGE).await.map_err(|e| page.fail(e))?;
    let problems = liaison_app::imports::problems(&s.app, &page.ctx, p.id, problems_after, PAGE).await.map_err(|e| page.fail(e))?;
    let how = match (&info.encoding, &info.separator) {
        (Some(e), Some(sep)) => format!("CSV · {e} · {sep}"),
        _ => format!("XLSX · {}", info.sheet),
    };
    let title = format!("{} — {}", page.base.t("import-preview-title"), p.file_name);
    Ok(render(&SheetPreviewPage {
        base: page.base.with_title(title),
        plan_id: info.plan.as_ref().and_then(|pl| pl.id).map(|i| i.to_string()),
        how,
        fields: liaison_interop::sheet::table::Field::ALL.iter().map(|f| f.code().to_string()).collect(),
        errors,
        next_rows: liaison_app::imports::next_after(&rows),
        later_rows: rows_after.is_some(),
        rows: rows.into_iter().map(|(_, r)| r).collect(),
        next_problems: liaison_app::imports::next_after(&problems).map(|k| k.to_string()),
        later_problems: problems_after.is_some(),
        problems: problems.into_iter().map(|(_, p)| p).collect(),
        s: info,
        p,
    }))
}

/// Which page of the activities and of the problems to show.
#[derive(Deserialize, Default)]
pub struct PageAt {
    #[serde(default)]
    activities_after: String,
    #[serde(default)]
    problems_after: String,
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
pub async fn preview(State(s): State<AppState>, page: Page, Path(id): Path<String>, Query(at): Query<PageAt>) -> Result<Response, PageError> {
    let id: uuid::Uuid = page.id(&id)?;
    show(&s, page, id, &at, Vec::new()).await
}

async fn show(s: &AppState, page: Page, id: uuid::Uuid, at: &PageAt, errors: Vec<String>) -> Result<Response, PageError> {
    let bad = |field: &str| AppError::Invalid(liaison_domain::ValidationErrors::coded(field, "invalid", &[]));
    let activities_after = match at.activities_after.trim() {
        "" => None,
        n => Some(n.parse::<u64>().map_err(|_| page.fail(bad("activities_after")))?),
    };
    let problems_after = match at.problems_after.trim() {
        "" => None,
        k => Some(k.parse::<ProblemKey>().map_err(|e| page.fail(AppError::Invalid(e)))?),
    };
    let p = liaison_app::imports::get(&s.app, &page.ctx, id).await.map_err(|e| page.fail(e))?;
    if let Some(info) = p.sheet.clone() {
        return show_sheet(s, page, p, info, activities_after, problems_after, errors).await;
    }
    let activities = liaison_app::imports::activities(&s.app, &page.ctx, id, activities_after, PAGE).await.map_err(|e| page.fail(e))?;
    let problems = liaison_app::imports::problems(&s.app, &page.ctx, id, problems_after, PAGE).await.map_err(|e| page.fail(e))?;
    let next_activities = liaison_app::imports::next_after(&activities);
    let next_problems = liaison_app::imports::next_after(&problems).map(|k| k.to_string());
    let title = format!("{} — {}", page.base.t("import-preview-title"), p.file_name);
    Ok(render(&PreviewPage {
        base: page.base.with_title(title),
        p,
        errors,
        activities: activities.into_iter().map(|(_, a)| a).collect(),
        next_activities,
        later_activities: activities_after.is_some(),
        problems: problems.into_iter().map(|(_, p)| p).collect(),
        next_problems,
        later_problems: problems_after.is_some(),
    }))
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
            let mut r = show(&s, page, id, &PageAt::default(), errors).await?;
            *r.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
            Ok(r)
        }
    }
}
