//! The generator of an alliance-sized database.
//!
//! Written straight through the store (its insert functions, one transaction per plan), each
//! record with the Change row the use case that makes it would record, so that the audit chain
//! verifies and the history pages have something to show; the search index follows each
//! transaction as it does every write. The shapes are those of real plans: an IPAP tree of
//! chapters, objectives and actions; markings from PUBLIC to NATO SECRET with most records
//! releasable to the partner; titles in English and the partner's language; quarterly reporting
//! periods with reports approved, returned, submitted and drafted; indicators measured each
//! past quarter; Allies' offers answering the partner's requests; activities and stories.
//!
//! Everything is drawn from a fixed seed: the same counts make the same database.

use anyhow::{Context, Result, bail};
use chrono::{Datelike, NaiveDate, TimeDelta, Utc};
use liaison_domain::access::{GlobalRole, ReadFilter, Role};
use liaison_domain::activity::{Activity, ActivityKind, Participants};
use liaison_domain::assistance::{AssistanceKind, AssistanceOffer, AssistanceRequest, OfferState, Priority, RequestState};
use liaison_domain::calendar::{ReportingPeriod, quarterly};
use liaison_domain::change::{ChangeDraft, Provenance};
use liaison_domain::indicator::{Indicator, Measure, MeasuredValue, Measurement, Target};
use liaison_domain::item::{GenderMarker, Item, ItemStatus, tree_key};
use liaison_domain::marking::{Level, Marking};
use liaison_domain::organisation::{OrgKind, Organisation};
use liaison_domain::plan::{Period, Plan, PlanState};
use liaison_domain::ports::PasswordHasher;
use liaison_domain::progress::{ProgressUpdate, UpdateState};
use liaison_domain::story::{Story, StoryState};
use liaison_domain::text::{Text, UiLang};
use liaison_domain::user::{User, UserStatus};
use liaison_domain::{
    ActivityId, IndicatorId, ItemId, MeasurementId, OfferId, OrganisationId, PeriodId, PlanId, RequestId, StoryId, Timestamp, UpdateId, UserId,
};
use liaison_store::memberships::Membership;
use liaison_store::{Db, DbOptions, Tx};
use serde_json::Value;
use std::time::Instant;
use uuid::Uuid;

/// The password of every generated account.
pub const PASSWORD: &str = "bench-password";
/// The coordinator of every plan, an alliance staff member cleared NATO SECRET.
pub const COORDINATOR: &str = "coordinator@bench.test";

/// Real partner countries (ISO 3166 alpha-3); past the list, made-up codes.
const PARTNERS: &[(&str, &str, &str)] = &[
    ("SRB", "Serbia", "sr"),
    ("GEO", "Georgia", "ka"),
    ("UKR", "Ukraine", "uk"),
    ("MDA", "Moldova", "ro"),
    ("BIH", "Bosnia and Herzegovina", "bs"),
    ("ARM", "Armenia", "hy"),
    ("AZE", "Azerbaijan", "az"),
    ("KAZ", "Kazakhstan", "kk"),
    ("KGZ", "Kyrgyzstan", "ky"),
    ("TJK", "Tajikistan", "tg"),
    ("TKM", "Turkmenistan", "tk"),
    ("UZB", "Uzbekistan", "uz"),
    ("AUT", "Austria", "de"),
    ("IRL", "Ireland", "ga"),
    ("CHE", "Switzerland", "fr"),
    ("MLT", "Malta", "mt"),
    ("MNG", "Mongolia", "mn"),
    ("AUS", "Australia", "en"),
    ("NZL", "New Zealand", "mi"),
    ("JPN", "Japan", "ja"),
    ("KOR", "Republic of Korea", "ko"),
    ("IRQ", "Iraq", "ar"),
    ("PAK", "Pakistan", "ur"),
    ("COL", "Colombia", "es"),
    ("DZA", "Algeria", "ar"),
    ("EGY", "Egypt", "ar"),
    ("ISR", "Israel", "he"),
    ("JOR", "Jordan", "ar"),
    ("MRT", "Mauritania", "ar"),
    ("MAR", "Morocco", "ar"),
    ("TUN", "Tunisia", "ar"),
    ("BHR", "Bahrain", "ar"),
    ("QAT", "Qatar", "ar"),
    ("KWT", "Kuwait", "ar"),
    ("ARE", "United Arab Emirates", "ar"),
    ("CHL", "Chile", "es"),
    ("PER", "Peru", "es"),
    ("MEX", "Mexico", "es"),
    ("BRA", "Brazil", "pt"),
    ("IND", "India", "hi"),
];

