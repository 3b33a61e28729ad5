//! Items: the nodes of a plan's tree (chapters → objectives → actions, areas → goals →
//! milestones, …), and the typed links between items, also across plans.

use crate::due::{Due, Quarter};
use crate::framework::Framework;
use crate::marking::{Marking, Scheme};
use crate::page::Patch;
use crate::plan::check_code;
use crate::text::{Text, check_text};
use crate::validation::{Problems, ValidationErrors};
use crate::{ItemId, LinkId, OrganisationId, PlanId, Timestamp};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ItemStatus {
    Planned,
    InProgress,
    Completed,
    PartiallyCompleted,
    Delayed,
    NotImplemented,
    Cancelled,
    CarriedOver,
}

impl ItemStatus {
    /// Whether the work is over, one way or another (an item in such a state is never overdue).
    pub fn is_closed(self) -> bool {
        matches!(self, ItemStatus::Completed | ItemStatus::PartiallyCompleted | ItemStatus::NotImplemented | ItemStatus::Cancelled | ItemStatus::CarriedOver)
    }
}

codes! { ItemStatus {
    Planned => "planned",
    InProgress => "in_progress",
    Completed => "completed",
    PartiallyCompleted => "partially_completed",
    Delayed => "delayed",
    NotImplemented => "not_implemented",
    Cancelled => "cancelled",
    CarriedOver => "carried_over",
} }

impl fmt::Display for ItemStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The OECD DAC gender equality policy marker.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default)]
#[serde(try_from = "u8", into = "u8")]
pub enum GenderMarker {
    /// 0: not targeted.
    #[default]
    NotTargeted,
    /// 1: gender equality is a significant objective.
    Significant,
    /// 2: gender equality is the principal objective.
    Principal,
}

#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for GenderMarker {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        ObjectBuilder::new()
            .schema_type(Type::Integer)
            .description(Some("Gender equality marker: 0 not targeted, 1 significant, 2 principal."))
            .minimum(Some(0))
            .maximum(Some(2))
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for GenderMarker {}

impl TryFrom<u8> for GenderMarker {
    type Error = String;
    fn try_from(v: u8) -> Result<Self, String> {
        match v {
            0 => Ok(GenderMarker::NotTargeted),
            1 => Ok(GenderMarker::Significant),
            2 => Ok(GenderMarker::Principal),
            _ => Err(format!("gender marker must be 0, 1 or 2, not {v}")),
        }
    }
}

impl From<GenderMarker> for u8 {
    fn from(g: GenderMarker) -> u8 {
        match g {
            GenderMarker::NotTargeted => 0,
            GenderMarker::Significant => 1,
            GenderMarker::Principal => 2,
        }
    }
}

/// Largest weight an item may carry in roll-ups.
pub const MAX_WEIGHT: u32 = 1000;
/// Most siblings under one parent (positions are stored in five digits).
pub const MAX_SIBLINGS: usize = 99_999;

#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Item {
    pub id: ItemId,
    pub plan: PlanId,
    pub parent: Option<ItemId>,
    /// The framework level's key, e.g. `objective`.
    pub level: String,
    /// 0 for the root level.
    pub depth: u8,
    pub code: String,
    pub title: Text,
    /// Markdown.
    pub description: Text,
    /// Area codes (taxonomy terms).
    pub areas: Vec<String>,
    pub lead_organisation: Option<OrganisationId>,
    pub contributing_organisations: Vec<OrganisationId>,
    pub start: Option<NaiveDate>,
    pub due: Option<Due>,
    pub status: ItemStatus,
    /// Relative weight in roll-ups (0 excludes the item).
    pub weight: u32,
    pub gender_marker: GenderMarker,
    pub marking: Marking,
    /// 0-based position among its siblings.
    pub position: u32,
    pub version: i64,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: Timestamp,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub updated_at: Timestamp,
}

