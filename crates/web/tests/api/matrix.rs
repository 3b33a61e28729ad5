//! The permission matrix, generated: every API route × every role × every marking level ×
//! both releasability cases, each answer checked against the domain's decision. A route
//! without an expectation here fails the test, so a new route cannot slip past the policy.

use crate::support::*;
use liaison_app::{Actor, Ctx};
use liaison_domain::access::{Action, Scope, Target, Verdict};
use liaison_domain::change::ChangeDraft;
use liaison_domain::marking::{Level, Marking};
use liaison_domain::plan::Plan;
use liaison_domain::{ItemId, PlanId};
use liaison_web::api::{ROUTES, Rule};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// The answer a route gives when the policy allows the request. Requests are built so that an
/// allowed one stops right after the access check (a stale version, an invalid field) and
/// changes nothing.
fn allowed(method: &str, path: &str) -> u16 {
    match (method, path) {
        // An import is seen by its uploader only; the matrix asks for one that is nobody's.
        ("GET", "/api/v1/imports/{id}") | ("POST", "/api/v1/imports/{id}/apply") | ("POST", "/api/v1/imports/{id}/preview") => 404,
        // The fixture's owner has no IATI identifier: refused after the access check.
        ("GET", "/api/v1/plans/{id}/iati.xml") => 409,
        // Asked without a query: refused after the sign-in check, naming `q`.
        ("GET", "/api/v1/search") => 422,
        ("GET", _) => 200,
        ("POST", "/api/v1/auth/logout") => 204,
        ("DELETE", "/api/v1/auth/tokens/{id}") | ("DELETE", "/api/v1/me/passkeys/{id}") => 404,
        // The matrix's installation is reached by an IP address: it offers no passkeys.
        ("POST", "/api/v1/me/passkeys/options") => 409,
        ("POST", "/api/v1/me/second-factor/totp") => 201,
        ("POST", "/api/v1/users/{id}/second-factor/reset") => 204,
        ("PUT", "/api/v1/me/password")
        | ("PUT", "/api/v1/me/language")
        | ("PUT", "/api/v1/me/mail")
        | ("POST", "/api/v1/me/second-factor/totp/confirm")
        | ("POST", "/api/v1/me/second-factor/totp/remove")
        | ("POST", "/api/v1/me/second-factor/recovery-codes")
        | ("POST", "/api/v1/me/passkeys")
        | ("POST", "/api/v1/auth/tokens")
        | ("POST", "/api/v1/organisations")
        | ("POST", "/api/v1/areas")
        | ("POST", "/api/v1/frameworks")
        | ("POST", "/api/v1/users")
        | ("PUT", "/api/v1/users/{id}/password")
        | ("POST", "/api/v1/plans")
        | ("POST", "/api/v1/plans/{id}/approvals")
        | ("POST", "/api/v1/plans/{id}/members")
        | ("POST", "/api/v1/plans/{id}/decisions")
        | ("POST", "/api/v1/plans/{id}/items")
        | ("POST", "/api/v1/items/{id}/links")
        | ("POST", "/api/v1/items/{id}/comments") => 422,
        ("PATCH", "/api/v1/organisations/{id}")
        | ("PATCH", "/api/v1/areas/{code}")
        | ("PATCH", "/api/v1/users/{id}")
        | ("PATCH", "/api/v1/plans/{id}")
        | ("POST", "/api/v1/plans/{id}/transitions")
        | ("DELETE", "/api/v1/plans/{id}/members/{user}")
        | ("PATCH", "/api/v1/decisions/{id}")
        | ("DELETE", "/api/v1/decisions/{id}")
        | ("PATCH", "/api/v1/items/{id}")
        | ("DELETE", "/api/v1/items/{id}")
        | ("POST", "/api/v1/items/{id}/move")
        | ("DELETE", "/api/v1/links/{id}") => 412,
        ("POST", "/api/v1/me/notifications/read")
        | ("POST", "/api/v1/plans/{id}/periods")
        | ("POST", "/api/v1/items/{id}/indicators")
        | ("POST", "/api/v1/indicators/{id}/measurements")
        | ("POST", "/api/v1/items/{id}/updates")
        | ("POST", "/api/v1/plans/{id}/assessments") => 422,
        ("PATCH", "/api/v1/plans/{id}/periods/{key}")
        | ("DELETE", "/api/v1/plans/{id}/periods/{key}")
        | ("PATCH", "/api/v1/indicators/{id}")
        | ("DELETE", "/api/v1/indicators/{id}")
        | ("PATCH", "/api/v1/measurements/{id}")
        | ("DELETE", "/api/v1/measurements/{id}")
        | ("PATCH", "/api/v1/updates/{id}")
        | ("POST", "/api/v1/updates/{id}/steps")
        | ("PATCH", "/api/v1/assessments/{id}") => 412,
        // The upload form is read after the access check; a JSON body is the wrong type.
        ("POST", "/api/v1/plans/{id}/attachments") => 415,
        ("POST", "/api/v1/plans/{id}/requests") | ("POST", "/api/v1/plans/{id}/offers") | ("POST", "/api/v1/plans/{id}/activities") => 422,
        ("PATCH", "/api/v1/requests/{id}")
        | ("PATCH", "/api/v1/offers/{id}")
        | ("POST", "/api/v1/offers/{id}/steps")
        | ("PATCH", "/api/v1/activities/{id}") => 412,
        ("POST", "/api/v1/plans/{id}/stories") => 422,
        ("PATCH", "/api/v1/stories/{id}")
        | ("DELETE", "/api/v1/stories/{id}/photos/{photo}")
        | ("POST", "/api/v1/stories/{id}/steps")
        | ("PUT", "/api/v1/plans/{id}/portal") => 412,
        ("POST", "/api/v1/stories/{id}/photos")
        | ("POST", "/api/v1/imports/iati")
        | ("POST", "/api/v1/imports/sheet")
        | ("POST", "/api/v1/imports/figures") => 415,
        _ => panic!("{method} {path} has no expectation in the permission-matrix test: add one"),
    }
}

