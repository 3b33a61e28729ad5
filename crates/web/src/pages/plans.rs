//! Home, the plan page (tree, filters, charts, decisions, lifecycle), versions and their
//! comparison, and the plan's members.

use super::charts::{Bar, bars};
use super::{Base, FormData, Page, PageError, render, see_other};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use liaison_app::plans::{ApproveInput, SetMember, VersionRef};
use liaison_app::{AppError, Paging};
use liaison_domain::access::{Action, Role, Target, Verdict};
use liaison_domain::decision::Decision;
use liaison_domain::due::Quarter;
use liaison_domain::framework::Framework;
use liaison_domain::item::{Item, ItemQuery, ItemStatus};
use liaison_domain::organisation::Organisation;
use liaison_domain::plan::{Plan, PlanState, Side};
use liaison_domain::text::Text;
use liaison_domain::version::{Chunk, Comparison, FieldChange, diff_words};
use liaison_domain::{OrganisationId, PlanId, UserId};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};

fn plan_id(s: &str) -> Result<PlanId, ()> {
    uuid::Uuid::try_parse(s).map(PlanId).map_err(|_| ())
}

/// Names of organisations by id, in the reader's language.
pub(crate) async fn org_names(s: &AppState, page: &Page) -> HashMap<OrganisationId, Organisation> {
    let mut out = HashMap::new();
    let mut paging = Paging { limit: Some(500), cursor: None };
    while let Ok(p) = liaison_app::organisations::list(&s.app, &page.ctx, &paging).await {
        for o in p.items {
            out.insert(o.id, o);
        }
        match p.next_cursor {
            Some(c) => paging.cursor = Some(c),
            None => break,
        }
    }
    out
}

/// Organisation ids to short names, for showing changes of fields that hold ids.
pub(crate) async fn id_names(s: &AppState, page: &Page) -> HashMap<String, String> {
    org_names(s, page).await.into_values().map(|o| (o.id.to_string(), o.short_name)).collect()
}

/// A plan in the home list.
pub struct PlanRow {
    pub plan: Plan,
    pub partner: String,
    pub total: u64,
    pub done: u64,
}

impl PlanRow {
    pub fn percent(&self) -> u64 {
        (self.done * 100).checked_div(self.total).unwrap_or(0)
    }
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    base: Base,
    rows: Vec<PlanRow>,
    can_create: bool,
}

pub async fn home(State(s): State<AppState>, mut page: Page) -> Result<Response, PageError> {
    let plans = liaison_app::plans::list(&s.app, &page.ctx, None, &Paging { limit: Some(500), cursor: None }).await.map_err(|e| page.fail(e))?;
    let orgs = org_names(&s, &page).await;
    let mut rows = Vec::new();
    for plan in plans.items {
        let total = liaison_app::items::count(&s.app, &page.ctx, plan.id, &ItemQuery::default()).await.map_err(|e| page.fail(e))?;
        let done_q = ItemQuery { status: Some(ItemStatus::Completed), ..Default::default() };
        let done = liaison_app::items::count(&s.app, &page.ctx, plan.id, &done_q).await.map_err(|e| page.fail(e))?;
        page.base.mark(&plan.marking);
        let partner = orgs.get(&plan.partner).map(|o| page.base.text(&o.name)).unwrap_or_default();
        rows.push(PlanRow { plan, partner, total, done });
    }
    let can_create = page.ctx.actor.decide(Action::PlanCreate, Target::Installation) == Verdict::Allow;
    let title = page.base.t("home-title");
    Ok(render(&HomePage { base: page.base.with_title(title), rows, can_create }))
}

/// Filters of the plan page, as the form sends them.
#[derive(Deserialize, Default, Clone)]
pub struct PlanFilters {
    #[serde(default)]
    pub area: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub organisation: String,
    #[serde(default)]
    pub due_quarter: String,
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub cursor: String,
}

