//! The API reference: the OpenAPI document rendered as one HTML page on the server, with no
//! script and no outside asset, so it works on an air-gapped network.

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use std::fmt::Write;
use std::sync::Arc;

pub async fn serve_json(spec: Arc<String>) -> Response {
    let mut r = spec.as_str().to_string().into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=300"));
    r
}

pub async fn serve_html(page: Arc<String>) -> Response {
    let mut r = page.as_str().to_string().into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=300"));
    r
}

/// Escape text for HTML.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

fn anchor(s: &str) -> String {
    s.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect()
}

/// A short description of a schema: a link to a named one, or its type.
fn schema_ref(s: &Value) -> String {
    if let Some(r) = s.get("$ref").and_then(Value::as_str) {
        let name = r.rsplit('/').next().unwrap_or(r);
        return format!("<a href=\"#schema-{}\">{}</a>", anchor(name), esc(name));
    }
    if let Some(one) = s.get("oneOf").or_else(|| s.get("anyOf")).and_then(Value::as_array) {
        let parts: Vec<String> = one.iter().map(schema_ref).collect();
        return parts.join(" | ");
    }
    let ty = match s.get("type") {
        Some(Value::String(t)) => t.clone(),
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(" | "),
        _ => String::new(),
    };
    if ty.contains("array")
        && let Some(items) = s.get("items")
    {
        return format!("array of {}", schema_ref(items));
    }
    let mut out = esc(&ty);
    if let Some(f) = s.get("format").and_then(Value::as_str) {
        let _ = write!(out, " ({})", esc(f));
    }
    if let Some(e) = s.get("enum").and_then(Value::as_array) {
        let vals: Vec<String> = e.iter().map(|v| format!("<code>{}</code>", esc(&v.to_string()))).collect();
        let _ = write!(out, ": {}", vals.join(", "));
    }
    if out.is_empty() { "any".into() } else { out }
}

pub fn reference_page(api: &utoipa::openapi::OpenApi) -> String {
    let doc = serde_json::to_value(api).unwrap_or(Value::Null);
    let mut h = String::new();
    let title = doc.pointer("/info/title").and_then(Value::as_str).unwrap_or("API");
    let version = doc.pointer("/info/version").and_then(Value::as_str).unwrap_or("");
    let _ = write!(
        h,
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<title>{t} reference</title><link rel=\"stylesheet\" href=\"/assets/liaison.css\"></head><body><header class=\"banner\">Liaison</header><main>\
<h1>{t} <span class=\"muted\">{v}</span></h1>",
        t = esc(title),
        v = esc(version)
    );
    if let Some(d) = doc.pointer("/info/description").and_then(Value::as_str) {
        for para in d.split("\n\n") {
            let _ = write!(h, "<p>{}</p>", esc(para));
        }
    }
    h.push_str("<p>Machine-readable: <a href=\"/api/v1/openapi.json\">openapi.json</a> (OpenAPI 3.1).</p>");
    let paths = doc.get("paths").and_then(Value::as_object).cloned().unwrap_or_default();
    let tags: Vec<(String, String)> = doc
        .get("tags")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .map(|t| {
                    (t.get("name").and_then(Value::as_str).unwrap_or("").to_string(), t.get("description").and_then(Value::as_str).unwrap_or("").to_string())
                })
                .collect()
        })
        .unwrap_or_default();
    h.push_str("<nav class=\"toc\" aria-label=\"Contents\"><ul>");
    for (t, d) in &tags {
        let _ = write!(h, "<li><a href=\"#tag-{}\">{}</a> <span class=\"muted\">{}</span></li>", anchor(t), esc(t), esc(d));
    }
    h.push_str("<li><a href=\"#schemas\">Schemas</a></li></ul></nav>");
    for (tag, desc) in &tags {
        let _ = write!(h, "<section><h2 id=\"tag-{}\">{}</h2><p>{}</p>", anchor(tag), esc(tag), esc(desc));
        for (path, item) in &paths {
            let Some(ops) = item.as_object() else { continue };
            for method in ["get", "post", "put", "patch", "delete"] {
                let Some(op) = ops.get(method) else { continue };
                let in_tag = op.get("tags").and_then(Value::as_array).is_some_and(|ts| ts.iter().any(|x| x.as_str() == Some(tag)));
                if !in_tag {
                    continue;
                }
                operation(&mut h, method, path, op);
            }
        }
        h.push_str("</section>");
    }
    h.push_str("<section><h2 id=\"schemas\">Schemas</h2>");
    if let Some(schemas) = doc.pointer("/components/schemas").and_then(Value::as_object) {
        for (name, s) in schemas {
            let _ = write!(h, "<div class=\"op\"><h3 id=\"schema-{}\">{}</h3>", anchor(name), esc(name));
            if let Some(d) = s.get("description").and_then(Value::as_str) {
                let _ = write!(h, "<p>{}</p>", esc(d));
            }
            if let Some(props) = s.get("properties").and_then(Value::as_object) {
                let required: Vec<&str> = s.get("required").and_then(Value::as_array).map(|a| a.iter().filter_map(Value::as_str).collect()).unwrap_or_default();
                h.push_str("<table><thead><tr><th scope=\"col\">Field</th><th scope=\"col\">Type</th><th scope=\"col\">Description</th></tr></thead><tbody>");
                for (p, ps) in props {
                    let req = if required.contains(&p.as_str()) { " <span class=\"muted\">required</span>" } else { "" };
                    let d = ps.get("description").and_then(Value::as_str).unwrap_or("");
                    let _ = write!(h, "<tr><td><code>{}</code>{}</td><td>{}</td><td>{}</td></tr>", esc(p), req, schema_ref(ps), esc(d));
                }
                h.push_str("</tbody></table>");
            } else {
                let _ = write!(h, "<p>{}</p>", schema_ref(s));
            }
            h.push_str("</div>");
        }
    }
    h.push_str("</section></main></body></html>");
    h
}

