//! IATI 2.03: the plan's activity file for the reader's access.

use super::id;
use crate::error::{ApiResult, Problem};
use crate::extract::{ApiQuery, Authed};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use liaison_domain::PlanId;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(export))
}

#[derive(Deserialize, IntoParams, Default)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    /// The framework level whose items are the plan's child activities (default: the first,
    /// e.g. `chapter`).
    pub level: Option<String>,
}

/// An IATI file answer: XML, to be saved under a name that says what it is, and its marking.
pub(crate) fn xml_file(xml: Vec<u8>, filename: &str, marking: Option<&str>) -> Response {
    let mut r = xml.into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/xml; charset=utf-8"));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")) {
        r.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    // Header values are ASCII: the banner's middle dot becomes a dash.
    if let Some(m) = marking.and_then(|m| HeaderValue::from_str(&m.replace('·', "-")).ok()) {
        r.headers_mut().insert("x-liaison-marking", m);
    }
    r
}

/// The plan as an IATI 2.03 activity file (the plan the parent activity, its items at `level`
/// the child activities), of what you may see; the file's first line names its highest
/// marking. Audited as an export. 409 when the plan's owner has no IATI organisation
/// identifier (set it on the organisation).
#[utoipa::path(get, path = "/plans/{id}/iati.xml", tag = "implementation", params(("id" = String, Path, format = Uuid), ExportQuery),
    responses((status = 200, content_type = "application/xml", body = String), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn export(State(s): State<AppState>, Authed(ctx): Authed, Path(pid): Path<String>, ApiQuery(q): ApiQuery<ExportQuery>) -> ApiResult<Response> {
    let plan = id::<PlanId>(&pid)?;
    let out = liaison_app::iati::export(&s.app, &ctx, plan, q.level.as_deref()).await?;
    Ok(xml_file(out.xml, &format!("iati-{plan}.xml"), Some(&out.marking.banner())))
}
