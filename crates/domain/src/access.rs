//! The access policy: who may see which record and who may do what. One rule, decided here.
//!
//! A user may **see** a record only if (1) their role on the plan (or a global role) allows
//! reading it, (2) their clearance is at least the record's level, and (3) their
//! organisation belongs to the alliance or their country (or a group containing it) is in
//! the record's `releasable_to`; public records are releasable to anyone. Records inside a
//! plan are only visible when the plan itself is.
//!
//! [`Subject::decide`] answers for one record; [`ReadFilter`] is the same rule as a value that
//! storage turns into SQL so lists, counts, pages and history are filtered in the query.
//! [`ReadFilter::admits`] is the pure twin that storage's tests compare the SQL against.

use crate::marking::{Level, Marking};
use crate::organisation::OrgKind;
use crate::{OrganisationId, PlanId, UserId};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A role on one plan.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Role {
    /// Alliance staff running the plan: everything on the plan.
    Coordinator,
    /// The partner's side: items, decisions and approval as partner.
    PartnerEditor,
    /// An Ally's or agency's staff: their own offers and activities.
    AllyContributor,
    /// Reports progress on assigned items.
    Reporter,
    /// Reads.
    Viewer,
    /// An independent reviewer (neither alliance nor partner): reads the plan and writes the
    /// `independent` perspective's assessments.
    Assessor,
}

impl Role {
    /// Whether a member of an organisation of this kind may hold the role.
    pub fn fits(self, kind: OrgKind) -> bool {
        match self {
            Role::Coordinator => matches!(kind, OrgKind::AllianceBody | OrgKind::LiaisonOffice),
            Role::PartnerEditor => kind.partner_side(),
            Role::AllyContributor => matches!(kind, OrgKind::Ally | OrgKind::Agency),
            Role::Reporter | Role::Viewer => true,
            Role::Assessor => matches!(kind, OrgKind::CivilSociety | OrgKind::Other),
        }
    }
}

codes! { Role {
    Coordinator => "coordinator",
    PartnerEditor => "partner_editor",
    AllyContributor => "ally_contributor",
    Reporter => "reporter",
    Viewer => "viewer",
    Assessor => "assessor",
} }

/// A role that is not tied to a plan.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum GlobalRole {
    /// Accounts, organisations, roles, frameworks.
    Admin,
    /// Reads and verifies the audit trail; cannot change plan content.
    SecurityOfficer,
}

impl GlobalRole {}

codes! { GlobalRole {
    Admin => "admin",
    SecurityOfficer => "security_officer",
} }

/// Everything a user can ask to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    // On one plan (and the records inside it).
    /// Read the plan and its records (items, links, decisions, versions, history).
    PlanRead,
    /// Change the plan's own fields.
    PlanUpdate,
    /// Move the plan through its lifecycle.
    PlanTransition,
    /// Approve the plan for the owner (alliance) side.
    PlanApproveOwner,
    /// Approve the plan for the partner side.
    PlanApprovePartner,
    /// Record, change or remove decisions.
    DecisionWrite,
    /// Create, change, move or delete items.
    ItemWrite,
    /// Create or remove links between items.
    LinkWrite,
    /// Mark a record lower than its parent.
    MarkingDowngrade,
    /// Give and take roles on the plan.
    MembersManage,
    /// Comment on the plan's items.
    CommentWrite,
    /// Define indicators and their targets.
    IndicatorWrite,
    /// Record measurements of indicators (reporters: on items their organisation leads).
    MeasurementWrite,
    /// Write and submit progress updates (on items their organisation leads).
    ProgressWrite,
    /// Return, approve and reopen progress updates.
    ProgressReview,
    /// Set the reporting calendar; lock and unlock periods.
    CalendarWrite,
    /// Write assessments (each role its own perspective).
    AssessmentWrite,
    /// Upload evidence and photos.
    AttachmentWrite,
    /// Ask for assistance (the partner's side) and change or close requests.
    RequestWrite,
    /// Make and change offers of assistance (an Ally's or agency's own; coordinators for any).
    OfferWrite,
    /// Accept or decline offers (the partner's side).
    OfferDecide,
    /// Record activities (courses, conferences, exercises …).
    ActivityWrite,
    /// Write stories for the public and their photos.
    StoryWrite,
    /// Release stories to the public (publish, send back, withdraw), and set the plan's portal.
    StoryRelease,
    // Not tied to a plan.
    /// Start a new plan.
    PlanCreate,
    /// Read the directory of organisations, areas and frameworks.
    DirectoryRead,
    /// Create or change organisations, areas and frameworks.
    DirectoryWrite,
    /// List and read user accounts.
    UserRead,
    /// Create, change, lock and reset user accounts.
    UserWrite,
    /// Read and verify the audit trail.
    AuditRead,
    /// Trust other installations' keys, see the bundles exchanged with them, settle conflicts.
    ExchangeManage,
    /// Manage one's own session and API tokens.
    OwnAccount,
}

