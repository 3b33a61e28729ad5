//! The generated reader test: for every reader method of the store (found in the store's own
//! source, so that a new one without a case fails here) and a generated mix of readers, what a
//! reader reads equals what the unfiltered reader reads, filtered by the pure rule of
//! `liaison_domain::access` (`ReadFilter::admits_placed` and its siblings).
//!
//! How it works: one fixture world is written through the store's write functions. Every case
//! is a method with its arguments ([`Call`]). For each case the unfiltered reader's answer is
//! read once and turned into rows, each carrying the conditions ([`Cond`]) under which the pure
//! rule admits it — the record's placement, computed from the unfiltered world. For each reader
//! the expected answer is those rows filtered by the rule (then counted, truncated to a page, …
//! as the method's [`Shape`] says), and the reader's own answer must equal it.

use chrono::{Duration, NaiveDate, Utc};
use liaison_domain::access::{GlobalRole, Placement, PlanFacts, PlanScope, ReadFilter, Release, ReleaseGroups, Role, Subject};
use liaison_domain::activity::{Activity, ActivityKind, Participants};
use liaison_domain::assessment::{Assessment, AssessmentState, Perspective, Rating, Scale};
use liaison_domain::assistance::{AssistanceKind, AssistanceOffer, AssistanceRequest, OfferState, Priority, RequestState};
use liaison_domain::attachment::Attachment;
use liaison_domain::calendar::ReportingPeriod;
use liaison_domain::change::{AuditQuery, Change, ChangeDraft, Provenance};
use liaison_domain::comment::Comment;
use liaison_domain::decision::{Decision, DecisionKind};
use liaison_domain::framework::{Framework, LevelDef};
use liaison_domain::indicator::{Indicator, Measure, Measurement, Value};
use liaison_domain::item::{GenderMarker, Item, ItemLink, ItemQuery, ItemStatus, LinkKind};
use liaison_domain::marking::{Level, Marking};
use liaison_domain::notification::Notification;
use liaison_domain::organisation::{OrgKind, Organisation};
use liaison_domain::plan::{Approval, Period, Plan, PlanState, Side};
use liaison_domain::portal::Portal;
use liaison_domain::progress::{ProgressUpdate, UpdateState};
use liaison_domain::story::{Photo, PhotoSize, Story, StoryState};
use liaison_domain::text::{Text, UiLang};
use liaison_domain::user::{User, UserStatus};
use liaison_domain::version::Snapshot;
use liaison_domain::{
    ActivityId, AssessmentId, AttachmentId, CommentId, DecisionId, IndicatorId, ItemId, LinkId, MeasurementId, NotificationId, OfferId, OrganisationId,
    PeriodId, PhotoId, PlanId, RequestId, StoryId, Timestamp, TokenId, UpdateId, UserId, truncate_ms,
};
use liaison_store::memberships::Membership;
use liaison_store::testing::TestDb;
use liaison_store::{
    Db, Reader, Tx, activities, areas, assessments, assistance, attachments, auth, calendar, changes, comments, decisions, frameworks, imports, indicators,
    items, links, memberships, notifications, organisations, plans, progress, second_factor, sso, stories, users, versions,
};
use serde_json::json;
use sha2::Digest;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::{Debug, Display};
use uuid::Uuid;

/// A limit that no list of the fixture reaches: how the unfiltered side reads whole lists.
const BIG: u32 = 100_000;

// ---------------------------------------------------------------------------------------------
// The pure side: rows, the conditions that admit them, and what a reader should get.
// ---------------------------------------------------------------------------------------------

/// Where a record is, owned (see [`Placement`]).
#[derive(Clone, Debug)]
struct Place {
    plan: PlanId,
    item: Option<Marking>,
    marking: Option<Marking>,
    owner: Option<(OrganisationId, Vec<OrganisationId>)>,
}

impl Place {
    /// A plan-bound record without a marking of its own (periods, memberships, approvals).
    fn in_plan(plan: PlanId) -> Place {
        Place { plan, item: None, marking: None, owner: None }
    }
    /// A record of a plan with its own marking.
    fn record(plan: PlanId, m: &Marking) -> Place {
        Place { plan, item: None, marking: Some(m.clone()), owner: None }
    }
}

/// One condition of the pure rule; a row is admitted when all of its conditions hold.
#[derive(Clone, Debug)]
enum Cond {
    /// `admits_placed` of the placement.
    Placed(Place),
    /// `admits_marking` alone (items inside a snapshot).
    Marking(Marking),
    /// A change row of no plan: by its marking, never for the portal's public.
    Unplaced(Option<Marking>),
    /// `admits_scope` (change rows of offers).
    Scope(OrganisationId, Vec<OrganisationId>),
    /// Only readers without an Ally scope (change rows of an offer that no longer exists).
    NoAlly,
    /// Never (a snapshot link whose end is not in the snapshot), except for a reader that sees
    /// everything (system work gets the snapshot whole, as it was hashed).
    Never,
    /// A workspace record of the plan (memberships, approvals, versions): `admits_workspace`.
    Workspace(PlanId),
}

/// One record (or part of one) of an answer: its identity, everything it shows, and the
/// conditions under which a reader may see it.
#[derive(Clone, Debug)]
struct Row {
    key: String,
    repr: String,
    vis: Vec<Cond>,
}

fn row(key: impl Display, repr: impl Debug, vis: Vec<Cond>) -> Row {
    Row { key: key.to_string(), repr: format!("{repr:?}"), vis }
}

/// The row that stands for "more follow" (a page's `next_cursor`).
fn more() -> Row {
    Row { key: "~more".into(), repr: String::new(), vis: Vec::new() }
}

/// What a method answered, as rows or a scalar.
enum Res {
    Rows(Vec<Row>),
    Num(i64),
    Flag(bool),
}

/// What is compared.
#[derive(Clone, Debug, PartialEq)]
enum Out {
    Rows(Vec<(String, String)>),
    Num(i64),
    Flag(bool),
}

/// What a method promises about its answer.
#[derive(Clone, Copy, Debug)]
enum Shape {
    /// In a promised order (also `get`s: zero or one row).
    Ordered,
    /// A set.
    Unordered,
    /// A set of keys (distinct kinds of record).
    Distinct,
    /// The first `limit` in the promised order; `marker`: a page that says whether more follow.
    Limited { limit: usize, marker: bool },
    /// How many rows.
    Count,
    /// Whether any.
    Flag,
    /// The largest key (a sequence number), 0 for none.
    Max,
}

/// The facts of the unfiltered world the placements are computed from.
#[derive(Default)]
struct Facts {
    /// Each plan's marking and whether its portal is published.
    plans: HashMap<PlanId, (Marking, bool)>,
    items: HashMap<ItemId, Item>,
    indicators: HashMap<IndicatorId, ItemId>,
    offers: HashMap<Uuid, (OrganisationId, Vec<OrganisationId>)>,
    assessments: HashMap<AssessmentId, (PlanId, Marking)>,
    stories: HashMap<StoryId, (PlanId, Marking)>,
    photos: HashMap<PhotoId, StoryId>,
    plan_codes: HashMap<PlanId, String>,
    tree_keys: HashMap<ItemId, String>,
    attachments: HashMap<AttachmentId, (PlanId, Marking)>,
    notifications: HashMap<NotificationId, Notification>,
    updates: HashMap<UpdateId, ProgressUpdate>,
    changes: HashMap<i64, Change>,
}

impl Facts {
    fn admits(&self, f: &ReadFilter, c: &Cond) -> bool {
        match c {
            Cond::Placed(p) => {
                let (marking, on_portal) = self.plans.get(&p.plan).unwrap_or_else(|| panic!("plan {} is not in the world", p.plan));
                f.admits_placed(&Placement {
                    plan: PlanFacts { id: p.plan, marking, on_portal: *on_portal },
                    item: p.item.as_ref(),
                    marking: p.marking.as_ref(),
                    owner: p.owner.as_ref().map(|(o, s)| (*o, s.as_slice())),
                })
            }
            Cond::Marking(m) => f.admits_marking(m),
            Cond::Unplaced(m) => !matches!(f.plans, PlanScope::Portal(_)) && m.as_ref().is_none_or(|m| f.admits_marking(m)),
            Cond::Scope(owner, shared) => f.admits_scope(*owner, shared),
            Cond::NoAlly => f.ally_scope.is_none(),
            Cond::Never => f.sees_all(),
            Cond::Workspace(p) => {
                let (marking, on_portal) = self.plans.get(p).unwrap_or_else(|| panic!("plan {p} is not in the world"));
                f.admits_workspace(&PlanFacts { id: *p, marking, on_portal: *on_portal })
            }
        }
    }

    fn item_of(&self, id: ItemId) -> &Item {
        self.items.get(&id).unwrap_or_else(|| panic!("item {id} is not in the world"))
    }

    /// An item as a record of its plan.
    fn item_cond(&self, id: ItemId) -> Cond {
        let i = self.item_of(id);
        Cond::Placed(Place::record(i.plan, &i.marking))
    }

    /// A record that belongs to an item, with its own marking (or none).
    fn on_item(&self, plan: PlanId, item: ItemId, own: Option<&Marking>) -> Cond {
        let i = self.item_of(item);
        assert_eq!(i.plan, plan, "the fixture keeps records in their item's plan");
        Cond::Placed(Place { plan: i.plan, item: Some(i.marking.clone()), marking: own.cloned(), owner: None })
    }

    fn item(&self, i: &Item) -> Row {
        row(i.id, i, vec![self.item_cond(i.id)])
    }

    fn plan(&self, p: &Plan) -> Row {
        row(p.id, p, vec![Cond::Placed(Place::record(p.id, &p.marking))])
    }

    fn indicator(&self, i: &Indicator) -> Row {
        row(i.id, i, vec![self.on_item(i.plan, i.item, None)])
    }

    fn measurement(&self, m: &Measurement) -> Row {
        let item = self.indicators.get(&m.indicator).unwrap_or_else(|| panic!("indicator {} is not in the world", m.indicator));
        let plan = self.item_of(*item).plan;
        row(m.id, m, vec![self.on_item(plan, *item, None)])
    }

    fn link(&self, l: &ItemLink) -> Row {
        row(l.id, l, vec![self.item_cond(l.from), self.item_cond(l.to)])
    }

    /// An assessment (without its ratings) and one row per rating: a rating shows when both the
    /// assessment and the rated item do.
    fn assessment(&self, a: &Assessment) -> Vec<Row> {
        let own = Cond::Placed(Place::record(a.plan, &a.marking));
        let bare = Assessment { ratings: Vec::new(), ..a.clone() };
        let mut out = vec![row(a.id, bare, vec![own.clone()])];
        for r in &a.ratings {
            out.push(row(format!("{}/{}", a.id, r.item), r, vec![own.clone(), self.item_cond(r.item)]));
        }
        out
    }

    fn offer(&self, o: &AssistanceOffer) -> Row {
        let place = Place { plan: o.plan, item: None, marking: Some(o.marking.clone()), owner: Some((o.offered_by, o.shared_with.clone())) };
        row(o.id, o, vec![Cond::Placed(place)])
    }

    fn story_cond(&self, id: StoryId) -> Cond {
        let (plan, m) = self.stories.get(&id).unwrap_or_else(|| panic!("story {id} is not in the world"));
        Cond::Placed(Place::record(*plan, m))
    }

    fn change(&self, c: &Change) -> Row {
        let mut vis = vec![match c.plan {
            Some(p) => Cond::Placed(Place { plan: p, item: None, marking: c.marking.clone(), owner: None }),
            None => Cond::Unplaced(c.marking.clone()),
        }];
        if c.entity == "offer" {
            vis.push(match self.offers.get(&c.entity_id) {
                Some((o, s)) => Cond::Scope(*o, s.clone()),
                None => Cond::NoAlly,
            });
        }
        row(c.seq, c, vis)
    }

    fn snapshot(&self, plan: PlanId, info: &versions::VersionInfo, s: &Snapshot) -> Vec<Row> {
        let in_plan = Cond::Workspace(plan);
        let mut out = vec![row("info", info, vec![in_plan.clone()]), row("plan", &s.plan, vec![in_plan.clone()])];
        let marks: HashMap<ItemId, &Marking> = s.items.iter().map(|i| (i.id, &i.marking)).collect();
        let end = |id: &ItemId| marks.get(id).map_or(Cond::Never, |m| Cond::Marking((*m).clone()));
        for i in &s.items {
            out.push(row(format!("item/{}", i.id), i, vec![in_plan.clone(), Cond::Marking(i.marking.clone())]));
        }
        for l in &s.links {
            out.push(row(format!("link/{}/{}/{:?}", l.from, l.to, l.kind), l, vec![in_plan.clone(), end(&l.from), end(&l.to)]));
        }
        out
    }

    /// The expected answer of a reader with `f`, from the unfiltered rows `src`.
    fn expect(&self, shape: Shape, src: &[Row], f: &ReadFilter) -> Out {
        let admitted: Vec<&Row> = src.iter().filter(|r| r.vis.iter().all(|c| self.admits(f, c))).collect();
        let pairs = |rows: &[&Row]| rows.iter().map(|r| (r.key.clone(), r.repr.clone())).collect::<Vec<_>>();
        match shape {
            Shape::Ordered => Out::Rows(pairs(&admitted)),
            Shape::Unordered => Out::Rows(sorted(pairs(&admitted))),
            Shape::Distinct => {
                let mut v = sorted(pairs(&admitted));
                v.dedup();
                Out::Rows(v)
            }
            Shape::Limited { limit, marker } => {
                let mut v = pairs(&admitted[..admitted.len().min(limit)]);
                if marker && admitted.len() > limit {
                    v.push((more().key, more().repr));
                }
                Out::Rows(v)
            }
            Shape::Count => Out::Num(admitted.len() as i64),
            Shape::Flag => Out::Flag(!admitted.is_empty()),
            Shape::Max => Out::Num(admitted.iter().map(|r| r.key.parse::<i64>().expect("a sequence number")).max().unwrap_or(0)),
        }
    }
}

fn sorted(mut v: Vec<(String, String)>) -> Vec<(String, String)> {
    v.sort();
    v
}

/// A reader's answer in the form it is compared in.
fn actual(shape: Shape, res: Res) -> Out {
    match res {
        Res::Rows(rows) => {
            let v: Vec<(String, String)> = rows.into_iter().map(|r| (r.key, r.repr)).collect();
            match shape {
                Shape::Unordered => Out::Rows(sorted(v)),
                Shape::Distinct => {
                    let mut v = sorted(v);
                    v.dedup();
                    Out::Rows(v)
                }
                _ => Out::Rows(v),
            }
        }
        Res::Num(n) => Out::Num(n),
        Res::Flag(b) => Out::Flag(b),
    }
}

/// An answer as rows, for the unfiltered side of scalar directory methods.
fn as_rows(res: Res) -> Vec<Row> {
    match res {
        Res::Rows(r) => r,
        Res::Flag(b) => {
            if b {
                vec![more()]
            } else {
                Vec::new()
            }
        }
        Res::Num(n) => (0..n).map(|i| row(i, "", Vec::new())).collect(),
    }
}

