//! Search through the API, the workspace page and the portal, on the database under test: either
//! script and no diacritics find the same records, codes and titles rank first, phrases and
//! prefixes, escaped snippets, hidden records never found or counted, edits and marking changes
//! seen by the next search, and every bad query answered without a 5xx.

use crate::support::*;
use liaison_app::Ctx;
use liaison_domain::ItemId;
use liaison_domain::item::NewItem;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

fn marking(level: &str, rel: &[&str]) -> Value {
    json!({"level": level, "releasable_to": rel, "originator": "NATO"})
}

/// An item written by the program, as an import would: any marking, down to public.
async fn item(f: &Fixture, code: &str, title: Value, description: Value, m: Option<Value>) -> ItemId {
    let mut v = json!({"code": code, "title": title, "description": description});
    if let Some(m) = m {
        v["marking"] = m;
    }
    let input: NewItem = serde_json::from_value(v).unwrap();
    let input = NewItem { downgrade: true, ..input };
    liaison_app::items::create(&f.server.app, &Ctx::system("test"), f.plan.id, input).await.expect("item").id
}

fn on_postgres(f: &Fixture) -> bool {
    f.server.app_url().starts_with("postgres")
}

async fn find(api: &Api, query: &str) -> Answer {
    api.get(&format!("/api/v1/search?{query}")).await
}

fn q(s: &str) -> String {
    format!("q={}", urlencode(s))
}

fn urlencode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// The codes of the hits, in rank order.
fn codes(a: &Answer) -> Vec<String> {
    assert_eq!(a.status, StatusCode::OK, "{}", a.text);
    a.body["hits"].as_array().unwrap().iter().map(|h| h["code"].as_str().unwrap().to_string()).collect()
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v.dedup();
    v
}

#[tokio::test]
async fn either_script_and_no_diacritics_find_the_same_records_and_codes_and_titles_rank_first() {
    let f = Fixture::new().await;
    item(
        &f,
        "2.3.1",
        json!({"en": "Cyber defence exercise", "sr": "Вежба сајбер одбране"}),
        json!({"en": "Held at Kovačica with the Đerdap battalion."}),
        None,
    )
    .await;
    item(&f, "PG-17", json!({"en": "Military police", "sr": "Војна полиција"}), json!({"en": "Training of the NCO corps."}), None).await;
    item(&f, "1.1", json!({"en": "Defence policy"}), json!({"en": "Names PG-17 and the police reform."}), None).await;
    item(&f, "4", json!({"en": "Logistics"}), json!({"en": "Supply chains for defence units."}), None).await;
    let api = f.as_("partner").await;

    // Query → the codes it finds, both ways between the scripts and with or without diacritics.
    let table: &[(&str, &[&str])] = &[
        ("odbrane", &["2.3.1"]),
        ("одбране", &["2.3.1"]),
        ("ODBRANE", &["2.3.1"]),
        ("Kovacica", &["2.3.1"]),
        ("Kovačica", &["2.3.1"]),
        ("Ковачица", &["2.3.1"]),
        ("KOVAČICA", &["2.3.1"]),
        ("Djerdap", &["2.3.1"]),
        ("Đerdap", &["2.3.1"]),
        ("Ђердап", &["2.3.1"]),
        ("policija", &["PG-17"]),
        ("полиција", &["PG-17"]),
        ("vojna policija", &["PG-17"]),
        ("nco", &["PG-17"]),
        ("NCO", &["PG-17"]),
        ("defence", &["1.1", "2.3.1", "4"]),
        ("\"cyber defence\"", &["2.3.1"]),
        ("\"defence cyber\"", &[]),
        ("polic*", &["1.1", "PG-17"]),
        ("cyb", &[]),
        ("walrus", &[]),
    ];
    for (query, want) in table {
        let got = find(&api, &q(query)).await;
        assert_eq!(sorted(codes(&got)), sorted(want.iter().map(|s| s.to_string()).collect()), "{query:?}");
        assert_eq!(got.body["total"], want.len(), "{query:?} total");
        assert_eq!(got.body["facets"]["kind"]["item"].as_u64().unwrap_or(0), want.len() as u64, "{query:?} facet");
    }
    // As one types, the last word is a prefix.
    assert_eq!(codes(&find(&api, &format!("{}&prefix=1", q("cyb"))).await), ["2.3.1"]);
    assert_eq!(codes(&find(&api, &format!("{}&prefix=1", q("вежба сај"))).await), ["2.3.1"]);
    // Other forms of a Serbian word: PostgreSQL's Serbian stemmer finds them; SQLite matches
    // whole folded words (or a prefix: `odbran*`).
    let forms = codes(&find(&api, &q("odbrana")).await);
    assert_eq!(forms, if on_postgres(&f) { vec!["2.3.1".to_string()] } else { Vec::<String>::new() });
    assert_eq!(codes(&find(&api, &q("odbran*")).await), ["2.3.1"]);

    // An exact code first, even where another record names it in its text.
    assert_eq!(codes(&find(&api, &q("PG-17")).await), ["PG-17", "1.1"]);
    assert_eq!(codes(&find(&api, &q("2.3.1")).await)[0], "2.3.1");
    // Titles holding the words before texts that merely mention them.
    let defence = codes(&find(&api, &q("defence")).await);
    assert_eq!(defence[2], "4", "the text-only match is last: {defence:?}");
    let scores: Vec<f64> = find(&api, &q("defence")).await.body["hits"].as_array().unwrap().iter().map(|h| h["score"].as_f64().unwrap()).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");

    // Titles and snippets in the reader's script.
    let latin = find(&api, &format!("{}&lang=sr-Latn", q("вежба"))).await;
    assert_eq!(latin.body["hits"][0]["title"], "Vežba sajber odbrane");
    let cyr = find(&api, &format!("{}&lang=sr-Cyrl", q("vezba"))).await;
    assert_eq!(cyr.body["hits"][0]["title"], "Вежба сајбер одбране");
    let hit = &find(&api, &q("kovacica")).await.body["hits"][0];
    assert_eq!(hit["kind"], "item");
    assert_eq!(hit["plan"], f.plan.id.to_string());
    assert!(hit["snippet"].as_str().unwrap().contains("<mark>Kovačica</mark>"), "{hit}");
}