codes! { Action {
    PlanRead => "plan_read",
    PlanUpdate => "plan_update",
    PlanTransition => "plan_transition",
    PlanApproveOwner => "plan_approve_owner",
    PlanApprovePartner => "plan_approve_partner",
    DecisionWrite => "decision_write",
    ItemWrite => "item_write",
    LinkWrite => "link_write",
    MarkingDowngrade => "marking_downgrade",
    MembersManage => "members_manage",
    CommentWrite => "comment_write",
    IndicatorWrite => "indicator_write",
    MeasurementWrite => "measurement_write",
    ProgressWrite => "progress_write",
    ProgressReview => "progress_review",
    CalendarWrite => "calendar_write",
    AssessmentWrite => "assessment_write",
    AttachmentWrite => "attachment_write",
    RequestWrite => "request_write",
    OfferWrite => "offer_write",
    OfferDecide => "offer_decide",
    ActivityWrite => "activity_write",
    StoryWrite => "story_write",
    StoryRelease => "story_release",
    PlanCreate => "plan_create",
    DirectoryRead => "directory_read",
    DirectoryWrite => "directory_write",
    UserRead => "user_read",
    UserWrite => "user_write",
    AuditRead => "audit_read",
    ExchangeManage => "exchange_manage",
    OwnAccount => "own_account",
} }

/// Whether an action concerns one plan or the installation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    Plan,
    Global,
}

/// Who an action is granted to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Grant {
    /// Holders of this role on the plan.
    Role(Role),
    /// Holders of this global role.
    Global(GlobalRole),
    /// Users of an alliance body or liaison office.
    AllianceStaff,
    /// Any signed-in user.
    AnySignedIn,
}

use Grant::{AllianceStaff, AnySignedIn, Global as G, Role as R};

const ALL_ROLES_AND_GLOBAL: &[Grant] = &[
    R(Role::Coordinator),
    R(Role::PartnerEditor),
    R(Role::AllyContributor),
    R(Role::Reporter),
    R(Role::Viewer),
    R(Role::Assessor),
    G(GlobalRole::Admin),
    G(GlobalRole::SecurityOfficer),
];
const PLAN_EDITORS: &[Grant] = &[R(Role::Coordinator), R(Role::PartnerEditor)];

