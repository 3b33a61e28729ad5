//! Administration pages: accounts and organisations (roles on plans are on each plan's
//! members page).

use super::{Base, FormData, FormErrors, Page, PageError, render, see_other};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use liaison_app::AppError;
use liaison_domain::access::GlobalRole;
use liaison_domain::marking::Level;
use liaison_domain::organisation::{NewOrganisation, OrgKind, Organisation, OrganisationPatch};
use liaison_domain::text::Text;
use liaison_domain::user::{NewUser, User, UserPatch, UserStatus};
use liaison_domain::{FieldError, OrganisationId, Patch, UserId};

fn invalid(field: &str, message: &str) -> FieldError {
    FieldError::new(field, "invalid", message)
}

/// The values of the account form, as typed.
#[derive(Clone, Debug, Default)]
pub struct UserForm {
    pub display_name: String,
    pub email: String,
    pub organisation: String,
    pub clearance: String,
    pub status: String,
    pub admin: bool,
    pub security_officer: bool,
    pub version: String,
}

impl UserForm {
    fn of(u: &User) -> UserForm {
        UserForm {
            display_name: u.display_name.clone(),
            email: u.email.clone(),
            organisation: u.organisation.to_string(),
            clearance: u.clearance.code().into(),
            status: u.status.code().into(),
            admin: u.global_roles.contains(&GlobalRole::Admin),
            security_officer: u.global_roles.contains(&GlobalRole::SecurityOfficer),
            version: u.version.to_string(),
        }
    }

    fn from_form(f: &FormData) -> UserForm {
        UserForm {
            display_name: f.value("display_name"),
            email: f.value("email"),
            organisation: f.value("organisation"),
            clearance: f.value("clearance"),
            status: f.value("status"),
            admin: f.get("admin").is_some(),
            security_officer: f.get("security_officer").is_some(),
            version: f.value("version"),
        }
    }

    fn roles(&self) -> Vec<GlobalRole> {
        let mut r = Vec::new();
        if self.admin {
            r.push(GlobalRole::Admin);
        }
        if self.security_officer {
            r.push(GlobalRole::SecurityOfficer);
        }
        r
    }
}

pub struct UserRow {
    pub user: User,
    pub organisation: String,
}

#[derive(Template)]
#[template(path = "admin_users.html")]
struct UsersPage {
    base: Base,
    users: Vec<UserRow>,
    can_write: bool,
    form: UserForm,
    errors: FormErrors,
    organisations: Vec<(String, String)>,
    levels: Vec<Level>,
}

impl UsersPage {
    fn err(&self, f: &str) -> String {
        self.errors.of(f)
    }
    fn invalid(&self, f: &str) -> bool {
        self.errors.has(f)
    }
    fn roles(&self, u: &User) -> String {
        u.global_roles.iter().map(|r| self.base.t(&format!("global-role-{}", r.code()))).collect::<Vec<_>>().join(", ")
    }
    fn status(&self, u: &User) -> String {
        self.base.t(&format!("user-status-{}", u.status.code()))
    }
}

fn organisations_options(base: &Base, orgs: &[Organisation]) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = orgs.iter().map(|o| (o.id.to_string(), format!("{} — {}", o.short_name, base.text(&o.name)))).collect();
    v.sort_by(|a, b| a.1.cmp(&b.1));
    v
}

async fn users_page(s: &AppState, page: Page, form: Option<UserForm>, errors: Vec<FieldError>) -> Result<Response, PageError> {
    let v = liaison_app::views::admin::users(&s.app, &page.ctx).await.map_err(|e| page.fail(e))?;
    let form = form.unwrap_or_else(|| UserForm { clearance: v.default_level.code().into(), ..Default::default() });
    let short = |id: &OrganisationId| v.organisations.iter().find(|o| o.id == *id).map(|o| o.short_name.clone()).unwrap_or_default();
    let users = v.users.into_iter().map(|u| UserRow { organisation: short(&u.organisation), user: u }).collect();
    let organisations = organisations_options(&page.base, &v.organisations);
    let can_write = v.may_write;
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let title = page.base.t("admin-users-title");
    let mut r = render(&UsersPage { base: page.base.with_title(title), users, can_write, form, errors: FormErrors(errors), organisations, levels: v.levels });
    *r.status_mut() = status;
    Ok(r)
}

