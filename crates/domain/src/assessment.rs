//! Assessments: a judgement of a plan for one reporting period from one **perspective** —
//! `self` (the partner), `alliance` (the coordinators) or `independent` (an assessor from
//! outside both) — each on its own declared scale, with ratings per item and a narrative.
//! Perspectives sit side by side; none overwrites another. A final assessment no longer
//! changes.

use crate::access::Role;
use crate::marking::{Marking, Scheme};
use crate::validation::{Problems, ValidationErrors, rules};
use crate::{AssessmentId, ItemId, PlanId, Timestamp, UserId};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Perspective {
    /// The partner's own assessment.
    #[serde(rename = "self")]
    SelfAssessment,
    Alliance,
    Independent,
}

impl Perspective {
    /// The perspective the holder of `role` writes, if any.
    pub fn of_role(role: Role) -> Option<Perspective> {
        Perspective::ALL.into_iter().find(|p| p.author_role() == role)
    }

    /// The role on the plan that writes this perspective.
    pub fn author_role(self) -> Role {
        match self {
            Perspective::SelfAssessment => Role::PartnerEditor,
            Perspective::Alliance => Role::Coordinator,
            Perspective::Independent => Role::Assessor,
        }
    }
}

codes! { Perspective {
    SelfAssessment => "self",
    Alliance => "alliance",
    Independent => "independent",
} }

/// Whether a plan in `state` is assessed: during implementation and assessment.
pub fn window_open(state: crate::plan::PlanState) -> bool {
    matches!(state, crate::plan::PlanState::Implementation | crate::plan::PlanState::Assessment)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Scale {
    /// no evidence / not started / limited / substantial / complete.
    Completion,
    /// red / amber / green.
    Rag,
}

impl Scale {
    /// The ratings of the scale, lowest first.
    pub fn ratings(self) -> &'static [&'static str] {
        match self {
            Scale::Completion => &["no_evidence", "not_started", "limited", "substantial", "complete"],
            Scale::Rag => &["red", "amber", "green"],
        }
    }
    /// Where a rating lies on a common 0–100 line, so that perspectives on different scales
    /// compare; `None` for "no evidence", which is no judgement.
    pub fn position(self, rating: &str) -> Option<u8> {
        match (self, rating) {
            (Scale::Completion, "not_started") | (Scale::Rag, "red") => Some(0),
            (Scale::Completion, "limited") => Some(33),
            (Scale::Rag, "amber") => Some(50),
            (Scale::Completion, "substantial") => Some(67),
            (Scale::Completion, "complete") | (Scale::Rag, "green") => Some(100),
            _ => None,
        }
    }
}

codes! { Scale {
    Completion => "completion",
    Rag => "rag",
} }

/// Two ratings disagree when they lie at least this far apart on the common line: two steps
/// of the completion scale, or any step of red / amber / green.
pub const DISAGREEMENT: u8 = 50;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum AssessmentState {
    Draft,
    Final,
}

impl AssessmentState {}

codes! { AssessmentState {
    Draft => "draft",
    Final => "final",
} }

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Rating {
    pub item: ItemId,
    pub rating: String,
    #[serde(default)]
    pub narrative: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Assessment {
    pub id: AssessmentId,
    pub plan: PlanId,
    pub period: String,
    pub perspective: Perspective,
    pub scale: Scale,
    /// Markdown: the overall judgement.
    pub narrative: String,
    pub state: AssessmentState,
    /// Ratings on the items the reader may see.
    pub ratings: Vec<Rating>,
    pub author: UserId,
    pub author_name: String,
    pub marking: Marking,
    pub version: i64,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: Timestamp,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub updated_at: Timestamp,
}

/// Input to start an assessment.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewAssessment {
    pub period: String,
    pub perspective: Perspective,
    pub scale: Scale,
    #[serde(default)]
    pub narrative: String,
    /// Defaults to the plan's marking.
    #[serde(default)]
    pub marking: Option<Marking>,
}

/// Input to change an assessment (while it is a draft). `final: true` closes it.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AssessmentPatch {
    #[serde(default)]
    pub narrative: Option<String>,
    #[serde(default, rename = "final")]
    pub finalise: bool,
    /// Ratings to set (or, with an empty `rating`, to clear), by item.
    #[serde(default)]
    pub ratings: Vec<Rating>,
}

impl Assessment {
    pub fn validate(&self, scheme: Scheme, plan_marking: &Marking, author_clears: bool) -> Result<(), ValidationErrors> {
        let mut p = Problems::new();
        if rules::char_len(&self.narrative) > 20_000 {
            p.add("narrative", "too_long", "must be at most 20,000 characters");
        } else if rules::has_control_chars(&self.narrative, true) {
            p.add("narrative", "invalid", "must not contain control characters");
        }
        if self.state == AssessmentState::Final && self.narrative.trim().is_empty() {
            p.add("narrative", "required", "a final assessment states its overall judgement");
        }
        p.nest("marking", self.marking.check_under(scheme, plan_marking, "the plan", author_clears, "assessment"));
        p.finish()
    }
}

/// Check ratings to set: known items (`visible`), ratings of the scale, short narratives.
pub fn check_ratings(scale: Scale, ratings: &[Rating], visible: &dyn Fn(ItemId) -> bool) -> Problems {
    let mut p = Problems::new();
    for (i, r) in ratings.iter().enumerate() {
        if !visible(r.item) {
            p.add(format!("ratings.{i}.item"), "unknown", "no such item in the plan");
        } else if ratings[..i].iter().any(|o| o.item == r.item) {
            p.add(format!("ratings.{i}.item"), "duplicate", "rate each item once");
        }
        if !r.rating.is_empty() && !scale.ratings().contains(&r.rating.as_str()) {
            p.add(format!("ratings.{i}.rating"), "unknown", format!("must be one of: {}", scale.ratings().join(", ")));
        }
        if rules::char_len(&r.narrative) > 4_000 || rules::has_control_chars(&r.narrative, true) {
            p.add(format!("ratings.{i}.narrative"), "invalid", "at most 4,000 characters, no control characters");
        }
    }
    p
}

