//! Tailored assistance: the clearing house (uncovered requests, items without support,
//! duplicates, totals) with filters, the partner's requests and the Allies' offers, each with
//! the steps its reader may take.

use super::{Base, FormData, Page, PageError, render, see_other};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use liaison_app::AppError;
use liaison_domain::plan::Plan;
use liaison_domain::{ItemId, PlanId};
use serde::Deserialize;

#[derive(Deserialize, Default, Clone)]
pub struct AssistanceFilters {
    #[serde(default)]
    pub area: String,
    #[serde(default)]
    pub ally: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
}

impl AssistanceFilters {
    fn to_filter(&self, base: &Base) -> Result<liaison_app::assistance::ClearingFilter, Vec<String>> {
        let mut p = Vec::new();
        let mut f = liaison_app::assistance::ClearingFilter::default();
        if !self.area.is_empty() {
            f.area = Some(self.area.clone());
        }
        if !self.ally.is_empty() {
            match uuid::Uuid::try_parse(&self.ally) {
                Ok(u) => f.ally = Some(liaison_domain::OrganisationId(u)),
                Err(_) => p.push(format!("{}: {}", base.field("ally"), base.t("form-not-organisation"))),
            }
        }
        if !self.kind.is_empty() {
            match liaison_domain::assistance::AssistanceKind::parse(&self.kind) {
                Some(k) => f.kind = Some(k),
                None => p.push(format!("{}: {}", base.field("kind"), base.t("form-not-kind"))),
            }
        }
        for (name, v, slot) in [("from", &self.from, &mut f.from), ("to", &self.to, &mut f.to)] {
            if !v.is_empty() {
                match v.parse() {
                    Ok(d) => *slot = Some(d),
                    Err(_) => p.push(format!("{}: {}", base.field(name), base.t("date-hint"))),
                }
            }
        }
        if p.is_empty() { Ok(f) } else { Err(p) }
    }
}

pub struct OfferRow {
    pub offer: liaison_domain::assistance::AssistanceOffer,
    pub by: String,
    pub items: String,
    pub value: String,
    pub steps: Vec<(String, String, bool)>,
}

pub struct RequestRow {
    pub request: liaison_domain::assistance::AssistanceRequest,
    pub items: String,
    pub can_close: bool,
}

#[derive(Template)]
#[template(path = "assistance.html")]
struct AssistancePage {
    base: Base,
    plan: Plan,
    filters: AssistanceFilters,
    areas: Vec<(String, String)>,
    allies: Vec<(String, String)>,
    kinds: Vec<(String, String)>,
    ch: Option<liaison_app::assistance::ClearingHouseView>,
    requests: Vec<RequestRow>,
    offers: Vec<OfferRow>,
    item_choices: Vec<(String, String)>,
    request_choices: Vec<(String, String)>,
    can_request: bool,
    can_offer: bool,
    offer_for_others: bool,
    problems: Vec<String>,
}

impl AssistancePage {
    fn area_name(&self, code: &str) -> String {
        if code.is_empty() {
            return self.base.t("assistance-no-area");
        }
        self.areas.iter().find(|(c, _)| c == code).map(|(_, n)| n.clone()).unwrap_or_else(|| code.to_string())
    }
    fn kind_name(&self, k: &liaison_domain::assistance::AssistanceKind) -> String {
        self.base.t(&format!("assistance-kind-{}", k.code()))
    }
    fn totals(&self, t: &liaison_domain::assistance::Totals) -> String {
        let values: Vec<String> = t.value_minor.iter().map(|(c, v)| format!("{} {c}", money(*v))).collect();
        if values.is_empty() { t.offers.to_string() } else { format!("{} · {}", t.offers, values.join(" · ")) }
    }
}

/// Minor units as a sum with two decimals and thin grouping.
pub fn money(minor: i64) -> String {
    let (units, cents) = (minor / 100, (minor % 100).abs());
    let digits = units.abs().to_string();
    let mut grouped = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push('\u{202f}');
        }
        grouped.push(ch);
    }
    format!("{}{grouped}.{cents:02}", if minor < 0 { "-" } else { "" })
}

/// A sum typed in a form (`15000`, `15 000,50`) in minor units.
pub fn parse_money(s: &str) -> Option<i64> {
    let clean: String = s.chars().filter(|c| !c.is_whitespace() && *c != '\u{202f}').collect::<String>().replace(',', ".");
    if clean.is_empty() {
        return None;
    }
    let (units, frac) = clean.split_once('.').unwrap_or((&clean, ""));
    if units.is_empty() || !units.bytes().all(|b| b.is_ascii_digit()) || frac.len() > 2 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let cents: i64 = format!("{frac:0<2}").parse().ok()?;
    units.parse::<i64>().ok()?.checked_mul(100)?.checked_add(cents)
}

