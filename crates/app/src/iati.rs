//! IATI 2.03: the plan as open data. The plan is the parent activity and its items at one
//! level of the framework its child activities; everything written is read through a reader —
//! the actor's for the workspace file, the public's (records marked public, of a plan on the
//! portal) for the portal's file — so a record one may not see is not in the file, not even as
//! a count, a sum or a funder's name. The mapping is the README's table; it is written here once
//! and read back by the import.

use crate::{App, AppError, Ctx, Result};
use chrono::Datelike;
use liaison_domain::Refusal;
use liaison_domain::access::ReadFilter;
use liaison_domain::assistance::{AssistanceKind, AssistanceOffer, OfferState};
use liaison_domain::indicator::{Indicator, Measure as LMeasure, Measurement};
use liaison_domain::item::{GenderMarker, Item, ItemStatus};
use liaison_domain::marking::Marking;
use liaison_domain::organisation::{OrgKind, Organisation};
use liaison_domain::plan::{Plan, PlanState};
use liaison_domain::text::Text;
use liaison_domain::{ItemId, OrganisationId, PlanId, Timestamp};
use liaison_interop::iati::model::*;
use liaison_interop::iati::write::Writer;
use liaison_store::Reader;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// A written IATI file.
pub struct Export {
    pub xml: Vec<u8>,
    /// How many activities it holds (the plan and its items at the level).
    pub activities: usize,
    /// The highest marking of what is in it (public for the portal's file).
    pub marking: Marking,
}

/// The plan's IATI file as the actor may see it, with the items at `level` (a level of the
/// plan's framework; by default its first) as child activities. Audited as an export.
pub async fn export(app: &App, ctx: &Ctx, plan_id: PlanId, level: Option<&str>) -> Result<Export> {
    let plan = crate::plans::visible(app, ctx, plan_id).await?;
    let rd = app.read(ctx);
    let data = gather(app, &rd, &plan, None, false).await?;
    let header = Header {
        key: plan.code.clone(),
        owner: plan.owner,
        partner: plan.partner,
        status: plan_status(plan.state),
        start: plan.period.start,
        end: Some(plan.period.end),
        updated: plan.updated_at,
        marking: plan.marking.clone(),
    };
    let out = write(app, &header, &data, level, app.now())?;
    audit(app, ctx, &plan, &out).await?;
    Ok(out)
}

/// The portal's IATI file of a plan on the portal: public records only. Of the plan's own
/// record (which is marked like the plan) only what the portal itself is about is used — who
/// owns the plan and who the partner is, both in the organisation directory; its code, title,
/// description, period and state are not: the parent activity is named by the plan's id, takes
/// the portal's title and summary, and its status and dates come from the public items. Not
/// on the portal: not found.
pub async fn export_public(app: &App, plan_id: PlanId, level: Option<&str>) -> Result<Export> {
    let rd = app.read_with(ReadFilter::public(plan_id));
    let portal = match liaison_store::stories::portal(&rd, plan_id).await? {
        Some(p) if p.published => p,
        _ => return Err(AppError::NotFound),
    };
    // System work: the owner and partner of a plan on the portal (see above).
    let plan = liaison_store::plans::get(&app.unfiltered(), plan_id).await?.ok_or(AppError::NotFound)?;
    let data = gather(app, &rd, &plan, Some((portal.title.clone(), portal.summary.clone())), true).await?;
    // The file is dated by the latest change to what it shows (as the portal's pages are), so
    // that it is the same file until a public record changes.
    let modified = crate::portal::overview(app, plan_id).await?.modified;
    let modified = data
        .offers
        .iter()
        .map(|o| o.updated_at)
        .chain(data.indicators.iter().map(|i| i.updated_at))
        .chain(data.measurements.iter().map(|m| m.updated_at))
        .fold(modified, Timestamp::max);
    let statuses: Vec<ItemStatus> = data.items.iter().map(|i| i.status).collect();
    let header = Header {
        key: plan_id.to_string(),
        owner: plan.owner,
        partner: plan.partner,
        status: public_status(&statuses),
        start: data.items.iter().filter_map(|i| i.start).min().unwrap_or_else(|| portal.updated_at.date_naive()),
        end: data.items.iter().filter_map(|i| i.due.and_then(|d| d.deadline())).max(),
        updated: modified,
        marking: Marking::new(liaison_domain::marking::Level::Public, &[], ""),
    };
    write(app, &header, &data, level, modified)
}