impl PlanFilters {
    fn query(&self) -> (ItemQuery, Vec<String>) {
        let mut problems = Vec::new();
        let mut q = ItemQuery::default();
        if !self.area.is_empty() {
            q.area = Some(self.area.clone());
        }
        if !self.status.is_empty() {
            match ItemStatus::parse(&self.status) {
                Some(st) => q.status = Some(st),
                None => problems.push("status".to_string()),
            }
        }
        if !self.organisation.is_empty() {
            match uuid::Uuid::try_parse(&self.organisation) {
                Ok(u) => q.organisation = Some(OrganisationId(u)),
                Err(_) => problems.push("organisation".to_string()),
            }
        }
        if !self.due_quarter.is_empty() {
            match self.due_quarter.parse::<Quarter>() {
                Ok(dq) => q.due_quarter = Some(dq),
                Err(_) => problems.push("due_quarter".to_string()),
            }
        }
        if !self.q.trim().is_empty() {
            q.text = Some(self.q.chars().take(200).collect());
        }
        (q, problems)
    }

    pub fn active(&self) -> bool {
        !(self.area.is_empty() && self.status.is_empty() && self.organisation.is_empty() && self.due_quarter.is_empty() && self.q.trim().is_empty())
    }
}

/// A row of the tree.
pub struct TreeRow {
    pub item: Item,
    pub lead: String,
    pub overdue: bool,
}

/// A lifecycle button.
pub struct Move {
    pub to: String,
    pub label: String,
}

#[derive(Template)]
#[template(path = "plan.html")]
struct PlanPage {
    base: Base,
    plan: Plan,
    framework: Framework,
    partner: String,
    owner: String,
    rows: Vec<TreeRow>,
    shown: usize,
    total: u64,
    next_cursor: Option<String>,
    filters: PlanFilters,
    filter_problems: Vec<String>,
    areas: Vec<(String, String)>,
    organisations: Vec<(String, String)>,
    quarters: Vec<String>,
    chart_status: String,
    chart_area: String,
    decisions: Vec<Decision>,
    moves: Vec<Move>,
    approve_side: Option<String>,
    owner_approved: bool,
    partner_approved: bool,
    can_edit_items: bool,
    can_record_decisions: bool,
}

impl PlanPage {
    fn level_name(&self, key: &str) -> String {
        self.framework.levels.iter().find(|l| l.key == key).map(|l| self.base.text(&l.name)).unwrap_or_else(|| key.to_string())
    }
    fn due(&self, i: &Item) -> String {
        due_label(&self.base, i)
    }
    fn shown_text(&self) -> String {
        self.base.ta("items-shown", &[("shown", &self.shown.to_string()), ("total", &self.total.to_string())])
    }
    fn filter_href(&self) -> String {
        let f = &self.filters;
        format!(
            "?area={}&status={}&organisation={}&due_quarter={}&q={}",
            super::urlencode(&f.area),
            super::urlencode(&f.status),
            super::urlencode(&f.organisation),
            super::urlencode(&f.due_quarter),
            super::urlencode(&f.q)
        )
    }
}

pub(crate) fn due_label(base: &Base, i: &Item) -> String {
    match i.due {
        None => String::new(),
        Some(liaison_domain::due::Due::Continuous) => base.t("due-continuous"),
        Some(d) => d.to_string(),
    }
}