pub async fn users(State(s): State<AppState>, page: Page) -> Result<Response, PageError> {
    users_page(&s, page, None, Vec::new()).await
}

pub async fn create_user(State(s): State<AppState>, page: Page, data: FormData) -> Result<Response, PageError> {
    let form = UserForm::from_form(&data);
    let mut errors = Vec::new();
    let organisation = uuid::Uuid::try_parse(&form.organisation).map(OrganisationId).ok();
    if organisation.is_none() {
        errors.push(invalid("organisation", &page.base.t("choose-organisation")));
    }
    let clearance = Level::parse(&form.clearance);
    if clearance.is_none() {
        errors.push(invalid("clearance", &page.base.t("choose-clearance")));
    }
    if !errors.is_empty() {
        return users_page(&s, page, Some(form), errors).await;
    }
    let input = NewUser {
        display_name: form.display_name.clone(),
        email: form.email.clone(),
        organisation: organisation.unwrap_or(OrganisationId(uuid::Uuid::nil())),
        clearance: clearance.unwrap_or(Level::NatoUnclassified),
        global_roles: form.roles(),
        password: data.get("password").unwrap_or("").to_string(),
    };
    match liaison_app::users::create(&s.app, &page.ctx, input).await {
        Ok(u) => Ok(see_other(&format!("/admin/users/{}", u.id))),
        Err(AppError::Invalid(e)) => users_page(&s, page, Some(form), e.0).await,
        Err(e) => Err(page.fail(e)),
    }
}

#[derive(Template)]
#[template(path = "admin_user.html")]
struct UserFormPage {
    base: Base,
    user: User,
    form: UserForm,
    errors: FormErrors,
    stale: bool,
    organisations: Vec<(String, String)>,
    levels: Vec<Level>,
    /// The account's second factor, for those who may read accounts.
    factor: Option<liaison_app::auth::FactorStatus>,
}

impl UserFormPage {
    fn err(&self, f: &str) -> String {
        self.errors.of(f)
    }
    fn invalid(&self, f: &str) -> bool {
        self.errors.has(f)
    }
    fn status_label(&self, s: &UserStatus) -> String {
        self.base.t(&format!("user-status-{}", s.code()))
    }
}

async fn user_page(s: &AppState, page: Page, id: UserId, form: Option<UserForm>, errors: Vec<FieldError>, stale: bool) -> Result<Response, PageError> {
    let v = liaison_app::views::admin::user(&s.app, &page.ctx, id).await.map_err(|e| page.fail(e))?;
    let user = v.user;
    let form = form.unwrap_or_else(|| UserForm::of(&user));
    let organisations = organisations_options(&page.base, &v.organisations);
    let status = if stale {
        StatusCode::CONFLICT
    } else if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let title = format!("{} — {}", page.base.t("admin-users-title"), user.display_name);
    let factor = liaison_app::auth::second_factor::of_user(&s.app, &page.ctx, id).await.ok();
    let mut r =
        render(&UserFormPage { base: page.base.with_title(title), user, form, errors: FormErrors(errors), stale, organisations, levels: v.levels, factor });
    *r.status_mut() = status;
    Ok(r)
}

fn user_id(page: &Page, id: &str) -> Result<UserId, PageError> {
    uuid::Uuid::try_parse(id).map(UserId).map_err(|_| PageError::not_found(&page.base))
}

/// An administrator resets another account's lost second factor (audited).
pub async fn reset_second_factor(State(s): State<AppState>, page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    let id = user_id(&page, &id)?;
    liaison_app::auth::second_factor::reset(&s.app, &page.ctx, id).await.map_err(|e| page.fail(e))?;
    Ok(see_other(&format!("/admin/users/{id}")))
}

pub async fn user_form(State(s): State<AppState>, page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    let id = user_id(&page, &id)?;
    user_page(&s, page, id, None, Vec::new(), false).await
}

