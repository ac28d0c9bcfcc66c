//! All integration tests in one binary (one link step). Each test starts the real app on a
//! random port with its own database: SQLite always, and PostgreSQL too when
//! `TEST_POSTGRES_URL` is set.

mod admin;
mod admin_reference_data;
mod attachments;
mod auth;
mod authorisation;
mod backup;
mod browser;
mod cli;
mod deadlines_cli;
mod helpers;
mod intake;
mod investigation;
mod journey;
mod letters;
mod limits;
mod outbox;
mod platform;
mod reports;
mod representative;
mod restrictions;
mod seed;
mod sessions;
mod smtp_server;
mod triage;
mod work_lists;