// ---------------------------------------------------------------------------------------------
// The case table: every reader method with its arguments.
// ---------------------------------------------------------------------------------------------

/// One reader method with its arguments.
#[derive(Clone, Debug)]
#[allow(clippy::large_enum_variant)] // a test's case table
enum Call {
    ActivityGet(ActivityId),
    ActivitiesOfPlan(PlanId),
    ActivitiesOfOrganiser(OrganisationId),
    AreaGet(String),
    AreasAll,
    AreasUnknown(Vec<String>),
    AssessmentGet(AssessmentId),
    AssessmentsOfPlan(PlanId, Option<String>),
    RatingsOfItem(ItemId),
    RequestGet(RequestId),
    RequestsOf(PlanId),
    OfferGet(OfferId),
    OffersOf(PlanId),
    AttachmentGet(AttachmentId),
    AttachmentsGetMany(Vec<AttachmentId>),
    AttachmentContent(AttachmentId),
    AttachmentsOfPlan(PlanId, u64),
    FindSession(String),
    FindToken(String),
    GetToken(TokenId),
    TokensOf(UserId),
    PeriodsOfPlan(PlanId),
    PeriodsEndingBetween(NaiveDate, NaiveDate),
    History(Uuid, Option<i64>, u32),
    Audit(AuditQuery, Option<i64>, u32),
    InOrder(i64, u64),
    LatestOf(Uuid),
    EntitiesSince(i64),
    LastOfPlan(PlanId),
    EntitiesOfPlanSince(PlanId, i64),
    CommentsOfItem(ItemId),
    DecisionGet(DecisionId),
    DecisionsOfPlan(PlanId),
    FrameworkGet(String),
    FrameworksAll,
    IndicatorGet(IndicatorId),
    IndicatorsOfItem(ItemId),
    IndicatorsOfPlan(PlanId),
    IndicatorCountOfItem(ItemId),
    MeasurementGet(MeasurementId),
    MeasurementsOf(IndicatorId),
    MeasurementsOfPlan(PlanId),
    ValuesOfPlan(PlanId),
    ItemGet(ItemId),
    ItemGetWithPlan(ItemId),
    ItemsGetMany(Vec<ItemId>),
    ItemCodeTaken(PlanId, String, Option<ItemId>),
    ItemByCode(PlanId, String),
    ItemsList(PlanId, ItemQuery, Option<(String, Uuid)>, u32),
    ItemsCount(PlanId, ItemQuery),
    ItemChildren(PlanId, Option<ItemId>),
    ItemChildCount(ItemId),
    ItemTreeKey(ItemId),
    AreaInUse(String),
    ItemsOfPlan(PlanId),
    LinkGet(LinkId),
    LinksOfItem(ItemId),
    LinksFromItems(Vec<ItemId>),
    LinksOfKind(LinkKind),
    RolesOf(UserId),
    MembersOfPlan(PlanId),
    MembershipGet(PlanId, UserId),
    NotificationGet(NotificationId),
    NotificationsOfUser(UserId, u64),
    UnreadCount(UserId),
    PendingEmail(i32, u64),
    PendingEmailCount(i32),
    OrgGet(OrganisationId),
    OrgsGetMany(Vec<OrganisationId>),
    OrgsList(Option<Uuid>, u32),
    OrgsAll,
    OrgIsAncestor(OrganisationId, OrganisationId),
    OrgByShortName(String),
    PlanGet(PlanId),
    PlanCodeTaken(String, Option<PlanId>),
    PlansList(Option<PlanState>, Option<Uuid>, u32),
    PlansCountVisible,
    PlanSuccessors(PlanId),
    PlanByCode(String),
    Approvals(PlanId, i32),
    UpdateGet(UpdateId),
    UpdateExistsFor(ItemId, String),
    UpdatesOfItem(ItemId),
    UpdatesOfPlan(PlanId, Option<String>),
    UpdatesCountOfItem(ItemId),
    UpdatesCountOfPeriod(PlanId, String),
    StoryGet(StoryId),
    StoriesOfPlan(PlanId, Option<StoryState>),
    StoryPlanOf(StoryId),
    PhotoStory(PhotoId),
    PhotoContent(PhotoId, PhotoSize),
    PortalOf(PlanId),
    PublishedPortals,
    ImportGet(UserId, Uuid),
    ImportContent(UserId, Uuid),
    ImportProblems(UserId, Uuid, Option<imports::ProblemKey>),
    ImportActivities(UserId, Uuid, Option<i64>),
    UserGet(UserId),
    UserByEmail(String),
    Credentials(String),
    UsersList(Option<Uuid>, u32),
    UsersCount,
    MailDigest(UserId),
    TotpOf(UserId),
    RecoveryLeft(UserId),
    FindChallenge(String),
    PasskeysOf(UserId),
    PasskeyCount(UserId),
    CredentialTaken(String),
    SsoLinkedUser(String, String),
    VersionsList(PlanId),
    VersionGet(PlanId, i32),
}

impl Call {
    /// The store function this case calls, as `module::name`.
    fn method(&self) -> &'static str {
        use Call::*;
        match self {
            ActivityGet(..) => "activities::get",
            ActivitiesOfPlan(..) => "activities::of_plan",
            ActivitiesOfOrganiser(..) => "activities::of_organiser",
            AreaGet(..) => "areas::get",
            AreasAll => "areas::all",
            AreasUnknown(..) => "areas::unknown",
            AssessmentGet(..) => "assessments::get",
            AssessmentsOfPlan(..) => "assessments::of_plan",
            RatingsOfItem(..) => "assessments::ratings_of_item",
            RequestGet(..) => "assistance::get_request",
            RequestsOf(..) => "assistance::requests_of",
            OfferGet(..) => "assistance::get_offer",
            OffersOf(..) => "assistance::offers_of",
            AttachmentGet(..) => "attachments::get",
            AttachmentsGetMany(..) => "attachments::get_many",
            AttachmentContent(..) => "attachments::content",
            AttachmentsOfPlan(..) => "attachments::of_plan",
            FindSession(..) => "auth::find_session",
            FindToken(..) => "auth::find_token",
            GetToken(..) => "auth::get_token",
            TokensOf(..) => "auth::tokens_of",
            PeriodsOfPlan(..) => "calendar::of_plan",
            PeriodsEndingBetween(..) => "calendar::ending_between",
            History(..) => "changes::history",
            Audit(..) => "changes::audit",
            InOrder(..) => "changes::in_order",
            LatestOf(..) => "changes::latest_of",
            EntitiesSince(..) => "changes::entities_since",
            LastOfPlan(..) => "changes::last_of_plan",
            EntitiesOfPlanSince(..) => "changes::entities_of_plan_since",
            CommentsOfItem(..) => "comments::of_item",
            DecisionGet(..) => "decisions::get",
            DecisionsOfPlan(..) => "decisions::of_plan",
            FrameworkGet(..) => "frameworks::get",
            FrameworksAll => "frameworks::all",
            IndicatorGet(..) => "indicators::get",
            IndicatorsOfItem(..) => "indicators::of_item",
            IndicatorsOfPlan(..) => "indicators::of_plan",
            IndicatorCountOfItem(..) => "indicators::count_of_item",
            MeasurementGet(..) => "indicators::get_measurement",
            MeasurementsOf(..) => "indicators::measurements_of",
            MeasurementsOfPlan(..) => "indicators::measurements_of_plan",
            ValuesOfPlan(..) => "indicators::values_of_plan",
            ItemGet(..) => "items::get",
            ItemGetWithPlan(..) => "items::get_with_plan",
            ItemsGetMany(..) => "items::get_many",
            ItemCodeTaken(..) => "items::code_taken",
            ItemByCode(..) => "items::find_by_code",
            ItemsList(..) => "items::list",
            ItemsCount(..) => "items::count",
            ItemChildren(..) => "items::children",
            ItemChildCount(..) => "items::child_count",
            ItemTreeKey(..) => "items::tree_key_of",
            AreaInUse(..) => "items::area_in_use",
            ItemsOfPlan(..) => "items::of_plan",
            LinkGet(..) => "links::get",
            LinksOfItem(..) => "links::of_item",
            LinksFromItems(..) => "links::from_items",
            LinksOfKind(..) => "links::all_of_kind",
            RolesOf(..) => "memberships::roles_of",
            MembersOfPlan(..) => "memberships::of_plan",
            MembershipGet(..) => "memberships::get",
            NotificationGet(..) => "notifications::get",
            NotificationsOfUser(..) => "notifications::of_user",
            UnreadCount(..) => "notifications::unread_count",
            PendingEmail(..) => "notifications::pending_email",
            PendingEmailCount(..) => "notifications::pending_email_count",
            OrgGet(..) => "organisations::get",
            OrgsGetMany(..) => "organisations::get_many",
            OrgsList(..) => "organisations::list",
            OrgsAll => "organisations::all",
            OrgIsAncestor(..) => "organisations::is_ancestor_or_self",
            OrgByShortName(..) => "organisations::find_by_short_name",
            PlanGet(..) => "plans::get",
            PlanCodeTaken(..) => "plans::code_taken",
            PlansList(..) => "plans::list",
            PlansCountVisible => "plans::count_visible",
            PlanSuccessors(..) => "plans::successors",
            PlanByCode(..) => "plans::find_by_code",
            Approvals(..) => "plans::approvals",
            UpdateGet(..) => "progress::get",
            UpdateExistsFor(..) => "progress::exists_for",
            UpdatesOfItem(..) => "progress::of_item",
            UpdatesOfPlan(..) => "progress::of_plan",
            UpdatesCountOfItem(..) => "progress::count_of_item",
            UpdatesCountOfPeriod(..) => "progress::count_of_period",
            StoryGet(..) => "stories::get",
            StoriesOfPlan(..) => "stories::of_plan",
            StoryPlanOf(..) => "stories::plan_of",
            PhotoStory(..) => "stories::photo_story",
            PhotoContent(..) => "stories::photo_content",
            PortalOf(..) => "stories::portal",
            PublishedPortals => "stories::published_portals",
            ImportGet(..) => "imports::get",
            ImportContent(..) => "imports::content",
            ImportProblems(..) => "imports::problems",
            ImportActivities(..) => "imports::activities",
            UserGet(..) => "users::get",
            UserByEmail(..) => "users::get_by_email",
            Credentials(..) => "users::credentials",
            UsersList(..) => "users::list",
            UsersCount => "users::count",
            MailDigest(..) => "users::mail_digest",
            TotpOf(..) => "second_factor::totp_of",
            RecoveryLeft(..) => "second_factor::recovery_left",
            FindChallenge(..) => "second_factor::find_challenge",
            PasskeysOf(..) => "second_factor::passkeys_of",
            PasskeyCount(..) => "second_factor::passkey_count",
            CredentialTaken(..) => "second_factor::credential_taken",
            SsoLinkedUser(..) => "sso::linked_user",
            VersionsList(..) => "versions::list",
            VersionGet(..) => "versions::get",
        }
    }

    fn shape(&self) -> Shape {
        use Call::*;
        let limited = |limit: u64, marker: bool| Shape::Limited { limit: usize::try_from(limit).expect("a small limit"), marker };
        match self {
            RatingsOfItem(..)
            | IndicatorCountOfItem(..)
            | ItemsCount(..)
            | ItemChildCount(..)
            | PlansCountVisible
            | UnreadCount(..)
            | PendingEmailCount(..)
            | UpdatesCountOfItem(..)
            | UpdatesCountOfPeriod(..)
            | RecoveryLeft(..)
            | PasskeyCount(..)
            | UsersCount => Shape::Count,
            CredentialTaken(..) | ItemCodeTaken(..) | AreaInUse(..) | PlanCodeTaken(..) | UpdateExistsFor(..) | OrgIsAncestor(..) => Shape::Flag,
            LastOfPlan(..) => Shape::Max,
            EntitiesSince(..) | EntitiesOfPlanSince(..) => Shape::Distinct,
            LatestOf(..) => limited(1, false),
            AttachmentsOfPlan(_, l) | NotificationsOfUser(_, l) | PendingEmail(_, l) | InOrder(_, l) => limited(*l, false),
            ItemsList(.., l) | History(.., l) | Audit(.., l) | OrgsList(_, l) | PlansList(.., l) | UsersList(_, l) => limited(u64::from(*l), true),
            AttachmentsGetMany(..)
            | PeriodsEndingBetween(..)
            | MeasurementsOfPlan(..)
            | ValuesOfPlan(..)
            | ItemsGetMany(..)
            | LinksOfKind(..)
            | OrgsGetMany(..)
            | PlanSuccessors(..) => Shape::Unordered,
            _ => Shape::Ordered,
        }
    }

    /// The same call without its limit, for the unfiltered side.
    fn widened(&self) -> Call {
        use Call::*;
        match self.clone() {
            AttachmentsOfPlan(p, _) => AttachmentsOfPlan(p, u64::from(BIG)),
            NotificationsOfUser(u, _) => NotificationsOfUser(u, u64::from(BIG)),
            PendingEmail(a, _) => PendingEmail(a, u64::from(BIG)),
            InOrder(s, _) => InOrder(s, u64::from(BIG)),
            ItemsList(p, q, a, _) => ItemsList(p, q, a, BIG),
            History(e, b, _) => History(e, b, BIG),
            LatestOf(e) => History(e, None, BIG),
            Audit(q, b, _) => Audit(q, b, BIG),
            OrgsList(a, _) => OrgsList(a, BIG),
            PlansList(s, a, _) => PlansList(s, a, BIG),
            UsersList(a, _) => UsersList(a, BIG),
            c => c,
        }
    }
}

fn ok<T>(r: liaison_store::Result<T>, c: &Call) -> T {
    r.unwrap_or_else(|e| panic!("{} {c:?}: {e}", c.method()))
}

fn page_rows<T>(p: liaison_domain::page::Page<T>, f: impl Fn(&T) -> Row) -> Res {
    let mut v: Vec<Row> = p.items.iter().map(f).collect();
    if p.next_cursor.is_some() {
        v.push(more());
    }
    Res::Rows(v)
}

fn each<T>(v: &[T], f: impl Fn(&T) -> Row) -> Res {
    Res::Rows(v.iter().map(f).collect())
}

fn free(key: impl Display, repr: impl Debug) -> Row {
    row(key, repr, Vec::new())
}

fn count(n: u64) -> Res {
    Res::Num(i64::try_from(n).expect("a small count"))
}

