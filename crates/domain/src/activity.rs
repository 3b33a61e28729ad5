//! Activities: the courses, conferences, seminars, exercises and visits through which items are
//! implemented (often delivering an Ally's offer), with their participants by sex and, once they
//! have taken place, their outcomes and feedback.

use crate::marking::{Marking, Scheme};
use crate::plan::Period;
use crate::text::{Text, check_text};
use crate::validation::{Problems, ValidationErrors, rules};
use crate::{ActivityId, ItemId, OfferId, OrganisationId, PlanId, Timestamp};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ActivityKind {
    Course,
    Conference,
    Seminar,
    Exercise,
    Visit,
    Other,
}

impl ActivityKind {}

codes! { ActivityKind {
    Course => "course",
    Conference => "conference",
    Seminar => "seminar",
    Exercise => "exercise",
    Visit => "visit",
    Other => "other",
} }

/// Who took part, by sex.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Participants {
    #[serde(default)]
    pub women: u32,
    #[serde(default)]
    pub men: u32,
}

impl Participants {
    pub fn total(&self) -> u64 {
        u64::from(self.women) + u64::from(self.men)
    }
}

/// Participants of many activities added up.
/// Whether a member of `org` with `role` on the plan may change an activity organised by
/// `organiser`: Allies' contributors only the activities their organisation organises; the
/// other writing roles any.
pub fn may_change(role: Option<crate::access::Role>, org: crate::OrganisationId, organiser: Option<crate::OrganisationId>) -> bool {
    role != Some(crate::access::Role::AllyContributor) || organiser == Some(org)
}

pub fn participant_totals<'a>(activities: impl IntoIterator<Item = &'a Activity>) -> (u64, u64) {
    activities.into_iter().fold((0, 0), |(w, m), a| (w + u64::from(a.participants.women), m + u64::from(a.participants.men)))
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Activity {
    pub id: ActivityId,
    pub plan: PlanId,
    pub kind: ActivityKind,
    pub title: Text,
    /// Markdown.
    pub description: String,
    /// First and last day.
    pub dates: Period,
    pub place: String,
    pub organiser: Option<OrganisationId>,
    pub items: Vec<ItemId>,
    /// The offer it delivers, if any.
    pub offer: Option<OfferId>,
    pub participants: Participants,
    /// A catalogue reference, e.g. a Partnership Cooperation Menu code.
    pub catalogue_ref: String,
    /// After it took place: what came of it.
    pub outcome: String,
    pub feedback: String,
    pub marking: Marking,
    pub version: i64,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: Timestamp,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub updated_at: Timestamp,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewActivity {
    pub kind: ActivityKind,
    pub title: Text,
    #[serde(default)]
    pub description: String,
    pub dates: Period,
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub organiser: Option<OrganisationId>,
    #[serde(default)]
    pub items: Vec<ItemId>,
    #[serde(default)]
    pub offer: Option<OfferId>,
    #[serde(default)]
    pub participants: Participants,
    #[serde(default)]
    pub catalogue_ref: String,
    #[serde(default)]
    pub outcome: String,
    #[serde(default)]
    pub feedback: String,
    /// Defaults to the plan's marking.
    #[serde(default)]
    pub marking: Option<Marking>,
    /// Confirms a marking lower than the plan's, e.g. a public event (needs the right to
    /// downgrade; recorded in the audit trail).
    #[serde(default)]
    pub downgrade: bool,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActivityPatch {
    #[serde(default)]
    pub kind: Option<ActivityKind>,
    #[serde(default)]
    pub title: Option<Text>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub dates: Option<Period>,
    #[serde(default)]
    pub place: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<OrganisationId>))]
    pub organiser: crate::Patch<OrganisationId>,
    #[serde(default)]
    pub items: Option<Vec<ItemId>>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<OfferId>))]
    pub offer: crate::Patch<OfferId>,
    #[serde(default)]
    pub participants: Option<Participants>,
    #[serde(default)]
    pub catalogue_ref: Option<String>,
    #[serde(default)]
    pub outcome: Option<String>,
    #[serde(default)]
    pub feedback: Option<String>,
    #[serde(default)]
    pub marking: Option<Marking>,
    #[serde(default)]
    pub downgrade: bool,
}

/// What validating an activity needs to know about the rest of the world.
pub struct ActivityContext<'a> {
    pub scheme: Scheme,
    pub plan_marking: &'a Marking,
    pub author_clears: bool,
    pub today: NaiveDate,
    pub item_known: &'a dyn Fn(ItemId) -> bool,
    pub offer_known: bool,
    pub organiser_known: bool,
    /// A marking below the plan's was asked for, by someone with the right to downgrade.
    pub downgrade_allowed: bool,
}

