//! The OpenAPI document completed with what every handler shares, so that a client generated
//! from it — or a tester such as schemathesis — knows every answer it can get:
//!
//! - every answer has a description (OpenAPI requires one);
//! - errors are `application/problem+json` with the `Problem` schema, as the server sends them;
//! - an operation reading a JSON body documents 400 (not JSON), 413 (too large) and 415 (not
//!   JSON's media type); one reading query parameters 422; a signed-in one 401;
//! - an operation that needs `If-Match` declares it, with 412 and 428; one that answers an
//!   `ETag` declares the header.
//!
//! Which operation reads what is taken from the handlers' signatures at build time
//! (`build.rs`), so the document follows the code.

use super::{ROUTES, Rule};
use utoipa::Modify;
use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::path::{Operation, ParameterBuilder, ParameterIn};
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::{Content, Ref, RefOr, Required, Response};

mod generated {
    include!(concat!(env!("OUT_DIR"), "/contract.rs"));
}
pub use generated::OPERATIONS;

/// The media type of every error answer.
const PROBLEM: &str = "application/problem+json";

pub struct Contract;

/// What an answer of `status` means, for operations that do not say.
fn meaning(status: &str) -> &'static str {
    match status {
        "200" => "The record or list.",
        "201" => "Created; `Location` and `ETag` name the new record.",
        "204" => "Done; nothing to send.",
        "400" => "The body is not JSON (`malformed-json`) or cannot be read.",
        "401" => "Not signed in: sign in or send an API token (`unauthenticated`).",
        "403" => "Signed in, but not allowed to do this (the reason is in `detail`).",
        "404" => "No such record, or one you may not see (the two are the same answer).",
        "409" => "The record's state refuses the change (a locked period, an approved report…).",
        "412" => "`If-Match` names an older version than the current one (`stale`, with `current_version`), or a weak tag.",
        "413" => "The body is larger than the server accepts (`too-large`).",
        "414" => "The request's address is too long.",
        "415" => "The body's media type is not `application/json` (`unsupported-media-type`).",
        "422" => "The input breaks a rule; `errors` lists every field's problem at once.",
        "428" => "`If-Match` is missing (`if-match-required`).",
        "429" => "Too many attempts; `Retry-After` says when to try again.",
        "503" => "The server cannot answer now; try again shortly.",
        s if s.starts_with('2') => "Success.",
        _ => "An error, as a problem document.",
    }
}

fn problem_response(status: &str) -> RefOr<Response> {
    let mut r = Response::new(meaning(status));
    r.content.insert(PROBLEM.to_string(), RefOr::T(Content::new(Some(Ref::from_schema_name("Problem")))));
    RefOr::T(r)
}

fn complete(op: &mut Operation, method: &str, path: &str) {
    let flags = OPERATIONS.iter().find(|(m, p, ..)| *m == method && *p == path).map(|(_, _, a, b, c, d)| (*a, *b, *c, *d));
    let (if_match, etag, json, query) = flags.unwrap_or((false, false, false, false));
    let public = ROUTES.iter().any(|(m, p, rule)| *m == method && *p == path && *rule == Rule::Public);
    let responses = &mut op.responses.responses;
    let mut add = |status: &str| {
        responses.entry(status.to_string()).or_insert_with(|| problem_response(status));
    };
    if json {
        add("400");
        add("413");
        add("415");
        add("422");
    }
    if query {
        add("422");
    }
    if !public {
        add("401");
    }
    if if_match {
        add("412");
        add("428");
        let param = ParameterBuilder::new()
            .name("If-Match")
            .parameter_in(ParameterIn::Header)
            .required(Required::True)
            .description(Some("The `ETag` of the version you edited, e.g. `\"3\"` (a strong tag: `W/` never matches)."))
            .schema(Some(ObjectBuilder::new().schema_type(Type::String).pattern(Some("^\"[0-9]+\"$"))))
            .build();
        op.parameters.get_or_insert_with(Vec::new).push(RefOr::T(param));
    }
    for (status, answer) in op.responses.responses.iter_mut() {
        let RefOr::T(r) = answer else { continue };
        if r.description.trim().is_empty() {
            r.description = meaning(status).to_string();
        }
        if status.starts_with('4') || status.starts_with('5') {
            if let Some(c) = r.content.shift_remove("application/json") {
                r.content.insert(PROBLEM.to_string(), c);
            }
        } else if etag && (status == "200" || status == "201") {
            let header = HeaderBuilder::new()
                .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
                .description(Some("The record's version, to send back as `If-Match` with a change."))
                .build();
            r.headers.insert("ETag".to_string(), RefOr::T(header));
        }
    }
}

/// An operation id made from the method and the path, for handlers whose names repeat
/// (`get` of attachments and of photos): `get_attachments_by_id`.
fn unique_id(method: &str, path: &str) -> String {
    let rest = path.trim_start_matches("/api/v1/").replace('/', "_").replace('{', "by_").replace(['}', '-', '.'], "_");
    format!("{}_{}", method.to_ascii_lowercase(), rest.trim_end_matches('_'))
}

impl Modify for Contract {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let mut seen = std::collections::HashMap::<String, usize>::new();
        for item in openapi.paths.paths.values() {
            for op in [&item.get, &item.post, &item.put, &item.patch, &item.delete].into_iter().flatten() {
                if let Some(id) = &op.operation_id {
                    *seen.entry(id.clone()).or_default() += 1;
                }
            }
        }
        for (path, item) in openapi.paths.paths.iter_mut() {
            for (method, op) in
                [("GET", &mut item.get), ("POST", &mut item.post), ("PUT", &mut item.put), ("PATCH", &mut item.patch), ("DELETE", &mut item.delete)]
            {
                if let Some(op) = op.as_mut() {
                    complete(op, method, path);
                    if op.operation_id.as_ref().is_none_or(|id| seen.get(id).copied().unwrap_or(0) > 1) {
                        op.operation_id = Some(unique_id(method, path));
                    }
                }
            }
        }
    }
}