/// What the parent activity is made of: the plan's, or for the public what the portal shows.
struct Header {
    /// The identifier's last part: the plan's code (the id, for the public).
    key: String,
    owner: OrganisationId,
    partner: OrganisationId,
    status: &'static str,
    start: chrono::NaiveDate,
    end: Option<chrono::NaiveDate>,
    updated: Timestamp,
    marking: Marking,
}

/// The status of a plan as its public items show it: in implementation while any is under
/// way, closed when all are done, else in the pipeline.
fn public_status(items: &[ItemStatus]) -> &'static str {
    if items.iter().any(|s| matches!(item_status(*s), "2")) {
        "2"
    } else if !items.is_empty() && items.iter().all(|s| matches!(item_status(*s), "4" | "5")) {
        "4"
    } else {
        "1"
    }
}

/// Everything the file is made of, read through one reader.
struct Data {
    /// The plan's title and description (the portal's, for the public).
    title: Text,
    description: Text,
    items: Vec<Item>,
    orgs: HashMap<OrganisationId, Organisation>,
    areas: BTreeMap<String, liaison_store::areas::Area>,
    indicators: Vec<Indicator>,
    measurements: Vec<Measurement>,
    periods: BTreeMap<String, (chrono::NaiveDate, chrono::NaiveDate)>,
    offers: Vec<AssistanceOffer>,
    stories: Vec<liaison_domain::story::Story>,
    public: bool,
}

async fn gather(app: &App, rd: &Reader<'_>, plan: &Plan, portal: Option<(Text, Text)>, public: bool) -> Result<Data> {
    let items = liaison_store::items::of_plan(rd, plan.id).await?;
    let orgs = liaison_store::organisations::all(rd).await?.into_iter().map(|o| (o.id, o)).collect();
    let areas = liaison_store::areas::all(rd).await?.into_iter().map(|a| (a.code.clone(), a)).collect();
    let indicators = liaison_store::indicators::of_plan(rd, plan.id).await?;
    let measurements = liaison_store::indicators::measurements_of_plan(rd, plan.id).await?;
    let periods = crate::calendar::ensure(app, rd, plan).await?.into_iter().map(|p| (p.key, (p.starts, p.ends))).collect();
    let offers = liaison_store::assistance::offers_of(rd, plan.id).await?;
    let stories = liaison_store::stories::of_plan(rd, plan.id, Some(liaison_domain::story::StoryState::Published)).await?;
    let (title, description) = portal.unwrap_or_else(|| (plan.title.clone(), plan.description.clone()));
    Ok(Data { title, description, items, orgs, areas, indicators, measurements, periods, offers, stories, public })
}

async fn audit(app: &App, ctx: &Ctx, plan: &Plan, out: &Export) -> Result<()> {
    let after = serde_json::json!({"plan": plan.id, "plan_code": plan.code, "format": "iati", "activities": out.activities});
    crate::audit::record_export(app, ctx, after, &out.marking).await
}

// ---- The mapping (the README's table) ----

/// OrganisationType of an organisation kind.
pub fn org_type(kind: OrgKind) -> &'static str {
    match kind {
        OrgKind::AllianceBody | OrgKind::LiaisonOffice | OrgKind::Agency => "40",
        OrgKind::Ally | OrgKind::PartnerGovernment | OrgKind::PartnerUnit => "10",
        OrgKind::CivilSociety => "22",
        OrgKind::Other => "90",
    }
}