/// Call the method for reader `r`.
async fn run(r: &Reader<'_>, w: &Facts, c: &Call) -> Res {
    use Call::*;
    let rec = |plan: PlanId, m: &Marking| vec![Cond::Placed(Place::record(plan, m))];
    match c {
        ActivityGet(id) => each(ok(activities::get(r, *id).await, c).as_slice(), |a: &Activity| row(a.id, a, rec(a.plan, &a.marking))),
        ActivitiesOfPlan(p) => each(&ok(activities::of_plan(r, *p).await, c), |a| row(a.id, a, rec(a.plan, &a.marking))),
        ActivitiesOfOrganiser(o) => each(&ok(activities::of_organiser(r, *o).await, c), |a| row(a.id, a, rec(a.plan, &a.marking))),
        AreaGet(code) => each(ok(areas::get(r, code).await, c).as_slice(), |a| free(&a.code, a)),
        AreasAll => each(&ok(areas::all(r).await, c), |a| free(&a.code, a)),
        AreasUnknown(codes) => each(&ok(areas::unknown(r, codes).await, c), |a| free(a, a)),
        AssessmentGet(id) => Res::Rows(ok(assessments::get(r, *id).await, c).iter().flat_map(|a| w.assessment(a)).collect()),
        AssessmentsOfPlan(p, period) => Res::Rows(ok(assessments::of_plan(r, *p, period.as_deref()).await, c).iter().flat_map(|a| w.assessment(a)).collect()),
        RatingsOfItem(i) => count(ok(assessments::ratings_of_item(r, *i).await, c)),
        RequestGet(id) => each(ok(assistance::get_request(r, *id).await, c).as_slice(), |x: &AssistanceRequest| row(x.id, x, rec(x.plan, &x.marking))),
        RequestsOf(p) => each(&ok(assistance::requests_of(r, *p).await, c), |x| row(x.id, x, rec(x.plan, &x.marking))),
        OfferGet(id) => each(ok(assistance::get_offer(r, *id).await, c).as_slice(), |o| w.offer(o)),
        OffersOf(p) => each(&ok(assistance::offers_of(r, *p).await, c), |o| w.offer(o)),
        AttachmentGet(id) => each(ok(attachments::get(r, *id).await, c).as_slice(), |a: &Attachment| row(a.id, a, rec(a.plan, &a.marking))),
        AttachmentsGetMany(ids) => each(&ok(attachments::get_many(r, ids).await, c), |a| row(a.id, a, rec(a.plan, &a.marking))),
        AttachmentContent(id) => {
            let (plan, m) = &w.attachments[id];
            each(ok(attachments::content(r, *id).await, c).as_slice(), |b| row(id, b, rec(*plan, m)))
        }
        AttachmentsOfPlan(p, limit) => each(&ok(attachments::of_plan(r, *p, *limit).await, c), |a| row(a.id, a, rec(a.plan, &a.marking))),
        FindSession(h) => each(ok(auth::find_session(r, h).await, c).as_slice(), |s| free(h, s)),
        FindToken(h) => each(ok(auth::find_token(r, h).await, c).as_slice(), |t| free(t.id, t)),
        GetToken(id) => each(ok(auth::get_token(r, *id).await, c).as_slice(), |t| free(t.id, t)),
        TokensOf(u) => each(&ok(auth::tokens_of(r, *u).await, c), |t| free(t.id, t)),
        PeriodsOfPlan(p) => each(&ok(calendar::of_plan(r, *p).await, c), |x: &ReportingPeriod| row(x.id, x, vec![Cond::Placed(Place::in_plan(x.plan))])),
        PeriodsEndingBetween(a, b) => each(&ok(calendar::ending_between(r, *a, *b).await, c), |x| row(x.id, x, vec![Cond::Placed(Place::in_plan(x.plan))])),
        History(e, before, limit) => page_rows(ok(changes::history(r, *e, *before, *limit).await, c), |x| w.change(x)),
        Audit(q, before, limit) => page_rows(ok(changes::audit(r, q, *before, *limit).await, c), |x| w.change(x)),
        InOrder(after, limit) => each(&ok(changes::in_order(r, *after, *limit).await, c), |x| w.change(x)),
        LatestOf(e) => each(ok(changes::latest_of(r, *e).await, c).as_slice(), |x| w.change(x)),
        EntitiesSince(seq) => each(&ok(changes::entities_since(r, *seq).await, c), |e| free(e, "")),
        LastOfPlan(p) => Res::Num(ok(changes::last_of_plan(r, *p).await, c)),
        EntitiesOfPlanSince(p, seq) => each(&ok(changes::entities_of_plan_since(r, *p, *seq).await, c), |e| free(e, "")),
        CommentsOfItem(i) => each(&ok(comments::of_item(r, *i).await, c), |x: &Comment| row(x.id, x, vec![w.on_item(x.plan, x.item, Some(&x.marking))])),
        DecisionGet(id) => each(ok(decisions::get(r, *id).await, c).as_slice(), |d: &Decision| row(d.id, d, rec(d.plan, &d.marking))),
        DecisionsOfPlan(p) => each(&ok(decisions::of_plan(r, *p).await, c), |d| row(d.id, d, rec(d.plan, &d.marking))),
        FrameworkGet(code) => each(ok(frameworks::get(r, code).await, c).as_slice(), |x| free(&x.code, x)),
        FrameworksAll => each(&ok(frameworks::all(r).await, c), |x| free(&x.code, x)),
        IndicatorGet(id) => each(ok(indicators::get(r, *id).await, c).as_slice(), |i| w.indicator(i)),
        IndicatorsOfItem(i) => each(&ok(indicators::of_item(r, *i).await, c), |i| w.indicator(i)),
        IndicatorsOfPlan(p) => each(&ok(indicators::of_plan(r, *p).await, c), |i| w.indicator(i)),
        IndicatorCountOfItem(i) => count(ok(indicators::count_of_item(r, *i).await, c)),
        MeasurementGet(id) => each(ok(indicators::get_measurement(r, *id).await, c).as_slice(), |m| w.measurement(m)),
        MeasurementsOf(i) => each(&ok(indicators::measurements_of(r, *i).await, c), |m| w.measurement(m)),
        MeasurementsOfPlan(p) => each(&ok(indicators::measurements_of_plan(r, *p).await, c), |m| w.measurement(m)),
        ValuesOfPlan(p) => each(&ok(indicators::values_of_plan(r, *p).await, c), |(ind, period, v)| {
            let item = w.indicators[ind];
            row(format!("{ind}/{period}"), v, vec![w.on_item(w.item_of(item).plan, item, None)])
        }),
        ItemGet(id) => each(ok(items::get(r, *id).await, c).as_slice(), |i| w.item(i)),
        ItemGetWithPlan(id) => each(ok(items::get_with_plan(r, *id).await, c).as_slice(), |(i, p)| {
            row(i.id, (i, p), vec![w.item_cond(i.id), Cond::Placed(Place::record(p.id, &p.marking))])
        }),
        ItemsGetMany(ids) => each(&ok(items::get_many(r, ids).await, c), |i| w.item(i)),
        ItemCodeTaken(p, code, except) => Res::Flag(ok(items::code_taken(r, *p, code, *except).await, c)),
        ItemByCode(p, code) => each(ok(items::find_by_code(r, *p, code).await, c).as_slice(), |i| w.item(i)),
        ItemsList(p, q, after, limit) => page_rows(ok(items::list(r, *p, q, after.clone(), *limit).await, c), |i| w.item(i)),
        ItemsCount(p, q) => count(ok(items::count(r, *p, q).await, c)),
        ItemChildren(p, parent) => each(&ok(items::children(r, *p, *parent).await, c), |i| w.item(i)),
        ItemChildCount(id) => count(ok(items::child_count(r, *id).await, c)),
        ItemTreeKey(id) => each(ok(items::tree_key_of(r, *id).await, c).as_slice(), |k| row(id, k, vec![w.item_cond(*id)])),
        AreaInUse(a) => Res::Flag(ok(items::area_in_use(r, a).await, c)),
        ItemsOfPlan(p) => each(&ok(items::of_plan(r, *p).await, c), |i| w.item(i)),
        LinkGet(id) => each(ok(links::get(r, *id).await, c).as_slice(), |l| w.link(l)),
        LinksOfItem(id) => each(&ok(links::of_item(r, *id).await, c), |l| w.link(l)),
        LinksFromItems(ids) => each(&ok(links::from_items(r, ids).await, c), |l| w.link(l)),
        LinksOfKind(k) => each(&ok(links::all_of_kind(r, *k).await, c), |l| w.link(l)),
        RolesOf(u) => {
            let roles: Vec<(PlanId, Role)> = ok(memberships::roles_of(r, *u).await, c).into_iter().collect();
            each(&roles, |(p, role)| row(p, role, vec![Cond::Workspace(*p)]))
        }
        MembersOfPlan(p) => each(&ok(memberships::of_plan(r, *p).await, c), |m: &Membership| row(m.id, m, vec![Cond::Workspace(m.plan)])),
        MembershipGet(p, u) => each(ok(memberships::get(r, *p, *u).await, c).as_slice(), |m| row(m.id, m, vec![Cond::Workspace(m.plan)])),
        NotificationGet(id) => each(ok(notifications::get(r, *id).await, c).as_slice(), notification),
        NotificationsOfUser(u, limit) => each(&ok(notifications::of_user(r, *u, *limit).await, c), notification),
        UnreadCount(u) => count(ok(notifications::unread_count(r, *u).await, c)),
        PendingEmail(attempts, limit) => {
            each(&ok(notifications::pending_email(r, *attempts, chrono::Utc::now() + chrono::TimeDelta::days(365), *limit).await, c), notification)
        }
        PendingEmailCount(attempts) => count(ok(notifications::pending_email_count(r, *attempts).await, c)),
        OrgGet(id) => each(ok(organisations::get(r, *id).await, c).as_slice(), |o: &Organisation| free(o.id, o)),
        OrgsGetMany(ids) => each(&ok(organisations::get_many(r, ids).await, c), |o| free(o.id, o)),
        OrgsList(after, limit) => page_rows(ok(organisations::list(r, *after, *limit).await, c), |o| free(o.id, o)),
        OrgsAll => each(&ok(organisations::all(r).await, c), |o| free(o.id, o)),
        OrgIsAncestor(a, b) => Res::Flag(ok(organisations::is_ancestor_or_self(r, *a, *b).await, c)),
        OrgByShortName(s) => each(ok(organisations::find_by_short_name(r, s).await, c).as_slice(), |o| free(o.id, o)),
        PlanGet(id) => each(ok(plans::get(r, *id).await, c).as_slice(), |p| w.plan(p)),
        PlanCodeTaken(code, except) => Res::Flag(ok(plans::code_taken(r, code, *except).await, c)),
        PlansList(state, after, limit) => page_rows(ok(plans::list(r, *state, *after, *limit).await, c), |p| w.plan(p)),
        PlansCountVisible => count(ok(plans::count_visible(r).await, c)),
        PlanSuccessors(id) => each(&ok(plans::successors(r, *id).await, c), |p| w.plan(p)),
        PlanByCode(code) => each(ok(plans::find_by_code(r, code).await, c).as_slice(), |p| w.plan(p)),
        Approvals(p, round) => {
            let v = ok(plans::approvals(r, *p, *round).await, c);
            let rows =
                v.iter().enumerate().map(|(n, a): (usize, &Approval)| row(format!("{p}/{round}/{:?}/{}/{n}", a.side, a.user), a, vec![Cond::Workspace(*p)]));
            Res::Rows(rows.collect())
        }
        UpdateGet(id) => each(ok(progress::get(r, *id).await, c).as_slice(), |u| update(w, u)),
        UpdateExistsFor(i, period) => Res::Flag(ok(progress::exists_for(r, *i, period).await, c)),
        UpdatesOfItem(i) => each(&ok(progress::of_item(r, *i).await, c), |u| update(w, u)),
        UpdatesOfPlan(p, period) => each(&ok(progress::of_plan(r, *p, period.as_deref()).await, c), |u| update(w, u)),
        UpdatesCountOfItem(i) => count(ok(progress::count_of_item(r, *i).await, c)),
        UpdatesCountOfPeriod(p, period) => count(ok(progress::count_of_period(r, *p, period).await, c)),
        StoryGet(id) => each(ok(stories::get(r, *id).await, c).as_slice(), |s: &Story| row(s.id, s, rec(s.plan, &s.marking))),
        StoriesOfPlan(p, state) => each(&ok(stories::of_plan(r, *p, *state).await, c), |s| row(s.id, s, rec(s.plan, &s.marking))),
        StoryPlanOf(id) => each(ok(stories::plan_of(r, *id).await, c).as_slice(), |p| row(id, p, vec![w.story_cond(*id)])),
        PhotoStory(id) => each(ok(stories::photo_story(r, *id).await, c).as_slice(), |(p, s)| row(p.id, (p, s), vec![w.story_cond(*s)])),
        PhotoContent(id, size) => {
            // The photo's story, from the unfiltered world (the photo is found through it).
            let story = w.photo_story(*id);
            each(ok(stories::photo_content(r, *id, *size).await, c).as_slice(), |b| row(id, b, vec![w.story_cond(story)]))
        }
        PortalOf(p) => each(ok(stories::portal(r, *p).await, c).as_slice(), |x: &Portal| row(x.plan, x, vec![Cond::Placed(Place::in_plan(x.plan))])),
        PublishedPortals => each(&ok(stories::published_portals(r).await, c), |x| row(x.plan, x, vec![Cond::Placed(Place::in_plan(x.plan))])),
        // An import is its owner's (outside data, no marking): never on the portal.
        ImportGet(u, id) => each(ok(imports::get(r, *u, *id).await, c).as_slice(), |i| row(i.id, i, vec![Cond::Unplaced(None)])),
        ImportContent(u, id) => each(ok(imports::content(r, *u, *id).await, c).as_slice(), |b| row(id, b, vec![Cond::Unplaced(None)])),
        ImportProblems(u, id, after) => {
            each(&ok(imports::problems(r, *u, *id, *after, 100).await, c), |p| row(format!("{id}/{}", p.seq), p, vec![Cond::Unplaced(None)]))
        }
        ImportActivities(u, id, after) => {
            each(&ok(imports::activities(r, *u, *id, *after, 100).await, c), |a| row(format!("{id}/{}", a.0), a, vec![Cond::Unplaced(None)]))
        }
        UserGet(id) => each(ok(users::get(r, *id).await, c).as_slice(), |u: &User| free(u.id, u)),
        UserByEmail(e) => each(ok(users::get_by_email(r, e).await, c).as_slice(), |u| free(u.id, u)),
        Credentials(e) => {
            each(ok(users::credentials(r, e).await, c).as_slice(), |x| free(x.user.id, (&x.user, &x.password_hash, x.failed_logins, x.locked_until)))
        }
        UsersList(after, limit) => page_rows(ok(users::list(r, *after, *limit).await, c), |u| free(u.id, u)),
        UsersCount => count(ok(users::count(r).await, c)),
        MailDigest(u) => each(&[ok(users::mail_digest(r, *u).await, c)], |d| free(u, d)),
        TotpOf(u) => each(ok(second_factor::totp_of(r, *u).await, c).as_slice(), |t| free(u, t)),
        RecoveryLeft(u) => count(ok(second_factor::recovery_left(r, *u).await, c)),
        FindChallenge(h) => each(ok(second_factor::find_challenge(r, h).await, c).as_slice(), |t| free(h, t)),
        PasskeysOf(u) => each(&ok(second_factor::passkeys_of(r, *u).await, c), |p| free(&p.credential_id, p)),
        PasskeyCount(u) => count(ok(second_factor::passkey_count(r, *u).await, c)),
        CredentialTaken(id) => Res::Flag(ok(second_factor::credential_taken(r, id).await, c)),
        SsoLinkedUser(p, s) => each(ok(sso::linked_user(r, p, s).await, c).as_slice(), |u| free(u, u)),
        VersionsList(p) => each(&ok(versions::list(r, *p).await, c), |v| row(v.number, v, vec![Cond::Workspace(*p)])),
        VersionGet(p, n) => Res::Rows(ok(versions::get(r, *p, *n).await, c).map(|(info, s)| w.snapshot(*p, &info, &s)).unwrap_or_default()),
    }
}

