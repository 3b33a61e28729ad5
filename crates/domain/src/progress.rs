//! Progress updates: a report on an item for one reporting period, with its review.
//!
//! Workflow: `draft → submitted → approved`, or `submitted → returned` (with a reason) and back
//! to `submitted` once revised. Reports are written and submitted by the partner's side — a
//! partner editor on any item, a reporter on items led by their organisation or one under it —
//! and reviewed by a coordinator. An approved update
//! is locked: it changes only after a coordinator reopens it, with a reason, which the audit
//! trail keeps. Approving applies the reported status to the item.

use crate::access::Role;
use crate::item::ItemStatus;
use crate::marking::{Marking, Scheme};
use crate::validation::{Problems, ValidationErrors, rules};
use crate::{AttachmentId, ItemId, OrganisationId, PlanId, Timestamp, UpdateId, UserId};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum UpdateState {
    Draft,
    Submitted,
    Returned,
    Approved,
}

impl UpdateState {
    /// Whether the reporter may still edit it.
    pub fn editable(self) -> bool {
        matches!(self, UpdateState::Draft | UpdateState::Returned)
    }
    /// Whether it counts as a report for the period ("who has not reported").
    pub fn reported(self) -> bool {
        matches!(self, UpdateState::Submitted | UpdateState::Approved)
    }
}

codes! { UpdateState {
    Draft => "draft",
    Submitted => "submitted",
    Returned => "returned",
    Approved => "approved",
} }

#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProgressUpdate {
    pub id: UpdateId,
    pub plan: PlanId,
    pub item: ItemId,
    /// The reporting period's key.
    pub period: String,
    /// The status the reporter gives the item.
    pub status: ItemStatus,
    /// How far the item has come, 0–100.
    pub percent: u8,
    /// Markdown.
    pub narrative: String,
    pub evidence: Vec<AttachmentId>,
    pub state: UpdateState,
    /// Why it was returned (or reopened), while it is.
    pub reason: Option<String>,
    pub reporter: UserId,
    pub reporter_name: String,
    pub reviewer: Option<UserId>,
    pub marking: Marking,
    pub version: i64,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: Timestamp,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub updated_at: Timestamp,
}

/// Input to write a progress update (as a draft).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewUpdate {
    pub period: String,
    pub status: ItemStatus,
    pub percent: u8,
    #[serde(default)]
    pub narrative: String,
    #[serde(default)]
    pub evidence: Vec<AttachmentId>,
    /// Defaults to the item's marking.
    #[serde(default)]
    pub marking: Option<Marking>,
}

/// Input to revise a draft or returned update.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdatePatch {
    #[serde(default)]
    pub status: Option<ItemStatus>,
    #[serde(default)]
    pub percent: Option<u8>,
    #[serde(default)]
    pub narrative: Option<String>,
    #[serde(default)]
    pub evidence: Option<Vec<AttachmentId>>,
    #[serde(default)]
    pub marking: Option<Marking>,
}

/// A step of the review workflow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Step {
    /// Reporter: send for review.
    Submit,
    /// Coordinator: send back for revision (reason required).
    Return,
    /// Coordinator: accept; locks the update.
    Approve,
    /// Coordinator: unlock an approved update for revision (reason required).
    Reopen,
}

/// Input to move an update through the workflow.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StepInput {
    pub step: Step,
    #[serde(default)]
    pub reason: Option<String>,
}

/// Who the acting user is, as the workflow needs it.
#[derive(Clone, Copy, Debug)]
pub struct Reporter {
    pub role: Option<Role>,
    pub organisation: OrganisationId,
}

/// Why a step or an edit is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WorkflowError {
    /// The user's role or organisation does not allow it (HTTP 403).
    NotAllowed(crate::Refusal),
    /// The update is in the wrong state for it (HTTP 409).
    WrongState(crate::Refusal),
    /// The period or the update is locked (HTTP 409).
    Locked(crate::Refusal),
    /// A field is missing or wrong (HTTP 422).
    Invalid(ValidationErrors),
}

/// Whether `who` may write reports on an item whose lead organisation and the organisations
/// above it are `lead_chain` (empty: no lead). Partner editors report for the partner's side on
/// any item; reporters on the items their organisation (or one under it) leads.
pub fn may_report(who: Reporter, lead_chain: &[OrganisationId]) -> bool {
    match who.role {
        Some(Role::PartnerEditor) => true,
        Some(Role::Reporter) => lead_chain.contains(&who.organisation),
        _ => false,
    }
}

/// Whether `who` reviews reports (returns, approves, reopens).
pub fn may_review(who: Reporter) -> bool {
    who.role == Some(Role::Coordinator)
}