async fn assistance_page(s: &AppState, mut page: Page, plan: PlanId, filters: AssistanceFilters, mut problems: Vec<String>) -> Result<Response, PageError> {
    let filter = match filters.to_filter(&page.base) {
        Ok(f) => Some(f),
        Err(p) => {
            problems.extend(p);
            None
        }
    };
    let v = liaison_app::views::implementation::assistance(&s.app, &page.ctx, plan, filter.as_ref()).await.map_err(|e| page.fail(e))?;
    let plan = v.plan;
    page.base.mark(&plan.marking);
    problems.extend(v.filter_problems.iter().map(|e| format!("{}: {}", page.base.field(&e.field), page.base.problem(e))));
    for r in &v.requests {
        page.base.mark(&r.request.marking);
    }
    for o in &v.offers {
        page.base.mark(&o.offer.marking);
    }
    let code_of = |i: &ItemId| v.items.iter().find(|x| x.id == *i).map(|x| x.code.clone()).unwrap_or_default();
    let codes = |list: &[ItemId]| list.iter().map(&code_of).collect::<Vec<_>>().join(", ");
    let base = &page.base;
    let offer_rows = v
        .offers
        .iter()
        .map(|o| OfferRow {
            by: v.organisations.get(&o.offer.offered_by).map(|x| x.short_name.clone()).unwrap_or_default(),
            items: codes(&o.offer.items),
            value: match (o.offer.value_minor, &o.offer.currency) {
                (Some(x), Some(c)) => format!("{} {c}", money(x)),
                _ => String::new(),
            },
            steps: o.steps.iter().map(|to| (to.code().to_string(), base.t(&format!("offer-to-{}", to.code())), to.needs_reason())).collect(),
            offer: o.offer.clone(),
        })
        .collect();
    let request_rows = v.requests.iter().map(|r| RequestRow { items: codes(&r.request.items), can_close: r.may_close, request: r.request.clone() }).collect();
    let mut areas: Vec<(String, String)> = v.areas.iter().map(|a| (a.code.clone(), base.text(&a.name))).collect();
    areas.sort_by(|a, b| a.1.cmp(&b.1));
    let mut allies: Vec<(String, String)> = v
        .organisations
        .values()
        .filter(|o| matches!(o.kind, liaison_domain::organisation::OrgKind::Ally | liaison_domain::organisation::OrgKind::Agency))
        .map(|o| (o.id.to_string(), o.short_name.clone()))
        .collect();
    allies.sort_by(|a, b| a.1.cmp(&b.1));
    let kinds =
        liaison_domain::assistance::AssistanceKind::ALL.iter().map(|k| (k.code().to_string(), base.t(&format!("assistance-kind-{}", k.code())))).collect();
    let item_choices = v.items.iter().map(|i| (i.id.to_string(), format!("{} {}", i.code, base.text(&i.title)))).collect();
    let request_choices = v
        .requests
        .iter()
        .filter(|r| r.request.state == liaison_domain::assistance::RequestState::Open)
        .map(|r| (r.request.id.to_string(), base.text(&r.request.title)))
        .collect();
    let title = format!("{} — {}", base.t("assistance-title"), plan.code);
    let failed = !problems.is_empty();
    let mut r = render(&AssistancePage {
        can_offer: v.may_offer,
        offer_for_others: v.offers_for_others,
        base: page.base.with_title(title),
        filters,
        areas,
        allies,
        kinds,
        ch: v.clearing,
        requests: request_rows,
        offers: offer_rows,
        item_choices,
        request_choices,
        can_request: v.may_request,
        problems,
        plan,
    });
    if failed {
        *r.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(r)
}

pub async fn assistance(State(s): State<AppState>, page: Page, Path(id): Path<String>, Query(f): Query<AssistanceFilters>) -> Result<Response, PageError> {
    let plan: PlanId = page.id(&id)?;
    assistance_page(&s, page, plan, f, Vec::new()).await
}

pub(crate) fn ids<T: From<uuid::Uuid>>(form: &FormData, name: &str) -> Vec<T> {
    form.all(name).iter().filter_map(|v| uuid::Uuid::try_parse(v).ok()).map(T::from).collect()
}

pub(crate) fn period_of(base: &Base, form: &FormData) -> Result<liaison_domain::plan::Period, Vec<String>> {
    match (form.value("start").parse(), form.value("end").parse()) {
        (Ok(start), Ok(end)) => Ok(liaison_domain::plan::Period { start, end }),
        _ => Err(vec![base.t("form-dates")]),
    }
}

/// Back to the assistance page: after a change, or with its problems.
async fn after(s: &AppState, page: Page, plan: PlanId, r: Result<PlanId, AppError>) -> Result<Response, PageError> {
    match r {
        Ok(p) => Ok(see_other(&format!("/plans/{p}/assistance"))),
        Err(e) => match super::progress::messages(&page.base, e) {
            Ok(p) => assistance_page(s, page, plan, AssistanceFilters::default(), p).await,
            Err(e) => Err(page.fail(e)),
        },
    }
}

pub async fn request_new(State(s): State<AppState>, page: Page, Path(id): Path<String>, form: FormData) -> Result<Response, PageError> {
    let plan: PlanId = page.id(&id)?;
    let period = match period_of(&page.base, &form) {
        Ok(p) => p,
        Err(p) => return assistance_page(&s, page, plan, AssistanceFilters::default(), p).await,
    };
    let kind = liaison_domain::assistance::AssistanceKind::parse(&form.value("kind")).unwrap_or(liaison_domain::assistance::AssistanceKind::Other);
    let priority = liaison_domain::assistance::Priority::parse(&form.value("priority")).unwrap_or(liaison_domain::assistance::Priority::Medium);
    let input = liaison_domain::assistance::NewRequest {
        title: form.text("title"),
        need: form.value("need"),
        kind,
        period,
        priority,
        items: ids(&form, "items"),
        marking: None,
    };
    let r = liaison_app::assistance::create_request(&s.app, &page.ctx, plan, input).await.map(|r| r.plan);
    after(&s, page, plan, r).await
}

pub async fn request_close(State(s): State<AppState>, page: Page, Path(id): Path<String>, form: FormData) -> Result<Response, PageError> {
    let rid: liaison_domain::RequestId = page.id(&id)?;
    let version: i64 = form.value("version").parse().unwrap_or(-1);
    let patch = liaison_domain::assistance::RequestPatch { state: Some(liaison_domain::assistance::RequestState::Closed), ..Default::default() };
    match liaison_app::assistance::update_request(&s.app, &page.ctx, rid, version, patch).await {
        Ok(r) => Ok(see_other(&format!("/plans/{}/assistance", r.plan))),
        Err(e) => {
            let req = liaison_app::assistance::get_request(&s.app, &page.ctx, rid).await.map_err(|e| page.fail(e))?;
            after(&s, page, req.plan, Err(e)).await
        }
    }
}

pub async fn offer_new(State(s): State<AppState>, page: Page, Path(id): Path<String>, form: FormData) -> Result<Response, PageError> {
    let plan: PlanId = page.id(&id)?;
    let period = match period_of(&page.base, &form) {
        Ok(p) => p,
        Err(p) => return assistance_page(&s, page, plan, AssistanceFilters::default(), p).await,
    };
    let value = form.value("value");
    let value_minor = match (value.is_empty(), parse_money(&value)) {
        (true, _) => None,
        (false, Some(v)) => Some(v),
        (false, None) => {
            let msg = format!("{}: {}", page.base.field("value"), page.base.t("form-sum-hint"));
            return assistance_page(&s, page, plan, AssistanceFilters::default(), vec![msg]).await;
        }
    };
    let currency = Some(form.value("currency")).filter(|c| !c.is_empty());
    let kind = liaison_domain::assistance::AssistanceKind::parse(&form.value("kind")).unwrap_or(liaison_domain::assistance::AssistanceKind::Other);
    let input = liaison_domain::assistance::NewOffer {
        kind,
        title: form.text("title"),
        description: form.value("description"),
        value_minor,
        currency,
        period,
        items: ids(&form, "items"),
        answers: ids::<liaison_domain::RequestId>(&form, "answers").first().copied(),
        shared_with: ids(&form, "shared_with"),
        marking: None,
        offered_by: ids::<liaison_domain::OrganisationId>(&form, "offered_by").first().copied(),
    };
    let r = liaison_app::assistance::create_offer(&s.app, &page.ctx, plan, input).await.map(|o| o.plan);
    after(&s, page, plan, r).await
}

pub async fn offer_step(State(s): State<AppState>, page: Page, Path(id): Path<String>, form: FormData) -> Result<Response, PageError> {
    let oid: liaison_domain::OfferId = page.id(&id)?;
    let Some(to) = liaison_domain::assistance::OfferState::parse(&form.value("to")) else { return Err(PageError::not_found(&page.base)) };
    let version: i64 = form.value("version").parse().unwrap_or(-1);
    let reason = Some(form.value("reason")).filter(|r| !r.is_empty());
    match liaison_app::assistance::step_offer(&s.app, &page.ctx, oid, version, liaison_domain::assistance::OfferStep { to, reason }).await {
        Ok(o) => Ok(see_other(&format!("/plans/{}/assistance", o.plan))),
        Err(e) => {
            let offer = liaison_app::assistance::get_offer(&s.app, &page.ctx, oid).await.map_err(|e| page.fail(e))?;
            after(&s, page, offer.plan, Err(e)).await
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{money, parse_money};

    #[test]
    fn sums_are_read_and_written_in_minor_units() {
        assert_eq!(parse_money("15000"), Some(1_500_000));
        assert_eq!(parse_money("15 000,5"), Some(1_500_050));
        assert_eq!(parse_money("0.07"), Some(7));
        for bad in ["", "12.345", "-5", "1e3", "abc", ".5"] {
            assert_eq!(parse_money(bad), None, "{bad}");
        }
        assert_eq!(money(1_500_050), "15\u{202f}000.50");
        assert_eq!(money(7), "0.07");
    }
}