/// Input to create an item. `level` is implied by the parent; when given it must agree.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewItem {
    #[serde(default)]
    pub parent: Option<ItemId>,
    #[serde(default)]
    pub level: Option<String>,
    pub code: String,
    pub title: Text,
    #[serde(default)]
    pub description: Text,
    #[serde(default)]
    pub areas: Vec<String>,
    #[serde(default)]
    pub lead_organisation: Option<OrganisationId>,
    #[serde(default)]
    pub contributing_organisations: Vec<OrganisationId>,
    #[serde(default)]
    pub start: Option<NaiveDate>,
    #[serde(default)]
    pub due: Option<Due>,
    #[serde(default)]
    pub status: Option<ItemStatus>,
    #[serde(default)]
    pub weight: Option<u32>,
    #[serde(default)]
    pub gender_marker: Option<GenderMarker>,
    /// Defaults to the parent's marking (or the plan's for a root item).
    #[serde(default)]
    pub marking: Option<Marking>,
    /// Where among the siblings; defaults to the end.
    #[serde(default)]
    pub position: Option<u32>,
    /// Confirms a marking lower than the parent's (needs the right to downgrade).
    #[serde(default)]
    pub downgrade: bool,
}

/// Input to change an item; absent fields stay as they are. Parent and position change by
/// moving the item.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ItemPatch {
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    pub title: Option<Text>,
    #[serde(default)]
    pub description: Option<Text>,
    #[serde(default)]
    pub areas: Option<Vec<String>>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<OrganisationId>))]
    pub lead_organisation: Patch<OrganisationId>,
    #[serde(default)]
    pub contributing_organisations: Option<Vec<OrganisationId>>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<NaiveDate>))]
    pub start: Patch<NaiveDate>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Due>))]
    pub due: Patch<Due>,
    #[serde(default)]
    pub status: Option<ItemStatus>,
    #[serde(default)]
    pub weight: Option<u32>,
    #[serde(default)]
    pub gender_marker: Option<GenderMarker>,
    #[serde(default)]
    pub marking: Option<Marking>,
    #[serde(default)]
    pub downgrade: bool,
}

/// Input to move an item under another parent (of the level above) or among its siblings.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MoveItem {
    /// The new parent; `null` for the root level.
    #[serde(default)]
    pub parent: Option<ItemId>,
    /// 0-based position among the new siblings; defaults to the end.
    #[serde(default)]
    pub position: Option<u32>,
}

/// The parent as validation needs it.
#[derive(Clone, Debug)]
pub struct ParentInfo {
    pub plan: PlanId,
    pub depth: u8,
    pub marking: Marking,
}

/// What the item validator needs to know about the rest of the world.
pub struct ItemContext<'a> {
    pub scheme: Scheme,
    pub framework: &'a Framework,
    pub plan: PlanId,
    pub plan_marking: &'a Marking,
    /// `None` for a root item; `Some(None)` when the parent id names no visible item.
    pub parent: Option<Option<ParentInfo>>,
    /// The level key the input asked for, if any.
    pub requested_level: Option<&'a str>,
    pub unknown_areas: Vec<String>,
    pub unknown_organisations: Vec<OrganisationId>,
    pub code_taken: bool,
    /// The marking the item had before this change (for updates).
    pub previous_marking: Option<&'a Marking>,
    pub downgrade_requested: bool,
    pub may_downgrade: bool,
    /// Whether the acting user could still see the item with its new marking.
    pub actor_clears_marking: bool,
}

impl Item {
    /// The marking the item must dominate: its parent's, or the plan's for a root item.
    fn ceiling<'a>(ctx: &'a ItemContext<'a>) -> &'a Marking {
        match &ctx.parent {
            Some(Some(p)) => &p.marking,
            _ => ctx.plan_marking,
        }
    }