fn notification(n: &Notification) -> Row {
    let plan = n.plan.expect("the fixture's notifications are about a plan");
    row(n.id, n, vec![Cond::Placed(Place::record(plan, &n.marking))])
}

fn update(w: &Facts, u: &ProgressUpdate) -> Row {
    row(u.id, u, vec![w.on_item(u.plan, u.item, Some(&u.marking))])
}

fn rows_of(res: Res) -> Vec<Row> {
    match res {
        Res::Rows(r) => r,
        _ => panic!("a list was expected"),
    }
}

/// The unfiltered rows a case's expectation is computed from: the unfiltered answer of the same
/// call (without its limit), or for counts and flags, of the list they count.
async fn source(u: &Reader<'_>, w: &Facts, c: &Call) -> Vec<Row> {
    use Call::*;
    let list = |c: Call| async move { rows_of(run(u, w, &c).await) };
    match c {
        RatingsOfItem(item) => {
            let mut out = Vec::new();
            for p in w.plans.keys() {
                out.extend(list(AssessmentsOfPlan(*p, None)).await.into_iter().filter(|r| r.key.ends_with(&format!("/{item}"))));
            }
            out
        }
        IndicatorCountOfItem(i) => list(IndicatorsOfItem(*i)).await,
        ItemsCount(p, q) => list(ItemsList(*p, q.clone(), None, BIG)).await,
        ItemChildCount(id) => list(ItemChildren(w.item_of(*id).plan, Some(*id))).await,
        ItemCodeTaken(p, code, except) => list(ItemsOfPlan(*p))
            .await
            .into_iter()
            .filter(|r| {
                let i = w.item_of(ItemId(Uuid::parse_str(&r.key).expect("an item id")));
                i.code.to_lowercase() == code.to_lowercase() && Some(i.id) != *except
            })
            .collect(),
        AreaInUse(a) => {
            let mut out = Vec::new();
            for p in w.plans.keys() {
                out.extend(
                    list(ItemsOfPlan(*p)).await.into_iter().filter(|r| w.item_of(ItemId(Uuid::parse_str(&r.key).expect("an item id"))).areas.contains(a)),
                );
            }
            out
        }
        PlansCountVisible => list(PlansList(None, None, BIG)).await,
        PlanCodeTaken(code, except) => list(PlansList(None, None, BIG))
            .await
            .into_iter()
            .filter(|r| r.key != "~more")
            .filter(|r| {
                let id = PlanId(Uuid::parse_str(&r.key).expect("a plan id"));
                Some(id) != *except && w.plan_codes[&id].to_lowercase() == code.to_lowercase()
            })
            .collect(),
        PendingEmailCount(attempts) => list(PendingEmail(*attempts, u64::from(BIG))).await,
        UnreadCount(user) => list(NotificationsOfUser(*user, u64::from(BIG)))
            .await
            .into_iter()
            .filter(|r| w.notifications[&NotificationId(Uuid::parse_str(&r.key).expect("a notification id"))].read_at.is_none())
            .collect(),
        UpdateExistsFor(item, period) => list(UpdatesOfItem(*item))
            .await
            .into_iter()
            .filter(|r| &w.updates[&UpdateId(Uuid::parse_str(&r.key).expect("an update id"))].period == period)
            .collect(),
        UpdatesCountOfItem(i) => list(UpdatesOfItem(*i)).await,
        UpdatesCountOfPeriod(p, period) => list(UpdatesOfPlan(*p, Some(period.clone()))).await,
        LastOfPlan(p) => list(Audit(AuditQuery { plan: Some(*p), ..Default::default() }, None, BIG)).await,
        EntitiesSince(seq) => list(InOrder(*seq, u64::from(BIG))).await.into_iter().map(|r| w.entity_row(r)).collect(),
        EntitiesOfPlanSince(p, seq) => list(InOrder(*seq, u64::from(BIG)))
            .await
            .into_iter()
            .filter(|r| w.changes[&r.key.parse::<i64>().expect("a sequence number")].plan == Some(*p))
            .map(|r| w.entity_row(r))
            .collect(),
        c => as_rows(run(u, w, &c.widened()).await),
    }
}

impl Facts {
    /// A change row as the kind of record it is about (for the distinct kinds of record).
    fn entity_row(&self, r: Row) -> Row {
        let seq: i64 = r.key.parse().expect("a sequence number");
        Row { key: self.changes[&seq].entity.clone(), repr: format!("{:?}", ""), vis: r.vis }
    }

    fn photo_story(&self, photo: PhotoId) -> StoryId {
        *self.photos.get(&photo).unwrap_or_else(|| panic!("photo {photo} is not in the world"))
    }
}

// ---------------------------------------------------------------------------------------------
// The fixture world, written through the store's own write functions.
// ---------------------------------------------------------------------------------------------

fn mk(level: Level, rel: &[&str]) -> Marking {
    Marking::new(level, rel, "NATO")
}

const RELS: [&[&str]; 3] = [&[], &["SRB"], &["PFP"]];

/// Item `n` of every plan: every NATO level × three releasabilities.
fn combo(n: usize) -> Marking {
    mk(Level::NATO[n / 3], RELS[n % 3])
}

const ITEMS: usize = 15;
/// Root items (public, NATO UNCLASSIFIED → SRB, NATO RESTRICTED → PFP, NATO SECRET).
const ROOTS: [usize; 4] = [0, 4, 8, 12];

fn parent_of(n: usize) -> Option<usize> {
    if ROOTS.contains(&n) {
        None
    } else if n < 8 {
        Some(ROOTS[n % 4])
    } else {
        Some(n - 7)
    }
}

/// The markings of plan-level records (decisions, attachments, requests, …).
fn record_marking(k: usize) -> Marking {
    match k % 6 {
        0 => mk(Level::Public, &[]),
        1 => mk(Level::NatoUnclassified, &["SRB"]),
        2 => mk(Level::NatoUnclassified, &[]),
        3 => mk(Level::NatoRestricted, &["PFP"]),
        4 => mk(Level::NatoConfidential, &["SRB"]),
        _ => mk(Level::NatoSecret, &[]),
    }
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a date")
}

fn sha(bytes: &[u8]) -> String {
    hex::encode(sha2::Sha256::digest(bytes))
}

fn id() -> Uuid {
    Uuid::now_v7()
}

/// Record the creation of a marked record of a plan.
fn created(tx: &Tx, entity: &'static str, id: Uuid, plan: PlanId, m: &Marking) {
    tx.record(ChangeDraft::marked(entity, id, Some(plan), 1, "create", None, Some((m, json!({ "id": id })))));
}

/// What the fixture wrote, for the cases' arguments.
#[derive(Default)]
struct World {
    plans: Vec<Plan>,
    /// `items[plan][n]`, `n` as in [`combo`].
    items: Vec<Vec<Item>>,
    /// The owner (an alliance body), the liaison office, the partner government and one of its
    /// units, Allies A and B, a civil society organisation.
    orgs: Vec<Organisation>,
    /// Coordinator, partner editor, Ally A's and Ally B's contributors, security officer, assessor.
    users: Vec<User>,
    activities: Vec<ActivityId>,
    assessments: Vec<AssessmentId>,
    requests: Vec<RequestId>,
    offers: Vec<OfferId>,
    attachments: Vec<AttachmentId>,
    decisions: Vec<DecisionId>,
    indicators: Vec<IndicatorId>,
    measurements: Vec<MeasurementId>,
    updates: Vec<UpdateId>,
    stories: Vec<StoryId>,
    photos: Vec<PhotoId>,
    links: Vec<LinkId>,
    notifications: Vec<NotificationId>,
    tokens: Vec<TokenId>,
    /// Imports: (uploader, id).
    imports: Vec<(UserId, Uuid)>,
    token_hashes: Vec<String>,
    session_hashes: Vec<String>,
    challenge_hash: String,
    /// An offer that has change rows but no longer exists.
    gone_offer: Uuid,
    /// A marked change row of no plan (an export).
    export: Uuid,
    /// When each phase was committed.
    times: Vec<Timestamp>,
    /// The head of the chain half-way through the fixture.
    mid_seq: i64,
}

impl World {
    fn item(&self, plan: usize, n: usize) -> &Item {
        &self.items[plan][n]
    }
    fn owner(&self) -> OrganisationId {
        self.orgs[0].id
    }
    fn partner(&self) -> OrganisationId {
        self.orgs[2].id
    }
    fn unit(&self) -> OrganisationId {
        self.orgs[3].id
    }
    fn ally_a(&self) -> OrganisationId {
        self.orgs[4].id
    }
    fn ally_b(&self) -> OrganisationId {
        self.orgs[5].id
    }
    fn coord(&self) -> UserId {
        self.users[0].id
    }
    fn partner_editor(&self) -> UserId {
        self.users[1].id
    }
}

fn prov(actor: Option<UserId>, at: Timestamp) -> Provenance {
    Provenance { actor, at, request_id: "readers".into(), source: "127.0.0.1".into() }
}

fn organisation(kind: OrgKind, short: &str, country: Option<&str>, parent: Option<OrganisationId>, now: Timestamp) -> Organisation {
    Organisation {
        id: OrganisationId(id()),
        name: Text::new("en", short),
        short_name: short.into(),
        kind,
        country: country.map(String::from),
        parent,
        iati_ref: None,
        version: 1,
        created_at: now,
        updated_at: now,
    }
}

fn user(name: &str, org: OrganisationId, clearance: Level, global_roles: Vec<GlobalRole>, now: Timestamp) -> User {
    User {
        id: UserId(id()),
        display_name: name.into(),
        email: format!("{name}@example.org"),
        organisation: org,
        clearance,
        status: UserStatus::Active,
        global_roles,
        language: UiLang::En,
        version: 1,
        created_at: now,
        updated_at: now,
    }
}

