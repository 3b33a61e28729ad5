//! Items of a plan's tree and their links.

use super::{Page, created, id, no_content, versioned};
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::{ApiJson, ApiQuery, Authed, IfMatch, PageQuery};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use liaison_app::history::{Record, history as record_history};
use liaison_app::items::{self as uc, LinkView};
use liaison_app::{AppError, Ctx, Paging};
use liaison_domain::change::Change;
use liaison_domain::due::Quarter;
use liaison_domain::item::{Item, ItemPatch, ItemQuery, ItemStatus, MoveItem, NewItem, NewLink};
use liaison_domain::{ItemId, LinkId, OrganisationId, PlanId};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(count))
        .routes(routes!(get, update, delete))
        .routes(routes!(move_item))
        .routes(routes!(history))
        .routes(routes!(links, create_link))
        .routes(routes!(delete_link))
        .routes(routes!(link_history))
        .routes(routes!(comments, create_comment))
}

/// Filters of an item list.
#[derive(Deserialize, IntoParams, Default)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ItemListQuery {
    pub status: Option<ItemStatus>,
    /// An area code.
    pub area: Option<String>,
    /// Lead or contributing organisation.
    pub organisation: Option<String>,
    /// A level key of the plan's framework, e.g. `objective`.
    pub level: Option<String>,
    /// An item id, or `root` for the top level.
    pub parent: Option<String>,
    /// A quarter such as `2015-Q3`: items due in it.
    pub due_quarter: Option<String>,
    /// `true`: only items past their due date and not closed.
    pub overdue: Option<bool>,
    /// Words to find in codes and titles, in either script.
    pub q: Option<String>,
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

fn bad(field: &str, expected: &str) -> ApiError {
    ApiError::from(Problem::expected(field, expected))
}

async fn to_query(s: &AppState, ctx: &Ctx, plan: PlanId, q: &ItemListQuery) -> Result<ItemQuery, ApiError> {
    let mut out = ItemQuery { status: q.status, area: q.area.clone(), ..Default::default() };
    if let Some(o) = &q.organisation {
        out.organisation = Some(uuid::Uuid::try_parse(o).map(OrganisationId).map_err(|_| bad("organisation", "id"))?);
    }
    if let Some(l) = &q.level {
        let p = liaison_app::plans::get(&s.app, ctx, plan).await?;
        let fw = liaison_app::directory::framework_by_code(&s.app, ctx, &p.framework).await?.ok_or(AppError::NotFound)?;
        let d = fw.level_index(l).ok_or_else(|| bad("level", "framework-level"))?;
        out.depth = Some(u8::try_from(d).unwrap_or(u8::MAX));
    }
    if let Some(p) = &q.parent {
        out.parent = Some(if p == "root" { None } else { Some(uuid::Uuid::try_parse(p).map(ItemId).map_err(|_| bad("parent", "item-or-root"))?) });
    }
    if let Some(dq) = &q.due_quarter {
        out.due_quarter = Some(dq.parse::<Quarter>().map_err(|_| bad("due_quarter", "quarter"))?);
    }
    if q.overdue == Some(true) {
        out.overdue_on = Some(s.app.now().date_naive());
    }
    if let Some(t) = &q.q {
        if t.chars().count() > 200 {
            return Err(bad("q", "at-most-200"));
        }
        out.text = Some(t.clone());
    }
    Ok(out)
}

