//! Plans and their lifecycle: drafting → negotiation → agreed → implementation → assessment
//! → closed, and superseded when a successor is agreed.

use crate::marking::{Marking, Scheme};
use crate::page::Patch;
use crate::text::{Text, check_text};
use crate::validation::{Problems, ValidationErrors};
use crate::{OrganisationId, PlanId, Timestamp, UserId};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum PlanState {
    Drafting,
    Negotiation,
    Agreed,
    Implementation,
    Assessment,
    Closed,
    Superseded,
}

impl PlanState {
    /// Whether the plan's content (its fields, items, links, decisions) may still change.
    /// Changes after agreement are amendments against the agreed version.
    pub fn content_editable(self) -> bool {
        !matches!(self, PlanState::Closed | PlanState::Superseded)
    }

    /// Whether the plan takes progress reports, figures and reminders: once agreed, until it is
    /// closed or superseded.
    pub fn accepts_reports(self) -> bool {
        matches!(self, PlanState::Agreed | PlanState::Implementation | PlanState::Assessment)
    }

    /// Whether it has been agreed at least once in its current form or earlier.
    pub fn has_been_agreed(self) -> bool {
        !matches!(self, PlanState::Drafting | PlanState::Negotiation)
    }

    /// The states a user may move the plan to from here (superseding is automatic).
    pub fn next_states(self) -> &'static [PlanState] {
        use PlanState::*;
        match self {
            Drafting => &[Negotiation],
            Negotiation => &[Drafting, Agreed],
            Agreed => &[Implementation, Negotiation],
            Implementation => &[Assessment, Negotiation, Closed],
            Assessment => &[Implementation, Negotiation, Closed],
            Closed | Superseded => &[],
        }
    }
}

codes! { PlanState {
    Drafting => "drafting",
    Negotiation => "negotiation",
    Agreed => "agreed",
    Implementation => "implementation",
    Assessment => "assessment",
    Closed => "closed",
    Superseded => "superseded",
} }

impl fmt::Display for PlanState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The two sides that must both approve a plan before it is agreed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Side {
    /// The alliance (the plan's owner).
    Owner,
    /// The partner country.
    Partner,
}

impl Side {
    /// The side a role approves for: coordinators for the owner, the partner's editors for the
    /// partner; other roles approve for neither.
    pub fn of_role(role: crate::access::Role) -> Option<Side> {
        match role {
            crate::access::Role::Coordinator => Some(Side::Owner),
            crate::access::Role::PartnerEditor => Some(Side::Partner),
            _ => None,
        }
    }

    /// The side whose approval the holder of `role` can give now: in negotiation only.
    pub fn offered(state: PlanState, role: Option<crate::access::Role>) -> Option<Side> {
        if state == PlanState::Negotiation { role.and_then(Side::of_role) } else { None }
    }
}

codes! { Side {
    Owner => "owner",
    Partner => "partner",
} }

/// A recorded approval of the plan's content by one side.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Approval {
    pub side: Side,
    pub user: UserId,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub at: Timestamp,
    /// The negotiation round it belongs to.
    pub round: i32,
    /// The content hash that was approved; a later change makes the approval stale.
    pub content_hash: String,
}

/// Start and end dates of a plan.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Period {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Plan {
    pub id: PlanId,
    /// The framework's code, e.g. `ipap`.
    pub framework: String,
    pub code: String,
    pub title: Text,
    pub description: Text,
    /// The partner country's lead organisation.
    pub partner: OrganisationId,
    /// The alliance body that owns the plan.
    pub owner: OrganisationId,
    pub period: Period,
    /// The previous cycle's plan.
    pub predecessor: Option<PlanId>,
    pub state: PlanState,
    /// Incremented each time the plan enters negotiation; approvals belong to one round.
    pub negotiation_round: i32,
    pub marking: Marking,
    pub version: i64,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: Timestamp,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub updated_at: Timestamp,
}

/// Input to create a plan.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewPlan {
    pub framework: String,
    pub code: String,
    pub title: Text,
    #[serde(default)]
    pub description: Text,
    pub partner: OrganisationId,
    pub owner: OrganisationId,
    pub period: Period,
    #[serde(default)]
    pub predecessor: Option<PlanId>,
    /// Defaults to the lowest non-public level, originated by the owner.
    #[serde(default)]
    pub marking: Option<Marking>,
}