async fn build(db: &Db) -> World {
    let mut w = World::default();
    let base = truncate_ms(Utc::now()) - Duration::days(1);
    let mut phase = 0;
    let mut next_time = |w: &mut World| {
        phase += 1;
        let t = base + Duration::minutes(phase);
        w.times.push(t);
        t
    };

    // The directory: organisations, users, areas, a framework, sessions and tokens.
    let now = next_time(&mut w);
    let tx = db.begin().await.unwrap();
    let owner = organisation(OrgKind::AllianceBody, "NATO IS", None, None, now);
    let liaison = organisation(OrgKind::LiaisonOffice, "NLO", Some("BEL"), Some(owner.id), now);
    let partner = organisation(OrgKind::PartnerGovernment, "MFA", Some("SRB"), None, now);
    let unit = organisation(OrgKind::PartnerUnit, "MOD", Some("SRB"), Some(partner.id), now);
    let ally_a = organisation(OrgKind::Ally, "NOR", Some("NOR"), None, now);
    let ally_b = organisation(OrgKind::Ally, "NLD", Some("NLD"), None, now);
    let civil = organisation(OrgKind::CivilSociety, "CSO", Some("SRB"), None, now);
    for o in [&owner, &liaison, &partner, &unit, &ally_a, &ally_b, &civil] {
        organisations::insert(&tx, o).await.unwrap();
        tx.record(ChangeDraft::unmarked("organisation", o.id.uuid(), 1, "create", None, Some(json!({ "short": o.short_name }))));
    }
    w.users = vec![
        user("coord", liaison.id, Level::NatoSecret, vec![], now),
        user("editor", partner.id, Level::NatoConfidential, vec![], now),
        user("ally-a", ally_a.id, Level::NatoRestricted, vec![], now),
        user("ally-b", ally_b.id, Level::NatoUnclassified, vec![], now),
        user("officer", owner.id, Level::NatoRestricted, vec![GlobalRole::SecurityOfficer], now),
        user("assessor", civil.id, Level::NatoUnclassified, vec![], now),
    ];
    for u in &w.users {
        users::insert(&tx, u, &format!("hash-of-{}", u.display_name)).await.unwrap();
        tx.record(ChangeDraft::unmarked("user", u.id.uuid(), 1, "create", None, Some(json!({ "email": u.email }))));
    }
    w.orgs = vec![owner, liaison, partner, unit, ally_a, ally_b, civil];
    for code in ["cyber", "defence", "secret-area"] {
        areas::insert(&tx, &areas::Area { code: code.into(), name: Text::new("en", code), dac_sector: None, version: 1, created_at: now, updated_at: now })
            .await
            .unwrap();
    }
    let fw = Framework {
        code: "custom".into(),
        name: Text::new("en", "Custom"),
        levels: vec![LevelDef { key: "goal".into(), name: Text::new("en", "Goal") }],
        builtin: false,
    };
    frameworks::insert(&tx, &fw, now).await.unwrap();
    for (k, u) in w.users.iter().take(3).enumerate() {
        let h = format!("session-{k}");
        auth::create_session(&tx, &h, u.id, now, now + Duration::hours(8), "127.0.0.1").await.unwrap();
        w.session_hashes.push(h);
        if k == 0 {
            // A key, recovery codes, a sign-in waiting for its code and the daily digest.
            let key = second_factor::TotpRow { secret: "JBSWY3DPEHPK3PXP".into(), confirmed_at: Some(now), last_step: Some(1) };
            second_factor::put_totp(&tx, u.id, &key, now).await.unwrap();
            second_factor::replace_recovery_codes(&tx, u.id, &["code-a".into(), "code-b".into()], now).await.unwrap();
            second_factor::create_challenge(&tx, "challenge-0", u.id, "verify", None, now, now + Duration::minutes(5), "127.0.0.1").await.unwrap();
            let passkey = second_factor::PasskeyRow {
                id: id(),
                user: u.id,
                credential_id: "credential-0".into(),
                name: "laptop".into(),
                credential: "{}".into(),
                created_at: now,
                last_used_at: None,
            };
            second_factor::add_passkey(&tx, &passkey).await.unwrap();
            w.challenge_hash = "challenge-0".into();
            users::set_mail_digest(&tx, u.id, true).await.unwrap();
            sso::link(&tx, "mod", "sub-0", u.id, now).await.unwrap();
        }
        for t in 0..=(k % 2) {
            let (tid, h) = (TokenId(id()), format!("token-{k}-{t}"));
            auth::create_token(&tx, tid, u.id, &format!("token {t}"), &h, now, None).await.unwrap();
            w.tokens.push(tid);
            w.token_hashes.push(h);
        }
        let bytes = format!("<iati-activities version=\"2.03\"/><!-- {k} -->").into_bytes();
        let row = imports::ImportRow {
            id: id(),
            kind: "iati".into(),
            file_name: format!("file-{k}.xml"),
            sha256: sha(&bytes),
            size: bytes.len() as u64,
            created_by: u.id,
            created_at: now,
            state: "previewed".into(),
            preview: "{}".into(),
            applied_at: None,
            result: None,
        };
        imports::insert(&tx, &row, &bytes).await.unwrap();
        let problems: Vec<imports::ProblemRow> = (0..3)
            .map(|n| imports::ProblemRow {
                seq: n,
                line: 3 - n as u32,
                column: 1,
                severity: "error".into(),
                path: "/iati-activities".into(),
                code: "schema".into(),
                message: format!("problem {n} of import {k}"),
            })
            .collect();
        imports::add_problems(&tx, row.id, &problems).await.unwrap();
        imports::add_activities(&tx, row.id, &[(0, format!("{{\"k\":{k}}}")), (1, "{}".into())]).await.unwrap();
        w.imports.push((u.id, row.id));
    }
    tx.commit(&prov(None, now)).await.unwrap();

    // The plans: PUBLIC; NATO UNCLASSIFIED → SRB (on the portal); NATO RESTRICTED (an
    // unpublished portal row); NATO CONFIDENTIAL → SRB.
    let now = next_time(&mut w);
    let tx = db.begin().await.unwrap();
    let plan_markings = [mk(Level::Public, &[]), mk(Level::NatoUnclassified, &["SRB"]), mk(Level::NatoRestricted, &[]), mk(Level::NatoConfidential, &["SRB"])];
    let states = [PlanState::Closed, PlanState::Implementation, PlanState::Drafting, PlanState::Implementation];
    for (k, m) in plan_markings.iter().enumerate() {
        let predecessor = match k {
            1 | 3 => Some(w.plans[0].id),
            2 => Some(w.plans[1].id),
            _ => None,
        };
        let p = Plan {
            id: PlanId(id()),
            framework: "ipap".into(),
            code: format!("RD-{k}"),
            title: Text::new("en", &format!("Plan {k}")),
            description: Text::default(),
            partner: w.partner(),
            owner: w.owner(),
            period: Period { start: day(2015, 1, 1), end: day(2016, 12, 31) },
            predecessor,
            state: states[k],
            negotiation_round: 2,
            marking: m.clone(),
            version: 1,
            created_at: now,
            updated_at: now,
        };
        plans::insert(&tx, &p).await.unwrap();
        created(&tx, "plan", p.id.uuid(), p.id, &p.marking);
        w.plans.push(p);
    }
    let portal =
        |plan: PlanId, published: bool| Portal { plan, title: Text::new("en", "Portal"), summary: Text::default(), published, version: 1, updated_at: now };
    stories::put_portal(&tx, &portal(w.plans[1].id, true)).await.unwrap();
    stories::put_portal(&tx, &portal(w.plans[2].id, false)).await.unwrap();
    let roles: [(usize, &[usize], Role); 5] = [
        (0, &[0, 1, 2, 3], Role::Coordinator),
        (1, &[0, 1, 3], Role::PartnerEditor),
        (2, &[0, 1], Role::AllyContributor),
        (3, &[1, 2], Role::AllyContributor),
        (5, &[1], Role::Assessor),
    ];
    for (u, ps, role) in roles {
        for p in ps {
            let m = Membership { id: id(), plan: w.plans[*p].id, user: w.users[u].id, role, version: 1, created_at: now, updated_at: now };
            memberships::insert(&tx, &m).await.unwrap();
            tx.record(ChangeDraft::marked("membership", m.id, Some(m.plan), 1, "create", None, Some((&w.plans[*p].marking, json!({ "role": role.code() })))));
        }
    }
    tx.commit(&prov(None, now)).await.unwrap();

    for pi in 0..w.plans.len() {
        let now = next_time(&mut w);
        plan_content(db, &mut w, pi, now).await;
        if pi == 1 {
            w.mid_seq = changes::head(&db.unfiltered()).await.unwrap().0;
        }
    }

    // Links within plans and across them, agreed versions, and the last changes.
    let now = next_time(&mut w);
    let tx = db.begin().await.unwrap();
    let within: [(usize, usize, LinkKind); 5] =
        [(0, 4, LinkKind::Implements), (4, 6, LinkKind::Supports), (1, 13, LinkKind::DependsOn), (10, 2, LinkKind::Supports), (6, 0, LinkKind::DependsOn)];
    let mut all_links = Vec::new();
    for pi in 0..w.plans.len() {
        for (a, b, kind) in within {
            all_links.push(ItemLink { id: LinkId(id()), from: w.item(pi, a).id, to: w.item(pi, b).id, kind, version: 1, created_at: now });
        }
    }
    let across: [(usize, usize, usize, usize, LinkKind); 4] =
        [(0, 0, 1, 0, LinkKind::Supports), (1, 4, 3, 1, LinkKind::DependsOn), (2, 0, 0, 5, LinkKind::Implements), (3, 9, 1, 1, LinkKind::Supports)];
    for (pa, a, pb, b, kind) in across {
        all_links.push(ItemLink { id: LinkId(id()), from: w.item(pa, a).id, to: w.item(pb, b).id, kind, version: 1, created_at: now });
    }
    for l in &all_links {
        links::insert(&tx, l).await.unwrap();
        let from = w.items.iter().flatten().find(|i| i.id == l.from).unwrap();
        let to = w.items.iter().flatten().find(|i| i.id == l.to).unwrap();
        created(&tx, "link", l.id.uuid(), from.plan, &from.marking.join(&to.marking));
        w.links.push(l.id);
    }
    for (pi, p) in w.plans.iter().enumerate() {
        let from_plan: Vec<ItemLink> = all_links.iter().filter(|l| w.items[pi].iter().any(|i| i.id == l.from)).cloned().collect();
        let mut tree: Vec<Item> = items::of_plan(&tx.unfiltered(), p.id).await.unwrap();
        versions::insert(&tx, id(), p.id, 1, now, &Snapshot::of(p, &tree, &from_plan)).await.unwrap();
        tree.truncate(8);
        versions::insert(&tx, id(), p.id, 2, now, &Snapshot::of(p, &tree, &from_plan)).await.unwrap();
        tx.record(ChangeDraft::marked("plan", p.id.uuid(), Some(p.id), 2, "agree", Some((&p.marking, json!({}))), Some((&p.marking, json!({ "v": 2 })))));
    }
    // Item changes whose rows carry the join of two markings.
    for pi in 0..w.plans.len() {
        for n in [1, 7, 12] {
            let i = w.item(pi, n);
            let after = combo((n + 4) % ITEMS);
            tx.record(ChangeDraft::marked(
                "item",
                i.id.uuid(),
                Some(i.plan),
                2,
                "update",
                Some((&i.marking, json!({ "n": n }))),
                Some((&after, json!({ "n": n }))),
            ));
        }
    }
    w.gone_offer = id();
    let m = mk(Level::NatoUnclassified, &["SRB"]);
    tx.record(ChangeDraft::marked("offer", w.gone_offer, Some(w.plans[1].id), 1, "create", None, Some((&m, json!({})))));
    tx.record(ChangeDraft::marked("offer", w.gone_offer, Some(w.plans[1].id), 1, "delete", Some((&m, json!({}))), None));
    w.export = id();
    for p in &w.plans {
        tx.record(ChangeDraft {
            entity: "export",
            entity_id: w.export,
            plan: None,
            version: 1,
            action: "export",
            before: None,
            after: Some(json!({})),
            marking: Some(p.marking.clone()),
        });
    }
    tx.record(ChangeDraft::unmarked("user", w.users[1].id.uuid(), 1, "login", None, None));
    tx.commit(&prov(Some(w.coord()), now)).await.unwrap();
    w
}

/// Everything inside plan `pi`.
async fn plan_content(db: &Db, w: &mut World, pi: usize, now: Timestamp) {
    let tx = db.begin().await.unwrap();
    let plan = w.plans[pi].clone();
    let pid = plan.id;
    let author = w.users[1].clone();

    // Items: every level × releasability, in a tree (roots first, so that parents exist).
    let mut made: Vec<Option<Item>> = vec![None; ITEMS];
    let mut next_position: HashMap<Option<usize>, u32> = HashMap::new();
    let order: Vec<usize> = ROOTS.iter().copied().chain((0..ITEMS).filter(|n| !ROOTS.contains(n))).collect();
    for n in order {
        let parent = parent_of(n);
        let depth = parent.map_or(0, |p| made[p].as_ref().unwrap().depth + 1);
        let pos = next_position.entry(parent).or_default();
        let position = *pos;
        *pos += 1;
        let mut areas = Vec::new();
        if n % 5 == 0 {
            areas.push("cyber".to_string());
        }
        if n % 3 == 1 {
            areas.push("defence".to_string());
        }
        if n == 12 {
            areas.push("secret-area".to_string());
        }
        let i = Item {
            id: ItemId(id()),
            plan: pid,
            parent: parent.map(|p| made[p].as_ref().unwrap().id),
            level: format!("level{depth}"),
            depth,
            code: format!("C{pi}.{n}"),
            title: Text::new("en", &format!("Item {n}")),
            description: Text::default(),
            areas,
            lead_organisation: (n % 4 == 1).then_some(w.partner()),
            contributing_organisations: if n % 5 == 2 { vec![w.ally_a()] } else { vec![] },
            start: None,
            due: None,
            status: if n % 2 == 0 { ItemStatus::Planned } else { ItemStatus::InProgress },
            weight: 1,
            gender_marker: GenderMarker::NotTargeted,
            marking: combo(n),
            position,
            version: 1,
            created_at: now,
            updated_at: now,
        };
        items::insert(&tx, &i, &format!("tmp{n:03}")).await.unwrap();
        created(&tx, "item", i.id.uuid(), pid, &i.marking);
        made[n] = Some(i);
    }
    items::rebuild_tree_keys(&tx, pid).await.unwrap();
    let its: Vec<Item> = made.into_iter().map(Option::unwrap).collect();

    // Plan-level records, one per record marking.
    for k in 0..6 {
        let m = record_marking(k);
        let d = Decision {
            id: DecisionId(id()),
            plan: pid,
            kind: DecisionKind::Presented,
            date: day(2015, 1 + u32::try_from(k).unwrap(), 1),
            body: Text::new("en", "Council"),
            reference: format!("REF-{k}"),
            note: Text::default(),
            marking: m.clone(),
            version: 1,
            created_at: now,
            updated_at: now,
        };
        decisions::insert(&tx, &d).await.unwrap();
        created(&tx, "decision", d.id.uuid(), pid, &m);
        w.decisions.push(d.id);

        let bytes = format!("attachment {pi}/{k}").into_bytes();
        let a = Attachment {
            id: AttachmentId(id()),
            plan: pid,
            name: format!("file-{k}.txt"),
            media_type: "text/plain".into(),
            size: bytes.len() as u64,
            sha256: sha(&bytes),
            marking: m.clone(),
            uploaded_by: author.id,
            version: 1,
            created_at: now,
        };
        attachments::insert(&tx, &a, &bytes, Some("scanned attendance list")).await.unwrap();
        created(&tx, "attachment", a.id.uuid(), pid, &m);
        w.attachments.push(a.id);

        let req = AssistanceRequest {
            id: RequestId(id()),
            plan: pid,
            title: Text::new("en", "Need"),
            need: "help".into(),
            kind: AssistanceKind::Training,
            period: plan.period,
            priority: Priority::High,
            items: vec![its[k].id],
            state: RequestState::Open,
            requested_by: w.partner(),
            marking: m.clone(),
            version: 1,
            created_at: now,
            updated_at: now,
        };
        assistance::insert_request(&tx, &req).await.unwrap();
        created(&tx, "request", req.id.uuid(), pid, &m);
        w.requests.push(req.id);

        let organiser = [Some(w.ally_a()), Some(w.ally_b()), None, Some(w.partner()), Some(w.ally_a()), Some(w.ally_b())][k];
        let first = day(2015, 3, 1) + Duration::days(i64::try_from(pi * 10 + k).unwrap());
        let act = Activity {
            id: ActivityId(id()),
            plan: pid,
            kind: ActivityKind::Course,
            title: Text::new("en", "Course"),
            description: String::new(),
            dates: Period { start: first, end: first },
            place: "Belgrade".into(),
            organiser,
            items: vec![its[k].id],
            offer: None,
            participants: Participants { women: 3, men: 4 },
            catalogue_ref: String::new(),
            outcome: String::new(),
            feedback: String::new(),
            marking: m.clone(),
            version: 1,
            created_at: now,
            updated_at: now,
        };
        activities::insert(&tx, &act).await.unwrap();
        created(&tx, "activity", act.id.uuid(), pid, &m);
        w.activities.push(act.id);

        // Notifications for the coordinator and the partner editor, some read, some to send.
        for (ui, u) in [w.users[0].id, w.users[1].id].into_iter().enumerate() {
            let n = Notification {
                id: NotificationId(id()),
                user: u,
                plan: Some(pid),
                marking: m.clone(),
                kind: "reminder".into(),
                subject: format!("Reminder {pi}/{k}"),
                body: String::new(),
                link: "/".into(),
                email_state: if (k + ui) % 2 == 0 { "pending".into() } else { "none".into() },
                dedup_key: format!("reminder-{pi}-{k}-{ui}"),
                email_attempts: 0,
                created_at: now,
                read_at: None,
            };
            assert!(notifications::add(&tx, &n).await.unwrap());
            if k % 3 == 1 {
                notifications::mark_read(&tx, u, Some(n.id), now).await.unwrap();
            }
            if k == 2 && ui == 0 {
                // Pending again after a failure: one attempt made.
                notifications::email_outcome(&tx, n.id, Some("refused".into()), Some(now)).await.unwrap();
            }
            w.notifications.push(n.id);
        }
    }

    // Offers by two Allies: A's shared with B, B's unshared, A's unshared, B's shared with A.
    let offers: [(OrganisationId, Vec<OrganisationId>, usize); 4] =
        [(w.ally_a(), vec![w.ally_b()], 0), (w.ally_b(), vec![], 1), (w.ally_a(), vec![], 3), (w.ally_b(), vec![w.ally_a()], 4)];
    for (by, shared_with, k) in offers {
        let m = record_marking(k);
        let o = AssistanceOffer {
            id: OfferId(id()),
            plan: pid,
            offered_by: by,
            kind: AssistanceKind::Expertise,
            title: Text::new("en", "Offer"),
            description: String::new(),
            value_minor: None,
            currency: None,
            period: plan.period,
            items: vec![],
            answers: None,
            state: OfferState::Proposed,
            reason: None,
            shared_with,
            marking: m.clone(),
            created_by: w.users[2].id,
            version: 1,
            created_at: now,
            updated_at: now,
        };
        assistance::insert_offer(&tx, &o).await.unwrap();
        created(&tx, "offer", o.id.uuid(), pid, &m);
        tx.record(ChangeDraft::marked("offer", o.id.uuid(), Some(pid), 2, "update", Some((&m, json!({}))), Some((&m, json!({ "state": "proposed" })))));
        w.offers.push(o.id);
    }

    // Comments with markings lower and higher than their item's.
    for n in [0, 4, 7, 10] {
        for m in [mk(Level::Public, &[]), mk(Level::NatoUnclassified, &["PFP"]), mk(Level::NatoConfidential, &["SRB"])] {
            let c = Comment {
                id: CommentId(id()),
                plan: pid,
                item: its[n].id,
                author: author.id,
                author_name: author.display_name.clone(),
                body: "comment".into(),
                marking: m.clone(),
                version: 1,
                created_at: now,
            };
            comments::insert(&tx, &c).await.unwrap();
            created(&tx, "comment", c.id.uuid(), pid, &m);
        }
    }

    // Indicators and their figures, on visible and hidden items.
    for n in [0, 4, 7, 13] {
        let ind = Indicator {
            id: IndicatorId(id()),
            plan: pid,
            item: its[n].id,
            name: Text::new("en", "Officers trained"),
            unit: "officers".into(),
            measure: Measure::Number,
            cumulative: false,
            baseline: None,
            targets: vec![],
            dimension: None,
            version: 1,
            created_at: now,
            updated_at: now,
        };
        indicators::insert(&tx, &ind).await.unwrap();
        created(&tx, "indicator", ind.id.uuid(), pid, &its[n].marking);
        w.indicators.push(ind.id);
        for (k, period) in ["2015-H1", "2015-H2"].into_iter().enumerate() {
            let value = Value { value: Some((n * 10 + k) as f64), denominator: None, text: None, by_category: BTreeMap::new() };
            let m = Measurement {
                id: MeasurementId(id()),
                indicator: ind.id,
                period: period.into(),
                value,
                note: String::new(),
                evidence: vec![],
                version: 1,
                created_at: now,
                updated_at: now,
            };
            indicators::insert_measurement(&tx, &m, pid).await.unwrap();
            created(&tx, "measurement", m.id.uuid(), pid, &its[n].marking);
            w.measurements.push(m.id);
        }
    }

    // Progress updates whose own marking is lower and higher than the item's.
    for n in [0, 4, 6, 10] {
        for (period, m) in
            [("2015-H1", mk(Level::Public, &[])), ("2015-H2", mk(Level::NatoConfidential, &["SRB"])), ("2016-H1", mk(Level::NatoUnclassified, &["PFP"]))]
        {
            let u = ProgressUpdate {
                id: UpdateId(id()),
                plan: pid,
                item: its[n].id,
                period: period.into(),
                status: ItemStatus::InProgress,
                percent: 50,
                narrative: "going".into(),
                evidence: vec![],
                state: UpdateState::Submitted,
                reason: None,
                reporter: author.id,
                reporter_name: author.display_name.clone(),
                reviewer: None,
                marking: m.clone(),
                version: 1,
                created_at: now,
                updated_at: now,
            };
            progress::insert(&tx, &u).await.unwrap();
            created(&tx, "progress_update", u.id.uuid(), pid, &m);
            w.updates.push(u.id);
        }
    }

    // Assessments of two periods, three perspectives each, rating visible and hidden items.
    for (k, (period, perspective)) in ["2015-H1", "2015-H2"].into_iter().flat_map(|p| Perspective::ALL.map(|x| (p, x))).enumerate() {
        let m = record_marking(k);
        let a = Assessment {
            id: AssessmentId(id()),
            plan: pid,
            period: period.into(),
            perspective,
            scale: Scale::Rag,
            narrative: "fine".into(),
            state: AssessmentState::Draft,
            ratings: vec![],
            author: author.id,
            author_name: author.display_name.clone(),
            marking: m.clone(),
            version: 1,
            created_at: now,
            updated_at: now,
        };
        assessments::insert(&tx, &a).await.unwrap();
        for n in [0, 4, 6, 10, 14] {
            assessments::set_rating(&tx, a.id, &Rating { item: its[n].id, rating: "green".into(), narrative: format!("{k}/{n}") }).await.unwrap();
        }
        created(&tx, "assessment", a.id.uuid(), pid, &m);
        w.assessments.push(a.id);
    }

    // Stories, published and not, with photos.
    let story_kinds = [
        (mk(Level::Public, &[]), StoryState::Published),
        (mk(Level::Public, &[]), StoryState::Draft),
        (mk(Level::NatoUnclassified, &["SRB"]), StoryState::Published),
        (mk(Level::NatoRestricted, &[]), StoryState::ReleaseReview),
    ];
    for (k, (m, state)) in story_kinds.into_iter().enumerate() {
        let s = Story {
            id: StoryId(id()),
            plan: pid,
            language: "en".into(),
            title: format!("Story {k}"),
            summary: String::new(),
            body: String::new(),
            items: vec![],
            activities: vec![],
            photos: vec![],
            state,
            reason: None,
            author: author.id,
            author_name: author.display_name.clone(),
            reviewer: None,
            published_at: (state == StoryState::Published).then(|| now - Duration::hours(i64::try_from(k).unwrap())),
            marking: m.clone(),
            version: 1,
            created_at: now,
            updated_at: now,
        };
        stories::insert(&tx, &s).await.unwrap();
        created(&tx, "story", s.id.uuid(), pid, &m);
        for position in 0..(if k == 0 { 2 } else { 1 }) {
            let (web, thumb) = (format!("web {pi}/{k}/{position}").into_bytes(), format!("thumb {pi}/{k}/{position}").into_bytes());
            let p = Photo {
                id: PhotoId(id()),
                caption: "A photo".into(),
                credit: "NATO".into(),
                width: 800,
                height: 600,
                web_sha256: sha(&web),
                thumb_sha256: sha(&thumb),
            };
            stories::add_photo(&tx, s.id, position, &p, &web, &thumb).await.unwrap();
            w.photos.push(p.id);
        }
        w.stories.push(s.id);
    }

    // Reporting periods, approvals.
    for (key, starts, ends, locked) in [
        ("2015-H1", day(2015, 1, 1), day(2015, 6, 30), false),
        ("2015-H2", day(2015, 7, 1), day(2015, 12, 31), true),
        ("2016-H1", day(2016, 1, 1), day(2016, 6, 30), false),
    ] {
        let p = ReportingPeriod {
            id: PeriodId(id()),
            plan: pid,
            key: key.into(),
            starts,
            ends,
            due: ends + Duration::days(30),
            locked,
            version: 1,
            created_at: now,
            updated_at: now,
        };
        calendar::insert(&tx, &p).await.unwrap();
        created(&tx, "reporting_period", p.id.uuid(), pid, &plan.marking);
    }
    for (side, u, round) in [(Side::Owner, w.coord(), 1), (Side::Partner, w.partner_editor(), 1), (Side::Owner, w.coord(), 2)] {
        let a = Approval { side, user: u, at: now, round, content_hash: format!("hash-{round}") };
        plans::insert_approval(&tx, id(), pid, &a).await.unwrap();
    }
    tx.commit(&prov(Some(w.coord()), now)).await.unwrap();
    w.items.push(its);
}

