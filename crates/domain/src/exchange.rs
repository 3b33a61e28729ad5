//! Exchange between installations: who a peer is, what it may hold, who owns which records,
//! how a received record is merged with the local one, and which bundles are taken.
//!
//! * **What a peer may hold** is a [`ReadFilter`] like a person's ([`peer_filter`]): records at
//!   or below its accredited level, and releasable to its country or group (or public). The
//!   same readers that serve people serve the bundle, so nothing else decides.
//! * **Ownership.** Each record is owned by the installation that created it ([`ownership`]).
//!   The plan and its structure (items, their links, indicators, reporting periods) are
//!   *shared*: both sides may edit them, and changes meet in a three-way merge. Everything else
//!   (reports, figures, assessments, comments, requests, offers, activities, stories,
//!   decisions, evidence, agreed versions) is *the origin's*: read-only where it is received.
//! * **Merge** ([`merge`]), field by field, against the last state both sides held: a field
//!   only one side changed takes that side's value; a field both changed to different values is
//!   a [`FieldConflict`] that keeps the local value until a person settles it.
//! * **Sequence** ([`sequence`]): each bundle from a peer must carry a higher number than the
//!   last one applied; the same bundle again changes nothing; an older or different one with a
//!   used number is refused.

use crate::access::{PlanScope, ReadFilter, Release};
use crate::marking::{Level, is_country_code, is_release_token};
use crate::validation::Problems;
use serde_json::{Map, Value};

/// Who owns a record of a kind once it has crossed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ownership {
    /// Both sides may change it; changes are merged ([`merge`]).
    Shared,
    /// Only the installation that created it may change it.
    Origin,
}

/// The kinds of record a bundle carries, in the order they are applied (parents first).
pub const KINDS: &[&str] = &[
    "organisation",
    "user",
    "plan",
    "period",
    "item",
    "link",
    "indicator",
    "measurement",
    "progress_update",
    "attachment",
    "assessment",
    "rating",
    "comment",
    "request",
    "offer",
    "activity",
    "story",
    "photo",
    "decision",
    "version",
];

/// Who owns records of `kind` (see the module documentation).
pub fn ownership(kind: &str) -> Ownership {
    match kind {
        "plan" | "item" | "link" | "indicator" | "period" => Ownership::Shared,
        _ => Ownership::Origin,
    }
}

/// Fields that are the installation's own bookkeeping, never compared or taken: each side
/// keeps its own version counter and update time, and derives its own search text and keys.
pub const LOCAL_FIELDS: &[&str] = &["version", "updated_at", "search_text", "code_norm", "tree_key", "depth", "email_norm", "name_norm"];

/// The group that names the alliance itself: a peer of this group is an installation of the
/// alliance, which — like the alliance's own staff — may hold whatever its level allows,
/// whatever a record's releasability (that names who *outside* the alliance may see it).
pub const ALLIANCE: &str = "NATO";

/// What a peer may hold: its accredited level and its country or group, with the groups that
/// contain it (`tokens`); for the alliance's installation ([`ALLIANCE`]), any releasability.
pub fn peer_filter(level: Level, tokens: Vec<String>) -> ReadFilter {
    let release = if tokens.first().is_some_and(|t| t == ALLIANCE) { Release::Any } else { Release::Tokens(tokens) };
    ReadFilter { max_rank: level.rank(), release, plans: PlanScope::All, ally_scope: None }
}

/// A peer's name: lower-case letters, digits and hyphens, 1 to 40.
pub fn check_peer(name: &str, release: &str) -> Problems {
    let mut p = Problems::new();
    if name.is_empty() || name.len() > 40 || !name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
        p.add("name", "invalid", "1 to 40 lower-case letters, digits and hyphens, e.g. nato-hq or srb-mod");
    }
    if !is_country_code(release) && !is_release_token(release) {
        p.add("country", "invalid", "an ISO 3166 alpha-3 country code (SRB) or a group's name (NATO, PFP)");
    }
    p
}

