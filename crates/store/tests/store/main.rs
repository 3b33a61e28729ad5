#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test stops loudly on what it did not expect
//! Storage against a real database: SQLite by default, PostgreSQL when
//! `LIAISON_TEST_DATABASE_URL` is set.

mod basics;
mod readers;
