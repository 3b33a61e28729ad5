//! Request extractors: the JSON body, `If-Match`, the signed-in actor, list paging.

use crate::error::{ApiError, Problem};
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use liaison_app::{Ctx, Paging};
use liaison_domain::FieldError;
use serde::Deserialize;
use serde::de::DeserializeOwned;

/// A JSON body. Malformed JSON is 400; well-formed JSON that does not fit (unknown fields,
/// wrong types, missing fields) is 422 naming the field; a body over the limit is 413.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let is_json = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).and_then(|v| v.split(';').next()).is_some_and(|m| {
            let m = m.trim().to_ascii_lowercase();
            m == "application/json" || (m.starts_with("application/") && m.ends_with("+json"))
        });
        if !is_json {
            return Err(Problem::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type").into());
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                Problem::new(StatusCode::PAYLOAD_TOO_LARGE, "too-large")
            } else {
                Problem::new(StatusCode::BAD_REQUEST, "bad-body")
            }
        })?;
        parse_json(&bytes).map(ApiJson)
    }
}

/// Parse JSON, mapping errors to 400 (syntax: the whole body is checked first) or 422
/// (shape), with the field's path. Stricter than serde's defaults (see [`crate::strict_json`]):
/// a key given twice, and an array where an object is expected, are 422 too.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let value = crate::strict_json::parse(bytes).map_err(|e| match e {
        crate::strict_json::Error::Syntax(e) => {
            ApiError::from(Problem::worded(StatusCode::BAD_REQUEST, "malformed-json", "problem-malformed-json", &[("error", &e.to_string())]))
        }
        crate::strict_json::Error::Duplicate { path, key } => {
            let field = if path.is_empty() { key.clone() } else { format!("{path}.{key}") };
            ApiError::from(Problem::invalid(vec![FieldError::new(field, "duplicate", format!("`{key}` is given more than once"))]))
        }
    })?;
    serde_path_to_error::deserialize(crate::strict_json::Strict(value)).map_err(|e| {
        let path = e.path().to_string();
        let path = if path == "." { String::new() } else { path };
        let msg = e.inner().to_string();
        let field = match named_field(&msg) {
            Some(f) if path.is_empty() => f,
            Some(f) if path == f || path.ends_with(&format!(".{f}")) => path,
            Some(f) => format!("{path}.{f}"),
            None => path,
        };
        let code = if msg.starts_with("unknown field") {
            "unknown_field"
        } else if msg.starts_with("missing field") {
            "required"
        } else {
            "invalid"
        };
        ApiError::from(Problem::invalid(vec![FieldError::new(field, code, msg)]))
    })
}

/// The field named in serde's "unknown field `x`" / "missing field `x`" messages.
fn named_field(msg: &str) -> Option<String> {
    let rest = msg.strip_prefix("unknown field `").or_else(|| msg.strip_prefix("missing field `"))?;
    rest.split('`').next().map(String::from)
}

/// The version named by `If-Match` (required on every change to an existing record).
pub struct IfMatch(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for IfMatch {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        let Some(v) = parts.headers.get(header::IF_MATCH) else {
            return Err(Problem::new(StatusCode::PRECONDITION_REQUIRED, "if-match-required").into());
        };
        let s = v.to_str().unwrap_or("").trim();
        if s == "*" {
            return Err(Problem::worded(StatusCode::PRECONDITION_REQUIRED, "if-match-required", "problem-if-match-star", &[]).into());
        }
        if s.starts_with("W/") {
            // RFC 9110 §13.1.1: If-Match compares strongly, and a weak tag never matches.
            return Err(Problem::worded(StatusCode::PRECONDITION_FAILED, "stale", "problem-if-match-weak", &[]).into());
        }
        let n = s.strip_prefix('"').and_then(|x| x.strip_suffix('"')).unwrap_or(s);
        n.parse::<i64>().map(IfMatch).map_err(|_| Problem::worded(StatusCode::PRECONDITION_FAILED, "stale", "problem-if-match-unknown", &[]).into())
    }
}

