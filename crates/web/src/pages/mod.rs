//! The signed-in workspace as server-rendered pages (askama templates). Pages work without
//! JavaScript; all text comes from the Fluent files; every page that shows marked data shows
//! the highest marking on it as a banner, top and bottom.

pub mod account;
pub mod activities;
pub mod admin;
pub mod assessments;
pub mod assistance;
pub mod auth;
pub mod calendar;
pub mod charts;
pub mod dashboard;
pub mod decisions;
pub mod exchange;
pub mod figures;
pub mod home;
pub mod imports;
pub mod inbox;
pub mod items;
pub mod kit;
pub mod markdown;
pub mod members;
pub mod plans;
pub mod portfolio;
pub mod progress;
pub mod public;
pub mod report;
pub mod search;
pub mod stories;
pub mod versions;

use crate::state::AppState;
use axum::Router;
use axum::routing::{get, post};

pub fn routes(max_upload: usize) -> Router<AppState> {
    // Forms that carry an evidence file may be as large as the largest file accepted.
    let uploads = Router::new()
        .route("/items/{id}/updates", post(progress::create_update))
        .route("/updates/{id}/edit", post(progress::edit_update))
        .layer(axum::extract::DefaultBodyLimit::max(max_upload + 64 * 1024));
    // Photos have their own limit, the same as through the API.
    let photos = Router::new()
        .route("/stories/{id}/photos", post(stories::add_photo))
        .layer(axum::extract::DefaultBodyLimit::max(liaison_domain::story::MAX_PHOTO_BYTES + 64 * 1024));
    // An import's file may be as large as the API takes.
    let imports = Router::new()
        .route("/imports/iati", get(imports::upload_form).post(imports::upload))
        .route("/plans/{id}/import", get(imports::sheet_form).post(imports::sheet_upload))
        .layer(axum::extract::DefaultBodyLimit::max(liaison_app::imports::MAX_IMPORT_BYTES + 64 * 1024));
    Router::new()
        .merge(uploads)
        .merge(photos)
        .merge(imports)
        .route("/imports/{id}", get(imports::preview))
        .route("/imports/{id}/apply", post(imports::apply))
        .route("/imports/{id}/mapping", post(imports::sheet_mapping))
        .route("/updates/{id}/step", post(progress::step_update))
        .route("/items/{id}/indicators", post(progress::define_indicator))
        .route("/indicators/{id}/measurements", post(progress::record_measurement))
        .route("/plans/{id}/dashboard", get(dashboard::dashboard))
        .route("/plans/{id}/calendar", get(calendar::calendar))
        .route("/plans/{id}/calendar/{key}", post(calendar::calendar_update))
        .route("/plans/{id}/assessments", get(assessments::assessments))
        .route("/plans/{id}/assessments/start", post(assessments::assessment_start))
        .route("/assessments/{id}", post(assessments::assessment_save))
        .route("/plans/{id}/report", get(report::report))
        .route("/plans/{id}/assistance", get(assistance::assistance))
        .route("/plans/{id}/requests/new", post(assistance::request_new))
        .route("/requests/{id}/close", post(assistance::request_close))
        .route("/plans/{id}/offers/new", post(assistance::offer_new))
        .route("/offers/{id}/step", post(assistance::offer_step))
        .route("/plans/{id}/activities", get(activities::activities))
        .route("/plans/{id}/activities/new", post(activities::activity_new))
        .route("/activities/{id}/edit", post(activities::activity_edit))
        .route("/plans/{id}/stories", get(stories::stories))
        .route("/plans/{id}/stories/new", post(stories::create))
        .route("/plans/{id}/portal", post(stories::set_portal))
        .route("/stories/{id}/edit", post(stories::edit))
        .route("/stories/{id}/photos/{photo}/remove", post(stories::remove_photo))
        .route("/stories/{id}/step", post(stories::step))
        .route("/public/", get(public::index))
        .route("/public", get(|| async { see_other("/public/") }))
        .route("/public/plans/{id}", get(public::plan))
        .route("/public/plans/{id}/stories", get(public::stories))
        .route("/public/plans/{id}/activities", get(public::activities))
        .route("/public/plans/{id}/feed.atom", get(public::atom))
        .route("/public/plans/{id}/calendar.ics", get(public::calendar))
        .route("/public/plans/{id}/iati.xml", get(public::iati))
        .route("/public/stories/{id}", get(public::story))
        .route("/public/photos/{id}/{size}", get(public::photo))
        .route("/public/sitemap.xml", get(public::sitemap))
        .route("/public/search", get(search::public_search))
        .route("/search", get(search::search))
        .route("/portfolio", get(portfolio::portfolio))
        .route("/robots.txt", get(public::robots))
        .route("/notifications", get(inbox::notifications))
        .route("/notifications/read", post(inbox::notifications_read))
        .route("/", get(home::home))
        .route("/login", get(auth::login_page).post(auth::login_submit))
        .route("/login/second-factor", post(auth::factor_submit))
        .route("/login/second-factor/passkey", post(auth::factor_passkey_options))
        .route("/login/sso/{name}", get(auth::sso_begin))
        .route("/login/sso/{name}/callback", get(auth::sso_callback))
        .route("/account", get(account::account))
        .route("/account/totp", post(account::begin_totp))
        .route("/account/totp/confirm", post(account::confirm_totp))
        .route("/account/totp/remove", post(account::remove_totp))
        .route("/account/recovery-codes", post(account::renew_recovery_codes))
        .route("/account/passkeys", post(account::register_passkey))
        .route("/account/passkeys/options", post(account::passkey_options))
        .route("/account/passkeys/{id}/remove", post(account::remove_passkey))
        .route("/account/mail", post(account::set_mail))
        .route("/logout", post(auth::logout))
        .route("/lang/{tag}", get(auth::set_language))
        .route("/plans/new", get(plans::new_plan).post(plans::create_plan))
        .route("/plans/{id}", get(plans::plan_page))
        .route("/plans/{id}/decisions/new", get(decisions::new_decision).post(decisions::create_decision))
        .route("/plans/{id}/transition", post(plans::transition))
        .route("/plans/{id}/approve", post(plans::approve))
        .route("/plans/{id}/versions", get(versions::versions))
        .route("/plans/{id}/compare", get(versions::compare))
        .route("/plans/{id}/members", get(members::members).post(members::set_member))
        .route("/plans/{id}/members/remove", post(members::remove_member))
        .route("/plans/{id}/items/new", get(items::new_form).post(items::create))
        .route("/items/{id}", get(items::item_page))
        .route("/items/{id}/edit", get(items::edit_form).post(items::update))
        .route("/items/{id}/comments", post(items::comment))
        .route("/items/{id}/delete", get(items::confirm_delete).post(items::delete))
        .route("/admin/users", get(admin::users).post(admin::create_user))
        .route("/admin/users/{id}", get(admin::user_form).post(admin::update_user))
        .route("/admin/users/{id}/second-factor/reset", post(admin::reset_second_factor))
        .route("/admin/organisations", get(admin::organisations).post(admin::create_organisation))
        .route("/admin/organisations/{id}", get(admin::organisation_form).post(admin::update_organisation))
        .route("/admin/exchange", get(exchange::overview))
        .route("/admin/exchange/peers", post(exchange::add_peer))
        .route("/admin/exchange/conflicts/{id}", post(exchange::settle))
}

pub use kit::*;