/// The state after `step`, if `who` may take it. `period_locked` refuses everything.
pub fn step(u: &ProgressUpdate, input: &StepInput, who: Reporter, lead_chain: &[OrganisationId], period_locked: bool) -> Result<UpdateState, WorkflowError> {
    if period_locked {
        return Err(WorkflowError::Locked(crate::Refusal::new("report-period-locked").arg("period", &u.period)));
    }
    let reason = input.reason.as_deref().map(str::trim).unwrap_or("");
    let need_reason = |what: &str| -> Result<(), WorkflowError> {
        if reason.is_empty() {
            Err(WorkflowError::Invalid(ValidationErrors::one("reason", "required", format!("say why the update is {what}"))))
        } else if reason.chars().count() > 2_000 {
            Err(WorkflowError::Invalid(ValidationErrors::one("reason", "too_long", "must be at most 2,000 characters")))
        } else {
            Ok(())
        }
    };
    let wrong = |step: &str| Err(WorkflowError::WrongState(crate::Refusal::new("report-wrong-state").arg("state", u.state.code()).arg("step", step)));
    match input.step {
        Step::Submit => {
            if !may_report(who, lead_chain) {
                return Err(WorkflowError::NotAllowed(crate::Refusal::new("report-submit-not-yours")));
            }
            if !u.state.editable() {
                return wrong("submitted");
            }
            if u.narrative.trim().is_empty() {
                return Err(WorkflowError::Invalid(ValidationErrors::one("narrative", "required", "say what was done before submitting")));
            }
            Ok(UpdateState::Submitted)
        }
        Step::Return | Step::Approve | Step::Reopen => {
            if !may_review(who) {
                return Err(WorkflowError::NotAllowed(crate::Refusal::new("report-review-not-yours")));
            }
            match (input.step, u.state) {
                (Step::Return, UpdateState::Submitted) => need_reason("returned").map(|_| UpdateState::Returned),
                (Step::Approve, UpdateState::Submitted) => Ok(UpdateState::Approved),
                (Step::Reopen, UpdateState::Approved) => need_reason("reopened").map(|_| UpdateState::Returned),
                (Step::Return, _) => wrong("returned"),
                (Step::Approve, _) => wrong("approved"),
                _ => wrong("reopened"),
            }
        }
    }
}

/// Whether `who` may edit the update now.
/// What the reporting workflow offers `who` on a report now (the item page's buttons), by the
/// rules [`check_edit`] and [`step`] enforce. `accepting` is whether the plan takes reports.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Offered {
    pub edit: bool,
    pub steps: Vec<Step>,
}

pub fn offered(u: &ProgressUpdate, who: Reporter, lead_chain: &[OrganisationId], period_locked: bool, accepting: bool) -> Offered {
    if !accepting || period_locked {
        return Offered::default();
    }
    let reports = may_report(who, lead_chain) && u.state.editable();
    let mut steps = Vec::new();
    if reports {
        steps.push(Step::Submit);
    }
    if may_review(who) {
        match u.state {
            UpdateState::Submitted => steps.extend([Step::Return, Step::Approve]),
            UpdateState::Approved => steps.push(Step::Reopen),
            _ => {}
        }
    }
    Offered { edit: check_edit(u, who, lead_chain, period_locked).is_ok(), steps }
}

pub fn check_edit(u: &ProgressUpdate, who: Reporter, lead_chain: &[OrganisationId], period_locked: bool) -> Result<(), WorkflowError> {
    if period_locked {
        return Err(WorkflowError::Locked(crate::Refusal::new("report-period-locked").arg("period", &u.period)));
    }
    if !may_report(who, lead_chain) {
        return Err(WorkflowError::NotAllowed(crate::Refusal::new("report-write-not-yours")));
    }
    match u.state {
        UpdateState::Approved => Err(WorkflowError::Locked(crate::Refusal::new("report-approved"))),
        UpdateState::Submitted => Err(WorkflowError::WrongState(crate::Refusal::new("report-under-review"))),
        _ => Ok(()),
    }
}

/// Longest narrative, in characters.
pub const MAX_NARRATIVE: usize = 20_000;
/// Most evidence files on one update.
pub const MAX_EVIDENCE: usize = 20;