pub async fn update_user(State(s): State<AppState>, page: Page, Path(id): Path<String>, data: FormData) -> Result<Response, PageError> {
    let id = user_id(&page, &id)?;
    let mut form = UserForm::from_form(&data);
    let mut errors = Vec::new();
    let organisation = uuid::Uuid::try_parse(&form.organisation).map(OrganisationId).ok();
    if organisation.is_none() {
        errors.push(invalid("organisation", &page.base.t("choose-organisation")));
    }
    let clearance = Level::parse(&form.clearance);
    if clearance.is_none() {
        errors.push(invalid("clearance", &page.base.t("choose-clearance")));
    }
    let status = UserStatus::parse(&form.status);
    if status.is_none() {
        errors.push(invalid("status", &page.base.t("choose-status")));
    }
    if !errors.is_empty() {
        return user_page(&s, page, id, Some(form), errors, false).await;
    }
    let patch = UserPatch {
        display_name: Some(form.display_name.clone()),
        email: Some(form.email.clone()),
        organisation,
        clearance,
        status,
        global_roles: Some(form.roles()),
    };
    let expected = form.version.parse().unwrap_or(-1);
    match liaison_app::users::update(&s.app, &page.ctx, id, expected, patch).await {
        Ok(u) => Ok(see_other(&format!("/admin/users/{}", u.id))),
        Err(AppError::Invalid(e)) => user_page(&s, page, id, Some(form), e.0, false).await,
        Err(AppError::Stale { current, .. }) => {
            form.version = current.to_string();
            user_page(&s, page, id, Some(form), Vec::new(), true).await
        }
        Err(e) => Err(page.fail(e)),
    }
}

/// The values of the organisation form, as typed.
#[derive(Clone, Debug, Default)]
pub struct OrgForm {
    pub name_en: String,
    pub name_sr: String,
    pub short_name: String,
    pub kind: String,
    pub country: String,
    pub parent: String,
    pub iati_ref: String,
    pub version: String,
}

impl OrgForm {
    fn of(o: &Organisation) -> OrgForm {
        OrgForm {
            name_en: o.name.0.get("en").cloned().unwrap_or_default(),
            name_sr: o.name.0.get("sr").cloned().unwrap_or_default(),
            short_name: o.short_name.clone(),
            kind: o.kind.code().into(),
            country: o.country.clone().unwrap_or_default(),
            parent: o.parent.map(|p| p.to_string()).unwrap_or_default(),
            iati_ref: o.iati_ref.clone().unwrap_or_default(),
            version: o.version.to_string(),
        }
    }

    fn from_form(f: &FormData) -> OrgForm {
        OrgForm {
            name_en: f.value("name_en"),
            name_sr: f.value("name_sr"),
            short_name: f.value("short_name"),
            kind: f.value("kind"),
            country: f.value("country").to_uppercase(),
            parent: f.value("parent"),
            iati_ref: f.value("iati_ref").trim().to_string(),
            version: f.value("version"),
        }
    }

    fn name(&self) -> Text {
        Text([("en", &self.name_en), ("sr", &self.name_sr)].iter().filter(|(_, v)| !v.is_empty()).map(|(k, v)| (k.to_string(), v.to_string())).collect())
    }
}

#[derive(Template)]
#[template(path = "admin_orgs.html")]
struct OrgsPage {
    base: Base,
    organisations: Vec<Organisation>,
    editing: Option<Organisation>,
    form: OrgForm,
    errors: FormErrors,
    stale: bool,
    parents: Vec<(String, String)>,
}

impl OrgsPage {
    fn err(&self, f: &str) -> String {
        self.errors.of(f)
    }
    fn invalid(&self, f: &str) -> bool {
        self.errors.has(f)
    }
    fn action(&self) -> String {
        match &self.editing {
            Some(o) => format!("/admin/organisations/{}", o.id),
            None => "/admin/organisations".into(),
        }
    }
}