/// The permission matrix: for each action, who it is granted to. This is the one place.
pub const MATRIX: &[(Action, Scope, &[Grant])] = &[
    (Action::PlanRead, Scope::Plan, ALL_ROLES_AND_GLOBAL),
    (Action::PlanUpdate, Scope::Plan, &[R(Role::Coordinator)]),
    (Action::PlanTransition, Scope::Plan, &[R(Role::Coordinator)]),
    (Action::PlanApproveOwner, Scope::Plan, &[R(Role::Coordinator)]),
    (Action::PlanApprovePartner, Scope::Plan, &[R(Role::PartnerEditor)]),
    (Action::DecisionWrite, Scope::Plan, PLAN_EDITORS),
    (Action::ItemWrite, Scope::Plan, PLAN_EDITORS),
    (Action::LinkWrite, Scope::Plan, PLAN_EDITORS),
    (Action::MarkingDowngrade, Scope::Plan, &[R(Role::Coordinator)]),
    (Action::MembersManage, Scope::Plan, &[R(Role::Coordinator), G(GlobalRole::Admin)]),
    (Action::CommentWrite, Scope::Plan, &[R(Role::Coordinator), R(Role::PartnerEditor), R(Role::AllyContributor), R(Role::Reporter), R(Role::Assessor)]),
    (Action::IndicatorWrite, Scope::Plan, PLAN_EDITORS),
    (Action::MeasurementWrite, Scope::Plan, &[R(Role::Coordinator), R(Role::PartnerEditor), R(Role::Reporter)]),
    (Action::ProgressWrite, Scope::Plan, &[R(Role::PartnerEditor), R(Role::Reporter)]),
    (Action::ProgressReview, Scope::Plan, &[R(Role::Coordinator)]),
    (Action::CalendarWrite, Scope::Plan, &[R(Role::Coordinator)]),
    (Action::AssessmentWrite, Scope::Plan, &[R(Role::Coordinator), R(Role::PartnerEditor), R(Role::Assessor)]),
    (Action::AttachmentWrite, Scope::Plan, &[R(Role::Coordinator), R(Role::PartnerEditor), R(Role::AllyContributor), R(Role::Reporter), R(Role::Assessor)]),
    (Action::RequestWrite, Scope::Plan, PLAN_EDITORS),
    (Action::OfferWrite, Scope::Plan, &[R(Role::Coordinator), R(Role::AllyContributor)]),
    (Action::OfferDecide, Scope::Plan, PLAN_EDITORS),
    (Action::ActivityWrite, Scope::Plan, &[R(Role::Coordinator), R(Role::PartnerEditor), R(Role::AllyContributor)]),
    (Action::StoryWrite, Scope::Plan, PLAN_EDITORS),
    (Action::StoryRelease, Scope::Plan, &[R(Role::Coordinator)]),
    (Action::PlanCreate, Scope::Global, &[G(GlobalRole::Admin), AllianceStaff]),
    (Action::DirectoryRead, Scope::Global, &[AnySignedIn]),
    (Action::DirectoryWrite, Scope::Global, &[G(GlobalRole::Admin)]),
    (Action::UserRead, Scope::Global, &[G(GlobalRole::Admin), G(GlobalRole::SecurityOfficer)]),
    (Action::UserWrite, Scope::Global, &[G(GlobalRole::Admin)]),
    (Action::AuditRead, Scope::Global, &[G(GlobalRole::SecurityOfficer)]),
    (Action::ExchangeManage, Scope::Global, &[G(GlobalRole::SecurityOfficer)]),
    (Action::OwnAccount, Scope::Global, &[AnySignedIn]),
];

impl Action {
    fn entry(self) -> (Scope, &'static [Grant]) {
        MATRIX.iter().find(|(a, _, _)| *a == self).map(|(_, s, g)| (*s, *g)).unwrap_or((Scope::Global, &[]))
    }

    pub fn scope(self) -> Scope {
        self.entry().0
    }

    pub fn grants(self) -> &'static [Grant] {
        self.entry().1
    }
}

/// The outcome of a permission check.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Allow,
    /// The user may see the record but not do this (HTTP 403).
    Forbid,
    /// The user may not know the record exists (HTTP 404, same as a missing record).
    Hide,
}

/// The signed-in user, as the policy needs them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Subject {
    pub user: UserId,
    pub organisation: OrganisationId,
    pub org_kind: OrgKind,
    /// The organisation's country, with every releasability group that contains it.
    pub release_tokens: Vec<String>,
    pub clearance: Level,
    pub global_roles: Vec<GlobalRole>,
    pub memberships: BTreeMap<PlanId, Role>,
}