/// Input to change a plan's fields; absent fields stay as they are.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlanPatch {
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    pub title: Option<Text>,
    #[serde(default)]
    pub description: Option<Text>,
    #[serde(default)]
    pub period: Option<Period>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<PlanId>))]
    pub predecessor: Patch<PlanId>,
    #[serde(default)]
    pub marking: Option<Marking>,
}

/// What the validator needs to know about the rest of the world.
pub struct PlanContext {
    pub scheme: Scheme,
    pub framework_exists: bool,
    /// `Some(is partner side)` if the partner organisation exists.
    pub partner_kind_ok: Option<bool>,
    /// `Some(is alliance side)` if the owner organisation exists.
    pub owner_kind_ok: Option<bool>,
    pub predecessor_exists: bool,
    pub code_taken: bool,
}

/// A plan code: 1 to 40 letters, digits, spaces, dots, dashes, slashes or underscores.
pub fn check_code(p: &mut Problems, field: &str, code: &str, max: usize) {
    let ok = !code.is_empty() && code.chars().count() <= max && code.chars().all(|c| c.is_alphanumeric() || " ._-/".contains(c)) && code.trim() == code;
    if !ok {
        p.add(field, "invalid", format!("must be 1 to {max} letters, digits, dots, dashes, slashes or underscores, with no leading or trailing space"));
    }
}

impl Plan {
    /// Check the record. Every problem is reported at once.
    pub fn validate(&self, ctx: &PlanContext) -> Result<(), ValidationErrors> {
        let mut p = Problems::new();
        if !ctx.framework_exists {
            p.add("framework", "unknown", "no such framework; see /api/v1/frameworks");
        }
        check_code(&mut p, "code", &self.code, 40);
        if ctx.code_taken {
            p.add("code", "taken", "another plan already has this code");
        }
        check_text(&mut p, "title", &self.title, true, 300, false);
        check_text(&mut p, "description", &self.description, false, 20_000, true);
        match ctx.partner_kind_ok {
            None => p.add("partner", "unknown", "no such organisation"),
            Some(false) => p.add("partner", "wrong_kind", "must be a partner government or partner unit"),
            Some(true) => {}
        }
        match ctx.owner_kind_ok {
            None => p.add("owner", "unknown", "no such organisation"),
            Some(false) => p.add("owner", "wrong_kind", "must be an alliance body, liaison office, Ally or agency"),
            Some(true) => {}
        }
        if self.period.end < self.period.start {
            p.add("period.end", "before_start", "must not be before the start");
        }
        if self.predecessor == Some(self.id) {
            p.add("predecessor", "cycle", "a plan cannot precede itself");
        } else if self.predecessor.is_some() && !ctx.predecessor_exists {
            p.add("predecessor", "unknown", "no such plan");
        }
        p.nest("marking", self.marking.check(ctx.scheme));
        p.finish()
    }

    pub fn patched(&self, patch: PlanPatch) -> Plan {
        let mut n = self.clone();
        if let Some(c) = patch.code {
            n.code = c;
        }
        if let Some(t) = patch.title {
            n.title = t.normalised();
        }
        if let Some(d) = patch.description {
            n.description = d.normalised();
        }
        if let Some(per) = patch.period {
            n.period = per;
        }
        n.predecessor = patch.predecessor.apply(n.predecessor);
        if let Some(m) = patch.marking {
            n.marking = m;
        }
        n
    }
}

/// Why a lifecycle move was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TransitionError {
    /// The move does not exist from this state.
    NotAllowed { from: PlanState, to: PlanState },
    /// Agreeing needs valid approvals of both sides for the current content.
    MissingApprovals { owner: bool, partner: bool },
}

impl fmt::Display for TransitionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TransitionError::NotAllowed { from, to } => {
                let next: Vec<&str> = from.next_states().iter().map(|s| s.code()).collect();
                if next.is_empty() {
                    write!(f, "a plan in {from} cannot move to {to}; it is final")
                } else {
                    write!(f, "a plan in {from} cannot move to {to}; it can move to {}", next.join(", "))
                }
            }
            TransitionError::MissingApprovals { owner, partner } => {
                let missing: Vec<&str> = [(!owner, "the owner"), (!partner, "the partner")].into_iter().filter(|(m, _)| *m).map(|(_, s)| s).collect();
                write!(f, "agreeing needs the approval of both sides for the current text; missing: {}", missing.join(" and "))
            }
        }
    }
}

