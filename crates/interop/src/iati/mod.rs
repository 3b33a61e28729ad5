//! IATI 2.03 (International Aid Transparency Initiative) activity files: read any 2.0x file
//! safely ([`xml`]), check it against the standard (the schema, the code lists and the rules
//! of IATI's validator), and write the partnership's plan as a 2.03 document.
//!
//! The problems found have the shape tools expect ([`Problem`]: severity, line, column, path,
//! code, message), with IATI's rule ids as codes where the standard has one.

pub mod check;
mod codelist_table;
pub mod codelists;
pub mod country;
pub mod model;
pub mod problem;
pub mod read;
pub mod rules;
pub mod schema;
pub mod write;
pub mod xml;

pub use problem::{Problem, Severity};
pub use xml::{ActivityReader, Attr, Limits, Node, Root};
