//! Case pages: the work lists, logging a complaint and the case page.

pub mod actions;
pub mod bulk;
pub mod corrections;
pub mod evidence;
pub mod export;
pub mod form_options;
pub mod list;
pub mod new;
pub mod show;
pub mod stage_two;
pub mod views;

use actix_web::web;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/cases", web::get().to(list::page))
        // Issue 24, before `/cases/{reference}` so these names are not read as references.
        .route("/cases/export.csv", web::get().to(export::download))
        .route("/cases/bulk", web::get().to(bulk::choose))
        .route("/cases/bulk", web::post().to(bulk::submit))
        .route("/cases/views", web::get().to(views::list))
        .route("/cases/views", web::post().to(views::create))
        .route("/cases/views/{id}", web::post().to(views::rename))
        .route("/cases/views/{id}/delete", web::post().to(views::delete))
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