impl TransitionError {
    /// The problem with the `to` field, named by code (`transition`) with its details: `reason`
    /// (`final`, `other` or `approvals`), `from`, `to`, `next` (the codes it can move to) and
    /// `missing` (`owner`, `partner` or `both`).
    pub fn problem(&self) -> crate::FieldError {
        let e = crate::FieldError::coded("to", "transition", &[]);
        match self {
            TransitionError::NotAllowed { from, to } => {
                let next: Vec<&str> = from.next_states().iter().map(|s| s.code()).collect();
                let reason = if next.is_empty() { "final" } else { "other" };
                e.with_arg("reason", reason).with_arg("from", from.code()).with_arg("to", to.code()).with_arg("next", next.join(", "))
            }
            TransitionError::MissingApprovals { owner, partner } => {
                let missing = match (owner, partner) {
                    (false, true) => "owner",
                    (true, false) => "partner",
                    _ => "both",
                };
                e.with_arg("reason", "approvals").with_arg("missing", missing)
            }
        }
    }
}

/// What else must happen when a move is made.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct TransitionEffects {
    /// A new negotiation round starts (earlier approvals no longer count).
    pub new_round: bool,
    /// Freeze the current content as a new agreed version.
    pub freeze_version: bool,
    /// Mark the predecessor superseded.
    pub supersede_predecessor: bool,
}

/// Check a lifecycle move. `approved` tells which sides have approved the current content in
/// the current round.
pub fn check_transition(from: PlanState, to: PlanState, approved_owner: bool, approved_partner: bool) -> Result<TransitionEffects, TransitionError> {
    if !from.next_states().contains(&to) {
        return Err(TransitionError::NotAllowed { from, to });
    }
    let mut fx = TransitionEffects::default();
    match to {
        PlanState::Negotiation => fx.new_round = true,
        PlanState::Agreed => {
            if !(approved_owner && approved_partner) {
                return Err(TransitionError::MissingApprovals { owner: approved_owner, partner: approved_partner });
            }
            fx.freeze_version = true;
            fx.supersede_predecessor = true;
        }
        _ => {}
    }
    Ok(fx)
}

/// Whether a predecessor in `state` is superseded when its successor is agreed.
pub fn can_be_superseded(state: PlanState) -> bool {
    matches!(state, PlanState::Agreed | PlanState::Implementation | PlanState::Assessment | PlanState::Closed)
}

