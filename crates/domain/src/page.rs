//! Inputs shared by many commands: partial updates and list pages.

use serde::{Deserialize, Deserializer, Serialize};

/// A field of a partial update (`PATCH`): absent (leave as is), `null` (clear) or a value.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub enum Patch<T> {
    #[default]
    Absent,
    Null,
    Set(T),
}

impl<T> Patch<T> {
    pub fn is_absent(&self) -> bool {
        matches!(self, Patch::Absent)
    }

    /// The new value of a nullable field given its current one.
    pub fn apply(self, current: Option<T>) -> Option<T> {
        match self {
            Patch::Absent => current,
            Patch::Null => None,
            Patch::Set(v) => Some(v),
        }
    }

    pub fn as_ref(&self) -> Patch<&T> {
        match self {
            Patch::Absent => Patch::Absent,
            Patch::Null => Patch::Null,
            Patch::Set(v) => Patch::Set(v),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Patch<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(match Option::<T>::deserialize(d)? {
            None => Patch::Null,
            Some(v) => Patch::Set(v),
        })
    }
}

/// How many records a list answer holds by default, and at most.
pub const DEFAULT_LIMIT: u32 = 50;
pub const MAX_LIMIT: u32 = 500;

/// One page of a list, with the cursor for the next page if there is one.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Pass as `cursor` to get the next page; absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

impl<T> Page<T> {
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page { items: self.items.into_iter().map(f).collect(), next_cursor: self.next_cursor }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize, Debug)]
    struct P {
        #[serde(default)]
        a: Patch<u32>,
        #[serde(default)]
        b: Patch<u32>,
        #[serde(default)]
        c: Patch<u32>,
    }

    #[test]
    fn absent_null_and_value_differ() {
        let p: P = serde_json::from_str(r#"{"b": null, "c": 3}"#).unwrap();
        assert_eq!((p.a.clone(), p.b.clone(), p.c.clone()), (Patch::Absent, Patch::Null, Patch::Set(3)));
        assert_eq!(p.a.apply(Some(1)), Some(1));
        assert_eq!(p.b.apply(Some(1)), None);
        assert_eq!(p.c.apply(Some(1)), Some(3));
        assert!(serde_json::from_str::<P>(r#"{"c": "x"}"#).is_err());
    }
}