pub async fn plan_page(State(s): State<AppState>, mut page: Page, Path(id): Path<String>, Query(filters): Query<PlanFilters>) -> Result<Response, PageError> {
    let id = plan_id(&id).map_err(|_| PageError::not_found(&page.base))?;
    let plan = liaison_app::plans::get(&s.app, &page.ctx, id).await.map_err(|e| page.fail(e))?;
    let framework = liaison_app::directory::framework_by_code(&s.app, &page.ctx, &plan.framework)
        .await
        .map_err(|e| page.fail(e))?
        .ok_or_else(|| page.fail(AppError::NotFound))?;
    let (query, filter_problems) = filters.query();
    let paging = Paging { limit: Some(500), cursor: (!filters.cursor.is_empty()).then(|| filters.cursor.clone()) };
    let listed = match liaison_app::items::list(&s.app, &page.ctx, id, &query, &paging).await {
        Ok(l) => l,
        Err(AppError::Invalid(_)) => {
            liaison_app::items::list(&s.app, &page.ctx, id, &query, &Paging { limit: Some(500), cursor: None }).await.map_err(|e| page.fail(e))?
        }
        Err(e) => return Err(page.fail(e)),
    };
    let total = liaison_app::items::count(&s.app, &page.ctx, id, &ItemQuery::default()).await.map_err(|e| page.fail(e))?;
    let orgs = org_names(&s, &page).await;
    let all_areas = liaison_app::directory::areas(&s.app, &page.ctx).await.map_err(|e| page.fail(e))?;
    let area_name: BTreeMap<String, String> = all_areas.iter().map(|a| (a.code.clone(), page.base.text(&a.name))).collect();
    page.base.mark(&plan.marking);
    let today = page.base.today;
    let mut by_status: BTreeMap<ItemStatus, u64> = BTreeMap::new();
    let mut by_area: BTreeMap<String, u64> = BTreeMap::new();
    let mut rows = Vec::new();
    let mut lead_ids = std::collections::BTreeSet::new();
    for item in &listed.value.items {
        page.base.mark(&item.marking);
        *by_status.entry(item.status).or_default() += 1;
        for a in &item.areas {
            *by_area.entry(a.clone()).or_default() += 1;
        }
        if let Some(l) = item.lead_organisation {
            lead_ids.insert(l);
        }
        let lead = item.lead_organisation.and_then(|l| orgs.get(&l)).map(|o| o.short_name.clone()).unwrap_or_default();
        rows.push(TreeRow { overdue: plan.state.content_editable() && item.is_overdue(today), lead, item: item.clone() });
    }
    let chart_status = bars(
        &page.base.t("chart-by-status"),
        &ItemStatus::ALL
            .iter()
            .filter_map(|st| {
                by_status.get(st).map(|n| Bar { label: page.base.t(&format!("status-{}", st.code())), value: *n, class: format!("status-{}", st.code()) })
            })
            .collect::<Vec<_>>(),
    );
    let chart_area = bars(
        &page.base.t("chart-by-area"),
        &by_area
            .iter()
            .map(|(a, n)| Bar { label: area_name.get(a).cloned().unwrap_or_else(|| a.clone()), value: *n, class: "area".into() })
            .collect::<Vec<_>>(),
    );
    let decisions = liaison_app::decisions::list(&s.app, &page.ctx, id).await.map_err(|e| page.fail(e))?;
    for d in &decisions {
        page.base.mark(&d.marking);
    }
    let may = |a: Action| page.ctx.actor.decide(a, Target::Plan { id, marking: &plan.marking }) == Verdict::Allow;
    let moves = if may(Action::PlanTransition) {
        plan.state
            .next_states()
            .iter()
            .map(|st| Move { to: st.code().into(), label: page.base.t(&format!("move-{}-{}", plan.state.code(), st.code())) })
            .collect()
    } else {
        Vec::new()
    };
    let role = page.ctx.actor.subject().and_then(|s| s.role_on(id));
    let approve_side = match (plan.state, role) {
        (PlanState::Negotiation, Some(Role::Coordinator)) => Some(Side::Owner.code().to_string()),
        (PlanState::Negotiation, Some(Role::PartnerEditor)) => Some(Side::Partner.code().to_string()),
        _ => None,
    };
    let (owner_approved, partner_approved) = if plan.state == PlanState::Negotiation {
        let st = liaison_app::plans::approvals(&s.app, &page.ctx, id).await.map_err(|e| page.fail(e))?;
        (st.owner_approved, st.partner_approved)
    } else {
        (false, false)
    };
    let mut areas: Vec<(String, String)> = area_name.into_iter().collect();
    areas.sort_by(|a, b| a.1.cmp(&b.1));
    let mut organisations: Vec<(String, String)> = lead_ids.iter().filter_map(|l| orgs.get(l)).map(|o| (o.id.to_string(), o.short_name.clone())).collect();
    organisations.sort_by(|a, b| a.1.cmp(&b.1));
    let mut quarters = Vec::new();
    let mut q = Quarter::of(plan.period.start);
    while q <= Quarter::of(plan.period.end) && quarters.len() < 40 {
        quarters.push(q.to_string());
        q = q.next();
    }
    let partner = orgs.get(&plan.partner).map(|o| page.base.text(&o.name)).unwrap_or_default();
    let owner = orgs.get(&plan.owner).map(|o| page.base.text(&o.name)).unwrap_or_default();
    let can_edit_items = may(Action::ItemWrite) && plan.state.content_editable();
    let title = format!("{} — {}", plan.code, page.base.text(&plan.title));
    Ok(render(&PlanPage {
        shown: rows.len(),
        rows,
        total,
        next_cursor: listed.value.next_cursor.clone(),
        filters,
        filter_problems,
        areas,
        organisations,
        quarters,
        chart_status,
        chart_area,
        decisions,
        moves,
        approve_side,
        owner_approved,
        partner_approved,
        can_edit_items,
        can_record_decisions: may(Action::DecisionWrite) && plan.state.content_editable(),
        framework,
        partner,
        owner,
        plan,
        base: page.base.with_title(title),
    }))
}