#[tokio::test]
async fn snippets_are_escaped_and_pages_go_on_with_a_cursor() {
    let f = Fixture::new().await;
    let id = item(&f, "1", json!({"en": "Harbour"}), json!({"en": "x"}), None).await;
    let coord = f.as_("coordinator").await;
    let c = coord.post(&format!("/api/v1/items/{id}/comments"), &json!({"body": "<script>alert('walrus')</script> & the walrus <b>tusk</b>"})).await;
    assert_eq!(c.status, StatusCode::CREATED, "{}", c.text);
    let got = find(&coord, &q("walrus")).await;
    let snippet = got.body["hits"][0]["snippet"].as_str().unwrap().to_string();
    assert_eq!(got.body["hits"][0]["kind"], "comment");
    assert_eq!(got.body["hits"][0]["item"], id.to_string());
    assert!(
        snippet.contains("&lt;script&gt;alert(&#39;<mark>walrus</mark>&#39;)&lt;/script&gt; &amp; the <mark>walrus</mark> &lt;b&gt;tusk&lt;/b&gt;"),
        "{snippet}"
    );
    assert!(!snippet.contains("<script") && !snippet.contains("<b>"), "{snippet}");
    // The page shows it as text too.
    let b = f.server.browser_as(&f.emails["coordinator"], PASSWORD).await;
    let page = b.get("/search?q=walrus").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text.contains("&lt;script&gt;") && !page.text.contains("<script>alert"), "{}", page.text);

    for n in 0..25 {
        item(&f, &format!("P{n}"), json!({"en": format!("Pelican count {n}")}), json!({}), None).await;
    }
    let mut seen = std::collections::BTreeSet::new();
    let mut cursor = String::new();
    let mut pages = 0;
    loop {
        let a = find(&coord, &format!("{}&limit=10{cursor}", q("pelican"))).await;
        assert_eq!(a.body["total"], 25);
        for h in a.body["hits"].as_array().unwrap() {
            assert!(seen.insert(h["id"].as_str().unwrap().to_string()), "a hit on two pages");
        }
        pages += 1;
        match a.body["next_cursor"].as_str() {
            Some(c) => cursor = format!("&cursor={c}"),
            None => break,
        }
    }
    assert_eq!((pages, seen.len()), (3, 25));
}

