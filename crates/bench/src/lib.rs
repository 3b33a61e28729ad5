//! Liaison at alliance scale: the generator of an alliance-sized database ([`seed`]) and the
//! benchmark that runs a release server on it ([`run`]), used by the `liaison-bench` binary.

pub mod run;
pub mod seed;