/// Allies that offer assistance.
const ALLIES: &[(&str, &str)] = &[
    ("USA", "United States"),
    ("GBR", "United Kingdom"),
    ("FRA", "France"),
    ("DEU", "Germany"),
    ("ITA", "Italy"),
    ("CAN", "Canada"),
    ("NOR", "Norway"),
    ("NLD", "Netherlands"),
    ("POL", "Poland"),
    ("TUR", "Türkiye"),
];

/// How much to write: totals, spread evenly over the plans.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Counts {
    pub partners: usize,
    pub cycles: usize,
    pub items: usize,
    pub measurements: usize,
    pub reports: usize,
    pub offers: usize,
    pub activities: usize,
    pub stories: usize,
    pub users: usize,
}

fn scaled(base: f64, scale: f64) -> usize {
    (base * scale).round().max(1.0) as usize
}

impl Counts {
    /// The counts at `scale` (1: the full alliance), with `partners` and `cycles` if given.
    pub fn at(scale: f64, partners: Option<usize>, cycles: usize) -> Result<Counts> {
        if !scale.is_finite() || scale <= 0.0 || scale > 10.0 {
            bail!("--scale must be a number above 0 and at most 10, not {scale}");
        }
        if !(1..=20).contains(&cycles) {
            bail!("--cycles must be 1 to 20, not {cycles}");
        }
        let partners = partners.unwrap_or_else(|| scaled(40.0, scale));
        if !(1..=1000).contains(&partners) {
            bail!("--partners must be 1 to 1,000, not {partners}");
        }
        Ok(Counts {
            partners,
            cycles,
            items: scaled(100_000.0, scale),
            measurements: scaled(1_000_000.0, scale),
            reports: scaled(200_000.0, scale),
            offers: scaled(20_000.0, scale),
            activities: scaled(100_000.0, scale),
            stories: scaled(2_000.0, scale),
            users: partners * 10,
        })
    }

    /// These counts with the totals given on the command line in place of the scaled ones.
    #[allow(clippy::too_many_arguments)]
    pub fn with(
        self,
        items: Option<usize>,
        measurements: Option<usize>,
        reports: Option<usize>,
        offers: Option<usize>,
        activities: Option<usize>,
        stories: Option<usize>,
        users: Option<usize>,
    ) -> Counts {
        Counts {
            items: items.unwrap_or(self.items),
            measurements: measurements.unwrap_or(self.measurements),
            reports: reports.unwrap_or(self.reports),
            offers: offers.unwrap_or(self.offers),
            activities: activities.unwrap_or(self.activities),
            stories: stories.unwrap_or(self.stories),
            users: users.unwrap_or(self.users),
            ..self
        }
    }

    pub fn plans(&self) -> usize {
        self.partners * self.cycles
    }

    /// `total` spread over the plans: plan `k`'s share.
    fn share(&self, total: usize, k: usize) -> usize {
        let n = self.plans();
        total / n + usize::from(k < total % n)
    }
}

/// What was written.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Written {
    pub organisations: usize,
    pub users: usize,
    pub plans: usize,
    pub items: usize,
    pub indicators: usize,
    pub measurements: usize,
    pub reports: usize,
    pub requests: usize,
    pub offers: usize,
    pub activities: usize,
    pub stories: usize,
}

/// A small, fast, seeded generator (xorshift64*): the same counts make the same database.
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[self.below(v.len())]
    }

    /// A phrase of `n` words of the alliance's vocabulary.
    fn phrase(&mut self, n: usize) -> String {
        let mut s: String = (0..n).map(|_| *self.pick(WORDS)).collect::<Vec<_>>().join(" ");
        if let Some(first) = s.get_mut(0..1) {
            first.make_ascii_uppercase();
        }
        s
    }
}

const WORDS: &[&str] = &[
    "training",
    "cyber",
    "defence",
    "logistics",
    "exercise",
    "reform",
    "budget",
    "military",
    "police",
    "border",
    "interoperability",
    "planning",
    "officers",
    "NCO",
    "corps",
    "civilian",
    "oversight",
    "parliament",
    "procurement",
    "doctrine",
    "education",
    "language",
    "courses",
    "medical",
    "engineering",
    "demining",
    "crisis",
    "management",
    "emergency",
    "flood",
    "response",
    "gender",
    "equality",
    "integrity",
    "transparency",
    "security",
    "sector",
    "communications",
    "protection",
    "classified",
    "information",
    "strategy",
    "review",
    "capability",
    "resources",
    "personnel",
    "housing",
    "veterans",
    "of",
    "the",
    "and",
    "for",
    "with",
    "national",
    "regional",
    "support",
    "development",
    "standards",
];