impl ProgressUpdate {
    /// Check the fields. The marking may not be lower than the item's, and the author must
    /// still see the update.
    pub fn validate(&self, scheme: Scheme, item_marking: &Marking, author_clears: bool) -> Result<(), ValidationErrors> {
        let mut p = Problems::new();
        if self.percent > 100 {
            p.add("percent", "out_of_range", "must be between 0 and 100");
        }
        if self.status == ItemStatus::Completed && self.percent < 100 {
            p.add("percent", "inconsistent", "a completed item is at 100 %");
        }
        if rules::char_len(&self.narrative) > MAX_NARRATIVE {
            p.push(crate::FieldError::new("narrative", "too_long", format!("must be at most {MAX_NARRATIVE} characters")).with_arg("max", MAX_NARRATIVE));
        } else if rules::has_control_chars(&self.narrative, true) {
            p.add("narrative", "invalid", "must not contain control characters");
        }
        if self.evidence.len() > MAX_EVIDENCE {
            p.add("evidence", "too_many", format!("at most {MAX_EVIDENCE} files"));
        }
        for (i, e) in self.evidence.iter().enumerate() {
            if self.evidence[..i].contains(e) {
                p.add(format!("evidence.{i}"), "duplicate", "each file once");
            }
        }
        p.nest("marking", self.marking.check_under(scheme, item_marking, "the item", author_clears, "update"));
        p.finish()
    }