    /// Check the whole record. Every problem is reported at once, per field.
    pub fn validate(&self, ctx: &ItemContext<'_>) -> Result<(), ValidationErrors> {
        let mut p = Problems::new();
        check_code(&mut p, "code", &self.code, 32);
        if ctx.code_taken {
            p.add("code", "taken", "another item of this plan already has this code");
        }
        check_text(&mut p, "title", &self.title, true, 500, false);
        check_text(&mut p, "description", &self.description, false, 20_000, true);

        let levels = ctx.framework.levels.len();
        match &ctx.parent {
            Some(None) => p.add("parent", "unknown", "no such item"),
            Some(Some(parent)) if parent.plan != ctx.plan => p.add("parent", "other_plan", "the parent must belong to the same plan"),
            Some(Some(parent)) if usize::from(parent.depth) + 1 >= levels => p.add(
                "parent",
                "too_deep",
                format!("{} is the lowest level of this framework and has no children", ctx.framework.level_key(usize::from(parent.depth)).unwrap_or("?")),
            ),
            _ => {}
        }
        if let Some(req) = ctx.requested_level {
            match ctx.framework.level_index(req) {
                None => {
                    let keys: Vec<&str> = ctx.framework.levels.iter().map(|l| l.key.as_str()).collect();
                    p.add("level", "unknown", format!("this framework's levels are {}", keys.join(", ")))
                }
                Some(i) if i != usize::from(self.depth) => p.add(
                    "level",
                    "mismatch",
                    if i == 0 {
                        format!("a {req} is a root item and has no parent")
                    } else {
                        format!("a {req} must be placed under a {}", ctx.framework.level_key(i - 1).unwrap_or("?"))
                    },
                ),
                _ => {}
            }
        }

        if self.areas.len() > 20 {
            p.add("areas", "too_many", "at most 20 areas");
        }
        if self.areas.iter().collect::<BTreeSet<_>>().len() != self.areas.len() {
            p.add("areas", "duplicate", "an area is listed twice");
        }
        for a in &ctx.unknown_areas {
            p.add("areas", "unknown", format!("no area with the code {a:?}"));
        }
        if self.lead_organisation.is_some_and(|l| ctx.unknown_organisations.contains(&l)) {
            p.add("lead_organisation", "unknown", "no such organisation");
        }
        let contributors = &self.contributing_organisations;
        if contributors.len() > 50 {
            p.add("contributing_organisations", "too_many", "at most 50 organisations");
        }
        if contributors.iter().collect::<BTreeSet<_>>().len() != contributors.len() {
            p.add("contributing_organisations", "duplicate", "an organisation is listed twice");
        }
        if self.lead_organisation.is_some_and(|l| contributors.contains(&l)) {
            p.add("contributing_organisations", "includes_lead", "the lead organisation is not also a contributor");
        }
        if contributors.iter().any(|c| ctx.unknown_organisations.contains(c)) {
            p.add("contributing_organisations", "unknown", "no such organisation");
        }
        if let (Some(start), Some(deadline)) = (self.start, self.due.and_then(|d| d.deadline()))
            && start > deadline
        {
            p.add("start", "after_due", "must not be after the due date");
        }
        if let Some(start) = self.start
            && !(1900..=2999).contains(&chrono::Datelike::year(&start))
        {
            p.add("start", "out_of_range", "must be between the years 1900 and 2999");
        }
        if self.weight > MAX_WEIGHT {
            p.add("weight", "too_large", format!("must be between 0 and {MAX_WEIGHT}"));
        }

        let mut m = self.marking.check(ctx.scheme);
        if m.is_empty() {
            let ceiling = Item::ceiling(ctx);
            let was_already_below = ctx.previous_marking.is_some_and(|prev| prev == &self.marking);
            if !self.marking.dominates(ceiling) && !was_already_below {
                if !ctx.downgrade_requested {
                    m.add(
                        "",
                        "below_parent",
                        format!(
                            "is less restrictive than what it belongs to ({}); a coordinator may confirm a downgrade with \"downgrade\": true",
                            ceiling.banner()
                        ),
                    );
                } else if !ctx.may_downgrade {
                    m.add("", "downgrade_forbidden", "only a coordinator may mark an item lower than what it belongs to");
                }
            }
            if !ctx.actor_clears_marking {
                m.add("", "hides_from_you", "with this marking you could no longer see the item");
            }
        }
        p.nest("marking", m);
        p.finish()
    }