/// What an action is applied to.
#[derive(Clone, Copy, Debug)]
pub enum Target<'a> {
    /// Nothing in particular (global actions).
    Installation,
    /// A plan.
    Plan { id: PlanId, marking: &'a Marking },
    /// A record inside a plan, with the plan's marking.
    Record { plan: PlanId, plan_marking: &'a Marking, marking: &'a Marking },
    /// An Ally-scoped record inside a plan (an Ally's offer): Allies and agencies see their
    /// own, and others' only when shared with them.
    Scoped { plan: PlanId, plan_marking: &'a Marking, marking: &'a Marking, owner: OrganisationId, shared_with: &'a [OrganisationId] },
}

impl Subject {
    pub fn alliance_side(&self) -> bool {
        self.org_kind.alliance_side()
    }

    pub fn has_global(&self, role: GlobalRole) -> bool {
        self.global_roles.contains(&role)
    }

    pub fn role_on(&self, plan: PlanId) -> Option<Role> {
        self.memberships.get(&plan).copied()
    }

    fn granted(&self, grants: &[Grant], plan: Option<PlanId>) -> bool {
        grants.iter().any(|g| match g {
            Grant::Role(r) => plan.is_some_and(|p| self.role_on(p) == Some(*r)),
            Grant::Global(r) => self.has_global(*r),
            Grant::AllianceStaff => matches!(self.org_kind, OrgKind::AllianceBody | OrgKind::LiaisonOffice),
            Grant::AnySignedIn => true,
        })
    }

    /// Whether the matrix grants `action` (ignores visibility; see [`Subject::decide`]).
    pub fn may(&self, action: Action, plan: Option<PlanId>) -> bool {
        self.granted(action.grants(), plan)
    }

    /// Whether a marking lets this user see a record (clearance and releasability only).
    pub fn clears(&self, marking: &Marking) -> bool {
        self.read_filter().admits_marking(marking)
    }

    /// The one decision: may this user do `action` on `target`?
    pub fn decide(&self, action: Action, target: Target<'_>) -> Verdict {
        let filter = self.read_filter();
        let visible = match target {
            Target::Installation => true,
            Target::Plan { id, marking } => filter.admits(id, marking),
            Target::Record { plan, plan_marking, marking } => filter.admits(plan, plan_marking) && filter.admits_marking(marking),
            Target::Scoped { plan, plan_marking, marking, owner, shared_with } => {
                filter.admits(plan, plan_marking) && filter.admits_marking(marking) && filter.admits_scope(owner, shared_with)
            }
        };
        if !visible {
            return Verdict::Hide;
        }
        let plan = match target {
            Target::Installation => None,
            Target::Plan { id, .. } => Some(id),
            Target::Record { plan, .. } | Target::Scoped { plan, .. } => Some(plan),
        };
        if action.scope() == Scope::Plan && plan.is_none() {
            return Verdict::Forbid;
        }
        if self.may(action, plan) { Verdict::Allow } else { Verdict::Forbid }
    }

    /// The read rule as a value for storage to turn into SQL.
    pub fn read_filter(&self) -> ReadFilter {
        let global_read = Action::PlanRead.grants().iter().any(|g| matches!(g, Grant::Global(r) if self.has_global(*r)));
        let plans = if global_read {
            PlanScope::All
        } else {
            PlanScope::Only(self.memberships.iter().filter(|(p, _)| self.granted(Action::PlanRead.grants(), Some(**p))).map(|(p, _)| *p).collect())
        };
        ReadFilter {
            max_rank: self.clearance.rank(),
            release: if self.alliance_side() { Release::Any } else { Release::Tokens(self.release_tokens.clone()) },
            plans,
            ally_scope: matches!(self.org_kind, OrgKind::Ally | OrgKind::Agency).then_some(self.organisation),
        }
    }
}

/// Which plans a reader may look into.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PlanScope {
    All,
    /// The plans the reader has a role on (the plan's own marking still applies).
    Only(Vec<PlanId>),
    /// The public portal of one plan: its records, once the plan is put on the portal, whatever
    /// the plan's own marking (the portal shows its own title, never the plan record's).
    Portal(PlanId),
}

/// Which releasability markings a reader passes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Release {
    /// Alliance members: releasability does not restrict them.
    Any,
    /// Others: a record must be public or releasable to one of these countries or groups.
    Tokens(Vec<String>),
}

