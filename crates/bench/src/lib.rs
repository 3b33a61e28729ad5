//! Liaison at alliance scale: the generator of an alliance-sized database ([`seed`]), used by
//! the `liaison-bench` binary.

pub mod seed;
