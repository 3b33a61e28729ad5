//! JSON request bodies read strictly, where serde's defaults are lenient in ways an API must
//! not be:
//!
//! - **A key given twice** is refused (serde_json keeps the last one silently, so a client and
//!   a proxy in between can read one body two ways).
//! - **An array where an object is expected** is refused (serde's derived structs also accept
//!   their fields as a sequence, so `["Z9"]` would set an item's code).
//!
//! [`parse`] reads the bytes into a [`Value`], refusing duplicate keys; [`Strict`] then hands
//! that value to the target type, refusing sequences for structs at every depth.

use serde::de::{self, DeserializeSeed, Deserializer, IntoDeserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use std::fmt;

/// Why a body could not be read.
#[derive(Debug)]
pub enum Error {
    /// Not JSON at all.
    Syntax(serde_json::Error),
    /// `key` is given twice in the object at `path` (dotted, empty at the top).
    Duplicate { path: String, key: String },
}

/// Read JSON, refusing an object that gives a key twice.
pub fn parse(bytes: &[u8]) -> Result<Value, Error> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let found = std::cell::RefCell::new(None);
    let value = Unique { path: String::new(), found: &found }.deserialize(&mut de);
    if let Some((path, key)) = found.into_inner() {
        return Err(Error::Duplicate { path, key });
    }
    let value = value.map_err(Error::Syntax)?;
    de.end().map_err(Error::Syntax)?;
    Ok(value)
}

/// Builds a [`Value`], noting the first duplicate key (and failing there).
struct Unique<'a> {
    path: String,
    found: &'a std::cell::RefCell<Option<(String, String)>>,
}

impl<'de> DeserializeSeed<'de> for Unique<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Unique<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        loop {
            let path = format!("{}[{}]", self.path, out.len());
            match seq.next_element_seed(Unique { path, found: self.found })? {
                Some(v) => out.push(v),
                None => return Ok(Value::Array(out)),
            }
        }
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if out.contains_key(&key) {
                *self.found.borrow_mut() = Some((self.path.clone(), key.clone()));
                return Err(de::Error::custom(format!("duplicate key `{key}`")));
            }
            let path = if self.path.is_empty() { key.clone() } else { format!("{}.{key}", self.path) };
            let v = map.next_value_seed(Unique { path, found: self.found })?;
            out.insert(key, v);
        }
        Ok(Value::Object(out))
    }
}

/// A [`Value`] as a deserializer that gives structs only from objects, at every depth.
pub struct Strict(pub Value);