/// The read rule for one reader, as data. Storage turns it into a `WHERE` clause.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadFilter {
    /// Highest visible marking rank (the clearance's rank).
    pub max_rank: u8,
    pub release: Release,
    pub plans: PlanScope,
    /// For members of an Ally or agency: their organisation, which must own an Ally-scoped
    /// record or have it shared with them.
    pub ally_scope: Option<OrganisationId>,
}

impl ReadFilter {
    /// What anybody may see of a plan on the public portal: records marked `public`, of that
    /// plan only, whatever their releasability.
    pub fn public(plan: PlanId) -> ReadFilter {
        ReadFilter { max_rank: 0, release: Release::Tokens(Vec::new()), plans: PlanScope::Portal(plan), ally_scope: None }
    }

    /// A filter that admits everything (for the CLI and the audit verifier, never for users).
    pub fn everything() -> ReadFilter {
        ReadFilter { max_rank: u8::MAX, release: Release::Any, plans: PlanScope::All, ally_scope: None }
    }

    /// The Ally scope of a record owned by `owner` and shared with `shared_with`.
    pub fn admits_scope(&self, owner: OrganisationId, shared_with: &[OrganisationId]) -> bool {
        match self.ally_scope {
            None => true,
            Some(me) => owner == me || shared_with.contains(&me),
        }
    }

    /// The plan-scope part alone (for the portal's scope, see [`ReadFilter::admits_in_plan`]).
    pub fn admits_plan(&self, plan: PlanId) -> bool {
        match &self.plans {
            PlanScope::All => true,
            PlanScope::Only(ids) => ids.contains(&plan),
            PlanScope::Portal(p) => *p == plan,
        }
    }

    /// Whether the reader may look into a plan: in scope and cleared by the plan's marking, or
    /// for the public, the portal's plan once it is on the portal.
    pub fn admits_in_plan(&self, plan: &PlanFacts<'_>) -> bool {
        match &self.plans {
            PlanScope::Portal(p) => *p == plan.id && plan.on_portal,
            _ => self.admits_plan(plan.id) && self.admits_marking(plan.marking),
        }
    }

    /// Whether the reader may see the workspace records of a plan that carry no marking of
    /// their own and are not shown on the portal — who holds which role, the approvals, the
    /// agreed versions: everyone who may look into the plan, except the public.
    pub fn admits_workspace(&self, plan: &PlanFacts<'_>) -> bool {
        !matches!(self.plans, PlanScope::Portal(_)) && self.admits_in_plan(plan)
    }

    /// Whether this reader sees everything (the unfiltered reader of system work).
    pub fn sees_all(&self) -> bool {
        self.max_rank == u8::MAX && self.release == Release::Any && self.plans == PlanScope::All && self.ally_scope.is_none()
    }

    /// The whole rule for one record, given where it is (see [`Placement`]).
    pub fn admits_placed(&self, p: &Placement<'_>) -> bool {
        self.admits_in_plan(&p.plan)
            && p.item.is_none_or(|m| self.admits_marking(m))
            && p.marking.is_none_or(|m| self.admits_marking(m))
            && p.owner.is_none_or(|(o, shared)| self.admits_scope(o, shared))
    }

    /// Clearance and releasability only.
    pub fn admits_marking(&self, marking: &Marking) -> bool {
        let rank = marking.level.rank();
        rank <= self.max_rank
            && (rank == 0
                || match &self.release {
                    Release::Any => true,
                    Release::Tokens(t) => t.iter().any(|t| marking.releasable_to.contains(t)),
                })
    }

    /// A record of `plan` with `marking`.
    pub fn admits(&self, plan: PlanId, marking: &Marking) -> bool {
        self.admits_plan(plan) && self.admits_marking(marking)
    }
}

/// What the policy must know of a plan to decide on the records inside it.
#[derive(Clone, Copy, Debug)]
pub struct PlanFacts<'a> {
    pub id: PlanId,
    pub marking: &'a Marking,
    /// Whether the plan is on the public portal.
    pub on_portal: bool,
}