/// The request's context: who is signed in (by session cookie or bearer token), the request
/// id and the source address. Answers 401 when there is no valid sign-in.
pub struct Authed(pub Ctx);

/// The name of the session cookie.
pub const SESSION_COOKIE: &str = "liaison_session";

/// The value of a cookie in the request.
pub fn cookie<'a>(parts: &'a Parts, name: &str) -> Option<&'a str> {
    parts.headers.get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(';')).find_map(|c| {
        let (k, v) = c.trim().split_once('=')?;
        (k == name).then_some(v)
    })
}

/// The bearer token of the request, if any.
pub fn bearer(parts: &Parts) -> Option<&str> {
    let v = parts.headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = v.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then_some(token.trim())
}

/// Request id and source address set by the middleware.
#[derive(Clone, Debug)]
pub struct RequestMeta {
    pub request_id: String,
    pub source: String,
}

pub fn meta(parts: &Parts) -> RequestMeta {
    parts.extensions.get::<RequestMeta>().cloned().unwrap_or(RequestMeta { request_id: String::new(), source: "unknown".into() })
}

impl FromRequestParts<AppState> for Authed {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        if let Some(ctx) = parts.extensions.get::<Ctx>() {
            return Ok(Authed(ctx.clone()));
        }
        let m = meta(parts);
        let ctx = if let Some(token) = bearer(parts) {
            liaison_app::auth::authenticate_token(&state.app, token, &m.source, &m.request_id).await?
        } else if let Some(secret) = cookie(parts, SESSION_COOKIE) {
            liaison_app::auth::authenticate_session(&state.app, secret, &m.source, &m.request_id).await?
        } else {
            return Err(liaison_app::AppError::Unauthenticated.into());
        };
        parts.extensions.insert(ctx.clone());
        Ok(Authed(ctx))
    }
}

/// `limit` and `cursor` of a list request.
#[derive(Clone, Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// How many records (1 to 500, default 50).
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

impl PageQuery {
    pub fn paging(&self) -> Paging {
        Paging { limit: self.limit, cursor: self.cursor.clone() }
    }
}

/// Query parameters, with bad values answered as 422 naming the parameter.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        let q = parts.uri.query().unwrap_or("");
        // No parameter carries control characters (a NUL would end a C string, or match
        // everything in a LIKE): 422 naming it.
        if let Some((k, _)) = form_urlencoded::parse(q.as_bytes()).find(|(_, v)| v.chars().any(char::is_control)) {
            return Err(Problem::invalid(vec![FieldError::new(k.into_owned(), "invalid", "control characters are not allowed")]).into());
        }
        let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(q.as_bytes()));
        serde_path_to_error::deserialize(de).map(ApiQuery).map_err(|e| {
            let msg = e.inner().to_string();
            let path = e.path().to_string();
            let field = named_field(&msg).unwrap_or(if path == "." { String::new() } else { path });
            Problem::invalid(vec![FieldError::new(field, "invalid", msg)]).into()
        })
    }
}

/// The signed-in user of a calendar feed: a session, a bearer token, or — because calendar
/// programs cannot send headers — a personal API token in the `token` query parameter.
pub struct FeedAuth(pub Ctx);

impl FromRequestParts<AppState> for FeedAuth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        if bearer(parts).is_some() || cookie(parts, SESSION_COOKIE).is_some() {
            return Authed::from_request_parts(parts, state).await.map(|a| FeedAuth(a.0));
        }
        let token = form_urlencoded::parse(parts.uri.query().unwrap_or("").as_bytes()).find(|(k, _)| k == "token").map(|(_, v)| v.into_owned());
        let Some(token) = token else { return Err(liaison_app::AppError::Unauthenticated.into()) };
        let m = meta(parts);
        Ok(FeedAuth(liaison_app::auth::authenticate_token(&state.app, &token, &m.source, &m.request_id).await?))
    }
}