/// One plan whose records all carry the same marking.
struct Case {
    plan: Plan,
    item: ItemId,
    decision: String,
    link: String,
    indicator: String,
    measurement: String,
    update: String,
    assessment: String,
    attachment: String,
    request: String,
    offer: String,
    activity: String,
    story: String,
    photo: String,
    /// The offer's maker (offers are Ally-scoped).
    offer_by: liaison_domain::OrganisationId,
}

fn body(method: &str, path: &str, f: &Fixture, member: &str) -> Option<Value> {
    let any = "01234567-89ab-7def-8123-456789abcdef";
    Some(match (method, path) {
        ("PUT", "/api/v1/me/password") => json!({"current_password": "not mine", "password": "any other phrase"}),
        ("PUT", "/api/v1/me/language") => json!({"language": "klingon"}),
        ("PUT", "/api/v1/me/mail") => json!({"digest": "daily"}),
        // Not a code at all: refused before any key is looked at.
        ("POST", "/api/v1/me/second-factor/totp/confirm")
        | ("POST", "/api/v1/me/second-factor/totp/remove")
        | ("POST", "/api/v1/me/second-factor/recovery-codes") => {
            json!({"code": 123456})
        }
        ("POST", "/api/v1/me/passkeys") => json!({"name": "", "credential": {}}),
        ("POST", "/api/v1/auth/tokens") => json!({"name": ""}),
        ("POST", "/api/v1/organisations") => json!({"name": {}, "short_name": "", "kind": "ally"}),
        ("PATCH", "/api/v1/organisations/{id}") => json!({"short_name": "X"}),
        ("POST", "/api/v1/areas") => json!({"code": "BAD CODE", "name": {"en": "x"}}),
        ("PATCH", "/api/v1/areas/{code}") => json!({"name": {"en": "x"}}),
        ("POST", "/api/v1/frameworks") => json!({"code": "x", "name": {}, "levels": []}),
        ("POST", "/api/v1/users") => json!({"display_name": "", "email": "bad", "organisation": f.orgs["NATO IS"], "clearance": "public", "password": "x"}),
        ("PATCH", "/api/v1/users/{id}") => json!({"display_name": "x"}),
        ("PUT", "/api/v1/users/{id}/password") => json!({"password": "short"}),
        ("POST", "/api/v1/plans") => {
            json!({"framework": "ipap", "code": "", "title": {}, "partner": f.orgs["MFA"], "owner": f.orgs["NATO IS"], "period": {"start": "2015-01-01", "end": "2015-12-31"}})
        }
        ("PATCH", "/api/v1/plans/{id}") => json!({"code": "X"}),
        ("POST", "/api/v1/plans/{id}/transitions") => json!({"to": "negotiation"}),
        ("POST", "/api/v1/plans/{id}/approvals") => json!({}),
        ("POST", "/api/v1/plans/{id}/members") => json!({"user": any, "role": "viewer"}),
        ("POST", "/api/v1/plans/{id}/decisions") => json!({"kind": "other", "date": "2015-01-01", "body": {}}),
        ("PATCH", "/api/v1/decisions/{id}") => json!({"reference": "x"}),
        ("POST", "/api/v1/plans/{id}/items") => json!({"code": "", "title": {"en": "x"}}),
        ("PATCH", "/api/v1/items/{id}") => json!({"code": "x"}),
        ("POST", "/api/v1/items/{id}/move") => json!({"parent": null}),
        ("POST", "/api/v1/items/{id}/links") => json!({"to": any, "kind": "supports"}),
        ("POST", "/api/v1/auth/logout") => json!({}),
        ("POST", "/api/v1/items/{id}/comments") => json!({"body": " "}),
        ("POST", "/api/v1/me/notifications/read") => json!({"id": "not an id"}),
        ("POST", "/api/v1/plans/{id}/periods") => json!({"key": "bad key", "starts": "2015-06-01", "ends": "2015-05-01"}),
        ("PATCH", "/api/v1/plans/{id}/periods/{key}") => json!({"due": "2015-04-20"}),
        ("POST", "/api/v1/items/{id}/indicators") => json!({"name": {}, "measure": "number"}),
        ("PATCH", "/api/v1/indicators/{id}") => json!({"unit": "x"}),
        ("POST", "/api/v1/indicators/{id}/measurements") => json!({"period": "2099-Q1", "value": 1}),
        ("PATCH", "/api/v1/measurements/{id}") => json!({"note": "x"}),
        ("POST", "/api/v1/items/{id}/updates") => json!({"period": "2099-Q1", "status": "in_progress", "percent": 10}),
        ("PATCH", "/api/v1/updates/{id}") => json!({"percent": 20}),
        ("POST", "/api/v1/updates/{id}/steps") => json!({"step": "submit"}),
        ("POST", "/api/v1/plans/{id}/assessments") => json!({"period": "2099-Q1", "perspective": "self", "scale": "rag"}),
        ("PATCH", "/api/v1/assessments/{id}") => json!({"narrative": "x"}),
        ("POST", "/api/v1/plans/{id}/requests") => {
            json!({"title": {}, "kind": "training", "period": {"start": "2015-01-01", "end": "2015-06-30"}, "items": []})
        }
        ("PATCH", "/api/v1/requests/{id}") => json!({"priority": "low"}),
        ("POST", "/api/v1/plans/{id}/offers") => json!({"title": {}, "kind": "training", "period": {"start": "2015-01-01", "end": "2015-06-30"}}),
        ("PATCH", "/api/v1/offers/{id}") => json!({"description": "x"}),
        ("POST", "/api/v1/offers/{id}/steps") => json!({"to": "accepted"}),
        ("POST", "/api/v1/plans/{id}/activities") => json!({"title": {}, "kind": "course", "dates": {"start": "2015-01-01", "end": "2015-01-02"}}),
        ("PATCH", "/api/v1/activities/{id}") => json!({"place": "Belgrade"}),
        ("POST", "/api/v1/plans/{id}/stories") => json!({"language": "xx", "title": ""}),
        ("PATCH", "/api/v1/stories/{id}") => json!({"title": "x"}),
        ("POST", "/api/v1/stories/{id}/steps") => json!({"step": "submit"}),
        ("PUT", "/api/v1/plans/{id}/portal") => json!({"title": {"en": "x"}, "published": false}),
        _ => {
            let _ = member;
            return None;
        }
    })
}

