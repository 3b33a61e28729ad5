//! Changes: one row per mutation, both the history users read and the audit trail. Rows are
//! hash-chained: each row's hash covers its content and the previous row's hash, so editing,
//! deleting or reordering any row breaks the chain from that row on.

use crate::marking::Marking;
use crate::{PlanId, Timestamp, UserId, format_ts};

use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// The hash before the first row.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// A change about to be written, as the use case describes it.
#[derive(Clone, Debug, PartialEq)]
pub struct ChangeDraft {
    /// The kind of record, e.g. `item`.
    pub entity: &'static str,
    pub entity_id: Uuid,
    /// The plan the record belongs to, if any (history filtering uses it).
    pub plan: Option<PlanId>,
    /// The record's version after the change (for a deletion, the last version).
    pub version: i64,
    /// What happened, e.g. `create`, `update`, `delete`, `move`, `transition`, `login_failed`.
    pub action: &'static str,
    pub before: Option<Value>,
    pub after: Option<Value>,
    /// The most restrictive marking of what the row reveals (before and after); `None` for
    /// rows about unmarked records (accounts, organisations, sign-ins).
    pub marking: Option<Marking>,
}

impl ChangeDraft {
    /// A change to a marked record: the row carries the join of both markings.
    pub fn marked(
        entity: &'static str,
        entity_id: Uuid,
        plan: Option<PlanId>,
        version: i64,
        action: &'static str,
        before: Option<(&Marking, Value)>,
        after: Option<(&Marking, Value)>,
    ) -> ChangeDraft {
        let marking = match (&before, &after) {
            (Some((a, _)), Some((b, _))) => Some(a.join(b)),
            (Some((m, _)), None) | (None, Some((m, _))) => Some((*m).clone()),
            (None, None) => None,
        };
        ChangeDraft { entity, entity_id, plan, version, action, before: before.map(|(_, v)| v), after: after.map(|(_, v)| v), marking }
    }

    /// A change to an unmarked record (organisation, account) or an event.
    pub fn unmarked(entity: &'static str, entity_id: Uuid, version: i64, action: &'static str, before: Option<Value>, after: Option<Value>) -> ChangeDraft {
        ChangeDraft { entity, entity_id, plan: None, version, action, before, after, marking: None }
    }
}

/// Who did it, when and from where: the context of every change of one request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Provenance {
    pub actor: Option<UserId>,
    pub at: Timestamp,
    pub request_id: String,
    pub source: String,
}

/// A written change row.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Change {
    /// Position in the chain, from 1.
    pub seq: i64,
    pub entity: String,
    pub entity_id: Uuid,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plan: Option<PlanId>,
    pub version: i64,
    pub actor: Option<UserId>,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub at: Timestamp,
    pub action: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
    pub request_id: String,
    pub source: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub marking: Option<Marking>,
    pub prev_hash: String,
    pub hash: String,
}

impl Change {
    /// The hash this row must have, given its content and `prev_hash`.
    pub fn expected_hash(&self) -> String {
        let content = serde_json::json!({
            "seq": self.seq,
            "entity": self.entity,
            "entity_id": self.entity_id,
            "plan": self.plan,
            "version": self.version,
            "actor": self.actor,
            "at": format_ts(&self.at),
            "action": self.action,
            "before": self.before,
            "after": self.after,
            "request_id": self.request_id,
            "source": self.source,
            "marking": self.marking,
        });
        let mut h = Sha256::new();
        h.update(self.prev_hash.as_bytes());
        h.update(b"\n");
        h.update(canonical_json(&content).as_bytes());
        hex::encode(h.finalize())
    }

    /// Build the next row of the chain.
    pub fn seal(draft: ChangeDraft, prov: &Provenance, seq: i64, prev_hash: &str) -> Change {
        let mut c = Change {
            seq,
            entity: draft.entity.to_string(),
            entity_id: draft.entity_id,
            plan: draft.plan,
            version: draft.version,
            actor: prov.actor,
            at: prov.at,
            action: draft.action.to_string(),
            before: draft.before,
            after: draft.after,
            request_id: prov.request_id.clone(),
            source: prov.source.clone(),
            marking: draft.marking,
            prev_hash: prev_hash.to_string(),
            hash: String::new(),
        };
        c.hash = c.expected_hash();
        c
    }

    /// The names of the top-level fields that differ between `before` and `after`.
    pub fn changed_fields(&self) -> Vec<String> {
        let empty = serde_json::Map::new();
        let b = self.before.as_ref().and_then(Value::as_object).unwrap_or(&empty);
        let a = self.after.as_ref().and_then(Value::as_object).unwrap_or(&empty);
        let mut keys: Vec<String> = b.keys().chain(a.keys()).filter(|k| b.get(*k) != a.get(*k)).cloned().collect();
        keys.sort();
        keys.dedup();
        keys.retain(|k| !matches!(k.as_str(), "version" | "updated_at"));
        keys
    }
}