/// ActivityStatus of a plan's state.
pub fn plan_status(s: PlanState) -> &'static str {
    match s {
        PlanState::Drafting | PlanState::Negotiation | PlanState::Agreed => "1",
        PlanState::Implementation => "2",
        PlanState::Assessment => "3",
        PlanState::Closed | PlanState::Superseded => "4",
    }
}

/// ActivityStatus of an item's status.
pub fn item_status(s: ItemStatus) -> &'static str {
    match s {
        ItemStatus::Planned => "1",
        ItemStatus::InProgress | ItemStatus::Delayed => "2",
        ItemStatus::PartiallyCompleted | ItemStatus::Completed | ItemStatus::CarriedOver => "4",
        ItemStatus::NotImplemented | ItemStatus::Cancelled => "5",
    }
}

/// IndicatorMeasure of an indicator's measure.
pub fn measure_code(m: LMeasure) -> &'static str {
    match m {
        LMeasure::Number => "1",
        LMeasure::Percentage => "2",
        LMeasure::Qualitative => "5",
    }
}

/// The policy significance of the gender marker.
pub fn gender_significance(g: GenderMarker) -> &'static str {
    match g {
        GenderMarker::NotTargeted => "0",
        GenderMarker::Significant => "1",
        GenderMarker::Principal => "2",
    }
}

/// The narratives of a text: one per language, keyed by the ISO 639-1 code IATI knows (`sr`
/// for Serbian in either script; the Cyrillic text when both are there).
pub fn narratives(t: &Text) -> Narratives {
    let mut by_lang: BTreeMap<String, String> = BTreeMap::new();
    for (k, v) in &t.0 {
        if v.trim().is_empty() {
            continue;
        }
        let lang = k.split('-').next().unwrap_or(k).to_string();
        // `sr` (Cyrillic) wins over `sr-Latn`: keys sort `sr` first.
        by_lang.entry(lang).or_insert_with(|| v.clone());
    }
    Narratives(by_lang.into_iter().map(|(l, v)| (Some(l), v)).collect())
}

/// An identifier part as IATI allows it: no spaces or `/ & | ?` (rule 1.1.13).
fn id_part(s: &str) -> String {
    s.trim().chars().map(|c| if c.is_whitespace() || matches!(c, '/' | '&' | '|' | '?') { '-' } else { c }).collect()
}

/// Percentages of `n` shares that add up to exactly 100 (two decimals).
fn shares(n: usize) -> Vec<f64> {
    if n == 0 {
        return Vec::new();
    }
    let each = (10_000 / n) as i64;
    let mut out: Vec<i64> = vec![each; n];
    let rest = 10_000 - each * n as i64;
    if let Some(last) = out.last_mut() {
        *last += rest;
    }
    out.into_iter().map(|c| c as f64 / 100.0).collect()
}

fn org_of(data: &Data, id: OrganisationId) -> Option<Org> {
    data.orgs.get(&id).map(|o| Org { reference: o.iati_ref.clone(), kind: Some(org_type(o.kind).to_string()), name: narratives(&o.name) })
}

