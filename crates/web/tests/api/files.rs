//! Files in and out through the API: a plan's tree from XLSX or CSV (each messy case of
//! real offices in a small file the test makes, and the real national action plan of the
//! reference folder), indicator figures from tidy tables (and the real SDG series), the
//! exports (XLSX and CSV read back with a real reader, DOCX and PDF read back as text, opened
//! by LibreOffice), round trips, hostile files, and what a partner-side reader may see.

use crate::implementation::multipart;
use crate::support::*;
use liaison_domain::marking::{Level, Marking};
use reqwest::StatusCode;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// Upload a sheet with form fields.
pub async fn upload(api: &Api, name: &str, bytes: &[u8], fields: &[(&str, &str)]) -> Answer {
    let mut parts: Vec<(&str, Option<&str>, &[u8])> = vec![("file", Some(name), bytes)];
    for (k, v) in fields {
        parts.push((k, None, v.as_bytes()));
    }
    let (ct, body) = multipart(&parts);
    api.raw(reqwest::Method::POST, "/api/v1/imports/sheet", &ct, body, &[]).await
}

/// A preview, or the preview of what applying did.
fn doc(p: &Answer) -> &Value {
    if p.body.get("applied").is_some() { &p.body["preview"] } else { &p.body }
}

/// The rows of a preview by sheet row number.
fn rows(p: &Answer) -> BTreeMap<u64, Value> {
    doc(p)["rows"].as_array().unwrap_or_else(|| panic!("no rows: {}", p.text)).iter().map(|r| (r["row"].as_u64().unwrap(), r.clone())).collect()
}

/// The problems at a cell.
fn at(p: &Answer, cell: &str) -> Vec<(String, String)> {
    doc(p)["problems"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["path"] == cell)
        .map(|x| (x["severity"].as_str().unwrap().to_string(), x["message"].as_str().unwrap().to_string()))
        .collect()
}

fn warns(p: &Answer, cell: &str, word: &str) -> bool {
    at(p, cell).iter().any(|(s, m)| s == "warning" && m.contains(word))
}

fn errs(p: &Answer, cell: &str, word: &str) -> bool {
    at(p, cell).iter().any(|(s, m)| s == "error" && m.contains(word))
}

async fn apply(api: &Api, p: &Answer) -> Answer {
    api.post(&format!("/api/v1/imports/{}/apply", p.body["id"].as_str().unwrap()), &json!({})).await
}

/// The plan's items by code.
async fn items(api: &Api, plan: &str) -> BTreeMap<String, Value> {
    let a = api.get(&format!("/api/v1/plans/{plan}/items?limit=500")).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text);
    a.body["items"].as_array().unwrap().iter().map(|i| (i["code"].as_str().unwrap().to_string(), i.clone())).collect()
}

fn code_of(items: &BTreeMap<String, Value>, id: &Value) -> Option<String> {
    items.values().find(|i| &i["id"] == id).map(|i| i["code"].as_str().unwrap().to_string())
}

fn new_plan(f: &Fixture, code: &str) -> String {
    json!({
        "framework": "ipap", "code": code, "title": {"en": format!("Plan {code}")},
        "partner": f.orgs["MFA"], "owner": f.orgs["NATO IS"],
        "period": {"start": "2016-01-01", "end": "2018-12-31"},
        "marking": {"level": "nato_unclassified", "releasable_to": ["SRB"], "originator": "NATO"}
    })
    .to_string()
}

#[tokio::test]
async fn a_messy_csv_in_serbian_latin_imports_with_every_problem_at_its_cell() {
    let f = Fixture::new().await;
    let api = f.as_("coordinator").await;
    // Excel's "CSV UTF-8": a byte order mark, `;`, CRLF; a title block above the header and a
    // note below; Serbian headers; every kind of date; HTML; spaces; an organisation the
    // directory has (MoD, by name) and one it has not.
    let csv = "\u{feff}Akcioni plan 2016;;;;;;;\r\n\
        ;;;;;;;\r\n\
        Šifra;Nadređena šifra;Naziv;Opis;Nosilac;Status;Rok;Oblast\r\n\
        1;;Reforma odbrane ;Prvi red<br>drugi red;MoD;u toku;15.03.2016;Cyber defence\r\n\
        1.1;1;Obuka;Vidi <a href=\"https://example.org/obuka\">stranicu</a>;Uprava za ljudske resurse;Završeno;III kvartal 2016;\r\n\
        1.2;1;Vežbe;;MoD;planirano;kontinuirano;\r\n\
        1.3;1;Procena;;;nepoznat;u ranoj 2017;\r\n\
        1.4;9;Siroče;;;;2016-Q3;\r\n\
        ;;;;;;;\r\n\
        Izvor: Ministarstvo odbrane;;;;;;;\r\n";
    let p = upload(&api, "plan.csv", csv.as_bytes(), &[("plan", &f.plan.id.to_string()), ("language", "sr-Latn")]).await;
    assert_eq!(p.status, StatusCode::CREATED, "{}", p.text);
    let sheet = &p.body["sheet"];
    assert_eq!((sheet["format"].as_str(), sheet["encoding"].as_str(), sheet["separator"].as_str()), (Some("csv"), Some("UTF-8"), Some(";")));
    assert_eq!(sheet["header_row"], 3, "the header is found below the title block");
    let fields: Vec<Value> = sheet["columns"].as_array().unwrap().iter().map(|c| c["field"].clone()).collect();
    assert_eq!(fields, vec![json!("code"), json!("parent"), json!("title"), json!("description"), json!("lead"), json!("status"), json!("due"), json!("area")]);
    let r = rows(&p);
    assert_eq!(r.len(), 7, "every row below the header is accounted for: {}", p.text);
    assert_eq!(sheet["rows"], json!({"rows": 7, "items": 5, "created": 4, "updated": 0, "unchanged": 0, "refused": 1, "notes": 1, "blank": 1}));
    assert_eq!(r[&4]["action"], "create");
    assert_eq!(r[&8]["action"], "refused");
    assert!(errs(&p, "B8", "no item with the code 9"), "{:?}", at(&p, "B8"));
    assert!(warns(&p, "F7", "not a status"), "{:?}", at(&p, "F7"));
    assert!(warns(&p, "G7", "kept in the description"), "{:?}", at(&p, "G7"));
    assert!(warns(&p, "A10", "note"), "a source line in the code column is a note: {:?}", p.text);
    assert_eq!((r[&10]["kind"].as_str(), r[&10]["action"].as_str()), (Some("note"), Some("skipped")));
    let orgs: Vec<(String, String)> =
        p.body["organisations"].as_array().unwrap().iter().map(|o| (o["name"].as_str().unwrap().into(), o["action"].as_str().unwrap().into())).collect();
    assert!(orgs.contains(&("MoD".into(), "match".into())) && orgs.contains(&("Uprava za ljudske resurse".into(), "create".into())), "{orgs:?}");
    // The preview wrote nothing.
    assert!(items(&api, &f.plan.id.to_string()).await.is_empty());
    assert!(api.get("/api/v1/organisations?limit=100").await.text.find("Uprava za ljudske").is_none());

    let a = apply(&api, &p).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text);
    let got = items(&api, &f.plan.id.to_string()).await;
    assert_eq!(got.keys().cloned().collect::<Vec<_>>(), vec!["1", "1.1", "1.2", "1.3"]);
    let one = &got["1"];
    assert_eq!(one["title"], json!({"sr-Latn": "Reforma odbrane"}), "trailing spaces go");
    assert_eq!(one["description"]["sr-Latn"], "Prvi red\ndrugi red");
    assert_eq!((one["status"].as_str(), one["due"].as_str()), (Some("in_progress"), Some("2016-03-15")));
    assert_eq!(one["lead_organisation"], json!(f.orgs["MoD"]));
    assert_eq!(one["areas"], json!(["cyber_defence"]), "an area by its name");
    assert_eq!(got["1.1"]["description"]["sr-Latn"], "Vidi [stranicu](https://example.org/obuka)");
    assert_eq!((got["1.1"]["status"].as_str(), got["1.1"]["due"].as_str()), (Some("completed"), Some("2016-Q3")));
    assert_eq!(got["1.2"]["due"], "continuous");
    assert_eq!(code_of(&got, &got["1.2"]["parent"]).as_deref(), Some("1"));
    assert_eq!(got["1.3"]["status"], "planned", "an unknown status leaves the default");
    assert!(got["1.3"]["description"]["sr-Latn"].as_str().unwrap().contains("**Rok:** u ranoj 2017"), "a due that is no date is kept");
    // Audited as an import, with the file's hash; the items' Change rows are there too.
    let audit = f.as_("security").await.get("/api/v1/audit?entity=import").await;
    assert!(audit.text.contains("\"kind\":\"sheet\"") && audit.text.contains(p.body["sha256"].as_str().unwrap()), "{}", audit.text);
    let history = api.get(&format!("/api/v1/items/{}/history", one["id"].as_str().unwrap())).await;
    assert!(history.text.contains("\"create\""), "{}", history.text);
    // Applied once.
    assert_eq!(apply(&api, &p).await.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn code_pages_and_separators_of_serbian_offices_are_read() {
    let f = Fixture::new().await;
    let api = f.as_("coordinator").await;
    let plan = f.plan.id.to_string();
    // Windows-1251, tab-separated, Cyrillic headers and values.
    let (cyr, _, _) = encoding_rs::WINDOWS_1251
        .encode("Шифра\tНазив\tСтатус\tРок\r\nC1\tОдбрана од сајбер напада\tу току\tконтинуирано\r\nC2\tЉудски ресурси\tреализовано\tQ3 2016\r\n");
    let p = upload(&api, "ћирилица.csv", &cyr, &[("plan", &plan)]).await;
    assert_eq!(p.status, StatusCode::CREATED, "{}", p.text);
    assert_eq!((p.body["sheet"]["encoding"].as_str(), p.body["sheet"]["separator"].as_str()), (Some("windows-1251"), Some("tab")));
    assert_eq!(apply(&api, &p).await.status, StatusCode::OK);
    let got = items(&api, &plan).await;
    assert_eq!(got["C1"]["title"], json!({"sr": "Одбрана од сајбер напада"}), "Cyrillic is Serbian");
    assert_eq!((got["C1"]["status"].as_str(), got["C1"]["due"].as_str()), (Some("in_progress"), Some("continuous")));
    assert_eq!((got["C2"]["status"].as_str(), got["C2"]["due"].as_str()), (Some("completed"), Some("2016-Q3")));
    // Windows-1250, commas, a quoted field with the separator in it.
    let (lat, _, _) = encoding_rs::WINDOWS_1250.encode("Šifra,Naziv,Rok\nL1,\"Ministarstvo unutrašnjih poslova, Đorđe Čović\",2016-03-15\n");
    let p = upload(&api, "latinica.csv", &lat, &[("plan", &plan), ("language", "sr-Latn")]).await;
    assert_eq!(p.status, StatusCode::CREATED, "{}", p.text);
    assert_eq!((p.body["sheet"]["encoding"].as_str(), p.body["sheet"]["separator"].as_str()), (Some("windows-1250"), Some(",")));
    assert_eq!(apply(&api, &p).await.status, StatusCode::OK);
    assert_eq!(items(&api, &plan).await["L1"]["title"]["sr-Latn"], "Ministarstvo unutrašnjih poslova, Đorđe Čović");
}

/// A workbook as offices make them: a merged title, the header on row 3, codes Excel made
/// numbers, real date cells, an area merged down three rows, a note below the table.
fn messy_workbook() -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let bold = Format::new().set_bold();
    ws.merge_range(0, 0, 0, 5, "Individual Partnership Action Plan — chapter 1", &bold).unwrap();
    for (c, h) in ["Code", "Title", "Parent", "Start", "Deadline", "Area"].iter().enumerate() {
        ws.write_string(2, c as u16, *h).unwrap();
    }
    let date = Format::new().set_num_format("dd.mm.yyyy");
    // Row 4: a chapter with a text code; rows 5-7: objectives with numeric codes, the last
    // "1.10" that Excel stored as 1.1.
    ws.write_string(3, 0, "1").unwrap();
    ws.write_string(3, 1, "Political and security issues").unwrap();
    for (r, code, title) in [(4u32, 1.1, "Defence reform"), (5, 1.2, "Democratic control"), (6, 1.1, "Cyber defence")] {
        ws.write_number(r, 0, code).unwrap();
        ws.write_string(r, 1, title).unwrap();
        ws.write_string(r, 2, "1").unwrap();
        ws.write_datetime_with_format(r, 3, ExcelDateTime::from_ymd(2016, 1, 15).unwrap(), &date).unwrap();
        ws.write_number(r, 4, 42643.0).unwrap(); // 30.09.2016 as a bare serial number
    }
    ws.merge_range(4, 5, 6, 5, "Logistics", &Format::new()).unwrap();
    ws.write_string(8, 0, "Note: figures as of 1 March 2016.").unwrap();
    wb.save_to_buffer().unwrap()
}