/// A marking drawn from the spread of a real plan: most records releasable to the partner.
fn marking(r: &mut Rng, partner: &str, at_least: Option<&Marking>) -> Marking {
    let m = match r.below(100) {
        0..=9 => Marking::new(Level::Public, &[], "NATO"),
        10..=54 => Marking::new(Level::NatoUnclassified, &[partner], "NATO"),
        55..=69 => Marking::new(Level::NatoUnclassified, &[], "NATO"),
        70..=84 => Marking::new(Level::NatoRestricted, &[partner], "NATO"),
        85..=94 => Marking::new(Level::NatoConfidential, &[], "NATO"),
        _ => Marking::new(Level::NatoSecret, &[], "NATO"),
    };
    match at_least {
        // A part is marked at least as its whole (the more restrictive of the two).
        Some(p) => m.join(p),
        None => m,
    }
}

fn snapshot<T: serde::Serialize>(v: &T) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

fn created(tx: &Tx, entity: &'static str, id: Uuid, plan: PlanId, m: &Marking, v: Value) {
    tx.record(ChangeDraft::marked(entity, id, Some(plan), 1, "create", None, Some((m, v))));
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

fn at(d: NaiveDate) -> Timestamp {
    d.and_hms_opt(9, 0, 0).unwrap_or_default().and_utc()
}

fn prov(at: Timestamp) -> Provenance {
    Provenance { actor: None, at, request_id: "liaison-bench seed".into(), source: "liaison-bench".into() }
}

/// The people of the directory the plans name.
struct Directory {
    nato: OrganisationId,
    allies: Vec<(OrganisationId, String)>,
    /// Per partner: its government, its country code and language, its people by role.
    partners: Vec<PartnerSide>,
    coordinator: UserId,
    /// One coordinator per five partners, besides the coordinator of everything.
    regional: Vec<UserId>,
    ally_users: Vec<UserId>,
}

struct PartnerSide {
    government: OrganisationId,
    units: Vec<OrganisationId>,
    country: String,
    name: String,
    lang: String,
    editors: Vec<UserId>,
    reporters: Vec<(UserId, String)>,
    viewers: Vec<UserId>,
}

fn progress(what: &str, total: u64) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(total);
    if let Ok(style) = indicatif::ProgressStyle::with_template("{msg:>12} [{bar:40}] {pos}/{len} plans, {elapsed_precise} (about {eta} left)") {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(what.to_string());
    bar
}

/// Generate the database at `url` (migrated first; refused if it holds any plan).
pub async fn run(url: &str, counts: &Counts) -> Result<Written> {
    let started = Instant::now();
    let db = Db::connect(&DbOptions::new(url)).await.with_context(|| format!("cannot open {url}"))?;
    liaison_store::migrate::run(&db).await.context("cannot bring the database's schema up to date")?;
    let existing = liaison_store::plans::list(&db.read(ReadFilter::everything()), None, None, 1).await?;
    if !existing.items.is_empty() {
        bail!("the database already holds plans: generate into an empty database");
    }
    // The index follows every write from here on: it is built, and a server started on the
    // database does not rebuild it (which would take minutes at this scale).
    if !liaison_store::search::mark_built_if_empty(&db).await? && !liaison_store::search::is_built(&db).await? {
        bail!("the database holds records the search index has not seen: generate into an empty database");
    }
    let hasher = liaison_adapters::Argon2Hasher::new(19_456, 2).map_err(|e| anyhow::anyhow!("the password hasher: {e}"))?;
    let hash = hasher.hash(PASSWORD).map_err(|e| anyhow::anyhow!("hashing the password: {e}"))?;
    let mut r = Rng(0x00C0_FFEE_2015_0001);
    let mut written = Written::default();
    let dir = directory(&db, counts, &hash, &mut r, &mut written).await?;
    let bar = progress("plans", counts.plans() as u64);
    let today = Utc::now().date_naive();
    for p in 0..counts.partners {
        let mut predecessor = None;
        for c in 0..counts.cycles {
            let k = p * counts.cycles + c;
            let plan = plan(&db, counts, &dir, p, c, k, predecessor, today, &mut r, &mut written)
                .await
                .with_context(|| format!("plan {} of {}", k + 1, counts.plans()))?;
            predecessor = Some(plan);
            bar.inc(1);
        }
    }
    bar.finish_and_clear();
    eprintln!(
        "wrote {} plans, {} items, {} indicators, {} measurements, {} reports, {} requests, {} offers, {} activities, {} stories, {} accounts in {:.1} s",
        written.plans,
        written.items,
        written.indicators,
        written.measurements,
        written.reports,
        written.requests,
        written.offers,
        written.activities,
        written.stories,
        written.users,
        started.elapsed().as_secs_f64()
    );
    eprintln!("sign in as {COORDINATOR} with the password {PASSWORD}");
    Ok(written)
}

fn organisation(name: &str, short: &str, kind: OrgKind, country: Option<&str>, parent: Option<OrganisationId>, now: Timestamp) -> Organisation {
    Organisation {
        id: OrganisationId(Uuid::now_v7()),
        name: Text::new("en", name),
        short_name: short.to_string(),
        kind,
        country: country.map(str::to_string),
        parent,
        iati_ref: None,
        version: 1,
        created_at: now,
        updated_at: now,
    }
}

#[allow(clippy::too_many_arguments)]
fn user(email: String, name: String, org: OrganisationId, clearance: Level, roles: Vec<GlobalRole>, language: UiLang, now: Timestamp) -> User {
    User {
        id: UserId(Uuid::now_v7()),
        display_name: name,
        email,
        organisation: org,
        clearance,
        status: UserStatus::Active,
        global_roles: roles,
        language,
        version: 1,
        created_at: now,
        updated_at: now,
    }
}

async fn directory(db: &Db, counts: &Counts, hash: &str, r: &mut Rng, w: &mut Written) -> Result<Directory> {
    let now = at(day(2014, 1, 6));
    let tx = db.begin().await?;
    let mut add_org = async |o: Organisation| -> Result<OrganisationId> {
        liaison_store::organisations::insert(&tx, &o).await?;
        tx.record(ChangeDraft::unmarked("organisation", o.id.uuid(), 1, "create", None, Some(snapshot(&o))));
        w.organisations += 1;
        Ok(o.id)
    };
    let nato = add_org(organisation("NATO International Staff", "NATO IS", OrgKind::AllianceBody, None, None, now)).await?;
    let mut allies = Vec::new();
    for (code, name) in ALLIES {
        allies.push((
            add_org(organisation(&format!("Ministry of Defence of {name}"), &format!("{code} MoD"), OrgKind::Ally, Some(code), None, now)).await?,
            code.to_string(),
        ));
    }
    let mut partners = Vec::new();
    for p in 0..counts.partners {
        let (country, name, lang) = match PARTNERS.get(p) {
            Some((c, n, l)) => (c.to_string(), n.to_string(), l.to_string()),
            // Past the real partners: made-up codes (X + two letters) in the range no country has.
            None => (format!("X{}{}", (b'A' + (p / 26 % 26) as u8) as char, (b'A' + (p % 26) as u8) as char), format!("Partner {}", p + 1), "en".into()),
        };
        let government =
            add_org(organisation(&format!("Government of {name}"), &format!("{country} GOV"), OrgKind::PartnerGovernment, Some(&country), None, now)).await?;
        let mut units = Vec::new();
        for unit in ["Ministry of Defence", "Ministry of Foreign Affairs", "Ministry of Interior"] {
            units.push(
                add_org(organisation(
                    &format!("{unit} of {name}"),
                    &format!("{country} {}", &unit[12..].chars().take(3).collect::<String>()),
                    OrgKind::PartnerUnit,
                    Some(&country),
                    Some(government),
                    now,
                ))
                .await?,
            );
        }
        partners.push(PartnerSide { government, units, country, name, lang, editors: Vec::new(), reporters: Vec::new(), viewers: Vec::new() });
    }
    let mut add_user = async |u: User| -> Result<UserId> {
        liaison_store::users::insert(&tx, &u, hash).await?;
        tx.record(ChangeDraft::unmarked("user", u.id.uuid(), 1, "create", None, Some(snapshot(&u))));
        w.users += 1;
        Ok(u.id)
    };
    let coordinator = add_user(user(COORDINATOR.into(), "Alliance Coordinator".into(), nato, Level::NatoSecret, vec![], UiLang::En, now)).await?;
    add_user(user("admin@bench.test".into(), "Administrator".into(), nato, Level::NatoSecret, vec![GlobalRole::Admin], UiLang::En, now)).await?;
    add_user(user("security@bench.test".into(), "Security Officer".into(), nato, Level::NatoSecret, vec![GlobalRole::SecurityOfficer], UiLang::En, now))
        .await?;
    let mut regional = Vec::new();
    for k in 0..counts.partners.div_ceil(5) {
        regional.push(
            add_user(user(
                format!("coordinator{}@bench.test", k + 1),
                format!("Regional Coordinator {}", k + 1),
                nato,
                Level::NatoSecret,
                vec![],
                UiLang::En,
                now,
            ))
            .await?,
        );
    }
    let mut ally_users = Vec::new();
    for (org, code) in &allies {
        ally_users.push(
            add_user(user(
                format!("{}@bench.test", code.to_lowercase()),
                format!("{code} desk officer"),
                *org,
                Level::NatoConfidential,
                vec![],
                UiLang::En,
                now,
            ))
            .await?,
        );
    }
    // The partners' people: an editor, reporters and viewers, as many as asked for in all.
    for k in 0..counts.users {
        let p = k % counts.partners;
        let side = &partners[p];
        let (country, lang) = (side.country.to_lowercase(), if side.country == "SRB" { UiLang::SrCyrl } else { UiLang::En });
        let n = k / counts.partners;
        let unit = side.units[r.below(side.units.len())];
        let (role, clearance) = match n {
            0 => ("editor", Level::NatoConfidential),
            1..=6 => ("reporter", Level::NatoRestricted),
            _ => ("viewer", Level::NatoUnclassified),
        };
        let id = add_user(user(format!("{role}{}.{country}@bench.test", n + 1), format!("{} {role} {}", side.name, n + 1), unit, clearance, vec![], lang, now))
            .await?;
        let side = &mut partners[p];
        match role {
            "editor" => side.editors.push(id),
            "reporter" => side.reporters.push((id, format!("{} reporter {}", side.name, n + 1))),
            _ => side.viewers.push(id),
        }
    }
    tx.commit(&prov(now)).await?;
    Ok(Directory { nato, allies, partners, coordinator, regional, ally_users })
}

const STATUSES: &[ItemStatus] =
    &[ItemStatus::Planned, ItemStatus::InProgress, ItemStatus::InProgress, ItemStatus::Completed, ItemStatus::Delayed, ItemStatus::PartiallyCompleted];

/// One plan and everything in it, in one transaction.
#[allow(clippy::too_many_arguments)]
async fn plan(
    db: &Db,
    counts: &Counts,
    dir: &Directory,
    p: usize,
    c: usize,
    k: usize,
    predecessor: Option<PlanId>,
    today: NaiveDate,
    r: &mut Rng,
    w: &mut Written,
) -> Result<PlanId> {
    let side = &dir.partners[p];
    // Two-year cycles, the last one running now (as an alliance's portfolio has it): earlier
    // cycles are closed, the current one is in implementation.
    let first = today.year() - 1 - 2 * (counts.cycles as i32 - 1);
    let start = day(first + 2 * c as i32, 1, 1);
    let end = day(first + 1 + 2 * c as i32, 12, 31);
    let now = at(start) - TimeDelta::days(60);
    let state = if end < today {
        PlanState::Closed
    } else if start <= today {
        PlanState::Implementation
    } else {
        PlanState::Agreed
    };
    let lang = side.lang.as_str();
    let plan_marking = Marking::new(Level::NatoUnclassified, &[&side.country], "NATO");
    let plan = Plan {
        id: PlanId(Uuid::now_v7()),
        framework: "ipap".into(),
        code: format!("IPAP-{}-{}", side.country, start.year()),
        title: Text::new("en", &format!("Individual Partnership Action Plan of {} {}–{}", side.name, start.year(), end.year()))
            .with(lang, &format!("IPAP {} {}–{}", side.country, start.year(), end.year())),
        description: Text::new("en", &r.phrase(30)),
        partner: side.government,
        owner: dir.nato,
        period: Period { start, end },
        predecessor,
        state,
        negotiation_round: 1,
        marking: plan_marking.clone(),
        version: 1,
        created_at: now,
        updated_at: now,
    };
    let tx = db.begin().await?;
    liaison_store::plans::insert(&tx, &plan).await?;
    created(&tx, "plan", plan.id.uuid(), plan.id, &plan.marking, snapshot(&plan));
    w.plans += 1;

    // Who works on it.
    let mut members: Vec<(UserId, Role)> = vec![(dir.coordinator, Role::Coordinator)];
    if let Some(reg) = dir.regional.get(p / 5) {
        members.push((*reg, Role::Coordinator));
    }
    members.extend(side.editors.iter().map(|u| (*u, Role::PartnerEditor)));
    members.extend(side.reporters.iter().map(|(u, _)| (*u, Role::Reporter)));
    members.extend(side.viewers.iter().map(|u| (*u, Role::Viewer)));
    members.extend(dir.ally_users.iter().map(|u| (*u, Role::AllyContributor)));
    for (user, role) in members {
        let m = Membership { id: Uuid::now_v7(), plan: plan.id, user, role, version: 1, created_at: now, updated_at: now };
        liaison_store::memberships::insert(&tx, &m).await?;
        tx.record(ChangeDraft::unmarked("membership", m.id, 1, "create", None, Some(snapshot(&m))));
    }

    // Quarterly reporting periods, due a month after each quarter.
    let mut periods = Vec::new();
    for (key, starts, ends, due) in quarterly(plan.period, 30) {
        let rp = ReportingPeriod {
            id: PeriodId(Uuid::now_v7()),
            plan: plan.id,
            key,
            starts,
            ends,
            due,
            locked: due < today,
            version: 1,
            created_at: now,
            updated_at: now,
        };
        liaison_store::calendar::insert(&tx, &rp).await?;
        created(&tx, "period", rp.id.uuid(), plan.id, &plan.marking, snapshot(&rp));
        periods.push(rp);
    }
    // The quarters that have begun: reported on and measured.
    let begun: Vec<&ReportingPeriod> = periods.iter().filter(|q| q.starts <= today).collect();

    // The tree: chapters, objectives, actions.
    let n_items = counts.share(counts.items, k).max(3);
    let chapters = (n_items / 100).clamp(1, 9);
    let objectives = (n_items / 12).max(chapters);
    let mut items: Vec<Item> = Vec::with_capacity(n_items);
    let mut keys: Vec<String> = Vec::with_capacity(n_items);
    let mut actions: Vec<usize> = Vec::new();
    for i in 0..n_items {
        let (level, parent, position) = if i < chapters {
            ("chapter", None, i)
        } else if i < chapters + objectives {
            let o = i - chapters;
            ("objective", Some(o % chapters), o / chapters)
        } else {
            let a = i - chapters - objectives;
            ("action", Some(chapters + a % objectives), a / objectives)
        };
        let parent_item = parent.map(|x| &items[x]);
        let code = match parent_item {
            Some(pi) => format!("{}.{}", pi.code, position + 1),
            None => format!("{}", position + 1),
        };
        let position = u32::try_from(position).unwrap_or(u32::MAX);
        let key = tree_key(parent.map(|x| keys[x].as_str()), position);
        let title_words = 4 + r.below(6);
        let item = Item {
            id: ItemId(Uuid::now_v7()),
            plan: plan.id,
            parent: parent_item.map(|pi| pi.id),
            level: level.into(),
            depth: parent_item.map_or(0, |pi| pi.depth + 1),
            code,
            title: Text::new("en", &r.phrase(title_words)).with(lang, &r.phrase(title_words)),
            description: {
                let n = 20 + r.below(40);
                Text::new("en", &r.phrase(n))
            },
            areas: vec![],
            lead_organisation: Some(side.units[r.below(side.units.len())]),
            contributing_organisations: vec![],
            start: Some(start),
            due: None,
            status: *r.pick(STATUSES),
            weight: 1 + r.below(3) as u32,
            gender_marker: GenderMarker::NotTargeted,
            marking: marking(r, &side.country, parent_item.map(|pi| &pi.marking)),
            position,
            version: 1,
            created_at: now,
            updated_at: now,
        };
        liaison_store::items::insert(&tx, &item, &key).await?;
        created(&tx, "item", item.id.uuid(), plan.id, &item.marking, snapshot(&item));
        if level == "action" {
            actions.push(i);
        }
        items.push(item);
        keys.push(key);
    }
    w.items += items.len();
    if actions.is_empty() {
        actions.push(items.len() - 1);
    }

    // Indicators on actions, each measured every quarter that has begun.
    let n_measurements = counts.share(counts.measurements, k);
    let n_indicators = if begun.is_empty() { 0 } else { n_measurements.div_ceil(begun.len()) };
    let mut left = n_measurements;
    for x in 0..n_indicators {
        let item = &items[actions[x % actions.len()]];
        let target = 10.0 + r.below(90) as f64;
        let ind = Indicator {
            id: IndicatorId(Uuid::now_v7()),
            plan: plan.id,
            item: item.id,
            name: Text::new("en", &format!("Number of {}", r.phrase(3).to_lowercase())).with(lang, &r.phrase(3)),
            unit: "people".into(),
            measure: Measure::Number,
            cumulative: false,
            baseline: None,
            targets: periods.last().map(|q| Target { period: q.key.clone(), value: target, by_category: Default::default() }).into_iter().collect(),
            dimension: None,
            version: 1,
            created_at: now,
            updated_at: now,
        };
        liaison_store::indicators::insert(&tx, &ind).await?;
        created(&tx, "indicator", ind.id.uuid(), plan.id, &item.marking, snapshot(&ind));
        w.indicators += 1;
        for (q, period) in begun.iter().enumerate() {
            if left == 0 {
                break;
            }
            left -= 1;
            let when = at(period.ends);
            let m = Measurement {
                id: MeasurementId(Uuid::now_v7()),
                indicator: ind.id,
                period: period.key.clone(),
                value: MeasuredValue {
                    value: Some((target * (q + 1) as f64 / periods.len() as f64).round() + r.below(5) as f64),
                    denominator: None,
                    text: None,
                    by_category: Default::default(),
                },
                note: String::new(),
                evidence: vec![],
                version: 1,
                created_at: when,
                updated_at: when,
            };
            liaison_store::indicators::insert_measurement(&tx, &m, plan.id).await?;
            created(&tx, "measurement", m.id.uuid(), plan.id, &item.marking, snapshot(&m));
            w.measurements += 1;
        }
    }

    // Reports on actions, quarter by quarter, through review.
    let n_reports = if begun.is_empty() || side.reporters.is_empty() { 0 } else { counts.share(counts.reports, k) };
    let per_quarter = n_reports.div_ceil(begun.len().max(1));
    let mut made = 0;
    'quarters: for (q, period) in begun.iter().enumerate() {
        let last = q + 1 == begun.len();
        for a in 0..per_quarter.min(actions.len()) {
            if made == n_reports {
                break 'quarters;
            }
            let item = &items[actions[a]];
            let (reporter, reporter_name) = &side.reporters[a % side.reporters.len()];
            let state = match (last, r.below(10)) {
                (false, 0) => UpdateState::Returned,
                (false, _) => UpdateState::Approved,
                (true, 0..=3) => UpdateState::Submitted,
                (true, 4..=5) => UpdateState::Draft,
                (true, 6) => UpdateState::Returned,
                _ => UpdateState::Approved,
            };
            let when = at(period.ends + TimeDelta::days(10));
            let u = ProgressUpdate {
                id: UpdateId(Uuid::now_v7()),
                plan: plan.id,
                item: item.id,
                period: period.key.clone(),
                status: item.status,
                percent: u8::try_from((100 * (q + 1) / periods.len()).min(100)).unwrap_or(100),
                narrative: {
                    let n = 25 + r.below(50);
                    r.phrase(n)
                },
                evidence: vec![],
                state,
                reason: (state == UpdateState::Returned).then(|| "Please add the evidence of the courses held.".to_string()),
                reporter: *reporter,
                reporter_name: reporter_name.clone(),
                reviewer: matches!(state, UpdateState::Approved | UpdateState::Returned).then_some(dir.coordinator),
                marking: marking(r, &side.country, Some(&item.marking)),
                version: 1,
                created_at: when,
                updated_at: when,
            };
            liaison_store::progress::insert(&tx, &u).await?;
            created(&tx, "progress_update", u.id.uuid(), plan.id, &u.marking, snapshot(&u));
            made += 1;
        }
    }
    w.reports += made;

    // The partner's requests, and the Allies' offers answering them.
    let n_offers = counts.share(counts.offers, k);
    let n_requests = n_offers.div_ceil(2);
    let mut requests = Vec::new();
    for x in 0..n_requests {
        let item = &items[actions[x % actions.len()]];
        let req = AssistanceRequest {
            id: RequestId(Uuid::now_v7()),
            plan: plan.id,
            title: Text::new("en", &r.phrase(5)).with(lang, &r.phrase(5)),
            need: r.phrase(20),
            kind: *r.pick(&[AssistanceKind::Expertise, AssistanceKind::Training, AssistanceKind::Equipment, AssistanceKind::Funding]),
            period: plan.period,
            priority: *r.pick(&[Priority::High, Priority::Medium, Priority::Low]),
            items: vec![item.id],
            state: if r.chance(20) { RequestState::Closed } else { RequestState::Open },
            requested_by: side.government,
            marking: marking(r, &side.country, None),
            version: 1,
            created_at: now,
            updated_at: now,
        };
        liaison_store::assistance::insert_request(&tx, &req).await?;
        created(&tx, "request", req.id.uuid(), plan.id, &req.marking, snapshot(&req));
        requests.push(req);
    }
    w.requests += requests.len();
    let mut offers = Vec::new();
    for x in 0..n_offers {
        let Some(req) = requests.get(x / 2) else { break };
        let a = r.below(dir.allies.len());
        let offer = AssistanceOffer {
            id: OfferId(Uuid::now_v7()),
            plan: plan.id,
            offered_by: dir.allies[a].0,
            kind: req.kind,
            title: Text::new("en", &r.phrase(5)),
            description: r.phrase(20),
            value_minor: r.chance(50).then(|| 1_000_000 * (1 + r.below(50) as i64)),
            currency: Some("EUR".into()),
            period: plan.period,
            items: req.items.clone(),
            answers: Some(req.id),
            state: *r.pick(&[OfferState::Proposed, OfferState::Accepted, OfferState::InDelivery, OfferState::Delivered, OfferState::Declined]),
            reason: None,
            shared_with: vec![],
            marking: req.marking.clone(),
            created_by: dir.ally_users[a],
            version: 1,
            created_at: now,
            updated_at: now,
        };
        liaison_store::assistance::insert_offer(&tx, &offer).await?;
        created(&tx, "offer", offer.id.uuid(), plan.id, &offer.marking, snapshot(&offer));
        offers.push((offer.id, offer.offered_by));
    }
    w.offers += offers.len();

    // Activities through the plan's years.
    let n_activities = counts.share(counts.activities, k);
    let days = (end - start).num_days().max(1) as usize;
    let mut activities = Vec::new();
    for x in 0..n_activities {
        let from = start + TimeDelta::days(r.below(days) as i64);
        let offer = offers.get(x % offers.len().max(1)).filter(|_| r.chance(30));
        let item = &items[actions[x % actions.len()]];
        let done = from < today;
        let act = Activity {
            id: ActivityId(Uuid::now_v7()),
            plan: plan.id,
            kind: *r.pick(&[ActivityKind::Course, ActivityKind::Conference, ActivityKind::Seminar, ActivityKind::Exercise, ActivityKind::Visit]),
            title: Text::new("en", &r.phrase(4)).with(lang, &r.phrase(4)),
            description: r.phrase(15),
            dates: Period { start: from, end: from + TimeDelta::days(r.below(5) as i64) },
            place: format!("{} training centre", side.name),
            organiser: Some(offer.map_or(dir.nato, |o| o.1)),
            items: vec![item.id],
            offer: offer.map(|o| o.0),
            participants: if done { Participants { women: r.below(15) as u32, men: r.below(30) as u32 } } else { Participants::default() },
            catalogue_ref: String::new(),
            outcome: if done { r.phrase(10) } else { String::new() },
            feedback: String::new(),
            marking: marking(r, &side.country, Some(&item.marking)),
            version: 1,
            created_at: now,
            updated_at: now,
        };
        liaison_store::activities::insert(&tx, &act).await?;
        created(&tx, "activity", act.id.uuid(), plan.id, &act.marking, snapshot(&act));
        activities.push(act.id);
    }
    w.activities += activities.len();

    // Stories for the public, most published.
    for x in 0..counts.share(counts.stories, k) {
        let published = r.chance(70);
        let (language, author) = (if x % 2 == 0 { "en" } else { lang }, side.editors.first().copied().unwrap_or(dir.coordinator));
        let s = Story {
            id: StoryId(Uuid::now_v7()),
            plan: plan.id,
            language: language.into(),
            title: r.phrase(6),
            summary: r.phrase(20),
            body: r.phrase(120),
            items: vec![items[actions[x % actions.len()]].id],
            activities: activities.get(x).into_iter().copied().collect(),
            photos: vec![],
            state: if published { StoryState::Published } else { StoryState::Draft },
            reason: None,
            author,
            author_name: format!("{} editor", side.name),
            reviewer: published.then_some(dir.coordinator),
            published_at: published.then_some(now),
            marking: if published { Marking::new(Level::Public, &[], "NATO") } else { marking(r, &side.country, None) },
            version: 1,
            created_at: now,
            updated_at: now,
        };
        liaison_store::stories::insert(&tx, &s).await?;
        created(&tx, "story", s.id.uuid(), plan.id, &s.marking, snapshot(&s));
        w.stories += 1;
    }
    tx.commit(&prov(now)).await?;
    Ok(plan.id)
}