/// One item's ratings from every perspective, and whether they disagree.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SideBySide {
    pub item: ItemId,
    pub ratings: BTreeMap<String, Rating>,
    /// At least two perspectives judged the item and lie [`DISAGREEMENT`] or more apart.
    pub disagreement: bool,
}

/// Put the assessments' ratings side by side for each of `items` (in that order).
pub fn side_by_side(items: &[ItemId], assessments: &[&Assessment]) -> Vec<SideBySide> {
    items
        .iter()
        .map(|item| {
            let mut ratings = BTreeMap::new();
            let mut positions = Vec::new();
            for a in assessments {
                if let Some(r) = a.ratings.iter().find(|r| r.item == *item) {
                    if let Some(pos) = a.scale.position(&r.rating) {
                        positions.push(pos);
                    }
                    ratings.insert(a.perspective.code().to_string(), r.clone());
                }
            }
            let spread = match (positions.iter().max(), positions.iter().min()) {
                (Some(hi), Some(lo)) => hi - lo,
                _ => 0,
            };
            SideBySide { item: *item, ratings, disagreement: positions.len() >= 2 && spread >= DISAGREEMENT }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::marking::Level;
    use uuid::Uuid;

    fn item(n: u128) -> ItemId {
        ItemId(Uuid::from_u128(n))
    }

    fn assessment(perspective: Perspective, scale: Scale, ratings: &[(u128, &str)]) -> Assessment {
        Assessment {
            id: AssessmentId(Uuid::nil()),
            plan: PlanId(Uuid::nil()),
            period: "2016-Q4".into(),
            perspective,
            scale,
            narrative: String::new(),
            state: AssessmentState::Draft,
            ratings: ratings.iter().map(|(i, r)| Rating { item: item(*i), rating: (*r).into(), narrative: String::new() }).collect(),
            author: UserId(Uuid::nil()),
            author_name: "A".into(),
            marking: Marking::new(Level::NatoUnclassified, &["SRB"], "NATO"),
            version: 1,
            created_at: chrono::DateTime::UNIX_EPOCH,
            updated_at: chrono::DateTime::UNIX_EPOCH,
        }
    }

    #[test]
    fn each_perspective_has_its_author() {
        assert_eq!(Perspective::SelfAssessment.author_role(), Role::PartnerEditor);
        assert_eq!(Perspective::Alliance.author_role(), Role::Coordinator);
        assert_eq!(Perspective::Independent.author_role(), Role::Assessor);
        assert_eq!(serde_json::to_value(Perspective::SelfAssessment).unwrap(), "self");
        for p in Perspective::ALL {
            assert_eq!(Perspective::parse(p.code()), Some(p));
        }
    }

    #[test]
    fn perspectives_side_by_side_with_disagreements() {
        let own = assessment(Perspective::SelfAssessment, Scale::Completion, &[(1, "complete"), (2, "substantial"), (3, "limited"), (4, "no_evidence")]);
        let alliance = assessment(Perspective::Alliance, Scale::Completion, &[(1, "limited"), (2, "complete"), (3, "limited"), (4, "not_started")]);
        let independent = assessment(Perspective::Independent, Scale::Rag, &[(3, "amber")]);
        let rows = side_by_side(&[item(1), item(2), item(3), item(4), item(5)], &[&own, &alliance, &independent]);
        assert!(rows[0].disagreement, "complete vs limited: two steps apart");
        assert!(!rows[1].disagreement, "substantial vs complete: one step");
        assert!(!rows[2].disagreement, "limited (33) vs amber (50)");
        assert!(!rows[3].disagreement, "no evidence is no judgement");
        assert!(rows[4].ratings.is_empty() && !rows[4].disagreement);
        assert_eq!(rows[2].ratings.len(), 3);
        assert_eq!(rows[0].ratings["self"].rating, "complete");
        let rag = assessment(Perspective::Independent, Scale::Rag, &[(1, "red")]);
        let alone = side_by_side(&[item(1)], &[&rag]);
        assert!(!alone[0].disagreement, "one perspective cannot disagree with itself");
    }

    #[test]
    fn ratings_are_checked_against_the_scale_and_the_visible_items() {
        let visible = |i: ItemId| i != item(9);
        let rs = vec![
            Rating { item: item(1), rating: "green".into(), narrative: String::new() },
            Rating { item: item(1), rating: "complete".into(), narrative: String::new() },
            Rating { item: item(9), rating: "".into(), narrative: String::new() },
        ];
        let p = check_ratings(Scale::Completion, &rs, &visible);
        let fields: Vec<&str> = p.errors().iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["ratings.0.rating", "ratings.1.item", "ratings.2.item"]);
        assert!(check_ratings(Scale::Rag, &rs[..1], &visible).is_empty());
    }

    #[test]
    fn a_final_assessment_needs_its_judgement() {
        let plan = Marking::new(Level::NatoUnclassified, &["SRB"], "NATO");
        let mut a = assessment(Perspective::Alliance, Scale::Rag, &[]);
        a.state = AssessmentState::Final;
        assert!(a.validate(Scheme::Nato, &plan, true).unwrap_err().has("narrative"));
        a.narrative = "Good progress on interoperability.".into();
        assert!(a.validate(Scheme::Nato, &plan, true).is_ok());
        a.marking = Marking::new(Level::Public, &[], "NATO");
        assert!(a.validate(Scheme::Nato, &plan, true).unwrap_err().has("marking"));
    }
}