#[tokio::test]
async fn a_messy_workbook_names_merged_cells_number_codes_and_notes() {
    let f = Fixture::new().await;
    let api = f.as_("coordinator").await;
    let plan = f.plan.id.to_string();
    let p = upload(&api, "ipap.xlsx", &messy_workbook(), &[("plan", &plan)]).await;
    assert_eq!(p.status, StatusCode::CREATED, "{}", p.text);
    assert_eq!((p.body["sheet"]["format"].as_str(), p.body["sheet"]["header_row"].as_u64()), (Some("xlsx"), Some(3)));
    assert!(warns(&p, "A5", "stored as a number"), "{:?}", at(&p, "A5"));
    assert!(errs(&p, "A7", "already in row 5") && errs(&p, "A7", "1.10"), "a code Excel made 1.1 twice: {:?}", at(&p, "A7"));
    assert!(warns(&p, "F5", "merged"), "{:?}", at(&p, "F5"));
    assert!(warns(&p, "E5", "Excel date"), "{:?}", at(&p, "E5"));
    let r = rows(&p);
    assert_eq!(r[&9]["kind"], "note");
    assert_eq!(r[&7]["action"], "refused");
    assert_eq!(apply(&api, &p).await.status, StatusCode::OK);
    let got = items(&api, &plan).await;
    assert_eq!(got.keys().cloned().collect::<Vec<_>>(), vec!["1", "1.1", "1.2"]);
    assert_eq!((got["1.1"]["start"].as_str(), got["1.1"]["due"].as_str()), (Some("2016-01-15"), Some("2016-09-30")));
    assert_eq!(got["1.2"]["areas"], json!(["logistics"]), "a merged cell's value is each row's");
    assert_eq!(got["1.1"]["level"], "objective");

    // The mapping can be changed and previewed again: column F left out this time.
    let again = api.post(&format!("/api/v1/imports/{}/preview", p.body["id"].as_str().unwrap()), &json!({"plan": plan, "mapping": {"F": ""}})).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "an applied import is not previewed again: {}", again.text);
    let p = upload(&api, "ipap.xlsx", &messy_workbook(), &[("plan", &plan)]).await;
    let again = api
        .post(
            &format!("/api/v1/imports/{}/preview", p.body["id"].as_str().unwrap()),
            &json!({"plan": plan, "mapping": {"F": "", "B": "description", "C": "title"}}),
        )
        .await;
    assert_eq!(again.status, StatusCode::CREATED, "{}", again.text);
    let cols: Vec<Value> = again.body["sheet"]["columns"].as_array().unwrap().iter().map(|c| c["field"].clone()).collect();
    assert_eq!(cols[5], Value::Null);
    assert_eq!((cols[1].as_str(), cols[2].as_str()), (Some("description"), Some("title")));
    assert_eq!(api.get(&format!("/api/v1/imports/{}", p.body["id"].as_str().unwrap())).await.status, StatusCode::NOT_FOUND, "the old preview is gone");
    let bad = api
        .post(&format!("/api/v1/imports/{}/preview", again.body["id"].as_str().unwrap()), &json!({"plan": plan, "mapping": {"ZZ": "title", "A": "colour"}}))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.text);
    assert!(bad.has_error("mapping.ZZ", "unknown_column") && bad.has_error("mapping.A", "not_a_field"), "{}", bad.text);
}

