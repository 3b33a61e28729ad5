//! Read caches that are exact within one process and bounded across processes.
//!
//! Every entry is keyed on the database's data generation, which moves after every commit in
//! this process and — through the change watcher that `serve` starts — within a fraction of a
//! second of a commit by another server. A cached value is therefore never older than the
//! last write this process made, and never more than one watch interval older than a write
//! made elsewhere. Lists keep their access filter in the key: what is cached is the answer of
//! the filtered query, not a set that is filtered afterwards.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

/// A cached value with its JSON form, made once on first use: a list read by many users with
/// the same access is serialised once per generation, not once per request.
pub struct Shared<T> {
    pub value: T,
    json: OnceLock<Vec<u8>>,
}

impl<T: serde::Serialize> Shared<T> {
    pub fn new(value: T) -> Shared<T> {
        Shared { value, json: OnceLock::new() }
    }

    /// The value as JSON.
    pub fn json(&self) -> &[u8] {
        self.json.get_or_init(|| serde_json::to_vec(&self.value).unwrap_or_default())
    }
}

/// A map whose entries are all dropped when the generation moves.
pub struct GenCache<V> {
    inner: Mutex<(u64, HashMap<String, V>)>,
    cap: usize,
}

impl<V: Clone> GenCache<V> {
    pub fn new(cap: usize) -> GenCache<V> {
        GenCache { inner: Mutex::new((0, HashMap::new())), cap }
    }

    pub fn get(&self, generation: u64, key: &str) -> Option<V> {
        let mut g = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        if g.0 != generation {
            g.1.clear();
            g.0 = generation;
            return None;
        }
        g.1.get(key).cloned()
    }

    /// Store a value read at `generation` (ignored if the data has moved on since).
    pub fn put(&self, generation: u64, key: String, value: V) {
        let mut g = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        if generation < g.0 {
            return;
        }
        if generation > g.0 || g.1.len() >= self.cap {
            g.1.clear();
            g.0 = generation;
        }
        g.1.insert(key, value);
    }

    pub fn remove(&self, key: &str) {
        self.inner.lock().unwrap_or_else(|p| p.into_inner()).1.remove(key);
    }
}

/// A map whose entries each carry the version they were computed at (e.g. the latest change
/// to a plan): an entry is served only for exactly that version, so entries of different
/// records age independently.
pub struct VersionedCache<V> {
    inner: Mutex<HashMap<String, (i64, V)>>,
    cap: usize,
}

impl<V: Clone> VersionedCache<V> {
    pub fn new(cap: usize) -> VersionedCache<V> {
        VersionedCache { inner: Mutex::new(HashMap::new()), cap }
    }

    pub fn get(&self, version: i64, key: &str) -> Option<V> {
        let g = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        g.get(key).filter(|(v, _)| *v == version).map(|(_, x)| x.clone())
    }

    pub fn put(&self, version: i64, key: String, value: V) {
        let mut g = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        if g.get(&key).is_some_and(|(v, _)| *v > version) {
            return;
        }
        if g.len() >= self.cap && !g.contains_key(&key) {
            g.clear();
        }
        g.insert(key, (version, value));
    }
}

/// Data of a plan that is read often and changes rarely (its indicators and measurements),
/// kept with the plan's latest change when it was read. It is reused as long as no change of
/// the listed kinds of record has been made to the plan since, which the audit trail answers
/// exactly with a read of only the newer rows.
pub struct PlanData<T> {
    /// Keyed by plan and reader's filter: what is cached was read through that reader.
    inner: Mutex<HashMap<String, (i64, std::sync::Arc<T>)>>,
    cap: usize,
}

impl<T> PlanData<T> {
    pub fn new(cap: usize) -> PlanData<T> {
        PlanData { inner: Mutex::new(HashMap::new()), cap }
    }

    /// The cached value and the change it was read at.
    pub fn get(&self, key: &str) -> Option<(i64, std::sync::Arc<T>)> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner()).get(key).cloned()
    }

    pub fn put(&self, key: &str, seq: i64, value: std::sync::Arc<T>) {
        let mut g = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        if g.get(key).is_some_and(|(s, _)| *s > seq) {
            return;
        }
        if g.len() >= self.cap && !g.contains_key(key) {
            g.clear();
        }
        g.insert(key.to_string(), (seq, value));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versioned_entries_age_one_by_one() {
        let c = VersionedCache::new(2);
        c.put(5, "plan a".into(), 1);
        c.put(9, "plan b".into(), 2);
        assert_eq!(c.get(5, "plan a"), Some(1), "a change to plan b leaves plan a's entry");
        assert_eq!(c.get(6, "plan a"), None, "plan a changed");
        c.put(4, "plan a".into(), 0);
        assert_eq!(c.get(5, "plan a"), Some(1), "an older computation never replaces a newer one");
        c.put(1, "plan c".into(), 3);
        assert_eq!(c.get(1, "plan c"), Some(3));
        assert_eq!(c.get(9, "plan b"), None, "bounded");
    }

    #[test]
    fn entries_live_for_one_generation() {
        let c = GenCache::new(2);
        c.put(1, "a".into(), 1);
        assert_eq!(c.get(1, "a"), Some(1));
        assert_eq!(c.get(2, "a"), None, "a write moved the generation");
        c.put(1, "a".into(), 1);
        assert_eq!(c.get(2, "a"), None, "a value read before the write is not kept");
        c.put(2, "a".into(), 2);
        c.put(2, "b".into(), 3);
        c.put(2, "c".into(), 4);
        assert_eq!(c.get(2, "c"), Some(4));
        assert_eq!(c.get(2, "a"), None, "bounded");
        c.remove("c");
        assert_eq!(c.get(2, "c"), None);
    }
}
