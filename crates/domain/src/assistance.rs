//! Tailored assistance: the partner asks for help on items (requests), Allies and agencies
//! offer it (offers), and the clearing house shows where help is missing and where it is
//! duplicated.
//!
//! An offer belongs to the organisation that makes it and is Ally-scoped: other Allies see it
//! only when it is shared with them. Its lifecycle is `proposed → accepted | declined |
//! withdrawn`, then `accepted → in_delivery → delivered` (or `withdrawn`); the offering side
//! proposes, withdraws and delivers, the partner's side (or a coordinator) accepts or declines.
//! Declining and withdrawing need a reason.

use crate::access::Role;
use crate::marking::{Marking, Scheme};
use crate::plan::Period;
use crate::text::{Text, check_text};
use crate::validation::{Problems, ValidationErrors, rules};
use crate::{ItemId, OfferId, OrganisationId, PlanId, RequestId, Timestamp, UserId};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum AssistanceKind {
    Expertise,
    Training,
    Equipment,
    Funding,
    Exercise,
    Other,
}

impl AssistanceKind {
    pub const ALL: [AssistanceKind; 6] = [
        AssistanceKind::Expertise,
        AssistanceKind::Training,
        AssistanceKind::Equipment,
        AssistanceKind::Funding,
        AssistanceKind::Exercise,
        AssistanceKind::Other,
    ];
    pub fn code(self) -> &'static str {
        match self {
            AssistanceKind::Expertise => "expertise",
            AssistanceKind::Training => "training",
            AssistanceKind::Equipment => "equipment",
            AssistanceKind::Funding => "funding",
            AssistanceKind::Exercise => "exercise",
            AssistanceKind::Other => "other",
        }
    }
    pub fn parse(s: &str) -> Option<AssistanceKind> {
        AssistanceKind::ALL.into_iter().find(|k| k.code() == s)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Priority {
    High,
    Medium,
    Low,
}

impl Priority {
    pub fn code(self) -> &'static str {
        match self {
            Priority::High => "high",
            Priority::Medium => "medium",
            Priority::Low => "low",
        }
    }
    pub fn parse(s: &str) -> Option<Priority> {
        [Priority::High, Priority::Medium, Priority::Low].into_iter().find(|p| p.code() == s)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum RequestState {
    Open,
    Closed,
}

impl RequestState {
    pub fn code(self) -> &'static str {
        match self {
            RequestState::Open => "open",
            RequestState::Closed => "closed",
        }
    }
    pub fn parse(s: &str) -> Option<RequestState> {
        [RequestState::Open, RequestState::Closed].into_iter().find(|p| p.code() == s)
    }
}

/// The partner's request for help on items.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AssistanceRequest {
    pub id: RequestId,
    pub plan: PlanId,
    pub title: Text,
    /// Markdown: what is needed.
    pub need: String,
    pub kind: AssistanceKind,
    pub period: Period,
    pub priority: Priority,
    pub items: Vec<ItemId>,
    pub state: RequestState,
    /// The organisation asking (the partner side).
    pub requested_by: OrganisationId,
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
pub struct NewRequest {
    pub title: Text,
    #[serde(default)]
    pub need: String,
    pub kind: AssistanceKind,
    pub period: Period,
    #[serde(default = "medium")]
    pub priority: Priority,
    pub items: Vec<ItemId>,
    /// Defaults to the plan's marking.
    #[serde(default)]
    pub marking: Option<Marking>,
}

fn medium() -> Priority {
    Priority::Medium
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RequestPatch {
    #[serde(default)]
    pub title: Option<Text>,
    #[serde(default)]
    pub need: Option<String>,
    #[serde(default)]
    pub kind: Option<AssistanceKind>,
    #[serde(default)]
    pub period: Option<Period>,
    #[serde(default)]
    pub priority: Option<Priority>,
    #[serde(default)]
    pub items: Option<Vec<ItemId>>,
    #[serde(default)]
    pub state: Option<RequestState>,
    #[serde(default)]
    pub marking: Option<Marking>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum OfferState {
    Proposed,
    Accepted,
    Declined,
    Withdrawn,
    InDelivery,
    Delivered,
}

impl OfferState {
    pub const ALL: [OfferState; 6] =
        [OfferState::Proposed, OfferState::Accepted, OfferState::Declined, OfferState::Withdrawn, OfferState::InDelivery, OfferState::Delivered];
    pub fn code(self) -> &'static str {
        match self {
            OfferState::Proposed => "proposed",
            OfferState::Accepted => "accepted",
            OfferState::Declined => "declined",
            OfferState::Withdrawn => "withdrawn",
            OfferState::InDelivery => "in_delivery",
            OfferState::Delivered => "delivered",
        }
    }
    pub fn parse(s: &str) -> Option<OfferState> {
        OfferState::ALL.into_iter().find(|x| x.code() == s)
    }
    /// The code as the action of an audit row.
    pub fn code_static(self) -> &'static str {
        self.code()
    }
    /// Whether the offer stands (not declined or withdrawn).
    pub fn live(self) -> bool {
        !matches!(self, OfferState::Declined | OfferState::Withdrawn)
    }
    /// Whether the partner has taken it (it covers a request).
    pub fn taken(self) -> bool {
        matches!(self, OfferState::Accepted | OfferState::InDelivery | OfferState::Delivered)
    }
}

/// Help offered by an Ally or agency.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AssistanceOffer {
    pub id: OfferId,
    pub plan: PlanId,
    /// The offering organisation (an Ally or agency); it owns the offer.
    pub offered_by: OrganisationId,
    pub kind: AssistanceKind,
    pub title: Text,
    /// Markdown.
    pub description: String,
    /// The value in minor units of `currency` (cents), if given.
    pub value_minor: Option<i64>,
    /// ISO 4217, e.g. `EUR`.
    pub currency: Option<String>,
    pub period: Period,
    pub items: Vec<ItemId>,
    /// The request it answers, if any.
    pub answers: Option<RequestId>,
    pub state: OfferState,
    /// Why it was declined or withdrawn.
    pub reason: Option<String>,
    /// Other Allies' organisations that may see it (coordinators and the partner always do).
    pub shared_with: Vec<OrganisationId>,
    pub marking: Marking,
    pub created_by: UserId,
    pub version: i64,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: Timestamp,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub updated_at: Timestamp,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewOffer {
    pub kind: AssistanceKind,
    pub title: Text,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub value_minor: Option<i64>,
    #[serde(default)]
    pub currency: Option<String>,
    pub period: Period,
    #[serde(default)]
    pub items: Vec<ItemId>,
    #[serde(default)]
    pub answers: Option<RequestId>,
    #[serde(default)]
    pub shared_with: Vec<OrganisationId>,
    /// Defaults to the plan's marking.
    #[serde(default)]
    pub marking: Option<Marking>,
    /// Coordinators record offers on behalf of an Ally; Allies' own offers are theirs.
    #[serde(default)]
    pub offered_by: Option<OrganisationId>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OfferPatch {
    #[serde(default)]
    pub kind: Option<AssistanceKind>,
    #[serde(default)]
    pub title: Option<Text>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<i64>))]
    pub value_minor: crate::Patch<i64>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub currency: crate::Patch<String>,
    #[serde(default)]
    pub period: Option<Period>,
    #[serde(default)]
    pub items: Option<Vec<ItemId>>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<RequestId>))]
    pub answers: crate::Patch<RequestId>,
    #[serde(default)]
    pub shared_with: Option<Vec<OrganisationId>>,
    #[serde(default)]
    pub marking: Option<Marking>,
}

