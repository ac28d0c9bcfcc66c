//! Administration: staff accounts, service areas, categories, contractors, the read-only policy and landlord
//! settings, and the audit log. Only the `admin` role may enter; it sees no case content.

pub mod audit;
pub mod audit_words;
pub mod categories;
pub mod contractors;
pub mod job_title;
pub mod reference_data;
pub mod service_areas;
pub mod settings;
pub mod users;

use actix_web::web;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/admin/users", web::get().to(users::list))
        .route("/admin/users", web::post().to(users::create))
        .route("/admin/users/new", web::get().to(users::new_form))
        .route("/admin/users/{id}", web::get().to(users::edit))
        .route(
            "/admin/users/{id}/job-title",
            web::get().to(job_title::form),
        )
        .route(
            "/admin/users/{id}/job-title",
            web::post().to(job_title::submit),
        )
        .route(
            "/admin/users/{id}/service-areas",
            web::post().to(users::set_areas),
        )
        .route(
            "/admin/users/{id}/active",
            web::post().to(users::set_active),
        )
        .route(
            "/admin/users/{id}/reset-password",
            web::post().to(users::reset_password),
        )
        .route(
            "/admin/users/{id}/reset-second-factor",
            web::post().to(users::reset_second_factor),
        )
        .route(
            "/admin/users/{id}/sign-out-everywhere",
            web::post().to(users::sign_out_everywhere),
        )
        .route("/admin/service-areas", web::get().to(service_areas::list))
        .route(
            "/admin/service-areas",
            web::post().to(service_areas::create),
        )
        .route(
            "/admin/service-areas/new",
            web::get().to(service_areas::new_form),
        )
        .route(
            "/admin/service-areas/{id}",
            web::get().to(service_areas::edit_form),
        )
        .route(
            "/admin/service-areas/{id}",
            web::post().to(service_areas::update),
        )
        .configure(reference_data::routes::<categories::Categories>)
        .configure(reference_data::routes::<contractors::Contractors>)
        .route("/admin/settings", web::get().to(settings::show))
        .route("/admin/audit", web::get().to(audit::list))
        .route("/admin/audit.csv", web::get().to(audit::export));
}