/// The facts the placements are computed from, read back unfiltered.
async fn facts(u: &Reader<'_>, w: &World) -> Facts {
    let mut f = Facts::default();
    for p in &w.plans {
        let p = plans::get(u, p.id).await.unwrap().unwrap();
        let on_portal = stories::portal(u, p.id).await.unwrap().is_some_and(|x| x.published);
        f.plans.insert(p.id, (p.marking.clone(), on_portal));
        f.plan_codes.insert(p.id, p.code.clone());
        for i in items::of_plan(u, p.id).await.unwrap() {
            f.tree_keys.insert(i.id, items::tree_key_of(u, i.id).await.unwrap().unwrap());
            f.items.insert(i.id, i);
        }
        for i in indicators::of_plan(u, p.id).await.unwrap() {
            f.indicators.insert(i.id, i.item);
        }
        for o in assistance::offers_of(u, p.id).await.unwrap() {
            f.offers.insert(o.id.uuid(), (o.offered_by, o.shared_with.clone()));
        }
        for a in assessments::of_plan(u, p.id, None).await.unwrap() {
            f.assessments.insert(a.id, (a.plan, a.marking.clone()));
        }
        for s in stories::of_plan(u, p.id, None).await.unwrap() {
            for ph in &s.photos {
                f.photos.insert(ph.id, s.id);
            }
            f.stories.insert(s.id, (s.plan, s.marking.clone()));
        }
        for a in attachments::of_plan(u, p.id, u64::from(BIG)).await.unwrap() {
            f.attachments.insert(a.id, (a.plan, a.marking.clone()));
        }
        for x in progress::of_plan(u, p.id, None).await.unwrap() {
            f.updates.insert(x.id, x);
        }
    }
    for user in &w.users {
        for n in notifications::of_user(u, user.id, u64::from(BIG)).await.unwrap() {
            f.notifications.insert(n.id, n);
        }
    }
    for c in changes::in_order(u, 0, u64::from(BIG)).await.unwrap() {
        f.changes.insert(c.seq, c);
    }
    assert_eq!(f.items.len(), w.plans.len() * ITEMS, "every item is read back");
    assert_eq!(f.photos.len(), w.photos.len(), "every photo is read back");
    f
}

// ---------------------------------------------------------------------------------------------
// The readers.
// ---------------------------------------------------------------------------------------------

/// A deterministic sample of every combination of clearance, release, plan scope and Ally
/// scope that covers each value of each dimension, and the readers real people get.
fn readers(w: &World) -> Vec<(String, ReadFilter)> {
    let p: Vec<PlanId> = w.plans.iter().map(|p| p.id).collect();
    let releases: Vec<(&str, Release)> = vec![
        ("any", Release::Any),
        ("SRB", Release::Tokens(vec!["SRB".into()])),
        ("SRB+PFP", Release::Tokens(vec!["SRB".into(), "PFP".into()])),
        ("NOR", Release::Tokens(vec!["NOR".into()])),
        ("none", Release::Tokens(vec![])),
    ];
    let scopes: Vec<(&str, PlanScope)> = vec![
        ("all", PlanScope::All),
        ("only 0,1,3", PlanScope::Only(vec![p[0], p[1], p[3]])),
        ("only 2", PlanScope::Only(vec![p[2]])),
        ("only none", PlanScope::Only(vec![])),
        ("portal 1 (published)", PlanScope::Portal(p[1])),
        ("portal 2 (unpublished)", PlanScope::Portal(p[2])),
        ("portal 0 (no portal)", PlanScope::Portal(p[0])),
    ];
    let allies: Vec<(&str, Option<OrganisationId>)> = vec![("-", None), ("A", Some(w.ally_a())), ("B", Some(w.ally_b()))];
    let mut grid = Vec::new();
    for level in Level::NATO {
        for (rn, release) in &releases {
            for (sn, scope) in &scopes {
                for (an, ally) in &allies {
                    let label = format!("clearance {level:?}, release {rn}, plans {sn}, ally {an}");
                    grid.push((label, ReadFilter { max_rank: level.rank(), release: release.clone(), plans: scope.clone(), ally_scope: *ally }));
                }
            }
        }
    }
    // A fixed shuffle (xorshift), then the first 72.
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    for i in (1..grid.len()).rev() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        grid.swap(i, usize::try_from(state % (i as u64 + 1)).unwrap());
    }
    let mut out: Vec<(String, ReadFilter)> = grid.into_iter().take(72).collect();
    // Every value of every dimension must be there.
    for level in Level::NATO {
        assert!(out.iter().any(|(_, f)| f.max_rank == level.rank()), "the sample lacks clearance {level:?}");
    }
    for (rn, release) in &releases {
        assert!(out.iter().any(|(_, f)| &f.release == release), "the sample lacks release {rn}");
    }
    for (sn, scope) in &scopes {
        assert!(out.iter().any(|(_, f)| &f.plans == scope), "the sample lacks plan scope {sn}");
    }
    for (an, ally) in &allies {
        assert!(out.iter().any(|(_, f)| &f.ally_scope == ally), "the sample lacks ally scope {an}");
    }

    // The realistic ones.
    let groups = ReleaseGroups([("PFP".to_string(), vec!["SRB".to_string(), "AUT".to_string()])].into());
    let subject = |u: usize, kind: OrgKind, country: &str| {
        let user = &w.users[u];
        let memberships: BTreeMap<PlanId, Role> = match u {
            0 => p.iter().map(|x| (*x, Role::Coordinator)).collect(),
            1 => [0, 1, 3].iter().map(|i| (p[*i], Role::PartnerEditor)).collect(),
            2 => [0, 1].iter().map(|i| (p[*i], Role::AllyContributor)).collect(),
            3 => [1, 2].iter().map(|i| (p[*i], Role::AllyContributor)).collect(),
            5 => [(p[1], Role::Assessor)].into(),
            _ => BTreeMap::new(),
        };
        Subject {
            user: user.id,
            organisation: user.organisation,
            org_kind: kind,
            release_tokens: groups.tokens_for(Some(country)),
            clearance: user.clearance,
            global_roles: user.global_roles.clone(),
            memberships,
        }
        .read_filter()
    };
    out.push(("the coordinator".into(), subject(0, OrgKind::LiaisonOffice, "BEL")));
    out.push(("the partner editor".into(), subject(1, OrgKind::PartnerGovernment, "SRB")));
    out.push(("Ally A's contributor".into(), subject(2, OrgKind::Ally, "NOR")));
    out.push(("Ally B's contributor".into(), subject(3, OrgKind::Ally, "NLD")));
    out.push(("the security officer".into(), subject(4, OrgKind::AllianceBody, "BEL")));
    out.push(("the assessor".into(), subject(5, OrgKind::CivilSociety, "SRB")));
    for (k, plan) in p.iter().enumerate() {
        out.push((format!("the public of plan {k}"), ReadFilter::public(*plan)));
    }
    // Full clearance with a narrower scope: the SQL leaves out the marking conditions then.
    let full = |plans: PlanScope, ally_scope: Option<OrganisationId>| ReadFilter { max_rank: u8::MAX, release: Release::Any, plans, ally_scope };
    out.push(("full clearance, only plan 1".into(), full(PlanScope::Only(vec![p[1]]), None)));
    out.push(("full clearance, all plans, ally A".into(), full(PlanScope::All, Some(w.ally_a()))));
    out.push(("full clearance, portal 1".into(), full(PlanScope::Portal(p[1]), None)));
    out.push(("everything".into(), ReadFilter::everything()));
    let mut distinct: Vec<(String, ReadFilter)> = Vec::new();
    for (label, f) in out {
        if !distinct.iter().any(|(_, g)| *g == f) {
            distinct.push((label, f));
        }
    }
    distinct
}

// ---------------------------------------------------------------------------------------------
// The cases.
// ---------------------------------------------------------------------------------------------

/// Every `step`-th of `v`, from `from`.
fn some<T: Copy>(v: &[T], from: usize, step: usize) -> impl Iterator<Item = T> + '_ {
    v.iter().copied().skip(from).step_by(step)
}

