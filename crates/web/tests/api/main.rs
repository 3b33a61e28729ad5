#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test stops loudly on what it did not expect
//! The HTTP interface against a real server and database (SQLite, or PostgreSQL when
//! `LIAISON_TEST_DATABASE_URL` is set).

mod assistance;
mod auth;
mod browser;
mod concurrency;
mod connections;
mod demo;
mod directory;
mod errors;
mod exchange;
mod files;
mod hardening;
mod iati;
mod implementation;
mod implementation_pages;
mod items;
mod mail;
mod matrix;
mod openapi;
mod pages;
mod passkeys;
mod plans;
mod portal;
mod portfolio;
mod search;
mod second_factor;
mod security;
mod sso;
mod support;
mod visibility;