#[tokio::test]
async fn hidden_records_are_never_found_counted_or_quoted() {
    let f = Fixture::new().await;
    // The plan is NATO UNCLASSIFIED releasable to Serbia; the partner's editor (Serbia, up to
    // CONFIDENTIAL), an Ally's contributor (Norway, CONFIDENTIAL), a viewer (SECRET).
    let open = item(&f, "1", json!({"en": "Zebra crossing open"}), json!({}), None).await;
    item(&f, "S", json!({"en": "Zebra secret"}), json!({"en": "zebra"}), Some(marking("nato_secret", &[]))).await;
    item(&f, "C", json!({"en": "Zebra for Allies"}), json!({}), Some(marking("nato_confidential", &[]))).await;
    item(&f, "P", json!({"en": "Zebra on the portal"}), json!({}), Some(marking("public", &[]))).await;
    let coord = f.as_("coordinator").await;
    // A SECRET comment on the open item: its words are never quoted to those below SECRET.
    let c = coord.post(&format!("/api/v1/items/{open}/comments"), &json!({"body": "zebra stripes, secret", "marking": marking("nato_secret", &[])})).await;
    assert_eq!(c.status, StatusCode::CREATED, "{}", c.text);
    // An offer by the Netherlands, not shared with Norway.
    let nld = f.as_("ally2").await;
    let o = nld
        .post(
            &f.plan_path("/offers"),
            &json!({"kind": "training", "title": {"en": "Zebra course"}, "description": "zebra", "period": {"start": "2015-03-01", "end": "2015-04-01"}, "items": [open], "marking": marking("nato_confidential", &[])}),
        )
        .await;
    assert_eq!(o.status, StatusCode::CREATED, "{}", o.text);

    let expect = [
        ("viewer", vec!["1", "C", "P", "S", "comment", "offer"]),
        ("coordinator", vec!["1", "C", "P", "S", "comment", "offer"]),
        ("partner", vec!["1", "P"]),
        ("ally", vec!["1", "C", "P"]),
        ("ally2", vec!["1", "C", "P", "offer"]),
    ];
    for (who, want) in expect {
        let api = f.as_(who).await;
        let a = find(&api, &q("zebra")).await;
        let got: Vec<String> = sorted(
            a.body["hits"]
                .as_array()
                .unwrap()
                .iter()
                .map(|h| if h["kind"] == "item" { h["code"].as_str().unwrap().to_string() } else { h["kind"].as_str().unwrap().to_string() })
                .collect(),
        );
        assert_eq!(got, sorted(want.iter().map(|s| s.to_string()).collect()), "{who}");
        assert_eq!(a.body["total"], want.len(), "{who} total");
        let facet_sum: u64 = a.body["facets"]["kind"].as_object().unwrap().values().map(|v| v.as_u64().unwrap()).sum();
        assert_eq!(facet_sum, want.len() as u64, "{who} facets");
        if !want.contains(&"S") {
            assert!(!a.text.contains("secret"), "{who} is quoted a hidden word: {}", a.text);
        }
        // Narrowing to a kind never reveals more.
        let comments = find(&api, &format!("{}&kind=comment", q("stripes"))).await;
        assert_eq!(comments.body["total"], u64::from(want.contains(&"comment")), "{who} comments");
    }

    // The public portal: only public records of a published plan.
    let anon = f.server.anon();
    let none = anon.get(&format!("/public/search?{}", q("zebra"))).await;
    assert_eq!(none.status, StatusCode::OK);
    assert!(!none.text.contains("Zebra on the portal"), "the plan is not on the portal yet");
    let cur = coord.get(&f.plan_path("/portal")).await;
    let put = coord
        .send(
            Method::PUT,
            &f.plan_path("/portal"),
            Some(&json!({"title": {"en": "Portal"}, "summary": {"en": "."}, "published": true})),
            &[("if-match", &cur.etag())],
        )
        .await;
    assert_eq!(put.status, StatusCode::OK, "{}", put.text);
    let public = anon.get(&format!("/public/search?{}", q("zebra"))).await;
    assert_eq!(public.status, StatusCode::OK);
    assert!(public.text.contains("Zebra on the portal"), "{}", public.text);
    for hidden in ["Zebra crossing open", "Zebra secret", "Zebra for Allies", "stripes", "Zebra course"] {
        assert!(!public.text.contains(hidden), "the portal shows {hidden:?}");
    }
    assert!(public.text.contains(">1<") || public.text.contains("1 record"), "counted once: {}", public.text);
    // Switching the language keeps the words searched for.
    assert!(public.text.contains("href=\"/public/search?q=zebra&#38;lang=sr-Cyrl\""), "{}", public.text);
    // The API is for signed-in readers only.
    assert_eq!(find(&anon, &q("zebra")).await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn an_edit_or_a_marking_change_is_seen_by_the_next_search() {
    let f = Fixture::new().await;
    let id = item(&f, "E1", json!({"en": "Original walrus"}), json!({}), None).await;
    let coord = f.as_("coordinator").await;
    let partner = f.as_("partner").await;
    coord.post(&format!("/api/v1/items/{id}/comments"), &json!({"body": "a note on the narwhal plan"})).await;
    assert_eq!(codes(&find(&partner, &q("walrus")).await), ["E1"]);

    let path = format!("/api/v1/items/{id}");
    let cur = coord.get(&path).await;
    let r = coord.patch(&path, &cur.etag(), &json!({"title": {"en": "Renamed narwhal"}})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert!(codes(&find(&partner, &q("walrus")).await).is_empty(), "the old title is gone at once");
    let now = find(&partner, &q("narwhal")).await;
    assert_eq!(now.body["total"], 2, "the item and its comment: {}", now.text);
    assert_eq!(now.body["hits"][0]["title"], "Renamed narwhal");

    // Marked SECRET: the partner finds neither the item nor what belongs to it.
    let cur = coord.get(&path).await;
    let r = coord.patch(&path, &cur.etag(), &json!({"marking": marking("nato_secret", &[])})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let hidden = find(&partner, &q("narwhal")).await;
    assert_eq!(hidden.body["total"], 0, "{}", hidden.text);
    assert_eq!(hidden.body["facets"]["kind"], json!({}));
    assert_eq!(find(&coord, &q("narwhal")).await.body["total"], 2);

    // Deleted: found by nobody.
    let cur = coord.get(&path).await;
    let d = coord.delete(&format!("{path}?cascade=true"), &cur.etag()).await;
    assert!(d.status.is_success(), "{} {}", d.status, d.text);
    assert_eq!(find(&coord, &q("narwhal")).await.body["total"], 0);
}

#[tokio::test]
async fn bad_queries_are_answered_with_results_or_a_clear_422_never_a_5xx() {
    let f = Fixture::new().await;
    item(&f, "1", json!({"en": "Near a star"}), json!({"en": "title: a * b - c \"d\""}), None).await;
    let api = f.as_("viewer").await;
    let long = "a".repeat(10_000);
    for query in [
        "NEAR(",
        "NEAR(a b)",
        "*",
        "\"",
        "\"\"",
        "-",
        ":",
        "a:b",
        "title:star",
        "star*",
        "*star",
        "a OR b",
        "NOT star",
        "star AND",
        "^star",
        "((((",
        "\\",
        "%",
        "_",
        "'; DROP TABLE item; --",
        "\u{0}",
        "star -near",
        "\"near a",
        "!@#$%^&*()",
        "<script>",
        "ǆ",
        "😀 star",
    ] {
        let a = find(&api, &q(query)).await;
        assert!(a.status == StatusCode::OK || a.status == StatusCode::UNPROCESSABLE_ENTITY, "{query:?}: {} {}", a.status, a.text);
        if a.status == StatusCode::UNPROCESSABLE_ENTITY {
            // No words is `required`; a control character is refused before the words are read.
            let code = if query.chars().any(char::is_control) { "invalid" } else { "required" };
            assert!(a.has_error("q", code), "{query:?}: {}", a.text);
        }
    }
    let near = find(&api, &q("NEAR(")).await;
    assert_eq!(codes(&near), ["1"], "syntax is text: {}", near.text);
    // A token of words joined by punctuation is those words together, as `PG-17` or `e-mail`.
    assert!(codes(&find(&api, &q("title:star")).await).is_empty(), "not a field filter: the words `title star` together");
    assert_eq!(codes(&find(&api, &q("title: star")).await), ["1"]);
    assert_eq!(codes(&find(&api, &q("\"near a")).await), ["1"], "an unbalanced quote's phrase runs to the end");

    let bad: &[(&str, &str, &str)] = &[
        ("", "q", "required"),
        ("q=", "q", "required"),
        ("q=%20%20", "q", "required"),
        ("q=*", "q", "required"),
        ("q=a&kind=bogus", "kind", "unknown"),
        ("q=a&limit=0", "limit", "range"),
        ("q=a&limit=1000", "limit", "range"),
        ("q=a&limit=x", "limit", "range"),
        ("q=a&from=2025-13-01", "from", "date"),
        ("q=a&from=2025-02-01&to=2025-01-01", "to", "before_from"),
        ("q=a&cursor=zzz", "cursor", "invalid"),
        ("q=a&plan=not-a-uuid", "plan", "invalid"),
        ("q=a&status=%3Cb%3E", "status", "invalid"),
        ("q=a&prefix=maybe", "prefix", "invalid"),
        ("q=a&lang=fr", "lang", "unknown"),
    ];
    for (query, field, code) in bad {
        let a = find(&api, query).await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}: {}", a.text);
        assert!(a.has_error(field, code), "{query}: {}", a.text);
    }
    let a = find(&api, &q(&long)).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(a.has_error("q", "too_long"), "{}", a.text);
    let many = (0..40).map(|i| format!("w{i}")).collect::<Vec<_>>().join(" ");
    assert!(find(&api, &q(&many)).await.has_error("q", "too_many"));
    let unknown = find(&api, "q=a&sort=desc").await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", unknown.text);

    // The pages answer the same way, as pages.
    let b = f.server.browser_as(&f.emails["viewer"], PASSWORD).await;
    assert_eq!(b.get(&format!("/search?{}", q(&long))).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(b.get("/search?q=NEAR(").await.status, StatusCode::OK);
    assert_eq!(b.get("/search?q=a&from=nope").await.status, StatusCode::UNPROCESSABLE_ENTITY);
    let anon = f.server.anon();
    for (query, status) in
        [("q=NEAR(", StatusCode::OK), ("q=", StatusCode::OK), ("q=%22", StatusCode::UNPROCESSABLE_ENTITY), ("q=*", StatusCode::UNPROCESSABLE_ENTITY)]
    {
        let r = anon.get(&format!("/public/search?{query}")).await;
        assert_eq!(r.status, status, "{query}");
    }
    assert_eq!(anon.get(&format!("/public/search?{}", q(&long))).await.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn the_search_page_groups_hits_by_kind_with_filters_as_links_and_every_page_has_the_box() {
    let f = Fixture::new().await;
    let id = item(&f, "3.1", json!({"en": "Heron survey", "sr": "Преглед чапљи"}), json!({}), None).await;
    let coord = f.as_("coordinator").await;
    coord.post(&format!("/api/v1/items/{id}/comments"), &json!({"body": "The heron count is late."})).await;
    let b = f.server.browser_as(&f.emails["coordinator"], PASSWORD).await;
    let home = b.get("/").await;
    assert!(home.text.contains("action=\"/search\"") && home.text.contains("role=\"search\""), "the header has the box");
    let page = b.get("/search?q=heron").await;
    assert_eq!(page.status, StatusCode::OK);
    let t = &page.text;
    assert!(t.contains("id=\"group-item\"") && t.contains("id=\"group-comment\""), "{t}");
    assert!(t.find("id=\"group-item\"") < t.find("id=\"group-comment\""), "the title match's group first");
    assert!(t.contains(&format!("href=\"/items/{id}\"")), "hits link to their record");
    assert!(t.contains("/search?q=heron&#38;kind=comment"), "a kind is a link that narrows: {}", &t[t.find("search-facets").unwrap_or(0)..]);
    assert!(t.contains(&format!("/search?q=heron&#38;plan={}", f.plan.id)), "a plan is a link");
    assert!(t.contains("value=\"heron\""), "the box keeps the query");
    let narrowed = b.get("/search?q=heron&kind=comment").await;
    assert!(narrowed.text.contains("id=\"group-comment\"") && !narrowed.text.contains("id=\"group-item\""));
    assert!(narrowed.text.contains("aria-current=\"true\""), "the chosen kind is marked");
    // In Serbian, in either script.
    let sr = b.get("/search?q=caplji&lang=sr-Latn").await;
    assert_eq!(sr.status, StatusCode::OK);
    assert!(sr.text.contains("чапљи") || sr.text.contains("čaplji"), "{}", sr.text);
    let empty = b.get("/search").await;
    assert_eq!(empty.status, StatusCode::OK);
    assert!(empty.text.contains("autofocus"));
    // The search page needs a sign-in.
    let anon = f.server.anon();
    let r = anon.get("/search?q=heron").await;
    assert!(r.status.is_redirection() || r.status == StatusCode::SEE_OTHER || r.text.contains("/login"), "{}", r.status);
}

#[tokio::test]
async fn the_text_of_evidence_files_is_found_text_pdf_and_word_under_their_marking() {
    let f = Fixture::new().await;
    item(&f, "7", json!({"en": "Flood response", "sr": "Одговор на поплаве"}), json!({}), None).await;
    let coord = f.as_("coordinator").await;
    let partner = f.as_("partner").await;
    let pdf = coord.get(&format!("{}?lang=sr-Cyrl", f.plan_path("/plan.pdf"))).await;
    assert!(pdf.bytes.starts_with(b"%PDF-"), "{}", pdf.status);
    let docx = coord.get(&format!("{}?lang=en", f.plan_path("/plan.docx"))).await;
    assert!(docx.bytes.starts_with(b"PK"), "{}", docx.status);
    let path = f.plan_path("/attachments");
    let upload = |name: &'static str, bytes: Vec<u8>, level: Option<&'static str>| {
        let coord = &coord;
        let path = &path;
        async move {
            let mut fields: Vec<(&str, Option<&str>, &[u8])> = vec![("file", Some(name), &bytes)];
            if let Some(l) = level {
                fields.push(("level", None, l.as_bytes()));
            }
            let (ct, body) = crate::implementation::multipart(&fields);
            let r = coord.raw(Method::POST, path, &ct, body, &[]).await;
            assert_eq!(r.status, StatusCode::CREATED, "{name}: {}", r.text);
            r.id()
        }
    };
    let plan_pdf = upload("plan-sr.pdf", pdf.bytes.clone(), None).await;
    let plan_docx = upload("plan-en.docx", docx.bytes.clone(), None).await;
    let notes = upload("notes.txt", "Attendance at Kovačica: 24 officers.".as_bytes().to_vec(), Some("nato_secret")).await;
    let broken = upload("broken.pdf", b"%PDF-1.7 this is not really a PDF".to_vec(), None).await;

    let evidence = |a: &Answer| -> Vec<String> { a.body["hits"].as_array().unwrap().iter().map(|h| h["id"].as_str().unwrap().to_string()).collect() };
    // The Serbian PDF's text, found in Latin; the Word document's, in English.
    let a = find(&coord, &format!("{}&kind=evidence", q("poplave"))).await;
    assert_eq!(evidence(&a), [plan_pdf.as_str()], "{}", a.text);
    let a = find(&coord, &format!("{}&kind=evidence", q("flood response"))).await;
    assert_eq!(evidence(&a), [plan_docx.as_str()], "the Serbian PDF has no English: {}", a.text);
    // A SECRET file's words are found by those cleared for it only.
    assert_eq!(evidence(&find(&coord, &q("kovacica officers")).await), [notes.as_str()]);
    let hidden = find(&partner, &q("kovacica officers")).await;
    assert_eq!(hidden.body["total"], 0, "{}", hidden.text);
    // A file whose text cannot be read is kept and found by its name.
    assert_eq!(evidence(&find(&coord, &q("broken")).await), [broken]);
}
