//! Search: one query over every kind of record the reader may see, and the public portal's
//! search over what the public sees. Both read through the access policy (the store applies
//! the reader's rule, or the public's, to the index); titles and snippets come in the reader's
//! language and script.

use crate::{App, AppError, Ctx, Result};
use liaison_domain::search::{Hit, Results, Search, SearchParams, cursor_after, snippet};
use liaison_domain::text::UiLang;
use liaison_domain::translit::cyrillic_to_latin;
use liaison_store::search::{self as store, Answer};

/// How many characters of text a snippet shows.
const SNIPPET: usize = 180;

fn results(a: Answer, s: &Search, lang: UiLang) -> Results {
    let hits = a
        .hits
        .into_iter()
        .map(|f| {
            // Quote the text where the words are; where only a title holds them (in another
            // language, say), quote the titles.
            let source = if s.query.mentions(&f.body) || !f.title.0.values().any(|t| s.query.mentions(t)) {
                f.body
            } else {
                f.title.0.values().cloned().collect::<Vec<_>>().join(" · ")
            };
            // Serbian is stored in Cyrillic: a reader of Latin gets its snippet in Latin.
            let body = if lang == UiLang::SrLatn { cyrillic_to_latin(&source) } else { source };
            Hit {
                kind: f.kind,
                id: f.id,
                plan: f.plan,
                item: f.item,
                code: f.code,
                title: f.title.show(lang),
                snippet: snippet(&body, &s.query, SNIPPET),
                status: f.status,
                marking: f.marking,
                score: (f.score * 1000.0).round() / 1000.0,
            }
        })
        .collect();
    Results { hits, facets: a.facets, total: a.total, next_cursor: a.more.then(|| cursor_after(s.offset, s.limit)) }
}

/// The language asked for, else the reader's.
fn lang_of(p: &SearchParams, default: UiLang) -> Result<UiLang> {
    match p.lang.as_deref().filter(|l| !l.is_empty()) {
        None => Ok(default),
        Some(l) => {
            UiLang::parse(l).ok_or_else(|| AppError::Invalid(liaison_domain::ValidationErrors::coded("lang", "unknown", &[("known", "en, sr-Cyrl, sr-Latn")])))
        }
    }
}

/// Search what the actor may see.
pub async fn search(app: &App, ctx: &Ctx, p: &SearchParams, default_lang: UiLang) -> Result<Results> {
    let lang = lang_of(p, default_lang)?;
    let s = p.check().map_err(AppError::Invalid)?;
    let a = store::find(&app.read(ctx), &s).await?;
    Ok(results(a, &s, lang))
}

/// Search the public portal: records marked public of the plans on it, of the kinds it shows.
pub async fn search_public(app: &App, p: &SearchParams, default_lang: UiLang) -> Result<Results> {
    let lang = lang_of(p, default_lang)?;
    let s = p.check().map_err(AppError::Invalid)?;
    let plans: Vec<_> = crate::portal::plans(app).await?.into_iter().map(|p| p.plan).collect();
    let a = store::find_public(&app.db, &plans, &s).await?;
    Ok(results(a, &s, lang))
}

/// Build the index again (the command line's `liaison search reindex`): first read the text of
/// evidence files never read, then write every record's row. `progress` is told as it goes.
pub async fn reindex(app: &App, mut progress: impl FnMut(store::Progress)) -> Result<u64> {
    let mut after = None;
    loop {
        let batch = store::unread_evidence(&app.db, after, 20).await?;
        let Some(last) = batch.last().map(|b| b.0) else { break };
        for (id, media_type, bytes) in batch {
            let text = crate::attachments::read_text(&media_type, bytes).await;
            store::put_evidence_text(&app.db, id, &text).await?;
        }
        after = Some(last);
    }
    Ok(store::rebuild(&app.db, &mut progress).await?)
}

/// Build the index if it was never built (a database migrated from before search). Returns how
/// many records were indexed (0 when nothing was to do).
pub async fn build_if_needed(app: &App) -> Result<u64> {
    if store::is_built(&app.db).await? || store::mark_built_if_empty(&app.db).await? {
        return Ok(0);
    }
    tracing::info!("building the search index for the first time");
    let n = reindex(app, |_| {}).await?;
    tracing::info!(records = n, "the search index is built");
    Ok(n)
}
