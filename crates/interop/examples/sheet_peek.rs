//! Print how Liaison reads a spreadsheet: its format, the header row, each column's field and
//! each row's outcome (`cargo run -p liaison-interop --example sheet_peek -- FILE`).
fn main() {
    let path = std::env::args().nth(1).unwrap_or_default();
    let bytes = std::fs::read(&path).unwrap_or_default();
    match liaison_interop::sheet::read(&bytes, Default::default()) {
        Err(e) => println!("refused: {e}"),
        Ok(book) => {
            println!("{:?}", book.format);
            let g = book.sheet(None).cloned().unwrap_or_default();
            let l = liaison_interop::sheet::table::propose(&g);
            println!("header row {} merges {:?}", l.header_row + 1, g.merges);
            for c in &l.columns {
                println!("  {} {:?} -> {:?}", c.letter, c.header, c.field);
            }
            let (rows, notes) = liaison_interop::sheet::table::rows(&g, &l, book.base_1904());
            println!("notes {notes:?}");
            for r in rows.iter() {
                let p: Vec<String> = r.problems.iter().map(|p| format!("{} {} {}", p.cell, p.severity, p.message)).collect();
                println!(
                    "{:?} {:?} parent={:?} lvl={:?} st={:?} due={:?} lead={:?} areas={:?} probs={p:?}",
                    r.kind, r.item.code, r.item.parent, r.item.level, r.item.status, r.item.due, r.item.lead, r.item.areas
                );
            }
        }
    }
}
