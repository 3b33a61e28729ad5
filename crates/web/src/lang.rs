//! The language of the request being answered, for the words of problem documents: the
//! `Accept-Language` of the request (API clients say what they read), else the language the
//! person chose in the workspace (its cookie), else English. Set once per request by
//! [`crate::middleware::request_meta`]; read where a problem document is written.

use axum::http::{HeaderMap, header};
use liaison_domain::text::UiLang;
use liaison_i18n::Tr;

tokio::task_local! {
    static LANG: UiLang;
}

/// The language of a request's headers.
pub fn of_headers(headers: &HeaderMap) -> UiLang {
    headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(UiLang::from_accept_language)
        .or_else(|| {
            headers.get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(';')).find_map(|c| {
                let (k, v) = c.trim().split_once('=')?;
                if k == crate::pages::LANG_COOKIE { UiLang::parse(v) } else { None }
            })
        })
        .unwrap_or_default()
}

/// Run `f` answering in `lang`.
pub async fn scope<F: Future>(lang: UiLang, f: F) -> F::Output {
    LANG.scope(lang, f).await
}

/// The words of the request being answered (English outside a request).
pub fn tr() -> Tr {
    Tr { lang: LANG.try_with(|l| *l).unwrap_or_default() }
}