fn write(app: &App, plan: &Header, data: &Data, level: Option<&str>, generated: Timestamp) -> Result<Export> {
    let owner = data.orgs.get(&plan.owner).ok_or_else(|| AppError::Internal(format!("plan {} has no owner organisation", plan.key)))?;
    let Some(prefix) = owner.iati_ref.clone() else {
        return Err(AppError::Conflict(Refusal::new("iati-no-reference").arg("organisation", &owner.short_name)));
    };
    let depth = match level {
        None => 0,
        Some(l) => {
            // The level's depth: any item of the plan at that level says it; an unknown level
            // is a problem of the request.
            match data.items.iter().find(|i| i.level == l) {
                Some(i) => i.depth,
                None if data.items.is_empty() => 0,
                None => return Err(liaison_domain::ValidationErrors::coded("level", "invalid", &[("expected", "framework-level")]).into()),
            }
        }
    };
    let plan_id = format!("{prefix}-{}", id_part(&plan.key));
    let reporting = Org { reference: Some(prefix.clone()), kind: Some(org_type(owner.kind).to_string()), name: narratives(&owner.name) };
    let partner = data.orgs.get(&plan.partner);
    let country = partner.and_then(|p| p.country.as_deref()).and_then(liaison_interop::iati::country::alpha2);
    let children: Vec<&Item> = data.items.iter().filter(|i| i.depth == depth).collect();
    // Which child activity each item belongs to (its ancestor at the level, or itself).
    let by_id: HashMap<ItemId, &Item> = data.items.iter().map(|i| (i.id, i)).collect();
    let top_of = |i: &Item| ancestor_at(&by_id, i, depth);
    let mut subtree: HashMap<ItemId, Vec<&Item>> = HashMap::new();
    for i in &data.items {
        if let Some(t) = top_of(i) {
            subtree.entry(t).or_default().push(i);
        }
    }
    let offer_home = |o: &AssistanceOffer| -> Option<ItemId> { o.items.iter().filter_map(|i| by_id.get(i)).find_map(|i| top_of(i)) };
    // The highest marking of what the file holds: the plan, its items (with their indicators),
    // the offers it names (funded ones: funders and transactions) and the stories it links.
    let mut marking = plan.marking.clone();
    for i in &data.items {
        marking = marking.join(&i.marking);
    }
    for o in data.offers.iter().filter(|o| funded(o)) {
        marking = marking.join(&o.marking);
    }
    for s in &data.stories {
        marking = marking.join(&s.marking);
    }
    let banner = (!data.public).then(|| format!("{} — {}", marking.banner(), "Liaison export: handle as marked"));
    let mut w = Writer::start(Vec::new(), generated, banner.as_deref()).map_err(|e| AppError::Internal(e.to_string()))?;
    // The plan.
    let parent_offers: Vec<&AssistanceOffer> = data.offers.iter().filter(|o| offer_home(o).is_none()).collect();
    let mut funders: BTreeSet<OrganisationId> = BTreeSet::new();
    for o in &data.offers {
        if funded(o) {
            funders.insert(o.offered_by);
        }
    }
    let mut participants = Vec::new();
    if let Some(p) = org_of(data, plan.partner) {
        participants.push(Participant { org: p, role: "2".into(), activity_id: None });
    }
    participants.push(Participant { org: reporting.clone(), role: "3".into(), activity_id: None });
    for f in &funders {
        if let Some(o) = org_of(data, *f) {
            participants.push(Participant { org: o, role: "1".into(), activity_id: None });
        }
    }
    let all_areas: BTreeSet<&str> = data.items.iter().flat_map(|i| i.areas.iter().map(String::as_str)).collect();
    let mut documents = Vec::new();
    let base = app.config.public_url.trim_end_matches('/');
    for s in &data.stories {
        documents.push(DocumentLink {
            url: format!("{base}/public/stories/{}", s.id),
            format: "text/html".into(),
            title: Narratives::one(s.language.split('-').next().unwrap_or("en"), &s.title),
            category: "A12".into(),
            language: Some(s.language.split('-').next().unwrap_or("en").to_string()),
            date: s.published_at.map(|t| t.date_naive()),
        });
    }
    let activity = Activity {
        identifier: plan_id.clone(),
        reporting_org: reporting.clone(),
        title: narratives(&data.title),
        descriptions: if data.description.0.values().all(|v| v.trim().is_empty()) { Vec::new() } else { vec![("1".into(), narratives(&data.description))] },
        participants,
        status: plan.status.into(),
        dates: std::iter::once(ActivityDate { kind: "1".into(), date: plan.start })
            .chain(plan.end.map(|e| ActivityDate { kind: "3".into(), date: e }))
            .collect(),
        countries: country.map(|c| vec![(c.to_string(), Some(100.0))]).unwrap_or_default(),
        sectors: sectors(data, all_areas),
        policy_markers: Vec::new(),
        transactions: parent_offers.iter().flat_map(|o| transactions(data, o, plan)).collect(),
        documents,
        related: children.iter().map(|c| Related { kind: "2".into(), identifier: format!("{plan_id}-{}", id_part(&c.code)) }).collect(),
        results: results(data, data.items.iter().filter(|i| i.depth < depth).collect()),
        hierarchy: Some(1),
        default_lang: Some("en".into()),
        default_currency: None,
        last_updated: Some(plan.updated),
    };
    w.activity(&activity).map_err(|e| AppError::Internal(e.to_string()))?;
    let mut count = 1;
    for c in &children {
        let tree = subtree.get(&c.id).cloned().unwrap_or_default();
        let offers: Vec<&AssistanceOffer> = data.offers.iter().filter(|o| offer_home(o) == Some(c.id)).collect();
        let mut participants = Vec::new();
        if let Some(p) = org_of(data, plan.partner) {
            participants.push(Participant { org: p, role: "2".into(), activity_id: None });
        }
        let funders: BTreeSet<OrganisationId> = offers.iter().filter(|o| funded(o)).map(|o| o.offered_by).collect();
        for f in funders {
            if let Some(o) = org_of(data, f) {
                participants.push(Participant { org: o, role: "1".into(), activity_id: None });
            }
        }
        let implementers: Vec<OrganisationId> = c.lead_organisation.into_iter().chain(c.contributing_organisations.iter().copied()).collect();
        for i in implementers {
            if let Some(o) = org_of(data, i) {
                participants.push(Participant { org: o, role: "4".into(), activity_id: None });
            }
        }
        let own_areas: BTreeSet<&str> = c.areas.iter().map(String::as_str).collect();
        let areas = if own_areas.is_empty() { tree.iter().flat_map(|i| i.areas.iter().map(String::as_str)).collect() } else { own_areas };
        let mut dates = vec![ActivityDate { kind: "1".into(), date: c.start.unwrap_or(plan.start) }];
        if let Some(d) = c.due.and_then(|d| d.deadline()) {
            dates.push(ActivityDate { kind: "3".into(), date: d });
        }
        let a = Activity {
            identifier: format!("{plan_id}-{}", id_part(&c.code)),
            reporting_org: reporting.clone(),
            title: narratives(&c.title),
            descriptions: if c.description.0.values().all(|v| v.trim().is_empty()) { Vec::new() } else { vec![("1".into(), narratives(&c.description))] },
            participants,
            status: item_status(c.status).into(),
            dates,
            countries: country.map(|cc| vec![(cc.to_string(), Some(100.0))]).unwrap_or_default(),
            sectors: sectors(data, areas),
            policy_markers: vec![PolicyMarker { vocabulary: "1".into(), code: "1".into(), significance: Some(gender_significance(c.gender_marker).into()) }],
            transactions: offers.iter().flat_map(|o| transactions(data, o, plan)).collect(),
            documents: Vec::new(),
            related: vec![Related { kind: "1".into(), identifier: plan_id.clone() }],
            results: results(data, tree),
            hierarchy: Some(2),
            default_lang: Some("en".into()),
            default_currency: None,
            last_updated: Some(c.updated_at),
        };
        w.activity(&a).map_err(|e| AppError::Internal(e.to_string()))?;
        count += 1;
    }
    let xml = w.finish().map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(Export { xml, activities: count, marking })
}