/// A step of an offer's lifecycle.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OfferStep {
    pub to: OfferState,
    #[serde(default)]
    pub reason: Option<String>,
}

/// Which side is acting on an offer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OfferSide {
    /// A contributor of the offering organisation.
    Offering,
    /// The partner's editors.
    Partner,
    /// A coordinator, who may act for either side.
    Coordinator,
    Other,
}

/// The side of `role` of `org` on an offer made by `offered_by`.
pub fn side_of(role: Option<Role>, org: OrganisationId, offered_by: OrganisationId) -> OfferSide {
    match role {
        Some(Role::Coordinator) => OfferSide::Coordinator,
        Some(Role::AllyContributor) if org == offered_by => OfferSide::Offering,
        Some(Role::PartnerEditor) => OfferSide::Partner,
        _ => OfferSide::Other,
    }
}

/// Why an offer's step is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StepError {
    NotYours(String),
    NotNow(String),
    Invalid(ValidationErrors),
}

/// Check a step of the lifecycle.
impl OfferState {
    /// The states an offer in this state can move to.
    pub fn next(self) -> &'static [OfferState] {
        use OfferState::*;
        match self {
            Proposed => &[Accepted, Declined, Withdrawn],
            Accepted => &[InDelivery, Withdrawn],
            InDelivery => &[Delivered, Withdrawn],
            Declined | Withdrawn | Delivered => &[],
        }
    }

    /// Whether moving an offer to this state needs a reason.
    pub fn needs_reason(self) -> bool {
        matches!(self, OfferState::Declined | OfferState::Withdrawn)
    }

    /// Whether the partner's side takes this step (accepting or declining); the offering side
    /// takes the others. A coordinator may take either.
    fn by_partner(self) -> bool {
        matches!(self, OfferState::Accepted | OfferState::Declined)
    }
}