#[tokio::test]
async fn existing_items_are_updated_nothing_is_deleted_and_an_edit_since_the_preview_is_refused() {
    let f = Fixture::new().await;
    let api = f.as_("coordinator").await;
    let plan = f.plan.id.to_string();
    let first = "code,title,status\nA,Alpha,planned\nA.1,Alpha one,planned\nA.2,Alpha two,planned\n";
    let p = upload(&api, "a.csv", first.as_bytes(), &[("plan", &plan)]).await;
    assert_eq!(apply(&api, &p).await.status, StatusCode::OK);
    let before = items(&api, &plan).await;
    assert_eq!(code_of(&before, &before["A.1"]["parent"]).as_deref(), Some("A"), "parents follow from dotted codes when no column says");

    // The second sheet leaves A out, changes A.1 and A.2, keeps nothing else.
    let second = "code,title,status\nA.1,Alpha one (revised),in progress\nA.2,Alpha two (revised),completed\n";
    let p = upload(&api, "a2.csv", second.as_bytes(), &[("plan", &plan)]).await;
    assert_eq!(p.status, StatusCode::CREATED, "{}", p.text);
    let r = rows(&p);
    assert_eq!((r[&2]["action"].as_str(), r[&3]["action"].as_str()), (Some("update"), Some("update")));
    assert_eq!((p.body["sheet"]["not_in_file"].as_u64(), p.body["sheet"]["not_in_file_codes"].clone()), (Some(1), json!(["A"])));
    // Someone edits A.2 between the preview and the apply.
    let a2 = api.get(&format!("/api/v1/items/{}", before["A.2"]["id"].as_str().unwrap())).await;
    let e = f
        .as_("partner")
        .await
        .patch(&format!("/api/v1/items/{}", before["A.2"]["id"].as_str().unwrap()), &a2.etag(), &json!({"title": {"en": "Alpha two, as the partner put it"}}))
        .await;
    assert_eq!(e.status, StatusCode::OK, "{}", e.text);
    let a = apply(&api, &p).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text);
    let applied = rows(&a);
    assert_eq!((applied[&2]["action"].as_str(), applied[&3]["action"].as_str()), (Some("update"), Some("refused")));
    assert!(
        errs(&a, "A3", "changed by someone since the preview") && errs(&a, "A3", "Alpha two, as the partner put it"),
        "the difference is said: {:?}",
        at(&a, "A3")
    );
    let after = items(&api, &plan).await;
    assert_eq!(after.len(), 3, "nothing is deleted");
    assert_eq!(after["A.1"]["title"]["en"], "Alpha one (revised)");
    assert_eq!(after["A.1"]["status"], "in_progress");
    assert_eq!(after["A.2"]["title"]["en"], "Alpha two, as the partner put it", "the partner's edit is not lost");
    // The same file again changes nothing.
    let p = upload(&api, "a2.csv", second.as_bytes(), &[("plan", &plan)]).await;
    assert_eq!(rows(&p)[&2]["action"], "unchanged");
}

#[tokio::test]
async fn who_may_import_where_and_bad_options_are_answered_clearly() {
    let f = Fixture::new().await;
    let plan = f.plan.id.to_string();
    let csv = b"code,title\nX,Ex\n";
    assert_eq!(upload(&f.as_("viewer").await, "x.csv", csv, &[("plan", &plan)]).await.status, StatusCode::FORBIDDEN);
    assert_eq!(upload(&f.as_("outsider").await, "x.csv", csv, &[("plan", &plan)]).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        upload(&f.as_("partner").await, "x.csv", csv, &[("new_plan", &new_plan(&f, "NEW"))]).await.status,
        StatusCode::FORBIDDEN,
        "a partner makes no plans"
    );
    let api = f.as_("coordinator").await;
    let none = upload(&api, "x.csv", csv, &[]).await;
    assert!(none.status == StatusCode::UNPROCESSABLE_ENTITY && none.has_error("plan", "required"), "{}", none.text);
    let both = upload(&api, "x.csv", csv, &[("plan", &plan), ("new_plan", &new_plan(&f, "NEW"))]).await;
    assert!(both.has_error("new_plan", "with_plan"), "{}", both.text);
    let beyond = upload(&api, "x.csv", csv, &[("plan", &plan), ("header_row", "40")]).await;
    assert!(beyond.has_error("header_row", "beyond_sheet"), "{}", beyond.text);
    let sheet = upload(&api, "x.csv", csv, &[("plan", &plan), ("sheet", "Nope")]).await;
    assert!(sheet.has_error("sheet", "unknown"), "{}", sheet.text);
    // No code column: a preview that says so, and nothing to apply.
    let p = upload(&api, "x.csv", b"Naziv,Opis\nJedan,Dva\n", &[("plan", &plan)]).await;
    assert_eq!(p.status, StatusCode::CREATED, "{}", p.text);
    assert!(errs(&p, "A1", "code"), "{}", p.text);
    let a = apply(&api, &p).await;
    assert!(a.status == StatusCode::UNPROCESSABLE_ENTITY && a.has_error("rows", "none_importable"), "{}", a.text);
    // Someone else's import is not found.
    let mine = upload(&api, "x.csv", csv, &[("plan", &plan)]).await;
    let id = mine.body["id"].as_str().unwrap();
    let partner = f.as_("partner").await;
    assert_eq!(partner.get(&format!("/api/v1/imports/{id}")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(partner.post(&format!("/api/v1/imports/{id}/apply"), &json!({})).await.status, StatusCode::NOT_FOUND);
    assert_eq!(partner.post(&format!("/api/v1/imports/{id}/preview"), &json!({})).await.status, StatusCode::NOT_FOUND);
}

/// A zip with one part whose central directory claims `claimed` bytes for it.
fn lying_zip(claimed: u32) -> Vec<u8> {
    use std::io::Write;
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    w.start_file("xl/sharedStrings.xml", zip::write::SimpleFileOptions::default()).unwrap();
    w.write_all(&vec![b'a'; 4096]).unwrap();
    let mut bytes = w.finish().unwrap().into_inner();
    // The central directory entry (signature PK\x01\x02): uncompressed size at offset 24.
    let cd = bytes.windows(4).rposition(|x| x == b"PK\x01\x02").unwrap();
    bytes[cd + 24..cd + 28].copy_from_slice(&claimed.to_le_bytes());
    bytes
}

#[tokio::test]
async fn hostile_and_wrong_files_are_refused_with_a_clear_4xx() {
    let f = Fixture::new().await;
    let api = f.as_("coordinator").await;
    let plan = f.plan.id.to_string();
    let refused = |a: &Answer, code: &str| {
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.text);
        assert!(a.has_error("file", code), "{code}: {}", a.text);
    };
    // Not a spreadsheet: a PNG, an empty file, a zip that holds no workbook.
    refused(&upload(&api, "photo.xlsx", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", &[("plan", &plan)]).await, "not_a_spreadsheet");
    refused(&upload(&api, "empty.csv", b"", &[("plan", &plan)]).await, "not_a_spreadsheet");
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    w.start_file("readme.txt", zip::write::SimpleFileOptions::default()).unwrap();
    std::io::Write::write_all(&mut w, b"hello").unwrap();
    refused(&upload(&api, "archive.xlsx", &w.finish().unwrap().into_inner(), &[("plan", &plan)]).await, "not_a_spreadsheet");
    // An encrypted workbook: Office wraps it in an OLE container with an EncryptedPackage.
    let mut ole = cfb::CompoundFile::create(std::io::Cursor::new(Vec::new())).unwrap();
    std::io::Write::write_all(&mut ole.create_stream("/EncryptionInfo").unwrap(), &[4, 0, 4, 0, 0x40, 0, 0, 0]).unwrap();
    std::io::Write::write_all(&mut ole.create_stream("/EncryptedPackage").unwrap(), &[0u8; 4096]).unwrap();
    ole.flush().unwrap();
    let encrypted = ole.into_inner().into_inner();
    let a = upload(&api, "secret.xlsx", &encrypted, &[("plan", &plan)]).await;
    refused(&a, "encrypted");
    assert!(a.text.contains("password"), "{}", a.text);
    // An old .xls (an OLE file without encryption).
    let mut ole = cfb::CompoundFile::create(std::io::Cursor::new(Vec::new())).unwrap();
    std::io::Write::write_all(&mut ole.create_stream("/Workbook").unwrap(), &[0u8; 600]).unwrap();
    ole.flush().unwrap();
    refused(&upload(&api, "old.xls", &ole.into_inner().into_inner(), &[("plan", &plan)]).await, "old_excel");
    // A part that claims a gigabyte, and one that inflates past what it claims.
    refused(&upload(&api, "big.xlsx", &lying_zip(1 << 30), &[("plan", &plan)]).await, "zip_bomb");
    let a = upload(&api, "liar.xlsx", &lying_zip(10), &[("plan", &plan)]).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.text);
    assert!(a.has_error("file", "zip_bomb") || a.has_error("file", "damaged"), "{}", a.text);
    // A real zip bomb: 400 MB of one byte deflated to a few hundred kilobytes.
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    w.start_file("xl/worksheets/sheet1.xml", zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated)).unwrap();
    let chunk = vec![b' '; 1 << 20];
    for _ in 0..400 {
        std::io::Write::write_all(&mut w, &chunk).unwrap();
    }
    let bomb = w.finish().unwrap().into_inner();
    assert!(bomb.len() < 2 << 20, "{}", bomb.len());
    refused(&upload(&api, "bomb.xlsx", &bomb, &[("plan", &plan)]).await, "zip_bomb");
    // 100,000 columns, in a CSV and in a workbook (one cell far to the right).
    let wide = format!("{}\n", vec!["x"; 100_000].join(","));
    refused(&upload(&api, "wide.csv", wide.as_bytes(), &[("plan", &plan)]).await, "too_large");
    let mut wb = Workbook::new();
    wb.add_worksheet().write_string(0, 16_000, "far").unwrap();
    refused(&upload(&api, "wide.xlsx", &wb.save_to_buffer().unwrap(), &[("plan", &plan)]).await, "too_large");
    // Binary junk that is not UTF-8 text either.
    refused(&upload(&api, "junk.csv", &[0u8, 1, 2, 3, 255, 254], &[("plan", &plan)]).await, "not_a_spreadsheet");
    // Nothing of any of them was stored.
    assert!(items(&api, &plan).await.is_empty());
}

/// Items of every kind of field, two of them hidden from the partner side.
async fn a_rich_plan(f: &Fixture) {
    let api = f.as_("coordinator").await;
    let post = |body: Value| {
        let api = &api;
        async move {
            let a = api.post(&f.plan_path("/items"), &body).await;
            assert_eq!(a.status, StatusCode::CREATED, "{}", a.text);
            a.body["id"].clone()
        }
    };
    let ch = post(json!({"code": "1", "title": {"en": "Political issues", "sr": "Политичка питања"}, "areas": ["cyber_defence"]})).await;
    post(json!({"parent": ch, "code": "1.1", "title": {"en": "Defence reform"}, "description": {"en": "Line one\n\nLine two"}, "lead_organisation": f.orgs["MoD"],
        "contributing_organisations": [f.orgs["MFA"]], "start": "2015-02-01", "due": "2015-Q3", "status": "in_progress", "weight": 3, "gender_marker": 1})).await;
    post(json!({"parent": ch, "code": "1.10", "title": {"en": "Continuous dialogue"}, "due": "continuous", "status": "delayed", "areas": ["logistics", "cyber_defence"]})).await;
    post(json!({"parent": ch, "code": "1.2", "title": {"en": "Restricted work"}, "due": "2016-06-30",
        "marking": {"level": "nato_restricted", "releasable_to": [], "originator": "NATO"}, "downgrade": false}))
    .await;
    post(json!({"code": "2", "title": {"en": "Alliance only"}, "marking": {"level": "nato_confidential", "releasable_to": [], "originator": "NATO"}})).await;
}

#[tokio::test]
async fn items_export_as_xlsx_and_csv_marked_filtered_audited_and_import_back_into_the_same_tree() {
    let f = Fixture::new().await;
    a_rich_plan(&f).await;
    let api = f.as_("coordinator").await;
    let x = api.get(&f.plan_path("/items.xlsx")).await;
    assert_eq!(x.status, StatusCode::OK, "{}", x.text);
    assert!(x.content_type().contains("spreadsheetml"));
    assert!(x.header("content-disposition").contains("IPAP-T-items.xlsx"));
    let book = liaison_interop::sheet::read(&x.bytes, Default::default()).unwrap();
    let g = &book.sheets[0];
    assert_eq!(g.cell(0, 0).text(), "NATO CONFIDENTIAL", "the highest marking of the content, first");
    assert_eq!(g.cell(2, 0).text(), "Code");
    let codes: Vec<String> = (3..g.rows.len()).map(|r| g.cell(r, 0).text()).collect();
    assert_eq!(codes, vec!["1", "1.1", "1.10", "1.2", "2"], "tree order, codes as text");
    assert!(matches!(g.cell(4, 9), liaison_interop::sheet::Value::Date(_)), "a real date: {:?}", g.cell(4, 9));
    // The partner side sees neither the restricted item nor the alliance-only chapter.
    let partner = f.as_("partner").await;
    let px = partner.get(&f.plan_path("/items.xlsx")).await;
    let pg = liaison_interop::sheet::read(&px.bytes, Default::default()).unwrap().sheets.remove(0);
    let pcodes: Vec<String> = (3..pg.rows.len()).map(|r| pg.cell(r, 0).text()).collect();
    assert_eq!(pcodes, vec!["1", "1.1", "1.10"]);
    assert_eq!(pg.cell(0, 0).text(), "NATO UNCLASSIFIED · RELEASABLE TO SRB");
    let pc = partner.get(&f.plan_path("/items.csv")).await;
    assert!(pc.bytes.starts_with("\u{feff}NATO UNCLASSIFIED · RELEASABLE TO SRB".as_bytes()), "a BOM, then the marking: {}", pc.text);
    assert!(!pc.text.contains("Restricted work") && !pc.text.contains("Alliance only") && pc.text.contains("Defence reform"));
    assert_eq!(f.as_("outsider").await.get(&f.plan_path("/items.xlsx")).await.status, StatusCode::NOT_FOUND);
    assert!(api.get(&f.plan_path("/items.xlsx?lang=xx")).await.has_error("lang", "unknown"));
    let audit = f.as_("security").await.get("/api/v1/audit?entity=export").await;
    assert!(audit.text.contains("\"format\":\"xlsx\"") && audit.text.contains("\"format\":\"csv\""), "{}", audit.text);

    // Round trip: the workbook into an empty plan gives the same tree.
    let p = upload(&api, "IPAP-T-items.xlsx", &x.bytes, &[("new_plan", &new_plan(&f, "COPY"))]).await;
    assert_eq!(p.status, StatusCode::CREATED, "{}", p.text);
    assert_eq!(p.body["sheet"]["rows"]["refused"], 0, "{}", p.text);
    let a = apply(&api, &p).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text);
    let copy_id = a.body["preview"]["sheet"]["plan"]["id"].as_str().unwrap().to_string();
    let (orig, copy) = (items(&api, &f.plan.id.to_string()).await, items(&api, &copy_id).await);
    assert_eq!(orig.keys().collect::<Vec<_>>(), copy.keys().collect::<Vec<_>>());
    for (code, o) in &orig {
        let c = &copy[code];
        assert_eq!(code_of(&orig, &o["parent"]), code_of(&copy, &c["parent"]), "{code}");
        for k in ["level", "status", "start", "due", "weight", "gender_marker", "areas", "lead_organisation", "contributing_organisations", "marking"] {
            assert_eq!(o[k], c[k], "{code}: {k}");
        }
        assert_eq!(o["title"]["en"], c["title"]["en"], "{code}");
        assert_eq!(o["description"]["en"], c["description"]["en"], "{code}");
    }
}