/// The item's ancestor at `depth` (itself when it is at that depth); `None` above it.
fn ancestor_at(by_id: &HashMap<ItemId, &Item>, item: &Item, depth: u8) -> Option<ItemId> {
    let mut i = item;
    loop {
        if i.depth == depth {
            return Some(i.id);
        }
        if i.depth < depth {
            return None;
        }
        i = by_id.get(&i.parent?)?;
    }
}

/// Whether an offer makes its Ally a funder of the activity: accepted, being delivered or
/// delivered.
fn funded(o: &AssistanceOffer) -> bool {
    matches!(o.state, OfferState::Accepted | OfferState::InDelivery | OfferState::Delivered)
}

/// An offer's transactions: its commitment once accepted, and once delivered its disbursement
/// (money) or expenditure (experts, training, equipment …). An offer without a value has none.
fn transactions(data: &Data, o: &AssistanceOffer, plan: &Header) -> Vec<Transaction> {
    let (Some(minor), true) = (o.value_minor, funded(o)) else { return Vec::new() };
    let value = minor as f64 / 100.0;
    let provider = org_of(data, o.offered_by);
    let receiver = org_of(data, plan.partner);
    let t = |kind: &str, date: chrono::NaiveDate| Transaction {
        reference: Some(format!("{}-{kind}", o.id)),
        kind: kind.into(),
        date,
        value,
        currency: o.currency.clone(),
        value_date: date,
        description: narratives(&o.title),
        provider: provider.clone(),
        receiver: receiver.clone(),
    };
    let mut out = vec![t("2", o.period.start)];
    if o.state == OfferState::Delivered {
        out.push(t(if o.kind == AssistanceKind::Funding { "3" } else { "4" }, o.period.end));
    }
    out
}