impl<'de> Deserializer<'de> for Strict {
    type Error = serde_json::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.0 {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(b),
            Value::Number(n) => n.deserialize_any(visitor),
            Value::String(s) => visitor.visit_string(s),
            Value::Array(a) => visitor.visit_seq(Seq(a.into_iter())),
            Value::Object(o) => visitor.visit_map(Fields { iter: o.into_iter(), next: None }),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.0 {
            Value::Null => visitor.visit_none(),
            other => visitor.visit_some(Strict(other)),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(self, _name: &'static str, _fields: &'static [&'static str], visitor: V) -> Result<V::Value, Self::Error> {
        match self.0 {
            Value::Object(o) => visitor.visit_map(Fields { iter: o.into_iter(), next: None }),
            other => Err(de::Error::invalid_type(unexpected(&other), &"an object")),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _name: &'static str, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(self, name: &'static str, variants: &'static [&'static str], visitor: V) -> Result<V::Value, Self::Error> {
        // Enums are unit variants given as strings here (or externally tagged objects, which
        // serde_json reads the same way).
        self.0.deserialize_enum(name, variants, visitor)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf unit
        unit_struct seq tuple tuple_struct map identifier ignored_any
    }
}

fn unexpected(v: &Value) -> de::Unexpected<'_> {
    match v {
        Value::Null => de::Unexpected::Unit,
        Value::Bool(b) => de::Unexpected::Bool(*b),
        Value::Number(_) => de::Unexpected::Other("a number"),
        Value::String(s) => de::Unexpected::Str(s),
        Value::Array(_) => de::Unexpected::Seq,
        Value::Object(_) => de::Unexpected::Map,
    }
}

struct Seq(std::vec::IntoIter<Value>);

impl<'de> SeqAccess<'de> for Seq {
    type Error = serde_json::Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, Self::Error> {
        self.0.next().map(|v| seed.deserialize(Strict(v))).transpose()
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

struct Fields {
    iter: serde_json::map::IntoIter,
    next: Option<Value>,
}

impl<'de> MapAccess<'de> for Fields {
    type Error = serde_json::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Self::Error> {
        match self.iter.next() {
            Some((k, v)) => {
                self.next = Some(v);
                seed.deserialize(k.into_deserializer()).map(Some)
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Self::Error> {
        let v = self.next.take().unwrap_or(Value::Null);
        seed.deserialize(Strict(v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Inner {
        level: String,
        #[serde(default)]
        to: Vec<String>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Body {
        code: Option<String>,
        marking: Option<Inner>,
        #[serde(default)]
        tags: Vec<u32>,
        #[serde(default)]
        flag: bool,
    }

    fn read<T: serde::de::DeserializeOwned>(s: &str) -> Result<T, String> {
        let v = parse(s.as_bytes()).map_err(|e| format!("{e:?}"))?;
        serde_path_to_error::deserialize(Strict(v)).map_err(|e| format!("{} at {}", e.inner(), e.path()))
    }

    #[test]
    fn objects_are_read_as_before() {
        let b: Body = read(r#"{"code":"Z9","marking":{"level":"restricted","to":["SRB"]},"tags":[1,2],"flag":true}"#).unwrap();
        assert_eq!(b.code.as_deref(), Some("Z9"));
        assert_eq!(b.marking, Some(Inner { level: "restricted".into(), to: vec!["SRB".into()] }));
        assert_eq!(b.tags, vec![1, 2]);
        assert!(b.flag);
        let b: Body = read(r#"{"code":null}"#).unwrap();
        assert_eq!(b.code, None);
    }

    #[test]
    fn an_array_is_not_a_struct_at_any_depth() {
        let e = read::<Body>(r#"["Z9"]"#).unwrap_err();
        assert!(e.contains("expected an object"), "{e}");
        let e = read::<Body>(r#"{"marking":["restricted",[]]}"#).unwrap_err();
        assert!(e.contains("expected an object") && e.contains("marking"), "{e}");
    }

    #[test]
    fn a_key_given_twice_is_refused_with_its_place() {
        match parse(br#"{"code":"A","code":"B"}"#) {
            Err(Error::Duplicate { path, key }) => assert_eq!((path.as_str(), key.as_str()), ("", "code")),
            other => panic!("{other:?}"),
        }
        match parse(br#"{"marking":{"level":"a","level":"b"}}"#) {
            Err(Error::Duplicate { path, key }) => assert_eq!((path.as_str(), key.as_str()), ("marking", "level")),
            other => panic!("{other:?}"),
        }
        match parse(br#"[{"a":1},{"a":1,"a":2}]"#) {
            Err(Error::Duplicate { path, .. }) => assert_eq!(path, "[1]"),
            other => panic!("{other:?}"),
        }
        // The same key in two objects is no duplicate.
        assert!(parse(br#"{"a":{"x":1},"b":{"x":2}}"#).is_ok());
    }

    #[test]
    fn bad_syntax_and_trailing_bytes_are_syntax_errors() {
        assert!(matches!(parse(b"{\"a\":"), Err(Error::Syntax(_))));
        assert!(matches!(parse(b"{} {}"), Err(Error::Syntax(_))));
        assert!(matches!(parse(b""), Err(Error::Syntax(_))));
        assert_eq!(parse(b" 1.5 ").unwrap(), serde_json::json!(1.5));
    }
}