/// Filters of the audit list.
#[derive(Clone, Debug, Default)]
pub struct AuditQuery {
    pub actor: Option<UserId>,
    pub entity: Option<String>,
    pub entity_id: Option<Uuid>,
    pub action: Option<String>,
    pub plan: Option<PlanId>,
    pub from: Option<Timestamp>,
    pub to: Option<Timestamp>,
}

/// The audit list's filters as they are asked for (query parameters): text, checked by
/// [`AuditQuery::parse`].
#[derive(Clone, Debug, Default)]
pub struct AuditParams {
    pub actor: Option<String>,
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    pub action: Option<String>,
    pub plan: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
}

impl AuditQuery {
    /// The filters of `p`: ids must be UUIDs and times RFC 3339; every problem is named at
    /// its parameter (code `invalid`, with what was expected).
    pub fn parse(p: &AuditParams) -> Result<AuditQuery, crate::ValidationErrors> {
        let mut problems = crate::Problems::new();
        let mut id = |field: &str, v: &Option<String>| match v.as_deref().map(Uuid::try_parse) {
            Some(Ok(u)) => Some(u),
            Some(Err(_)) => {
                problems.coded(field, "invalid", &[("expected", "id")]);
                None
            }
            None => None,
        };
        let (actor, entity_id, plan) = (id("actor", &p.actor), id("entity_id", &p.entity_id), id("plan", &p.plan));
        let mut time = |field: &str, v: &Option<String>| match v.as_deref().map(chrono::DateTime::parse_from_rfc3339) {
            Some(Ok(t)) => Some(t.with_timezone(&chrono::Utc)),
            Some(Err(_)) => {
                problems.coded(field, "invalid", &[("expected", "time")]);
                None
            }
            None => None,
        };
        let (from, to) = (time("from", &p.from), time("to", &p.to));
        problems.finish()?;
        Ok(AuditQuery { actor: actor.map(UserId), entity: p.entity.clone(), entity_id, action: p.action.clone(), plan: plan.map(PlanId), from, to })
    }
}

/// Where a chain is broken.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChainFault {
    /// The row's hash does not match its content: it was edited.
    Edited { seq: i64 },
    /// The row does not follow the previous row: a row before it was deleted or reordered.
    Broken { seq: i64, expected_seq: i64 },
}

impl std::fmt::Display for ChainFault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ChainFault::Edited { seq } => write!(f, "change #{seq} was altered: its hash does not match its content"),
            ChainFault::Broken { seq, expected_seq } => {
                write!(f, "change #{seq} does not follow change #{}: rows were deleted, inserted or reordered", expected_seq - 1)
            }
        }
    }
}

/// Walks a chain row by row, in order; reports the first fault.
#[derive(Clone, Debug)]
pub struct ChainVerifier {
    prev_hash: String,
    next_seq: i64,
}

impl Default for ChainVerifier {
    fn default() -> Self {
        ChainVerifier { prev_hash: GENESIS_HASH.to_string(), next_seq: 1 }
    }
}

impl ChainVerifier {
    pub fn check(&mut self, row: &Change) -> Result<(), ChainFault> {
        if row.seq != self.next_seq || row.prev_hash != self.prev_hash {
            return Err(ChainFault::Broken { seq: row.seq, expected_seq: self.next_seq });
        }
        if row.expected_hash() != row.hash {
            return Err(ChainFault::Edited { seq: row.seq });
        }
        self.prev_hash = row.hash.clone();
        self.next_seq += 1;
        Ok(())
    }

    /// How many rows have been checked.
    pub fn count(&self) -> i64 {
        self.next_seq - 1
    }

    pub fn last_hash(&self) -> &str {
        &self.prev_hash
    }
}

/// JSON with object keys sorted at every depth and no whitespace: the same value always gives
/// the same text, whatever order a map kept.
pub fn canonical_json(v: &Value) -> String {
    let mut out = String::new();
    write_canonical(v, &mut out);
    out
}