/// The sectors of a set of areas: DAC codes (vocabulary 1) where the area has one, the
/// reporting organisation's own codes (vocabulary 99, with the area's name) for the rest; each
/// vocabulary's percentages add up to 100.
fn sectors(data: &Data, areas: BTreeSet<&str>) -> Vec<Sector> {
    let mut dac: BTreeMap<String, ()> = BTreeMap::new();
    let mut own: Vec<(&str, Narratives)> = Vec::new();
    for a in areas {
        match data.areas.get(a) {
            Some(area) if area.dac_sector.is_some() => {
                if let Some(c) = &area.dac_sector {
                    dac.insert(c.clone(), ());
                }
            }
            Some(area) => own.push((a, narratives(&area.name))),
            None => own.push((a, Narratives::one("en", a))),
        }
    }
    let mut out: Vec<Sector> = dac
        .keys()
        .zip(shares(dac.len()))
        .map(|(c, p)| Sector { vocabulary: "1".into(), code: c.clone(), percentage: Some(p), name: Narratives::default() })
        .collect();
    let pcts = shares(own.len());
    out.extend(own.into_iter().zip(pcts).map(|((c, n), p)| Sector { vocabulary: "99".into(), code: c.to_string(), percentage: Some(p), name: n }));
    if out.is_empty() {
        // Every activity names a sector (rule 6.2.2): without areas, DAC's "sectors not specified".
        out.push(Sector { vocabulary: "1".into(), code: UNSPECIFIED_SECTOR.into(), percentage: Some(100.0), name: Narratives::default() });
    }
    out
}

/// DAC 99810, "sectors not specified": the sector of an activity whose items name no area.
pub const UNSPECIFIED_SECTOR: &str = "99810";

/// One result per item that has indicators, with the indicators' baselines, targets and
/// actuals per reporting period (and per category of their disaggregation).
fn results(data: &Data, items: Vec<&Item>) -> Vec<ActivityResult> {
    let mut out = Vec::new();
    for item in items {
        let defs: Vec<&Indicator> = data.indicators.iter().filter(|i| i.item == item.id).collect();
        if defs.is_empty() {
            continue;
        }
        let indicators = defs.into_iter().map(|d| indicator(data, d)).collect();
        out.push(ActivityResult { kind: "2".into(), title: narratives(&item.title), description: Narratives::default(), indicators });
    }
    out
}