/// Whether LibreOffice opens a file and converts it to PDF without error.
pub fn libreoffice_opens(bytes: &[u8], ext: &str) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(format!("file.{ext}"));
    std::fs::write(&path, bytes).unwrap();
    let out = std::process::Command::new("soffice")
        .args(["--headless", "--norestore", "--convert-to", "pdf", "--outdir"])
        .arg(dir.path())
        .arg(&path)
        .env("HOME", dir.path())
        .output()
        .unwrap_or_else(|e| panic!("soffice could not be run ({e}); install libreoffice-calc-nogui and libreoffice-writer-nogui"));
    let pdf = dir.path().join("file.pdf");
    assert!(
        out.status.success() && pdf.is_file(),
        "LibreOffice did not convert it: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(std::fs::metadata(&pdf).unwrap().len() > 500);
}

/// [`libreoffice_opens`] when `LIAISON_OFFICE_TESTS` is set (CI sets it and installs LibreOffice).
pub fn libreoffice_opens_if_asked(bytes: &[u8], ext: &str) {
    if std::env::var_os("LIAISON_OFFICE_TESTS").is_some() {
        libreoffice_opens(bytes, ext);
    } else {
        eprintln!("LIAISON_OFFICE_TESTS is not set: LibreOffice is not asked");
    }
}

#[tokio::test]
async fn the_exported_workbook_opens_in_libreoffice() {
    if std::env::var_os("LIAISON_OFFICE_TESTS").is_none() {
        return eprintln!("LIAISON_OFFICE_TESTS is not set: skipped (CI sets it and installs LibreOffice)");
    }
    let f = Fixture::new().await;
    a_rich_plan(&f).await;
    let x = f.as_("coordinator").await.get(&f.plan_path("/items.xlsx")).await;
    libreoffice_opens(&x.bytes, "xlsx");
}

/// The shared reference folder, when `LIAISON_REFERENCE` is set (set but missing fails).
fn plans_folder() -> Option<std::path::PathBuf> {
    crate::iati::reference().map(|iati| iati.parent().unwrap().join("plans"))
}