fn write_canonical(v: &Value, out: &mut String) {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            out.push('{');
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(k.clone()).to_string());
                out.push(':');
                write_canonical(&m[k], out);
            }
            out.push('}');
        }
        Value::Array(a) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(x, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

/// SHA-256 of a value's canonical JSON, in hex.
pub fn content_hash<T: Serialize>(value: &T) -> String {
    let v = serde_json::to_value(value).unwrap_or(Value::Null);
    hex::encode(Sha256::digest(canonical_json(&v).as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn audit_filters_are_checked_and_every_problem_named() {
        let bad = AuditParams { actor: Some("me".into()), from: Some("yesterday".into()), plan: Some(String::new()), ..AuditParams::default() };
        let e = AuditQuery::parse(&bad).unwrap_err();
        let fields: Vec<(&str, &str)> = e.0.iter().map(|f| (f.field.as_str(), f.code.as_str())).collect();
        assert_eq!(fields, vec![("actor", "invalid"), ("plan", "invalid"), ("from", "invalid")]);
        assert_eq!(e.0[2].args, vec![("expected".to_string(), "time".to_string())]);
        let good = AuditParams {
            actor: Some("01234567-89ab-7def-8123-456789abcdef".into()),
            to: Some("2015-01-20T00:00:00+01:00".into()),
            action: Some("login_failed".into()),
            ..AuditParams::default()
        };
        let q = AuditQuery::parse(&good).unwrap();
        assert!(q.actor.is_some() && q.plan.is_none());
        assert_eq!(q.to.map(|t| t.to_rfc3339()), Some("2015-01-19T23:00:00+00:00".to_string()), "times are kept in UTC");
        assert_eq!(q.action.as_deref(), Some("login_failed"));
    }
    use crate::marking::Level;
    use serde_json::json;

    fn prov(n: i64) -> Provenance {
        Provenance {
            actor: Some(UserId(Uuid::from_u128(1))),
            at: chrono::DateTime::from_timestamp_millis(1_421_712_000_000 + n).unwrap(),
            request_id: format!("req-{n}"),
            source: "127.0.0.1".into(),
        }
    }

    fn chain(n: i64) -> Vec<Change> {
        let mut prev = GENESIS_HASH.to_string();
        (1..=n)
            .map(|i| {
                let m = Marking::new(Level::NatoRestricted, &["SRB"], "NATO");
                let d = ChangeDraft::marked(
                    "item",
                    Uuid::from_u128(i as u128),
                    None,
                    i,
                    "update",
                    Some((&m, json!({"title": "old", "version": i - 1}))),
                    Some((&m, json!({"title": format!("new {i}"), "version": i}))),
                );
                let c = Change::seal(d, &prov(i), i, &prev);
                prev = c.hash.clone();
                c
            })
            .collect()
    }

    fn verify(rows: &[Change]) -> Result<i64, ChainFault> {
        let mut v = ChainVerifier::default();
        for r in rows {
            v.check(r)?;
        }
        Ok(v.count())
    }

    #[test]
    fn an_intact_chain_verifies() {
        assert_eq!(verify(&chain(5)), Ok(5));
    }

    #[test]
    fn an_edit_is_found_at_its_row() {
        let mut rows = chain(5);
        rows[2].after = Some(json!({"title": "forged"}));
        assert_eq!(verify(&rows), Err(ChainFault::Edited { seq: 3 }));
        let mut rows = chain(5);
        rows[1].actor = None;
        assert_eq!(verify(&rows), Err(ChainFault::Edited { seq: 2 }));
    }

    #[test]
    fn a_recomputed_hash_still_breaks_the_next_link() {
        let mut rows = chain(5);
        rows[2].after = Some(json!({"title": "forged"}));
        rows[2].hash = rows[2].expected_hash();
        assert_eq!(verify(&rows), Err(ChainFault::Broken { seq: 4, expected_seq: 4 }));
    }

    #[test]
    fn deletion_and_reordering_are_found() {
        let mut rows = chain(5);
        rows.remove(1);
        assert_eq!(verify(&rows), Err(ChainFault::Broken { seq: 3, expected_seq: 2 }));
        let mut rows = chain(5);
        rows.swap(3, 4);
        assert_eq!(verify(&rows), Err(ChainFault::Broken { seq: 5, expected_seq: 4 }));
        let mut rows = chain(5);
        rows.pop();
        assert_eq!(verify(&rows), Ok(4), "a truncated tail is caught by comparing with the recorded head");
    }

    #[test]
    fn canonical_json_ignores_key_order() {
        let a: Value = serde_json::from_str(r#"{"b": 1, "a": {"d": [1, {"y": 2, "x": 1}], "c": "ћ"}}"#).unwrap();
        let b: Value = serde_json::from_str(r#"{"a": {"c": "ћ", "d": [1, {"x": 1, "y": 2}]}, "b": 1}"#).unwrap();
        assert_eq!(canonical_json(&a), canonical_json(&b));
        assert_eq!(canonical_json(&a), r#"{"a":{"c":"ћ","d":[1,{"x":1,"y":2}]},"b":1}"#);
        assert_eq!(content_hash(&a), content_hash(&b));
    }

    #[test]
    fn marked_rows_carry_the_stricter_marking() {
        let low = Marking::new(Level::NatoUnclassified, &["SRB"], "NATO");
        let high = Marking::new(Level::NatoConfidential, &["SRB"], "NATO");
        let d = ChangeDraft::marked("item", Uuid::nil(), None, 2, "update", Some((&high, json!({}))), Some((&low, json!({}))));
        assert_eq!(d.marking.unwrap().level, Level::NatoConfidential, "a downgrade's history keeps the old level");
    }

    #[test]
    fn changed_fields_ignore_bookkeeping() {
        let c = &chain(1)[0];
        assert_eq!(c.changed_fields(), vec!["title"]);
    }
}
