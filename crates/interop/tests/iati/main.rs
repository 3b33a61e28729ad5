//! IATI against the official material in `../shared/reference/iati` (read at test time
//! through `LIAISON_REFERENCE`): the schema's should-pass and should-fail cases, the
//! validator's rule files, the code lists and three real publishers' files.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod codelists;
mod reader;
mod rules;
mod schema;
mod support;
mod write;