impl OfferSide {
    /// Whether this side may move an offer to `to`.
    pub fn may_take(self, to: OfferState) -> bool {
        match self {
            OfferSide::Coordinator => true,
            OfferSide::Partner => to.by_partner(),
            OfferSide::Offering => !to.by_partner(),
            OfferSide::Other => false,
        }
    }
}

/// The steps `side` may take on the offer now, in the order of [`OfferState::next`]: the
/// buttons of the assistance page, by the rule [`check_step`] enforces.
pub fn available_steps(o: &AssistanceOffer, side: OfferSide) -> Vec<OfferState> {
    o.state.next().iter().copied().filter(|to| side.may_take(*to)).collect()
}

pub fn check_step(o: &AssistanceOffer, step: &OfferStep, side: OfferSide) -> Result<(), StepError> {
    let from = o.state;
    if !from.next().contains(&step.to) {
        return Err(StepError::NotNow(format!("an offer that is {} cannot become {}", from.code(), step.to.code())));
    }
    let by_partner = step.to.by_partner();
    if !side.may_take(step.to) {
        let who = if by_partner { "the partner's side or a coordinator" } else { "the offering organisation or a coordinator" };
        return Err(StepError::NotYours(format!("an offer becomes {} by {who}", step.to.code())));
    }
    if step.to.needs_reason() {
        let r = step.reason.as_deref().map(str::trim).unwrap_or("");
        if r.is_empty() {
            return Err(StepError::Invalid(ValidationErrors::one("reason", "required", format!("say why the offer is {}", step.to.code()))));
        }
        if r.chars().count() > 2_000 {
            return Err(StepError::Invalid(ValidationErrors::one("reason", "too_long", "must be at most 2,000 characters")));
        }
    }
    Ok(())
}

/// Whether `c` is an ISO 4217 code in form (three capitals).
pub fn is_currency(c: &str) -> bool {
    c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase())
}

fn check_period(p: &mut Problems, period: &Period) {
    if period.end < period.start {
        p.add("period.end", "before_start", "must not be before the start");
    }
}

fn check_items(p: &mut Problems, items: &[ItemId], known: &dyn Fn(ItemId) -> bool, required: bool) {
    if required && items.is_empty() {
        p.add("items", "required", "name at least one item");
    }
    if items.len() > 200 {
        p.add("items", "too_many", "at most 200 items");
    }
    for (i, it) in items.iter().enumerate() {
        if !known(*it) {
            p.add(format!("items.{i}"), "unknown", "no such item in the plan");
        } else if items[..i].contains(it) {
            p.add(format!("items.{i}"), "duplicate", "each item once");
        }
    }
}

impl AssistanceRequest {
    /// Check the request; `known` says whether an item is one of the plan's that the author sees.
    pub fn validate(&self, scheme: Scheme, plan_marking: &Marking, author_clears: bool, known: &dyn Fn(ItemId) -> bool) -> Result<(), ValidationErrors> {
        let mut p = Problems::new();
        check_text(&mut p, "title", &self.title, true, 300, false);
        if rules::char_len(&self.need) > 10_000 || rules::has_control_chars(&self.need, true) {
            p.add("need", "invalid", "at most 10,000 characters, no control characters");
        }
        check_period(&mut p, &self.period);
        check_items(&mut p, &self.items, known, true);
        p.nest("marking", self.marking.check_under(scheme, plan_marking, "the plan", author_clears, "request"));
        p.finish()
    }
}