async fn orgs_page(
    s: &AppState,
    page: Page,
    editing: Option<OrganisationId>,
    form: Option<OrgForm>,
    errors: Vec<FieldError>,
    stale: bool,
) -> Result<Response, PageError> {
    let v = liaison_app::views::admin::organisations(&s.app, &page.ctx, editing).await.map_err(|e| page.fail(e))?;
    let (organisations, editing) = (v.organisations, v.editing);
    let form = form.unwrap_or_else(|| editing.as_ref().map(OrgForm::of).unwrap_or(OrgForm { kind: "partner_unit".into(), ..Default::default() }));
    let parents = organisations.iter().map(|o| (o.id.to_string(), o.short_name.clone())).collect();
    let status = if stale {
        StatusCode::CONFLICT
    } else if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let title = page.base.t("admin-orgs-title");
    let mut r = render(&OrgsPage { base: page.base.with_title(title), organisations, editing, form, errors: FormErrors(errors), stale, parents });
    *r.status_mut() = status;
    Ok(r)
}

pub async fn organisations(State(s): State<AppState>, page: Page) -> Result<Response, PageError> {
    orgs_page(&s, page, None, None, Vec::new(), false).await
}

fn org_fields(page: &Page, form: &OrgForm) -> (Option<OrgKind>, Option<OrganisationId>, Vec<FieldError>) {
    let mut errors = Vec::new();
    let kind = OrgKind::parse(&form.kind);
    if kind.is_none() {
        errors.push(invalid("kind", &page.base.t("choose-kind")));
    }
    let parent = uuid::Uuid::try_parse(&form.parent).ok().map(OrganisationId);
    if !form.parent.is_empty() && parent.is_none() {
        errors.push(invalid("parent", &page.base.t("choose-organisation")));
    }
    (kind, parent, errors)
}

pub async fn create_organisation(State(s): State<AppState>, page: Page, data: FormData) -> Result<Response, PageError> {
    let form = OrgForm::from_form(&data);
    let (kind, parent, errors) = org_fields(&page, &form);
    if !errors.is_empty() {
        return orgs_page(&s, page, None, Some(form), errors, false).await;
    }
    let input = NewOrganisation {
        name: form.name(),
        short_name: form.short_name.clone(),
        kind: kind.unwrap_or(OrgKind::Other),
        country: (!form.country.is_empty()).then(|| form.country.clone()),
        parent,
        iati_ref: (!form.iati_ref.is_empty()).then(|| form.iati_ref.clone()),
    };
    match liaison_app::organisations::create(&s.app, &page.ctx, input).await {
        Ok(_) => Ok(see_other("/admin/organisations")),
        Err(AppError::Invalid(e)) => orgs_page(&s, page, None, Some(form), e.0, false).await,
        Err(e) => Err(page.fail(e)),
    }
}

fn org_id(page: &Page, id: &str) -> Result<OrganisationId, PageError> {
    uuid::Uuid::try_parse(id).map(OrganisationId).map_err(|_| PageError::not_found(&page.base))
}

pub async fn organisation_form(State(s): State<AppState>, page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    let id = org_id(&page, &id)?;
    orgs_page(&s, page, Some(id), None, Vec::new(), false).await
}

pub async fn update_organisation(State(s): State<AppState>, page: Page, Path(id): Path<String>, data: FormData) -> Result<Response, PageError> {
    let id = org_id(&page, &id)?;
    let mut form = OrgForm::from_form(&data);
    let (kind, parent, errors) = org_fields(&page, &form);
    if !errors.is_empty() {
        return orgs_page(&s, page, Some(id), Some(form), errors, false).await;
    }
    let patch = OrganisationPatch {
        name: Some(form.name()),
        short_name: Some(form.short_name.clone()),
        kind,
        country: if form.country.is_empty() { Patch::Null } else { Patch::Set(form.country.clone()) },
        parent: match parent {
            Some(p) => Patch::Set(p),
            None => Patch::Null,
        },
        iati_ref: if form.iati_ref.is_empty() { Patch::Null } else { Patch::Set(form.iati_ref.clone()) },
    };
    match liaison_app::organisations::update(&s.app, &page.ctx, id, form.version.parse().unwrap_or(-1), patch).await {
        Ok(_) => Ok(see_other("/admin/organisations")),
        Err(AppError::Invalid(e)) => orgs_page(&s, page, Some(id), Some(form), e.0, false).await,
        Err(AppError::Stale { current, .. }) => {
            form.version = current.to_string();
            orgs_page(&s, page, Some(id), Some(form), Vec::new(), true).await
        }
        Err(e) => Err(page.fail(e)),
    }
}