async fn plan_for_form(s: &AppState, page: &Page, id: &str) -> Result<Plan, PageError> {
    let id = plan_id(id).map_err(|_| PageError::not_found(&page.base))?;
    liaison_app::plans::get(&s.app, &page.ctx, id).await.map_err(|e| page.fail(e))
}

/// A lifecycle move from the plan page. A refused move comes back as a message on the page.
pub async fn transition(State(s): State<AppState>, page: Page, Path(id): Path<String>, form: FormData) -> Result<Response, PageError> {
    let plan = plan_for_form(&s, &page, &id).await?;
    let version: i64 = form.value("version").parse().unwrap_or(-1);
    let to = PlanState::parse(&form.value("to")).ok_or_else(|| PageError::not_found(&page.base))?;
    match liaison_app::plans::transition(&s.app, &page.ctx, plan.id, version, to).await {
        Ok(_) => Ok(see_other(&format!("/plans/{}", plan.id))),
        Err(AppError::Invalid(e)) => Ok(message_page(page.base, &plan, e.0.into_iter().map(|f| f.message).collect())),
        Err(AppError::Stale { .. }) => Ok(message_page(page.base.clone(), &plan, vec![page.base.t("stale-plan")])),
        Err(e) => Err(page.fail(e)),
    }
}

pub async fn approve(State(s): State<AppState>, page: Page, Path(id): Path<String>, form: FormData) -> Result<Response, PageError> {
    let plan = plan_for_form(&s, &page, &id).await?;
    let input = ApproveInput { side: Side::parse(&form.value("side")), content_hash: form.get("content_hash").map(String::from).filter(|h| !h.is_empty()) };
    match liaison_app::plans::approve(&s.app, &page.ctx, plan.id, input).await {
        Ok(_) => Ok(see_other(&format!("/plans/{}", plan.id))),
        Err(AppError::Invalid(e)) => Ok(message_page(page.base, &plan, e.0.into_iter().map(|f| f.message).collect())),
        Err(e) => Err(page.fail(e)),
    }
}

#[derive(Template)]
#[template(path = "message.html")]
struct MessagePage {
    base: Base,
    plan: Plan,
    messages: Vec<String>,
}

fn message_page(base: Base, plan: &Plan, messages: Vec<String>) -> Response {
    let title = base.t("action-refused");
    let mut r = render(&MessagePage { base: base.with_title(title), plan: plan.clone(), messages });
    *r.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    r
}

#[derive(Template)]
#[template(path = "versions.html")]
struct VersionsPage {
    base: Base,
    plan: Plan,
    versions: Vec<(i32, String, String)>,
}

pub async fn versions(State(s): State<AppState>, mut page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    let plan = plan_for_form(&s, &page, &id).await?;
    let list = liaison_app::plans::versions(&s.app, &page.ctx, plan.id).await.map_err(|e| page.fail(e))?;
    page.base.mark(&plan.marking);
    let versions = list.iter().map(|v| (v.number, page.base.time(&v.agreed_at), v.content_hash.chars().take(12).collect())).collect();
    let title = format!("{} — {}", plan.code, page.base.t("versions-title"));
    Ok(render(&VersionsPage { base: page.base.with_title(title), plan, versions }))
}

#[derive(Deserialize)]
pub struct CompareQuery {
    from: Option<String>,
    to: Option<String>,
}

/// One field of a changed item, ready to show: either word-level chunks or before → after.
pub struct FieldView {
    pub name: String,
    pub chunks: Vec<Chunk>,
    pub before: String,
    pub after: String,
}

pub struct ChangedView {
    pub code: String,
    pub id: String,
    pub fields: Vec<FieldView>,
}

#[derive(Template)]
#[template(path = "compare.html")]
struct ComparePage {
    base: Base,
    plan: Plan,
    from: String,
    to: String,
    options: Vec<(String, String)>,
    comparison: Comparison,
    plan_fields: Vec<FieldView>,
    changed: Vec<ChangedView>,
}

impl ComparePage {
    fn text(&self, t: &Text) -> String {
        self.base.text(t)
    }
    fn links_text(&self) -> String {
        self.base.ta(
            "compare-links-count",
            &[("added", &self.comparison.links_added.len().to_string()), ("removed", &self.comparison.links_removed.len().to_string())],
        )
    }
}