/// Both sides changed one field differently since they last agreed.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldConflict {
    pub field: String,
    pub local: Value,
    pub remote: Value,
}

/// The result of merging a received record into the local one.
#[derive(Clone, Debug, PartialEq)]
pub struct Merged {
    /// The local record with every change only the peer made.
    pub fields: Map<String, Value>,
    /// Whether anything of the peer's was taken.
    pub changed: bool,
    /// Fields both sides changed differently (kept local).
    pub conflicts: Vec<FieldConflict>,
}

/// Three-way merge of one record, field by field (see the module documentation). `base` is
/// the last state both sides held, if any; without one, every differing field is a conflict.
pub fn merge(base: Option<&Map<String, Value>>, local: &Map<String, Value>, remote: &Map<String, Value>) -> Merged {
    let mut fields = local.clone();
    let mut changed = false;
    let mut conflicts = Vec::new();
    let null = Value::Null;
    let mut names: Vec<&String> = local.keys().chain(remote.keys()).collect();
    names.sort();
    names.dedup();
    for f in names {
        if LOCAL_FIELDS.contains(&f.as_str()) {
            continue;
        }
        let l = local.get(f).unwrap_or(&null);
        let r = remote.get(f).unwrap_or(&null);
        if l == r {
            continue;
        }
        let b = base.map(|b| b.get(f).unwrap_or(&null));
        match b {
            Some(b) if r == b => {}
            Some(b) if l == b => {
                fields.insert(f.clone(), r.clone());
                changed = true;
            }
            _ => conflicts.push(FieldConflict { field: f.clone(), local: l.clone(), remote: r.clone() }),
        }
    }
    Merged { fields, changed, conflicts }
}

/// Whether a bundle's sequence number may be applied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Sequence {
    Apply,
    /// This very bundle was applied before: nothing to do.
    AlreadyApplied,
    /// An older bundle, or another with a number already used.
    Refuse {
        last: i64,
    },
}

/// The rule for a bundle numbered `seq` with payload hash `hash`, given the last one applied
/// from the same peer.
pub fn sequence(last: Option<(i64, &str)>, seq: i64, hash: &str) -> Sequence {
    match last {
        _ if seq < 1 => Sequence::Refuse { last: last.map_or(0, |l| l.0) },
        None => Sequence::Apply,
        Some((n, _)) if seq > n => Sequence::Apply,
        Some((n, h)) if seq == n && h == hash => Sequence::AlreadyApplied,
        Some((n, _)) => Sequence::Refuse { last: n },
    }
}