#[tokio::test]
async fn the_real_national_action_plan_imports_with_every_row_accounted_for() {
    let Some(dir) = plans_folder() else { return eprintln!("LIAISON_REFERENCE is not set: skipped") };
    let f = Fixture::new().await;
    let api = f.as_("coordinator").await;
    for (file, header, notes) in [("us-nap5-commitments.xlsx", 4, 1), ("us-nap5-commitments.csv", 1, 0)] {
        let bytes = std::fs::read(dir.join(file)).unwrap();
        let code = if file.ends_with("xlsx") { "NAP5-X" } else { "NAP5-C" };
        let p = upload(&api, file, &bytes, &[("new_plan", &new_plan(&f, code))]).await;
        assert_eq!(p.status, StatusCode::CREATED, "{file}: {}", p.text);
        let s = &p.body["sheet"];
        assert_eq!(s["header_row"], header, "{file}");
        let t = &s["rows"];
        let errors: Vec<&Value> = p.body["problems"].as_array().unwrap().iter().filter(|x| x["severity"] == "error").collect();
        assert_eq!(
            (t["items"].as_u64(), t["created"].as_u64(), t["refused"].as_u64(), t["notes"].as_u64()),
            (Some(106), Some(106), Some(0), Some(notes)),
            "{file}: {t} {errors:?}"
        );
        assert_eq!(
            t["rows"].as_u64().unwrap(),
            t["items"].as_u64().unwrap() + t["notes"].as_u64().unwrap() + t["blank"].as_u64().unwrap(),
            "{file}: every row accounted for"
        );
        assert_eq!(rows(&p).len() as u64, t["rows"].as_u64().unwrap());
        let areas: Vec<&str> = s["areas"].as_array().unwrap().iter().map(|a| a["action"].as_str().unwrap()).collect();
        assert_eq!(areas.len(), 5, "{file}: the five themes");
        // The "quarterly", "in early 2023" timeframes are no dates: said, and kept.
        assert!(p.body["problems"].as_array().unwrap().iter().any(|x| x["message"].as_str().unwrap().contains("in early 2023")), "{file}");
        let a = apply(&api, &p).await;
        assert_eq!(a.status, StatusCode::OK, "{file}: {}", a.text);
        let plan_id = a.body["preview"]["sheet"]["plan"]["id"].as_str().unwrap().to_string();
        let got = items(&api, &plan_id).await;
        assert_eq!(got.len(), 106, "{file}");
        assert_eq!(code_of(&got, &got["US0113.1"]["parent"]).as_deref(), Some("US0113"));
        assert!(got["US0113"]["parent"].is_null());
        let d = got["US0113.5"]["description"]["en"].as_str().unwrap();
        assert!(!d.contains("<br") && !d.contains("<a "), "HTML becomes text: {d}");
        assert_eq!(got["US0113.1"]["status"], "completed");
    }
}

#[tokio::test]
async fn a_restricted_item_the_importer_may_not_see_is_never_shown_in_a_preview() {
    let f = Fixture::new().await;
    // An item the partner cannot see, with a code the sheet uses.
    f.item(None, "H", Some(Marking::new(Level::NatoRestricted, &[], "NATO"))).await;
    let partner = f.as_("partner").await;
    let p = upload(&partner, "h.csv", b"code,title\nH,Hidden one\n", &[("plan", &f.plan.id.to_string())]).await;
    assert_eq!(p.status, StatusCode::CREATED, "{}", p.text);
    // The preview neither counts the hidden item among those not in the file nor names it.
    assert_eq!(p.body["sheet"]["not_in_file"], 0, "{}", p.text);
    assert!(!p.text.contains("Item H"), "{}", p.text);
    // The code is taken by an item the partner may not see: refused, without saying by what.
    let r = rows(&p);
    assert_eq!(r[&2]["action"], "refused", "{}", p.text);
    assert!(r[&2]["item"].is_null());
}

/// The workspace page: the plan offers the import to those who may edit its items; upload,
/// read the preview (columns, rows, problems at their cells), change the mapping, apply.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sheet_import_page_previews_remaps_and_applies() {
    let f = Fixture::new().await;
    let browser = f.server.browser_as(&f.emails["coordinator"], PASSWORD).await;
    let plan = browser.get(&format!("/plans/{}", f.plan.id)).await;
    assert!(plan.text.contains(&format!("href=\"/plans/{}/import\"", f.plan.id)), "the plan offers the import");
    assert!(plan.text.contains("items.xlsx") && plan.text.contains("items.csv"), "and the exports");
    let viewer = f.server.browser_as(&f.emails["viewer"], PASSWORD).await;
    assert!(!viewer.get(&format!("/plans/{}", f.plan.id)).await.text.contains("/import\""), "not to a viewer");
    let form = browser.get(&format!("/plans/{}/import", f.plan.id)).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.text.contains("enctype=\"multipart/form-data\"") && form.text.contains("name=\"file\""));
    let csv = "Plan title\n\nŠifra,Naziv,Rok,Napomena\nP1,Prvi,2016-Q3,x\nP2,,kontinuirano,y\n";
    let (ct, body) = multipart(&[("file", Some("plan.csv"), csv.as_bytes()), ("language", None, b"sr-Latn")]);
    let up = browser.post_raw(&format!("/plans/{}/import", f.plan.id), &ct, body).await;
    assert_eq!(up.status, StatusCode::SEE_OTHER, "{}", up.text);
    let at = up.header("location");
    let page = browser.get(&at).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    for part in ["plan.csv", "CSV · UTF-8 · ,", "Šifra", "name=\"map_A\"", "<code>P1</code>", "<code>B5</code>", "the row has a code but no title", "Apply"]
    {
        assert!(page.text.contains(part), "{part} in the page:\n{}", page.text);
    }
    // Map column D (Napomena) as the description, and preview again: a new preview.
    let id = at.trim_start_matches("/imports/").to_string();
    let again = browser
        .form(&format!("/imports/{id}/mapping"), &[("header_row", "3"), ("map_A", "code"), ("map_B", "title"), ("map_C", "due"), ("map_D", "description")])
        .await;
    assert_eq!(again.status, StatusCode::SEE_OTHER, "{}", again.text);
    let at2 = again.header("location");
    assert_ne!(at2, at);
    let page = browser.get(&at2).await;
    assert!(page.text.contains("<option value=\"description\" selected>"), "{}", page.text);
    let id2 = at2.trim_start_matches("/imports/");
    let applied = browser.form(&format!("/imports/{id2}/apply"), &[]).await;
    assert_eq!(applied.status, StatusCode::SEE_OTHER, "{}", applied.text);
    assert!(browser.get(&at2).await.text.contains("Applied: 1 items created"));
    let got = items(&f.as_("coordinator").await, &f.plan.id.to_string()).await;
    assert_eq!(got["P1"]["description"]["sr-Latn"], "x");
    // A file that is no spreadsheet is refused on the form, with the reason.
    let (ct, body) = multipart(&[("file", Some("x.xlsx"), b"PK\x03\x04junk")]);
    let bad = browser.post_raw(&format!("/plans/{}/import", f.plan.id), &ct, body).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text.contains("role=\"alert\""), "{}", bad.text);
    assert_eq!(browser.get_with(&at2, &[("accept-language", "sr")]).await.status, StatusCode::OK);
}

/// Upload a table of figures for an indicator.
async fn upload_figures(api: &Api, name: &str, bytes: &[u8], fields: &[(&str, &str)]) -> Answer {
    let mut parts: Vec<(&str, Option<&str>, &[u8])> = vec![("file", Some(name), bytes)];
    for (k, v) in fields {
        parts.push((k, None, v.as_bytes()));
    }
    let (ct, body) = multipart(&parts);
    api.raw(reqwest::Method::POST, "/api/v1/imports/figures", &ct, body, &[]).await
}

/// A plan in implementation with an item and a percentage indicator disaggregated by sex.
async fn indicator_by_sex(f: &Fixture) -> String {
    let app = &f.server.app;
    crate::implementation::implement(app, f.plan.id).await;
    let item = crate::implementation::item(app, f.plan.id, "5.b", Some(f.orgs["MoD"]), None, None).await;
    let ind = f
        .as_("coordinator")
        .await
        .post(
            &format!("/api/v1/items/{item}/indicators"),
            &json!({"name": {"en": "Share owning a mobile phone"}, "unit": "%", "measure": "percentage", "dimension": {"key": "sex", "categories": ["women", "men"]}}),
        )
        .await;
    assert_eq!(ind.status, StatusCode::CREATED, "{}", ind.text);
    ind.body["id"].as_str().unwrap().to_string()
}

async fn measurements(api: &Api, ind: &str) -> BTreeMap<String, Value> {
    let a = api.get(&format!("/api/v1/indicators/{ind}")).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text);
    a.body["measurements"].as_array().unwrap().iter().map(|m| (m["period"].as_str().unwrap().to_string(), m.clone())).collect()
}