fn operation(h: &mut String, method: &str, path: &str, op: &Value) {
    let _ = write!(h, "<div class=\"op\"><h3><span class=\"method {m}\">{m}</span> <code>{p}</code></h3>", m = method, p = esc(path));
    if let Some(d) = op.get("description").or_else(|| op.get("summary")).and_then(Value::as_str) {
        let _ = write!(h, "<p>{}</p>", esc(d));
    }
    if let Some(params) = op.get("parameters").and_then(Value::as_array) {
        h.push_str("<table><thead><tr><th scope=\"col\">Parameter</th><th scope=\"col\">In</th><th scope=\"col\">Type</th><th scope=\"col\">Description</th></tr></thead><tbody>");
        for p in params {
            let _ = write!(
                h,
                "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(p.get("name").and_then(Value::as_str).unwrap_or("")),
                esc(p.get("in").and_then(Value::as_str).unwrap_or("")),
                p.get("schema").map(schema_ref).unwrap_or_default(),
                esc(p.get("description").and_then(Value::as_str).unwrap_or(""))
            );
        }
        h.push_str("</tbody></table>");
    }
    if let Some(s) = op.pointer("/requestBody/content/application~1json/schema") {
        let _ = write!(h, "<p>Body: {}</p>", schema_ref(s));
    }
    if let Some(rs) = op.get("responses").and_then(Value::as_object) {
        h.push_str("<p>Answers: ");
        let parts: Vec<String> = rs
            .iter()
            .map(|(code, r)| {
                let schema = r.pointer("/content/application~1json/schema").map(|s| format!(" {}", schema_ref(s))).unwrap_or_default();
                format!("<code>{}</code>{}", esc(code), schema)
            })
            .collect();
        h.push_str(&parts.join("; "));
        h.push_str("</p>");
    }
    h.push_str("</div>");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_everything_that_matters() {
        assert_eq!(esc("<a href=\"x\">'&'</a>"), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
    }
}