/// A field change as people read it: text compared word by word in each language, statuses
/// in words, ids by name (from `names`), other values as before → after.
pub(crate) fn field_view(base: &Base, f: &FieldChange, names: &HashMap<String, String>) -> Vec<FieldView> {
    let label = base.field(&f.field);
    let as_text = |v: &serde_json::Value| serde_json::from_value::<Text>(v.clone()).ok();
    if let (Some(a), Some(b)) = (as_text(&f.before), as_text(&f.after))
        && (f.before.is_object() || f.after.is_object())
    {
        let mut langs: Vec<&String> = a.0.keys().chain(b.0.keys()).collect();
        langs.sort();
        langs.dedup();
        return langs
            .into_iter()
            .filter(|l| a.0.get(*l) != b.0.get(*l))
            .map(|l| {
                let (old, new) = (a.0.get(l).cloned().unwrap_or_default(), b.0.get(l).cloned().unwrap_or_default());
                let (old, new) = if l == "sr" && base.lang == liaison_domain::text::UiLang::SrLatn {
                    (liaison_domain::translit::cyrillic_to_latin(&old), liaison_domain::translit::cyrillic_to_latin(&new))
                } else {
                    (old, new)
                };
                FieldView { name: format!("{label} ({l})"), chunks: diff_words(&old, &new), before: String::new(), after: String::new() }
            })
            .collect();
    }
    let one = |s: &str| {
        if f.field == "status" {
            ItemStatus::parse(s).map(|st| base.status(&st)).unwrap_or_else(|| s.to_string())
        } else if f.field == "state" {
            PlanState::parse(s).map(|st| base.state(&st)).unwrap_or_else(|| s.to_string())
        } else {
            names.get(s).cloned().unwrap_or_else(|| s.to_string())
        }
    };
    let show = |v: &serde_json::Value| match v {
        serde_json::Value::Null => "—".to_string(),
        serde_json::Value::String(s) => one(s),
        serde_json::Value::Array(a) if a.is_empty() => "—".to_string(),
        serde_json::Value::Array(a) => a.iter().map(|x| x.as_str().map(one).unwrap_or_else(|| x.to_string())).collect::<Vec<_>>().join(", "),
        serde_json::Value::Object(m) if m.contains_key("level") => {
            serde_json::from_value::<liaison_domain::marking::Marking>(v.clone()).map(|mk| mk.banner()).unwrap_or_else(|_| v.to_string())
        }
        other => other.to_string(),
    };
    vec![FieldView { name: label, chunks: Vec::new(), before: show(&f.before), after: show(&f.after) }]
}

pub async fn compare(State(s): State<AppState>, mut page: Page, Path(id): Path<String>, Query(q): Query<CompareQuery>) -> Result<Response, PageError> {
    let plan = plan_for_form(&s, &page, &id).await?;
    let list = liaison_app::plans::versions(&s.app, &page.ctx, plan.id).await.map_err(|e| page.fail(e))?;
    let last = list.last().map(|v| v.number.to_string()).unwrap_or_else(|| "current".into());
    let from = q.from.unwrap_or(last);
    let to = q.to.unwrap_or_else(|| "current".into());
    let (Some(a), Some(b)) = (VersionRef::parse(&from), VersionRef::parse(&to)) else {
        return Err(PageError::not_found(&page.base));
    };
    let comparison = liaison_app::plans::compare_versions(&s.app, &page.ctx, plan.id, a, b).await.map_err(|e| page.fail(e))?;
    page.base.mark(&plan.marking);
    for i in comparison.added.iter().chain(comparison.removed.iter()) {
        page.base.mark(&i.marking);
    }
    let names = id_names(&s, &page).await;
    let plan_fields = comparison.plan.iter().flat_map(|f| field_view(&page.base, f, &names)).collect();
    let changed = comparison
        .changed
        .iter()
        .map(|c| ChangedView { code: c.code.clone(), id: c.id.to_string(), fields: c.changes.iter().flat_map(|f| field_view(&page.base, f, &names)).collect() })
        .collect();
    let mut options: Vec<(String, String)> = list
        .iter()
        .map(|v| {
            (v.number.to_string(), page.base.ta("version-agreed", &[("number", &v.number.to_string()), ("date", &v.agreed_at.format("%Y-%m-%d").to_string())]))
        })
        .collect();
    options.push(("current".into(), page.base.t("version-current")));
    let title = format!("{} — {}", plan.code, page.base.t("compare-title"));
    Ok(render(&ComparePage { base: page.base.with_title(title), plan, from, to, options, comparison, plan_fields, changed }))
}

