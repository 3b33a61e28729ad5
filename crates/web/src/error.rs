//! Errors as RFC 9457 problem documents (`application/problem+json`).

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use liaison_app::AppError;
use liaison_domain::FieldError;
use serde::Serialize;

pub const PROBLEM_JSON: &str = "application/problem+json";

/// A problem document.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem, e.g. `urn:liaison:problem:invalid`.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Per-field problems of a validation failure.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// For 412: the version the record is at now.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current_version: Option<i64>,
    #[serde(skip)]
    pub retry_after: Option<u64>,
}

impl Problem {
    pub fn new(status: StatusCode, slug: &str, detail: impl Into<String>) -> Problem {
        Problem {
            kind: format!("urn:liaison:problem:{slug}"),
            title: status.canonical_reason().unwrap_or("Error").to_string(),
            status: status.as_u16(),
            detail: Some(detail.into()),
            errors: Vec::new(),
            current_version: None,
            retry_after: None,
        }
    }

    /// The one answer for a missing or hidden record.
    pub fn not_found() -> Problem {
        Problem::new(StatusCode::NOT_FOUND, "not-found", "no such record")
    }

    pub fn invalid(errors: Vec<FieldError>) -> Problem {
        let detail = if errors.len() == 1 { "the input has a problem".to_string() } else { format!("the input has {} problems", errors.len()) };
        Problem { errors, ..Problem::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", detail) }
    }

    pub fn status(&self) -> StatusCode {
        StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = self.status();
        let body = serde_json::to_vec(&self).unwrap_or_default();
        let mut r = (status, body).into_response();
        r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
        if status == StatusCode::UNAUTHORIZED {
            r.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer realm=\"liaison\""));
        }
        if let Some(s) = self.retry_after
            && let Ok(v) = HeaderValue::from_str(&s.to_string())
        {
            r.headers_mut().insert(header::RETRY_AFTER, v);
        }
        r
    }
}

/// An error of a handler: converted once, here, from the use case's error.
#[derive(Debug)]
pub struct ApiError(pub Box<Problem>);

impl From<Problem> for ApiError {
    fn from(p: Problem) -> Self {
        ApiError(Box::new(p))
    }
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        ApiError::from(match e {
            AppError::Unauthenticated => {
                Problem::new(StatusCode::UNAUTHORIZED, "unauthenticated", "sign in, or send an API token as `Authorization: Bearer …`")
            }
            AppError::BadCredentials => Problem::new(StatusCode::UNAUTHORIZED, "bad-credentials", e.to_string()),
            AppError::NotFound => Problem::not_found(),
            AppError::Forbidden(m) => Problem::new(StatusCode::FORBIDDEN, "forbidden", m),
            AppError::Invalid(v) => Problem::invalid(v.0),
            AppError::Stale { current, .. } => Problem {
                current_version: Some(current),
                ..Problem::new(
                    StatusCode::PRECONDITION_FAILED,
                    "stale",
                    format!("the record has changed since you read it (it is now at version {current}); read it again and re-apply your change"),
                )
            },
            AppError::Conflict(m) => Problem::new(StatusCode::CONFLICT, "conflict", m),
            AppError::RateLimited { retry_after_secs } => {
                Problem { retry_after: Some(retry_after_secs), ..Problem::new(StatusCode::TOO_MANY_REQUESTS, "rate-limited", e.to_string()) }
            }
            AppError::Internal(detail) => {
                tracing::error!(%detail, "internal error");
                Problem::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "something went wrong on the server; it has been logged")
            }
        })
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (*self.0).into_response()
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
