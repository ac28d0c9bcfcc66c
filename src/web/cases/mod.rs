//! Case pages: the work lists, logging a complaint and the case page.

pub mod actions;
pub mod corrections;
pub mod evidence;
pub mod form_options;
pub mod list;
pub mod new;
pub mod show;
pub mod stage_two;

use actix_web::web;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/cases", web::get().to(list::page))
        .route("/cases/new", web::get().to(new::form))
        .route("/cases", web::post().to(new::create))
        .route("/cases/{reference}", web::get().to(show::page))
        .route(
            "/cases/{reference}/attachments",
            web::post().to(evidence::upload),
        )
        .route(
            "/cases/{reference}/attachments/{id}",
            web::get().to(evidence::download),
        )
        .configure(actions::routes)
        .configure(corrections::routes);
}
