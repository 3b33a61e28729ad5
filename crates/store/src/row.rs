//! Conversions between domain values and their stored form.

use crate::{Result, StoreError};
use liaison_domain::marking::{Level, Marking};
use liaison_domain::text::Text;
use liaison_domain::{Timestamp, truncate_ms};
use std::collections::BTreeSet;

/// Releasability as stored: `,SRB,PFP,` (empty for none), so that a `LIKE '%,SRB,%'` finds it.
pub fn rel_to(m: &Marking) -> String {
    if m.releasable_to.is_empty() {
        String::new()
    } else {
        let v: Vec<&str> = m.releasable_to.iter().map(String::as_str).collect();
        format!(",{},", v.join(","))
    }
}

pub fn marking(level: &str, rel: &str, originator: &str) -> Result<Marking> {
    Ok(Marking {
        level: Level::parse(level).ok_or_else(|| corrupt("marking level", level))?,
        releasable_to: split_list(rel).map(String::from).collect::<BTreeSet<_>>(),
        originator: originator.to_string(),
    })
}

/// A comma-delimited list as stored (`,a,b,`); empty for none.
pub fn join_list<T: ToString>(items: &[T]) -> String {
    if items.is_empty() {
        String::new()
    } else {
        let v: Vec<String> = items.iter().map(|i| i.to_string()).collect();
        format!(",{},", v.join(","))
    }
}

pub fn split_list(s: &str) -> impl Iterator<Item = &str> {
    s.split(',').filter(|x| !x.is_empty())
}

/// A stored comma-separated list of ids; `what` names the column in the error for a bad one.
pub fn id_list<T: From<uuid::Uuid>, C: FromIterator<T>>(what: &str, s: &str) -> crate::Result<C> {
    split_list(s).map(|x| uuid::Uuid::try_parse(x).map(T::from).map_err(|_| corrupt(what, x))).collect()
}

pub fn text_json(t: &Text) -> String {
    serde_json::to_string(t).unwrap_or_else(|_| "{}".into())
}

pub fn text(s: &str) -> Result<Text> {
    serde_json::from_str(s).map_err(|_| corrupt("text", s))
}

pub fn corrupt(what: &str, value: &str) -> StoreError {
    let shown: String = value.chars().take(80).collect();
    StoreError::Corrupt(format!("bad {what}: {shown:?}"))
}

/// Timestamps are stored at millisecond precision on both backends.
pub fn ts(t: Timestamp) -> Timestamp {
    truncate_ms(t)
}

/// Escape `%`, `_` and the escape character itself for a `LIKE … ESCAPE '!'` pattern.
pub fn like_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '%' | '_' | '!') {
            out.push('!');
        }
        out.push(c);
    }
    out
}

/// The outcome of a versioned update: written, or why not. `current` is the stored version if
/// the record still exists (asked only when nothing was written).
pub async fn versioned_outcome(rows_affected: u64, current: impl std::future::Future<Output = Result<Option<i64>>>) -> Result<()> {
    if rows_affected == 1 {
        return Ok(());
    }
    match current.await? {
        Some(v) => Err(crate::StoreError::Stale { current: v }),
        None => Err(crate::StoreError::NotFound),
    }
}

/// A page from `limit + 1` fetched rows: at most `limit` records, and the cursor of the last
/// one if more follow.
pub fn page<M, T>(mut rows: Vec<M>, limit: u32, cursor: impl Fn(&M) -> String, convert: impl Fn(M) -> Result<T>) -> Result<liaison_domain::page::Page<T>> {
    let more = rows.len() > limit as usize;
    rows.truncate(limit as usize);
    let next_cursor = if more { rows.last().map(&cursor) } else { None };
    Ok(liaison_domain::page::Page { items: rows.into_iter().map(convert).collect::<Result<_>>()?, next_cursor })
}

/// The cursor of a record listed by id.
pub fn id_cursor(id: &uuid::Uuid) -> String {
    crate::cursor::encode(&[&id.to_string()])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markings_round_trip() {
        let m = Marking::new(Level::NatoRestricted, &["SRB", "PFP_NATIONS"], "NATO");
        assert_eq!(rel_to(&m), ",PFP_NATIONS,SRB,");
        assert_eq!(marking("nato_restricted", &rel_to(&m), "NATO").unwrap(), m);
        let none = Marking::new(Level::Public, &[], "NATO");
        assert_eq!(rel_to(&none), "");
        assert_eq!(marking("public", "", "NATO").unwrap(), none);
        assert!(marking("top_secret", "", "X").is_err());
    }

    #[test]
    fn lists_and_escapes() {
        assert_eq!(join_list(&["a", "b"]), ",a,b,");
        assert_eq!(join_list::<&str>(&[]), "");
        assert_eq!(split_list(",a,b,").collect::<Vec<_>>(), vec!["a", "b"]);
        assert_eq!(like_escape("PFP_NATIONS%!"), "PFP!_NATIONS!%!!");
        let a = uuid::Uuid::from_u128(7);
        let ids: Vec<liaison_domain::ItemId> = id_list("items", &join_list(&[a])).unwrap();
        assert_eq!(ids, vec![liaison_domain::ItemId(a)]);
        assert!(id_list::<liaison_domain::ItemId, Vec<_>>("items", ",not-an-id,").is_err(), "a damaged row is an error, not a panic");
    }
}
