//! Search over everything the caller may see.

use crate::error::{ApiResult, Problem};
use crate::extract::{ApiQuery, Authed};
use crate::state::AppState;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use liaison_domain::search::{Results, SearchParams};
use liaison_domain::text::UiLang;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(search))
}

/// Search items, indicators, progress reports, comments, assistance requests and offers,
/// activities, stories, decisions, organisations and the text of evidence files — only what you
/// may see is found, counted or quoted. `q` is words (all must match, in either script, with or
/// without diacritics), `"phrases"`, `word*` prefixes and codes (`PG-17`, `2.3.1`, which rank
/// first). `kind` takes one kind or several separated by commas; `prefix=1` reads the last word
/// as a prefix (as one types). `facets` count every hit by kind, plan and status; `next_cursor`
/// gives the next page.
#[utoipa::path(get, path = "/search", tag = "search",
    params(
        ("q" = String, Query, description = "What to look for (1 to 500 characters)"),
        ("plan" = Option<String>, Query, format = Uuid),
        ("kind" = Option<String>, Query, description = "item, indicator, report, comment, request, offer, activity, story, decision, organisation, evidence"),
        ("status" = Option<String>, Query),
        ("area" = Option<String>, Query),
        ("from" = Option<String>, Query, format = Date),
        ("to" = Option<String>, Query, format = Date),
        ("limit" = Option<u32>, Query, description = "1 to 100, default 20"),
        ("cursor" = Option<String>, Query),
        ("prefix" = Option<String>, Query, description = "1: the last word is a prefix"),
        ("lang" = Option<String>, Query, description = "en, sr-Cyrl or sr-Latn: the language of titles and snippets"),
    ),
    responses((status = 200, body = Results), (status = 401, body = Problem), (status = 422, body = Problem)))]
pub async fn search(State(s): State<AppState>, Authed(ctx): Authed, ApiQuery(q): ApiQuery<SearchParams>) -> ApiResult<Response> {
    Ok(axum::Json(liaison_app::search::search(&s.app, &ctx, &q, UiLang::default()).await?).into_response())
}