/// The marking rank of a label's classification code, if this installation knows the level.
pub fn level_of(code: &str) -> Option<Level> {
    Level::parse(code)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn m(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap()
    }

    #[test]
    fn a_field_one_side_changed_takes_that_side_and_both_changed_is_a_conflict() {
        let base = m(json!({"title": "A", "status": "draft", "weight": 1, "version": 3}));
        let local = m(json!({"title": "A", "status": "active", "weight": 2, "version": 5}));
        let remote = m(json!({"title": "B", "status": "draft", "weight": 3, "version": 9}));
        let got = merge(Some(&base), &local, &remote);
        assert_eq!(got.fields["title"], "B", "only the peer changed the title");
        assert_eq!(got.fields["status"], "active", "only we changed the status");
        assert_eq!(got.fields["weight"], 2, "a conflict keeps the local value");
        assert_eq!(got.fields["version"], 5, "the version is ours");
        assert!(got.changed);
        assert_eq!(got.conflicts, vec![FieldConflict { field: "weight".into(), local: json!(2), remote: json!(3) }]);
    }

    #[test]
    fn the_same_change_on_both_sides_is_no_conflict_and_an_echo_changes_nothing() {
        let base = m(json!({"title": "A"}));
        let both = m(json!({"title": "C"}));
        let got = merge(Some(&base), &both, &both);
        assert!(!got.changed && got.conflicts.is_empty());
        let got = merge(Some(&base), &both, &base);
        assert_eq!(got.fields["title"], "C", "the peer holds the old value we changed: ours stays");
        assert!(!got.changed);
    }

    #[test]
    fn without_a_base_every_difference_is_a_conflict() {
        let got = merge(None, &m(json!({"title": "A", "code": "1"})), &m(json!({"title": "B", "code": "1"})));
        assert_eq!(got.conflicts.len(), 1);
        assert_eq!(got.fields["title"], "A");
    }

    #[test]
    fn a_field_only_the_peer_has_is_taken_when_we_never_had_it() {
        let got = merge(Some(&m(json!({}))), &m(json!({})), &m(json!({"note": "x"})));
        assert_eq!(got.fields["note"], "x");
    }

    #[test]
    fn bundles_are_taken_in_order_once() {
        assert_eq!(sequence(None, 1, "h"), Sequence::Apply);
        assert_eq!(sequence(Some((1, "h")), 2, "i"), Sequence::Apply);
        assert_eq!(sequence(Some((1, "h")), 5, "i"), Sequence::Apply, "a gap is fine: bundles carry everything since the last acknowledged");
        assert_eq!(sequence(Some((2, "h")), 2, "h"), Sequence::AlreadyApplied);
        assert_eq!(sequence(Some((2, "h")), 2, "x"), Sequence::Refuse { last: 2 });
        assert_eq!(sequence(Some((2, "h")), 1, "x"), Sequence::Refuse { last: 2 });
        assert_eq!(sequence(None, 0, "x"), Sequence::Refuse { last: 0 });
    }

    #[test]
    fn a_peer_holds_what_its_level_and_country_allow() {
        use crate::marking::Marking;
        let f = peer_filter(Level::NatoRestricted, vec!["SRB".into(), "PFP".into()]);
        assert!(f.admits_marking(&Marking::new(Level::NatoRestricted, &["SRB"], "NATO")));
        assert!(f.admits_marking(&Marking::new(Level::NatoRestricted, &["PFP"], "NATO")));
        assert!(f.admits_marking(&Marking::new(Level::Public, &[], "NATO")));
        assert!(!f.admits_marking(&Marking::new(Level::NatoConfidential, &["SRB"], "NATO")), "above its accreditation");
        assert!(!f.admits_marking(&Marking::new(Level::NatoRestricted, &["UKR"], "NATO")), "not releasable to it");
        assert!(!f.admits_marking(&Marking::new(Level::NatoUnclassified, &[], "NATO")), "alliance only");
        let alliance = peer_filter(Level::NatoRestricted, vec![ALLIANCE.into()]);
        assert!(alliance.admits_marking(&Marking::new(Level::NatoUnclassified, &[], "NATO")), "the alliance holds its own");
        assert!(alliance.admits_marking(&Marking::new(Level::NatoRestricted, &["SRB"], "SRB")));
        assert!(!alliance.admits_marking(&Marking::new(Level::NatoSecret, &[], "NATO")), "but no higher than its level");
    }

    #[test]
    fn peer_names_and_countries_are_checked() {
        assert!(check_peer("nato-hq", "NATO").is_empty());
        assert!(check_peer("srb-mod", "SRB").is_empty());
        assert!(!check_peer("Bad Name", "SRB").is_empty());
        assert!(!check_peer("ok", "not a token!").is_empty());
        assert!(!check_peer("", "SRB").is_empty());
    }

    #[test]
    fn every_kind_has_an_owner() {
        assert_eq!(ownership("item"), Ownership::Shared);
        assert_eq!(ownership("assessment"), Ownership::Origin);
        assert_eq!(ownership("progress_update"), Ownership::Origin);
        assert!(KINDS.iter().filter(|k| ownership(k) == Ownership::Shared).count() >= 5);
    }
}