    pub fn patched(&self, patch: UpdatePatch) -> ProgressUpdate {
        let mut u = self.clone();
        if let Some(s) = patch.status {
            u.status = s;
        }
        if let Some(x) = patch.percent {
            u.percent = x;
        }
        if let Some(n) = patch.narrative {
            u.narrative = n;
        }
        if let Some(e) = patch.evidence {
            u.evidence = e;
        }
        if let Some(m) = patch.marking {
            u.marking = m;
        }
        u
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::marking::Level;
    use uuid::Uuid;

    fn org(n: u128) -> OrganisationId {
        OrganisationId(Uuid::from_u128(n))
    }

    fn update(state: UpdateState) -> ProgressUpdate {
        ProgressUpdate {
            id: UpdateId(Uuid::nil()),
            plan: PlanId(Uuid::nil()),
            item: ItemId(Uuid::nil()),
            period: "2015-Q3".into(),
            status: ItemStatus::InProgress,
            percent: 40,
            narrative: "Two courses held.".into(),
            evidence: vec![],
            state,
            reason: None,
            reporter: UserId(Uuid::nil()),
            reporter_name: "R".into(),
            reviewer: None,
            marking: Marking::new(Level::NatoUnclassified, &["SRB"], "NATO"),
            version: 1,
            created_at: chrono::DateTime::UNIX_EPOCH,
            updated_at: chrono::DateTime::UNIX_EPOCH,
        }
    }

    fn who(role: Role, o: u128) -> Reporter {
        Reporter { role: Some(role), organisation: org(o) }
    }

    fn go(step_: Step, reason: Option<&str>) -> StepInput {
        StepInput { step: step_, reason: reason.map(String::from) }
    }

    #[test]
    fn the_buttons_offered_are_the_steps_allowed() {
        let chain = [org(1), org(3)];
        let people = [who(Role::Reporter, 1), who(Role::Reporter, 9), who(Role::PartnerEditor, 5), who(Role::Coordinator, 7), who(Role::Viewer, 1)];
        for state in [UpdateState::Draft, UpdateState::Submitted, UpdateState::Returned, UpdateState::Approved] {
            let u = update(state);
            for w in people {
                for locked in [false, true] {
                    let o = offered(&u, w, &chain, locked, true);
                    assert_eq!(o.edit, check_edit(&u, w, &chain, locked).is_ok(), "edit {state:?} {w:?} locked {locked}");
                    for s in [Step::Submit, Step::Return, Step::Approve, Step::Reopen] {
                        let allowed = step(&u, &go(s, Some("reason")), w, &chain, locked).is_ok();
                        assert_eq!(o.steps.contains(&s), allowed, "{s:?} on {state:?} by {w:?}, locked {locked}");
                    }
                }
            }
        }
        assert_eq!(
            offered(&update(UpdateState::Draft), who(Role::PartnerEditor, 5), &chain, false, false),
            Offered::default(),
            "a plan not accepting reports offers nothing"
        );
    }

    #[test]
    fn reporters_of_the_lead_organisation_submit() {
        // Item led by unit 1, which belongs to ministry 3.
        let chain = [org(1), org(3)];
        let lead = &chain[..];
        let u = update(UpdateState::Draft);
        assert_eq!(step(&u, &go(Step::Submit, None), who(Role::Reporter, 1), lead, false), Ok(UpdateState::Submitted));
        assert_eq!(step(&u, &go(Step::Submit, None), who(Role::PartnerEditor, 1), lead, false), Ok(UpdateState::Submitted));
        assert!(matches!(step(&u, &go(Step::Submit, None), who(Role::Reporter, 2), lead, false), Err(WorkflowError::NotAllowed(_))), "another organisation");
        assert_eq!(step(&u, &go(Step::Submit, None), who(Role::Reporter, 3), lead, false), Ok(UpdateState::Submitted), "the ministry above the unit");
        assert_eq!(
            step(&u, &go(Step::Submit, None), who(Role::PartnerEditor, 2), lead, false),
            Ok(UpdateState::Submitted),
            "partner editors report for the whole partner side"
        );
        assert!(
            matches!(step(&u, &go(Step::Submit, None), who(Role::Coordinator, 1), lead, false), Err(WorkflowError::NotAllowed(_))),
            "coordinators review, they do not report"
        );
        assert!(matches!(step(&u, &go(Step::Submit, None), who(Role::Viewer, 1), lead, false), Err(WorkflowError::NotAllowed(_))));
        assert!(may_report(who(Role::PartnerEditor, 5), &[]) && !may_report(who(Role::Reporter, 5), &[]), "no lead: partner editors only");
        let mut empty = update(UpdateState::Draft);
        empty.narrative = "  ".into();
        assert!(matches!(step(&empty, &go(Step::Submit, None), who(Role::Reporter, 1), lead, false), Err(WorkflowError::Invalid(_))));
    }

    #[test]
    fn coordinators_return_with_a_reason_and_approve() {
        let lead = &[org(1)][..];
        let c = who(Role::Coordinator, 9);
        let sub = update(UpdateState::Submitted);
        assert!(matches!(step(&sub, &go(Step::Return, None), c, lead, false), Err(WorkflowError::Invalid(e)) if e.has("reason")));
        assert!(matches!(step(&sub, &go(Step::Return, Some("  ")), c, lead, false), Err(WorkflowError::Invalid(_))));
        assert_eq!(step(&sub, &go(Step::Return, Some("Add the course list")), c, lead, false), Ok(UpdateState::Returned));
        assert_eq!(step(&sub, &go(Step::Approve, None), c, lead, false), Ok(UpdateState::Approved));
        assert!(matches!(step(&sub, &go(Step::Approve, None), who(Role::PartnerEditor, 1), lead, false), Err(WorkflowError::NotAllowed(_))));
        let ret = update(UpdateState::Returned);
        assert_eq!(step(&ret, &go(Step::Submit, None), who(Role::Reporter, 1), lead, false), Ok(UpdateState::Submitted), "resubmitted after revision");
        assert!(
            matches!(step(&update(UpdateState::Draft), &go(Step::Approve, None), c, lead, false), Err(WorkflowError::WrongState(_))),
            "a draft is not approved"
        );
    }

    #[test]
    fn approved_updates_and_locked_periods_are_locked() {
        let lead = &[org(1)][..];
        let c = who(Role::Coordinator, 9);
        let r = who(Role::Reporter, 1);
        let ok = update(UpdateState::Approved);
        assert!(matches!(check_edit(&ok, r, lead, false), Err(WorkflowError::Locked(_))));
        assert!(matches!(step(&ok, &go(Step::Submit, None), r, lead, false), Err(WorkflowError::WrongState(_))));
        assert!(matches!(step(&ok, &go(Step::Reopen, None), c, lead, false), Err(WorkflowError::Invalid(_))), "reopening needs a reason");
        assert_eq!(step(&ok, &go(Step::Reopen, Some("Wrong figures")), c, lead, false), Ok(UpdateState::Returned));
        assert!(matches!(step(&ok, &go(Step::Reopen, Some("x")), c, lead, true), Err(WorkflowError::Locked(_))), "the period lock comes first");
        let draft = update(UpdateState::Draft);
        assert!(check_edit(&draft, r, lead, false).is_ok());
        assert!(matches!(check_edit(&draft, r, lead, true), Err(WorkflowError::Locked(_))));
        assert!(matches!(check_edit(&update(UpdateState::Submitted), r, lead, false), Err(WorkflowError::WrongState(_))));
    }

    #[test]
    fn fields_are_checked() {
        let item = Marking::new(Level::NatoRestricted, &["SRB"], "NATO");
        let mut u = update(UpdateState::Draft);
        u.percent = 101;
        u.status = ItemStatus::Completed;
        u.evidence = vec![AttachmentId(Uuid::nil()), AttachmentId(Uuid::nil())];
        let e = u.validate(Scheme::Nato, &item, true).unwrap_err();
        assert!(e.has("percent") && e.has("evidence.1") && e.has("marking"), "{e}");
        let mut ok = update(UpdateState::Draft);
        ok.marking = item.clone();
        assert!(ok.validate(Scheme::Nato, &item, true).is_ok());
        assert!(ok.validate(Scheme::Nato, &item, false).unwrap_err().has("marking"));
    }
}
