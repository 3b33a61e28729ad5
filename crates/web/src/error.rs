//! Errors as RFC 9457 problem documents (`application/problem+json`). The `detail` and each
//! field problem's `message` are words of `liaison-i18n` in the request's language
//! ([`crate::lang`]); `type` and the field problems' `code` are the stable names to program
//! against.

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
    /// A problem of kind `slug` whose detail is the message `problem-<slug>`.
    pub fn new(status: StatusCode, slug: &str) -> Problem {
        Problem::worded(status, slug, &format!("problem-{slug}"), &[])
    }

    /// A problem of kind `slug` whose detail is the message `key` with `args`.
    pub fn worded(status: StatusCode, slug: &str, key: &str, args: &[(&str, &str)]) -> Problem {
        Problem::with_detail(status, slug, crate::lang::tr().with(key, args))
    }

    /// A problem of kind `slug` with detail already in words (a refusal's).
    fn with_detail(status: StatusCode, slug: &str, detail: String) -> Problem {
        Problem {
            kind: format!("urn:liaison:problem:{slug}"),
            title: status.canonical_reason().unwrap_or("Error").to_string(),
            status: status.as_u16(),
            detail: Some(detail),
            errors: Vec::new(),
            current_version: None,
            retry_after: None,
        }
    }

    /// The same, asking the client to wait `secs` seconds before trying again.
    pub fn retry_after(mut self, secs: u64) -> Problem {
        self.retry_after = Some(secs);
        self
    }

    /// The one answer for a missing or hidden record.
    pub fn not_found() -> Problem {
        Problem::new(StatusCode::NOT_FOUND, "not-found")
    }

    /// Input with problems, each in the request's language.
    pub fn invalid(errors: Vec<FieldError>) -> Problem {
        let tr = crate::lang::tr();
        let n = i64::try_from(errors.len()).unwrap_or(i64::MAX);
        let errors: Vec<FieldError> = errors.into_iter().map(|e| FieldError { message: tr.field_error(&e), ..e }).collect();
        Problem { errors, ..Problem::with_detail(StatusCode::UNPROCESSABLE_ENTITY, "invalid", tr.count("problem-invalid", n)) }
    }

    /// One field's problem, named by its code.
    pub fn field(field: &str, code: &str) -> Problem {
        Problem::invalid(vec![FieldError::coded(field, code, &[])])
    }

    /// A value of `field` that is not what was `expected` (`id`, `time`, `version` …): code
    /// `invalid`, words `error-expected-<expected>`.
    pub fn expected(field: &str, expected: &str) -> Problem {
        Problem::invalid(vec![FieldError::coded(field, "invalid", &[("expected", expected)])])
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
            AppError::Unauthenticated => Problem::new(StatusCode::UNAUTHORIZED, "unauthenticated"),
            AppError::BadCredentials => Problem::new(StatusCode::UNAUTHORIZED, "bad-credentials"),
            AppError::NotFound => Problem::not_found(),
            AppError::Forbidden(r) => Problem::with_detail(StatusCode::FORBIDDEN, "forbidden", crate::lang::tr().refusal(&r)),
            AppError::Invalid(v) => Problem::invalid(v.0),
            AppError::Stale { current, .. } => Problem {
                current_version: Some(current),
                ..Problem::worded(StatusCode::PRECONDITION_FAILED, "stale", "problem-stale", &[("version", &current.to_string())])
            },
            AppError::Conflict(r) => Problem::with_detail(StatusCode::CONFLICT, "conflict", crate::lang::tr().refusal(&r)),
            AppError::RateLimited { retry_after_secs } => Problem {
                retry_after: Some(retry_after_secs),
                ..Problem::worded(StatusCode::TOO_MANY_REQUESTS, "rate-limited", "problem-rate-limited", &[("seconds", &retry_after_secs.to_string())])
            },
            AppError::Internal(detail) => {
                tracing::error!(%detail, "internal error");
                Problem::new(StatusCode::INTERNAL_SERVER_ERROR, "internal")
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