#[tokio::test]
async fn indicator_figures_from_a_tidy_table_fill_the_periods_and_respect_locks() {
    let f = Fixture::new().await;
    let ind = indicator_by_sex(&f).await;
    let api = f.as_("coordinator").await;
    // As a statistics office publishes it: totals with empty breakdowns, sex in Russian, a
    // region breakdown, a unit column, a year per row, figures with many decimals.
    let csv = "Year,Units,Местность,Пол,Регионы,Value\n\
        2015,процент,,,,82.2\n2016,процент,,,,89.5\n\
        2015,процент,,мужчины,,82.1\n2015,процент,,женщины,,82.4\n\
        2016,процент,,мужчины,,90.3\n2016,процент,,женщины,,88.76543210987654\n\
        2015,процент,городская местность,,,85.0\n2015,процент,,,Акмолинская,70.61922571705347\n\
        2018,процент,,,,93.0\n2016,процент,,дети,,5\n2016,процент,,,,n/a\n";
    let p = upload_figures(&api, "5-b-1.csv", csv.as_bytes(), &[("indicator", &ind)]).await;
    assert_eq!(p.status, StatusCode::CREATED, "{}", p.text);
    let info = &p.body["figures"];
    let roles: Vec<&str> = info["columns"].as_array().unwrap().iter().map(|c| c["role"].as_str().unwrap()).collect();
    assert_eq!(roles, vec!["period", "constant", "breakdown", "category", "breakdown", "value"]);
    assert!(warns(&p, "C8", "left out") && warns(&p, "E9", "left out"), "breakdowns are said once each: {}", p.text);
    assert!(warns(&p, "A2", "2015-Q4"), "a year goes to the last period ending in it: {:?}", at(&p, "A2"));
    assert!(errs(&p, "A10", "no reporting period"), "{:?}", at(&p, "A10"));
    assert!(errs(&p, "D11", "not a category"), "{:?}", at(&p, "D11"));
    assert!(errs(&p, "F12", "not a number"), "{:?}", at(&p, "F12"));
    let periods: Vec<(String, String)> =
        info["periods"].as_array().unwrap().iter().map(|x| (x["period"].as_str().unwrap().into(), x["action"].as_str().unwrap().into())).collect();
    assert_eq!(periods, vec![("2015-Q4".into(), "create".into()), ("2016-Q4".into(), "create".into())], "{}", info["periods"]);
    assert!(measurements(&api, &ind).await.is_empty(), "a preview records nothing");

    // Someone locks 2015-Q4 before the apply: its figures are refused, 2016's are recorded.
    let path = f.plan_path("/periods/2015-Q4");
    let q4 = api.get(&f.plan_path("/periods")).await.body.as_array().unwrap().iter().find(|x| x["key"] == "2015-Q4").unwrap().clone();
    assert_eq!(api.patch(&path, &format!("\"{}\"", q4["version"]), &json!({"locked": true})).await.status, StatusCode::OK);
    let a = apply(&api, &p).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text);
    let got = measurements(&api, &ind).await;
    assert_eq!(got.keys().cloned().collect::<Vec<_>>(), vec!["2016-Q4"]);
    let m = &got["2016-Q4"];
    assert_eq!(m["value"]["value"], 89.5);
    assert_eq!(m["value"]["by_category"], json!({"men": 90.3, "women": 88.76543210987654}), "never rounded");
    assert!(errs(&a, "A2", "locked") || doc(&a)["problems"].to_string().contains("locked"), "{}", a.text);
    let refused = doc(&a)["figures"]["periods"].as_array().unwrap().iter().find(|x| x["period"] == "2015-Q4").unwrap().clone();
    assert_eq!(refused["action"], "refused");
    // The same file again: 2016 unchanged.
    let again = upload_figures(&api, "5-b-1.csv", csv.as_bytes(), &[("indicator", &ind)]).await;
    let p16 = again.body["figures"]["periods"].as_array().unwrap().iter().find(|x| x["period"] == "2016-Q4").unwrap().clone();
    assert_eq!(p16["action"], "unchanged");
    // A correction of 2016 between preview and apply is not overwritten.
    let changed = "Year,Value\n2016,91\n";
    let p = upload_figures(&api, "fix.csv", changed.as_bytes(), &[("indicator", &ind)]).await;
    assert_eq!(p.body["figures"]["periods"][0]["action"], "update", "{}", p.text);
    let m = measurements(&api, &ind).await["2016-Q4"].clone();
    let e = api.patch(&format!("/api/v1/measurements/{}", m["id"].as_str().unwrap()), &format!("\"{}\"", m["version"]), &json!({"value": 90.0})).await;
    assert_eq!(e.status, StatusCode::OK, "{}", e.text);
    let a = apply(&api, &p).await;
    assert!(a.status == StatusCode::UNPROCESSABLE_ENTITY && a.has_error("rows", "none_importable"), "{}", a.text);
    assert_eq!(measurements(&api, &ind).await["2016-Q4"]["value"]["value"], 90.0, "the correction stays");
}

#[tokio::test]
async fn a_table_of_several_series_asks_for_one_and_bad_options_are_refused() {
    let f = Fixture::new().await;
    let ind = indicator_by_sex(&f).await;
    let api = f.as_("coordinator").await;
    let csv = "Year,Units,Степень безопасности,Пол,Value\n\
        2016,процент,в полной безопасности,,42.4\n2016,процент,достаточно безопасно,,48.7\n\
        2016,процент,в полной безопасности,мужчины,48.2\n2016,процент,в полной безопасности,женщины,37.1\n";
    let p = upload_figures(&api, "16-1-4.csv", csv.as_bytes(), &[("indicator", &ind)]).await;
    assert_eq!(p.status, StatusCode::CREATED, "{}", p.text);
    assert!(errs(&p, "C1", "several series"), "{:?}", at(&p, "C1"));
    assert!(p.body["figures"]["periods"].as_array().unwrap().is_empty());
    let again = api
        .post(&format!("/api/v1/imports/{}/preview", p.body["id"].as_str().unwrap()), &json!({"indicator": ind, "filters": {"C": "в полной безопасности"}}))
        .await;
    assert_eq!(again.status, StatusCode::CREATED, "{}", again.text);
    let period = &again.body["figures"]["periods"][0];
    assert_eq!((period["period"].as_str(), period["value"].as_f64()), (Some("2016-Q4"), Some(42.4)));
    assert_eq!(period["by_category"], json!({"men": 48.2, "women": 37.1}));
    assert_eq!(rows(&again)[&3]["kind"], "filtered");
    let bad = api
        .post(&format!("/api/v1/imports/{}/preview", again.body["id"].as_str().unwrap()), &json!({"indicator": ind, "columns": {"A": "colour", "Q": "value"}}))
        .await;
    assert!(bad.has_error("columns.A", "unknown_role") && bad.has_error("columns.Q", "unknown_column"), "{}", bad.text);
    let none = upload_figures(&api, "x.csv", b"Godina,Iznos\n2016,1\n", &[("indicator", &ind), ("columns", "{\"B\": \"constant\"}")]).await;
    assert!(none.has_error("columns", "missing_role"), "{}", none.text);
    // An indicator the uploader may not see is not found; no indicator is a 422.
    let hidden = upload_figures(&f.as_("outsider").await, "x.csv", csv.as_bytes(), &[("indicator", &ind)]).await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND, "{}", hidden.text);
    assert!(upload_figures(&api, "x.csv", csv.as_bytes(), &[]).await.has_error("indicator", "required"));
}

#[tokio::test]
async fn the_real_indicator_series_import_with_their_figures_unrounded() {
    let Some(dir) = plans_folder().map(|p| p.parent().unwrap().join("indicators")) else { return eprintln!("LIAISON_REFERENCE is not set: skipped") };
    let f = Fixture::new().await;
    let ind = indicator_by_sex(&f).await;
    let api = f.as_("coordinator").await;
    let bytes = std::fs::read(dir.join("indicator_5-b-1.csv")).unwrap();
    let p = upload_figures(&api, "indicator_5-b-1.csv", &bytes, &[("indicator", &ind)]).await;
    assert_eq!(p.status, StatusCode::CREATED, "{}", p.text);
    let t = &p.body["figures"]["rows"];
    assert_eq!(t["rows"], 85, "every row accounted for: {t}");
    let periods: Vec<&str> = p.body["figures"]["periods"].as_array().unwrap().iter().map(|x| x["period"].as_str().unwrap()).collect();
    assert_eq!(periods, vec!["2015-Q4", "2016-Q4"], "the plan runs 2015-2016; 2017 and 2018 have no period");
    assert_eq!(apply(&api, &p).await.status, StatusCode::OK);
    let got = measurements(&api, &ind).await;
    assert_eq!(got["2015-Q4"]["value"]["value"], 82.2);
    assert_eq!(got["2015-Q4"]["value"]["by_category"], json!({"men": 82.1, "women": 82.4}));
    assert_eq!(got["2016-Q4"]["value"]["by_category"], json!({"men": 90.3, "women": 88.8}));
    // 16.1.4 needs its series chosen; with it, 2016's figures.
    let bytes = std::fs::read(dir.join("indicator_16-1-4.csv")).unwrap();
    let p = upload_figures(&api, "indicator_16-1-4.csv", &bytes, &[("indicator", &ind), ("filters", "{\"C\": \"в полной безопасности\"}")]).await;
    assert_eq!(p.status, StatusCode::CREATED, "{}", p.text);
    let period = &p.body["figures"]["periods"][0];
    assert_eq!((period["period"].as_str(), period["value"].as_f64()), (Some("2016-Q4"), Some(42.4)), "{}", p.text);
    assert_eq!(period["by_category"], json!({"men": 48.2, "women": 37.1}));
    assert_eq!(p.body["figures"]["rows"]["rows"], 63);
}

