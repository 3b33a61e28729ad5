//! A large IATI file for measuring imports: the activities of a real file, copied `COPIES`
//! times with identifiers made unique per copy (`XM-DAC-47066-CC.0001` → `XM-DAC-47066-CC.0001-c7`).
//!
//! ```text
//! cargo run --release -p liaison --example iati_big -- \
//!     ../shared/reference/iati/tests/real/example_203_references.xml 31 /tmp/big50.xml
//! ```
//! 31 copies of IOM's file are 54 MB and 17,887 activities.

use std::io::Write;

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let [_, from, copies, out] = args.as_slice() else {
        eprintln!("usage: iati_big FILE COPIES OUT");
        return std::process::ExitCode::from(2);
    };
    let (Ok(text), Ok(copies)) = (std::fs::read_to_string(from), copies.parse::<usize>()) else {
        eprintln!("{from} could not be read as UTF-8, or {copies} is not a number");
        return std::process::ExitCode::from(2);
    };
    let (Some(first), Some(last)) = (text.find("<iati-activity "), text.rfind("</iati-activities>")) else {
        eprintln!("{from} holds no activities");
        return std::process::ExitCode::from(1);
    };
    let (head, body, tail) = (&text[..first], &text[first..last], &text[last..]);
    let mut w = match std::fs::File::create(out) {
        Ok(f) => std::io::BufWriter::new(f),
        Err(e) => {
            eprintln!("{out}: {e}");
            return std::process::ExitCode::from(1);
        }
    };
    let mut written = w.write_all(head.as_bytes());
    for k in 0..copies {
        // Identifiers, and the references to them, end in the copy's number.
        let copy = body.replace("</iati-identifier>", &format!("-c{k}</iati-identifier>"));
        written = written.and_then(|_| w.write_all(copy.as_bytes()));
    }
    written = written.and_then(|_| w.write_all(tail.as_bytes())).and_then(|_| w.flush());
    if let Err(e) = written {
        eprintln!("{out}: {e}");
        return std::process::ExitCode::from(1);
    }
    println!("{out}: {copies} copies of {} activities", body.matches("<iati-activity ").count());
    std::process::ExitCode::SUCCESS
}