    /// Apply a patch (not yet validated).
    pub fn patched(&self, patch: ItemPatch) -> Item {
        let mut n = self.clone();
        if let Some(v) = patch.code {
            n.code = v;
        }
        if let Some(v) = patch.title {
            n.title = v.normalised();
        }
        if let Some(v) = patch.description {
            n.description = v.normalised();
        }
        if let Some(v) = patch.areas {
            n.areas = v;
        }
        n.lead_organisation = patch.lead_organisation.apply(n.lead_organisation);
        if let Some(v) = patch.contributing_organisations {
            n.contributing_organisations = v;
        }
        n.start = patch.start.apply(n.start);
        n.due = patch.due.apply(n.due);
        if let Some(v) = patch.status {
            n.status = v;
        }
        if let Some(v) = patch.weight {
            n.weight = v;
        }
        if let Some(v) = patch.gender_marker {
            n.gender_marker = v;
        }
        if let Some(v) = patch.marking {
            n.marking = v;
        }
        n
    }

    /// Whether the item is late on `today`: due date passed and not closed.
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        !self.status.is_closed() && self.due.is_some_and(|d| d.is_past(today))
    }
}

impl NewItem {
    /// Build the record. `depth` comes from the parent; `level` is the framework's key for it.
    #[allow(clippy::too_many_arguments)]
    pub fn into_item(self, id: ItemId, plan: PlanId, depth: u8, level: String, default_marking: &Marking, position: u32, now: Timestamp) -> Item {
        Item {
            id,
            plan,
            parent: self.parent,
            level,
            depth,
            code: self.code,
            title: self.title.normalised(),
            description: self.description.normalised(),
            areas: self.areas,
            lead_organisation: self.lead_organisation,
            contributing_organisations: self.contributing_organisations,
            start: self.start,
            due: self.due,
            status: self.status.unwrap_or(ItemStatus::Planned),
            weight: self.weight.unwrap_or(1),
            gender_marker: self.gender_marker.unwrap_or_default(),
            marking: self.marking.unwrap_or_else(|| default_marking.clone()),
            position,
            version: 1,
            created_at: now,
            updated_at: now,
        }
    }
}

/// The ordering key of a tree position: the positions from the root down, five digits each,
/// so that sorting the keys as text lists the tree depth-first.
pub fn tree_key(parent_key: Option<&str>, position: u32) -> String {
    match parent_key {
        Some(k) => format!("{k}.{position:05}"),
        None => format!("{position:05}"),
    }
}

/// Filters of an item list (all optional).
#[derive(Clone, Debug, Default)]
pub struct ItemQuery {
    pub status: Option<ItemStatus>,
    pub area: Option<String>,
    /// Lead or contributing organisation.
    pub organisation: Option<OrganisationId>,
    pub depth: Option<u8>,
    /// `Some(None)` for root items.
    pub parent: Option<Option<ItemId>>,
    pub due_quarter: Option<Quarter>,
    /// Items not closed whose deadline is before this date.
    pub overdue_on: Option<NaiveDate>,
    /// Words to find in codes and titles (any script).
    pub text: Option<String>,
}

/// Where an item may be moved: to a parent one level up in the same plan (or the root for a
/// root item). Levels never change by moving, so an item cannot land under its own subtree.
pub fn check_move(item: &Item, new_parent: Option<&Item>) -> Result<(), ValidationErrors> {
    let mut p = Problems::new();
    match new_parent {
        None if item.depth != 0 => p.add("parent", "required", format!("a {} needs a parent", item.level)),
        Some(np) if np.plan != item.plan => p.add("parent", "other_plan", "items move only within their plan"),
        Some(np) if np.id == item.id => p.add("parent", "cycle", "an item cannot be its own parent"),
        Some(np) if np.depth + 1 != item.depth => {
            p.add("parent", "wrong_level", format!("a {} must be placed under an item one level up, not under a {}", item.level, np.level))
        }
        _ => {}
    }
    p.finish()
}

/// Kinds of links between items.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum LinkKind {
    /// The source carries out the target (an IPAP action implements Partnership Goal 17).
    Implements,
    /// The source helps the target.
    Supports,
    /// The source cannot finish before the target.
    DependsOn,
}

