//! The thin HTTP layer: handlers parse, authorise, call the domain, render.

pub mod account;
pub mod admin;
pub mod approvals;
pub mod assets;
pub mod auth;
pub mod cases;
pub mod client_addr;
pub mod csrf;
pub mod current_user;
pub mod emails;
pub mod error;
pub mod filters;
pub mod forms;
pub mod framework;
pub mod governance;
pub mod health;
pub mod home;
pub mod htmx;
pub mod letters;
pub mod ombudsman;
pub mod outbox;
pub mod outstanding;
pub mod page;
pub mod privacy;
pub mod public;
pub mod reports;
pub mod request_log;
pub mod response_checks;
pub mod responses;
pub mod runner;
pub mod second_factor;
pub mod session;
pub mod state;
pub mod streaming;
pub mod subject_access;
pub mod today;
pub mod uploads;

use actix_web::web;

/// Every route in one place.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/health", web::get().to(health::health))
        .route("/", web::get().to(home::home))
        .route("/login", web::get().to(auth::login_page))
        .route("/login", web::post().to(auth::login_submit))
        .route("/login/code", web::get().to(second_factor::code_page))
        .route("/login/code", web::post().to(second_factor::code_submit))
        .route("/logout", web::post().to(auth::logout))
        .route("/account", web::get().to(account::page))
        .route("/account", web::post().to(account::submit))
        .route("/account/password", web::get().to(auth::password_page))
        .route("/account/password", web::post().to(auth::password_submit))
        .route(
            "/account/two-factor",
            web::get().to(second_factor::two_factor_page),
        )
        .route(
            "/account/two-factor",
            web::post().to(second_factor::two_factor_submit),
        )
        .route("/outbox", web::get().to(outbox::list))
        .configure(emails::routes)
        .route("/outbox/{id}/retry", web::post().to(outbox::retry))
        .route("/approvals", web::get().to(approvals::page))
        .route(
            "/cases/{reference}/approval/{id}",
            web::get().to(approvals::decide_form),
        )
        .route(
            "/cases/{reference}/approval/{id}",
            web::post().to(approvals::decide_submit),
        )
        .configure(response_checks::routes)
        .route("/complain", web::get().to(public::form))
        .route("/complain", web::post().to(public::submit))
        .configure(letters::routes)
        .configure(cases::routes)
        .configure(outstanding::routes)
        .configure(reports::routes)
        .configure(governance::routes)
        .configure(ombudsman::routes)
        .configure(privacy::routes)
        .configure(subject_access::routes)
        .configure(admin::routes);
}
