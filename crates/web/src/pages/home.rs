//! Home: the plans the reader may see, with partner, period, state and progress.

use super::{Base, Page, PageError, render};
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use liaison_domain::plan::Plan;

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
    let v = liaison_app::views::plans::home(&s.app, &page.ctx).await.map_err(|e| page.fail(e))?;
    let mut rows = Vec::new();
    for r in v.rows {
        page.base.mark(&r.plan.marking);
        let partner = r.partner.map(|o| page.base.text(&o.name)).unwrap_or_default();
        rows.push(PlanRow { plan: r.plan, partner, total: r.total, done: r.done });
    }
    let title = page.base.t("home-title");
    Ok(render(&HomePage { base: page.base.with_title(title), rows, can_create: v.may_create }))
}