impl NewPlan {
    pub fn into_plan(self, id: PlanId, now: Timestamp, default_marking: Marking) -> Plan {
        Plan {
            id,
            framework: self.framework,
            code: self.code,
            title: self.title.normalised(),
            description: self.description.normalised(),
            partner: self.partner,
            owner: self.owner,
            period: self.period,
            predecessor: self.predecessor,
            state: PlanState::Drafting,
            negotiation_round: 0,
            marking: self.marking.unwrap_or(default_marking),
            version: 1,
            created_at: now,
            updated_at: now,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_side_approves_through_its_role_and_only_in_negotiation() {
        use crate::access::Role;
        assert_eq!(Side::of_role(Role::Coordinator), Some(Side::Owner));
        assert_eq!(Side::of_role(Role::PartnerEditor), Some(Side::Partner));
        assert_eq!(Side::of_role(Role::Viewer), None);
        assert_eq!(Side::offered(PlanState::Negotiation, Some(Role::PartnerEditor)), Some(Side::Partner));
        assert_eq!(Side::offered(PlanState::Drafting, Some(Role::Coordinator)), None, "nothing to approve before negotiation");
        assert_eq!(Side::offered(PlanState::Negotiation, None), None);
    }
    use crate::marking::Level;
    use PlanState::*;
    use uuid::Uuid;

    fn ctx() -> PlanContext {
        PlanContext {
            scheme: Scheme::Nato,
            framework_exists: true,
            partner_kind_ok: Some(true),
            owner_kind_ok: Some(true),
            predecessor_exists: true,
            code_taken: false,
        }
    }

    fn plan() -> Plan {
        NewPlan {
            framework: "ipap".into(),
            code: "IPAP-SRB-2015".into(),
            title: Text::new("en", "Serbia IPAP"),
            description: Text::default(),
            partner: OrganisationId(Uuid::from_u128(1)),
            owner: OrganisationId(Uuid::from_u128(2)),
            period: Period { start: NaiveDate::from_ymd_opt(2015, 1, 15).unwrap(), end: NaiveDate::from_ymd_opt(2016, 12, 31).unwrap() },
            predecessor: None,
            marking: None,
        }
        .into_plan(PlanId(Uuid::from_u128(3)), chrono::DateTime::UNIX_EPOCH, Marking::new(Level::NatoUnclassified, &["SRB"], "NATO"))
    }

    #[test]
    fn the_happy_path_through_the_lifecycle() {
        let path = [Drafting, Negotiation, Agreed, Implementation, Assessment, Closed];
        for w in path.windows(2) {
            assert!(check_transition(w[0], w[1], true, true).is_ok(), "{:?} → {:?}", w[0], w[1]);
        }
    }

    #[test]
    fn agreeing_needs_both_sides() {
        assert_eq!(check_transition(Negotiation, Agreed, true, false), Err(TransitionError::MissingApprovals { owner: true, partner: false }));
        let e = check_transition(Negotiation, Agreed, false, false).unwrap_err();
        assert_eq!(e.to_string(), "agreeing needs the approval of both sides for the current text; missing: the owner and the partner");
        let fx = check_transition(Negotiation, Agreed, true, true).unwrap();
        assert!(fx.freeze_version && fx.supersede_predecessor && !fx.new_round);
    }

    #[test]
    fn entering_negotiation_starts_a_new_round_also_for_amendments() {
        for from in [Drafting, Agreed, Implementation, Assessment] {
            assert!(check_transition(from, Negotiation, false, false).unwrap().new_round, "{from:?}");
        }
    }

    #[test]
    fn illegal_moves_are_refused_with_the_way_forward() {
        for (from, to) in [
            (Drafting, Agreed),
            (Drafting, Implementation),
            (Closed, Drafting),
            (Superseded, Drafting),
            (Negotiation, Superseded),
            (Agreed, Superseded),
            (Drafting, Drafting),
        ] {
            assert!(matches!(check_transition(from, to, true, true), Err(TransitionError::NotAllowed { .. })), "{from:?} → {to:?}");
        }
        assert_eq!(
            check_transition(Drafting, Closed, true, true).unwrap_err().to_string(),
            "a plan in drafting cannot move to closed; it can move to negotiation"
        );
        assert_eq!(check_transition(Closed, Drafting, true, true).unwrap_err().to_string(), "a plan in closed cannot move to drafting; it is final");
    }

    #[test]
    fn every_state_is_reachable_from_drafting() {
        let mut seen = vec![Drafting];
        let mut i = 0;
        while i < seen.len() {
            for n in seen[i].next_states() {
                if !seen.contains(n) {
                    seen.push(*n);
                }
            }
            i += 1;
        }
        assert_eq!(seen.len(), PlanState::ALL.len() - 1, "all but superseded (automatic)");
        assert!(can_be_superseded(Implementation) && !can_be_superseded(Drafting));
        assert!(!Closed.content_editable() && Implementation.content_editable());
    }

    #[test]
    fn validation_reports_everything() {
        let mut p = plan();
        p.code = " bad code ".into();
        p.title = Text::default();
        p.period.end = NaiveDate::from_ymd_opt(2014, 1, 1).unwrap();
        p.marking.level = Level::TlpAmber;
        let mut c = ctx();
        c.framework_exists = false;
        c.partner_kind_ok = Some(false);
        c.owner_kind_ok = None;
        let e = p.validate(&c).unwrap_err();
        for f in ["framework", "code", "title", "partner", "owner", "period.end", "marking.level"] {
            assert!(e.has(f), "{f}: {e}");
        }
        assert!(plan().validate(&ctx()).is_ok());
        let mut c = ctx();
        c.code_taken = true;
        assert_eq!(plan().validate(&c).unwrap_err().0[0].code, "taken");
    }

    #[test]
    fn patch_changes_only_given_fields() {
        let p = plan();
        let patch: PlanPatch = serde_json::from_str(r#"{"title": {"en": "New"}, "predecessor": null}"#).unwrap();
        let n = p.patched(patch);
        assert_eq!(n.title, Text::new("en", "New"));
        assert_eq!(n.code, p.code);
        assert!(serde_json::from_str::<PlanPatch>(r#"{"state": "agreed"}"#).is_err(), "state moves by transition only");
    }
}