#[tokio::test]
async fn indicators_and_the_clearing_house_export_as_workbooks_for_what_each_reader_may_see() {
    let f = Fixture::new().await;
    let ind = indicator_by_sex(&f).await;
    let api = f.as_("coordinator").await;
    let p = upload_figures(&api, "x.csv", b"Year,Sex,Value\n2016,,89.5\n2016,women,88.8\n2016,men,90.3\n", &[("indicator", &ind)]).await;
    assert_eq!(apply(&api, &p).await.status, StatusCode::OK, "{}", p.text);
    // An item the partner may not see, with an indicator of its own.
    let hidden = f.item(None, "H", Some(Marking::new(Level::NatoRestricted, &[], "NATO"))).await;
    let h = api.post(&format!("/api/v1/items/{hidden}/indicators"), &json!({"name": {"en": "Hidden measure"}, "measure": "number"})).await;
    assert_eq!(h.status, StatusCode::CREATED, "{}", h.text);
    let x = api.get(&f.plan_path("/indicators.xlsx")).await;
    assert_eq!(x.status, StatusCode::OK, "{}", x.text);
    let book = liaison_interop::sheet::read(&x.bytes, Default::default()).unwrap();
    assert_eq!(book.sheets.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(), vec!["Indicators", "Figures"]);
    assert_eq!(book.sheets[0].cell(0, 0).text(), "NATO RESTRICTED", "the hidden item's marking is the highest");
    let figures = &book.sheets[1];
    let header: Vec<String> = (0..figures.width()).map(|c| figures.cell(2, c).text()).collect();
    let col = |h: &str| header.iter().position(|x| x == h).unwrap_or_else(|| panic!("{h} in {header:?}"));
    let actual = (3..figures.rows.len()).find(|r| figures.cell(*r, col("Kind")).text() == "actual").unwrap();
    assert_eq!(figures.cell(actual, col("Period")).text(), "2016-Q4");
    assert_eq!(figures.cell(actual, col("women")), &liaison_interop::sheet::Value::Number(88.8));
    let partner = f.as_("partner").await;
    let px = partner.get(&f.plan_path("/indicators.xlsx")).await;
    let pbook = liaison_interop::sheet::read(&px.bytes, Default::default()).unwrap();
    let names: Vec<String> = (3..pbook.sheets[0].rows.len()).map(|r| pbook.sheets[0].cell(r, 1).text()).collect();
    assert_eq!(names, vec!["Share owning a mobile phone"], "the hidden indicator is absent");
    assert_eq!(pbook.sheets[0].cell(0, 0).text(), "NATO UNCLASSIFIED · RELEASABLE TO SRB");

    let c = api.get(&f.plan_path("/clearing-house.xlsx")).await;
    assert_eq!(c.status, StatusCode::OK, "{}", c.text);
    let cbook = liaison_interop::sheet::read(&c.bytes, Default::default()).unwrap();
    assert_eq!(
        cbook.sheets.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(),
        vec!["Uncovered", "Unsupported", "Duplicates", "Unsolicited", "By Ally", "By area"]
    );
    let unsupported = |b: &liaison_interop::sheet::Book| -> Vec<String> { (3..b.sheets[1].rows.len()).map(|r| b.sheets[1].cell(r, 1).text()).collect() };
    assert!(unsupported(&cbook).contains(&"H".to_string()), "{:?}", unsupported(&cbook));
    let pc = liaison_interop::sheet::read(&partner.get(&f.plan_path("/clearing-house.xlsx")).await.bytes, Default::default()).unwrap();
    assert!(!unsupported(&pc).contains(&"H".to_string()) && unsupported(&pc).contains(&"5.b".to_string()), "{:?}", unsupported(&pc));
    assert!(api.get(&f.plan_path("/clearing-house.xlsx?kind=nonsense")).await.has_error("kind", "unknown"));
    assert_eq!(f.as_("outsider").await.get(&f.plan_path("/clearing-house.xlsx")).await.status, StatusCode::NOT_FOUND);
    let audit = f.as_("security").await.get("/api/v1/audit?entity=export").await;
    assert!(audit.text.contains("\"what\":\"indicators\"") && audit.text.contains("\"what\":\"clearing_house\""), "{}", audit.text);
    libreoffice_opens_if_asked(&c.bytes, "xlsx");
}

/// Chapter 3 and forty long actions under it, imported: enough for a document of several pages.
async fn a_long_chapter(f: &Fixture, api: &Api) {
    let mut csv = String::from("code,title,description\n3,Chapter three,\n");
    for i in 1..=40 {
        csv.push_str(&format!("3.{i},Action {i},\"{}\"\n", "A paragraph of the action's description, as long as plans write them. ".repeat(6)));
    }
    let p = upload(api, "more.csv", csv.as_bytes(), &[("plan", &f.plan.id.to_string())]).await;
    assert_eq!(p.body["sheet"]["rows"]["created"], 41, "{}", p.text);
    assert_eq!(apply(api, &p).await.status, StatusCode::OK, "{}", p.text);
}

/// A part of a zip (a DOCX or XLSX) as text.
fn part(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut s = String::new();
    std::io::Read::read_to_string(&mut zip.by_name(name).unwrap_or_else(|e| panic!("{name}: {e}")), &mut s).unwrap();
    s
}

#[tokio::test]
async fn the_plan_as_docx_is_marked_on_every_page_and_holds_only_what_its_reader_may_see() {
    let f = Fixture::new().await;
    a_rich_plan(&f).await;
    let api = f.as_("coordinator").await;
    // Enough items for several pages.
    a_long_chapter(&f, &api).await;
    let d = api.get(&f.plan_path("/plan.docx?lang=sr-Latn")).await;
    assert_eq!(d.status, StatusCode::OK, "{}", d.text);
    assert!(d.content_type().contains("wordprocessingml"));
    let body = part(&d.bytes, "word/document.xml");
    assert!(body.contains("Test IPAP"), "the title");
    assert!(body.contains("Defence reform") && body.contains("Alliance only") && body.contains("Action 40"), "the items");
    assert!(
        part(&d.bytes, "word/header1.xml").contains("NATO CONFIDENTIAL") && part(&d.bytes, "word/footer1.xml").contains("NATO CONFIDENTIAL"),
        "the marking in header and footer"
    );
    assert!(part(&d.bytes, "docProps/custom.xml").contains("NATO CONFIDENTIAL"));
    let sr = part(&api.get(&f.plan_path("/plan.docx?lang=sr-Cyrl")).await.bytes, "word/document.xml");
    assert!(sr.contains("Политичка питања"), "Serbian Cyrillic titles in a Cyrillic document");
    // The partner side gets neither the restricted item nor the alliance-only chapter.
    let pd = f.as_("partner").await.get(&f.plan_path("/plan.docx")).await;
    let pbody = part(&pd.bytes, "word/document.xml");
    assert!(!pbody.contains("Restricted work") && !pbody.contains("Alliance only") && pbody.contains("Defence reform"));
    assert!(part(&pd.bytes, "word/header1.xml").contains("NATO UNCLASSIFIED · RELEASABLE TO SRB"));
    let audit = f.as_("security").await.get("/api/v1/audit?entity=export").await;
    assert!(audit.text.contains("\"format\":\"docx\""), "{}", audit.text);
    // LibreOffice opens it; every page of what it prints carries the marking.
    if std::env::var_os("LIAISON_OFFICE_TESTS").is_some() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("plan.docx");
        std::fs::write(&path, &d.bytes).unwrap();
        let out = std::process::Command::new("soffice")
            .args(["--headless", "--norestore", "--convert-to", "pdf", "--outdir"])
            .arg(dir.path())
            .arg(&path)
            .env("HOME", dir.path())
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let text = std::process::Command::new("pdftotext").arg(dir.path().join("plan.pdf")).arg("-").output().expect("pdftotext (poppler-utils)");
        let text = String::from_utf8_lossy(&text.stdout).to_string();
        let pages: Vec<&str> = text.split('\u{c}').filter(|p| !p.trim().is_empty()).collect();
        assert!(pages.len() >= 2, "{} pages", pages.len());
        for (i, page) in pages.iter().enumerate() {
            assert!(page.contains("NATO CONFIDENTIAL"), "page {} has no marking:\n{page}", i + 1);
        }
    }
}