impl LinkKind {}

codes! { LinkKind {
    Implements => "implements",
    Supports => "supports",
    DependsOn => "depends_on",
} }

#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ItemLink {
    pub id: LinkId,
    pub from: ItemId,
    pub to: ItemId,
    pub kind: LinkKind,
    pub version: i64,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: Timestamp,
}

/// Input to link an item to another.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewLink {
    pub to: ItemId,
    pub kind: LinkKind,
}

/// Check a new link: not to itself, not twice, and `depends_on` links form no cycle.
/// `existing` are the current links of the same kind (from, to) among items involved.
pub fn check_link(from: ItemId, to: ItemId, kind: LinkKind, target_visible: bool, existing: &[(ItemId, ItemId, LinkKind)]) -> Result<(), ValidationErrors> {
    let mut p = Problems::new();
    if !target_visible {
        p.add("to", "unknown", "no such item");
    } else if from == to {
        p.add("to", "self", "an item cannot be linked to itself");
    } else if existing.iter().any(|(f, t, k)| *f == from && *t == to && *k == kind) {
        p.add("to", "duplicate", format!("the items are already linked as {}", kind.code()));
    } else if kind == LinkKind::DependsOn && reaches(existing, to, from) {
        p.add("to", "cycle", "this dependency would make the items depend on each other in a circle");
    }
    p.finish()
}