/// The case table. Single records (`get`) are sampled across plans and markings; lists are read
/// for every plan, so that each marking of each plan meets every reader there.
fn cases(w: &World, fx: &Facts) -> Vec<Call> {
    use Call::*;
    let mut c = Vec::new();
    let ps: Vec<PlanId> = w.plans.iter().map(|p| p.id).collect();
    let all_items: Vec<ItemId> = w.items.iter().flatten().map(|i| i.id).collect();
    let item = |pi: usize, n: usize| w.item(pi, n).id;
    let nobody = Uuid::now_v7();

    // Plan-level records with their own marking: six markings per plan, sampled across plans.
    c.extend(some(&w.activities, 0, 5).map(ActivityGet));
    c.extend(ps.iter().map(|p| ActivitiesOfPlan(*p)));
    c.extend([w.ally_a(), w.ally_b(), w.partner(), w.owner()].map(ActivitiesOfOrganiser));
    c.extend(some(&w.decisions, 1, 5).map(DecisionGet));
    c.extend(ps.iter().map(|p| DecisionsOfPlan(*p)));
    c.extend(some(&w.requests, 2, 5).map(RequestGet));
    c.extend(ps.iter().map(|p| RequestsOf(*p)));
    c.extend(some(&w.attachments, 3, 5).map(AttachmentGet));
    c.push(AttachmentsGetMany(w.attachments.iter().copied().chain([AttachmentId(nobody)]).collect()));
    c.push(AttachmentsGetMany(vec![]));
    c.extend(some(&w.attachments, 4, 5).map(AttachmentContent));
    for p in &ps {
        c.push(AttachmentsOfPlan(*p, 2));
        c.push(AttachmentsOfPlan(*p, 100));
    }

    // Offers: each plan has A's shared with B, B's unshared, A's unshared, B's shared with A.
    c.extend(w.offers[4..12].iter().map(|o| OfferGet(*o)));
    c.extend(ps.iter().map(|p| OffersOf(*p)));

    // The directory.
    c.extend(["cyber", "nowhere"].map(|a| AreaGet(a.into())));
    c.push(AreasAll);
    c.push(AreasUnknown(vec!["cyber".into(), "nowhere".into(), "secret-area".into()]));
    c.extend(["custom", "ipap"].map(|x| FrameworkGet(x.into())));
    c.push(FrameworksAll);
    c.extend([w.session_hashes[1].clone(), "no-such-session".into()].map(FindSession));
    c.extend([w.token_hashes[1].clone(), "no-such-token".into()].map(FindToken));
    c.extend(w.tokens.iter().take(2).map(|t| GetToken(*t)));
    c.extend(w.users.iter().take(2).map(|u| TokensOf(u.id)));
    c.extend([0, 3].map(|k| OrgGet(w.orgs[k].id)));
    c.push(OrgsGetMany(w.orgs.iter().map(|o| o.id).step_by(2).chain([OrganisationId(nobody)]).collect()));
    c.push(OrgsList(None, 3));
    c.push(OrgsList(Some(w.orgs[2].id.uuid()), 1000));
    c.push(OrgsAll);
    c.push(OrgIsAncestor(w.partner(), w.unit()));
    c.push(OrgIsAncestor(w.unit(), w.partner()));
    c.extend(["MFA", "nobody"].map(|s| OrgByShortName(s.into())));
    c.extend([0, 4].map(|k| UserGet(w.users[k].id)));
    c.push(UserByEmail(w.users[2].email.to_uppercase()));
    c.push(UserByEmail("nobody@example.org".into()));
    c.push(Credentials(w.users[1].email.clone()));
    c.push(UsersList(None, 4));
    c.push(UsersList(Some(w.users[1].id.uuid()), 1000));
    c.push(UsersCount);
    // The second factor and mail preferences of accounts: like sessions, the same for every reader.
    c.extend(w.users.iter().take(2).flat_map(|u| [MailDigest(u.id), TotpOf(u.id), RecoveryLeft(u.id), PasskeysOf(u.id), PasskeyCount(u.id)]));
    c.extend(["credential-0".to_string(), "no-such-credential".into()].map(CredentialTaken));
    c.extend([w.challenge_hash.clone(), "no-such-challenge".into()].map(FindChallenge));
    c.extend([("mod", "sub-0"), ("mod", "nobody"), ("other", "sub-0")].map(|(p, s)| SsoLinkedUser(p.into(), s.into())));
    // Imports: each as its uploader, as someone else, and one that does not exist.
    for (owner, import) in &w.imports {
        c.push(ImportGet(*owner, *import));
        c.push(ImportContent(*owner, *import));
        c.push(ImportGet(w.users[4].id, *import));
        c.push(ImportContent(w.users[4].id, *import));
        for (u, after) in [(*owner, None), (*owner, Some((2, 1, 1))), (w.users[4].id, None)] {
            c.push(ImportProblems(u, *import, after));
        }
        for (u, after) in [(*owner, None), (*owner, Some(0)), (w.users[4].id, None)] {
            c.push(ImportActivities(u, *import, after));
        }
    }
    c.push(ImportGet(w.users[0].id, nobody));

    // Plans, their approvals, periods, members, portals and versions.
    for p in &w.plans {
        c.push(PlanGet(p.id));
        c.push(PlanSuccessors(p.id));
        c.push(PlanByCode(p.code.to_lowercase()));
        c.push(PlanCodeTaken(p.code.clone(), None));
        c.push(PlanCodeTaken(p.code.clone(), Some(p.id)));
        c.push(Approvals(p.id, 1));
        c.push(PeriodsOfPlan(p.id));
        c.push(MembersOfPlan(p.id));
        c.push(PortalOf(p.id));
        c.push(VersionsList(p.id));
        c.push(VersionGet(p.id, 1));
        c.push(VersionGet(p.id, 2));
    }
    c.push(VersionGet(ps[0], 3));
    c.push(Approvals(ps[1], 2));
    c.push(PlanByCode("nope".into()));
    c.push(PlansList(None, None, 1000));
    c.push(PlansList(None, None, 2));
    c.push(PlansList(Some(PlanState::Implementation), None, 1000));
    c.push(PlansList(None, Some(ps[0].uuid()), 2));
    c.push(PlansCountVisible);
    c.push(PublishedPortals);
    c.push(PeriodsEndingBetween(day(2015, 1, 1), day(2016, 12, 31)));
    c.push(PeriodsEndingBetween(day(2015, 6, 1), day(2015, 12, 31)));
    for u in w.users.iter().take(4) {
        c.push(RolesOf(u.id));
    }
    for (k, p) in ps.iter().enumerate() {
        c.push(MembershipGet(*p, w.users[k % 4].id));
    }

    // Items: every marking of every plan meets every reader through the lists.
    c.extend(some(&all_items, 0, 3).map(ItemGet));
    c.extend(some(&all_items, 1, 7).map(ItemGetWithPlan));
    c.extend(some(&all_items, 2, 8).map(ItemTreeKey));
    c.push(ItemsGetMany(some(&all_items, 0, 2).chain([ItemId(nobody)]).collect()));
    c.push(ItemsGetMany(vec![]));
    let queries = [
        ItemQuery::default(),
        ItemQuery { parent: Some(None), ..Default::default() },
        ItemQuery { area: Some("cyber".into()), ..Default::default() },
        ItemQuery { text: Some("item 1".into()), ..Default::default() },
    ];
    for (pi, p) in ps.iter().enumerate() {
        c.push(ItemsOfPlan(*p));
        for q in &queries {
            c.push(ItemsList(*p, q.clone(), None, 1000));
        }
        c.push(ItemsCount(*p, ItemQuery::default()));
        c.push(ItemsCount(*p, ItemQuery { organisation: Some(w.partner()), ..Default::default() }));
        c.push(ItemsList(*p, ItemQuery { depth: Some(2), ..Default::default() }, None, 2));
        // The second page after item 4, whatever the reader sees of item 4 itself.
        let after = item(pi, 4);
        c.push(ItemsList(*p, ItemQuery::default(), Some((fx.tree_keys[&after].clone(), after.uuid())), 3));
        c.push(ItemChildren(*p, None));
        c.push(ItemChildren(*p, Some(item(pi, ROOTS[pi]))));
        c.push(ItemChildren(*p, Some(item(pi, 2))));
        c.push(ItemChildCount(item(pi, 8)));
        c.push(ItemChildCount(item(pi, 3)));
        let n = [0, 5, 12, 10][pi];
        c.push(ItemCodeTaken(*p, item_code(w, pi, n).to_lowercase(), None));
        c.push(ItemCodeTaken(*p, item_code(w, pi, n), Some(item(pi, n))));
        c.push(ItemByCode(*p, item_code(w, pi, n)));
        c.push(ItemByCode(*p, item_code(w, pi, 1)));
    }
    c.push(ItemByCode(ps[0], "C9.99".into()));
    c.push(ItemCodeTaken(ps[0], "C9.99".into(), None));
    c.extend(["cyber", "defence", "secret-area", "nowhere"].map(|a| AreaInUse(a.into())));

    // Links within plans and across them: both ends count.
    c.extend(some(&w.links, 0, 3).map(LinkGet));
    for pi in 0..ps.len() {
        c.extend([0, 1].map(|n| LinksOfItem(item(pi, n))));
        c.push(LinksFromItems(w.items[pi].iter().map(|i| i.id).collect()));
    }
    c.push(LinksFromItems(vec![]));
    c.extend(LinkKind::ALL.map(LinksOfKind));

    // Records of items: comments, indicators, figures, reports, ratings.
    for pi in 0..ps.len() {
        c.extend([0, 7, 10].map(|n| CommentsOfItem(item(pi, n))));
        c.extend([0, 13].map(|n| IndicatorsOfItem(item(pi, n))));
        c.push(IndicatorCountOfItem(item(pi, [0, 4, 7, 13][pi])));
        c.extend([0, 10].map(|n| UpdatesOfItem(item(pi, n))));
        c.push(UpdatesCountOfItem(item(pi, [4, 6, 10, 0][pi])));
        c.push(UpdateExistsFor(item(pi, [0, 4, 6, 10][pi]), "2015-H2".into()));
        c.push(UpdateExistsFor(item(pi, [6, 10, 0, 4][pi]), "2016-H1".into()));
        c.extend([0, 10].map(|n| RatingsOfItem(item(pi, n))));
    }
    for p in &ps {
        c.push(IndicatorsOfPlan(*p));
        c.push(MeasurementsOfPlan(*p));
        c.push(ValuesOfPlan(*p));
        c.push(UpdatesOfPlan(*p, None));
        c.push(UpdatesOfPlan(*p, Some("2015-H1".into())));
        c.push(UpdatesCountOfPeriod(*p, "2015-H2".into()));
        c.push(AssessmentsOfPlan(*p, None));
        c.push(AssessmentsOfPlan(*p, Some("2015-H2".into())));
    }
    c.extend(some(&w.indicators, 0, 2).map(IndicatorGet));
    c.extend(some(&w.indicators, 1, 2).map(MeasurementsOf));
    c.extend(some(&w.measurements, 0, 4).map(MeasurementGet));
    c.extend(some(&w.updates, 0, 5).map(UpdateGet));
    c.extend(some(&w.assessments, 0, 5).map(AssessmentGet));

    // Notifications of the coordinator and the partner editor (and of Ally A's member: none).
    c.extend(some(&w.notifications, 0, 5).map(NotificationGet));
    for u in w.users.iter().take(3) {
        c.push(NotificationsOfUser(u.id, 1000));
        c.push(UnreadCount(u.id));
    }
    c.push(NotificationsOfUser(w.coord(), 3));
    c.extend([(3, 1000), (1, 1000), (3, 2)].map(|(a, l)| PendingEmail(a, l)));
    c.extend([3, 1].map(PendingEmailCount));

    // Stories, photos.
    c.extend(some(&w.stories, 0, 2).map(StoryGet));
    c.extend(some(&w.stories, 1, 4).map(StoryPlanOf));
    for p in &ps {
        c.push(StoriesOfPlan(*p, None));
        c.push(StoriesOfPlan(*p, Some(StoryState::Published)));
    }
    c.extend(some(&w.photos, 0, 2).map(PhotoStory));
    c.extend(some(&w.photos, 1, 4).map(|p| PhotoContent(p, PhotoSize::Web)));
    c.extend(some(&w.photos, 3, 4).map(|p| PhotoContent(p, PhotoSize::Thumb)));

    // Change rows: of plans, of items at many markings, of offers (also of one that is gone), of
    // directory records, and a marked row of no plan.
    let mut entities: Vec<Uuid> = ps.iter().map(|p| p.uuid()).collect();
    for (pi, ns) in [(0, &[4][..]), (1, &[0, 7, 12][..]), (2, &[1][..]), (3, &[0, 14][..])] {
        entities.extend(ns.iter().map(|n| item(pi, *n).uuid()));
    }
    entities.extend(w.offers[4..8].iter().map(|o| o.uuid()));
    entities.extend([w.gone_offer, w.export, w.ally_a().uuid(), w.users[1].id.uuid(), nobody]);
    for e in &entities {
        c.push(History(*e, None, 100));
    }
    for e in entities.iter().step_by(2) {
        c.push(LatestOf(*e));
    }
    let head = *fx.changes.keys().max().unwrap();
    c.push(History(item(1, 1).uuid(), None, 1));
    c.push(History(w.offers[5].uuid(), None, 1));
    c.push(History(item(2, 7).uuid(), Some(head), 1));
    let queries = [
        AuditQuery::default(),
        AuditQuery { entity: Some("item".into()), ..Default::default() },
        AuditQuery { entity: Some("offer".into()), ..Default::default() },
        AuditQuery { plan: Some(ps[1]), ..Default::default() },
        AuditQuery { plan: Some(ps[3]), ..Default::default() },
        AuditQuery { action: Some("update".into()), ..Default::default() },
        AuditQuery { actor: Some(w.coord()), ..Default::default() },
        AuditQuery { entity_id: Some(w.export), ..Default::default() },
        AuditQuery { from: Some(w.times[2]), to: Some(w.times[4]), ..Default::default() },
    ];
    for q in queries {
        c.push(Audit(q, None, 1000));
    }
    c.push(Audit(AuditQuery::default(), None, 5));
    c.push(Audit(AuditQuery::default(), Some(w.mid_seq), 10));
    c.push(Audit(AuditQuery { entity: Some("offer".into()), ..Default::default() }, Some(head), 3));
    c.push(InOrder(0, u64::from(BIG)));
    c.push(InOrder(w.mid_seq, 7));
    for seq in [0, w.mid_seq] {
        c.push(EntitiesSince(seq));
    }
    for p in &ps {
        c.push(EntitiesOfPlanSince(*p, 0));
        c.push(LastOfPlan(*p));
    }
    c.push(EntitiesOfPlanSince(ps[1], w.mid_seq));
    c
}

fn item_code(w: &World, pi: usize, n: usize) -> String {
    w.item(pi, n).code.clone()
}