fn indicator(data: &Data, d: &Indicator) -> liaison_interop::iati::model::Indicator {
    let key = d.dimension.as_ref().map(|x| x.key.clone());
    let dims = |by: &BTreeMap<String, f64>| -> Vec<liaison_interop::iati::model::Measure> {
        let Some(k) = &key else { return Vec::new() };
        by.iter()
            .map(|(c, v)| liaison_interop::iati::model::Measure { value: Some(*v), dimensions: vec![(k.clone(), c.clone())], comment: Narratives::default() })
            .collect()
    };
    let mut periods: BTreeMap<String, IndicatorPeriod> = BTreeMap::new();
    let period = |key: &str, periods: &mut BTreeMap<String, IndicatorPeriod>| -> bool {
        if periods.contains_key(key) {
            return true;
        }
        match data.periods.get(key) {
            Some((s, e)) => {
                periods.insert(key.to_string(), IndicatorPeriod { start: *s, end: *e, targets: Vec::new(), actuals: Vec::new() });
                true
            }
            None => false,
        }
    };
    for t in &d.targets {
        if period(&t.period, &mut periods)
            && let Some(p) = periods.get_mut(&t.period)
        {
            p.targets.push(liaison_interop::iati::model::Measure { value: Some(t.value), dimensions: Vec::new(), comment: Narratives::default() });
            p.targets.extend(dims(&t.by_category));
        }
    }
    for m in data.measurements.iter().filter(|m| m.indicator == d.id) {
        if period(&m.period, &mut periods)
            && let Some(p) = periods.get_mut(&m.period)
        {
            let value = match d.measure {
                LMeasure::Percentage => match (m.value.value, m.value.denominator) {
                    (Some(n), Some(den)) if den > 0.0 => Some(n / den * 100.0),
                    _ => m.value.value,
                },
                _ => m.value.value,
            };
            let comment = m.value.text.as_deref().map(|t| Narratives::one("en", t)).unwrap_or_default();
            // A figure given only by category has no total: IATI wants a value on every actual
            // of a quantitative indicator (rule 8.10.1), so there is none, only the categories'.
            if value.is_some() || d.measure == LMeasure::Qualitative {
                p.actuals.push(liaison_interop::iati::model::Measure { value, dimensions: Vec::new(), comment });
            }
            if d.measure != LMeasure::Percentage {
                p.actuals.extend(dims(&m.value.by_category));
            }
        }
    }
    liaison_interop::iati::model::Indicator {
        measure: measure_code(d.measure).into(),
        ascending: Some(true),
        title: narratives(&d.name),
        description: if d.unit.trim().is_empty() { Narratives::default() } else { Narratives(vec![(None, d.unit.clone())]) },
        baseline: d.baseline.as_ref().map(|b| Baseline { year: b.date.year(), date: Some(b.date), value: Some(b.value), comment: Narratives::default() }),
        periods: periods.into_values().collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_add_up_to_exactly_100() {
        for n in 1..=13 {
            let s = shares(n);
            assert_eq!(s.len(), n);
            let cents: i64 = s.iter().map(|p| (p * 100.0).round() as i64).sum();
            assert_eq!(cents, 10_000, "{n}: {s:?}");
        }
        assert!(shares(0).is_empty());
        assert_eq!(shares(3), vec![33.33, 33.33, 33.34]);
    }

    #[test]
    fn identifiers_lose_what_iati_forbids() {
        assert_eq!(id_part(" IPAP/SRB 2015 & co? "), "IPAP-SRB-2015---co-");
        assert_eq!(id_part("1.2.3"), "1.2.3");
    }

    #[test]
    fn serbian_is_one_narrative_in_cyrillic() {
        let t = Text::new("en", "Defence").with("sr", "Одбрана").with("sr-Latn", "Odbrana");
        assert_eq!(narratives(&t).0, vec![(Some("en".into()), "Defence".into()), (Some("sr".into()), "Одбрана".into())]);
    }
}