/// Whether `start` reaches `goal` through `depends_on` links.
fn reaches(links: &[(ItemId, ItemId, LinkKind)], start: ItemId, goal: ItemId) -> bool {
    let mut next: BTreeMap<ItemId, Vec<ItemId>> = BTreeMap::new();
    for (f, t, k) in links {
        if *k == LinkKind::DependsOn {
            next.entry(*f).or_default().push(*t);
        }
    }
    let mut stack = vec![start];
    let mut seen = BTreeSet::new();
    while let Some(n) = stack.pop() {
        if n == goal {
            return true;
        }
        if seen.insert(n) {
            stack.extend(next.get(&n).into_iter().flatten().copied());
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::marking::Level;
    use uuid::Uuid;

    fn id(n: u128) -> ItemId {
        ItemId(Uuid::from_u128(n))
    }

    fn ipap() -> Framework {
        Framework::builtins().remove(0)
    }

    fn unclass() -> Marking {
        Marking::new(Level::NatoUnclassified, &["SRB"], "NATO")
    }

    fn item(depth: u8, parent: Option<ItemId>) -> Item {
        let input: NewItem = serde_json::from_value(serde_json::json!({"code": "1.1", "title": {"en": "Reform"}, "parent": parent})).unwrap();
        let level = ipap().level_key(usize::from(depth)).unwrap_or("below_action").to_string();
        input.into_item(id(100), PlanId(Uuid::from_u128(1)), depth, level, &unclass(), 0, chrono::DateTime::UNIX_EPOCH)
    }

    fn ctx<'a>(fw: &'a Framework, plan_marking: &'a Marking) -> ItemContext<'a> {
        ItemContext {
            scheme: Scheme::Nato,
            framework: fw,
            plan: PlanId(Uuid::from_u128(1)),
            plan_marking,
            parent: None,
            requested_level: None,
            unknown_areas: vec![],
            unknown_organisations: vec![],
            code_taken: false,
            previous_marking: None,
            downgrade_requested: false,
            may_downgrade: false,
            actor_clears_marking: true,
        }
    }

    fn parent(depth: u8, marking: Marking) -> Option<Option<ParentInfo>> {
        Some(Some(ParentInfo { plan: PlanId(Uuid::from_u128(1)), depth, marking }))
    }

    #[test]
    fn defaults_of_a_new_item() {
        let i = item(0, None);
        assert_eq!((i.status, i.weight, i.gender_marker, i.version), (ItemStatus::Planned, 1, GenderMarker::NotTargeted, 1));
        assert_eq!(i.marking, unclass());
        assert_eq!(i.level, "chapter");
    }

    #[test]
    fn levels_follow_the_framework() {
        let fw = ipap();
        let pm = unclass();
        let mut c = ctx(&fw, &pm);
        assert!(item(0, None).validate(&c).is_ok());
        c.parent = parent(2, unclass());
        let e = item(3, Some(id(1))).validate(&c).unwrap_err();
        assert_eq!(e.0[0].code, "too_deep");
        assert_eq!(e.0[0].message, "action is the lowest level of this framework and has no children");
        c.parent = parent(0, unclass());
        c.requested_level = Some("action");
        let e = item(1, Some(id(1))).validate(&c).unwrap_err();
        assert_eq!((e.0[0].field.as_str(), e.0[0].code.as_str()), ("level", "mismatch"));
        assert_eq!(e.0[0].message, "a action must be placed under a objective");
        c.requested_level = Some("objective");
        assert!(item(1, Some(id(1))).validate(&c).is_ok());
        c.requested_level = Some("goal");
        assert_eq!(item(1, Some(id(1))).validate(&c).unwrap_err().0[0].code, "unknown");
        c.requested_level = None;
        c.parent = Some(None);
        assert_eq!(item(1, Some(id(1))).validate(&c).unwrap_err().0[0].field, "parent");
        c.parent = Some(Some(ParentInfo { plan: PlanId(Uuid::from_u128(2)), depth: 0, marking: unclass() }));
        assert_eq!(item(1, Some(id(1))).validate(&c).unwrap_err().0[0].code, "other_plan");
    }

    #[test]
    fn every_field_problem_at_once() {
        let fw = ipap();
        let pm = unclass();
        let mut c = ctx(&fw, &pm);
        let lead = OrganisationId(Uuid::from_u128(5));
        c.unknown_areas = vec!["astrology".into()];
        c.unknown_organisations = vec![lead];
        c.code_taken = true;
        let mut i = item(0, None);
        i.title = Text::default();
        i.areas = vec!["astrology".into(), "astrology".into()];
        i.lead_organisation = Some(lead);
        i.contributing_organisations = vec![lead];
        i.start = NaiveDate::from_ymd_opt(2016, 1, 1);
        i.due = Some("2015-Q4".parse().unwrap());
        i.weight = 5000;
        let e = i.validate(&c).unwrap_err();
        let got: BTreeSet<(&str, &str)> = e.0.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect();
        for want in [
            ("code", "taken"),
            ("title", "required"),
            ("areas", "duplicate"),
            ("areas", "unknown"),
            ("lead_organisation", "unknown"),
            ("contributing_organisations", "includes_lead"),
            ("contributing_organisations", "unknown"),
            ("start", "after_due"),
            ("weight", "too_large"),
        ] {
            assert!(got.contains(&want), "{want:?} missing from {got:?}");
        }
    }

    #[test]
    fn a_child_is_not_marked_lower_than_its_parent_without_a_confirmed_downgrade() {
        let fw = ipap();
        let pm = unclass();
        let mut c = ctx(&fw, &pm);
        c.parent = parent(0, Marking::new(Level::NatoRestricted, &["SRB"], "NATO"));
        let mut i = item(1, Some(id(1)));
        i.marking = Marking::new(Level::NatoUnclassified, &["SRB"], "NATO");
        assert_eq!(i.validate(&c).unwrap_err().0[0].code, "below_parent");
        c.downgrade_requested = true;
        assert_eq!(i.validate(&c).unwrap_err().0[0].code, "downgrade_forbidden");
        c.may_downgrade = true;
        assert!(i.validate(&c).is_ok());
        c.downgrade_requested = false;
        c.may_downgrade = false;
        i.marking = Marking::new(Level::NatoRestricted, &["SRB", "AUT"], "NATO");
        assert_eq!(i.validate(&c).unwrap_err().0[0].code, "below_parent", "wider releasability is lower too");
        let prev = i.marking.clone();
        c.previous_marking = Some(&prev);
        assert!(i.validate(&c).is_ok(), "an earlier downgrade stays valid when other fields change");
        c.actor_clears_marking = false;
        assert_eq!(i.validate(&c).unwrap_err().0[0].code, "hides_from_you");
    }

    #[test]
    fn moves_keep_levels() {
        let chapter = item(0, None);
        let mut objective = item(1, Some(chapter.id));
        objective.id = id(2);
        let mut action = item(2, Some(objective.id));
        action.id = id(3);
        assert!(check_move(&objective, Some(&chapter)).is_ok());
        assert!(check_move(&chapter, None).is_ok());
        assert_eq!(check_move(&objective, None).unwrap_err().0[0].code, "required");
        assert_eq!(check_move(&action, Some(&chapter)).unwrap_err().0[0].code, "wrong_level");
        assert_eq!(check_move(&chapter, Some(&action)).unwrap_err().0[0].code, "wrong_level");
        let mut other = chapter.clone();
        other.plan = PlanId(Uuid::from_u128(9));
        assert_eq!(check_move(&objective, Some(&other)).unwrap_err().0[0].code, "other_plan");
    }

    #[test]
    fn tree_keys_sort_depth_first() {
        let a = tree_key(None, 0);
        let a1 = tree_key(Some(&a), 1);
        let a10 = tree_key(Some(&a), 10);
        let b = tree_key(None, 1);
        let mut keys = vec![b.clone(), a10.clone(), a1.clone(), a.clone()];
        keys.sort();
        assert_eq!(keys, vec![a, a1, a10, b]);
    }

    #[test]
    fn links() {
        let existing = vec![(id(1), id(2), LinkKind::DependsOn), (id(2), id(3), LinkKind::DependsOn), (id(1), id(3), LinkKind::Supports)];
        assert!(check_link(id(1), id(4), LinkKind::Implements, true, &existing).is_ok());
        assert_eq!(check_link(id(1), id(1), LinkKind::Supports, true, &existing).unwrap_err().0[0].code, "self");
        assert_eq!(check_link(id(1), id(3), LinkKind::Supports, true, &existing).unwrap_err().0[0].code, "duplicate");
        assert_eq!(check_link(id(3), id(1), LinkKind::DependsOn, true, &existing).unwrap_err().0[0].code, "cycle");
        assert!(check_link(id(3), id(1), LinkKind::Supports, true, &existing).is_ok(), "only dependencies must be acyclic");
        assert_eq!(check_link(id(1), id(9), LinkKind::Supports, false, &existing).unwrap_err().0[0].code, "unknown");
    }

    #[test]
    fn overdue_and_statuses() {
        let mut i = item(0, None);
        let today = NaiveDate::from_ymd_opt(2015, 10, 1).unwrap();
        i.due = Some("2015-Q3".parse().unwrap());
        assert!(i.is_overdue(today));
        i.status = ItemStatus::Completed;
        assert!(!i.is_overdue(today));
        i.status = ItemStatus::Delayed;
        assert!(i.is_overdue(today));
        i.due = Some(Due::Continuous);
        assert!(!i.is_overdue(today));
        for s in ItemStatus::ALL {
            assert_eq!(ItemStatus::parse(s.code()), Some(s));
        }
    }

    #[test]
    fn gender_marker_is_0_1_or_2() {
        assert_eq!(serde_json::from_str::<GenderMarker>("2").unwrap(), GenderMarker::Principal);
        assert!(serde_json::from_str::<GenderMarker>("3").is_err());
        assert!(serde_json::from_str::<GenderMarker>("\"1\"").is_err());
        assert_eq!(serde_json::to_string(&GenderMarker::Significant).unwrap(), "1");
    }

    #[test]
    fn input_refuses_unknown_fields_and_bad_types() {
        let bad = [
            serde_json::json!({"code": "1", "title": {"en": "x"}, "colour": "red"}),
            serde_json::json!({"code": 1, "title": {"en": "x"}}),
            serde_json::json!({"code": "1", "title": {"en": "x"}, "due": "someday"}),
            serde_json::json!({"code": "1", "title": {"en": "x"}, "weight": -1}),
            serde_json::json!({"title": {"en": "x"}}),
        ];
        for b in bad {
            assert!(serde_json::from_value::<NewItem>(b.clone()).is_err(), "{b}");
        }
    }
}