/// The text of a PDF, page by page (`pdftotext`, from poppler-utils), when office tests are on.
pub fn pdf_pages(pdf: &[u8]) -> Option<Vec<String>> {
    std::env::var_os("LIAISON_OFFICE_TESTS")?;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("doc.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = std::process::Command::new("pdftotext").arg("-layout").arg(&path).arg("-").output().expect("pdftotext could not be run: install poppler-utils");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    Some(String::from_utf8_lossy(&out.stdout).split('\u{c}').filter(|p| !p.trim().is_empty()).map(String::from).collect())
}

#[tokio::test]
async fn the_plan_as_pdf_is_an_official_document_marked_on_every_page_in_either_script() {
    let f = Fixture::new().await;
    a_rich_plan(&f).await;
    let api = f.as_("coordinator").await;
    a_long_chapter(&f, &api).await;
    let d = api.get(&f.plan_path("/plan.pdf")).await;
    assert_eq!(d.status, StatusCode::OK, "{}", d.text);
    assert_eq!(d.content_type(), "application/pdf");
    assert!(d.bytes.starts_with(b"%PDF-") && d.header("content-disposition").contains("IPAP-T.pdf"));
    if let Some(pages) = pdf_pages(&d.bytes) {
        assert!(pages.len() >= 4, "a cover, the contents and the chapters: {} pages", pages.len());
        for (i, page) in pages.iter().enumerate() {
            assert!(page.contains("NATO CONFIDENTIAL"), "page {} has no marking:\n{page}", i + 1);
            assert!(page.contains(&format!("Page {} / {}", i + 1, pages.len())), "page {} has no number:\n{page}", i + 1);
        }
        assert!(pages[0].contains("Test IPAP") && pages[1].contains("Contents"), "a cover, then the contents");
        let all = pages.join("\n");
        assert!(all.contains("1.1 Defence reform") && all.contains("Alliance only") && all.contains("3.40 Action 40"));
        let cyr = pdf_pages(&api.get(&f.plan_path("/plan.pdf?lang=sr-Cyrl")).await.bytes).unwrap().join("\n");
        assert!(cyr.contains("Политичка питања") && cyr.contains("Садржај"), "Cyrillic, embedded:\n{cyr}");
        let lat = pdf_pages(&api.get(&f.plan_path("/plan.pdf?lang=sr-Latn")).await.bytes).unwrap().join("\n");
        assert!(lat.contains("Politička pitanja") && lat.contains("Sadržaj"), "Latin:\n{lat}");
        let partner = pdf_pages(&f.as_("partner").await.get(&f.plan_path("/plan.pdf")).await.bytes).unwrap().join("\n");
        assert!(!partner.contains("Restricted work") && !partner.contains("Alliance only") && partner.contains("Defence reform"));
        assert!(partner.contains("NATO UNCLASSIFIED · RELEASABLE TO SRB") && !partner.contains("NATO CONFIDENTIAL"));
    }
    // A title with Typst markup is printed as it is written.
    let odd = api.post(&f.plan_path("/items"), &json!({"code": "9", "title": {"en": "#exit() *not bold* $x$ = [link]"}})).await;
    assert_eq!(odd.status, StatusCode::CREATED, "{}", odd.text);
    let d = api.get(&f.plan_path("/plan.pdf")).await;
    assert_eq!(d.status, StatusCode::OK, "{}", d.text);
    if let Some(pages) = pdf_pages(&d.bytes) {
        assert!(pages.join("\n").contains("#exit() *not bold* $x$ = [link]"));
    }
    assert_eq!(api.get(&f.plan_path("/plan.pdf?version=1")).await.status, StatusCode::NOT_FOUND, "no agreed version yet");
    assert!(api.get(&f.plan_path("/plan.pdf?version=0")).await.has_error("version", "invalid"));
    assert_eq!(f.as_("outsider").await.get(&f.plan_path("/plan.pdf")).await.status, StatusCode::NOT_FOUND);
    let audit = f.as_("security").await.get("/api/v1/audit?entity=export").await;
    assert!(audit.text.contains("\"format\":\"pdf\""), "{}", audit.text);
}

/// Move the fixture's plan through its lifecycle.
async fn transition(api: &Api, f: &Fixture, to: &str) -> Answer {
    let cur = api.get(&f.plan_path("")).await;
    api.post_if(&f.plan_path("/transitions"), &cur.etag(), &json!({"to": to})).await
}

#[tokio::test]
async fn the_redline_between_two_versions_prints_deletions_and_insertions_on_marked_pages() {
    let f = Fixture::new().await;
    let (coord, partner) = (f.as_("coordinator").await, f.as_("partner").await);
    let item = coord.post(&f.plan_path("/items"), &json!({"code": "1", "title": {"en": "Political dialogue"}})).await.id();
    coord.post(&f.plan_path("/items"), &json!({"code": "2", "title": {"en": "A chapter that goes"}})).await;
    // Agree version 1: both sides approve the same text.
    assert_eq!(transition(&coord, &f, "negotiation").await.status, StatusCode::OK);
    assert_eq!(coord.post(&f.plan_path("/approvals"), &json!({})).await.status, StatusCode::CREATED);
    assert_eq!(partner.post(&f.plan_path("/approvals"), &json!({})).await.status, StatusCode::CREATED);
    assert_eq!(transition(&coord, &f, "agreed").await.status, StatusCode::OK);
    // An amendment during implementation: a title changed, an item added.
    assert_eq!(transition(&coord, &f, "implementation").await.status, StatusCode::OK);
    let cur = coord.get(&format!("/api/v1/items/{item}")).await;
    assert_eq!(
        partner.patch(&format!("/api/v1/items/{item}"), &cur.etag(), &json!({"title": {"en": "Political dialogue with NATO"}})).await.status,
        StatusCode::OK
    );
    assert_eq!(partner.post(&f.plan_path("/items"), &json!({"code": "3", "title": {"en": "Defence reform, added"}})).await.status, StatusCode::CREATED);
    let j = coord.get(&f.plan_path("/compare?from=1&to=current")).await;
    assert_eq!(j.status, StatusCode::OK, "{}", j.text);
    let page = coord.get(&format!("/plans/{}/compare?from=1&to=current", f.plan.id)).await;
    assert!(page.text.contains(&format!("/api/v1/plans/{}/compare.pdf?from=1&amp;to=current&amp;lang=en", f.plan.id)), "the page links its PDF");
    let versions = coord.get(&format!("/plans/{}/versions", f.plan.id)).await;
    assert!(versions.text.contains(&format!("/api/v1/plans/{}/plan.pdf?version=1&amp;lang=en", f.plan.id)), "each agreed version links its PDF");
    let r = coord.get(&f.plan_path("/compare.pdf?from=1&to=current")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert!(r.bytes.starts_with(b"%PDF-") && r.header("content-disposition").contains("IPAP-T-changes.pdf"));
    if let Some(pages) = pdf_pages(&r.bytes) {
        let all = pages.join("\n");
        assert!(all.contains("Changes: Test IPAP") && all.contains("Agreed version 1") && all.contains("Current text"), "{all}");
        assert!(all.contains("Political dialogue with NATO") && all.contains("Defence reform, added"), "the insertions:\n{all}");
        assert!(all.contains("Items changed") && all.contains("Items added"), "{all}");
        for (i, page) in pages.iter().enumerate() {
            assert!(page.contains("NATO UNCLASSIFIED · RELEASABLE TO SRB") && page.contains(&format!("Page {}", i + 1)), "page {}:\n{page}", i + 1);
        }
        let same = pdf_pages(&coord.get(&f.plan_path("/compare.pdf?from=1&to=1&lang=sr-Cyrl")).await.bytes).unwrap().join("\n");
        assert!(same.contains("Две верзије имају исти садржај"), "{same}");
    }
    assert!(coord.get(&f.plan_path("/compare.pdf")).await.has_error("from", "required"));
    assert!(coord.get(&f.plan_path("/compare.pdf?from=x")).await.has_error("from", "invalid"));
    assert_eq!(coord.get(&f.plan_path("/compare.pdf?from=7")).await.status, StatusCode::NOT_FOUND, "no such version");
    assert_eq!(f.as_("outsider").await.get(&f.plan_path("/compare.pdf?from=x")).await.status, StatusCode::NOT_FOUND, "a hidden plan is not found first");
    // An agreed version as the official document.
    let v1 = coord.get(&f.plan_path("/plan.pdf?version=1")).await;
    assert_eq!(v1.status, StatusCode::OK, "{}", v1.text);
    if let Some(pages) = pdf_pages(&v1.bytes) {
        let all = pages.join("\n");
        assert!(
            all.contains("Agreed version 1") && all.contains("1 Political dialogue") && !all.contains("with NATO") && !all.contains("Defence reform, added"),
            "the version as agreed:\n{all}"
        );
    }
}
