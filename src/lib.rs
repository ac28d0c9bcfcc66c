//! Redress: staff case management for UK social-housing complaints.
//!
//! `rules` and `domain` are pure; `db` stores; `web` is a thin HTTP layer; `startup`
//! wires them together for `main` and for the tests.
//!
//! An application, not a library: its documentation is for the people changing it, built
//! with `cargo doc --document-private-items`, so doc comments may link to private items.
#![allow(rustdoc::private_intra_doc_links)]

pub mod attachments;
pub mod auth;
pub mod cases;
pub mod cli;
pub mod clock;
pub mod config;
pub mod csv_export;
pub mod db;
pub mod domain;
pub mod governance;
pub mod intake;
pub mod letters;
pub mod mail;
pub mod ombudsman;
pub mod privacy;
pub mod reports;
pub mod rules;
pub mod seed;
pub mod shutdown;
pub mod startup;
pub mod web;