/// Where a record is, as the policy needs it: its plan, the marking of the item it belongs to
/// (indicators, figures, reports, comments, ratings), its own marking, and its owner for
/// Ally-scoped records. Storage applies the same rule in SQL; its reader test compares the two.
#[derive(Clone, Copy, Debug)]
pub struct Placement<'a> {
    pub plan: PlanFacts<'a>,
    pub item: Option<&'a Marking>,
    pub marking: Option<&'a Marking>,
    pub owner: Option<(OrganisationId, &'a [OrganisationId])>,
}

impl<'a> Placement<'a> {
    /// A record of `plan` with its own marking.
    pub fn record(plan: PlanFacts<'a>, marking: &'a Marking) -> Placement<'a> {
        Placement { plan, item: None, marking: Some(marking), owner: None }
    }

    /// The plan record itself.
    pub fn plan(plan: PlanFacts<'a>) -> Placement<'a> {
        Placement { plan, item: None, marking: Some(plan.marking), owner: None }
    }
}

/// Releasability groups of an installation: a named group stands for a set of countries.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReleaseGroups(pub BTreeMap<String, Vec<String>>);

impl ReleaseGroups {
    /// The tokens that admit a member of `country`'s organisations: the country and its groups.
    pub fn tokens_for(&self, country: Option<&str>) -> Vec<String> {
        let Some(c) = country else { return Vec::new() };
        let mut t = vec![c.to_string()];
        t.extend(self.0.iter().filter(|(_, members)| members.iter().any(|m| m == c)).map(|(g, _)| g.clone()));
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn plan(n: u128) -> PlanId {
        PlanId(Uuid::from_u128(n))
    }

    fn subject(kind: OrgKind, country: &str, clearance: Level, roles: &[(u128, Role)]) -> Subject {
        let groups = ReleaseGroups([("PFP".to_string(), vec!["SRB".to_string(), "AUT".to_string()])].into());
        Subject {
            user: UserId(Uuid::from_u128(1)),
            organisation: OrganisationId(Uuid::from_u128(2)),
            org_kind: kind,
            release_tokens: groups.tokens_for(Some(country)),
            clearance,
            global_roles: vec![],
            memberships: roles.iter().map(|(p, r)| (plan(*p), *r)).collect(),
        }
    }

    #[test]
    fn every_action_has_exactly_one_matrix_entry() {
        let all = [
            Action::PlanRead,
            Action::PlanUpdate,
            Action::PlanTransition,
            Action::PlanApproveOwner,
            Action::PlanApprovePartner,
            Action::DecisionWrite,
            Action::ItemWrite,
            Action::LinkWrite,
            Action::MarkingDowngrade,
            Action::MembersManage,
            Action::CommentWrite,
            Action::IndicatorWrite,
            Action::MeasurementWrite,
            Action::ProgressWrite,
            Action::ProgressReview,
            Action::CalendarWrite,
            Action::AssessmentWrite,
            Action::AttachmentWrite,
            Action::RequestWrite,
            Action::OfferWrite,
            Action::OfferDecide,
            Action::ActivityWrite,
            Action::StoryWrite,
            Action::StoryRelease,
            Action::PlanCreate,
            Action::DirectoryRead,
            Action::DirectoryWrite,
            Action::UserRead,
            Action::UserWrite,
            Action::AuditRead,
            Action::ExchangeManage,
            Action::OwnAccount,
        ];
        for a in all {
            assert_eq!(MATRIX.iter().filter(|(x, _, _)| *x == a).count(), 1, "{a:?}");
            assert!(!a.grants().is_empty(), "{a:?} is granted to nobody");
        }
        assert_eq!(MATRIX.len(), all.len());
    }

    #[test]
    fn the_three_conditions_of_visibility() {
        let nato_r = Marking::new(Level::NatoRestricted, &[], "NATO");
        let nato_r_srb = Marking::new(Level::NatoRestricted, &["SRB"], "NATO");
        let nato_r_pfp = Marking::new(Level::NatoRestricted, &["PFP"], "NATO");
        let public = Marking::new(Level::Public, &[], "NATO");
        let partner = subject(OrgKind::PartnerGovernment, "SRB", Level::NatoConfidential, &[(1, Role::PartnerEditor)]);
        let target = |m| Target::Plan { id: plan(1), marking: m };
        assert_eq!(partner.decide(Action::PlanRead, target(&nato_r)), Verdict::Hide, "not releasable to SRB");
        assert_eq!(partner.decide(Action::PlanRead, target(&nato_r_srb)), Verdict::Allow);
        assert_eq!(partner.decide(Action::PlanRead, target(&nato_r_pfp)), Verdict::Allow, "through the PfP group");
        assert_eq!(partner.decide(Action::PlanRead, target(&public)), Verdict::Allow);
        let other_plan = Target::Plan { id: plan(2), marking: &public };
        assert_eq!(partner.decide(Action::PlanRead, other_plan), Verdict::Hide, "no role on plan 2");
        let low = subject(OrgKind::AllianceBody, "BEL", Level::NatoUnclassified, &[(1, Role::Coordinator)]);
        assert_eq!(low.decide(Action::PlanRead, target(&nato_r)), Verdict::Hide, "clearance too low");
        assert_eq!(low.decide(Action::PlanRead, target(&public)), Verdict::Allow);
        let ally = subject(OrgKind::Ally, "NOR", Level::NatoSecret, &[(1, Role::Viewer)]);
        assert_eq!(ally.decide(Action::PlanRead, target(&nato_r_srb)), Verdict::Allow, "alliance side");
    }

    #[test]
    fn roles_decide_between_allow_and_forbid_once_visible() {
        let m = Marking::new(Level::NatoUnclassified, &["SRB"], "NATO");
        let target = Target::Record { plan: plan(1), plan_marking: &m, marking: &m };
        let viewer = subject(OrgKind::PartnerUnit, "SRB", Level::NatoSecret, &[(1, Role::Viewer)]);
        let editor = subject(OrgKind::PartnerUnit, "SRB", Level::NatoSecret, &[(1, Role::PartnerEditor)]);
        assert_eq!(viewer.decide(Action::ItemWrite, target), Verdict::Forbid);
        assert_eq!(editor.decide(Action::ItemWrite, target), Verdict::Allow);
        assert_eq!(editor.decide(Action::PlanApproveOwner, target), Verdict::Forbid);
        assert_eq!(editor.decide(Action::PlanApprovePartner, target), Verdict::Allow);
        let hidden = Marking::new(Level::NatoUnclassified, &[], "NATO");
        let hidden_target = Target::Record { plan: plan(1), plan_marking: &m, marking: &hidden };
        assert_eq!(editor.decide(Action::ItemWrite, hidden_target), Verdict::Hide, "hidden wins over allowed");
        let hidden_plan = Target::Record { plan: plan(1), plan_marking: &hidden, marking: &m };
        assert_eq!(editor.decide(Action::PlanRead, hidden_plan), Verdict::Hide, "a record of a hidden plan");
    }

    #[test]
    fn global_roles() {
        let m = Marking::new(Level::NatoUnclassified, &[], "NATO");
        let mut so = subject(OrgKind::AllianceBody, "BEL", Level::NatoSecret, &[]);
        so.global_roles = vec![GlobalRole::SecurityOfficer];
        assert_eq!(so.decide(Action::AuditRead, Target::Installation), Verdict::Allow);
        assert_eq!(so.decide(Action::PlanRead, Target::Plan { id: plan(9), marking: &m }), Verdict::Allow);
        assert_eq!(so.decide(Action::ItemWrite, Target::Plan { id: plan(9), marking: &m }), Verdict::Forbid);
        assert_eq!(so.decide(Action::UserWrite, Target::Installation), Verdict::Forbid);
        assert_eq!(so.read_filter().plans, PlanScope::All);
        let staff = subject(OrgKind::LiaisonOffice, "BEL", Level::NatoSecret, &[]);
        assert_eq!(staff.decide(Action::PlanCreate, Target::Installation), Verdict::Allow);
        let partner = subject(OrgKind::PartnerGovernment, "SRB", Level::NatoSecret, &[]);
        assert_eq!(partner.decide(Action::PlanCreate, Target::Installation), Verdict::Forbid);
        assert_eq!(partner.decide(Action::PlanRead, Target::Installation), Verdict::Forbid, "plan action needs a plan");
    }

    #[test]
    fn roles_fit_organisation_kinds() {
        assert!(Role::Coordinator.fits(OrgKind::LiaisonOffice));
        assert!(!Role::Coordinator.fits(OrgKind::PartnerGovernment));
        assert!(Role::PartnerEditor.fits(OrgKind::PartnerUnit));
        assert!(!Role::PartnerEditor.fits(OrgKind::Ally));
        assert!(Role::AllyContributor.fits(OrgKind::Ally) && !Role::AllyContributor.fits(OrgKind::PartnerUnit));
        assert!(Role::Viewer.fits(OrgKind::CivilSociety));
        assert!(
            Role::Assessor.fits(OrgKind::CivilSociety) && !Role::Assessor.fits(OrgKind::AllianceBody) && !Role::Assessor.fits(OrgKind::PartnerUnit),
            "independent of both sides"
        );
        for r in Role::ALL {
            assert_eq!(Role::parse(r.code()), Some(r));
        }
    }

    #[test]
    fn allies_see_their_own_and_shared_records_only() {
        let m = Marking::new(Level::NatoUnclassified, &["SRB"], "NATO");
        let mut nor = subject(OrgKind::Ally, "NOR", Level::NatoSecret, &[(1, Role::AllyContributor)]);
        nor.organisation = OrganisationId(Uuid::from_u128(10));
        let nld = OrganisationId(Uuid::from_u128(11));
        let scoped = |owner, shared: &'static [OrganisationId]| Target::Scoped { plan: plan(1), plan_marking: &m, marking: &m, owner, shared_with: shared };
        static SHARED_WITH_NOR: [OrganisationId; 1] = [OrganisationId(Uuid::from_u128(10))];
        assert_eq!(nor.decide(Action::PlanRead, scoped(nor.organisation, &[])), Verdict::Allow, "own");
        assert_eq!(nor.decide(Action::PlanRead, scoped(nld, &[])), Verdict::Hide, "another Ally's, unshared");
        assert_eq!(nor.decide(Action::PlanRead, scoped(nld, &SHARED_WITH_NOR)), Verdict::Allow, "shared");
        let coord = subject(OrgKind::LiaisonOffice, "BEL", Level::NatoSecret, &[(1, Role::Coordinator)]);
        assert_eq!(coord.decide(Action::PlanRead, scoped(nld, &[])), Verdict::Allow, "coordinators see all");
        let partner = subject(OrgKind::PartnerGovernment, "SRB", Level::NatoSecret, &[(1, Role::PartnerEditor)]);
        assert_eq!(partner.decide(Action::PlanRead, scoped(nld, &[])), Verdict::Allow, "offers are made to the partner");
        assert!(nor.read_filter().admits_scope(nor.organisation, &[]));
        assert!(!nor.read_filter().admits_scope(nld, &[]));
        assert!(coord.read_filter().ally_scope.is_none());
    }

    #[test]
    fn the_public_sees_public_records_of_one_plan_only() {
        let f = ReadFilter::public(plan(1));
        assert!(f.admits(plan(1), &Marking::new(Level::Public, &[], "NATO")));
        assert!(!f.admits(plan(1), &Marking::new(Level::NatoUnclassified, &["SRB"], "NATO")), "unclassified is not public");
        assert!(!f.admits(plan(2), &Marking::new(Level::Public, &[], "NATO")), "another plan");
    }

    #[test]
    fn groups_expand_to_tokens() {
        let g = ReleaseGroups([("PFP".into(), vec!["SRB".into()]), ("EU".into(), vec!["AUT".into()])].into());
        assert_eq!(g.tokens_for(Some("SRB")), vec!["SRB", "PFP"]);
        assert!(g.tokens_for(None).is_empty());
    }
}