impl Activity {
    pub fn validate(&self, ctx: &ActivityContext<'_>) -> Result<(), ValidationErrors> {
        let mut p = Problems::new();
        check_text(&mut p, "title", &self.title, true, 300, false);
        for (field, v, max, lines) in [
            ("description", &self.description, 10_000, true),
            ("outcome", &self.outcome, 10_000, true),
            ("feedback", &self.feedback, 10_000, true),
            ("place", &self.place, 200, false),
            ("catalogue_ref", &self.catalogue_ref, 40, false),
        ] {
            if rules::char_len(v) > max || rules::has_control_chars(v, lines) {
                p.add(field, "invalid", format!("at most {max} characters{}", if lines { ", no control characters" } else { " on one line" }));
            }
        }
        if self.dates.end < self.dates.start {
            p.add("dates.end", "before_start", "must not be before the first day");
        }
        if (self.dates.end - self.dates.start).num_days() > 366 {
            p.add("dates.end", "too_long", "an activity lasts at most a year");
        }
        if (!self.outcome.trim().is_empty() || !self.feedback.trim().is_empty()) && self.dates.start > ctx.today {
            p.add("outcome", "too_early", "outcomes and feedback are recorded once the activity has begun");
        }
        if self.participants.women > 1_000_000 || self.participants.men > 1_000_000 {
            p.add("participants", "out_of_range", "at most a million of each");
        }
        for (i, it) in self.items.iter().enumerate() {
            if !(ctx.item_known)(*it) {
                p.add(format!("items.{i}"), "unknown", "no such item in the plan");
            } else if self.items[..i].contains(it) {
                p.add(format!("items.{i}"), "duplicate", "each item once");
            }
        }
        if self.offer.is_some() && !ctx.offer_known {
            p.add("offer", "unknown", "no such offer in the plan");
        }
        if self.organiser.is_some() && !ctx.organiser_known {
            p.add("organiser", "unknown", "no such organisation");
        }
        let floor = if ctx.downgrade_allowed { &self.marking } else { ctx.plan_marking };
        p.nest("marking", self.marking.check_under(ctx.scheme, floor, "the plan", ctx.author_clears, "activity"));
        p.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::marking::Level;
    use uuid::Uuid;

    fn activity(start: &str, end: &str) -> Activity {
        Activity {
            id: ActivityId(Uuid::nil()),
            plan: PlanId(Uuid::nil()),
            kind: ActivityKind::Conference,
            title: Text::new("en", "NATO and Serbia"),
            description: String::new(),
            dates: Period { start: start.parse().unwrap(), end: end.parse().unwrap() },
            place: "Kovačica".into(),
            organiser: None,
            items: vec![],
            offer: None,
            participants: Participants { women: 40, men: 35 },
            catalogue_ref: String::new(),
            outcome: String::new(),
            feedback: String::new(),
            marking: Marking::new(Level::Public, &[], "NATO"),
            version: 1,
            created_at: chrono::DateTime::UNIX_EPOCH,
            updated_at: chrono::DateTime::UNIX_EPOCH,
        }
    }

    fn ctx<'a>(plan: &'a Marking, known: &'a dyn Fn(ItemId) -> bool) -> ActivityContext<'a> {
        ActivityContext {
            scheme: Scheme::Nato,
            plan_marking: plan,
            author_clears: true,
            today: "2015-03-01".parse().unwrap(),
            item_known: known,
            offer_known: true,
            organiser_known: true,
            downgrade_allowed: false,
        }
    }

    #[test]
    fn activities_are_checked() {
        let plan = Marking::new(Level::Public, &[], "NATO");
        let known = |i: ItemId| i == ItemId(Uuid::from_u128(1));
        assert!(activity("2015-01-23", "2015-01-23").validate(&ctx(&plan, &known)).is_ok());
        let mut a = activity("2015-06-02", "2015-06-01");
        a.outcome = "Went well".into();
        a.items = vec![ItemId(Uuid::from_u128(9))];
        a.place = "line\nbreak".into();
        let e = a.validate(&ctx(&plan, &known)).unwrap_err();
        for f in ["dates.end", "outcome", "items.0", "place"] {
            assert!(e.has(f), "{f}: {e}");
        }
        // A public event under a restricted plan needs an explicit downgrade.
        let restricted = Marking::new(Level::NatoUnclassified, &["SRB"], "NATO");
        let public = activity("2015-01-23", "2015-01-23");
        assert!(public.validate(&ctx(&restricted, &known)).unwrap_err().has("marking"));
        let mut c = ctx(&restricted, &known);
        c.downgrade_allowed = true;
        assert!(public.validate(&c).is_ok());
    }

    #[test]
    fn participants_add_up_by_sex() {
        let a = activity("2015-01-23", "2015-01-23");
        let mut b = activity("2015-02-10", "2015-02-12");
        b.participants = Participants { women: 5, men: 20 };
        assert_eq!(participant_totals([&a, &b]), (45, 55));
        assert_eq!(b.participants.total(), 25);
    }
}
