//! Write a large plan spreadsheet for measuring the import: `cargo run --release -p
//! liaison-interop --example sheet_big -- ROWS OUT.xlsx|OUT.csv`. Chapters of 20 items, each
//! row with every field an office fills in (a parent code, a lead, a status, a due quarter).
use liaison_interop::xlsx::{Cell, Column, Properties, Table, workbook};

fn main() {
    let mut args = std::env::args().skip(1);
    let rows: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(10_000);
    let out = args.next().unwrap_or_else(|| "big.xlsx".into());
    let headers = ["Code", "Parent code", "Title", "Description", "Lead organisation", "Status", "Due", "Area"];
    let statuses = ["planned", "in progress", "completed", "delayed"];
    let mut lines = Vec::with_capacity(rows);
    for i in 0..rows {
        let chapter = i / 21 + 1;
        let (code, parent) = if i % 21 == 0 { (format!("{chapter}"), String::new()) } else { (format!("{chapter}.{}", i % 21), format!("{chapter}")) };
        lines.push(vec![
            code,
            parent,
            format!("Action {i}: strengthen the capacity of unit {}", i % 97),
            format!("Row {i}. Training, exercises and equipment, as agreed with the partner in the annual programme."),
            ["Ministry of Defence", "Ministry of Foreign Affairs", "General Staff"][i % 3].to_string(),
            statuses[i % 4].to_string(),
            format!("{}-Q{}", 2016 + (i % 3), i % 4 + 1),
            ["Cyber defence", "Logistics", "Training"][i % 3].to_string(),
        ]);
    }
    let bytes = if out.ends_with(".csv") {
        let mut s = headers.join(",") + "\n";
        for l in &lines {
            s.push_str(&l.iter().map(|c| format!("\"{}\"", c.replace('"', "\"\""))).collect::<Vec<_>>().join(","));
            s.push('\n');
        }
        s.into_bytes()
    } else {
        let table = Table {
            name: "Plan".into(),
            title: "A large plan".into(),
            columns: headers.iter().map(|h| Column::new(h, 20.0)).collect(),
            rows: lines.into_iter().map(|l| l.into_iter().map(Cell::text).collect()).collect(),
        };
        match workbook(&[table], &Properties { title: "A large plan".into(), marking: "NATO UNCLASSIFIED".into(), author: "Liaison".into() }) {
            Ok(b) => b,
            Err(e) => return eprintln!("{e}"),
        }
    };
    if let Err(e) = std::fs::write(&out, &bytes) {
        return eprintln!("{out}: {e}");
    }
    eprintln!("{out}: {rows} rows, {} bytes", bytes.len());
}