// ---------------------------------------------------------------------------------------------
// The coverage guard: every reader method of the store has a case.
// ---------------------------------------------------------------------------------------------

/// Reader methods that are not about records, so that no reader's answer differs.
const EXEMPT: &[(&str, &str)] = &[
    // The recorded head of the audit chain: its position, the same for every reader (only the
    // change watcher and the verifier ask).
    ("changes::head", "the chain position, not a record"),
    // Search answers records of every kind: `search_finds_what_each_kinds_own_reader_shows`
    // checks each hit, total and facet against the reader of the hit's own kind, for every
    // reader here.
    ("search::find", "checked against each kind's own reader in its own test below"),
];

/// Modules of unmarked directory records, which every reader reads alike.
const DIRECTORY: &[&str] = &["areas", "auth", "frameworks", "imports", "organisations", "second_factor", "sso", "users"];

/// The `pub async fn NAME(r: &Reader…` of one module's source, as `module::NAME` (signatures
/// may span lines).
fn reader_methods_in(module: &str, src: &str) -> Vec<String> {
    const START: &str = "pub async fn ";
    let mut out = Vec::new();
    let mut rest = src;
    while let Some(at) = rest.find(START) {
        rest = &rest[at + START.len()..];
        let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
        let Some(open) = rest.find('(') else { break };
        let params = &rest[open + 1..];
        let first = &params[..params.find([',', ')']).unwrap_or(params.len())];
        let first: String = first.split_whitespace().collect();
        if first.split_once(':').is_some_and(|(_, ty)| ty.starts_with('&') && ty.contains("Reader")) {
            out.push(format!("{module}::{name}"));
        }
    }
    out
}

/// Every reader method in `crates/store/src/*.rs`, read at test time.
fn reader_methods() -> BTreeSet<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out = BTreeSet::new();
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "rs") {
            let module = path.file_stem().unwrap().to_string_lossy().to_string();
            let src = std::fs::read_to_string(&path).unwrap();
            out.extend(reader_methods_in(&module, &src));
        }
    }
    out
}

#[test]
fn the_guard_finds_reader_methods_however_they_are_written() {
    let src = "pub async fn one(r: &Reader<'_>, id: ItemId) -> Result<()> {}\n\
               pub async fn two(\n    reader: &crate::Reader<'_>,\n    id: ItemId,\n) -> Result<()> {}\n\
               pub async fn three(tx: &Tx, r: &Reader<'_>) {}\n\
               pub(crate) async fn four(r: &Reader<'_>) {}\n\
               pub async fn five(r: &Reader<'_>) {}\n";
    assert_eq!(reader_methods_in("m", src), vec!["m::one", "m::two", "m::five"]);
    let all = reader_methods();
    assert!(all.len() > 90 && all.contains("items::list") && all.contains("changes::head"), "{all:?}");
}

// ---------------------------------------------------------------------------------------------
// The test.
// ---------------------------------------------------------------------------------------------

fn nonempty(o: &Out) -> bool {
    match o {
        Out::Rows(r) => !r.is_empty(),
        Out::Num(n) => *n > 0,
        Out::Flag(b) => *b,
    }
}

fn difference(got: &Out, want: &Out) -> String {
    match (got, want) {
        (Out::Rows(g), Out::Rows(e)) => {
            let gk: BTreeSet<&String> = g.iter().map(|(k, _)| k).collect();
            let ek: BTreeSet<&String> = e.iter().map(|(k, _)| k).collect();
            let extra: Vec<_> = gk.difference(&ek).collect();
            let missing: Vec<_> = ek.difference(&gk).collect();
            if extra.is_empty() && missing.is_empty() {
                let first = g.iter().zip(e).find(|(a, b)| a != b);
                format!("same records, but content or order differs (first difference: got {:?}, want {:?})", first.map(|x| x.0), first.map(|x| x.1))
            } else {
                format!("shown but hidden by the rule: {extra:?}; hidden but admitted by the rule: {missing:?}")
            }
        }
        _ => format!("got {got:?}, want {want:?}"),
    }
}

/// What one group of readers found.
#[derive(Default)]
struct Stats {
    runs: usize,
    partial: usize,
    failures: Vec<String>,
    failing: BTreeSet<&'static str>,
    /// Methods that showed something to a filtered reader.
    shown: BTreeSet<&'static str>,
    /// Methods that hid something from a reader.
    hidden: BTreeSet<&'static str>,
}

/// The world as the readers are checked against it.
struct Expected {
    facts: Facts,
    table: Vec<Call>,
    /// The unfiltered rows of each case.
    sources: Vec<Vec<Row>>,
    /// What a reader that sees everything gets for each case.
    full: Vec<Out>,
}

/// Run every case for each of `filters`, comparing with the pure rule.
async fn check(db: Db, x: std::sync::Arc<Expected>, filters: Vec<(String, ReadFilter)>) -> Stats {
    let everything = ReadFilter::everything();
    let mut s = Stats::default();
    for (label, f) in &filters {
        let r = db.read(f.clone());
        for ((c, src), all) in x.table.iter().zip(&x.sources).zip(&x.full) {
            let shape = c.shape();
            let want = x.facts.expect(shape, src, f);
            let got = actual(shape, run(&r, &x.facts, c).await);
            s.runs += 1;
            if nonempty(&want) && *f != everything {
                s.shown.insert(c.method());
            }
            if want != *all {
                s.hidden.insert(c.method());
                if nonempty(&want) {
                    s.partial += 1;
                }
            }
            if got != want {
                s.failing.insert(c.method());
                if s.failures.len() < 20 {
                    s.failures.push(format!("{} {c:?}\n    reader: {label} = {f:?}\n    {}", c.method(), difference(&got, &want)));
                }
            }
        }
    }
    s
}

/// How many groups of readers are checked at once (the database works while the test compares).
const GROUPS: usize = 4;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_reader_method_answers_what_the_pure_rule_admits() {
    let started = std::time::Instant::now();
    let t = TestDb::new().await;
    let db = t.open().await;
    let w = build(&db).await;
    let u = db.unfiltered();
    let facts = facts(&u, &w).await;
    let table = cases(&w, &facts);
    let built = started.elapsed();

    // The coverage guard.
    let methods = reader_methods();
    let covered: BTreeSet<&str> = table.iter().map(Call::method).collect();
    let exempt: BTreeSet<&str> = EXEMPT.iter().map(|(m, _)| *m).collect();
    let missing: Vec<&String> = methods.iter().filter(|m| !covered.contains(m.as_str()) && !exempt.contains(m.as_str())).collect();
    assert!(missing.is_empty(), "reader methods without a case in tests/store/readers.rs: {missing:?}");
    let stale: Vec<&&str> = covered.iter().chain(&exempt).filter(|m| !methods.contains(**m)).collect();
    assert!(stale.is_empty(), "cases or exemptions name methods the store no longer has: {stale:?}");
    assert!(covered.is_disjoint(&exempt), "an exempt method has cases: {:?}", covered.intersection(&exempt).collect::<Vec<_>>());

    let filters = readers(&w);
    assert!(filters.len() >= 72, "{} readers", filters.len());

    // The unfiltered side, once per case.
    let mut sources = Vec::with_capacity(table.len());
    for c in &table {
        sources.push(source(&u, &facts, c).await);
    }
    let everything = ReadFilter::everything();
    let full: Vec<Out> = table.iter().zip(&sources).map(|(c, src)| facts.expect(c.shape(), src, &everything)).collect();
    let expected = std::sync::Arc::new(Expected { facts, table, sources, full });

    let mut groups: Vec<Vec<(String, ReadFilter)>> = vec![Vec::new(); GROUPS];
    for (k, f) in filters.iter().enumerate() {
        groups[k % GROUPS].push(f.clone());
    }
    let mut tasks = tokio::task::JoinSet::new();
    for g in groups {
        tasks.spawn(check(db.clone(), expected.clone(), g));
    }
    let mut s = Stats::default();
    while let Some(part) = tasks.join_next().await {
        let part = part.expect("a group of readers ran to the end");
        s.runs += part.runs;
        s.partial += part.partial;
        s.failures.extend(part.failures);
        s.failing.extend(part.failing);
        s.shown.extend(part.shown);
        s.hidden.extend(part.hidden);
    }
    println!(
        "readers: {} reader methods covered ({} exempt), {} readers, {} argument sets, {} (method, arguments, reader) cases run, {} of them partly hidden; fixture {:.1?}, total {:.1?}",
        covered.len(),
        exempt.len(),
        filters.len(),
        expected.table.len(),
        s.runs,
        s.partial,
        built,
        started.elapsed()
    );
    assert!(s.failures.is_empty(), "{} methods disagree with the pure rule: {:?}\n{}", s.failing.len(), s.failing, s.failures.join("\n"));

    // The fixture exercises the rule: every method of marked records shows something to some
    // filtered reader and hides something from another.
    let records: Vec<&str> = covered.iter().copied().filter(|m| !DIRECTORY.contains(&m.split("::").next().unwrap())).collect();
    let never_shown: Vec<&&str> = records.iter().filter(|m| !s.shown.contains(**m)).collect();
    let never_hidden: Vec<&&str> = records.iter().filter(|m| !s.hidden.contains(**m)).collect();
    assert!(never_shown.is_empty(), "methods whose cases show nothing to any filtered reader: {never_shown:?}");
    assert!(never_hidden.is_empty(), "methods whose cases hide nothing from any reader: {never_hidden:?}");
    assert!(s.runs > 30_000, "only {} cases ran", s.runs);
    assert!(s.partial > 2_000, "only {} cases were partly hidden", s.partial);
}

// ---------------------------------------------------------------------------------------------
// Search: what each reader finds is what the readers of each kind show it.
// ---------------------------------------------------------------------------------------------

/// Whether the reader `r` sees the record a hit names, by the reader of the hit's own kind (the
/// test above proves those equal to the pure rule), and, for the portal's public, whether the
/// portal shows that kind.
async fn own_reader_shows(r: &Reader<'_>, comments_shown: &BTreeSet<Uuid>, h: &liaison_store::search::Found) -> bool {
    use liaison_domain::search::Kind;
    let id = h.id;
    let portal = matches!(r.filter().plans, PlanScope::Portal(_));
    if portal && !liaison_domain::search::ON_PORTAL.iter().any(|(k, st)| *k == h.kind && st.is_none_or(|s| s == h.status)) {
        return false;
    }
    match h.kind {
        Kind::Item => items::get(r, ItemId(id)).await.unwrap().is_some(),
        Kind::Indicator => indicators::get(r, IndicatorId(id)).await.unwrap().is_some(),
        Kind::Report => progress::get(r, UpdateId(id)).await.unwrap().is_some(),
        Kind::Comment => comments_shown.contains(&id),
        Kind::Request => assistance::get_request(r, RequestId(id)).await.unwrap().is_some(),
        Kind::Offer => assistance::get_offer(r, OfferId(id)).await.unwrap().is_some(),
        Kind::Activity => activities::get(r, ActivityId(id)).await.unwrap().is_some(),
        Kind::Story => stories::get(r, StoryId(id)).await.unwrap().is_some(),
        Kind::Decision => decisions::get(r, DecisionId(id)).await.unwrap().is_some(),
        Kind::Organisation => !portal && organisations::get(r, OrganisationId(id)).await.unwrap().is_some(),
        Kind::Evidence => attachments::get(r, AttachmentId(id)).await.unwrap().is_some(),
    }
}

fn every(q: &str) -> liaison_domain::search::Search {
    liaison_domain::search::Search {
        query: liaison_domain::search::parse(q, false).unwrap(),
        plan: None,
        kinds: Vec::new(),
        status: None,
        area: None,
        from: None,
        to: None,
        limit: liaison_domain::search::RANKED,
        offset: 0,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_finds_what_each_kinds_own_reader_shows() {
    use liaison_store::search;
    let t = TestDb::new().await;
    let db = t.open().await;
    let w = build(&db).await;
    // The index followed every write of the fixture: a rebuild changes nothing.
    let followed = search::snapshot(&db).await.unwrap();
    assert!(followed.len() > 100, "{} records indexed", followed.len());
    search::rebuild(&db, |_| {}).await.unwrap();
    assert_eq!(search::snapshot(&db).await.unwrap(), followed, "the index as writes left it is the index rebuilt");

    // One query per kind of record of the fixture, and one that finds several kinds.
    let queries = ["item", "council", "need", "course", "offer", "officers", "story", "attendance", "nor", "c0"];
    let u = db.unfiltered();
    let mut kinds_found = BTreeSet::new();
    let mut all: Vec<(&str, Vec<search::Found>)> = Vec::new();
    for q in queries {
        let a = search::find(&u, &every(q)).await.unwrap();
        assert!(!a.hits.is_empty(), "{q:?} finds something unfiltered");
        assert_eq!(a.total as usize, a.hits.len(), "{q:?}: the fixture's hits fit one ranked page");
        kinds_found.extend(a.hits.iter().map(|h| h.kind));
        all.push((q, a.hits));
    }
    assert_eq!(kinds_found.len(), liaison_domain::search::Kind::ALL.len(), "every kind is searched: {kinds_found:?}");

    let mut partly_hidden = 0;
    let mut checked = 0;
    for (label, f) in readers(&w) {
        let r = db.read(f.clone());
        // Comments are read by item: the reader's comments of every item, once.
        let mut comments_shown = BTreeSet::new();
        for i in w.items.iter().flatten() {
            comments_shown.extend(comments::of_item(&r, i.id).await.unwrap().iter().map(|c| c.id.uuid()));
        }
        let mut shown: HashMap<Uuid, bool> = HashMap::new();
        for (q, hits) in &all {
            let mut want = BTreeSet::new();
            let mut by_kind: BTreeMap<String, u64> = BTreeMap::new();
            for h in hits {
                let yes = match shown.get(&h.id) {
                    Some(y) => *y,
                    None => {
                        let y = own_reader_shows(&r, &comments_shown, h).await;
                        shown.insert(h.id, y);
                        y
                    }
                };
                if yes {
                    want.insert(h.id);
                    *by_kind.entry(h.kind.code().to_string()).or_default() += 1;
                }
            }
            let got = search::find(&r, &every(q)).await.unwrap();
            let got_ids: BTreeSet<Uuid> = got.hits.iter().map(|h| h.id).collect();
            assert_eq!(got_ids, want, "{q:?} for {label} = {f:?}");
            assert_eq!(got.total, want.len() as u64, "{q:?} count for {label}");
            assert_eq!(got.facets.kind, by_kind, "{q:?} facets for {label}");
            assert_eq!(got.facets.plan.values().sum::<u64>(), got.hits.iter().filter(|h| h.plan.is_some()).count() as u64, "{q:?} plan facets for {label}");
            if want.len() < hits.len() && !want.is_empty() {
                partly_hidden += 1;
            }
            checked += 1;
        }
    }
    assert!(checked > 500, "{checked} (reader, query) pairs");
    assert!(partly_hidden > 100, "only {partly_hidden} answers were partly hidden");
}