impl AssistanceOffer {
    /// Check the offer; `known` as for requests, `request_known` whether the answered request
    /// is one of the plan's that the author sees.
    pub fn validate(
        &self,
        scheme: Scheme,
        plan_marking: &Marking,
        author_clears: bool,
        known: &dyn Fn(ItemId) -> bool,
        request_known: bool,
    ) -> Result<(), ValidationErrors> {
        let mut p = Problems::new();
        check_text(&mut p, "title", &self.title, true, 300, false);
        if rules::char_len(&self.description) > 10_000 || rules::has_control_chars(&self.description, true) {
            p.add("description", "invalid", "at most 10,000 characters, no control characters");
        }
        match (self.value_minor, self.currency.as_deref()) {
            (Some(v), Some(c)) => {
                if !(0..=1_000_000_000_000_000).contains(&v) {
                    p.add("value_minor", "out_of_range", "must be from 0 (in minor units, e.g. cents)");
                }
                if !is_currency(c) {
                    p.add("currency", "invalid", "an ISO 4217 code such as EUR");
                }
            }
            (Some(_), None) => p.add("currency", "required", "say the currency of the value"),
            (None, Some(_)) => p.add("value_minor", "required", "a currency needs a value"),
            (None, None) => {}
        }
        check_period(&mut p, &self.period);
        check_items(&mut p, &self.items, known, self.answers.is_none());
        if self.answers.is_some() && !request_known {
            p.add("answers", "unknown", "no such request in the plan");
        }
        if self.shared_with.len() > 50 {
            p.add("shared_with", "too_many", "at most 50 organisations");
        }
        p.nest("marking", self.marking.check_under(scheme, plan_marking, "the plan", author_clears, "offer"));
        p.finish()
    }
}

/// Whether two periods share at least one day.
pub fn overlaps(a: &Period, b: &Period) -> bool {
    a.start <= b.end && b.start <= a.end
}

/// Two live offers of the same kind for the same item in overlapping periods.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Duplicate {
    pub item: ItemId,
    pub kind: AssistanceKind,
    pub offers: (OfferId, OfferId),
}

/// Count and value (by currency) of a group of offers.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Totals {
    pub offers: u64,
    /// Currency → value in minor units; currencies are never added together.
    pub value_minor: BTreeMap<String, i64>,
}

impl Totals {
    fn add(&mut self, o: &AssistanceOffer) {
        self.offers += 1;
        if let (Some(v), Some(c)) = (o.value_minor, &o.currency) {
            *self.value_minor.entry(c.clone()).or_insert(0) += v;
        }
    }
}

/// The clearing house over what a reader may see.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClearingHouse {
    /// Items with an open request and no accepted (or delivered) offer.
    pub uncovered_items: Vec<ItemId>,
    /// Items without any live offer at all, by area (`""` for items without an area).
    pub unsupported_by_area: BTreeMap<String, Vec<ItemId>>,
    pub duplicate_offers: Vec<Duplicate>,
    /// Live offers that answer no request.
    pub unsolicited_offers: Vec<OfferId>,
    /// Live offers by offering organisation.
    pub by_ally: BTreeMap<String, Totals>,
    /// Live offers by area of the items they serve (an offer counts once per area).
    pub by_area: BTreeMap<String, Totals>,
}

/// An item as the clearing house needs it.
pub struct ItemInfo {
    pub id: ItemId,
    pub areas: Vec<String>,
    /// Whether help is asked or given at this level (leaves of the tree).
    pub leaf: bool,
}