/// The plan's items you may see, in tree order (depth first), filtered.
#[utoipa::path(get, path = "/plans/{id}/items", tag = "items", params(("id" = String, Path, format = Uuid), ItemListQuery),
    responses((status = 200, body = Page<Item>), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn list(State(s): State<AppState>, Authed(ctx): Authed, Path(pid): Path<String>, ApiQuery(q): ApiQuery<ItemListQuery>) -> ApiResult<Response> {
    let pid: PlanId = id(&pid)?;
    let query = to_query(&s, &ctx, pid, &q).await?;
    let paging = Paging { limit: q.limit, cursor: q.cursor.clone() };
    let page = uc::list(&s.app, &ctx, pid, &query, &paging).await?;
    Ok(super::json_bytes(page.json().to_vec()))
}

#[derive(Serialize, ToSchema)]
pub struct Count {
    pub count: u64,
}

/// How many of the plan's items you may see, with the same filters as the list.
#[utoipa::path(get, path = "/plans/{id}/items/count", tag = "items", params(("id" = String, Path, format = Uuid), ItemListQuery),
    responses((status = 200, body = Count), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn count(State(s): State<AppState>, Authed(ctx): Authed, Path(pid): Path<String>, ApiQuery(q): ApiQuery<ItemListQuery>) -> ApiResult<Response> {
    let pid: PlanId = id(&pid)?;
    let query = to_query(&s, &ctx, pid, &q).await?;
    Ok(axum::Json(Count { count: uc::count(&s.app, &ctx, pid, &query).await? }).into_response())
}

/// Add an item under `parent` (or at the top level). Its level follows from the parent.
#[utoipa::path(post, path = "/plans/{id}/items", tag = "items", params(("id" = String, Path, format = Uuid)), request_body = NewItem,
    responses((status = 201, body = Item), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn create(State(s): State<AppState>, Authed(ctx): Authed, Path(pid): Path<String>, ApiJson(input): ApiJson<NewItem>) -> ApiResult<Response> {
    let i = uc::create(&s.app, &ctx, id(&pid)?, input).await?;
    Ok(created(format!("/api/v1/items/{}", i.id), i.version, &i))
}

#[utoipa::path(get, path = "/items/{id}", tag = "items", params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = Item), (status = 404, body = Problem)))]
pub async fn get(State(s): State<AppState>, Authed(ctx): Authed, Path(iid): Path<String>) -> ApiResult<Response> {
    let i = uc::get(&s.app, &ctx, id(&iid)?).await?;
    Ok(versioned(StatusCode::OK, i.version, &i))
}

/// Change an item; needs `If-Match`. A marking lower than the parent's needs `"downgrade": true` and a coordinator.
#[utoipa::path(patch, path = "/items/{id}", tag = "items", params(("id" = String, Path, format = Uuid)), request_body = ItemPatch,
    responses((status = 200, body = Item), (status = 403, body = Problem), (status = 404, body = Problem), (status = 412, body = Problem), (status = 422, body = Problem), (status = 428, body = Problem)))]
pub async fn update(
    State(s): State<AppState>,
    Authed(ctx): Authed,
    Path(iid): Path<String>,
    IfMatch(v): IfMatch,
    ApiJson(patch): ApiJson<ItemPatch>,
) -> ApiResult<Response> {
    let i = uc::update(&s.app, &ctx, id(&iid)?, v, patch).await?;
    Ok(versioned(StatusCode::OK, i.version, &i))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DeleteQuery {
    /// Also delete the item's children (all of them must be visible to you).
    pub cascade: Option<bool>,
}

/// Delete an item; needs `If-Match`. An item with children is refused unless `cascade=true`.
#[utoipa::path(delete, path = "/items/{id}", tag = "items", params(("id" = String, Path, format = Uuid), DeleteQuery),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem), (status = 412, body = Problem), (status = 422, body = Problem), (status = 428, body = Problem)))]
pub async fn delete(
    State(s): State<AppState>,
    Authed(ctx): Authed,
    Path(iid): Path<String>,
    IfMatch(v): IfMatch,
    ApiQuery(q): ApiQuery<DeleteQuery>,
) -> ApiResult<Response> {
    uc::delete(&s.app, &ctx, id(&iid)?, v, q.cascade.unwrap_or(false)).await?;
    Ok(no_content())
}

/// Move an item under another parent of the level above, or to another position; needs `If-Match`.
#[utoipa::path(post, path = "/items/{id}/move", tag = "items", params(("id" = String, Path, format = Uuid)), request_body = MoveItem,
    responses((status = 200, body = Item), (status = 403, body = Problem), (status = 404, body = Problem), (status = 412, body = Problem), (status = 422, body = Problem), (status = 428, body = Problem)))]
pub async fn move_item(
    State(s): State<AppState>,
    Authed(ctx): Authed,
    Path(iid): Path<String>,
    IfMatch(v): IfMatch,
    ApiJson(input): ApiJson<MoveItem>,
) -> ApiResult<Response> {
    let i = uc::move_item(&s.app, &ctx, id(&iid)?, v, input).await?;
    Ok(versioned(StatusCode::OK, i.version, &i))
}

