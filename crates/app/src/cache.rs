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

#[cfg(test)]
mod tests {
    use super::*;

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
