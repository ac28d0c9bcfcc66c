//! All integration tests in one binary (one link step). Each test starts the real app on a
//! random port with its own database: SQLite always, and PostgreSQL too when
//! `TEST_POSTGRES_URL` is set.

mod admin;
mod admin_reference_data;
mod attachments;
mod audit_privacy;
mod audit_viewer;
mod auth;
mod authorisation;
mod backup;
mod browser;
mod case_actions;
mod case_file;
mod cli;
mod clock;
mod confidential;
mod corrections;
mod deadlines_cli;
mod form_statuses;
mod helpers;
mod hostile_input;
mod input_boundary;
mod intake;
mod investigation;
mod journey;
mod layering;
mod letters;
mod letters_owed;
mod limits;
mod mailbox;
mod outbox;
mod platform;
mod reports;
mod representative;
mod restrictions;
mod seed;
mod sessions;
mod smtp_server;
mod stored_values;
mod triage;
mod two_factor;
mod vocabulary;
mod work_lists;
