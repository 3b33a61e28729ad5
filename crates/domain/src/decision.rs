//! Decisions: the key dates of a plan (adoption by the partner's government, the council's
//! approval, the public announcement…), which may differ from one another.

use crate::marking::{Marking, Scheme};
use crate::text::{Text, check_text};
use crate::validation::{Problems, ValidationErrors};
use crate::{DecisionId, PlanId, Timestamp};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum DecisionKind {
    DraftingStarted,
    Presented,
    PartnerAdopted,
    CouncilApproved,
    Announced,
    Signed,
    Amended,
    Other,
}

impl DecisionKind {}

codes! { DecisionKind {
    DraftingStarted => "drafting_started",
    Presented => "presented",
    PartnerAdopted => "partner_adopted",
    CouncilApproved => "council_approved",
    Announced => "announced",
    Signed => "signed",
    Amended => "amended",
    Other => "other",
} }

#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Decision {
    pub id: DecisionId,
    pub plan: PlanId,
    pub kind: DecisionKind,
    pub date: NaiveDate,
    /// Who decided, e.g. "Government of Serbia", "North Atlantic Council".
    pub body: Text,
    /// A document or meeting reference.
    pub reference: String,
    pub note: Text,
    pub marking: Marking,
    pub version: i64,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: Timestamp,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub updated_at: Timestamp,
}

/// Input to record a decision; `marking` defaults to the plan's.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewDecision {
    pub kind: DecisionKind,
    pub date: NaiveDate,
    pub body: Text,
    #[serde(default)]
    pub reference: String,
    #[serde(default)]
    pub note: Text,
    #[serde(default)]
    pub marking: Option<Marking>,
}

/// Input to change a decision.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DecisionPatch {
    #[serde(default)]
    pub kind: Option<DecisionKind>,
    #[serde(default)]
    pub date: Option<NaiveDate>,
    #[serde(default)]
    pub body: Option<Text>,
    #[serde(default)]
    pub reference: Option<String>,
    #[serde(default)]
    pub note: Option<Text>,
    #[serde(default)]
    pub marking: Option<Marking>,
}

impl Decision {
    pub fn validate(&self, scheme: Scheme) -> Result<(), ValidationErrors> {
        let mut p = Problems::new();
        check_text(&mut p, "body", &self.body, true, 200, false);
        check_text(&mut p, "note", &self.note, false, 5_000, true);
        if self.reference.chars().count() > 200 || crate::validation::rules::has_control_chars(&self.reference, false) {
            p.add("reference", "invalid", "must be a single line of at most 200 characters");
        }
        if !(1900..=2999).contains(&chrono::Datelike::year(&self.date)) {
            p.add("date", "out_of_range", "must be between the years 1900 and 2999");
        }
        p.nest("marking", self.marking.check(scheme));
        p.finish()
    }

    pub fn patched(&self, patch: DecisionPatch) -> Decision {
        let mut d = self.clone();
        if let Some(k) = patch.kind {
            d.kind = k;
        }
        if let Some(v) = patch.date {
            d.date = v;
        }
        if let Some(v) = patch.body {
            d.body = v.normalised();
        }
        if let Some(v) = patch.reference {
            d.reference = v;
        }
        if let Some(v) = patch.note {
            d.note = v.normalised();
        }
        if let Some(m) = patch.marking {
            d.marking = m;
        }
        d
    }
}

impl NewDecision {
    pub fn into_decision(self, id: DecisionId, plan: PlanId, plan_marking: &Marking, now: Timestamp) -> Decision {
        Decision {
            id,
            plan,
            kind: self.kind,
            date: self.date,
            body: self.body.normalised(),
            reference: self.reference,
            note: self.note.normalised(),
            marking: self.marking.unwrap_or_else(|| plan_marking.clone()),
            version: 1,
            created_at: now,
            updated_at: now,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::marking::Level;
    use uuid::Uuid;

    #[test]
    fn decisions_validate_and_inherit_the_plan_marking() {
        let m = Marking::new(Level::NatoUnclassified, &["SRB"], "NATO");
        let input: NewDecision = serde_json::from_value(serde_json::json!({
            "kind": "council_approved", "date": "2015-01-15", "body": {"en": "North Atlantic Council"}
        }))
        .unwrap();
        let d = input.into_decision(DecisionId(Uuid::nil()), PlanId(Uuid::nil()), &m, chrono::DateTime::UNIX_EPOCH);
        assert_eq!(d.marking, m);
        assert!(d.validate(Scheme::Nato).is_ok());
        let mut bad = d.clone();
        bad.body = Text::default();
        bad.reference = "a\nb".into();
        bad.date = NaiveDate::from_ymd_opt(1800, 1, 1).unwrap();
        let e = bad.validate(Scheme::Nato).unwrap_err();
        for f in ["body", "reference", "date"] {
            assert!(e.has(f), "{f}");
        }
        assert!(serde_json::from_value::<NewDecision>(serde_json::json!({"kind": "vetoed", "date": "2015-01-15", "body": {}})).is_err());
        for k in DecisionKind::ALL {
            assert_eq!(DecisionKind::parse(k.code()), Some(k));
        }
    }
}