pub struct MemberRow {
    pub user: UserId,
    pub name: String,
    pub organisation: String,
    pub role: Role,
    pub version: i64,
}

#[derive(Template)]
#[template(path = "members.html")]
struct MembersPage {
    base: Base,
    plan: Plan,
    members: Vec<MemberRow>,
    candidates: Vec<(String, String)>,
    can_manage: bool,
    error: Option<String>,
}

impl MembersPage {
    fn role_label(&self, r: &Role) -> String {
        self.base.t(&format!("role-{}", r.code()))
    }
}

async fn members_page(s: &AppState, mut page: Page, plan: Plan, error: Option<String>) -> Result<Response, PageError> {
    let members = liaison_app::plans::members(&s.app, &page.ctx, plan.id).await.map_err(|e| page.fail(e))?;
    let orgs = org_names(s, &page).await;
    let can_manage = page.ctx.actor.decide(Action::MembersManage, Target::Plan { id: plan.id, marking: &plan.marking }) == Verdict::Allow;
    let mut candidates = Vec::new();
    if can_manage && page.base.can_read_users {
        let mut paging = Paging { limit: Some(500), cursor: None };
        while let Ok(p) = liaison_app::users::list(&s.app, &page.ctx, &paging).await {
            candidates.extend(p.items.iter().map(|u| (u.id.to_string(), format!("{} <{}>", u.display_name, u.email))));
            match p.next_cursor {
                Some(c) => paging.cursor = Some(c),
                None => break,
            }
        }
    }
    page.base.mark(&plan.marking);
    let rows = members
        .into_iter()
        .map(|m| MemberRow {
            organisation: orgs.get(&m.organisation).map(|o| o.short_name.clone()).unwrap_or_default(),
            user: m.user,
            name: m.display_name,
            role: m.role,
            version: m.version,
        })
        .collect();
    let title = format!("{} — {}", plan.code, page.base.t("members-title"));
    let mut r = render(&MembersPage { base: page.base.with_title(title), plan, members: rows, candidates, can_manage, error: error.clone() });
    if error.is_some() {
        *r.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(r)
}

pub async fn members(State(s): State<AppState>, page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    let plan = plan_for_form(&s, &page, &id).await?;
    members_page(&s, page, plan, None).await
}

pub async fn set_member(State(s): State<AppState>, page: Page, Path(id): Path<String>, form: FormData) -> Result<Response, PageError> {
    let plan = plan_for_form(&s, &page, &id).await?;
    let user = uuid::Uuid::try_parse(&form.value("user")).map(UserId).ok();
    let role = Role::parse(&form.value("role"));
    let (Some(user), Some(role)) = (user, role) else {
        let msg = page.base.t("members-choose");
        return members_page(&s, page, plan, Some(msg)).await;
    };
    match liaison_app::plans::set_member(&s.app, &page.ctx, plan.id, SetMember { user, role }).await {
        Ok(_) => Ok(see_other(&format!("/plans/{}/members", plan.id))),
        Err(AppError::Invalid(e)) => {
            let msg = e.0.into_iter().map(|f| f.message).collect::<Vec<_>>().join("; ");
            members_page(&s, page, plan, Some(msg)).await
        }
        Err(e) => Err(page.fail(e)),
    }
}

pub async fn remove_member(State(s): State<AppState>, page: Page, Path(id): Path<String>, form: FormData) -> Result<Response, PageError> {
    let plan = plan_for_form(&s, &page, &id).await?;
    let user = uuid::Uuid::try_parse(&form.value("user")).map(UserId).map_err(|_| PageError::not_found(&page.base))?;
    let version: i64 = form.value("version").parse().unwrap_or(-1);
    match liaison_app::plans::remove_member(&s.app, &page.ctx, plan.id, user, version).await {
        Ok(()) => Ok(see_other(&format!("/plans/{}/members", plan.id))),
        Err(AppError::Stale { .. }) => {
            let msg = page.base.t("stale-member");
            members_page(&s, page, plan, Some(msg)).await
        }
        Err(e) => Err(page.fail(e)),
    }
}