pub fn clearing_house(items: &[ItemInfo], requests: &[AssistanceRequest], offers: &[AssistanceOffer]) -> ClearingHouse {
    let live: Vec<&AssistanceOffer> = offers.iter().filter(|o| o.state.live()).collect();
    let mut out = ClearingHouse::default();
    let visible: BTreeSet<ItemId> = items.iter().map(|i| i.id).collect();
    // Items covered by a taken offer: named by the offer, or by the request it answers.
    let mut covered: BTreeSet<ItemId> = BTreeSet::new();
    for o in live.iter().filter(|o| o.state.taken()) {
        covered.extend(o.items.iter().copied());
        if let Some(r) = o.answers.and_then(|a| requests.iter().find(|r| r.id == a)) {
            covered.extend(r.items.iter().copied());
        }
    }
    let mut asked: Vec<ItemId> = Vec::new();
    for r in requests.iter().filter(|r| r.state == RequestState::Open) {
        for i in &r.items {
            if visible.contains(i) && !covered.contains(i) && !asked.contains(i) {
                asked.push(*i);
            }
        }
    }
    out.uncovered_items = items.iter().map(|i| i.id).filter(|i| asked.contains(i)).collect();
    let supported: BTreeSet<ItemId> = live
        .iter()
        .flat_map(|o| {
            let via = o.answers.and_then(|a| requests.iter().find(|r| r.id == a)).map(|r| r.items.clone()).unwrap_or_default();
            o.items.iter().copied().chain(via)
        })
        .collect();
    for i in items.iter().filter(|i| i.leaf && !supported.contains(&i.id)) {
        if i.areas.is_empty() {
            out.unsupported_by_area.entry(String::new()).or_default().push(i.id);
        }
        for a in &i.areas {
            out.unsupported_by_area.entry(a.clone()).or_default().push(i.id);
        }
    }
    for (n, a) in live.iter().enumerate() {
        for b in &live[n + 1..] {
            if a.kind != b.kind || !overlaps(&a.period, &b.period) {
                continue;
            }
            if let Some(item) = a.items.iter().find(|i| b.items.contains(i)) {
                let (x, y) = if a.id < b.id { (a.id, b.id) } else { (b.id, a.id) };
                out.duplicate_offers.push(Duplicate { item: *item, kind: a.kind, offers: (x, y) });
            }
        }
    }
    out.unsolicited_offers = live.iter().filter(|o| o.answers.is_none()).map(|o| o.id).collect();
    let area_of: BTreeMap<ItemId, &Vec<String>> = items.iter().map(|i| (i.id, &i.areas)).collect();
    for o in &live {
        out.by_ally.entry(o.offered_by.to_string()).or_default().add(o);
        let areas: BTreeSet<&String> = o.items.iter().filter_map(|i| area_of.get(i)).flat_map(|a| a.iter()).collect();
        for a in areas {
            out.by_area.entry(a.clone()).or_default().add(o);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::marking::Level;
    use uuid::Uuid;

    fn d(s: &str) -> chrono::NaiveDate {
        s.parse().unwrap()
    }
    fn item(n: u128) -> ItemId {
        ItemId(Uuid::from_u128(n))
    }
    fn org(n: u128) -> OrganisationId {
        OrganisationId(Uuid::from_u128(n))
    }

    fn offer(n: u128, by: u128, kind: AssistanceKind, from: &str, to: &str, items: &[u128], state: OfferState) -> AssistanceOffer {
        AssistanceOffer {
            id: OfferId(Uuid::from_u128(n)),
            plan: PlanId(Uuid::nil()),
            offered_by: org(by),
            kind,
            title: Text::new("en", "Help"),
            description: String::new(),
            value_minor: Some(10_000),
            currency: Some("EUR".into()),
            period: Period { start: d(from), end: d(to) },
            items: items.iter().map(|i| item(*i)).collect(),
            answers: None,
            state,
            reason: None,
            shared_with: vec![],
            marking: Marking::new(Level::NatoUnclassified, &["SRB"], "NATO"),
            created_by: UserId(Uuid::nil()),
            version: 1,
            created_at: chrono::DateTime::UNIX_EPOCH,
            updated_at: chrono::DateTime::UNIX_EPOCH,
        }
    }

    #[test]
    fn the_steps_offered_are_the_steps_allowed() {
        use OfferState::*;
        for state in OfferState::ALL {
            let o = offer(1, 7, AssistanceKind::Training, "2015-01-01", "2015-12-31", &[], state);
            for side in [OfferSide::Offering, OfferSide::Partner, OfferSide::Coordinator, OfferSide::Other] {
                let offered = available_steps(&o, side);
                for to in OfferState::ALL {
                    let step = OfferStep { to, reason: Some("because".into()) };
                    assert_eq!(offered.contains(&to), check_step(&o, &step, side).is_ok(), "{state:?} → {to:?} by {side:?}");
                }
            }
        }
        let proposed = offer(1, 7, AssistanceKind::Training, "2015-01-01", "2015-12-31", &[], Proposed);
        assert_eq!(available_steps(&proposed, OfferSide::Partner), vec![Accepted, Declined]);
        assert_eq!(available_steps(&proposed, OfferSide::Offering), vec![Withdrawn]);
        assert!(available_steps(&proposed, OfferSide::Other).is_empty());
        assert!(Declined.needs_reason() && Withdrawn.needs_reason() && !Accepted.needs_reason());
    }

    fn request(n: u128, items: &[u128], state: RequestState) -> AssistanceRequest {
        AssistanceRequest {
            id: RequestId(Uuid::from_u128(n)),
            plan: PlanId(Uuid::nil()),
            title: Text::new("en", "Need"),
            need: String::new(),
            kind: AssistanceKind::Training,
            period: Period { start: d("2015-01-01"), end: d("2015-12-31") },
            priority: Priority::High,
            items: items.iter().map(|i| item(*i)).collect(),
            state,
            requested_by: org(1),
            marking: Marking::new(Level::NatoUnclassified, &["SRB"], "NATO"),
            version: 1,
            created_at: chrono::DateTime::UNIX_EPOCH,
            updated_at: chrono::DateTime::UNIX_EPOCH,
        }
    }

    #[test]
    fn each_side_takes_its_steps() {
        use OfferState::*;
        let o = offer(1, 10, AssistanceKind::Training, "2015-01-01", "2015-06-30", &[1], Proposed);
        let step = |to, reason: Option<&str>| OfferStep { to, reason: reason.map(String::from) };
        assert!(check_step(&o, &step(Accepted, None), OfferSide::Partner).is_ok());
        assert!(matches!(check_step(&o, &step(Accepted, None), OfferSide::Offering), Err(StepError::NotYours(_))), "an Ally does not accept its own offer");
        assert!(matches!(check_step(&o, &step(Withdrawn, None), OfferSide::Offering), Err(StepError::Invalid(_))), "withdrawing needs a reason");
        assert!(check_step(&o, &step(Withdrawn, Some("Budget cut")), OfferSide::Offering).is_ok());
        assert!(matches!(check_step(&o, &step(Withdrawn, Some("x")), OfferSide::Partner), Err(StepError::NotYours(_))));
        assert!(matches!(check_step(&o, &step(Declined, Some(" ")), OfferSide::Partner), Err(StepError::Invalid(_))));
        assert!(matches!(check_step(&o, &step(Delivered, None), OfferSide::Coordinator), Err(StepError::NotNow(_))), "not delivered before accepted");
        assert!(matches!(check_step(&o, &step(Accepted, None), OfferSide::Other), Err(StepError::NotYours(_))));
        let mut a = o.clone();
        a.state = Accepted;
        assert!(check_step(&a, &step(InDelivery, None), OfferSide::Offering).is_ok());
        assert!(matches!(check_step(&a, &step(InDelivery, None), OfferSide::Partner), Err(StepError::NotYours(_))));
        a.state = Delivered;
        assert!(matches!(check_step(&a, &step(Withdrawn, Some("x")), OfferSide::Coordinator), Err(StepError::NotNow(_))), "delivered is final");
        assert_eq!(side_of(Some(Role::AllyContributor), org(11), org(10)), OfferSide::Other, "another Ally");
    }

    #[test]
    fn duplicates_need_the_same_item_kind_and_overlapping_dates() {
        use AssistanceKind::*;
        use OfferState::*;
        let offers = [
            offer(1, 10, Training, "2015-01-01", "2015-06-30", &[1, 2], Proposed),
            offer(2, 11, Training, "2015-06-30", "2015-12-31", &[2], Accepted),
            offer(3, 12, Training, "2015-07-01", "2015-12-31", &[1], Proposed),
            offer(4, 13, Equipment, "2015-01-01", "2015-12-31", &[1], Proposed),
            offer(5, 14, Training, "2015-01-01", "2015-12-31", &[1], Withdrawn),
        ];
        let items: Vec<ItemInfo> = (1..=3).map(|i| ItemInfo { id: item(i), areas: vec!["logistics".into()], leaf: true }).collect();
        let ch = clearing_house(&items, &[], &offers);
        let pairs: Vec<(u128, u128)> = ch.duplicate_offers.iter().map(|d| (d.offers.0.0.as_u128(), d.offers.1.0.as_u128())).collect();
        assert_eq!(pairs, [(1, 2)], "sharing one day counts; the next day does not; another kind does not; withdrawn is ignored");
        assert_eq!(ch.duplicate_offers[0].item, item(2));
        assert_eq!(ch.unsupported_by_area["logistics"], vec![item(3)]);
        assert_eq!(ch.by_ally.len(), 4, "withdrawn offers are not counted");
        assert_eq!(ch.by_area["logistics"].offers, 4);
        assert_eq!(ch.by_area["logistics"].value_minor["EUR"], 40_000);
    }

    #[test]
    fn requests_stay_uncovered_until_an_offer_is_taken() {
        use AssistanceKind::*;
        let items: Vec<ItemInfo> = (1..=3).map(|i| ItemInfo { id: item(i), areas: vec![], leaf: true }).collect();
        let reqs = [request(50, &[1, 2], RequestState::Open), request(51, &[3], RequestState::Closed)];
        let mut answer = offer(1, 10, Training, "2015-01-01", "2015-06-30", &[], OfferState::Proposed);
        answer.answers = Some(RequestId(Uuid::from_u128(50)));
        let ch = clearing_house(&items, &reqs, std::slice::from_ref(&answer));
        assert_eq!(ch.uncovered_items, vec![item(1), item(2)], "a proposed offer covers nothing yet; a closed request asks nothing");
        assert!(ch.unsolicited_offers.is_empty());
        answer.state = OfferState::Accepted;
        let ch = clearing_house(&items, &reqs, std::slice::from_ref(&answer));
        assert!(ch.uncovered_items.is_empty(), "the accepted answer covers the request's items");
        assert_eq!(ch.unsupported_by_area[""], vec![item(3)]);
        let stray = offer(2, 10, Funding, "2015-01-01", "2015-06-30", &[3], OfferState::Proposed);
        assert_eq!(clearing_house(&items, &reqs, &[stray]).unsolicited_offers.len(), 1);
        // Currencies are kept apart.
        let mut usd = offer(3, 10, Funding, "2015-01-01", "2015-06-30", &[3], OfferState::Proposed);
        usd.currency = Some("USD".into());
        let eur = offer(4, 10, Funding, "2015-01-01", "2015-06-30", &[3], OfferState::Proposed);
        let ch = clearing_house(&items, &reqs, &[usd, eur]);
        let t = &ch.by_ally[&org(10).to_string()];
        assert_eq!((t.offers, t.value_minor["USD"], t.value_minor["EUR"]), (2, 10_000, 10_000));
    }

    #[test]
    fn offers_and_requests_are_checked() {
        let plan = Marking::new(Level::NatoUnclassified, &["SRB"], "NATO");
        let known = |i: ItemId| i == item(1);
        let mut o = offer(1, 10, AssistanceKind::Funding, "2015-06-01", "2015-01-01", &[1, 1, 9], OfferState::Proposed);
        o.currency = Some("euro".into());
        o.value_minor = Some(-5);
        let e = o.validate(Scheme::Nato, &plan, true, &known, true).unwrap_err();
        for f in ["period.end", "items.1", "items.2", "currency", "value_minor"] {
            assert!(e.has(f), "{f}: {e}");
        }
        let mut r = request(1, &[], RequestState::Open);
        r.title = Text::default();
        let e = r.validate(Scheme::Nato, &plan, true, &known).unwrap_err();
        assert!(e.has("items") && e.has("title"), "{e}");
    }
}