/// The record a route acts on, for the domain's decision.
fn target<'a>(path: &str, case: &'a Case) -> Target<'a> {
    if path.starts_with("/api/v1/offers/") {
        Target::Scoped { plan: case.plan.id, plan_marking: &case.plan.marking, marking: &case.plan.marking, owner: case.offer_by, shared_with: &[] }
    } else if path.starts_with("/api/v1/plans/{id}") {
        Target::Plan { id: case.plan.id, marking: &case.plan.marking }
    } else {
        Target::Record { plan: case.plan.id, plan_marking: &case.plan.marking, marking: &case.plan.marking }
    }
}

fn expected(actor: &Actor, method: &str, path: &str, rule: Rule, case: Option<&Case>) -> u16 {
    let decide = |a: Action| match (a.scope(), case) {
        (Scope::Plan, Some(c)) => actor.decide(a, target(path, c)),
        _ => actor.decide(a, Target::Installation),
    };
    let verdict = match rule {
        Rule::Public => return allowed(method, path),
        // Lists, search and the portfolio answer everyone, with what each may see (checked separately).
        Rule::Needs(Action::PlanRead) if path == "/api/v1/plans" || path == "/api/v1/search" || path == "/api/v1/portfolio" => Verdict::Allow,
        Rule::Needs(a) => decide(a),
        Rule::AnyOf(actions) => {
            let vs: Vec<Verdict> = actions.iter().map(|a| decide(*a)).collect();
            if vs.contains(&Verdict::Allow) {
                Verdict::Allow
            } else if vs.iter().all(|v| *v == Verdict::Hide) {
                Verdict::Hide
            } else {
                Verdict::Forbid
            }
        }
    };
    match verdict {
        Verdict::Allow => allowed(method, path),
        Verdict::Forbid => 403,
        Verdict::Hide => 404,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_route_role_marking_and_releasability_answers_as_the_policy_decides() {
    let f = Fixture::new().await;
    let app = &f.server.app;
    let sys = Ctx::system("matrix");
    // Ten plans: five levels × releasable to SRB or not; in each an item, a decision, a link.
    let mut cases = Vec::new();
    for level in Level::NATO {
        for rel in [&["SRB"][..], &[][..]] {
            let marking = Marking::new(level, rel, "NATO");
            let mut plan = f.plan.clone();
            plan.id = PlanId(app.new_id());
            // In implementation, so that reports, measurements and assessments are possible.
            plan.state = liaison_domain::plan::PlanState::Implementation;
            plan.code = format!("M-{}-{}", level.code(), rel.len());
            plan.marking = marking.clone();
            let tx = app.db().begin().await.unwrap();
            liaison_store::plans::insert(&tx, &plan).await.unwrap();
            tx.record(ChangeDraft::marked("plan", plan.id.uuid(), Some(plan.id), 1, "create", None, Some((&marking, json!({})))));
            tx.commit(&sys.provenance(app.now())).await.unwrap();
            let mk = |code: &str| {
                let v: liaison_domain::item::NewItem = serde_json::from_value(json!({"code": code, "title": {"en": code}})).unwrap();
                v
            };
            // Led by the reporter's organisation, so that reporting on it is theirs.
            let a = liaison_app::items::create(app, &sys, plan.id, liaison_domain::item::NewItem { lead_organisation: Some(f.orgs["MoD"]), ..mk("A") })
                .await
                .unwrap();
            let b = liaison_app::items::create(app, &sys, plan.id, mk("B")).await.unwrap();
            let link =
                liaison_app::items::create_link(app, &sys, a.id, liaison_domain::item::NewLink { to: b.id, kind: liaison_domain::item::LinkKind::Supports })
                    .await
                    .unwrap();
            let d = liaison_app::decisions::create(
                app,
                &sys,
                plan.id,
                serde_json::from_value(json!({"kind": "other", "date": "2015-01-01", "body": {"en": "x"}})).unwrap(),
            )
            .await
            .unwrap();
            for (who, _, _, role, _) in ROLE_USERS {
                if let Some(r) = role {
                    let user = liaison_app::users::find_by_email(app, &sys, &f.emails[who]).await.unwrap();
                    liaison_app::plans::set_member(app, &sys, plan.id, liaison_app::plans::SetMember { user: user.id, role: *r }).await.unwrap();
                }
            }
            let ind = liaison_app::indicators::create(
                app,
                &sys,
                a.id,
                serde_json::from_value(json!({"name": {"en": "Courses"}, "measure": "number", "cumulative": true})).unwrap(),
            )
            .await
            .unwrap();
            let m =
                liaison_app::indicators::record(app, &sys, ind.id, serde_json::from_value(json!({"period": "2015-Q1", "value": 2})).unwrap()).await.unwrap();
            let u = liaison_app::progress::create(
                app,
                &sys,
                a.id,
                serde_json::from_value(json!({"period": "2015-Q1", "status": "in_progress", "percent": 30, "narrative": "Started."})).unwrap(),
            )
            .await
            .unwrap();
            let asm = liaison_app::assessments::create(
                app,
                &sys,
                plan.id,
                serde_json::from_value(json!({"period": "2015-Q1", "perspective": "alliance", "scale": "rag"})).unwrap(),
            )
            .await
            .unwrap();
            let att = liaison_app::attachments::upload(app, &sys, plan.id, "list.csv", None, b"name,sex\nAna,w\n").await.unwrap();
            let req = liaison_app::assistance::create_request(
                app,
                &sys,
                plan.id,
                serde_json::from_value(
                    json!({"title": {"en": "Trainers"}, "kind": "training", "period": {"start": "2015-01-01", "end": "2015-12-31"}, "items": [a.id]}),
                )
                .unwrap(),
            )
            .await
            .unwrap();
            let off = liaison_app::assistance::create_offer(app, &sys, plan.id, serde_json::from_value(json!({"title": {"en": "Course"}, "kind": "training", "period": {"start": "2015-01-01", "end": "2015-12-31"}, "items": [a.id], "offered_by": f.orgs["NOR"]})).unwrap()).await.unwrap();
            let act = liaison_app::activities::create(
                app,
                &sys,
                plan.id,
                serde_json::from_value(
                    json!({"title": {"en": "Course"}, "kind": "course", "dates": {"start": "2015-02-01", "end": "2015-02-03"}, "items": [a.id]}),
                )
                .unwrap(),
            )
            .await
            .unwrap();
            let story = liaison_app::stories::create(
                app,
                &sys,
                plan.id,
                serde_json::from_value(json!({"language": "en", "title": "A story", "marking": marking})).unwrap(),
            )
            .await
            .unwrap();
            let story =
                liaison_app::stories::add_photo(app, &sys, story.id, story.version, "A picture", "Liaison", &liaison_adapters::photos::illustration(40, 30, 1))
                    .await
                    .unwrap();
            cases.push(Case {
                plan,
                item: a.id,
                decision: d.id.to_string(),
                link: link.id.to_string(),
                indicator: ind.id.to_string(),
                measurement: m.id.to_string(),
                update: u.id.to_string(),
                assessment: asm.id.to_string(),
                attachment: att.id.to_string(),
                request: req.id.to_string(),
                offer: off.id.to_string(),
                activity: act.id.to_string(),
                story: story.id.to_string(),
                photo: story.photos[0].id.to_string(),
                offer_by: f.orgs["NOR"],
            });
        }
    }
    // Account routes act on an account that is none of the callers (one's own is always readable).
    let other_user = liaison_app::users::create(
        app,
        &sys,
        liaison_domain::user::NewUser {
            display_name: "Somebody else".into(),
            email: "someone@test.example".into(),
            organisation: f.orgs["NATO IS"],
            clearance: Level::NatoRestricted,
            global_roles: vec![],
            password: PASSWORD.into(),
        },
    )
    .await
    .unwrap()
    .id
    .to_string();
    let member = liaison_app::users::find_by_email(app, &sys, &f.emails["viewer"]).await.unwrap().id.to_string();
    let any = "01234567-89ab-7def-8123-456789abcdef".to_string();

    let mut tasks = Vec::new();
    let f = std::sync::Arc::new(f);
    let cases = std::sync::Arc::new(cases);
    for (who, _, _, _, _) in ROLE_USERS {
        let f = f.clone();
        let cases = cases.clone();
        let (other_user, member, any) = (other_user.clone(), member.clone(), any.clone());
        tasks.push(tokio::spawn(async move {
            let api = f.token(who).await;
            let user = liaison_app::users::find_by_email(&f.server.app, &Ctx::system("m"), &f.emails[who]).await.unwrap();
            let actor = liaison_app::auth::actor_for(&f.server.app, user).await.unwrap();
            let mut checked = 0usize;
            let mut mismatches = Vec::new();
            for (method, path, rule) in ROUTES {
                if *rule == Rule::Public {
                    continue;
                }
                let plan_scoped = path.contains("/plans/{id}")
                    || [
                        "items",
                        "decisions",
                        "links",
                        "indicators",
                        "measurements",
                        "updates",
                        "assessments",
                        "attachments",
                        "requests",
                        "offers",
                        "activities",
                        "stories",
                        "photos",
                    ]
                    .iter()
                    .any(|p| path.starts_with(&format!("/api/v1/{p}/")));
                let runs: Vec<Option<&Case>> = if plan_scoped { cases.iter().map(Some).collect() } else { vec![None] };
                for case in runs {
                    let concrete = match case {
                        Some(c) => {
                            let id = if path.starts_with("/api/v1/plans/") {
                                c.plan.id.to_string()
                            } else if path.starts_with("/api/v1/items/") {
                                c.item.to_string()
                            } else if path.starts_with("/api/v1/decisions/") {
                                c.decision.clone()
                            } else if path.starts_with("/api/v1/indicators/") {
                                c.indicator.clone()
                            } else if path.starts_with("/api/v1/measurements/") {
                                c.measurement.clone()
                            } else if path.starts_with("/api/v1/updates/") {
                                c.update.clone()
                            } else if path.starts_with("/api/v1/assessments/") {
                                c.assessment.clone()
                            } else if path.starts_with("/api/v1/attachments/") {
                                c.attachment.clone()
                            } else if path.starts_with("/api/v1/requests/") {
                                c.request.clone()
                            } else if path.starts_with("/api/v1/offers/") {
                                c.offer.clone()
                            } else if path.starts_with("/api/v1/activities/") {
                                c.activity.clone()
                            } else if path.starts_with("/api/v1/stories/") {
                                c.story.clone()
                            } else if path.starts_with("/api/v1/photos/") {
                                c.photo.clone()
                            } else {
                                c.link.clone()
                            };
                            path.replace("{id}", &id)
                                .replace("{user}", &member)
                                .replace("{version}", "current")
                                .replace("{key}", "2015-Q1")
                                .replace("{photo}", &c.photo)
                                .replace("{size}", "thumb")
                        }
                        None => {
                            let id = if path.starts_with("/api/v1/users/") {
                                other_user.clone()
                            } else if path.starts_with("/api/v1/organisations/") {
                                f.orgs["NOR"].to_string()
                            } else {
                                any.clone()
                            };
                            path.replace("{id}", &id).replace("{code}", "cyber_defence")
                        }
                    };
                    let concrete = if concrete.ends_with("/assessments/compare") {
                        format!("{concrete}?period=2015-Q1")
                    } else if concrete.ends_with("/compare") || concrete.ends_with("/compare.pdf") {
                        format!("{concrete}?from=current")
                    } else {
                        concrete
                    };
                    let m = Method::from_bytes(method.as_bytes()).unwrap();
                    let r = api.send(m, &concrete, body(method, path, &f, &member).as_ref(), &[("if-match", "\"999\"")]).await;
                    let want = expected(&actor, method, path, *rule, case);
                    if r.status.as_u16() != want {
                        mismatches.push(format!(
                            "{who} {method} {path} on {}: got {} want {want}: {}",
                            case.map(|c| c.plan.code.clone()).unwrap_or_default(),
                            r.status,
                            r.text
                        ));
                    }
                    checked += 1;
                }
            }
            // Lists hold exactly what the policy lets this user see.
            let plans = api.get("/api/v1/plans?limit=500").await;
            let listed: Vec<String> = plans.body["items"].as_array().unwrap().iter().map(|p| p["id"].as_str().unwrap().to_string()).collect();
            // So does the portfolio, which counts only what it lists.
            let portfolio = api.get("/api/v1/portfolio").await;
            let mut in_portfolio: Vec<String> = portfolio.body["rows"].as_array().unwrap().iter().map(|r| r["plan"].as_str().unwrap().to_string()).collect();
            let mut expected_plans = listed.clone();
            in_portfolio.sort();
            expected_plans.sort();
            assert_eq!(in_portfolio, expected_plans, "{who}: the portfolio lists exactly the plans listed");
            assert_eq!(portfolio.body["plans"].as_u64(), Some(listed.len() as u64), "{who}");
            for r in portfolio.body["rows"].as_array().unwrap() {
                let count = api.get(&format!("/api/v1/plans/{}/items/count", r["plan"].as_str().unwrap())).await;
                assert_eq!(r["items"], count.body["count"], "{who}: {} counts only the items visible ({})", r["code"], r);
            }
            for c in cases.iter() {
                let sees = actor.decide(Action::PlanRead, Target::Plan { id: c.plan.id, marking: &c.plan.marking }) == Verdict::Allow;
                assert_eq!(listed.contains(&c.plan.id.to_string()), sees, "{who}: plan {} in the list", c.plan.code);
                let count = api.get(&format!("/api/v1/plans/{}/items/count", c.plan.id)).await;
                if sees {
                    assert_eq!(count.body["count"], 2, "{who} {}", c.plan.code);
                } else {
                    assert_eq!(count.status, StatusCode::NOT_FOUND);
                }
            }
            (who, checked, mismatches)
        }));
    }
    let mut total = 0;
    let mut all_mismatches = Vec::new();
    let mut per_role = BTreeMap::new();
    for t in tasks {
        let (who, n, m) = t.await.unwrap();
        total += n;
        per_role.insert(who, n);
        all_mismatches.extend(m);
    }
    assert!(all_mismatches.is_empty(), "{} of {total} cases differ from the policy:\n{}", all_mismatches.len(), all_mismatches.join("\n"));
    let routes = ROUTES.iter().filter(|r| r.2 != Rule::Public).count();
    assert!(total >= routes * ROLE_USERS.len(), "{total} cases");
    eprintln!("permission matrix: {total} cases over {routes} routes, {} roles, 5 levels × 2 releasability cases: {per_role:?}", ROLE_USERS.len());
}