/// The item's history, newest first, with each change's before and after.
#[utoipa::path(get, path = "/items/{id}/history", tag = "items", params(("id" = String, Path, format = Uuid), PageQuery),
    responses((status = 200, body = Page<Change>), (status = 404, body = Problem)))]
pub async fn history(State(s): State<AppState>, Authed(ctx): Authed, Path(iid): Path<String>, ApiQuery(q): ApiQuery<PageQuery>) -> ApiResult<Response> {
    let r = Record::Item(id(&iid)?);
    Ok(axum::Json(record_history(&s.app, &ctx, r, &q.paging()).await?).into_response())
}

/// Links from and to the item (only those whose other end you may see).
#[utoipa::path(get, path = "/items/{id}/links", tag = "items", params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = Vec<LinkView>), (status = 404, body = Problem)))]
pub async fn links(State(s): State<AppState>, Authed(ctx): Authed, Path(iid): Path<String>) -> ApiResult<Response> {
    Ok(axum::Json(uc::links_of(&s.app, &ctx, id::<ItemId>(&iid)?).await?).into_response())
}

/// Link the item to another, in this plan or another one.
#[utoipa::path(post, path = "/items/{id}/links", tag = "items", params(("id" = String, Path, format = Uuid)), request_body = NewLink,
    responses((status = 201, body = LinkView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn create_link(State(s): State<AppState>, Authed(ctx): Authed, Path(iid): Path<String>, ApiJson(input): ApiJson<NewLink>) -> ApiResult<Response> {
    let l = uc::create_link(&s.app, &ctx, id(&iid)?, input).await?;
    Ok(created(format!("/api/v1/links/{}", l.id), l.version, &l))
}

/// Remove a link; needs `If-Match`.
#[utoipa::path(delete, path = "/links/{id}", tag = "items", params(("id" = String, Path, format = Uuid)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem), (status = 412, body = Problem), (status = 428, body = Problem)))]
pub async fn delete_link(State(s): State<AppState>, Authed(ctx): Authed, Path(lid): Path<String>, IfMatch(v): IfMatch) -> ApiResult<Response> {
    uc::delete_link(&s.app, &ctx, id::<LinkId>(&lid)?, v).await?;
    Ok(no_content())
}

#[utoipa::path(get, path = "/links/{id}/history", tag = "items", params(("id" = String, Path, format = Uuid), PageQuery),
    responses((status = 200, body = Page<Change>), (status = 404, body = Problem)))]
pub async fn link_history(State(s): State<AppState>, Authed(ctx): Authed, Path(lid): Path<String>, ApiQuery(q): ApiQuery<PageQuery>) -> ApiResult<Response> {
    let r = Record::Link(id(&lid)?);
    Ok(axum::Json(record_history(&s.app, &ctx, r, &q.paging()).await?).into_response())
}

/// The item's comments you may see, oldest first.
#[utoipa::path(get, path = "/items/{id}/comments", tag = "items", params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = Vec<liaison_domain::comment::Comment>), (status = 404, body = Problem)))]
pub async fn comments(State(s): State<AppState>, Authed(ctx): Authed, Path(iid): Path<String>) -> ApiResult<Response> {
    Ok(axum::Json(liaison_app::comments::list(&s.app, &ctx, id(&iid)?).await?).into_response())
}

/// Comment on the item (Markdown); the comment is marked at least as the item.
#[utoipa::path(post, path = "/items/{id}/comments", tag = "items", params(("id" = String, Path, format = Uuid)), request_body = liaison_domain::comment::NewComment,
    responses((status = 201, body = liaison_domain::comment::Comment), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn create_comment(
    State(s): State<AppState>,
    Authed(ctx): Authed,
    Path(iid): Path<String>,
    ApiJson(input): ApiJson<liaison_domain::comment::NewComment>,
) -> ApiResult<Response> {
    let c = liaison_app::comments::create(&s.app, &ctx, id(&iid)?, input).await?;
    Ok(created(format!("/api/v1/items/{iid}/comments"), c.version, &c))
}
